#!/usr/bin/python3
"""Board briefing from an icsflow BLMK results file: charts (PNG) and a one-page summary.

    briefing.py RESULTS.h5 [--compare OTHER.h5 [--labels LABEL LABEL]] [-o DIR]

Writes into DIR (default: briefing/ beside RESULTS.h5):
  waiting_list.png     the waiting list (all modelled hospitals): median, 50% and 90% bands
                       across runs, the same month a year earlier, the peak and its interval
  phase3_activity.png  activity as a share of the same month a year earlier for each Phase 3
                       target measure, the target, and the share of runs that meet it
  long_waits.png       52+ week waiters and the share of the list within 18 weeks
  beds.png             bed occupancy, beds held by medically fit patients (delayed transfers)
                       and operations cancelled on the day, by hospital
  compare.png          with --compare: both scenarios' waiting lists and their difference,
                       paired by replication (replications with the same index and master seed
                       share random streams, so the paired difference is the sharper estimate)
  briefing.html        one page: a short summary written from the numbers, and the charts
                       (embedded, so the file stands alone)
  briefing.md          the same summary, linking the PNG files

Bands are quantiles across replications. Their footers say what they hold, from the file's root
attribute `uncertainty`: chance alone (random streams), or chance and the configuration's
uncertain assumptions drawn per replication. Probabilities carry 95% Wilson intervals. Files are
opened and checked (filetype, format_version) by the shared reader scripts/icsflow_results.py.

Exit status: 0 done; 2 bad command line; 4 a results file missing, unreadable, not an icsflow
results file or without the series the briefing needs, or the output directory not writable.
Uses h5py, numpy and matplotlib (Debian's /usr/bin/python3).
"""

import argparse
import base64
import datetime as dt
import html
import math
import os
import sys
import tempfile
import tomllib
import warnings
from collections import Counter

import numpy as np

import icsflow_results

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

EXIT_USAGE = 2  # what argparse exits with on a bad command line
EXIT_FILE = 4

UMASK = os.umask(0)
os.umask(UMASK)  # mkstemp makes files 0600; finished files get the usual permissions

# Okabe-Ito colours (safe for the common colour-vision deficiencies).
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
SKY = "#56B4E9"
GREY = "#6E6E6E"
HOSPITAL_COLOURS = [BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION]

FIGURE_SIZE = (13.33, 7.5)  # a 16:9 slide
DPI = 150
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
LONG_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                    "September", "October", "November", "December"]

PHASE3_TITLES = {
    "elective": "Electives\n(day cases and inpatients)",
    "outpatient": "Outpatients\n(first and follow-up)",
    "diagnostic": "Diagnostics\n(MRI, CT, endoscopy)",
    "endoscopy": "Endoscopy",
    "non_elective": "Non-elective admissions",
}

REQUIRED_SERIES = [
    "waiting_list", "over_52_weeks", "within_18_weeks_share", "activity_vs_prior_year",
    "bed_occupancy_share", "beds_medically_fit", "on_the_day_cancellations",
]
REQUIRED_AXES = ["month", "month_label", "reporting_unit", "trust", "provider", "phase3_measure"]


class BriefingError(Exception):
    """A problem with an input or output file (exit status 4)."""


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.shape == ():
        return text(value[()])
    return str(value)


def month_name(label, long=False):
    """'2020-09' -> 'Sep 2020' (or 'September 2020')."""
    year, month = label.split("-")[:2]
    names = LONG_MONTH_NAMES if long else MONTH_NAMES
    return f"{names[int(month) - 1]} {year}"


def step_for(value):
    magnitude = abs(value)
    if magnitude >= 10000:
        return 100
    if magnitude >= 1000:
        return 10
    return 1


def round_count(value):
    """Counts as a board reads them: nearest 100 from 10,000, nearest 10 from 1,000 (half up)."""
    step = step_for(value)
    return int(math.floor(value / step + 0.5) * step)


def fmt_count(value):
    if value is None or not np.isfinite(value):
        return "n/a"
    return f"{round_count(value):,}".replace("-", "\u2212")


def fmt_signed(value):
    if not np.isfinite(value):
        return "n/a"
    rounded = round_count(value)
    sign = "+" if rounded > 0 else ("\u2212" if rounded < 0 else "")
    return f"{sign}{abs(rounded):,}"


def fmt_pct(share, digits=0):
    if share is None or not np.isfinite(share):
        return "n/a"
    return f"{100.0 * share:.{digits}f}%"


