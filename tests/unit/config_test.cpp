// The configuration reader: values, defaults and the resolved configuration; every problem of a
// file reported at once with file, line and key path; programming errors (keys missing from the
// dictionary) thrown as std::logic_error.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/reference/queueing_model.hpp"
#include "sim/config/config_document.hpp"
#include "sim/config/parameter_dictionary.hpp"
#include "sim/runner/scenario.hpp"
#include "test_support.hpp"

namespace icsflow::sim::config {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The 1-based number of the first line of `text` containing `needle`, so that the expected
// lines below follow the test texts instead of being counted by hand.
unsigned line_of(const std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    if (at == std::string::npos) {
        throw std::logic_error("test text has no '" + needle + "'");
    }
    unsigned line = 1;
    for (std::size_t i = 0; i < at; ++i) {
        line += text[i] == '\n' ? 1U : 0U;
    }
    return line;
}

// Finds the issue on `key`; fails the test if there is none or more than one.
const ConfigIssue* issue_on(const std::vector<ConfigIssue>& issues, const std::string& key) {
    const ConfigIssue* found = nullptr;
    for (const auto& issue : issues) {
        if (issue.key == key) {
            EXPECT_EQ(found, nullptr) << "two issues on " << key;
            found = &issue;
        }
    }
    EXPECT_NE(found, nullptr) << "no issue on " << key;
    return found;
}

std::string all_issues(const std::vector<ConfigIssue>& issues) {
    std::string text;
    for (const auto& issue : issues) {
        text += issue.format() + "\n";
    }
    return text;
}

// Checks one issue: file, line (the line of the text holding `line_needle`), and that the message
// contains `message_part`.
void expect_issue(const std::vector<ConfigIssue>& issues, const std::string& text,
                  const std::string& key, const std::string& line_needle,
                  const std::string& message_part, const std::string& file = "test.toml") {
    const ConfigIssue* issue = issue_on(issues, key);
    if (issue == nullptr) {
        ADD_FAILURE() << all_issues(issues);
        return;
    }
    EXPECT_EQ(issue->file, file) << key;
    EXPECT_EQ(issue->line, line_of(text, line_needle)) << key;
    EXPECT_NE(issue->message.find(message_part), std::string::npos)
        << key << ": message '" << issue->message << "' lacks '" << message_part << "'";
}

ParameterDictionary test_dictionary() {
    ParameterDictionary d;
    d.add(number_param("rate", TomlValue(2.0), 0.0, 10.0, "1/day", "A rate.", "test"));
    d.add(integer_param("count", required(), 1.0, 100.0, "", "A count.", "test"));
    d.add(typed_param("enabled", ParamType::boolean, TomlValue(true), "", "A switch.", "test"));
    d.add(choice_param("mode", TomlValue("fast"), {"fast", "slow"}, "A mode.", "test"));
    d.add(typed_param("start", ParamType::date, required(), "date", "A date.", "test"));
    ParamSpec weights = typed_param("weights", ParamType::number_array, TomlValue(TomlArray{}), "",
                                    "Weights.", "test");
    weights.min = 0.0;
    d.add(weights);
    d.add(typed_param("names", ParamType::string_array, TomlValue(TomlArray{}), "", "Names.",
                      "test"));
    d.add(
        typed_param("places", ParamType::table_map, TomlValue(TomlTable{}), "", "Places.", "test"));
    d.add(number_param("places.*.population", required(), 0.0, kInf, "people", "Population.",
                       "test"));
    d.add(typed_param("stages", ParamType::table_array, TomlValue(TomlArray{}), "", "Stages.",
                      "test"));
    d.add(
        integer_param("stages[].servers", TomlValue(1), 1.0, 50.0, "servers", "Servers.", "test"));
    d.add(typed_param("extra", ParamType::table, TomlValue(TomlTable{}), "", "Extras.", "test"));
    d.add(number_param("extra.factor", TomlValue(1.5), 0.0, kInf, "", "A factor.", "test"));
    return d;
}

// Reads every key of the test dictionary, as a model's factory would.
struct TestValues {
    double rate = 0;
    std::int64_t count = 0;
    bool enabled = false;
    std::string mode;
    Date start{};
    std::vector<double> weights;
    std::vector<std::string> names;
    std::vector<std::pair<std::string, double>> populations;
    std::vector<std::int64_t> servers;
    double factor = 0;
};

TestValues read_all(ConfigDocument& document, const ParameterDictionary& dictionary) {
    ConfigNode root = document.root(dictionary);
    TestValues v;
    v.rate = root.number("rate");
    v.count = root.integer("count");
    v.enabled = root.boolean("enabled");
    v.mode = root.string("mode");
    v.start = root.date("start");
    v.weights = root.numbers("weights");
    v.names = root.strings("names");
    for (auto& [name, node] : root.table_map("places")) {
        v.populations.emplace_back(name, node.number("population"));
    }
    for (ConfigNode& node : root.table_array("stages")) {
        v.servers.push_back(node.integer("servers"));
    }
    v.factor = root.table("extra").number("factor");
    return v;
}

const std::string kValid = R"(rate = 3            # an integer literal is a valid number
count = 7
mode = "slow"
start = 2019-04-01
weights = [1, 2.5]
names = ["a", "b"]

[places.luton]
population = 1000.0

[places.bedford]
population = 500

[[stages]]
servers = 3

[[stages]]
)";

