// The icsflow executable: wires the models into the command line. Nothing else lives here.
#include "models/register_models.hpp"
#include "sim/cli/cli.hpp"

int main(int argc, char** argv) {
    icsflow::sim::ModelRegistry registry;
    icsflow::models::register_all(registry);
    return icsflow::sim::run_command_line(argc, argv, registry);
}
