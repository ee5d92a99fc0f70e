#!/usr/bin/python3
"""Board briefing from icsflow BLMK results files: charts (PNG) and a one-page summary.

    briefing.py RESULTS.h5 [MORE.h5 ...] [--compare OTHER.h5] [--labels LABEL ...]
                [--icsflow PATH] [--strict-layout] [-o DIR]

One file describes one scenario; two to six files compare scenarios, the first being the
reference (--compare OTHER.h5 is another way to name the second). Writes into DIR (default:
briefing/ beside the first file):
  waiting_list.png     the waiting list (all modelled hospitals) of each scenario: median, 50%
                       and 90% bands across runs, the peak and its interval
  targets.png          every target of the files (one panel each, 1 to 6 or more): the value in
                       each run of each scenario against the threshold, and the probability that
                       it is met with its 95% Wilson interval
  phase3_activity.png  activity as a share of the same month a year earlier for each Phase 3
                       activity measure that has a target, each scenario (only with such targets)
  long_waits.png       52+ week waiters and the share of the list within 18 weeks
  beds.png             bed occupancy, beds held by medically fit patients (delayed transfers)
                       and operations cancelled on the day: by hospital for one scenario, the
                       whole system for each scenario when there are several
  compare.png          with two or more scenarios: each one's waiting list minus the first's,
                       paired by replication when the files pair (same master seed and
                       replications: common random numbers), otherwise unpaired
  briefing.html        one page: a short summary written from the numbers, a table of the
                       headline figures of each scenario, and the charts (embedded, so the file
                       stands alone)
  briefing.md          the same summary, linking the PNG files

With several scenarios every chart shows each one (its own colour, legends beside or below the
data, never over it) and every sentence states each scenario's value; the paired differences and
their 95% intervals are those of `icsflow compare` (run by this script: --icsflow, $ICSFLOW,
build/icsflow or the PATH). Files that cannot be paired are compared side by side without
differences, and the page says why.

Bands are quantiles across replications. Their footers say what they hold, from the file's root
attribute `uncertainty`: chance alone (random streams), or chance and the configuration's
uncertain assumptions drawn per replication. Probabilities carry 95% Wilson intervals. Y axes do
not exaggerate: counts start at zero; shares and ratios span at least 20 percentage points.
Files are opened and checked (filetype, format_version) by the shared reader
scripts/icsflow_results.py, which also reads the targets and runs `icsflow compare`.

Every chart is checked before it is written: no text outside the image, no titles or notes
overlapping each other, no legend over data (layout_problems below). Problems are warnings, or
errors with --strict-layout (the tests use it).

Exit status: 0 done; 2 bad command line; 4 a results file missing, unreadable, not an icsflow
results file or without the series the briefing needs, or the output directory not writable;
5 a layout problem with --strict-layout.
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
import textwrap
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
from matplotlib.text import Text  # noqa: E402

EXIT_USAGE = 2  # what argparse exits with on a bad command line
EXIT_FILE = 4
EXIT_LAYOUT = 5

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
# Scenarios in this order: the reference first; the most distinct pairs come first.
SCENARIO_COLOURS = [BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY]
# And a line style each: where two scenarios coincide (before a change starts), the first shows
# through the gaps of the others' dashes.
SCENARIO_LINES = ["-", (0, (4, 2)), (0, (1.5, 1.5)), (0, (6, 2, 1.5, 2)), (0, (2, 3)),
                  (0, (8, 3))]
MAX_SCENARIOS = len(SCENARIO_COLOURS)

FIGURE_WIDTH = 13.33  # a 16:9 slide is 13.33 x 7.5 inches
FIGURE_SIZE = (FIGURE_WIDTH, 7.5)
DPI = 150
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
# Shares and ratios are drawn over at least this span (20 percentage points), so that a change
# of a point or two does not fill the chart; counts are drawn from zero.
MIN_SHARE_SPAN = 0.20
AXIS_RULE = ("Y axes: counts from zero; shares and ratios over at least 20 percentage points.")
FOOTER_FONT = 10.5

MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
LONG_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                    "September", "October", "November", "December"]

PHASE3_TITLES = {
    "elective": "Electives (day cases and inpatients)",
    "outpatient": "Outpatients (first and follow-up)",
    "diagnostic": "Diagnostics (MRI, CT, endoscopy)",
    "endoscopy": "Endoscopy",
    "non_elective": "Non-elective admissions",
}

# How a target's measure reads in a sentence, and whether its figure is a share of the same
# month a year earlier (written as a percentage "of a year earlier").
MEASURE_WORDS = {
    "elective_activity": ("elective activity", True),
    "outpatient_activity": ("outpatient activity", True),
    "diagnostic_activity": ("diagnostic activity", True),
    "endoscopy_activity": ("endoscopy activity", True),
    "waiting_list": ("the waiting list", False),
    "waiting_list_vs_prior_year": ("the waiting list", True),
    "over_52_weeks": ("52+ week waiters", False),
    "over_78_weeks": ("78+ week waiters", False),
    "over_104_weeks": ("104+ week waiters", False),
    "within_18_weeks_share": ("the share within 18 weeks", False),
    "bed_occupancy": ("bed occupancy", False),
    "delayed_transfer_beds": ("beds held by medically fit patients", False),
    "cancellations": ("on-the-day cancellations", False),
}

REQUIRED_SERIES = [
    "waiting_list", "over_52_weeks", "within_18_weeks_share", "activity_vs_prior_year",
    "bed_occupancy_share", "beds_medically_fit", "on_the_day_cancellations",
]
REQUIRED_AXES = ["month", "month_label", "reporting_unit", "trust", "provider", "phase3_measure"]


class BriefingError(Exception):
    """A problem with an input or output file (exit status 4)."""


class LayoutError(Exception):
    """A chart with text outside it or overlapping, with --strict-layout (exit status 5)."""


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
    return f"{100.0 * share:.{digits}f}%".replace("-", "\u2212")


def fmt_points(share, digits=0, unit=True):
    """A difference of shares in percentage points, signed: '+12 points' (or '+12')."""
    if not np.isfinite(share):
        return "n/a"
    value = round(100.0 * share, digits)
    sign = "+" if value > 0 else ("\u2212" if value < 0 else "")
    return f"{sign}{abs(value):.{digits}f}" + (" points" if unit else "")


def with_difference(value, difference):
    """'86% (51% to 100%)' and 'paired ...' -> '86% (51% to 100%; paired ...)'."""
    if not difference:
        return value
    if value.endswith(")"):
        return f"{value[:-1]}; {difference})"
    return f"{value} ({difference})"


def quantiles(data, axis=0):
    """Quantiles QUANTILES across `axis`, NaN ignored (all-NaN gives NaN quietly)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(data, QUANTILES, axis=axis)


def wrap(words, width_inches, fontsize):
    """`words` broken into lines that fit `width_inches` at `fontsize` points (DejaVu Sans
    averages under 0.6 em a character), keeping the line breaks it has."""
    chars = max(20, int(width_inches * 72 / (fontsize * 0.6)))
    return "\n".join(textwrap.fill(line, chars) if line else line
                     for line in words.split("\n"))


class Results:
    """One icsflow BLMK results file (one scenario), read with h5py through the shared reader.
    `label` and `colour` name it in the charts and sentences."""

    def __init__(self, path, label=None, colour=BLUE, line="-"):
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
        self.window = self._peak_window(self.config.get("analysis", {}))
        self.targets = icsflow_results.targets(self.file)
        self.label = label or self.default_label()
        self.colour = colour
        self.line = line
        self.peak = PeakStats(self)

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

    def default_label(self):
        stem = os.path.splitext(os.path.basename(self.config_path or self.path))[0]
        return stem or os.path.basename(self.path)

    def provenance(self):
        commit = self.commit[:9] + (" (modified)" if self.dirty else "")
        created = self.created[:10] if self.created else "?"
        return (f"icsflow model '{self.model}', {os.path.basename(self.path)} "
                f"({self.config_path or 'config ?'}), {self.replications} replications, "
                f"master seed {self.seed}, commit {commit}, run {created}.")


