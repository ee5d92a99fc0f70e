#pragma once

#include <ostream>
#include <string>

#include "sim/io/contained_call.hpp"
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

// Refuses a path that is not a regular file (a FIFO, a directory, a device) before HDF5 opens it.
void check_regular_file(const std::string& path);

// Refuses a file of another filetype or of a major format version this program does not read.
void check_results_format(const h5::File& file, const std::string& path);

// Prints the provenance and the contents (datasets with shapes, units and meaning) of a results
// file. Refuses files of another filetype or major format version.
void describe_results_file(const std::string& path, std::ostream& out);

// The same, read in a contained child process (sim/io/contained_call.hpp): a damaged file on which
// the HDF5 library crashes, loops or exhausts memory gives IoError (exit 4), never a crash or a
// hang of this program. Nothing is written to `out` unless the whole description succeeded.
void describe_results_file_contained(const std::string& path, std::ostream& out,
                                     const Containment& limits = {});

}  // namespace icsflow::sim
