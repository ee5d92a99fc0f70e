#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/output/output_schema.hpp"
#include "sim/runner/batch_runner.hpp"

namespace icsflow::sim {

struct PrecisionOptions {
    double relative = 0.0;             // wanted 95% half-width of each headline mean / |mean|
    double probability_points = 0.05;  // wanted 95% half-width of each probability
    std::uint64_t block = 10;          // replications added at a time
    std::uint64_t max_replications = 500;
};

// How far a set of replications is from the wanted precision: the largest ratio of half-width to
// allowed half-width over the headline summaries (at most 1: precise enough) and which one it is.
struct PrecisionCheck {
    double worst_ratio = 0.0;
    std::string worst;  // "list_peak: half-width 1.3% of the mean"
    [[nodiscard]] bool met() const { return worst_ratio <= 1.0; }
};
[[nodiscard]] PrecisionCheck check_precision(const OutputSchema& schema,
                                             const std::vector<std::vector<double>>& values,
                                             const PrecisionOptions& options);

struct PrecisionRun {
    MemorySink sink;  // every replication, in index order
    BatchReport report;
    bool met = false;
    std::string least_precise;
};

// Runs replications first, first + 1, ... in blocks of `options.block` (from `batch`'s master
// seed and first replication) until check_precision is met or the cap is reached. Replication i
// is the same whichever block it ran in, so the result equals a fixed run of as many.
[[nodiscard]] PrecisionRun run_to_precision(const Scenario& scenario, const BatchOptions& batch,
                                            const PrecisionOptions& options,
                                            const std::atomic<bool>* cancel);

}  // namespace icsflow::sim
