#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "sim/io/io_error.hpp"
#include "sim/io/output_path.hpp"

namespace icsflow::sim {

// Parts that cannot be joined: another configuration, seed or layout, or replication ranges that
// overlap or leave a gap. The message names the files and what differs.
class MergeError : public IoError {
  public:
    using IoError::IoError;
};

// Joins results files holding disjoint, adjacent replication ranges of one batch (same model,
// configuration and seed: `icsflow run --replication-offset K -r N`) into `output`. Every
// dataset outside /runtime equals that of the file one run of the whole range writes; /runtime
// keeps each replication's measured costs.
// When `cancel` becomes true (a signal) it stops between replications, removes its partial file
// and throws BatchCancelled.
void merge_results_files(const std::vector<std::string>& parts, const std::string& output,
                         const std::string& command_line, const std::atomic<bool>* cancel = nullptr,
                         OverwritePolicy overwrite = OverwritePolicy::refuse);

}  // namespace icsflow::sim
