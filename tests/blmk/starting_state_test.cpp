// The starting state of the BLMK model: an initial waiting list (by weeks-waited band, hospital,
// specialty, stage and priority), a warm-up from empty, or both.
//
// An initial patient of band [e, e + width) weeks has a clock start of -7u days before the list
// is inserted, u uniform on the band. At a census on day c (the last day of the period) with the
// list inserted at time -W, it has waited floor((c - floor(-W - 7u)) / 7) whole weeks, which has
// reached the next band exactly when u > e + width - (c + 1 + W) / 7: a share
// (c + 1 + W) / (7 x width) of the band has moved up (while that is below 1). With no capacity,
// no removals and no referrals, nobody leaves, so the census shows the list that was inserted,
// shifted by this known amount.
//
// With a warm-up of W days and no initial list, the list fills at the referral rate: with no
// capacity, the census on day c holds lambda x (W + c + 1) patients on average.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "blmk/blmk_test_support.hpp"
#include "statistics/statistical_check.hpp"

namespace icsflow::test::blmk {
namespace {

constexpr double kReferralsPerDay = 10.0;  // one_clinic.toml
constexpr std::size_t kSystem = 1;
constexpr std::array<double, mb::kWaitBands> kBandWidth{18, 34, 26, 26, 26};

// Expected census counts by band on census day c, for an initial list of `counts` by band inserted
// `warmup` days before the start: each band loses the share (c + 1 + warmup) / (7 width) to the
// next; the last band (104 weeks and over) keeps everyone.
std::array<double, mb::kWaitBands> shifted_bands(const std::array<double, mb::kWaitBands>& counts,
                                                 double census_day, double warmup) {
    std::array<double, mb::kWaitBands> out{};
    for (std::size_t b = 0; b < mb::kWaitBands; ++b) {
        const double moved = b + 1 < mb::kWaitBands
                                 ? counts[b] * (census_day + 1.0 + warmup) / (7.0 * kBandWidth[b])
                                 : 0.0;
        out[b] += counts[b] - moved;
        if (b + 1 < mb::kWaitBands) {
            out[b + 1] += moved;
        }
    }
    return out;
}

// One hospital and specialty, no referrals and no capacity: 1,000 initial patients in bands
// 500 / 300 / 100 / 60 / 40 (the apportionment is exact), each band split over the stages by its
// shares, admitted patients 60% day case and of priorities P1-P4 in shares 0.1 to 0.4.
const char* const kInitialList = R"(
[run]
warmup_days = 0
replications = 40

[specialties.surgery]
referrals_per_1000 = [0.0, 0.0, 0.0]
day_case_share = 0.6
priority_mix = [0.1, 0.2, 0.3, 0.4]

[hospitals.general.clinics.surgery]
first_slots_per_week = 0.0

[initial_list]
total = 1000
hospital_shares = { general = 1.0 }
specialty_shares = { surgery = 1.0 }
band_shares = [0.5, 0.3, 0.1, 0.06, 0.04]
admitted_share_by_band = [0.2, 0.4, 0.5, 0.6, 0.7]
diagnostics_share_by_band = [0.1, 0.1, 0.1, 0.1, 0.1]
follow_up_share_by_band = [0.1, 0.1, 0.1, 0.1, 0.1]
)";

TEST(StartingState, InitialListAppearsAtTheFirstCensusByBandAndStage) {
    const Batch batch(load("one_clinic.toml", kInitialList));
    const std::array<double, mb::kWaitBands> inserted{500, 300, 100, 60, 40};
    const std::array<double, mb::kWaitBands> admitted_share{0.2, 0.4, 0.5, 0.6, 0.7};
    const auto expected = shifted_bands(inserted, 6.0, 0.0);  // week 1: census day 6
    double admitted = 0.0;
    for (std::size_t b = 0; b < mb::kWaitBands; ++b) {
        admitted += inserted[b] * admitted_share[b];
    }
    const std::vector<std::pair<mb::Stage, double>> stages{
        {mb::Stage::outpatient_first, 1000.0 - admitted - 200.0},
        {mb::Stage::diagnostics, 100.0},
        {mb::Stage::follow_up, 100.0},
        {mb::Stage::admitted_day_case, 0.6 * admitted},
        {mb::Stage::admitted_inpatient, 0.4 * admitted}};
    std::vector<sim::Moments> bands(mb::kWaitBands);
    std::vector<sim::Moments> by_stage(stages.size());
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        // Nobody joins or leaves: the list is the inserted 1,000 at every census.
        for (std::size_t w = 0; w < batch.periods("waiting_list_weekly"); ++w) {
            ASSERT_EQ(batch.series(r, "waiting_list_weekly", {w, kSystem}), 1000.0);
        }
        for (std::size_t b = 0; b < mb::kWaitBands; ++b) {
            bands[b].add(batch.series(r, "incomplete_pathways_weekly", {0, 0, 0, b}));
        }
        for (std::size_t s = 0; s < stages.size(); ++s) {
            by_stage[s].add(batch.series(r, "waiting_by_stage_weekly",
                                         {0, kSystem, static_cast<std::size_t>(stages[s].first)}));
        }
        EXPECT_EQ(batch.summary(r, "first_year_clock_starts"), 0.0);
    }
    for (std::size_t b = 0; b < mb::kWaitBands; ++b) {
        expect_within_standard_errors(std::string("first census, band ") + mb::wait_band_name(b),
                                      bands[b], expected[b], 0.2);
    }
    for (std::size_t s = 0; s < stages.size(); ++s) {
        expect_within_standard_errors(std::string("first census, stage ") +
                                          mb::stage_name(static_cast<std::size_t>(stages[s].first)),
                                      by_stage[s], stages[s].second, 0.1);
    }
}

