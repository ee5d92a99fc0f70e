#pragma once

// Shared helper of the statistical tests.
//
// Every check compares a sample mean with an exact answer: it passes when the two differ by at
// most 4 standard errors, the standard error being estimated from the spread of the sample itself
// (independent draws, or independent replications). For a sample mean of n independent values the
// central limit theorem makes (mean - exact) / SE approximately standard normal, so an unbiased
// estimator fails a 4-SE check with probability about 6e-5 (3e-4 for 40 replications, with
// Student's t). Seeds are fixed, so each check gives the same verdict on every run: it is a
// deterministic test that a correct implementation passes and a wrong mean (by more than a few
// SE) fails. Each check also asserts its own power: the 4-SE band must be narrow compared with
// the exact value, so that a check cannot pass merely because the sample was too small.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "sim/output/moments.hpp"

namespace icsflow::test {

inline constexpr double kStandardErrors = 4.0;

// `estimate` within 4 standard errors of `exact`, and 4 SE no wider than `max_relative_band`
// times |exact| (or than `max_relative_band` itself when exact is 0).
inline void expect_within_standard_errors(const std::string& what, const sim::Moments& estimate,
                                          double exact, double max_relative_band = 0.1) {
    const double mean = estimate.mean();
    const double se = estimate.standard_error();
    const double z = (mean - exact) / se;
    std::printf("  %-58s %12.6g +- %-10.3g exact %-12.6g z = %+.2f (n = %llu)\n", what.c_str(),
                mean, se, exact, z, static_cast<unsigned long long>(estimate.n));
    ASSERT_TRUE(std::isfinite(mean)) << what;
    ASSERT_TRUE(se > 0.0) << what << ": no spread, so no standard error";
    EXPECT_LE(std::fabs(mean - exact), kStandardErrors * se)
        << what << ": mean " << mean << " differs from the exact " << exact << " by " << z
        << " standard errors (SE " << se << ")";
    const double scale = exact != 0.0 ? std::fabs(exact) : 1.0;
    EXPECT_LE(kStandardErrors * se, max_relative_band * scale)
        << what << ": the check has too little power (4 SE = " << kStandardErrors * se << ")";
}

}  // namespace icsflow::test
