#include "sim/config/config_document.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "sim/config/input_limits.hpp"
#include "sim/config/toml_syntax_issue.hpp"

namespace icsflow::sim::config {

namespace {

std::string type_name(const TomlValue& value) {
    switch (value.type()) {
        case toml::value_t::empty:
            return "nothing";
        case toml::value_t::boolean:
            return "a boolean";
        case toml::value_t::integer:
            return "an integer";
        case toml::value_t::floating:
            return "a number";
        case toml::value_t::string:
            return "a string";
        case toml::value_t::offset_datetime:
        case toml::value_t::local_datetime:
            return "a date-time";
        case toml::value_t::local_date:
            return "a date";
        case toml::value_t::local_time:
            return "a time";
        case toml::value_t::array:
            return "an array";
        case toml::value_t::table:
            return "a table";
    }
    return "an unknown value";
}

unsigned line_of_value(const TomlValue& value) {
    return static_cast<unsigned>(value.location().line());
}

bool is_number(const TomlValue& v) {
    return v.is_floating() || v.is_integer();
}

double as_number(const TomlValue& v) {
    return v.is_floating() ? v.as_floating() : static_cast<double>(v.as_integer());
}

}  // namespace

std::string ConfigIssue::format() const {
    std::ostringstream out;
    out << file;
    if (line > 0) {
        out << ':' << line;
    }
    out << ": ";
    if (!key.empty()) {
        out << "key '" << key << "': ";
    }
    out << message;
    return out.str();
}

ConfigError::ConfigError(std::vector<ConfigIssue> issues)
    : std::runtime_error([&issues] {
          std::string text;
          for (const auto& issue : issues) {
              text += issue.format() + "\n";
          }
          return text;
      }()),
      issues_(std::move(issues)) {}

ConfigDocument::ConfigDocument(std::vector<SourceFile> sources, TomlValue root)
    : file_(sources.front().path),
      text_(sources.front().text),
      sources_(std::move(sources)),
      root_(std::move(root)),
      resolved_(TomlTable{}) {}

namespace {

TomlValue parse_text(const std::string& text, const std::string& file_name) {
    check_nesting(text, file_name);
    std::istringstream in(text);
    try {
        return toml::parse<toml::discard_comments, std::map, std::vector>(in, file_name);
    } catch (const toml::syntax_error& e) {
        throw ConfigError({toml_syntax_issue(e.what(), text, file_name,
                                             static_cast<unsigned>(e.location().line()))});
    }
}

// True for a table written inline, `key = { ... }`: the value's source column holds the brace.
bool is_inline_table(const TomlValue& value) {
    if (!value.is_table()) {
        return false;
    }
    const auto location = value.location();
    const std::string line = location.line_str();
    const std::size_t column = location.column();
    return column >= 1 && column <= line.size() && line[column - 1] == '{';
}

// Tables merge key by key, except that an inline table replaces the base's table whole: it is a
// value such as a distribution, `{ distribution = "lognormal", mean = 4, sd = 2 }`, whose keys
// belong together (a base's `value` must not survive a change of family). Arrays replace.
void merge_into(TomlValue& base, const TomlValue& over) {
    auto& base_table = base.as_table();
    for (const auto& [key, value] : over.as_table()) {
        const auto it = base_table.find(key);
        if (it != base_table.end() && it->second.is_table() && value.is_table() &&
            !is_inline_table(value)) {
            merge_into(it->second, value);
        } else {
            base_table[key] = value;
        }
    }
}

const char* const kAppendKey = "append";

// Whether `over` sets the value at `path` (dotted) itself, i.e. replaces it.
bool sets_path(const TomlValue& over, const std::string& path) {
    const TomlValue* node = &over;
    std::size_t begin = 0;
    while (true) {
        const std::size_t dot = path.find('.', begin);
        const std::string key = path.substr(begin, dot == std::string::npos ? dot : dot - begin);
        if (!node->is_table()) {
            return false;
        }
        const auto it = node->as_table().find(key);
        if (it == node->as_table().end()) {
            return false;
        }
        if (dot == std::string::npos) {
            return true;
        }
        node = &it->second;
        begin = dot + 1;
    }
}

// Adds the arrays of an `append` table after the arrays at the same paths of `target` (the
// merged base): `[[append.capacity_changes]]` adds one element to `capacity_changes`. An array
// absent from the base is created. Problems are collected, each with the overlay's file and line.
void append_into(TomlValue& target, const TomlValue& additions, const std::string& path,
                 const TomlValue& overlay, const std::string& file_name,
                 std::vector<ConfigIssue>& issues) {
    for (const auto& [key, value] : additions.as_table()) {
        const std::string child = path.empty() ? key : path + "." + key;
        const std::string shown = std::string(kAppendKey) + "." + child;
        auto& table = target.as_table();
        const auto it = table.find(key);
        if (value.is_array()) {
            if (sets_path(overlay, child)) {
                issues.push_back(
                    {file_name, line_of_value(value), shown,
                     "the file both replaces '" + child + "' and appends to it; keep one"});
            } else if (it == table.end()) {
                table[key] = value;
            } else if (!it->second.is_array()) {
                issues.push_back({file_name, line_of_value(value), shown,
                                  "cannot append: '" + child + "' in the base is " +
                                      type_name(it->second) + ", not an array"});
            } else {
                for (const TomlValue& element : value.as_array()) {
                    it->second.as_array().push_back(element);
                }
            }
        } else if (value.is_table()) {
            if (it == table.end()) {
                table[key] = TomlValue(TomlTable{});
                append_into(table[key], value, child, overlay, file_name, issues);
            } else if (!it->second.is_table()) {
                issues.push_back({file_name, line_of_value(value), shown,
                                  "cannot append: '" + child + "' in the base is " +
                                      type_name(it->second) + ", not a table"});
            } else {
                append_into(it->second, value, child, overlay, file_name, issues);
            }
        } else {
            issues.push_back({file_name, line_of_value(value), shown,
                              "expected an array of elements to add, got " + type_name(value)});
        }
    }
}

// Parses `text` (from `file_name`) and, if it names a base, the chain of bases beneath it.
// `sources` receives every file read, in order from the most derived.
TomlValue load_with_bases(std::string text, const std::string& file_name,
                          std::vector<ConfigDocument::SourceFile>& sources) {
    TomlValue root = parse_text(text, file_name);
    sources.push_back({file_name, std::move(text)});
    const auto& table = root.as_table();
    const auto base_it = table.find("base");
    const auto append_it = table.find(kAppendKey);
    if (base_it == table.end()) {
        if (append_it != table.end()) {
            throw ConfigError({ConfigIssue{file_name, line_of_value(append_it->second), kAppendKey,
                                           "appending needs a base: add base = \"<file>\""}});
        }
        return root;
    }
    if (!base_it->second.is_string()) {
        throw ConfigError({ConfigIssue{file_name, line_of_value(base_it->second), "base",
                                       "expected a string (the path of the base configuration)"}});
    }
    const std::filesystem::path base_path =
        std::filesystem::path(file_name).parent_path() / base_it->second.as_string().str;
    const std::string base_name = base_path.lexically_normal().string();
    const unsigned base_line = line_of_value(base_it->second);
    // A cycle or an overlong chain is a mistake in this file's `base`: reported there.
    std::string chain;
    bool cycle = false;
    for (const auto& source : sources) {
        chain += source.path + " -> ";
        cycle = cycle || std::filesystem::path(source.path).lexically_normal() ==
                             base_path.lexically_normal();
    }
    if (cycle) {
        throw ConfigError({ConfigIssue{
            file_name, base_line, "base",
            "configuration files extend each other in a cycle: " + chain + base_name}});
    }
    if (sources.size() >= kMaxBaseChain) {
        throw ConfigError({ConfigIssue{
            file_name, base_line, "base",
            "more than " + std::to_string(kMaxBaseChain) + " files extend one another"}});
    }
    const ConfigIssue referrer{file_name, base_line, "base", ""};
    std::string referrer_text = referrer.format();
    referrer_text.resize(referrer_text.size() - 2);  // without the empty message's ": "
    TomlValue merged =
        load_with_bases(read_config_file(base_name, referrer_text), base_name, sources);
    root.as_table().erase("base");
    TomlValue additions;
    if (const auto it = root.as_table().find(kAppendKey); it != root.as_table().end()) {
        additions = it->second;
        root.as_table().erase(it);
    }
    merge_into(merged, root);
    if (additions.is_table()) {
        std::vector<ConfigIssue> issues;
        append_into(merged, additions, "", root, file_name, issues);
        if (!issues.empty()) {
            throw ConfigError(std::move(issues));
        }
    } else if (!additions.is_uninitialized()) {
        throw ConfigError({ConfigIssue{file_name, line_of_value(additions), kAppendKey,
                                       "expected a table of arrays to add, e.g. "
                                       "[[append.capacity_changes]]"}});
    }
    return merged;
}

}  // namespace

ConfigDocument ConfigDocument::load_file(const std::string& path) {
    return from_string(read_config_file(path), path);
}

ConfigDocument ConfigDocument::from_string(std::string text, std::string file_name) {
    std::vector<SourceFile> sources;
    TomlValue root = load_with_bases(std::move(text), file_name, sources);
    return ConfigDocument(std::move(sources), std::move(root));
}

void ConfigDocument::set_value(const std::string& key, TomlValue value) {
    TomlValue* node = &root_;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = key.find('.', start);
        const std::string part = key.substr(start, dot == std::string::npos ? dot : dot - start);
        if (!node->is_table()) {
            *node = TomlValue(TomlTable{});
        }
        TomlValue& child = node->as_table()[part];
        if (dot == std::string::npos) {
            child = std::move(value);
            return;
        }
        node = &child;
        start = dot + 1;
    }
}

