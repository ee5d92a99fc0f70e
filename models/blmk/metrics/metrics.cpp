#include "models/blmk/metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

namespace icsflow::models::blmk {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The RTT census counts clock starts from this many days before the first simulated day; earlier
// starts are folded into its first day (they are long waits either way).
constexpr std::int64_t kCensusDaysBefore = 1100;

// Statistics of the list by priority kept at each month's end, for each reporting unit.
enum PriorityStat : std::size_t {
    kPriorityTotal = 0,
    kPriorityAdmitted,  // of which with a decision to admit (on or returning to an admitted list)
    kPriorityWithin18,
    kPriorityMedian,
    kPriorityOver52,
    kPriorityStats
};

bool admitted_stage(std::uint8_t stage) {
    return stage == static_cast<std::uint8_t>(Stage::admitted_day_case) ||
           stage == static_cast<std::uint8_t>(Stage::admitted_inpatient);
}

// Statistics of the RTT list kept for each reporting unit (each trust and the system).
enum UnitStat : std::size_t {
    kTotal = 0,
    kWithin18,
    kMedian,
    kP92,
    kOver52,
    kOver78,
    kOver104,
    kUnitStats
};

double ratio(double numerator, double denominator) {
    return denominator > 0.0 ? numerator / denominator : kNaN;
}

}  // namespace

const char* activity_name(std::size_t a) {
    static constexpr const char* names[] = {
        "outpatient_first",   "outpatient_follow_up",  "diagnostics_mri",
        "diagnostics_ct",     "diagnostics_endoscopy", "day_case",
        "elective_inpatient", "emergency_admission",   "other_non_elective",
        "ae_attendance",      "independent_sector"};
    return a < kActivities ? names[a] : "?";
}

const char* admission_method_name(std::size_t m) {
    static constexpr const char* names[] = {"elective", "emergency"};
    return m < kAdmissionMethods ? names[m] : "?";
}

const char* phase3_measure_name(std::size_t m) {
    static constexpr const char* names[] = {"elective", "outpatient", "diagnostic", "endoscopy",
                                            "non_elective"};
    return m < kPhase3Measures ? names[m] : "?";
}

PeriodCounts::PeriodCounts(const sim::ReportingPeriods& weeks, const sim::ReportingPeriods& months,
                           std::size_t cells)
    : weeks_(&weeks),
      months_(&months),
      cells_(cells),
      weekly_(weeks.size() * cells, 0.0),
      monthly_(months.size() * cells, 0.0) {}

void PeriodCounts::add(double time, std::size_t cell, double amount) {
    const std::size_t w = weeks_->index_of(time);
    if (w < weeks_->size()) {
        weekly_[w * cells_ + cell] += amount;
    }
    const std::size_t m = months_->index_of(time);
    if (m < months_->size()) {
        monthly_[m * cells_ + cell] += amount;
    }
}

Metrics::Metrics(const ScenarioTables& tables)
    : t_(tables),
      trusts_(tables.p.trusts.size()),
      specialties_(tables.p.specialties.size()),
      hospitals_(tables.p.hospitals.size()),
      places_(tables.p.places.size()),
      units_(trusts_ + 1),
      rtt_(trusts_ * specialties_, tables.first_day - kCensusDaysBefore,
           static_cast<std::int64_t>(std::ceil(tables.horizon)) + 1),
      diagnostics_(hospitals_ * kModalities, tables.first_day - kCensusDaysBefore,
                   static_cast<std::int64_t>(std::ceil(tables.horizon)) + 1),
      stage_counts_(units_ * kStages, 0),
      clock_starts_(tables.weeks, tables.months, trusts_ * specialties_),
      stops_admitted_(tables.weeks, tables.months, trusts_ * specialties_),
      stops_non_admitted_(tables.weeks, tables.months, trusts_ * specialties_),
      removals_(tables.weeks, tables.months, trusts_ * specialties_),
      activity_(tables.weeks, tables.months, hospitals_ * kActivities),
      cancer_treated_(tables.weeks, tables.months, units_),
      cancer_within_62_(tables.weeks, tables.months, units_),
      cancellations_(tables.weeks, tables.months, hospitals_),
      community_starts_(tables.weeks, tables.months, places_ * kCommunityServices),
      community_wait_sum_(tables.weeks, tables.months, places_ * kCommunityServices),
      referrals_(tables.weeks, tables.months, places_ * specialties_),
      activity_by_place_(tables.weeks, tables.months, places_ * kActivities),
      spells_ended_(tables.weeks, tables.months, hospitals_ * kAdmissionMethods),
      spell_days_(tables.weeks, tables.months, hospitals_ * kAdmissionMethods),
      beds_in_use_by_specialty_(hospitals_ * (specialties_ + 1), 0),
      beds_in_use_by_age_(hospitals_ * (kAgeBands + 1), 0),
      by_priority_(tables.months.size() * units_ * kPriorities * kPriorityStats, kNaN) {
    for (std::size_t h = 0; h < hospitals_; ++h) {
        beds_occupied_.emplace_back(tables.weeks, tables.months);
        beds_available_.emplace_back(tables.weeks, tables.months);
        beds_fit_.emplace_back(tables.weeks, tables.months);
        boarding_.emplace_back(tables.weeks, tables.months);
    }
    for (std::size_t i = 0; i < places_ * kCommunityServices; ++i) {
        community_waiting_.emplace_back(tables.weeks, tables.months);
        community_in_service_.emplace_back(tables.weeks, tables.months);
    }
    for (std::size_t i = 0; i < beds_in_use_by_specialty_.size(); ++i) {
        beds_by_specialty_.emplace_back(tables.weeks, tables.months);
    }
    for (std::size_t i = 0; i < beds_in_use_by_age_.size(); ++i) {
        beds_by_age_.emplace_back(tables.weeks, tables.months);
    }
    auto size = [&](Stocks& s, std::size_t periods) {
        s.bands.assign(periods * trusts_ * specialties_ * kWaitBands, 0.0);
        s.units.assign(periods * units_ * kUnitStats, kNaN);
        s.diagnostics.assign(periods * hospitals_ * kModalities, 0.0);
        s.diagnostics_6w.assign(periods * hospitals_ * kModalities, 0.0);
        s.stages.assign(periods * units_ * kStages, 0.0);
    };
    size(weekly_, tables.weeks.size());
    size(monthly_, tables.months.size());
}