def source_lines(scenarios, pairing=None):
    """The footer of every chart and of the page: each file's provenance, what the bands hold
    (said once when every scenario holds the same), how the scenarios pair, and the axis rule."""
    if len(scenarios) == 1:
        lines = [f"Source: {scenarios[0].provenance()}"]
    else:
        lines = [f"Source: {s.label}: {s.provenance()}" if i == 0 else
                 f"{s.label}: {s.provenance()}" for i, s in enumerate(scenarios)]
    footers = {s.bands_footer for s in scenarios}
    if len(footers) == 1:
        lines.append(scenarios[0].bands_footer)
    else:
        lines.append(" ".join(f"{s.label}: {s.bands_footer}" for s in scenarios))
    if pairing is not None:
        lines.append(pairing.footer())
    lines.append(AXIS_RULE)
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


class Pairing:
    """How the scenarios compare with the first: `icsflow compare` on the files (paired
    differences with 95% intervals, by summary name), or why they cannot be paired."""

    def __init__(self, scenarios, icsflow):
        self.reference = scenarios[0]
        self.measures = None
        self.reason = None
        try:
            self.measures = icsflow_results.compare([s.path for s in scenarios],
                                                    [s.label for s in scenarios], icsflow)
        except icsflow_results.CompareRefused as refused:
            self.reason = str(refused).removeprefix("icsflow: ")
            print(f"briefing.py: warning: no paired differences: {self.reason}",
                  file=sys.stderr)

    @property
    def paired(self):
        return self.measures is not None

    def difference(self, name, scenario):
        """{estimate, paired_low, paired_high, ...} of `scenario` minus the first for the
        summary `name`, or None (not paired, the first scenario, or no such summary)."""
        if not self.paired or scenario is self.reference or name not in self.measures:
            return None
        entry = self.measures[name]["scenarios"].get(scenario.label, {})
        return entry.get("difference")

    def replication_rows(self, scenario):
        """(rows of the first file, rows of `scenario`) of the replications they share, for
        differences run by run; None when the files do not pair."""
        if not self.paired:
            return None
        ra, rb = self.reference.replication.tolist(), scenario.replication.tolist()
        shared = sorted(set(ra) & set(rb))
        return [ra.index(r) for r in shared], [rb.index(r) for r in shared]

    def footer(self):
        if self.paired:
            return ("Differences from " + self.reference.label + " are paired by replication "
                    "(one master seed: replication i of every scenario shares its random "
                    "numbers); their 95% intervals are those of icsflow compare.")
        return (f"The scenarios cannot be paired ({self.reason}): each is shown with its own "
                "spread and no paired difference is given.")


# ---------------------------------------------------------------------------------------------
# Targets in words
# ---------------------------------------------------------------------------------------------

def target_words(target):
    """(what, prior_year): 'elective activity', True for a share of a year earlier."""
    measure = target["measure"]
    return MEASURE_WORDS.get(measure, (measure.replace("_", " "), False))


def fmt_target_value(target, value):
    """A target's figure as its threshold is stated: a percentage for shares and ratios."""
    return fmt_pct(value) if target["ratio"] else fmt_count(value)


def describe_target(target, long_month=True):
    """'elective activity in October 2020 at least 90% of a year earlier'."""
    what, prior_year = target_words(target)
    month = month_name(target["month"], long=long_month) if "-" in target["month"] else \
        target["month"]
    threshold = fmt_target_value(target, target["threshold"])
    if prior_year:
        threshold += " of a year earlier"
    direction = "at least" if target["at_least"] else "at most"
    return f"{what} in {month} {direction} {threshold}"


def all_target_names(scenarios):
    """Every target name of the scenarios, in the order the first file that has it lists it."""
    names = []
    for s in scenarios:
        names += [t["name"] for t in s.targets if t["name"] not in names]
    return names


def target_of(scenario, name):
    return next((t for t in scenario.targets if t["name"] == name), None)


# ---------------------------------------------------------------------------------------------
# Charts: layout
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


def new_figure(title, source, panels=1, ncols=1, panel_height=5.5, legend_rows=0,
               sharex=False, sharey=False):
    """A figure FIGURE_WIDTH wide: the title (wrapped), `panels` axes on a grid of `ncols`
    columns, a row below them for the legend (so that it never lies over data) and the source
    footer (wrapped, so that it is never cut at the right edge). Returns (fig, axes, legend
    axes or None)."""
    nrows = math.ceil(panels / ncols)
    footer = wrap(source, FIGURE_WIDTH - 0.4, FOOTER_FONT)
    heading = wrap(title, FIGURE_WIDTH - 0.4, plt.rcParams["figure.titlesize"])
    legend_height = 0.36 * legend_rows + 0.15 if legend_rows else 0.0
    height = (0.5 * (heading.count("\n") + 1) + 0.3 + nrows * panel_height + legend_height
              + FOOTER_FONT * 1.3 / 72 * (footer.count("\n") + 1) + 0.3)
    fig = plt.figure(figsize=(FIGURE_WIDTH, height), layout="constrained")
    ratios = [panel_height] * nrows + ([legend_height] if legend_rows else [])
    grid = fig.add_gridspec(len(ratios), ncols, height_ratios=ratios)
    axes = []
    for i in range(panels):
        row, column = divmod(i, ncols)
        shared = {}
        if sharex and axes:
            shared["sharex"] = axes[0]
        if sharey and axes:
            shared["sharey"] = axes[0]
        axes.append(fig.add_subplot(grid[row, column], **shared))
    if sharex:
        for ax in axes[:-ncols]:
            ax.tick_params(labelbottom=False)
    legend_ax = None
    if legend_rows:
        legend_ax = fig.add_subplot(grid[-1, :])
        legend_ax.axis("off")
    fig.suptitle(heading, x=0.01, ha="left")
    fig.supxlabel(footer, x=0.01, ha="left", fontsize=FOOTER_FONT, color=GREY)
    return fig, axes, legend_ax


def legend_columns(handles, fontsize=14):
    """The most columns (up to 6) whose entries fit across the figure. Matplotlib fills a
    legend column by column; an entry is its handle, its label (DejaVu Sans averages under 0.6
    em a character) and the spacing after it."""
    em = fontsize / 72
    for ncol in range(min(len(handles), 6), 1, -1):
        rows = math.ceil(len(handles) / ncol)
        columns = [handles[i:i + rows] for i in range(0, len(handles), rows)]
        width = sum(max(len(h.get_label()) for h in column) * 0.6 * em + 4.5 * em
                    for column in columns)
        if width <= FIGURE_WIDTH - 0.6:
            return ncol
    return 1


def bottom_legend(legend_ax, handles, ncol):
    legend_ax.legend(handles=handles, loc="center", ncol=ncol, borderaxespad=0.0,
                     columnspacing=1.5, handlelength=2.2)


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


def count_limits(ax, high, headroom=0.12):
    """Counts from zero: a change of a few per cent must not look like a doubling."""
    high = high if np.isfinite(high) and high > 0 else 1.0
    ax.set_ylim(0.0, high * (1.0 + headroom))


def share_limits(ax, low, high, headroom=0.05, ceiling=None):
    """Shares and ratios over at least MIN_SHARE_SPAN, never below zero (or above `ceiling`)."""
    low = low if np.isfinite(low) else 0.0
    high = high if np.isfinite(high) else 1.0
    if high - low < MIN_SHARE_SPAN:
        middle = (low + high) / 2
        low, high = middle - MIN_SHARE_SPAN / 2, middle + MIN_SHARE_SPAN / 2
    span = high - low
    low, high = low - 0.05 * span, high + headroom * span
    if low < 0.0:
        high, low = high - low, 0.0
    if ceiling is not None and high > ceiling:
        low, high = max(0.0, low - (high - ceiling)), ceiling
    ax.set_ylim(low, high)


def fan(ax, x, data, colour, label=None, alpha90=0.18, alpha50=0.35, lw=3.0, ls="-"):
    """Median line with 50% and 90% bands across replications (axis 0 of `data`)."""
    q = quantiles(data)
    ax.fill_between(x, q[0], q[4], color=colour, alpha=alpha90, lw=0)
    ax.fill_between(x, q[1], q[3], color=colour, alpha=alpha50, lw=0)
    ax.plot(x, q[2], color=colour, lw=lw, ls=ls, label=label)
    return q


