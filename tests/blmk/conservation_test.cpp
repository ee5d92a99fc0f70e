// Conservation of patients in every run of the BLMK model.
//
// The model checks its own ledgers at the end of every replication and stops the batch if one
// fails (check_conservation in models/blmk/blmk_model.cpp): for each stage, patients who joined
// the list = patients who left it + patients still on it; every open pathway is on the RTT
// census; every inpatient admitted is discharged or still in hospital; every request for
// community support is accepted or still waiting. That function is internal to
// BlmkScenario::run and no configuration can make a correct model fail it, so it cannot be shown
// to fire without a hook in the model. These tests check the same identities from outside:
//   - on the results the model writes, for several systems and seeds:
//       per stage: entered = left + remaining (all since the start of the warm-up);
//       the waiting list at the last census (the horizon) = the pathways open at the end, and
//       the pathways on a list <= the pathways open (the rest are between stages: cancer
//       work-up, the wait for non-surgical treatment);
//       records in use at the end <= the largest number ever in use;
//       for a run without warm-up of at most 12 months, where the first-year counts cover the
//       whole run: initial list + clock starts = admitted + non-admitted stops + removals + open;
//   - on a replication's World, through its public interface, at every week of a run (not only
//     at the end): the model's four identities.
// Each checker must notice a broken ledger: the results checker is run on a result with one count
// changed, the World checker on a World changed behind the model's back (a patient taken off a
// list without being counted, a pathway or an inpatient record nobody registered).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "blmk/blmk_test_support.hpp"