TEST(StartingState, InitialAdmittedListHasThePriorityMix) {
    const sim::LoadedScenario loaded = load("one_clinic.toml", kInitialList);
    const std::array<double, 4> shares{0.1, 0.2, 0.3, 0.4};
    std::array<sim::Moments, 4> share_of_admitted;
    for (std::uint64_t r = 0; r < loaded.run.replications; ++r) {
        WorldRun run(loaded, r);
        run.run_until(0.5);  // the initial list is inserted at time 0
        std::array<double, 4> count{};
        double total = 0.0;
        for (const mb::Stage stage :
             {mb::Stage::admitted_day_case, mb::Stage::admitted_inpatient}) {
            for (const std::uint32_t id : run.on_list(0, 0, stage)) {
                const mb::Pathway& pathway = run.world().pathways[id];
                ASSERT_GE(pathway.priority, 1);
                ASSERT_LE(pathway.priority, 4);
                count[pathway.priority - 1U] += 1.0;
                total += 1.0;
                // Listed at the start, with the clock of its band (before the start).
                EXPECT_EQ(pathway.stage_since, 0.0);
                EXPECT_LT(pathway.clock_start, 0.0);
            }
        }
        for (std::size_t k = 0; k < 4; ++k) {
            share_of_admitted[k].add(count[k] / total);
        }
    }
    for (std::size_t k = 0; k < 4; ++k) {
        expect_within_standard_errors("initial admitted list, share " + priority_label(k),
                                      share_of_admitted[k], shares[k], 0.25);
    }
}

