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
//
// Moments alone would miss an algorithm that draws the right mean and variance from the wrong
// shape, so every algorithm of sim/random/random_stream (both regimes of each: inversion and
// transformed rejection for Poisson and binomial, shape below and above 1 for gamma) also passes
// a chi-square goodness-of-fit test against its exact distribution (see chi_square_check below).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
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

std::string number(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", x);
    return buffer;
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
        "normal(0, 1)", [](RandomStream& s) { return s.normal(0.0, 1.0); }, 0.0, 1.0);
    check_moments(
        "normal(1, 2)", [](RandomStream& s) { return s.normal(1.0, 2.0); }, 1.0, 4.0);
    // Poisson: inversion below a mean of 10, PTRS from 10 on; mean = variance = the mean.
    for (const double mean : {0.5, 3.5, 9.99, 10.0, 30.0, 250.0, 1e5}) {
        check_moments(
            "poisson(" + number(mean) + ")",
            [&](RandomStream& s) { return static_cast<double>(s.poisson(mean)); }, mean, mean);
    }
    // Binomial: inversion below n min(p, 1-p) = 10, BTRS from 10 on, p > 1/2 by symmetry;
    // mean n p, variance n p (1-p).
    const std::vector<std::pair<std::int64_t, double>> binomials = {
        {20, 0.3}, {5000, 0.001}, {60, 0.9}, {25, 0.4}, {1000, 0.4}, {2000, 0.75}, {10000000, 0.3}};
    for (const auto& trials_p : binomials) {
        const std::int64_t n = trials_p.first;
        const double p = trials_p.second;
        const double nd = static_cast<double>(n);
        check_moments(
            "binomial(" + std::to_string(n) + ", " + number(p) + ")",
            [&](RandomStream& s) { return static_cast<double>(s.binomial(n, p)); }, nd * p,
            nd * p * (1.0 - p));
    }
    // Gamma(shape k, scale t): mean k t, variance k t^2; shape < 1 takes another algorithm.
    check_moments(
        "gamma(0.3, 1)", [](RandomStream& s) { return s.gamma(0.3, 1.0); }, 0.3, 0.3);
    check_moments(
        "gamma(0.5, 2)", [](RandomStream& s) { return s.gamma(0.5, 2.0); }, 1.0, 2.0);
    check_moments(
        "gamma(1, 2)", [](RandomStream& s) { return s.gamma(1.0, 2.0); }, 2.0, 4.0);
    check_moments(
        "gamma(3, 1.5)", [](RandomStream& s) { return s.gamma(3.0, 1.5); }, 4.5, 6.75);
    check_moments(
        "gamma(50, 0.2)", [](RandomStream& s) { return s.gamma(50.0, 0.2); }, 10.0, 2.0);
    // Weibull(shape k, scale l): mean l G(1 + 1/k), variance l^2 (G(1 + 2/k) - G(1 + 1/k)^2).
    const double g1 = gamma_function(1.0 + 1.0 / 1.5);
    const double g2 = gamma_function(1.0 + 2.0 / 1.5);
    check_moments(
        "weibull(1.5, 4)", [](RandomStream& s) { return s.weibull(1.5, 4.0); }, 4.0 * g1,
        16.0 * (g2 - g1 * g1));
    const double h1 = gamma_function(1.0 + 1.0 / 0.7);
    const double h2 = gamma_function(1.0 + 2.0 / 0.7);
    check_moments(
        "weibull(0.7, 2)", [](RandomStream& s) { return s.weibull(0.7, 2.0); }, 2.0 * h1,
        4.0 * (h2 - h1 * h1));
    check_moments(
        "lognormal_mean_sd(5, 3)", [](RandomStream& s) { return s.lognormal_mean_sd(5.0, 3.0); },
        5.0, 9.0);
}

// ---------------------------------------------------------------------------------------------
// Goodness of fit.
//
// n = kDraws draws are counted in cells of known probability p_j (j = 1..m): runs of values of
// a discrete distribution, each run as short as gives at least 50 expected draws, the upper tail
// merged into the last cell; for a continuous distribution, m = 50 cells of probability 1/50
// each, between quantiles found by bisection of the exact distribution function. Pearson's
// statistic X^2 = sum (O_j - n p_j)^2 / (n p_j) is then chi-square with m - 1 degrees of freedom,
// and by Wilson and Hilferty's transform z = ((X^2/df)^(1/3) - (1 - 2/(9 df))) / sqrt(2/(9 df))
// is close to standard normal: the check is z <= 4 (one-sided: only a large X^2 shows a misfit),
// the same 4 standard errors as the moment checks. With 50 cells of 4 000 expected draws, it
// fails when one cell's probability is off by about 10%, or five cells' by about 5%.
// ---------------------------------------------------------------------------------------------

struct Cell {
    double low;  // the cell is [low, high) for a continuous variate, {low..high-1} else
    double high;
    double probability;  // exact
};

