// sim/random/portable_math: special values, accuracy on a large sample of arguments (against the
// C library and against a long double reference) and pinned checksums of the results.
//
// The accuracy checks show that the portable functions are as good as the C library's: never
// more than 1 ulp from std:: and, where long double is wider than double (x86-64: 64-bit
// significand; aarch64: 113 bits), less than 1 ulp from the exact value. The checksums pin every
// result bit of a million calls per function: they are what must hold on every machine and
// compiler, since the point of these functions is that their results do not depend on either.
#include "sim/random/portable_math.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "sim/random/seed_mixing.hpp"

namespace icsflow::sim {
namespace {

namespace pm = portable;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDenormMin = std::numeric_limits<double>::denorm_min();
constexpr double kMin = std::numeric_limits<double>::min();
constexpr double kMax = std::numeric_limits<double>::max();
constexpr double kLn2 = 0x1.62e42fefa39efp-1;

// Same bits, or both NaN (NaN payloads and signs differ between CPUs; nothing relies on them).
bool same(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) ||
           std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

#define EXPECT_SAME(actual, expected) \
    EXPECT_PRED2(same, actual, expected) << std::hexfloat << (actual) << " vs " << (expected)

// Distance in ulps between two doubles: 0 when equal (infinities included) or both NaN, the
// largest value for an infinity against anything else.
std::uint64_t ulp_distance(double a, double b) {
    if (a == b || (std::isnan(a) && std::isnan(b))) {
        return 0;
    }
    if (!std::isfinite(a) || !std::isfinite(b)) {
        return std::numeric_limits<std::uint64_t>::max();
    }
    // Map the bit patterns onto a line ordered like the values (-0 and +0 coincide).
    auto ordered = [](double x) {
        const auto bits = std::bit_cast<std::int64_t>(x);
        return bits < 0 ? std::numeric_limits<std::int64_t>::min() - bits : bits;
    };
    const std::int64_t ia = ordered(a);
    const std::int64_t ib = ordered(b);
    return ia > ib ? static_cast<std::uint64_t>(ia - ib) : static_cast<std::uint64_t>(ib - ia);
}

// Error of `value` against the reference `exact`, in ulps of a double at `exact`.
double ulp_error(double value, long double exact) {
    if (static_cast<long double>(value) == exact) {
        return 0.0;
    }
    // Overflow: +-inf is the correctly rounded result from (2 - 2^-53) 2^1023 on.
    constexpr long double kRoundsToInfinity = 0x1p1024L - 0x1p970L;
    if (std::isinf(value)) {
        return std::fabs(exact) >= kRoundsToInfinity && std::signbit(value) == std::signbit(exact)
                   ? 0.0
                   : std::numeric_limits<double>::infinity();
    }
    if (std::isinf(exact)) {
        // A finite result next to DBL_MAX counts by its distance to 2^1024.
        exact = std::copysign(0x1p1024L, exact);
    }
    int e = 0;
    static_cast<void>(std::frexp(exact, &e));  // |exact| = m 2^e, 0.5 <= m < 1
    const long double ulp = std::ldexp(1.0L, std::max(e - 53, -1074));
    return static_cast<double>(std::fabs(static_cast<long double>(value) - exact) / ulp);
}

constexpr bool kHaveWideLongDouble = std::numeric_limits<long double>::digits > 53;

// Deterministic arguments: SplitMix64 (no floating-point library involved).
class Arguments {
  public:
    explicit Arguments(std::uint64_t seed) : state_(seed) {}
    std::uint64_t bits() { return mix64(state_++); }
    double uniform() { return static_cast<double>(bits() >> 11) * 0x1.0p-53; }  // [0, 1)
    double uniform(double a, double b) { return a + (b - a) * uniform(); }
    // A positive finite double with uniformly random bits (so uniform in the exponent).
    double positive_bits() {
        for (;;) {
            const double x = std::bit_cast<double>(bits() & 0x7fffffffffffffffULL);
            if (std::isfinite(x) && x > 0.0) {
                return x;
            }
        }
    }
    // m 2^e with m uniform in [1, 2), e uniform in [lo, hi].
    double log_uniform(int lo, int hi) {
        const int e = lo + static_cast<int>(bits() % static_cast<std::uint64_t>(hi - lo + 1));
        return std::ldexp(1.0 + uniform(), e);
    }

