#pragma once

#include <optional>

#include "models/blmk/parameters/parameters.hpp"
#include "sim/config/config_document.hpp"
#include "sim/engine/sim_calendar.hpp"
#include "sim/runner/scenario.hpp"

namespace icsflow::models::blmk {

// Reads the whole BLMK configuration. Every problem is recorded in the document; returns
// std::nullopt when there was any.
[[nodiscard]] std::optional<BlmkParameters> read_parameters(sim::config::ConfigNode& root,
                                                            const sim::SimCalendar& calendar,
                                                            const sim::RunSettings& run);

}  // namespace icsflow::models::blmk
