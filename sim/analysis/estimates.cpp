#include "sim/analysis/estimates.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <stdexcept>

namespace icsflow::sim {

namespace {

std::vector<double> finite(const std::vector<double>& values) {
    std::vector<double> kept;
    kept.reserve(values.size());
    for (const double v : values) {
        if (!std::isnan(v)) {
            kept.push_back(v);
        }
    }
    return kept;
}

double normal_multiplier(double level) {
    return boost::math::quantile(boost::math::normal(), 0.5 + 0.5 * level);
}

double sample_variance(const std::vector<double>& values, double mean) {
    double sum = 0.0;
    for (const double v : values) {
        sum += (v - mean) * (v - mean);
    }
    return values.size() > 1 ? sum / static_cast<double>(values.size() - 1) : NAN;
}

double mean_of(const std::vector<double>& values) {
    double sum = 0.0;
    for (const double v : values) {
        sum += v;
    }
    return values.empty() ? NAN : sum / static_cast<double>(values.size());
}

struct Counts {
    std::size_t n = 0;
    std::size_t successes = 0;
};

Counts count_indicators(const std::vector<double>& indicators) {
    Counts counts;
    for (const double v : indicators) {
        if (!std::isnan(v)) {
            ++counts.n;
            counts.successes += v >= 0.5 ? 1U : 0U;
        }
    }
    return counts;
}

// Newcombe's hybrid score interval for p_b - p_a, with the correlation `phi` of the two
// indicators (0 for independent samples).
MeanEstimate newcombe(const ProbabilityEstimate& a, const ProbabilityEstimate& b, double phi,
                      std::size_t n) {
    const double da_low = a.probability - a.interval.low;
    const double da_high = a.interval.high - a.probability;
    const double db_low = b.probability - b.interval.low;
    const double db_high = b.interval.high - b.probability;
    const double below = std::sqrt(
        std::max(0.0, db_low * db_low - 2.0 * phi * db_low * da_high + da_high * da_high));
    const double above = std::sqrt(
        std::max(0.0, db_high * db_high - 2.0 * phi * db_high * da_low + da_low * da_low));
    MeanEstimate result;
    result.n = n;
    result.mean = b.probability - a.probability;
    result.interval = {result.mean - below, result.mean + above};
    return result;
}

}  // namespace

double student_t_multiplier(double level, double df) {
    if (!(df >= 1.0)) {
        return NAN;
    }
    return boost::math::quantile(boost::math::students_t(df), 0.5 + 0.5 * level);
}

MeanEstimate estimate_mean(const std::vector<double>& values, double level) {
    const std::vector<double> kept = finite(values);
    MeanEstimate result;
    result.n = kept.size();
    result.mean = mean_of(kept);
    const double half =
        kept.size() > 1
            ? student_t_multiplier(level, static_cast<double>(kept.size() - 1)) *
                  std::sqrt(sample_variance(kept, result.mean) / static_cast<double>(kept.size()))
            : NAN;
    result.interval = {result.mean - half, result.mean + half};
    return result;
}

double quantile(std::vector<double> values, double q) {
    values = finite(values);
    if (values.empty()) {
        return NAN;
    }
    std::sort(values.begin(), values.end());
    const double position = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return values[below] + fraction * (values[above] - values[below]);
}

ProbabilityEstimate estimate_probability(std::size_t successes, std::size_t n, double level) {
    ProbabilityEstimate result;
    result.n = n;
    result.successes = successes;
    if (n == 0) {
        result.probability = NAN;
        result.interval = {NAN, NAN};
        return result;
    }
    const double z = normal_multiplier(level);
    const double count = static_cast<double>(n);
    const double p = static_cast<double>(successes) / count;
    const double denominator = 1.0 + z * z / count;
    const double centre = (p + z * z / (2.0 * count)) / denominator;
    const double half =
        z * std::sqrt(p * (1.0 - p) / count + z * z / (4.0 * count * count)) / denominator;
    result.probability = p;
    // The bounds are exactly 0 and 1 when nothing or everything succeeded (not 1e-18 off).
    result.interval = {successes == 0 ? 0.0 : std::max(0.0, centre - half),
                       successes == n ? 1.0 : std::min(1.0, centre + half)};
    return result;
}

ProbabilityEstimate estimate_probability(const std::vector<double>& indicators, double level) {
    const Counts counts = count_indicators(indicators);
    return estimate_probability(counts.successes, counts.n, level);
}

MeanEstimate paired_difference(const std::vector<double>& a, const std::vector<double>& b,
                               double level) {
    if (a.size() != b.size()) {
        throw std::invalid_argument("paired difference of samples of different sizes");
    }
    std::vector<double> differences;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!std::isnan(a[i]) && !std::isnan(b[i])) {
            differences.push_back(b[i] - a[i]);
        }
    }
    return estimate_mean(differences, level);
}

MeanEstimate unpaired_difference(const std::vector<double>& a, const std::vector<double>& b,
                                 double level) {
    const std::vector<double> x = finite(a);
    const std::vector<double> y = finite(b);
    MeanEstimate result;
    result.n = std::min(x.size(), y.size());
    const double mx = mean_of(x);
    const double my = mean_of(y);
    result.mean = my - mx;
    if (x.size() < 2 || y.size() < 2) {
        result.interval = {NAN, NAN};
        return result;
    }
    const double vx = sample_variance(x, mx) / static_cast<double>(x.size());
    const double vy = sample_variance(y, my) / static_cast<double>(y.size());
    const double se2 = vx + vy;
    // Welch-Satterthwaite degrees of freedom; with no variance at all, the interval is the point.
    const double df = se2 > 0.0 ? se2 * se2 /
                                      (vx * vx / static_cast<double>(x.size() - 1) +
                                       vy * vy / static_cast<double>(y.size() - 1))
                                : 1.0;
    const double half = student_t_multiplier(level, df) * std::sqrt(se2);
    result.interval = {result.mean - half, result.mean + half};
    return result;
}

MeanEstimate paired_probability_difference(const std::vector<double>& a,
                                           const std::vector<double>& b, double level) {
    if (a.size() != b.size()) {
        throw std::invalid_argument("paired difference of samples of different sizes");
    }
    // The 2x2 table of (a met, b met) over replications where both have a value.
    double both = 0.0;
    double only_a = 0.0;
    double only_b = 0.0;
    double neither = 0.0;
    std::vector<double> pa;
    std::vector<double> pb;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::isnan(a[i]) || std::isnan(b[i])) {
            continue;
        }
        const bool met_a = a[i] >= 0.5;
        const bool met_b = b[i] >= 0.5;
        both += met_a && met_b ? 1.0 : 0.0;
        only_a += met_a && !met_b ? 1.0 : 0.0;
        only_b += !met_a && met_b ? 1.0 : 0.0;
        neither += !met_a && !met_b ? 1.0 : 0.0;
        pa.push_back(a[i]);
        pb.push_back(b[i]);
    }
    const double margins =
        (both + only_a) * (only_b + neither) * (both + only_b) * (only_a + neither);
    const double phi =
        margins > 0.0 ? (both * neither - only_a * only_b) / std::sqrt(margins) : 0.0;
    return newcombe(estimate_probability(pa, level), estimate_probability(pb, level), phi,
                    pa.size());
}

MeanEstimate unpaired_probability_difference(const std::vector<double>& a,
                                             const std::vector<double>& b, double level) {
    const ProbabilityEstimate pa = estimate_probability(a, level);
    const ProbabilityEstimate pb = estimate_probability(b, level);
    return newcombe(pa, pb, 0.0, std::min(pa.n, pb.n));
}

}  // namespace icsflow::sim
