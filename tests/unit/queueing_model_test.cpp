// The reference queueing model's outputs: schema, and bookkeeping identities that hold exactly in
// every replication (the comparisons with queueing theory are in tests/statistics).
#include "models/reference/queueing_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "sim/output/reporting_periods.hpp"

namespace icsflow::models::reference {
namespace {

sim::RunSettings run_settings() {
    sim::RunSettings run;
    run.model = "queueing";
    run.start_date = sim::Date{std::chrono::year{2020}, std::chrono::January, std::chrono::day{6}};
    run.end_date = sim::Date{std::chrono::year{2020}, std::chrono::December, std::chrono::day{31}};
    run.warmup_days = 30.0;
    return run;
}

QueueingParameters tandem_with_classes() {
    QueueingParameters p;
    p.arrival_rate = 6.0;
    p.stages = {{4, 2.0, sim::QueueDiscipline::priority_then_longest_wait},
                {3, 2.5, sim::QueueDiscipline::fifo}};
    p.classes = {{"urgent", 0.2, 1}, {"routine", 0.8, 2}};
    return p;
}

TEST(QueueingModel, SchemaDeclaresSeriesAndSummariesPerStageAndClass) {
    const QueueingScenario scenario(tandem_with_classes(), run_settings());
    const sim::OutputSchema& schema = scenario.schema();
    // 2020-01-06 .. 2020-12-31: 361 days, 52 weeks (the last partial), 12 months.
    EXPECT_EQ(schema.series_shape(schema.series_id("queue_length")),
              (std::vector<std::size_t>{52, 2}));
    EXPECT_EQ(schema.series_shape(schema.series_id("served")), (std::vector<std::size_t>{52, 2}));
    EXPECT_EQ(schema.series_shape(schema.series_id("in_system")), (std::vector<std::size_t>{12}));
    EXPECT_EQ(schema.category_axis("stage").labels,
              (std::vector<std::string>{"stage_1", "stage_2"}));
    for (const char* name :
         {"arrival_rate", "throughput", "mean_in_system", "mean_sojourn", "customers",
          "stage_1_mean_wait", "stage_1_probability_of_wait", "stage_1_mean_in_queue",
          "stage_2_mean_wait", "stage_1_mean_wait_urgent", "stage_2_mean_wait_routine"}) {
        EXPECT_NO_THROW(static_cast<void>(schema.summary_id(name))) << name;
    }
    EXPECT_EQ(schema.summaries().size(), 5U + 2U * (3U + 2U));

    // One class: no per-class summaries.
    QueueingParameters single = tandem_with_classes();
    single.classes = {{"all", 1.0, 1}};
    const QueueingScenario one(single, run_settings());
    EXPECT_EQ(one.schema().summaries().size(), 5U + 2U * 3U);
}

// Identities that must hold exactly (up to rounding) in any one replication.
TEST(QueueingModel, SeriesAddUpToTheSummaries) {
    const QueueingScenario scenario(tandem_with_classes(), run_settings());
    const sim::OutputSchema& schema = scenario.schema();
    const double horizon = run_settings().horizon_days();
    for (std::uint64_t replication = 0; replication < 3; ++replication) {
        const sim::ReplicationResult r = scenario.run(sim::ReplicationContext{11, replication, {}});
        auto summary = [&](const std::string& name) {
            return r.summaries[schema.summary_id(name)];
        };
        for (const double v : r.summaries) {
            EXPECT_TRUE(std::isfinite(v));
        }
        EXPECT_GT(r.events, 0U);
        const sim::TimeAxis& weeks = schema.time_axis("week");
        const sim::TimeAxis& months = schema.time_axis("month");
        const auto& served = r.series[schema.series_id("served")];
        const auto& queue = r.series[schema.series_id("queue_length")];
        const auto& in_system = r.series[schema.series_id("in_system")];

        // Departures from the last stage over the weeks = throughput x horizon.
        double completed = 0.0;
        std::vector<double> queue_integral(2, 0.0);
        for (std::size_t w = 0; w < weeks.start.size(); ++w) {
            completed += served[w * 2 + 1];
            for (std::size_t s = 0; s < 2; ++s) {
                queue_integral[s] += queue[w * 2 + s] * (weeks.end[w] - weeks.start[w]);
            }
        }
        EXPECT_NEAR(completed, summary("throughput") * horizon, 1e-9);
        // Weekly time-averages weighted by week length give the run's time-average.
        EXPECT_NEAR(queue_integral[0] / horizon, summary("stage_1_mean_in_queue"), 1e-9);
        EXPECT_NEAR(queue_integral[1] / horizon, summary("stage_2_mean_in_queue"), 1e-9);
        double system_integral = 0.0;
        for (std::size_t m = 0; m < months.start.size(); ++m) {
            system_integral += in_system[m] * (months.end[m] - months.start[m]);
        }
        EXPECT_NEAR(system_integral / horizon, summary("mean_in_system"), 1e-9);
        // The classes' waits average (weighted by their counts, unknown here) to the overall
        // wait: it lies between them.
        const double lo =
            std::min(summary("stage_1_mean_wait_urgent"), summary("stage_1_mean_wait_routine"));
        const double hi =
            std::max(summary("stage_1_mean_wait_urgent"), summary("stage_1_mean_wait_routine"));
        EXPECT_GE(summary("stage_1_mean_wait"), lo);
        EXPECT_LE(summary("stage_1_mean_wait"), hi);
        // Priority: the urgent class waits less at the priority stage.
        EXPECT_LT(summary("stage_1_mean_wait_urgent"), summary("stage_1_mean_wait_routine"));
        const double p = summary("stage_1_probability_of_wait");
        EXPECT_GT(p, 0.0);
        EXPECT_LT(p, 1.0);
        // Time in the system exceeds the mean service times of both stages plus the waits.
        EXPECT_GT(summary("mean_sojourn"),
                  summary("stage_1_mean_wait") + summary("stage_2_mean_wait"));
        // Arrivals in the window against the customers generated (warm-up included).
        EXPECT_LE(summary("arrival_rate") * horizon, summary("customers"));
    }
}

TEST(QueueingModel, MaxCustomersStopsArrivals) {
    QueueingParameters p = tandem_with_classes();
    p.max_customers = 250;
    sim::RunSettings run = run_settings();
    run.warmup_days = 0.0;
    const QueueingScenario scenario(p, run);
    const sim::ReplicationResult r = scenario.run(sim::ReplicationContext{5, 0, {}});
    const sim::OutputSchema& schema = scenario.schema();
    EXPECT_EQ(r.summaries[schema.summary_id("customers")], 250.0);
    // 250 customers at 6 a day arrive within about 42 days and have all left long before the
    // end: every one arrived and departed in the recorded window.
    const double horizon = run.horizon_days();
    EXPECT_NEAR(r.summaries[schema.summary_id("arrival_rate")] * horizon, 250.0, 1e-9);
    EXPECT_NEAR(r.summaries[schema.summary_id("throughput")] * horizon, 250.0, 1e-9);
    // Two events per customer per stage: an arrival, a departure from each of two stages.
    EXPECT_EQ(r.events, 250U * 3U);
}

TEST(QueueingModel, ACancelledReplicationReturnsEarly) {
    QueueingParameters p = tandem_with_classes();
    p.arrival_rate = 5000.0;
    p.stages = {{6000, 1.0, sim::QueueDiscipline::fifo}};
    const QueueingScenario scenario(p, run_settings());
    std::atomic<bool> cancel{true};
    const sim::ReplicationResult r = scenario.run(sim::ReplicationContext{5, 0, &cancel});
    // Stopped at the first poll (2^16 events) instead of running millions of events.
    EXPECT_EQ(r.events, 65536U);
}

}  // namespace
}  // namespace icsflow::models::reference