def quantiles(data, axis=0):
    """Quantiles QUANTILES across `axis`, NaN ignored (all-NaN gives NaN quietly)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(data, QUANTILES, axis=axis)


class Results:
    """One icsflow BLMK results file, read with h5py."""

    def __init__(self, path):
        self.path = path
        try:
            self.file = icsflow_results.open_results(path)
        except icsflow_results.ResultsFileError as error:
            raise BriefingError(str(error)) from None
        attrs = self.file.attrs
        self.uncertainty = icsflow_results.uncertainty(self.file)
        self.bands_footer = icsflow_results.bands_footer(self.file)
        missing = [f"/axes/{a}" for a in REQUIRED_AXES if f"axes/{a}" not in self.file]
        missing += [f"/series/{s}" for s in REQUIRED_SERIES if f"series/{s}" not in self.file]
        if missing:
            model = text(attrs["model"]) if "model" in attrs else "unknown"
            raise BriefingError(
                f"'{path}' is an icsflow results file of model '{model}' but lacks "
                f"{', '.join(missing)}: the briefing needs a BLMK results file")
        self.model = text(attrs.get("model", "?"))
        self.seed = int(attrs["master_seed"]) if "master_seed" in attrs else None
        self.commit = text(attrs.get("git_commit", "unknown"))
        self.dirty = text(attrs.get("git_dirty", "false")) == "true"
        self.created = text(attrs.get("created_utc", ""))
        self.config_path = text(attrs.get("config_path", ""))
        self.start_date = dt.date.fromisoformat(text(attrs["start_date"]))
        self.month_labels = [text(x) for x in self.file["axes/month_label"][()]]
        self.month_start = np.asarray(self.file["axes/month"][()], dtype=float)
        self.replication = (np.asarray(self.file["axes/replication"][()])
                            if "axes/replication" in self.file
                            else np.arange(self.file["series/waiting_list"].shape[0]))
        self.replications = len(self.replication)
        self.units = [text(x) for x in self.file["axes/reporting_unit"][()]]
        self.trusts = [text(x) for x in self.file["axes/trust"][()]]
        self.all_unit = self._all_hospitals_unit()
        self.providers = [text(x) for x in self.file["axes/provider"][()]]
        self.phase3 = [text(x) for x in self.file["axes/phase3_measure"][()]]
        self.config = self._resolved_config()
        analysis = self.config.get("analysis", {})
        self.targets = analysis.get("targets", [])
        self.window = self._peak_window(analysis)

    def _all_hospitals_unit(self):
        """Index of 'all modelled hospitals' on /axes/reporting_unit: the unit that is no trust."""
        extra = [i for i, u in enumerate(self.units) if u not in self.trusts]
        if len(extra) == 1:
            return extra[0]
        named = [i for i, u in enumerate(self.units) if "all" in u.lower()]
        if len(named) == 1:
            return named[0]
        raise BriefingError(
            f"'{self.path}': cannot tell which reporting unit is all modelled hospitals "
            f"({', '.join(self.units)})")

    def _resolved_config(self):
        if "config/resolved" not in self.file:
            return {}
        try:
            return tomllib.loads(text(self.file["config/resolved"][()]))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            print(f"briefing.py: warning: '{self.path}': /config/resolved is not valid TOML; "
                  "no targets or analysis window", file=sys.stderr)
            return {}

    def _peak_window(self, analysis):
        """Month indices searched for the peak: [analysis] peak_from <= month start < peak_to."""
        days = self.month_start
        lo, hi = -np.inf, np.inf
        if isinstance(analysis.get("peak_from"), dt.date):
            lo = (analysis["peak_from"] - self.start_date).days
        if isinstance(analysis.get("peak_to"), dt.date):
            hi = (analysis["peak_to"] - self.start_date).days
        months = np.flatnonzero((days >= lo - 1e-9) & (days < hi))
        if len(months) == 0:
            months = np.arange(len(days))
        return months

    def series(self, name):
        if f"series/{name}" not in self.file:
            raise BriefingError(f"'{self.path}' has no /series/{name}")
        return np.asarray(self.file[f"series/{name}"][()], dtype=float)

    def summary(self, name):
        key = f"summary/values/{name}"
        return np.asarray(self.file[key][()], dtype=float) if key in self.file else None

    def hospital_names(self):
        hospitals = self.config.get("hospitals", {})
        return [hospitals.get(p, {}).get("name", p.replace("_", " ").title())
                for p in self.providers]

    def short_hospital_names(self):
        short = []
        for name in self.hospital_names():
            for suffix in (" University Hospital", " Hospital"):
                if name.endswith(suffix) and len(name) > len(suffix):
                    name = name[: -len(suffix)]
                    break
            short.append(name)
        return short

    def label(self):
        stem = os.path.splitext(os.path.basename(self.config_path or self.path))[0]
        return stem or os.path.basename(self.path)

    def provenance(self):
        commit = self.commit[:9] + (" (modified)" if self.dirty else "")
        created = self.created[:10] if self.created else "?"
        return (f"icsflow model '{self.model}', {os.path.basename(self.path)} "
                f"({self.config_path or 'config ?'}), {self.replications} replications, "
                f"master seed {self.seed}, commit {commit}, run {created}.")

    def source_line(self, other=None, labels=None):
        if other is None:
            lines = [f"Source: {self.provenance()}"]
        else:
            lines = [f"Source: {labels[0]}: {self.provenance()}",
                     f"{labels[1]}: {other.provenance()}"]
        lines.append(self.bands_footer if other is None or other.bands_footer == self.bands_footer
                     else f"{labels[0]}: {self.bands_footer} {labels[1]}: {other.bands_footer}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

class PeakStats:
    """Peak of the all-hospital list in the analysis window, replication by replication."""

    def __init__(self, results):
        wl = results.series("waiting_list")[:, :, results.all_unit]
        self.list = wl
        window = results.window
        inside = wl[:, window]
        filled = np.where(np.isfinite(inside), inside, -np.inf)
        arg = np.argmax(filled, axis=1)
        self.month = window[arg]                      # month index per replication
        self.height = inside[np.arange(len(arg)), arg]
        prior = np.array([wl[r, m - 12] if m >= 12 else np.nan for r, m in enumerate(self.month)])
        self.vs_prior = self.height / prior
        counts = Counter(self.month.tolist())
        self.mode_month, self.mode_count = max(counts.items(), key=lambda kv: (kv[1], -kv[0]))
        self.month_q = np.quantile(self.month, [0.05, 0.95], method="nearest")
        self.height_q = quantiles(self.height)
        self.vs_prior_median = float(np.nanmedian(self.vs_prior))
        self.at_window_start = self.mode_month == window[0]
        self.at_window_end = self.mode_month == window[-1]
        # Check against the program's own summary.
        own = results.summary("list_peak")
        if own is not None and np.all(np.isfinite(own)) and not np.allclose(own, self.height):
            print(f"briefing.py: warning: '{results.path}': the peak computed from "
                  "/series/waiting_list differs from /summary/values/list_peak", file=sys.stderr)


def target_outcomes(results):
    """For each configured target: measure index, month index, threshold, ratios, met flags."""
    outcomes = []
    vs_prior = results.series("activity_vs_prior_year")
    for target in results.targets:
        measure = str(target.get("measure", "")).removesuffix("_activity")
        month = target.get("month", "")
        if measure not in results.phase3 or month not in results.month_labels:
            print(f"briefing.py: warning: '{results.path}': target {target.get('name')} "
                  f"({target.get('measure')}, {month}) is not on the file's axes; left out",
                  file=sys.stderr)
            continue
        m = results.phase3.index(measure)
        t = results.month_labels.index(month)
        ratios = vs_prior[:, t, m]
        threshold = float(target["threshold"])
        met = results.summary(f"target_{target['name']}_met")
        if met is None or not np.any(np.isfinite(met)):
            met = np.where(np.isfinite(ratios), (ratios >= threshold).astype(float), np.nan)
        valid = np.isfinite(met)
        outcomes.append({
            "name": target["name"], "measure": measure, "m": m, "month": t,
            "month_label": month, "threshold": threshold, "ratios": ratios,
            "met_count": int(np.sum(met[valid] > 0.5)), "n": int(np.sum(valid)),
        })
    return outcomes


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------

def style():
    plt.rcParams.update({
        "font.size": 16,
        "axes.titlesize": 17,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 16,
        "xtick.labelsize": 14,
        "ytick.labelsize": 15,
        "legend.fontsize": 14,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#DDDDDD",
        "grid.linewidth": 0.8,
        "figure.titlesize": 22,
        "figure.titleweight": "bold",
        "font.family": "DejaVu Sans",
    })


def new_figure(title, source, nrows=1, ncols=1, size=FIGURE_SIZE, **kwargs):
    fig, axes = plt.subplots(nrows, ncols, figsize=size, layout="constrained", **kwargs)
    fig.suptitle(title, x=0.01, ha="left")
    fig.supxlabel(source, x=0.01, ha="left", fontsize=10.5, color=GREY)
    return fig, axes


def month_axis(ax, labels, first=0, last=None):
    """Month labels on the x axis: a tick every quarter, 'Apr\\n2020'."""
    last = len(labels) - 1 if last is None else last
    ticks = [i for i in range(first, last + 1) if int(labels[i][5:7]) in (1, 4, 7, 10)]
    if len(ticks) < 3:
        ticks = list(range(first, last + 1))
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{MONTH_NAMES[int(labels[i][5:7]) - 1]}\n{labels[i][:4]}"
                        for i in ticks])
    ax.set_xlim(first - 0.5, last + 0.5)


def thousands(ax, axis="y"):
    formatter = matplotlib.ticker.FuncFormatter(
        lambda v, _: f"{v:,.0f}".replace("-", "\u2212"))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def percent(ax, digits=0):
    ax.yaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda v, _: f"{100 * v:.{digits}f}%"))


def fan(ax, x, data, colour, label=None, alpha90=0.18, alpha50=0.35, lw=3.0):
    """Median line with 50% and 90% bands across replications (axis 0 of `data`)."""
    q = quantiles(data)
    ax.fill_between(x, q[0], q[4], color=colour, alpha=alpha90, lw=0)
    ax.fill_between(x, q[1], q[3], color=colour, alpha=alpha50, lw=0)
    ax.plot(x, q[2], color=colour, lw=lw, label=label)
    return q


def fan_legend_handles(colour, median_label="Median of runs"):
    return [Line2D([], [], color=colour, lw=3, label=median_label),
            Patch(color=colour, alpha=0.45, label="50% of runs"),
            Patch(color=colour, alpha=0.2, label="90% of runs")]


def save(fig, path):
    """Writes the figure to a temporary file beside `path`, then renames it into place."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".part",
                                   dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            fig.savefig(stream, format="png", dpi=DPI)
        os.chmod(tmp, 0o666 & ~UMASK)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    finally:
        plt.close(fig)


