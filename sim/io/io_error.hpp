#pragma once

#include <stdexcept>

namespace icsflow::sim {

// A file could not be read or written (exit code 4).
class IoError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace icsflow::sim
