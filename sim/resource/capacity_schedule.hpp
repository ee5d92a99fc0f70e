#pragma once

#include <cstdint>
#include <vector>

#include "sim/engine/sim_calendar.hpp"

namespace icsflow::sim {

// A change to capacity over a date range [from, to): capacity x multiplier + add, on the
// weekdays in `weekdays` (bit 0 = Monday ... bit 6 = Sunday). Rules compose: all multipliers of
// the rules in force multiply, all adds add. This expresses a suspension (multiplier 0.2 from
// 2020-03-17), an infection-control throughput loss (0.7), extra weekend sessions (add 2 on
// Saturdays) or winter escalation beds (add 30 from December to March).
struct CapacityRule {
    double from = 0.0;  // days since start, inclusive
    double to = 0.0;    // days since start, exclusive
    double multiplier = 1.0;
    double add = 0.0;
    std::uint8_t weekdays = 0x7F;

    [[nodiscard]] bool applies(double time, unsigned weekday) const {
        return time >= from && time < to && ((weekdays >> weekday) & 1U) != 0;
    }
};

// One recurring session of a weekly timetable: on `weekday` (0 = Monday) at `start_hour`, with
// `capacity` (slots, cases, or a capacity level).
struct WeeklySession {
    unsigned weekday = 0;
    double start_hour = 9.0;
    double capacity = 0.0;
};

// A session placed in simulation time with its capacity after the rules.
struct ScheduledSession {
    double time = 0.0;
    double capacity = 0.0;
    std::uint32_t template_index = 0;
};

// Capacity that follows a schedule: a weekly timetable of sessions (clinics, theatre lists,
// scanner sessions) and date-range rules on top. Used both for session-based capacity (slots) and
// for level capacity (beds), where the timetable is empty and `level_at` applies the rules to a
// base level.
class CapacitySchedule {
  public:
    CapacitySchedule() = default;
    CapacitySchedule(std::vector<WeeklySession> week, std::vector<CapacityRule> rules);

    // Appends the sessions whose start lies in [from, to), in time order.
    void sessions_between(const SimCalendar& calendar, double from, double to,
                          std::vector<ScheduledSession>& out) const;

    // `base` with the rules in force at `time` applied (never below zero).
    [[nodiscard]] double level_at(const SimCalendar& calendar, double time, double base) const;

    // Times in (from, to) at which the set of rules in force may change: the points where a
    // level capacity needs re-evaluating.
    [[nodiscard]] std::vector<double> change_points(double from, double to) const;

    [[nodiscard]] const std::vector<WeeklySession>& week() const { return week_; }
    [[nodiscard]] const std::vector<CapacityRule>& rules() const { return rules_; }
    void add_rule(const CapacityRule& rule) { rules_.push_back(rule); }

  private:
    [[nodiscard]] double apply_rules(double time, unsigned weekday, double base) const;

    std::vector<WeeklySession> week_;
    std::vector<CapacityRule> rules_;
};

// Turns fractional capacities into whole slots without bias: each session gets the floor of its
// capacity plus the carried remainder, and the new remainder carries to the next session. Over
// many sessions the slots delivered equal the capacities summed, to within one slot, with no
// random numbers (so it cannot disturb any random stream).
class SlotRounder {
  public:
    std::uint32_t take(double capacity);

  private:
    double carry_ = 0.0;
};

}  // namespace icsflow::sim
