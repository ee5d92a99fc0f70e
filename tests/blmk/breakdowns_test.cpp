// The breakdowns planners asked for (models/blmk/metrics/metrics.cpp, Metrics::recorded):
//   - each adds up to the total it breaks down, in every month of every replication: the list
//     by priority to the list (exactly, per reporting unit), referrals by place to the clock
//     starts, bed-days by specialty and by age band to the mean beds occupied times the days,
//     activity by place to the hospitals' activity where every patient's place is known;
//   - each splits by the right key: with one place holding all the demand, everything by place
//     is that place's; with every referral at P4 the list is all P4 until long-wait reviews move
//     patients to P1, and then it is counted under P1 (the priority now);
//   - length of stay as the hospital statistics count it, on cases with a known answer: every
//     emergency patient stays exactly 2 days, so every month's mean is 2; every emergency
//     admission is same-day, so the spells ended are the admissions, of 0 days, and take no bed.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "blmk/blmk_test_support.hpp"

namespace icsflow::test::blmk {
namespace {

std::size_t axis_size(const Batch& batch, const std::string& name) {
    return batch.schema().category_axis(name).labels.size();
}

std::size_t label_index(const Batch& batch, const std::string& axis, const std::string& label) {
    const auto& labels = batch.schema().category_axis(axis).labels;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] == label) {
            return i;
        }
    }
    ADD_FAILURE() << label << " not on axis " << axis;
    return 0;
}

// Sum of series `name` over its category cells at one period (every axis after time), with
// `fixed` fixing the leading category indices.
double cell_sum(const Batch& batch, std::size_t r, const std::string& name, std::size_t period,
                const std::vector<std::size_t>& fixed = {}) {
    const sim::SeriesId id = batch.schema().series_id(name);
    const std::vector<std::size_t> shape = batch.schema().series_shape(id);
    std::size_t cells = 1;
    for (std::size_t d = 1; d < shape.size(); ++d) {
        cells *= shape[d];
    }
    std::size_t fixed_stride = 1;
    std::size_t offset = 0;
    {
        std::size_t rest = cells;
        for (std::size_t d = 0; d < fixed.size(); ++d) {
            rest /= shape[d + 1];
            offset += fixed[d] * rest;
        }
        fixed_stride = rest;
    }
    const std::vector<double>& values = batch.results()[r].series[id];
    double total = 0.0;
    for (std::size_t k = 0; k < fixed_stride; ++k) {
        total += values[period * cells + offset + k];
    }
    return total;
}

