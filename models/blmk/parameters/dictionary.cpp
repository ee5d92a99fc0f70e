// The BLMK model's parameter dictionary: every key its configuration may hold, with units, range,
// meaning and the source of the value in configs/blmk.toml. `icsflow params blmk` prints it, and
// docs/parameters.md is generated from it (a test keeps the two identical).
#include "models/blmk/parameters/dictionary.hpp"

#include <limits>
#include <string>
#include <vector>

#include "models/blmk/parameters/parameters.hpp"

namespace icsflow::models::blmk {

namespace {

namespace c = sim::config;
using c::ParamType;
using c::TomlArray;
using c::TomlValue;

constexpr double kMaxDays = 36500.0;

// Sources, abbreviated as the config comments cite them.
const std::string kPack = "calibration pack";
const std::string kSeeds = "seed documents (seed-facts.md)";
const std::string kAssumption = "assumption (reasoning in configs/blmk.toml)";
const std::string kCalibrated = "calibrated to the 2019/20 baseline (docs/calibration.md)";
const std::string kScenario = "scenario input";
const std::string kCalibratedHindcast =
    "fitted to England's RTT series, April 2019 to December 2020 (docs/hindcast.md)";

void number(c::ParameterDictionary& d, std::string path, TomlValue def, double min, double max,
            std::string units, std::string meaning, std::string source) {
    d.add(c::number_param(std::move(path), std::move(def), min, max, std::move(units),
                          std::move(meaning), std::move(source)));
}

void numbers(c::ParameterDictionary& d, std::string path, TomlValue def, double min, double max,
             std::string units, std::string meaning, std::string source) {
    c::ParamSpec spec = c::typed_param(std::move(path), ParamType::number_array, std::move(def),
                                       std::move(units), std::move(meaning), std::move(source));
    spec.min = min;
    spec.max = max;
    d.add(std::move(spec));
}

void table(c::ParameterDictionary& d, std::string path, TomlValue def, std::string meaning) {
    d.add(c::typed_param(std::move(path), ParamType::table, std::move(def), "", std::move(meaning),
                         "-"));
}

void typed(c::ParameterDictionary& d, std::string path, ParamType type, TomlValue def,
           std::string units, std::string meaning, std::string source) {
    d.add(c::typed_param(std::move(path), type, std::move(def), std::move(units),
                         std::move(meaning), std::move(source)));
}

// A duration: { distribution = "lognormal", mean = 5.2, sd = 6.0 } (see sim/random).
void duration(c::ParameterDictionary& d, const std::string& path, TomlValue def,
              const std::string& meaning, const std::string& source) {
    table(d, path, std::move(def),
          meaning +
              " A duration: { distribution, mean, sd } (or shape "
              "and scale for weibull, value for fixed).");
    d.add(c::choice_param(path + ".distribution", c::required(),
                          {"fixed", "exponential", "lognormal", "gamma", "weibull"},
                          "Family of the distribution.", source));
    // Bounds far beyond any stay or wait (a century), so that no value makes a draw meaningless.
    number(d, path + ".mean", TomlValue(0.0), 0.0, kMaxDays, "days", "Mean.", source);
    number(d, path + ".sd", TomlValue(0.0), 0.0, kMaxDays, "days", "Standard deviation.", source);
    number(d, path + ".value", TomlValue(0.0), 0.0, kMaxDays, "days", "Value (fixed).", source);
    number(d, path + ".shape", TomlValue(0.0), 0.0, 1000.0, "", "Shape (weibull).", source);
    number(d, path + ".scale", TomlValue(0.0), 0.0, kMaxDays, "days", "Scale (weibull).", source);
}

// Keys shared by every dated change: from, to, and a multiplier or a monthly trajectory.
void dated(c::ParameterDictionary& d, const std::string& prefix, const std::string& what) {
    typed(d, prefix + ".label", ParamType::string, TomlValue(""), "", "Free text for reports.",
          kScenario);
    typed(d, prefix + ".from", ParamType::date, c::required(), "date",
          "First day the " + what + " applies.", kScenario);
    typed(d, prefix + ".to", ParamType::date, c::required(), "date",
          "First day it no longer applies.", kScenario);
    number(d, prefix + ".multiplier", TomlValue(1.0), 0.0, 100.0, "",
           "Multiplier while in force (ignored when `monthly` is given).", kScenario);
    numbers(d, prefix + ".monthly", TomlValue(TomlArray{}), 0.0, 100.0, "",
            "One multiplier per calendar month from `from` (a trajectory).", kScenario);
}

void scope(c::ParameterDictionary& d, const std::string& prefix, bool hospitals, bool specialties,
           bool places) {
    if (hospitals) {
        typed(d, prefix + ".hospitals", ParamType::string_array, TomlValue(TomlArray{}), "",
              "Hospital ids it applies to (empty: all).", kScenario);
    }
    if (specialties) {
        typed(d, prefix + ".specialties", ParamType::string_array, TomlValue(TomlArray{}), "",
              "Specialty ids it applies to (empty: all).", kScenario);
    }
    if (places) {
        typed(d, prefix + ".places", ParamType::string_array, TomlValue(TomlArray{}), "",
              "Place ids it applies to (empty: all).", kScenario);
    }
}

void add_global(c::ParameterDictionary& d) {
    table(d, "demand", c::required(), "System-wide demand settings.");
    number(d, "demand.referral_growth_per_year", TomlValue(0.0), -0.5, 0.5, "1/year",
           "Growth of referral rates per year from the start date (population growth is per "
           "place).",
           kSeeds);
    number(d, "demand.ae_growth_per_year", TomlValue(0.0), -0.5, 0.5, "1/year",
           "Growth of A&E attendances per year.", kPack);

    table(d, "seasonality", c::required(), "Month-of-year indices of demand per day.");
    numbers(d, "seasonality.referrals", c::required(), 0.0, 5.0, "",
            "Referral rate index for January..December (12 values, mean about 1).", kPack);
    numbers(d, "seasonality.emergency", c::required(), 0.0, 5.0, "",
            "Emergency admission rate index for January..December.", kPack);

    table(d, "timetables", TomlValue(c::TomlTable{}),
          "When sessions run: weekdays (0 = Monday) and start hours.");
    const std::vector<std::pair<std::string, std::string>> timetables{
        {"clinic", "outpatient clinics"},
        {"theatre", "theatre lists"},
        {"diagnostic", "scanner and endoscopy sessions"}};
    for (const auto& [key, what] : timetables) {
        TomlArray days;
        for (int w = 0; w < (key == "diagnostic" ? 7 : 5); ++w) {
            days.emplace_back(w);
        }
        numbers(d, "timetables." + key + "_weekdays", TomlValue(days), 0.0, 6.0, "weekday",
                "Weekdays with " + what + " (0 = Monday).", kAssumption);
        TomlArray hours;
        if (key == "clinic") {
            hours = TomlArray{TomlValue(9.0), TomlValue(14.0)};
        } else {
            hours = TomlArray{TomlValue(8.0)};
        }
        numbers(d, "timetables." + key + "_hours", TomlValue(hours), 0.0, 23.99, "hour",
                "Start hours of " + what + " each such day.", kAssumption);
    }
}

void add_specialties(c::ParameterDictionary& d) {
    typed(d, "specialties", ParamType::table_map, c::required(), "",
          "Specialty groups, by id (e.g. [specialties.trauma_orthopaedics]).", "-");
    const std::string p = "specialties.*.";
    typed(d, p + "name", ParamType::string, c::required(), "", "Display name.", "-");
    numbers(d, p + "referrals_per_1000", c::required(), 0.0, 1000.0, "per 1,000 per year",
            "Referral rates by urgency: [routine, urgent, suspected cancer].", kPack);
    number(d, p + "diagnostic_probability", c::required(), 0.0, 1.0, "",
           "Routine/urgent patients needing a test after the first appointment.", kAssumption);
    numbers(d, p + "modality_mix", c::required(), 0.0, 1.0, "",
            "Which test: [MRI, CT, endoscopy], summing to 1.", kAssumption);
    number(d, p + "follow_up_probability", c::required(), 0.0, 1.0, "",
           "Patients without a test who need a follow-up before the decision.", kAssumption);
    number(d, p + "admit_probability", c::required(), 0.0, 1.0, "",
           "Decision to admit at the decision appointment (else a non-admitted clock stop).",
           kCalibrated);
    number(d, p + "cancer_conversion", TomlValue(0.0), 0.0, 1.0, "",
           "Suspected-cancer referrals found to have cancer.", kAssumption);
    number(d, p + "cancer_surgical_share", TomlValue(0.5), 0.0, 1.0, "",
           "Cancers treated by surgery (admitted list at P2); the rest start non-surgical "
           "treatment.",
           kAssumption);
    number(d, p + "day_case_share", c::required(), 0.0, 1.0, "",
           "Admitted patients treated as day cases.", kAssumption);
    numbers(d, p + "priority_mix", c::required(), 0.0, 1.0, "",
            "Clinical priority of routine/urgent admissions: [P1, P2, P3, P4].", kAssumption);
    duration(d, p + "inpatient_los", c::required(), "Elective inpatient length of stay.", kPack);
    numbers(d, p + "elective_discharge_mix", TomlValue(TomlArray{1.0, 0.0, 0.0, 0.0}), 0.0, 1.0, "",
            "Discharge pathway 0-3 of elective inpatients.", kAssumption);
}

void add_hospitals(c::ParameterDictionary& d) {
    typed(d, "hospitals", ParamType::table_map, c::required(), "", "Acute hospitals, by id.", "-");
    const std::string p = "hospitals.*.";
    typed(d, p + "name", ParamType::string, c::required(), "", "Display name.", "-");
    typed(d, p + "trust", ParamType::string, c::required(), "",
          "Reporting organisation (hospitals of one trust are reported together).", kPack);
    number(d, p + "general_acute_beds", c::required(), 0.0, 1e5, "beds",
           "General and acute beds open all year.", kPack);
    number(d, p + "elective_ring_fenced_beds", TomlValue(0.0), 0.0, 1e5, "beds",
           "Beds only elective patients may use (\"green\" beds).", kScenario);
    number(d, p + "emergency_bed_reserve", TomlValue(0.0), 0.0, 1e5, "beds",
           "Electives are cancelled rather than take the last N free general beds.", kAssumption);
    table(d, p + "diagnostics", c::required(), "Diagnostic capacity of the hospital.");
    numbers(d, p + "diagnostics.slots_per_week", c::required(), 0.0, 1e6, "tests/week",
            "Capacity: [MRI, CT, endoscopy].", kCalibrated);
    numbers(d, p + "diagnostics.other_share", c::required(), 0.0, 1.0, "",
            "Share of each modality's slots used outside RTT pathways (emergency, inpatient, "
            "surveillance): [MRI, CT, endoscopy].",
            kCalibrated);
    // Ten times the busiest A&E departments in England: plausible, and a run that ends.
    number(d, p + "ae_attendances_per_day", c::required(), 0.0, 1e4, "attendances/day",
           "A&E attendances (activity reporting).", kPack);
    number(d, p + "other_non_elective_per_day", TomlValue(0.0), 0.0, 1e4, "spells/day",
           "Maternity and other non-elective spells (counted; they use maternity, not G&A, beds).",
           kSeeds);
    typed(d, p + "clinics", ParamType::table_map, c::required(), "",
          "Capacity by specialty id ([hospitals.<id>.clinics.<specialty>]).", "-");
    const std::string q = "hospitals.*.clinics.*.";
    number(d, q + "first_slots_per_week", c::required(), 0.0, 1e6, "slots/week",
           "First outpatient appointments.", kCalibrated);
    number(d, q + "follow_up_slots_per_week", c::required(), 0.0, 1e6, "slots/week",
           "Follow-up appointments.", kCalibrated);
    number(d, q + "follow_up_other_share", TomlValue(0.0), 0.0, 1.0, "",
           "Share of follow-up slots used by patients not on an RTT pathway.", kCalibrated);
    number(d, q + "day_case_sessions_per_week", c::required(), 0.0, 1e4, "sessions/week",
           "Day-case theatre lists.", kCalibrated);
    number(d, q + "day_cases_per_session", c::required(), 0.0, 100.0, "cases/session",
           "Cases per day-case list.", kPack);
    number(d, q + "inpatient_sessions_per_week", c::required(), 0.0, 1e4, "sessions/week",
           "Inpatient theatre lists.", kCalibrated);
    number(d, q + "inpatient_cases_per_session", c::required(), 0.0, 100.0, "cases/session",
           "Cases per inpatient list.", kPack);
    number(d, q + "theatre_planned_share", TomlValue(0.0), 0.0, 1.0, "",
           "Theatre cases for planned patients not on an RTT pathway (surveillance, staged and "
           "repeat procedures).",
           kCalibrated);
}

void add_places(c::ParameterDictionary& d) {
    typed(d, "places", ParamType::table_map, c::required(), "",
          "Places (local authorities) and out-of-area catchments, by id.", "-");
    const std::string p = "places.*.";
    typed(d, p + "name", ParamType::string, c::required(), "", "Display name.", "-");
    typed(d, p + "external", ParamType::boolean, TomlValue(false), "",
          "A catchment outside BLMK: its community services are not modelled.", "-");
    number(d, p + "population", c::required(), 0.0, 1e7, "persons",
           "Resident population at the start date (all places, times their demand multipliers: "
           "at most 10^7).",
           kPack);
    numbers(d, p + "age_shares", c::required(), 0.0, 1.0, "",
            "Population shares: [under 65, 65-84, 85+].", kPack);
    number(d, p + "referral_multiplier", TomlValue(1.0), 0.0, 10.0, "",
           "Local referral propensity relative to the specialty rates.", kAssumption);
    number(d, p + "emergency_multiplier", TomlValue(1.0), 0.0, 10.0, "",
           "Local emergency admission propensity.", kAssumption);
    number(d, p + "annual_growth", TomlValue(0.0), -0.2, 0.2, "1/year", "Population growth.",
           kPack);
    c::ParamSpec shares = c::typed_param(
        p + "hospital_shares", ParamType::number_map, c::required(), "",
        "Share of the place's patients going to each hospital, by hospital id; the rest are "
        "treated outside the modelled hospitals.",
        kAssumption);
    shares.min = 0.0;
    shares.max = 1.0;
    d.add(std::move(shares));
    table(d, p + "community", TomlValue(c::TomlTable{}),
          "Community capacity for discharge pathways 1-3 (ignored for external places).");
    number(d, p + "community.reablement_slots", TomlValue(0.0), 0.0, 1e6, "clients",
           "Home-based reablement (discharge pathway 1), concurrent clients.", kCalibrated);
    number(d, p + "community.community_beds", TomlValue(0.0), 0.0, 1e6, "beds",
           "Intermediate-care beds (pathway 2).", kCalibrated);
    number(d, p + "community.care_home_placements_per_week", TomlValue(0.0), 0.0, 1e6,
           "placements/week", "Care-home vacancies offered to hospital discharges (pathway 3).",
           kCalibrated);
}

void add_emergency_and_community(c::ParameterDictionary& d) {
    table(d, "emergency", c::required(), "Emergency (non-elective G&A) admissions.");
    numbers(d, "emergency.admissions_per_1000", c::required(), 0.0, 5000.0, "per 1,000 per year",
            "Emergency admissions by age band: [under 65, 65-84, 85+].", kPack);
    numbers(d, "emergency.zero_day_share", c::required(), 0.0, 1.0, "",
            "Admissions discharged the same day, by age band.", kPack);
    for (const char* band : {"under_65", "age_65_84", "age_85_plus"}) {
        duration(d, std::string("emergency.acute_los_") + band, c::required(),
                 std::string("Overnight stay until medically fit, ") + band + ".", kPack);
        numbers(d, std::string("emergency.discharge_mix_") + band, c::required(), 0.0, 1.0, "",
                std::string("Discharge pathways [0, 1, 2, 3] of ") + band + ".", kPack);
    }
    duration(d, "emergency.assessment_delay", c::required(),
             "From medically fit to the referral for support (pathways 1-3): assessment and "
             "paperwork; the bed stays occupied.",
             kPack);
    number(d, "emergency.growth_per_year", TomlValue(0.0), -0.5, 0.5, "1/year",
           "Growth of emergency admission rates per year.", kPack);

    table(d, "community", c::required(), "Community and social-care services after discharge.");
    duration(d, "community.reablement_duration", c::required(),
             "Length of a reablement package (pathway 1).", kPack);
    duration(d, "community.community_bed_duration", c::required(),
             "Length of stay in an intermediate-care bed (pathway 2).", kPack);
    duration(d, "community.external_transfer_delay", c::required(),
             "Wait for pathway 1-3 support of out-of-area patients (not capacity-modelled).",
             kAssumption);
}

void add_dna_and_policy(c::ParameterDictionary& d) {
    table(d, "dna", c::required(), "Did-not-attend (DNA) rules.");
    number(d, "dna.first", c::required(), 0.0, 0.99, "", "DNA probability, first appointments.",
           kSeeds);
    number(d, "dna.follow_up", c::required(), 0.0, 0.99, "", "DNA probability, follow-ups.", kPack);
    d.add(c::integer_param("dna.max_dnas", TomlValue(2), 1.0, 10.0, "DNAs",
                           "Discharged back to the GP (a clock stop) after this many DNAs.",
                           "RTT rules (field notes section 3)"));
    typed(d, "dna.first_dna_resets_clock", ParamType::boolean, TomlValue(true), "",
          "A DNA at the first appointment nullifies the clock; it restarts at rebooking.",
          "RTT rules");
    typed(d, "dna.changes", ParamType::table_array, TomlValue(TomlArray{}), "",
          "Dated multipliers on both DNA rates (e.g. the 2020 fall).", kScenario);
    dated(d, "dna.changes[]", "DNA change");

    table(d, "uncertainty", TomlValue(c::TomlTable{}),
          "Uncertainty in the scenario's own assumptions, drawn per replication.");
    number(d, "uncertainty.capacity_delivery_sd", TomlValue(0.0), 0.0, 0.5, "1",
           "Relative SD of the share of planned session capacity actually delivered, drawn per "
           "replication, calendar month and point of delivery (outpatients, diagnostics, "
           "theatres; log-normal with mean 1). 0: the plan is delivered exactly.",
           kAssumption);
    table(d, "policy", TomlValue(c::TomlTable{}), "Operational policies (the levers).");
    const std::vector<std::string> orders{"priority_then_longest_wait", "urgent_then_longest_wait",
                                          "longest_wait_first", "fifo"};
    d.add(c::choice_param("policy.outpatient_order", TomlValue("priority_then_longest_wait"),
                          orders, "Booking order of outpatient and diagnostic lists.", kSeeds));
    d.add(c::choice_param("policy.admitted_order", TomlValue("priority_then_longest_wait"), orders,
                          "Order theatre lists are filled from the admitted list.",
                          "seed 000:L1350-1351"));
    typed(d, "policy.pooled_specialties", ParamType::string_array, TomlValue(TomlArray{}), "",
          "Specialties with one shared BLMK list at every stage: any hospital's session takes "
          "the next patient from the pooled list.",
          "seed 000:L391-393");
    d.add(c::integer_param("policy.cancellation_rebook_priority", TomlValue(2), 1.0, 4.0, "",
                           "An on-the-day cancellation is rebooked at this priority or better.",
                           kAssumption));
    number(d, "policy.long_wait_review_weeks", TomlValue(0.0), 0.0, 520.0, "weeks",
           "Patients on an admitted list who have waited this long are reviewed and booked at "
           "long_wait_review_priority or better (0: no reviews).",
           kCalibratedHindcast);
    d.add(c::integer_param("policy.long_wait_review_priority", TomlValue(3), 1.0, 4.0, "",
                           "The priority a long-wait review books at (or better).", kAssumption));
    number(d, "policy.long_wait_review_share", TomlValue(1.0), 0.0, 1.0, "",
           "Share of the patients reaching long_wait_review_weeks whom the review books at "
           "long_wait_review_priority; the others stay in their class and are not reviewed "
           "again.",
           "assumption: 1 (docs/sources.md §15; the hindcast cannot identify it, "
           "docs/hindcast.md)");
    number(d, "policy.max_wait_review_weeks", TomlValue(0.0), 0.0, 520.0, "weeks",
           "Reviews against a maximum-wait standard (as the 52-week standard and its sanctions "
           "were in 2019/20): every patient on an admitted list who has waited this long is "
           "booked at max_wait_review_priority or better (0: none).",
           kCalibrated);
    d.add(c::integer_param("policy.max_wait_review_priority", TomlValue(2), 1.0, 4.0, "",
                           "The priority a maximum-wait review books at (or better).",
                           kAssumption));
    number(d, "policy.out_of_turn_share", TomlValue(0.0), 0.0, 1.0, "",
           "Share of offers (first appointments, operations) made out of turn: to a patient "
           "drawn at random from the list who is in the same class as the next patient in turn "
           "(if the patient drawn is in another class, the offer stays in turn).",
           kCalibratedHindcast);

    typed(d, "policy_changes", ParamType::table_array, TomlValue(TomlArray{}), "",
          "Booking policy changes by date (each key optional).", kScenario);
    typed(d, "policy_changes[].label", ParamType::string, TomlValue(""), "", "Free text.",
          kScenario);
    typed(d, "policy_changes[].from", ParamType::date, c::required(), "date", "In force from.",
          kScenario);
    d.add(c::optional(c::choice_param("policy_changes[].outpatient_order", TomlValue(), orders,
                                      "New order of outpatient and diagnostic lists.", kScenario)));
    d.add(c::optional(
        c::number_param("policy_changes[].long_wait_review_weeks", TomlValue(), 0.0, 520.0, "weeks",
                        "New long-wait review threshold (0: no reviews).", kScenario)));
    d.add(
        c::optional(c::integer_param("policy_changes[].long_wait_review_priority", TomlValue(), 1.0,
                                     4.0, "", "New priority a review books at.", kScenario)));
    d.add(c::optional(c::number_param("policy_changes[].long_wait_review_share", TomlValue(), 0.0,
                                      1.0, "", "New share of long waiters a review books sooner.",
                                      kScenario)));
    d.add(c::optional(c::number_param("policy_changes[].max_wait_review_weeks", TomlValue(), 0.0,
                                      520.0, "weeks",
                                      "New maximum-wait review threshold (0: none).", kScenario)));
    d.add(c::optional(c::integer_param("policy_changes[].max_wait_review_priority", TomlValue(),
                                       1.0, 4.0, "", "New priority a maximum-wait review books at.",
                                       kScenario)));
    d.add(c::optional(
        c::integer_param("policy_changes[].cancellation_rebook_priority", TomlValue(), 1.0, 4.0, "",
                         "New priority (or better) a cancellation is rebooked at.", kScenario)));
    d.add(c::optional(c::number_param("policy_changes[].out_of_turn_share", TomlValue(), 0.0, 1.0,
                                      "", "New share of offers made out of turn.", kScenario)));
    d.add(c::optional(c::typed_param(
        "policy_changes[].pooled_specialties", ParamType::string_array, TomlValue(), "",
        "From this date these specialties (and only these) share one BLMK list per stage; the "
        "patients waiting move onto it, or back to their hospitals' lists ([] ends pooling).",
        kScenario)));
    d.add(c::optional(c::choice_param("policy_changes[].admitted_order", TomlValue(), orders,
                                      "New order of the admitted lists.", kScenario)));

    table(d, "cancer", c::required(), "The suspected-cancer pathway after diagnosis.");
    duration(d, "cancer.workup", c::required(),
             "Confirmed cancer: staging, further tests and the multidisciplinary team, until the "
             "decision to treat (the patient is on no list; the clock runs).",
             kCalibrated);
    duration(d, "cancer.non_surgical_delay", c::required(),
             "From the decision to the start of non-surgical treatment.", kAssumption);
}

// The rates of one removal regime, under `prefix` ("removals" or "removals.pandemic"); in the
// later regime every rate is optional and defaults to the earlier one.
void removal_rates(c::ParameterDictionary& d, const std::string& prefix, bool later) {
    const auto add = [&](const std::string& key, double def, double max, const std::string& units,
                         const std::string& meaning) {
        c::ParamSpec spec =
            c::number_param(prefix + "." + key, later ? TomlValue() : TomlValue(def), 0.0, max,
                            units, meaning, kCalibratedHindcast);
        d.add(later ? c::optional(std::move(spec)) : std::move(spec));
    };
    add("background_rate_per_week", 0.0, 1.0, "1/week",
        "Removals of any waiting patient (moved away, died, treated privately), per week.");
    add("at_booking", 0.0, 0.9, "",
        "Probability that a patient offered a first appointment or an operation is found at that "
        "contact no longer to need it (validation): removed, and the slot goes to the next.");
    add("decline_probability", 0.0, 0.9, "",
        "Probability that a patient offered a first appointment or an operation declines it.");
    add("decline_removed_share", 1.0, 1.0, "",
        "Share of those who decline who are discharged back to the referrer (a removal); the "
        "others defer, staying on the list with the clock running.");
}

void add_removals_and_drivers(c::ParameterDictionary& d) {
    table(d, "removals", TomlValue(c::TomlTable{}),
          "Removals other than treatment, by mechanism (suspected-cancer pathways are never "
          "removed).");
    removal_rates(d, "removals", false);
    number(d, "removals.deferral_weeks", TomlValue(12.0), 0.1, 104.0, "weeks",
           "Mean time (exponential) a patient who declined and deferred waits before asking for "
           "a new date.",
           kAssumption);
    table(d, "removals.pandemic", TomlValue(c::TomlTable{}),
          "A second regime of removal rates from a date (keys not given keep the first "
          "regime's values).");
    d.add(c::optional(c::typed_param("removals.pandemic.from", ParamType::date, TomlValue(), "date",
                                     "First day of the second regime.", kScenario)));
    removal_rates(d, "removals.pandemic", true);

    table(d, "returning_demand", TomlValue(c::TomlTable{}),
          "Referrals suppressed by the referral demand changes that come back later.");
    number(d, "returning_demand.share", TomlValue(0.0), 0.0, 1.0, "",
           "Share of the referrals missing before `from` that return.", kAssumption);
    d.add(c::optional(c::typed_param("returning_demand.from", ParamType::date, TomlValue(), "date",
                                     "First day of the return (needed when share > 0).",
                                     kAssumption)));
    d.add(c::integer_param("returning_demand.months", TomlValue(12), 1.0, 120.0, "months",
                           "Calendar months over which they return.", kAssumption));
    d.add(c::choice_param("returning_demand.profile", TomlValue("flat"), {"flat", "declining"},
                          "Evenly, or front-loaded falling linearly to zero.", kAssumption));

    table(d, "drivers", TomlValue(c::TomlTable{}),
          "Observed monthly series that drive the model (a hindcast).");
    d.add(c::optional(c::typed_param(
        "drivers.observed", ParamType::string, TomlValue(), "path",
        "Monthly observations (CSV, docs/calibration.md), relative to the config file.",
        "data/README.md")));
    d.add(c::optional(c::typed_param(
        "drivers.referrals", ParamType::string, TomlValue(), "column",
        "Column whose daily rate drives referrals in every month it covers (as a ratio to its "
        "mean in the reference months).",
        "data/README.md")));
    typed(d, "drivers.reference_from", ParamType::string, TomlValue("2019-04"), "YYYY-MM",
          "First month of the reference period.", kScenario);
    typed(d, "drivers.reference_to", ParamType::string, TomlValue("2020-02"), "YYYY-MM",
          "Last month of the reference period (inclusive).", kScenario);
    typed(d, "drivers.capacity", ParamType::table_map, TomlValue(c::TomlTable{}), "",
          "Named monthly capacity trajectories (fitted by `icsflow calibrate --fit-monthly`): "
          "each is a capacity change addressable by key, e.g. drivers.capacity.theatres.monthly.",
          kScenario);
    d.add(c::typed_param("drivers.capacity.*.points", ParamType::string_array, c::required(), "",
                         "Points of delivery, as in capacity_changes.", kScenario));
    typed(d, "drivers.capacity.*.from", ParamType::date, c::required(), "date",
          "First day of the first monthly value.", kScenario);
    numbers(d, "drivers.capacity.*.monthly", c::required(), 0.0, 10.0, "",
            "One multiplier per calendar month from `from`; the last holds to the end.",
            "fitted to the observed clock stops (docs/hindcast.md)");
    number(d, "drivers.capacity.*.scale", TomlValue(1.0), 0.1, 10.0, "",
           "Multiplies every monthly value (one number to fit where the shape is known).",
           "fitted (docs/hindcast.md)");
}

void add_initial_list(c::ParameterDictionary& d) {
    table(d, "initial_list", TomlValue(c::TomlTable{}),
          "The waiting list at the start date (planners start from today's list).");
    number(d, "initial_list.total", TomlValue(0.0), 0.0, 1e8, "pathways",
           "Incomplete pathways at the start date (0: start empty, e.g. after a warm-up).", kPack);
    for (const char* key : {"hospital_shares", "specialty_shares"}) {
        c::ParamSpec spec =
            c::typed_param(std::string("initial_list.") + key, ParamType::number_map,
                           TomlValue(c::TomlTable{}), "",
                           std::string("Split of the list by ") +
                               (key[0] == 'h' ? "hospital" : "specialty") + " id (normalised).",
                           kAssumption);
        spec.min = 0.0;
        spec.max = 1e9;
        d.add(std::move(spec));
    }
    numbers(d, "initial_list.band_shares", TomlValue(TomlArray{1.0, 0.0, 0.0, 0.0, 0.0}), 0.0, 1.0,
            "", "Weeks-waited bands [0-18, 18-52, 52-78, 78-104, 104+].", kPack);
    numbers(d, "initial_list.admitted_share_by_band", TomlValue(TomlArray{0.2, 0.2, 0.2, 0.2, 0.2}),
            0.0, 1.0, "", "Share of each band already on the admitted list.", kCalibrated);
    numbers(d, "initial_list.diagnostics_share_by_band",
            TomlValue(TomlArray{0.1, 0.1, 0.1, 0.1, 0.1}), 0.0, 1.0, "",
            "Share of each band waiting for a test.", kCalibrated);
    numbers(d, "initial_list.follow_up_share_by_band",
            TomlValue(TomlArray{0.1, 0.1, 0.1, 0.1, 0.1}), 0.0, 1.0, "",
            "Share of each band waiting for a follow-up (decision) appointment.", kCalibrated);
}

void add_changes(c::ParameterDictionary& d) {
    typed(d, "capacity_changes", ParamType::table_array, TomlValue(TomlArray{}), "",
          "Capacity changes by date and point of delivery (suspension, infection-control losses, "
          "extra sessions, winter escalation beds).",
          kScenario);
    dated(d, "capacity_changes[]", "capacity change");
    d.add(c::typed_param("capacity_changes[].points", ParamType::string_array, c::required(), "",
                         "Points of delivery: outpatient_first, outpatient_follow_up, "
                         "diagnostics_mri, diagnostics_ct, diagnostics_endoscopy, "
                         "theatre_day_case, theatre_inpatient, beds; or the groups outpatients, "
                         "diagnostics, theatres, elective (all but beds).",
                         kScenario));
    scope(d, "capacity_changes[]", true, true, false);
    number(d, "capacity_changes[].add_per_week", TomlValue(0.0), -1e6, 1e6, "per week",
           "Extra slots or cases per week (beds: extra beds) while in force.", kScenario);

    typed(d, "demand_changes", ParamType::table_array, TomlValue(TomlArray{}), "",
          "Demand multipliers by date (the 2020 referral collapse and recovery).", kScenario);
    dated(d, "demand_changes[]", "demand change");
    d.add(c::typed_param("demand_changes[].kinds", ParamType::string_array, c::required(), "",
                         "referrals, emergency_admissions, ae_attendances.", kScenario));
    d.add(c::typed_param(
        "demand_changes[].urgencies", ParamType::string_array, TomlValue(TomlArray{}), "",
        "Referrals only: routine, urgent, suspected_cancer (empty: all).", kScenario));
    d.add(c::typed_param("demand_changes[].age_bands", ParamType::string_array,
                         TomlValue(TomlArray{}), "",
                         "Emergency admissions from places only: under_65, age_65_84, "
                         "age_85_plus (empty: all). Other non-elective spells and A&E "
                         "attendances have no age and are left out when this is given.",
                         kScenario));
    scope(d, "demand_changes[]", false, true, true);

    typed(d, "los_changes", ParamType::table_array, TomlValue(TomlArray{}), "",
          "Length-of-stay multipliers by date, hospital and specialty.", kScenario);
    dated(d, "los_changes[]", "length-of-stay change");
    scope(d, "los_changes[]", true, true, false);
    typed(d, "los_changes[].emergency", ParamType::boolean, TomlValue(false), "",
          "Applies to emergency acute stays (true) or elective inpatient stays (false).",
          kScenario);

    typed(d, "ring_fence_changes", ParamType::table_array, TomlValue(TomlArray{}), "",
          "Elective ring-fenced beds by date: while in force, a hospital in scope has `beds` "
          "ring-fenced beds instead of hospitals.*.elective_ring_fenced_beds (the last change "
          "listed wins where two overlap).",
          kScenario);
    typed(d, "ring_fence_changes[].label", ParamType::string, TomlValue(""), "",
          "Free text for reports.", kScenario);
    typed(d, "ring_fence_changes[].from", ParamType::date, c::required(), "date",
          "First day in force.", kScenario);
    typed(d, "ring_fence_changes[].to", ParamType::date, c::required(), "date",
          "First day no longer in force.", kScenario);
    scope(d, "ring_fence_changes[]", true, false, false);
    number(d, "ring_fence_changes[].beds", c::required(), 0.0, 1e5, "beds",
           "Ring-fenced elective beds while in force.", kScenario);
    typed(d, "ring_fence_changes[].from_general", ParamType::boolean, TomlValue(false), "",
          "true: the ring-fenced beds are taken out of the general beds (the hospital's beds "
          "stay the same); false: they are added to them.",
          kScenario);

    typed(d, "assessment_delay_changes", ParamType::table_array, TomlValue(TomlArray{}), "",
          "Multipliers of the discharge assessment delay (emergency.assessment_delay) by date "
          "and hospital: a patient found medically fit while one is in force waits that much "
          "longer or shorter for the referral for support (overlapping changes multiply).",
          kScenario);
    dated(d, "assessment_delay_changes[]", "assessment-delay change");
    scope(d, "assessment_delay_changes[]", true, false, false);

    typed(d, "discharge_mix_changes", ParamType::table_array, TomlValue(TomlArray{}), "",
          "Discharge-pathway mix of emergency patients by date (home first).", kScenario);
    typed(d, "discharge_mix_changes[].from", ParamType::date, c::required(), "date",
          "First day in force.", kScenario);
    typed(d, "discharge_mix_changes[].to", ParamType::date, c::required(), "date",
          "First day no longer in force.", kScenario);
    for (const char* band : {"under_65", "age_65_84", "age_85_plus"}) {
        numbers(d, std::string("discharge_mix_changes[].") + band, c::required(), 0.0, 1.0, "",
                "Pathways [0, 1, 2, 3].", kScenario);
    }

    typed(d, "community_changes", ParamType::table_array, TomlValue(TomlArray{}), "",
          "Community capacity multipliers by date, place and service.", kScenario);
    dated(d, "community_changes[]", "community change");
    scope(d, "community_changes[]", false, false, true);
    d.add(c::typed_param("community_changes[].services", ParamType::string_array,
                         TomlValue(TomlArray{}), "",
                         "reablement, community_bed, care_home (empty: all).", kScenario));

    typed(d, "independent_sector", ParamType::table_array, TomlValue(TomlArray{}), "",
          "Independent-sector contracts taking day-case patients from the admitted lists.",
          kScenario);
    const std::string p = "independent_sector[].";
    typed(d, p + "label", ParamType::string, TomlValue(""), "", "Free text.", kScenario);
    typed(d, p + "from", ParamType::date, c::required(), "date", "Start.", kScenario);
    typed(d, p + "to", ParamType::date, c::required(), "date", "End (exclusive).", kScenario);
    scope(d, "independent_sector[]", true, true, false);
    number(d, p + "cases_per_week", c::required(), 0.0, 1e5, "cases/week",
           "Patients treated per week.", kScenario);
    d.add(c::choice_param(p + "rule", TomlValue("longest_wait"),
                          {"longest_wait", "priority_then_longest_wait", "lowest_priority_first"},
                          "Which patients are offered the capacity.", kScenario));
    number(d, p + "min_weeks_waited", TomlValue(0.0), 0.0, 520.0, "weeks",
           "Only patients who have waited at least this long.", kScenario);
}

void add_analysis(c::ParameterDictionary& d) {
    table(d, "analysis", TomlValue(c::TomlTable{}), "What each replication summarises.");
    d.add(c::optional(c::typed_param(
        "analysis.peak_from", ParamType::date, TomlValue(), "date",
        "The list's peak is searched from this month (default: 12 months after the start, or "
        "the start for a run of a year or less); the window must hold a simulated month.",
        kScenario)));
    d.add(c::optional(c::typed_param("analysis.peak_to", ParamType::date, TomlValue(), "date",
                                     "... to this month (default: the end).", kScenario)));
    d.add(c::optional(c::typed_param(
        "analysis.census_month", ParamType::string, TomlValue(), "YYYY-MM",
        "Month whose waiting list is summarised as census_* (default: the 11th month).",
        kScenario)));
    typed(d, "analysis.targets", ParamType::table_array, TomlValue(TomlArray{}), "",
          "Targets of the plan, each met or not in each replication (the probability of meeting "
          "one is the share of replications that meet it; `targets_all_met` is 1 when every "
          "target is met). Measured on the whole system in the target's month.",
          kScenario);
    typed(d, "analysis.targets[].name", ParamType::string, c::required(), "", "Name.", kScenario);
    std::vector<std::string> measures;
    for (std::size_t m = 0; m < kTargetMeasures; ++m) {
        measures.emplace_back(target_measure_name(m));
    }
    d.add(c::choice_param(
        "analysis.targets[].measure", c::required(), measures,
        "At least the threshold: *_activity (a share of the same month a year earlier), "
        "within_18_weeks_share. At most the threshold: waiting_list (pathways), "
        "waiting_list_vs_prior_year (1 = no bigger than a year earlier), over_52_weeks, "
        "over_78_weeks, over_104_weeks (pathways; 0 = nobody), bed_occupancy (share), "
        "delayed_transfer_beds (mean beds in the month), cancellations (in the month).",
        kScenario));
    typed(d, "analysis.targets[].month", ParamType::string, c::required(), "YYYY-MM",
          "Month of the target (stocks at its end, flows and means over it).", kScenario);
    number(d, "analysis.targets[].threshold", c::required(), 0.0, 1e9, "",
           "The level to reach or not exceed: a ratio (0.9 = 90%), a share or a count.",
           "seed 000:L1280-1283 (activity)");
}

}  // namespace

const sim::config::ParameterDictionary& blmk_dictionary() {
    static const c::ParameterDictionary dictionary = [] {
        c::ParameterDictionary d;
        add_global(d);
        add_specialties(d);
        add_hospitals(d);
        add_places(d);
        add_emergency_and_community(d);
        add_dna_and_policy(d);
        add_removals_and_drivers(d);
        add_initial_list(d);
        add_changes(d);
        add_analysis(d);
        return d;
    }();
    return dictionary;
}

}  // namespace icsflow::models::blmk
