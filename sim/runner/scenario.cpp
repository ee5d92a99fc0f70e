#include "sim/runner/scenario.hpp"

#include <algorithm>
#include <chrono>
#include <limits>

#include "sim/config/toml_path.hpp"
#include "sim/runner/uncertain_parameters.hpp"

namespace icsflow::sim {

using config::ConfigDocument;
using config::ConfigNode;
using config::ParamType;

double RunSettings::horizon_days() const {
    return static_cast<double>(
        (std::chrono::sys_days{end_date} - std::chrono::sys_days{start_date}).count() + 1);
}

void ModelRegistry::add(ModelInfo info) {
    if (find(info.name) != nullptr) {
        throw std::logic_error("model registry: duplicate model '" + info.name + "'");
    }
    models_.push_back(std::move(info));
}

const ModelInfo* ModelRegistry::find(const std::string& name) const {
    const auto it = std::find_if(models_.begin(), models_.end(),
                                 [&](const ModelInfo& m) { return m.name == name; });
    return it == models_.end() ? nullptr : &*it;
}

std::vector<std::string> ModelRegistry::names() const {
    std::vector<std::string> names;
    for (const auto& m : models_) {
        names.push_back(m.name);
    }
    return names;
}

namespace {

void add_uncertain_parameters(config::ParameterDictionary& d) {
    using config::TomlValue;
    const std::string p = "uncertain[].";
    const std::string doc = "docs/uncertainty.md";
    d.add(config::typed_param("uncertain", ParamType::table_array, TomlValue(config::TomlArray{}),
                              "",
                              "Parameters whose value is uncertain: each replication draws its own "
                              "(assumption uncertainty on top of chance).",
                              doc));
    d.add(config::typed_param(p + "key", ParamType::string, config::required(), "",
                              "Dotted key of a number or number array of the configuration.", doc));
    d.add(config::typed_param(p + "label", ParamType::string, TomlValue(""), "",
                              "Free text: where the range comes from.", doc));
    d.add(config::choice_param(p + "distribution", config::required(),
                               {"normal", "lognormal", "uniform", "triangular"},
                               "Distribution of the drawn value.", doc));
    d.add(config::choice_param(p + "apply", TomlValue("value"), {"value", "multiplier"},
                               "The draw replaces the configured value, or multiplies it (every "
                               "number of an array).",
                               doc));
    for (const char* key : {"mean", "sd", "low", "mode", "high", "min", "max"}) {
        config::ParamSpec spec = config::number_param(
            p + key, TomlValue(), -1e12, 1e12, "",
            std::string("normal, lognormal: mean, sd; uniform: low, high; triangular: low, mode, "
                        "high; any: min, max (draws outside are drawn again). This: ") +
                key + ".",
            doc);
        spec.optional = true;
        if (std::string(key) == "sd") {
            spec.min = 0.0;
        }
        d.add(std::move(spec));
    }
}

}  // namespace

const config::ParameterDictionary& run_dictionary() {
    static const config::ParameterDictionary dictionary = [] {
        using config::TomlValue;
        config::ParameterDictionary d;
        d.add(config::typed_param("run", ParamType::table, config::required(), "",
                                  "Run settings shared by every model.", "-"));
        d.add(config::typed_param("run.model", ParamType::string, config::required(), "",
                                  "Which model to run (see `icsflow models`).", "-"));
        d.add(config::typed_param("run.start_date", ParamType::date, config::required(), "date",
                                  "First simulated day; simulation time is days since this date.",
                                  "-"));
        d.add(config::typed_param("run.end_date", ParamType::date, config::required(), "date",
                                  "Last simulated day (inclusive).", "-"));
        d.add(config::number_param("run.warmup_days", TomlValue(0.0), 0.0, 36500.0, "days",
                                   "Simulated before the start date and not recorded "
                                   "(0: start from the configured initial state).",
                                   "-"));
        d.add(config::integer_param("run.replications", TomlValue(100), 1.0, 1e9, "replications",
                                    "Replications in the batch (overridden by `-r`).", "-"));
        d.add(config::integer_param("run.seed", TomlValue(1), 0.0, 9.2e18, "",
                                    "Master seed (overridden by `--seed`).", "-"));
        add_uncertain_parameters(d);
        return d;
    }();
    return dictionary;
}

namespace {

// The longest run (and warm-up) a configuration may ask for: a century.
constexpr double kMaxRunDays = 36500.0;

// Reads the keys of the [run] table other than `model`.
void read_run_settings(ConfigNode& run_table, RunSettings& run) {
    run.start_date = run_table.date("start_date");
    run.end_date = run_table.date("end_date");
    run.warmup_days = run_table.number("warmup_days");
    run.replications = static_cast<std::uint64_t>(run_table.integer("replications"));
    run.seed = static_cast<std::uint64_t>(run_table.integer("seed"));
    if (run_table.document().ok() &&
        std::chrono::sys_days{run.end_date} < std::chrono::sys_days{run.start_date}) {
        run_table.error("end_date", "must not be before run.start_date");
    }
    if (run_table.document().ok() && run.horizon_days() > kMaxRunDays) {
        run_table.error("end_date",
                        "the run lasts " + std::to_string(static_cast<long>(run.horizon_days())) +
                            " days; at most " + std::to_string(static_cast<long>(kMaxRunDays)) +
                            " (a century) are allowed");
    }
}

LoadedScenario load_document(const ModelRegistry& registry, ConfigDocument document,
                             bool draw_uncertain);

// A scenario whose configuration has uncertain parameters: each replication reads the
// configuration again with its own drawn values and runs the model so configured. Its chance
// streams are those of the nominal scenario (they depend on the seed and replication only).
class UncertainScenario : public Scenario {
  public:
    UncertainScenario(const ModelRegistry& registry, std::string text, std::string file,
                      std::unique_ptr<Scenario> nominal, std::vector<UncertainParameter> parameters,
                      std::vector<config::TomlValue> configured)
        : registry_(registry),
          text_(std::move(text)),
          file_(std::move(file)),
          nominal_(std::move(nominal)),
          parameters_(std::move(parameters)),
          configured_(std::move(configured)),
          schema_(nominal_->schema()) {
        for (const UncertainParameter& p : parameters_) {
            schema_.add_summary(
                {p.summary_name(), "value of " + p.key + " drawn for the replication", "1", false});
        }
    }