def fan_alphas(scenarios):
    """Lighter bands when several scenarios overlap, so that each stays visible."""
    return (0.18, 0.35) if len(scenarios) == 1 else (0.10, 0.22)


def fan_legend_handles(colour, median_label="Median of runs"):
    return [Line2D([], [], color=colour, lw=3, label=median_label),
            Patch(color=colour, alpha=0.45, label="50% of runs"),
            Patch(color=colour, alpha=0.2, label="90% of runs")]


def scenario_handles(scenarios):
    """One legend entry per scenario in its colour; one scenario needs the band entries."""
    if len(scenarios) == 1:
        return fan_legend_handles(scenarios[0].colour)
    return [Line2D([], [], color=s.colour, lw=3, ls=s.line, label=f"{s.label}")
            for s in scenarios] + [
        Patch(color=GREY, alpha=0.45, label="50% of runs"),
        Patch(color=GREY, alpha=0.2, label="90% of runs")]


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


# ---------------------------------------------------------------------------------------------
# Charts: the layout check
# ---------------------------------------------------------------------------------------------

def _inside(inner, outer, tolerance=1.0):
    return (inner.x0 >= outer.x0 - tolerance and inner.y0 >= outer.y0 - tolerance
            and inner.x1 <= outer.x1 + tolerance and inner.y1 <= outer.y1 + tolerance)


def _overlap(a, b, tolerance=1.0):
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance
            and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance)


def _data_points(ax):
    """Display coordinates of what an axes draws: its lines (densified, so that a segment
    crossing a box counts) and the outlines and insides of its bands and markers."""
    points = []
    for line in ax.get_lines():
        xy = line.get_transform().transform(np.column_stack(line.get_data()).astype(float))
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if len(xy) > 1:
            steps = np.linspace(0.0, 1.0, 12)[:, None, None]
            xy = (xy[:-1] + steps * (xy[1:] - xy[:-1])).reshape(-1, 2)
        points.append(xy)
    for collection in ax.collections:
        transform = collection.get_transform()
        for path in collection.get_paths():
            points.append(transform.transform(path.vertices))
        offsets = collection.get_offsets()
        if len(offsets) and collection.get_offset_transform() is not None:
            points.append(collection.get_offset_transform().transform(offsets))
    return np.concatenate(points) if points else np.empty((0, 2))


def _covers_data(box, ax):
    """True when `box` (display coordinates) holds a point or a band of `ax`."""
    xy = _data_points(ax)
    if len(xy) and np.any((xy[:, 0] > box.x0) & (xy[:, 0] < box.x1)
                          & (xy[:, 1] > box.y0) & (xy[:, 1] < box.y1)):
        return True
    # A band can cover a box without a vertex inside it: test points of the box itself.
    grid = np.array([(x, y) for x in np.linspace(box.x0, box.x1, 6)
                     for y in np.linspace(box.y0, box.y1, 4)])
    for collection in ax.collections:
        transform = collection.get_transform()
        for path in collection.get_paths():
            if len(path.vertices) > 2 and np.any(
                    path.contains_points(grid, transform=transform)):
                return True
    return False


def text_box(artist, renderer):
    """The box of a text's words alone: an annotation's own box also holds its arrow, which is
    meant to reach into the data."""
    return Text.get_window_extent(artist, renderer)