void Metrics::clock_started(std::uint32_t hospital, std::uint32_t specialty, double clock_start,
                            double now, bool new_referral) {
    const std::size_t trust = t_.p.trust_of(hospital);
    rtt_.add(trust * specialties_ + specialty, clock_start);
    if (new_referral) {
        clock_starts_.add(now, trust * specialties_ + specialty);
    }
}

void Metrics::clock_restarted(std::uint32_t hospital, std::uint32_t specialty, double old_start,
                              double new_start) {
    const std::size_t group = t_.p.trust_of(hospital) * specialties_ + specialty;
    rtt_.remove(group, old_start);
    rtt_.add(group, new_start);
}

void Metrics::clock_stopped(std::uint32_t hospital, std::uint32_t specialty, double clock_start,
                            ClockStop how, double now) {
    const std::size_t cell = t_.p.trust_of(hospital) * specialties_ + specialty;
    rtt_.remove(cell, clock_start);
    switch (how) {
        case ClockStop::admitted:
            stops_admitted_.add(now, cell);
            break;
        case ClockStop::non_admitted:
            stops_non_admitted_.add(now, cell);
            break;
        case ClockStop::removed:
            removals_.add(now, cell);
            break;
    }
}

void Metrics::stage_changed(std::uint32_t hospital, int from_stage, int to_stage) {
    const std::size_t trust = t_.p.trust_of(hospital);
    for (const std::size_t unit : {trust, units_ - 1}) {
        if (from_stage >= 0) {
            --stage_counts_[unit * kStages + static_cast<std::size_t>(from_stage)];
        }
        if (to_stage >= 0) {
            ++stage_counts_[unit * kStages + static_cast<std::size_t>(to_stage)];
        }
    }
}

void Metrics::diagnostic_joined(std::uint32_t hospital, std::uint32_t modality, double since) {
    diagnostics_.add(hospital * kModalities + modality, since);
}

void Metrics::diagnostic_left(std::uint32_t hospital, std::uint32_t modality, double since) {
    diagnostics_.remove(hospital * kModalities + modality, since);
}

void Metrics::activity(std::uint32_t hospital, Activity what, double now, double count) {
    activity_.add(now, hospital * kActivities + static_cast<std::size_t>(what), count);
}

void Metrics::patient_activity(std::uint32_t hospital, std::uint32_t place, Activity what,
                               double now) {
    activity(hospital, what, now);
    activity_by_place_.add(now, place * kActivities + static_cast<std::size_t>(what));
}

void Metrics::referral(std::uint32_t place, std::uint32_t specialty, double now) {
    referrals_.add(now, place * specialties_ + specialty);
}

void Metrics::cancer_treated(std::uint32_t hospital, double referral_time, double now) {
    const std::size_t trust = t_.p.trust_of(hospital);
    const bool within = now - referral_time <= 62.0;
    for (const std::size_t unit : {trust, units_ - 1}) {
        cancer_treated_.add(now, unit);
        if (within) {
            cancer_within_62_.add(now, unit);
        }
    }
}

