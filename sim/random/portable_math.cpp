#include "sim/random/portable_math.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

// Translations of fdlibm 5.3 (as kept in FreeBSD's msun and OpenLibm), whose notice reads:
//
//   Copyright (C) 1993-2004 by Sun Microsystems, Inc. All rights reserved.
//   Developed at SunSoft, a Sun Microsystems, Inc. business.
//   Permission to use, copy, modify, and distribute this software is freely granted, provided
//   that this notice is preserved.
//
// The arithmetic is fdlibm's, operation for operation and in the same order (C++ evaluates
// a + b + c as (a + b) + c, like C, and -ffp-contract=off forbids fusing a*b + c), so the results
// are fdlibm's on any IEEE 754 machine. Only the word access (std::bit_cast instead of unions)
// and the raising of floating-point exception flags (not needed here) differ.

namespace icsflow::sim::portable {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The high and low 32-bit words of a double, as fdlibm's GET_HIGH_WORD and GET_LOW_WORD.
std::int32_t high_word(double x) {
    return static_cast<std::int32_t>(
        static_cast<std::uint32_t>(std::bit_cast<std::uint64_t>(x) >> 32));
}
std::uint32_t low_word(double x) {
    return static_cast<std::uint32_t>(std::bit_cast<std::uint64_t>(x));
}
double from_words(std::int32_t high, std::uint32_t low) {
    return std::bit_cast<double>(
        (static_cast<std::uint64_t>(static_cast<std::uint32_t>(high)) << 32) | low);
}
double with_high_word(double x, std::int32_t high) {
    return from_words(high, low_word(x));
}
double with_low_word(double x, std::uint32_t low) {
    return from_words(high_word(x), low);
}

// ln 2 split so that k * kLn2Hi is exact for |k| < 2000.
constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 0x3fe62e42 fee00000
constexpr double kLn2Lo = 1.90821492927058770002e-10;  // 0x3dea39ef 35793c76

// Remez coefficients of log(1+f) = 2s + s*R(s^2), s = f/(2+f), shared by log and log1p.
constexpr double kLg1 = 6.666666666666735130e-01;  // 0x3FE55555 55555593
constexpr double kLg2 = 3.999999999940941908e-01;  // 0x3FD99999 9997FA04
constexpr double kLg3 = 2.857142874366239149e-01;  // 0x3FD24924 94229359
constexpr double kLg4 = 2.222219843214978396e-01;  // 0x3FCC71C5 1D8E78AF
constexpr double kLg5 = 1.818357216161805012e-01;  // 0x3FC74664 96CB03DE
constexpr double kLg6 = 1.531383769920937332e-01;  // 0x3FC39A09 D078C69F
constexpr double kLg7 = 1.479819860511658591e-01;  // 0x3FC2F112 DF3E5244

// Remez coefficients of r (e^r + 1) / (e^r - 1) = 2 + P1 r^2 + ... + P5 r^10, shared by exp and
// pow.
constexpr double kP1 = 1.66666666666666019037e-01;   // 0x3FC55555 5555553E
constexpr double kP2 = -2.77777777770155933842e-03;  // 0xBF66C16C 16BEBD93
constexpr double kP3 = 6.61375632143793436117e-05;   // 0x3F11566A AF25DE2C
constexpr double kP4 = -1.65339022054652515390e-06;  // 0xBEBBBD41 C5D26BF1
constexpr double kP5 = 4.13813679705723846039e-08;   // 0x3E663769 72BEA4D0

// log(k!) for k = 0..127, correctly rounded (computed with 60-digit decimal arithmetic).
constexpr int kLogFactorialTableSize = 128;
constexpr double kLogFactorialTable[kLogFactorialTableSize] = {
    0.0,
    0.0,
    0x1.62e42fefa39efp-1,
    0x1.cab0bfa2a2002p+0,
    0x1.96ca77c922cf9p+1,
    0x1.326643c4479c9p+2,
    0x1.a51273acf01cap+2,
    0x1.10ce1f32dcc30p+3,
    0x1.5358e82fcb70dp+3,
    0x1.99a8921a7f7cfp+3,
    0x1.e357590954d15p+3,
    0x1.180973f3a8d74p+4,
    0x1.3fcba16d50143p+4,
    0x1.68d5a9c3b32cep+4,
    0x1.930f3df162a42p+4,
    0x1.be636a63fd346p+4,
    0x1.eabff061f1a84p+4,
    0x1.0c0a63f2f353ap+5,
    0x1.2329df2d5ee52p+5,
    0x1.3ab8153363985p+5,
    0x1.52af57aed77bep+5,
    0x1.6b0a8643472a9p+5,
    0x1.83c4faba84f06p+5,
    0x1.9cda78b856a45p+5,
    0x1.b6472034e8d14p+5,
    0x1.d007622cd65e7p+5,
    0x1.ea17f717c6794p+5,
    0x1.023aeb67e4fefp+6,
    0x1.0f8f18d330240p+6,
    0x1.1d07353917231p+6,
    0x1.2aa208b59d0e5p+6,
    0x1.385e6fd9e5a40p+6,
    0x1.463b59b942084p+6,
    0x1.5437c633ace4ap+6,
    0x1.6252c474896bap+6,
    0x1.708b719e11658p+6,
    0x1.7ee0f79b26758p+6,
    0x1.8d528c1243d96p+6,
    0x1.9bdf6f75257a3p+6,
    0x1.aa86ec2969812p+6,
    0x1.b94855c702ba2p+6,
    0x1.c8230869ca105p+6,
    0x1.d7166813e12eep+6,
    0x1.e621e01eeba4fp+6,
    0x1.f544e2ba69cf1p+6,
    0x1.023f743addd9fp+7,
    0x1.09e7b7ea41ea9p+7,
    0x1.119afe762626bp+7,
    0x1.19590c853a559p+7,
    0x1.2121a930c6ec3p+7,
    0x1.28f49ddeb1f31p+7,
    0x1.30d1b61e86335p+7,
    0x1.38b8bf8931ddbp+7,
    0x1.40a989a33a6cdp+7,
    0x1.48a3e5c12af19p+7,
    0x1.50a7a6ee08711p+7,
    0x1.58b4a1d39da73p+7,
    0x1.60caaca474746p+7,
    0x1.68e99f0757979p+7,
    0x1.711152043b2c4p+7,
    0x1.79419ff26dc59p+7,
    0x1.817a6467f6fb9p+7,
    0x1.89bb7c2a0aea1p+7,
    0x1.9204c51e7c761p+7,
    0x1.9a561e3e1a4bdp+7,
    0x1.a2af6787e4609p+7,
    0x1.ab1081f509726p+7,
    0x1.b3794f6d9d7afp+7,
    0x1.bbe9b2bdfb621p+7,
    0x1.c4618f8cc56f7p+7,
    0x1.cce0ca5179100p+7,
    0x1.d567484b8b7b6p+7,
    0x1.ddf4ef7a05a70p+7,
    0x1.e689a69396befp+7,
    0x1.ef2554ff15148p+7,
    0x1.f7c7e2cc66183p+7,
    0x1.00389c56e3462p+8,
    0x1.04909ff8b652bp+8,
    0x1.08ebf13dbf263p+8,
    0x1.0d4a85602b129p+8,
    0x1.11ac51df8932ap+8,
    0x1.16114c7e34736p+8,
    0x1.1a796b3ede1acp+8,
    0x1.1ee4a46236d3ep+8,
    0x1.2352ee64b46d5p+8,
    0x1.27c43ffc72962p+8,
    0x1.2c3890172d057p+8,
    0x1.30afd5d851956p+8,
    0x1.352a089728f1bp+8,
    0x1.39a71fdd14947p+8,
    0x1.3e271363e0df7p+8,
    0x1.42a9db142a36ap+8,
    0x1.472f6f03d410cp+8,
    0x1.4bb7c77491066p+8,
    0x1.5042dcd27af64p+8,
    0x1.54d0a7b2ba658p+8,
    0x1.596120d23c4ecp+8,
    0x1.5df4411475a1cp+8,
    0x1.628a018233bedp+8,
    0x1.67225b4879462p+8,
    0x1.6bbd47b7669b6p+8,
    0x1.705ac0412d89fp+8,
    0x1.74fabe790f7bep+8,
    0x1.799d3c1265c0ep+8,
    0x1.7e4232dfb367dp+8,
    0x1.82e99cd1c0368p+8,
    0x1.879373f6bc4fep+8,
    0x1.8c3fb2796c21cp+8,
    0x1.90ee52a05c35fp+8,
    0x1.959f4ecd1c8b3p+8,
    0x1.9a52a17b831ccp+8,
    0x1.9f084540f545ep+8,
    0x1.a3c034cbb7b2cp+8,
    0x1.a87a6ae24493ap+8,
    0x1.ad36e262a7cc0p+8,
    0x1.b1f59641e0db5p+8,
    0x1.b6b6818b4a3ebp+8,
    0x1.bb799f600610ap+8,
    0x1.c03eeaf66facdp+8,
    0x1.c5065f9992226p+8,
    0x1.c9cff8a8a340dp+8,
    0x1.ce9bb196830eap+8,
    0x1.d36985e93f7b8p+8,
    0x1.d83971399c213p+8,
    0x1.dd0b6f329dea4p+8,
    0x1.e1df7b911a74cp+8,
    0x1.e6b592234b0c9p+8,
    0x1.eb8daec863182p+8,
};

// 0.5 * log(2 pi) - 0.5, for Stirling's series (0.5 * log(2 pi) = 0x1.d67f1c864beb5p-1 correctly
// rounded; subtracting 0.5 from it is exact).
constexpr double kHalfLog2PiMinusHalf = 0x1.d67f1c864beb5p-1 - 0.5;

}  // namespace