def layout_problems(fig):
    """What a reader would see as broken: text outside the image, titles, notes and legends
    overlapping each other or other panels, legends and notes over data. Draws the figure
    first."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    problems = []
    named = []  # (what, words, box, axes) of every title, note and legend: the overlap test
    # The figure's title and footer, and an axes' left and right titles, have no public getter.

    def add_text(what, artist):
        if not artist.get_visible() or not artist.get_text().strip():
            return
        box = text_box(artist, renderer)
        if not _inside(box, frame):
            problems.append(f"{what} '{artist.get_text()[:40]}' is cut off at the edge")
        named.append((what, artist.get_text()[:40], box, artist.axes))

    for what, artist in (("figure title", fig._suptitle), ("footer", fig._supxlabel)):
        if artist is not None:
            add_text(what, artist)
    for artist in fig.texts:
        if artist is not fig._suptitle and artist is not fig._supxlabel:
            add_text("figure text", artist)
    data_axes = [ax for ax in fig.axes if ax.axison]
    for ax in fig.axes:
        if ax.axison and not _inside(ax.get_tightbbox(renderer), frame):
            problems.append(f"panel '{ax.get_title()[:40]}' (with its tick labels) is cut off")
        for title in (ax.title, ax._left_title, ax._right_title):
            add_text("title", title)
        for artist in ax.texts:
            add_text("note", artist)
            if (artist.get_visible() and artist.get_text().strip()
                    and _covers_data(text_box(artist, renderer), ax)):
                problems.append(f"note '{artist.get_text()[:40]}' lies over the data of "
                                f"'{ax.get_title()[:40]}'")
        legend = ax.get_legend()
        if legend is not None:
            box = legend.get_window_extent(renderer)
            if not _inside(box, frame):
                problems.append("a legend is cut off at the edge")
            named.append(("legend", "", box, ax))
            for other in data_axes:
                if other is not ax and _overlap(box, other.bbox):
                    problems.append(f"a legend lies over the panel '{other.get_title()[:40]}'")
            if ax.axison and _covers_data(box, ax):
                problems.append(f"the legend of '{ax.get_title()[:40]}' lies over its data")
    for i, (what, words, box, ax) in enumerate(named):
        for what2, words2, box2, ax2 in named[i + 1:]:
            if _overlap(box, box2):
                problems.append(f"{what} '{words}' overlaps {what2} '{words2}'")
        if what in ("title", "figure title"):
            for other in data_axes:
                if other is not ax and _overlap(box, other.bbox):
                    problems.append(f"{what} '{words}' overlaps the panel "
                                    f"'{other.get_title()[:40]}'")
    return problems


# Set by run(): whether a layout problem stops the briefing.
STRICT_LAYOUT = False


def save(fig, path):
    """Checks the layout, then writes the figure to a temporary file beside `path` and renames
    it into place."""
    problems = layout_problems(fig)
    for problem in problems:
        print(f"briefing.py: layout: {os.path.basename(path)}: {problem}", file=sys.stderr)
    if problems and STRICT_LAYOUT:
        plt.close(fig)
        raise LayoutError(f"{os.path.basename(path)}: {len(problems)} layout problems")
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


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------

def peak_errorbar(ax, x, peak, colour, size=11):
    """The peak: most common month and median height, with the 90% range of months and of
    heights across runs."""
    pm, ph = peak.mode_month, peak.height_q[2]
    ax.errorbar([x], [ph], xerr=[[pm - peak.month_q[0]], [peak.month_q[1] - pm]],
                yerr=[[ph - peak.height_q[0]], [peak.height_q[4] - ph]], fmt="o", color=colour,
                ms=size, mec="white", mew=1.5, elinewidth=2.5, capsize=7, zorder=5)


def chart_waiting_list(scenarios, pairing, path):
    first = scenarios[0]
    labels = first.month_labels
    x = np.arange(len(labels))
    single = len(scenarios) == 1
    if single:
        handles = fan_legend_handles(first.colour) + [
            Line2D([], [], color=GREY, lw=2, ls="--", label="Same month a year earlier (median)"),
            Line2D([], [], color=VERMILLION, marker="o", lw=2.5, ms=10,
                   label="Peak month and height (90% of runs)")]
        ncol = 3
    else:
        # Scenarios in the first column, what the bands and bars mean in the second.
        handles = [Line2D([], [], color=s.colour, lw=3, ls=s.line, marker="o", ms=9, label=(
            f"{s.label}: peak {month_name(labels[s.peak.mode_month])}, "
            f"{fmt_count(s.peak.height_q[2])} (90%: {fmt_count(s.peak.height_q[0])}"
            f"\u2013{fmt_count(s.peak.height_q[4])})")) for s in scenarios]
        keys = [Patch(color=GREY, alpha=0.45, label="50% of runs"),
                Patch(color=GREY, alpha=0.2, label="90% of runs"),
                Line2D([], [], color=GREY, marker="o", lw=2.5, ms=9,
                       label="peak month and height, 90% of runs")]
        rows = max(len(handles), len(keys))
        handles += [Line2D([], [], alpha=0, label=" ")] * (rows - len(handles))
        handles += keys + [Line2D([], [], alpha=0, label=" ")] * (rows - len(keys))
        ncol = 2
    fig, (ax,), legend_ax = new_figure(
        "When does the waiting list peak, and how high?", source_lines(scenarios, pairing),
        panel_height=6.0, legend_rows=math.ceil(len(handles) / ncol))
    shade_window(ax, first)
    alpha90, alpha50 = fan_alphas(scenarios)
    top = 0.0
    for i, s in enumerate(scenarios):
        q = fan(ax, x, s.peak.list, s.colour, alpha90=alpha90, alpha50=alpha50, ls=s.line)
        top = max(top, np.nanmax(q[4]))
        # Several peaks in one month are set a little apart so that each bar shows.
        offset = 0.0 if single else 0.3 * (i - (len(scenarios) - 1) / 2)
        peak_errorbar(ax, s.peak.mode_month + offset, s.peak, VERMILLION if single else s.colour)
    if single:
        annotate_single_peak(ax, first, top)
    else:
        count_limits(ax, top, headroom=0.08)
    thousands(ax)
    month_axis(ax, labels)
    ax.set_ylabel("Patients waiting (incomplete RTT pathways)")
    ax.set_title("All modelled BLMK hospitals, end of month")
    bottom_legend(legend_ax, handles, ncol)
    save(fig, path)


def annotate_single_peak(ax, results, top):
    """One scenario: the same month a year earlier, and a note on the peak in the headroom."""
    labels, peak = results.month_labels, results.peak
    median = np.nanmedian(peak.list, axis=0)
    prior_median = np.full(len(labels), np.nan)
    prior_median[12:] = median[:-12]
    ax.plot(np.arange(len(labels)), prior_median, color=GREY, lw=2, ls="--")
    pm, ph = peak.mode_month, peak.height_q[2]
    where = month_name(labels[pm])
    note = (f"Peak: {where}, {fmt_count(ph)}\n"
            f"90% of runs: {fmt_count(peak.height_q[0])} \u2013 {fmt_count(peak.height_q[4])}\n"
            f"{peak.mode_count} of {len(peak.month)} runs peak in {where}")
    if peak.at_window_start:
        note += "\n(first month searched: the list is falling)"
    elif peak.at_window_end:
        note += "\n(last month searched: the list is still rising)"
    span = top if top > 0 else 1.0
    count_limits(ax, top, headroom=0.55)
    # The note sits in the headroom above the data, with an arrow to the peak.
    right = pm < len(labels) * 0.6
    ax.annotate(note, xy=(pm, peak.height_q[4]), xytext=(pm + (1.0 if right else -1.0),
                                                         top + 0.3 * span),
                ha="left" if right else "right", va="center", fontsize=14, color=VERMILLION,
                fontweight="bold", arrowprops=dict(arrowstyle="->", color=VERMILLION, lw=2,
                                                   shrinkB=6))


def target_grid(count, scenarios=1):
    """Columns for `count` panels: one row up to three, then rows of two or three; with more
    than three scenarios, at most two (each panel needs room for a column per scenario)."""
    if scenarios > 3:
        return min(count, 2)
    if count <= 3:
        return count
    return 2 if count == 4 else 3


def target_limits(ax, target, values):
    """The target's axis: counts from zero, shares and ratios over at least MIN_SHARE_SPAN;
    the top quarter is left free for the probabilities."""
    finite = np.concatenate([v[np.isfinite(v)] for v in values] + [[target["threshold"]]])
    low, high = float(np.min(finite)), float(np.max(finite))
    if target["ratio"]:
        share_limits(ax, low, high, headroom=0.55)
        percent(ax)
    else:
        count_limits(ax, high, headroom=0.55)
        # A threshold of zero would hide under the axis line: start a hair below it.
        bottom, top = ax.get_ylim()
        ax.set_ylim(bottom - 0.015 * (top - bottom), top)
        thousands(ax)


def chart_targets(scenarios, pairing, path):
    """One panel per target: each scenario's value in every run against the threshold, and the
    probability that the target is met with its 95% Wilson interval."""
    names = all_target_names(scenarios)
    if not names:
        return False
    ncols = target_grid(len(names), len(scenarios))
    many = len(scenarios) > 1
    handles = ([Line2D([], [], color=s.colour, marker="o", ls="", ms=9, label=s.label)
                for s in scenarios] if many else [])
    handles += [Line2D([], [], color=GREY, marker="o", ls="", ms=5, alpha=0.5,
                       label="one run"),
                Line2D([], [], color=GREY, marker="o", lw=2.5, ms=9,
                       label="median and 90% of runs"),
                Line2D([], [], color="black", ls="--", lw=1.8, label="target")]
    legend_cols = legend_columns(handles)
    rows = math.ceil(len(names) / ncols)
    fig, axes, legend_ax = new_figure(
        "How likely is each target to be met?", source_lines(scenarios, pairing),
        panels=len(names), ncols=ncols,
        panel_height=4.2 if len(names) == 1 else (5.0 if rows == 1 else 4.4),
        legend_rows=math.ceil(len(handles) / legend_cols))
    panel_width = FIGURE_WIDTH / ncols - 1.2
    # Fewer, larger words in a narrow column: the probability, then its interval.
    font = 14 if len(scenarios) <= 2 and ncols <= 2 else (12 if len(scenarios) <= 3 else 10)
    jitter = np.random.default_rng(0)  # fixed: the same dots every time the chart is drawn
    for ax, name in zip(axes, names):
        present = [(i, s, target_of(s, name)) for i, s in enumerate(scenarios)]
        target = next(t for _, _, t in present if t is not None)
        values = [t["value"] for _, _, t in present if t is not None]
        for i, s, t in present:
            if t is None:
                ax.text(i, 0.5, "not in\nthis file", transform=ax.get_xaxis_transform(),
                        ha="center", va="center", fontsize=font, color=GREY)
                continue
            v = t["value"][np.isfinite(t["value"])]
            ax.scatter(i + (jitter.random(len(v)) - 0.5) * 0.35, v, s=16, color=s.colour,
                       alpha=0.45, lw=0, zorder=3)
            q = quantiles(v)
            ax.errorbar([i], [q[2]], yerr=[[q[2] - q[0]], [q[4] - q[2]]], fmt="o",
                        color=s.colour, ms=9, mec="white", mew=1.2, elinewidth=2.5, capsize=5,
                        zorder=5)
            count, n, share, low, high = icsflow_results.probability(t["met"])
            words = (f"P = {fmt_pct(share)}\n95% interval {fmt_pct(low)}\u2013{fmt_pct(high)}"
                     f"\n{count} of {n} runs" if not many else
                     f"P {fmt_pct(share)}\n{fmt_pct(low)}\u2013{fmt_pct(high)}")
            # With many scenarios, neighbours' probabilities alternate in height so that they
            # do not run into each other.
            height = 0.97 if len(scenarios) <= 3 or i % 2 == 0 else 0.84
            ax.text(i, height, words, transform=ax.get_xaxis_transform(), ha="center",
                    va="top", fontsize=font, color=s.colour, fontweight="bold")
        ax.axhline(target["threshold"], color="black", ls="--", lw=1.8, zorder=4)
        target_limits(ax, target, values)
        ax.set_xlim(-0.6, len(scenarios) - 0.4)
        ax.set_xticks([])
        ax.grid(axis="x", visible=False)
        title = describe_target(target, long_month=False)
        ax.set_title(wrap(title[0].upper() + title[1:], panel_width, 14), fontsize=14)
    bottom_legend(legend_ax, handles, legend_cols)
    save(fig, path)
    return True


def phase3_measures(scenarios):
    """The Phase 3 activity measures that have a target in any scenario, in target order."""
    measures = []
    for s in scenarios:
        for t in s.targets:
            measure = t["measure"].removesuffix("_activity")
            if (t["measure"].endswith("_activity") and measure in s.phase3
                    and measure not in measures):
                measures.append(measure)
    return measures


def chart_phase3(scenarios, pairing, path):
    """Activity against the same month a year earlier, for each activity measure with a target;
    the probabilities are on targets.png."""
    measures = phase3_measures(scenarios)
    if not measures:
        return False
    first = scenarios[0]
    labels = first.month_labels
    targets = [t for t in first.targets if t["measure"].endswith("_activity")]
    months = [labels.index(t["month"]) for t in targets if t["month"] in labels]
    vs_prior = {s.label: s.series("activity_vs_prior_year") for s in scenarios}
    index = [first.phase3.index(m) for m in measures]
    valid = np.flatnonzero(np.any(np.isfinite(vs_prior[first.label][:, :, index]), axis=(0, 2)))
    start = int(valid[0]) if len(valid) else 0
    end = min(max([int(first.window[-1])] + months), len(labels) - 1)
    x = np.arange(start, end + 1)
    handles = scenario_handles(scenarios) + [
        Line2D([], [], color="black", ls="--", lw=2, label="target, to its month")]
    legend_cols = legend_columns(handles)
    ncols = 2 if len(measures) == 4 else min(len(measures), 3)
    fig, axes, legend_ax = new_figure(
        "Does activity reach the Phase 3 targets?", source_lines(scenarios, pairing),
        panels=len(measures), ncols=ncols, sharey=True,
        panel_height=5.5 if len(measures) <= 3 else 4.4,
        legend_rows=math.ceil(len(handles) / legend_cols))
    alpha90, alpha50 = fan_alphas(scenarios)
    low, high = np.inf, -np.inf
    for ax, measure in zip(axes, measures):
        for s in scenarios:
            q = fan(ax, x, vs_prior[s.label][:, start:end + 1, s.phase3.index(measure)],
                    s.colour, alpha90=alpha90, alpha50=alpha50, ls=s.line)
            low, high = min(low, np.nanmin(q[0])), max(high, np.nanmax(q[4]))
        for t in targets:
            if t["measure"].removesuffix("_activity") != measure or t["month"] not in labels:
                continue
            month = labels.index(t["month"])
            # The line runs to the target month: the plan's level, and when it is due.
            ax.plot([start - 0.5, month], [t["threshold"]] * 2, color="black", ls="--", lw=2)
            ax.plot([month], [t["threshold"]], marker="|", ms=18, mew=2.5, color="black")
            high = max(high, t["threshold"])
        ax.set_title(wrap(PHASE3_TITLES.get(measure, measure), FIGURE_WIDTH / ncols - 1.2, 15),
                     fontsize=15)
        month_axis(ax, labels, start, end)
    share_limits(axes[0], low, high, headroom=0.08)
    percent(axes[0])
    for ax in axes[::ncols]:
        ax.set_ylabel("% of a year earlier")
    bottom_legend(legend_ax, handles, legend_cols)
    save(fig, path)
    return True


def chart_long_waits(scenarios, pairing, path):
    first = scenarios[0]
    labels = first.month_labels
    x = np.arange(len(labels))
    handles = scenario_handles(scenarios) + [
        Line2D([], [], color="black", ls="--", lw=2, label="92% standard (lower panel)")]
    legend_cols = legend_columns(handles)
    fig, (top, bottom), legend_ax = new_figure(
        "How many wait over a year, and how many wait under 18 weeks?",
        source_lines(scenarios, pairing), panels=2, sharex=True, panel_height=4.6,
        legend_rows=math.ceil(len(handles) / legend_cols))
    alpha90, alpha50 = fan_alphas(scenarios)
    highest, low, high = 0.0, np.inf, 0.92
    for s in scenarios:
        q = fan(top, x, s.series("over_52_weeks")[:, :, s.all_unit], s.colour,
                alpha90=alpha90, alpha50=alpha50, ls=s.line)
        highest = max(highest, np.nanmax(q[4]))
        q = fan(bottom, x, s.series("within_18_weeks_share")[:, :, s.all_unit], s.colour,
                alpha90=alpha90, alpha50=alpha50, ls=s.line)
        low, high = min(low, np.nanmin(q[0])), max(high, np.nanmax(q[4]))
    top.set_title("Patients waiting 52 weeks or more, all modelled BLMK hospitals")
    top.set_ylabel("Patients")
    count_limits(top, highest)
    thousands(top)
    bottom.axhline(0.92, color="black", ls="--", lw=2)
    bottom.set_title("Share of the waiting list waiting under 18 weeks")
    bottom.set_ylabel("Share of the list")
    share_limits(bottom, low, high, ceiling=1.0)
    percent(bottom)
    month_axis(bottom, labels)
    bottom_legend(legend_ax, handles, legend_cols)
    save(fig, path)


BED_PANELS = [
    ("bed_occupancy_share", "General and acute beds occupied, % of beds open (monthly mean)",
     "Occupied", True),
    ("beds_medically_fit", "Beds held by medically fit patients (delayed transfers), monthly mean",
     "Beds", False),
    ("on_the_day_cancellations", "Elective operations cancelled on the day for want of a bed",
     "Operations a month", False),
]


def system_beds(results, name):
    """[replication, month] for the whole system: occupancy is beds occupied over beds open
    (both time means, as the occupancy target reads it); the others are summed."""
    if name == "bed_occupancy_share":
        return (np.nansum(results.series("beds_occupied"), axis=2)
                / np.nansum(results.series("beds_available"), axis=2))
    return np.nansum(results.series(name), axis=2)


def chart_beds(scenarios, pairing, path):
    """One scenario: each hospital. Several: the whole system for each scenario, so that
    colours stay one per scenario."""
    first = scenarios[0]
    labels = first.month_labels
    x = np.arange(len(labels))
    single = len(scenarios) == 1
    if single:
        names = first.short_hospital_names()
        handles = [Line2D([], [], color=HOSPITAL_COLOURS[h % len(HOSPITAL_COLOURS)], lw=3,
                          label=n) for h, n in enumerate(names)]
        handles.append(Patch(color=GREY, alpha=0.3, label="90% of runs"))
    else:
        handles = scenario_handles(scenarios)
    handles.append(Line2D([], [], color="black", ls="--", lw=1.8, label="92% occupied"))
    legend_cols = legend_columns(handles)
    fig, axes, legend_ax = new_figure(
        "How full are the hospitals, and what does it cost planned operations?",
        source_lines(scenarios, pairing), panels=3, sharex=True, panel_height=3.8,
        legend_rows=math.ceil(len(handles) / legend_cols))
    alpha90, alpha50 = fan_alphas(scenarios)
    for ax, (name, title, ylabel, share) in zip(axes, BED_PANELS):
        low, high = np.inf, -np.inf
        if single:
            data = first.series(name)
            for h in range(data.shape[2]):
                colour = HOSPITAL_COLOURS[h % len(HOSPITAL_COLOURS)]
                q = quantiles(data[:, :, h])
                ax.fill_between(x, q[0], q[4], color=colour, alpha=0.18, lw=0)
                ax.plot(x, q[2], color=colour, lw=3)
                low, high = min(low, np.nanmin(q[0])), max(high, np.nanmax(q[4]))
        else:
            for s in scenarios:
                q = fan(ax, x, system_beds(s, name), s.colour, alpha90=alpha90,
                        alpha50=alpha50, ls=s.line)
                low, high = min(low, np.nanmin(q[0])), max(high, np.nanmax(q[4]))
        title = title if single else title.replace("General", "All hospitals: general", 1) \
            .replace("Beds held", "All hospitals: beds held", 1) \
            .replace("Elective operations", "All hospitals: elective operations", 1)
        ax.set_title(wrap(title, FIGURE_WIDTH - 1.5, 16), fontsize=16)
        ax.set_ylabel(ylabel)
        if share:
            ax.axhline(0.92, color="black", ls="--", lw=1.8)
            share_limits(ax, low, max(high, 0.92), ceiling=1.0)
            percent(ax)
        else:
            count_limits(ax, high)
            thousands(ax)
    month_axis(axes[-1], labels)
    bottom_legend(legend_ax, handles, legend_cols)
    save(fig, path)


def list_differences(pairing, scenario):
    """[runs, month] of `scenario`'s waiting list minus the first's: pair by pair when the
    files pair, otherwise every run of one against every run of the other."""
    a = pairing.reference.peak.list
    b = scenario.peak.list
    rows = pairing.replication_rows(scenario)
    if rows is not None:
        return b[rows[1]] - a[rows[0]], True
    return (b[:, None, :] - a[None, :, :]).reshape(-1, a.shape[1]), False


def chart_compare(scenarios, pairing, path):
    first = scenarios[0]
    labels = first.month_labels
    x = np.arange(len(labels))
    others = scenarios[1:]
    handles = [Line2D([], [], color=s.colour, lw=3, ls=s.line,
                      label=f"{s.label} minus {first.label}")
               for s in others]
    handles += [Patch(color=GREY, alpha=0.45, label="50% of pairs of runs"),
                Patch(color=GREY, alpha=0.2, label="90% of pairs of runs")]
    if pairing.paired and len(others) == 1:
        handles.append(Line2D([], [], color=GREY, lw=1.5, ls=":",
                              label="90% if the runs were not paired"))
    legend_cols = legend_columns(handles)
    fig, (ax,), legend_ax = new_figure(
        f"How much does the waiting list differ from {first.label}?",
        source_lines(scenarios, pairing), panel_height=6.0,
        legend_rows=math.ceil(len(handles) / legend_cols))
    low, high = 0.0, 0.0
    for s in others:
        diff, paired = list_differences(pairing, s)
        q = fan(ax, x, diff, s.colour, ls=s.line, alpha90=0.25 if len(others) == 1 else 0.12,
                alpha50=0.45 if len(others) == 1 else 0.25)
        low, high = min(low, np.nanmin(q[0])), max(high, np.nanmax(q[4]))
        if paired and len(others) == 1:
            a, b = first.peak.list, s.peak.list
            u = quantiles((b[:, None, :] - a[None, :, :]).reshape(-1, a.shape[1]))
            ax.plot(x, u[0], color=GREY, lw=1.5, ls=":")
            ax.plot(x, u[4], color=GREY, lw=1.5, ls=":")
            low, high = min(low, np.nanmin(u[0])), max(high, np.nanmax(u[4]))
    ax.axhline(0, color="black", lw=1.2)
    kind = "paired by run" if pairing.paired else "runs not paired"
    ax.set_title(f"Difference in patients waiting, all modelled BLMK hospitals ({kind})",
                 fontsize=15)
    ax.set_ylabel("Difference in patients waiting")
    thousands(ax)
    # Differences are counts: zero is always on the axis, so that the size of a gap is seen
    # against the line of no difference.
    span = high - low if high > low else 1.0
    ax.set_ylim(low - 0.06 * span, high + 0.06 * span)
    month_axis(ax, labels)
    bottom_legend(legend_ax, handles, legend_cols)
    save(fig, path)


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------

def difference_words(pairing, name, scenario, share=False):
    """'paired difference in the mean +5,090, 95% interval +4,950 to +5,230' of `scenario`
    against the first (the numbers of `icsflow compare`), or '' when there is none."""
    d = pairing.difference(name, scenario) if pairing is not None else None
    if d is None:
        return ""
    estimate, low, high = d["estimate"], d["paired_low"], d["paired_high"]
    if estimate == 0 and low == 0 and high == 0:
        return "no difference in any pair of runs"
    if share:
        return (f"mean paired difference {fmt_points(estimate)}, 95% interval "
                f"{fmt_points(low, unit=False)} to {fmt_points(high)}")
    return (f"mean paired difference {fmt_signed(estimate)}, 95% interval {fmt_signed(low)} to "
            f"{fmt_signed(high)}")


def each_scenario(scenarios, clause):
    """'under A X; under B Y (difference)', where `clause(s)` gives (value words, difference
    words); one scenario: its value words alone."""
    if len(scenarios) == 1:
        return clause(scenarios[0])[0]
    parts = []
    for s in scenarios:
        value, difference = clause(s)
        parts.append(f"under {s.label} {with_difference(value, difference)}")
    return "; ".join(parts)


def peak_sentence(scenarios, pairing):
    first = scenarios[0]
    labels = first.month_labels

    def words(s):
        peak, n = s.peak, len(s.peak.month)
        spread = ""
        if peak.mode_count < n and peak.month_q[0] != peak.month_q[1]:
            spread = (f"; 90% of runs peak between {month_name(labels[int(peak.month_q[0])])} "
                      f"and {month_name(labels[int(peak.month_q[1])])}")
        relative = ""
        if np.isfinite(peak.vs_prior_median):
            vs = peak.vs_prior_median
            relative = (f", {fmt_pct(abs(vs - 1))} {'above' if vs >= 1 else 'below'} "
                        "the same month a year earlier")
        return (f"in {month_name(labels[peak.mode_month], long=True)} ({peak.mode_count} of {n} "
                f"runs{spread}) at {fmt_count(peak.height_q[2])} pathways (90% of runs between "
                f"{fmt_count(peak.height_q[0])} and {fmt_count(peak.height_q[4])}){relative}")

    if len(scenarios) == 1:
        return f"The waiting list across all modelled BLMK hospitals is highest {words(first)}."
    return ("The waiting list across all modelled BLMK hospitals is highest: "
            + each_scenario(scenarios, lambda s: (
                words(s), difference_words(pairing, "list_peak", s))) + ".")


def end_sentence(scenarios, pairing):
    """Where the list ends; for one scenario also whether the peak is only the window's edge."""
    first = scenarios[0]
    labels = first.month_labels

    def words(s):
        end_q = quantiles(s.peak.list[:, -1])
        text_ = f"{fmt_count(end_q[2])} ({fmt_count(end_q[0])}\u2013{fmt_count(end_q[4])})"
        if len(labels) > 12:
            vs = np.nanmedian(s.peak.list[:, -1] / s.peak.list[:, -13])
            text_ += f", {fmt_pct(abs(vs - 1))} {'above' if vs >= 1 else 'below'} a year earlier"
        return text_

    end = month_name(labels[-1], long=True)
    if len(scenarios) > 1:
        return (f"At the end of the run, in {end}, the list is: "
                + each_scenario(scenarios, lambda s: (
                    words(s), difference_words(pairing, "list_end", s))) + ".")
    peak, window = first.peak, first.window
    end_text = f"it ends the run in {end} at {words(first)}"
    searched = f"({month_name(labels[window[0]])} to {month_name(labels[window[-1]])})"
    if peak.at_window_start:
        median = np.nanmedian(peak.list, axis=0)
        low = window[int(np.nanargmin(median[window]))]
        return (f"That is the first month searched {searched}, so the list is falling rather "
                f"than peaking: it is lowest in {month_name(labels[low], long=True)} at "
                f"{fmt_count(median[low])}, and {end_text}.")
    if peak.at_window_end:
        return f"That is the last month searched {searched}, so the list is still rising; " \
               f"{end_text}."
    return f"After the peak {end_text}."


