#pragma once

#include <memory>

#include "sim/calibration/observables.hpp"

namespace icsflow::models::blmk {

// The BLMK model's measures for calibration and hindcast scoring, each computed the same way from
// the model's series (all modelled hospitals) and from NHS England's RTT overview timeseries
// (data/README.md: total_waiting, within18 or pct18, gt52, median_wk, admitted_completed,
// nonadmitted_completed, new_rtt_periods; p92_wk and gt104 if present). Comparing ratios and
// shares lets a model of one system be scored against national series: the list as a ratio to the
// reference month, the share within 18 weeks, 52+ and 104+ week waiters per 1,000 on the list, the
// median and 92nd-percentile waits, each flow as a ratio to its mean over the reference months,
// and removals other than treatment as a share of last month's list.
[[nodiscard]] std::shared_ptr<const sim::calibration::CalibrationSupport> rtt_calibration_support();

}  // namespace icsflow::models::blmk
