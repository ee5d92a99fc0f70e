#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "sim/output/output_schema.hpp"
#include "sim/runner/progress.hpp"
#include "sim/runner/scenario.hpp"

namespace icsflow::sim {

struct BatchOptions {
    std::uint64_t master_seed = 1;
    std::uint64_t first_replication = 0;  // replications [first, first + count)
    std::uint64_t replications = 1;
    int threads = 0;  // 0: every core
    ProgressMode progress = ProgressMode::automatic;
};

// Receives each replication's result, always in replication index order and always on the thread
// that called run_batch: a sink may therefore write files (HDF5 has one writer) and accumulate
// sums whose value does not depend on thread scheduling.
class ResultSink {
  public:
    virtual ~ResultSink() = default;
    virtual void consume(std::uint64_t replication, ReplicationResult&& result) = 0;
};

struct BatchReport {
    std::uint64_t completed = 0;
    double wall_seconds = 0.0;
    std::uint64_t events = 0;
    int threads = 1;
};

// Thrown when a batch stops because `cancel` was set from outside (an interrupt).
class BatchCancelled : public std::runtime_error {
  public:
    BatchCancelled() : std::runtime_error("batch cancelled") {}
};

// The number of worker threads `threads` (0 = all cores) resolves to.
[[nodiscard]] int resolve_thread_count(int threads);

// Runs the replications of `scenario` on a oneTBB arena of `threads` workers. Workers take
// replication indices in increasing order from a shared counter, so finished results arrive
// nearly in order and only a few wait in memory for their predecessors. An exception in any
// replication cancels the others and is rethrown here once every worker has stopped; an external
// `cancel` stops the batch the same way and raises BatchCancelled.
BatchReport run_batch(const Scenario& scenario, const BatchOptions& options, ResultSink& sink,
                      const std::atomic<bool>* cancel = nullptr);

// A sink that keeps every result in memory (tests, small batches).
class MemorySink : public ResultSink {
  public:
    void consume(std::uint64_t replication, ReplicationResult&& result) override;
    std::vector<std::uint64_t> replications;
    std::vector<ReplicationResult> results;
};

}  // namespace icsflow::sim