namespace {

[[noreturn]] void refuse_key(const std::string& key_path, const std::string& message) {
    throw ConfigError({ConfigIssue{"command line", 0, key_path, message}});
}

}  // namespace

TomlValue& ConfigDocument::value_at(const std::string& key_path) {
    const auto refuse = [&](const std::string& message) { refuse_key(key_path, message); };
    TomlValue* node = &root_;
    std::size_t begin = 0;
    while (begin <= key_path.size()) {
        std::size_t end = key_path.find('.', begin);
        if (end == std::string::npos) {
            end = key_path.size();
        }
        std::string step = key_path.substr(begin, end - begin);
        std::optional<long> index;
        if (const std::size_t bracket = step.find('['); bracket != std::string::npos) {
            if (step.back() != ']') {
                refuse("expected key[index]");
            }
            try {
                index = std::stol(step.substr(bracket + 1, step.size() - bracket - 2));
            } catch (const std::exception&) {
                refuse("the index in '" + step + "' is not a whole number");
            }
            step = step.substr(0, bracket);
        }
        if (!node->is_table() || node->as_table().count(step) == 0) {
            refuse("no such key in the configuration (or its bases)");
        }
        node = &node->as_table().at(step);
        if (index) {
            if (!node->is_array()) {
                refuse("'" + step + "' is not an array");
            }
            const long size = static_cast<long>(node->as_array().size());
            const long at = *index < 0 ? size + *index : *index;
            if (at < 0 || at >= size) {
                refuse("index " + std::to_string(*index) + " is outside '" + step + "' (" +
                       std::to_string(size) + " elements)");
            }
            node = &node->as_array()[static_cast<std::size_t>(at)];
        }
        begin = end + 1;
    }
    return *node;
}

