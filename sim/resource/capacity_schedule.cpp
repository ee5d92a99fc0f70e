#include "sim/resource/capacity_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace icsflow::sim {

CapacitySchedule::CapacitySchedule(std::vector<WeeklySession> week, std::vector<CapacityRule> rules)
    : week_(std::move(week)), rules_(std::move(rules)) {
    for (const WeeklySession& s : week_) {
        if (s.weekday > 6 || !(s.start_hour >= 0.0 && s.start_hour < 24.0) ||
            !(s.capacity >= 0.0)) {
            throw std::invalid_argument("capacity schedule: invalid weekly session");
        }
    }
    for (const CapacityRule& r : rules_) {
        if (!(r.to > r.from) || !(r.multiplier >= 0.0)) {
            throw std::invalid_argument("capacity schedule: invalid rule");
        }
    }
    // Sessions of one day in time order, so sessions_between emits them sorted.
    std::stable_sort(
        week_.begin(), week_.end(), [](const WeeklySession& a, const WeeklySession& b) {
            return a.weekday != b.weekday ? a.weekday < b.weekday : a.start_hour < b.start_hour;
        });
}

double CapacitySchedule::apply_rules(double time, unsigned weekday, double base) const {
    double multiplier = 1.0;
    double add = 0.0;
    for (const CapacityRule& rule : rules_) {
        if (rule.applies(time, weekday)) {
            multiplier *= rule.multiplier;
            add += rule.add;
        }
    }
    return std::max(0.0, base * multiplier + add);
}

void CapacitySchedule::sessions_between(const SimCalendar& calendar, double from, double to,
                                        std::vector<ScheduledSession>& out) const {
    if (week_.empty() || !(to > from)) {
        return;
    }
    for (double day = std::floor(from); day < to; day += 1.0) {
        const unsigned weekday = calendar.weekday_at(day);
        for (std::uint32_t i = 0; i < week_.size(); ++i) {
            const WeeklySession& session = week_[i];
            if (session.weekday != weekday) {
                continue;
            }
            const double time = day + session.start_hour / 24.0;
            if (time < from || time >= to) {
                continue;
            }
            out.push_back(ScheduledSession{time, apply_rules(time, weekday, session.capacity), i});
        }
    }
}

double CapacitySchedule::level_at(const SimCalendar& calendar, double time, double base) const {
    return apply_rules(time, calendar.weekday_at(time), base);
}

std::vector<double> CapacitySchedule::change_points(double from, double to) const {
    std::vector<double> points;
    bool weekday_dependent = false;
    for (const CapacityRule& rule : rules_) {
        for (const double t : {rule.from, rule.to}) {
            if (t > from && t < to) {
                points.push_back(t);
            }
        }
        weekday_dependent = weekday_dependent || rule.weekdays != 0x7F;
    }
    if (weekday_dependent) {
        for (double day = std::floor(from) + 1.0; day < to; day += 1.0) {
            points.push_back(day);
        }
    }
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    return points;
}

std::uint32_t SlotRounder::take(double capacity) {
    const double total = carry_ + capacity;
    const double whole = std::floor(total + 1e-9);
    carry_ = total - whole;
    if (carry_ < 0.0) {
        carry_ = 0.0;
    }
    return static_cast<std::uint32_t>(whole);
}

}  // namespace icsflow::sim
