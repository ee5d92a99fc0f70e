#include "sim/random/random_stream.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace icsflow::sim {

namespace {

// Below these means the discrete distributions are drawn by inversion, whose expected cost grows
// with the mean; from them on, by transformed rejection, whose cost is about constant (Hoermann
// proves PTRS and BTRS valid for means of 10 and more).
constexpr double kPoissonInversionLimit = 10.0;
constexpr double kBinomialInversionLimit = 10.0;

// The sequential search of an inversion stops here (the probability of a larger value is below
// 1e-100 under both limits above) and draws a new uniform: that happens only when rounding has
// left the computed distribution function below the uniform, with probability about 2^-50.
constexpr std::int64_t kInversionSearchLimit = 200;

// 1/k for the sequential searches (a product is faster than a quotient; exactly rounded, so the
// same on every machine).
constexpr auto kReciprocal = [] {
    std::array<double, kInversionSearchLimit + 1> r{};
    for (std::int64_t k = 1; k <= kInversionSearchLimit; ++k) {
        r[static_cast<std::size_t>(k)] = 1.0 / static_cast<double>(k);
    }
    return r;
}();

// Candidates of the rejection methods beyond this are rejected without converting them to an
// integer (their probability is zero to double precision).
constexpr double kLargestCandidate = 0x1p62;

// The ziggurat of G. Marsaglia and W. W. Tsang (2000), "The ziggurat method for generating random
// variables", Journal of Statistical Software 5(8), for f(x) = exp(-x^2/2) on x >= 0: 256 strips
// of equal area v, strip i >= 1 the rectangle [0, x_i] x [f(x_i), f(x_{i+1})] (x_1 = r >
// x_2 > ... > x_256 = 0), strip 0 the rectangle [0, r] x [0, f(r)] with the tail beyond r, of
// width x_0 = v / f(r) as a rectangle. Their r for 256 strips, and v = r f(r) + sqrt(pi/2)
// erfc(r / sqrt 2) to double precision (their 4.92867323399e-3 to 12 digits): with it, the top
// strip closes (x_255 (1 - f(x_255)) = v) to 5e-14. The table is computed once with the portable
// functions, so it is the same on every machine.
constexpr int kZigguratStrips = 256;
constexpr double kZigguratR = 3.6541528853610088;
constexpr double kZigguratArea = 0x1.43016a5a43732p-8;  // 4.9286732339746554e-3

struct ZigguratTable {
    std::array<double, kZigguratStrips + 1> x{};  // x[i], decreasing
    std::array<double, kZigguratStrips + 1> f{};  // f(x[i]), increasing (f[0] = f(r))

    ZigguratTable() {
        f[0] = f[1] = portable::exp(-0.5 * kZigguratR * kZigguratR);
        x[0] = kZigguratArea / f[0];
        x[1] = kZigguratR;
        for (std::size_t i = 2; i < kZigguratStrips; ++i) {
            x[i] = std::sqrt(-2.0 * portable::log(kZigguratArea / x[i - 1] + f[i - 1]));
            f[i] = portable::exp(-0.5 * x[i] * x[i]);
        }
        x[kZigguratStrips] = 0.0;
        f[kZigguratStrips] = 1.0;
    }
};

// Built during static initialisation (the portable functions it calls need none).
const ZigguratTable kZiggurat;

// The normal tail beyond r (Marsaglia 1964): r + a for a = -log(U1)/r, accepted when
// -2 log(U2) >= a^2.
double normal_tail(RandomStream& stream) {
    for (;;) {
        const double a = -portable::log(stream.uniform_open_zero()) / kZigguratR;
        const double b = -portable::log(stream.uniform_open_zero());
        if (b + b >= a * a) {
            return kZigguratR + a;
        }
    }
}

}  // namespace