bool ConfigDocument::holds_integer(const std::string& key_path) {
    return value_at(key_path).is_integer();
}

void ConfigDocument::override_number(const std::string& key_path, double value) {
    const auto refuse = [&](const std::string& message) { refuse_key(key_path, message); };
    TomlValue* node = &value_at(key_path);
    if (node->is_integer()) {
        if (value != std::floor(value)) {
            refuse("takes a whole number, not " + std::to_string(value));
        }
        *node = TomlValue(static_cast<std::int64_t>(value));
    } else if (node->is_floating()) {
        *node = TomlValue(value);
    } else {
        refuse("is " + type_name(*node) + ", not a number");
    }
}

ConfigNode ConfigDocument::root(const ParameterDictionary& dictionary) {
    return ConfigNode(this, &root_, &dictionary, "", "", {});
}

void ConfigDocument::report(unsigned line, std::string key, std::string message) {
    issues_.push_back(ConfigIssue{file_, line, std::move(key), std::move(message)});
}

void ConfigDocument::report_at(const TomlValue& value, std::string key, std::string message) {
    // A merged configuration keeps each value's own file, so the issue names the file that
    // actually holds the offending line (the scenario file or the base it extends).
    std::string file = value.location().file_name();
    if (file.empty() || file == "unknown file") {
        file = file_;
    }
    issues_.push_back(
        ConfigIssue{std::move(file), line_of_value(value), std::move(key), std::move(message)});
}

