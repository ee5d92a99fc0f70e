#!/usr/bin/python3
"""Report of a calibration or hindcast: the model against the observations, month by month.

Reads the /calibration group that `icsflow calibrate` writes into its results file (the fitted
values, the measures observed and modelled, the scores of the training and test windows and the
naive projection) and renders it; it computes nothing that the program did not, except the
acceptance checks, which read the stored month-by-month errors.

    /usr/bin/python3 scripts/calibration_report.py RESULTS.h5 -o DIR      # DIR/report.md, DIR/*.png
    /usr/bin/python3 scripts/calibration_report.py RESULTS.h5 --doc docs/hindcast.md \
        --images docs/images                  # the generated part of the project's page
"""

import argparse
import hashlib
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import icsflow_results  # noqa: E402  (the shared reader: format check)

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# The measures shown, with how each is printed.
SHOWN = [
    ("list_ratio", "List / Feb 2020", "{:.3f}", 1.0),
    ("within_18_weeks", "Within 18 weeks", "{:.1f}%", 100.0),
    ("over_52_per_1000", "52+ weeks per 1,000", "{:.1f}", 1.0),
    ("median_wait", "Median wait (weeks)", "{:.1f}", 1.0),
    ("removal_rate", "Removals / last month's list", "{:.2f}%", 100.0),
    ("p92_wait", "92nd-percentile wait (weeks)", "{:.1f}", 1.0),
    ("over_104_per_1000", "104+ weeks per 1,000", "{:.2f}", 1.0),
]

# What the hindcast must show (the acceptance criteria stated for it), checked on the stored
# month-by-month values: (measure, first month or None for the test window, kind, limit, text).
CHECKS = [
    ("list_ratio", None, "mape", 0.03, "list ratio: mean absolute percentage error over the test "
                                       "months at most 3%, and below the naive projection's"),
    ("within_18_weeks", None, "max_abs", 0.03, "share within 18 weeks within ±3 points in every "
                                               "test month"),
    ("over_52_per_1000", "2020-10", "max_rel", 0.25, "52+ week waiters per 1,000 within ±25% in "
                                                     "every month from October 2020"),
    ("median_wait", None, "max_abs", 1.5, "median wait within ±1.5 weeks in every test month"),
]


def text(value):
    return icsflow_results.text(value)


class Calibration:
    def __init__(self, path):
        self.path = path
        f = icsflow_results.open_results(path)
        if "calibration" not in f:
            f.close()
            raise icsflow_results.ResultsFileError(
                f"'{path}' has no /calibration group: it was not written by icsflow calibrate")
        self.file = f
        g = f["calibration"]
        self.group = g
        self.months = [text(m) for m in f["axes/month_label"][:]]
        self.attrs = {k: g.attrs[k] for k in g.attrs}
        self.window = {
            "train": (self.months.index(text(g.attrs["train_from"])),
                      self.months.index(text(g.attrs["train_to"]))),
            "test": (self.months.index(text(g.attrs["test_from"])),
                     self.months.index(text(g.attrs["test_to"]))),
        }
        self.replications = int(f.attrs["replications"])

    def series(self, kind, measure):
        return self.group[kind][measure][:]

    def shown(self):
        """The SHOWN measures this file has (older files lack the tail measures)."""
        return [row for row in SHOWN if row[0] in self.group["observed"]]

    def window_of(self, t):
        for name, (a, b) in self.window.items():
            if a <= t <= b:
                return name
        return ""

    def check(self, measure, first, kind, limit):
        """(passed, value, naive value or None): the stored errors over the months checked."""
        a, b = self.window["test"]
        if first is not None:
            a = self.months.index(first)
        model = self.series("model_mean", measure)[a:b + 1]
        observed = self.series("observed", measure)[a:b + 1]
        ok = np.isfinite(model) & np.isfinite(observed)
        if kind == "mape":
            value = float(np.mean(np.abs(model[ok] / observed[ok] - 1.0)))
            naive = self.series("naive", measure)[a:b + 1]
            nok = np.isfinite(naive) & np.isfinite(observed)
            naive_value = float(np.mean(np.abs(naive[nok] / observed[nok] - 1.0))) \
                if nok.any() else math.nan
            return value <= limit and value < naive_value, value, naive_value
        if kind == "max_abs":
            value = float(np.max(np.abs(model[ok] - observed[ok])))
        else:
            value = float(np.max(np.abs(model[ok] / observed[ok] - 1.0)))
        return value <= limit, value, None


