#!/usr/bin/env bash
# Scaling of a batch of the default configuration on this machine (1 vs 2 threads, 1 vs 2 MPI
# ranks, chunks vs blocks), and the batch planner's prediction for the same layouts next to the
# measurement; then the planner's prediction for 10,000 replications on the 64-node platform.
#
#   bench/cluster_scaling.sh                  20 replications, best of 2 runs per layout
#   bench/cluster_scaling.sh -r 40 --repeat 3
#
# Every layout is launched with mpirun (-n 1 for one rank), as the planner assumes. Wall time is
# the whole command (launch to exit), CPU time is user + system of every process. The load
# average before each run is printed: on a shared machine, compare CPU times and repeat when
# the load is low. Environment: ICSFLOW_BUILD (default <repo>/build), ICSFLOW_BENCH_CONFIG
# (default configs/blmk.toml).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ICSFLOW_BUILD:-${root}/build}"
config="${ICSFLOW_BENCH_CONFIG:-${root}/configs/blmk.toml}"
replications=20
repeat=2
while [ $# -gt 0 ]; do
    case "$1" in
        -r|--replications) replications="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        *) echo "usage: $0 [-r REPLICATIONS] [--repeat N]" >&2; exit 2 ;;
    esac
done

# Arithmetic with awk (always installed), so the script needs nothing beyond the project.
calc() { awk "BEGIN { print $1 }"; }

icsflow="${build}/icsflow"
[ -x "${icsflow}" ] || { echo "cluster_scaling: build icsflow first (${icsflow})" >&2; exit 2; }
mpirun_flags=()
[ "$(id -u)" -eq 0 ] && mpirun_flags+=(--allow-run-as-root)
work="$(mktemp -d "${TMPDIR:-/tmp}/icsflow-scaling-XXXXXX")"
trap 'rm -rf "${work}"' EXIT

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
echo "batch:   ${replications} replications of ${config#"${root}"/}, best of ${repeat} runs"
echo

# layout name, ranks, threads, policy
layouts=("1x1 1 1 chunks" "1x2 1 2 chunks" "2x1:chunks 2 1 chunks" "2x1:blocks 2 1 blocks")
declare -A best_wall best_cpu
printf '%-12s %10s %10s %8s   %s\n' "layout" "wall (s)" "CPU (s)" "load" "runs (wall/CPU)"
for entry in "${layouts[@]}"; do
    read -r name ranks threads policy <<< "${entry}"
    runs=""
    for ((i = 0; i < repeat; i++)); do
        load="$(cut -d' ' -f1 /proc/loadavg)"
        output="${work}/${name}-${i}.h5"
        # Wall time of the whole command; CPU time of each rank, timed by its own time(1).
        rm -f "${work}/cpu"
        /usr/bin/time -f "%e" -o "${work}/wall" \
            mpirun "${mpirun_flags[@]}" -n "${ranks}" --bind-to none \
            /usr/bin/time -a -o "${work}/cpu" -f "%U %S" "${icsflow}" run "${config}" \
            -r "${replications}" --threads "${threads}" --distribution "${policy}" \
            -o "${output}" --progress none > /dev/null
        wall="$(cat "${work}/wall")"
        cpu="$(awk '{ s += $1 + $2 } END { print s }' "${work}/cpu")"
        runs+=" ${wall}/${cpu}@${load}"
        if [ -z "${best_wall[${name}]:-}" ] || \
           [ "$(calc "${wall} < ${best_wall[${name}]}")" -eq 1 ]; then
            best_wall[${name}]="${wall}"
            best_cpu[${name}]="${cpu}"
            cp "${output}" "${work}/${name}.h5"
        fi
    done
    printf '%-12s %10s %10s %8s  %s\n' "${name}" "${best_wall[${name}]}" "${best_cpu[${name}]}" \
        "${load}" "${runs}"
done
echo
printf 'speed-up 1 -> 2 threads (1 rank):  %.2f\n' \
    "$(calc "${best_wall[1x1]} / ${best_wall[1x2]}")"
printf 'speed-up 1 -> 2 ranks (1 thread):  %.2f (chunks), %.2f (blocks)\n' \
    "$(calc "${best_wall[1x1]} / ${best_wall[2x1:chunks]}")" \
    "$(calc "${best_wall[1x1]} / ${best_wall[2x1:blocks]}")"

# The planner, profiled on the 1 rank x 2 threads run (its /runtime): each replication's cost
# taken as its thread's CPU time (what it costs on an idle machine) and as its wall time (which
# includes the load of the moment).
echo
echo "planner (configs/platforms/this-machine.xml), profile: the best 1x2 run"
declare -A plan
for cost in cpu wall; do
    plan[${cost}]="$("${icsflow}" plan-cluster --platform \
        "${root}/configs/platforms/this-machine.xml" -r "${replications}" \
        --profile "${work}/1x2.h5" --cost "${cost}" --layout 1x1 --layout 1x2 \
        --layout 2x1:chunks --layout 2x1:blocks)"
    echo "${plan[${cost}]}" | sed -n '2p'
done
predicted() {  # predicted seconds of layout "$2 x $3" with policy column $4 in plan $1
    local line
    line="$(echo "${plan[$1]}" | awk -v l="$2 x $3" -v p="$4" \
        'substr($0, 1, length(l)) == l && $5 == p {print $6}')"
    calc "$(echo "${line}" | sed -E 's/^([0-9]+)h([0-9]+)m$/\1 * 3600 + \2 * 60/;
        s/^([0-9]+)m([0-9.]+)s$/\1 * 60 + \2/; s/s$//')"
}
echo
printf '%-12s %13s %8s %13s %8s %13s %13s\n' "layout" "predicted:cpu" "error" \
    "predicted:wall" "error" "measured wall" "measured CPU"
for entry in "${layouts[@]}"; do
    read -r name ranks threads policy <<< "${entry}"
    column='-'
    [ "${ranks}" -gt 1 ] && column="${policy}"
    measured="${best_wall[${name}]}"
    by_cpu="$(predicted cpu "${ranks}" "${threads}" "${column}")"
    by_wall="$(predicted wall "${ranks}" "${threads}" "${column}")"
    printf '%-12s %13.1f %7.1f%% %13.1f %7.1f%% %13.1f %13.1f\n' "${name}" "${by_cpu}" \
        "$(calc "100 * (${by_cpu} - ${measured}) / ${measured}")" "${by_wall}" \
        "$(calc "100 * (${by_wall} - ${measured}) / ${measured}")" "${measured}" \
        "${best_cpu[${name}]}"
done

echo
echo "planner: 10,000 replications on configs/platforms/cluster-64.xml, same profile"
"${icsflow}" plan-cluster --platform "${root}/configs/platforms/cluster-64.xml" -r 10000 \
    --profile "${work}/1x2.h5" --deadline 1h | sed -n '4,$p'
