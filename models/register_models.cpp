#include "models/register_models.hpp"

#include "models/reference/queueing_model.hpp"

namespace icsflow::models {

void register_all(sim::ModelRegistry& registry) {
    registry.add(reference::queueing_model_info());
}

}  // namespace icsflow::models