TEST(ConfigDocument, ReadsValuesAndFillsDefaults) {
    const ParameterDictionary dictionary = test_dictionary();
    ConfigDocument document = ConfigDocument::from_string(kValid, "test.toml");
    EXPECT_EQ(document.file_name(), "test.toml");
    EXPECT_EQ(document.text(), kValid);
    const TestValues v = read_all(document, dictionary);
    EXPECT_TRUE(document.ok()) << all_issues(document.issues());
    EXPECT_NO_THROW(document.finish());
    EXPECT_EQ(v.rate, 3.0);
    EXPECT_EQ(v.count, 7);
    EXPECT_TRUE(v.enabled);  // default
    EXPECT_EQ(v.mode, "slow");
    EXPECT_EQ(v.start, (Date{std::chrono::year{2019}, std::chrono::April, std::chrono::day{1}}));
    EXPECT_EQ(v.weights, (std::vector<double>{1.0, 2.5}));
    EXPECT_EQ(v.names, (std::vector<std::string>{"a", "b"}));
    // Named tables come in name order.
    ASSERT_EQ(v.populations.size(), 2U);
    EXPECT_EQ(v.populations[0], (std::pair<std::string, double>{"bedford", 500.0}));
    EXPECT_EQ(v.populations[1], (std::pair<std::string, double>{"luton", 1000.0}));
    EXPECT_EQ(v.servers, (std::vector<std::int64_t>{3, 1}));  // the second takes the default
    EXPECT_EQ(v.factor, 1.5);                                 // absent table: defaults

    // The resolved configuration holds every parameter used, defaults included, and reads back.
    const std::string resolved = document.resolved_text();
    EXPECT_NE(resolved.find("enabled = true"), std::string::npos) << resolved;
    EXPECT_NE(resolved.find("extra = {factor=1.5}"), std::string::npos) << resolved;
    EXPECT_NE(resolved.find("mode = \"slow\""), std::string::npos) << resolved;
    ConfigDocument again = ConfigDocument::from_string(resolved, "resolved.toml");
    const TestValues w = read_all(again, dictionary);
    EXPECT_NO_THROW(again.finish()) << resolved;
    EXPECT_EQ(w.servers, v.servers);
    EXPECT_EQ(w.populations, v.populations);
    EXPECT_EQ(w.factor, v.factor);
    EXPECT_EQ(w.enabled, v.enabled);
}

const std::string kBad = R"(rate = "high"
count = 0
mode = "medium"
start = "2019-04-01"
weights = [1, -2]
names = "a"
colour = "red"

[places.luton]
people = 3

[extra]
factor = -1.0

[[stages]]
servers = 2.5

[[stages]]
servers = 60
speed = 3
)";

TEST(ConfigDocument, ReportsEveryProblemAtOnceWithLinesAndKeys) {
    const ParameterDictionary dictionary = test_dictionary();
    ConfigDocument document = ConfigDocument::from_string(kBad, "test.toml");
    static_cast<void>(read_all(document, dictionary));
    EXPECT_FALSE(document.ok());
    try {
        document.finish();
        FAIL() << "finish() did not throw";
    } catch (const ConfigError& e) {
        const auto& issues = e.issues();
        expect_issue(issues, kBad, "rate", "rate =", "expected a number, found a string");
        expect_issue(issues, kBad, "count", "count =", "out of range (>= 1, <= 100)");
        expect_issue(issues, kBad, "mode",
                     "mode =", "'medium' is not allowed (one of: fast, slow)");
        expect_issue(issues, kBad, "start", "start =", "expected a date");
        expect_issue(issues, kBad, "weights", "weights =", "array element -2 is out of range");
        expect_issue(issues, kBad, "names", "names =", "expected an array of strings");
        expect_issue(issues, kBad, "colour", "colour =", "unknown key");
        expect_issue(issues, kBad, "places.luton.population", "[places.luton]",
                     "missing required key");
        expect_issue(issues, kBad, "places.luton.people", "people =", "unknown key");
        expect_issue(issues, kBad, "extra.factor", "factor =", "out of range (>= 0)");
        expect_issue(issues, kBad, "stages[0].servers", "servers = 2.5",
                     "expected an integer, found a number");
        expect_issue(issues, kBad, "stages[1].servers", "servers = 60", "out of range");
        expect_issue(issues, kBad, "stages[1].speed", "speed =", "unknown key");
        EXPECT_EQ(issues.size(), 13U) << all_issues(issues);
        // Sorted by line, and the exception text lists them all, one per line.
        for (std::size_t i = 1; i < issues.size(); ++i) {
            EXPECT_LE(issues[i - 1].line, issues[i].line);
        }
        EXPECT_EQ(std::string(e.what()), all_issues(issues));
    }
}

TEST(ConfigDocument, MissingRequiredKeyIsReportedOnItsTableAndDefaultsAreNotRequired) {
    const ParameterDictionary dictionary = test_dictionary();
    const std::string text = "rate = 1.0\n\n[places.mk]\n";
    ConfigDocument document = ConfigDocument::from_string(text, "test.toml");
    static_cast<void>(read_all(document, dictionary));
    const auto& issues = document.issues();
    // count and start are required at the root; places.mk.population in its table.
    ASSERT_EQ(issues.size(), 3U) << all_issues(issues);
    EXPECT_NE(issue_on(issues, "count"), nullptr);
    EXPECT_NE(issue_on(issues, "start"), nullptr);
    expect_issue(issues, text, "places.mk.population", "[places.mk]",
                 "missing required key (number, people)");
    EXPECT_NE(issue_on(issues, "count")->message.find("missing required key (integer)"),
              std::string::npos);
}