// fdlibm e_log.c: x = 2^k (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2), log(1 + f) from
// s = f / (2 + f) and a degree-14 Remez polynomial; log(x) = k ln2 + log(1 + f). Error < 1 ulp.
double log(double x) {
    std::int32_t hx = high_word(x);
    const std::uint32_t lx = low_word(x);

    std::int32_t k = 0;
    if (hx < 0x00100000) {  // x < 2^-1022
        if (((static_cast<std::uint32_t>(hx) & 0x7fffffffU) | lx) == 0) {
            return -kInfinity;  // log(+-0) = -inf
        }
        if (hx < 0) {
            return kNaN;  // log(negative) = NaN
        }
        k -= 54;
        x *= 0x1p54;  // subnormal: scale up
        hx = high_word(x);
    }
    if (hx >= 0x7ff00000) {
        return x + x;  // +inf or NaN
    }
    k += (hx >> 20) - 1023;
    hx &= 0x000fffff;
    const std::int32_t i = (hx + 0x95f64) & 0x100000;
    x = with_high_word(x, hx | (i ^ 0x3ff00000));  // normalise x or x/2
    k += (i >> 20);
    const double f = x - 1.0;
    if ((0x000fffff & (2 + hx)) < 3) {  // -2^-20 <= f < 2^-20
        if (f == 0.0) {
            if (k == 0) {
                return 0.0;
            }
            const double dk = k;
            return dk * kLn2Hi + dk * kLn2Lo;
        }
        const double r = f * f * (0.5 - 0.33333333333333333 * f);
        if (k == 0) {
            return f - r;
        }
        const double dk = k;
        return dk * kLn2Hi - ((r - dk * kLn2Lo) - f);
    }
    const double s = f / (2.0 + f);
    const double dk = k;
    const double z = s * s;
    std::int32_t i2 = hx - 0x6147a;
    const double w = z * z;
    const std::int32_t j = 0x6b851 - hx;
    const double t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
    const double t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
    i2 |= j;
    const double r = t2 + t1;
    if (i2 > 0) {
        const double hfsq = 0.5 * f * f;
        if (k == 0) {
            return f - (hfsq - s * (hfsq + r));
        }
        return dk * kLn2Hi - ((hfsq - (s * (hfsq + r) + dk * kLn2Lo)) - f);
    }
    if (k == 0) {
        return f - s * (f - r);
    }
    return dk * kLn2Hi - ((s * (f - r) - dk * kLn2Lo) - f);
}

