#pragma once

#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/toml_value.hpp"

namespace icsflow::sim::config {

enum class ParamType {
    number,  // float (an integer literal is accepted)
    integer,
    boolean,
    string,        // may be restricted to `choices`
    date,          // TOML local date, 2019-04-01
    number_array,  // [1.0, 2.5, ...]
    string_array,
    table,        // a sub-table; its keys are documented on their own
    table_map,    // a table of named sub-tables (places.luton, places.bedford_borough, ...)
    table_array,  // [[stages]]
    number_map,   // a table of numbers keyed by name: { bedford = 0.6, luton_dunstable = 0.4 }
};

[[nodiscard]] std::string_view to_string(ParamType type);

// One entry of a model's parameter dictionary: what the key means, its units, default, allowed
// range and where the default comes from. The config reader looks every key up here, so a key
// that is read but not documented is a programming error caught by the tests, and the docs table
// is generated from the same entries.
//
// `path` uses `*` for any name in a table_map and `[]` for any element of a table_array:
// "places.*.population", "stages[].servers".
// `value` with six significant digits, or as many more as it needs to read back exactly: a
// bound of 1e+09 and a value of 1000000001 never print alike.
[[nodiscard]] std::string exact_number_text(double value);

struct ParamSpec {
    std::string path;
    ParamType type = ParamType::number;
    TomlValue default_value{};  // uninitialised (is_uninitialized()) = required
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool min_exclusive = false;
    std::vector<std::string> choices;
    std::string units;
    std::string meaning;
    std::string source;
    // No default, yet not required: the reader asks `has()` first (an optional date, say).
    bool optional = false;

    [[nodiscard]] bool required() const { return default_value.is_uninitialized() && !optional; }
    [[nodiscard]] std::string range_text() const;
    [[nodiscard]] std::string default_text() const;
};

class ParameterDictionary {
  public:
    ParameterDictionary() = default;
    explicit ParameterDictionary(std::vector<ParamSpec> specs);

    void add(ParamSpec spec);
    void merge(const ParameterDictionary& other);
    [[nodiscard]] const ParamSpec* find(std::string_view pattern) const;
    [[nodiscard]] const std::vector<ParamSpec>& specs() const { return specs_; }

    // A Markdown table of every entry, in declaration order.
    [[nodiscard]] std::string to_markdown(std::string_view title) const;

  private:
    std::vector<ParamSpec> specs_;
    std::map<std::string, std::size_t, std::less<>> index_;
};

// Builders that keep dictionary declarations short and readable.
ParamSpec number_param(std::string path, TomlValue default_value, double min, double max,
                       std::string units, std::string meaning, std::string source);
ParamSpec integer_param(std::string path, TomlValue default_value, double min, double max,
                        std::string units, std::string meaning, std::string source);
ParamSpec choice_param(std::string path, TomlValue default_value, std::vector<std::string> choices,
                       std::string meaning, std::string source);
ParamSpec typed_param(std::string path, ParamType type, TomlValue default_value, std::string units,
                      std::string meaning, std::string source);

// The "no default: required" marker for the builders.
inline TomlValue required() {
    return TomlValue{};
}

// The same entry, marked optional (no default, not required).
inline ParamSpec optional(ParamSpec spec) {
    spec.optional = true;
    return spec;
}

}  // namespace icsflow::sim::config
