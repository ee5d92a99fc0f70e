#!/usr/bin/python3
"""Compares the datasets of two icsflow results files.

    compare_results.py A.h5 B.h5                      # exit 0 if identical
    compare_results.py A.h5 B.h5 --expect-different   # exit 0 if the results differ

Every dataset of either file is compared, except those under /runtime (wall-clock times):
the same set of names, shapes and types, and exactly equal values, NaN equal to NaN. The
attributes of the datasets are compared too (dimension-scale references excepted); the root
attributes are not, since they record when and how each file was made (time, command line,
threads, seed).

With --expect-different the files must have the same layout but different results: at least
one dataset under /series or /summary must differ.
"""

import argparse
import sys

import h5py
import numpy as np

SKIPPED_PREFIXES = ("runtime/",)
REFERENCE_ATTRIBUTES = {"DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME"}


def datasets(f):
    names = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and not name.startswith(SKIPPED_PREFIXES):
            names[name] = obj
    f.visititems(visit)
    return names


def values_equal(a, b):
    if a.shape != b.shape:
        return False
    if a.dtype.kind == "f" and b.dtype.kind == "f":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


def read(ds):
    if h5py.check_string_dtype(ds.dtype) is not None:
        return np.asarray(ds.asstr()[()], dtype=object)
    return np.asarray(ds[()])


def attributes(ds):
    out = {}
    for key, value in ds.attrs.items():
        if key in REFERENCE_ATTRIBUTES:
            continue
        out[key] = np.asarray(value).tolist()
    return out


def compare(path_a, path_b):
    """Returns (layout differences, value differences)."""
    layout = []
    values = []
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        da = datasets(a)
        db = datasets(b)
        for name in sorted(set(da) ^ set(db)):
            layout.append(f"/{name} is in only one file")
        for name in sorted(set(da) & set(db)):
            x = da[name]
            y = db[name]
            if x.shape != y.shape or x.dtype != y.dtype:
                layout.append(f"/{name}: shape or type {x.shape} {x.dtype} vs {y.shape} {y.dtype}")
                continue
            if attributes(x) != attributes(y):
                layout.append(f"/{name}: attributes differ")
            if not values_equal(read(x), read(y)):
                values.append(f"/{name}")
    return layout, values


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--expect-different", action="store_true",
                        help="succeed only if some /series or /summary dataset differs")
    args = parser.parse_args()
    layout, values = compare(args.a, args.b)
    for problem in layout:
        print(f"layout: {problem}")
    for name in values:
        print(f"values differ: {name}")
    if layout:
        print("FAIL: the files do not have the same layout")
        return 1
    if args.expect_different:
        results = [n for n in values if n.startswith(("/series/", "/summary/"))]
        if not results:
            print("FAIL: the results are identical, expected them to differ")
            return 1
        print(f"OK: {len(results)} result datasets differ, as expected")
        return 0
    if values:
        print(f"FAIL: {len(values)} datasets differ")
        return 1
    print("OK: every dataset is identical (/runtime excepted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
