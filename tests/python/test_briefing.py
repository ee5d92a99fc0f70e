#!/usr/bin/python3
"""Checks scripts/briefing.py on BLMK results files, as a user would run it.

    test_briefing.py --results RESULTS.h5 [--icsflow build/icsflow] [--briefing scripts/briefing.py]
    test_briefing.py --scenarios A.h5 B.h5 [--single ONE.h5 ...] [--icsflow ...]

With --results:
1. The briefing of RESULTS: every chart is a real PNG of board size with something drawn on it,
   briefing.html embeds them all and briefing.md links them, no temporary files are left, the
   summary has 3 to 6 sentences, and the numbers it states agree with the file read here
   independently with h5py: the month and height of the waiting-list peak (all modelled
   hospitals, analysis window of /config/resolved) and the runs meeting each target, in order.
2. --compare RESULTS against itself (paired difference zero): compare.png and the sentences.
3. Bad input: a missing file, a text file and an HDF5 file that is no icsflow results file give
   exit status 4 with the file named; --labels without --compare gives 2. Nothing is written.
4. The layout check of briefing.py (layout_problems) finds text cut off at the edge, a legend
   or a note over data and overlapping titles on figures made to have them, and none on a clean
   one; the
   axis rule holds (counts from zero, shares over at least 20 points).
With --scenarios (two files that pair: one seed and replication set):
5. Every chart shows both scenarios (pixels of each scenario's colour), every sentence but the
   last names both, and the paired differences stated for the peak are those computed here.
6. Each --single file (1 and 6 targets) gives a briefing that states a probability for each
   target (and all together), and says in its footer what the bands hold.
Every briefing here runs with --strict-layout: a chart with text cut off or overlapping, or a
legend or note over data, fails it.

Exit status 0 if all checks pass, 1 with the failures otherwise. Runs briefing.py with the same
interpreter as this script (Debian's /usr/bin/python3, which has h5py and matplotlib).
"""

import argparse
import datetime as dt
import math
import os
import re
import subprocess
import sys
import tempfile
import tomllib

import h5py
import numpy as np

CHARTS = ["waiting_list.png", "targets.png", "phase3_activity.png", "long_waits.png", "beds.png"]
# The colours briefing.py gives the first two scenarios (Okabe-Ito blue and vermillion).
SCENARIO_RGB = [(0x00, 0x72, 0xB2), (0xD5, 0x5E, 0x00)]
ICSFLOW = None  # set by main(): the program briefing.py runs for `icsflow compare`
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
TIMEOUT = 240


class Failures:
    def __init__(self):
        self.items = []

    def check(self, condition, message):
        if not condition:
            self.items.append(message)
            print(f"  FAIL: {message}")
        return condition


def run_briefing(script, args):
    command = [sys.executable, script, *args, "--strict-layout"]
    if ICSFLOW:
        command += ["--icsflow", ICSFLOW]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    print(f"$ briefing.py {' '.join(args)}\n  exit {result.returncode}")
    for name, stream in (("stdout", result.stdout), ("stderr", result.stderr)):
        if stream.strip():
            print(f"  {name}:\n" + "".join(f"    {line}\n" for line in stream.splitlines()))
    return result


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def stated_count(value):
    return int(value.replace(",", ""))


def matches_rounded(stated, exact):
    """briefing.py rounds counts half up: to 100 from 10,000, to 10 from 1,000."""
    step = 100 if abs(exact) >= 10000 else (10 if abs(exact) >= 1000 else 1)
    return stated == int(math.floor(exact / step + 0.5) * step)


def png_size(path):
    with open(path, "rb") as stream:
        head = stream.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def check_png(f, path):
    if not f.check(os.path.isfile(path), f"{path} was not written"):
        return
    f.check(os.path.getsize(path) > 30000, f"{path} is only {os.path.getsize(path)} bytes")
    size = png_size(path)
    if not f.check(size is not None, f"{path} is not a PNG file"):
        return
    width, height = size
    f.check(width >= 1600 and height >= 900, f"{path} is {width}x{height}, too small for a board")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.image
    pixels = matplotlib.image.imread(path)[..., :3]
    drawn = np.mean(np.any(pixels < 0.9, axis=2))
    # Colours counted as one integer a pixel (a sort of ints, not of rows: far faster).
    rgb = (pixels * 255).astype(np.uint32)
    colours = len(np.unique((rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]))
    f.check(drawn > 0.02, f"{path} is nearly blank ({100 * drawn:.1f}% drawn)")
    f.check(colours > 50, f"{path} has only {colours} colours")


