#pragma once

#include "sim/runner/batch_distributor.hpp"
#include "sim/runner/scenario.hpp"

namespace icsflow::sim {

// The `icsflow` command line: run, validate, info, params, models, --version. Models come in
// through the registry; this layer knows nothing of any particular model.
// Returns the process exit code (sim/cli/exit_codes.hpp).
int run_command_line(int argc, char** argv, const ModelRegistry& registry);
// The same, with batches run by `distributor` (several MPI ranks, say): every rank calls it with
// the same arguments; rank 0 writes the results and prints.
int run_command_line(int argc, char** argv, const ModelRegistry& registry,
                     BatchDistributor& distributor);

}  // namespace icsflow::sim
