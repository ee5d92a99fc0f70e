// The booking order of the admitted list, in the whole pathway: referral, clinic, decision to
// admit, day-case theatre list (one_clinic.toml with every patient admitted as a day case).
//
// Referrals arrive at lambda = 10 a day with clinical priorities P1..P4 in shares 0.1, 0.2, 0.3,
// 0.4 (1, 2, 3 and 4 a day); theatres treat c = 8 a day. The list is overloaded: by conservation
// it grows by lambda - c = 2 a day whatever the order, and the order decides who is left.
//   - priority_then_longest_wait: P1-P3 (6 a day) are all treated, P4 gets the remaining 2 a day,
//     so only the P4 list grows, by 4 - 2 = 2 a day; P1-P3 lists stay short. Within P4 the
//     longest waiters go first, so the P4 patients left are exactly the most recent ones: their
//     number is lambda_4 times the age of the oldest of them (less the 15 hours since the last
//     clinic, when the newest were listed).
//   - longest_wait_first: one queue by clock start, so the patients left are a random sample of
//     the recent referrals and each priority's list grows in proportion to its share:
//     0.1, 0.2, 0.3, 0.4 x 2 a day.
//   - urgent_then_longest_wait (the order before the 2020 guidance): P1 and P2 first, then P3 and
//     P4 together by longest wait: P1 and P2 lists stay short; P3 and P4 grow in the ratio 3 : 4.
// Growth is measured between days 100 and 300 (after the lists have settled into this pattern)
// from the lists themselves, in 80 replications run step by step.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "blmk/blmk_test_support.hpp"
#include "statistics/statistical_check.hpp"