def independent_peak(path):
    """Peak of the all-hospital waiting list in the analysis window, computed here from the file."""
    with h5py.File(path, "r") as h5:
        units = [text(u) for u in h5["axes/reporting_unit"][()]]
        trusts = [text(t) for t in h5["axes/trust"][()]]
        all_units = [i for i, u in enumerate(units) if u not in trusts]
        assert len(all_units) == 1, f"reporting units {units}: no single all-hospital unit"
        wl = h5["series/waiting_list"][()]
        trust_sum = sum(wl[:, :, units.index(t)] for t in trusts)
        total = wl[:, :, all_units[0]]
        assert np.allclose(trust_sum, total), "the all-hospital unit is not the sum of the trusts"
        start = dt.date.fromisoformat(text(h5.attrs["start_date"]))
        analysis = tomllib.loads(text(h5["config/resolved"][()]))["analysis"]
        lo = (analysis["peak_from"] - start).days
        hi = (analysis["peak_to"] - start).days
        month_start = h5["axes/month"][()]
        labels = [text(m) for m in h5["axes/month_label"][()]]
        window = np.flatnonzero((month_start >= lo) & (month_start < hi))
        peaks = total[:, window].max(axis=1)
        months = window[np.argmax(total[:, window], axis=1)]
        program_peak = h5["summary/values/list_peak"][()]
        met = []
        for target in analysis.get("targets", []):
            values = h5[f"summary/values/target_{target['name']}_met"][()]
            met.append((int(np.nansum(values)), int(np.sum(np.isfinite(values)))))
        if len(met) > 1:
            values = h5["summary/values/targets_all_met"][()]
            met.append((int(np.nansum(values)), int(np.sum(np.isfinite(values)))))
    counts = np.bincount(months)
    mode = int(np.argmax(counts))
    year, month = labels[mode].split("-")
    return {
        "median": float(np.median(peaks)), "q05": float(np.quantile(peaks, 0.05)),
        "q95": float(np.quantile(peaks, 0.95)), "month": f"{MONTHS[int(month) - 1]} {year}",
        "mode_count": int(counts[mode]), "runs": len(peaks), "program_peak": program_peak,
        "peaks": peaks, "met": met,
    }


def summary_paragraph(md_path):
    with open(md_path, encoding="utf-8") as stream:
        for line in stream:
            if line.startswith("The waiting list"):
                return line.strip()
    return ""


def sentences_of(paragraph):
    return [s for s in re.split(r"(?<=\.)\s+(?=[A-Z])", paragraph) if s]


