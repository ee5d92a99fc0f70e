#!/bin/sh
# Submits a batch as a job array of TASKS parts and a merge that runs when every part succeeded:
#
#   scripts/slurm/submit-array.sh CONFIG REPLICATIONS TASKS OUTPUT.h5 [SBATCH OPTIONS...]
#
# Parts go to OUTPUT.parts/. SBATCH OPTIONS (a partition, an account, --cpus-per-task=16) are
# given to both sbatch commands and override the scripts' #SBATCH lines.
set -eu
if [ $# -lt 4 ]; then
    echo "usage: $0 CONFIG REPLICATIONS TASKS OUTPUT.h5 [SBATCH OPTIONS...]" >&2
    exit 2
fi
here=$(dirname "$0")
export ICSFLOW_CONFIG="$1" ICSFLOW_REPLICATIONS="$2" ICSFLOW_OUTPUT="$4"
export ICSFLOW_PARTS="${4%.h5}.parts"
tasks=$3
shift 4
array=$(sbatch --parsable --array=0-$((tasks - 1)) "$@" "$here/icsflow-array.sbatch")
merge=$(sbatch --parsable --dependency=afterok:"${array%%;*}" "$@" "$here/icsflow-merge.sbatch")
echo "submitted job array $array ($tasks parts) and merge job $merge -> $ICSFLOW_OUTPUT"