// One engine draw gives the strip (bits 0-7), the sign (bit 8) and the abscissa (bits 11-63, as
// uniform()); 99% of the draws end at the first comparison. Points outside the strip's inner
// rectangle are tested against the density itself, so the variate is exactly normal (up to the
// rounding of the table).
double RandomStream::standard_normal() {
    for (;;) {
        const std::uint64_t bits = engine_();
        const auto i = static_cast<std::size_t>(bits & 0xffU);
        const double sign = (bits & 0x100U) != 0 ? -1.0 : 1.0;
        const double x = (static_cast<double>(bits >> 11) * 0x1.0p-53) * kZiggurat.x[i];
        if (x < kZiggurat.x[i + 1]) {
            return sign * x;
        }
        if (i == 0) {
            return sign * normal_tail(*this);
        }
        const double y = kZiggurat.f[i] + uniform() * (kZiggurat.f[i + 1] - kZiggurat.f[i]);
        if (y < portable::exp(-0.5 * x * x)) {
            return sign * x;
        }
    }
}

std::int64_t RandomStream::poisson(double mean) {
    if (!(mean > 0.0)) {
        return 0;
    }
    if (!(mean < 0x1p52)) {  // infinite or absurd: every candidate would be rejected
        throw std::domain_error("poisson: the mean must be below 2^52");
    }
    return mean < kPoissonInversionLimit ? poisson_inversion(mean) : poisson_ptrs(mean);
}

// Inversion by sequential search: the smallest k with U < F(k), F accumulated from
// p(0) = e^-mean and p(k) = p(k-1) mean (1/k). One uniform per variate (but for the rare restart).
std::int64_t RandomStream::poisson_inversion(double mean) {
    const double p0 = portable::exp(-mean);
    for (;;) {
        const double u = uniform();
        std::int64_t k = 0;
        double p = p0;
        double cdf = p0;
        while (u >= cdf && k < kInversionSearchLimit) {
            ++k;
            p *= mean * kReciprocal[static_cast<std::size_t>(k)];
            cdf += p;
        }
        if (u < cdf) {
            return k;
        }
    }
}

// PTRS: W. Hoermann (1993), "The transformed rejection method for generating Poisson random
// variables", Insurance: Mathematics and Economics 12, 39-45. A transformed-rejection hat
// (k = floor((2a/us + b) U + mean + 0.43)) with a squeeze (us >= 0.07, V <= v_r) that accepts
// most candidates without a logarithm, else an exact comparison with log p(k). Exact in
// distribution for mean >= 10.
std::int64_t RandomStream::poisson_ptrs(double mean) {
    const double smu = std::sqrt(mean);
    const double b = 0.931 + 2.53 * smu;
    const double a = -0.059 + 0.02483 * b;
    const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    const double v_r = 0.9277 - 3.6224 / (b - 2.0);
    double log_mean = 0.0;  // computed when first needed: most variates end in the squeeze
    bool have_log_mean = false;
    for (;;) {
        const double u = uniform() - 0.5;
        const double v = uniform();
        const double us = 0.5 - std::fabs(u);
        const double kd = std::floor((2.0 * a / us + b) * u + mean + 0.43);
        if (!(kd >= 0.0 && kd < kLargestCandidate)) {
            continue;
        }
        const auto k = static_cast<std::int64_t>(kd);
        if (us >= 0.07 && v <= v_r) {
            return k;
        }
        if (us < 0.013 && v > us) {
            continue;
        }
        if (!have_log_mean) {
            log_mean = portable::log(mean);
            have_log_mean = true;
        }
        // log(V alpha / (a/us^2 + b)) <= log p(k) = -mean + k log(mean) - log(k!)
        if (portable::log(v * inv_alpha / (a / (us * us) + b)) <=
            -mean + kd * log_mean - portable::log_factorial(k)) {
            return k;
        }
    }
}

std::int64_t RandomStream::binomial(std::int64_t trials, double p) {
    if (trials <= 0 || !(p > 0.0)) {
        return 0;
    }
    if (p >= 1.0) {
        return trials;
    }
    // Draw the count of the less likely outcome; 1 - p is exact for p >= 1/2.
    const bool flip = p > 0.5;
    const double pp = flip ? 1.0 - p : p;
    const std::int64_t k = static_cast<double>(trials) * pp < kBinomialInversionLimit
                               ? binomial_inversion(trials, pp)
                               : binomial_btrs(trials, pp);
    return flip ? trials - k : k;
}