TEST(ConfigDocument, CrossFieldErrorsAreReportedOnTheKeyLine) {
    ParameterDictionary dictionary;
    dictionary.add(number_param("low", TomlValue(0.0), -kInf, kInf, "", "", ""));
    dictionary.add(number_param("high", TomlValue(1.0), -kInf, kInf, "", "", ""));
    const std::string text = "low = 5.0\nhigh = 2.0\n";
    ConfigDocument document = ConfigDocument::from_string(text, "cross.toml");
    ConfigNode root = document.root(dictionary);
    if (root.number("high") < root.number("low")) {
        root.error("high", "must not be below low");
    }
    ASSERT_EQ(document.issues().size(), 1U);
    EXPECT_EQ(document.issues()[0].format(), "cross.toml:2: key 'high': must not be below low");
    EXPECT_THROW(document.finish(), ConfigError);
}

TEST(ConfigDocument, TomlSyntaxErrorHasFileAndLine) {
    const std::string text = "rate = 1.0\ncount = 2\nmode = \"fast\n";
    try {
        static_cast<void>(ConfigDocument::from_string(text, "broken.toml"));
        FAIL() << "no syntax error";
    } catch (const ConfigError& e) {
        ASSERT_EQ(e.issues().size(), 1U);
        EXPECT_EQ(e.issues()[0].file, "broken.toml");
        EXPECT_EQ(e.issues()[0].line, 3U);
        EXPECT_NE(e.issues()[0].message.find("TOML syntax error"), std::string::npos);
        EXPECT_EQ(std::string(e.what()).rfind("broken.toml:3: ", 0), 0U) << e.what();
    }
}

TEST(ConfigDocument, ReadingAKeyAbsentFromTheDictionaryIsAProgrammingError) {
    const ParameterDictionary dictionary = test_dictionary();
    ConfigDocument document = ConfigDocument::from_string(kValid, "test.toml");
    ConfigNode root = document.root(dictionary);
    EXPECT_THROW(static_cast<void>(root.number("undocumented")), std::logic_error);
    EXPECT_THROW(static_cast<void>(root.table("stages_typo")), std::logic_error);
    EXPECT_THROW(static_cast<void>(root.table("extra").number("nope")), std::logic_error);
    // Declared as one type, read as another.
    EXPECT_THROW(static_cast<void>(root.string("rate")), std::logic_error);
    EXPECT_THROW(static_cast<void>(root.integer("rate")), std::logic_error);
    EXPECT_THROW(static_cast<void>(root.numbers("names")), std::logic_error);
    // An integer key may be read as a number.
    EXPECT_EQ(root.number("count"), 7.0);
}

TEST(ConfigDocument, LoadFileReportsAMissingFile) {
    EXPECT_THROW(static_cast<void>(ConfigDocument::load_file("/nonexistent/dir/x.toml")),
                 ConfigFileError);
}

TEST(ParameterDictionary, DuplicatesRangesAndMarkdown) {
    ParameterDictionary d = test_dictionary();
    EXPECT_THROW(d.add(number_param("rate", TomlValue(1.0), 0, 1, "", "", "")), std::logic_error);
    ASSERT_NE(d.find("places.*.population"), nullptr);
    EXPECT_EQ(d.find("places.luton.population"), nullptr);  // patterns, not paths
    EXPECT_EQ(d.find("rate")->range_text(), ">= 0, <= 10");
    EXPECT_TRUE(d.find("count")->required());
    EXPECT_EQ(d.find("count")->default_text(), "required");
    EXPECT_FALSE(d.find("rate")->required());
    EXPECT_EQ(d.find("mode")->range_text(), "one of: fast, slow");
    ParamSpec exclusive = number_param("x", TomlValue(1.0), 0.0, kInf, "", "", "");
    exclusive.min_exclusive = true;
    EXPECT_EQ(exclusive.range_text(), "> 0");

    const std::string markdown = d.to_markdown("test");
    EXPECT_EQ(markdown.rfind("## test\n", 0), 0U);
    EXPECT_NE(markdown.find("| `places.*.population` | number | required | >= 0 | people |"),
              std::string::npos)
        << markdown;
    // One row per entry after the two header rows.
    std::size_t rows = 0;
    for (const char c : markdown) {
        rows += c == '\n' ? 1U : 0U;
    }
    EXPECT_EQ(rows, 2U + 2U + d.specs().size());

    ParameterDictionary merged;
    merged.merge(d);
    EXPECT_EQ(merged.specs().size(), d.specs().size());
    EXPECT_THROW(merged.merge(d), std::logic_error);
}

// ---------------------------------------------------------------------------------------------
// Whole scenarios through the model registry (the path `icsflow validate` and `run` take).
// ---------------------------------------------------------------------------------------------

ModelRegistry registry() {
    ModelRegistry r;
    r.add(models::reference::queueing_model_info());
    return r;
}

const std::string kScenario = R"([run]
model = "queueing"
start_date = 2020-01-06
end_date = 2020-12-31
seed = 5

[queueing]
arrival_rate = 9.0

[[queueing.stages]]
servers = 10
service_rate = 1.0
)";

