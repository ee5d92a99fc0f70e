// Discharge from hospital and the community services of the BLMK model.
//
// In isolation (tests/data/blmk/discharge_to_community.toml, where the queueing argument is set
// out): requests for support leave the hospital as independent Poisson streams, so
//   - reablement and intermediate-care beds are M/M/c queues: the patients waiting for them (in
//     hospital) have the Erlang C mean Lq, those receiving them the offered load a = lambda / mu,
//     and a patient waits Wq = Lq / lambda on average (Little);
//   - care homes take a waiting patient at each vacancy, vacancies arriving as a Poisson process
//     of rate nu and lost when nobody waits: the waiting patients are an M/M/1 queue with
//     L = rho / (1 - rho), rho = lambda / nu, and W = 1 / (nu - lambda);
//   - medically fit patients hold beds for the assessment delay d and then until support starts:
//     by Little's law, delayed-transfer beds = lambda d + sum of the waiting patients, and beds
//     occupied = lambda x acute stay + delayed-transfer beds.
// With ample community capacity and no assessment delay the delayed-transfer beds fall to the
// care-home term alone, which vanishes as vacancies become plentiful.
//
// In the whole BLMK system (tests/data/blmk/blmk_2019.toml, April to June 2019): cutting community
// capacity to nothing leaves fit patients in beds, which crowds out elective inpatients, so
// operations are cancelled on the day; ample capacity shortens the delays. The replications of
// the scenarios share their seeds (common random numbers), so the differences are paired.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "blmk/blmk_test_support.hpp"
#include "models/reference/queueing_model.hpp"
#include "statistics/statistical_check.hpp"

