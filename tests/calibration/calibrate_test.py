#!/usr/bin/python3
"""Tests of `icsflow calibrate`: it recovers known values from observations the model itself made
with them, fits a monthly lever to an observed series, and refuses bad input with a clear error.

    calibrate_test.py --icsflow PATH --config SMALL_SYSTEM.toml CHECK

The observations are made independently of the program's own measure code: this script sums the
model's series into the columns of NHS England's RTT overview timeseries (data/README.md), from a
run with another seed than the fit uses, as real observations would differ by chance.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from check_support import CheckFailed, expect, run_command  # noqa: E402

TIMEOUT = 600


def run(icsflow, args, cwd):
    return run_command([icsflow, *args], cwd, TIMEOUT, shown_lines=40)


def write_overlay(path, base, body):
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'base = "{base}"\n{body}')


def observations(h5_path, csv_path):
    """The model's mean series as the RTT overview's columns."""
    with h5py.File(h5_path, "r") as f:
        months = [m.decode() for m in f["axes/month_label"][:]]
        mean = lambda name: f[f"series/{name}"][:].mean(axis=0)  # noqa: E731
        columns = {
            "total_waiting": mean("waiting_list")[:, -1],
            "within18": mean("incomplete_pathways")[..., 0].sum(axis=(1, 2)),
            "gt52": mean("over_52_weeks")[:, -1],
            "median_wk": mean("median_wait_weeks")[:, -1],
            "admitted_completed": mean("clock_stops_admitted").sum(axis=(1, 2)),
            "nonadmitted_completed": mean("clock_stops_non_admitted").sum(axis=(1, 2)),
            "new_rtt_periods": mean("clock_starts").sum(axis=(1, 2)),
        }
    with open(csv_path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["month", *columns])
        for t, month in enumerate(months):
            writer.writerow([month, *(f"{columns[c][t]:.6f}" for c in columns)])


def fitted(h5_path):
    with h5py.File(h5_path, "r") as f:
        p = f["calibration/parameters"]
        return {k.decode(): (v, se) for k, v, se in
                zip(p["key"][:], p["value"][:], p["standard_error"][:])}


def make_truth(icsflow, config, tmp, body, seed=777):
    truth = os.path.join(tmp, "truth.toml")
    write_overlay(truth, config, body)
    result = run(icsflow, ["run", truth, "-r", "100", "--seed", str(seed), "-o",
                           os.path.join(tmp, "truth.h5"), "--progress", "none"], tmp)
    expect(result.returncode == 0, "the run that makes the observations failed")
    observed = os.path.join(tmp, "observed.csv")
    observations(os.path.join(tmp, "truth.h5"), observed)
    return observed


def check_recovers_parameters(icsflow, config, tmp):
    """Two removal mechanisms fitted from other starting values come back to the values that
    made the observations, within 10%, with a standard error estimated for each."""
    truth = {"removals.background_rate_per_week": 0.03, "removals.at_booking": 0.06}
    # Three months of suspended elective work, so that removals tied to booking (which stop)
    # and removals at any time (which go on) leave different marks on the list.
    suspension = ('[drivers.capacity.suspension]\npoints = ["elective"]\nfrom = 2019-08-01\n'
                  'monthly = [0.3, 0.3, 0.3, 1.0]\n')
    observed = make_truth(icsflow, config, tmp,
                          "".join(f"{k} = {v}\n" for k, v in truth.items()) + suspension)
    start = os.path.join(tmp, "start.toml")
    write_overlay(start, config, "removals.background_rate_per_week = 0.01\n"
                                 "removals.at_booking = 0.0\n" + suspension)
    result = run(icsflow, ["calibrate", start, "--observed", observed,
                           "--train", "2019-04:2019-12", "--test", "2020-01:2020-03",
                           "--reference", "2019-09",
                           "--measures", "list_ratio,removal_rate,within_18_weeks",
                           "--fit", "removals.background_rate_per_week=0:0.1,"
                                    "removals.at_booking=0:0.3",
                           "-r", "16", "--report-replications", "8", "--max-evaluations", "40",
                           "--threads", "2", "-o", os.path.join(tmp, "fitted.toml"),
                           "--results", os.path.join(tmp, "fitted.h5")], tmp)
    expect(result.returncode == 0, "calibrate failed")
    got = fitted(os.path.join(tmp, "fitted.h5"))
    for key, value in truth.items():
        estimate, se = got[key]
        print(f"  {key}: truth {value}, fitted {estimate:.4g} (standard error {se:.3g})")
        expect(abs(estimate - value) <= 0.10 * value,
               f"{key}: fitted {estimate:.4g}, more than 10% from {value}")
        expect(np.isfinite(se) and se > 0, f"{key}: no standard error")
    text = open(os.path.join(tmp, "fitted.toml"), encoding="utf-8").read()
    expect('base = "start.toml"' in text, "the overlay does not inherit the calibrated file")
    result = run(icsflow, ["validate", os.path.join(tmp, "fitted.toml")], tmp)
    expect(result.returncode == 0, "the fitted overlay is not a valid configuration")


def check_fits_monthly_lever(icsflow, config, tmp):
    """A monthly theatre lever fitted to the admitted clock stops of observations made with a
    known trajectory comes back to it within 10% in every month. The small system stops about 40
    patients a month after admission, so one month's mean over 48 replications has a relative
    standard error near 2.5%, and the observations (100 replications, another seed) about 1.6%:
    10% is about three of their combined standard errors."""
    lever = [0.5, 0.5, 0.7, 0.9, 0.6, 0.8]
    table = ('[drivers.capacity.theatres]\npoints = ["theatres"]\nfrom = 2019-10-01\n'
             'monthly = {}\n')
    observed = make_truth(icsflow, config, tmp, table.format(lever))
    start = os.path.join(tmp, "start.toml")
    write_overlay(start, config, table.format([1.0]))
    result = run(icsflow, ["calibrate", start, "--observed", observed,
                           "--train", "2019-04:2019-12", "--test", "2020-01:2020-03",
                           "--reference", "2019-09",
                           "--fit-monthly", "drivers.capacity.theatres.monthly=admitted_ratio",
                           "-r", "48", "--report-replications", "4", "--threads", "2",
                           "-o", os.path.join(tmp, "fitted.toml"),
                           "--results", os.path.join(tmp, "fitted.h5")], tmp)
    expect(result.returncode == 0, "calibrate failed")
    # The small system has fewer than 5 52+ week waiters per 1,000 in every training month, too
    # few for a relative error: that default measure is left out of the objective, and said so.
    expect("'over_52_per_1000' is not fitted to" in result.stdout,
           "calibrate does not say that it left out the 52-week measure")
    with h5py.File(os.path.join(tmp, "fitted.h5"), "r") as f:
        months = [m.decode() for m in f["axes/month_label"][:]]
        got = f["calibration/levers/drivers.capacity.theatres.monthly"][:]
        used = [m.decode() if isinstance(m, bytes) else m
                for m in f["calibration"].attrs["objective_measures"]]
    expect(used == ["list_ratio", "within_18_weeks", "median_wait"],
           f"the results record the objective's measures as {used}")
    first = months.index("2019-10")
    for k, value in enumerate(lever):
        print(f"  {months[first + k]}: truth {value}, fitted {got[first + k]:.3f}")
        expect(abs(got[first + k] - value) <= 0.10 * value,
               f"{months[first + k]}: fitted {got[first + k]:.3f}, truth {value}")


def check_errors(icsflow, config, tmp):
    """Unknown parameter, unknown lever, bad or overlapping windows, a window outside the run or
    the observations, a column the observations lack, a measure to fit that has no observation in
    the training months, a malformed observation: exit 2, and the message names what is wrong;
    observations that are missing or not a regular file: exit 4."""
    good = os.path.join(tmp, "observed.csv")
    months = [f"2019-{m:02d}" for m in range(4, 13)] + [f"2020-{m:02d}" for m in range(1, 4)]
    header = ["month", "total_waiting", "within18", "gt52", "median_wk", "admitted_completed",
              "nonadmitted_completed", "new_rtt_periods"]
    with open(good, "w", encoding="utf-8") as out:
        out.write(",".join(header) + "\n")
        for m in months:
            out.write(f"{m},300,250,1,6.5,40,120,170\n")
    no_gt52 = os.path.join(tmp, "no_gt52.csv")
    with open(good, encoding="utf-8") as src, open(no_gt52, "w", encoding="utf-8") as out:
        for line in src:
            fields = line.rstrip("\n").split(",")
            out.write(",".join(fields[:3] + fields[4:]) + "\n")
    malformed = os.path.join(tmp, "malformed.csv")
    with open(good, encoding="utf-8") as src, open(malformed, "w", encoding="utf-8") as out:
        for number, line in enumerate(src, start=1):
            out.write(line.replace(",300,", ",three hundred,") if number == 5 else line)
    fifo = os.path.join(tmp, "observed.fifo")
    os.mkfifo(fifo)
    base = ["calibrate", config, "--train", "2019-04:2019-12", "--test", "2020-01:2020-03",
            "--reference", "2019-09", "-r", "2", "--threads", "1",
            "-o", os.path.join(tmp, "x.toml"), "--results", os.path.join(tmp, "x.h5")]
    cases = [
        (["--observed", good, "--fit", "removals.no_such_rate"], "removals.no_such_rate"),
        (["--observed", good, "--fit", "run.model"], "run.model"),
        (["--observed", good, "--fit", "removals.at_booking,removals.at_booking"],
         "'removals.at_booking' is named twice"),
        (["--observed", good, "--fit", "policy.long_wait_review_priority=1:4"],
         "'policy.long_wait_review_priority' is a whole number"),
        (["--observed", good, "--fit", "removals.at_booking=-5:1e308"],
         "the bounds of 'removals.at_booking' (-5.0 to 1e+308) leave its range"),
        (["--observed", good, "--fit-monthly", "drivers.capacity.nothing.monthly=admitted_ratio"],
         "drivers.capacity.nothing.monthly"),
        (["--observed", good, "--fit-monthly", "removals.at_booking=admitted_ratio"],
         "removals.at_booking"),
        (["--observed", good, "--measures", "list_ratio,happiness"], "happiness"),
        # A measure the table cannot score in the training months (it has no gt104 column).
        (["--observed", good, "--measures", "list_ratio,over_104_per_1000"],
         "'over_104_per_1000' has no observation"),
        (["--observed", good, "--train", "2019-13:2019-12"], "2019-13"),
        (["--observed", good, "--train", "2019-10:2019-05"], "before"),
        (["--observed", good, "--test", "2019-12:2020-03"], "overlap"),
        (["--observed", good, "--test", "2020-01:2020-06"], "outside the simulated period"),
        (["--observed", no_gt52], "gt52"),
        (["--observed", malformed], "malformed.csv:5"),
        (["--observed", os.path.join(tmp, "absent.csv")], "absent.csv"),
        # A directory read as an empty table, and a FIFO blocked for ever: not regular files.
        (["--observed", tmp], "is not a regular file"),
        (["--observed", fifo], "is not a regular file"),
    ]
    for extra, needle in cases:
        args = list(base)
        for i in range(0, len(extra), 2):
            if extra[i] in args:
                args[args.index(extra[i]) + 1] = extra[i + 1]
            else:
                args += extra[i:i + 2]
        result = run(icsflow, args, tmp)
        expected = 4 if needle in ("absent.csv", "is not a regular file") else 2
        expect(result.returncode == expected,
               f"{extra}: exit {result.returncode}, expected {expected}")
        expect(needle in result.stderr, f"{extra}: the message does not name {needle!r}")
        expect(not os.path.exists(os.path.join(tmp, "x.h5")) and
               not os.path.exists(os.path.join(tmp, "x.toml")),
               f"{extra}: a refused calibration left files behind")


CHECKS = {
    "recovers-parameters": check_recovers_parameters,
    "fits-monthly-lever": check_fits_monthly_lever,
    "errors": check_errors,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--icsflow", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("check", choices=sorted(CHECKS))
    args = parser.parse_args()
    icsflow = os.path.abspath(args.icsflow)
    config = os.path.abspath(args.config)
    with tempfile.TemporaryDirectory(prefix="icsflow-calibrate-") as tmp:
        try:
            CHECKS[args.check](icsflow, config, tmp)
        except (CheckFailed, subprocess.TimeoutExpired) as failure:
            print(f"FAILED: {failure}")
            return 1
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
