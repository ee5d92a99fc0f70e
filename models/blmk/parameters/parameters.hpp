#pragma once

// Every parameter of the BLMK whole-system model, as plain data. The configuration reader
// (read_parameters.cpp) fills these from TOML against the parameter dictionary (dictionary.cpp);
// the simulation reads them and never the configuration. Times are days since the start date.

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sim/random/distributions.hpp"
#include "sim/resource/wait_queue.hpp"

namespace icsflow::models::blmk {

inline constexpr std::size_t kUrgencies = 3;   // routine, urgent, suspected cancer
inline constexpr std::size_t kAgeBands = 3;    // under 65, 65-84, 85 and over
inline constexpr std::size_t kPriorities = 4;  // P1..P4 (clinical priority for surgery)
inline constexpr std::size_t kModalities = 3;  // MRI, CT, endoscopy
inline constexpr std::size_t kDischargePathways =
    4;  // 0 home, 1 home + support, 2 bed, 3 care home
inline constexpr std::size_t kCommunityServices = 3;  // reablement, community bed, care home

enum class Urgency : std::uint8_t { routine = 0, urgent = 1, suspected_cancer = 2 };
enum class Modality : std::uint8_t { mri = 0, ct = 1, endoscopy = 2 };
enum class CommunityService : std::uint8_t { reablement = 0, community_bed = 1, care_home = 2 };

[[nodiscard]] const char* urgency_name(std::size_t u);
[[nodiscard]] const char* age_band_name(std::size_t a);
[[nodiscard]] const char* modality_name(std::size_t m);
[[nodiscard]] const char* community_service_name(std::size_t s);

// Where a capacity or demand change applies. Empty lists mean "all".
struct Scope {
    std::vector<std::uint32_t> hospitals;
    std::vector<std::uint32_t> specialties;
    std::vector<std::uint32_t> places;
    [[nodiscard]] bool hospital(std::uint32_t h) const;
    [[nodiscard]] bool specialty(std::uint32_t s) const;
    [[nodiscard]] bool place(std::uint32_t p) const;
};

// A multiplier on [from, to): either one value, or one value per calendar month from `from`
// (a trajectory such as the 2020 activity ratios).
struct DatedMultiplier {
    double from = 0.0;
    double to = 0.0;
    double value = 1.0;
    std::vector<double> monthly;  // when non-empty: value for month k of [from, to)
};

// Points of delivery whose capacity can be changed by date.
enum class DeliveryPoint : std::uint8_t {
    outpatient_first = 0,
    outpatient_follow_up,
    diagnostics_mri,
    diagnostics_ct,
    diagnostics_endoscopy,
    theatre_day_case,
    theatre_inpatient,
    beds,
    count
};
inline constexpr std::size_t kDeliveryPoints = static_cast<std::size_t>(DeliveryPoint::count);
[[nodiscard]] const char* delivery_point_name(std::size_t d);

struct CapacityChange {
    std::string label;
    std::vector<DeliveryPoint> points;
    Scope scope;
    DatedMultiplier multiplier;
    double add_per_week = 0.0;  // extra slots/cases (or beds for `beds`) while in force
};

enum class DemandKind : std::uint8_t { referrals = 0, emergency_admissions, ae_attendances, count };
inline constexpr std::size_t kDemandKinds = static_cast<std::size_t>(DemandKind::count);
[[nodiscard]] const char* demand_kind_name(std::size_t k);

struct DemandChange {
    std::string label;
    std::vector<DemandKind> kinds;
    std::vector<Urgency> urgencies;        // referrals only; empty: all
    std::vector<std::uint32_t> age_bands;  // emergency admissions only; empty: all
    Scope scope;                           // places and specialties
    DatedMultiplier multiplier;
};

struct SpecialtyParams {
    std::string id;
    std::string name;
    // Referrals per 1,000 population per year by urgency (routine, urgent, suspected cancer).
    std::array<double, kUrgencies> referrals_per_1000{};
    // After the first outpatient appointment (routine/urgent referrals):
    double diagnostic_probability = 0.0;             // needs a test first
    std::array<double, kModalities> modality_mix{};  // which test
    double follow_up_probability = 0.0;              // no test, but a follow-up before the decision
    double admit_probability = 0.0;                  // decision to admit (else non-admitted stop)
    // Suspected cancer: every referral is tested; this share has cancer.
    double cancer_conversion = 0.0;
    double cancer_surgical_share = 0.5;  // treated by surgery (admitted list, P2)
    // Admitted pathway:
    double day_case_share = 0.8;
    std::array<double, kPriorities> priority_mix{};
    sim::DurationDistribution inpatient_los;
    std::array<double, kDischargePathways> elective_discharge_mix{1.0, 0.0, 0.0, 0.0};
};

struct ClinicCapacity {  // one hospital, one specialty
    double first_slots_per_week = 0.0;
    double follow_up_slots_per_week = 0.0;
    double follow_up_other_share = 0.0;  // follow-up slots used by patients not on an RTT pathway
    double day_case_sessions_per_week = 0.0;
    double day_cases_per_session = 0.0;
    double inpatient_sessions_per_week = 0.0;
    double inpatient_cases_per_session = 0.0;
    double theatre_planned_share = 0.0;  // theatre cases for planned (non-RTT) patients
};

struct HospitalParams {
    std::string id;
    std::string name;
    std::string trust;  // reporting organisation (Bedford and L&D report as one from 2020-04)
    double general_acute_beds = 0.0;
    double elective_ring_fenced_beds = 0.0;
    double emergency_bed_reserve = 0.0;  // electives may not take the last N general beds
    std::array<double, kModalities> diagnostic_slots_per_week{};
    std::array<double, kModalities> diagnostic_other_share{};  // slots used outside RTT pathways
    std::vector<ClinicCapacity> clinics;                       // by specialty
    double ae_attendances_per_day = 0.0;                       // for activity reporting
    double other_non_elective_per_day = 0.0;  // maternity and other non-elective spells (counted)
};

struct PlaceParams {
    std::string id;
    std::string name;
    bool external = false;  // a catchment outside BLMK: community services not modelled
    double population = 0.0;
    std::array<double, kAgeBands> age_shares{};  // under 65, 65-84, 85+
    double referral_multiplier = 1.0;            // local referral propensity
    double emergency_multiplier = 1.0;           // local emergency admission propensity
    double annual_growth = 0.0;                  // population growth per year
    std::vector<double> hospital_shares;         // elective and emergency, by hospital
    // Community capacity for discharge pathways 1-3 (ignored for external places).
    double reablement_slots = 0.0;               // concurrent clients
    double community_beds = 0.0;                 // intermediate-care beds
    double care_home_placements_per_week = 0.0;  // vacancies offered to hospital discharges
};

struct EmergencyParams {
    // Admissions per 1,000 population per year by age band (before place multipliers).
    std::array<double, kAgeBands> admissions_per_1000{};
    std::array<double, kAgeBands> zero_day_share{};
    std::array<sim::DurationDistribution, kAgeBands> acute_los;  // overnight stays
    std::array<std::array<double, kDischargePathways>, kAgeBands> discharge_mix{};
    sim::DurationDistribution assessment_delay;  // fit to referral for support (pathways 1-3)
    double annual_growth = 0.0;
};

struct CommunityParams {
    sim::DurationDistribution reablement_duration;
    sim::DurationDistribution community_bed_duration;
    sim::DurationDistribution external_transfer_delay;  // out-of-area patients on pathways 1-3
};

struct DnaParams {
    double first = 0.0;                    // probability a booked first appointment is not attended
    double follow_up = 0.0;                // ... a follow-up
    std::uint32_t max_dnas = 2;            // discharged back to the GP after this many
    bool first_dna_resets_clock = true;    // RTT rule: clock nullified, restarts on rebooking
    std::vector<DatedMultiplier> changes;  // multiply both rates while in force
};

struct LosChange {
    Scope scope;             // hospitals, specialties
    bool emergency = false;  // applies to emergency acute LOS (all specialties) when true
    DatedMultiplier multiplier;
};

// Ring-fenced elective beds by date and hospital (a dated policy lever).
struct RingFenceChange {
    Scope scope;  // hospitals
    double from = 0.0;
    double to = 0.0;
    double beds = 0.0;
    bool from_general = false;  // taken out of the general beds (true) or added to them
};

// The discharge assessment delay multiplied by date and hospital (a dated policy lever).
struct AssessmentDelayChange {
    Scope scope;  // hospitals
    DatedMultiplier multiplier;
};

struct DischargeMixChange {
    double from = 0.0;
    double to = 0.0;
    std::array<std::array<double, kDischargePathways>, kAgeBands> mix{};
};

struct CommunityChange {
    Scope scope;  // places
    std::vector<CommunityService> services;
    DatedMultiplier multiplier;
};

enum class IndependentSectorRule : std::uint8_t {
    longest_wait,
    priority_then_longest_wait,
    lowest_priority_first
};

struct IndependentSectorContract {
    std::string label;
    double from = 0.0;
    double to = 0.0;
    Scope scope;  // hospitals whose lists it takes from, specialties
    double cases_per_week = 0.0;
    IndependentSectorRule rule = IndependentSectorRule::longest_wait;
    double min_weeks_waited = 0.0;
};

// Uncertainty in whether the scenario's capacity is delivered: each calendar month, each point
// of delivery group (outpatients, diagnostics, theatres) delivers its planned sessions times a
// log-normal multiplier with mean 1 and this relative SD, drawn per replication.
struct UncertaintyParams {
    double capacity_delivery_sd = 0.0;
};

// How lists are booked beyond their order: the values in force change by date
// (PolicyChange), and the waiting lists hold the current ones.
struct BookingPractice {
    std::uint32_t cancellation_rebook_priority = 2;  // an on-the-day cancellation is rebooked at
                                                     // this priority or better
    // A patient on an admitted list who has waited this long is reviewed and booked at
    // `long_wait_review_priority` or better (0: no reviews).
    double long_wait_review_weeks = 0.0;
    std::uint32_t long_wait_review_priority = 3;
    // The share of patients reaching the review threshold whom the review books sooner; the
    // others stay in their class and are not reviewed again.
    double long_wait_review_share = 1.0;
    // Reviews against a maximum-wait standard: a patient on an admitted list who has waited this
    // long is booked at `max_wait_review_priority` or better, every one (0: none).
    double max_wait_review_weeks = 0.0;
    std::uint32_t max_wait_review_priority = 2;
    // Offers of a first appointment or an operation that go to a patient drawn from anywhere in
    // the next patient's class instead of to the longest waiter (0: strictly in turn).
    double out_of_turn_share = 0.0;
};

struct PolicyParams {
    sim::QueueDiscipline outpatient_order = sim::QueueDiscipline::priority_then_longest_wait;
    sim::QueueDiscipline admitted_order = sim::QueueDiscipline::priority_then_longest_wait;
    std::vector<std::uint32_t> pooled_specialties;  // one BLMK-wide list per pooled specialty
    BookingPractice practice;
};

// Removals other than treatment, each by the mechanism that drives it, so that removals follow
// the list, the activity that contacts patients, and the rules for patients who decline.
struct RemovalRates {
    // Any waiting patient (moved away, died, treated privately): a constant weekly hazard.
    double background_rate_per_week = 0.0;
    // A patient offered a first appointment or an operation is found, at that contact, no longer
    // to need it (validation): removed, and the slot goes to the next patient.
    double at_booking = 0.0;
    // A patient offered a date declines it ...
    double decline_probability = 0.0;
    // ... and is discharged back to the referrer (a removal); the others defer and ask for a new
    // date later, staying on the list with the clock running.
    double decline_removed_share = 1.0;
};

struct RemovalParams {
    RemovalRates before;
    // From `regime_from` the rates of `after` apply (the 2020 guidance kept patients who chose
    // to wait on the list instead of discharging them).
    double regime_from = std::numeric_limits<double>::infinity();
    RemovalRates after;
    double deferral_weeks = 12.0;  // mean time a deferring patient waits before rebooking