void chi_square_check(const std::string& name, const std::vector<Cell>& cells,
                      const std::function<double(RandomStream&)>& draw, int draws = kDraws) {
    RandomStream stream(kSeed, 1, "fit/" + name);
    std::vector<double> observed(cells.size(), 0.0);
    std::vector<double> lows;
    for (const Cell& cell : cells) {
        lows.push_back(cell.low);
    }
    for (int i = 0; i < draws; ++i) {
        const double x = draw(stream);
        // The cells tile the real line: the last cell whose low end is <= x.
        const auto it = std::upper_bound(lows.begin(), lows.end(), x);
        ASSERT_TRUE(it != lows.begin()) << name << ": draw " << x << " below every cell";
        observed[static_cast<std::size_t>(it - lows.begin()) - 1] += 1.0;
    }
    double x2 = 0.0;
    double total_probability = 0.0;
    for (std::size_t j = 0; j < cells.size(); ++j) {
        const double expected = draws * cells[j].probability;
        x2 += (observed[j] - expected) * (observed[j] - expected) / expected;
        total_probability += cells[j].probability;
    }
    const double df = static_cast<double>(cells.size()) - 1.0;
    const double z = (std::cbrt(x2 / df) - (1.0 - 2.0 / (9.0 * df))) / std::sqrt(2.0 / (9.0 * df));
    std::printf("  %-40s chi-square %10.1f on %5.0f df, z = %+.2f\n", name.c_str(), x2, df, z);
    EXPECT_NEAR(total_probability, 1.0, 1e-9) << name << ": the cells must cover the support";
    EXPECT_GE(cells.size(), 5U) << name << ": too few cells for any power";
    EXPECT_LE(z, test::kStandardErrors)
        << name << ": chi-square " << x2 << " on " << df << " df is " << z
        << " standard errors above its expectation";
}

// Cells of a discrete distribution on {0, 1, ...} with probabilities `pmf(k)` (k <= max_k).
std::vector<Cell> discrete_cells(const std::function<long double(std::int64_t)>& pmf,
                                 std::int64_t max_k) {
    constexpr long double kMinimumExpected = 50.0L;
    const long double min_p = kMinimumExpected / kDraws;
    std::vector<Cell> cells;
    long double run_p = 0.0L;
    std::int64_t run_start = 0;
    for (std::int64_t k = 0; k <= max_k; ++k) {
        run_p += pmf(k);
        if (run_p >= min_p) {
            cells.push_back({static_cast<double>(run_start), static_cast<double>(k + 1),
                             static_cast<double>(run_p)});
            run_p = 0.0L;
            run_start = k + 1;
        }
    }
    // The upper tail (from run_start on) joins the last cell.
    long double tail = 1.0L;
    for (const Cell& cell : cells) {
        tail -= cell.probability;
    }
    cells.back().high = INFINITY;
    cells.back().probability += static_cast<double>(tail);
    return cells;
}

// Cells of probability 1/m each of a continuous distribution with distribution function `cdf`
// on (lower, infinity).
std::vector<Cell> continuous_cells(const std::function<double(double)>& cdf, double lower,
                                   int m = 50) {
    std::vector<double> edges{-INFINITY};
    for (int j = 1; j < m; ++j) {
        const double target = static_cast<double>(j) / m;
        double lo = lower;
        double hi = std::max(1.0, lower);
        while (cdf(hi) < target) {
            hi *= 2.0;
        }
        for (int it = 0; it < 200 && lo < hi; ++it) {
            const double mid = 0.5 * (lo + hi);
            (cdf(mid) < target ? lo : hi) = mid;
        }
        edges.push_back(hi);
    }
    edges.push_back(INFINITY);
    std::vector<Cell> cells;
    for (int j = 0; j < m; ++j) {
        const double p_low = j == 0 ? 0.0 : cdf(edges[j]);
        const double p_high = j == m - 1 ? 1.0 : cdf(edges[j + 1]);
        cells.push_back({edges[j], edges[j + 1], p_high - p_low});
    }
    return cells;
}

