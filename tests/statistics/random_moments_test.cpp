// Moments of every distribution helper of sim/random against their exact values, and the counts
// of a piecewise-constant-rate Poisson process against its integrated rate.
//
// For a sample x_1..x_n of independent draws with exact mean mu and variance v:
//   - the sample mean estimates mu with standard error s / sqrt(n) (s: sample standard
//     deviation of the x_i);
//   - the mean of the squared deviations (x_i - mu)^2 from the exact mean is an unbiased
//     estimate of v, itself a sample mean of independent values, so its standard error is the
//     sample standard deviation of the (x_i - mu)^2 over sqrt(n); it is finite because every
//     distribution here has a finite fourth moment.
// Both are compared with the exact value within 4 standard errors (statistical_check.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "sim/output/moments.hpp"
#include "sim/random/distributions.hpp"
#include "sim/random/random_stream.hpp"
#include "statistical_check.hpp"

namespace icsflow::sim {
namespace {

using test::expect_within_standard_errors;

constexpr std::uint64_t kSeed = 987654321;
constexpr int kDraws = 200000;

// Checks the mean and the variance of `draw` against `mean` and `variance`.
void check_moments(const std::string& name, const std::function<double(RandomStream&)>& draw,
                   double mean, double variance) {
    RandomStream stream(kSeed, 0, "moments/" + name);
    std::vector<double> xs(kDraws);
    Moments m;
    for (double& x : xs) {
        x = draw(stream);
        m.add(x);
    }
    // Deviations from the exact mean: their mean square estimates the variance without bias.
    Moments squares;
    for (const double x : xs) {
        squares.add((x - mean) * (x - mean));
    }
    expect_within_standard_errors(name + " mean", m, mean, 0.02);
    expect_within_standard_errors(name + " variance", squares, variance, 0.1);
}

double gamma_function(double x) {
    return std::tgamma(x);
}

TEST(DistributionMoments, StreamHelpers) {
    check_moments(
        "uniform", [](RandomStream& s) { return s.uniform(); }, 0.5, 1.0 / 12.0);
    check_moments(
        "uniform_open_zero", [](RandomStream& s) { return s.uniform_open_zero(); }, 0.5,
        1.0 / 12.0);
    check_moments(
        "exponential(rate 2)", [](RandomStream& s) { return s.exponential(2.0); }, 0.5, 0.25);
    check_moments(
        "bernoulli(0.3)", [](RandomStream& s) { return s.bernoulli(0.3) ? 1.0 : 0.0; }, 0.3, 0.21);
    check_moments(
        "uniform_index(10)",
        [](RandomStream& s) { return static_cast<double>(s.uniform_index(10)); }, 4.5, 8.25);
    check_moments(
        "poisson(3.5)", [](RandomStream& s) { return static_cast<double>(s.poisson(3.5)); }, 3.5,
        3.5);
    check_moments(
        "poisson(250)", [](RandomStream& s) { return static_cast<double>(s.poisson(250.0)); },
        250.0, 250.0);
    check_moments(
        "binomial(20, 0.3)",
        [](RandomStream& s) { return static_cast<double>(s.binomial(20, 0.3)); }, 6.0, 4.2);
    check_moments(
        "binomial(1000, 0.4)",
        [](RandomStream& s) { return static_cast<double>(s.binomial(1000, 0.4)); }, 400.0, 240.0);
    // Gamma(shape k, scale t): mean k t, variance k t^2; shape < 1 takes another algorithm.
    check_moments(
        "gamma(0.5, 2)", [](RandomStream& s) { return s.gamma(0.5, 2.0); }, 1.0, 2.0);
    check_moments(
        "gamma(3, 1.5)", [](RandomStream& s) { return s.gamma(3.0, 1.5); }, 4.5, 6.75);
    // Weibull(shape k, scale l): mean l G(1 + 1/k), variance l^2 (G(1 + 2/k) - G(1 + 1/k)^2).
    const double g1 = gamma_function(1.0 + 1.0 / 1.5);
    const double g2 = gamma_function(1.0 + 2.0 / 1.5);
    check_moments(
        "weibull(1.5, 4)", [](RandomStream& s) { return s.weibull(1.5, 4.0); }, 4.0 * g1,
        16.0 * (g2 - g1 * g1));
    check_moments(
        "lognormal_mean_sd(5, 3)", [](RandomStream& s) { return s.lognormal_mean_sd(5.0, 3.0); },
        5.0, 9.0);
}

TEST(DistributionMoments, DurationDistributions) {
    // Each family is parameterised by its mean (and SD): the sample must show both.
    for (const auto& [d, variance] : std::vector<std::pair<DurationDistribution, double>>{
             {DurationDistribution::exponential(4.0), 16.0},
             {DurationDistribution::lognormal(5.0, 3.0), 9.0},
             {DurationDistribution::gamma(5.0, 3.0), 9.0},
             {DurationDistribution::gamma(2.0, 4.0), 16.0},  // shape 0.25
             {DurationDistribution::lognormal(5.0, 3.0).scaled(2.0), 36.0},
         }) {
        check_moments(
            d.describe(), [&](RandomStream& s) { return d.sample(s); }, d.mean(), variance);
    }
    const double g1 = gamma_function(1.0 + 1.0 / 1.5);
    const double g2 = gamma_function(1.0 + 2.0 / 1.5);
    const auto weibull = DurationDistribution::weibull(1.5, 4.0);
    check_moments(
        weibull.describe(), [&](RandomStream& s) { return weibull.sample(s); }, weibull.mean(),
        16.0 * (g2 - g1 * g1));
    EXPECT_DOUBLE_EQ(weibull.mean(), 4.0 * g1);
}

TEST(DistributionMoments, CategoricalFrequencies) {
    const std::vector<double> weights{2.0, 5.0, 0.5, 2.5};  // probabilities 0.2, 0.5, 0.05, 0.25
    const Categorical categorical(weights);
    RandomStream stream(kSeed, 0, "moments/categorical");
    std::vector<Moments> indicator(weights.size());
    for (int i = 0; i < kDraws; ++i) {
        const std::size_t k = categorical.sample(stream);
        ASSERT_LT(k, weights.size());
        for (std::size_t j = 0; j < weights.size(); ++j) {
            indicator[j].add(j == k ? 1.0 : 0.0);
        }
    }
    for (std::size_t j = 0; j < weights.size(); ++j) {
        expect_within_standard_errors("categorical P(" + std::to_string(j) + ")", indicator[j],
                                      weights[j] / 10.0, 0.1);
    }
}

TEST(DistributionMoments, EmpiricalHistogram) {
    // Bins [0,1), [1,3), [3,7) with probabilities 1/4, 1/2, 1/4, uniform within each bin:
    // E[X] = sum p (a + b) / 2, E[X^2] = sum p (a^2 + ab + b^2) / 3.
    const std::vector<double> edges{0.0, 1.0, 3.0, 7.0};
    const std::vector<double> probabilities{0.25, 0.5, 0.25};
    double mean = 0.0;
    double second = 0.0;
    for (std::size_t i = 0; i < probabilities.size(); ++i) {
        const double a = edges[i];
        const double b = edges[i + 1];
        mean += probabilities[i] * (a + b) / 2.0;
        second += probabilities[i] * (a * a + a * b + b * b) / 3.0;
    }
    const EmpiricalHistogram histogram(edges, {1.0, 2.0, 1.0});
    check_moments(
        "histogram", [&](RandomStream& s) { return histogram.sample(s); }, mean,
        second - mean * mean);
    EXPECT_DOUBLE_EQ(mean, 2.375);
}

// A Poisson process with rate 2 on [0, 5), 0 on [5, 8), 4 on [8, 12) and 0.5 after: the number
// of arrivals in an interval is Poisson with mean the integral of the rate over it, so its
// variance equals that mean too. 20 000 independent paths of [0, 20).
TEST(PiecewiseConstantRateCounts, CountsInIntervalsArePoissonWithTheIntegratedRate) {
    const PiecewiseConstantRate rate({0.0, 5.0, 8.0, 12.0}, {2.0, 0.0, 4.0, 0.5});
    const std::vector<std::pair<double, double>> intervals{{0.0, 5.0},   {5.0, 8.0},  {8.0, 12.0},
                                                           {12.0, 20.0}, {3.0, 10.0}, {0.0, 20.0}};
    std::vector<Moments> counts(intervals.size());
    std::vector<Moments> squared_deviation(intervals.size());
    constexpr int kPaths = 20000;
    for (int path = 0; path < kPaths; ++path) {
        RandomStream stream(kSeed, static_cast<std::uint64_t>(path), "moments/arrivals");
        std::vector<double> n(intervals.size(), 0.0);
        for (double t = rate.next_arrival(0.0, stream); t < 20.0;
             t = rate.next_arrival(t, stream)) {
            ASSERT_FALSE(t >= 5.0 && t < 8.0) << "an arrival where the rate is zero: " << t;
            for (std::size_t i = 0; i < intervals.size(); ++i) {
                n[i] += (t >= intervals[i].first && t < intervals[i].second) ? 1.0 : 0.0;
            }
        }
        for (std::size_t i = 0; i < intervals.size(); ++i) {
            const double expected = rate.expected_count(intervals[i].first, intervals[i].second);
            counts[i].add(n[i]);
            squared_deviation[i].add((n[i] - expected) * (n[i] - expected));
        }
    }
    EXPECT_DOUBLE_EQ(rate.expected_count(0.0, 20.0), 10.0 + 0.0 + 16.0 + 4.0);
    for (std::size_t i = 0; i < intervals.size(); ++i) {
        const double expected = rate.expected_count(intervals[i].first, intervals[i].second);
        const std::string name = "arrivals in [" + std::to_string(intervals[i].first) + ", " +
                                 std::to_string(intervals[i].second) + ")";
        if (expected == 0.0) {
            EXPECT_EQ(counts[i].sum, 0.0) << name;
            continue;
        }
        expect_within_standard_errors(name + " mean", counts[i], expected, 0.05);
        expect_within_standard_errors(name + " variance", squared_deviation[i], expected, 0.15);
    }
}

}  // namespace
}  // namespace icsflow::sim
