// Uncertain parameters ([[uncertain]]): each replication draws its own value from its own stream,
// runs the model with it, and records it.
//
// The exact check: replication r of a batch whose removal rate is uncertain equals replication r
// of a batch with the rate fixed at the value drawn for r (same seed, same chance streams), series
// for series and summary for summary. So the draw is what the model ran with, and nothing else
// changed. The draws themselves are checked against their distributions' exact means within 4
// standard errors, and for identity whatever the number of threads.
#include "sim/runner/uncertain_parameters.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "blmk/blmk_test_support.hpp"
#include "sim/config/config_document.hpp"
#include "statistics/statistical_check.hpp"

namespace icsflow::test::blmk {
namespace {

const std::string kRateKey = "removals.background_rate_per_week";
const std::string kSummary = "assumption_" + kRateKey;

const std::string kUncertain = R"(
[run]
replications = 6

[[uncertain]]
key = "removals.background_rate_per_week"
label = "test: the removal rate between 1% and 5% a week"
distribution = "uniform"
low = 0.01
high = 0.05

[[uncertain]]
key = "seasonality.referrals"
distribution = "lognormal"
apply = "multiplier"
mean = 1.0
sd = 0.2
)";

std::string fixed_values(double rate, double referral_multiplier, const sim::LoadedScenario& base) {
    const auto& season = blmk_scenario(base).parameters().seasonality.referrals;
    std::string text = "[run]\nreplications = 6\n[removals]\nbackground_rate_per_week = ";
    char number[64];
    std::snprintf(number, sizeof number, "%.17g", rate);
    text += number;
    text += "\n[seasonality]\nreferrals = [";
    for (std::size_t m = 0; m < season.size(); ++m) {
        std::snprintf(number, sizeof number, "%.17g", season[m] * referral_multiplier);
        text += (m > 0 ? ", " : "");
        text += number;
    }
    return text + "]\n";
}

// Equal value for value, NaN (no value) matching NaN.
bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) {
            return false;
        }
    }
    return true;
}

TEST(UncertainParameters, EachReplicationRunsWithItsRecordedDraw) {
    const Batch uncertain(load("small_system.toml", kUncertain));
    const sim::LoadedScenario nominal = load("small_system.toml");
    const sim::OutputSchema& schema = uncertain.schema();
    ASSERT_NO_THROW(static_cast<void>(schema.summary_id(kSummary)));
    const std::string referral_summary = "assumption_seasonality.referrals";
    for (std::size_t r = 0; r < uncertain.replications(); ++r) {
        const double rate = uncertain.summary(r, kSummary);
        EXPECT_GE(rate, 0.01);
        EXPECT_LE(rate, 0.05);
        // Only replication r of this batch is compared, so a batch of r + 1 suffices.
        sim::LoadedScenario fixed =
            load("small_system.toml",
                 fixed_values(rate, uncertain.summary(r, referral_summary), nominal));
        sim::MemorySink sink;
        sim::BatchOptions options;
        options.master_seed = fixed.run.seed;
        options.first_replication = r;
        options.replications = 1;
        options.threads = 1;
        options.progress = sim::ProgressMode::none;
        static_cast<void>(sim::run_batch(*fixed.scenario, options, sink));
        const sim::ReplicationResult& expected = sink.results.at(0);
        const sim::ReplicationResult& got = uncertain.results()[r];
        ASSERT_EQ(got.series.size(), expected.series.size());
        for (std::size_t s = 0; s < expected.series.size(); ++s) {
            EXPECT_TRUE(same_values(got.series[s], expected.series[s]))
                << "replication " << r << ", series " << schema.series()[s].name;
        }
        for (std::size_t s = 0; s < expected.summaries.size(); ++s) {
            const double a = got.summaries[s];
            const double b = expected.summaries[s];
            EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b)))
                << "replication " << r << ", summary " << schema.summaries()[s].name;
        }
    }
}

