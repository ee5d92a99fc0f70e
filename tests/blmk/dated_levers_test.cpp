// Dated policy levers: the discharge assessment delay changed by date. A multiplier in force for
// the whole run is exactly the same as the doubled delay (same random numbers, same results); a
// change from a date leaves every month before it untouched and holds patients longer after it.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "blmk/blmk_test_support.hpp"

namespace icsflow::test::blmk {
namespace {

const std::string kShortRun = R"(
[run]
end_date = 2020-03-31
warmup_days = 60
replications = 4
)";

TEST(DatedLevers, AnAssessmentDelayMultiplierEqualsTheScaledDelay) {
    const Batch doubled(load("discharge_to_community.toml",
                             kShortRun + "[emergency]\nassessment_delay = { distribution = "
                                         "\"fixed\", value = 2.0 }\n"));
    const Batch multiplied(load("discharge_to_community.toml", kShortRun + R"(
[[assessment_delay_changes]]
from = 2000-01-01
to = 2030-01-01
multiplier = 2.0
)"));
    ASSERT_EQ(doubled.replications(), multiplied.replications());
    std::size_t compared = 0;
    for (std::size_t r = 0; r < doubled.replications(); ++r) {
        const auto& a = doubled.results()[r].series;
        const auto& b = multiplied.results()[r].series;
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t s = 0; s < a.size(); ++s) {
            ASSERT_EQ(a[s].size(), b[s].size());
            for (std::size_t i = 0; i < a[s].size(); ++i) {
                // NaN (no value) must be NaN in both; every other value identical.
                if (std::isnan(a[s][i]) || std::isnan(b[s][i])) {
                    EXPECT_TRUE(std::isnan(a[s][i]) && std::isnan(b[s][i]))
                        << doubled.schema().series()[s].name << " [" << i << "]";
                } else {
                    EXPECT_EQ(a[s][i], b[s][i])
                        << doubled.schema().series()[s].name << " [" << i << "]";
                    ++compared;
                }
            }
        }
    }
    EXPECT_GT(compared, 1000U);
    // And the doubled delay does show: more medically fit beds than with the 1-day delay.
    const Batch single(load("discharge_to_community.toml", kShortRun));
    EXPECT_GT(doubled.series(0, "beds_medically_fit", {6, 0}),
              single.series(0, "beds_medically_fit", {6, 0}));
}

TEST(DatedLevers, AnAssessmentDelayChangeActsFromItsDateOnly) {
    const Batch before(load("discharge_to_community.toml", kShortRun));
    const Batch after(load("discharge_to_community.toml", kShortRun + R"(
[[assessment_delay_changes]]
label = "slower assessments from October"
from = 2019-10-01
to = 2030-01-01
multiplier = 3.0
)"));
    const std::size_t october = 6;
    ASSERT_EQ(before.months().labels[october], "2019-10");
    double fit_before = 0.0;
    double fit_after = 0.0;
    for (std::size_t r = 0; r < before.replications(); ++r) {
        for (std::size_t m = 0; m < october; ++m) {
            EXPECT_EQ(before.series(r, "beds_medically_fit", {m, 0}),
                      after.series(r, "beds_medically_fit", {m, 0}))
                << "month " << m;
        }
        for (std::size_t m = october + 1; m < before.periods("beds_medically_fit"); ++m) {
            fit_before += before.series(r, "beds_medically_fit", {m, 0});
            fit_after += after.series(r, "beds_medically_fit", {m, 0});
        }
    }
    // 4 emergency admissions a day all need support: 1 day of assessment more per patient is
    // about 4 more medically fit beds on average (Little's law); 2 more days, about 8.
    const double months = static_cast<double>(before.replications() *
                                              (before.periods("beds_medically_fit") - october - 1));
    EXPECT_GT((fit_after - fit_before) / months, 6.0);
    EXPECT_LT((fit_after - fit_before) / months, 10.0);
}

TEST(DatedLevers, RingFencedBedsByDateAreAddedToOrTakenOutOfTheGeneralBeds) {
    // 1,000 general beds; from October 2019 to January 2020, 40 beds ring-fenced for electives:
    // added (1,040 beds open) or taken out of the general beds (1,000 open, 960 general).
    const auto fence = [](bool from_general) {
        return kShortRun + std::string(R"(
[[ring_fence_changes]]
label = "elective ring fence"
from = 2019-10-01
to = 2020-01-01
beds = 40
from_general = )") +
               (from_general ? "true" : "false") + "\n";
    };
    const Batch added(load("discharge_to_community.toml", fence(false)));
    const Batch taken(load("discharge_to_community.toml", fence(true)));
    ASSERT_EQ(added.months().labels[6], "2019-10");
    for (std::size_t r = 0; r < added.replications(); ++r) {
        for (std::size_t m = 0; m < added.periods("beds_available"); ++m) {
            const bool fenced = m >= 6 && m < 9;  // October to December
            // Time-averages over the month: exact up to rounding.
            EXPECT_NEAR(added.series(r, "beds_available", {m, 0}), fenced ? 1040.0 : 1000.0, 1e-9)
                << "month " << m;
            EXPECT_NEAR(taken.series(r, "beds_available", {m, 0}), 1000.0, 1e-9) << "month " << m;
        }
    }
    // The fence is read as configured.
    const sim::LoadedScenario loaded = load("discharge_to_community.toml", fence(true));
    const auto& tables = blmk_scenario(loaded).tables();
    const double october = tables.calendar.time_of(
        sim::Date{std::chrono::year{2019}, std::chrono::October, std::chrono::day{15}});
    EXPECT_EQ(tables.ring_fence(0, october).beds, 40.0);
    EXPECT_EQ(tables.ring_fence(0, october).from_general, 40.0);
    EXPECT_EQ(tables.ring_fence(0, october + 90.0).beds, 0.0);
}

TEST(DatedLevers, ADemandChangeForAnAgeBandMovesThatBandOnly) {
    // 85+ emergency admissions x1.5 from October 2019: that band's arrival rate in every place
    // is exactly 1.5 times the unchanged configuration's after the date and equal before it;
    // the other bands, and the non-elective spells that have no age, are untouched.
    const auto age_band_change = [](const std::string& kind) {
        return R"(
[[demand_changes]]
label = "85+ growth"
kinds = [")" + kind +
               R"("]
age_bands = ["age_85_plus"]
from = 2019-10-01
to = 2030-01-01
multiplier = 1.5
)";
    };
    const sim::LoadedScenario base_loaded = load("small_system.toml");
    const sim::LoadedScenario changed_loaded =
        load("small_system.toml", age_band_change("emergency_admissions"));
    const auto& base = blmk_scenario(base_loaded).tables();
    const auto& changed = blmk_scenario(changed_loaded).tables();
    const double before = base.calendar.time_of(
        sim::Date{std::chrono::year{2019}, std::chrono::August, std::chrono::day{15}});
    const double after = before + 92.0;  // mid-November
    ASSERT_EQ(base.emergency_rates.size(), changed.emergency_rates.size());
    ASSERT_EQ(base.emergency_rates.size() % mb::kAgeBands, 0U);
    for (std::size_t i = 0; i < base.emergency_rates.size(); ++i) {
        const bool oldest = i % mb::kAgeBands == 2;
        const double ratio_after =
            changed.emergency_rates[i].rate_at(after) / base.emergency_rates[i].rate_at(after);
        EXPECT_GT(base.emergency_rates[i].rate_at(after), 0.0) << "stream " << i;
        EXPECT_NEAR(ratio_after, oldest ? 1.5 : 1.0, 1e-12) << "stream " << i;
        EXPECT_EQ(changed.emergency_rates[i].rate_at(before),
                  base.emergency_rates[i].rate_at(before))
            << "stream " << i;
    }
    for (std::size_t h = 0; h < base.other_non_elective_per_day.size(); ++h) {
        for (const double t : {before, after}) {
            EXPECT_EQ(changed.expected_per_day(changed.other_non_elective_per_day[h], t),
                      base.expected_per_day(base.other_non_elective_per_day[h], t))
                << "hospital " << h;
        }
    }

    // Age bands belong to emergency admissions: a change naming them for referrals is refused.
    try {
        static_cast<void>(load("small_system.toml", age_band_change("referrals")));
        ADD_FAILURE() << "age_bands with referrals was accepted";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("age_bands"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace icsflow::test::blmk