namespace icsflow::test::blmk {
namespace {

constexpr std::array<double, 4> kPriorityShares{0.1, 0.2, 0.3, 0.4};
constexpr double kReferralsPerDay = 10.0;
constexpr double kTheatreCasesPerDay = 8.0;
constexpr double kFrom = 100.0;
constexpr double kTo = 300.0;
constexpr std::uint64_t kRuns = 80;

struct ListState {
    std::array<double, 4> count{};
    std::array<double, 4> oldest_age{};  // days since the clock start of the longest waiter
};

ListState admitted_list(WorldRun& run, double now) {
    ListState state;
    for (const std::uint32_t id : run.on_list(0, 0, mb::Stage::admitted_day_case)) {
        const mb::Pathway& pathway = run.world().pathways[id];
        const std::size_t k = pathway.priority - 1U;
        state.count[k] += 1.0;
        state.oldest_age[k] = std::max(state.oldest_age[k], now - pathway.clock_start);
    }
    return state;
}

sim::LoadedScenario scenario(const std::string& order, const std::string& policy = "") {
    return load("one_clinic.toml", R"(
[specialties.surgery]
admit_probability = 1.0
priority_mix = [0.1, 0.2, 0.3, 0.4]

[hospitals.general.clinics.surgery]
first_slots_per_week = 140.0
day_case_sessions_per_week = 7.0
day_cases_per_session = 8.0

[policy]
admitted_order = ")" + order + "\"\n" + policy);
}

struct Growth {
    std::array<sim::Moments, 4> growth;      // list growth by priority, kFrom to kTo
    std::array<double, 4> max_count{};       // largest list at kTo, by priority
    std::array<double, 4> max_oldest_age{};  // longest wait at kTo, by priority
    sim::Moments p4_recent;  // P4 list at kTo / (lambda_4 x (oldest age - 15 hours))
};

Growth run_lists(const std::string& order) {
    const sim::LoadedScenario loaded = scenario(order);
    Growth g;
    for (std::uint64_t r = 0; r < kRuns; ++r) {
        WorldRun run(loaded, r);
        run.run_until(kFrom);
        const ListState before = admitted_list(run, kFrom);
        run.run_until(kTo);
        const ListState after = admitted_list(run, kTo);
        for (std::size_t k = 0; k < 4; ++k) {
            g.growth[k].add(after.count[k] - before.count[k]);
            g.max_count[k] = std::max(g.max_count[k], after.count[k]);
            g.max_oldest_age[k] = std::max(g.max_oldest_age[k], after.oldest_age[k]);
        }
        const double lambda4 = kReferralsPerDay * kPriorityShares[3];
        g.p4_recent.add(after.count[3] / (lambda4 * (after.oldest_age[3] - 15.0 / 24.0)));
    }
    return g;
}

const double kExcess = (kReferralsPerDay - kTheatreCasesPerDay) * (kTo - kFrom);

TEST(AdmittedList, PriorityThenLongestWait) {
    const Growth g = run_lists("priority_then_longest_wait");
    // P1-P3 are treated at the next theatre list or, when more than 8 arrive in a day, within a
    // few days; the longest a patient of each waited (from referral, through the clinic) in any
    // replication is bounded accordingly, while P4 patients wait for months.
    const std::array<double, 3> longest_wait{2.5, 5.0, 15.0};
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_LT(g.max_count[k], 30.0) << priority_label(k);
        EXPECT_LT(g.max_oldest_age[k], longest_wait[k]) << priority_label(k);
        expect_within_standard_errors(priority_label(k) + " list growth", g.growth[k], 0.0, 5.0);
    }
    expect_within_standard_errors("P4 list growth", g.growth[3], kExcess, 0.1);
    EXPECT_GT(g.max_oldest_age[3], 100.0);
    expect_within_standard_errors("P4 left = the most recent P4 referrals", g.p4_recent, 1.0, 0.05);
}

TEST(AdmittedList, LongestWaitFirstIgnoresPriority) {
    const Growth g = run_lists("longest_wait_first");
    for (std::size_t k = 0; k < 4; ++k) {
        expect_within_standard_errors(priority_label(k) + " list growth", g.growth[k],
                                      kPriorityShares[k] * kExcess, 0.25);
        EXPECT_GT(g.max_oldest_age[k], 20.0) << priority_label(k) << " waits as long as the rest";
    }
}

TEST(AdmittedList, UrgentThenLongestWait) {
    const Growth g = run_lists("urgent_then_longest_wait");
    const std::array<double, 2> longest_wait{2.5, 5.0};
    for (std::size_t k = 0; k < 2; ++k) {
        EXPECT_LT(g.max_count[k], 30.0) << priority_label(k);
        EXPECT_LT(g.max_oldest_age[k], longest_wait[k]) << priority_label(k);
    }
    expect_within_standard_errors("P3 list growth", g.growth[2], kExcess * 3.0 / 7.0, 0.15);
    expect_within_standard_errors("P4 list growth", g.growth[3], kExcess * 4.0 / 7.0, 0.15);
    EXPECT_GT(g.max_oldest_age[2], 100.0);
}

// Out-of-turn offers (policy.out_of_turn_share = s) under priority_then_longest_wait. P1-P3 are
// still all treated (an offer drawn from another class than the next in turn stays in turn), and
// P4 gets 2 of the 8 cases a day, a share s of them drawn at random from the P4 list, which grows
// as N(t) = 2t. A P4 patient listed at x survives the random draws to T with probability
// exp(-integral of 2s/N) = (x/T)^s; the in-turn cases clear everyone listed before a frontier aT,
// where 4 a^s (aT)' = 2(1 - s), so a = ((1 - s)/2)^(1/(1+s)). The survivors' mean time on the
// list is then c(s) T with c(s) = 1 - 2 (1 - a^(2+s)) / (2 + s): 1/4 in turn (s = 0), 0.279 at
// s = 0.5, and 1/3 when every P4 offer is out of turn — the same list, its waits spread wider.
// Each replication's list is its own clock (T = N(T)/2), which takes out the chance in how fast
// the P4 list grew.
double mean_time_on_list_share(double s) {
    const double a = std::pow((1.0 - s) / 2.0, 1.0 / (1.0 + s));
    return 1.0 - 2.0 * (1.0 - std::pow(a, 2.0 + s)) / (2.0 + s);
}

TEST(AdmittedList, OutOfTurnOffersSpreadTheWaitsNotTheList) {
    constexpr std::uint64_t kOutOfTurnRuns = 96;
    // The formula treats the daily theatre lists and clinics as continuous, which may put it half
    // a day off; the shares' predictions differ by 9 (s = 0.5) and 27 days (s = 1), and
    // 4 SE below 3 days tells them apart.
    constexpr double kDiscreteDays = 0.5;
    for (const double share : {0.0, 0.5, 1.0}) {
        const sim::LoadedScenario loaded = scenario(
            "priority_then_longest_wait", "out_of_turn_share = " + std::to_string(share) + "\n");
        sim::Moments growth;
        sim::Moments excess_days;  // mean days listed less the formula's, per replication
        for (std::uint64_t r = 0; r < kOutOfTurnRuns; ++r) {
            WorldRun run(loaded, r);
            run.run_until(kFrom);
            const double before = admitted_list(run, kFrom).count[3];
            run.run_until(kTo);
            double p4 = 0.0;
            double listed_days = 0.0;
            for (const std::uint32_t id : run.on_list(0, 0, mb::Stage::admitted_day_case)) {
                const mb::Pathway& pathway = run.world().pathways[id];
                if (pathway.priority == 4) {
                    p4 += 1.0;
                    listed_days += kTo - pathway.stage_since;
                }
            }
            growth.add(p4 - before);
            excess_days.add(listed_days / p4 - mean_time_on_list_share(share) * p4 / 2.0);
        }
        const std::string label = "out_of_turn_share " + std::to_string(share);
        expect_within_standard_errors(label + ": P4 list growth", growth, kExcess, 0.1);
        std::printf("  %-58s %12.6g +- %-10.3g exact 0 (+- %g days)\n",
                    (label + ": P4 days listed - formula").c_str(), excess_days.mean(),
                    excess_days.standard_error(), kDiscreteDays);
        EXPECT_LE(std::fabs(excess_days.mean()),
                  kStandardErrors * excess_days.standard_error() + kDiscreteDays)
            << label;
        EXPECT_LT(kStandardErrors * excess_days.standard_error(), 3.0)
            << label << ": too little power to tell the shares apart";
    }
}

// One clinic's initial list of 1,000 day-case patients, all P4, in the wait bands
// `band_shares` (a TOML array), with no referrals (one_clinic.toml has no capacity or removals).
std::string p4_day_case_list(const std::string& band_shares) {
    return R"(
[specialties.surgery]
referrals_per_1000 = [0.0, 0.0, 0.0]
priority_mix = [0.0, 0.0, 0.0, 1.0]

[initial_list]
total = 1000
hospital_shares = { general = 1.0 }
specialty_shares = { surgery = 1.0 }
band_shares = )" +
           band_shares +
           R"(
admitted_share_by_band = [1.0, 1.0, 1.0, 1.0, 1.0]
diagnostics_share_by_band = [0.0, 0.0, 0.0, 0.0, 0.0]
follow_up_share_by_band = [0.0, 0.0, 0.0, 0.0, 0.0]
)";
}