TEST(LoadScenario, ValidScenarioResolvesEveryDefault) {
    const LoadedScenario loaded = load_scenario_text(registry(), kScenario, "mmc.toml");
    EXPECT_EQ(loaded.run.model, "queueing");
    EXPECT_EQ(loaded.run.seed, 5U);
    EXPECT_EQ(loaded.run.replications, 100U);  // default
    EXPECT_EQ(loaded.run.warmup_days, 0.0);    // default
    EXPECT_EQ(loaded.run.horizon_days(), 361.0);
    EXPECT_EQ(loaded.config_text, kScenario);
    EXPECT_EQ(loaded.config_path, "mmc.toml");
    ASSERT_NE(loaded.scenario, nullptr);
    const auto* queueing =
        dynamic_cast<const models::reference::QueueingScenario*>(loaded.scenario.get());
    ASSERT_NE(queueing, nullptr);
    EXPECT_EQ(queueing->parameters().arrival_rate, 9.0);
    ASSERT_EQ(queueing->parameters().stages.size(), 1U);
    EXPECT_EQ(queueing->parameters().stages[0].servers, 10U);
    EXPECT_EQ(queueing->parameters().stages[0].discipline, QueueDiscipline::fifo);
    ASSERT_EQ(queueing->parameters().classes.size(), 1U);  // absent: one class

    const std::string& resolved = loaded.resolved_text;
    for (const char* expected : {"replications = 100", "warmup_days = 0.0", "seed = 5",
                                 "max_customers = 0", "discipline=\"fifo\"", "arrival_rate = 9.0",
                                 "start_date = 2020-01-06", "model = \"queueing\""}) {
        EXPECT_NE(resolved.find(expected), std::string::npos)
            << "'" << expected << "' missing from\n"
            << resolved;
    }
    // The resolved configuration is itself a valid configuration of the same scenario.
    const LoadedScenario again = load_scenario_text(registry(), resolved, "resolved.toml");
    EXPECT_EQ(again.resolved_text, resolved);
}

// Loads `text` and returns the issues it must raise.
std::vector<ConfigIssue> scenario_issues(const std::string& text,
                                         const std::string& file = "bad.toml") {
    try {
        static_cast<void>(load_scenario_text(registry(), text, file));
    } catch (const ConfigError& e) {
        return e.issues();
    }
    ADD_FAILURE() << "no ConfigError for\n" << text;
    return {};
}

TEST(LoadScenario, UnknownKeyAndWrongTypeAreBothReported) {
    const std::string text = R"([run]
model = "queueing"
start_date = 2020-01-06
end_date = 2020-12-31

[queueing]
arrival_rate = "nine"
arrivals_per_day = 9.0

[[queueing.stages]]
servers = 10
service_rate = 1.0
)";
    const auto issues = scenario_issues(text);
    ASSERT_EQ(issues.size(), 2U) << all_issues(issues);
    expect_issue(issues, text, "queueing.arrival_rate",
                 "arrival_rate =", "expected a number, found a string", "bad.toml");
    expect_issue(issues, text, "queueing.arrivals_per_day", "arrivals_per_day", "unknown key",
                 "bad.toml");
    EXPECT_EQ(issues[0].format(),
              "bad.toml:7: key 'queueing.arrival_rate': expected a number, found a string");
    EXPECT_EQ(issues[1].format(), "bad.toml:8: key 'queueing.arrivals_per_day': unknown key");
}

TEST(LoadScenario, RangeRequiredChoiceAndTypeProblemsInOnePass) {
    const std::string text = R"([run]
model = "queueing"
start_date = 2020-01-06
end_date = 2020-12-31
replications = 0
warmup_days = "long"

[queueing]
arrival_rate = -1.0

[[queueing.stages]]
servers = 0
service_rate = 1.0
discipline = "lifo"

[[queueing.stages]]
service_rate = 2.0

[[queueing.classes]]
name = "urgent"
share = 0.0
priority = 1

[[queueing.classes]]
name = "urgent"
share = 1.0
)";
    const auto issues = scenario_issues(text, "configs/x.toml");
    const std::string f = "configs/x.toml";
    expect_issue(issues, text, "run.replications", "replications =", "out of range (>= 1", f);
    expect_issue(issues, text, "run.warmup_days",
                 "warmup_days =", "expected a number, found a string", f);
    expect_issue(issues, text, "queueing.arrival_rate",
                 "arrival_rate =", "out of range (> 0, <= 1e+06)", f);
    expect_issue(issues, text, "queueing.stages[0].servers", "servers = 0", "out of range (>= 1",
                 f);
    expect_issue(issues, text, "queueing.stages[0].discipline", "discipline =",
                 "'lifo' is not allowed (one of: fifo, priority_then_longest_wait, "
                 "longest_wait_first)",
                 f);
    // The second [[queueing.stages]] lacks servers: reported at its header.
    expect_issue(issues, text, "queueing.stages[1].servers",
                 "[[queueing.stages]]\nservice_rate = 2.0",
                 "missing required key (integer, servers)", f);
    expect_issue(issues, text, "queueing.classes[0].share", "share = 0.0",
                 "out of range (> 0, <= 1e+06)", f);
    const ConfigIssue* duplicate = issue_on(issues, "queueing.classes[1].name");
    ASSERT_NE(duplicate, nullptr);
    EXPECT_EQ(duplicate->line, line_of(text, "share = 1.0") - 1);
    EXPECT_NE(duplicate->message.find("duplicate class name 'urgent'"), std::string::npos);
    EXPECT_EQ(issues.size(), 8U) << all_issues(issues);
}

