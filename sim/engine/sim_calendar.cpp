#include "sim/engine/sim_calendar.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace icsflow::sim {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

int month_number(const Date& date) {
    return static_cast<int>(date.year()) * 12 +
           static_cast<int>(static_cast<unsigned>(date.month())) - 1;
}

}  // namespace

SimCalendar::SimCalendar(Date start_date) : start_(start_date) {
    if (!start_date.ok()) {
        throw std::invalid_argument("calendar: invalid start date");
    }
    start_days_ = sys_days{start_date};
}

std::int64_t SimCalendar::day_index(double time) const {
    return static_cast<std::int64_t>(std::floor(time));
}

Date SimCalendar::date_at(double time) const {
    return Date{start_days_ + days{day_index(time)}};
}

double SimCalendar::time_of(Date date) const {
    return static_cast<double>((sys_days{date} - start_days_).count());
}

unsigned SimCalendar::weekday_at(double time) const {
    const std::chrono::weekday weekday{start_days_ + days{day_index(time)}};
    return weekday.iso_encoding() - 1;
}

IsoWeek SimCalendar::iso_week_at(double time) const {
    return iso_week_of(date_at(time));
}

int SimCalendar::month_index_at(double time) const {
    return month_number(date_at(time)) - month_number(start_);
}

double SimCalendar::month_start(int month_index) const {
    const int absolute = month_number(start_) + month_index;
    const int year = absolute >= 0 ? absolute / 12 : (absolute - 11) / 12;
    const unsigned month = static_cast<unsigned>(absolute - year * 12 + 1);
    return time_of(Date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{1}});
}

std::string SimCalendar::month_label(int month_index) const {
    const Date first = date_at(month_start(month_index));
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u", static_cast<int>(first.year()),
                  static_cast<unsigned>(first.month()));
    return buffer;
}

std::string SimCalendar::units_string() const {
    return "days since " + format_date(start_);
}

std::string format_date(Date date) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buffer;
}

IsoWeek iso_week_of(Date date) {
    const sys_days today{date};
    const unsigned iso_weekday = std::chrono::weekday{today}.iso_encoding();  // Mon=1..Sun=7
    const sys_days thursday = today + days{4 - static_cast<int>(iso_weekday)};
    const Date thursday_date{thursday};
    const sys_days first_of_year{thursday_date.year() / std::chrono::January / 1};
    const auto day_of_year = (thursday - first_of_year).count();
    return IsoWeek{static_cast<int>(thursday_date.year()),
                   static_cast<unsigned>(day_of_year / 7 + 1)};
}

std::string format_iso_week(IsoWeek week) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-W%02u", week.year, week.week);
    return buffer;
}

Date parse_date(const std::string& text) {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    char tail = 0;
    if (text.size() != 10 ||
        std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &tail) != 3) {
        throw std::invalid_argument("expected a date as YYYY-MM-DD, got '" + text + "'");
    }
    const Date date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
    if (!date.ok()) {
        throw std::invalid_argument("no such date: '" + text + "'");
    }
    return date;
}

}  // namespace icsflow::sim