void Metrics::cancellation(std::uint32_t hospital, double now) {
    cancellations_.add(now, hospital);
}

void Metrics::beds(std::uint32_t hospital, double now, double occupied, double available,
                   double medically_fit, double boarding) {
    beds_occupied_[hospital].set(now, occupied);
    beds_available_[hospital].set(now, available);
    beds_fit_[hospital].set(now, medically_fit);
    boarding_[hospital].set(now, boarding);
}

void Metrics::bed_use(const Inpatient& patient, double now, int change) {
    // The model draws a specialty for elective and planned stays and an age band for emergency
    // ones, not both: each breakdown gives the other kind a column of its own, so that each adds
    // up to every occupied bed.
    const bool emergency = patient.kind == StayKind::emergency;
    const std::size_t by_specialty =
        patient.hospital * (specialties_ + 1) + (emergency ? specialties_ : patient.specialty);
    const std::size_t by_age =
        patient.hospital * (kAgeBands + 1) + (emergency ? patient.age_band : kAgeBands);
    beds_in_use_by_specialty_[by_specialty] += change;
    beds_in_use_by_age_[by_age] += change;
    beds_by_specialty_[by_specialty].set(
        now, static_cast<double>(beds_in_use_by_specialty_[by_specialty]));
    beds_by_age_[by_age].set(now, static_cast<double>(beds_in_use_by_age_[by_age]));
}

void Metrics::spell_ended(std::uint32_t hospital, bool emergency, double admitted, double now) {
    const std::size_t cell = hospital * kAdmissionMethods + (emergency ? 1 : 0);
    spells_ended_.add(now, cell);
    // Length of stay as the hospital statistics count it: days from the admission date to the
    // discharge date (a same-day stay is 0), counted in the period the spell ends.
    spell_days_.add(now, cell, std::floor(now) - std::floor(admitted));
}

void Metrics::community(std::uint32_t place, std::size_t service, double now, double waiting,
                        double in_service) {
    community_waiting_[place * kCommunityServices + service].set(now, waiting);
    community_in_service_[place * kCommunityServices + service].set(now, in_service);
}

void Metrics::community_started(std::uint32_t place, std::size_t service, double now, double wait) {
    community_starts_.add(now, place * kCommunityServices + service);
    community_wait_sum_.add(now, place * kCommunityServices + service, wait);
}

std::int64_t Metrics::waiting_list_total() const {
    std::int64_t total = 0;
    for (std::size_t g = 0; g < trusts_ * specialties_; ++g) {
        total += rtt_.total(g);
    }
    return total;
}

void Metrics::snapshot(double period_end, std::vector<double>& bands, std::vector<double>& units,
                       std::vector<double>& diagnostics, std::vector<double>& diagnostics_6w,
                       std::vector<double>& stages, std::size_t period, bool) {
    // The census day is the period's last day; weeks waited = whole weeks from the clock start.
    const std::int64_t census_day = static_cast<std::int64_t>(std::ceil(period_end)) - 1;
    std::vector<double> weeks;
    std::vector<std::vector<double>> unit_weeks(units_,
                                                std::vector<double>(WaitingCensus::kMaxWeeks + 1));
    for (std::size_t trust = 0; trust < trusts_; ++trust) {
        for (std::size_t s = 0; s < specialties_; ++s) {
            rtt_.weeks_waited(trust * specialties_ + s, census_day, weeks);
            const WaitSummary summary = summarise_waits(weeks);
            for (std::size_t b = 0; b < kWaitBands; ++b) {
                bands[((period * trusts_ + trust) * specialties_ + s) * kWaitBands + b] =
                    summary.bands[b];
            }
            for (std::size_t w = 0; w < weeks.size(); ++w) {
                unit_weeks[trust][w] += weeks[w];
                unit_weeks[units_ - 1][w] += weeks[w];
            }
        }
    }
    for (std::size_t u = 0; u < units_; ++u) {
        const WaitSummary s = summarise_waits(unit_weeks[u]);
        double* row = &units[(period * units_ + u) * kUnitStats];
        row[kTotal] = s.total;
        row[kWithin18] = s.within_18_share;
        row[kMedian] = s.median_weeks;
        row[kP92] = s.p92_weeks;
        row[kOver52] = s.over_52;
        row[kOver78] = s.over_78;
        row[kOver104] = s.over_104;
        for (std::size_t st = 0; st < kStages; ++st) {
            stages[(period * units_ + u) * kStages + st] =
                static_cast<double>(stage_counts_[u * kStages + st]);
        }
    }
    for (std::size_t g = 0; g < hospitals_ * kModalities; ++g) {
        diagnostics[period * hospitals_ * kModalities + g] =
            static_cast<double>(diagnostics_.total(g));
        diagnostics_6w[period * hospitals_ * kModalities + g] =
            static_cast<double>(diagnostics_.waiting_at_least(g, census_day, 42));
    }
}