// fdlibm s_log1p.c: as log, with 1 + x = 2^k (1 + f) and a correction c/u for the rounding of
// u = 1 + x. Error < 1 ulp.
double log1p(double x) {
    const std::int32_t hx = high_word(x);
    const std::int32_t ax = hx & 0x7fffffff;

    std::int32_t k = 1;
    std::int32_t hu = 0;
    double f = 0.0;
    double c = 0.0;
    if (hx < 0x3FDA827A) {       // 1 + x < sqrt(2)+
        if (ax >= 0x3ff00000) {  // x <= -1
            return x == -1.0 ? -kInfinity : kNaN;
        }
        if (ax < 0x3e200000) {      // |x| < 2^-29
            if (ax < 0x3c900000) {  // |x| < 2^-54
                return x;
            }
            return x - x * x * 0.5;
        }
        if (hx > 0 || hx <= static_cast<std::int32_t>(0xbfd2bec4U)) {
            k = 0;  // sqrt(2)/2- <= 1 + x < sqrt(2)+
            f = x;
            hu = 1;
        }
    }
    if (hx >= 0x7ff00000) {
        return x + x;  // +inf or NaN
    }
    if (k != 0) {
        double u;
        if (hx < 0x43400000) {
            u = 1.0 + x;
            hu = high_word(u);
            k = (hu >> 20) - 1023;
            c = (k > 0) ? 1.0 - (u - x) : x - (u - 1.0);  // correction term
            c /= u;
        } else {
            u = x;
            hu = high_word(u);
            k = (hu >> 20) - 1023;
            c = 0.0;
        }
        hu &= 0x000fffff;
        if (hu < 0x6a09e) {                          // u ~< sqrt(2)
            u = with_high_word(u, hu | 0x3ff00000);  // normalise u
        } else {
            k += 1;
            u = with_high_word(u, hu | 0x3fe00000);  // normalise u/2
            hu = (0x00100000 - hu) >> 2;
        }
        f = u - 1.0;
    }
    const double hfsq = 0.5 * f * f;
    if (hu == 0) {  // |f| < 2^-20
        if (f == 0.0) {
            if (k == 0) {
                return 0.0;
            }
            c += k * kLn2Lo;
            return k * kLn2Hi + c;
        }
        const double r = hfsq * (1.0 - 0.66666666666666666 * f);
        if (k == 0) {
            return f - r;
        }
        return k * kLn2Hi - ((r - (k * kLn2Lo + c)) - f);
    }
    const double s = f / (2.0 + f);
    const double z = s * s;
    const double r =
        z * (kLg1 + z * (kLg2 + z * (kLg3 + z * (kLg4 + z * (kLg5 + z * (kLg6 + z * kLg7))))));
    if (k == 0) {
        return f - (hfsq - s * (hfsq + r));
    }
    return k * kLn2Hi - ((hfsq - (s * (hfsq + r) + (k * kLn2Lo + c))) - f);
}