// Inversion by sequential search (p <= 1/2, n p < 10): p(0) = (1-p)^n = exp(n log1p(-p)),
// p(k) = p(k-1) ((n+1) (1/k) - 1) p/(1-p). One uniform per variate (but for the rare restart).
std::int64_t RandomStream::binomial_inversion(std::int64_t n, double p) {
    const double s = p / (1.0 - p);
    const double a = (static_cast<double>(n) + 1.0) * s;
    const double p0 = portable::exp(static_cast<double>(n) * portable::log1p(-p));
    const std::int64_t last = std::min(n, kInversionSearchLimit);
    for (;;) {
        const double u = uniform();
        std::int64_t k = 0;
        double f = p0;
        double cdf = p0;
        while (u >= cdf && k < last) {
            ++k;
            f *= a * kReciprocal[static_cast<std::size_t>(k)] - s;
            cdf += f;
        }
        if (u < cdf) {
            return k;
        }
    }
}

// BTRS: W. Hoermann (1993), "The generation of binomial random variates", Journal of Statistical
// Computation and Simulation 46, 101-110. Transformed rejection with squeeze, as PTRS, with the
// exact test log(V alpha / (a/us^2 + b)) <= log(p(k) / p(m)), m the mode. Exact in distribution
// for n p >= 10, p <= 1/2.
std::int64_t RandomStream::binomial_btrs(std::int64_t n, double p) {
    const double nd = static_cast<double>(n);
    const double q = 1.0 - p;
    const double spq = std::sqrt(nd * p * q);
    const double b = 1.15 + 2.53 * spq;
    const double a = -0.0873 + 0.0248 * b + 0.01 * p;
    const double c = nd * p + 0.5;
    const double v_r = 0.92 - 4.2 / b;
    const double alpha = (2.83 + 5.1 / b) * spq;
    const double m = std::floor((nd + 1.0) * p);  // the mode
    // Computed when first needed: most variates end in the squeeze.
    double lpq = 0.0;
    double h = 0.0;
    bool have_h = false;
    for (;;) {
        const double u = uniform() - 0.5;
        const double v = uniform();
        const double us = 0.5 - std::fabs(u);
        const double kd = std::floor((2.0 * a / us + b) * u + c);
        if (!(kd >= 0.0 && kd <= nd)) {
            continue;
        }
        const auto k = static_cast<std::int64_t>(kd);
        if (us >= 0.07 && v <= v_r) {
            return k;
        }
        if (!have_h) {
            const auto mi = static_cast<std::int64_t>(m);
            lpq = portable::log(p / q);
            h = portable::log_factorial(mi) + portable::log_factorial(n - mi);
            have_h = true;
        }
        // log(p(k) / p(m)) = log m! + log (n-m)! - log k! - log (n-k)! + (k - m) log(p/q)
        if (portable::log(v * alpha / (a / (us * us) + b)) <=
            h - portable::log_factorial(k) - portable::log_factorial(n - k) + (kd - m) * lpq) {
            return k;
        }
    }
}

// G. Marsaglia and W. W. Tsang (2000), "A simple method for generating gamma variables", ACM
// TOMS 26(3), 363-372: d = shape - 1/3, c = 1/sqrt(9d), v = (1 + c X)^3 for a normal X, accept
// d v when log U < X^2/2 + d (1 - v + log v) (squeezed by U < 1 - 0.0331 X^4). For shape < 1,
// Gamma(shape) = Gamma(shape + 1) U^(1/shape) (their section 6).
double RandomStream::gamma(double shape, double scale) {
    if (!(shape > 0.0)) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    if (shape < 1.0) {
        const double g = gamma(shape + 1.0, scale);
        const double u = uniform_open_zero();
        return g * portable::exp(portable::log(u) / shape);
    }
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
        double x = 0.0;
        double v = 0.0;
        do {
            x = standard_normal();
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = uniform();
        const double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2) {
            return d * v * scale;
        }
        if (portable::log(u) < 0.5 * x2 + d * (1.0 - v + portable::log(v))) {
            return d * v * scale;
        }
    }
}

}  // namespace icsflow::sim
