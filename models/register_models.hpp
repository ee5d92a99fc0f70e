#pragma once

#include "sim/runner/scenario.hpp"

namespace icsflow::models {

// Adds every model of this program to the registry: the one place the command line learns which
// models exist.
void register_all(sim::ModelRegistry& registry);

}  // namespace icsflow::models