def write_text(path, content):
    directory = os.path.dirname(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".part",
                                   dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.chmod(tmp, 0o666 & ~UMASK)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def shade_window(ax, results, label=True):
    window = results.window
    if len(window) == len(results.month_labels):
        return
    ax.axvspan(window[0] - 0.5, window[-1] + 0.5, color="#EEEEEE", zorder=0, lw=0)
    if label:
        ax.text(window[0] - 0.3, 0.015,
                f"Peak searched {month_name(results.month_labels[window[0]])} \u2013 "
                f"{month_name(results.month_labels[window[-1]])}",
                transform=ax.get_xaxis_transform(), va="bottom", ha="left", fontsize=13,
                color=GREY)


def chart_waiting_list(results, peak, path):
    labels = results.month_labels
    x = np.arange(len(labels))
    fig, ax = new_figure("When does the waiting list peak, and how high?", results.source_line())
    shade_window(ax, results)
    q = fan(ax, x, peak.list, BLUE)
    # The same month a year earlier (the plan's comparison).
    prior_median = np.full(len(labels), np.nan)
    prior_median[12:] = q[2][:-12]
    ax.plot(x, prior_median, color=GREY, lw=2, ls="--")
    # The peak: most common month, with the 90% range of months and of heights.
    pm, ph = peak.mode_month, peak.height_q[2]
    xerr = [[pm - peak.month_q[0]], [peak.month_q[1] - pm]]
    yerr = [[ph - peak.height_q[0]], [peak.height_q[4] - ph]]
    ax.errorbar([pm], [ph], xerr=xerr, yerr=yerr, fmt="o", color=VERMILLION, ms=11,
                mec="white", mew=1.5, elinewidth=2.5, capsize=7, zorder=5)
    where = month_name(labels[pm])
    note = (f"Peak: {where}, {fmt_count(ph)}\n"
            f"90% of runs: {fmt_count(peak.height_q[0])} \u2013 {fmt_count(peak.height_q[4])}\n"
            f"{peak.mode_count} of {len(peak.month)} runs peak in {where}")
    if peak.at_window_start:
        note += "\n(first month searched: the list is falling)"
    elif peak.at_window_end:
        note += "\n(last month searched: the list is still rising)"
    # The axis starts at zero so that a change of a few per cent does not look like a doubling.
    lo, hi = 0.0, np.nanmax(q[4])
    span = hi if hi > 0 else 1.0
    ax.set_ylim(0.0, hi + 0.45 * span)
    # The note sits in the headroom above the data, with an arrow to the peak.
    right = pm < len(labels) * 0.6
    ax.annotate(note, xy=(pm, peak.height_q[4]), xytext=(pm + (1.0 if right else -1.0),
                                                         hi + 0.25 * span),
                ha="left" if right else "right", va="center", fontsize=14, color=VERMILLION,
                fontweight="bold", arrowprops=dict(arrowstyle="->", color=VERMILLION, lw=2,
                                                   shrinkB=6))
    thousands(ax)
    month_axis(ax, labels)
    ax.set_ylabel("Patients waiting (incomplete RTT pathways)")
    ax.set_title("All modelled BLMK hospitals, end of month")
    median, band50, band90 = fan_legend_handles(BLUE)
    prior = Line2D([], [], color=GREY, lw=2, ls="--", label="Same month a year earlier (median)")
    marker = Line2D([], [], color=VERMILLION, marker="o", lw=2.5, ms=10,
                    label="Peak month and height (90% of runs)")
    # Filled column by column: rows read median, 50%, 90% / a year earlier, peak.
    handles = [median, prior, band50, marker, band90]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3,
              fontsize=13.5)
    save(fig, path)


