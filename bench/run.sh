#!/usr/bin/env bash
# Builds the benchmarks (Release) and prints every figure.
#
#   bench/run.sh                       all figures, each timed figure the best of 3 runs
#   bench/run.sh --only engine,blmk    some of them (heap, engine, scaling, blmk, memory)
#   bench/run.sh --repeat 5            more runs per figure (a busy machine needs more)
#   bench/run.sh --smoke               every figure at a tiny size (checks that they run)
#
# Environment: ICSFLOW_BENCH_BUILD (build directory, default <repo>/build-bench) and
# ICSFLOW_BENCH_JOBS (parallel compile jobs, default 2).
#
# The figures are only meaningful on an otherwise idle machine: the load average is printed with
# them, and each timed figure lists every run and its CPU time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ICSFLOW_BENCH_BUILD:-${root}/build-bench}"
jobs="${ICSFLOW_BENCH_JOBS:-2}"

cmake -S "${root}" -B "${build}" -G Ninja -DCMAKE_BUILD_TYPE=Release -DICSFLOW_BUILD_BENCH=ON \
    > /dev/null
ninja -C "${build}" -j "${jobs}" icsflow_bench

echo
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; $(uptime)"
exec "${build}/bench/icsflow_bench" --root "${root}" "$@"
