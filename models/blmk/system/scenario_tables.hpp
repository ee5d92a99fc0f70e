#pragma once

#include <cstdint>
#include <vector>

#include "models/blmk/parameters/parameters.hpp"
#include "sim/engine/sim_calendar.hpp"
#include "sim/output/reporting_periods.hpp"
#include "sim/random/distributions.hpp"
#include "sim/resource/capacity_schedule.hpp"

namespace icsflow::models::blmk {

// A recurring session (a clinic, a scanner list, a theatre list, an independent-sector list)
// with its capacity per session after the dated capacity changes.
struct SessionSeries {
    enum class Kind : std::uint8_t {
        outpatient_first,
        outpatient_follow_up,
        diagnostic,
        theatre_day_case,
        theatre_inpatient,
        independent_sector
    };
    Kind kind = Kind::outpatient_first;
    std::uint32_t hospital = 0;
    std::uint32_t specialty = 0;        // specialty, or modality for diagnostics
    std::uint32_t contract = 0;         // independent-sector contract
    double capacity_per_session = 0.0;  // before rules
    double other_share = 0.0;           // capacity used by patients not on an RTT pathway
    std::vector<unsigned> weekdays;
    std::vector<double> hours;  // sorted
    sim::CapacitySchedule rules;

    // The first session strictly after `time`; +infinity if the timetable is empty.
    [[nodiscard]] double next_after(const sim::SimCalendar& calendar, double time) const;
    [[nodiscard]] double capacity_at(const sim::SimCalendar& calendar, double time) const {
        return rules.level_at(calendar, time, capacity_per_session);
    }
};

// Everything about a scenario that does not change between replications, computed once:
// demand rates as piecewise-constant functions of time, session timetables with their capacity
// rules, bed and community capacity schedules, and the reporting periods.
struct ScenarioTables {
    ScenarioTables(const BlmkParameters& p, sim::Date start_date, double warmup_days,
                   double horizon_days);

    const BlmkParameters& p;
    sim::SimCalendar calendar;
    double start_time;  // -warmup
    double horizon;
    sim::ReportingPeriods weeks;
    sim::ReportingPeriods months;

    // Referrals that reach a modelled hospital, per day: [place][specialty][urgency].
    std::vector<sim::PiecewiseConstantRate> referral_rates;
    // Emergency G&A admissions reaching a modelled hospital, per day: [place][age band].
    std::vector<sim::PiecewiseConstantRate> emergency_rates;
    // Care-home vacancies offered to hospital discharges, per day: [place].
    std::vector<sim::PiecewiseConstantRate> vacancy_rates;
    // Hospital choice of a place's patients among the modelled hospitals.
    std::vector<sim::Categorical> routing;
    // The place a hospital's patient comes from, in proportion to the flows places send it.
    std::vector<sim::Categorical> place_of_hospital;
    // Expected counts per day (Poisson means): [hospital][day - first day].
    std::vector<std::vector<double>> ae_per_day;
    std::vector<std::vector<double>> other_non_elective_per_day;
    std::int64_t first_day = 0;

    std::vector<SessionSeries> sessions;
    std::vector<sim::CapacitySchedule> bed_rules;        // [hospital], level = beds
    std::vector<sim::CapacitySchedule> community_rules;  // [place * 3 + service]

    [[nodiscard]] std::size_t referral_index(std::size_t place, std::size_t specialty,
                                             std::size_t urgency) const {
        return (place * p.specialties.size() + specialty) * kUrgencies + urgency;
    }
    [[nodiscard]] std::size_t emergency_index(std::size_t place, std::size_t age) const {
        return place * kAgeBands + age;
    }

    [[nodiscard]] double dna_probability(bool first, double time) const;
    // Ring-fenced elective beds of `hospital` at `time`, and how many of them are taken out of
    // the general beds.
    struct RingFence {
        double beds = 0.0;
        double from_general = 0.0;
    };
    [[nodiscard]] RingFence ring_fence(std::uint32_t hospital, double time) const;
    // The times the ring fence of `hospital` changes (unsorted, may repeat).
    [[nodiscard]] std::vector<double> ring_fence_dates(std::uint32_t hospital) const;
    // The discharge assessment delay of a patient found medically fit at `time`: a multiplier.
    [[nodiscard]] double assessment_delay_multiplier(std::uint32_t hospital, double time) const;
    [[nodiscard]] double los_multiplier(std::uint32_t hospital, std::uint32_t specialty,
                                        bool emergency, double time) const;
    [[nodiscard]] const std::array<double, kDischargePathways>& discharge_mix(std::size_t age,
                                                                              double time) const;
    [[nodiscard]] double expected_per_day(const std::vector<double>& daily, double time) const;
};

}  // namespace icsflow::models::blmk
