#!/usr/bin/python3
"""Every figure docs/planner-questions.md quotes, from the results of configs/questions/.

    planner_figures.py results/q            # the folder of <name>.h5 files, plan.h5 among them

Summaries, targets and their paired differences are `icsflow compare`'s (scripts/icsflow_results);
figures the summaries do not hold (bed-days by specialty and age band, referrals and admissions
by place, over months) are summed from the monthly series here, with the paired difference's 95%
interval from Student's t over the replications, as `icsflow compare` computes it. The page
quotes these numbers rounded; rerun this after the model changes.
"""

import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import icsflow_results as ir  # noqa: E402

# Summaries and targets quoted for every scenario against the plan.
SUMMARIES = ["list_peak", "list_peak_month", "list_peak_vs_prior_year", "list_end",
             "list_end_vs_prior_year", "over_52_peak", "over_52_peak_month", "over_52_end"]


def student_t_975(df):
    """The 97.5% quantile of Student's t with `df` degrees of freedom (bisection on the CDF,
    integrated with Simpson's rule: this needs no SciPy)."""
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)

    def cdf_above_zero(x, steps=2000):
        h = x / steps
        total = 0.0
        for k in range(steps + 1):
            t = k * h
            weight = 1 if k in (0, steps) else (4 if k % 2 else 2)
            total += weight * math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))
        return total * h / 3

    low, high = 0.0, 50.0
    for _ in range(60):
        mid = (low + high) / 2
        if cdf_above_zero(mid) < 0.475:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def paired(reference, scenario):
    """(mean difference, low, high): the paired 95% interval over replications."""
    d = np.asarray(scenario, float) - np.asarray(reference, float)
    n = len(d)
    half = student_t_975(n - 1) * d.std(ddof=1) / math.sqrt(n) if n > 1 else math.nan
    return d.mean(), d.mean() - half, d.mean() + half


def labels(f, axis):
    return [ir.text(x) for x in f[f"axes/{axis}"][()]]


def months(f, first, last):
    names = labels(f, "month_label")
    return slice(names.index(first), names.index(last) + 1)


def series_sum(f, name, first, last, select):
    """Per replication: the series `name` summed over the months first..last and over the cells
    `select` picks from the remaining axes (an index list per axis, None for all of it)."""
    data = np.nan_to_num(f[f"series/{name}"][()][:, months(f, first, last)])
    for axis, pick in enumerate(select, start=2):
        if pick is not None:
            data = np.take(data, pick, axis=axis)
    return data.reshape(data.shape[0], -1).sum(axis=1)


def show(label, plan_values, values):
    d, low, high = paired(plan_values, values)
    print(f"    {label}: plan {np.mean(plan_values):,.0f}, scenario {np.mean(values):,.0f}, "
          f"difference {d:+,.0f} [{low:+,.0f}, {high:+,.0f}]")


def summary_lines(measures, scenario):
    names = SUMMARIES + sorted(n for n in measures if n.startswith("target_"))
    for name in names:
        if name not in measures:
            continue
        entry = measures[name]["scenarios"].get(scenario)
        plan = measures[name]["scenarios"].get("plan")
        if entry is None or plan is None:
            continue
        text = f"    {name}: plan {plan['estimate']:.6g} [{plan.get('low', math.nan):.6g}, " \
               f"{plan.get('high', math.nan):.6g}]"
        if scenario != "plan":
            diff = entry.get("difference", {})
            text += f"; scenario {entry['estimate']:.6g} [{entry.get('low', math.nan):.6g}, " \
                    f"{entry.get('high', math.nan):.6g}]; difference " \
                    f"{diff.get('estimate', math.nan):+.6g} [{diff.get('paired_low', math.nan):+.6g}, " \
                    f"{diff.get('paired_high', math.nan):+.6g}]"
        print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="folder of the question results (<name>.h5, with plan.h5)")
    parser.add_argument("--icsflow", help="the icsflow program (default: build/icsflow)")
    args = parser.parse_args()
    icsflow = ir.find_icsflow(args.icsflow)
    plan_path = os.path.join(args.folder, "plan.h5")
    names = sorted(n[:-3] for n in os.listdir(args.folder) if n.endswith(".h5") and n != "plan.h5")
    plan = ir.open_results(plan_path)
    print(f"plan.h5: commit {ir.text(plan.attrs.get('git_commit', 'unknown'))}, "
          f"{len(plan['axes/replication'])} replications")
    # `icsflow compare` wants two files at least: the plan's own figures come with the first.
    print("plan")
    summary_lines(ir.compare([plan_path, os.path.join(args.folder, f"{names[0]}.h5")],
                             ["plan", names[0]], icsflow), "plan")
    providers = labels(plan, "provider")
    specialties = labels(plan, "bed_specialty")
    bands = labels(plan, "bed_age_band")
    places = labels(plan, "place")
    activities = labels(plan, "point_of_delivery")
    two = [providers.index("bedford"), providers.index("luton_dunstable")]
    orthopaedics = [specialties.index("trauma_orthopaedics")]
    oldest = [bands.index("age_85_plus")]
    blmk = [i for i, p in enumerate(places) if not p.startswith("out_of_area")]
    luton = [places.index("luton")]
    emergency = [activities.index("emergency_admission")]
    month_names = labels(plan, "month_label")
    for summary in ("list_peak_month", "over_52_peak_month"):
        values, counts = np.unique(plan[f"summary/values/{summary}"][()], return_counts=True)
        print(f"    {summary} (runs): " + ", ".join(
            f"{month_names[int(v)]} in {c}" for v, c in zip(values, counts)))
    for name in names:
        path = os.path.join(args.folder, f"{name}.h5")
        measures = ir.compare([plan_path, path], ["plan", name], icsflow)
        print(name)
        summary_lines(measures, name)
        f = ir.open_results(path)
        show("T&O bed-days, Bedford and L&D, 2021/22",
             series_sum(plan, "bed_days_by_specialty", "2021-04", "2022-03", (two, orthopaedics)),
             series_sum(f, "bed_days_by_specialty", "2021-04", "2022-03", (two, orthopaedics)))
        show("T&O bed-days, Bedford and L&D, Oct 2020 - Mar 2021",
             series_sum(plan, "bed_days_by_specialty", "2020-10", "2021-03", (two, orthopaedics)),
             series_sum(f, "bed_days_by_specialty", "2020-10", "2021-03", (two, orthopaedics)))
        show("85+ bed-days, 2021/22",
             series_sum(plan, "bed_days_by_age_band", "2021-04", "2022-03", (None, oldest)),
             series_sum(f, "bed_days_by_age_band", "2021-04", "2022-03", (None, oldest)))
        show("all bed-days, 2021/22",
             series_sum(plan, "bed_days_by_age_band", "2021-04", "2022-03",
                        (None, None)),
             series_sum(f, "bed_days_by_age_band", "2021-04", "2022-03",
                        (None, None)))
        for place_label, pick in (("the four places", blmk), ("Luton", luton)):
            show(f"referrals from {place_label}, 2021/22",
                 series_sum(plan, "referrals_by_place", "2021-04", "2022-03",
                            (pick, None)),
                 series_sum(f, "referrals_by_place", "2021-04", "2022-03", (pick, None)))
            show(f"emergency admissions from {place_label}, 2021/22",
                 series_sum(plan, "activity_by_place", "2021-04", "2022-03", (pick, emergency)),
                 series_sum(f, "activity_by_place", "2021-04", "2022-03", (pick, emergency)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