void ConfigDocument::collect_unknown(const TomlValue& table, const std::string& path) {
    for (const auto& [key, value] : table.as_table()) {
        const std::string child = path.empty() ? key : path + "." + key;
        if (consumed_.count(child) == 0) {
            report_at(value, child, "unknown key");
            continue;
        }
        if (value.is_table()) {
            collect_unknown(value, child);
        } else if (value.is_array()) {
            const auto& array = value.as_array();
            for (std::size_t i = 0; i < array.size(); ++i) {
                const std::string element = child + "[" + std::to_string(i) + "]";
                if (array[i].is_table() && consumed_.count(element) != 0) {
                    collect_unknown(array[i], element);
                }
            }
        }
    }
}

void ConfigDocument::finish() {
    collect_unknown(root_, "");
    if (!issues_.empty()) {
        std::stable_sort(
            issues_.begin(), issues_.end(),
            [](const ConfigIssue& a, const ConfigIssue& b) { return a.line < b.line; });
        throw ConfigError(issues_);
    }
}

std::string ConfigDocument::resolved_text() const {
    return toml::format(resolved_);
}

ConfigNode::ConfigNode(ConfigDocument* doc, const TomlValue* table,
                       const ParameterDictionary* dictionary, std::string path, std::string pattern,
                       std::vector<PathStep> steps)
    : doc_(doc),
      table_(table),
      dictionary_(dictionary),
      path_(std::move(path)),
      pattern_(std::move(pattern)),
      steps_(std::move(steps)) {}

std::string ConfigNode::child_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::string ConfigNode::child_pattern(std::string_view key) const {
    return pattern_.empty() ? std::string(key) : pattern_ + "." + std::string(key);
}

const ParamSpec& ConfigNode::spec_for(std::string_view key, ParamType expected) const {
    const std::string pattern = child_pattern(key);
    const ParamSpec* spec = dictionary_->find(pattern);
    if (spec == nullptr) {
        throw std::logic_error("configuration key '" + pattern +
                               "' is read but missing from the parameter dictionary");
    }
    const bool compatible = spec->type == expected ||
                            (expected == ParamType::number && spec->type == ParamType::integer);
    if (!compatible) {
        throw std::logic_error("configuration key '" + pattern + "' is declared as " +
                               std::string(to_string(spec->type)) + " but read as " +
                               std::string(to_string(expected)));
    }
    return *spec;
}

const TomlValue* ConfigNode::find(std::string_view key) const {
    if (table_ == nullptr || !table_->is_table()) {
        return nullptr;
    }
    const auto& table = table_->as_table();
    const auto it = table.find(std::string(key));
    return it == table.end() ? nullptr : &it->second;
}

bool ConfigNode::has(std::string_view key) const {
    return find(key) != nullptr;
}

unsigned ConfigNode::line() const {
    return table_ != nullptr ? line_of_value(*table_) : 0;
}

std::string ConfigNode::file_of(std::string_view key) const {
    const TomlValue* value = find(key);
    return value != nullptr ? value->location().file_name() : doc_->file_name();
}

unsigned ConfigNode::line_of(std::string_view key) const {
    const TomlValue* value = find(key);
    return value != nullptr ? line_of_value(*value) : line();
}