// fdlibm e_exp.c: x = k ln2 + r with |r| <= ln2/2 (r kept as hi - lo), e^r from a degree-5
// Remez approximation of r (e^r + 1) / (e^r - 1), e^x = 2^k e^r. Error < 1 ulp.
double exp(double x) {
    constexpr double kOverflow = 7.09782712893383973096e+02;    // 0x40862E42 FEFA39EF
    constexpr double kUnderflow = -7.45133219101941108420e+02;  // 0xc0874910 D52D3051
    constexpr double kHalf[2] = {0.5, -0.5};
    constexpr double kLn2HiSigned[2] = {kLn2Hi, -kLn2Hi};
    constexpr double kLn2LoSigned[2] = {kLn2Lo, -kLn2Lo};
    constexpr double kInvLn2 = 1.44269504088896338700e+00;  // 0x3ff71547 652b82fe

    std::uint32_t hx = static_cast<std::uint32_t>(high_word(x));
    const int xsb = static_cast<int>((hx >> 31) & 1);  // sign of x
    hx &= 0x7fffffffU;                                 // high word of |x|

    if (hx >= 0x40862E42U) {  // |x| >= 709.78...
        if (hx >= 0x7ff00000U) {
            if (((hx & 0xfffffU) | low_word(x)) != 0) {
                return x + x;  // NaN
            }
            return xsb == 0 ? x : 0.0;  // exp(+-inf) = {inf, 0}
        }
        if (x > kOverflow) {
            return kInfinity;
        }
        if (x < kUnderflow) {
            return 0.0;
        }
    }

    double hi = 0.0;
    double lo = 0.0;
    std::int32_t k = 0;
    if (hx > 0x3fd62e42U) {      // |x| > 0.5 ln2
        if (hx < 0x3FF0A2B2U) {  // and |x| < 1.5 ln2
            hi = x - kLn2HiSigned[xsb];
            lo = kLn2LoSigned[xsb];
            k = 1 - xsb - xsb;
        } else {
            k = static_cast<std::int32_t>(kInvLn2 * x + kHalf[xsb]);
            const double t = k;
            hi = x - t * kLn2Hi;  // t * kLn2Hi is exact here
            lo = t * kLn2Lo;
        }
        x = hi - lo;
    } else if (hx < 0x3e300000U) {  // |x| < 2^-28
        return 1.0 + x;
    }

    // x is now in the primary range.
    const double t = x * x;
    const double twopk = k >= -1021 ? from_words(0x3ff00000 + k * (1 << 20), 0)
                                    : from_words(0x3ff00000 + (k + 1000) * (1 << 20), 0);
    const double c = x - t * (kP1 + t * (kP2 + t * (kP3 + t * (kP4 + t * kP5))));
    if (k == 0) {
        return 1.0 - ((x * c) / (c - 2.0) - x);
    }
    const double y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
    if (k >= -1021) {
        if (k == 1024) {
            return y * 2.0 * 0x1p1023;
        }
        return y * twopk;
    }
    return y * twopk * 0x1p-1000;  // subnormal result: one rounding, in the last product
}

