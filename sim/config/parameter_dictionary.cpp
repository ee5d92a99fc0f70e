#include "sim/config/parameter_dictionary.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace icsflow::sim::config {

std::string_view to_string(ParamType type) {
    switch (type) {
        case ParamType::number:
            return "number";
        case ParamType::integer:
            return "integer";
        case ParamType::boolean:
            return "boolean";
        case ParamType::string:
            return "string";
        case ParamType::date:
            return "date";
        case ParamType::number_array:
            return "array of numbers";
        case ParamType::string_array:
            return "array of strings";
        case ParamType::table:
            return "table";
        case ParamType::table_map:
            return "table of named tables";
        case ParamType::table_array:
            return "array of tables";
        case ParamType::number_map:
            return "table of numbers by name";
    }
    return "unknown";
}

namespace {

// Cells of a Markdown table must not contain raw pipes or newlines.
std::string cell(std::string text) {
    std::string out;
    for (const char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string ParamSpec::range_text() const {
    if (!choices.empty()) {
        std::string text;
        for (const auto& c : choices) {
            text += (text.empty() ? "" : ", ") + c;
        }
        return "one of: " + text;
    }
    const bool has_min = std::isfinite(min);
    const bool has_max = std::isfinite(max);
    if (!has_min && !has_max) {
        return "";
    }
    std::string text;
    if (has_min) {
        text += (min_exclusive ? "> " : ">= ") + exact_number_text(min);
    }
    if (has_max) {
        text += std::string(has_min ? ", " : "") + "<= " + exact_number_text(max);
    }
    return text;
}

std::string ParamSpec::default_text() const {
    if (required()) {
        return "required";
    }
    if (default_value.is_uninitialized()) {
        return "none";
    }
    return toml::format(default_value, 0);
}

ParameterDictionary::ParameterDictionary(std::vector<ParamSpec> specs) {
    for (auto& spec : specs) {
        add(std::move(spec));
    }
}

void ParameterDictionary::add(ParamSpec spec) {
    if (index_.count(spec.path) != 0) {
        throw std::logic_error("parameter dictionary: duplicate entry '" + spec.path + "'");
    }
    index_.emplace(spec.path, specs_.size());
    specs_.push_back(std::move(spec));
}

void ParameterDictionary::merge(const ParameterDictionary& other) {
    for (const auto& spec : other.specs_) {
        add(spec);
    }
}

const ParamSpec* ParameterDictionary::find(std::string_view pattern) const {
    const auto it = index_.find(pattern);
    return it == index_.end() ? nullptr : &specs_[it->second];
}

std::string ParameterDictionary::to_markdown(std::string_view title) const {
    std::ostringstream out;
    out << "## " << title << "\n\n";
    out << "| key | type | default | range | units | meaning | source |\n";
    out << "|---|---|---|---|---|---|---|\n";
    for (const auto& spec : specs_) {
        out << "| `" << spec.path << "` | " << to_string(spec.type) << " | "
            << cell(spec.default_text()) << " | " << cell(spec.range_text()) << " | "
            << cell(spec.units) << " | " << cell(spec.meaning) << " | " << cell(spec.source)
            << " |\n";
    }
    return out.str();
}

ParamSpec number_param(std::string path, TomlValue default_value, double min, double max,
                       std::string units, std::string meaning, std::string source) {
    ParamSpec spec;
    spec.path = std::move(path);
    spec.type = ParamType::number;
    spec.default_value = std::move(default_value);
    spec.min = min;
    spec.max = max;
    spec.units = std::move(units);
    spec.meaning = std::move(meaning);
    spec.source = std::move(source);
    return spec;
}

ParamSpec integer_param(std::string path, TomlValue default_value, double min, double max,
                        std::string units, std::string meaning, std::string source) {
    ParamSpec spec = number_param(std::move(path), std::move(default_value), min, max,
                                  std::move(units), std::move(meaning), std::move(source));
    spec.type = ParamType::integer;
    return spec;
}

ParamSpec choice_param(std::string path, TomlValue default_value, std::vector<std::string> choices,
                       std::string meaning, std::string source) {
    ParamSpec spec;
    spec.path = std::move(path);
    spec.type = ParamType::string;
    spec.default_value = std::move(default_value);
    spec.choices = std::move(choices);
    spec.meaning = std::move(meaning);
    spec.source = std::move(source);
    return spec;
}

ParamSpec typed_param(std::string path, ParamType type, TomlValue default_value, std::string units,
                      std::string meaning, std::string source) {
    ParamSpec spec;
    spec.path = std::move(path);
    spec.type = type;
    spec.default_value = std::move(default_value);
    spec.units = std::move(units);
    spec.meaning = std::move(meaning);
    spec.source = std::move(source);
    return spec;
}

std::string exact_number_text(double value) {
    char text[32];
    for (int precision = 6;; ++precision) {
        std::snprintf(text, sizeof text, "%.*g", precision, value);
        if (precision >= 17 || std::strtod(text, nullptr) == value) {
            return text;
        }
    }
}

}  // namespace icsflow::sim::config