    [[nodiscard]] const OutputSchema& schema() const override { return schema_; }

    [[nodiscard]] std::vector<std::string> uncertain_assumptions() const override {
        std::vector<std::string> keys = nominal_->uncertain_assumptions();
        for (const UncertainParameter& p : parameters_) {
            keys.push_back(p.key);
        }
        return keys;
    }

    [[nodiscard]] ReplicationResult run(const ReplicationContext& context) const override {
        ConfigDocument document = ConfigDocument::from_string(text_, file_);
        std::vector<double> draws;
        for (std::size_t i = 0; i < parameters_.size(); ++i) {
            draws.push_back(parameters_[i].draw(context.master_seed, context.replication));
            document.set_value(parameters_[i].key,
                               apply_draw(parameters_[i], configured_[i], draws.back()));
        }
        const LoadedScenario drawn = load_document(registry_, std::move(document), false);
        ReplicationResult result = drawn.scenario->run(context);
        result.summaries.insert(result.summaries.end(), draws.begin(), draws.end());
        return result;
    }

  private:
    const ModelRegistry& registry_;
    std::string text_;
    std::string file_;
    std::unique_ptr<Scenario> nominal_;
    std::vector<UncertainParameter> parameters_;
    std::vector<config::TomlValue> configured_;
    OutputSchema schema_;
};

LoadedScenario load_document(const ModelRegistry& registry, ConfigDocument document,
                             bool draw_uncertain) {
    // First pass: the [run] table alone, to learn which model's dictionary applies.
    config::ParameterDictionary dictionary = run_dictionary();
    RunSettings run;
    std::string model_name;
    const ModelInfo* model = nullptr;
    {
        ConfigNode root = document.root(dictionary);
        ConfigNode run_table = root.table("run");
        model_name = run_table.string("model");
        model = registry.find(model_name);
        if (model == nullptr) {
            std::string known;
            for (const auto& name : registry.names()) {
                known += (known.empty() ? "" : ", ") + name;
            }
            if (document.ok()) {
                run_table.error("model",
                                "unknown model '" + model_name + "' (known: " + known + ")");
            }
            // The rest of [run] is checked too (and so not reported as unknown keys), through
            // the same nodes, so that a problem with the table itself is reported once.
            read_run_settings(run_table, run);
            document.finish();  // throws
        }
    }
    dictionary.merge(model->dictionary);

    ConfigNode root = document.root(dictionary);
    ConfigNode run_table = root.table("run");
    run.model = run_table.string("model");
    read_run_settings(run_table, run);

    // The factory reads the model's tables even when [run] had problems, so that every issue of
    // the file is reported in one pass; it returns nullptr when the document has issues.
    LoadedScenario loaded;
    loaded.scenario = model->build(root, run);
    std::vector<UncertainParameter> uncertain =
        read_uncertain_parameters(root, document.resolved(), model->dictionary);
    std::vector<config::TomlValue> configured;
    for (const UncertainParameter& p : uncertain) {
        const config::TomlValue* value = config::find_dotted_key(document.resolved(), p.key);
        configured.push_back(value != nullptr ? *value : config::TomlValue());
    }
    document.finish();  // throws ConfigError listing every issue
    if (!loaded.scenario) {
        throw std::logic_error("model '" + model_name +
                               "' built no scenario but reported no issue");
    }
    loaded.run = run;
    loaded.config_text = document.text();
    loaded.resolved_text = document.resolved_text();
    loaded.config_path = document.file_name();
    const auto& sources = document.sources();
    for (std::size_t i = 1; i < sources.size(); ++i) {
        loaded.base_files.emplace_back(sources[i].path, sources[i].text);
    }
    if (draw_uncertain && !uncertain.empty()) {
        loaded.scenario = std::make_unique<UncertainScenario>(
            registry, document.text(), document.file_name(), std::move(loaded.scenario),
            std::move(uncertain), std::move(configured));
    }
    return loaded;
}

}  // namespace

std::string LoadedScenario::uncertainty() const {
    const std::vector<std::string> keys =
        scenario ? scenario->uncertain_assumptions() : std::vector<std::string>{};
    if (keys.empty()) {
        return "chance";
    }
    std::string text = "chance and assumptions: ";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        text += (i > 0 ? ", " : "") + keys[i];
    }
    return text;
}

LoadedScenario load_scenario(const ModelRegistry& registry, const std::string& path) {
    return load_document(registry, ConfigDocument::load_file(path), true);
}

LoadedScenario load_scenario(const ModelRegistry& registry, const std::string& path,
                             const NumberOverrides& overrides) {
    ConfigDocument document = ConfigDocument::load_file(path);
    for (const auto& [key, value] : overrides) {
        document.override_number(key, value);
    }
    return load_document(registry, std::move(document), true);
}

LoadedScenario load_scenario_text(const ModelRegistry& registry, std::string text,
                                  std::string file_name) {
    return load_document(registry,
                         ConfigDocument::from_string(std::move(text), std::move(file_name)), true);
}

}  // namespace icsflow::sim
