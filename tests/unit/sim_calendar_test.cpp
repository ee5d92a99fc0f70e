// Simulation time to civil calendar: dates, weekdays, ISO weeks and months, including negative
// times (the warm-up) and year boundaries.
#include "sim/engine/sim_calendar.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>

namespace icsflow::sim {
namespace {

using std::chrono::day;
using std::chrono::January;
using std::chrono::year;

Date ymd(int y, unsigned m, unsigned d) {
    return Date{year{y}, std::chrono::month{m}, day{d}};
}

// 2019-04-01 is a Monday.
const Date kMonday = ymd(2019, 4, 1);

TEST(SimCalendar, DatesFromTimesAndBack) {
    const SimCalendar calendar(kMonday);
    EXPECT_EQ(calendar.start_date(), kMonday);
    EXPECT_EQ(calendar.date_at(0.0), kMonday);
    EXPECT_EQ(calendar.date_at(0.999), kMonday);
    EXPECT_EQ(calendar.date_at(1.0), ymd(2019, 4, 2));
    EXPECT_EQ(calendar.date_at(30.0), ymd(2019, 5, 1));
    EXPECT_EQ(calendar.date_at(-0.001), ymd(2019, 3, 31));  // day -1 covers [-1, 0)
    EXPECT_EQ(calendar.date_at(-1.0), ymd(2019, 3, 31));
    EXPECT_EQ(calendar.date_at(334.5), ymd(2020, 2, 29));  // a leap day
    EXPECT_EQ(calendar.date_at(366.0), ymd(2020, 4, 1));

    EXPECT_EQ(calendar.day_index(2.7), 2);
    EXPECT_EQ(calendar.day_index(-0.2), -1);
    EXPECT_EQ(calendar.time_of(ymd(2020, 2, 29)), 334.0);
    EXPECT_EQ(calendar.time_of(ymd(2018, 12, 1)), -121.0);
    EXPECT_EQ(calendar.time_of(kMonday), 0.0);
    EXPECT_EQ(calendar.units_string(), "days since 2019-04-01");
}

TEST(SimCalendar, WeekdaysAreIsoOrderFromMonday) {
    const SimCalendar calendar(kMonday);
    for (int d = 0; d < 7; ++d) {
        EXPECT_EQ(calendar.weekday_at(d), static_cast<unsigned>(d)) << "day " << d;
        EXPECT_EQ(calendar.weekday_at(d + 0.75), static_cast<unsigned>(d)) << "day " << d;
        EXPECT_EQ(calendar.weekday_at(d + 7.0 * 52), static_cast<unsigned>(d)) << "day " << d;
    }
    EXPECT_EQ(calendar.weekday_at(-1.0), 6U);  // Sunday 2019-03-31
    EXPECT_EQ(calendar.weekday_at(-0.5), 6U);
    EXPECT_EQ(calendar.weekday_at(-7.0), 0U);  // Monday 2019-03-25
    // A Wednesday start: 2020-01-01.
    const SimCalendar wednesday(ymd(2020, 1, 1));
    EXPECT_EQ(wednesday.weekday_at(0.0), 2U);
    EXPECT_EQ(wednesday.weekday_at(4.0), 6U);
    EXPECT_EQ(wednesday.weekday_at(5.0), 0U);
}

TEST(SimCalendar, KnownIsoWeeks) {
    EXPECT_EQ(iso_week_of(ymd(2020, 12, 31)), (IsoWeek{2020, 53}));
    EXPECT_EQ(iso_week_of(ymd(2021, 1, 3)), (IsoWeek{2020, 53}));
    EXPECT_EQ(iso_week_of(ymd(2021, 1, 4)), (IsoWeek{2021, 1}));
    EXPECT_EQ(iso_week_of(ymd(2019, 12, 30)), (IsoWeek{2020, 1}));  // Monday in 2020's week 1
    EXPECT_EQ(iso_week_of(ymd(2018, 12, 31)), (IsoWeek{2019, 1}));
    EXPECT_EQ(iso_week_of(ymd(2016, 1, 3)), (IsoWeek{2015, 53}));
    EXPECT_EQ(iso_week_of(ymd(2019, 4, 1)), (IsoWeek{2019, 14}));
    EXPECT_EQ(iso_week_of(ymd(2020, 9, 7)), (IsoWeek{2020, 37}));
    EXPECT_EQ(iso_week_of(ymd(2027, 1, 1)), (IsoWeek{2026, 53}));
    EXPECT_EQ(format_iso_week(IsoWeek{2020, 37}), "2020-W37");
    EXPECT_EQ(format_iso_week(IsoWeek{2021, 1}), "2021-W01");

    const SimCalendar calendar(kMonday);
    EXPECT_EQ(calendar.iso_week_at(0.0), (IsoWeek{2019, 14}));
    EXPECT_EQ(calendar.iso_week_at(6.9), (IsoWeek{2019, 14}));
    EXPECT_EQ(calendar.iso_week_at(7.0), (IsoWeek{2019, 15}));
    EXPECT_EQ(calendar.iso_week_at(-0.1), (IsoWeek{2019, 13}));
}

// An independent formula for the ISO week (ordinal date and weekday, with the 52/53-week rule),
// compared with iso_week_of on every day of 1999-2031.
int p(int y) {
    return (y + y / 4 - y / 100 + y / 400) % 7;
}
unsigned weeks_in_year(int y) {
    return (p(y) == 4 || p(y - 1) == 3) ? 53U : 52U;
}

TEST(SimCalendar, IsoWeeksAgreeWithAnIndependentFormulaOverThirtyYears) {
    using std::chrono::sys_days;
    const sys_days first{ymd(1999, 1, 1)};
    const sys_days last{ymd(2031, 12, 31)};
    int checked = 0;
    for (sys_days d = first; d <= last; d += std::chrono::days{1}) {
        const Date date{d};
        const int y = static_cast<int>(date.year());
        const int ordinal = static_cast<int>((d - sys_days{date.year() / January / 1}).count()) + 1;
        const int weekday = static_cast<int>(std::chrono::weekday{d}.iso_encoding());
        int week = (ordinal - weekday + 10) / 7;
        IsoWeek expected{y, static_cast<unsigned>(week)};
        if (week < 1) {
            expected = IsoWeek{y - 1, weeks_in_year(y - 1)};
        } else if (static_cast<unsigned>(week) > weeks_in_year(y)) {
            expected = IsoWeek{y + 1, 1};
        }
        ASSERT_EQ(iso_week_of(date), expected) << format_date(date);
        ++checked;
    }
    EXPECT_EQ(checked, 12053);
}

TEST(SimCalendar, MonthsFromAStartOnTheFirst) {
    const SimCalendar calendar(kMonday);
    EXPECT_EQ(calendar.month_index_at(0.0), 0);
    EXPECT_EQ(calendar.month_index_at(29.9), 0);
    EXPECT_EQ(calendar.month_index_at(30.0), 1);  // 2019-05-01
    EXPECT_EQ(calendar.month_index_at(274.9), 8);
    EXPECT_EQ(calendar.month_index_at(275.0), 9);  // 2020-01-01: across the year boundary
    EXPECT_EQ(calendar.month_index_at(366.0), 12);
    EXPECT_EQ(calendar.month_index_at(-0.001), -1);  // warm-up: March 2019
    EXPECT_EQ(calendar.month_index_at(-31.0), -1);
    EXPECT_EQ(calendar.month_index_at(-31.001), -2);
    EXPECT_EQ(calendar.month_index_at(-121.0), -4);  // 2018-12-01

    EXPECT_EQ(calendar.month_start(0), 0.0);
    EXPECT_EQ(calendar.month_start(1), 30.0);
    EXPECT_EQ(calendar.month_start(9), 275.0);
    EXPECT_EQ(calendar.month_start(12), 366.0);
    EXPECT_EQ(calendar.month_start(-1), -31.0);
    EXPECT_EQ(calendar.month_start(-4), -121.0);
    EXPECT_EQ(calendar.month_start(-16), -486.0);  // 2017-12-01

    EXPECT_EQ(calendar.month_label(0), "2019-04");
    EXPECT_EQ(calendar.month_label(8), "2019-12");
    EXPECT_EQ(calendar.month_label(9), "2020-01");
    EXPECT_EQ(calendar.month_label(12), "2020-04");
    EXPECT_EQ(calendar.month_label(-1), "2019-03");
    EXPECT_EQ(calendar.month_label(-3), "2019-01");
    EXPECT_EQ(calendar.month_label(-4), "2018-12");
    EXPECT_EQ(calendar.month_label(-16), "2017-12");
    EXPECT_EQ(calendar.month_label(-15), "2018-01");

    // month_start and month_index_at are consistent for months -30 .. 30.
    for (int m = -30; m <= 30; ++m) {
        EXPECT_EQ(calendar.month_index_at(calendar.month_start(m)), m);
        EXPECT_EQ(calendar.month_index_at(calendar.month_start(m) - 0.5), m - 1);
        EXPECT_EQ(calendar.date_at(calendar.month_start(m)).day(), day{1});
    }
}

TEST(SimCalendar, MonthsFromAMidMonthStartInJanuary) {
    const SimCalendar calendar(ymd(2020, 1, 6));
    EXPECT_EQ(calendar.month_start(0), -5.0);  // month 0 is all of January 2020
    EXPECT_EQ(calendar.month_index_at(-5.0), 0);
    EXPECT_EQ(calendar.month_index_at(-5.001), -1);
    EXPECT_EQ(calendar.month_start(-1), -36.0);
    EXPECT_EQ(calendar.month_label(-1), "2019-12");
    EXPECT_EQ(calendar.month_label(-12), "2019-01");
    EXPECT_EQ(calendar.month_label(-13), "2018-12");
    EXPECT_EQ(calendar.month_label(11), "2020-12");
    EXPECT_EQ(calendar.month_label(12), "2021-01");
    EXPECT_EQ(calendar.month_start(1), 26.0);  // 2020-02-01
    EXPECT_EQ(calendar.month_start(2), 55.0);  // 2020-03-01 after a 29-day February
}

TEST(SimCalendar, ParseAndFormatDates) {
    EXPECT_EQ(parse_date("2019-04-01"), kMonday);
    EXPECT_EQ(parse_date("2020-02-29"), ymd(2020, 2, 29));
    EXPECT_EQ(format_date(ymd(2020, 2, 29)), "2020-02-29");
    EXPECT_EQ(format_date(ymd(987, 12, 3)), "0987-12-03");
    EXPECT_THROW(static_cast<void>(parse_date("2019-02-29")), std::invalid_argument);
    EXPECT_THROW(static_cast<void>(parse_date("2019-13-01")), std::invalid_argument);
    EXPECT_THROW(static_cast<void>(parse_date("2019-4-1")), std::invalid_argument);
    EXPECT_THROW(static_cast<void>(parse_date("2019-04-01x")), std::invalid_argument);
    EXPECT_THROW(static_cast<void>(parse_date("01/04/2019")), std::invalid_argument);
    EXPECT_THROW(static_cast<void>(parse_date("")), std::invalid_argument);
}

TEST(SimCalendar, InvalidStartDateThrows) {
    EXPECT_THROW(SimCalendar(ymd(2019, 2, 30)), std::invalid_argument);
}

}  // namespace
}  // namespace icsflow::sim