void Metrics::week_ended(std::size_t week) {
    snapshot(t_.weeks.end(week), weekly_.bands, weekly_.units, weekly_.diagnostics,
             weekly_.diagnostics_6w, weekly_.stages, week, false);
}

void Metrics::month_ended(std::size_t month, const PathwayPool& open_pathways) {
    snapshot(t_.months.end(month), monthly_.bands, monthly_.units, monthly_.diagnostics,
             monthly_.diagnostics_6w, monthly_.stages, month, true);
    priority_census(month, open_pathways);
}

void Metrics::priority_census(std::size_t month, const PathwayPool& open_pathways) {
    // Weeks waited exactly as the RTT census counts them (WaitingCensus): whole weeks from the
    // clock-start day to the month's last day, early starts folded into the census's first day.
    const std::int64_t census_day = static_cast<std::int64_t>(std::ceil(t_.months.end(month))) - 1;
    const std::int64_t first_day = t_.first_day - kCensusDaysBefore;
    constexpr std::size_t kWeeks = WaitingCensus::kMaxWeeks + 1;
    // Counted per trust in one pass (the system's rows are the trusts' sums, added below).
    std::vector<std::uint32_t> counts(units_ * kPriorities * kWeeks, 0);
    std::vector<double> admitted(units_ * kPriorities, 0.0);
    const std::vector<std::uint32_t>& trust_of = t_.p.trust_index;
    open_pathways.for_each_in_use([&](const Pathway& pathway) {
        const std::int64_t start_day =
            std::max(static_cast<std::int64_t>(std::floor(pathway.clock_start)), first_day);
        if (start_day > census_day) {
            return;  // not yet on the census (as in WaitingCensus)
        }
        const std::size_t week = std::min<std::size_t>(
            static_cast<std::size_t>((census_day - start_day) / 7), WaitingCensus::kMaxWeeks);
        const std::size_t cell = trust_of[pathway.hospital] * kPriorities +
                                 std::clamp<std::size_t>(pathway.priority, 1, kPriorities) - 1;
        ++counts[cell * kWeeks + week];
        if (admitted_stage(pathway.stage)) {
            admitted[cell] += 1.0;
        }
    });
    const std::size_t system = (units_ - 1) * kPriorities;
    for (std::size_t cell = 0; cell < system; ++cell) {
        for (std::size_t w = 0; w < kWeeks; ++w) {
            counts[(system + cell % kPriorities) * kWeeks + w] += counts[cell * kWeeks + w];
        }
        admitted[system + cell % kPriorities] += admitted[cell];
    }
    std::vector<double> histogram;
    for (std::size_t cell = 0; cell < units_ * kPriorities; ++cell) {
        histogram.assign(counts.begin() + static_cast<std::ptrdiff_t>(cell * kWeeks),
                         counts.begin() + static_cast<std::ptrdiff_t>((cell + 1) * kWeeks));
        const WaitSummary summary = summarise_waits(histogram);
        double* row = &by_priority_[(month * units_ * kPriorities + cell) * kPriorityStats];
        row[kPriorityTotal] = summary.total;
        row[kPriorityAdmitted] = admitted[cell];
        row[kPriorityWithin18] = summary.within_18_share;
        row[kPriorityMedian] = summary.median_weeks;
        row[kPriorityOver52] = summary.over_52;
    }
}

void Metrics::finish(double horizon) {
    for (auto* levels :
         {&beds_occupied_, &beds_available_, &beds_fit_, &boarding_, &community_waiting_,
          &community_in_service_, &beds_by_specialty_, &beds_by_age_}) {
        for (PeriodLevel& level : *levels) {
            level.finish(horizon);
        }
    }
}

// A series Metrics records, declared with the code that fills it from what was recorded.
struct Metrics::Recorded {
    sim::SeriesSpec spec;  // on the month axis; the weekly twin adds "_weekly" and the week axis
    bool weekly_twin = true;
    // Fills the series of one frequency (`monthly`, else weekly) with `periods` periods.
    std::function<void(const Metrics&, bool monthly, const sim::ReportingPeriods& periods,
                       std::vector<double>& out)>
        fill;
};

