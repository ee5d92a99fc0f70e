#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "sim/runner/batch_runner.hpp"

namespace icsflow::sim {

// Runs a batch on one process or on several (MPI ranks), so that the command line does not
// depend on how the program was launched. Every rank builds the same scenario; rank 0 alone
// receives the results, in replication order, and writes the file.
class BatchDistributor {
  public:
    virtual ~BatchDistributor() = default;
    [[nodiscard]] virtual int rank() const = 0;
    [[nodiscard]] virtual int ranks() const = 0;

    // Runs `options.work_list()` across the ranks. `sink` is used on rank 0 only (others pass
    // nullptr). An interrupt on any rank stops every rank; rank 0's sink then receives the
    // finished results through keep_unordered and BatchCancelled is thrown on every rank.
    virtual BatchReport run(const Scenario& scenario, const BatchOptions& options, ResultSink* sink,
                            const std::atomic<bool>* cancel) = 0;

    // Makes rank 0's `values` every rank's.
    virtual void share(std::vector<std::uint64_t>& values) = 0;

    // Ends every rank at once with `exit_code`: a failure on one rank must not leave the others
    // waiting for it. Returns (doing nothing) on a single process.
    virtual void abort_all(int exit_code) = 0;
};

// The batch on this process only: oneTBB threads (run_batch).
class SingleProcess : public BatchDistributor {
  public:
    [[nodiscard]] int rank() const override { return 0; }
    [[nodiscard]] int ranks() const override { return 1; }
    BatchReport run(const Scenario& scenario, const BatchOptions& options, ResultSink* sink,
                    const std::atomic<bool>* cancel) override {
        return run_batch(scenario, options, *sink, cancel);
    }
    void share(std::vector<std::uint64_t>& /*values*/) override {}
    void abort_all(int /*exit_code*/) override {}
};

}  // namespace icsflow::sim
