#!/bin/sh
# Regenerates docs/parameters.md from the program's parameter dictionary (`icsflow params`).
#   scripts/update-parameters-doc.sh [path/to/icsflow]   (default: build/icsflow)
set -eu
cd "$(dirname "$0")/.."
icsflow=${1:-build/icsflow}
target=docs/parameters.md
{
    echo "# Parameters"
    echo
    echo "Every configuration key of every model: type, default, range, units, meaning and source."
    echo "Sources name a seed line (seed-facts.md), the calibration pack, docs/sources.md, or an"
    echo "assumption; the value each scenario uses, and its own source, is in the scenario's comments"
    echo "(configs/). Do not edit below the marker: run scripts/update-parameters-doc.sh."
    echo
    echo "<!-- generated: everything below is \`icsflow params\` -->"
    echo
    "$icsflow" params
} > "$target.tmp"
mv "$target.tmp" "$target"