double normal_cdf(double x) {
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

TEST(DistributionFit, Poisson) {
    // Inversion below a mean of 10, PTRS from 10 on.
    for (const double mean : {0.5, 3.5, 9.99, 10.0, 30.0, 250.0, 1e5}) {
        const auto pmf = [mean](std::int64_t k) {
            const long double m = mean;
            return std::exp(-m + static_cast<long double>(k) * std::log(m) -
                            std::lgamma(static_cast<long double>(k) + 1.0L));
        };
        const auto max_k = static_cast<std::int64_t>(mean + 12.0 * std::sqrt(mean) + 20.0);
        chi_square_check("poisson(" + number(mean) + ")", discrete_cells(pmf, max_k),
                         [mean](RandomStream& s) { return static_cast<double>(s.poisson(mean)); });
    }
}

TEST(DistributionFit, Binomial) {
    // Inversion below n min(p, 1-p) = 10, BTRS from 10 on; p > 1/2 by symmetry.
    const std::vector<std::pair<std::int64_t, double>> binomials = {
        {20, 0.3}, {5000, 0.001}, {60, 0.9}, {25, 0.4}, {1000, 0.4}, {2000, 0.75}, {10000000, 0.3}};
    for (const auto& trials_p : binomials) {
        const std::int64_t n = trials_p.first;
        const double p = trials_p.second;
        const auto nd = static_cast<double>(n);
        const auto pmf = [n, p](std::int64_t k) {
            const long double nn = static_cast<long double>(n);
            const long double kk = static_cast<long double>(k);
            return std::exp(std::lgamma(nn + 1.0L) - std::lgamma(kk + 1.0L) -
                            std::lgamma(nn - kk + 1.0L) +
                            kk * std::log(static_cast<long double>(p)) +
                            (nn - kk) * std::log1p(-static_cast<long double>(p)));
        };
        chi_square_check(
            "binomial(" + std::to_string(n) + ", " + number(p) + ")",
            discrete_cells(
                pmf, std::min<std::int64_t>(
                         n, static_cast<std::int64_t>(nd * p + 12.0 * std::sqrt(nd * p) + 20.0))),
            [n, p](RandomStream& s) { return static_cast<double>(s.binomial(n, p)); });
    }
}

// The ziggurat behind every normal, log-normal and gamma variate, in detail: 2 000 000 draws in
// 400 cells of probability 1/400 (5 000 expected in each: the strips are 1/256 of the area
// each, so a strip drawn too often or too rarely shows), and, in 8 000 000 draws, the tails
// beyond r = 3.654, where the base strip hands over to Marsaglia's tail algorithm (probability
// 1.29e-4 each side; 4 SE is 12% of it).
TEST(DistributionFit, NormalZigguratInDetail) {
    constexpr int kManyDraws = 2000000;
    chi_square_check(
        "normal(0, 1), 400 cells", continuous_cells(normal_cdf, -40.0, 400),
        [](RandomStream& s) { return s.normal(0.0, 1.0); }, kManyDraws);
    constexpr double r = 3.6541528853610088;
    RandomStream stream(kSeed, 2, "fit/normal tails");
    Moments upper;
    Moments lower;
    for (int i = 0; i < 4 * kManyDraws; ++i) {
        const double x = stream.standard_normal();
        upper.add(x > r ? 1.0 : 0.0);
        lower.add(x < -r ? 1.0 : 0.0);
    }
    expect_within_standard_errors("normal: P(X > r)", upper, normal_cdf(-r), 0.2);
    expect_within_standard_errors("normal: P(X < -r)", lower, normal_cdf(-r), 0.2);
}

TEST(DistributionFit, Continuous) {
    chi_square_check("exponential(rate 2)",
                     continuous_cells([](double x) { return -std::expm1(-2.0 * x); }, 0.0),
                     [](RandomStream& s) { return s.exponential(2.0); });
    chi_square_check("normal(0, 1)", continuous_cells(normal_cdf, -40.0),
                     [](RandomStream& s) { return s.normal(0.0, 1.0); });
    // Gamma: shape < 1 (boosted from shape + 1), = 1 and > 1 (Marsaglia-Tsang).
    for (const double shape : {0.1, 0.5, 1.0, 3.0, 50.0}) {
        const double scale = 1.5;
        chi_square_check(
            "gamma(" + number(shape) + ", 1.5)",
            continuous_cells(
                [=](double x) { return x <= 0.0 ? 0.0 : boost::math::gamma_p(shape, x / scale); },
                0.0),
            [=](RandomStream& s) { return s.gamma(shape, scale); });
    }
    for (const double shape : {0.7, 1.5}) {
        chi_square_check(
            "weibull(" + number(shape) + ", 4)",
            continuous_cells(
                [=](double x) { return x <= 0.0 ? 0.0 : -std::expm1(-std::pow(x / 4.0, shape)); },
                0.0),
            [=](RandomStream& s) { return s.weibull(shape, 4.0); });
    }
    for (const auto& [mean, sd] : std::vector<std::pair<double, double>>{{5.0, 3.0}, {1.0, 10.0}}) {
        const double sigma2 = std::log1p(sd * sd / (mean * mean));
        const double mu = std::log(mean) - 0.5 * sigma2;
        const double sigma = std::sqrt(sigma2);
        const double m = mean;
        const double d = sd;
        chi_square_check(
            "lognormal_mean_sd(" + number(mean) + ", " + number(sd) + ")",
            continuous_cells(
                [=](double x) { return x <= 0.0 ? 0.0 : normal_cdf((std::log(x) - mu) / sigma); },
                0.0),
            [=](RandomStream& s) { return s.lognormal_mean_sd(m, d); });
    }
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
