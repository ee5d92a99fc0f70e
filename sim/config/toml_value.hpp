#pragma once

// toml11 with ordered (std::map) tables, so that a resolved configuration serialises in a stable,
// sorted order on every machine.
#include <map>
#include <toml.hpp>
#include <vector>

namespace icsflow::sim::config {

using TomlValue = toml::basic_value<toml::discard_comments, std::map, std::vector>;
using TomlTable = TomlValue::table_type;
using TomlArray = TomlValue::array_type;

}  // namespace icsflow::sim::config
