#!/bin/sh
# The hindcast, as docs/hindcast.md shows it: fits configs/blmk-hindcast-base.toml to England's
# RTT series on April 2019 to December 2020 (monthly levers for the clock stops, then the removal
# rates, the long-wait review threshold and the share of offers made out of turn), scores January 2021 to
# March 2022, writes the fitted overlay configs/blmk-hindcast.toml and the fitted run's results,
# and regenerates the tables and chart of docs/hindcast.md from them. About 3 minutes on an idle
# 2-core machine. Extra arguments go to icsflow calibrate (e.g. --threads 2).
set -eu
cd "$(dirname "$0")/.."
results=${ICSFLOW_HINDCAST_RESULTS:-results/blmk-hindcast-calibration.h5}
build/icsflow calibrate configs/blmk-hindcast-base.toml \
    --observed data/england-rtt-monthly-2019-04_2022-03.csv \
    --train 2019-04:2020-12 --test 2021-01:2022-03 \
    --fit-monthly drivers.capacity.theatres.monthly=admitted_ratio,drivers.capacity.outpatients.monthly=non_admitted_ratio \
    --fit removals.background_rate_per_week=0.005:0.03,removals.pandemic.background_rate_per_week=0:0.03,policy.long_wait_review_weeks=20:104,policy.out_of_turn_share=0:0.6 \
    --measures list_ratio,within_18_weeks,over_52_per_1000,median_wait,removal_rate \
    -r 6 --report-replications 40 --rounds 1 --max-evaluations 40 --force \
    -o configs/blmk-hindcast.toml --results "$results" "$@"
/usr/bin/python3 scripts/calibration_report.py "$results" --doc docs/hindcast.md --images docs/images
