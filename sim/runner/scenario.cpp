#include "sim/runner/scenario.hpp"

#include <algorithm>
#include <chrono>
#include <limits>

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
        return d;
    }();
    return dictionary;
}

namespace {

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
}

LoadedScenario load_document(const ModelRegistry& registry, ConfigDocument document) {
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
    return loaded;
}

}  // namespace

LoadedScenario load_scenario(const ModelRegistry& registry, const std::string& path) {
    return load_document(registry, ConfigDocument::load_file(path));
}

LoadedScenario load_scenario(const ModelRegistry& registry, const std::string& path,
                             const NumberOverrides& overrides) {
    ConfigDocument document = ConfigDocument::load_file(path);
    for (const auto& [key, value] : overrides) {
        document.override_number(key, value);
    }
    return load_document(registry, std::move(document));
}

LoadedScenario load_scenario_text(const ModelRegistry& registry, std::string text,
                                  std::string file_name) {
    return load_document(registry,
                         ConfigDocument::from_string(std::move(text), std::move(file_name)));
}

}  // namespace icsflow::sim
