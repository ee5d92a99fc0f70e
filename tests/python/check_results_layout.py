#!/usr/bin/python3
"""Checks that an icsflow results file has the documented layout, read with h5py as a user would.

    check_results_layout.py RESULTS.h5 [--config CONFIG.toml]

Results format 1.x:
  /                 attributes: filetype, format_version [1, 1], program, program_version,
                    git_commit, git_dirty, created_utc, command_line, model, config_path,
                    start_date, master_seed, replications, first_replication, threads, mpi_ranks,
                    library_versions
  /config/input     the configuration text exactly as read (equal to CONFIG.toml when given)
  /config/resolved  every parameter used, defaults included (TOML)
  /axes/replication the replication indices, a dimension scale
  /axes/<time>      period starts (days since start_date), a dimension scale, with <time>_end and
                    <time>_label attached to it
  /axes/<category>  category labels (strings), a dimension scale
  /series/<name>    float64 [replication, time, categories...], NaN fill, the axes attached as
                    dimension scales, one replication per chunk
  /summary/values/<name>   float64 [replication], NaN fill
  /summary/moments/<name>  (n, sum, sum of squares) of the values, summed in replication order
  /runtime          wall_seconds, events per replication; batch attributes
Every dataset has `long_name`; every numeric or label dataset has `units`.
For the BLMK model, the breakdowns planners asked for are there with their documented axes, and
add up to the totals they break down (docs/results-format.md, "The BLMK model's series"); and a
few derived summaries equal what a reader recomputes from the recorded series.

Exit status 0 if the file conforms, 1 with a list of every problem otherwise. Uses only h5py,
numpy and the standard library (Debian's /usr/bin/python3).
"""

import argparse
import math
import re
import sys
import tomllib

import h5py
import numpy as np

REQUIRED_STRING_ATTRIBUTES = [
    "filetype", "program", "program_version", "git_commit", "git_dirty", "created_utc",
    "command_line", "model", "config_path", "start_date",
]
REQUIRED_INTEGER_ATTRIBUTES = [
    "master_seed", "replications", "first_replication", "threads", "mpi_ranks",
]
SERIES_KINDS = {
    "stock at end of period", "total over period", "time-average over period",
    "maximum over period", "statistic of period",
}
TOP_LEVEL = {"axes", "config", "runtime", "series", "summary"}


class Checker:
    def __init__(self):
        self.problems = []

    def check(self, condition, message):
        if not condition:
            self.problems.append(message)
        return condition