  private:
    std::uint64_t state_;
};

// One family of arguments for a one-argument function.
struct Family1 {
    std::string name;
    std::function<double(Arguments&)> argument;
};

struct Accuracy {
    double max_ulp_error = 0.0;        // against long double
    std::uint64_t max_ulp_vs_std = 0;  // against the C library
    double fraction_equal_to_std = 0.0;
    std::uint64_t checksum = 0;
};

// Hash of result bits, NaN folded into one value.
std::uint64_t fold(std::uint64_t hash, double x) {
    const std::uint64_t bits =
        std::isnan(x) ? 0x7ff8000000000000ULL : std::bit_cast<std::uint64_t>(x);
    return mix64(hash ^ bits);
}

constexpr int kArgumentsPerFamily = 200000;

template <class Portable, class Std, class Reference>
Accuracy measure(const std::string& function, const std::vector<Family1>& families,
                 Portable portable, Std standard, Reference reference) {
    Accuracy total;
    std::uint64_t equal = 0;
    std::uint64_t count = 0;
    for (std::size_t f = 0; f < families.size(); ++f) {
        Arguments args(stream_id(function + "/" + families[f].name));
        double family_max = 0.0;
        std::uint64_t family_max_std = 0;
        for (int i = 0; i < kArgumentsPerFamily; ++i) {
            const double x = families[f].argument(args);
            const double got = portable(x);
            const double want = standard(x);
            const std::uint64_t d = ulp_distance(got, want);
            family_max_std = std::max(family_max_std, d);
            equal += d == 0 ? 1 : 0;
            ++count;
            if (kHaveWideLongDouble) {
                family_max = std::max(family_max, ulp_error(got, reference(x)));
            }
            total.checksum = fold(total.checksum, got);
            if (d > 1) {
                ADD_FAILURE() << function << "(" << std::hexfloat << x << ") = " << got
                              << ", C library " << want << std::defaultfloat << ": " << d
                              << " ulp apart";
            }
        }
        std::printf("  %-8s %-34s max error %.3f ulp, max %" PRIu64 " ulp from std::\n",
                    function.c_str(), families[f].name.c_str(), family_max, family_max_std);
        total.max_ulp_error = std::max(total.max_ulp_error, family_max);
        total.max_ulp_vs_std = std::max(total.max_ulp_vs_std, family_max_std);
    }
    total.fraction_equal_to_std = static_cast<double>(equal) / static_cast<double>(count);
    std::printf("  %-8s %" PRIu64
                " arguments: max error %.3f ulp, %.4f%% equal to std::, "
                "checksum 0x%016" PRIX64 "\n",
                function.c_str(), count, total.max_ulp_error, 100.0 * total.fraction_equal_to_std,
                total.checksum);
    return total;
}

// ---------------------------------------------------------------------------------------------
// Checksums: the hash of every result bit of the calls made by the accuracy tests below (10^6
// per function; 200 000 for log_factorial). They must be the same on every machine and compiler:
// a failure means that results are no longer portable (look for an FMA contraction, a compiler
// option, a changed constant or order of operations). Change them only with a deliberate change
// of an algorithm, which changes every simulation result.
// ---------------------------------------------------------------------------------------------

constexpr std::uint64_t kLogChecksum = 0xBB1E433B6FBE0D2AULL;
constexpr std::uint64_t kLog1pChecksum = 0x2EACAFDCC06EEF3BULL;
constexpr std::uint64_t kExpChecksum = 0xE95FBF698F3A25A4ULL;
constexpr std::uint64_t kPowChecksum = 0x4039394FF152DB96ULL;
constexpr std::uint64_t kLogFactorialChecksum = 0xC63442BE5DB0C4FBULL;

// ---------------------------------------------------------------------------------------------
// Special values.
// ---------------------------------------------------------------------------------------------

TEST(PortableMath, LogSpecialValues) {
    EXPECT_SAME(pm::log(1.0), 0.0);
    EXPECT_SAME(pm::log(0.0), -kInf);
    EXPECT_SAME(pm::log(-0.0), -kInf);
    EXPECT_SAME(pm::log(kInf), kInf);
    EXPECT_TRUE(std::isnan(pm::log(-1.0)));
    EXPECT_TRUE(std::isnan(pm::log(-kInf)));
    EXPECT_TRUE(std::isnan(pm::log(-kDenormMin)));
    EXPECT_TRUE(std::isnan(pm::log(kNaN)));
    for (const double x : {kDenormMin, 3 * kDenormMin, kMin / 3, kMin, kMax, 2.0, 0.5,
                           1.0 + 0x1p-52, 1.0 - 0x1p-53, std::numbers::e, 10.0, 1e300}) {
        EXPECT_LE(ulp_distance(pm::log(x), std::log(x)), 1U) << std::hexfloat << x;
    }
    EXPECT_SAME(pm::log(2.0), 0x1.62e42fefa39efp-1);  // ln 2 correctly rounded
    EXPECT_SAME(pm::log(kDenormMin), std::log(kDenormMin));
    // Powers of two are k ln2_hi + k ln2_lo.
    for (int k = -1074; k <= 1023; ++k) {
        EXPECT_LE(ulp_distance(pm::log(std::ldexp(1.0, k)), std::log(std::ldexp(1.0, k))), 1U) << k;
    }
}

TEST(PortableMath, Log1pSpecialValues) {
    EXPECT_SAME(pm::log1p(0.0), 0.0);
    EXPECT_SAME(pm::log1p(-0.0), -0.0);
    EXPECT_SAME(pm::log1p(-1.0), -kInf);
    EXPECT_SAME(pm::log1p(kInf), kInf);
    EXPECT_TRUE(std::isnan(pm::log1p(-1.0 - 0x1p-52)));
    EXPECT_TRUE(std::isnan(pm::log1p(-kInf)));
    EXPECT_TRUE(std::isnan(pm::log1p(kNaN)));
    // Tiny arguments are returned as they are, subnormals included.
    for (const double x : {kDenormMin, -kDenormMin, kMin, -kMin, 0x1p-60, -0x1p-60}) {
        EXPECT_SAME(pm::log1p(x), x);
    }
    for (const double x : {0x1p-54, 0x1p-30, -0x1p-30, 1e-10, -0.2928, 0.4142, 1.0, -0.5,
                           -1.0 + 0x1p-53, 0x1p53, 1e300, kMax}) {
        EXPECT_LE(ulp_distance(pm::log1p(x), std::log1p(x)), 1U) << std::hexfloat << x;
    }
}

TEST(PortableMath, ExpSpecialValues) {
    EXPECT_SAME(pm::exp(0.0), 1.0);
    EXPECT_SAME(pm::exp(-0.0), 1.0);
    EXPECT_SAME(pm::exp(kInf), kInf);
    EXPECT_SAME(pm::exp(-kInf), 0.0);
    EXPECT_TRUE(std::isnan(pm::exp(kNaN)));
    EXPECT_SAME(pm::exp(709.79), kInf);  // overflow
    EXPECT_SAME(pm::exp(1000.0), kInf);
    EXPECT_SAME(pm::exp(-746.0), 0.0);  // underflow
    EXPECT_SAME(pm::exp(-1000.0), 0.0);
    EXPECT_SAME(pm::exp(kDenormMin), 1.0);
    EXPECT_SAME(pm::exp(-kDenormMin), 1.0);
    EXPECT_SAME(pm::exp(-745.13), kDenormMin);  // the last subnormal step
    EXPECT_TRUE(std::isfinite(pm::exp(7.09782712893383973096e+02)));
    for (const double x :
         {1.0, -1.0, 0.5, 0x1p-28, -0x1p-28, 0x1.62e42fefa39efp-1, 0.34657359, 1.0397, 10.0, -10.0,
          700.0, 709.78, -708.39, -708.4, -720.0, -744.0, 7.09782712893383973096e+02}) {
        EXPECT_LE(ulp_distance(pm::exp(x), std::exp(x)), 1U) << std::hexfloat << x;
    }
    // exp(log(x)) comes back to x within a few ulp (log's error is amplified by |log x|).
    for (const double x : {0.001, 0.3, 2.0, 5.5, 1234.5}) {
        EXPECT_NEAR(pm::exp(pm::log(x)), x, 4 * std::ldexp(1.0, std::ilogb(x) - 52)) << x;
    }
}

TEST(PortableMath, PowSpecialValues) {
    // C99 Annex F special cases, all as the C library gives them.
    const std::vector<std::pair<double, double>> cases = {
        {2.0, 0.0},
        {kNaN, 0.0},
        {1.0, kNaN},
        {1.0, kInf},
        {-1.0, kInf},
        {-1.0, -kInf},
        {0.5, kInf},
        {0.5, -kInf},
        {2.0, kInf},
        {2.0, -kInf},
        {kNaN, 1.0},
        {2.0, kNaN},
        {0.0, 3.0},
        {-0.0, 3.0},
        {-0.0, 2.0},
        {0.0, -3.0},
        {-0.0, -3.0},
        {0.0, -2.0},
        {0.0, -0.5},
        {kInf, 0.5},
        {kInf, -0.5},
        {-kInf, 3.0},
        {-kInf, 2.0},
        {-kInf, -3.0},
        {-kInf, -2.0},
        {-2.0, 3.0},
        {-2.0, 4.0},
        {-2.0, -3.0},
        {-8.0, 1.0 / 3},
        {2.0, 1.0},
        {2.0, -1.0},
        {3.0, 2.0},
        {2.0, 0.5},
        {-0.0, 0.5},
        {2.0, 1024.0},
        {2.0, 1023.0},
        {2.0, -1074.0},
        {2.0, -1075.0},
        {0.5, 1074.0},
        {10.0, 308.0},
        {10.0, 309.0},
        {10.0, -323.0},
        {10.0, -324.0},
        {1.0 + 0x1p-52, 0x1p60},
        {1.0 - 0x1p-53, 0x1p62},
        {1.0 + 0x1p-52, -0x1p60},
        {3.0, 0x1p65},
        {0.3, 0x1p65},
        {-1.0, 0x1p60},
        {-1.0, 0x1p60 + 0x1p8},
        {-3.0, 0x1p53},
        {kDenormMin, 0.5},
        {kDenormMin, -0.5},
        {kDenormMin, 1.5},
        {kMax, 0.5},
        {kMax, 2.0},
    };
    for (const auto& [x, y] : cases) {
        const double got = pm::pow(x, y);
        const double want = std::pow(x, y);
        EXPECT_LE(ulp_distance(got, want), 1U)
            << "pow(" << std::hexfloat << x << ", " << y << ") = " << got << ", C library " << want;
        EXPECT_EQ(std::isnan(got), std::isnan(want)) << x << " " << y;
        if (!std::isnan(want)) {
            EXPECT_EQ(std::signbit(got), std::signbit(want)) << x << " " << y;
        }
        EXPECT_EQ(std::isinf(got), std::isinf(want)) << x << " " << y;
    }
    // Integer powers of integers are exact.
    EXPECT_SAME(pm::pow(3.0, 20.0), 3486784401.0);
    EXPECT_SAME(pm::pow(10.0, 15.0), 1e15);
    EXPECT_SAME(pm::pow(-7.0, 5.0), -16807.0);
    EXPECT_SAME(pm::pow(2.0, -3.0), 0.125);
    EXPECT_SAME(pm::pow(2.0, -1074.0), kDenormMin);
}

TEST(PortableMath, LogFactorial) {
    EXPECT_SAME(pm::log_factorial(0), 0.0);
    EXPECT_SAME(pm::log_factorial(1), 0.0);
    EXPECT_SAME(pm::log_factorial(2), 0x1.62e42fefa39efp-1);  // ln 2
    EXPECT_SAME(pm::log_factorial(3), 0x1.cab0bfa2a2002p+0);  // ln 6
    EXPECT_TRUE(std::isnan(pm::log_factorial(-1)));
    double max_error = 0.0;
    std::int64_t worst = 0;
    std::uint64_t checksum = 0;
    auto check = [&](std::int64_t k) {
        const double got = pm::log_factorial(k);
        checksum = fold(checksum, got);
        if (kHaveWideLongDouble) {
            const double e = ulp_error(got, std::lgamma(static_cast<long double>(k) + 1.0L));
            if (e > max_error) {
                max_error = e;
                worst = k;
            }
        }
        // The C library's lgamma is itself only accurate to a few ulp.
        EXPECT_NEAR(got, std::lgamma(static_cast<double>(k) + 1.0), 1e-15 * std::fabs(got) + 1e-300)
            << k;
    };
    for (std::int64_t k = 0; k < 100000; ++k) {
        check(k);
    }
    Arguments args(7);
    for (int i = 0; i < 100000; ++i) {
        check(static_cast<std::int64_t>(args.log_uniform(17, 52)));
    }
    std::printf("  log_factorial: max error %.3f ulp (k = %" PRId64 "), checksum 0x%016" PRIX64
                "\n",
                max_error, worst, checksum);
    // Below 2^-51 relative: a little over 2 ulp at worst, from the rounding of x log x.
    EXPECT_LT(max_error, 2.5);
    EXPECT_EQ(checksum, kLogFactorialChecksum) << std::hex << checksum;
}

// ---------------------------------------------------------------------------------------------
// Accuracy over large samples.
// ---------------------------------------------------------------------------------------------

long double reference_log(double x) {
    return std::log(static_cast<long double>(x));
}
long double reference_log1p(double x) {
    return std::log1p(static_cast<long double>(x));
}
long double reference_exp(double x) {
    return std::exp(static_cast<long double>(x));
}

TEST(PortableMath, LogAccuracy) {
    const std::vector<Family1> families = {
        {"random bits (all exponents)", [](Arguments& a) { return a.positive_bits(); }},
        {"[0.5, 2)", [](Arguments& a) { return a.uniform(0.5, 2.0); }},
        {"1 +- 2^-20", [](Arguments& a) { return 1.0 + a.uniform(-0x1p-20, 0x1p-20); }},
        {"(0, 1] on the 2^-53 grid", [](Arguments& a) { return 1.0 - a.uniform(); }},
        {"[1, 1000)", [](Arguments& a) { return a.uniform(1.0, 1000.0); }},
    };
    const Accuracy acc = measure(
        "log", families, [](double x) { return pm::log(x); }, [](double x) { return std::log(x); },
        reference_log);
    EXPECT_LE(acc.max_ulp_vs_std, 1U);
    if (kHaveWideLongDouble) {
        EXPECT_LT(acc.max_ulp_error, 1.0);
    }
    EXPECT_EQ(acc.checksum, kLogChecksum) << std::hex << acc.checksum;
}

TEST(PortableMath, Log1pAccuracy) {
    const std::vector<Family1> families = {
        {"(-1, 1)", [](Arguments& a) { return a.uniform(-1.0, 1.0); }},
        {"+-2^[-60, 0]",
         [](Arguments& a) { return (a.bits() & 1 ? -0.5 : 1.0) * a.log_uniform(-60, -1); }},
        {"(-1, -0.5]", [](Arguments& a) { return -1.0 + a.uniform(0x1p-53, 0.5); }},
        {"random bits >= 1",
         [](Arguments& a) {
             const double x = a.positive_bits();
             return x >= 1.0 ? x : 1.0 / x;
         }},
        {"sd^2/mean^2 in [1e-4, 100)", [](Arguments& a) { return a.log_uniform(-14, 6); }},
    };
    const Accuracy acc = measure(
        "log1p", families, [](double x) { return pm::log1p(x); },
        [](double x) { return std::log1p(x); }, reference_log1p);
    EXPECT_LE(acc.max_ulp_vs_std, 1U);
    if (kHaveWideLongDouble) {
        EXPECT_LT(acc.max_ulp_error, 1.0);
    }
    EXPECT_EQ(acc.checksum, kLog1pChecksum) << std::hex << acc.checksum;
}

TEST(PortableMath, ExpAccuracy) {
    const std::vector<Family1> families = {
        {"[-745.2, 709.8]", [](Arguments& a) { return a.uniform(-745.2, 709.8); }},
        {"[-1, 1]", [](Arguments& a) { return a.uniform(-1.0, 1.0); }},
        {"+-2^[-60, -1]",
         [](Arguments& a) { return (a.bits() & 1 ? -1.0 : 1.0) * a.log_uniform(-60, -2); }},
        {"[-745.2, -708] (subnormal results)",
         [](Arguments& a) { return a.uniform(-745.2, -708.0); }},
        {"[-40, 10]", [](Arguments& a) { return a.uniform(-40.0, 10.0); }},
    };
    const Accuracy acc = measure(
        "exp", families, [](double x) { return pm::exp(x); }, [](double x) { return std::exp(x); },
        reference_exp);
    EXPECT_LE(acc.max_ulp_vs_std, 1U);
    if (kHaveWideLongDouble) {
        EXPECT_LT(acc.max_ulp_error, 1.0);
    }
    EXPECT_EQ(acc.checksum, kExpChecksum) << std::hex << acc.checksum;
}

TEST(PortableMath, PowAccuracy) {
    // Pairs (x, y) packed into one family argument: the family draws both from its own stream.
    struct Family2 {
        std::string name;
        std::function<std::pair<double, double>(Arguments&)> arguments;
    };
    const std::vector<Family2> families = {
        {"x in (0, 10], y in [-30, 30]",
         [](Arguments& a) {
             return std::pair{10.0 - a.uniform(0.0, 10.0), a.uniform(-30.0, 30.0)};
         }},
        {"growth: x in [0.9, 1.1], y in [-5, 30]",
         [](Arguments& a) {
             return std::pair{a.uniform(0.9, 1.1), a.uniform(-5.0, 30.0)};
         }},
        {"x random bits, y in [-1, 1]",
         [](Arguments& a) {
             return std::pair{a.positive_bits(), a.uniform(-1.0, 1.0)};
         }},
        {"x < 0, integer y in [-60, 60]",
         [](Arguments& a) {
             return std::pair{-a.uniform(0.1, 3.0), std::floor(a.uniform(-60.0, 61.0))};
         }},
        {"results near 2^+-1000",
         [](Arguments& a) {
             const double x = a.uniform(0.5, 2.0);
             const double target = (a.bits() & 1 ? 1.0 : -1.0) * a.uniform(1000.0, 1074.0);
             // y = target / log2(x), with the portable log so that the arguments are the same
             // on every machine.
             return std::pair{x, x == 1.0 ? 1.0 : target * kLn2 / pm::log(x)};
         }},
    };
    Accuracy total;
    for (const Family2& family : families) {
        Arguments args(stream_id("pow/" + family.name));
        double family_max = 0.0;
        std::uint64_t family_max_std = 0;
        for (int i = 0; i < kArgumentsPerFamily; ++i) {
            const auto [x, y] = family.arguments(args);
            const double got = pm::pow(x, y);
            const double want = std::pow(x, y);
            const std::uint64_t d = ulp_distance(got, want);
            family_max_std = std::max(family_max_std, d);
            if (kHaveWideLongDouble && std::isfinite(want)) {
                family_max =
                    std::max(family_max, ulp_error(got, std::pow(static_cast<long double>(x),
                                                                 static_cast<long double>(y))));
            }
            total.checksum = fold(total.checksum, got);
            if (d > 1) {
                ADD_FAILURE() << "pow(" << std::hexfloat << x << ", " << y << ") = " << got
                              << ", C library " << want << std::defaultfloat << ": " << d
                              << " ulp apart";
            }
        }
        std::printf("  %-8s %-40s max error %.3f ulp, max %" PRIu64 " ulp from std::\n", "pow",
                    family.name.c_str(), family_max, family_max_std);
        total.max_ulp_error = std::max(total.max_ulp_error, family_max);
        total.max_ulp_vs_std = std::max(total.max_ulp_vs_std, family_max_std);
    }
    std::printf("  pow: max error %.3f ulp, checksum 0x%016" PRIX64 "\n", total.max_ulp_error,
                total.checksum);
    EXPECT_LE(total.max_ulp_vs_std, 1U);
    if (kHaveWideLongDouble) {
        EXPECT_LT(total.max_ulp_error, 1.0);
    }
    EXPECT_EQ(total.checksum, kPowChecksum) << std::hex << total.checksum;
}

}  // namespace
}  // namespace icsflow::sim
