// Targets of every kind: the rule of each (at least or at most its threshold, in its month) on
// figures with a known answer, "all met", and, in a run of the small system, each target's value
// equal to the series it is stated on.
#include "models/blmk/metrics/targets.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "blmk/blmk_test_support.hpp"

namespace icsflow::test::blmk {
namespace {

mb::TargetParams target(mb::TargetMeasure measure, int month, double threshold) {
    mb::TargetParams t;
    t.name = mb::target_measure_name(static_cast<std::size_t>(measure));
    t.measure = measure;
    t.month = month;
    t.threshold = threshold;
    return t;
}

TEST(Targets, EachKindIsMetAtLeastOrAtMostItsThresholdInItsMonth) {
    std::vector<mb::SystemMonth> months(2);
    mb::SystemMonth& m = months[1];
    m.waiting_list = 1000;
    m.waiting_list_vs_prior_year = 1.12;
    m.over_52_weeks = 5;
    m.over_78_weeks = 1;
    m.over_104_weeks = 0;
    m.within_18_weeks_share = 0.83;
    m.bed_occupancy = 0.92;
    m.delayed_transfer_beds = 150;
    m.cancellations = 40;
    m.elective_activity_vs_prior_year = 0.9;
    m.outpatient_activity_vs_prior_year = 0.99;
    m.diagnostic_activity_vs_prior_year = 1.01;
    m.endoscopy_activity_vs_prior_year = NAN;  // no value: neither met nor missed
    using M = mb::TargetMeasure;
    struct Case {
        M measure;
        double threshold;
        double value;
        double met;
    };
    const std::vector<Case> cases{{M::waiting_list, 1000, 1000, 1},
                                  {M::waiting_list, 999, 1000, 0},
                                  {M::waiting_list_vs_prior_year, 1.0, 1.12, 0},
                                  {M::over_52_weeks, 5, 5, 1},
                                  {M::over_78_weeks, 0, 1, 0},
                                  {M::over_104_weeks, 0, 0, 1},
                                  {M::within_18_weeks_share, 0.92, 0.83, 0},
                                  {M::within_18_weeks_share, 0.8, 0.83, 1},
                                  {M::bed_occupancy, 0.92, 0.92, 1},
                                  {M::delayed_transfer_beds, 100, 150, 0},
                                  {M::cancellations, 50, 40, 1},
                                  {M::elective_activity, 0.9, 0.9, 1},
                                  {M::outpatient_activity, 1.0, 0.99, 0},
                                  {M::diagnostic_activity, 1.0, 1.01, 1}};
    for (const Case& c : cases) {
        const mb::TargetParams t = target(c.measure, 1, c.threshold);
        const double value = mb::target_value(t, months);
        EXPECT_EQ(value, c.value) << t.name;
        EXPECT_EQ(mb::target_met(t, value), c.met) << t.name << " threshold " << c.threshold;
    }
    const mb::TargetParams endoscopy = target(M::endoscopy_activity, 1, 0.95);
    EXPECT_TRUE(std::isnan(mb::target_met(endoscopy, mb::target_value(endoscopy, months))));
    // A month outside the run has no value.
    EXPECT_TRUE(std::isnan(mb::target_value(target(M::waiting_list, 2, 1.0), months)));

    EXPECT_EQ(mb::all_met({1, 1, 1}), 1.0);
    EXPECT_EQ(mb::all_met({1, 0, NAN}), 0.0);  // a miss decides
    EXPECT_TRUE(std::isnan(mb::all_met({1, NAN})));
}

TEST(Targets, ValuesInARunAreTheSeriesTheyAreStatedOn) {
    // The small system runs April 2019 to March 2020: targets in its 9th month (2019-12).
    const std::string targets = R"(
[[append.analysis.targets]]
name = "list"
measure = "waiting_list"
month = "2019-12"
threshold = 1e6
[[append.analysis.targets]]
name = "long"
measure = "over_78_weeks"
month = "2019-12"
threshold = 0
[[append.analysis.targets]]
name = "rtt"
measure = "within_18_weeks_share"
month = "2019-12"
threshold = 0.5
[[append.analysis.targets]]
name = "occupancy"
measure = "bed_occupancy"
month = "2019-12"
threshold = 0.85
[[append.analysis.targets]]
name = "dtoc"
measure = "delayed_transfer_beds"
month = "2019-12"
threshold = 2
[[append.analysis.targets]]
name = "cancelled"
measure = "cancellations"
month = "2019-12"
threshold = 3
)";
    const Batch batch(load("small_system.toml", targets));
    const std::size_t month = 8;
    ASSERT_EQ(batch.months().labels[month], "2019-12");
    const std::size_t units = batch.schema().category_axis("reporting_unit").labels.size();
    const std::size_t hospitals = batch.schema().category_axis("provider").labels.size();
    for (std::size_t r = 0; r < batch.replications(); ++r) {
        EXPECT_EQ(batch.summary(r, "target_list_value"),
                  batch.series(r, "waiting_list", {month, units - 1}));
        EXPECT_EQ(batch.summary(r, "target_long_value"),
                  batch.series(r, "over_78_weeks", {month, units - 1}));
        EXPECT_EQ(batch.summary(r, "target_rtt_value"),
                  batch.series(r, "within_18_weeks_share", {month, units - 1}));
        double occupied = 0;
        double available = 0;
        double fit = 0;
        double cancelled = 0;
        for (std::size_t h = 0; h < hospitals; ++h) {
            occupied += batch.series(r, "beds_occupied", {month, h});
            available += batch.series(r, "beds_available", {month, h});
            fit += batch.series(r, "beds_medically_fit", {month, h});
            cancelled += batch.series(r, "on_the_day_cancellations", {month, h});
        }
        EXPECT_NEAR(batch.summary(r, "target_occupancy_value"), occupied / available, 1e-12);
        EXPECT_NEAR(batch.summary(r, "target_dtoc_value"), fit, 1e-9);
        EXPECT_EQ(batch.summary(r, "target_cancelled_value"), cancelled);
        EXPECT_EQ(batch.summary(r, "target_list_met"), 1.0);  // far above any list
        bool all = true;
        for (const char* name : {"list", "long", "rtt", "occupancy", "dtoc", "cancelled"}) {
            const double met = batch.summary(r, std::string("target_") + name + "_met");
            ASSERT_TRUE(met == 0.0 || met == 1.0) << name;
            all = all && met == 1.0;
        }
        EXPECT_EQ(batch.summary(r, "targets_all_met"), all ? 1.0 : 0.0);
    }
    // Indicators are declared as such (the results file marks them; compare reports them as
    // probabilities).
    EXPECT_TRUE(batch.schema().summaries()[batch.schema().summary_id("targets_all_met")].indicator);
}

TEST(Targets, BadTargetsAreReportedWithTheirKey) {
    try {
        static_cast<void>(load("small_system.toml", R"(
[[append.analysis.targets]]
name = "a"
measure = "within_18_weeks_share"
month = "2019-12"
threshold = 92
[[append.analysis.targets]]
name = "a"
measure = "waiting_list_vs_prior_year"
month = "2019-12"
threshold = 1
)"));
        FAIL() << "no ConfigError";
    } catch (const sim::config::ConfigError& e) {
        std::string keys;
        for (const auto& issue : e.issues()) {
            keys += issue.key + ": " + issue.message + "\n";
        }
        EXPECT_NE(keys.find("analysis.targets[0].threshold: a ratio or share"), std::string::npos)
            << keys;
        EXPECT_NE(keys.find("analysis.targets[1].name: duplicate"), std::string::npos) << keys;
        EXPECT_NE(keys.find("analysis.targets[1].month: must be at least 12 months"),
                  std::string::npos)
            << keys;
    }
}

}  // namespace
}  // namespace icsflow::test::blmk