std::vector<Metrics::Recorded> Metrics::recorded() {
    using K = sim::SeriesKind;
    using Fill = decltype(Recorded::fill);
    // A stock snapshot as taken at each period's end.
    auto stock = [](std::vector<double> Stocks::*member) {
        return Fill([member](const Metrics& m, bool monthly, const sim::ReportingPeriods&,
                             std::vector<double>& out) {
            out = (monthly ? m.monthly_ : m.weekly_).*member;
        });
    };
    // One statistic of each reporting unit's list at each period's end.
    auto unit_stat = [](UnitStat stat) {
        return Fill([stat](const Metrics& m, bool monthly, const sim::ReportingPeriods& periods,
                           std::vector<double>& out) {
            const Stocks& st = monthly ? m.monthly_ : m.weekly_;
            for (std::size_t per = 0; per < periods.size(); ++per) {
                for (std::size_t u = 0; u < m.units_; ++u) {
                    out[per * m.units_ + u] = st.units[(per * m.units_ + u) * kUnitStats + stat];
                }
            }
        });
    };
    // A count per period and cell, as recorded; cells whose `known` is false have no value.
    auto counts = [](PeriodCounts Metrics::*member, std::function<bool(std::size_t)> known) {
        return Fill([member, known](const Metrics& m, bool monthly,
                                    const sim::ReportingPeriods& periods,
                                    std::vector<double>& out) {
            const PeriodCounts& c = m.*member;
            for (std::size_t per = 0; per < periods.size(); ++per) {
                for (std::size_t cell = 0; cell < c.cells(); ++cell) {
                    if (known(cell)) {
                        out[per * c.cells() + cell] =
                            monthly ? c.monthly(per, cell) : c.weekly(per, cell);
                    }
                }
            }
        });
    };
    const auto every_cell = [](std::size_t) { return true; };
    // Bed-days in each period: the time-average of beds occupied times the period's length.
    auto bed_days = [](std::vector<PeriodLevel> Metrics::*member) {
        return Fill([member](const Metrics& m, bool monthly, const sim::ReportingPeriods& periods,
                             std::vector<double>& out) {
            const std::vector<PeriodLevel>& levels = m.*member;
            for (std::size_t per = 0; per < periods.size(); ++per) {
                const double days = periods.end(per) - periods.start(per);
                for (std::size_t i = 0; i < levels.size(); ++i) {
                    const sim::LevelRecorder& r =
                        monthly ? levels[i].monthly() : levels[i].weekly();
                    out[per * levels.size() + i] = r.mean(per) * days;
                }
            }
        });
    };
    // A statistic of the month-end census by priority (monthly only: the census visits every
    // open pathway, done once a month).
    auto by_priority = [](PriorityStat stat) {
        return Fill([stat](const Metrics& m, bool, const sim::ReportingPeriods& periods,
                           std::vector<double>& out) {
            const std::size_t cells = m.units_ * kPriorities;
            for (std::size_t per = 0; per < periods.size(); ++per) {
                for (std::size_t cell = 0; cell < cells; ++cell) {
                    out[per * cells + cell] =
                        m.by_priority_[(per * cells + cell) * kPriorityStats + stat];
                }
            }
        });
    };
    // The points of delivery of patients whose place the model knows: not A&E attendances or
    // other non-elective spells, drawn as daily counts per hospital.
    const auto place_known = [](std::size_t cell) {
        const auto what = static_cast<Activity>(cell % kActivities);
        return what != Activity::ae_attendance && what != Activity::other_non_elective;
    };

    // The time-average (or the maximum) of a level in each period.
    auto levels = [](std::vector<PeriodLevel> Metrics::*member, bool maximum) {
        return Fill([member, maximum](const Metrics& m, bool monthly,
                                      const sim::ReportingPeriods& periods,
                                      std::vector<double>& out) {
            const std::vector<PeriodLevel>& v = m.*member;
            for (std::size_t per = 0; per < periods.size(); ++per) {
                for (std::size_t i = 0; i < v.size(); ++i) {
                    const sim::LevelRecorder& r = monthly ? v[i].monthly() : v[i].weekly();
                    out[per * v.size() + i] = maximum ? r.maximum(per) : r.mean(per);
                }
            }
        });
    };
    // numerator / denominator of two recorded counts in each period and cell (NaN when the
    // denominator is 0): a share, or a mean from a sum and a count.
    auto counts_ratio = [](PeriodCounts Metrics::*numerator, PeriodCounts Metrics::*denominator) {
        return Fill([numerator, denominator](const Metrics& m, bool monthly,
                                             const sim::ReportingPeriods& periods,
                                             std::vector<double>& out) {
            const PeriodCounts& n = m.*numerator;
            const PeriodCounts& d = m.*denominator;
            for (std::size_t per = 0; per < periods.size(); ++per) {
                for (std::size_t cell = 0; cell < d.cells(); ++cell) {
                    out[per * d.cells() + cell] =
                        monthly ? ratio(n.monthly(per, cell), d.monthly(per, cell))
                                : ratio(n.weekly(per, cell), d.weekly(per, cell));
                }
            }
        });
    };
    const std::vector<std::string> unit_priority{"reporting_unit", "priority"};
    return {
        // The RTT list at each period's end.
        {{"incomplete_pathways",
          "incomplete RTT pathways (the waiting list)",
          "pathways",
          "month",
          {"trust", "specialty", "wait_band"},
          K::stock},
         true,
         stock(&Stocks::bands)},
        {{"waiting_list",
          "incomplete RTT pathways, total",
          "pathways",
          "month",
          {"reporting_unit"},
          K::stock},
         true,
         unit_stat(kTotal)},
        {{"within_18_weeks_share",
          "share of the list waiting under 18 weeks",
          "1",
          "month",
          {"reporting_unit"},
          K::statistic},
         true,
         unit_stat(kWithin18)},
        {{"median_wait_weeks",
          "median wait of the list",
          "weeks",
          "month",
          {"reporting_unit"},
          K::statistic},
         true,
         unit_stat(kMedian)},
        {{"p92_wait_weeks",
          "92nd percentile wait of the list",
          "weeks",
          "month",
          {"reporting_unit"},
          K::statistic},
         true,
         unit_stat(kP92)},
        {{"over_52_weeks",
          "pathways waiting 52 weeks or more",
          "pathways",
          "month",
          {"reporting_unit"},
          K::stock},
         true,
         unit_stat(kOver52)},
        {{"over_78_weeks",
          "pathways waiting 78 weeks or more",
          "pathways",
          "month",
          {"reporting_unit"},
          K::stock},
         true,
         unit_stat(kOver78)},
        {{"over_104_weeks",
          "pathways waiting 104 weeks or more",
          "pathways",
          "month",
          {"reporting_unit"},
          K::stock},
         true,
         unit_stat(kOver104)},
        {{"waiting_by_stage",
          "incomplete pathways by the list they are on",
          "pathways",
          "month",
          {"reporting_unit", "stage"},
          K::stock},
         true,
         stock(&Stocks::stages)},
        // Flows onto and off the list, and activity.
        {{"clock_starts",
          "RTT clock starts (referrals reaching a modelled hospital)",
          "pathways",
          "month",
          {"trust", "specialty"},
          K::flow},
         true,
         counts(&Metrics::clock_starts_, every_cell)},
        {{"clock_stops_admitted",
          "admitted clock stops (treatment as a day case or inpatient)",
          "pathways",
          "month",
          {"trust", "specialty"},
          K::flow},
         true,
         counts(&Metrics::stops_admitted_, every_cell)},
        {{"clock_stops_non_admitted",
          "non-admitted clock stops (treated or discharged in clinic, or after DNAs)",
          "pathways",
          "month",
          {"trust", "specialty"},
          K::flow},
         true,
         counts(&Metrics::stops_non_admitted_, every_cell)},
        {{"removals_other_than_treatment",
          "removals from the list other than treatment",
          "pathways",
          "month",
          {"trust", "specialty"},
          K::flow},
         true,
         counts(&Metrics::removals_, every_cell)},
        {{"activity",
          "activity by point of delivery",
          "attendances or spells",
          "month",
          {"provider", "point_of_delivery"},
          K::flow},
         true,
         counts(&Metrics::activity_, every_cell)},
        {{"diagnostic_waiting",
          "patients waiting for a test",
          "patients",
          "month",
          {"provider", "modality"},
          K::stock},
         true,
         stock(&Stocks::diagnostics)},
        {{"diagnostic_waiting_over_6_weeks",
          "patients waiting 6 weeks or more for a test",
          "patients",
          "month",
          {"provider", "modality"},
          K::stock},
         true,
         stock(&Stocks::diagnostics_6w)},
        {{"cancer_treatments",
          "first treatments after a suspected-cancer referral",
          "patients",
          "month",
          {"reporting_unit"},
          K::flow},
         true,
         counts(&Metrics::cancer_treated_, every_cell)},
        {{"cancer_treated_within_62_days",
          "... of which within 62 days of referral",
          "patients",
          "month",
          {"reporting_unit"},
          K::flow},
         true,
         counts(&Metrics::cancer_within_62_, every_cell)},
        {{"cancer_62_day_share",
          "share of cancer treatments within 62 days",
          "1",
          "month",
          {"reporting_unit"},
          K::statistic},
         true,
         counts_ratio(&Metrics::cancer_within_62_, &Metrics::cancer_treated_)},
        // Beds.
        {{"beds_occupied",
          "general and acute beds occupied",
          "beds",
          "month",
          {"provider"},
          K::time_mean},
         true,
         levels(&Metrics::beds_occupied_, false)},
        {{"beds_occupied_peak",
          "general and acute beds occupied, peak",
          "beds",
          "month",
          {"provider"},
          K::maximum},
         true,
         levels(&Metrics::beds_occupied_, true)},
        {{"beds_available",
          "general and acute beds open",
          "beds",
          "month",
          {"provider"},
          K::time_mean},
         true,
         levels(&Metrics::beds_available_, false)},
        {{"bed_occupancy_share",
          "mean occupied / mean open beds",
          "1",
          "month",
          {"provider"},
          K::statistic},
         true,
         [](const Metrics& m, bool monthly, const sim::ReportingPeriods& periods,
            std::vector<double>& out) {
             for (std::size_t per = 0; per < periods.size(); ++per) {
                 for (std::size_t h = 0; h < m.hospitals_; ++h) {
                     const auto& occ =
                         monthly ? m.beds_occupied_[h].monthly() : m.beds_occupied_[h].weekly();
                     const auto& av =
                         monthly ? m.beds_available_[h].monthly() : m.beds_available_[h].weekly();
                     out[per * m.hospitals_ + h] = ratio(occ.mean(per), av.mean(per));
                 }
             }
         }},
        {{"beds_medically_fit",
          "beds held by medically fit patients (delayed transfers)",
          "beds",
          "month",
          {"provider"},
          K::time_mean},
         true,
         levels(&Metrics::beds_fit_, false)},
        {{"emergency_waiting_for_bed",
          "emergency patients admitted but waiting for a bed",
          "patients",
          "month",
          {"provider"},
          K::time_mean},
         true,
         levels(&Metrics::boarding_, false)},
        {{"on_the_day_cancellations",
          "elective operations cancelled on the day for want of a bed",
          "operations",
          "month",
          {"provider"},
          K::flow},
         true,
         counts(&Metrics::cancellations_, every_cell)},
        // Community services.
        {{"community_waiting",
          "patients in hospital waiting for the service",
          "patients",
          "month",
          {"place", "community_service"},
          K::time_mean},
         true,
         levels(&Metrics::community_waiting_, false)},
        {{"community_in_service",
          "clients receiving the service",
          "clients",
          "month",
          {"place", "community_service"},
          K::time_mean},
         true,
         levels(&Metrics::community_in_service_, false)},
        {{"community_starts",
          "clients starting the service",
          "clients",
          "month",
          {"place", "community_service"},
          K::flow},
         true,
         counts(&Metrics::community_starts_, every_cell)},
        {{"community_wait_days",
          "mean wait from referral to start of those starting",
          "days",
          "month",
          {"place", "community_service"},
          K::statistic},
         true,
         counts_ratio(&Metrics::community_wait_sum_, &Metrics::community_starts_)},
        // The breakdowns planners asked for: by priority, place, specialty, age band, hospital.
        {{"waiting_list_by_priority",
          "incomplete RTT pathways by their priority now (after any review or rebooking)",
          "pathways", "month", unit_priority, K::stock},
         false,
         by_priority(kPriorityTotal)},
        {{"admitted_waiting_by_priority",
          "... of which with a decision to admit (on an admitted list, or returning to one)",
          "pathways", "month", unit_priority, K::stock},
         false,
         by_priority(kPriorityAdmitted)},
        {{"within_18_weeks_share_by_priority", "share of the priority's pathways under 18 weeks",
          "1", "month", unit_priority, K::statistic},
         false,
         by_priority(kPriorityWithin18)},
        {{"median_wait_weeks_by_priority", "median wait of the priority's pathways", "weeks",
          "month", unit_priority, K::statistic},
         false,
         by_priority(kPriorityMedian)},
        {{"over_52_weeks_by_priority", "the priority's pathways waiting 52 weeks or more",
          "pathways", "month", unit_priority, K::stock},
         false,
         by_priority(kPriorityOver52)},
        {{"referrals_by_place",
          "new referrals reaching a modelled hospital, by the patient's place",
          "pathways",
          "month",
          {"place", "specialty"},
          K::flow},
         true,
         counts(&Metrics::referrals_, every_cell)},
        {{"activity_by_place",
          "activity of patients whose place is known (pathway patients, emergency admissions)",
          "attendances or spells",
          "month",
          {"place", "point_of_delivery"},
          K::flow},
         true,
         counts(&Metrics::activity_by_place_, place_known)},
        {{"bed_days_by_specialty",
          "general and acute bed-days occupied, by specialty",
          "bed-days",
          "month",
          {"provider", "bed_specialty"},
          K::flow},
         true,
         bed_days(&Metrics::beds_by_specialty_)},
        {{"bed_days_by_age_band",
          "general and acute bed-days occupied, by age band",
          "bed-days",
          "month",
          {"provider", "bed_age_band"},
          K::flow},
         true,
         bed_days(&Metrics::beds_by_age_)},
        {{"spells_ended",
          "hospital spells ended (discharges, and same-day emergency admissions)",
          "spells",
          "month",
          {"provider", "admission_method"},
          K::flow},
         true,
         counts(&Metrics::spells_ended_, every_cell)},
        {{"mean_length_of_stay",
          "mean length of stay of the spells ended (discharge date - "
          "admission date)",
          "days",
          "month",
          {"provider", "admission_method"},
          K::statistic},
         true,
         counts_ratio(&Metrics::spell_days_, &Metrics::spells_ended_)},
    };
}

