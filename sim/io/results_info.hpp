#pragma once

#include <ostream>
#include <string>

#include "sim/io/io_error.hpp"

namespace icsflow::sim::h5 {
class File;
}

namespace icsflow::sim {

// A results file is not one this program can read (another filetype, a newer major version).
class ResultsFormatError : public IoError {
  public:
    using IoError::IoError;
};

// Refuses a file of another filetype or of a major format version this program does not read.
void check_results_format(const h5::File& file, const std::string& path);

// Prints the provenance and the contents (datasets with shapes, units and meaning) of a results
// file. Refuses files of another filetype or major format version.
void describe_results_file(const std::string& path, std::ostream& out);

}  // namespace icsflow::sim
