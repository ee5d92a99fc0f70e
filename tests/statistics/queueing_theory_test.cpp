// The reference queueing model against exact queueing theory.
//
// Formulas (Poisson arrivals at rate lambda, exponential service at rate mu per server, c
// servers, offered load a = lambda / mu, utilisation rho = a / c < 1):
//   Erlang C:   P(wait) = C(c, a) = B / (1 - rho (1 - B)), B the Erlang B formula
//               Wq = C(c, a) / (c mu - lambda),  Lq = lambda Wq,  L = Lq + a,  W = Wq + 1 / mu
//   Little:     L = lambda W for the whole system, Lq = lambda Wq for a queue.
//   Priority:   non-preemptive priority classes k = 1..K (1 first), common service rate:
//               Wq_k = W0 / ((1 - s_{k-1}) (1 - s_k)), W0 = C(c, a) / (c mu),
//               s_k = sum_{j <= k} lambda_j / (c mu)   (Cobham's formula, c servers)
//   Burke:      the departures of a stable M/M/c queue are Poisson at rate lambda, so the second
//               stage of a tandem of M/M/c stages is itself M/M/c (Jackson network), and the
//               mean time through the tandem is the sum of the stages' W.
// models::reference::erlang_c and priority_waits compute these; the tests compare the
// simulation with them.
//
// Standard errors: each replication is an independent run (its own random streams) of a queue
// warmed up from empty for many relaxation times, so each replication's estimate (a time
// average or a per-customer mean over a long window) is an approximately unbiased draw from one
// distribution. Their mean over R replications has standard error s / sqrt(R), s being the
// sample standard deviation across replications; the check is |mean - exact| <= 4 SE
// (statistical_check.hpp). Remaining biases (the finite window's edges, the ratio estimator of a
// per-customer mean) are O(1 / window) and far below one SE at these window lengths.
//
// Run with run_batch on 2 threads into a MemorySink, as the program does (the results do not
// depend on the thread count).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "models/reference/queueing_model.hpp"
#include "sim/output/moments.hpp"
#include "sim/runner/batch_runner.hpp"
#include "statistical_check.hpp"

namespace icsflow::models::reference {
namespace {

using sim::Moments;
using test::expect_within_standard_errors;

// A run of `days` recorded days after `warmup` days from empty.
sim::RunSettings run_settings(int days, double warmup) {
    sim::RunSettings run;
    run.model = "queueing";
    run.start_date = sim::Date{std::chrono::year{2020}, std::chrono::January, std::chrono::day{6}};
    run.end_date = sim::Date{std::chrono::sys_days{run.start_date} + std::chrono::days{days - 1}};
    run.warmup_days = warmup;
    return run;
}

struct Batch {
    QueueingScenario scenario;
    sim::MemorySink sink;

