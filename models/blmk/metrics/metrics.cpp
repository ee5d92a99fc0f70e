#include "models/blmk/metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "models/blmk/metrics/targets.hpp"

namespace icsflow::models::blmk {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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

std::string format_threshold(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
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
      rtt_(trusts_ * specialties_, tables.first_day - 1100,
           static_cast<std::int64_t>(std::ceil(tables.horizon)) + 1),
      diagnostics_(hospitals_ * kModalities, tables.first_day - 1100,
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
      community_wait_sum_(tables.weeks, tables.months, places_ * kCommunityServices) {
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

void Metrics::month_ended(std::size_t month) {
    snapshot(t_.months.end(month), monthly_.bands, monthly_.units, monthly_.diagnostics,
             monthly_.diagnostics_6w, monthly_.stages, month, true);
}

void Metrics::finish(double horizon) {
    for (auto* levels : {&beds_occupied_, &beds_available_, &beds_fit_, &boarding_,
                         &community_waiting_, &community_in_service_}) {
        for (PeriodLevel& level : *levels) {
            level.finish(horizon);
        }
    }
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

    using K = sim::SeriesKind;
    for (const auto& [axis, suffix] :
         std::vector<std::pair<std::string, std::string>>{{"month", ""}, {"week", "_weekly"}}) {
        // Explicit captures of the bindings: clang 14 (the fuzz build) cannot capture them
        // implicitly.
        auto add = [&, &axis = axis, &suffix = suffix](
                       const std::string& name, const std::string& long_name,
                       const std::string& units_text, std::vector<std::string> dims, K kind) {
            schema.add_series({name + suffix, long_name, units_text, axis, std::move(dims), kind});
        };
        add("incomplete_pathways", "incomplete RTT pathways (the waiting list)", "pathways",
            {"trust", "specialty", "wait_band"}, K::stock);
        add("waiting_list", "incomplete RTT pathways, total", "pathways", {"reporting_unit"},
            K::stock);
        add("within_18_weeks_share", "share of the list waiting under 18 weeks", "1",
            {"reporting_unit"}, K::statistic);
        add("median_wait_weeks", "median wait of the list", "weeks", {"reporting_unit"},
            K::statistic);
        add("p92_wait_weeks", "92nd percentile wait of the list", "weeks", {"reporting_unit"},
            K::statistic);
        add("over_52_weeks", "pathways waiting 52 weeks or more", "pathways", {"reporting_unit"},
            K::stock);
        add("over_78_weeks", "pathways waiting 78 weeks or more", "pathways", {"reporting_unit"},
            K::stock);
        add("over_104_weeks", "pathways waiting 104 weeks or more", "pathways", {"reporting_unit"},
            K::stock);
        add("waiting_by_stage", "incomplete pathways by the list they are on", "pathways",
            {"reporting_unit", "stage"}, K::stock);
        add("clock_starts", "RTT clock starts (referrals reaching a modelled hospital)", "pathways",
            {"trust", "specialty"}, K::flow);
        add("clock_stops_admitted", "admitted clock stops (treatment as a day case or inpatient)",
            "pathways", {"trust", "specialty"}, K::flow);
        add("clock_stops_non_admitted",
            "non-admitted clock stops (treated or discharged in clinic, or after DNAs)", "pathways",
            {"trust", "specialty"}, K::flow);
        add("removals_other_than_treatment", "removals from the list other than treatment",
            "pathways", {"trust", "specialty"}, K::flow);
        add("activity", "activity by point of delivery", "attendances or spells",
            {"provider", "point_of_delivery"}, K::flow);
        add("diagnostic_waiting", "patients waiting for a test", "patients",
            {"provider", "modality"}, K::stock);
        add("diagnostic_waiting_over_6_weeks", "patients waiting 6 weeks or more for a test",
            "patients", {"provider", "modality"}, K::stock);
        add("cancer_treatments", "first treatments after a suspected-cancer referral", "patients",
            {"reporting_unit"}, K::flow);
        add("cancer_treated_within_62_days", "... of which within 62 days of referral", "patients",
            {"reporting_unit"}, K::flow);
        add("cancer_62_day_share", "share of cancer treatments within 62 days", "1",
            {"reporting_unit"}, K::statistic);
        add("beds_occupied", "general and acute beds occupied", "beds", {"provider"}, K::time_mean);
        add("beds_occupied_peak", "general and acute beds occupied, peak", "beds", {"provider"},
            K::maximum);
        add("beds_available", "general and acute beds open", "beds", {"provider"}, K::time_mean);
        add("bed_occupancy_share", "mean occupied / mean open beds", "1", {"provider"},
            K::statistic);
        add("beds_medically_fit", "beds held by medically fit patients (delayed transfers)", "beds",
            {"provider"}, K::time_mean);
        add("emergency_waiting_for_bed", "emergency patients admitted but waiting for a bed",
            "patients", {"provider"}, K::time_mean);
        add("on_the_day_cancellations",
            "elective operations cancelled on the day for want of a bed", "operations",
            {"provider"}, K::flow);
        add("community_waiting", "patients in hospital waiting for the service", "patients",
            {"place", "community_service"}, K::time_mean);
        add("community_in_service", "clients receiving the service", "clients",
            {"place", "community_service"}, K::time_mean);
        add("community_starts", "clients starting the service", "clients",
            {"place", "community_service"}, K::flow);
        add("community_wait_days", "mean wait from referral to start of those starting", "days",
            {"place", "community_service"}, K::statistic);
    }
    schema.add_series({"activity_vs_prior_year",
                       "BLMK activity as a share of the same month a year earlier",
                       "1",
                       "month",
                       {"phase3_measure"},
                       sim::SeriesKind::statistic});

    auto summary = [&](const std::string& name, const std::string& long_name,
                       const std::string& units_text, bool headline) {
        schema.add_summary({name, long_name, units_text, headline});
    };
    summary("list_first_month", "waiting list at the end of the first month", "pathways", false);
    summary("list_peak", "waiting list at its peak month (analysis window)", "pathways", true);
    schema.add_time_index_summary(
        {"list_peak_month", "month of the peak (index into /axes/month)", "month index", true},
        "month");
    summary("list_peak_vs_prior_year", "list at its peak / the same month a year earlier", "1",
            true);
    summary("list_end", "waiting list at the end", "pathways", true);
    summary("list_end_vs_prior_year", "list at the end / a year earlier", "1", true);
    summary("over_52_peak", "52+ week waiters at their peak month (analysis window)", "pathways",
            true);
    schema.add_time_index_summary(
        {"over_52_peak_month", "month of the 52-week peak (index into /axes/month)", "month index",
         false},
        "month");
    summary("over_52_end", "52+ week waiters at the end", "pathways", false);
    summary("census_list", "waiting list in the census month", "pathways", false);
    summary("census_within_18_weeks_share", "share under 18 weeks in the census month", "1", false);
    summary("census_median_wait_weeks", "median wait in the census month", "weeks", false);
    summary("census_p92_wait_weeks", "92nd percentile wait in the census month", "weeks", false);
    summary("census_over_52_weeks", "52+ week waiters in the census month", "pathways", false);
    for (std::size_t a = 0; a < kActivities; ++a) {
        summary(std::string("first_year_") + activity_name(a),
                std::string("first 12 months: ") + activity_name(a), "per year", false);
    }
    summary("first_year_clock_starts", "first 12 months: RTT clock starts", "per year", false);
    summary("first_year_admitted_stops", "first 12 months: admitted clock stops", "per year",
            false);
    summary("first_year_non_admitted_stops", "first 12 months: non-admitted clock stops",
            "per year", false);
    summary("first_year_removals", "first 12 months: removals other than treatment", "per year",
            false);
    summary("first_year_beds_occupied", "first 12 months: mean G&A beds occupied", "beds", false);
    summary("first_year_bed_occupancy_share", "first 12 months: mean occupancy", "1", false);
    summary("first_year_winter_occupancy_share",
            "first 12 months: mean occupancy in December to March", "1", false);
    summary("first_year_delayed_transfer_beds",
            "first 12 months: mean beds held by medically fit patients", "beds", false);
    summary("first_year_cancellations", "first 12 months: on-the-day cancellations", "per year",
            false);
    summary("first_year_cancer_62_day_share", "first 12 months: cancer treated within 62 days", "1",
            false);
    summary("first_year_diagnostic_over_6_weeks_share",
            "first 12 months: mean share of the diagnostic list waiting 6+ weeks", "1", false);
    for (const TargetParams& target : p.analysis.targets) {
        const std::string measure = target_measure_name(static_cast<std::size_t>(target.measure));
        summary("target_" + target.name + "_value",
                target.name + ": " + measure + " in " +
                    (target.month >= 0 ? t.months.label(static_cast<std::size_t>(target.month))
                                       : std::string("?")),
                target_is_ratio(target.measure) ? "1" : "pathways, beds or cases", true);
        sim::SummarySpec met{"target_" + target.name + "_met",
                             target.name + ": " + measure +
                                 (target_is_at_least(target.measure) ? " at least " : " at most ") +
                                 format_threshold(target.threshold) + " (1 met, 0 not)",
                             "1", true};
        met.indicator = true;
        schema.add_summary(met);
    }
    if (p.analysis.targets.size() > 1) {
        sim::SummarySpec all{"targets_all_met", "every target met (1) or not (0)", "1", true};
        all.indicator = true;
        schema.add_summary(all);
    }
    for (std::size_t s = 0; s < kStages; ++s) {
        const std::string stage = stage_name(s);
        summary("stage_" + stage + "_entered", "patients who joined the " + stage + " list",
                "pathways", false);
        summary("stage_" + stage + "_left", "patients who left the " + stage + " list", "pathways",
                false);
        summary("stage_" + stage + "_remaining",
                "patients on the " + stage + " list at the end (still in the system)", "pathways",
                false);
    }
    summary("pathways_open_at_end", "incomplete pathways at the end (censored, not lost)",
            "pathways", false);
    summary("inpatients_at_end", "patients in hospital beds or waiting for one at the end",
            "patients", false);
    summary("peak_patients_in_system", "largest number of pathway and inpatient records in use",
            "patients", false);
    return schema;
}

void Metrics::write(const sim::OutputSchema& schema, sim::ReplicationResult& result) const {
    const std::size_t ts = trusts_ * specialties_;
    auto series = [&](const std::string& name) -> std::vector<double>& {
        return result.series[schema.series_id(name)];
    };
    struct Frequency {
        std::string suffix;
        std::size_t periods;
        const Stocks* stocks;
        bool monthly;
    };
    const std::vector<Frequency> frequencies{{"", t_.months.size(), &monthly_, true},
                                             {"_weekly", t_.weeks.size(), &weekly_, false}};
    for (const Frequency& f : frequencies) {
        const Stocks& st = *f.stocks;
        series("incomplete_pathways" + f.suffix) = st.bands;
        auto unit_stat = [&](const std::string& name, std::size_t stat) {
            auto& out = series(name + f.suffix);
            for (std::size_t per = 0; per < f.periods; ++per) {
                for (std::size_t u = 0; u < units_; ++u) {
                    out[per * units_ + u] = st.units[(per * units_ + u) * kUnitStats + stat];
                }
            }
        };
        unit_stat("waiting_list", kTotal);
        unit_stat("within_18_weeks_share", kWithin18);
        unit_stat("median_wait_weeks", kMedian);
        unit_stat("p92_wait_weeks", kP92);
        unit_stat("over_52_weeks", kOver52);
        unit_stat("over_78_weeks", kOver78);
        unit_stat("over_104_weeks", kOver104);
        series("waiting_by_stage" + f.suffix) = st.stages;
        series("diagnostic_waiting" + f.suffix) = st.diagnostics;
        series("diagnostic_waiting_over_6_weeks" + f.suffix) = st.diagnostics_6w;

        auto counts = [&](const std::string& name, const PeriodCounts& c) {
            auto& out = series(name + f.suffix);
            for (std::size_t per = 0; per < f.periods; ++per) {
                for (std::size_t cell = 0; cell < c.cells(); ++cell) {
                    out[per * c.cells() + cell] =
                        f.monthly ? c.monthly(per, cell) : c.weekly(per, cell);
                }
            }
        };
        counts("clock_starts", clock_starts_);
        counts("clock_stops_admitted", stops_admitted_);
        counts("clock_stops_non_admitted", stops_non_admitted_);
        counts("removals_other_than_treatment", removals_);
        counts("activity", activity_);
        counts("cancer_treatments", cancer_treated_);
        counts("cancer_treated_within_62_days", cancer_within_62_);
        counts("on_the_day_cancellations", cancellations_);
        counts("community_starts", community_starts_);
        auto& cancer_share = series("cancer_62_day_share" + f.suffix);
        auto& community_wait = series("community_wait_days" + f.suffix);
        for (std::size_t per = 0; per < f.periods; ++per) {
            for (std::size_t u = 0; u < units_; ++u) {
                const double n =
                    f.monthly ? cancer_treated_.monthly(per, u) : cancer_treated_.weekly(per, u);
                const double k = f.monthly ? cancer_within_62_.monthly(per, u)
                                           : cancer_within_62_.weekly(per, u);
                cancer_share[per * units_ + u] = ratio(k, n);
            }
            for (std::size_t cell = 0; cell < places_ * kCommunityServices; ++cell) {
                const double n = f.monthly ? community_starts_.monthly(per, cell)
                                           : community_starts_.weekly(per, cell);
                const double sum = f.monthly ? community_wait_sum_.monthly(per, cell)
                                             : community_wait_sum_.weekly(per, cell);
                community_wait[per * places_ * kCommunityServices + cell] = ratio(sum, n);
            }
        }
        auto levels = [&](const std::string& name, const std::vector<PeriodLevel>& v,
                          bool maximum) {
            auto& out = series(name + f.suffix);
            for (std::size_t per = 0; per < f.periods; ++per) {
                for (std::size_t i = 0; i < v.size(); ++i) {
                    const sim::LevelRecorder& r = f.monthly ? v[i].monthly() : v[i].weekly();
                    out[per * v.size() + i] = maximum ? r.maximum(per) : r.mean(per);
                }
            }
        };
        levels("beds_occupied", beds_occupied_, false);
        levels("beds_occupied_peak", beds_occupied_, true);
        levels("beds_available", beds_available_, false);
        levels("beds_medically_fit", beds_fit_, false);
        levels("emergency_waiting_for_bed", boarding_, false);
        levels("community_waiting", community_waiting_, false);
        levels("community_in_service", community_in_service_, false);
        auto& occupancy = series("bed_occupancy_share" + f.suffix);
        for (std::size_t per = 0; per < f.periods; ++per) {
            for (std::size_t h = 0; h < hospitals_; ++h) {
                const auto& occ =
                    f.monthly ? beds_occupied_[h].monthly() : beds_occupied_[h].weekly();
                const auto& av =
                    f.monthly ? beds_available_[h].monthly() : beds_available_[h].weekly();
                occupancy[per * hospitals_ + h] = ratio(occ.mean(per), av.mean(per));
            }
        }
    }

    // Phase 3 measures: BLMK activity / the same month a year earlier.
    const std::size_t months = t_.months.size();
    auto system_activity = [&](std::size_t month, std::initializer_list<Activity> kinds) {
        double total = 0.0;
        for (std::size_t h = 0; h < hospitals_; ++h) {
            for (const Activity a : kinds) {
                total += activity_.monthly(month, h * kActivities + static_cast<std::size_t>(a));
            }
        }
        return total;
    };
    auto measure = [&](std::size_t month, std::size_t m) {
        switch (static_cast<Phase3Measure>(m)) {
            case Phase3Measure::elective:
                return system_activity(month, {Activity::day_case, Activity::elective_inpatient,
                                               Activity::independent_sector});
            case Phase3Measure::outpatient:
                return system_activity(
                    month, {Activity::outpatient_first, Activity::outpatient_follow_up});
            case Phase3Measure::diagnostic:
                return system_activity(month, {Activity::diagnostics_mri, Activity::diagnostics_ct,
                                               Activity::diagnostics_endoscopy});
            case Phase3Measure::endoscopy:
                return system_activity(month, {Activity::diagnostics_endoscopy});
            case Phase3Measure::non_elective:
                return system_activity(
                    month, {Activity::emergency_admission, Activity::other_non_elective});
            case Phase3Measure::count:
                break;
        }
        return kNaN;
    };
    auto& vs_prior = series("activity_vs_prior_year");
    // Partial first or last months are not comparable with a whole month.
    auto whole = [&](std::size_t month) {
        const double length = t_.months.end(month) - t_.months.start(month);
        return length >= 28.0 &&
               t_.calendar.date_at(t_.months.start(month)).day() == std::chrono::day{1};
    };
    for (std::size_t month = 12; month < months; ++month) {
        if (!whole(month) || !whole(month - 12)) {
            continue;
        }
        for (std::size_t m = 0; m < kPhase3Measures; ++m) {
            vs_prior[month * kPhase3Measures + m] =
                ratio(measure(month, m), measure(month - 12, m));
        }
    }

    // Summaries.
    auto set = [&](const std::string& name, double value) {
        result.summaries[schema.summary_id(name)] = value;
    };
    const std::size_t all = units_ - 1;
    auto list_at = [&](std::size_t month) {
        return monthly_.units[(month * units_ + all) * kUnitStats + kTotal];
    };
    auto over52_at = [&](std::size_t month) {
        return monthly_.units[(month * units_ + all) * kUnitStats + kOver52];
    };
    if (months > 0) {
        set("list_first_month", list_at(0));
        set("list_end", list_at(months - 1));
        set("over_52_end", over52_at(months - 1));
        set("list_end_vs_prior_year",
            months > 12 ? ratio(list_at(months - 1), list_at(months - 13)) : kNaN);
    }
    const BlmkParameters& p = t_.p;
    double peak = -1.0;
    std::size_t peak_month = 0;
    double peak52 = -1.0;
    std::size_t peak52_month = 0;
    for (std::size_t month = 0; month < months; ++month) {
        const double start = t_.months.start(month);
        if (start < p.analysis.peak_from - 1e-9 || start >= p.analysis.peak_to) {
            continue;
        }
        if (list_at(month) > peak) {
            peak = list_at(month);
            peak_month = month;
        }
        if (over52_at(month) > peak52) {
            peak52 = over52_at(month);
            peak52_month = month;
        }
    }
    if (peak >= 0.0) {
        set("list_peak", peak);
        set("list_peak_month", static_cast<double>(peak_month));
        set("list_peak_vs_prior_year",
            peak_month >= 12 ? ratio(peak, list_at(peak_month - 12)) : kNaN);
        set("over_52_peak", peak52);
        set("over_52_peak_month", static_cast<double>(peak52_month));
    }
    const std::size_t census = static_cast<std::size_t>(
        std::clamp<int>(p.analysis.census_month, 0, static_cast<int>(months) - 1));
    if (months > 0) {
        const double* row = &monthly_.units[(census * units_ + all) * kUnitStats];
        set("census_list", row[kTotal]);
        set("census_within_18_weeks_share", row[kWithin18]);
        set("census_median_wait_weeks", row[kMedian]);
        set("census_p92_wait_weeks", row[kP92]);
        set("census_over_52_weeks", row[kOver52]);
    }

    const std::size_t year = std::min<std::size_t>(12, months);
    auto first_year = [&](const PeriodCounts& c, std::size_t cell_begin, std::size_t cell_end,
                          std::size_t stride) {
        double total = 0.0;
        for (std::size_t month = 0; month < year; ++month) {
            for (std::size_t cell = cell_begin; cell < cell_end; cell += stride) {
                total += c.monthly(month, cell);
            }
        }
        return total;
    };
    for (std::size_t a = 0; a < kActivities; ++a) {
        set(std::string("first_year_") + activity_name(a),
            first_year(activity_, a, hospitals_ * kActivities, kActivities));
    }
    set("first_year_clock_starts", first_year(clock_starts_, 0, ts, 1));
    set("first_year_admitted_stops", first_year(stops_admitted_, 0, ts, 1));
    set("first_year_non_admitted_stops", first_year(stops_non_admitted_, 0, ts, 1));
    set("first_year_removals", first_year(removals_, 0, ts, 1));
    set("first_year_cancellations", first_year(cancellations_, 0, hospitals_, 1));
    {
        double occupied = 0.0;
        double available = 0.0;
        double winter_occupied = 0.0;
        double winter_available = 0.0;
        double fit = 0.0;
        double length = 0.0;
        for (std::size_t month = 0; month < year; ++month) {
            const double days = t_.months.end(month) - t_.months.start(month);
            const unsigned calendar_month =
                static_cast<unsigned>(t_.calendar.date_at(t_.months.start(month)).month());
            const bool winter = calendar_month == 12 || calendar_month <= 3;
            for (std::size_t h = 0; h < hospitals_; ++h) {
                const double o = beds_occupied_[h].monthly().mean(month) * days;
                const double a = beds_available_[h].monthly().mean(month) * days;
                occupied += o;
                available += a;
                fit += beds_fit_[h].monthly().mean(month) * days;
                if (winter) {
                    winter_occupied += o;
                    winter_available += a;
                }
            }
            length += days;
        }
        set("first_year_beds_occupied", length > 0 ? occupied / length : kNaN);
        set("first_year_bed_occupancy_share", ratio(occupied, available));
        set("first_year_winter_occupancy_share", ratio(winter_occupied, winter_available));
        set("first_year_delayed_transfer_beds", length > 0 ? fit / length : kNaN);
    }
    set("first_year_cancer_62_day_share", ratio(first_year(cancer_within_62_, all, all + 1, 1),
                                                first_year(cancer_treated_, all, all + 1, 1)));
    {
        double share_sum = 0.0;
        double share_n = 0.0;
        for (std::size_t month = 0; month < year; ++month) {
            double waiting = 0.0;
            double over = 0.0;
            for (std::size_t g = 0; g < hospitals_ * kModalities; ++g) {
                waiting += monthly_.diagnostics[month * hospitals_ * kModalities + g];
                over += monthly_.diagnostics_6w[month * hospitals_ * kModalities + g];
            }
            if (waiting > 0.0) {
                share_sum += over / waiting;
                share_n += 1.0;
            }
        }
        set("first_year_diagnostic_over_6_weeks_share", ratio(share_sum, share_n));
    }
    std::vector<SystemMonth> system(months);
    for (std::size_t month = 0; month < months; ++month) {
        SystemMonth& m = system[month];
        const double* row = &monthly_.units[(month * units_ + all) * kUnitStats];
        m.waiting_list = row[kTotal];
        m.waiting_list_vs_prior_year = month >= 12 && whole(month) && whole(month - 12)
                                           ? ratio(row[kTotal], list_at(month - 12))
                                           : kNaN;
        m.over_52_weeks = row[kOver52];
        m.over_78_weeks = row[kOver78];
        m.over_104_weeks = row[kOver104];
        m.within_18_weeks_share = row[kWithin18];
        double occupied = 0.0;
        double available = 0.0;
        double fit = 0.0;
        double cancelled = 0.0;
        for (std::size_t h = 0; h < hospitals_; ++h) {
            occupied += beds_occupied_[h].monthly().mean(month);
            available += beds_available_[h].monthly().mean(month);
            fit += beds_fit_[h].monthly().mean(month);
            cancelled += cancellations_.monthly(month, h);
        }
        m.bed_occupancy = ratio(occupied, available);
        m.delayed_transfer_beds = fit;
        m.cancellations = cancelled;
        const auto prior = [&](Phase3Measure measure_id) {
            return vs_prior[month * kPhase3Measures + static_cast<std::size_t>(measure_id)];
        };
        m.elective_activity_vs_prior_year = prior(Phase3Measure::elective);
        m.outpatient_activity_vs_prior_year = prior(Phase3Measure::outpatient);
        m.diagnostic_activity_vs_prior_year = prior(Phase3Measure::diagnostic);
        m.endoscopy_activity_vs_prior_year = prior(Phase3Measure::endoscopy);
    }
    std::vector<double> met;
    for (const TargetParams& target : p.analysis.targets) {
        const double value = target_value(target, system);
        met.push_back(target_met(target, value));
        set("target_" + target.name + "_value", value);
        set("target_" + target.name + "_met", met.back());
    }
    if (p.analysis.targets.size() > 1) {
        set("targets_all_met", all_met(met));
    }
}

}  // namespace icsflow::models::blmk
