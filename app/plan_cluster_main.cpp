// icsflow-plan-cluster: the batch planner, run by `icsflow plan-cluster` with its arguments. A
// program of its own because SimGrid's library defines the MPI functions (SMPI) and cannot be
// loaded into a process that uses Open MPI.
#include <CLI/CLI.hpp>
#include <iostream>

#include "sim/cli/exit_codes.hpp"
#include "sim/cli/plan_cluster_command.hpp"
#include "sim/io/io_error.hpp"

int main(int argc, char** argv) {
    using namespace icsflow::sim;
    CLI::App app{
        "icsflow plan-cluster: simulates a batch on a described cluster (SimGrid) and predicts "
        "its wall time and efficiency for several ranks x threads layouts"};
    app.name("icsflow plan-cluster");
    PlanOptions options;
    add_plan_cluster_options(app, options);
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }
    try {
        return command_plan_cluster(options);
    } catch (const IoError& e) {
        std::cerr << "icsflow plan-cluster: " << e.what() << '\n';
        return kExitIoError;
    } catch (const std::invalid_argument& e) {
        std::cerr << "icsflow plan-cluster: " << e.what() << '\n';
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "icsflow plan-cluster: error: " << e.what() << '\n';
        return kExitFailure;
    }
}