def chart(cal, path):
    panels = cal.shown() + [("stops", "Clock stops / 2019/20 mean", None, 1.0)]
    rows = (len(panels) + 1) // 2
    fig, axes = plt.subplots(rows, 2, figsize=(12, 3.7 * rows), sharex=True)
    x = np.arange(len(cal.months))
    for ax, (measure, title, _, scale) in zip(axes.flat, panels):
        for name, colour in (("train", "#e8eef7"), ("test", "#fdf0e0")):
            a, b = cal.window[name]
            ax.axvspan(a - 0.5, b + 0.5, color=colour, zorder=0)
        if measure == "stops":
            for key, colour, label in (("admitted_ratio", "#1f5fa8", "admitted"),
                                       ("non_admitted_ratio", "#b85c00", "non-admitted")):
                ax.plot(x, cal.series("model_mean", key), color=colour, lw=2,
                        label=f"model, {label}")
                ax.plot(x, cal.series("observed", key), color=colour, lw=1, ls="--",
                        marker="o", ms=2.5, label=f"England, {label}")
        else:
            mean = scale * cal.series("model_mean", measure)
            low = scale * cal.series("model_p05", measure)
            high = scale * cal.series("model_p95", measure)
            ax.fill_between(x, low, high, color="#1f5fa8", alpha=0.25, lw=0,
                            label="model, 90% of runs")
            ax.plot(x, mean, color="#1f5fa8", lw=2, label="model, mean")
            ax.plot(x, scale * cal.series("observed", measure), color="black", lw=1.2,
                    marker="o", ms=2.5, label="England, published")
            naive = cal.series("naive", measure)
            if np.isfinite(naive).any():
                ax.plot(x, scale * naive, color="#777777", lw=1.2, ls=":",
                        label="naive projection")
        ax.set_title(title, fontsize=11, loc="left")
        ax.grid(True, color="#dddddd", lw=0.5)
        ax.set_axisbelow(True)
        if measure in ("list_ratio", "stops"):
            ax.set_ylim(bottom=0)
        else:
            ax.set_ylim(bottom=0)
        ax.legend(fontsize=7.5, loc="upper left", frameon=True, framealpha=0.9)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    ticks = [t for t, m in enumerate(cal.months) if m.endswith(("-01", "-07"))]
    for ax in axes[-1]:
        ax.set_xticks(ticks)
        ax.set_xticklabels([cal.months[t] for t in ticks], rotation=45, ha="right", fontsize=8)
    tr = cal.window["train"]
    te = cal.window["test"]
    fig.suptitle(f"Model (BLMK) against England's published RTT series: fitted on "
                 f"{cal.months[tr[0]]} to {cal.months[tr[1]]} (blue), scored on "
                 f"{cal.months[te[0]]} to {cal.months[te[1]]} (orange)", fontsize=12)
    fig.text(0.01, 0.005,
             f"{cal.replications} replications; bands hold "
             f"{icsflow_results.uncertainty(cal.file)}. Source: NHS England RTT overview "
             f"timeseries (data/README.md).", fontsize=8, color="#444444")
    fig.tight_layout(rect=(0, 0.015, 1, 0.97))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def config_fingerprint(cal):
    """SHA-256 of the configuration chain the results were run from (input, then bases)."""
    f = cal.file
    digest = hashlib.sha256(text(f["config/input"][()]).encode("utf-8"))
    if "config/bases" in f:
        for name in sorted(f["config/bases"].keys(), key=int):
            digest.update(text(f["config/bases"][name][()]).encode("utf-8"))
    return digest.hexdigest()