    [[nodiscard]] const RemovalRates& at(double time) const {
        return time < regime_from ? before : after;
    }
};

// Referrals suppressed by the referral demand changes that come back later: `share` of those
// missing before `from` return over `months` calendar months from `from`, evenly ("flat") or
// front-loaded, falling linearly to zero ("declining").
struct ReturningDemandParams {
    double share = 0.0;
    double from = 0.0;
    int months = 12;
    bool declining = false;
};

// Referrals driven by an observed monthly series (the hindcast): in every month the series
// covers, each referral stream runs at its own mean daily rate over the reference months times
// the series' daily rate in that month over its mean daily rate in the reference months. The
// model's seasonality, growth, demand changes and returning demand do not apply in those months.
struct ReferralDriver {
    std::vector<double> month_start;  // days since the start date, one per observed month
    std::vector<double> month_end;
    std::vector<double> ratio;  // daily rate in the month / mean daily rate in the reference
    double reference_from = 0.0;
    double reference_to = 0.0;  // exclusive
    [[nodiscard]] bool active() const { return !ratio.empty(); }
};

// A change of booking policy on a date (e.g. clinical priority codes from mid-2020).
struct PolicyChange {
    double from = 0.0;
    bool change_outpatient = false;
    bool change_admitted = false;
    sim::QueueDiscipline outpatient_order = sim::QueueDiscipline::priority_then_longest_wait;
    sim::QueueDiscipline admitted_order = sim::QueueDiscipline::priority_then_longest_wait;
    // A new set of pooled specialties from this date (each replaces the set in force): the
    // patients already waiting move onto the shared lists, or back to their hospitals' lists.
    bool change_pooling = false;
    std::vector<std::uint32_t> pooled_specialties;
    // New booking practice from this date (absent: unchanged).
    std::optional<double> long_wait_review_weeks;
    std::optional<std::uint32_t> long_wait_review_priority;
    std::optional<double> long_wait_review_share;
    std::optional<double> max_wait_review_weeks;
    std::optional<std::uint32_t> max_wait_review_priority;
    std::optional<double> out_of_turn_share;
    std::optional<std::uint32_t> cancellation_rebook_priority;
};

struct CancerParams {
    sim::DurationDistribution workup;              // confirmed cancer: staging, MDT, decision
    sim::DurationDistribution non_surgical_delay;  // decision to first non-surgical treatment
};

// One cohort of the initial waiting list.
enum class Stage : std::uint8_t {
    outpatient_first = 0,
    diagnostics,
    follow_up,
    admitted_day_case,
    admitted_inpatient,
    count
};
inline constexpr std::size_t kStages = static_cast<std::size_t>(Stage::count);
[[nodiscard]] const char* stage_name(std::size_t s);

inline constexpr std::size_t kWaitBands = 5;  // 0-18, 18-52, 52-78, 78-104, 104+ weeks
inline constexpr std::array<int, kWaitBands> kWaitBandStartWeeks{0, 18, 52, 78, 104};
[[nodiscard]] const char* wait_band_name(std::size_t b);

struct InitialListParams {
    double total = 0.0;
    std::vector<double> hospital_shares;
    std::vector<double> specialty_shares;
    std::array<double, kWaitBands> band_shares{};
    // Share of each band already on the admitted list (the rest at outpatient stages).
    std::array<double, kWaitBands> admitted_share_by_band{};
    std::array<double, kWaitBands> diagnostics_share_by_band{};
    std::array<double, kWaitBands> follow_up_share_by_band{};
};

// What a plan's target is stated on, for the whole system in the target's month.
enum class TargetMeasure : std::uint8_t {
    elective_activity = 0,       // activity / the same month a year earlier, at least
    outpatient_activity,         // ...
    diagnostic_activity,         // ...
    endoscopy_activity,          // ...
    waiting_list,                // incomplete pathways at the month's end, at most
    waiting_list_vs_prior_year,  // the list / the list a year earlier, at most (1: not growing)
    over_52_weeks,               // pathways waiting over 52 weeks at the month's end, at most
    over_78_weeks,               // ...
    over_104_weeks,              // ...
    within_18_weeks_share,       // share of the list within 18 weeks, at least
    bed_occupancy,               // mean G&A occupancy of the month (share), at most
    delayed_transfer_beds,       // mean beds held by medically fit patients, at most
    cancellations,               // on-the-day cancellations in the month, at most
    count
};
inline constexpr std::size_t kTargetMeasures = static_cast<std::size_t>(TargetMeasure::count);
[[nodiscard]] const char* target_measure_name(std::size_t m);
// True when the target is met by reaching at least the threshold (activity, 18-week share);
// false when it is met by staying at or below it (lists, long waits, occupancy, ...).
[[nodiscard]] bool target_is_at_least(TargetMeasure m);
// True when the measure compares a month with the same month a year earlier.
[[nodiscard]] bool target_uses_prior_year(TargetMeasure m);
// True for shares and ratios (threshold at most 10), false for counts.
[[nodiscard]] bool target_is_ratio(TargetMeasure m);

struct TargetParams {
    std::string name;
    TargetMeasure measure = TargetMeasure::elective_activity;
    int month = 0;  // month index
    double threshold = 0.0;
};

struct AnalysisParams {
    double peak_from = 0.0;  // months are searched for the list's peak from here...
    double peak_to = 0.0;    // ... to here
    int census_month = 10;   // month index whose list is summarised (calibration: Feb 2020)
    std::vector<TargetParams> targets;
};

struct SeasonalityParams {
    std::array<double, 12> referrals{};  // January..December, per-day index
    std::array<double, 12> emergency{};
};

struct BlmkParameters {
    std::vector<SpecialtyParams> specialties;
    std::vector<HospitalParams> hospitals;
    std::vector<PlaceParams> places;
    std::vector<std::string> trusts;  // distinct hospital trusts, in first-seen order
    EmergencyParams emergency;
    CommunityParams community;
    DnaParams dna;
    PolicyParams policy;
    RemovalParams removals;
    ReturningDemandParams returning_demand;
    ReferralDriver referral_driver;
    UncertaintyParams uncertainty;
    std::vector<PolicyChange> policy_changes;
    CancerParams cancer;
    InitialListParams initial_list;
    SeasonalityParams seasonality;
    double referral_growth = 0.0;  // per year
    double ae_growth = 0.0;
    std::vector<CapacityChange> capacity_changes;
    std::vector<DemandChange> demand_changes;
    std::vector<LosChange> los_changes;
    std::vector<AssessmentDelayChange> assessment_delay_changes;
    std::vector<RingFenceChange> ring_fence_changes;
    std::vector<DischargeMixChange> discharge_mix_changes;
    std::vector<CommunityChange> community_changes;
    std::vector<IndependentSectorContract> independent_sector;
    AnalysisParams analysis;
    // Timetables: weekdays (0 = Monday) and start hours of sessions.
    std::vector<unsigned> clinic_weekdays{0, 1, 2, 3, 4};
    std::vector<double> clinic_hours{9.0, 14.0};
    std::vector<unsigned> theatre_weekdays{0, 1, 2, 3, 4};
    std::vector<double> theatre_hours{8.0};
    std::vector<unsigned> diagnostic_weekdays{0, 1, 2, 3, 4, 5, 6};
    std::vector<double> diagnostic_hours{8.0};

    std::vector<std::uint32_t> trust_index;  // [hospital] -> index into trusts

    [[nodiscard]] std::uint32_t trust_of(std::uint32_t hospital) const {
        return trust_index[hospital];
    }
};

}  // namespace icsflow::models::blmk
