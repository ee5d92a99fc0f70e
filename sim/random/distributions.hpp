#pragma once

#include <array>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/piecewise_constant_distribution.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sim/random/random_stream.hpp"

namespace icsflow::sim {

// A duration (length of stay, service time, delay) from one of a few families, each described by
// its mean and a second parameter, as planners quote them ("mean 5.2 days, SD 6").
class DurationDistribution {
  public:
    enum class Family { fixed, exponential, lognormal, gamma, weibull };

    static DurationDistribution fixed(double value);
    static DurationDistribution exponential(double mean);
    static DurationDistribution lognormal(double mean, double sd);
    static DurationDistribution gamma(double mean, double sd);
    static DurationDistribution weibull(double shape, double scale);

    DurationDistribution() = default;

    double sample(RandomStream& stream) const;

    [[nodiscard]] Family family() const { return family_; }
    [[nodiscard]] double mean() const;
    [[nodiscard]] std::string describe() const;

    // Returns a copy with the mean scaled by `factor` and the coefficient of variation kept.
    [[nodiscard]] DurationDistribution scaled(double factor) const;

  private:
    Family family_ = Family::fixed;
    double a_ = 0.0;  // fixed: value; exponential: mean; lognormal/gamma: mean; weibull: shape
    double b_ = 0.0;  // lognormal/gamma: sd; weibull: scale
    RandomStream::LognormalParameters log_{0.0, 0.0};  // lognormal: of the logarithm, from a_, b_
};

[[nodiscard]] std::string_view to_string(DurationDistribution::Family family);

// A categorical choice among n outcomes with given (non-negative, not all zero) weights, drawn by
// Boost's alias-table discrete distribution.
// Inverse transform of a categorical distribution: the index of the category that `u` (uniform
// on [0, 1)) falls in, given shares that sum to 1; the last category takes any rounding excess.
// One uniform per draw, so a change of shares never changes how many numbers a stream consumes.
template <std::size_t N>
[[nodiscard]] std::size_t category_of(const std::array<double, N>& shares, double u) {
    double cumulative = 0.0;
    for (std::size_t i = 0; i + 1 < N; ++i) {
        cumulative += shares[i];
        if (u < cumulative) {
            return i;
        }
    }
    return N - 1;
}

class Categorical {
  public:
    Categorical() = default;
    explicit Categorical(const std::vector<double>& weights);

    std::size_t sample(RandomStream& stream) const { return dist_(stream.engine()); }
    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] std::vector<double> probabilities() const { return dist_.probabilities(); }

  private:
    mutable boost::random::discrete_distribution<std::size_t, double> dist_;
    std::size_t size_ = 0;
};

// An empirical continuous distribution given as a histogram: bin edges and the weight of each bin,
// uniform within a bin (Boost's piecewise-constant distribution).
class EmpiricalHistogram {
  public:
    EmpiricalHistogram(const std::vector<double>& edges, const std::vector<double>& weights);
    double sample(RandomStream& stream) const { return dist_(stream.engine()); }

  private:
    mutable boost::random::piecewise_constant_distribution<double> dist_;
};

// A Poisson process whose rate is constant on each interval [breaks[i], breaks[i+1]) and
// `rates.back()` after the last break. Arrival times come from inverting the cumulative rate with
// one unit-exponential draw per arrival, so thinning never consumes a variable number of draws.
class PiecewiseConstantRate {
  public:
    PiecewiseConstantRate() = default;
    // breaks must be strictly increasing; rates.size() == breaks.size(); rates >= 0.
    PiecewiseConstantRate(std::vector<double> breaks, std::vector<double> rates);

    // The first arrival after `from` given a unit-exponential variate `unit_exponential`;
    // +infinity when the rate stays zero for ever.
    [[nodiscard]] double next_arrival(double from, double unit_exponential) const;
    double next_arrival(double from, RandomStream& stream) const {
        return next_arrival(from, stream.exponential(1.0));
    }

    // Integral of the rate over [from, to).
    [[nodiscard]] double expected_count(double from, double to) const;
    [[nodiscard]] double rate_at(double time) const;

    [[nodiscard]] const std::vector<double>& breaks() const { return breaks_; }
    [[nodiscard]] const std::vector<double>& rates() const { return rates_; }

  private:
    [[nodiscard]] std::size_t segment_of(double time) const;

    std::vector<double> breaks_;
    std::vector<double> rates_;
};

}  // namespace icsflow::sim