TEST(UncertainParameters, DrawsDoNotDependOnThreads) {
    const Batch one(load("small_system.toml", kUncertain), 1);
    const Batch two(load("small_system.toml", kUncertain), 2);
    for (std::size_t r = 0; r < one.replications(); ++r) {
        EXPECT_EQ(one.summary(r, kSummary), two.summary(r, kSummary));
        for (std::size_t s = 0; s < one.results()[r].series.size(); ++s) {
            EXPECT_TRUE(same_values(one.results()[r].series[s], two.results()[r].series[s]))
                << "replication " << r << ", series " << s;
        }
    }
}

TEST(UncertainParameters, TheResultsSayWhichAssumptionsAreUncertain) {
    EXPECT_EQ(load("small_system.toml").uncertainty(), "chance");
    EXPECT_EQ(load("small_system.toml", kUncertain).uncertainty(),
              "chance and assumptions: removals.background_rate_per_week, "
              "seasonality.referrals");
}

// The draws alone, many of them, against each family's exact mean.
TEST(UncertainParameters, DrawsFollowTheirDistributions) {
    using F = sim::UncertainParameter::Family;
    const auto moments = [](const sim::UncertainParameter& p) {
        sim::Moments m;
        for (std::uint64_t r = 0; r < 4000; ++r) {
            m.add(p.draw(20261129, r));
        }
        return m;
    };
    sim::UncertainParameter uniform{.key = "a", .family = F::uniform, .low = 2.0, .high = 6.0};
    expect_within_standard_errors("uniform(2, 6)", moments(uniform), 4.0, 0.02);
    sim::UncertainParameter triangular{
        .key = "b", .family = F::triangular, .low = 0.0, .mode = 1.0, .high = 5.0};
    expect_within_standard_errors("triangular(0, 1, 5)", moments(triangular), 2.0, 0.05);
    sim::UncertainParameter lognormal{.key = "c", .family = F::lognormal, .mean = 1.0, .sd = 0.3};
    expect_within_standard_errors("lognormal(1, 0.3)", moments(lognormal), 1.0, 0.02);
    // A normal truncated at zero by redrawing: never below, and the same draw every time.
    sim::UncertainParameter truncated{
        .key = "d", .family = F::normal, .mean = 0.01, .sd = 0.02, .min = 0.0};
    for (std::uint64_t r = 0; r < 500; ++r) {
        EXPECT_GE(truncated.draw(7, r), 0.0);
        EXPECT_EQ(truncated.draw(7, r), truncated.draw(7, r));
    }
}

