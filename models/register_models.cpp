#include "models/register_models.hpp"

#include "models/blmk/blmk_model.hpp"
#include "models/reference/queueing_model.hpp"

namespace icsflow::models {

void register_all(sim::ModelRegistry& registry) {
    registry.add(blmk::blmk_model_info());
    registry.add(reference::queueing_model_info());
}

}  // namespace icsflow::models