def long_wait_sentence(scenarios, pairing):
    """52+ week waiters at their peak (the program's summary over_52_peak)."""
    if any(s.summary("over_52_peak") is None for s in scenarios):
        return None

    def words(s):
        q = quantiles(s.summary("over_52_peak"))
        return f"{fmt_count(q[2])} (90% of runs {fmt_count(q[0])}\u2013{fmt_count(q[4])})"

    return ("At their highest in the months searched, 52+ week waiters number"
            + (": " if len(scenarios) > 1 else " ")
            + each_scenario(scenarios, lambda s: (
                words(s), difference_words(pairing, "over_52_peak", s))) + ".")


def probability_words(met, short=False):
    count, n, share, low, high = icsflow_results.probability(met)
    if short:
        return f"probability {fmt_pct(share)} ({fmt_pct(low)} to {fmt_pct(high)})"
    return (f"met in {count} of {n} runs: probability {fmt_pct(share)}, 95% interval "
            f"{fmt_pct(low)} to {fmt_pct(high)}")


class Sentence(str):
    """A sentence made of a lead and items ('lead: a; b; c.'); the page lists the items."""

    def __new__(cls, lead, items):
        sentence = super().__new__(cls, lead + "; ".join(items) + ".")
        sentence.lead, sentence.items = lead, items
        return sentence


