#pragma once

#include <string>

namespace icsflow::sim {

// `text` as a JSON string literal, quotes included: quote, backslash and control characters
// escaped, so that any file name, label or key path gives valid JSON.
[[nodiscard]] std::string json_string(const std::string& text);

}  // namespace icsflow::sim