def chart_phase3(results, outcomes, path):
    labels = results.month_labels
    vs_prior = results.series("activity_vs_prior_year")
    n = max(1, len(outcomes))
    fig, axes = new_figure("Will activity reach the Phase 3 targets by October 2020?",
                           results.source_line(), 1, n, sharey=True)
    axes = np.atleast_1d(axes)
    if not outcomes:
        axes[0].text(0.5, 0.5, "No Phase 3 targets in this results file", ha="center",
                     transform=axes[0].transAxes)
        save(fig, path)
        return
    # From the first comparable month to the end of the analysis window (or the target month).
    valid = np.flatnonzero(np.any(np.isfinite(vs_prior[:, :, [o["m"] for o in outcomes]]),
                                  axis=(0, 2)))
    first = int(valid[0]) if len(valid) else 0
    last = max(int(results.window[-1]), max(o["month"] for o in outcomes))
    last = min(last, len(labels) - 1)
    x = np.arange(first, last + 1)
    top = 0.0
    for ax, o in zip(axes, outcomes):
        data = vs_prior[:, first:last + 1, o["m"]]
        q = fan(ax, x, data, BLUE)
        top = max(top, np.nanmax(q[4]))
        ax.axhline(o["threshold"], color="black", ls="--", lw=2)
        ax.text(first - 0.3, o["threshold"], f"target {fmt_pct(o['threshold'])}",
                va="bottom", ha="left", fontsize=14)
        r = quantiles(o["ratios"])
        ax.errorbar([o["month"]], [r[2]], yerr=[[r[2] - r[0]], [r[4] - r[2]]], fmt="o",
                    color=VERMILLION, ms=10, mec="white", mew=1.5, elinewidth=2.5, capsize=6,
                    zorder=5)
        share = o["met_count"] / o["n"] if o["n"] else float("nan")
        ax.set_title(f"{PHASE3_TITLES.get(o['measure'], o['measure'])}", fontsize=15)
        ax.text(0.03, 0.97,
                f"{month_name(o['month_label'])}: {fmt_pct(r[2])}\n"
                f"Target met in {o['met_count']} of {o['n']} runs\n"
                f"Probability {fmt_pct(share)} "
                f"({fmt_pct(icsflow_results.wilson(o['met_count'], o['n'])[0])}\u2013"
                f"{fmt_pct(icsflow_results.wilson(o['met_count'], o['n'])[1])})",
                transform=ax.transAxes, va="top", ha="left", fontsize=15,
                color=VERMILLION, fontweight="bold")
        month_axis(ax, labels, first, last)
    axes[0].set_ylim(0.0, max(1.25, top * 1.05) + 0.30)
    percent(axes[0])
    axes[0].set_ylabel("Activity as % of the same month a year earlier")
    handles = fan_legend_handles(BLUE) + [
        Line2D([], [], color=VERMILLION, marker="o", lw=2.5, ms=9,
               label="Target month (90% of runs)")]
    axes[-1].legend(handles=handles, loc="lower right", fontsize=13)
    save(fig, path)


