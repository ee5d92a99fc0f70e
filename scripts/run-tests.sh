#!/bin/sh
# Quick start, second command (and what CI runs): installs what is missing, builds icsflow and
# its tests (Release, warnings as errors) and runs the whole suite with ctest; then the unit and
# statistical tests again in a build with AddressSanitizer and UndefinedBehaviorSanitizer; then
# the fuzzers for a minute each (scripts/run-fuzzers.sh).
#
#   scripts/run-tests.sh                 # all three
#   ICSFLOW_SANITIZE=0 scripts/run-tests.sh   # without the sanitizer build
#   ICSFLOW_FUZZ=0 scripts/run-tests.sh       # without the fuzzers
#   ICSFLOW_FUZZ_SECONDS=600 scripts/run-tests.sh   # fuzz longer (seconds per fuzzer)
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc)

scripts/install-deps.sh

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DICSFLOW_WERROR=ON >/dev/null
cmake --build build
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "${ICSFLOW_SANITIZE:-1}" != 0 ]; then
    cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DICSFLOW_WERROR=ON \
        -DICSFLOW_SANITIZE=ON -DICSFLOW_BUILD_BENCH=OFF >/dev/null
    cmake --build build-sanitize
    # Leak checking needs ptrace, which some containers forbid; address and UB checks remain.
    ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
        ctest --test-dir build-sanitize --output-on-failure -j "$jobs" -L "unit|statistical|blmk|fuzz"
fi

if [ "${ICSFLOW_FUZZ:-1}" != 0 ]; then
    scripts/run-fuzzers.sh "${ICSFLOW_FUZZ_SECONDS:-60}"
fi
echo "run-tests: all tests passed"
