#!/usr/bin/python3
"""The board briefing opened in a browser: Debian's Chromium, headless.

    test_briefing_browser.py --briefing scripts/briefing.py --results RESULTS.h5 [MORE.h5 ...]
                             [--single ONE.h5 ...] [--icsflow build/icsflow]
                             [--chromium chromium] [--keep DIR]

Writes the briefing of RESULTS (one scenario, or RESULTS compared with MORE), and of each
--single file alone, into a temporary directory (briefing.py with --strict-layout, so that a
chart with text cut off or overlapping, or a legend over data, fails here too), opens each
briefing.html in headless Chromium with a fresh profile, and checks that
  - the browser logs no console message at all (the page logs nothing; an error would show);
  - every chart was drawn: as many <img> as PNG files written, each complete with
    naturalWidth > 0 (the page records these on its <body>);
  - no text runs out of its box or past the page's width at 1000 and 1400 pixels wide (the page
    records every element whose scrollWidth exceeds its clientWidth or whose right edge is past
    the page's; a wide window alone would hide an overflow);
  - each headline figure on the page equals the one computed here from the HDF5 files with the
    shared reader (the median of /summary/values/list_peak, the most frequent peak month, the
    share of replications meeting each target; with several scenarios, the differences from
    the first in the mean peak and in each probability);
  - a screenshot of the page is written (kept in DIR with --keep, to be looked at).
The checker is first run on pages with a console error, a broken image and text wider than the
page, which it must fail (--no-self-check skips this when another test does it). Exit 0 if all hold, 1 otherwise.
"""

import argparse
import collections
import glob
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "scripts"))
import icsflow_results  # noqa: E402
from check_support import CheckFailed, expect  # noqa: E402

TIMEOUT = 180




def chromium_command(chromium, profile, *extra):
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
            "--virtual-time-budget=5000", *extra]