def check_briefing(f, script, results, tmp):
    out = os.path.join(tmp, "briefing")
    result = run_briefing(script, [results, "-o", out])
    if not f.check(result.returncode == 0, f"briefing.py exited {result.returncode}"):
        return
    for chart in CHARTS:
        check_png(f, os.path.join(out, chart))
    f.check(not os.path.exists(os.path.join(out, "compare.png")),
            "compare.png written without --compare")
    leftovers = [n for n in os.listdir(out) if n.endswith(".part") or n.startswith(".")]
    f.check(not leftovers, f"temporary files left behind: {leftovers}")

    html_path = os.path.join(out, "briefing.html")
    md_path = os.path.join(out, "briefing.md")
    for path in (html_path, md_path):
        f.check(os.path.isfile(path) and os.path.getsize(path) > 500,
                f"{path} missing or trivial")
    if not os.path.isfile(html_path) or not os.path.isfile(md_path):
        return
    with open(html_path, encoding="utf-8") as stream:
        page = stream.read()
    f.check(page.count('src="data:image/png;base64,') == len(CHARTS),
            "briefing.html does not embed every chart")
    with open(md_path, encoding="utf-8") as stream:
        md = stream.read()
    for chart in CHARTS:
        f.check(f"]({chart})" in md, f"briefing.md does not link {chart}")
    f.check(os.path.basename(results) in md, "briefing.md does not name the results file")

    paragraph = summary_paragraph(md_path)
    sentences = sentences_of(paragraph)
    print(f"  summary ({len(sentences)} sentences):")
    for sentence in sentences:
        print(f"    {sentence}")
    f.check(3 <= len(sentences) <= 6, f"the summary has {len(sentences)} sentences, not 3-6")

    expected = independent_peak(results)
    print(f"  independent: peak median {expected['median']:.1f} in {expected['month']} "
          f"({expected['mode_count']} of {expected['runs']} runs), 90% of runs "
          f"{expected['q05']:.1f}-{expected['q95']:.1f}")
    f.check(np.allclose(expected["program_peak"], expected["peaks"]),
            "the peak computed here differs from /summary/values/list_peak")
    match = re.search(r"is highest in (\w+ \d{4}) \((\d+) of (\d+) runs[^)]*\) at ([\d,]+) pathways "
                      r"\(90% of runs between ([\d,]+) and ([\d,]+)\)", paragraph)
    if f.check(match is not None, "the summary does not state the peak in the expected words"):
        month, count, runs, height, low, high = match.groups()
        f.check(month == expected["month"],
                f"stated peak month {month}, computed {expected['month']}")
        f.check(int(count) == expected["mode_count"] and int(runs) == expected["runs"],
                f"stated {count} of {runs} runs, computed {expected['mode_count']} of "
                f"{expected['runs']}")
        f.check(matches_rounded(stated_count(height), expected["median"]),
                f"stated peak {height}, median computed from the file {expected['median']:.1f}")
        f.check(matches_rounded(stated_count(low), expected["q05"]),
                f"stated 5% point {low}, computed {expected['q05']:.1f}")
        f.check(matches_rounded(stated_count(high), expected["q95"]),
                f"stated 95% point {high}, computed {expected['q95']:.1f}")
    # Each target in the order of the configuration, then all of them together.
    stated = [(int(a), int(b)) for a, b in re.findall(
        r"met in (\d+) of (\d+) runs: probability \d+%, 95% interval \d+% to \d+%", paragraph)]
    f.check(stated == expected["met"], f"targets stated as met in {stated} runs; the file has "
                                       f"{expected['met']}")


def check_compare(f, script, results, tmp):
    out = os.path.join(tmp, "compare")
    result = run_briefing(script, [results, "--compare", results, "--labels", "Plan", "Same plan",
                                   "-o", out])
    if not f.check(result.returncode == 0, f"briefing.py --compare exited {result.returncode}"):
        return
    check_png(f, os.path.join(out, "compare.png"))
    paragraph = summary_paragraph(os.path.join(out, "briefing.md"))
    sentences = sentences_of(paragraph)
    f.check(3 <= len(sentences) <= 6, f"the summary has {len(sentences)} sentences, not 3-6")
    f.check(re.search(r"under Same plan [^;]*no difference in any pair of runs\)\.$",
                      sentences[0]) is not None,
            "a scenario compared with itself should give a zero paired difference of the peak")


def check_bad_input(f, script, tmp):
    out = os.path.join(tmp, "never")
    text_file = os.path.join(tmp, "notes.h5")
    with open(text_file, "w", encoding="utf-8") as stream:
        stream.write("not an HDF5 file\n")
    other_hdf5 = os.path.join(tmp, "other.h5")
    with h5py.File(other_hdf5, "w") as h5:
        h5.attrs["filetype"] = "something-else"
        h5.create_dataset("series/waiting_list", data=np.zeros((1, 1, 1)))
    missing = os.path.join(tmp, "missing.h5")
    for path in (missing, text_file, other_hdf5):
        result = run_briefing(script, [path, "-o", out])
        f.check(result.returncode == 4, f"{path}: exit {result.returncode}, expected 4")
        f.check(path in result.stderr, f"{path}: the error message does not name the file")
    result = run_briefing(script, [text_file, "--labels", "A", "B", "-o", out])
    f.check(result.returncode == 2, f"--labels without --compare: exit {result.returncode}, "
                                    "expected 2")
    f.check(not os.path.exists(out), "output written although the input was bad")


