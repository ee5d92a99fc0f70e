#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/config/config_document.hpp"
#include "sim/engine/sim_calendar.hpp"
#include "sim/output/output_schema.hpp"

namespace icsflow::sim {

namespace calibration {
struct CalibrationSupport;
}

// The [run] table every configuration has: which model, the simulated period and the batch.
struct RunSettings {
    std::string model;
    Date start_date{};
    Date end_date{};           // inclusive: the last simulated day
    double warmup_days = 0.0;  // simulated before the start date, not recorded
    std::uint64_t replications = 1;
    std::uint64_t seed = 1;

    [[nodiscard]] double horizon_days() const;  // start of start_date to end of end_date
};

// What one replication needs to know about the batch it belongs to.
struct ReplicationContext {
    std::uint64_t master_seed = 0;
    std::uint64_t replication = 0;
    // Set when the batch is being abandoned (an error elsewhere, an interrupt); long replications
    // poll it and return early. The result of a cancelled replication is discarded.
    const std::atomic<bool>* cancel = nullptr;
};

// A model configured for one scenario, ready to run replications. `run` is const and must be
// safe to call from several threads at once: each call builds its own state and random streams
// from the context, so replication r gives the same result whichever thread or rank runs it.
class Scenario {
  public:
    virtual ~Scenario() = default;
    [[nodiscard]] virtual const OutputSchema& schema() const = 0;
    [[nodiscard]] virtual ReplicationResult run(const ReplicationContext& context) const = 0;
    // Parameters whose values are drawn per replication (assumption uncertainty, beyond chance).
    [[nodiscard]] virtual std::vector<std::string> uncertain_assumptions() const { return {}; }
};

// How a model plugs into the platform: a name, its parameter dictionary, and a factory that
// reads its part of the configuration. The factory records problems in the document (it does not
// throw on bad values); the caller turns them into one ConfigError listing them all.
struct ModelInfo {
    std::string name;
    std::string description;
    config::ParameterDictionary dictionary;
    std::function<std::unique_ptr<Scenario>(config::ConfigNode& root, const RunSettings& run)>
        build;
    // The monthly measures `icsflow calibrate` fits and scores; null when the model has none.
    std::shared_ptr<const calibration::CalibrationSupport> calibration{};
};

class ModelRegistry {
  public:
    void add(ModelInfo info);
    [[nodiscard]] const ModelInfo* find(const std::string& name) const;
    [[nodiscard]] std::vector<std::string> names() const;

  private:
    std::vector<ModelInfo> models_;
};

// The dictionary of the [run] table (shared by every model).
[[nodiscard]] const config::ParameterDictionary& run_dictionary();

// A configuration read and checked: the run settings and the scenario built from it.
struct LoadedScenario {
    RunSettings run;
    std::unique_ptr<Scenario> scenario;
    std::string config_text;    // exactly as read
    std::string resolved_text;  // every parameter used, defaults included
    std::string config_path;
    // Files the configuration inherits through `base = "..."`, nearest first: (path, text as read).
    std::vector<std::pair<std::string, std::string>> base_files{};

    // What the spread between replications holds: "chance", or "chance and assumptions: " and
    // the parameters drawn per replication (the results file's root attribute `uncertainty`).
    [[nodiscard]] std::string uncertainty() const;
};

// Reads `path`, checks every key against the [run] dictionary and the chosen model's, and builds
// the scenario. Throws config::ConfigFileError (unreadable) or config::ConfigError (every problem
// found, with file, line and key).
[[nodiscard]] LoadedScenario load_scenario(const ModelRegistry& registry, const std::string& path);
// The same with numbers set on the command line (ConfigDocument::override_number), in order.
using NumberOverrides = std::vector<std::pair<std::string, double>>;
[[nodiscard]] LoadedScenario load_scenario(const ModelRegistry& registry, const std::string& path,
                                           const NumberOverrides& overrides);
[[nodiscard]] LoadedScenario load_scenario_text(const ModelRegistry& registry, std::string text,
                                                std::string file_name);

}  // namespace icsflow::sim
