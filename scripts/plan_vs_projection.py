#!/usr/bin/python3
"""What a BLMK run says against the 2020 plan's own projection of the waiting list.

    /usr/bin/python3 scripts/plan_vs_projection.py RESULTS.h5 [MORE.h5 ...]

The plan (seed 000:L1345-1348): "the waiting list level will peak in September 2020 (estimated at
circa 12% above prior year levels) before steadily reducing over the next six months to below the
prior year level in March 2021". For each results file this prints, as Markdown, with 90% ranges
across replications and 95% intervals of means:
  - the month of the list's peak between April 2020 and March 2021 and its height, absolute and
    against the same month a year earlier;
  - the list in September 2020 against September 2019, and in March 2021 against March 2020;
  - the month and height of the 52-week waiters' peak;
  - the share of replications in which each part of the projection holds.

Exit codes: 0, 2 usage, 4 a file that cannot be read or is not BLMK results.
"""

import argparse
import math
import sys

try:
    import icsflow_results
    import numpy as np
except ImportError as error:
    sys.exit(f"plan_vs_projection: {error}; run with /usr/bin/python3")


def fail(message):
    print(f"plan_vs_projection: {message}", file=sys.stderr)
    sys.exit(4)


def interval(x):
    x = np.asarray(x, dtype=float)
    mean = float(np.mean(x))
    half = 1.96 * float(np.std(x, ddof=1)) / math.sqrt(len(x)) if len(x) > 1 else float("nan")
    low, high = np.percentile(x, [5, 95])
    return mean, half, float(low), float(high)


def describe(path):
    try:
        f = icsflow_results.open_results(path)
    except icsflow_results.ResultsFileError as error:
        fail(str(error))
    with f:
        if "series/waiting_list" not in f:
            fail(f"{path}: not BLMK icsflow results")
        months = list(f["axes/month_label"].asstr()[:])
        total = f["series/waiting_list"][:, :, -1]  # last reporting unit: all modelled hospitals
        over52 = f["series/over_52_weeks"][:, :, -1]
        runs = total.shape[0]
        # Flows onto and off the list, summed over trusts and specialties: [replication, month].
        flows = {name: f["series/" + name][:].sum(axis=(2, 3)) for name in
                 ("clock_starts", "clock_stops_admitted", "clock_stops_non_admitted",
                  "removals_other_than_treatment")}
        info = (f.attrs["config_path"], runs, int(f.attrs["master_seed"]),
                str(f.attrs["git_commit"])[:10])

    def at(label):
        if label not in months:
            fail(f"{path}: no month {label} in /axes/month_label")
        return months.index(label)

    window = slice(at("2020-04"), at("2021-03") + 1)
    peak_index = np.argmax(total[:, window], axis=1) + window.start
    peak = total[np.arange(runs), peak_index]
    prior = total[np.arange(runs), peak_index - 12]
    peak52_index = np.argmax(over52[:, window], axis=1) + window.start
    peak52 = over52[np.arange(runs), peak52_index]
    sep = total[:, at("2020-09")] / total[:, at("2019-09")]
    mar = total[:, at("2021-03")] / total[:, at("2020-03")]
    labels, counts = np.unique([months[i] for i in peak_index], return_counts=True)
    modal = labels[np.argmax(counts)]
    labels52, counts52 = np.unique([months[i] for i in peak52_index], return_counts=True)
    modal52 = labels52[np.argmax(counts52)]

    def fmt(name, x, percent=False):
        mean, half, low, high = interval(x)
        if percent:
            return (f"| {name} | {100 * (mean - 1):+.1f}% ± {100 * half:.1f} | "
                    f"{100 * (low - 1):+.1f}% to {100 * (high - 1):+.1f}% |")
        return f"| {name} | {mean:,.0f} ± {half:,.0f} | {low:,.0f} to {high:,.0f} |"

    # Why the list moves: each flow from April to September 2020 against the same months of 2019.
    spring = slice(at("2020-04"), at("2020-09") + 1)
    before = slice(at("2019-04"), at("2019-09") + 1)
    flow_rows = []
    for name, label in (("clock_starts", "clock starts (referrals reaching a hospital)"),
                        ("clock_stops_admitted", "admitted clock stops"),
                        ("clock_stops_non_admitted", "non-admitted clock stops"),
                        ("removals_other_than_treatment", "removals other than treatment")):
        now = flows[name][:, spring].sum(axis=1)
        then = flows[name][:, before].sum(axis=1)
        flow_rows.append(f"| {label} | {np.mean(then):,.0f} | {np.mean(now):,.0f} | "
                         f"{np.mean(now / then):.0%} |")
    net = sum(flows[n][:, spring].sum(axis=1) * (1 if n == "clock_starts" else -1) for n in flows)

    lines = [
        f"**{path}** (`{info[0]}`, {info[1]} replications, seed {info[2]}, commit {info[3]})",
        "",
        "| measure | mean ± 95% interval of the mean | 90% of replications |",
        "|---|---|---|",
        f"| month of the peak (Apr 2020 – Mar 2021) | {modal} in {counts.max()} of {runs} | "
        + ", ".join(f"{l}: {c}" for l, c in zip(labels, counts)) + " |",
        fmt("list at the peak", peak),
        fmt("peak against the same month a year earlier", peak / prior, percent=True),
        fmt("list in September 2020 against September 2019", sep, percent=True),
        fmt("list in March 2021 against March 2020", mar, percent=True),
        f"| month of the 52-week peak | {modal52} in {counts52.max()} of {runs} | "
        + ", ".join(f"{l}: {c}" for l, c in zip(labels52, counts52)) + " |",
        fmt("52+ week waiters at their peak", peak52),
        "",
        "Flows, April to September (mean over replications):",
        "",
        "| flow | 2019 | 2020 | 2020 / 2019 |",
        "|---|---|---|---|",
        *flow_rows,
        f"| net change of the list, Apr-Sep 2020 | | {np.mean(net):+,.0f} | |",
        "",
        "Share of replications in which the projection holds: peak in September 2020 "
        f"{np.mean([months[i] == '2020-09' for i in peak_index]):.0%}; September 2020 at least "
        f"10% above September 2019 {np.mean(sep >= 1.10):.0%}; March 2021 below March 2020 "
        f"{np.mean(mar < 1.0):.0%}.",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+")
    args = parser.parse_args()
    print("\n".join(describe(path) for path in args.results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
