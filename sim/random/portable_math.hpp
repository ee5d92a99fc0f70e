#pragma once

// Elementary functions that give the same bits on every machine.
//
// glibc's libm chooses among code paths by CPU at load time (with and without FMA, for one), so
// std::log, std::exp, std::pow and friends may differ in the last place between two x86-64
// machines, and between x86-64 and aarch64. Anything that feeds simulation results (random
// variates, rates, distribution parameters) uses these instead: they are written with IEEE 754
// basic operations only (+ - * / and sqrt, each exactly rounded) and integer bit manipulation,
// and the project compiles with -ffp-contract=off so that no a*b+c is fused into an FMA. Given
// the same inputs they return the same bits on any IEEE 754 double machine.
//
// The algorithms are fdlibm's (Sun Microsystems, 1993-2004): log (e_log.c), log1p (s_log1p.c),
// exp (e_exp.c) and pow (e_pow.c), each with an error below 1 ulp; tests/unit/
// portable_math_test.cpp checks that against the C library on millions of arguments and pins
// checksums of the results.
#include <cstdint>

namespace icsflow::sim::portable {

// Natural logarithm. log(+-0) = -inf, log(x < 0) = NaN, log(+inf) = +inf.
[[nodiscard]] double log(double x);

// log(1 + x), accurate for small x. log1p(-1) = -inf, log1p(x < -1) = NaN.
[[nodiscard]] double log1p(double x);

// e^x. Overflows to +inf above 709.78, underflows through the subnormals to 0 below -745.13.
[[nodiscard]] double exp(double x);

// x^y with C99's special cases (pow(x, 0) = 1, pow(1, y) = 1, negative x only with integer y).
[[nodiscard]] double pow(double x, double y);

// log(k!) = lgamma(k + 1) for k >= 0: a table of correctly rounded values for k < 128 and
// Stirling's series beyond (relative error below 2^-51 there). NaN for k < 0.
[[nodiscard]] double log_factorial(std::int64_t k);

}  // namespace icsflow::sim::portable