def markdown(cal, image):
    f = cal.file
    a = cal.attrs
    lines = []
    lines.append(f"Generated by `scripts/calibration_report.py` from `{os.path.basename(cal.path)}`"
                 f" (icsflow {text(f.attrs['program_version'])}, commit "
                 f"`{text(f.attrs['git_commit'])}`, {text(f.attrs['created_utc'])}).")
    lines.append(f"Configuration `{text(f.attrs['config_path'])}`, chain fingerprint "
                 f"`sha256:{config_fingerprint(cal)}`.")
    lines.append("")
    lines.append(f"- Observations: `{text(a['observed_file'])}`; ratios to "
                 f"{text(a['reference_month'])} (flows: to their mean up to it).")
    lines.append(f"- Fitted on {text(a['train_from'])} to {text(a['train_to'])}; scored on "
                 f"{text(a['test_from'])} to {text(a['test_to'])}, which the fit never saw.")
    lines.append(f"- {int(a['evaluations'])} evaluations of "
                 f"{int(a['replications_per_evaluation'])} replications each (common random "
                 f"numbers), {float(a['seconds']) / 60:.1f} minutes; objective (mean squared "
                 f"training residual in units of each measure's tolerance) "
                 f"{float(a['objective_initial']):.3f} → {float(a['objective_final']):.3f}.")
    lines.append(f"- The table and chart below: {cal.replications} replications of the fitted "
                 f"configuration; bands hold {icsflow_results.uncertainty(f)}.")
    lines.append(f"- Naive projection: {text(a['naive_projection'])}.")
    lines.append("")
    p = cal.group["parameters"]
    if p["key"].shape[0] > 0:
        lines.append("## Fitted parameters")
        lines.append("")
        lines.append("| parameter | fitted | 90% interval | started at | bounds |")
        lines.append("|---|---|---|---|---|")
        for i in range(p["key"].shape[0]):
            v = p["value"][i]
            se = p["standard_error"][i]
            low = max(p["bound_lower"][i], v - 1.645 * se)
            high = min(p["bound_upper"][i], v + 1.645 * se)
            interval = f"{low:.4g} to {high:.4g}" if np.isfinite(se) else "not estimated"
            lines.append(f"| `{text(p['key'][i])}` | {v:.4g} | {interval} | "
                         f"{p['initial'][i]:.4g} | {p['bound_lower'][i]:.4g} to "
                         f"{p['bound_upper'][i]:.4g} |")
        lines.append("")
        lines.append("Intervals: ±1.645 standard errors from the curvature of the least-squares "
                     "fit (s²(JᵀJ)⁻¹ over the scaled training residuals), cut at the bounds.")
        lines.append("")
    if len(cal.group["levers"].keys()) > 0:
        lines.append("Monthly levers fitted so that the model's clock stops follow the observed "
                     "ones: " + ", ".join(
                         f"`{k}` → `{text(cal.group['levers'][k].attrs['measure'])}`"
                         for k in cal.group["levers"].keys()) + ".")
        lines.append("")
    lines.append("## What the hindcast must show")
    lines.append("")
    lines.append("| check | value | naive projection | met |")
    lines.append("|---|---|---|---|")
    for measure, first, kind, limit, description in CHECKS:
        if measure not in cal.group["observed"]:
            continue
        ok, value, naive = cal.check(measure, first, kind, limit)
        fmt = (lambda v: f"{100 * v:.1f}%") if kind in ("mape", "max_rel") else \
            ((lambda v: f"{100 * v:.1f} points") if measure == "within_18_weeks"
             else (lambda v: f"{v:.2f} weeks"))
        lines.append(f"| {description} | {fmt(value)} | "
                     f"{fmt(naive) if naive is not None else '—'} | {'yes' if ok else '**no**'} |")
    lines.append("")
    lines.append("## Errors by window")
    lines.append("")
    lines.append("| measure | error | training | test | naive (test) | tolerance | test months "
                 "within tolerance |")
    lines.append("|---|---|---|---|---|---|---|")
    scores = cal.group["scores"]
    for measure in scores.keys():
        s = scores[measure].attrs
        relative = text(s["error"]).startswith("relative")

        def fmt(v, rel=relative):
            if not np.isfinite(v):
                return "—"
            return f"{100 * v:.2f}%" if rel else f"{v:.3g}"
        lines.append(f"| `{measure}` | {text(s['error'])} | {fmt(s['train_mean_error'])} | "
                     f"{fmt(s['test_mean_error'])} | {fmt(s['test_naive_mean_error'])} | "
                     f"{fmt(s['tolerance'])} | {int(s['test_months_within_tolerance'])} of "
                     f"{int(s['test_months'])} |")
    lines.append("")
    lines.append(f"![Model against England, month by month]({image})")
    lines.append("")
    lines.append("## Month by month")
    lines.append("")
    lines.append("Model: mean [5th–95th percentile of runs]; England: published.")
    lines.append("")
    shown = cal.shown()
    header = "| month | window | " + " | ".join(f"{title}: model | England"
                                                  for _, title, _, _ in shown) + " |"
    lines.append(header)
    lines.append("|" + "---|" * (2 + 2 * len(shown)))
    for t, month in enumerate(cal.months):
        cells = [month, cal.window_of(t)]
        for measure, _, form, scale in shown:
            m = scale * cal.series("model_mean", measure)[t]
            lo = scale * cal.series("model_p05", measure)[t]
            hi = scale * cal.series("model_p95", measure)[t]
            o = scale * cal.series("observed", measure)[t]
            if not np.isfinite(m):
                cells += ["—", form.format(o) if np.isfinite(o) else "—"]
                continue
            cells.append(f"{form.format(m)} [{form.format(lo)}–{form.format(hi)}]")
            cells.append(form.format(o) if np.isfinite(o) else "—")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


