#pragma once

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "sim/random/portable_math.hpp"
#include "sim/random/seed_mixing.hpp"

namespace icsflow::sim {

// One independent random stream: a Boost 64-bit Mersenne Twister seeded from
// (master seed, replication, stream id).
//
// Every draw is the same bits on every machine for the same seed: the engine and uniform_index
// (Boost's uniform_int_distribution) are integer arithmetic, and every real-valued draw is
// written here with IEEE basic operations, sqrt and sim/random/portable_math.hpp, never with the
// C library's log/exp/pow (which differ in the last place between CPUs) nor with std:: or Boost
// distributions (whose algorithms differ between library versions and which call the C
// library). The golden-draw test pins the output of each helper.
class RandomStream {
  public:
    using Engine = boost::random::mt19937_64;

    RandomStream(std::uint64_t master_seed, std::uint64_t replication, std::uint64_t id)
        : engine_(derive_seed(master_seed, replication, id)) {}
    RandomStream(std::uint64_t master_seed, std::uint64_t replication, std::string_view name)
        : RandomStream(master_seed, replication, stream_id(name)) {}

    Engine& engine() { return engine_; }

    // Uniform on [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

    // Uniform on (0, 1]: safe for -log(u).
    double uniform_open_zero() { return 1.0 - uniform(); }

    // Inverse transform: one engine draw per variate, so a change of rate in one part of a model
    // never shifts how many numbers another draw consumes.
    double exponential(double rate) { return -portable::log(uniform_open_zero()) / rate; }

    bool bernoulli(double p) { return uniform() < p; }

    std::uint64_t uniform_index(std::uint64_t count) {
        return boost::random::uniform_int_distribution<std::uint64_t>(0, count - 1)(engine_);
    }

    // Normal by Marsaglia and Tsang's ziggurat (256 strips, tables computed with the portable
    // functions): one engine draw for 99% of the variates. The number of draws does not depend on
    // the mean or the SD.
    double standard_normal();
    double normal(double mean, double sd) { return mean + sd * standard_normal(); }

    // Poisson: inversion (sequential search from 0, one uniform) for mean < 10; Hoermann's PTRS
    // transformed rejection for larger means. 0 for a mean <= 0; std::domain_error for a mean of
    // 2^52 or more.
    std::int64_t poisson(double mean);

    // Binomial: inversion for n min(p, 1-p) < 10; Hoermann's BTRS transformed rejection above.
    std::int64_t binomial(std::int64_t trials, double p);

    // Gamma(shape, scale): Marsaglia & Tsang's method for shape >= 1; for shape < 1, a
    // Gamma(shape + 1) variate times U^(1/shape). NaN for a shape <= 0.
    double gamma(double shape, double scale);

    // Inverse transform, one engine draw per variate: scale (-log U)^(1/shape).
    double weibull(double shape, double scale) {
        const double e = -portable::log(uniform_open_zero());
        return scale * portable::exp(portable::log(e) / shape);
    }

    // exp(N(mu, sigma^2)).
    double lognormal(double mu, double sigma) {
        return portable::exp(mu + sigma * standard_normal());
    }

    // The (mu, sigma) of the log-normal with the given mean and standard deviation of the variate
    // itself (not of its logarithm): sigma^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - sigma^2/2.
    struct LognormalParameters {
        double mu;
        double sigma;
    };
    static LognormalParameters lognormal_parameters(double mean, double sd) {
        const double sigma2 = portable::log1p((sd * sd) / (mean * mean));
        return {portable::log(mean) - 0.5 * sigma2, std::sqrt(sigma2)};
    }

    // Log-normal with the given mean and standard deviation (see lognormal_parameters; hoist
    // those out of a loop of draws with fixed parameters).
    double lognormal_mean_sd(double mean, double sd) {
        const LognormalParameters ln = lognormal_parameters(mean, sd);
        return lognormal(ln.mu, ln.sigma);
    }

  private:
    std::int64_t poisson_inversion(double mean);
    std::int64_t poisson_ptrs(double mean);
    std::int64_t binomial_inversion(std::int64_t n, double p);
    std::int64_t binomial_btrs(std::int64_t n, double p);

    Engine engine_;
};

}  // namespace icsflow::sim