sim::OutputSchema Metrics::schema(const ScenarioTables& t) {
    const BlmkParameters& p = t.p;
    sim::OutputSchema schema;
    schema.add_time_axis(t.months.axis("month", "calendar month"));
    schema.add_time_axis(t.weeks.axis("week", "reporting week (7 days from the start date)"));

    std::vector<std::string> specialties;
    for (const auto& s : p.specialties) {
        specialties.push_back(s.id);
    }
    std::vector<std::string> hospitals;
    for (const auto& h : p.hospitals) {
        hospitals.push_back(h.id);
    }
    std::vector<std::string> places;
    for (const auto& pl : p.places) {
        places.push_back(pl.id);
    }
    std::vector<std::string> units = p.trusts;
    units.emplace_back("BLMK (all modelled hospitals)");
    auto labels = [](std::size_t n, const char* (*name)(std::size_t)) {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < n; ++i) {
            out.emplace_back(name(i));
        }
        return out;
    };
    schema.add_category_axis({"trust", "NHS trust (hospitals reported together)", p.trusts});
    schema.add_category_axis({"reporting_unit", "trust, or all modelled hospitals", units});
    schema.add_category_axis({"provider", "hospital", hospitals});
    schema.add_category_axis({"specialty", "specialty group", specialties});
    schema.add_category_axis({"wait_band", "weeks waited since the RTT clock start",
                              labels(kWaitBands, wait_band_name)});
    schema.add_category_axis({"stage", "stage of the pathway", labels(kStages, stage_name)});
    schema.add_category_axis(
        {"point_of_delivery", "point of delivery", labels(kActivities, activity_name)});
    schema.add_category_axis({"phase3_measure", "activity measure of the Phase 3 letter",
                              labels(kPhase3Measures, phase3_measure_name)});
    schema.add_category_axis({"modality", "diagnostic test", labels(kModalities, modality_name)});
    schema.add_category_axis({"place", "place (local authority or out-of-area catchment)", places});
    schema.add_category_axis({"community_service", "community service after discharge",
                              labels(kCommunityServices, community_service_name)});
    std::vector<std::string> priorities;
    for (std::size_t k = 0; k < kPriorities; ++k) {
        priorities.push_back("P" + std::to_string(k + 1));
    }
    schema.add_category_axis(
        {"priority", "clinical priority of the pathway now (P1 most urgent)", priorities});
    std::vector<std::string> bed_specialties = specialties;
    bed_specialties.emplace_back("emergency (specialty not modelled)");
    schema.add_category_axis({"bed_specialty",
                              "specialty of an elective or planned stay; emergency stays apart",
                              bed_specialties});
    std::vector<std::string> bed_age_bands = labels(kAgeBands, age_band_name);
    bed_age_bands.emplace_back("elective or planned (age not modelled)");
    schema.add_category_axis({"bed_age_band",
                              "age band of an emergency stay; elective and planned stays apart",
                              bed_age_bands});
    schema.add_category_axis({"admission_method", "how the spell began",
                              labels(kAdmissionMethods, admission_method_name)});

    // Every monthly series, then the weekly twins.
    const std::vector<Recorded> series = recorded();
    for (const Recorded& r : series) {
        schema.add_series(r.spec);
    }
    for (const Recorded& r : series) {
        if (r.weekly_twin) {
            sim::SeriesSpec weekly = r.spec;
            weekly.name += "_weekly";
            weekly.time_axis = "week";
            schema.add_series(std::move(weekly));
        }
    }
    return schema;
}

void Metrics::write(const sim::OutputSchema& schema, sim::ReplicationResult& result) const {
    for (const Recorded& r : recorded()) {
        r.fill(*this, true, t_.months, result.series[schema.series_id(r.spec.name)]);
        if (r.weekly_twin) {
            r.fill(*this, false, t_.weeks,
                   result.series[schema.series_id(r.spec.name + "_weekly")]);
        }
    }
}

}  // namespace icsflow::models::blmk