def chart_long_waits(results, path):
    labels = results.month_labels
    x = np.arange(len(labels))
    u = results.all_unit
    fig, (top, bottom) = new_figure(
        "How many wait over a year, and how many are treated within 18 weeks?",
        results.source_line(), 2, 1, size=(13.33, 10), sharex=True)
    q = fan(top, x, results.series("over_52_weeks")[:, :, u], VERMILLION)
    top.set_title("Patients waiting 52 weeks or more, all modelled BLMK hospitals")
    top.set_ylabel("Patients")
    top.set_ylim(0, np.nanmax(q[4]) * 1.15 + 1)
    thousands(top)
    top.legend(handles=fan_legend_handles(VERMILLION), loc="upper left")
    q = fan(bottom, x, results.series("within_18_weeks_share")[:, :, u], BLUE)
    bottom.axhline(0.92, color="black", ls="--", lw=2)
    bottom.text(len(labels) - 0.6, 0.92, "92% standard", ha="right", va="bottom", fontsize=14)
    bottom.set_title("Share of the waiting list waiting under 18 weeks")
    bottom.set_ylabel("Share of the list")
    bottom.set_ylim(max(0.0, np.nanmin(q[0]) - 0.05), 1.0)
    percent(bottom)
    bottom.legend(handles=fan_legend_handles(BLUE), loc="lower left")
    month_axis(bottom, labels)
    save(fig, path)


def chart_beds(results, path):
    labels = results.month_labels
    x = np.arange(len(labels))
    names = results.short_hospital_names()
    fig, axes = new_figure(
        "How full are the hospitals, and what does it cost planned operations?",
        results.source_line(), 3, 1, size=(13.33, 13), sharex=True)
    panels = [
        ("bed_occupancy_share", "General and acute beds occupied, % of beds open (monthly mean)",
         "Occupied", True),
        ("beds_medically_fit", "Beds held by medically fit patients (delayed transfers), "
         "monthly mean", "Beds", False),
        ("on_the_day_cancellations", "Elective operations cancelled on the day for want of a bed",
         "Operations a month", False),
    ]
    for ax, (name, title, ylabel, share) in zip(axes, panels):
        data = results.series(name)
        for h, label in enumerate(names):
            colour = HOSPITAL_COLOURS[h % len(HOSPITAL_COLOURS)]
            q = quantiles(data[:, :, h])
            ax.fill_between(x, q[0], q[4], color=colour, alpha=0.18, lw=0)
            ax.plot(x, q[2], color=colour, lw=3, label=label)
        ax.set_title(title, fontsize=16)
        ax.set_ylabel(ylabel)
        if share:
            ax.axhline(0.92, color="black", ls="--", lw=1.8)
            percent(ax)
            ax.set_ylim(max(0.0, np.nanmin(quantiles(data)[0]) - 0.05), 1.0)
        else:
            ax.set_ylim(0, np.nanmax(quantiles(data)[4]) * 1.12 + 1)
            thousands(ax)
        if name == "beds_medically_fit":
            total = quantiles(np.nansum(data, axis=2))
            ax.text(0.01, 0.04,
                    f"All hospitals together: {fmt_count(np.nanmedian(total[2]))} beds in a "
                    f"typical month (monthly medians {fmt_count(np.nanmin(total[2]))}\u2013"
                    f"{fmt_count(np.nanmax(total[2]))})",
                    transform=ax.transAxes, fontsize=14, ha="left", va="bottom")
    handles = [Line2D([], [], color=HOSPITAL_COLOURS[h % len(HOSPITAL_COLOURS)], lw=3, label=n)
               for h, n in enumerate(names)]
    handles.append(Patch(color=GREY, alpha=0.3, label="90% of runs"))
    handles.append(Line2D([], [], color="black", ls="--", lw=1.8, label="92% occupied"))
    axes[0].legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.12),
                   ncol=len(handles), fontsize=14, borderaxespad=0.0)
    month_axis(axes[-1], labels)
    save(fig, path)


class Comparison:
    """Scenario B against A on the all-hospital waiting list, by month label."""

    def __init__(self, a, b, labels):
        self.a, self.b = a, b
        self.label_a, self.label_b = labels
        common = [m for m in a.month_labels if m in b.month_labels]
        if not common:
            raise BriefingError(f"'{a.path}' and '{b.path}' share no months: cannot compare")
        self.months = common
        ia = [a.month_labels.index(m) for m in common]
        ib = [b.month_labels.index(m) for m in common]
        self.list_a = a.series("waiting_list")[:, ia, a.all_unit]
        self.list_b = b.series("waiting_list")[:, ib, b.all_unit]
        shared = sorted(set(a.replication.tolist()) & set(b.replication.tolist()))
        self.paired = bool(shared) and a.seed is not None and a.seed == b.seed
        if self.paired:
            ra = [a.replication.tolist().index(r) for r in shared]
            rb = [b.replication.tolist().index(r) for r in shared]
            self.diff = self.list_b[rb] - self.list_a[ra]
            self.pairs = len(shared)
        else:
            why = "different master seeds" if shared else "no replication indices in common"
            print(f"briefing.py: warning: runs cannot be paired ({why}); the difference is "
                  "shown unpaired", file=sys.stderr)
            self.diff = (self.list_b[:, None, :] - self.list_a[None, :, :]).reshape(
                -1, len(common))
            self.pairs = 0
        # All (i, j) combinations: the spread if the runs were independent.
        self.unpaired = (self.list_b[:, None, :] - self.list_a[None, :, :]).reshape(
            -1, len(common))


