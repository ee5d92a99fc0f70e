#pragma once

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <boost/random/weibull_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "sim/random/seed_mixing.hpp"

namespace icsflow::sim {

// One independent random stream: a Boost 64-bit Mersenne Twister seeded from
// (master seed, replication, stream id). Draw helpers use Boost.Random's distributions (or an
// inverse transform written here), never std:: distributions, whose algorithms differ between
// standard libraries; the golden-draw test pins their output.
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
    double exponential(double rate) { return -std::log(uniform_open_zero()) / rate; }

    bool bernoulli(double p) { return uniform() < p; }

    std::uint64_t uniform_index(std::uint64_t count) {
        return boost::random::uniform_int_distribution<std::uint64_t>(0, count - 1)(engine_);
    }

    std::int64_t poisson(double mean) {
        if (mean <= 0.0) {
            return 0;
        }
        return boost::random::poisson_distribution<std::int64_t, double>(mean)(engine_);
    }

    std::int64_t binomial(std::int64_t trials, double p) {
        if (trials <= 0 || p <= 0.0) {
            return 0;
        }
        if (p >= 1.0) {
            return trials;
        }
        return boost::random::binomial_distribution<std::int64_t, double>(trials, p)(engine_);
    }

    double gamma(double shape, double scale) {
        return boost::random::gamma_distribution<double>(shape, scale)(engine_);
    }

    double weibull(double shape, double scale) {
        return boost::random::weibull_distribution<double>(shape, scale)(engine_);
    }

    // Log-normal with the given mean and standard deviation of the variate itself (not of its
    // logarithm): sigma^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - sigma^2/2.
    double lognormal_mean_sd(double mean, double sd) {
        const double sigma2 = std::log1p((sd * sd) / (mean * mean));
        const double mu = std::log(mean) - 0.5 * sigma2;
        return boost::random::lognormal_distribution<double>(mu, std::sqrt(sigma2))(engine_);
    }

  private:
    Engine engine_;
};

}  // namespace icsflow::sim