void ConfigNode::error(std::string_view key, std::string message) {
    if (const TomlValue* value = find(key)) {
        doc_->report_at(*value, child_path(key), std::move(message));
    } else {
        report_here(child_path(key), std::move(message));
    }
}

void ConfigNode::report_here(std::string key, std::string message) {
    if (table_ != nullptr) {
        doc_->report_at(*table_, std::move(key), std::move(message));
    } else if (enclosing_ != nullptr) {
        // An absent table: at the nearest table that is there (where it belongs).
        doc_->report_at(*enclosing_, std::move(key), std::move(message));
    } else {
        doc_->report(0, std::move(key), std::move(message));
    }
}

const TomlValue* ConfigNode::value_or_default(std::string_view key, const ParamSpec& spec) {
    doc_->mark_consumed(child_path(key));
    if (const TomlValue* value = find(key)) {
        return value;
    }
    if (spec.required()) {
        report_here(child_path(key), "missing required key (" + std::string(to_string(spec.type)) +
                                         (spec.units.empty() ? "" : ", " + spec.units) + ")");
        return nullptr;
    }
    if (spec.default_value.is_uninitialized()) {
        return nullptr;  // optional and absent: the caller checks has() first
    }
    return &spec.default_value;
}

void ConfigNode::resolve(std::string_view key, const TomlValue& value) {
    TomlValue* cursor = &doc_->resolved_;
    for (const PathStep& step : steps_) {
        auto& table = cursor->as_table();
        if (step.index) {
            auto [it, inserted] = table.try_emplace(step.key, TomlArray{});
            auto& array = it->second.as_array();
            while (array.size() <= *step.index) {
                array.emplace_back(TomlTable{});
            }
            cursor = &array[*step.index];
        } else {
            auto [it, inserted] = table.try_emplace(step.key, TomlTable{});
            cursor = &it->second;
        }
    }
    cursor->as_table()[std::string(key)] = value;
}

namespace {

// Within the spec's range (and finite)?
bool in_range(const ParamSpec& spec, double value) {
    const bool below = spec.min_exclusive ? !(value > spec.min) : !(value >= spec.min);
    return std::isfinite(value) && !below && !(value > spec.max);
}

// Reports `element` at `path` when it lies outside the spec's range; true when it is inside.
bool report_if_out_of_range(ConfigDocument& doc, const ParamSpec& spec, const TomlValue& element,
                            double value, const std::string& path, std::string_view what) {
    if (in_range(spec, value)) {
        return true;
    }
    std::ostringstream message;
    message << what << " " << exact_number_text(value) << " is out of range (" << spec.range_text()
            << ")";
    doc.report_at(element, path, message.str());
    return false;
}

}  // namespace

void ConfigNode::type_error(std::string_view key, const TomlValue& value,
                            std::string_view expected) {
    doc_->report_at(value, child_path(key),
                    "expected " + std::string(expected) + ", found " + type_name(value));
}

double ConfigNode::checked_range(std::string_view key, const ParamSpec& spec, double value) {
    if (!in_range(spec, value)) {
        std::ostringstream message;
        message << "value " << exact_number_text(value) << " is out of range (" << spec.range_text()
                << ")";
        error(key, message.str());
        if (!spec.required() && is_number(spec.default_value)) {
            return as_number(spec.default_value);
        }
        return std::isfinite(spec.min) ? spec.min + (spec.min_exclusive ? 1e-9 : 0.0) : 0.0;
    }
    return value;
}

double ConfigNode::number(std::string_view key) {
    const ParamSpec& spec = spec_for(key, ParamType::number);
    const TomlValue* value = value_or_default(key, spec);
    const double fallback =
        std::isfinite(spec.min) ? spec.min + (spec.min_exclusive ? 1e-9 : 0.0) : 0.0;
    if (value == nullptr) {
        return fallback;
    }
    if (!is_number(*value) || (spec.type == ParamType::integer && !value->is_integer())) {
        type_error(key, *value, spec.type == ParamType::integer ? "an integer" : "a number");
        return fallback;
    }
    const double checked = checked_range(key, spec, as_number(*value));
    resolve(key, *value);
    return checked;
}

