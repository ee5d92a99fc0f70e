#pragma once

// Looking values up in a TOML tree by dotted key ("removals.pandemic.background_rate_per_week"),
// for the commands that address parameters by name (calibrate, [[uncertain]]).
#include <optional>
#include <string>

#include "sim/config/toml_value.hpp"

namespace icsflow::sim::config {

// The value at a dotted key, or nullptr (a key that is absent or runs through a non-table).
[[nodiscard]] const TomlValue* find_dotted_key(const TomlValue& root, const std::string& key);

// A number (float or integer) as a double; nullopt for anything else.
[[nodiscard]] std::optional<double> number_of(const TomlValue& value);

}  // namespace icsflow::sim::config
