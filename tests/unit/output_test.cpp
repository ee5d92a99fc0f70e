// Reporting periods (weeks, months), the level recorder behind time-average and maximum series,
// moments, and the output schema.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/engine/sim_calendar.hpp"
#include "sim/output/moments.hpp"
#include "sim/output/output_schema.hpp"
#include "sim/output/reporting_periods.hpp"

namespace icsflow::sim {
namespace {

Date ymd(int y, unsigned m, unsigned d) {
    return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

std::vector<double> starts(const ReportingPeriods& p) {
    std::vector<double> out;
    for (std::size_t i = 0; i < p.size(); ++i) {
        out.push_back(p.start(i));
    }
    return out;
}

std::vector<double> ends(const ReportingPeriods& p) {
    std::vector<double> out;
    for (std::size_t i = 0; i < p.size(); ++i) {
        out.push_back(p.end(i));
    }
    return out;
}

TEST(ReportingPeriods, WeeksFromAMondayAreIsoWeeksAndTheLastMayBePartial) {
    const SimCalendar calendar(ymd(2019, 4, 1));
    const auto weeks = ReportingPeriods::weekly(calendar, 20.0);
    ASSERT_EQ(weeks.size(), 3U);
    EXPECT_EQ(starts(weeks), (std::vector<double>{0.0, 7.0, 14.0}));
    EXPECT_EQ(ends(weeks), (std::vector<double>{7.0, 14.0, 20.0}));
    const TimeAxis axis = weeks.axis("week", "reporting week");
    EXPECT_EQ(axis.name, "week");
    EXPECT_EQ(axis.long_name, "reporting week");
    EXPECT_EQ(axis.labels, (std::vector<std::string>{"2019-W14", "2019-W15", "2019-W16"}));
    EXPECT_EQ(axis.start, starts(weeks));
    EXPECT_EQ(axis.end, ends(weeks));

    EXPECT_EQ(weeks.index_of(0.0), 0U);
    EXPECT_EQ(weeks.index_of(6.999), 0U);
    EXPECT_EQ(weeks.index_of(7.0), 1U);
    EXPECT_EQ(weeks.index_of(19.999), 2U);
    EXPECT_EQ(weeks.index_of(20.0), 3U);  // outside: size()
    EXPECT_EQ(weeks.index_of(-0.001), 3U);
}

TEST(ReportingPeriods, WeeksAcrossAYearEnd) {
    const SimCalendar calendar(ymd(2020, 12, 28));
    const auto weeks = ReportingPeriods::weekly(calendar, 14.0);
    EXPECT_EQ(weeks.axis("w", "").labels, (std::vector<std::string>{"2020-W53", "2021-W01"}));
    // A Wednesday start: each period is labelled by the ISO week of its first day.
    const auto from_wednesday = ReportingPeriods::weekly(SimCalendar(ymd(2020, 1, 1)), 15.0);
    EXPECT_EQ(from_wednesday.axis("w", "").labels,
              (std::vector<std::string>{"2020-W01", "2020-W02", "2020-W03"}));
    EXPECT_EQ(ends(from_wednesday), (std::vector<double>{7.0, 14.0, 15.0}));
}

TEST(ReportingPeriods, MonthsWithPartialFirstAndLast) {
    // 2019-04-15 to 2019-07-10 inclusive: 87 days.
    const SimCalendar calendar(ymd(2019, 4, 15));
    const auto months = ReportingPeriods::monthly(calendar, 87.0);
    ASSERT_EQ(months.size(), 4U);
    EXPECT_EQ(starts(months), (std::vector<double>{0.0, 16.0, 47.0, 77.0}));
    EXPECT_EQ(ends(months), (std::vector<double>{16.0, 47.0, 77.0, 87.0}));
    EXPECT_EQ(months.axis("month", "").labels,
              (std::vector<std::string>{"2019-04", "2019-05", "2019-06", "2019-07"}));
    EXPECT_EQ(months.index_of(0.0), 0U);
    EXPECT_EQ(months.index_of(15.999), 0U);
    EXPECT_EQ(months.index_of(16.0), 1U);
    EXPECT_EQ(months.index_of(76.999), 2U);
    EXPECT_EQ(months.index_of(77.0), 3U);
    EXPECT_EQ(months.index_of(86.999), 3U);
    EXPECT_EQ(months.index_of(87.0), 4U);
    EXPECT_EQ(months.index_of(-1.0), 4U);
}

// index_of() looks months up by day: the answer must be the period whose start is the last at
// or before t, at every quarter day and just before and at every boundary of three years.
TEST(ReportingPeriods, MonthLookupAgreesWithThePeriodStarts) {
    const auto months = ReportingPeriods::monthly(SimCalendar(ymd(2019, 3, 17)), 1100.0);
    auto by_starts = [&](double t) {
        std::size_t period = months.size();
        for (std::size_t i = 0; i < months.size(); ++i) {
            if (months.start(i) <= t && t < months.end(i)) {
                period = i;
            }
        }
        return period;
    };
    for (double t = -1.0; t <= 1101.0; t += 0.25) {
        ASSERT_EQ(months.index_of(t), by_starts(t)) << "t = " << t;
    }
    for (std::size_t i = 0; i < months.size(); ++i) {
        const double boundary = months.end(i);
        ASSERT_EQ(months.index_of(std::nextafter(boundary, 0.0)), i);
        ASSERT_EQ(months.index_of(boundary), i + 1 < months.size() ? i + 1 : months.size());
    }
    EXPECT_EQ(months.index_of(std::nan("")), months.size());
}

TEST(ReportingPeriods, MonthsAcrossAYearEndAndEndingOnAMonthBoundary) {
    const auto months = ReportingPeriods::monthly(SimCalendar(ymd(2019, 11, 20)), 80.0);
    EXPECT_EQ(starts(months), (std::vector<double>{0.0, 11.0, 42.0, 73.0}));
    EXPECT_EQ(ends(months), (std::vector<double>{11.0, 42.0, 73.0, 80.0}));
    EXPECT_EQ(months.axis("m", "").labels,
              (std::vector<std::string>{"2019-11", "2019-12", "2020-01", "2020-02"}));

    // April 2019 exactly: one period, no empty one after it.
    const auto april = ReportingPeriods::monthly(SimCalendar(ymd(2019, 4, 1)), 30.0);
    ASSERT_EQ(april.size(), 1U);
    EXPECT_EQ(april.end(0), 30.0);
    // A leap year of months.
    const auto year = ReportingPeriods::monthly(SimCalendar(ymd(2020, 1, 1)), 366.0);
    ASSERT_EQ(year.size(), 12U);
    EXPECT_EQ(year.end(1) - year.start(1), 29.0);
    EXPECT_EQ(year.end(11), 366.0);
}

// A level over three weekly periods [0,7), [7,14), [14,20), by hand:
//   t in [-3, 1): 2 (set in the warm-up)    t in [1, 3): 5    t in [3, 10): 1
//   at t = 10: 4, then 6, then 3 at the same instant    t in [10, 20): 3
// Integrals: period 0 = 2x1 + 5x2 + 1x4 = 16; period 1 = 1x3 + 3x4 = 15; period 2 = 3x6 = 18.
// Maxima: 5; 6 (the momentary level at t = 10 counts); 3.
TEST(LevelRecorder, TimeAverageAndMaximumByHand) {
    const auto weeks = ReportingPeriods::weekly(SimCalendar(ymd(2019, 4, 1)), 20.0);
    LevelRecorder recorder(weeks);
    recorder.change(-3.0, 2.0);
    recorder.change(1.0, 5.0);
    recorder.change(3.0, 1.0);
    recorder.change(10.0, 4.0);
    recorder.change(10.0, 6.0);
    recorder.change(10.0, 3.0);
    recorder.finish(20.0);
    EXPECT_DOUBLE_EQ(recorder.mean(0), 16.0 / 7.0);
    EXPECT_DOUBLE_EQ(recorder.mean(1), 15.0 / 7.0);
    EXPECT_DOUBLE_EQ(recorder.mean(2), 18.0 / 6.0);
    EXPECT_EQ(recorder.maximum(0), 5.0);
    EXPECT_EQ(recorder.maximum(1), 6.0);
    EXPECT_EQ(recorder.maximum(2), 3.0);
    EXPECT_DOUBLE_EQ(recorder.overall_mean(), 49.0 / 20.0);
    EXPECT_EQ(recorder.overall_maximum(), 6.0);
    EXPECT_EQ(recorder.current(), 3.0);
}

TEST(LevelRecorder, WarmUpIsNotRecordedAndAChangeAtZeroCounts) {
    const auto weeks = ReportingPeriods::weekly(SimCalendar(ymd(2019, 4, 1)), 14.0);
    LevelRecorder recorder(weeks);
    recorder.change(-10.0, 100.0);  // a large warm-up level that ends at t = 0
    recorder.change(0.0, 7.0);
    recorder.finish(14.0);
    EXPECT_EQ(recorder.mean(0), 7.0);
    EXPECT_EQ(recorder.mean(1), 7.0);
    EXPECT_EQ(recorder.maximum(0), 7.0);
    EXPECT_EQ(recorder.overall_maximum(), 7.0);

    // A level changed exactly at a period boundary belongs to the later period only.
    LevelRecorder boundary(weeks);
    boundary.change(0.0, 5.0);
    boundary.change(7.0, 2.0);
    boundary.finish(14.0);
    EXPECT_EQ(boundary.mean(0), 5.0);
    EXPECT_EQ(boundary.mean(1), 2.0);
    EXPECT_EQ(boundary.maximum(0), 5.0);
    EXPECT_EQ(boundary.maximum(1), 2.0);
}

TEST(LevelRecorder, MonthlyPeriodsOfUnequalLength) {
    // February and March 2020: 29 and 31 days; level 1 in February, 2 from 2020-03-11.
    const auto months = ReportingPeriods::monthly(SimCalendar(ymd(2020, 2, 1)), 60.0);
    ASSERT_EQ(months.size(), 2U);
    LevelRecorder recorder(months);
    recorder.change(0.0, 1.0);
    recorder.change(39.0, 2.0);
    recorder.finish(60.0);
    EXPECT_DOUBLE_EQ(recorder.mean(0), 1.0);
    EXPECT_DOUBLE_EQ(recorder.mean(1), (10.0 * 1.0 + 21.0 * 2.0) / 31.0);
    EXPECT_DOUBLE_EQ(recorder.overall_mean(), (39.0 + 42.0) / 60.0);
}

TEST(Moments, MeanVarianceStandardErrorAndMerge) {
    Moments all;
    Moments first;
    Moments second;
    const std::vector<double> xs{1.0, 2.0, 3.0, 4.0, 10.0};
    for (std::size_t i = 0; i < xs.size(); ++i) {
        all.add(xs[i]);
        (i < 2 ? first : second).add(xs[i]);
    }
    EXPECT_EQ(all.n, 5U);
    EXPECT_EQ(all.sum, 20.0);
    EXPECT_EQ(all.sum_of_squares, 130.0);
    EXPECT_DOUBLE_EQ(all.mean(), 4.0);
    EXPECT_DOUBLE_EQ(all.variance(), (130.0 - 80.0) / 4.0);
    EXPECT_DOUBLE_EQ(all.standard_error(), std::sqrt(12.5 / 5.0));
    first.merge(second);
    EXPECT_EQ(first.n, all.n);
    EXPECT_EQ(first.sum, all.sum);
    EXPECT_EQ(first.sum_of_squares, all.sum_of_squares);

    Moments one;
    EXPECT_TRUE(std::isnan(one.mean()));
    one.add(3.0);
    EXPECT_EQ(one.mean(), 3.0);
    EXPECT_TRUE(std::isnan(one.variance()));
    EXPECT_TRUE(std::isnan(one.standard_error()));
    Moments constant;
    for (int i = 0; i < 10; ++i) {
        constant.add(0.1);
    }
    EXPECT_GE(constant.variance(), 0.0);  // never negative from rounding
    EXPECT_NEAR(constant.variance(), 0.0, 1e-15);
}

OutputSchema small_schema() {
    OutputSchema schema;
    schema.add_time_axis({"week", "reporting week", {0, 7, 14}, {7, 14, 20}, {"a", "b", "c"}});
    schema.add_category_axis({"stage", "service stage", {"s1", "s2"}});
    schema.add_category_axis({"band", "band", {"x", "y", "z", "w"}});
    schema.add_series({"q", "queue", "customers", "week", {"stage", "band"}, SeriesKind::stock});
    schema.add_series({"total", "total", "customers", "week", {}, SeriesKind::flow});
    schema.add_summary({"mean_wait", "mean wait", "days", true});
    return schema;
}

TEST(OutputSchema, ShapesLookupsAndNaNFilledBuffers) {
    const OutputSchema schema = small_schema();
    EXPECT_EQ(schema.series_shape(0), (std::vector<std::size_t>{3, 2, 4}));
    EXPECT_EQ(schema.series_size(0), 24U);
    EXPECT_EQ(schema.series_shape(1), (std::vector<std::size_t>{3}));
    EXPECT_EQ(schema.series_id("total"), 1U);
    EXPECT_EQ(schema.summary_id("mean_wait"), 0U);
    EXPECT_THROW(static_cast<void>(schema.series_id("nope")), std::out_of_range);
    EXPECT_THROW(static_cast<void>(schema.summary_id("nope")), std::out_of_range);
    EXPECT_EQ(schema.time_axis("week").labels.size(), 3U);
    EXPECT_EQ(schema.category_axis("band").labels.size(), 4U);

    const ReplicationResult result = ReplicationResult::for_schema(schema);
    ASSERT_EQ(result.series.size(), 2U);
    EXPECT_EQ(result.series[0].size(), 24U);
    EXPECT_EQ(result.series[1].size(), 3U);
    ASSERT_EQ(result.summaries.size(), 1U);
    for (const auto& series : result.series) {
        for (const double v : series) {
            EXPECT_TRUE(std::isnan(v));
        }
    }
    EXPECT_TRUE(std::isnan(result.summaries[0]));
    EXPECT_EQ(to_string(SeriesKind::time_mean), std::string("time-average over period"));
}

TEST(OutputSchema, RejectsDuplicatesUnknownAxesAndInconsistentTimeAxes) {
    OutputSchema schema = small_schema();
    EXPECT_THROW(schema.add_category_axis({"week", "", {"a"}}), std::logic_error);
    EXPECT_THROW(schema.add_time_axis({"stage", "", {0}, {1}, {"a"}}), std::logic_error);
    EXPECT_THROW(schema.add_time_axis({"month", "", {0, 1}, {1}, {"a", "b"}}), std::logic_error);
    EXPECT_THROW(schema.add_series({"q", "", "", "week", {}, SeriesKind::stock}), std::logic_error);
    EXPECT_THROW(schema.add_series({"r", "", "", "month", {}, SeriesKind::stock}),
                 std::out_of_range);
    EXPECT_THROW(schema.add_series({"r", "", "", "week", {"colour"}, SeriesKind::stock}),
                 std::out_of_range);
    EXPECT_THROW(schema.add_summary({"mean_wait", "", "", false}), std::logic_error);
}

TEST(SeriesIndexer, RowMajorWithBoundsChecks) {
    const SeriesIndexer index({3, 2, 4});
    EXPECT_EQ(index({0, 0, 0}), 0U);
    EXPECT_EQ(index({0, 0, 3}), 3U);
    EXPECT_EQ(index({0, 1, 0}), 4U);
    EXPECT_EQ(index({1, 0, 0}), 8U);
    EXPECT_EQ(index({2, 1, 3}), 23U);
    EXPECT_THROW(static_cast<void>(index({3, 0, 0})), std::out_of_range);
    EXPECT_THROW(static_cast<void>(index({0, 2, 0})), std::out_of_range);
    EXPECT_THROW(static_cast<void>(index({0, 0})), std::logic_error);
}

}  // namespace
}  // namespace icsflow::sim