def target_sentence(scenarios, pairing):
    """Every target: the median figure and the probability that it is met, for each scenario
    (several: 'A ... vs B ...', with B's paired difference in probability from A)."""
    names = all_target_names(scenarios)
    if not names:
        return None
    many = len(scenarios) > 1

    def clause(s, name):
        t = target_of(s, name)
        if t is None:
            return f"{s.label} not evaluated"
        value = fmt_target_value(t, np.nanmedian(t["value"]))
        if not many:
            return f"{value} ({probability_words(t['met'])})"
        difference = difference_words(pairing, f"target_{name}_met", s, share=True)
        return with_difference(f"{s.label} {value}, {probability_words(t['met'], short=True)}",
                               difference)

    parts = []
    for name in names:
        target = next(t for s in scenarios if (t := target_of(s, name)) is not None)
        parts.append(f"{describe_target(target)}: "
                     + " vs ".join(clause(s, name) for s in scenarios))
    if len(names) > 1 and all(s.summary("targets_all_met") is not None for s in scenarios):
        every = [with_difference((f"{s.label} " if many else "")
                                 + probability_words(s.summary("targets_all_met"), short=many),
                                 difference_words(pairing, "targets_all_met", s, share=True))
                 for s in scenarios]
        parts.append("all targets together: " + " vs ".join(every))
    return Sentence("Against the targets (median of runs, and the probability that each is met, "
                    "with its 95% interval): ", parts)


