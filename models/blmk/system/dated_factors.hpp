#pragma once

#include <vector>

#include "models/blmk/parameters/parameters.hpp"
#include "sim/engine/sim_calendar.hpp"
#include "sim/resource/capacity_schedule.hpp"

namespace icsflow::models::blmk {

// The multiplier a dated change contributes at `time` (1 outside its range). A monthly
// trajectory gives month k of the range the k-th value, and its last value beyond the list.
[[nodiscard]] double dated_factor(const DatedMultiplier& m, const sim::SimCalendar& calendar,
                                  double time);

// The same change as capacity rules: one rule, or one per month of a trajectory.
// `add_per_session` is added to each session while the rule is in force.
void append_rules(const DatedMultiplier& m, double add_per_session,
                  const sim::SimCalendar& calendar, std::vector<sim::CapacityRule>& rules);

// Years since the start date (negative in the warm-up), for compound growth.
[[nodiscard]] inline double years(double time) {
    return time / 365.25;
}

}  // namespace icsflow::models::blmk
