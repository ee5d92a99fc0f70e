#include "sim/runner/batch_runner.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "sim/runner/replication_timer.hpp"

namespace icsflow::sim {

const char* to_string(DistributionPolicy policy) {
    return policy == DistributionPolicy::blocks ? "blocks" : "chunks";
}

DistributionPolicy distribution_policy_from_string(const std::string& text) {
    if (text == "blocks") {
        return DistributionPolicy::blocks;
    }
    if (text == "chunks") {
        return DistributionPolicy::chunks;
    }
    throw std::invalid_argument("unknown distribution policy '" + text + "'");
}

WorkList BatchOptions::work_list() const {
    return WorkList(first_replication, replications, skip);
}

WorkList::WorkList(std::uint64_t first, std::uint64_t count, std::vector<std::uint64_t> skip)
    : first_(first), count_(count), skip_(std::move(skip)) {
    for (std::size_t i = 0; i < skip_.size(); ++i) {
        if (skip_[i] < first_ || skip_[i] >= first_ + count_ ||
            (i > 0 && skip_[i] <= skip_[i - 1])) {
            throw std::invalid_argument(
                "work list: skipped replications must be increasing and "
                "within the batch");
        }
    }
}

std::uint64_t WorkList::operator[](std::uint64_t position) const {
    // The i-th skipped replication shifts every later one by one; the shifts that apply are
    // those with skip[i] - first - i <= position, a non-decreasing quantity: binary search.
    std::size_t low = 0;
    std::size_t high = skip_.size();
    while (low < high) {
        const std::size_t middle = low + (high - low) / 2;
        if (skip_[middle] - first_ - middle <= position) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return first_ + position + low;
}

int resolve_thread_count(int threads) {
    if (threads > 0) {
        return std::min(threads, kMaxThreads);
    }
    return tbb::info::default_concurrency();
}

namespace {

// State shared between the workers and the driving thread.
struct BatchState {
    std::mutex mutex;
    std::condition_variable changed;
    std::condition_variable room;                      // the sink took a result, or the batch stops
    std::map<std::uint64_t, ReplicationResult> ready;  // finished, not yet handed to the sink
    std::exception_ptr failure;
    bool workers_done = false;
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> next{0};
    std::uint64_t sunk = 0;  // results handed to the sink (under `mutex`)
};

// How far ahead of the sink a worker may start a replication, in replications per thread: enough
// that workers rarely wait for a slow predecessor, few enough that held results stay small.
constexpr std::uint64_t kLeadPerThread = 4;

}  // namespace

BatchReport run_batch(const Scenario& scenario, const BatchOptions& options, ResultSink& sink,
                      const std::atomic<bool>* cancel) {
    const int threads = resolve_thread_count(options.threads);
    const WorkList work = options.work_list();
    const std::uint64_t count = work.size();
    const auto start = std::chrono::steady_clock::now();

    BatchState state;
    ProgressReporter progress(options.progress, count);

    const std::uint64_t lead = kLeadPerThread * static_cast<std::uint64_t>(threads);
    auto worker_loop = [&] {
        while (!state.stop.load(std::memory_order_relaxed)) {
            const std::uint64_t offset = state.next.fetch_add(1);
            if (offset >= count) {
                return;
            }
            {
                // Waits (woken by the sink's progress or a stop) while too far ahead.
                std::unique_lock lock(state.mutex);
                state.room.wait(lock,
                                [&] { return offset < state.sunk + lead || state.stop.load(); });
                if (state.stop.load()) {
                    return;
                }
            }
            ReplicationContext context;
            context.master_seed = options.master_seed;
            context.replication = work[offset];
            context.cancel = &state.stop;
            const ReplicationTimer timer;
            ReplicationResult result = scenario.run(context);
            timer.record(result);
            if (state.stop.load()) {
                return;
            }
            std::lock_guard lock(state.mutex);
            state.ready.emplace(offset, std::move(result));
            state.changed.notify_one();
        }
    };

    // The arena runs on its own thread so that this thread stays free to hand results to the
    // sink (in order) and to draw progress while the workers compute.
    std::thread driver([&] {
        try {
            // oneTBB gives an arena no more workers than the process's allowed parallelism (the
            // cores, by default), whatever the arena asks for: raised to the request for the
            // batch, so that the batch runs, and the results record, the threads asked for.
            const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(threads));
            tbb::task_arena arena(threads);
            arena.execute([&] {
                tbb::task_group group;
                for (int t = 0; t < threads; ++t) {
                    group.run([&] {
                        try {
                            worker_loop();
                        } catch (...) {
                            std::lock_guard lock(state.mutex);
                            if (!state.failure) {
                                state.failure = std::current_exception();
                            }
                            state.stop = true;
                        }
                    });
                }
                group.wait();
            });
        } catch (...) {
            std::lock_guard lock(state.mutex);
            if (!state.failure) {
                state.failure = std::current_exception();
            }
            state.stop = true;
        }
        std::lock_guard lock(state.mutex);
        state.workers_done = true;
        state.changed.notify_one();
    });

    BatchReport report;
    report.threads = threads;
    std::exception_ptr sink_failure;
    std::uint64_t next_to_sink = 0;
    while (true) {
        std::optional<ReplicationResult> in_order;
        bool finished = false;
        {
            std::unique_lock lock(state.mutex);
            state.changed.wait_for(lock, std::chrono::milliseconds(200), [&] {
                return state.workers_done || state.ready.count(next_to_sink) != 0;
            });
            const auto it = state.ready.find(next_to_sink);
            if (it != state.ready.end()) {
                in_order = std::move(it->second);
                state.ready.erase(it);
            } else {
                finished = state.workers_done;
            }
        }
        if (cancel != nullptr && cancel->load()) {
            state.stop = true;
        }
        if (in_order && state.stop.load()) {
            std::lock_guard lock(state.mutex);
            state.ready.emplace(next_to_sink, std::move(*in_order));  // kept below
        } else if (in_order) {
            report.events += in_order->events;
            const auto sink_start = std::chrono::steady_clock::now();
            try {
                sink.consume(work[next_to_sink], std::move(*in_order));
            } catch (...) {
                sink_failure = std::current_exception();
                state.stop = true;
            }
            report.sink_seconds +=
                std::chrono::duration<double>(std::chrono::steady_clock::now() - sink_start)
                    .count();
            ++next_to_sink;
            report.completed = next_to_sink;
        }
        {
            std::lock_guard lock(state.mutex);
            state.sunk = next_to_sink;
        }
        state.room.notify_all();
        progress.update(next_to_sink);
        if (finished || state.stop.load()) {
            break;
        }
    }
    {
        // Workers waiting for room must see the stop (taken under the lock: no lost wake-up).
        std::lock_guard lock(state.mutex);
        state.stop = true;
    }
    state.room.notify_all();
    driver.join();
    report.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    if (sink_failure) {
        std::rethrow_exception(sink_failure);
    }
    if (state.failure) {
        std::rethrow_exception(state.failure);
    }
    if (cancel != nullptr && cancel->load()) {
        // Workers have stopped: whatever finished is handed over, so nothing finished is lost.
        for (auto& [offset, result] : state.ready) {
            sink.keep_unordered(work[offset], std::move(result));
        }
        throw BatchCancelled();
    }
    progress.finish(next_to_sink);
    return report;
}

void MemorySink::consume(std::uint64_t replication, ReplicationResult&& result) {
    replications.push_back(replication);
    results.push_back(std::move(result));
}

}  // namespace icsflow::sim