// A rate that validated but made `run` never end (1e308), or exhaust memory (1e9), is refused,
// as is a run so long that no rate would do; each at its key, with the bound.
TEST(LoadScenario, RatesAndRunLengthHavePlausibleBounds) {
    const std::string base = R"([run]
model = "queueing"
start_date = 2020-01-06
end_date = 2020-12-31

[queueing]
arrival_rate = RATE

[[queueing.stages]]
servers = 10
service_rate = 1.0
)";
    auto with_rate = [&](const std::string& rate) {
        std::string text = base;
        text.replace(text.find("RATE"), 4, rate);
        return text;
    };
    for (const std::string rate : {"1e308", "1e9", "inf"}) {
        const std::string text = with_rate(rate);
        const auto issues = scenario_issues(text);
        expect_issue(issues, text, "queueing.arrival_rate", "arrival_rate =", "<= 1e+06",
                     "bad.toml");
    }
    // Within the rate's bound, but more arrivals than a replication may hold.
    const std::string busy = with_rate("5e5");
    expect_issue(scenario_issues(busy), busy, "queueing.arrival_rate",
                 "arrival_rate =", "arrivals per replication", "bad.toml");
    std::string long_run = with_rate("9.0");
    long_run.replace(long_run.find("2020-12-31"), 10, "2999-12-31");
    expect_issue(scenario_issues(long_run), long_run, "run.end_date", "end_date =", "at most 36500",
                 "bad.toml");
}

// Keys missing from a table that is itself missing are reported where it belongs (the nearest
// table present), not without a line.
TEST(LoadScenario, KeysOfAnAbsentTableHaveTheLineOfTheTableAbove) {
    const std::string text =
        "# x\n[run]\nmodel = \"queueing\"\nstart_date = 2020-01-06\n"
        "end_date = 2020-02-01\n";
    for (const ConfigIssue& issue : scenario_issues(text)) {
        EXPECT_GT(issue.line, 0U) << issue.format();
    }
}

TEST(LoadScenario, MissingRequiredTablesAndKeys) {
    const std::string text = "[run]\nmodel = \"queueing\"\nstart_date = 2020-01-06\n";
    const auto issues = scenario_issues(text);
    expect_issue(issues, text, "run.end_date", "[run]", "missing required key (date", "bad.toml");
    const ConfigIssue* queueing = issue_on(issues, "queueing");
    ASSERT_NE(queueing, nullptr);
    EXPECT_NE(queueing->message.find("missing required table"), std::string::npos);
    EXPECT_EQ(issues.size(), 4U) << all_issues(issues);  // + queueing.arrival_rate, stages
}

TEST(LoadScenario, EndBeforeStartUnknownModelAndSyntaxError) {
    std::string text = kScenario;
    text.replace(text.find("end_date = 2020-12-31"), 21, "end_date = 2019-12-31");
    auto issues = scenario_issues(text);
    ASSERT_EQ(issues.size(), 1U) << all_issues(issues);
    expect_issue(issues, text, "run.end_date", "end_date =", "must not be before run.start_date",
                 "bad.toml");

    text = kScenario;
    text.replace(text.find("\"queueing\""), 10, "\"queuing\"");
    issues = scenario_issues(text);
    expect_issue(issues, text, "run.model", "model =", "unknown model 'queuing' (known: queueing)",
                 "bad.toml");

    text = kScenario + "servers = [1, 2\n";
    issues = scenario_issues(text);
    ASSERT_EQ(issues.size(), 1U) << all_issues(issues);
    EXPECT_EQ(issues[0].file, "bad.toml");
    EXPECT_GE(issues[0].line, line_of(text, "servers = [1, 2"));
    EXPECT_NE(issues[0].message.find("TOML syntax error"), std::string::npos);
}

TEST(LoadScenario, AModelNameOfTheWrongTypeDoesNotMakeTheRunKeysUnknown) {
    std::string text = kScenario;
    text.replace(text.find("\"queueing\""), 10, "3");
    const auto issues = scenario_issues(text);
    expect_issue(issues, text, "run.model", "model =", "expected a string, found an integer",
                 "bad.toml");
    for (const auto& issue : issues) {
        EXPECT_NE(issue.key, "run.start_date") << issue.format();
        EXPECT_NE(issue.key, "run.end_date") << issue.format();
        EXPECT_NE(issue.key, "run.seed") << issue.format();
    }
}

TEST(LoadScenario, LargeIntegerSeedsAreReadExactly) {
    // 2^53 + 1 and a seed near the top of the range: not representable as a double.
    for (const std::uint64_t seed : {9007199254740993ULL, 9199999999999999999ULL}) {
        std::string text = kScenario;
        text.replace(text.find("seed = 5"), 8, "seed = " + std::to_string(seed));
        const LoadedScenario loaded = load_scenario_text(registry(), text, "seed.toml");
        EXPECT_EQ(loaded.run.seed, seed);
        EXPECT_NE(loaded.resolved_text.find("seed = " + std::to_string(seed)), std::string::npos);
    }
}

TEST(LoadScenario, AMissingRunTableIsReportedOnce) {
    const std::string text = "[queueing]\narrival_rate = 1.0\n";
    const auto issues = scenario_issues(text);
    // issue_on fails on a second issue with the same key.
    for (const char* key : {"run", "run.model", "run.start_date", "run.end_date"}) {
        const ConfigIssue* issue = issue_on(issues, key);
        ASSERT_NE(issue, nullptr) << all_issues(issues);
        EXPECT_NE(issue->message.find("missing required"), std::string::npos) << issue->format();
    }
}

// ---------------------------------------------------------------------------------------------
// Configurations that extend a base file, tables of numbers by name, optional keys.
// ---------------------------------------------------------------------------------------------

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

