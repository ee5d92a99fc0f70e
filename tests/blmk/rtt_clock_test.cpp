// The RTT clock rules of the BLMK model (field notes §3): the clock starts at referral, runs
// through the first appointment, tests, follow-ups and the decision to admit, and stops at first
// definitive treatment or at a decision not to treat; a DNA at the first appointment nullifies
// the clock, which restarts when the patient is rebooked; later DNAs do not.
//
// The census counts whole weeks waited on its census day (the last day of the period):
// weeks = floor((census day - clock-start day) / 7). With referrals a Poisson process of lambda a
// day from day 0, no warm-up and nobody leaving, the census on day c therefore holds, in
// expectation, lambda x (number of referral days in each band): for c = 365 (the end of
// 2020-03), 0-18 weeks: days 240..365 (126 days); 18-52: days 2..239 (238); 52-78: days 0 and 1.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "blmk/blmk_test_support.hpp"
#include "statistics/statistical_check.hpp"

namespace icsflow::test::blmk {
namespace {

constexpr double kReferralsPerDay = 10.0;  // one_clinic.toml
constexpr std::size_t kSystem = 1;
constexpr double kClinicHour = 9.0 / 24.0;  // clinics at 09:00

// Every patient is seen, tested, followed up and decided with ample capacity; `admit` of them are
// put on the day-case list, where `theatre` adds theatre capacity (none in one_clinic.toml).
std::string full_pathway(double admit, const std::string& theatre = "") {
    return R"(
[run]
warmup_days = 0
replications = 40

[specialties.surgery]
diagnostic_probability = 1.0
admit_probability = )" +
           std::to_string(admit) + R"(

[hospitals.general.diagnostics]
slots_per_week = [700, 0, 0]

[hospitals.general.clinics.surgery]
first_slots_per_week = 140.0
follow_up_slots_per_week = 140.0
)" + theatre;
}

TEST(RttClock, StartsAtReferralAndRunsThroughTestsFollowUpAndTheDecisionToAdmit) {
    const Batch batch(load("one_clinic.toml", full_pathway(1.0)));
    const std::size_t last = batch.periods("incomplete_pathways") - 1;
    ASSERT_EQ(batch.months().end[last], 366.0);
    const std::vector<double> band_days{126.0, 238.0, 2.0, 0.0, 0.0};
    std::vector<sim::Moments> bands(band_days.size());
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        // No clock has stopped: every pathway is open, and on one of the lists.
        EXPECT_EQ(batch.summary(r, "first_year_admitted_stops"), 0.0);
        EXPECT_EQ(batch.summary(r, "first_year_non_admitted_stops"), 0.0);
        EXPECT_EQ(batch.summary(r, "pathways_open_at_end"),
                  batch.summary(r, "first_year_clock_starts"));
        double on_lists = 0.0;
        for (std::size_t s = 0; s < mb::kStages; ++s) {
            on_lists += batch.series(r, "waiting_by_stage", {last, kSystem, s});
        }
        EXPECT_EQ(on_lists, batch.summary(r, "pathways_open_at_end"));
        for (std::size_t b = 0; b < band_days.size(); ++b) {
            const double n = batch.series(r, "incomplete_pathways", {last, 0, 0, b});
            if (band_days[b] == 0.0) {
                EXPECT_EQ(n, 0.0) << "band " << mb::wait_band_name(b);
            }
            bands[b].add(n);
        }
    }
    for (std::size_t b = 0; b < 3; ++b) {
        expect_within_standard_errors(std::string("census 2020-03, band ") + mb::wait_band_name(b),
                                      bands[b], kReferralsPerDay * band_days[b], 0.2);
    }
}

