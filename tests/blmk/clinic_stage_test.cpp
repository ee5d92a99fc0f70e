// The first-outpatient clinic of the BLMK model in isolation (tests/data/blmk/one_clinic.toml:
// one hospital, one specialty, routine referrals only, every clock stopping at the first
// appointment), against exact answers.
//
// The clinic as a queue. Referrals arrive as a Poisson process of lambda a day; one clinic a day
// at 09:00 books up to c patients from the front of the list. Just after the n-th clinic the list
// holds Q_n patients, and
//     Q_{n+1} = max(Q_n + A_n - c, 0),   A_n ~ Poisson(lambda) independent,
// a discrete-time bulk-service queue (the embedded chain of M/D^c/1). Its stationary distribution
// is computed below by iterating the transition to convergence (an exact numerical answer, not a
// simulation). The weekly census is taken at midnight, 15 hours after the last clinic, so the
// list it reports has mean E[Q] + lambda * 15/24.
//
// Conservation: a stable clinic sees as many patients as are referred (throughput = lambda); an
// overloaded one (lambda > c) sees exactly c a day and its list grows by lambda - c a day.
//
// DNAs: a booked patient does not attend with probability p, is rebooked, and is discharged back
// to the GP (a clock stop) at the k-th DNA. The number of bookings per patient is then a
// geometric count truncated at k, with mean 1 + p + ... + p^(k-1) = (1 - p^k) / (1 - p), and a
// share p^k of patients is discharged for DNAs.
//
// Statistical checks: 4 standard errors across independent replications, fixed seeds
// (tests/statistics/statistical_check.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "blmk/blmk_test_support.hpp"
#include "statistics/statistical_check.hpp"

