#pragma once

namespace icsflow::sim {

// The program's exit codes (documented in README.md, "Exit codes").
enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,        // anything else: a model error, an interrupted run
    kExitUsage = 2,          // bad command line
    kExitInvalidConfig = 3,  // the configuration has errors (all are listed)
    kExitIoError = 4,        // a file could not be read or written
    kExitNotComparable = 5,  // results files that cannot be paired (compare)
};

}  // namespace icsflow::sim
