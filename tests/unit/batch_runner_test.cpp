// The batch runner: results reach the sink in replication order whatever the thread count, with
// values that depend only on the replication; failures and cancellation stop the batch.
#include "sim/runner/batch_runner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>
#include <vector>

#include "models/reference/queueing_model.hpp"
#include "test_scenarios.hpp"

namespace icsflow::sim {
namespace {

using test::TinyScenario;

BatchOptions options(std::uint64_t replications, int threads, std::uint64_t first = 0) {
    BatchOptions o;
    o.master_seed = 7;
    o.first_replication = first;
    o.replications = replications;
    o.threads = threads;
    o.progress = ProgressMode::none;
    return o;
}

// Replications that take different times (9, 6, 3, 0 ms, repeating: each takes longer than the
// next), so that with several threads they finish out of order and the runner has to reorder
// them. No assertion depends on the timing.
class UnevenScenario : public TinyScenario {
  public:
    [[nodiscard]] ReplicationResult run(const ReplicationContext& context) const override {
        const auto delay = static_cast<int>(3 * (3 - context.replication % 4));
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        return TinyScenario::run(context);
    }
};

TEST(BatchRunner, ResultsArriveInReplicationOrderOnAnyThreadCount) {
    const UnevenScenario scenario;
    for (const int threads : {1, 2, 4}) {
        MemorySink sink;
        const BatchReport report = run_batch(scenario, options(24, threads, 100), sink);
        EXPECT_EQ(report.completed, 24U);
        EXPECT_EQ(report.threads, threads);
        ASSERT_EQ(sink.replications.size(), 24U);
        std::uint64_t events = 0;
        for (std::uint64_t i = 0; i < 24; ++i) {
            EXPECT_EQ(sink.replications[i], 100 + i) << threads << " threads";
            // The result is the one computed for that replication.
            EXPECT_EQ(sink.results[i].summaries[0], 1.5 * static_cast<double>(100 + i));
            EXPECT_EQ(sink.results[i].events, 110 + i);
            events += sink.results[i].events;
        }
        EXPECT_EQ(report.events, events);
    }
}

TEST(BatchRunner, ZeroReplicationsIsAnEmptyBatch) {
    const TinyScenario scenario;
    MemorySink sink;
    const BatchReport report = run_batch(scenario, options(0, 2), sink);
    EXPECT_EQ(report.completed, 0U);
    EXPECT_TRUE(sink.results.empty());
}

TEST(BatchRunner, AnExceptionInAReplicationPropagatesAndStopsTheSinkBeforeIt) {
    const TinyScenario scenario(3);
    for (const int threads : {1, 2}) {
        MemorySink sink;
        EXPECT_THROW(static_cast<void>(run_batch(scenario, options(40, threads), sink)),
                     test::ReplicationFailure);
        // Whatever reached the sink is an in-order prefix that stops before replication 3.
        ASSERT_LE(sink.replications.size(), 3U);
        for (std::size_t i = 0; i < sink.replications.size(); ++i) {
            EXPECT_EQ(sink.replications[i], i);
        }
    }
}

class ThrowingSink : public ResultSink {
  public:
    void consume(std::uint64_t replication, ReplicationResult&&) override {
        if (replication == 2) {
            throw std::runtime_error("disk full");
        }
        ++consumed;
    }
    int consumed = 0;
};

TEST(BatchRunner, AnExceptionInTheSinkPropagates) {
    const TinyScenario scenario;
    ThrowingSink sink;
    try {
        static_cast<void>(run_batch(scenario, options(30, 2), sink));
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()), "disk full");
    }
    EXPECT_EQ(sink.consumed, 2);
}

TEST(BatchRunner, AnExternalCancelRaisesBatchCancelled) {
    const UnevenScenario scenario;
    std::atomic<bool> cancel{true};
    MemorySink sink;
    EXPECT_THROW(static_cast<void>(run_batch(scenario, options(1000, 2), sink, &cancel)),
                 BatchCancelled);
    EXPECT_LT(sink.results.size(), 1000U);
}

