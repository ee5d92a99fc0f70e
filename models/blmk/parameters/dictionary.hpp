#pragma once

#include "sim/config/parameter_dictionary.hpp"

namespace icsflow::models::blmk {

// Every configuration key of the BLMK model (see dictionary.cpp).
[[nodiscard]] const sim::config::ParameterDictionary& blmk_dictionary();

}  // namespace icsflow::models::blmk
