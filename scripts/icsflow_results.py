"""Shared reader of icsflow results files for the Python scripts (briefing, calibration table,
plan against projection): opens a file, refuses what is not icsflow results or has a major
format version this reader does not know (docs/results-format.md), and gives what every script
needs: summaries, which uncertainty the spread between replications holds, and Wilson intervals
for probabilities, computed as `icsflow compare` computes them.
"""

import math
import os

import h5py

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