TEST(UncertainParameters, BadEntriesAreReportedWithTheirKeys) {
    const auto issues_of = [](const std::string& entry) {
        try {
            static_cast<void>(load("small_system.toml", "[[uncertain]]\n" + entry));
        } catch (const sim::config::ConfigError& e) {
            std::string text;
            for (const auto& issue : e.issues()) {
                text += issue.format() + "\n";
            }
            return text;
        }
        return std::string("no error");
    };
    struct Case {
        std::string entry;     // the [[uncertain]] entry's keys
        std::string reported;  // text every report of it contains
    };
    const std::string at_booking = "key = \"removals.at_booking\"\n";
    const std::vector<Case> cases{
        {"key = \"removals.no_such_rate\"\ndistribution = \"uniform\"\nlow = 0.0\nhigh = 1.0\n",
         "uncertain[0].key"},
        {at_booking + "distribution = \"uniform\"\nlow = 0.5\nhigh = 0.1\n", "uncertain[0].high"},
        {at_booking + "distribution = \"normal\"\nmean = 0.1\n", "uncertain[0].sd"},
        {"key = \"run.model\"\ndistribution = \"uniform\"\nlow = 0.0\nhigh = 1.0\n",
         "not a number"},
        {at_booking + "distribution = \"normal\"\nmean = 0.1\nsd = -0.01\n",
         "uncertain[0].sd': value -0.01 is out of range"},
        // Found when the configuration is read (validate), not when a replication draws: a
        // whole number, bounds the distribution almost never reaches, bounds outside the
        // parameter's own range, a distribution that cannot be built.
        {"key = \"policy.max_wait_review_priority\"\ndistribution = \"uniform\"\nlow = 1.0\n"
         "high = 3.0\n",
         "uncertain[0].key': 'policy.max_wait_review_priority' is a whole number"},
        {"key = \"removals.background_rate_per_week\"\ndistribution = \"normal\"\n"
         "mean = -0.05\nsd = 0.01\n",
         "uncertain[0].key': draws fall inside [0, 1] (the entry's min and max within the "
         "parameter's own range) with probability"},
        {at_booking + "distribution = \"normal\"\nmean = 0.1\nsd = 0.01\nmin = 0.5\nmax = 0.6\n",
         "uncertain[0].min': draws fall inside [0.5, 0.6]"},
        {at_booking + "distribution = \"normal\"\nmean = 0.1\nsd = 0.01\nmin = 2\nmax = 3\n",
         "uncertain[0].min': the entry's bounds leave nothing of the parameter's range"},
        {at_booking + "distribution = \"lognormal\"\nmean = 0.1\nsd = 1e-170\n",
         "uncertain[0].sd': with this mean, the lognormal's spread"},
        {at_booking + "distribution = \"normal\"\nmean = 0.1\nsd = 0.01\nmax = inf\n",
         "uncertain[0].max': value inf is out of range"},
    };
    for (const Case& c : cases) {
        const std::string issues = issues_of(c.entry);
        EXPECT_NE(issues.find(c.reported), std::string::npos) << c.entry << "gave: " << issues;
        // One error each: never a second one computed from a stand-in value.
        EXPECT_EQ(std::count(issues.begin(), issues.end(), '\n'), 1) << c.entry << issues;
    }
    // A distribution a tenth of whose draws fall inside is accepted: drawing again reaches them.
    EXPECT_EQ(issues_of(at_booking + "distribution = \"uniform\"\nlow = 0.0\nhigh = 1.0\n"
                                     "max = 0.1\n"),
              "no error");
}

TEST(UncertainParameters, ProbabilityWithinBoundsIsExact) {
    using F = sim::UncertainParameter::Family;
    // Standard normal within one standard deviation: erf(1/sqrt(2)).
    const sim::UncertainParameter normal{
        .key = "a", .family = F::normal, .mean = 0.0, .sd = 1.0, .min = -1.0, .max = 1.0};
    EXPECT_NEAR(normal.probability_within_bounds(), std::erf(1.0 / std::sqrt(2.0)), 1e-12);
    const sim::UncertainParameter uniform{
        .key = "b", .family = F::uniform, .low = 2.0, .high = 6.0, .min = 3.0, .max = 10.0};
    EXPECT_NEAR(uniform.probability_within_bounds(), 0.75, 1e-12);
    // Triangular(0, 1, 5) below 1: the area left of the mode, (1 - 0) / (5 - 0).
    const sim::UncertainParameter triangular{
        .key = "c", .family = F::triangular, .low = 0.0, .mode = 1.0, .high = 5.0, .max = 1.0};
    EXPECT_NEAR(triangular.probability_within_bounds(), 0.2, 1e-12);
    // A lognormal with mean 1 and sd 0.3 below its median exp(mu): one half.
    const auto ln = sim::RandomStream::lognormal_parameters(1.0, 0.3);
    const sim::UncertainParameter lognormal{
        .key = "d", .family = F::lognormal, .mean = 1.0, .sd = 0.3, .max = std::exp(ln.mu)};
    EXPECT_NEAR(lognormal.probability_within_bounds(), 0.5, 1e-12);
}

}  // namespace
}  // namespace icsflow::test::blmk