std::int64_t ConfigNode::integer(std::string_view key) {
    static_cast<void>(spec_for(key, ParamType::integer));
    const std::size_t issues_before = doc_->issues().size();
    const double checked = number(key);
    // The file's own integer when it was accepted: exact even beyond 2^53, where the double that
    // the range check used is not (a seed of 2^53 + 1 must not become 2^53).
    const TomlValue* value = find(key);
    if (value != nullptr && value->is_integer() && doc_->issues().size() == issues_before) {
        return value->as_integer();
    }
    return static_cast<std::int64_t>(std::llround(checked));
}

bool ConfigNode::boolean(std::string_view key) {
    const ParamSpec& spec = spec_for(key, ParamType::boolean);
    const TomlValue* value = value_or_default(key, spec);
    if (value == nullptr) {
        return false;
    }
    if (!value->is_boolean()) {
        type_error(key, *value, "a boolean (true or false)");
        return false;
    }
    resolve(key, *value);
    return value->as_boolean();
}

std::string ConfigNode::string(std::string_view key) {
    const ParamSpec& spec = spec_for(key, ParamType::string);
    const TomlValue* value = value_or_default(key, spec);
    const std::string fallback = spec.choices.empty() ? "" : spec.choices.front();
    if (value == nullptr) {
        return fallback;
    }
    if (!value->is_string()) {
        type_error(key, *value, "a string");
        return fallback;
    }
    const std::string text = value->as_string().str;
    if (!spec.choices.empty() &&
        std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end()) {
        error(key, "'" + text + "' is not allowed (" + spec.range_text() + ")");
        return fallback;
    }
    resolve(key, *value);
    return text;
}

Date ConfigNode::date(std::string_view key) {
    const ParamSpec& spec = spec_for(key, ParamType::date);
    const TomlValue* value = value_or_default(key, spec);
    const Date fallback{std::chrono::year{2000}, std::chrono::January, std::chrono::day{1}};
    if (value == nullptr) {
        return fallback;
    }
    if (!value->is_local_date()) {
        type_error(key, *value, "a date (YYYY-MM-DD, unquoted)");
        return fallback;
    }
    const toml::local_date& d = value->as_local_date();
    const Date date{std::chrono::year{d.year},
                    std::chrono::month{static_cast<unsigned>(d.month) + 1},
                    std::chrono::day{static_cast<unsigned>(d.day)}};
    if (!date.ok()) {
        error(key, "no such date");
        return fallback;
    }
    resolve(key, *value);
    return date;
}

std::vector<double> ConfigNode::numbers(std::string_view key) {
    const ParamSpec& spec = spec_for(key, ParamType::number_array);
    const TomlValue* value = value_or_default(key, spec);
    if (value == nullptr) {
        return {};
    }
    if (!value->is_array()) {
        type_error(key, *value, "an array of numbers");
        return {};
    }
    std::vector<double> out;
    bool all_ok = true;
    for (const auto& element : value->as_array()) {
        if (!is_number(element)) {
            type_error(key, element, "a number in the array");
            all_ok = false;
            continue;
        }
        const double v = as_number(element);
        if (!report_if_out_of_range(*doc_, spec, element, v, child_path(key), "array element")) {
            all_ok = false;
            continue;
        }
        out.push_back(v);
    }
    if (all_ok) {
        resolve(key, *value);
    }
    return out;
}

std::vector<std::string> ConfigNode::strings(std::string_view key) {
    const ParamSpec& spec = spec_for(key, ParamType::string_array);
    const TomlValue* value = value_or_default(key, spec);
    if (value == nullptr) {
        return {};
    }
    if (!value->is_array()) {
        type_error(key, *value, "an array of strings");
        return {};
    }
    std::vector<std::string> out;
    for (const auto& element : value->as_array()) {
        if (!element.is_string()) {
            type_error(key, element, "a string in the array");
            continue;
        }
        out.push_back(element.as_string().str);
    }
    resolve(key, *value);
    return out;
}

