// Dated policy levers: the discharge assessment delay changed by date. A multiplier in force for
// the whole run is exactly the same as the doubled delay (same random numbers, same results); a
// change from a date leaves every month before it untouched and holds patients longer after it.
#include <gtest/gtest.h>

#include <array>
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

// Every series value of every replication identical in the two batches (NaN, no value, in
// both or neither); returns how many values were compared.
std::size_t expect_identical_series(const Batch& one, const Batch& other) {
    EXPECT_EQ(one.replications(), other.replications());
    std::size_t compared = 0;
    for (std::size_t r = 0; r < std::min(one.replications(), other.replications()); ++r) {
        const auto& a = one.results()[r].series;
        const auto& b = other.results()[r].series;
        EXPECT_EQ(a.size(), b.size());
        for (std::size_t s = 0; s < std::min(a.size(), b.size()); ++s) {
            EXPECT_EQ(a[s].size(), b[s].size());
            for (std::size_t i = 0; i < std::min(a[s].size(), b[s].size()); ++i) {
                if (std::isnan(a[s][i]) || std::isnan(b[s][i])) {
                    EXPECT_TRUE(std::isnan(a[s][i]) && std::isnan(b[s][i]))
                        << one.schema().series()[s].name << " [" << i << "]";
                } else {
                    EXPECT_EQ(a[s][i], b[s][i])
                        << one.schema().series()[s].name << " [" << i << "]";
                    ++compared;
                }
            }
        }
    }
    return compared;
}

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
    const std::size_t compared = expect_identical_series(doubled, multiplied);
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

TEST(DatedLevers, PoolingFromADateMovesTheWaitingPatientsAndBack) {
    // Surgery (two hospitals) booked trust by trust until 1 August 2019, from one shared list
    // until 1 December 2019, then trust by trust again. At each change every patient waiting at
    // each stage moves, nobody is lost or added, and unpooled patients go back to the list of
    // their own hospital. No removals, so that only the change moves patients at that instant.
    const sim::LoadedScenario loaded = load("small_system.toml", R"(
[policy]
pooled_specialties = []

[removals]
background_rate_per_week = 0.0

[[append.policy_changes]]
label = "shared surgery list"
from = 2019-08-01
pooled_specialties = ["surgery"]

[[append.policy_changes]]
label = "back to trust lists"
from = 2019-12-01
pooled_specialties = []
)");
    const auto& calendar = blmk_scenario(loaded).tables().calendar;
    const double pool = calendar.time_of(
        sim::Date{std::chrono::year{2019}, std::chrono::August, std::chrono::day{1}});
    const double unpool = calendar.time_of(
        sim::Date{std::chrono::year{2019}, std::chrono::December, std::chrono::day{1}});
    constexpr double kInstant = 1e-6;  // just after the change, before anything else happens
    const std::array<mb::Stage, 4> stages{mb::Stage::outpatient_first, mb::Stage::follow_up,
                                          mb::Stage::admitted_day_case,
                                          mb::Stage::admitted_inpatient};
    for (std::uint64_t r = 0; r < 3; ++r) {
        WorldRun run(loaded, r);
        auto& lists = run.world().lists;
        run.run_until(pool);
        std::array<std::size_t, 4> waiting{};
        for (std::size_t k = 0; k < stages.size(); ++k) {
            ASSERT_NE(lists.rtt_list(0, 0, stages[k]), lists.rtt_list(1, 0, stages[k]));
            waiting[k] = run.on_list(0, 0, stages[k]).size() + run.on_list(1, 0, stages[k]).size();
        }
        EXPECT_GT(waiting[0], 0U);
        run.run_until(pool + kInstant);
        for (std::size_t k = 0; k < stages.size(); ++k) {
            ASSERT_EQ(lists.rtt_list(0, 0, stages[k]), lists.rtt_list(1, 0, stages[k]));
            EXPECT_EQ(run.on_list(0, 0, stages[k]).size(), waiting[k]) << "stage " << k;
        }
        run.run_until(unpool);
        for (std::size_t k = 0; k < stages.size(); ++k) {
            waiting[k] = run.on_list(0, 0, stages[k]).size();
        }
        run.run_until(unpool + kInstant);
        for (std::size_t k = 0; k < stages.size(); ++k) {
            ASSERT_NE(lists.rtt_list(0, 0, stages[k]), lists.rtt_list(1, 0, stages[k]));
            std::size_t back = 0;
            for (std::uint32_t h = 0; h < 2; ++h) {
                for (const std::uint32_t id : run.on_list(h, 0, stages[k])) {
                    EXPECT_EQ(run.world().pathways[id].hospital, h) << "stage " << k;
                    ++back;
                }
            }
            EXPECT_EQ(back, waiting[k]) << "stage " << k;
        }
    }
}

TEST(DatedLevers, BookingPracticeChangesByDate) {
    // Reviews, offers out of turn and the rebooking priority set by a policy change in force
    // from before the run are exactly the undated values (same random numbers, same results);
    // set from a date, they leave every month before it as it was and change the waits after.
    // The same keys, undated in [policy] and dated in a policy change.
    const std::string keys = R"(
long_wait_review_weeks = 10.0
long_wait_review_priority = 2
long_wait_review_share = 0.5
max_wait_review_weeks = 8.0
max_wait_review_priority = 1
out_of_turn_share = 0.5
cancellation_rebook_priority = 1
)";
    const std::string undated = "\n[policy]" + keys;
    const auto dated = [&keys](const std::string& from) {
        return "\n[[append.policy_changes]]\nlabel = \"booking practice\"\nfrom = " + from + keys;
    };
    const Batch plain(load("small_system.toml"));
    const Batch practice(load("small_system.toml", undated));
    const Batch from_start(load("small_system.toml", dated("2000-01-01")));
    EXPECT_GT(expect_identical_series(practice, from_start), 1000U);

    const Batch from_october(load("small_system.toml", dated("2019-10-01")));
    ASSERT_EQ(plain.months().labels[6], "2019-10");
    const std::size_t last = plain.periods("p92_wait_weeks") - 1;
    std::size_t changed = 0;
    for (std::size_t r = 0; r < plain.replications(); ++r) {
        for (std::size_t m = 0; m < 6; ++m) {
            EXPECT_EQ(from_october.series(r, "waiting_list", {m, 1}),
                      plain.series(r, "waiting_list", {m, 1}))
                << "month " << m;
            EXPECT_EQ(from_october.series(r, "p92_wait_weeks", {m, 1}),
                      plain.series(r, "p92_wait_weeks", {m, 1}))
                << "month " << m;
        }
        changed += from_october.series(r, "p92_wait_weeks", {last, 1}) !=
                   plain.series(r, "p92_wait_weeks", {last, 1});
    }
    EXPECT_EQ(changed, plain.replications()) << "the change shows in every replication";
}

}  // namespace
}  // namespace icsflow::test::blmk