def open_page(chromium, page, workdir, screenshot=None, width=1400):
    """(DOM after load, console lines) of `page` in a window `width` pixels wide; with
    `screenshot`, a PNG of it too."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=workdir)
    url = "file://" + os.path.abspath(page)
    dom = subprocess.run(chromium_command(chromium, profile, f"--window-size={width},2000",
                                          "--dump-dom", url),
                         capture_output=True, text=True, timeout=TIMEOUT, check=False)
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    if screenshot:
        shot = subprocess.run(chromium_command(chromium, profile, f"--screenshot={screenshot}",
                                               "--window-size=1400,3800", "--hide-scrollbars",
                                               url),
                              capture_output=True, text=True, timeout=TIMEOUT, check=False)
        console += [line for line in shot.stderr.splitlines() if ":CONSOLE" in line]
    expect(dom.returncode == 0, f"chromium exited {dom.returncode}: {dom.stderr[-2000:]}")
    return dom.stdout, console


def check_page(chromium, page, workdir, expected_charts, screenshot=None, width=1400):
    dom, console = open_page(chromium, page, workdir, screenshot, width)
    expect(not console, "console messages:\n  " + "\n  ".join(console))
    overflow = re.search(r'<body[^>]*data-overflow="([^"]*)"', dom)
    expect(overflow is not None, "the page did not record overflowing text (script not run?)")
    expect(not overflow.group(1),
           f"text overflows at {width} pixels wide: {html.unescape(overflow.group(1))}")
    charts = re.search(r'<body[^>]*data-charts="(\d+)"', dom)
    drawn = re.search(r'<body[^>]*data-charts-drawn="(\d+)"', dom)
    expect(charts and drawn, "the page did not record its charts (script not run?)")
    expect(int(charts.group(1)) == expected_charts,
           f"{charts.group(1)} charts on the page, expected {expected_charts}")
    expect(int(drawn.group(1)) == expected_charts,
           f"{drawn.group(1)} of {charts.group(1)} charts drawn")
    return dict(re.findall(r'data-key="([^"]+)" data-value="([^"]*)"', dom))


def expected_figures(path, label):
    with icsflow_results.open_results(path) as f:
        values = {}
        peak = np.asarray(f["summary/values/list_peak"][()], dtype=float)
        values[f"{label}/list_peak_median"] = float(np.nanmedian(peak))
        months = [icsflow_results.text(m) for m in f["axes/month_label"][()]]
        index = collections.Counter(
            int(m) for m in f["summary/values/list_peak_month"][()]).most_common()
        best = max(count for _, count in index)
        values[f"{label}/list_peak_month"] = months[min(m for m, c in index if c == best)]
        for name in f["summary/values"]:
            if name.startswith("target") and name.endswith("_met"):
                met = np.asarray(f[f"summary/values/{name}"][()], dtype=float)
                met = met[np.isfinite(met)]
                values[f"{label}/{name[:-4]}_probability"] = float(np.mean(met > 0.5))
    return values


def briefing_page_script():
    """The script briefing.py puts on its page (it records charts drawn and overflowing text)."""
    import briefing
    return briefing.PAGE_SCRIPT


def self_check(chromium, workdir):
    """The checker must notice a console error and a chart that does not load."""
    page = os.path.join(workdir, "broken.html")
    with open(page, "w", encoding="utf-8") as stream:
        stream.write('<!DOCTYPE html><html><body><img src="data:image/png;base64,AAAA">'
                     '<script>console.error("deliberate error");'
                     'window.addEventListener("load", function () {'
                     'var i = document.querySelectorAll("img"); var d = 0;'
                     'i.forEach(function (x) { if (x.complete && x.naturalWidth > 0) d++; });'
                     'document.body.setAttribute("data-charts", String(i.length));'
                     'document.body.setAttribute("data-charts-drawn", String(d));'
                     'document.body.setAttribute("data-overflow", ""); });'
                     '</script></body></html>')
    try:
        check_page(chromium, page, workdir, 1)
    except CheckFailed as failure:
        expect("deliberate error" in str(failure), f"the broken page failed for another "
               f"reason: {failure}")
    else:
        raise CheckFailed("the checker passed a page with a console error and a broken image")
    # Without the console error the broken image alone must still fail.
    with open(page, "w", encoding="utf-8") as stream:
        stream.write('<!DOCTYPE html><html><body><img src="data:image/png;base64,AAAA">'
                     '<script>window.addEventListener("load", function () {'
                     'var i = document.querySelectorAll("img"); var d = 0;'
                     'i.forEach(function (x) { if (x.complete && x.naturalWidth > 0) d++; });'
                     'document.body.setAttribute("data-charts", String(i.length));'
                     'document.body.setAttribute("data-charts-drawn", String(d));'
                     'document.body.setAttribute("data-overflow", ""); });'
                     '</script></body></html>')
    try:
        check_page(chromium, page, workdir, 1)
    except CheckFailed as failure:
        expect("0 of 1 charts drawn" in str(failure), f"unexpected failure: {failure}")
    else:
        raise CheckFailed("the checker passed a page whose chart did not load")
    # A line of text wider than the page (as a long unbroken footer would be) must fail.
    with open(page, "w", encoding="utf-8") as stream:
        stream.write("<!DOCTYPE html><html><body><p style=\"white-space: nowrap\">"
                     + "a footer that does not wrap " * 80 + "</p><script>"
                     + briefing_page_script() + "</script></body></html>")
    try:
        check_page(chromium, page, workdir, 0, width=1000)
    except CheckFailed as failure:
        expect("text overflows" in str(failure), f"unexpected failure: {failure}")
    else:
        raise CheckFailed("the checker passed a page whose text runs past its width")


def expected_differences(paths, labels):
    """Each later scenario minus the first: the mean of the paired differences of the peak and
    of each target's indicator (the files pair: one seed, the same replications)."""
    values = {}
    with icsflow_results.open_results(paths[0]) as first:
        base = {name: np.asarray(first[f"summary/values/{name}"][()], dtype=float)
                for name in first["summary/values"]}
    for path, label in zip(paths[1:], labels[1:]):
        with icsflow_results.open_results(path) as f:
            for name in f["summary/values"]:
                if name != "list_peak" and not (name.startswith("target")
                                                and name.endswith("_met")):
                    continue
                if name not in base:
                    continue
                mine = np.asarray(f[f"summary/values/{name}"][()], dtype=float)
                key = ("list_peak_difference" if name == "list_peak"
                       else f"{name[:-4]}_probability_difference")
                values[f"{label}/{key}"] = float(np.mean(mine - base[name]))
    return values


