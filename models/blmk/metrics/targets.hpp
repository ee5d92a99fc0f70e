#pragma once

#include <cstddef>
#include <vector>

#include "models/blmk/parameters/parameters.hpp"

namespace icsflow::models::blmk {

// The whole system's figures in one month, as targets are stated on them. NaN: no value (a
// year-on-year ratio in the first year, a partial month).
struct SystemMonth {
    double waiting_list = 0.0;  // at the month's end
    double waiting_list_vs_prior_year = 0.0;
    double over_52_weeks = 0.0;
    double over_78_weeks = 0.0;
    double over_104_weeks = 0.0;
    double within_18_weeks_share = 0.0;
    double bed_occupancy = 0.0;          // mean occupied / mean available
    double delayed_transfer_beds = 0.0;  // mean beds held by medically fit patients
    double cancellations = 0.0;          // in the month
    double elective_activity_vs_prior_year = 0.0;
    double outpatient_activity_vs_prior_year = 0.0;
    double diagnostic_activity_vs_prior_year = 0.0;
    double endoscopy_activity_vs_prior_year = 0.0;
};

// The figure a target is measured on, in its month (NaN outside the simulated months).
[[nodiscard]] double target_value(const TargetParams& target,
                                  const std::vector<SystemMonth>& months);

// 1 when `value` meets the target, 0 when not, NaN when there is no value.
[[nodiscard]] double target_met(const TargetParams& target, double value);

// 1 when every indicator is 1, 0 when any is 0 (a missed target decides even if another has no
// value), NaN otherwise.
[[nodiscard]] double all_met(const std::vector<double>& indicators);

}  // namespace icsflow::models::blmk