// Long-wait reviews that reach a share q of the patients crossing the threshold. The list of
// p4_day_case_list, all waiting 18 to 52 weeks; reviews at 10 weeks book at P1. On the first day
// every patient is reviewed: the P1 count is binomial (1,000, q). Those passed over are never
// reviewed again, so 100 days later the P1 count is exactly the same in every replication.
TEST(AdmittedList, LongWaitReviewsReachTheirShareOnce) {
    const std::string initial_list = p4_day_case_list("[0.0, 1.0, 0.0, 0.0, 0.0]") + R"(
[policy]
long_wait_review_weeks = 10.0
long_wait_review_priority = 1
)";
    static constexpr double kListed = 1000.0;
    for (const double share : {0.0, 0.3, 1.0}) {
        const sim::LoadedScenario loaded =
            load("one_clinic.toml",
                 initial_list + "long_wait_review_share = " + std::to_string(share) + "\n");
        sim::Moments reviewed_share;
        for (std::uint64_t r = 0; r < loaded.run.replications; ++r) {
            WorldRun run(loaded, r);
            const auto p1_count = [&run] {
                double p1 = 0.0;
                double listed = 0.0;
                for (const std::uint32_t id : run.on_list(0, 0, mb::Stage::admitted_day_case)) {
                    p1 += run.world().pathways[id].priority == 1 ? 1.0 : 0.0;
                    listed += 1.0;
                }
                EXPECT_EQ(listed, kListed) << "nobody leaves";
                return p1;
            };
            run.run_until(1.5);
            const double first_day = p1_count();
            run.run_until(100.5);
            EXPECT_EQ(p1_count(), first_day) << "share " << share << ": reviewed again";
            reviewed_share.add(first_day / kListed);
        }
        const std::string label = "long_wait_review_share " + std::to_string(share);
        if (share == 0.0 || share == 1.0) {
            EXPECT_EQ(reviewed_share.mean(), share) << label;
            EXPECT_EQ(reviewed_share.standard_error(), 0.0) << label;
        } else {
            expect_within_standard_errors(label + ": share booked at P1", reviewed_share, share,
                                          0.1);
        }
    }
}