def default_label(path):
    with icsflow_results.open_results(path) as f:
        config = icsflow_results.text(f.attrs.get("config_path", ""))
    return os.path.splitext(os.path.basename(config or path))[0]


def check_briefing(args, chromium, workdir, paths, name):
    """Writes the briefing of `paths` (one scenario or several) and checks its page."""
    outdir = os.path.join(workdir, name)
    labels = [default_label(p) for p in paths] if len(paths) == 1 else \
        ["plan", "other", "third", "fourth", "fifth", "sixth"][:len(paths)]
    command = [sys.executable, args.briefing, *paths, "-o", outdir, "--strict-layout"]
    if len(paths) > 1:
        command += ["--labels", *labels]
    if args.icsflow:
        command += ["--icsflow", args.icsflow]
    made = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    expect(made.returncode == 0, f"briefing.py {name} exited {made.returncode}: {made.stderr}")
    charts = len(glob.glob(os.path.join(outdir, "*.png")))
    page = os.path.join(outdir, "briefing.html")
    screenshot = os.path.join(workdir, f"{name}.png")
    shown = check_page(chromium, page, workdir, charts, screenshot, width=1400)
    check_page(chromium, page, workdir, charts, width=1000)
    expected = {}
    for path, label in zip(paths, labels):
        expected.update(expected_figures(path, label))
    if len(paths) > 1:
        differences = expected_differences(paths, labels)
        expect(differences, "no differences to check")
        expected.update(differences)
    for key, value in expected.items():
        expect(key in shown, f"{name}: the page does not show {key}")
        if isinstance(value, str):
            expect(shown[key] == value, f"{key}: page {shown[key]}, file {value}")
        else:
            # `icsflow compare` prints ten significant digits.
            expect(abs(float(shown[key]) - value) <= 1e-8 * max(1.0, abs(value)),
                   f"{key}: page {shown[key]}, file {value}")
    expect(os.path.getsize(screenshot) > 50_000, "the screenshot is nearly empty")
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        shutil.copy(screenshot, args.keep)
        shutil.copy(page, os.path.join(args.keep, f"{name}.html"))
    print(f"{name}: checked {len(expected)} headline figures and {charts} charts")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefing", required=True)
    parser.add_argument("--results", required=True, nargs="+",
                        help="one results file, or several to compare with the first")
    parser.add_argument("--single", action="append", default=[],
                        help="a results file briefed alone as well (repeatable)")
    parser.add_argument("--icsflow", help="the icsflow program (for icsflow compare)")
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--keep", help="directory to keep the screenshots and pages in")
    parser.add_argument("--no-self-check", action="store_true",
                        help="skip the checker's own check (another test runs it)")
    args = parser.parse_args()
    chromium = shutil.which(args.chromium)
    if chromium is None:
        print(f"FAIL: no '{args.chromium}' on PATH (scripts/install-deps.sh installs chromium)")
        return 1
    with tempfile.TemporaryDirectory(prefix="icsflow-browser-") as workdir:
        try:
            if not args.no_self_check:
                self_check(chromium, workdir)
            check_briefing(args, chromium, workdir, args.results,
                           "briefing" if len(args.results) == 1 else "scenarios")
            for path in args.single:
                check_briefing(args, chromium, workdir, [path],
                               "single-" + os.path.splitext(os.path.basename(path))[0])
        except CheckFailed as failure:
            print(f"FAIL: {failure}")
            return 1
    print("OK (briefing in the browser)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