// The first replication is slow; the others are instant and record how far ahead of it they got.
class SlowFirstScenario : public TinyScenario {
  public:
    [[nodiscard]] ReplicationResult run(const ReplicationContext& context) const override {
        if (context.replication == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            first_done.store(true);
        } else if (!first_done.load()) {
            std::uint64_t seen = furthest_while_first_ran.load();
            while (context.replication > seen &&
                   !furthest_while_first_ran.compare_exchange_weak(seen, context.replication)) {
            }
        }
        return TinyScenario::run(context);
    }
    mutable std::atomic<bool> first_done{false};
    mutable std::atomic<std::uint64_t> furthest_while_first_ran{0};
};

// Results wait in memory for their predecessors: while one replication is slow, the others must
// not run the whole batch ahead of it (memory would grow with the requested count).
TEST(BatchRunner, WorkersStayABoundedDistanceAheadOfTheSink) {
    const SlowFirstScenario scenario;
    MemorySink sink;
    const BatchReport report = run_batch(scenario, options(5000, 2), sink);
    EXPECT_EQ(report.completed, 5000U);
    EXPECT_LT(scenario.furthest_while_first_ran.load(), 16U);
}

// Replications that overlap in time, recording the most that ran at once.
class ConcurrencyProbe : public TinyScenario {
  public:
    [[nodiscard]] ReplicationResult run(const ReplicationContext& context) const override {
        const int now = ++running;
        int peak = most;
        while (now > peak && !most.compare_exchange_weak(peak, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        --running;
        return TinyScenario::run(context);
    }
    mutable std::atomic<int> running{0};
    mutable std::atomic<int> most{0};
};

// The threads a batch reports (and a results file records) are the threads that ran, even beyond
// the machine's cores (oneTBB alone would cap them at the cores).
TEST(BatchRunner, RunsAndReportsTheThreadsAskedFor) {
    const int threads = static_cast<int>(std::thread::hardware_concurrency()) + 3;
    const ConcurrencyProbe scenario;
    MemorySink sink;
    const BatchReport report = run_batch(scenario, options(threads, threads), sink);
    EXPECT_EQ(report.threads, threads);
    EXPECT_EQ(scenario.most.load(), threads);
}

TEST(BatchRunner, ThreadCounts) {
    EXPECT_EQ(resolve_thread_count(3), 3);
    EXPECT_EQ(resolve_thread_count(10'000'000), kMaxThreads);
    EXPECT_GE(resolve_thread_count(0), 1);
    EXPECT_EQ(progress_mode_from_string("none"), ProgressMode::none);
    EXPECT_EQ(progress_mode_from_string("bar"), ProgressMode::bar);
    EXPECT_THROW(static_cast<void>(progress_mode_from_string("fancy")), std::invalid_argument);
    EXPECT_EQ(format_duration(12.34), "12.3s");
    EXPECT_EQ(format_duration(185.0), "3m05s");
    EXPECT_EQ(format_duration(3720.0), "1h02m");
}

// The reference model gives bit-identical replications on 1 and 3 threads: every random stream
// is seeded from (master seed, replication, stream name) only.
TEST(BatchRunner, ReferenceModelResultsDoNotDependOnTheThreadCount) {
    models::reference::QueueingParameters p;
    p.arrival_rate = 4.0;
    p.stages = {{3, 1.6, QueueDiscipline::fifo},
                {2, 2.5, QueueDiscipline::priority_then_longest_wait}};
    p.classes = {{"urgent", 0.3, 1}, {"routine", 0.7, 2}};
    RunSettings run;
    run.model = "queueing";
    run.start_date = Date{std::chrono::year{2020}, std::chrono::January, std::chrono::day{6}};
    run.end_date = Date{std::chrono::year{2020}, std::chrono::June, std::chrono::day{30}};
    run.warmup_days = 20.0;
    const models::reference::QueueingScenario scenario(p, run);
    MemorySink one;
    MemorySink three;
    static_cast<void>(run_batch(scenario, options(9, 1), one));
    static_cast<void>(run_batch(scenario, options(9, 3), three));
    ASSERT_EQ(one.results.size(), 9U);
    ASSERT_EQ(three.results.size(), 9U);
    for (std::size_t i = 0; i < 9; ++i) {
        EXPECT_EQ(one.results[i].series, three.results[i].series) << "replication " << i;
        EXPECT_EQ(one.results[i].summaries, three.results[i].summaries) << "replication " << i;
        EXPECT_EQ(one.results[i].events, three.results[i].events);
    }
    // ... and different replications differ.
    EXPECT_NE(one.results[0].summaries, one.results[1].summaries);
}

}  // namespace
}  // namespace icsflow::sim
