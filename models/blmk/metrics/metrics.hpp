#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/blmk/metrics/waiting_census.hpp"
#include "models/blmk/parameters/parameters.hpp"
#include "models/blmk/system/patients.hpp"
#include "models/blmk/system/scenario_tables.hpp"
#include "sim/output/output_schema.hpp"
#include "sim/output/reporting_periods.hpp"

namespace icsflow::models::blmk {

// Points of delivery counted as activity.
enum class Activity : std::uint8_t {
    outpatient_first = 0,
    outpatient_follow_up,
    diagnostics_mri,
    diagnostics_ct,
    diagnostics_endoscopy,
    day_case,
    elective_inpatient,
    emergency_admission,
    other_non_elective,
    ae_attendance,
    independent_sector,
    count
};
inline constexpr std::size_t kActivities = static_cast<std::size_t>(Activity::count);
[[nodiscard]] const char* activity_name(std::size_t a);

// The measures of the 2020 Phase 3 letter: activity as a share of the same month a year before.
enum class Phase3Measure : std::uint8_t {
    elective = 0,  // day case + elective inpatient + independent sector
    outpatient,    // first + follow-up
    diagnostic,    // MRI + CT + endoscopy
    endoscopy,
    non_elective,  // emergency + other non-elective
    count
};
inline constexpr std::size_t kPhase3Measures = static_cast<std::size_t>(Phase3Measure::count);
[[nodiscard]] const char* phase3_measure_name(std::size_t m);

enum class ClockStop : std::uint8_t { admitted, non_admitted, removed };

// How a hospital spell began, as the hospital statistics split length of stay: elective
// (waiting list and planned admissions; day cases take no bed) or emergency.
inline constexpr std::size_t kAdmissionMethods = 2;
[[nodiscard]] const char* admission_method_name(std::size_t m);

// A count per reporting period, kept for weeks and months at once.
class PeriodCounts {
  public:
    PeriodCounts(const sim::ReportingPeriods& weeks, const sim::ReportingPeriods& months,
                 std::size_t cells);
    void add(double time, std::size_t cell, double amount = 1.0);
    [[nodiscard]] double weekly(std::size_t week, std::size_t cell) const {
        return weekly_[week * cells_ + cell];
    }
    [[nodiscard]] double monthly(std::size_t month, std::size_t cell) const {
        return monthly_[month * cells_ + cell];
    }
    [[nodiscard]] std::size_t cells() const { return cells_; }

  private:
    const sim::ReportingPeriods* weeks_;
    const sim::ReportingPeriods* months_;
    std::size_t cells_;
    std::vector<double> weekly_;
    std::vector<double> monthly_;
};

// A level (beds occupied, patients waiting) recorded as time-average and maximum per week and
// per month.
class PeriodLevel {
  public:
    PeriodLevel(const sim::ReportingPeriods& weeks, const sim::ReportingPeriods& months)
        : week_(weeks), month_(months) {}
    void set(double time, double level) {
        week_.change(time, level);
        month_.change(time, level);
    }
    void finish(double horizon) {
        week_.finish(horizon);
        month_.finish(horizon);
    }
    [[nodiscard]] double current() const { return week_.current(); }
    [[nodiscard]] const sim::LevelRecorder& weekly() const { return week_; }
    [[nodiscard]] const sim::LevelRecorder& monthly() const { return month_; }

  private:
    sim::LevelRecorder week_;
    sim::LevelRecorder month_;
};

// Everything a replication records, updated as events happen and summarised into the result.
class Metrics {
  public:
    explicit Metrics(const ScenarioTables& tables);

    // RTT list.
    // `new_referral` false: a pathway of the initial list (on the list, not a clock start now).
    void clock_started(std::uint32_t hospital, std::uint32_t specialty, double clock_start,
                       double now, bool new_referral = true);
    void clock_restarted(std::uint32_t hospital, std::uint32_t specialty, double old_start,
                         double new_start);
    void clock_stopped(std::uint32_t hospital, std::uint32_t specialty, double clock_start,
                       ClockStop how, double now);
    void stage_changed(std::uint32_t hospital, int from_stage, int to_stage);  // -1: none

    void diagnostic_joined(std::uint32_t hospital, std::uint32_t modality, double since);
    void diagnostic_left(std::uint32_t hospital, std::uint32_t modality, double since);

    void activity(std::uint32_t hospital, Activity what, double now, double count = 1.0);
    // Activity of one patient whose place is known (a pathway patient or an emergency
    // admission): counted by hospital, as `activity`, and by the patient's place.
    void patient_activity(std::uint32_t hospital, std::uint32_t place, Activity what, double now);
    // A new referral from `place` reaches a hospital (its clock start is counted separately).
    void referral(std::uint32_t place, std::uint32_t specialty, double now);
    void cancer_treated(std::uint32_t hospital, double referral_time, double now);
    void cancellation(std::uint32_t hospital, double now);

