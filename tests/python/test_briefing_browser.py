#!/usr/bin/python3
"""The board briefing opened in a browser: Debian's Chromium, headless.

    test_briefing_browser.py --briefing scripts/briefing.py --results RESULTS.h5 [--compare B.h5]
                             [--chromium chromium] [--keep DIR]

Writes the briefing of RESULTS (against B with --compare) into a temporary directory, opens
briefing.html in headless Chromium with a fresh profile, and checks that
  - the browser logs no console message at all (the page logs nothing; an error would show);
  - every chart was drawn (the page records images complete with a width on its <body>);
  - each headline figure on the page equals the one computed from the HDF5 file with h5py
    (the median of /summary/values/list_peak, the most frequent peak month, the share of
    replications meeting each target);
  - a screenshot of the page is written (kept in DIR with --keep, to be looked at).
The checker is first run on a page with a console error and a broken image, which it must fail.
Exit 0 if all hold, 1 otherwise.
"""

import argparse
import collections
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

TIMEOUT = 180


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def chromium_command(chromium, profile, *extra):
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
            "--virtual-time-budget=5000", *extra]


def open_page(chromium, page, workdir, screenshot=None):
    """(DOM after load, console lines) of `page`; with `screenshot`, a PNG of it too."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=workdir)
    url = "file://" + os.path.abspath(page)
    dom = subprocess.run(chromium_command(chromium, profile, "--dump-dom", url),
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


def check_page(chromium, page, workdir, expected_charts, screenshot=None):
    dom, console = open_page(chromium, page, workdir, screenshot)
    expect(not console, "console messages:\n  " + "\n  ".join(console))
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
                     'document.body.setAttribute("data-charts-drawn", String(d)); });'
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
                     'document.body.setAttribute("data-charts-drawn", String(d)); });'
                     '</script></body></html>')
    try:
        check_page(chromium, page, workdir, 1)
    except CheckFailed as failure:
        expect("0 of 1 charts drawn" in str(failure), f"unexpected failure: {failure}")
    else:
        raise CheckFailed("the checker passed a page whose chart did not load")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefing", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--compare")
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--keep", help="directory to keep the screenshot and page in")
    args = parser.parse_args()
    chromium = shutil.which(args.chromium)
    if chromium is None:
        print(f"FAIL: no '{args.chromium}' on PATH (scripts/install-deps.sh installs chromium)")
        return 1
    with tempfile.TemporaryDirectory(prefix="icsflow-browser-") as workdir:
        try:
            self_check(chromium, workdir)
            outdir = os.path.join(workdir, "briefing")
            command = [sys.executable, args.briefing, args.results, "-o", outdir]
            labels = ["plan", "other"]
            if args.compare:
                command += ["--compare", args.compare, "--labels", *labels]
            made = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                                  check=False)
            expect(made.returncode == 0, f"briefing.py exited {made.returncode}: {made.stderr}")
            charts = 5 if args.compare else 4
            screenshot = os.path.join(workdir, "briefing.png")
            shown = check_page(chromium, os.path.join(outdir, "briefing.html"), workdir, charts,
                               screenshot)
            expected = {}
            if args.compare:
                expected.update(expected_figures(args.results, labels[0]))
                expected.update(expected_figures(args.compare, labels[1]))
            else:
                stem = os.path.splitext(os.path.basename(args.results))[0]
                with icsflow_results.open_results(args.results) as f:
                    config = icsflow_results.text(f.attrs.get("config_path", ""))
                label = os.path.splitext(os.path.basename(config))[0] or stem
                expected.update(expected_figures(args.results, label))
            for key, value in expected.items():
                expect(key in shown, f"the page does not show {key}")
                if isinstance(value, str):
                    expect(shown[key] == value, f"{key}: page {shown[key]}, file {value}")
                else:
                    expect(abs(float(shown[key]) - value) <= 1e-9 * max(1.0, abs(value)),
                           f"{key}: page {shown[key]}, file {value}")
            expect(os.path.getsize(screenshot) > 50_000, "the screenshot is nearly empty")
            if args.keep:
                os.makedirs(args.keep, exist_ok=True)
                shutil.copy(screenshot, args.keep)
                shutil.copy(os.path.join(outdir, "briefing.html"), args.keep)
            print(f"checked {len(expected)} headline figures and {charts} charts")
        except CheckFailed as failure:
            print(f"FAIL: {failure}")
            return 1
    print("OK (briefing in the browser)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