const std::string kBase = R"([run]
model = "queueing"
start_date = 2020-01-06
end_date = 2020-12-31
seed = 5

[queueing]
arrival_rate = 9.0
max_customers = 10

[[queueing.stages]]
servers = 10
service_rate = 1.0
)";

TEST(ConfigBase, AFileExtendsItsBaseTableByTableAndArraysReplace) {
    test::TempDir dir;
    write_file(dir.file("base.toml"), kBase);
    const std::string text = R"(base = "base.toml"

[run]
seed = 7

[queueing]
arrival_rate = 8.0
)";
    write_file(dir.file("scenario.toml"), text);
    const LoadedScenario loaded = load_scenario(registry(), dir.file("scenario.toml"));
    EXPECT_EQ(loaded.run.seed, 7U);  // overridden
    EXPECT_EQ(loaded.run.start_date, (Date{std::chrono::year{2020}, std::chrono::January,
                                           std::chrono::day{6}}));  // from the base
    const auto* queueing =
        dynamic_cast<const models::reference::QueueingScenario*>(loaded.scenario.get());
    ASSERT_NE(queueing, nullptr);
    EXPECT_EQ(queueing->parameters().arrival_rate, 8.0);
    EXPECT_EQ(queueing->parameters().max_customers, 10U);
    ASSERT_EQ(queueing->parameters().stages.size(), 1U);
    EXPECT_EQ(queueing->parameters().stages[0].servers, 10U);
    EXPECT_EQ(loaded.config_text, text);
    EXPECT_NE(loaded.resolved_text.find("max_customers = 10"), std::string::npos);
    EXPECT_EQ(loaded.resolved_text.find("base"), std::string::npos);

    // An array in the derived file replaces the base's array.
    write_file(dir.file("two.toml"),
               "base = \"base.toml\"\n[[queueing.stages]]\nservers = 2\nservice_rate = 5.0\n");
    const LoadedScenario two = load_scenario(registry(), dir.file("two.toml"));
    const auto& stages =
        dynamic_cast<const models::reference::QueueingScenario&>(*two.scenario).parameters().stages;
    ASSERT_EQ(stages.size(), 1U);
    EXPECT_EQ(stages[0].servers, 2U);

    // An inline table replaces the base's table whole (its keys belong together, like the
    // parameters of a distribution); a table under a [header] merges key by key, as above.
    write_file(dir.file("inline.toml"),
               "base = \"base.toml\"\nqueueing = { arrival_rate = 8.0, stages = "
               "[{ servers = 2, service_rate = 5.0 }] }\n");
    const LoadedScenario inline_table = load_scenario(registry(), dir.file("inline.toml"));
    EXPECT_EQ(inline_table.resolved_text.find("max_customers = 10"), std::string::npos);
    EXPECT_EQ(dynamic_cast<const models::reference::QueueingScenario&>(*inline_table.scenario)
                  .parameters()
                  .arrival_rate,
              8.0);

    ConfigDocument document = ConfigDocument::load_file(dir.file("scenario.toml"));
    ASSERT_EQ(document.sources().size(), 2U);
    EXPECT_EQ(document.sources()[0].path, dir.file("scenario.toml"));
    EXPECT_EQ(document.sources()[1].path, dir.file("base.toml"));
    EXPECT_EQ(document.sources()[1].text, kBase);
}

TEST(ConfigBase, IssuesNameTheFileThatHoldsTheLine) {
    test::TempDir dir;
    std::string base = kBase;
    base.replace(base.find("servers = 10"), 12, "servers = 0");
    write_file(dir.file("base.toml"), base);
    const std::string text = "base = \"base.toml\"\n[queueing]\narrival_rate = \"x\"\n";
    write_file(dir.file("scenario.toml"), text);
    try {
        static_cast<void>(load_scenario(registry(), dir.file("scenario.toml")));
        FAIL() << "no ConfigError";
    } catch (const ConfigError& e) {
        const auto& issues = e.issues();
        EXPECT_EQ(issues.size(), 2U) << all_issues(issues);
        expect_issue(issues, text, "queueing.arrival_rate", "arrival_rate =", "expected a number",
                     dir.file("scenario.toml"));
        expect_issue(issues, base, "queueing.stages[0].servers", "servers = 0", "out of range",
                     dir.file("base.toml"));
    }
}

TEST(ConfigBase, MissingBasesCyclesAndBadBaseValues) {
    test::TempDir dir;
    // A missing base: the file and line of the `base` key that names it.
    write_file(dir.file("orphan.toml"), "# no base here\nbase = \"nowhere.toml\"\n");
    try {
        static_cast<void>(ConfigDocument::load_file(dir.file("orphan.toml")));
        FAIL() << "no ConfigFileError";
    } catch (const ConfigFileError& e) {
        EXPECT_EQ(std::string(e.what()).rfind(dir.file("orphan.toml") + ":2: key 'base': ", 0), 0U)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("nowhere.toml"), std::string::npos) << e.what();
    }
    // A cycle: a mistake in the file whose `base` closes it, reported there.
    write_file(dir.file("a.toml"), "base = \"b.toml\"\n");
    write_file(dir.file("b.toml"), "\n\nbase = \"a.toml\"\n");
    try {
        static_cast<void>(ConfigDocument::load_file(dir.file("a.toml")));
        FAIL() << "no ConfigError";
    } catch (const ConfigError& e) {
        ASSERT_EQ(e.issues().size(), 1U);
        EXPECT_EQ(e.issues()[0].file, dir.file("b.toml"));
        EXPECT_EQ(e.issues()[0].line, 3U);
        EXPECT_EQ(e.issues()[0].key, "base");
        EXPECT_NE(e.issues()[0].message.find("cycle"), std::string::npos);
    }
    write_file(dir.file("number.toml"), "\nbase = 3\n");
    try {
        static_cast<void>(ConfigDocument::load_file(dir.file("number.toml")));
        FAIL() << "no ConfigError";
    } catch (const ConfigError& e) {
        ASSERT_EQ(e.issues().size(), 1U);
        EXPECT_EQ(e.issues()[0].key, "base");
        EXPECT_EQ(e.issues()[0].line, 2U);
    }
}

