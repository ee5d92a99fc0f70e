#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/config/parameter_dictionary.hpp"
#include "sim/config/toml_value.hpp"
#include "sim/engine/sim_calendar.hpp"

namespace icsflow::sim::config {

// One problem found in a configuration, located by file, line and key path.
struct ConfigIssue {
    std::string file;
    unsigned line = 0;  // 0 when no line applies
    std::string key;    // full key path, e.g. "places.luton.population"
    std::string message;

    [[nodiscard]] std::string format() const;  // "file:line: key 'k': message"
};

// Thrown once reading is complete if any issue was found; carries every issue, not just the first.
class ConfigError : public std::runtime_error {
  public:
    explicit ConfigError(std::vector<ConfigIssue> issues);
    [[nodiscard]] const std::vector<ConfigIssue>& issues() const { return issues_; }

  private:
    std::vector<ConfigIssue> issues_;
};

// The configuration file could not be read at all (missing, unreadable).
class ConfigFileError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class ConfigNode;

// A parsed TOML configuration being read against a parameter dictionary. It remembers every key
// that was read (so unread keys can be reported as unknown), every issue found, and the resolved
// configuration: every parameter the model used, defaults included.
class ConfigDocument {
  public:
    // A file may extend another: a root key `base = "other.toml"` (a path relative to the file)
    // loads that file first and merges this one over it; tables merge key by key, every other
    // value (arrays included) replaces the base's. Each value keeps its own file and line for
    // error messages.
    //
    // Throws ConfigFileError when a file cannot be read (or the bases form a cycle), ConfigError
    // on a TOML syntax error.
    static ConfigDocument load_file(const std::string& path);
    static ConfigDocument from_string(std::string text, std::string file_name);

    // Every file that was read, the main one first, then its bases: (path, text exactly as read).
    struct SourceFile {
        std::string path;
        std::string text;
    };
    [[nodiscard]] const std::vector<SourceFile>& sources() const { return sources_; }

    ConfigDocument(const ConfigDocument&) = delete;
    ConfigDocument& operator=(const ConfigDocument&) = delete;
    ConfigDocument(ConfigDocument&&) = default;
    ConfigDocument& operator=(ConfigDocument&&) = default;

    // Replaces the value at dotted `key` (creating tables on the way) before the document is
    // read: how a replication's drawn values for uncertain parameters reach the model.
    void set_value(const std::string& key, TomlValue value);

    [[nodiscard]] const std::string& file_name() const { return file_; }
    [[nodiscard]] const std::string& text() const { return text_; }

    // The root table, read against `dictionary` (which must outlive the node).
    ConfigNode root(const ParameterDictionary& dictionary);

    void report(unsigned line, std::string key, std::string message);
    void report_at(const TomlValue& value, std::string key, std::string message);
    [[nodiscard]] bool ok() const { return issues_.empty(); }
    [[nodiscard]] const std::vector<ConfigIssue>& issues() const { return issues_; }

    // Reports every key of the file that no reader asked for, then throws ConfigError if any
    // issue at all was recorded.
    void finish();

    // Sets the number at `key_path` ("queueing.arrival_rate", "capacity_changes[-1].multiplier":
    // an index counts from the end when negative) before anything is read: how a search varies
    // one lever. The key must exist in the file or its bases; an integer key takes an integral
    // value. Throws ConfigError (file "command line") otherwise.
    void override_number(const std::string& key_path, double value);
    // Whether the value at `key_path` is an integer (throws ConfigError as above if absent).
    [[nodiscard]] bool holds_integer(const std::string& key_path);

    // The resolved configuration as TOML text, keys sorted.
    [[nodiscard]] std::string resolved_text() const;
    // ... and as a tree: every value read so far, defaults included.
    [[nodiscard]] const TomlValue& resolved() const { return resolved_; }

  private:
    friend class ConfigNode;

    ConfigDocument(std::vector<SourceFile> sources, TomlValue root);

    void mark_consumed(const std::string& path) { consumed_.insert(path); }
    void collect_unknown(const TomlValue& table, const std::string& path);
    TomlValue& value_at(const std::string& key_path);

    std::string file_;
    std::string text_;
    std::vector<SourceFile> sources_;
    TomlValue root_;
    TomlValue resolved_;
    std::vector<ConfigIssue> issues_;
    std::set<std::string> consumed_;
};

// A view of one table of the document. Getters look the key up in the dictionary (by its pattern,
// e.g. "places.*.population"), check type and range, fall back to the dictionary default when the
// key is absent, and record an issue instead of throwing: reading goes on so that every problem in
// a file is reported at once. After an issue the getter returns a harmless in-range value.
class ConfigNode {
  public:
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] bool has(std::string_view key) const;
    [[nodiscard]] unsigned line() const;
    [[nodiscard]] unsigned line_of(std::string_view key) const;
    // The file that set `key` (a base file, say): paths in values are relative to it.
    [[nodiscard]] std::string file_of(std::string_view key) const;

    double number(std::string_view key);
    std::int64_t integer(std::string_view key);
    bool boolean(std::string_view key);
    std::string string(std::string_view key);
    Date date(std::string_view key);
    std::vector<double> numbers(std::string_view key);
    std::vector<std::string> strings(std::string_view key);
    // { name = number, ... } in name order, each number range-checked.
    std::vector<std::pair<std::string, double>> number_map(std::string_view key);

    // A sub-table. Absent and not required: an empty table (its keys take their defaults).
    ConfigNode table(std::string_view key);
    // Named sub-tables in name order: [places.luton], [places.milton_keynes], ...
    std::vector<std::pair<std::string, ConfigNode>> table_map(std::string_view key);
    // [[stages]] elements in file order.
    std::vector<ConfigNode> table_array(std::string_view key);

    // Records a rule violation on `key` of this table (cross-field checks).
    void error(std::string_view key, std::string message);

    [[nodiscard]] ConfigDocument& document() { return *doc_; }

  private:
    friend class ConfigDocument;

    struct PathStep {
        std::string key;
        std::optional<std::size_t> index;
    };

    ConfigNode(ConfigDocument* doc, const TomlValue* table, const ParameterDictionary* dictionary,
               std::string path, std::string pattern, std::vector<PathStep> steps);

    [[nodiscard]] std::string child_path(std::string_view key) const;
    [[nodiscard]] std::string child_pattern(std::string_view key) const;
    [[nodiscard]] const ParamSpec& spec_for(std::string_view key, ParamType expected) const;
    [[nodiscard]] const TomlValue* find(std::string_view key) const;

    // The value to use for `key`: the file's, the default, or nullptr (required and missing: an
    // issue is recorded).
    const TomlValue* value_or_default(std::string_view key, const ParamSpec& spec);
    void resolve(std::string_view key, const TomlValue& value);
    void type_error(std::string_view key, const TomlValue& value, std::string_view expected);
    void report_here(std::string key, std::string message);  // at this table's location
    double checked_range(std::string_view key, const ParamSpec& spec, double value);

    ConfigDocument* doc_ = nullptr;
    const TomlValue* table_ = nullptr;      // nullptr: the table is absent (defaults only)
    const TomlValue* enclosing_ = nullptr;  // absent table: the nearest enclosing one present
    const ParameterDictionary* dictionary_ = nullptr;
    std::string path_;
    std::string pattern_;
    std::vector<PathStep> steps_;
};

}  // namespace icsflow::sim::config