namespace icsflow::test::blmk {
namespace {

using Summaries = std::function<double(const std::string&)>;

// Every ledger identity that fails, described. `initial_list` is given when the run has no
// warm-up and its first-year counts cover the whole run.
std::vector<std::string> ledger_problems(const Summaries& value,
                                         std::optional<double> initial_list) {
    std::vector<std::string> problems;
    double on_lists = 0.0;
    for (std::size_t s = 0; s < mb::kStages; ++s) {
        const std::string stage = std::string("stage_") + mb::stage_name(s);
        const double entered = value(stage + "_entered");
        const double left = value(stage + "_left");
        const double remaining = value(stage + "_remaining");
        if (entered != left + remaining) {
            problems.push_back(stage + ": entered " + std::to_string(entered) + " != left " +
                               std::to_string(left) + " + remaining " + std::to_string(remaining));
        }
        on_lists += remaining;
    }
    const double open = value("pathways_open_at_end");
    if (value("list_end") != open) {
        problems.push_back("waiting list at the end " + std::to_string(value("list_end")) +
                           " != open pathways " + std::to_string(open));
    }
    if (on_lists > open) {
        problems.push_back("pathways on lists " + std::to_string(on_lists) + " > open pathways " +
                           std::to_string(open));
    }
    if (open + value("inpatients_at_end") > value("peak_patients_in_system")) {
        problems.push_back("records in use at the end exceed the peak");
    }
    if (initial_list) {
        const double in = *initial_list + value("first_year_clock_starts");
        const double out = value("first_year_admitted_stops") +
                           value("first_year_non_admitted_stops") + value("first_year_removals") +
                           open;
        if (in != out) {
            problems.push_back("pathways: initial + clock starts " + std::to_string(in) +
                               " != stops + removals + open " + std::to_string(out));
        }
    }
    return problems;
}

// The model's own identities, on a World at any time.
std::vector<std::string> world_ledger_problems(mb::World& world) {
    std::vector<std::string> problems;
    for (std::size_t s = 0; s < mb::kStages; ++s) {
        if (world.lists.joined(s) != world.lists.left(s) + world.lists.waiting(s)) {
            problems.push_back(std::string("stage ") + mb::stage_name(s) + ": joined " +
                               std::to_string(world.lists.joined(s)) + " != left " +
                               std::to_string(world.lists.left(s)) + " + waiting " +
                               std::to_string(world.lists.waiting(s)));
        }
    }
    if (static_cast<std::int64_t>(world.pathways.live()) != world.metrics.waiting_list_total()) {
        problems.push_back("open pathways " + std::to_string(world.pathways.live()) +
                           " != RTT census " + std::to_string(world.metrics.waiting_list_total()));
    }
    if (world.beds.present() != world.inpatients.live()) {
        problems.push_back("inpatients admitted - discharged " +
                           std::to_string(world.beds.present()) + " != records " +
                           std::to_string(world.inpatients.live()));
    }
    if (world.community.requested() != world.community.accepted() + world.community.waiting()) {
        problems.push_back("community requests " + std::to_string(world.community.requested()) +
                           " != accepted + waiting");
    }
    return problems;
}

void expect_balanced(const Batch& batch, std::optional<double> initial_list) {
    ASSERT_GT(batch.replications(), 0U);
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        const auto problems = ledger_problems(
            [&](const std::string& name) { return batch.summary(r, name); }, initial_list);
        for (const std::string& problem : problems) {
            ADD_FAILURE() << "replication " << r << ": " << problem;
        }
        // Not vacuous: patients went through the stages.
        EXPECT_GT(batch.summary(r, "stage_outpatient_first_left"), 0.0);
    }
}

TEST(Conservation, TestSystemsWithSeveralSeeds) {
    for (const std::string seed : {"1", "2", "3"}) {
        SCOPED_TRACE("seed " + seed);
        const std::string run = "[run]\nseed = " + seed + "\n";
        expect_balanced(Batch(load("small_system.toml", run)), std::nullopt);
        expect_balanced(Batch(load("one_clinic.toml", run + R"(replications = 4
[specialties.surgery]
diagnostic_probability = 0.3
follow_up_probability = 0.3
admit_probability = 0.5
[hospitals.general.diagnostics]
slots_per_week = [30, 0, 0]
[hospitals.general.clinics.surgery]
follow_up_slots_per_week = 50.0
day_case_sessions_per_week = 7.0
day_cases_per_session = 4.0
[dna]
first = 0.1
follow_up = 0.1
[removals]
background_rate_per_week = 0.02
)")),
                        std::nullopt);
    }
}

// No warm-up and one year: the pathway identity holds over the whole run.
TEST(Conservation, PathwaysWithoutWarmUp) {
    expect_balanced(Batch(load("small_system.toml", "[run]\nwarmup_days = 0\n")), 300.0);
    expect_balanced(Batch(load("blmk_2019.toml", "[run]\nwarmup_days = 0\nreplications = 2\n")),
                    69790.0);
}

// The calibrated model over its whole default period (April 2019 to March 2022: the 2020 wave,
// the recovery plan, the change of booking policy, the independent sector), two replications.
TEST(Conservation, DefaultBlmkConfiguration) {
    expect_balanced(
        Batch(load("../../../configs/blmk.toml", "[run]\nreplications = 2\nseed = 7\n")),
        std::nullopt);
}

// Every week of a run, from the start of the warm-up, in two replications of the small system.
TEST(Conservation, LedgersBalanceThroughoutARun) {
    const sim::LoadedScenario loaded = load("small_system.toml");
    for (std::uint64_t r = 0; r < 2; ++r) {
        WorldRun run(loaded, r);
        std::size_t checks = 0;
        for (double t = run.tables().start_time; t <= run.tables().horizon; t += 7.0) {
            run.run_until(t);
            for (const std::string& problem : world_ledger_problems(run.world())) {
                ADD_FAILURE() << "replication " << r << ", day " << t << ": " << problem;
            }
            ++checks;
        }
        run.run_until(run.tables().horizon);
        EXPECT_TRUE(world_ledger_problems(run.world()).empty());
        EXPECT_GT(checks, 50U);
        // Not vacuous: every ledger has had traffic.
        EXPECT_GT(run.world().community.accepted(), 100U);
        EXPECT_GT(run.world().beds.discharged_total(), 1000U);
    }
}

// The World checker reports a World changed behind the model's back.
TEST(Conservation, WorldCheckerDetectsABrokenLedger) {
    const sim::LoadedScenario loaded = load("small_system.toml");
    auto fresh = [&](double until) {
        auto run = std::make_unique<WorldRun>(loaded, 0);
        run->run_until(until);
        EXPECT_TRUE(world_ledger_problems(run->world()).empty());
        return run;
    };
    {
        // A patient taken off the follow-up list by the queue itself, not by the lists.
        auto run = fresh(100.0);
        mb::World& world = run->world();
        auto& queue = world.lists.list(world.lists.rtt_list(0, 0, mb::Stage::follow_up));
        ASSERT_FALSE(queue.empty());
        static_cast<void>(queue.pop());
        const auto problems = world_ledger_problems(world);
        ASSERT_EQ(problems.size(), 1U);
        EXPECT_EQ(problems.front().rfind("stage follow_up: joined", 0), 0U) << problems.front();
    }
    {
        // A pathway record that no referral or initial list created.
        auto run = fresh(100.0);
        static_cast<void>(run->world().pathways.acquire());
        const auto problems = world_ledger_problems(run->world());
        ASSERT_EQ(problems.size(), 1U);
        EXPECT_EQ(problems.front().rfind("open pathways", 0), 0U) << problems.front();
    }
    {
        // An inpatient record that no admission created.
        auto run = fresh(100.0);
        static_cast<void>(run->world().inpatients.acquire());
        const auto problems = world_ledger_problems(run->world());
        ASSERT_EQ(problems.size(), 1U);
        EXPECT_EQ(problems.front().rfind("inpatients admitted", 0), 0U) << problems.front();
    }
}

// The results checker reports a result whose ledger does not balance, naming what is wrong.
TEST(Conservation, CheckerDetectsABrokenLedger) {
    const Batch batch(load("small_system.toml", "[run]\nreplications = 1\nwarmup_days = 0\n"));
    auto value = [&](const std::string& name) { return batch.summary(0, name); };
    ASSERT_TRUE(ledger_problems(value, 300.0).empty());
    struct Break {
        std::string summary;
        double change;
        std::string reported;
    };
    for (const Break& b : std::vector<Break>{
             {"stage_follow_up_left", -1.0, "stage_follow_up: entered"},
             {"stage_admitted_inpatient_remaining", 1.0, "stage_admitted_inpatient: entered"},
             {"pathways_open_at_end", 1.0, "waiting list at the end"},
             {"first_year_removals", 1.0, "pathways: initial + clock starts"},
             {"first_year_clock_starts", -1.0, "pathways: initial + clock starts"}}) {
        SCOPED_TRACE(b.summary);
        const auto broken = ledger_problems(
            [&](const std::string& name) {
                return value(name) + (name == b.summary ? b.change : 0.0);
            },
            300.0);
        ASSERT_FALSE(broken.empty());
        EXPECT_EQ(broken.front().rfind(b.reported, 0), 0U) << broken.front();
    }
    // Removing a patient from the lists and the open pathways together is not a broken ledger.
    const auto moved = ledger_problems(
        [&](const std::string& name) {
            if (name == "stage_outpatient_first_remaining" ||
                name == "stage_outpatient_first_entered" || name == "pathways_open_at_end" ||
                name == "list_end") {
                return value(name) - 1.0;
            }
            if (name == "first_year_clock_starts") {
                return value(name) - 1.0;
            }
            return value(name);
        },
        300.0);
    EXPECT_TRUE(moved.empty());
}

}  // namespace
}  // namespace icsflow::test::blmk