def chart_compare(cmp, path):
    labels = cmp.months
    x = np.arange(len(labels))
    fig, (top, bottom) = new_figure(
        f"How does the waiting list differ: {cmp.label_b} vs {cmp.label_a}?",
        cmp.a.source_line(cmp.b, (cmp.label_a, cmp.label_b)),
        2, 1, size=(13.33, 11), sharex=True)
    fan(top, x, cmp.list_a, BLUE, label=cmp.label_a)
    fan(top, x, cmp.list_b, VERMILLION, label=cmp.label_b)
    top.set_ylim(bottom=0.0)  # from zero: the gap between the plans at its true scale
    top.set_title("Patients waiting, all modelled BLMK hospitals, end of month")
    top.set_ylabel("Patients waiting")
    thousands(top)
    top.legend(handles=[
        Line2D([], [], color=BLUE, lw=3, label=f"{cmp.label_a} (median, 50% and 90% of runs)"),
        Line2D([], [], color=VERMILLION, lw=3,
               label=f"{cmp.label_b} (median, 50% and 90% of runs)")], loc="lower left")
    q = fan(bottom, x, cmp.diff, PURPLE, alpha90=0.3, alpha50=0.55)
    u = quantiles(cmp.unpaired)
    bottom.plot(x, u[0], color=GREY, lw=1.5, ls=":")
    bottom.plot(x, u[4], color=GREY, lw=1.5, ls=":")
    bottom.axhline(0, color="black", lw=1.2)
    kind = "paired by run" if cmp.paired else "runs not paired"
    bottom.set_title(f"Difference, {cmp.label_b} minus {cmp.label_a} ({kind})", fontsize=15)
    bottom.set_ylabel("Difference in patients waiting")
    thousands(bottom)
    lo = np.nanmin([np.nanmin(q[0]), np.nanmin(u[0]), 0])
    hi = np.nanmax([np.nanmax(q[4]), np.nanmax(u[4]), 0])
    span = hi - lo if hi > lo else 1.0
    bottom.set_ylim(lo - 0.08 * span, hi + 0.35 * span)
    handles = fan_legend_handles(PURPLE, "Median difference")
    if cmp.paired:
        handles[0].set_label(f"Median difference of {cmp.pairs} pairs of runs sharing "
                             "random streams")
        handles[1].set_label("50% of pairs")
        handles[2].set_label("90% of pairs")
        handles.append(Line2D([], [], color=GREY, lw=1.5, ls=":",
                              label="90% if the runs were not paired"))
    bottom.legend(handles=handles, loc="upper left", ncol=2)
    month_axis(bottom, labels)
    save(fig, path)


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------

def summary_sentences(results, peak, outcomes, cmp=None):
    labels = results.month_labels
    n = len(peak.month)
    where = month_name(labels[peak.mode_month], long=True)
    vs = peak.vs_prior_median
    relative = ""
    if np.isfinite(vs):
        relative = (f", {fmt_pct(abs(vs - 1))} {'above' if vs >= 1 else 'below'} "
                    "the same month a year earlier")
    spread = ""
    if peak.mode_count < n and peak.month_q[0] != peak.month_q[1]:
        spread = (f"; 90% of runs peak between {month_name(labels[int(peak.month_q[0])])} and "
                  f"{month_name(labels[int(peak.month_q[1])])}")
    sentences = [
        f"The waiting list across all modelled BLMK hospitals is highest in {where} "
        f"({peak.mode_count} of {n} runs{spread}) at {fmt_count(peak.height_q[2])} pathways "
        f"(90% of runs between {fmt_count(peak.height_q[0])} and {fmt_count(peak.height_q[4])})"
        f"{relative}."]

    med = np.nanmedian(peak.list, axis=0)
    window = results.window
    end_q = quantiles(peak.list[:, -1])
    end_vs = (np.nanmedian(peak.list[:, -1] / peak.list[:, -13])
              if len(labels) > 12 else float("nan"))
    end_text = (f"it ends the run in {month_name(labels[-1], long=True)} at {fmt_count(end_q[2])} "
                f"({fmt_count(end_q[0])}\u2013{fmt_count(end_q[4])})")
    if np.isfinite(end_vs):
        end_text += f", {fmt_pct(abs(end_vs - 1))} {'above' if end_vs >= 1 else 'below'} a year earlier"
    if peak.at_window_start:
        low = window[int(np.nanargmin(med[window]))]
        sentences.append(
            f"That is the first month searched ({month_name(labels[window[0]])} to "
            f"{month_name(labels[window[-1]])}), so the list is falling rather than peaking: "
            f"it is lowest in {month_name(labels[low], long=True)} at {fmt_count(med[low])}, "
            f"and {end_text}.")
    elif peak.at_window_end:
        sentences.append(
            f"That is the last month searched ({month_name(labels[window[0]])} to "
            f"{month_name(labels[window[-1]])}), so the list is still rising; {end_text}.")
    else:
        sentences.append(f"After the peak {end_text}.")

    if outcomes:
        parts = []
        for o in outcomes:
            r = np.nanmedian(o["ratios"])
            low, high = icsflow_results.wilson(o["met_count"], o["n"])
            parts.append(f"{o['measure'].replace('_', '-')} activity {fmt_pct(r)} "
                         f"(target {fmt_pct(o['threshold'])}, met in {o['met_count']} of "
                         f"{o['n']} runs: probability {fmt_pct(o['met_count'] / o['n'])}, "
                         f"95% interval {fmt_pct(low)} to {fmt_pct(high)})")
        months = sorted({o["month_label"] for o in outcomes})
        when = " and ".join(month_name(m, long=True) for m in months)
        met_all = all(o["met_count"] == o["n"] for o in outcomes)
        met_none = [o for o in outcomes if o["met_count"] == 0]
        verdict = ("all Phase 3 targets are met in every run" if met_all else
                   f"{len(met_none)} of {len(outcomes)} Phase 3 targets are missed in every run"
                   if met_none else "no Phase 3 target is certain")
        sentences.append(
            f"In {when}, against the same month a year earlier, the model gives "
            + "; ".join(parts) + f": {verdict}.")

    if results.uncertainty == "chance":
        held = ("chance alone across {n} runs with different random streams, not uncertainty "
                "in the scenario's assumptions (demand recovery, capacity), which is larger")
    else:
        held = ("chance across {n} runs and the scenario's uncertain assumptions drawn in each "
                "run (" + results.uncertainty.split(":", 1)[-1].strip() + ")")
    sentences.append(
        "The ranges reflect " + held.format(n=n) + f"; with {n} runs a probability is known to "
        f"within about \u00b1{round(196 * math.sqrt(0.25 / n))} points (less near 0% or 100%).")

    if cmp is not None:
        sentences.append(comparison_sentence(results, cmp))
    return sentences


