#include "sim/config/toml_path.hpp"

namespace icsflow::sim::config {

const TomlValue* find_dotted_key(const TomlValue& root, const std::string& key) {
    const TomlValue* node = &root;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = key.find('.', start);
        const std::string part = key.substr(start, dot == std::string::npos ? dot : dot - start);
        if (!node->is_table()) {
            return nullptr;
        }
        const auto& table = node->as_table();
        const auto it = table.find(part);
        if (it == table.end()) {
            return nullptr;
        }
        node = &it->second;
        if (dot == std::string::npos) {
            return node;
        }
        start = dot + 1;
    }
}

std::optional<double> number_of(const TomlValue& value) {
    if (value.is_floating()) {
        return value.as_floating();
    }
    if (value.is_integer()) {
        return static_cast<double>(value.as_integer());
    }
    return std::nullopt;
}

}  // namespace icsflow::sim::config
