#include "models/blmk/metrics/derived_summaries.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "models/blmk/metrics/metrics.hpp"
#include "models/blmk/metrics/targets.hpp"

namespace icsflow::models::blmk {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double numerator, double denominator) {
    return denominator > 0.0 ? numerator / denominator : kNaN;
}

std::string format_threshold(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

// The points of delivery each Phase 3 measure adds up, in the order of Phase3Measure.
const std::array<std::vector<Activity>, kPhase3Measures>& phase3_activities() {
    static const std::array<std::vector<Activity>, kPhase3Measures> table{{
        {Activity::day_case, Activity::elective_inpatient, Activity::independent_sector},
        {Activity::outpatient_first, Activity::outpatient_follow_up},
        {Activity::diagnostics_mri, Activity::diagnostics_ct, Activity::diagnostics_endoscopy},
        {Activity::diagnostics_endoscopy},
        {Activity::emergency_admission, Activity::other_non_elective},
    }};
    return table;
}

// One replication's recorded series, read by name, and the figures several outputs share.
class Run {
  public:
    Run(const sim::OutputSchema& schema, const ScenarioTables& tables,
        const sim::ReplicationResult& result)
        : t(tables),
          months(tables.months.size()),
          hospitals(tables.p.hospitals.size()),
          units(tables.p.trusts.size() + 1),
          all(tables.p.trusts.size()),
          year(std::min<std::size_t>(12, months)),
          schema_(schema),
          result_(result) {}

    [[nodiscard]] const std::vector<double>& series(const std::string& name) const {
        return result_.series[schema_.series_id(name)];
    }
    // A statistic of the whole system's list (waiting_list, over_52_weeks, ...) in `month`.
    [[nodiscard]] double system(const std::string& name, std::size_t month) const {
        return series(name)[month * units + all];
    }
    [[nodiscard]] double list_at(std::size_t month) const { return system("waiting_list", month); }

    // Partial first or last months are not comparable with a whole month.
    [[nodiscard]] bool whole(std::size_t month) const {
        const double length = t.months.end(month) - t.months.start(month);
        return length >= 28.0 &&
               t.calendar.date_at(t.months.start(month)).day() == std::chrono::day{1};
    }

    // Sum of the monthly flow `name` over the first 12 months, cells [begin, end) by `stride`.
    [[nodiscard]] double first_year(const std::string& name, std::size_t begin, std::size_t end,
                                    std::size_t stride) const {
        const std::vector<double>& values = series(name);
        const std::size_t cells =
            months > 0 ? schema_.series_size(schema_.series_id(name)) / months : 0;
        double total = 0.0;
        for (std::size_t month = 0; month < year; ++month) {
            for (std::size_t cell = begin; cell < end; cell += stride) {
                total += values[month * cells + cell];
            }
        }
        return total;
    }

    const ScenarioTables& t;
    const std::size_t months;
    const std::size_t hospitals;
    const std::size_t units;  // trusts + the system
    const std::size_t all;    // the system's reporting unit
    const std::size_t year;   // months in the first year

  private:
    const sim::OutputSchema& schema_;
    const sim::ReplicationResult& result_;
};

// The largest value of a system statistic over the months that start in the analysis window.
struct Peak {
    double value = -1.0;  // -1: no month in the window
    std::size_t month = 0;
};

Peak peak_of(const Run& run, const std::string& name) {
    const AnalysisParams& analysis = run.t.p.analysis;
    Peak peak;
    for (std::size_t month = 0; month < run.months; ++month) {
        const double start = run.t.months.start(month);
        if (start < analysis.peak_from - 1e-9 || start >= analysis.peak_to) {
            continue;
        }
        if (run.system(name, month) > peak.value) {
            peak = {run.system(name, month), month};
        }
    }
    return peak;
}

// Beds over the first year, summed over hospitals and weighted by each month's days.
struct FirstYearBeds {
    double occupied = 0.0;  // bed-days
    double available = 0.0;
    double winter_occupied = 0.0;  // December to March
    double winter_available = 0.0;
    double fit = 0.0;
    double length = 0.0;  // days
};

FirstYearBeds first_year_beds(const Run& run) {
    const std::vector<double>& occupied = run.series("beds_occupied");
    const std::vector<double>& available = run.series("beds_available");
    const std::vector<double>& fit = run.series("beds_medically_fit");
    FirstYearBeds beds;
    for (std::size_t month = 0; month < run.year; ++month) {
        const double days = run.t.months.end(month) - run.t.months.start(month);
        const unsigned calendar_month =
            static_cast<unsigned>(run.t.calendar.date_at(run.t.months.start(month)).month());
        const bool winter = calendar_month == 12 || calendar_month <= 3;
        for (std::size_t h = 0; h < run.hospitals; ++h) {
            const double o = occupied[month * run.hospitals + h] * days;
            const double a = available[month * run.hospitals + h] * days;
            beds.occupied += o;
            beds.available += a;
            beds.fit += fit[month * run.hospitals + h] * days;
            if (winter) {
                beds.winter_occupied += o;
                beds.winter_available += a;
            }
        }
        beds.length += days;
    }
    return beds;
}

// The whole system's figures in each month, as targets are stated on them.
std::vector<SystemMonth> system_months(const Run& run) {
    const std::vector<double>& occupied = run.series("beds_occupied");
    const std::vector<double>& available = run.series("beds_available");
    const std::vector<double>& fit = run.series("beds_medically_fit");
    const std::vector<double>& cancellations = run.series("on_the_day_cancellations");
    const std::vector<double>& vs_prior = run.series("activity_vs_prior_year");
    std::vector<SystemMonth> system(run.months);
    for (std::size_t month = 0; month < run.months; ++month) {
        SystemMonth& m = system[month];
        m.waiting_list = run.list_at(month);
        m.waiting_list_vs_prior_year = month >= 12 && run.whole(month) && run.whole(month - 12)
                                           ? ratio(m.waiting_list, run.list_at(month - 12))
                                           : kNaN;
        m.over_52_weeks = run.system("over_52_weeks", month);
        m.over_78_weeks = run.system("over_78_weeks", month);
        m.over_104_weeks = run.system("over_104_weeks", month);
        m.within_18_weeks_share = run.system("within_18_weeks_share", month);
        double occupied_sum = 0.0;
        double available_sum = 0.0;
        double fit_sum = 0.0;
        double cancelled = 0.0;
        for (std::size_t h = 0; h < run.hospitals; ++h) {
            occupied_sum += occupied[month * run.hospitals + h];
            available_sum += available[month * run.hospitals + h];
            fit_sum += fit[month * run.hospitals + h];
            cancelled += cancellations[month * run.hospitals + h];
        }
        m.bed_occupancy = ratio(occupied_sum, available_sum);
        m.delayed_transfer_beds = fit_sum;
        m.cancellations = cancelled;
        const auto prior = [&](Phase3Measure measure) {
            return vs_prior[month * kPhase3Measures + static_cast<std::size_t>(measure)];
        };
        m.elective_activity_vs_prior_year = prior(Phase3Measure::elective);
        m.outpatient_activity_vs_prior_year = prior(Phase3Measure::outpatient);
        m.diagnostic_activity_vs_prior_year = prior(Phase3Measure::diagnostic);
        m.endoscopy_activity_vs_prior_year = prior(Phase3Measure::endoscopy);
    }
    return system;
}

// ---------------------------------------------------------------------------------------------
// Derived series: each declared with the code that fills it. `fill` writes into the series'
// buffer (NaN where it leaves a value unset).
struct DerivedSeries {
    sim::SeriesSpec spec;
    std::function<void(const Run&, std::vector<double>&)> fill;
};

std::vector<DerivedSeries> derived_series() {
    using K = sim::SeriesKind;
    std::vector<DerivedSeries> out;
    // Phase 3 measures: BLMK activity / the same month a year earlier, whole months only.
    out.push_back({{"activity_vs_prior_year",
                    "BLMK activity as a share of the same month a year earlier",
                    "1",
                    "month",
                    {"phase3_measure"},
                    K::statistic},
                   [](const Run& run, std::vector<double>& out_values) {
                       const std::vector<double>& activity = run.series("activity");
                       auto measure = [&](std::size_t month, std::size_t m) {
                           double total = 0.0;
                           for (std::size_t h = 0; h < run.hospitals; ++h) {
                               for (const Activity a : phase3_activities()[m]) {
                                   total += activity[(month * run.hospitals + h) * kActivities +
                                                     static_cast<std::size_t>(a)];
                               }
                           }
                           return total;
                       };
                       for (std::size_t month = 12; month < run.months; ++month) {
                           if (!run.whole(month) || !run.whole(month - 12)) {
                               continue;
                           }
                           for (std::size_t m = 0; m < kPhase3Measures; ++m) {
                               out_values[month * kPhase3Measures + m] =
                                   ratio(measure(month, m), measure(month - 12, m));
                           }
                       }
                   }});
    return out;
}

// ---------------------------------------------------------------------------------------------
// Derived summaries: one number per replication, each declared with the code that computes it
// (NaN: no value, e.g. no month in the peak window).
struct DerivedSummary {
    sim::SummarySpec spec;
    std::string time_axis;  // non-empty: the value is an index into this time axis
    std::function<double(const Run&)> value;
};

std::vector<DerivedSummary> derived_summaries(const ScenarioTables& t) {
    std::vector<DerivedSummary> out;
    auto add = [&](std::string name, std::string long_name, std::string units, bool headline,
                   std::function<double(const Run&)> value) {
        out.push_back({{std::move(name), std::move(long_name), std::move(units), headline},
                       "",
                       std::move(value)});
    };
    auto add_month_index = [&](std::string name, std::string long_name, bool headline,
                               std::function<double(const Run&)> value) {
        out.push_back({{std::move(name), std::move(long_name), "month index", headline},
                       "month",
                       std::move(value)});
    };
    // A figure of the last month, or NaN when the run has no month.
    auto at_end = [](const std::string& name) {
        return [name](const Run& run) {
            return run.months > 0 ? run.system(name, run.months - 1) : kNaN;
        };
    };
    // A figure of the peak month of `name`; NaN when no month falls in the window.
    auto at_peak = [](const std::string& name, std::function<double(const Run&, Peak)> value) {
        return [name, value = std::move(value)](const Run& run) {
            const Peak peak = peak_of(run, name);
            return peak.value >= 0.0 ? value(run, peak) : kNaN;
        };
    };
    auto census_month = [](const Run& run) {
        return static_cast<std::size_t>(
            std::clamp<int>(run.t.p.analysis.census_month, 0, static_cast<int>(run.months) - 1));
    };
    auto at_census = [census_month](const std::string& name) {
        return [name, census_month](const Run& run) {
            return run.months > 0 ? run.system(name, census_month(run)) : kNaN;
        };
    };

    add("list_first_month", "waiting list at the end of the first month", "pathways", false,
        [](const Run& run) { return run.months > 0 ? run.list_at(0) : kNaN; });
    add("list_peak", "waiting list at its peak month (analysis window)", "pathways", true,
        at_peak("waiting_list", [](const Run&, Peak peak) { return peak.value; }));
    add_month_index("list_peak_month", "month of the peak (index into /axes/month)", true,
                    at_peak("waiting_list",
                            [](const Run&, Peak peak) { return static_cast<double>(peak.month); }));
    add("list_peak_vs_prior_year", "list at its peak / the same month a year earlier", "1", true,
        at_peak("waiting_list", [](const Run& run, Peak peak) {
            return peak.month >= 12 ? ratio(peak.value, run.list_at(peak.month - 12)) : kNaN;
        }));
    add("list_end", "waiting list at the end", "pathways", true, at_end("waiting_list"));
    add("list_end_vs_prior_year", "list at the end / a year earlier", "1", true,
        [](const Run& run) {
            return run.months > 12
                       ? ratio(run.list_at(run.months - 1), run.list_at(run.months - 13))
                       : kNaN;
        });
    add("over_52_peak", "52+ week waiters at their peak month (analysis window)", "pathways", true,
        at_peak("over_52_weeks", [](const Run&, Peak peak) { return peak.value; }));
    add_month_index("over_52_peak_month", "month of the 52-week peak (index into /axes/month)",
                    false, at_peak("over_52_weeks", [](const Run&, Peak peak) {
                        return static_cast<double>(peak.month);
                    }));
    add("over_52_end", "52+ week waiters at the end", "pathways", false, at_end("over_52_weeks"));
    add("census_list", "waiting list in the census month", "pathways", false,
        at_census("waiting_list"));
    add("census_within_18_weeks_share", "share under 18 weeks in the census month", "1", false,
        at_census("within_18_weeks_share"));
    add("census_median_wait_weeks", "median wait in the census month", "weeks", false,
        at_census("median_wait_weeks"));
    add("census_p92_wait_weeks", "92nd percentile wait in the census month", "weeks", false,
        at_census("p92_wait_weeks"));
    add("census_over_52_weeks", "52+ week waiters in the census month", "pathways", false,
        at_census("over_52_weeks"));

    // First-year totals: every hospital (every trust and specialty) over the first 12 months.
    for (std::size_t a = 0; a < kActivities; ++a) {
        add(std::string("first_year_") + activity_name(a),
            std::string("first 12 months: ") + activity_name(a), "per year", false,
            [a](const Run& run) {
                return run.first_year("activity", a, run.hospitals * kActivities, kActivities);
            });
    }
    const std::size_t trust_specialties = t.p.trusts.size() * t.p.specialties.size();
    auto first_year_rtt = [trust_specialties](const std::string& series) {
        return [series, trust_specialties](const Run& run) {
            return run.first_year(series, 0, trust_specialties, 1);
        };
    };
    add("first_year_clock_starts", "first 12 months: RTT clock starts", "per year", false,
        first_year_rtt("clock_starts"));
    add("first_year_admitted_stops", "first 12 months: admitted clock stops", "per year", false,
        first_year_rtt("clock_stops_admitted"));
    add("first_year_non_admitted_stops", "first 12 months: non-admitted clock stops", "per year",
        false, first_year_rtt("clock_stops_non_admitted"));
    add("first_year_removals", "first 12 months: removals other than treatment", "per year", false,
        first_year_rtt("removals_other_than_treatment"));
    add("first_year_beds_occupied", "first 12 months: mean G&A beds occupied", "beds", false,
        [](const Run& run) {
            const FirstYearBeds beds = first_year_beds(run);
            return beds.length > 0 ? beds.occupied / beds.length : kNaN;
        });
    add("first_year_bed_occupancy_share", "first 12 months: mean occupancy", "1", false,
        [](const Run& run) {
            const FirstYearBeds beds = first_year_beds(run);
            return ratio(beds.occupied, beds.available);
        });
    add("first_year_winter_occupancy_share", "first 12 months: mean occupancy in December to March",
        "1", false, [](const Run& run) {
            const FirstYearBeds beds = first_year_beds(run);
            return ratio(beds.winter_occupied, beds.winter_available);
        });
    add("first_year_delayed_transfer_beds",
        "first 12 months: mean beds held by medically fit patients", "beds", false,
        [](const Run& run) {
            const FirstYearBeds beds = first_year_beds(run);
            return beds.length > 0 ? beds.fit / beds.length : kNaN;
        });
    add("first_year_cancellations", "first 12 months: on-the-day cancellations", "per year", false,
        [](const Run& run) {
            return run.first_year("on_the_day_cancellations", 0, run.hospitals, 1);
        });
    add("first_year_cancer_62_day_share", "first 12 months: cancer treated within 62 days", "1",
        false, [](const Run& run) {
            return ratio(run.first_year("cancer_treated_within_62_days", run.all, run.all + 1, 1),
                         run.first_year("cancer_treatments", run.all, run.all + 1, 1));
        });
    // The mean of the monthly shares (months with nobody waiting have no share).
    add("first_year_diagnostic_over_6_weeks_share",
        "first 12 months: mean share of the diagnostic list waiting 6+ weeks", "1", false,
        [](const Run& run) {
            const std::vector<double>& waiting_series = run.series("diagnostic_waiting");
            const std::vector<double>& over_series = run.series("diagnostic_waiting_over_6_weeks");
            const std::size_t cells = run.hospitals * kModalities;
            double share_sum = 0.0;
            double share_n = 0.0;
            for (std::size_t month = 0; month < run.year; ++month) {
                double waiting = 0.0;
                double over = 0.0;
                for (std::size_t g = 0; g < cells; ++g) {
                    waiting += waiting_series[month * cells + g];
                    over += over_series[month * cells + g];
                }
                if (waiting > 0.0) {
                    share_sum += over / waiting;
                    share_n += 1.0;
                }
            }
            return ratio(share_sum, share_n);
        });

    // The configuration's targets, each in its month, and whether all are met.
    const std::vector<TargetParams>& targets = t.p.analysis.targets;
    for (const TargetParams& target : targets) {
        const std::string measure = target_measure_name(static_cast<std::size_t>(target.measure));
        add("target_" + target.name + "_value",
            target.name + ": " + measure + " in " +
                (target.month >= 0 ? t.months.label(static_cast<std::size_t>(target.month))
                                   : std::string("?")),
            target_is_ratio(target.measure) ? "1" : "pathways, beds or cases", true,
            [target](const Run& run) { return target_value(target, system_months(run)); });
        add("target_" + target.name + "_met",
            target.name + ": " + measure +
                (target_is_at_least(target.measure) ? " at least " : " at most ") +
                format_threshold(target.threshold) + " (1 met, 0 not)",
            "1", true, [target](const Run& run) {
                return target_met(target, target_value(target, system_months(run)));
            });
        out.back().spec.indicator = true;
    }
    if (targets.size() > 1) {
        add("targets_all_met", "every target met (1) or not (0)", "1", true,
            [targets](const Run& run) {
                const std::vector<SystemMonth> system = system_months(run);
                std::vector<double> met;
                for (const TargetParams& target : targets) {
                    met.push_back(target_met(target, target_value(target, system)));
                }
                return all_met(met);
            });
        out.back().spec.indicator = true;
    }
    return out;
}

}  // namespace

void declare_derived_outputs(sim::OutputSchema& schema, const ScenarioTables& tables) {
    for (DerivedSeries& series : derived_series()) {
        schema.add_series(std::move(series.spec));
    }
    for (DerivedSummary& summary : derived_summaries(tables)) {
        if (summary.time_axis.empty()) {
            schema.add_summary(std::move(summary.spec));
        } else {
            schema.add_time_index_summary(std::move(summary.spec), summary.time_axis);
        }
    }
}

void write_derived_outputs(const sim::OutputSchema& schema, const ScenarioTables& tables,
                           sim::ReplicationResult& result) {
    const Run run(schema, tables, result);
    // Series first: the summaries read some of them (activity against the year before).
    for (const DerivedSeries& series : derived_series()) {
        series.fill(run, result.series[schema.series_id(series.spec.name)]);
    }
    for (const DerivedSummary& summary : derived_summaries(tables)) {
        result.summaries[schema.summary_id(summary.spec.name)] = summary.value(run);
    }
}

}  // namespace icsflow::models::blmk
