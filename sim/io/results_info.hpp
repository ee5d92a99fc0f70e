#pragma once

#include <functional>
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

// How long a complete read of a results file may take in the screen below: a file of thousands
// of replications takes seconds; a damaged one that loops is stopped.
inline constexpr Containment kFullReadLimits{600, 1200, 16ULL << 30};

// Runs `read` (a complete read of the results file at `path`, as the caller will then do) in a
// contained child process first. Commands that read results files in their own process (compare,
// merge) screen each file so: a damaged file on which the HDF5 library would crash or loop gives
// IoError naming it (exit 4), and only files read whole without harm are read in-process.
void screen_results_file(const std::string& path,
                         const std::function<void(const std::string&)>& read,
                         const Containment& limits = kFullReadLimits);

}  // namespace icsflow::sim
