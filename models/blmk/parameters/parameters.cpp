#include "models/blmk/parameters/parameters.hpp"

#include <algorithm>
#include <iterator>

namespace icsflow::models::blmk {

namespace {

bool in_scope(const std::vector<std::uint32_t>& list, std::uint32_t value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool Scope::hospital(std::uint32_t h) const {
    return in_scope(hospitals, h);
}
bool Scope::specialty(std::uint32_t s) const {
    return in_scope(specialties, s);
}
bool Scope::place(std::uint32_t p) const {
    return in_scope(places, p);
}

const char* urgency_name(std::size_t u) {
    static constexpr const char* names[] = {"routine", "urgent", "suspected_cancer"};
    return u < kUrgencies ? names[u] : "?";
}

const char* age_band_name(std::size_t a) {
    static constexpr const char* names[] = {"under_65", "age_65_84", "age_85_plus"};
    return a < kAgeBands ? names[a] : "?";
}

const char* target_measure_name(std::size_t m) {
    static constexpr const char* names[] = {
        "elective_activity",     "outpatient_activity", "diagnostic_activity",
        "endoscopy_activity",    "waiting_list",        "waiting_list_vs_prior_year",
        "over_52_weeks",         "over_78_weeks",       "over_104_weeks",
        "within_18_weeks_share", "bed_occupancy",       "delayed_transfer_beds",
        "cancellations"};
    static_assert(std::size(names) == kTargetMeasures);
    return m < kTargetMeasures ? names[m] : "?";
}

bool target_is_at_least(TargetMeasure m) {
    switch (m) {
        case TargetMeasure::elective_activity:
        case TargetMeasure::outpatient_activity:
        case TargetMeasure::diagnostic_activity:
        case TargetMeasure::endoscopy_activity:
        case TargetMeasure::within_18_weeks_share:
            return true;
        default:
            return false;
    }
}

bool target_uses_prior_year(TargetMeasure m) {
    return m == TargetMeasure::waiting_list_vs_prior_year ||
           (target_is_at_least(m) && m != TargetMeasure::within_18_weeks_share);
}

bool target_is_ratio(TargetMeasure m) {
    return target_uses_prior_year(m) || m == TargetMeasure::within_18_weeks_share ||
           m == TargetMeasure::bed_occupancy;
}

const char* modality_name(std::size_t m) {
    static constexpr const char* names[] = {"mri", "ct", "endoscopy"};
    return m < kModalities ? names[m] : "?";
}

const char* community_service_name(std::size_t s) {
    static constexpr const char* names[] = {"reablement", "community_bed", "care_home"};
    return s < kCommunityServices ? names[s] : "?";
}

const char* delivery_point_name(std::size_t d) {
    static constexpr const char* names[] = {
        "outpatient_first",      "outpatient_follow_up", "diagnostics_mri",   "diagnostics_ct",
        "diagnostics_endoscopy", "theatre_day_case",     "theatre_inpatient", "beds"};
    return d < kDeliveryPoints ? names[d] : "?";
}

const char* demand_kind_name(std::size_t k) {
    static constexpr const char* names[] = {"referrals", "emergency_admissions", "ae_attendances"};
    return k < kDemandKinds ? names[k] : "?";
}

const char* stage_name(std::size_t s) {
    static constexpr const char* names[] = {"outpatient_first", "diagnostics", "follow_up",
                                            "admitted_day_case", "admitted_inpatient"};
    return s < kStages ? names[s] : "?";
}

const char* wait_band_name(std::size_t b) {
    static constexpr const char* names[] = {"0-18", "18-52", "52-78", "78-104", "104+"};
    return b < kWaitBands ? names[b] : "?";
}

}  // namespace icsflow::models::blmk
