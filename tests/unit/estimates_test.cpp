// Interval estimates, the comparison of results files and the lever search, on cases with exact
// answers: closed forms of the Wilson interval, Student t table values, a synthetic monotone
// probability for the search.
#include "sim/analysis/estimates.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sim/analysis/comparison.hpp"
#include "sim/analysis/lever_search.hpp"

namespace icsflow::sim {
namespace {

constexpr double kZ95 = 1.959963984540054;

TEST(Wilson, AllOrNoneMetGiveTheClosedFormNotAZeroWidthInterval) {
    // 0 of n: [0, z^2 / (n + z^2)]; n of n: [n / (n + z^2), 1].
    for (const std::size_t n : {1U, 20U, 100U}) {
        const double count = static_cast<double>(n);
        const ProbabilityEstimate none = estimate_probability(0, n);
        EXPECT_EQ(none.probability, 0.0);
        EXPECT_EQ(none.interval.low, 0.0);
        EXPECT_NEAR(none.interval.high, kZ95 * kZ95 / (count + kZ95 * kZ95), 1e-12);
        const ProbabilityEstimate all = estimate_probability(n, n);
        EXPECT_EQ(all.probability, 1.0);
        EXPECT_NEAR(all.interval.low, count / (count + kZ95 * kZ95), 1e-12);
        EXPECT_EQ(all.interval.high, 1.0);
    }
}

TEST(Wilson, MatchesThePublishedExample) {
    // Newcombe (1998), Statistics in Medicine 17:857, table II: 81 of 263 gives 0.2553 to 0.3662.
    const ProbabilityEstimate p = estimate_probability(81, 263);
    EXPECT_NEAR(p.interval.low, 0.2553, 5e-5);
    EXPECT_NEAR(p.interval.high, 0.3662, 5e-5);
    // From indicators, NaN left out.
    const ProbabilityEstimate q = estimate_probability(std::vector<double>{1, 0, NAN, 1, 1});
    EXPECT_EQ(q.n, 4U);
    EXPECT_EQ(q.successes, 3U);
    EXPECT_EQ(q.probability, 0.75);
}

TEST(MeanInterval, UsesStudentT) {
    // Differences 1, 2, 3: mean 2, SD 1, t(0.975, 2) = 4.302653.
    const MeanEstimate d = paired_difference({10, 20, 30}, {11, 22, 33});
    EXPECT_DOUBLE_EQ(d.mean, 2.0);
    EXPECT_NEAR(d.half_width(), 4.302653 / std::sqrt(3.0), 1e-6);
    EXPECT_NEAR(student_t_multiplier(0.95, 10), 2.228139, 1e-6);
    // NaN replications are left out of both.
    const MeanEstimate m = estimate_mean({1.0, NAN, 3.0});
    EXPECT_EQ(m.n, 2U);
    EXPECT_DOUBLE_EQ(m.mean, 2.0);
}

TEST(Differences, PairingRemovesTheCommonVariation) {
    // b = a + 1 exactly: the paired interval is the point 1; Welch's is wide, since a varies.
    const std::vector<double> a{1, 5, 2, 8, 3, 9};
    std::vector<double> b;
    for (const double v : a) {
        b.push_back(v + 1.0);
    }
    const MeanEstimate paired = paired_difference(a, b);
    EXPECT_DOUBLE_EQ(paired.mean, 1.0);
    EXPECT_DOUBLE_EQ(paired.half_width(), 0.0);
    const MeanEstimate unpaired = unpaired_difference(a, b);
    EXPECT_DOUBLE_EQ(unpaired.mean, 1.0);
    EXPECT_GT(unpaired.half_width(), 2.0);
    // Welch with equal variances and sizes: df = 2(n - 1), se^2 = 2 s^2 / n.
    const std::vector<double> x{1, 2, 3, 4};
    const std::vector<double> y{2, 3, 4, 5};
    const MeanEstimate welch = unpaired_difference(x, y);
    const double s2 = 5.0 / 3.0;
    EXPECT_NEAR(welch.half_width(), student_t_multiplier(0.95, 6) * std::sqrt(2 * s2 / 4), 1e-12);
}

TEST(Differences, ProbabilityDifferencesAreNewcombeIntervals) {
    // Unpaired: Newcombe's method 10 combines the two Wilson intervals.
    const std::vector<double> a{1, 1, 0, 0, 0, 0, 0, 0, 0, 0};  // 2 of 10
    const std::vector<double> b{1, 1, 1, 1, 1, 1, 0, 0, 0, 0};  // 6 of 10
    const ProbabilityEstimate pa = estimate_probability(a);
    const ProbabilityEstimate pb = estimate_probability(b);
    const MeanEstimate unpaired = unpaired_probability_difference(a, b);
    EXPECT_DOUBLE_EQ(unpaired.mean, 0.4);
    EXPECT_NEAR(
        unpaired.interval.low,
        0.4 - std::hypot(pb.probability - pb.interval.low, pa.interval.high - pa.probability),
        1e-12);
    EXPECT_NEAR(
        unpaired.interval.high,
        0.4 + std::hypot(pb.interval.high - pb.probability, pa.probability - pa.interval.low),
        1e-12);
    // Paired, with b met wherever a is (positive correlation): narrower than unpaired.
    const MeanEstimate paired = paired_probability_difference(a, b);
    EXPECT_DOUBLE_EQ(paired.mean, 0.4);
    EXPECT_LT(paired.interval.high - paired.interval.low,
              unpaired.interval.high - unpaired.interval.low);
    EXPECT_GT(paired.interval.low, 0.0);
    // Identical indicators: the difference is 0, its interval is not of zero width.
    const MeanEstimate same = paired_probability_difference(b, b);
    EXPECT_EQ(same.mean, 0.0);
    EXPECT_LT(same.interval.low, 0.0);
    EXPECT_GT(same.interval.high, 0.0);
}

TEST(Quantile, InterpolatesLikeNumPy) {
    EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.5), 2.5);
    EXPECT_DOUBLE_EQ(quantile({1, 2, 3, 4, 5}, 0.05), 1.2);
    EXPECT_DOUBLE_EQ(quantile({1, 2, 3, 4, 5}, 0.95), 4.8);
}

