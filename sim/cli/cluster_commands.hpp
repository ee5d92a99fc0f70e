#pragma once

#include <atomic>
#include <string>
#include <vector>

namespace icsflow::sim {

// `icsflow merge PART.h5... -o FILE.h5`
struct MergeOptions {
    std::vector<std::string> parts;
    std::string output;
    std::string command_line;
    bool force = false;  // replace an existing output file
};

// Stops between replications when `cancel` becomes true (a signal): the partial file is removed
// and BatchCancelled is thrown.
int command_merge(const MergeOptions& options, const std::atomic<bool>* cancel);

// `icsflow plan-cluster ...` runs the planner program installed next to `icsflow`
// (icsflow-plan-cluster) with the same arguments. SimGrid's library defines the MPI functions
// itself (SMPI), so it cannot share a process with Open MPI.
[[noreturn]] void exec_plan_cluster(const std::vector<std::string>& arguments);

}  // namespace icsflow::sim