std::vector<std::pair<std::string, double>> ConfigNode::number_map(std::string_view key) {
    const ParamSpec& spec = spec_for(key, ParamType::number_map);
    const TomlValue* value = value_or_default(key, spec);
    std::vector<std::pair<std::string, double>> out;
    if (value == nullptr) {
        return out;
    }
    if (!value->is_table()) {
        type_error(key, *value, "a table of numbers by name");
        return out;
    }
    bool all_ok = true;
    for (const auto& [name, element] : value->as_table()) {
        doc_->mark_consumed(child_path(key) + "." + name);
        if (!is_number(element)) {
            doc_->report_at(element, child_path(key) + "." + name,
                            "expected a number, found " + type_name(element));
            all_ok = false;
            continue;
        }
        const double v = as_number(element);
        if (!report_if_out_of_range(*doc_, spec, element, v, child_path(key) + "." + name,
                                    "value")) {
            all_ok = false;
            continue;
        }
        out.emplace_back(name, v);
    }
    if (all_ok) {
        resolve(key, *value);
    }
    return out;
}

ConfigNode ConfigNode::table(std::string_view key) {
    const ParamSpec& spec = spec_for(key, ParamType::table);
    doc_->mark_consumed(child_path(key));
    std::vector<PathStep> steps = steps_;
    steps.push_back(PathStep{std::string(key), std::nullopt});
    const TomlValue* value = find(key);
    if (value != nullptr && !value->is_table()) {
        type_error(key, *value, "a table");
        value = nullptr;
    } else if (value == nullptr && spec.required()) {
        report_here(child_path(key), "missing required table");
    }
    ConfigNode child(doc_, value, dictionary_, child_path(key), child_pattern(key),
                     std::move(steps));
    child.enclosing_ = table_ != nullptr ? table_ : enclosing_;
    return child;
}

std::vector<std::pair<std::string, ConfigNode>> ConfigNode::table_map(std::string_view key) {
    const ParamSpec& spec = spec_for(key, ParamType::table_map);
    doc_->mark_consumed(child_path(key));
    std::vector<std::pair<std::string, ConfigNode>> out;
    const TomlValue* value = find(key);
    if (value == nullptr) {
        if (spec.required()) {
            report_here(child_path(key), "missing required table of named tables");
        }
        return out;
    }
    if (!value->is_table()) {
        type_error(key, *value, "a table of named tables");
        return out;
    }
    for (const auto& [name, element] : value->as_table()) {
        const std::string element_path = child_path(key) + "." + name;
        doc_->mark_consumed(element_path);
        if (!element.is_table()) {
            doc_->report_at(element, element_path, "expected a table, found " + type_name(element));
            continue;
        }
        std::vector<PathStep> steps = steps_;
        steps.push_back(PathStep{std::string(key), std::nullopt});
        steps.push_back(PathStep{name, std::nullopt});
        out.emplace_back(name, ConfigNode(doc_, &element, dictionary_, element_path,
                                          child_pattern(key) + ".*", std::move(steps)));
    }
    return out;
}

std::vector<ConfigNode> ConfigNode::table_array(std::string_view key) {
    const ParamSpec& spec = spec_for(key, ParamType::table_array);
    doc_->mark_consumed(child_path(key));
    std::vector<ConfigNode> out;
    const TomlValue* value = find(key);
    if (value == nullptr) {
        if (spec.required()) {
            report_here(child_path(key), "missing required array of tables");
        }
        return out;
    }
    if (!value->is_array()) {
        type_error(key, *value, "an array of tables ([[" + child_path(key) + "]])");
        return out;
    }
    const auto& array = value->as_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
        const std::string element_path = child_path(key) + "[" + std::to_string(i) + "]";
        doc_->mark_consumed(element_path);
        if (!array[i].is_table()) {
            doc_->report_at(array[i], element_path,
                            "expected a table, found " + type_name(array[i]));
            continue;
        }
        std::vector<PathStep> steps = steps_;
        steps.push_back(PathStep{std::string(key), i});
        out.push_back(ConfigNode(doc_, &array[i], dictionary_, element_path,
                                 child_pattern(key) + "[]", std::move(steps)));
    }
    return out;
}

}  // namespace icsflow::sim::config