TEST(ConfigAppend, AnOverlayAddsElementsAfterTheBasesArrayWithoutRelistingThem) {
    test::TempDir dir;
    write_file(dir.file("base.toml"), kBase);
    // A middle file appends one stage; the scenario appends another on top of it.
    write_file(dir.file("middle.toml"),
               "base = \"base.toml\"\n[[append.queueing.stages]]\nservers = 3\nservice_rate = "
               "4.0\n");
    write_file(dir.file("top.toml"),
               "base = \"middle.toml\"\n[queueing]\narrival_rate = 2.0\n"
               "[[append.queueing.stages]]\nservers = 5\nservice_rate = 6.0\n");
    const LoadedScenario loaded = load_scenario(registry(), dir.file("top.toml"));
    const auto& p =
        dynamic_cast<const models::reference::QueueingScenario&>(*loaded.scenario).parameters();
    ASSERT_EQ(p.stages.size(), 3U);
    EXPECT_EQ(p.stages[0].servers, 10U);  // the base's, untouched
    EXPECT_EQ(p.stages[1].servers, 3U);
    EXPECT_EQ(p.stages[2].servers, 5U);
    EXPECT_EQ(p.stages[2].service_rate, 6.0);
    EXPECT_EQ(p.arrival_rate, 2.0);  // tables still merge key by key beside an append
    EXPECT_EQ(loaded.resolved_text.find("append"), std::string::npos);

    // An array the base does not have is created.
    write_file(dir.file("classes.toml"),
               "base = \"base.toml\"\n[[append.queueing.classes]]\nname = \"urgent\"\nshare = "
               "1.0\n");
    const LoadedScenario classes = load_scenario(registry(), dir.file("classes.toml"));
    EXPECT_EQ(dynamic_cast<const models::reference::QueueingScenario&>(*classes.scenario)
                  .parameters()
                  .classes.at(0)
                  .name,
              "urgent");
}

TEST(ConfigAppend, BadOverlaysAreRefusedWithFileLineAndKey) {
    test::TempDir dir;
    write_file(dir.file("base.toml"), kBase);
    const auto issues_of = [&](const std::string& name, const std::string& text) {
        write_file(dir.file(name), text);
        try {
            static_cast<void>(ConfigDocument::load_file(dir.file(name)));
        } catch (const ConfigError& e) {
            return e.issues();
        }
        ADD_FAILURE() << name << ": no ConfigError";
        return std::vector<ConfigIssue>{};
    };
    // Appending to something that is not an array.
    const std::string scalar = "base = \"base.toml\"\n\n[append.queueing]\narrival_rate = [1.0]\n";
    auto issues = issues_of("scalar.toml", scalar);
    ASSERT_EQ(issues.size(), 1U) << all_issues(issues);
    EXPECT_EQ(issues[0].file, dir.file("scalar.toml"));
    EXPECT_EQ(issues[0].key, "append.queueing.arrival_rate");
    EXPECT_EQ(issues[0].line, line_of(scalar, "arrival_rate"));
    EXPECT_NE(issues[0].message.find("not an array"), std::string::npos);
    // Replacing and appending the same array in one file.
    const std::string both =
        "base = \"base.toml\"\n[[queueing.stages]]\nservers = 1\n"
        "service_rate = 1.0\n[[append.queueing.stages]]\nservers = 2\n"
        "service_rate = 1.0\n";
    issues = issues_of("both.toml", both);
    ASSERT_EQ(issues.size(), 1U) << all_issues(issues);
    EXPECT_EQ(issues[0].key, "append.queueing.stages");
    EXPECT_NE(issues[0].message.find("both replaces"), std::string::npos);
    // A value that is not an array of additions.
    issues = issues_of("value.toml", "base = \"base.toml\"\n[append]\nqueueing = 3\n");
    ASSERT_EQ(issues.size(), 1U) << all_issues(issues);
    EXPECT_EQ(issues[0].key, "append.queueing");
    EXPECT_EQ(issues[0].line, 3U);
    // Appending without a base.
    issues = issues_of("orphan.toml", "[run]\nseed = 1\n[[append.queueing.stages]]\nservers = 1\n");
    ASSERT_EQ(issues.size(), 1U) << all_issues(issues);
    EXPECT_EQ(issues[0].key, "append");
    EXPECT_NE(issues[0].message.find("needs a base"), std::string::npos);
}