def text(value):
    """An HDF5 string (attribute or dataset element) as str."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.shape == ():
        return text(value[()])
    return str(value)


def scale_name(dataset):
    return text(h5py.h5ds.get_scale_name(dataset.id))


def is_scale(dataset):
    return h5py.h5ds.is_scale(dataset.id)


def attached_scale(c, dataset, dimension, expected):
    """The dimension `dimension` of `dataset` has exactly the scale `expected` attached."""
    scales = dataset.dims[dimension]
    if not c.check(len(scales) == 1,
                   f"{dataset.name}: dimension {dimension} has {len(scales)} scales, expected 1"):
        return
    c.check(scales[0].name == expected.name,
            f"{dataset.name}: dimension {dimension} has scale {scales[0].name}, "
            f"expected {expected.name}")


def check_root(c, f):
    for name in REQUIRED_STRING_ATTRIBUTES:
        if c.check(name in f.attrs, f"root attribute {name} missing"):
            c.check(isinstance(f.attrs[name], str), f"root attribute {name} is not a string")
    for name in REQUIRED_INTEGER_ATTRIBUTES:
        if c.check(name in f.attrs, f"root attribute {name} missing"):
            c.check(np.issubdtype(np.asarray(f.attrs[name]).dtype, np.integer)
                    and np.asarray(f.attrs[name]).shape == (),
                    f"root attribute {name} is not an integer scalar")
    c.check(f.attrs.get("filetype") == "icsflow-results", "filetype is not icsflow-results")
    c.check(f.attrs.get("program") == "icsflow", "program is not icsflow")
    version = np.asarray(f.attrs.get("format_version", []))
    c.check(version.shape == (2,) and list(version) == [1, 1],
            f"format_version is {version.tolist()}, expected [1, 1]")
    c.check(f.attrs.get("git_dirty") in ("true", "false", "unknown"),
            "git_dirty is not true, false or unknown")
    c.check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", f.attrs.get("created_utc", ""))
            is not None, "created_utc is not ISO 8601 UTC")
    c.check(re.fullmatch(r"\d{4}-\d\d-\d\d", f.attrs.get("start_date", "")) is not None,
            "start_date is not YYYY-MM-DD")
    c.check(f.attrs.get("program_version", "") != "", "program_version is empty")
    c.check(f.attrs.get("git_commit", "") != "", "git_commit is empty")
    c.check(int(f.attrs.get("replications", 0)) >= 1, "replications < 1")
    c.check(int(f.attrs.get("threads", 0)) >= 1, "threads < 1")
    c.check(int(f.attrs.get("mpi_ranks", 0)) >= 1, "mpi_ranks < 1")
    libraries = f.attrs.get("library_versions")
    c.check(libraries is not None and len(libraries) >= 1
            and all(isinstance(text(x), str) and text(x) for x in libraries),
            "library_versions missing or empty")
    c.check(set(f.keys()) == TOP_LEVEL, f"top-level groups {sorted(f.keys())}, "
            f"expected {sorted(TOP_LEVEL)}")


def check_config(c, f, config_path):
    for name in ("input", "resolved"):
        path = f"config/{name}"
        if not c.check(path in f, f"/{path} missing"):
            return
        ds = f[path]
        c.check(ds.shape == () and h5py.check_string_dtype(ds.dtype) is not None,
                f"/{path} is not a scalar string")
        c.check("long_name" in ds.attrs, f"/{path} has no long_name")
    input_text = text(f["config/input"][()])
    resolved_text = text(f["config/resolved"][()])
    if config_path is not None:
        with open(config_path, encoding="utf-8") as stream:
            expected = stream.read()
        c.check(input_text == expected, f"/config/input differs from {config_path}")
    for name, content in (("input", input_text), ("resolved", resolved_text)):
        try:
            parsed = tomllib.loads(content)
        except tomllib.TOMLDecodeError as error:
            c.check(False, f"/config/{name} is not valid TOML: {error}")
            continue
        model = parsed.get("run", {}).get("model")
        if name == "input" and model is None and "base" in parsed:
            continue  # inherited from a base configuration (/config/bases); resolved has it
        c.check(model == f.attrs.get("model"),
                f"/config/{name} run.model differs from the model attribute")
    resolved = tomllib.loads(resolved_text) if resolved_text else {}
    run = resolved.get("run", {})
    for key in ("start_date", "end_date", "warmup_days", "replications", "seed"):
        c.check(key in run, f"/config/resolved lacks run.{key} (defaults must be resolved)")
    if "start_date" in run:
        c.check(str(run["start_date"]) == f.attrs.get("start_date"),
                "start_date attribute differs from the resolved run.start_date")


def check_units_and_names(c, f):
    def visit(name, obj):
        if not isinstance(obj, h5py.Dataset):
            return
        c.check("long_name" in obj.attrs, f"/{name} has no long_name")
        if not name.startswith("config/"):
            c.check("units" in obj.attrs, f"/{name} has no units")
    f.visititems(visit)


def check_axes(c, f):
    """Returns (replication scale, {time axis: scale}, {category axis: scale})."""
    axes = f["axes"]
    replications = int(f.attrs["replications"])
    first = int(f.attrs["first_replication"])
    replication = axes.get("replication")
    if not c.check(replication is not None, "/axes/replication missing"):
        return None, {}, {}
    c.check(np.issubdtype(replication.dtype, np.integer), "/axes/replication is not integer")
    c.check(list(replication[()]) == list(range(first, first + replications)),
            "/axes/replication is not first_replication .. first_replication + replications - 1")
    c.check(is_scale(replication) and scale_name(replication) == "replication",
            "/axes/replication is not the dimension scale 'replication'")
    time_axes = {}
    category_axes = {}
    for name, ds in axes.items():
        if name == "replication" or name.endswith("_end") or name.endswith("_label"):
            continue
        c.check(is_scale(ds) and scale_name(ds) == name,
                f"/axes/{name} is not the dimension scale '{name}'")
        if h5py.check_string_dtype(ds.dtype) is not None:
            category_axes[name] = ds
            labels = [text(x) for x in ds[()]]
            c.check(len(labels) == len(set(labels)) and all(labels),
                    f"/axes/{name}: labels empty or repeated")
            continue
        time_axes[name] = ds
        c.check(ds.dtype == np.float64, f"/axes/{name} is not float64")
        c.check(text(ds.attrs.get("units", "")) == "days since " + f.attrs["start_date"],
                f"/axes/{name} units are not 'days since <start_date>'")
        end = axes.get(name + "_end")
        label = axes.get(name + "_label")
        if not c.check(end is not None and label is not None,
                       f"/axes/{name} lacks {name}_end or {name}_label"):
            continue
        start_values = ds[()]
        end_values = end[()]
        c.check(start_values.shape == end_values.shape == label.shape,
                f"/axes/{name}: start, end and label lengths differ")
        c.check(len(start_values) >= 1, f"/axes/{name} is empty")
        c.check(bool(np.all(end_values > start_values)), f"/axes/{name}: a period ends before "
                "it starts")
        c.check(bool(np.all(start_values[1:] == end_values[:-1])),
                f"/axes/{name}: periods are not contiguous")
        c.check(start_values[0] == 0.0, f"/axes/{name} does not start at day 0")
        attached_scale(c, end, 0, ds)
        attached_scale(c, label, 0, ds)
    c.check(len(time_axes) >= 1, "no time axis in /axes")
    return replication, time_axes, category_axes


def check_series(c, f, replication, time_axes, category_axes):
    replications = int(f.attrs["replications"])
    series = f["series"]
    c.check(len(series) >= 1, "/series is empty")
    for name, ds in series.items():
        where = f"/series/{name}"
        c.check(ds.dtype == np.float64, f"{where} is not float64")
        c.check(math.isnan(ds.fillvalue), f"{where}: fill value is not NaN")
        c.check(ds.ndim >= 2 and ds.shape[0] == replications,
                f"{where}: shape {ds.shape} is not [replications, time, ...]")
        c.check(ds.chunks is not None and ds.chunks[0] == 1,
                f"{where}: not chunked by replication")
        c.check(text(ds.attrs.get("kind", "")) in SERIES_KINDS, f"{where}: unknown kind")
        dimensions = [text(x) for x in ds.attrs.get("dimensions", [])]
        time_axis = text(ds.attrs.get("time_axis", ""))
        if not c.check(len(dimensions) == ds.ndim and dimensions[:2] == ["replication", time_axis],
                       f"{where}: dimensions attribute {dimensions} does not match"):
            continue
        if replication is not None:
            attached_scale(c, ds, 0, replication)
        if c.check(time_axis in time_axes, f"{where}: time axis {time_axis} not in /axes"):
            attached_scale(c, ds, 1, time_axes[time_axis])
            c.check(ds.shape[1] == time_axes[time_axis].shape[0],
                    f"{where}: time dimension length differs from /axes/{time_axis}")
        for d, axis in enumerate(dimensions[2:], start=2):
            if c.check(axis in category_axes, f"{where}: axis {axis} not in /axes"):
                attached_scale(c, ds, d, category_axes[axis])
                c.check(ds.shape[d] == category_axes[axis].shape[0],
                        f"{where}: dimension {d} length differs from /axes/{axis}")


def sequential_moments(values):
    """(n, sum, sum of squares) added one by one in order, as the writer does."""
    total = 0.0
    squares = 0.0
    for v in values:
        total += float(v)
        squares += float(v) * float(v)
    return [float(len(values)), total, squares]


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def check_summary(c, f, replication):
    replications = int(f.attrs["replications"])
    values = f["summary/values"]
    moments = f["summary/moments"]
    c.check(sorted(values.keys()) == sorted(moments.keys()),
            "/summary/values and /summary/moments name different summaries")
    c.check(len(values) >= 1, "/summary/values is empty")
    for name, ds in values.items():
        where = f"/summary/values/{name}"
        c.check(ds.dtype == np.float64 and ds.shape == (replications,),
                f"{where}: not float64 [replications]")
        c.check(math.isnan(ds.fillvalue), f"{where}: fill value is not NaN")
        if replication is not None:
            attached_scale(c, ds, 0, replication)
        if name in moments:
            expected = sequential_moments(ds[()])
            got = [float(x) for x in moments[name][()]]
            c.check(len(got) == 3 and all(same(a, b) for a, b in zip(got, expected)),
                    f"/summary/moments/{name} is {got}, the values give {expected}")
            fields = [text(x) for x in moments[name].attrs.get("fields", [])]
            c.check(fields == ["n", "sum", "sum_of_squares"],
                    f"/summary/moments/{name}: fields attribute is {fields}")


def check_runtime(c, f):
    replications = int(f.attrs["replications"])
    runtime = f["runtime"]
    for name in ("wall_seconds", "events"):
        if c.check(name in runtime, f"/runtime/{name} missing"):
            c.check(runtime[name].shape == (replications,), f"/runtime/{name}: wrong shape")
    if "events" in runtime:
        c.check(bool(np.all(runtime["events"][()] > 0)), "/runtime/events has a zero")
    for name in ("batch_wall_seconds", "events_per_second", "threads"):
        c.check(name in runtime.attrs, f"/runtime attribute {name} missing")


# The BLMK breakdowns: name -> the axes after [replication, time], and whether a weekly twin
# exists (docs/results-format.md).
BLMK_BREAKDOWNS = {
    "waiting_list_by_priority": (["reporting_unit", "priority"], False),
    "admitted_waiting_by_priority": (["reporting_unit", "priority"], False),
    "within_18_weeks_share_by_priority": (["reporting_unit", "priority"], False),
    "median_wait_weeks_by_priority": (["reporting_unit", "priority"], False),
    "over_52_weeks_by_priority": (["reporting_unit", "priority"], False),
    "referrals_by_place": (["place", "specialty"], True),
    "activity_by_place": (["place", "point_of_delivery"], True),
    "bed_days_by_specialty": (["provider", "bed_specialty"], True),
    "bed_days_by_age_band": (["provider", "bed_age_band"], True),
    "spells_ended": (["provider", "admission_method"], True),
    "mean_length_of_stay": (["provider", "admission_method"], True),
}


def check_blmk_breakdowns(c, f):
    series = f["series"]
    for name, (axes, weekly) in BLMK_BREAKDOWNS.items():
        twins = [(name, "month")] + ([(name + "_weekly", "week")] if weekly else [])
        for twin, time_axis in twins:
            if not c.check(twin in series, f"/series/{twin} missing"):
                continue
            dimensions = [text(x) for x in series[twin].attrs.get("dimensions", [])]
            c.check(dimensions == ["replication", time_axis] + axes,
                    f"/series/{twin}: dimensions {dimensions}")
        c.check(weekly or name + "_weekly" not in series,
                f"/series/{name}_weekly is not documented")
    if not all(name in series for name in BLMK_BREAKDOWNS):
        return
    c.check([text(x) for x in f["axes/priority"][()]] == ["P1", "P2", "P3", "P4"],
            "/axes/priority is not P1..P4")
    # Each adds up to its total: the list by priority exactly, per reporting unit and month;
    # referrals by place to the clock starts; bed-days to the mean beds occupied times the days.
    list_total = series["waiting_list"][()]
    by_priority = series["waiting_list_by_priority"][()]
    c.check(np.array_equal(by_priority.sum(axis=-1), list_total),
            "waiting_list_by_priority does not add up to waiting_list")
    c.check(np.array_equal(series["over_52_weeks_by_priority"][()].sum(axis=-1),
                           series["over_52_weeks"][()]),
            "over_52_weeks_by_priority does not add up to over_52_weeks")
    c.check(bool(np.all(series["admitted_waiting_by_priority"][()] <= by_priority)),
            "admitted_waiting_by_priority exceeds waiting_list_by_priority")
    for suffix in ("", "_weekly"):
        c.check(np.array_equal(series["referrals_by_place" + suffix][()].sum(axis=(2, 3)),
                               series["clock_starts" + suffix][()].sum(axis=(2, 3))),
                f"referrals_by_place{suffix} does not add up to clock_starts{suffix}")
    days = f["axes/month_end"][()] - f["axes/month"][()]
    bed_days = series["beds_occupied"][()] * days[None, :, None]
    for name in ("bed_days_by_specialty", "bed_days_by_age_band"):
        total = series[name][()].sum(axis=-1)
        c.check(bool(np.allclose(total, bed_days, rtol=1e-9, atol=1e-9)),
                f"{name} does not add up to beds_occupied x days")
    points = [text(x) for x in f["axes/point_of_delivery"][()]]
    by_place = series["activity_by_place"][()]
    for k, point in enumerate(points):
        column = by_place[..., k]
        if point in ("ae_attendance", "other_non_elective"):
            c.check(bool(np.all(np.isnan(column))), f"activity_by_place: {point} has values")
    for k, point in enumerate(points):
        if point in ("outpatient_first", "elective_inpatient", "emergency_admission",
                     "independent_sector"):
            c.check(np.array_equal(by_place[..., k].sum(axis=2),
                                   series["activity"][()][..., k].sum(axis=2)),
                    f"activity_by_place: {point} does not add up to activity")


def check_blmk_derived(c, f):
    """A few derived summaries recomputed from the recorded series, as a reader would: they are
    computed after the run from those series alone (models/blmk/metrics/derived_summaries.cpp)."""
    series = f["series"]
    values = f["summary/values"]
    system_list = series["waiting_list"][()][:, :, -1]  # last reporting unit: the system
    months = system_list.shape[1]
    year = min(12, months)
    checks = {
        "list_first_month": system_list[:, 0],
        "list_end": system_list[:, -1],
        "over_52_end": series["over_52_weeks"][()][:, -1, -1],
        "first_year_clock_starts": series["clock_starts"][()][:, :year].sum(axis=(1, 2, 3)),
        "first_year_cancellations":
            series["on_the_day_cancellations"][()][:, :year].sum(axis=(1, 2)),
    }
    for name, expected in checks.items():
        if c.check(name in values, f"/summary/values/{name} missing"):
            c.check(np.array_equal(values[name][()], expected),
                    f"/summary/values/{name} differs from the series it is derived from")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--config", help="the configuration file the results were made from")
    args = parser.parse_args()
    c = Checker()
    with h5py.File(args.results, "r") as f:
        check_root(c, f)
        if TOP_LEVEL <= set(f.keys()):
            check_config(c, f, args.config)
            check_units_and_names(c, f)
            replication, time_axes, category_axes = check_axes(c, f)
            check_series(c, f, replication, time_axes, category_axes)
            if f.attrs.get("model") == "blmk":
                check_blmk_breakdowns(c, f)
                check_blmk_derived(c, f)
            check_summary(c, f, replication)
            check_runtime(c, f)
    if c.problems:
        print(f"{args.results}: {len(c.problems)} layout problems:")
        for problem in c.problems:
            print(f"  {problem}")
        return 1
    print(f"{args.results}: layout conforms to results format 1.1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