TEST(Breakdowns, EachAddsUpToTheTotalItBreaksDown) {
    const Batch batch(load("small_system.toml"));
    const std::size_t units = axis_size(batch, "reporting_unit");
    const std::size_t hospitals = axis_size(batch, "provider");
    const std::size_t places = axis_size(batch, "place");
    const auto& months = batch.months();
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        for (std::size_t m = 0; m < batch.periods("waiting_list"); ++m) {
            for (std::size_t u = 0; u < units; ++u) {
                const double list = batch.series(r, "waiting_list", {m, u});
                EXPECT_EQ(cell_sum(batch, r, "waiting_list_by_priority", m, {u}), list)
                    << "replication " << r << " month " << m << " unit " << u;
                EXPECT_LE(cell_sum(batch, r, "admitted_waiting_by_priority", m, {u}), list);
                EXPECT_EQ(cell_sum(batch, r, "over_52_weeks_by_priority", m, {u}),
                          batch.series(r, "over_52_weeks", {m, u}));
            }
            EXPECT_EQ(cell_sum(batch, r, "referrals_by_place", m),
                      cell_sum(batch, r, "clock_starts", m));
            const double days = months.end[m] - months.start[m];
            for (std::size_t h = 0; h < hospitals; ++h) {
                const double bed_days = batch.series(r, "beds_occupied", {m, h}) * days;
                EXPECT_NEAR(cell_sum(batch, r, "bed_days_by_specialty", m, {h}), bed_days,
                            1e-9 * bed_days);
                EXPECT_NEAR(cell_sum(batch, r, "bed_days_by_age_band", m, {h}), bed_days,
                            1e-9 * bed_days);
            }
            // Points of delivery at which every patient's place is known add up exactly; at
            // those with activity of no known place (other follow-ups and tests, planned day
            // cases) the places hold at most the total; A&E and other non-elective spells have
            // no value by place.
            for (std::size_t a = 0; a < mb::kActivities; ++a) {
                const auto what = static_cast<mb::Activity>(a);
                double by_hospital = 0.0;
                for (std::size_t h = 0; h < hospitals; ++h) {
                    by_hospital += batch.series(r, "activity", {m, h, a});
                }
                double by_place = 0.0;
                for (std::size_t p = 0; p < places; ++p) {
                    by_place += batch.series(r, "activity_by_place", {m, p, a});
                }
                switch (what) {
                    case mb::Activity::outpatient_first:
                    case mb::Activity::elective_inpatient:
                    case mb::Activity::emergency_admission:
                    case mb::Activity::independent_sector:
                        EXPECT_EQ(by_place, by_hospital) << mb::activity_name(a);
                        break;
                    case mb::Activity::ae_attendance:
                    case mb::Activity::other_non_elective:
                        EXPECT_TRUE(std::isnan(by_place)) << mb::activity_name(a);
                        break;
                    default:
                        EXPECT_LE(by_place, by_hospital) << mb::activity_name(a);
                        break;
                }
            }
        }
    }
    // Weekly twins add up the same way.
    for (std::size_t w = 0; w < batch.periods("referrals_by_place_weekly"); ++w) {
        EXPECT_EQ(cell_sum(batch, 0, "referrals_by_place_weekly", w),
                  cell_sum(batch, 0, "clock_starts_weekly", w));
    }
}

TEST(Breakdowns, OnePlaceWithAllTheDemandHasEverythingByPlace) {
    // No one lives outside: every referral, emergency admission and pathway patient is the
    // town's (the initial list and planned cases take the places of their hospital's patients).
    const Batch batch(load("small_system.toml", "[places.outside]\npopulation = 0.0\n"));
    const std::size_t town = label_index(batch, "place", "town");
    const std::size_t outside = label_index(batch, "place", "outside");
    const std::size_t emergency = static_cast<std::size_t>(mb::Activity::emergency_admission);
    double town_referrals = 0.0;
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        for (std::size_t m = 0; m < batch.periods("referrals_by_place"); ++m) {
            EXPECT_EQ(cell_sum(batch, r, "referrals_by_place", m, {outside}), 0.0);
            EXPECT_EQ(cell_sum(batch, r, "referrals_by_place", m, {town}),
                      cell_sum(batch, r, "clock_starts", m));
            town_referrals += cell_sum(batch, r, "referrals_by_place", m, {town});
            for (std::size_t a = 0; a < mb::kActivities; ++a) {
                const double value = batch.series(r, "activity_by_place", {m, outside, a});
                EXPECT_TRUE(value == 0.0 || std::isnan(value)) << mb::activity_name(a);
            }
            double emergencies = 0.0;
            for (std::size_t h = 0; h < axis_size(batch, "provider"); ++h) {
                emergencies += batch.series(r, "activity", {m, h, emergency});
            }
            EXPECT_EQ(batch.series(r, "activity_by_place", {m, town, emergency}), emergencies);
        }
    }
    EXPECT_GT(town_referrals, 0.0);
}