// Reviews against a maximum-wait standard reach every patient, including those a long-wait review
// passed over, and stop when a policy change ends them. The list of p4_day_case_list, waiting 0
// to 18 weeks at the start.
// Long-wait reviews at 5 weeks pass everyone over (share 0); maximum-wait reviews at 10 weeks
// book at P2 until day 30 (1 May 2019). So 100 days in, a patient who had waited 10 weeks by day
// 29 is P2 and one who had not by day 30 is still P4 (reviews run once a day).
TEST(AdmittedList, MaxWaitReviewsReachEveryPatientUntilTheyEnd) {
    const sim::LoadedScenario loaded =
        load("one_clinic.toml", p4_day_case_list("[1.0, 0.0, 0.0, 0.0, 0.0]") + R"(
[run]
warmup_days = 0
replications = 4

[policy]
long_wait_review_weeks = 5.0
long_wait_review_share = 0.0
max_wait_review_weeks = 10.0
max_wait_review_priority = 2

[[append.policy_changes]]
label = "maximum-wait reviews end"
from = 2019-05-01
max_wait_review_weeks = 0.0
)");
    constexpr double kEnds = 30.0;
    constexpr double kThreshold = 70.0;
    for (std::uint64_t r = 0; r < loaded.run.replications; ++r) {
        WorldRun run(loaded, r);
        run.run_until(100.5);
        std::size_t booked = 0;
        std::size_t left = 0;
        for (const std::uint32_t id : run.on_list(0, 0, mb::Stage::admitted_day_case)) {
            const mb::Pathway& pathway = run.world().pathways[id];
            if (pathway.clock_start <= kEnds - 1.0 - kThreshold) {
                EXPECT_EQ(pathway.priority, 2) << "clock start " << pathway.clock_start;
                ++booked;
            } else if (pathway.clock_start > kEnds - kThreshold) {
                EXPECT_EQ(pathway.priority, 4) << "clock start " << pathway.clock_start;
                EXPECT_TRUE(pathway.has(mb::Pathway::review_passed_over));
                ++left;
            }
        }
        EXPECT_GT(booked, 500U);
        EXPECT_GT(left, 200U);
    }
}

}  // namespace
}  // namespace icsflow::test::blmk
