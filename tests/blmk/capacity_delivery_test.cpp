// Uncertain delivery of planned capacity (`uncertainty.capacity_delivery_sd`).
//
// An overloaded clinic (10 referrals a day for 6 slots a day) works at capacity every day, so a
// month's first appointments are exactly its slots times the month's delivery multiplier f (up to
// the rounding of fractional slots, under 1 in 180). The multipliers are log-normal with mean 1
// and SD s by construction, so over replications x months the ratio
// appointments / (6 x days) must have mean 1 and SD s, within 4 standard errors; with s = 0 it is
// exactly 1 in every month.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "blmk/blmk_test_support.hpp"
#include "statistics/statistical_check.hpp"

namespace icsflow::test::blmk {
namespace {

constexpr double kSlotsPerDay = 6.0;

std::string overloaded_clinic(double sd) {
    return R"(
[hospitals.general.clinics.surgery]
first_slots_per_week = 42.0

[uncertainty]
capacity_delivery_sd = )" +
           std::to_string(sd) + "\n";
}

// appointments / planned slots, for every replication and month after the first (the first
// month's backlog may not yet cover every slot).
sim::Moments delivered_share(const Batch& batch, double& largest_deviation) {
    const sim::TimeAxis& months = batch.months();
    sim::Moments share;
    largest_deviation = 0.0;
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        for (std::size_t m = 1; m < months.start.size(); ++m) {
            const double days = months.end[m] - months.start[m];
            const double ratio =
                batch.series(r, "activity", {m, 0, 0}) / (kSlotsPerDay * days);  // first OP
            share.add(ratio);
            largest_deviation = std::max(largest_deviation, std::fabs(ratio - 1.0));
        }
    }
    return share;
}

TEST(CapacityDelivery, PlannedCapacityIsDeliveredExactlyWithoutUncertainty) {
    const Batch batch(load("one_clinic.toml", overloaded_clinic(0.0)));
    double largest_deviation = 0.0;
    static_cast<void>(delivered_share(batch, largest_deviation));
    EXPECT_LT(largest_deviation, 1.0 / (kSlotsPerDay * 28.0));
}

TEST(CapacityDelivery, MonthlyDeliveryHasMeanOneAndTheConfiguredSpread) {
    const double sd = 0.1;
    const Batch batch(load("one_clinic.toml", overloaded_clinic(sd)));
    double largest_deviation = 0.0;
    const sim::Moments share = delivered_share(batch, largest_deviation);
    ASSERT_GE(share.n, 400U);
    expect_within_standard_errors("mean delivered share", share, 1.0, 0.025);
    // The sample SD's standard error for a near-normal variable: s / sqrt(2 (n - 1)), inflated by
    // the log-normal's kurtosis (3.16 at s = 0.1): s sqrt((kurtosis - 1) / (4 n)).
    const double n = static_cast<double>(share.n);
    const double se_of_sd = sd * std::sqrt((3.16 - 1.0) / (4.0 * n));
    EXPECT_NEAR(std::sqrt(share.variance()), sd, kStandardErrors * se_of_sd);
    EXPECT_GT(largest_deviation, sd);  // the multipliers really vary
}

}  // namespace
}  // namespace icsflow::test::blmk