// The same pathways with theatre capacity (20 day cases a day): the clock stops at the operation;
// or with no decision to admit: it stops at the decision appointment. Either way nobody is left
// waiting long, and clock starts = stops + open pathways exactly.
TEST(RttClock, StopsAtTreatmentOrAtADecisionNotToTreat) {
    struct Case {
        std::string name;
        std::string overrides;
        std::string stop;  // the summary that counts the stops
    };
    const std::vector<Case> cases{
        {"treated as a day case",
         full_pathway(1.0, "day_case_sessions_per_week = 7.0\nday_cases_per_session = 20.0\n"),
         "first_year_admitted_stops"},
        {"decision not to admit", full_pathway(0.0), "first_year_non_admitted_stops"}};
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const Batch batch(load("one_clinic.toml", c.overrides));
        for (std::size_t r = 0; r < batch.replications(); ++r) {
            EXPECT_EQ(batch.summary(r, "first_year_clock_starts"),
                      batch.summary(r, c.stop) + batch.summary(r, "pathways_open_at_end"));
            // Only the last few days' referrals are still on the way (a day at each stage).
            EXPECT_LT(batch.summary(r, "pathways_open_at_end"), 10.0 * kReferralsPerDay);
            for (std::size_t m = 0; m < batch.periods("waiting_list"); ++m) {
                for (std::size_t b = 1; b < mb::kWaitBands; ++b) {
                    EXPECT_EQ(batch.series(r, "incomplete_pathways", {m, 0, 0, b}), 0.0)
                        << "waiters over 18 weeks in month " << m;
                }
            }
        }
    }
}

// A clinic only on Mondays at 09:00 with room for everyone; a booked patient does not attend with
// probability p = 0.3 and is discharged at the second DNA. The weekly census is taken on Sunday
// (the week ends at Monday 00:00), 6 5/8 days after the last clinic. It holds the patients
// referred since that clinic, lambda x 6.625 on average, and those who did not attend it for the
// first time, lambda x 7 x p (referred in the week before it).
//   - Clock reset at the first DNA: everyone on the list had the clock start (or restart) since
//     the last clinic, so everyone has waited 0 whole weeks: the median is exactly 0.5 weeks and
//     the 92nd percentile exactly 0.92 (the census interpolates within a week).
//   - No reset: a patient rebooked after a DNA keeps the clock of the referral; of them, those
//     referred from 09:00 on the Monday a week before the last clinic to the end of the Sunday
//     before it (6 5/8 days) have waited a whole week at the census: lambda x p x 6.625 on
//     average. With the median below one
//     week, the number in week 0 is N0 = total / (2 x median), so the number waiting a week or
//     more, total - N0, is read from the census.
TEST(RttClock, FirstDnaResetsTheClockAsTheWeeklyCensusShows) {
    const double p = 0.3;
    for (const bool reset : {true, false}) {
        SCOPED_TRACE(reset ? "first DNA resets the clock" : "no reset");
        const Batch batch(load("one_clinic.toml", std::string(R"(
[timetables]
clinic_weekdays = [0]
clinic_hours = [9.0]

[hospitals.general.clinics.surgery]
first_slots_per_week = 200.0

[dna]
first = 0.3
max_dnas = 2
first_dna_resets_clock = )") + (reset ? "true" : "false") +
                                                      "\n"));
        const sim::TimeAxis& weeks = batch.weeks();
        sim::Moments total;
        sim::Moments over_a_week;
        for (std::size_t r = 0; r < batch.replications(); ++r) {
            double list_sum = 0.0;
            double over_sum = 0.0;
            double n = 0.0;
            for (std::size_t w = 0; w < weeks.start.size(); ++w) {
                if (weeks.end[w] - weeks.start[w] < 7.0) {
                    continue;  // a partial last week ends on another weekday
                }
                const double list = batch.series(r, "waiting_list_weekly", {w, kSystem});
                const double median = batch.series(r, "median_wait_weeks_weekly", {w, kSystem});
                const double p92 = batch.series(r, "p92_wait_weeks_weekly", {w, kSystem});
                if (reset) {
                    ASSERT_EQ(median, 0.5) << "week " << w;
                    ASSERT_DOUBLE_EQ(p92, 0.92) << "week " << w;
                } else {
                    ASSERT_LT(median, 1.0) << "week " << w;
                    over_sum += list - list / (2.0 * median);
                }
                list_sum += list;
                n += 1.0;
            }
            total.add(list_sum / n);
            over_a_week.add(over_sum / n);
        }
        expect_within_standard_errors("list at the Sunday census", total,
                                      kReferralsPerDay * (6.625 + 7.0 * p), 0.05);
        if (!reset) {
            expect_within_standard_errors("waited a week or more", over_a_week,
                                          kReferralsPerDay * p * 6.625, 0.1);
        }
    }
}