def colour_pixels(path, rgb, tolerance=40):
    """Pixels of `path` within `tolerance` (0-255, per channel) of the colour `rgb`."""
    import matplotlib.image
    pixels = (matplotlib.image.imread(path)[..., :3] * 255).astype(np.int16)
    return int(np.sum(np.all(np.abs(pixels - np.array(rgb, dtype=np.int16)) <= tolerance,
                             axis=2)))


def check_layout_checker(f, script):
    """briefing.layout_problems must find what it is there to find, and pass a clean chart."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    import briefing
    import matplotlib.pyplot as plt
    briefing.style()
    cases = {
        "cut off at the edge": lambda fig, ax: fig.text(0.8, 0.5, "a note that runs far past "
                                                                  "the right edge of the image"),
        "lies over its data": lambda fig, ax: ax.legend(
            handles=[briefing.Line2D([], [], color="red", label="a legend placed on the line")],
            loc="center"),
        "overlaps": lambda fig, ax: ax.text(0.0, 1.02, "a note on the title",
                                            transform=ax.transAxes, fontsize=17),
        "lies over the data": lambda fig, ax: ax.text(1.0, 1.0, "a note on the line",
                                                      ha="center", va="center"),
    }
    for expected, spoil in cases.items():
        fig, (ax,), _ = briefing.new_figure("A title", "A footer")
        ax.plot([0, 1, 2], [0, 1, 2])
        ax.set_title("A panel title")
        spoil(fig, ax)
        problems = briefing.layout_problems(fig)
        plt.close(fig)
        f.check(any(expected in p for p in problems),
                f"layout_problems missed a chart whose text {expected}: {problems}")
    fig, (ax,), legend_ax = briefing.new_figure("A title", "A footer", legend_rows=1)
    ax.plot([0, 1, 2], [0, 1, 2], label="a line")
    ax.set_title("A panel title")
    briefing.bottom_legend(legend_ax, ax.get_lines(), 1)
    problems = briefing.layout_problems(fig)
    plt.close(fig)
    f.check(not problems, f"layout_problems objects to a clean chart: {problems}")
    # The axis rule the footers state: counts from zero, shares over at least 20 points.
    fig, ax = plt.subplots()
    briefing.share_limits(ax, 0.90, 0.91, ceiling=1.0)
    low, high = ax.get_ylim()
    f.check(high - low >= 0.2 - 1e-9 and 0.0 <= low and high <= 1.0,
            f"a share of 90-91% is drawn over {low:.3f}-{high:.3f}, not 20 points within 0-1")
    briefing.count_limits(ax, 5000.0)
    f.check(ax.get_ylim()[0] == 0.0, f"a count axis starts at {ax.get_ylim()[0]}, not zero")
    plt.close(fig)


def check_scenarios(f, script, paths, tmp):
    """Two scenarios that pair: every chart and sentence shows both, with paired differences."""
    labels = ["Plan", "More capacity"]
    out = os.path.join(tmp, "scenarios")
    result = run_briefing(script, [*paths, "--labels", *labels, "-o", out])
    if not f.check(result.returncode == 0, f"briefing.py with two scenarios exited "
                                           f"{result.returncode}"):
        return
    f.check("no paired differences" not in result.stderr, "the two files did not pair")
    for chart in CHARTS + ["compare.png"]:
        path = os.path.join(out, chart)
        check_png(f, path)
        if not os.path.isfile(path):
            continue
        # compare.png draws the second minus the first: only the second's colour.
        wanted = SCENARIO_RGB[1:] if chart == "compare.png" else SCENARIO_RGB
        for label, rgb in zip(labels if chart != "compare.png" else labels[1:], wanted):
            f.check(colour_pixels(path, rgb) > 300, f"{chart} does not show {label}")
    sentences = sentences_of(summary_paragraph(os.path.join(out, "briefing.md")))
    for sentence in sentences:
        print(f"    {sentence}")
    f.check(4 <= len(sentences) <= 6, f"the summary has {len(sentences)} sentences, not 4-6")
    for sentence in sentences[:-1]:
        f.check(all(label in sentence for label in labels),
                f"a sentence does not name both scenarios: {sentence[:80]}...")
    for sentence in sentences[:3]:
        f.check("paired difference" in sentence,
                f"no paired difference in: {sentence[:80]}...")
    # The peak: the mean of the paired differences, computed here from the files.
    peaks = []
    for path in paths:
        with h5py.File(path, "r") as h5:
            peaks.append(h5["summary/values/list_peak"][()])
    difference = float(np.mean(peaks[1] - peaks[0]))
    found = re.search(r"under More capacity .*\(mean paired difference ([+\u2212]?[\d,]+), 95% "
                      r"interval ([+\u2212]?[\d,]+) to ([+\u2212]?[\d,]+)\)\.$", sentences[0])
    if f.check(found is not None, "the peak sentence does not state the paired difference"):
        stated = [int(g.replace(",", "").replace("\u2212", "-").replace("+", ""))
                  for g in found.groups()]
        f.check(matches_rounded(stated[0], difference),
                f"stated paired difference of the peak {stated[0]}, computed {difference:.1f}")
        f.check(stated[1] <= stated[0] <= stated[2], f"the interval {stated[1:]} does not "
                                                     f"hold the difference {stated[0]}")


def check_single(f, script, path, tmp):
    """One scenario with its own number of targets: one panel per target on targets.png."""
    out = os.path.join(tmp, "single-" + os.path.splitext(os.path.basename(path))[0])
    result = run_briefing(script, [path, "-o", out])
    if not f.check(result.returncode == 0, f"briefing.py {path} exited {result.returncode}"):
        return
    with h5py.File(path, "r") as h5:
        targets = tomllib.loads(text(h5["config/resolved"][()]))["analysis"]["targets"]
    for chart in ("waiting_list.png", "targets.png", "long_waits.png", "beds.png"):
        check_png(f, os.path.join(out, chart))
    with open(os.path.join(out, "briefing.md"), encoding="utf-8") as stream:
        md = stream.read()
    f.check("they hold chance only" in md, f"{path}: the footer does not say what the bands "
                                           "hold")
    stated = re.findall(r"met in \d+ of \d+ runs", md)
    expected = len(targets) + (1 if len(targets) > 1 else 0)
    f.check(len(stated) == expected,
            f"{path}: {len(stated)} probabilities stated for {len(targets)} targets")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", help="a BLMK results file")
    parser.add_argument("--scenarios", nargs=2, metavar="FILE",
                        help="two BLMK results files that pair (one seed and replication set)")
    parser.add_argument("--single", action="append", default=[], metavar="FILE",
                        help="a results file to brief alone (with --scenarios; repeatable)")
    parser.add_argument("--icsflow", help="the icsflow program (for icsflow compare)")
    parser.add_argument("--briefing",
                        default=os.path.join(here, "..", "..", "scripts", "briefing.py"))
    args = parser.parse_args()
    if not args.results and not args.scenarios:
        parser.error("give --results or --scenarios")
    global ICSFLOW
    ICSFLOW = args.icsflow
    f = Failures()
    with tempfile.TemporaryDirectory(prefix="briefing-test-") as tmp:
        if args.results:
            check_briefing(f, args.briefing, args.results, tmp)
            check_compare(f, args.briefing, args.results, tmp)
            check_bad_input(f, args.briefing, tmp)
            check_layout_checker(f, args.briefing)
        if args.scenarios:
            check_scenarios(f, args.briefing, args.scenarios, tmp)
            for path in args.single:
                check_single(f, args.briefing, path, tmp)
    if f.items:
        print(f"FAIL: {len(f.items)} problems")
        return 1
    print("briefing.py: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
