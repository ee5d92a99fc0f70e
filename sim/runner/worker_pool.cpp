#include "sim/runner/worker_pool.hpp"

#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "sim/runner/replication_timer.hpp"

namespace icsflow::sim {

WorkerPool::WorkerPool(const Scenario& scenario, std::uint64_t master_seed, int threads)
    : scenario_(scenario), master_seed_(master_seed), threads_(threads) {
    // The arena runs on its own thread so that the caller's thread is never borrowed to compute.
    driver_ = std::thread([this] {
        try {
            tbb::task_arena arena(threads_);
            arena.execute([this] {
                tbb::task_group group;
                for (int t = 0; t < threads_; ++t) {
                    group.run([this] { work(); });
                }
                group.wait();
            });
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!failure_) {
                failure_ = std::current_exception();
            }
            result_ready_.notify_all();
        }
    });
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
        stop_ = true;
        queue_.clear();
    }
    work_ready_.notify_all();
    driver_.join();
}

void WorkerPool::work() {
    while (true) {
        Job job{};
        {
            std::unique_lock lock(mutex_);
            work_ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
            if (queue_.empty() || stop_) {
                return;
            }
            job = queue_.front();
            queue_.pop_front();
        }
        try {
            ReplicationContext context;
            context.master_seed = master_seed_;
            context.replication = job.replication;
            context.cancel = &stop_;
            const ReplicationTimer timer;
            ReplicationResult result = scenario_.run(context);
            timer.record(result);
            if (stop_) {
                return;  // possibly cut short: never reported as finished
            }
            std::lock_guard lock(mutex_);
            finished_.push_back({job.position, job.replication, std::move(result)});
            result_ready_.notify_all();
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!failure_) {
                failure_ = std::current_exception();
            }
            stop_ = true;
            closing_ = true;
            work_ready_.notify_all();
            result_ready_.notify_all();
            return;
        }
    }
}

void WorkerPool::submit(std::uint64_t position, std::uint64_t replication) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({position, replication});
        ++outstanding_;
    }
    work_ready_.notify_one();
}

std::optional<FinishedReplication> WorkerPool::take(std::chrono::microseconds timeout) {
    std::unique_lock lock(mutex_);
    result_ready_.wait_for(lock, timeout, [&] { return failure_ || !finished_.empty(); });
    if (failure_) {
        std::rethrow_exception(failure_);
    }
    if (finished_.empty()) {
        return std::nullopt;
    }
    FinishedReplication done = std::move(finished_.front());
    finished_.pop_front();
    if (outstanding_ > 0) {  // after stop() a last result may still arrive
        --outstanding_;
    }
    return done;
}

std::size_t WorkerPool::outstanding() const {
    std::lock_guard lock(mutex_);
    return outstanding_;
}

void WorkerPool::stop() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        closing_ = true;
        outstanding_ = finished_.size();
        queue_.clear();
    }
    work_ready_.notify_all();
}

}  // namespace icsflow::sim
