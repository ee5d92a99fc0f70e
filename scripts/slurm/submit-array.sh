#!/bin/sh
# Submits a batch as a job array of TASKS parts and a merge that runs when every part succeeded:
#
#   scripts/slurm/submit-array.sh CONFIG REPLICATIONS TASKS OUTPUT.h5
#
# Parts go to OUTPUT.parts/; extra sbatch options (partition, account) can be given in
# SBATCH_* environment variables, which sbatch reads itself.
set -eu
if [ $# -ne 4 ]; then
    echo "usage: $0 CONFIG REPLICATIONS TASKS OUTPUT.h5" >&2
    exit 2
fi
here=$(dirname "$0")
export ICSFLOW_CONFIG="$1" ICSFLOW_REPLICATIONS="$2" ICSFLOW_OUTPUT="$4"
export ICSFLOW_PARTS="${4%.h5}.parts"
tasks=$3
array=$(sbatch --parsable --array=0-$((tasks - 1)) "$here/icsflow-array.sbatch")
merge=$(sbatch --parsable --dependency=afterok:"${array%%;*}" "$here/icsflow-merge.sbatch")
echo "submitted job array $array ($tasks parts) and merge job $merge -> $ICSFLOW_OUTPUT"
