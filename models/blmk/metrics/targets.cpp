#include "models/blmk/metrics/targets.hpp"

#include <cmath>

namespace icsflow::models::blmk {

namespace {

double figure(const SystemMonth& month, TargetMeasure measure) {
    switch (measure) {
        case TargetMeasure::elective_activity:
            return month.elective_activity_vs_prior_year;
        case TargetMeasure::outpatient_activity:
            return month.outpatient_activity_vs_prior_year;
        case TargetMeasure::diagnostic_activity:
            return month.diagnostic_activity_vs_prior_year;
        case TargetMeasure::endoscopy_activity:
            return month.endoscopy_activity_vs_prior_year;
        case TargetMeasure::waiting_list:
            return month.waiting_list;
        case TargetMeasure::waiting_list_vs_prior_year:
            return month.waiting_list_vs_prior_year;
        case TargetMeasure::over_52_weeks:
            return month.over_52_weeks;
        case TargetMeasure::over_78_weeks:
            return month.over_78_weeks;
        case TargetMeasure::over_104_weeks:
            return month.over_104_weeks;
        case TargetMeasure::within_18_weeks_share:
            return month.within_18_weeks_share;
        case TargetMeasure::bed_occupancy:
            return month.bed_occupancy;
        case TargetMeasure::delayed_transfer_beds:
            return month.delayed_transfer_beds;
        case TargetMeasure::cancellations:
            return month.cancellations;
        case TargetMeasure::count:
            break;
    }
    return NAN;
}

}  // namespace

double target_value(const TargetParams& target, const std::vector<SystemMonth>& months) {
    if (target.month < 0 || static_cast<std::size_t>(target.month) >= months.size()) {
        return NAN;
    }
    return figure(months[static_cast<std::size_t>(target.month)], target.measure);
}

double target_met(const TargetParams& target, double value) {
    if (std::isnan(value)) {
        return NAN;
    }
    const bool met =
        target_is_at_least(target.measure) ? value >= target.threshold : value <= target.threshold;
    return met ? 1.0 : 0.0;
}

double all_met(const std::vector<double>& indicators) {
    bool unknown = false;
    for (const double indicator : indicators) {
        if (indicator == 0.0) {
            return 0.0;
        }
        unknown = unknown || std::isnan(indicator);
    }
    return unknown ? NAN : 1.0;
}

}  // namespace icsflow::models::blmk