// The full BLMK list (configs/blmk.toml: 69,790 patients over 3 hospitals and 5 specialties),
// with no capacity, referrals or removals: at the first census each trust and specialty holds
// its share of the total, to the rounding of the 5 band cells of each hospital (apportioned by
// largest remainder, so the cells sum exactly to the total).
TEST(StartingState, InitialListSplitsByHospitalAndSpecialty) {
    const Batch batch(load("blmk_2019.toml", R"(
capacity_changes = [
  { label = "no elective capacity", points = ["elective"], from = 2019-04-01, to = 2019-05-01, multiplier = 0.0 },
]
demand_changes = [
  { label = "no referrals", kinds = ["referrals"], from = 2019-04-01, to = 2019-05-01, multiplier = 0.0 },
]
independent_sector = []

[run]
warmup_days = 0
end_date = 2019-04-30
replications = 1

[analysis]
peak_to = 2019-05-01
census_month = "2019-04"

[removals]
background_rate_per_week = 0.0
)"));
    const mb::BlmkParameters& p = batch.scenario().parameters();
    const mb::InitialListParams& init = p.initial_list;
    double hospital_total = 0.0;
    for (const double s : init.hospital_shares) {
        hospital_total += s;
    }
    double specialty_total = 0.0;
    for (const double s : init.specialty_shares) {
        specialty_total += s;
    }
    double list = 0.0;
    for (std::size_t trust = 0; trust < p.trusts.size(); ++trust) {
        for (std::size_t s = 0; s < p.specialties.size(); ++s) {
            double expected = 0.0;
            double cells = 0.0;
            for (std::uint32_t h = 0; h < p.hospitals.size(); ++h) {
                if (p.trust_of(h) == trust) {
                    expected += init.total * init.hospital_shares[h] / hospital_total *
                                init.specialty_shares[s] / specialty_total;
                    cells += mb::kWaitBands;
                }
            }
            double count = 0.0;
            for (std::size_t b = 0; b < mb::kWaitBands; ++b) {
                count += batch.series(0, "incomplete_pathways_weekly", {0, trust, s, b});
            }
            EXPECT_LE(std::fabs(count - expected), cells)
                << p.trusts[trust] << " / " << p.specialties[s].id << ": " << count
                << " on the list, " << expected << " expected";
            list += count;
        }
    }
    EXPECT_EQ(list, std::round(init.total));
    EXPECT_EQ(batch.summary(0, "first_year_clock_starts"), 0.0);
}

// Warm-up only: no initial list, no capacity, 28 days of warm-up. The list at the end of April
// (census day 29) holds lambda (28 + 30) = 580 on average, and its first 30 days' clock starts
// (counted from the start date, not in the warm-up) lambda x 30 = 300; without the warm-up the
// list holds 300.
TEST(StartingState, WarmUpFillsAnEmptyListAtTheReferralRate) {
    for (const double warmup : {28.0, 0.0}) {
        SCOPED_TRACE("warm-up " + std::to_string(warmup) + " days");
        const Batch batch(load("one_clinic.toml", R"(
[run]
warmup_days = )" + std::to_string(warmup) + R"(

[hospitals.general.clinics.surgery]
first_slots_per_week = 0.0
)"));
        sim::Moments first_month;
        sim::Moments clock_starts;
        sim::Moments first_week;
        for (std::size_t r = 0; r < batch.replications(); ++r) {
            first_month.add(batch.series(r, "waiting_list", {0, kSystem}));
            clock_starts.add(batch.series(r, "clock_starts", {0, 0, 0}));
            first_week.add(batch.series(r, "waiting_list_weekly", {0, kSystem}));
        }
        expect_within_standard_errors("list at the end of April", first_month,
                                      kReferralsPerDay * (warmup + 30.0), 0.1);
        expect_within_standard_errors("list at the end of the first week", first_week,
                                      kReferralsPerDay * (warmup + 7.0), 0.2);
        expect_within_standard_errors("clock starts in April", clock_starts,
                                      kReferralsPerDay * 30.0, 0.1);
    }
}

// Both: 1,000 initial patients, all under 18 weeks, inserted at the start of a 28-day warm-up
// (as configs/blmk.toml does), plus referrals at 10 a day and no capacity. At the first weekly
// census (day 6) the initial patients have aged 34 days, so (6 + 1 + 28) / (7 x 18) = 5/18 of
// them have passed 18 weeks; the referrals of the warm-up and the first week, 10 x 35, are all
// under 18 weeks.
TEST(StartingState, InitialListAtTheStartOfTheWarmUpAgesThroughIt) {
    const Batch batch(load("one_clinic.toml", R"(
[hospitals.general.clinics.surgery]
first_slots_per_week = 0.0

[initial_list]
total = 1000
hospital_shares = { general = 1.0 }
specialty_shares = { surgery = 1.0 }
band_shares = [1.0, 0.0, 0.0, 0.0, 0.0]
)"));
    const auto expected = shifted_bands({1000, 0, 0, 0, 0}, 6.0, 28.0);
    sim::Moments under_18;
    sim::Moments over_18;
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        under_18.add(batch.series(r, "incomplete_pathways_weekly", {0, 0, 0, 0}));
        over_18.add(batch.series(r, "incomplete_pathways_weekly", {0, 0, 0, 1}));
    }
    expect_within_standard_errors("under 18 weeks", under_18, expected[0] + kReferralsPerDay * 35.0,
                                  0.05);
    expect_within_standard_errors("18 to 52 weeks", over_18, expected[1], 0.1);
}

}  // namespace
}  // namespace icsflow::test::blmk