BEGIN = "<!-- generated by scripts/calibration_report.py: begin -->"
END = "<!-- generated by scripts/calibration_report.py: end -->"


def replace_generated(path, generated):
    """Writes `generated` between the markers of `path`, keeping the prose around them."""
    with open(path, encoding="utf-8") as stream:
        page = stream.read()
    if BEGIN not in page or END not in page:
        raise SystemExit(f"calibration_report: {path} has no generated-section markers")
    head = page[:page.index(BEGIN) + len(BEGIN)]
    tail = page[page.index(END):]
    with open(path, "w", encoding="utf-8") as out:
        out.write(head + "\n" + generated + tail)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="results file written by icsflow calibrate")
    parser.add_argument("-o", "--output", help="directory for report.md and the chart")
    parser.add_argument("--doc", help="rewrite the generated part of a page (docs/hindcast.md)")
    parser.add_argument("--images", default="docs/images", help="chart directory for --doc")
    parser.add_argument("--title", default="Hindcast: the model against what happened")
    args = parser.parse_args()
    if not args.output and not args.doc:
        parser.error("give -o DIR or --doc FILE")
    try:
        cal = Calibration(args.results)
    except (icsflow_results.ResultsFileError, KeyError, ValueError) as error:
        print(f"calibration_report: {error}", file=sys.stderr)
        return 4
    if args.output:
        os.makedirs(args.output, exist_ok=True)
        chart(cal, os.path.join(args.output, "calibration.png"))
        with open(os.path.join(args.output, "report.md"), "w", encoding="utf-8") as out:
            out.write(f"# {args.title}\n\n" + markdown(cal, "calibration.png"))
        print(f"calibration_report: {args.output}/report.md, {args.output}/calibration.png")
    if args.doc:
        os.makedirs(args.images, exist_ok=True)
        image = os.path.join(args.images, "hindcast.png")
        chart(cal, image)
        relative = os.path.relpath(image, os.path.dirname(os.path.abspath(args.doc)))
        replace_generated(args.doc, markdown(cal, relative))
        print(f"calibration_report: {args.doc}, {image}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