def ranges_sentence(scenarios):
    runs = sorted({s.replications for s in scenarios})
    n = runs[0]
    held = {s.uncertainty for s in scenarios}
    counted = (f"{n} runs" if len(runs) == 1 and len(scenarios) == 1 else
               f"{n} runs of each scenario" if len(runs) == 1 else
               " / ".join(f"{s.replications} runs of {s.label}" for s in scenarios))
    if held == {"chance"}:
        what = (f"chance alone across {counted} with different random streams, not uncertainty "
                "in the scenario's assumptions (demand recovery, capacity), which is larger")
    else:
        what = "; ".join(
            ("chance only" if s.uncertainty == "chance" else
             "chance and the uncertain assumptions drawn in each run ("
             + s.uncertainty.split(":", 1)[-1].strip() + ")")
            + (f" for {s.label}" if len(scenarios) > 1 else "") for s in scenarios)
        what = f"{what}, across {counted}"
    return (f"The ranges reflect {what}; with {n} runs a probability is known to within about "
            f"\u00b1{round(196 * math.sqrt(0.25 / n))} points (less near 0% or 100%).")


def summary_sentences(scenarios, pairing):
    sentences = [peak_sentence(scenarios, pairing), end_sentence(scenarios, pairing),
                 long_wait_sentence(scenarios, pairing), target_sentence(scenarios, pairing),
                 ranges_sentence(scenarios)]
    if pairing is not None and not pairing.paired:
        sentences.append(f"The scenarios cannot be paired ({pairing.reason}), so no paired "
                         "differences are given.")
    return [s for s in sentences if s]


# ---------------------------------------------------------------------------------------------
# Headline figures and the page
# ---------------------------------------------------------------------------------------------

def headline_rows(scenarios, pairing):
    """The numbers the page's table states, each with its exact value for the browser test:
    [(what, {label: (key, value, shown)})]."""
    def cell(s, key, value, shown):
        return {s.label: (f"{s.label}/{key}", value, shown)}

    def difference_cell(s, name, key, share=False):
        d = pairing.difference(name, s) if pairing is not None else None
        if d is None:
            return {}
        if share:
            shown = (f"{fmt_points(d['estimate'], unit=False)} "
                     f"[{fmt_points(d['paired_low'], unit=False)}, "
                     f"{fmt_points(d['paired_high'], unit=False)}] points")
        else:
            shown = (f"{fmt_signed(d['estimate'])} [{fmt_signed(d['paired_low'])}, "
                     f"{fmt_signed(d['paired_high'])}]")
        return {s.label: (f"{s.label}/{key}", d["estimate"], shown)}

    rows = []
    peak = {}
    month = {}
    for s in scenarios:
        peak.update(cell(s, "list_peak_median", float(np.nanmedian(s.peak.height)),
                         fmt_count(np.nanmedian(s.peak.height))))
        label = s.month_labels[s.peak.mode_month]
        month.update(cell(s, "list_peak_month", label, month_name(label)))
    rows += [("Waiting list at its peak (median of runs)", peak),
             ("Month of the peak (most runs)", month)]
    if len(scenarios) > 1:
        diff = {}
        for s in scenarios[1:]:
            diff.update(difference_cell(s, "list_peak", "list_peak_difference"))
        if diff:
            rows.append((f"Peak: paired difference of the mean from {scenarios[0].label} "
                         "[95% interval]", diff))
    for name in all_target_names(scenarios):
        target = next(t for s in scenarios if (t := target_of(s, name)) is not None)
        probability, diff = {}, {}
        for s in scenarios:
            t = target_of(s, name)
            if t is None:
                continue
            count, n, share, low, high = icsflow_results.probability(t["met"])
            probability.update(cell(s, f"target_{name}_probability", share,
                                    f"{fmt_pct(share)} ({fmt_pct(low)}\u2013{fmt_pct(high)})"))
            if s is not scenarios[0]:
                diff.update(difference_cell(s, f"target_{name}_met",
                                            f"target_{name}_probability_difference", True))
        what = describe_target(target, long_month=False)
        rows.append((f"P({what}) [95% interval]", probability))
        if diff:
            rows.append((f"\u2026 paired difference from {scenarios[0].label} [95% interval]",
                         diff))
    if len(all_target_names(scenarios)) > 1:
        probability, diff = {}, {}
        for s in scenarios:
            met = s.summary("targets_all_met")
            if met is None:
                continue
            count, n, share, low, high = icsflow_results.probability(met)
            probability.update(cell(s, "targets_all_probability", share,
                                    f"{fmt_pct(share)} ({fmt_pct(low)}\u2013{fmt_pct(high)})"))
            if s is not scenarios[0]:
                diff.update(difference_cell(s, "targets_all_met",
                                            "targets_all_probability_difference", True))
        if probability:
            rows.append(("P(every target met) [95% interval]", probability))
        if diff:
            rows.append((f"\u2026 paired difference from {scenarios[0].label} [95% interval]",
                         diff))
    return rows


def table_html(scenarios, rows):
    head = "".join(f'<th style="color:{s.colour}">{html.escape(s.label)}</th>'
                   for s in scenarios)
    body = []
    for what, cells in rows:
        tds = []
        for s in scenarios:
            if s.label not in cells:
                tds.append("<td></td>")
                continue
            key, value, shown = cells[s.label]
            tds.append(f'<td class="figure" data-key="{html.escape(key)}" '
                       f'data-value="{html.escape(str(value))}">{html.escape(shown)}</td>')
        body.append(f"<tr><td>{html.escape(what)}</td>{''.join(tds)}</tr>")
    return (f'<table class="headline">\n<tr><th>Headline figure</th>{head}</tr>\n'
            + "\n".join(body) + "\n</table>")