namespace icsflow::test::blmk {
namespace {

// The stationary mean of Q' = max(Q + A - c, 0), A ~ Poisson(a): the distribution is iterated
// from an empty list until it changes by less than 1e-13 (total variation).
double bulk_service_queue_mean(double a, int c) {
    const std::size_t states = 4000;
    std::vector<double> arrivals;
    for (int k = 0;; ++k) {
        const double pk = std::exp(-a + k * std::log(a) - std::lgamma(k + 1.0));
        arrivals.push_back(pk);
        if (k > a && pk < 1e-18) {
            break;
        }
    }
    std::vector<double> pi(states, 0.0);
    pi[0] = 1.0;
    std::vector<double> next(states, 0.0);
    for (int iteration = 0; iteration < 1000000; ++iteration) {
        std::fill(next.begin(), next.end(), 0.0);
        for (std::size_t q = 0; q < states; ++q) {
            if (pi[q] < 1e-300) {
                continue;
            }
            for (std::size_t k = 0; k < arrivals.size(); ++k) {
                const auto after = static_cast<std::ptrdiff_t>(q + k) - c;
                const auto to = std::min<std::size_t>(
                    static_cast<std::size_t>(std::max<std::ptrdiff_t>(after, 0)), states - 1);
                next[to] += pi[q] * arrivals[k];
            }
        }
        double change = 0.0;
        for (std::size_t q = 0; q < states; ++q) {
            change += std::fabs(next[q] - pi[q]);
        }
        pi.swap(next);
        if (change < 1e-13) {
            break;
        }
    }
    EXPECT_LT(pi[states - 1], 1e-12) << "state space too small";
    double mean = 0.0;
    for (std::size_t q = 0; q < states; ++q) {
        mean += static_cast<double>(q) * pi[q];
    }
    return mean;
}

constexpr double kReferralsPerDay = 10.0;  // one_clinic.toml
constexpr std::size_t kSystem = 1;         // reporting units: the trust, then the system
constexpr double kFirstYearDays = 366.0;   // 2019-04-01 to 2020-03-31

TEST(BulkServiceQueue, ExactMeanForKnownCases) {
    // c = 1: X = Q + A, the list just before a clinic, follows X' = max(X - 1, 0) + A', the chain
    // of the M/D/1 queue at departures, whose stationary mean is the Pollaczek-Khinchine
    // L = a + a^2 / (2 (1 - a)); so E[Q] = E[X] - a = a^2 / (2 (1 - a)).
    EXPECT_NEAR(bulk_service_queue_mean(0.5, 1), 0.25, 1e-9);
    EXPECT_NEAR(bulk_service_queue_mean(0.8, 1), 0.8 * 0.8 / (2 * 0.2), 1e-8);
    // Capacity far above demand: the list is almost always cleared.
    EXPECT_LT(bulk_service_queue_mean(1.0, 20), 1e-12);
}

// lambda = 10 a day, c = 12 a day (utilisation 0.83): the weekly census of the list against the
// exact stationary mean, and the clinic's throughput against the referral rate.
TEST(ClinicStage, StableClinicListMatchesTheDiscreteTimeQueue) {
    const Batch batch(load("one_clinic.toml"));
    const double exact =
        bulk_service_queue_mean(kReferralsPerDay, 12) + kReferralsPerDay * 15.0 / 24.0;
    sim::Moments census;
    sim::Moments throughput;
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        double sum = 0.0;
        const std::size_t weeks = batch.periods("waiting_list_weekly");
        for (std::size_t w = 0; w < weeks; ++w) {
            sum += batch.series(r, "waiting_list_weekly", {w, kSystem});
        }
        census.add(sum / static_cast<double>(weeks));
        throughput.add(batch.summary(r, "first_year_outpatient_first") / kFirstYearDays);
        // Every patient seen has the clock stopped there (no test, follow-up or admission).
        EXPECT_EQ(batch.summary(r, "first_year_non_admitted_stops"),
                  batch.summary(r, "first_year_outpatient_first"));
        EXPECT_EQ(batch.summary(r, "first_year_admitted_stops"), 0.0);
    }
    expect_within_standard_errors("list at the weekly census", census, exact, 0.1);
    expect_within_standard_errors("first appointments a day", throughput, kReferralsPerDay, 0.02);
}

// lambda = 10 a day, c = 8 a day: once a backlog has built up in the warm-up, every clinic is
// full, so the year's first appointments are exactly 8 x 366, and the list grows by 2 a day.
TEST(ClinicStage, OverloadedClinicWorksAtCapacityAndItsListGrowsByTheExcess) {
    const Batch batch(load("one_clinic.toml", R"(
[hospitals.general.clinics.surgery]
first_slots_per_week = 56.0
)"));
    const sim::TimeAxis& months = batch.months();
    const std::size_t last = months.start.size() - 1;
    const double days = months.end[last] - months.end[0];
    sim::Moments growth;
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        EXPECT_EQ(batch.summary(r, "first_year_outpatient_first"), 8.0 * kFirstYearDays);
        growth.add(batch.series(r, "waiting_list", {last, kSystem}) -
                   batch.series(r, "waiting_list", {0, kSystem}));
    }
    expect_within_standard_errors("list growth, first to last month end", growth,
                                  (kReferralsPerDay - 8.0) * days, 0.1);
}

// DNA rebooking: p = 0.3, discharged at the k-th DNA, k = 1, 2, 3. No warm-up and no referrals in
// the last month, so every pathway has ended by the end and the counts are complete: bookings
// (patients taken off the list for a clinic), patients (clock starts), attended (first
// appointments), discharged for DNAs (clock stops less attended).
TEST(ClinicStage, DnaRebookingArithmetic) {
    const double p = 0.3;
    for (const int k : {1, 2, 3}) {
        SCOPED_TRACE("max_dnas = " + std::to_string(k));
        const Batch batch(load("one_clinic.toml", R"(
[run]
warmup_days = 0
replications = 30

[hospitals.general.clinics.surgery]
first_slots_per_week = 140.0

[dna]
first = 0.3
max_dnas = )" + std::to_string(k) + R"(

[[demand_changes]]
label = "no referrals in the last month: every pathway ends before the end of the run"
kinds = ["referrals"]
from = 2020-03-01
to = 2020-04-01
multiplier = 0.0
)"));
        sim::Moments bookings_per_patient;
        sim::Moments discharged_share;
        for (std::size_t r = 0; r < batch.replications(); ++r) {
            const double patients = batch.summary(r, "first_year_clock_starts");
            const double bookings = batch.summary(r, "stage_outpatient_first_left");
            const double attended = batch.summary(r, "first_year_outpatient_first");
            const double discharged = batch.summary(r, "first_year_non_admitted_stops") - attended;
            ASSERT_EQ(batch.summary(r, "pathways_open_at_end"), 0.0);
            ASSERT_EQ(batch.summary(r, "stage_outpatient_first_remaining"), 0.0);
            // Ledger: every patient attends or is discharged; every booking is attended, ends in
            // a discharge, or is followed by a rebooking (a second entry to the list).
            EXPECT_EQ(attended + discharged, patients);
            EXPECT_EQ(batch.summary(r, "stage_outpatient_first_entered") - patients,
                      bookings - attended - discharged);
            bookings_per_patient.add(bookings / patients);
            discharged_share.add(discharged / patients);
        }
        const double pk = std::pow(p, k);
        if (k == 1) {
            // Discharged at the first DNA: one booking each, exactly.
            EXPECT_EQ(bookings_per_patient.mean(), 1.0);
        } else {
            expect_within_standard_errors("bookings per patient", bookings_per_patient,
                                          (1.0 - pk) / (1.0 - p), 0.01);
        }
        expect_within_standard_errors("share discharged for DNAs", discharged_share, pk, 0.15);
    }
}

}  // namespace
}  // namespace icsflow::test::blmk
