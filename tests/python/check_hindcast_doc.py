#!/usr/bin/python3
"""docs/hindcast.md is current: the configuration chain it was generated from (its fingerprint,
the SHA-256 of configs/blmk-hindcast.toml followed by each file it inherits, nearest first, as
scripts/calibration_report.py computes it from the results file) is the chain in the tree now.
A changed hindcast or plan configuration without a regenerated page fails here.

    check_hindcast_doc.py --doc docs/hindcast.md --config configs/blmk-hindcast.toml
"""

import argparse
import hashlib
import os
import re
import sys


def chain(path):
    """The texts of `path` and of every file it inherits through `base = "..."`."""
    texts = []
    seen = set()
    while path is not None:
        path = os.path.normpath(path)
        if path in seen:
            sys.exit(f"check_hindcast_doc: {path} inherits from itself")
        seen.add(path)
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
        texts.append(text)
        match = re.search(r'^base\s*=\s*"([^"]+)"', text, re.MULTILINE)
        path = os.path.join(os.path.dirname(path), match.group(1)) if match else None
    return texts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc", required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args()
    digest = hashlib.sha256()
    for text in chain(args.config):
        digest.update(text.encode("utf-8"))
    with open(args.doc, encoding="utf-8") as stream:
        page = stream.read()
    match = re.search(r"chain fingerprint `sha256:([0-9a-f]{64})`", page)
    if not match:
        print(f"FAILED: {args.doc} has no configuration fingerprint (regenerate it)")
        return 1
    if match.group(1) != digest.hexdigest():
        print(f"FAILED: {args.doc} was generated from another version of {args.config} or its "
              f"bases; rerun the commands at the top of the page")
        return 1
    print(f"{args.doc} is current (sha256:{digest.hexdigest()[:12]}...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