StoredResults stored(const std::string& path, std::int64_t seed, std::size_t replications,
                     const std::vector<double>& values) {
    StoredResults r;
    r.path = path;
    r.model = "queueing";
    r.start_date = "2020-01-06";
    r.master_seed = seed;
    for (std::size_t i = 0; i < replications; ++i) {
        r.replications.push_back(static_cast<std::int64_t>(i));
    }
    r.time_axis_starts["month"] = {0.0, 26.0};
    r.time_axis_labels["month"] = {"2020-01", "2020-02"};
    r.summaries.push_back({"wait", "mean wait", "days", true, false, "", values});
    r.summaries.push_back(
        {"wait_met", "met", "1", true, true, "", std::vector<double>(values.size(), 1.0)});
    r.summaries.push_back({"peak", "peak month", "month index", true, false, "month",
                           std::vector<double>(values.size(), 1.0)});
    return r;
}

TEST(Comparison, PairsFilesAndRefusesThoseThatCannotBePaired) {
    const StoredResults a = stored("a.h5", 7, 3, {1.0, 2.0, 6.0});
    const StoredResults b = stored("b.h5", 7, 3, {2.0, 3.0, 7.0});
    const Comparison c = compare_results({a, b}, {"A", "B"}, false);
    ASSERT_EQ(c.measures.size(), 3U);
    EXPECT_EQ(c.measures[0].kind, MeasureKind::mean);
    EXPECT_DOUBLE_EQ(c.measures[0].scenarios[1].paired.mean, 1.0);
    EXPECT_DOUBLE_EQ(c.measures[0].scenarios[1].paired.half_width(), 0.0);
    EXPECT_GT(c.measures[0].scenarios[1].unpaired.half_width(), 1.0);
    EXPECT_EQ(c.measures[1].kind, MeasureKind::probability);
    EXPECT_EQ(c.measures[1].scenarios[0].estimate, 1.0);
    EXPECT_LT(c.measures[1].scenarios[0].range.low, 1.0);  // Wilson, not 1 +- 0
    EXPECT_EQ(c.measures[2].kind, MeasureKind::period);
    EXPECT_EQ(c.measures[2].scenarios[0].label, "2020-02 (3 of 3)");

    const auto refusal = [&](const StoredResults& other) {
        try {
            check_pairable({a, other});
        } catch (const UnpairableResults& e) {
            return std::string(e.what());
        }
        return std::string("paired");
    };
    EXPECT_NE(refusal(stored("s.h5", 8, 3, {1, 2, 3})).find("different master seeds"),
              std::string::npos);
    EXPECT_NE(refusal(stored("r.h5", 7, 4, {1, 2, 3, 4})).find("different replication sets"),
              std::string::npos);
    StoredResults model = b;
    model.model = "blmk";
    EXPECT_NE(refusal(model).find("different models"), std::string::npos);
    StoredResults period = b;
    period.time_axis_starts["month"] = {0.0, 31.0};
    EXPECT_NE(refusal(period).find("different simulated periods"), std::string::npos);
    EXPECT_EQ(refusal(b), "paired");
}

TEST(LeverSearch, FindsTheSmallestValueThatMeetsTheProbability) {
    // P(met) rises by 0.1 per unit of the lever from 0 at 0: P >= 0.9 first at 9.
    const auto evaluate = [](double lever) {
        LeverEvaluation e;
        e.lever = lever;
        const auto met = static_cast<std::size_t>(std::clamp(lever, 0.0, 10.0) * 100.0);
        e.probability = estimate_probability(met, 1000);
        return e;
    };
    LeverSearchOptions options;
    options.low = 0;
    options.high = 20;
    options.integer = true;
    options.probability = 0.9;
    const LeverSearchResult whole = search_smallest_lever(evaluate, options);
    ASSERT_TRUE(whole.found);
    EXPECT_EQ(whole.answer, 9.0);
    EXPECT_LE(whole.evaluations.size(), 7U);  // bisection, not a sweep
    ASSERT_TRUE(whole.clearly_missed.has_value());
    EXPECT_EQ(*whole.clearly_missed, 8.0);
    // Real-valued: bracketed to the resolution.
    options.integer = false;
    options.resolution = 0.01;
    const LeverSearchResult real = search_smallest_lever(evaluate, options);
    ASSERT_TRUE(real.found);
    EXPECT_GE(real.answer, 9.0);
    EXPECT_LE(real.answer, 9.01);
    // Out of reach within the range.
    options.high = 5;
    EXPECT_FALSE(search_smallest_lever(evaluate, options).found);
}

}  // namespace
}  // namespace icsflow::sim
