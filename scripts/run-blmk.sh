#!/bin/sh
# Quick start, first command: installs what is missing, builds icsflow (Release) and runs the
# default BLMK batch (configs/blmk.toml, its 100 replications on every core), then prints the
# summary and draws the board charts.
#
#   scripts/run-blmk.sh [extra icsflow run options, e.g. -r 20 --threads 2]
#
# Output: results/blmk-<UTC timestamp>.h5 and results/blmk-<UTC timestamp>-briefing/.
set -eu
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target icsflow

stamp=$(date -u +%Y%m%dT%H%M%SZ)
output="results/blmk-$stamp.h5"
build/icsflow run configs/blmk.toml -o "$output" "$@"
if [ -f scripts/briefing.py ]; then
    /usr/bin/python3 scripts/briefing.py "$output" -o "results/blmk-$stamp-briefing"
fi