def comparison_sentence(results, cmp):
    """The difference B - A at the end of the analysis window and at the end of the run."""
    labels = results.month_labels
    months = []
    window_end = labels[results.window[-1]]
    if window_end in cmp.months and window_end != cmp.months[-1]:
        months.append(cmp.months.index(window_end))
    months.append(len(cmp.months) - 1)
    kind = "paired" if cmp.paired else "unpaired"
    pieces = []
    for i in months:
        d = quantiles(cmp.diff[:, i])
        if np.all(cmp.diff[:, i] == 0):
            pieces.append(f"unchanged in {month_name(cmp.months[i], long=True)}")
            continue
        direction = "lower" if d[2] < 0 else "higher"
        lo, hi = sorted((abs(d[0]), abs(d[4])))
        same_sign = d[0] * d[4] > 0
        interval = (f"{kind} 90% interval {fmt_count(lo)} to {fmt_count(hi)} {direction}"
                    if same_sign else
                    f"{kind} 90% interval {fmt_signed(d[0])} to {fmt_signed(d[4])}, "
                    "so no clear difference")
        pieces.append(f"{fmt_count(abs(d[2]))} {direction} in "
                      f"{month_name(cmp.months[i], long=True)} ({interval})")
    return f"Against {cmp.label_a}, {cmp.label_b} leaves the list " + " and ".join(pieces) + "."


def headline_figures(results, peak, outcomes, label):
    """The numbers the page states, each with its exact value for the browser test:
    (key, what, value, shown)."""
    rows = [(f"{label}/list_peak_median", f"{label}: waiting list at its peak (median of runs)",
             float(np.nanmedian(peak.height)), fmt_count(np.nanmedian(peak.height))),
            (f"{label}/list_peak_month", f"{label}: month of the peak (most runs)",
             results.month_labels[peak.mode_month], month_name(results.month_labels[peak.mode_month]))]
    # Every target of the file, of any kind (not only the Phase 3 activity targets charted).
    for name in sorted(results.file["summary/values"]):
        if not (name.startswith("target") and name.endswith("_met")):
            continue
        met = results.summary(name)
        met = met[np.isfinite(met)]
        count, n = int(np.sum(met > 0.5)), len(met)
        low, high = icsflow_results.wilson(count, n)
        share = count / n if n else float("nan")
        target = name[:-4].removeprefix("target_")
        rows.append((f"{label}/{name[:-4]}_probability",
                     f"{label}: probability of meeting {target.replace('_', ' ')}", share,
                     f"{fmt_pct(share)} (95% interval {fmt_pct(low)} to {fmt_pct(high)})"))
    return rows


