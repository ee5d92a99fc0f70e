#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/output/output_schema.hpp"
#include "sim/runner/progress.hpp"
#include "sim/runner/scenario.hpp"

namespace icsflow::sim {

// How the replications of a batch are shared between processes (MPI ranks): `blocks` gives each
// rank one contiguous block in advance; `chunks` hands out a few replications at a time to the
// rank that asks, so fast ranks take more and results reach rank 0 nearly in order.
enum class DistributionPolicy : std::uint8_t { blocks, chunks };

[[nodiscard]] const char* to_string(DistributionPolicy policy);
[[nodiscard]] DistributionPolicy distribution_policy_from_string(const std::string& text);

struct BatchOptions {
    std::uint64_t master_seed = 1;
    std::uint64_t first_replication = 0;  // replications [first, first + count)
    std::uint64_t replications = 1;
    int threads = 0;  // 0: every core
    ProgressMode progress = ProgressMode::automatic;
    // Replications of the range to leave out, in increasing order: those a resumed batch's
    // checkpoint already holds. (A list of what to skip, not of what to run, so that memory
    // grows with the replications finished, not with the number asked for.)
    std::vector<std::uint64_t> skip{};
    // How ranks share the replications when the batch runs on several processes.
    DistributionPolicy distribution = DistributionPolicy::chunks;

    // The replications this batch runs, in the order the sink receives them.
    [[nodiscard]] class WorkList work_list() const;
};

// The replications [first, first + count) less `skip` (sorted), indexed without being listed.
class WorkList {
  public:
    WorkList(std::uint64_t first, std::uint64_t count, std::vector<std::uint64_t> skip);
    [[nodiscard]] std::uint64_t size() const { return count_ - skip_.size(); }
    // The position-th replication to run (0-based).
    [[nodiscard]] std::uint64_t operator[](std::uint64_t position) const;

  private:
    std::uint64_t first_;
    std::uint64_t count_;
    std::vector<std::uint64_t> skip_;
};

// Receives each replication's result, always in replication index order and always on the thread
// that called run_batch: a sink may therefore write files (HDF5 has one writer) and accumulate
// sums whose value does not depend on thread scheduling.
class ResultSink {
  public:
    virtual ~ResultSink() = default;
    virtual void consume(std::uint64_t replication, ReplicationResult&& result) = 0;
    // A batch that stops early hands over here the results that finished but could not be
    // consumed in order (a predecessor was still running), so that a checkpoint can keep them.
    virtual void keep_unordered(std::uint64_t /*replication*/, ReplicationResult&& /*result*/) {}
};

struct BatchReport {
    std::uint64_t completed = 0;
    double wall_seconds = 0.0;
    std::uint64_t events = 0;
    int threads = 1;  // per rank
    int ranks = 1;
    double sink_seconds = 0.0;   // spent handing results to the sink (writing them)
    double setup_seconds = 0.0;  // before the first replication (reading the configuration)
};

// Thrown when a batch stops because `cancel` was set from outside (an interrupt).
class BatchCancelled : public std::runtime_error {
  public:
    BatchCancelled() : std::runtime_error("batch cancelled") {}
};

// The most worker threads a batch may run (the command line's bound): beyond the cores of any
// machine the program is meant for, and few enough that creating them cannot fail.
inline constexpr int kMaxThreads = 1024;

// The number of worker threads a batch asked for `threads` runs: `threads` up to kMaxThreads, or
// every core for 0. The batch really runs that many, even beyond the cores, so that what a
// results file records is what ran.
[[nodiscard]] int resolve_thread_count(int threads);

// Runs the replications of `scenario` on a oneTBB arena of `threads` workers. Workers take
// replication indices in increasing order from a shared counter, and never start one more than
// a few times `threads` ahead of the oldest result not yet handed to the sink: memory holds a
// bounded number of finished results whatever the requested count, even when one replication
// is much slower than the others. An exception in any
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
