#!/bin/sh
# Runs the coverage-guided fuzzers (tests/fuzz) for a bounded time each, after the test suite
# (scripts/run-tests.sh calls it; it needs the Release build in build/ for the replays):
#
#   config   the configuration loader as `icsflow validate` runs it, seeded with configs/ and
#            the test configurations;
#   results  the results reader as `icsflow info` runs it, seeded with the results files the test
#            suite wrote and the damaged files kept in tests/fuzz/regressions/results.
#
#   scripts/run-fuzzers.sh [SECONDS_EACH]      (default 60)
#
# Built with clang, libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer in build-fuzz/
# (warnings are not errors there: the warning-free standard is g++ 12's, in build/); the corpus
# in build-fuzz/fuzzing/corpus/ grows from run to run. A finding of the config fuzzer fails the script: its input
# is in build-fuzz/findings/config/; once fixed, copy it into tests/fuzz/regressions/config/ (ctest
# replays that folder on every build). The results fuzzer reads in-process, where the HDF5 library
# itself may crash or loop on a damaged file; `icsflow info` reads in a contained process instead,
# so it keeps going after such a finding, and every one is replayed here through the contained
# reader, which must end cleanly (keep the new ones in tests/fuzz/regressions/results/).
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}

if [ ! -x build/tests/fuzz/icsflow_replay_results ]; then
    echo "run-fuzzers: build the test suite first (scripts/run-tests.sh)" >&2
    exit 1
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DICSFLOW_WERROR=OFF -DICSFLOW_FUZZ=ON -DICSFLOW_BUILD_TESTS=OFF -DICSFLOW_BUILD_BENCH=OFF \
    >/dev/null
cmake --build build-fuzz --target icsflow_fuzz_config icsflow_fuzz_results

work=build-fuzz/fuzzing
mkdir -p "$work/corpus/config" "$work/corpus/results" "$work/findings/config" \
    "$work/findings/results" "$work/seeds/results"
# Leak checking needs ptrace, which some containers forbid; address and UB checks remain.
export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1
common="-seed=${ICSFLOW_FUZZ_SEED:-20261129} -max_total_time=$seconds -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -detect_leaks=0"

echo "run-fuzzers: config loader, $seconds s" >&2
# shellcheck disable=SC2086  # $common is a list of options
# Seed folders; the regressions folder exists only once an input has been kept (git keeps no
# empty folders).
config_seeds="configs tests/data tests/data/blmk"
if [ -d tests/fuzz/regressions/config ]; then
    config_seeds="$config_seeds tests/fuzz/regressions/config"
fi
# shellcheck disable=SC2086  # $common and $config_seeds are lists
if ! build-fuzz/tests/fuzz/icsflow_fuzz_config $common -max_len=65536 \
        -artifact_prefix="$work/findings/config/" "$work/corpus/config" $config_seeds \
        >"$work/config.log" 2>&1; then
    tail -n 60 "$work/config.log" >&2
    echo "run-fuzzers: the config fuzzer found an input that fails: $work/findings/config/" >&2
    exit 1
fi
grep -E "^(#[0-9]+.*DONE|stat::)" "$work/config.log" >&2 || true

echo "run-fuzzers: results reader, $seconds s" >&2
cp build/tests/results/*.h5 "$work/seeds/results/" 2>/dev/null || true
# shellcheck disable=SC2086
build-fuzz/tests/fuzz/icsflow_fuzz_results $common -fork=1 -ignore_crashes=1 \
    -ignore_timeouts=1 -ignore_ooms=1 -artifact_prefix="$work/findings/results/" \
    "$work/corpus/results" "$work/seeds/results" tests/fuzz/regressions/results \
    >"$work/results.log" 2>&1 || true
grep -E "^(#[0-9]+.*DONE|stat::|INFO: fuzzed for)" "$work/results.log" >&2 || true
findings=$(find "$work/findings/results" -type f | wc -l)
echo "run-fuzzers: $findings inputs on which the HDF5 library fails in-process; replaying them" \
    "through the contained reader" >&2
if [ "$findings" -gt 0 ]; then
    build/tests/fuzz/icsflow_replay_results "$work/findings/results" >/dev/null
fi
echo "run-fuzzers: no findings" >&2