TEST(ConfigOverride, SetsANumberByKeyPathWithIndicesFromEitherEnd) {
    test::TempDir dir;
    write_file(dir.file("base.toml"), kBase);
    write_file(dir.file("two.toml"),
               "base = \"base.toml\"\n[[append.queueing.stages]]\nservers = 3\nservice_rate = "
               "4.0\n");
    const LoadedScenario loaded = load_scenario(registry(), dir.file("two.toml"),
                                                {{"queueing.stages[-1].servers", 7.0},
                                                 {"queueing.stages[0].service_rate", 2.5},
                                                 {"queueing.arrival_rate", 3.0}});
    const auto& p =
        dynamic_cast<const models::reference::QueueingScenario&>(*loaded.scenario).parameters();
    EXPECT_EQ(p.stages[1].servers, 7U);
    EXPECT_EQ(p.stages[0].service_rate, 2.5);
    EXPECT_EQ(p.arrival_rate, 3.0);
    EXPECT_NE(loaded.resolved_text.find("servers=7"), std::string::npos);

    ConfigDocument document = ConfigDocument::load_file(dir.file("two.toml"));
    EXPECT_TRUE(document.holds_integer("queueing.stages[0].servers"));
    EXPECT_FALSE(document.holds_integer("queueing.arrival_rate"));
    const auto refused = [&](const std::string& key, double value) {
        try {
            document.override_number(key, value);
        } catch (const ConfigError& e) {
            EXPECT_EQ(e.issues().at(0).key, key);
            return e.issues().at(0).message;
        }
        return std::string("accepted");
    };
    EXPECT_NE(refused("queueing.nothing", 1.0).find("no such key"), std::string::npos);
    EXPECT_NE(refused("queueing.stages[2].servers", 1.0).find("outside"), std::string::npos);
    EXPECT_NE(refused("queueing.stages[0].servers", 1.5).find("whole number"), std::string::npos);
    EXPECT_NE(refused("run.model", 1.0).find("not a number"), std::string::npos);
}

TEST(ConfigNumberMap, ReadsNamedNumbersInNameOrderAndChecksEachOne) {
    ParameterDictionary dictionary;
    ParamSpec shares = typed_param("shares", ParamType::number_map, TomlValue(TomlTable{}), "",
                                   "Shares by place.", "test");
    shares.min = 0.0;
    shares.max = 1.0;
    dictionary.add(shares);

    ConfigDocument good =
        ConfigDocument::from_string("shares = { luton = 0.4, bedford = 0.6 }\n", "map.toml");
    ConfigNode root = good.root(dictionary);
    EXPECT_EQ(root.number_map("shares"),
              (std::vector<std::pair<std::string, double>>{{"bedford", 0.6}, {"luton", 0.4}}));
    EXPECT_NO_THROW(good.finish());

    const std::string text = "\n[shares]\nluton = 1.5\nbedford = \"most\"\nmk = 0.2\n";
    ConfigDocument bad = ConfigDocument::from_string(text, "map.toml");
    ConfigNode bad_root = bad.root(dictionary);
    static_cast<void>(bad_root.number_map("shares"));
    EXPECT_EQ(bad.issues().size(), 2U) << all_issues(bad.issues());
    expect_issue(bad.issues(), text, "shares.luton", "luton =", "out of range (>= 0, <= 1)",
                 "map.toml");
    expect_issue(bad.issues(), text, "shares.bedford", "bedford =", "expected a number",
                 "map.toml");

    ConfigDocument absent = ConfigDocument::from_string("", "map.toml");
    ConfigNode absent_root = absent.root(dictionary);
    EXPECT_TRUE(absent_root.number_map("shares").empty());
    EXPECT_NO_THROW(absent.finish());
}

TEST(ConfigOptional, AnOptionalKeyWithoutDefaultIsNeitherRequiredNorInvented) {
    ParameterDictionary dictionary;
    dictionary.add(optional(typed_param("peak_from", ParamType::date, TomlValue(), "date",
                                        "Start of the peak (optional).", "test")));
    EXPECT_FALSE(dictionary.find("peak_from")->required());
    EXPECT_EQ(dictionary.find("peak_from")->default_text(), "none");

    ConfigDocument absent = ConfigDocument::from_string("", "opt.toml");
    ConfigNode root = absent.root(dictionary);
    EXPECT_FALSE(root.has("peak_from"));
    EXPECT_NO_THROW(absent.finish());
    EXPECT_EQ(absent.resolved_text().find("peak_from"), std::string::npos);

    ConfigDocument present = ConfigDocument::from_string("peak_from = 2020-12-01\n", "opt.toml");
    ConfigNode present_root = present.root(dictionary);
    ASSERT_TRUE(present_root.has("peak_from"));
    EXPECT_EQ(present_root.date("peak_from"),
              (Date{std::chrono::year{2020}, std::chrono::December, std::chrono::day{1}}));
    EXPECT_NO_THROW(present.finish());
}

}  // namespace
}  // namespace icsflow::sim::config

namespace icsflow::sim::config {
namespace {

// A value just past a bound must not print like the bound ("1e+09 is out of range (<= 1e+09)").
TEST(ExactNumberText, ReadsBackExactlyAndStaysShortWhereItCan) {
    EXPECT_EQ(exact_number_text(1'000'000'001.0), "1000000001");
    EXPECT_EQ(exact_number_text(1e9), "1e+09");
    EXPECT_EQ(exact_number_text(100000.0), "100000");
    EXPECT_EQ(exact_number_text(0.1), "0.1");
    EXPECT_EQ(exact_number_text(-0.0125), "-0.0125");
    EXPECT_EQ(exact_number_text(1e308), "1e+308");
    for (const double value : {0.1 + 0.2, 1.0 / 3.0, 9.2e18, 4.9e-324}) {
        EXPECT_EQ(std::strtod(exact_number_text(value).c_str(), nullptr), value);
    }
}

}  // namespace
}  // namespace icsflow::sim::config