namespace icsflow::test::blmk {
namespace {

using models::reference::erlang_c;

constexpr std::size_t kPlace = 0;
constexpr std::size_t kReablement = 0;
constexpr std::size_t kCommunityBed = 1;
constexpr std::size_t kCareHome = 2;

// The mean wait of the clients who started service over the whole run: the monthly means
// weighted by the monthly starts.
double mean_wait_of_starters(const Batch& batch, std::size_t r, std::size_t service) {
    double sum = 0.0;
    double n = 0.0;
    for (std::size_t m = 0; m < batch.periods("community_starts"); ++m) {
        const double starts = batch.series(r, "community_starts", {m, kPlace, service});
        if (starts > 0.0) {
            sum += starts * batch.series(r, "community_wait_days", {m, kPlace, service});
            n += starts;
        }
    }
    return sum / n;
}

TEST(CommunityServices, QueuesMatchErlangCAndTheCareHomeQueue) {
    const Batch batch(load("discharge_to_community.toml"));
    // Arrival rates of requests (4 a day split 2 / 1 / 1), service rates, capacities.
    const auto reablement = erlang_c(2.0, 1.0 / 5.0, 12);
    const auto community_bed = erlang_c(1.0, 1.0 / 8.0, 10);
    const double care_home_rho = 1.0 / 1.25;
    const double care_home_waiting = care_home_rho / (1.0 - care_home_rho);
    const double fit_beds =
        4.0 * 1.0 + reablement.mean_in_queue + community_bed.mean_in_queue + care_home_waiting;
    std::vector<sim::Moments> waiting(3);
    std::vector<sim::Moments> in_service(2);
    std::vector<sim::Moments> wait(3);
    sim::Moments fit;
    sim::Moments occupied;
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        for (std::size_t s = 0; s < 3; ++s) {
            waiting[s].add(time_average(batch, r, "community_waiting", {kPlace, s}));
            wait[s].add(mean_wait_of_starters(batch, r, s));
        }
        for (std::size_t s = 0; s < 2; ++s) {
            in_service[s].add(time_average(batch, r, "community_in_service", {kPlace, s}));
        }
        fit.add(time_average(batch, r, "beds_medically_fit", {0}));
        occupied.add(time_average(batch, r, "beds_occupied", {0}));
        // Beds are ample: nobody waits for one.
        EXPECT_EQ(time_average(batch, r, "emergency_waiting_for_bed", {0}), 0.0);
    }
    expect_within_standard_errors("reablement: waiting (Erlang C Lq)", waiting[kReablement],
                                  reablement.mean_in_queue, 0.2);
    expect_within_standard_errors("reablement: in service (offered load)", in_service[kReablement],
                                  10.0, 0.02);
    expect_within_standard_errors("reablement: wait of starters (Wq)", wait[kReablement],
                                  reablement.mean_wait_in_queue, 0.2);
    expect_within_standard_errors("community beds: waiting (Erlang C Lq)", waiting[kCommunityBed],
                                  community_bed.mean_in_queue, 0.2);
    expect_within_standard_errors("community beds: in service (offered load)",
                                  in_service[kCommunityBed], 8.0, 0.02);
    expect_within_standard_errors("community beds: wait of starters (Wq)", wait[kCommunityBed],
                                  community_bed.mean_wait_in_queue, 0.2);
    expect_within_standard_errors("care homes: waiting (M/M/1 L)", waiting[kCareHome],
                                  care_home_waiting, 0.1);
    expect_within_standard_errors("care homes: wait of starters (1 / (nu - lambda))",
                                  wait[kCareHome], 1.0 / (1.25 - 1.0), 0.1);
    expect_within_standard_errors("beds held by medically fit patients", fit, fit_beds, 0.05);
    expect_within_standard_errors("beds occupied (Little)", occupied, 4.0 * 3.0 + fit_beds, 0.05);
}

// Ample community capacity (100 places of each kind, 100 care-home vacancies a week) and no
// assessment delay: the delayed-transfer beds are the care-home term rho / (1 - rho) with
// rho = 1 / (100 / 7) = 0.07, about 0.075 beds; Erlang C for 100 places at load 10 or 8 is nil.
TEST(CommunityServices, AmpleCapacityLeavesAlmostNoDelayedTransfers) {
    const Batch batch(load("discharge_to_community.toml", R"(
[run]
replications = 20

[emergency]
assessment_delay = { distribution = "fixed", value = 0.0 }

[places.town.community]
reablement_slots = 100
community_beds = 100
care_home_placements_per_week = 100.0
)"));
    const double rho = 1.0 / (100.0 / 7.0);
    sim::Moments fit;
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        fit.add(time_average(batch, r, "beds_medically_fit", {0}));
        EXPECT_EQ(time_average(batch, r, "community_waiting", {kPlace, kReablement}), 0.0);
        EXPECT_EQ(time_average(batch, r, "community_waiting", {kPlace, kCommunityBed}), 0.0);
    }
    expect_within_standard_errors("beds held by medically fit patients", fit, rho / (1.0 - rho),
                                  0.1);
    EXPECT_LT(fit.mean(), 0.1);
}

// A paired comparison: `higher` exceeds `lower` in the mean by more than 4 standard errors of the
// replication-by-replication difference.
void expect_higher(const std::string& what, const Batch& higher, const Batch& lower,
                   const std::string& summary) {
    sim::Moments difference;
    for (std::size_t r = 0; r < higher.replications(); ++r) {
        difference.add(higher.summary(r, summary) - lower.summary(r, summary));
    }
    std::printf("  %-58s %12.6g +- %-10.3g\n", (what + ": " + summary).c_str(), difference.mean(),
                difference.standard_error());
    EXPECT_GT(difference.mean(), kStandardErrors * difference.standard_error()) << what;
}

TEST(BedsAndCommunity, DelayedTransfersBlockBedsAndCancelOperations) {
    // April to June 2019, community capacity (reablement, intermediate-care beds, care-home
    // vacancies) as calibrated, cut to nothing, or ten times as calibrated.
    auto scenario = [](const std::string& community) {
        return load("blmk_2019.toml", R"(
[run]
end_date = 2019-06-30

[analysis]
peak_to = 2019-07-01
census_month = "2019-06"
)" + community);
    };
    auto change = [](const std::string& multiplier) {
        return R"(
[[community_changes]]
label = "community capacity x )" +
               multiplier + R"("
from = 2019-04-01
to = 2019-07-01
multiplier = )" +
               multiplier + "\n";
    };
    const Batch calibrated(scenario(""));
    const Batch none(scenario(change("0.0")));
    const Batch ample(scenario(change("10.0")));
    const std::string fit = "first_year_delayed_transfer_beds";
    const std::string cancelled = "first_year_cancellations";
    expect_higher("no community capacity vs calibrated", none, calibrated, fit);
    expect_higher("no community capacity vs calibrated", none, calibrated, cancelled);
    expect_higher("calibrated vs no community capacity", calibrated, none,
                  "first_year_elective_inpatient");
    expect_higher("calibrated vs ample community capacity", calibrated, ample, fit);
    // Cancellations also come from emergency pressure alone, so ample community capacity removes
    // only some of them: fewer on average, not necessarily in every replication.
    EXPECT_GT(calibrated.mean(cancelled), ample.mean(cancelled));
}

}  // namespace
}  // namespace icsflow::test::blmk