TEST(Breakdowns, TheListIsCountedUnderEachPathwaysPriorityNow) {
    // Every pathway is drawn at P4 (no suspected cancers, which are P2, and cancelled operations
    // rebooked at P4). Without reviews the list is all P4; with reviews after 8 weeks at P1,
    // the admitted patients who have waited that long are counted under P1.
    const std::string all_p4 =
        "[specialties.surgery]\nreferrals_per_1000 = [8.0, 2.0, 0.0]\n"
        "priority_mix = [0.0, 0.0, 0.0, 1.0]\n"
        "[policy]\ncancellation_rebook_priority = 4\n";
    const Batch plain(load("small_system.toml", all_p4));
    const Batch reviewed(
        load("small_system.toml",
             all_p4 + "long_wait_review_weeks = 8.0\nlong_wait_review_priority = 1\n"));
    const std::size_t all = axis_size(plain, "reporting_unit") - 1;
    double p1_after_reviews = 0.0;
    for (std::size_t r = 0; r < plain.replications(); ++r) {
        for (std::size_t m = 0; m < plain.periods("waiting_list_by_priority"); ++m) {
            for (std::size_t k = 0; k < 3; ++k) {
                EXPECT_EQ(plain.series(r, "waiting_list_by_priority", {m, all, k}), 0.0)
                    << priority_label(k) << " month " << m;
            }
            for (std::size_t k = 1; k < 3; ++k) {
                EXPECT_EQ(reviewed.series(r, "waiting_list_by_priority", {m, all, k}), 0.0)
                    << priority_label(k) << " month " << m;
            }
            EXPECT_EQ(plain.series(r, "waiting_list_by_priority", {m, all, 3}),
                      plain.series(r, "waiting_list", {m, all}));
            // Only admitted patients are reviewed: P1 holds admitted patients only.
            const double p1 = reviewed.series(r, "waiting_list_by_priority", {m, all, 0});
            EXPECT_EQ(p1, reviewed.series(r, "admitted_waiting_by_priority", {m, all, 0}));
            p1_after_reviews += p1;
        }
    }
    EXPECT_GT(p1_after_reviews, 0.0);
}

TEST(Breakdowns, LengthOfStayIsDaysFromAdmissionDateToDischargeDate) {
    // Every emergency patient stays exactly 2 days in a bed (beds are ample, no one needs
    // support, none is same-day): each month's mean length of stay is 2, and no elective spell
    // ends (no referrals).
    const Batch batch(load("discharge_to_community.toml",
                           "[run]\nend_date = 2020-03-31\nwarmup_days = 30\nreplications = 2\n"
                           "[emergency]\n"
                           "acute_los_under_65 = { distribution = \"fixed\", value = 2.0 }\n"
                           "discharge_mix_under_65 = [1.0, 0.0, 0.0, 0.0]\n"));
    const std::size_t elective = label_index(batch, "admission_method", "elective");
    const std::size_t emergency = label_index(batch, "admission_method", "emergency");
    double spells = 0.0;
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        for (std::size_t m = 0; m < batch.periods("mean_length_of_stay"); ++m) {
            EXPECT_EQ(batch.series(r, "mean_length_of_stay", {m, 0, emergency}), 2.0)
                << "month " << m;
            EXPECT_TRUE(std::isnan(batch.series(r, "mean_length_of_stay", {m, 0, elective})));
            EXPECT_EQ(batch.series(r, "spells_ended", {m, 0, elective}), 0.0);
            spells += batch.series(r, "spells_ended", {m, 0, emergency});
        }
    }
    EXPECT_GT(spells, 0.0);

    // Same-day emergency admissions take no bed but are spells of 0 days, ended on arrival: with
    // every admission same-day, the spells ended are the admissions, and their mean stay 0.
    const Batch same_day(load("discharge_to_community.toml",
                              "[run]\nend_date = 2020-03-31\nwarmup_days = 30\nreplications = 2\n"
                              "[emergency]\nzero_day_share = [1.0, 0.0, 0.0]\n"));
    const std::size_t admissions = static_cast<std::size_t>(mb::Activity::emergency_admission);
    for (std::size_t r = 0; r < same_day.replications(); ++r) {
        for (std::size_t m = 0; m < same_day.periods("spells_ended"); ++m) {
            const double admitted = same_day.series(r, "activity", {m, 0, admissions});
            EXPECT_EQ(same_day.series(r, "spells_ended", {m, 0, emergency}), admitted);
            if (admitted > 0.0) {
                EXPECT_EQ(same_day.series(r, "mean_length_of_stay", {m, 0, emergency}), 0.0);
            }
            EXPECT_EQ(cell_sum(same_day, r, "bed_days_by_age_band", m), 0.0);
        }
    }
}

}  // namespace
}  // namespace icsflow::test::blmk