// fdlibm e_pow.c: log2(x) in two pieces w1 + w2 (w1 with 29 trailing zero bits), y log2(x) =
// n + y' by simulated multi-precision arithmetic with |y'| <= 0.5, x^y = 2^n exp(y' ln2).
// Error < 1 ulp ("nearly rounded"); integer powers of integers are exact when representable.
double pow(double x, double y) {
    constexpr double kBp[2] = {1.0, 1.5};
    constexpr double kDpH[2] = {0.0, 5.84962487220764160156e-01};  // 0x3FE2B803 40000000
    constexpr double kDpL[2] = {0.0, 1.35003920212974897128e-08};  // 0x3E4CFDEB 43CFD006
    // Coefficients of (3/2) (log(x) - 2s - 2/3 s^3).
    constexpr double kL1 = 5.99999999999994648725e-01;       // 0x3FE33333 33333303
    constexpr double kL2 = 4.28571428578550184252e-01;       // 0x3FDB6DB6 DB6FABFF
    constexpr double kL3 = 3.33333329818377432918e-01;       // 0x3FD55555 518F264D
    constexpr double kL4 = 2.72728123808534006489e-01;       // 0x3FD17460 A91D4101
    constexpr double kL5 = 2.30660745775561754067e-01;       // 0x3FCD864A 93C9DB65
    constexpr double kL6 = 2.06975017800338417784e-01;       // 0x3FCA7E28 4A454EEF
    constexpr double kLg2Full = 6.93147180559945286227e-01;  // 0x3FE62E42 FEFA39EF
    constexpr double kLg2H = 6.93147182464599609375e-01;     // 0x3FE62E43 00000000
    constexpr double kLg2L = -1.90465429995776804525e-09;    // 0xBE205C61 0CA86C39
    constexpr double kOvt = 8.0085662595372944372e-17;       // -(1024 - log2(ovfl + .5ulp))
    constexpr double kCp = 9.61796693925975554329e-01;       // 0x3FEEC709 DC3A03FD = 2/(3 ln2)
    constexpr double kCpH = 9.61796700954437255859e-01;      // 0x3FEEC709 E0000000 = (float)cp
    constexpr double kCpL = -7.02846165095275826516e-09;     // 0xBE3E2FE0 145B01F5 = tail of cp_h
    constexpr double kIvLn2 = 1.44269504088896338700e+00;    // 0x3FF71547 652B82FE = 1/ln2
    constexpr double kIvLn2H = 1.44269502162933349609e+00;   // 0x3FF71547 60000000 = 24b 1/ln2
    constexpr double kIvLn2L = 1.92596299112661746887e-08;   // 0x3E54AE0B F85DDF44 = 1/ln2 tail

    const std::int32_t hx = high_word(x);
    const std::uint32_t lx = low_word(x);
    const std::int32_t hy = high_word(y);
    const std::uint32_t ly = low_word(y);
    std::int32_t ix = hx & 0x7fffffff;
    const std::int32_t iy = hy & 0x7fffffff;

    if ((static_cast<std::uint32_t>(iy) | ly) == 0) {
        return 1.0;  // x^0 = 1
    }
    if (hx == 0x3ff00000 && lx == 0) {
        return 1.0;  // 1^y = 1, even for NaN y
    }
    if (ix > 0x7ff00000 || (ix == 0x7ff00000 && lx != 0) || iy > 0x7ff00000 ||
        (iy == 0x7ff00000 && ly != 0)) {
        return (x + 0.0) + (y + 0.0);  // NaN
    }

    // For x < 0: yisint = 0 when y is not an integer, 1 when an odd one, 2 when an even one.
    std::int32_t yisint = 0;
    if (hx < 0) {
        if (iy >= 0x43400000) {
            yisint = 2;  // even integer y
        } else if (iy >= 0x3ff00000) {
            const std::int32_t e = (iy >> 20) - 0x3ff;  // exponent
            if (e > 20) {
                const std::uint32_t j = ly >> (52 - e);
                if ((j << (52 - e)) == ly) {
                    yisint = 2 - static_cast<std::int32_t>(j & 1);
                }
            } else if (ly == 0) {
                const std::int32_t j = iy >> (20 - e);
                if ((j << (20 - e)) == iy) {
                    yisint = 2 - (j & 1);
                }
            }
        }
    }

    // Special values of y.
    if (ly == 0) {
        if (iy == 0x7ff00000) {  // y is +-inf
            if (((static_cast<std::uint32_t>(ix) - 0x3ff00000U) | lx) == 0) {
                return 1.0;  // (-1)^+-inf = 1
            }
            if (ix >= 0x3ff00000) {  // (|x| > 1)^+-inf = inf, 0
                return hy >= 0 ? y : 0.0;
            }
            return hy < 0 ? -y : 0.0;  // (|x| < 1)^-+inf = inf, 0
        }
        if (iy == 0x3ff00000) {  // y is +-1
            return hy < 0 ? 1.0 / x : x;
        }
        if (hy == 0x40000000) {
            return x * x;  // y is 2
        }
        if (hy == 0x3fe00000 && hx >= 0) {
            return std::sqrt(x);  // y is 0.5 and x >= +0: sqrt is exactly rounded
        }
    }

    double ax = std::fabs(x);
    // Special values of x.
    if (lx == 0 && (ix == 0x7ff00000 || ix == 0 || ix == 0x3ff00000)) {  // +-0, +-inf, +-1
        double z = ax;
        if (hy < 0) {
            z = 1.0 / z;  // 1/|x|
        }
        if (hx < 0) {
            if (((ix - 0x3ff00000) | yisint) == 0) {
                z = kNaN;  // (-1)^non-integer
            } else if (yisint == 1) {
                z = -z;  // (x < 0)^odd = -(|x|^odd)
            }
        }
        return z;
    }

    std::int32_t n = hx < 0 ? 0 : -1;
    if ((n | yisint) == 0) {
        return kNaN;  // (x < 0)^non-integer
    }
    double sign = 1.0;
    if ((n | (yisint - 1)) == 0) {
        sign = -1.0;  // (x < 0)^odd integer
    }

    double t1;
    double t2;
    if (iy > 0x41e00000) {      // |y| > 2^31
        if (iy > 0x43f00000) {  // |y| > 2^64: must overflow or underflow
            if (ix <= 0x3fefffff) {
                return hy < 0 ? kInfinity : 0.0;
            }
            if (ix >= 0x3ff00000) {
                return hy > 0 ? kInfinity : 0.0;
            }
        }
        // Overflow or underflow when x is not close to one.
        if (ix < 0x3fefffff) {
            return hy < 0 ? sign * kInfinity : sign * 0.0;
        }
        if (ix > 0x3ff00000) {
            return hy > 0 ? sign * kInfinity : sign * 0.0;
        }
        // Now |1 - x| <= 2^-20: log(x) by x - x^2/2 + x^3/3 - x^4/4.
        const double t = ax - 1.0;  // 20 trailing zeros
        const double w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
        const double u = kIvLn2H * t;  // kIvLn2H has 21 significant bits
        const double v = t * kIvLn2L - w * kIvLn2;
        t1 = with_low_word(u + v, 0);
        t2 = v - (t1 - u);
    } else {
        n = 0;
        if (ix < 0x00100000) {  // subnormal x
            ax *= 0x1p53;
            n -= 53;
            ix = high_word(ax);
        }
        n += (ix >> 20) - 0x3ff;
        const std::int32_t j = ix & 0x000fffff;
        // Which interval.
        int k = 0;
        ix = j | 0x3ff00000;  // normalise ix
        if (j <= 0x3988E) {
            k = 0;  // |x| < sqrt(3/2)
        } else if (j < 0xBB67A) {
            k = 1;  // |x| < sqrt(3)
        } else {
            k = 0;
            n += 1;
            ix -= 0x00100000;
        }
        ax = with_high_word(ax, ix);

        // ss = s_h + s_l = (x - 1)/(x + 1) or (x - 1.5)/(x + 1.5).
        double u = ax - kBp[k];
        double v = 1.0 / (ax + kBp[k]);
        const double ss = u * v;
        const double s_h = with_low_word(ss, 0);
        // t_h = ax + bp[k], high part.
        double t_h = from_words(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0);
        double t_l = ax - (t_h - kBp[k]);
        const double s_l = v * ((u - s_h * t_h) - s_h * t_l);
        // log(ax).
        double s2 = ss * ss;
        double r = s2 * s2 * (kL1 + s2 * (kL2 + s2 * (kL3 + s2 * (kL4 + s2 * (kL5 + s2 * kL6)))));
        r += s_l * (s_h + ss);
        s2 = s_h * s_h;
        t_h = with_low_word(3.0 + s2 + r, 0);
        t_l = r - ((t_h - 3.0) - s2);
        // u + v = ss (1 + ...).
        u = s_h * t_h;
        v = s_l * t_h + t_l * ss;
        // 2/(3 log 2) (ss + ...).
        const double p_h = with_low_word(u + v, 0);
        const double p_l = v - (p_h - u);
        const double z_h = kCpH * p_h;  // cp_h + cp_l = 2/(3 log 2)
        const double z_l = kCpL * p_h + p_l * kCp + kDpL[k];
        // log2(ax) = (ss + ...) 2/(3 log 2) = n + dp_h + z_h + z_l.
        const double t = n;
        t1 = with_low_word(((z_h + z_l) + kDpH[k]) + t, 0);
        t2 = z_l - (((t1 - t) - kDpH[k]) - z_h);
    }

    // Split y into y1 + y2 and compute (y1 + y2) (t1 + t2).
    const double y1 = with_low_word(y, 0);
    const double p_l = (y - y1) * t1 + y * t2;
    double p_h = y1 * t1;
    double z = p_l + p_h;
    std::int32_t j = high_word(z);
    const std::uint32_t i = low_word(z);
    if (j >= 0x40900000) {  // z >= 1024
        if ((static_cast<std::uint32_t>(j - 0x40900000) | i) != 0) {
            return sign * kInfinity;  // z > 1024
        }
        if (p_l + kOvt > z - p_h) {
            return sign * kInfinity;
        }
    } else if ((j & 0x7fffffff) >= 0x4090cc00) {  // z <= -1075
        if (((static_cast<std::uint32_t>(j) - 0xc090cc00U) | i) != 0) {
            return sign * 0.0;  // z < -1075
        }
        if (p_l <= z - p_h) {
            return sign * 0.0;
        }
    }

    // 2^(p_h + p_l).
    const std::int32_t abs_j = j & 0x7fffffff;
    std::int32_t k = (abs_j >> 20) - 0x3ff;
    n = 0;
    if (abs_j > 0x3fe00000) {  // |z| > 0.5: n = [z + 0.5]
        n = j + (0x00100000 >> (k + 1));
        k = ((n & 0x7fffffff) >> 20) - 0x3ff;  // new k for n
        const double t = from_words(n & ~(0x000fffff >> k), 0);
        n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
        if (j < 0) {
            n = -n;
        }
        p_h -= t;
    }
    double t = with_low_word(p_l + p_h, 0);
    const double u = t * kLg2H;
    const double v = (p_l - (t - p_h)) * kLg2Full + t * kLg2L;
    z = u + v;
    const double w = v - (z - u);
    t = z * z;
    t1 = z - t * (kP1 + t * (kP2 + t * (kP3 + t * (kP4 + t * kP5))));
    const double r = (z * t1) / (t1 - 2.0) - (w + z * w);
    z = 1.0 - (r - z);
    j = high_word(z) + n * (1 << 20);
    if ((j >> 20) <= 0) {
        // Subnormal result: here n < -1000 and z is near 1, so z 2^-1000 is exact and the
        // product by 2^(n + 1000) rounds once, as scalbn(z, n) does.
        z *= 0x1p-1000;
        z *= from_words((0x3ff + n + 1000) * (1 << 20), 0);
    } else {
        z = with_high_word(z, j);
    }
    return sign * z;
}

// log(k!): the table below 128; above, Stirling's series for log Gamma(x), x = k + 1,
//   (x - 1/2) log x - x + log(2 pi)/2 + 1/(12x) - 1/(360x^3) + 1/(1260x^5) - 1/(1680x^7),
// whose next term is below 1e-19 for x >= 129, written as (x - 1/2)(log x - 1) + (log(2 pi) -
// 1)/2 + series (log x - 1 is exact).
double log_factorial(std::int64_t k) {
    if (k < 0) {
        return kNaN;
    }
    if (k < kLogFactorialTableSize) {
        return kLogFactorialTable[k];
    }
    const double x = static_cast<double>(k) + 1.0;
    const double r = 1.0 / x;
    const double r2 = r * r;
    const double series =
        r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0 - r2 * (1.0 / 1680.0))));
    return (x - 0.5) * (log(x) - 1.0) + (kHalfLog2PiMinusHalf + series);
}

}  // namespace icsflow::sim::portable