    void beds(std::uint32_t hospital, double now, double occupied, double available,
              double medically_fit, double boarding);
    // An inpatient takes a bed (`change` +1) or gives it up (-1).
    void bed_use(const Inpatient& patient, double now, int change);
    // A spell ends at `now`: a discharge, or a same-day emergency admission that takes no bed
    // (`admitted` is when the patient was admitted, before any wait for a bed).
    void spell_ended(std::uint32_t hospital, bool emergency, double admitted, double now);
    void community(std::uint32_t place, std::size_t service, double now, double waiting,
                   double in_service);
    void community_started(std::uint32_t place, std::size_t service, double now, double wait);

    // Snapshots of stocks at the end of a reporting period (called at the period's end). The
    // monthly one also counts the open pathways by their priority now, which no counter can
    // follow (a review or a cancelled operation changes a waiting patient's priority).
    void week_ended(std::size_t week);
    void month_ended(std::size_t month, const PathwayPool& open_pathways);
    void finish(double horizon);

    [[nodiscard]] static sim::OutputSchema schema(const ScenarioTables& tables);
    void write(const sim::OutputSchema& schema, sim::ReplicationResult& result) const;

    [[nodiscard]] std::int64_t waiting_list_total() const;

  private:
    struct Recorded;
    // Every series Metrics records, each declared with the code that fills it: the schema and
    // `write` both go through this list.
    static std::vector<Recorded> recorded();
    void priority_census(std::size_t month, const PathwayPool& open_pathways);
    void snapshot(double period_end, std::vector<double>& by_band, std::vector<double>& by_unit,
                  std::vector<double>& diagnostics, std::vector<double>& diagnostics_6w,
                  std::vector<double>& stages, std::size_t period, bool monthly);

    const ScenarioTables& t_;
    std::size_t trusts_;
    std::size_t specialties_;
    std::size_t hospitals_;
    std::size_t places_;
    std::size_t units_;  // trusts + the system total

    WaitingCensus rtt_;                       // [trust * specialties + specialty]
    WaitingCensus diagnostics_;               // [hospital * modalities + modality]
    std::vector<std::int64_t> stage_counts_;  // [unit][stage], live

    PeriodCounts clock_starts_;  // [trust][specialty]
    PeriodCounts stops_admitted_;
    PeriodCounts stops_non_admitted_;
    PeriodCounts removals_;
    PeriodCounts activity_;        // [hospital][activity]
    PeriodCounts cancer_treated_;  // [unit]
    PeriodCounts cancer_within_62_;
    PeriodCounts cancellations_;     // [hospital]
    PeriodCounts community_starts_;  // [place][service]
    PeriodCounts community_wait_sum_;
    PeriodCounts referrals_;          // [place][specialty]
    PeriodCounts activity_by_place_;  // [place][activity]
    PeriodCounts spells_ended_;       // [hospital][admission method]
    PeriodCounts spell_days_;         // [hospital][admission method]: sum of lengths of stay

    std::vector<PeriodLevel> beds_occupied_;  // [hospital]
    std::vector<PeriodLevel> beds_available_;
    std::vector<PeriodLevel> beds_fit_;
    std::vector<PeriodLevel> boarding_;
    std::vector<PeriodLevel> community_waiting_;  // [place][service]
    std::vector<PeriodLevel> community_in_service_;
    // Occupied beds by [hospital][specialty, then emergency] and [hospital][age band, then
    // elective]: the model gives emergency stays an age band and elective stays a specialty.
    std::vector<std::int64_t> beds_in_use_by_specialty_;
    std::vector<std::int64_t> beds_in_use_by_age_;
    std::vector<PeriodLevel> beds_by_specialty_;
    std::vector<PeriodLevel> beds_by_age_;
    // The open pathways by current priority at each month's end:
    // [month][unit][priority][PriorityStat].
    std::vector<double> by_priority_;

    // Stock snapshots: [period][trust][specialty][band], [period][unit][statistic], ...
    struct Stocks {
        std::vector<double> bands;        // [p][trust][specialty][band]
        std::vector<double> units;        // [p][unit][kUnitStats]
        std::vector<double> diagnostics;  // [p][hospital][modality]
        std::vector<double> diagnostics_6w;
        std::vector<double> stages;  // [p][unit][stage]
    };
    Stocks weekly_;
    Stocks monthly_;
};

}  // namespace icsflow::models::blmk
