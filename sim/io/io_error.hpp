#pragma once

#include <stdexcept>

namespace icsflow::sim {

// A file could not be read or written (exit code 4).
class IoError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A results file that another run created under the same name while this one ran: this run's
// results are refused, and nothing it wrote for them is worth keeping.
class OutputTakenError : public IoError {
  public:
    using IoError::IoError;
};

}  // namespace icsflow::sim
