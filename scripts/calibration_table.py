#!/usr/bin/python3
"""The calibration table of the BLMK model: each 2019/20 target, its source, and the model's value.

    /usr/bin/python3 scripts/calibration_table.py RESULTS.h5 [-o docs/calibration-table.md]

RESULTS.h5 is a run of configs/blmk.toml (or a configuration inheriting it). For each measure the
table gives the target, where it comes from, the model's mean over the replications with a 95%
interval for that mean (mean +- 1.96 standard errors), the 5th-95th percentile range across
replications, and whether the mean lies within the stated tolerance. Measures marked "test" are
also asserted by tests/blmk/calibration_test.cpp, with the same targets and tolerances.

Exit codes: 0 written, 2 usage error, 4 the file cannot be read or is not icsflow results.
"""

import argparse
import math
import os
import sys
import tempfile

try:
    import icsflow_results
    import numpy as np
except ImportError as error:  # the python3 first on PATH may lack them
    sys.exit(f"calibration_table: {error}; run with /usr/bin/python3 (Debian's python3-h5py)")

STP = 1.0469**3  # seed 002:L5164-5200: A&E, electives, non-elective +4.69% a year, 3 years
OUTPATIENT = 1.0325**3  # seed 002:L5164-5200: outpatients +3.25% a year, 3 years
BLMK_SHARE = 0.01678 * 0.990  # pack §1 population share x modelled hospitals' share of it

# (measure, summaries summed, target, tolerance (relative, or absolute when `absolute`), source,
#  absolute, asserted by the calibration test)
TARGETS = [
    ("Electives 2019/20 (day case + elective inpatient + independent sector)",
     ["first_year_day_case", "first_year_elective_inpatient", "first_year_independent_sector"],
     110914 * STP, 0.05, "seed 002:L5164-5200: 110,914 in 2016/17 grown 4.69%/yr", False, True),
    ("Outpatient attendances 2019/20 (first + follow-up)",
     ["first_year_outpatient_first", "first_year_outpatient_follow_up"],
     874259 * OUTPATIENT, 0.05, "seed 002:L5164-5200: 874,259 grown 3.25%/yr", False, True),
    ("Non-elective spells 2019/20",
     ["first_year_emergency_admission", "first_year_other_non_elective"],
     115687 * STP, 0.05, "seed 002:L5164-5200: 115,687 grown 4.69%/yr", False, True),
    ("A&E attendances 2019/20", ["first_year_ae_attendance"], 295308 * STP, 0.05,
     "seed 002:L5164-5200: 295,308 grown 4.69%/yr", False, True),
    ("Waiting list, Feb 2020", ["census_list"], 4.43e6 * BLMK_SHARE, 0.05,
     "England 4.43 m (field notes §4) x BLMK population share", False, True),
    ("Share of the list within 18 weeks, Feb 2020", ["census_within_18_weeks_share"], 0.832, 0.05,
     "England 83.2% (field notes §4), +-5 points", True, True),
    ("Median wait of the list, Feb 2020 (weeks)", ["census_median_wait_weeks"], 7.3, 1.5,
     "England 7.0-7.6 weeks in autumn 2018 (pack §4b), +-1.5 weeks", True, False),
    ("92nd percentile wait, Feb 2020 (weeks)", ["census_p92_wait_weeks"], 23.0, 3.0,
     "England 22.2-23.7 weeks 2018-19 (pack §4b), +-3 weeks", True, False),
    ("52+ week waiters, Feb 2020", ["census_over_52_weeks"], 1613 * BLMK_SHARE, 30.0,
     "England 1,613 (field notes; 'below 1,500' in Dec 2019, pack §4b) x share, +-30", True,
     False),
    ("Beds held by medically fit patients, 2019/20 mean", ["first_year_delayed_transfer_beds"],
     115.0, 35.0, "80 (England 2019 scaled, pack §5) to 150 (seed 002:L380-381)", True, True),
    ("G&A bed occupancy, 2019/20 mean", ["first_year_bed_occupancy_share"], 0.88, 0.04,
     "England 88% G&A occupancy, Q4 2019/20 (KH03, pack §2), +-4 points", True, False),
    ("G&A bed occupancy, winter (Dec-Mar)", ["first_year_winter_occupancy_share"], 0.935, 0.04,
     "England 93.5% winter average Dec 2018-Mar 2019 (pack §2), +-4 points", True, False),
    ("Cancer 62-day performance, 2019/20", ["first_year_cancer_62_day_share"], 0.77, 0.06,
     "Bedford 71% (2019/20), England 79.4% (Jun 2019) (pack §6), +-6 points", True, False),
    ("Diagnostic list waiting 6+ weeks, 2019/20 mean", ["first_year_diagnostic_over_6_weeks_share"],
     0.03, 0.02, "England about 3% (29,832 of ~1 m, Feb 2020; 3.8% Jun 2019; pack §6)", True,
     False),
]


def fail(code, message):
    print(f"calibration_table: {message}", file=sys.stderr)
    sys.exit(code)


def read(path):
    try:
        f = icsflow_results.open_results(path)
    except icsflow_results.ResultsFileError as error:
        fail(4, str(error))
    with f:
        values = {name: f["summary/values"][name][:] for name in f["summary/values"]}
        info = {key: f.attrs[key] for key in ("replications", "master_seed", "git_commit",
                                                "config_path", "created_utc")}
    return values, info


def row(values, measure, summaries, target, tolerance, source, absolute, tested):
    missing = [s for s in summaries if s not in values]
    if missing:
        fail(4, f"the results lack /summary/values/{missing[0]} (not a BLMK run?)")
    x = np.sum([values[s] for s in summaries], axis=0)
    n = len(x)
    mean = float(np.mean(x))
    half = 1.96 * float(np.std(x, ddof=1)) / math.sqrt(n) if n > 1 else float("nan")
    low, high = np.percentile(x, [5, 95])
    band = tolerance if absolute else tolerance * target
    ok = abs(mean - target) <= band
    share = abs(target) < 2 and absolute

    def fmt(v):
        return f"{100 * v:.1f}%" if share else (f"{v:,.0f}" if abs(v) >= 100 else f"{v:.1f}")

    tol = (f"±{100 * tolerance:.0f} pts" if share else f"±{tolerance:g}") if absolute \
        else f"±{100 * tolerance:.0f}%"
    if share:
        interval = f"± {100 * half:.2f} pts"
    else:
        interval = f"± {half:,.0f}" if abs(mean) >= 100 else f"± {half:.2f}"
    return (f"| {measure} | {fmt(target)} ({tol}) | {source} | {fmt(mean)} {interval} | "
            f"{fmt(low)} – {fmt(high)} | {'yes' if ok else '**no**'} | "
            f"{'test' if tested else ''} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("-o", "--output", help="Markdown file to write (default: stdout)")
    args = parser.parse_args()
    values, info = read(args.results)
    lines = [
        f"Model: `{info['config_path']}`, {int(info['replications'])} replications, master seed "
        f"{int(info['master_seed'])}, commit {str(info['git_commit'])[:10]}, "
        f"run {info['created_utc']}. Model value: mean ± the 95% interval of the mean; range: "
        "5th–95th percentile of the replications.",
        "",
        "| measure | target (tolerance) | source | model | range | within | asserted |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [row(values, *target) for target in TARGETS]
    text = "\n".join(lines) + "\n"
    if not args.output:
        sys.stdout.write(text)
        return 0
    directory = os.path.dirname(os.path.abspath(args.output))
    with tempfile.NamedTemporaryFile("w", dir=directory, delete=False, suffix=".part") as out:
        out.write(text)
    os.replace(out.name, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
