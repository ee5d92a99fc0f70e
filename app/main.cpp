// The icsflow executable: the composition root. It wires the models into the command line and,
// when the program was started by an MPI launcher, runs batches across the ranks. Nothing else
// lives here: sim/ knows nothing of the models, and neither sim/ nor models/ of how the program
// was launched.
#include "models/register_models.hpp"
#include "sim/cli/cli.hpp"

#ifdef ICSFLOW_WITH_MPI
#include "sim/runner/mpi_distributor.hpp"
#endif

int main(int argc, char** argv) {
    icsflow::sim::ModelRegistry registry;
    icsflow::models::register_all(registry);
#ifdef ICSFLOW_WITH_MPI
    if (icsflow::sim::launched_by_mpi()) {
        const icsflow::sim::MpiSession session(&argc, &argv);
        icsflow::sim::MpiDistributor distributor(MPI_COMM_WORLD);
        return icsflow::sim::run_command_line(argc, argv, registry, distributor);
    }
#endif
    return icsflow::sim::run_command_line(argc, argv, registry);
}
