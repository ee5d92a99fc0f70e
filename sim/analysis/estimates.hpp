#pragma once

#include <cstddef>
#include <vector>

namespace icsflow::sim {

// Interval estimates over replications: what `compare`, `seek` and the precision loop report.
// Replication values that are NaN (a figure with no value in that replication) are left out.

struct Interval {
    double low = 0.0;
    double high = 0.0;
};

// Two-sided Student t quantile: the multiplier of a `level` (0.95) interval with `df` degrees
// of freedom.
[[nodiscard]] double student_t_multiplier(double level, double df);

// Mean with its `level` confidence interval (Student t on the replication values).
struct MeanEstimate {
    std::size_t n = 0;
    double mean = 0.0;
    Interval interval{};
    [[nodiscard]] double half_width() const { return 0.5 * (interval.high - interval.low); }
};
[[nodiscard]] MeanEstimate estimate_mean(const std::vector<double>& values, double level = 0.95);

// The `q` quantile (0..1), linear between order statistics (type 7, as NumPy's default).
[[nodiscard]] double quantile(std::vector<double> values, double q);

// A probability from `successes` out of `n` with its Wilson score interval: never of zero width,
// even when every replication met (or missed) the target.
struct ProbabilityEstimate {
    std::size_t n = 0;
    std::size_t successes = 0;
    double probability = 0.0;
    Interval interval{};
};
[[nodiscard]] ProbabilityEstimate estimate_probability(std::size_t successes, std::size_t n,
                                                       double level = 0.95);
// From indicator values (1 met, 0 not met; NaN left out).
[[nodiscard]] ProbabilityEstimate estimate_probability(const std::vector<double>& indicators,
                                                       double level = 0.95);

// Difference of means b - a. Paired: replication i of `b` against replication i of `a` (common
// random numbers); the vectors must have the same length. Unpaired: Welch's interval, as if the
// two batches were independent.
[[nodiscard]] MeanEstimate paired_difference(const std::vector<double>& a,
                                             const std::vector<double>& b, double level = 0.95);
[[nodiscard]] MeanEstimate unpaired_difference(const std::vector<double>& a,
                                               const std::vector<double>& b, double level = 0.95);

// Difference of probabilities b - a from indicator values, by Newcombe's hybrid score method
// (Wilson intervals combined; paired: with the phi correlation of the 2x2 table, Newcombe 1998,
// methods 10 and 10-paired). Both are of non-zero width even when no replication differs.
[[nodiscard]] MeanEstimate paired_probability_difference(const std::vector<double>& a,
                                                         const std::vector<double>& b,
                                                         double level = 0.95);
[[nodiscard]] MeanEstimate unpaired_probability_difference(const std::vector<double>& a,
                                                           const std::vector<double>& b,
                                                           double level = 0.95);

}  // namespace icsflow::sim
