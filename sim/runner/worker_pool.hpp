#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "sim/runner/scenario.hpp"

namespace icsflow::sim {

// A replication a pool has finished; `position` is the caller's tag (its place in a work list).
struct FinishedReplication {
    std::uint64_t position = 0;
    std::uint64_t replication = 0;
    ReplicationResult result;
};

// oneTBB workers that run the replications handed to them, in the order given, and hand back
// results as they finish (in any order). The caller's thread stays free to talk to other
// processes: the pool is the compute half of a rank, the caller its communication half.
class WorkerPool {
  public:
    WorkerPool(const Scenario& scenario, std::uint64_t master_seed, int threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void submit(std::uint64_t position, std::uint64_t replication);
    // Waits up to `timeout` for a finished replication. Rethrows the exception of a failed one.
    [[nodiscard]] std::optional<FinishedReplication> take(std::chrono::microseconds timeout);
    // Submitted and not yet taken (queued, running or finished).
    [[nodiscard]] std::size_t outstanding() const;
    // Abandons the queue and the running replications (they poll the cancel flag); results
    // finished before the call can still be taken.
    void stop();

  private:
    struct Job {
        std::uint64_t position;
        std::uint64_t replication;
    };
    void work();

    const Scenario& scenario_;
    std::uint64_t master_seed_;
    int threads_;
    mutable std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable result_ready_;
    std::deque<Job> queue_;
    std::deque<FinishedReplication> finished_;
    std::exception_ptr failure_;
    std::size_t outstanding_ = 0;
    bool closing_ = false;
    std::atomic<bool> stop_{false};
    std::thread driver_;
};

}  // namespace icsflow::sim
