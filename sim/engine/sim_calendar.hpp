#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace icsflow::sim {

using Date = std::chrono::year_month_day;

// ISO 8601 week: the week belongs to the year that holds its Thursday.
struct IsoWeek {
    int year = 0;
    unsigned week = 0;  // 1..53
    friend bool operator==(const IsoWeek&, const IsoWeek&) = default;
};

// Maps simulation time (days, double, from the start date at 00:00) to the civil calendar.
// Day d covers [d, d+1); negative days are before the start date (the warm-up).
// Months are counted from the start date's month: month 0 is the month holding day 0, so a start
// date of 2019-04-01 makes month 12 April 2020, "the same month last year" of month m is m - 12.
class SimCalendar {
  public:
    explicit SimCalendar(Date start_date);

    [[nodiscard]] Date start_date() const { return start_; }

    [[nodiscard]] std::int64_t day_index(double time) const;  // floor(time)
    [[nodiscard]] Date date_at(double time) const;
    [[nodiscard]] double time_of(Date date) const;  // 00:00 of date, in days since start

    // Monday = 0 ... Sunday = 6 (ISO order).
    [[nodiscard]] unsigned weekday_at(double time) const;
    [[nodiscard]] IsoWeek iso_week_at(double time) const;

    // Month index relative to the start date's month (may be negative in the warm-up).
    [[nodiscard]] int month_index_at(double time) const;
    [[nodiscard]] double month_start(int month_index) const;
    [[nodiscard]] std::string month_label(int month_index) const;  // "2020-09"

    [[nodiscard]] std::string units_string() const;  // "days since 2019-04-01"

  private:
    Date start_;
    std::chrono::sys_days start_days_;
};

[[nodiscard]] std::string format_date(Date date);  // "2019-04-01"
[[nodiscard]] IsoWeek iso_week_of(Date date);
[[nodiscard]] std::string format_iso_week(IsoWeek week);  // "2020-W37"

// Parses "YYYY-MM-DD"; throws std::invalid_argument on anything else or an impossible date.
[[nodiscard]] Date parse_date(const std::string& text);

}  // namespace icsflow::sim