    // Moments over the replications of summary `name`.
    [[nodiscard]] Moments summary(const std::string& name) const {
        const auto id = scenario.schema().summary_id(name);
        Moments m;
        for (const auto& result : sink.results) {
            m.add(result.summaries[id]);
        }
        return m;
    }
};

Batch simulate(QueueingParameters parameters, int days, double warmup, std::uint64_t replications,
               std::uint64_t seed) {
    Batch batch{QueueingScenario(std::move(parameters), run_settings(days, warmup)), {}};
    sim::BatchOptions options;
    options.master_seed = seed;
    options.replications = replications;
    options.threads = 2;
    options.progress = sim::ProgressMode::none;
    static_cast<void>(sim::run_batch(batch.scenario, options, batch.sink));
    EXPECT_EQ(batch.sink.results.size(), replications);
    return batch;
}

// Little's law L = lambda W, per replication on that replication's own estimates of L, lambda
// and W: the mean of the differences must be within 4 SE of zero, and 4 SE within 1% of L.
void expect_littles_law(const Batch& batch, double exact_l) {
    const auto& schema = batch.scenario.schema();
    const auto l = schema.summary_id("mean_in_system");
    const auto lambda = schema.summary_id("arrival_rate");
    const auto w = schema.summary_id("mean_sojourn");
    Moments difference;
    for (const auto& r : batch.sink.results) {
        difference.add(r.summaries[l] - r.summaries[lambda] * r.summaries[w]);
    }
    expect_within_standard_errors("L - lambda W", difference, 0.0, 0.01 * exact_l);
}

// The same for each stage's queue: Lq = lambda Wq.
void expect_littles_law_for_queue(const Batch& batch, int stage, double exact_lq) {
    const auto& schema = batch.scenario.schema();
    const std::string prefix = "stage_" + std::to_string(stage);
    const auto lq = schema.summary_id(prefix + "_mean_in_queue");
    const auto lambda = schema.summary_id("arrival_rate");
    const auto wq = schema.summary_id(prefix + "_mean_wait");
    Moments difference;
    for (const auto& r : batch.sink.results) {
        difference.add(r.summaries[lq] - r.summaries[lambda] * r.summaries[wq]);
    }
    expect_within_standard_errors(prefix + ": Lq - lambda Wq", difference, 0.0, 0.02 * exact_lq);
}

void expect_erlang_c(const Batch& batch, int stage, const ErlangC& exact) {
    const std::string prefix = "stage_" + std::to_string(stage);
    expect_within_standard_errors(prefix + " P(wait)",
                                  batch.summary(prefix + "_probability_of_wait"),
                                  exact.probability_of_wait, 0.05);
    expect_within_standard_errors(prefix + " Wq", batch.summary(prefix + "_mean_wait"),
                                  exact.mean_wait_in_queue, 0.1);
    expect_within_standard_errors(prefix + " Lq", batch.summary(prefix + "_mean_in_queue"),
                                  exact.mean_in_queue, 0.1);
}

TEST(ErlangC, ExactValuesForKnownCases) {
    // M/M/1: P(wait) = rho, Wq = rho / (mu - lambda).
    const ErlangC one = erlang_c(0.8, 1.0, 1);
    EXPECT_NEAR(one.probability_of_wait, 0.8, 1e-12);
    EXPECT_NEAR(one.mean_wait_in_queue, 4.0, 1e-12);
    EXPECT_NEAR(one.mean_in_queue, 3.2, 1e-12);
    EXPECT_NEAR(one.mean_in_system, 4.0, 1e-12);
    // M/M/2, a = 1: B = 1/5, C = (1/5) / (1 - (1/2)(4/5)) = 1/3, Wq = (1/3) / (2 - 1).
    const ErlangC two = erlang_c(1.0, 1.0, 2);
    EXPECT_NEAR(two.probability_of_wait, 1.0 / 3.0, 1e-12);
    EXPECT_NEAR(two.mean_wait_in_queue, 1.0 / 3.0, 1e-12);
    // M/M/10 at rho 0.9 (configs/mmc.toml): C = 0.6687.
    const ErlangC ten = erlang_c(9.0, 1.0, 10);
    EXPECT_NEAR(ten.probability_of_wait, 0.6687, 5e-5);
    EXPECT_NEAR(ten.mean_in_system, 15.02, 5e-3);
    EXPECT_TRUE(std::isinf(erlang_c(3.0, 1.0, 3).mean_wait_in_queue));  // rho = 1: unstable
    // With one class the priority formula is Erlang C; the classes' waits average to it
    // (conservation of work), and higher priority waits less.
    EXPECT_NEAR(priority_waits({9.0}, 1.0, 10)[0], ten.mean_wait_in_queue, 1e-12);
    const auto waits = priority_waits({0.32, 0.48, 0.8}, 1.0, 2);
    const double all = erlang_c(1.6, 1.0, 2).mean_wait_in_queue;
    EXPECT_NEAR((0.32 * waits[0] + 0.48 * waits[1] + 0.8 * waits[2]) / 1.6, all, 1e-12);
    EXPECT_LT(waits[0], waits[1]);
    EXPECT_LT(waits[1], waits[2]);
}

QueueingParameters single_stage(double lambda, double mu, std::uint32_t servers,
                                sim::QueueDiscipline discipline = sim::QueueDiscipline::fifo) {
    QueueingParameters p;
    p.arrival_rate = lambda;
    p.stages = {Stage{servers, mu, discipline}};
    p.classes = {CustomerClass{"all", 1.0, 1}};
    return p;
}

// M/M/10 at utilisation 0.9 (the shipped reference configuration): 40 replications of 8000 days
// after 400 days of warm-up (the relaxation time is a few tens of days).
TEST(QueueingTheory, MMcTenServersAtUtilisationPointNine) {
    const double lambda = 9.0;
    const double mu = 1.0;
    const Batch batch = simulate(single_stage(lambda, mu, 10), 8000, 400.0, 40, 20201006);
    const ErlangC exact = erlang_c(lambda, mu, 10);
    expect_erlang_c(batch, 1, exact);
    expect_within_standard_errors("L", batch.summary("mean_in_system"), exact.mean_in_system, 0.1);
    expect_within_standard_errors("W", batch.summary("mean_sojourn"),
                                  exact.mean_wait_in_queue + 1.0 / mu, 0.1);
    expect_within_standard_errors("arrival rate", batch.summary("arrival_rate"), lambda, 0.01);
    expect_within_standard_errors("throughput", batch.summary("throughput"), lambda, 0.01);
    expect_littles_law(batch, exact.mean_in_system);
    expect_littles_law_for_queue(batch, 1, exact.mean_in_queue);
}

// M/M/3 at utilisation 0.7.
TEST(QueueingTheory, MMcThreeServersAtUtilisationPointSeven) {
    const double lambda = 2.1;
    const double mu = 1.0;
    const Batch batch = simulate(single_stage(lambda, mu, 3), 12000, 200.0, 40, 777);
    const ErlangC exact = erlang_c(lambda, mu, 3);
    expect_erlang_c(batch, 1, exact);
    expect_within_standard_errors("W", batch.summary("mean_sojourn"),
                                  exact.mean_wait_in_queue + 1.0 / mu, 0.05);
    expect_littles_law(batch, exact.mean_in_system);
    expect_littles_law_for_queue(batch, 1, exact.mean_in_queue);
}

// Longest-wait-first with two classes of different priority is FIFO within a single stage
// (`since` is the time of joining the queue), so Erlang C holds for every class.
TEST(QueueingTheory, LongestWaitFirstIgnoresClassesAndMatchesErlangC) {
    QueueingParameters p = single_stage(2.1, 1.0, 3, sim::QueueDiscipline::longest_wait_first);
    p.classes = {{"urgent", 0.4, 1}, {"routine", 0.6, 2}};
    const Batch batch = simulate(p, 12000, 200.0, 40, 4242);
    const ErlangC exact = erlang_c(2.1, 1.0, 3);
    expect_within_standard_errors("urgent Wq", batch.summary("stage_1_mean_wait_urgent"),
                                  exact.mean_wait_in_queue, 0.15);
    expect_within_standard_errors("routine Wq", batch.summary("stage_1_mean_wait_routine"),
                                  exact.mean_wait_in_queue, 0.15);
}

// Non-preemptive priority at an M/M/2 stage, utilisation 0.8, three classes of 20%, 30% and 50%
// of arrivals, served priority first (FIFO within a class).
TEST(QueueingTheory, NonPreemptivePriorityWaitsPerClass) {
    const double lambda = 1.6;
    const double mu = 1.0;
    QueueingParameters p =
        single_stage(lambda, mu, 2, sim::QueueDiscipline::priority_then_longest_wait);
    p.classes = {{"p1", 0.2, 1}, {"p2", 0.3, 2}, {"p3", 0.5, 3}};
    const Batch batch = simulate(p, 16000, 400.0, 40, 31337);
    const std::vector<double> exact =
        priority_waits({0.2 * lambda, 0.3 * lambda, 0.5 * lambda}, mu, 2);
    expect_within_standard_errors("class p1 Wq", batch.summary("stage_1_mean_wait_p1"), exact[0],
                                  0.1);
    expect_within_standard_errors("class p2 Wq", batch.summary("stage_1_mean_wait_p2"), exact[1],
                                  0.1);
    expect_within_standard_errors("class p3 Wq", batch.summary("stage_1_mean_wait_p3"), exact[2],
                                  0.1);
    // The order of service does not change the all-class figures: Erlang C still holds.
    expect_erlang_c(batch, 1, erlang_c(lambda, mu, 2));
    expect_littles_law(batch, erlang_c(lambda, mu, 2).mean_in_system);
}

// A tandem of M/M/2 (utilisation 0.75) and M/M/3 (utilisation 0.833): by Burke's theorem the
// second stage sees Poisson arrivals at rate lambda and is M/M/3 on its own.
TEST(QueueingTheory, TandemSecondStageIsErlangCByBurke) {
    const double lambda = 1.5;
    QueueingParameters p;
    p.arrival_rate = lambda;
    p.stages = {Stage{2, 1.0, sim::QueueDiscipline::fifo},
                Stage{3, 0.6, sim::QueueDiscipline::fifo}};
    p.classes = {CustomerClass{"all", 1.0, 1}};
    const Batch batch = simulate(p, 16000, 400.0, 40, 1848);
    const ErlangC first = erlang_c(lambda, 1.0, 2);
    const ErlangC second = erlang_c(lambda, 0.6, 3);
    expect_erlang_c(batch, 1, first);
    expect_erlang_c(batch, 2, second);
    const double w = first.mean_wait_in_queue + 1.0 / 1.0 + second.mean_wait_in_queue + 1.0 / 0.6;
    expect_within_standard_errors("W through both stages", batch.summary("mean_sojourn"), w, 0.05);
    expect_within_standard_errors("L of both stages", batch.summary("mean_in_system"),
                                  first.mean_in_system + second.mean_in_system, 0.05);
    expect_littles_law(batch, first.mean_in_system + second.mean_in_system);
    expect_littles_law_for_queue(batch, 2, second.mean_in_queue);
}

}  // namespace
}  // namespace icsflow::models::reference