// Patient by patient, on every list at several times: the clock start is the referral, except
// after a DNA at a first appointment (with the reset rule on), when it is the time of that
// clinic. Follow-up DNAs never move it.
TEST(RttClock, EveryWaitingPatientsClockStartFollowsTheRules) {
    struct Case {
        std::string name;
        double first_dna;
        double follow_up_dna;
        bool reset;
    };
    const std::vector<Case> cases{{"first-appointment DNAs, reset", 0.3, 0.0, true},
                                  {"first-appointment DNAs, no reset", 0.3, 0.0, false},
                                  {"follow-up DNAs, reset rule on", 0.0, 0.3, true}};
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const sim::LoadedScenario loaded = load("one_clinic.toml", R"(
[specialties.surgery]
follow_up_probability = 1.0
admit_probability = 1.0

[hospitals.general.clinics.surgery]
first_slots_per_week = 140.0
follow_up_slots_per_week = 140.0

[dna]
first = )" + std::to_string(c.first_dna) + R"(
follow_up = )" + std::to_string(c.follow_up_dna) + R"(
max_dnas = 4
first_dna_resets_clock = )" + (c.reset ? "true" : "false") + "\n");
        WorldRun run(loaded, 0);
        std::size_t with_dnas = 0;
        std::size_t restarted = 0;
        for (const double time : {50.0, 150.0, 300.0}) {
            run.run_until(time);
            for (const mb::Stage stage : {mb::Stage::outpatient_first, mb::Stage::follow_up,
                                          mb::Stage::admitted_day_case}) {
                for (const std::uint32_t id : run.on_list(0, 0, stage)) {
                    const mb::Pathway& pathway = run.world().pathways[id];
                    if (pathway.dnas > 0) {
                        ++with_dnas;
                        // Every DNA in this case was at a first appointment: the clock moved.
                        if (c.reset && c.follow_up_dna == 0.0) {
                            EXPECT_NE(pathway.clock_start, pathway.referral_time);
                        }
                    }
                    if (pathway.clock_start == pathway.referral_time) {
                        continue;
                    }
                    ++restarted;
                    // Only a first-appointment DNA under the reset rule restarts the clock, at
                    // a clinic (09:00) after the referral.
                    EXPECT_TRUE(c.reset && c.first_dna > 0.0) << "pathway " << id;
                    EXPECT_GT(pathway.dnas, 0U);
                    EXPECT_GT(pathway.clock_start, pathway.referral_time);
                    EXPECT_EQ(pathway.clock_start - std::floor(pathway.clock_start), kClinicHour);
                    if (stage == mb::Stage::outpatient_first) {
                        // Rebooked at the DNA: the clock restarted when it rejoined the list.
                        EXPECT_EQ(pathway.clock_start, pathway.stage_since);
                    }
                }
            }
        }
        EXPECT_GT(with_dnas, 100U) << "too few DNAs to test the rule";
        if (c.reset && c.first_dna > 0.0) {
            EXPECT_GT(restarted, 100U);
        } else {
            EXPECT_EQ(restarted, 0U);
        }
    }
}

}  // namespace
}  // namespace icsflow::test::blmk