def write_briefing(outdir, results, sentences, charts, cmp, figures_rows=()):
    title = "BLMK waiting list and recovery: board briefing"
    scenario = results.label() if cmp is None else f"{cmp.label_a} compared with {cmp.label_b}"
    created = dt.datetime.now(dt.timezone.utc).strftime("%d %B %Y")
    source = (results.source_line() if cmp is None else
              results.source_line(cmp.b, (cmp.label_a, cmp.label_b))).replace("\n", " ")

    md = [f"# {title}", "", f"Scenario: **{scenario}**. Prepared {created}.", "",
          " ".join(sentences), ""]
    for file_name, caption in charts:
        md += [f"![{caption}]({file_name})", "", f"*{caption}*", ""]
    md += [f"<small>{source}</small>", ""]
    write_text(os.path.join(outdir, "briefing.md"), "\n".join(md))

    figures = []
    for file_name, caption in charts:
        with open(os.path.join(outdir, file_name), "rb") as stream:
            data = base64.b64encode(stream.read()).decode("ascii")
        figures.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(caption)}">'
            f"<figcaption>{html.escape(caption)} ({html.escape(file_name)})</figcaption>"
            "</figure>")
    rows = [f'<tr><td>{html.escape(what)}</td><td class="figure" data-key="{html.escape(key)}" '
            f'data-value="{html.escape(str(value))}">{html.escape(shown)}</td></tr>'
            for key, what, value, shown in figures_rows]
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
  body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 1.5em 2em; color: #222; }}
  h1 {{ font-size: 1.7em; margin-bottom: 0.2em; }}
  .meta {{ color: #555; margin-top: 0; }}
  .summary {{ font-size: 1.2em; line-height: 1.5; max-width: 70em; }}
  .charts {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(36em, 1fr));
             gap: 1.2em; }}
  figure {{ margin: 0; }}
  img {{ width: 100%; height: auto; border: 1px solid #ddd; }}
  figcaption {{ color: #555; font-size: 0.95em; }}
  footer {{ color: #666; font-size: 0.85em; margin-top: 1.5em; }}
  table.headline {{ border-collapse: collapse; margin: 0.8em 0 1.2em; }}
  table.headline td, table.headline th {{ padding: 0.2em 0.8em; border-bottom: 1px solid #ddd;
                                         text-align: left; }}
  @media print {{ body {{ margin: 0.5cm; }} .charts {{ grid-template-columns: 1fr 1fr; }} }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="meta">Scenario: <strong>{html.escape(scenario)}</strong>. Prepared {created}.</p>
<p class="summary">{html.escape(" ".join(sentences))}</p>
<table class="headline">
<tr><th>Headline figure</th><th>Value</th></tr>
{chr(10).join(rows)}
</table>
<div class="charts">
{chr(10).join(figures)}
</div>
<footer>{html.escape(source)}</footer>
<script>
// Records on the page how many charts the browser drew (the browser test reads it).
window.addEventListener("load", function () {{
  var images = document.querySelectorAll("img");
  var drawn = 0;
  images.forEach(function (img) {{ if (img.complete && img.naturalWidth > 0) drawn++; }});
  document.body.setAttribute("data-charts", String(images.length));
  document.body.setAttribute("data-charts-drawn", String(drawn));
}});
</script>
</body>
</html>
"""
    write_text(os.path.join(outdir, "briefing.html"), page)


# ---------------------------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="briefing.py",
        description="Board charts (PNG) and a one-page briefing from an icsflow BLMK results "
                    "file.")
    parser.add_argument("results", help="icsflow results file (HDF5)")
    parser.add_argument("--compare", metavar="OTHER.h5",
                        help="a second results file to compare with (paired by replication)")
    parser.add_argument("--labels", nargs=2, metavar=("LABEL", "LABEL"),
                        help="names of RESULTS and OTHER in the charts (with --compare)")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="output directory (default: briefing/ beside RESULTS)")
    args = parser.parse_args(argv)
    if args.labels and not args.compare:
        parser.error("--labels needs --compare (two scenarios to name)")
    if args.output is None:
        args.output = os.path.join(os.path.dirname(os.path.abspath(args.results)), "briefing")
    return args


def run(args):
    results = Results(args.results)
    other = Results(args.compare) if args.compare else None
    try:
        os.makedirs(args.output, exist_ok=True)
    except OSError as error:
        raise BriefingError(f"cannot create output directory '{args.output}': "
                            f"{error.strerror}") from None
    if not os.access(args.output, os.W_OK):
        raise BriefingError(f"output directory '{args.output}' is not writable")

    style()
    peak = PeakStats(results)
    outcomes = target_outcomes(results)
    cmp = None
    if other is not None:
        labels = args.labels or [results.label(), other.label()]
        if labels[0] == labels[1]:
            labels = [os.path.basename(args.results), os.path.basename(args.compare)]
        cmp = Comparison(results, other, labels)

    charts = [
        ("waiting_list.png", "Waiting list: median and spread across runs, with the peak"),
        ("phase3_activity.png", "Activity against the Phase 3 targets"),
        ("long_waits.png", "52+ week waiters and the share within 18 weeks"),
        ("beds.png", "Bed occupancy, delayed transfers and on-the-day cancellations"),
    ]
    out = lambda name: os.path.join(args.output, name)  # noqa: E731
    try:
        chart_waiting_list(results, peak, out("waiting_list.png"))
        chart_phase3(results, outcomes, out("phase3_activity.png"))
        chart_long_waits(results, out("long_waits.png"))
        chart_beds(results, out("beds.png"))
        if cmp is not None:
            chart_compare(cmp, out("compare.png"))
            charts.append(("compare.png", f"{cmp.label_b} compared with {cmp.label_a}"))
        sentences = summary_sentences(results, peak, outcomes, cmp)
        rows = headline_figures(results, peak, outcomes, cmp.label_a if cmp else results.label())
        if cmp is not None:
            rows += headline_figures(other, PeakStats(other), target_outcomes(other), cmp.label_b)
        write_briefing(args.output, results, sentences, charts, cmp, rows)
    except OSError as error:
        raise BriefingError(f"cannot write to '{args.output}': {error.strerror or error}") \
            from None
    print(f"briefing.py: wrote {len(charts)} charts and briefing.html, briefing.md to "
          f"{args.output}")
    for sentence in sentences:
        print("  " + sentence)
    return 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return run(args)
    except BriefingError as error:
        print(f"briefing.py: error: {error}", file=sys.stderr)
        return EXIT_FILE


if __name__ == "__main__":
    sys.exit(main())
