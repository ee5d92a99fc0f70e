"""Shared reader of icsflow results files for the Python scripts (briefing, calibration table,
plan against projection): opens a file, refuses what is not icsflow results or has a major
format version this reader does not know (docs/results-format.md), and gives what every script
needs: summaries, which uncertainty the spread between replications holds, and Wilson intervals
for probabilities, computed as `icsflow compare` computes them.
"""

import json
import math
import os
import shutil
import subprocess
import tomllib

import h5py
import numpy as np

FORMAT_MAJOR = 1
Z95 = 1.959963984540054


class ResultsFileError(Exception):
    """A results file that is missing, unreadable or not one this reader knows."""


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if hasattr(value, "shape") and value.shape == ():
        return text(value[()])
    return str(value)


def open_results(path):
    """The h5py.File of `path`, checked: filetype icsflow-results and format major 1."""
    if not os.path.exists(path):
        raise ResultsFileError(f"results file '{path}' does not exist")
    if os.path.isdir(path):
        raise ResultsFileError(f"results file '{path}' is a directory")
    try:
        f = h5py.File(path, "r")
    except OSError as error:
        raise ResultsFileError(
            f"'{path}' is not an icsflow results file (not readable as HDF5: {error})") from None
    filetype = text(f.attrs["filetype"]) if "filetype" in f.attrs else None
    if filetype != "icsflow-results":
        f.close()
        found = f"filetype '{filetype}'" if filetype else "no filetype attribute"
        raise ResultsFileError(
            f"'{path}' is not an icsflow results file ({found}; expected 'icsflow-results')")
    version = [int(v) for v in f.attrs.get("format_version", [])]
    if len(version) != 2 or version[0] != FORMAT_MAJOR:
        f.close()
        raise ResultsFileError(
            f"'{path}' has results format {'.'.join(map(str, version)) or '?'}; this reader "
            f"reads format {FORMAT_MAJOR}.x")
    return f


def uncertainty(f):
    """What the spread between replications holds: 'chance' (files that do not say), or
    'chance and assumptions: <parameter keys>'."""
    return text(f.attrs["uncertainty"]) if "uncertainty" in f.attrs else "chance"


def bands_footer(f):
    """The sentence chart footers use for the bands."""
    held = uncertainty(f)
    if held == "chance":
        return "Bands: 50% and 90% of runs; they hold chance only, not uncertainty in the " \
               "scenario's assumptions."
    assumptions = held.split(":", 1)[1].strip() if ":" in held else held
    return f"Bands: 50% and 90% of runs; they hold chance and the uncertain assumptions " \
           f"({assumptions})."


def wilson(successes, n, z=Z95):
    """(low, high) of the Wilson score interval; exactly 0 or 1 at the ends."""
    if n == 0:
        return (math.nan, math.nan)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (0.0 if successes == 0 else max(0.0, centre - half),
            1.0 if successes == n else min(1.0, centre + half))


# ---------------------------------------------------------------------------------------------
# Targets and scenario comparison
# ---------------------------------------------------------------------------------------------

def targets(f):
    """The targets a results file evaluated, in the order of its configuration: one dict each
    with name, measure, month (label), threshold, at_least (True: met at or above the
    threshold), ratio (True: a share or ratio, units "1"; False: a count), value[R] and met[R]
    (1 met, 0 not, NaN no value). The direction is the program's own statement in the long name
    of /summary/values/target_<name>_met ("... at least 0.9 (1 met, 0 not)")."""
    try:
        config = tomllib.loads(text(f["config/resolved"][()])) if "config/resolved" in f else {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        config = {}
    found = []
    for target in config.get("analysis", {}).get("targets", []):
        name = target.get("name", "")
        met_key, value_key = f"summary/values/target_{name}_met", \
            f"summary/values/target_{name}_value"
        if met_key not in f or value_key not in f:
            continue
        long_name = text(f[met_key].attrs.get("long_name", ""))
        found.append({
            "name": name, "measure": str(target.get("measure", "")),
            "month": str(target.get("month", "")), "threshold": float(target["threshold"]),
            "at_least": " at least " in long_name,
            "ratio": text(f[value_key].attrs.get("units", "1")) == "1",
            "value": f[value_key][()].astype(float), "met": f[met_key][()].astype(float),
        })
    return found


def probability(met):
    """(successes, n, share, wilson low, wilson high) of an indicator array (NaN: no value)."""
    met = np.asarray(met, dtype=float)
    met = met[np.isfinite(met)]
    count, n = int(np.sum(met > 0.5)), len(met)
    low, high = wilson(count, n)
    return count, n, (count / n if n else math.nan), low, high


class CompareRefused(Exception):
    """`icsflow compare` would not compare the files (they cannot be paired) or could not run."""


def find_icsflow(explicit=None):
    """The icsflow program: `explicit`, $ICSFLOW, build/icsflow of this checkout, or the PATH."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (explicit, os.environ.get("ICSFLOW"),
                      os.path.join(here, "..", "build", "icsflow")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("icsflow")


def compare(paths, labels, icsflow):
    """`icsflow compare PATHS --labels LABELS --all --format json`, as
    {measure name: {"long_name", "units", "kind", "scenarios": {label: entry}}}; an entry has
    estimate, low, high (the 90% range of runs, or the 95% Wilson interval of a probability) and,
    from the second file on, "difference" with the paired 95% interval. The statistics are the
    program's, so the briefing states exactly what `icsflow compare` prints. Raises
    CompareRefused with the program's reason when the files cannot be paired."""
    if icsflow is None:
        raise CompareRefused("no icsflow program found (give --icsflow or set ICSFLOW)")
    command = [icsflow, "compare", *paths, "--labels", *labels, "--all", "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()
        raise CompareRefused(reason[-1] if reason else f"icsflow compare exited "
                                                        f"{done.returncode}")
    measures = {}
    for measure in json.loads(done.stdout)["measures"]:
        measure["scenarios"] = {s["label"]: s for s in measure["scenarios"]}
        measures[measure["name"]] = measure
    return measures