PAGE_STYLE = """
  body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 1.5em 2em; color: #222; }
  h1 { font-size: 1.7em; margin-bottom: 0.2em; }
  .meta { color: #555; margin-top: 0; }
  .summary { font-size: 1.15em; line-height: 1.45; max-width: 70em; overflow-wrap: anywhere;
             padding-left: 1.2em; }
  .summary li { margin-bottom: 0.35em; }
  .summary ul { padding-left: 1.2em; margin-top: 0.2em; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(36em, 100%), 1fr));
            gap: 1.2em; }
  figure { margin: 0; min-width: 0; }
  img { width: 100%; height: auto; border: 1px solid #ddd; box-sizing: border-box; }
  figcaption { color: #555; font-size: 0.95em; }
  footer { color: #666; font-size: 0.85em; margin-top: 1.5em; overflow-wrap: anywhere; }
  table.headline { border-collapse: collapse; margin: 0.8em 0 1.2em; max-width: 100%; }
  table.headline td, table.headline th { padding: 0.2em 0.8em; border-bottom: 1px solid #ddd;
                                         text-align: left; overflow-wrap: anywhere; }
  @media print { body { margin: 0.5cm; } .charts { grid-template-columns: 1fr 1fr; } }
"""

# Records on the page how many charts the browser drew, and every element whose text runs past
# its box or past the page's width (the browser test reads these attributes).
PAGE_SCRIPT = """
window.addEventListener("load", function () {
  var images = document.querySelectorAll("img");
  var drawn = 0;
  images.forEach(function (img) { if (img.complete && img.naturalWidth > 0) drawn++; });
  document.body.setAttribute("data-charts", String(images.length));
  document.body.setAttribute("data-charts-drawn", String(drawn));
  var overflow = [];
  var page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1) overflow.push("page " + page.scrollWidth + ">" + page.clientWidth);
  document.querySelectorAll("body *").forEach(function (el) {
    var box = el.getBoundingClientRect();
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) overflow.push(el.tagName + " scrolls");
    else if (box.width > 0 && box.right > page.clientWidth + 1) overflow.push(el.tagName + " past the right edge");
  });
  document.body.setAttribute("data-overflow", overflow.join("; "));
});
"""


def summary_html(sentences):
    """One item a sentence; a sentence of many items (the targets) lists them."""
    items = []
    for sentence in sentences:
        if isinstance(sentence, Sentence):
            inner = "".join(f"<li>{html.escape(item)}</li>" for item in sentence.items)
            items.append(f"<li>{html.escape(sentence.lead.rstrip())}<ul>{inner}</ul></li>")
        else:
            items.append(f"<li>{html.escape(sentence)}</li>")
    return '<ul class="summary">\n' + "\n".join(items) + "\n</ul>"


def write_briefing(outdir, scenarios, pairing, sentences, charts, rows):
    title = "BLMK waiting list and recovery: board briefing"
    scenario = (scenarios[0].label if len(scenarios) == 1 else
                ", ".join(s.label for s in scenarios[1:]) + f" compared with {scenarios[0].label}")
    created = dt.datetime.now(dt.timezone.utc).strftime("%d %B %Y")
    source = source_lines(scenarios, pairing).replace("\n", " ")

    md = [f"# {title}", "", f"Scenario: **{scenario}**. Prepared {created}.", "",
          " ".join(sentences), ""]
    md += ["| Headline figure | " + " | ".join(s.label for s in scenarios) + " |",
           "|---|" + "---|" * len(scenarios)]
    for what, cells in rows:
        md.append(f"| {what} | " + " | ".join(cells[s.label][2] if s.label in cells else ""
                                              for s in scenarios) + " |")
    md.append("")
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
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>{PAGE_STYLE}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="meta">Scenario: <strong>{html.escape(scenario)}</strong>. Prepared {created}.</p>
{summary_html(sentences)}
{table_html(scenarios, rows)}
<div class="charts">
{chr(10).join(figures)}
</div>
<footer>{html.escape(source)}</footer>
<script>{PAGE_SCRIPT}</script>
</body>
</html>
"""
    write_text(os.path.join(outdir, "briefing.html"), page)


# ---------------------------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="briefing.py",
        description="Board charts (PNG) and a one-page briefing from icsflow BLMK results "
                    "files: one scenario, or two to six compared with the first.")
    parser.add_argument("results", nargs="+", help="icsflow results files (HDF5), the first "
                                                   "is the reference")
    parser.add_argument("--compare", metavar="OTHER.h5",
                        help="another results file to compare with the first")
    parser.add_argument("--labels", nargs="+", metavar="LABEL",
                        help="a name for each scenario, in order (default: config file names)")
    parser.add_argument("--icsflow", metavar="PATH",
                        help="the icsflow program, for the paired differences of "
                             "`icsflow compare` (default: $ICSFLOW, build/icsflow, PATH)")
    parser.add_argument("--strict-layout", action="store_true",
                        help="a chart with text cut off or overlapping is an error (exit 5)")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="output directory (default: briefing/ beside the first file)")
    args = parser.parse_args(argv)
    if args.compare:
        args.results.append(args.compare)
    if len(args.results) > MAX_SCENARIOS:
        parser.error(f"at most {MAX_SCENARIOS} scenarios (one colour each)")
    if args.labels and len(args.results) == 1:
        parser.error("--labels needs two or more scenarios to name (give them, or --compare)")
    if args.labels and len(args.labels) != len(args.results):
        parser.error(f"{len(args.labels)} labels for {len(args.results)} results files")
    if args.output is None:
        args.output = os.path.join(os.path.dirname(os.path.abspath(args.results[0])),
                                   "briefing")
    return args


def open_scenarios(paths, labels):
    scenarios = [Results(p, colour=c, line=ls)
                 for p, c, ls in zip(paths, SCENARIO_COLOURS, SCENARIO_LINES)]
    if labels is None:
        labels = [s.label for s in scenarios]
        if len(set(labels)) < len(labels):
            labels = [os.path.basename(p) for p in paths]
    if len(set(labels)) < len(labels):
        raise BriefingError(f"two scenarios have one name ({', '.join(labels)}): give --labels")
    for s, label in zip(scenarios, labels):
        s.label = label
    months = scenarios[0].month_labels
    for s in scenarios[1:]:
        if s.month_labels != months:
            raise BriefingError(f"'{s.path}' covers {s.month_labels[0]} to {s.month_labels[-1]}"
                                f" and '{scenarios[0].path}' {months[0]} to {months[-1]}: "
                                "scenarios are compared over one period")
    return scenarios


def run(args):
    global STRICT_LAYOUT
    STRICT_LAYOUT = args.strict_layout
    scenarios = open_scenarios(args.results, args.labels)
    try:
        os.makedirs(args.output, exist_ok=True)
    except OSError as error:
        raise BriefingError(f"cannot create output directory '{args.output}': "
                            f"{error.strerror}") from None
    if not os.access(args.output, os.W_OK):
        raise BriefingError(f"output directory '{args.output}' is not writable")

    style()
    pairing = (Pairing(scenarios, icsflow_results.find_icsflow(args.icsflow))
               if len(scenarios) > 1 else None)
    out = lambda name: os.path.join(args.output, name)  # noqa: E731
    charts = []
    try:
        chart_waiting_list(scenarios, pairing, out("waiting_list.png"))
        charts.append(("waiting_list.png",
                       "Waiting list: median and spread across runs, with the peak"))
        if chart_targets(scenarios, pairing, out("targets.png")):
            charts.append(("targets.png", "Every target: the value in each run and the "
                                          "probability that it is met"))
        if chart_phase3(scenarios, pairing, out("phase3_activity.png")):
            charts.append(("phase3_activity.png", "Activity against the Phase 3 targets"))
        chart_long_waits(scenarios, pairing, out("long_waits.png"))
        charts.append(("long_waits.png", "52+ week waiters and the share within 18 weeks"))
        chart_beds(scenarios, pairing, out("beds.png"))
        charts.append(("beds.png",
                       "Bed occupancy, delayed transfers and on-the-day cancellations"))
        if len(scenarios) > 1:
            chart_compare(scenarios, pairing, out("compare.png"))
            charts.append(("compare.png", "Waiting list: each scenario minus "
                                          f"{scenarios[0].label}"))
        sentences = summary_sentences(scenarios, pairing)
        write_briefing(args.output, scenarios, pairing, sentences, charts,
                       headline_rows(scenarios, pairing))
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
    except LayoutError as error:
        print(f"briefing.py: error: {error}", file=sys.stderr)
        return EXIT_LAYOUT


if __name__ == "__main__":
    sys.exit(main())
