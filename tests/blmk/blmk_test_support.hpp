#pragma once

// Shared by the BLMK model tests: loading the test configurations of tests/data/blmk/, running a
// batch of replications into memory, reading summaries and series, and driving one replication's
// World directly when a test needs to look at individual patients.
//
// Test configurations extend a file of tests/data/blmk/ (or configs/blmk.toml through one of
// them) with `base = "..."`; a test that only changes a few values writes them inline with
// `load(file, overrides)`, which reads the overrides as a configuration whose base is `file`.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/blmk/blmk_model.hpp"
#include "models/blmk/system/world.hpp"
#include "models/register_models.hpp"
#include "sim/output/moments.hpp"
#include "sim/runner/batch_runner.hpp"
#include "sim/runner/scenario.hpp"

namespace icsflow::test::blmk {

namespace mb = models::blmk;

inline std::string data_path(const std::string& name) {
    return std::string(ICSFLOW_BLMK_TEST_DATA_DIR) + "/" + name;
}

// "P1".."P4" for priority index k = 0..3 (built by appending: GCC 12 warns falsely on
// "P" + std::to_string(...)).
inline std::string priority_label(std::size_t k) {
    std::string label = "P";
    label += std::to_string(k + 1);
    return label;
}

inline const sim::ModelRegistry& registry() {
    static const sim::ModelRegistry all = [] {
        sim::ModelRegistry r;
        models::register_all(r);
        return r;
    }();
    return all;
}

// The configuration `file` of tests/data/blmk/, with `overrides` (TOML: root keys first, then
// tables) merged over it as by `base = "file"`: tables key by key, other values replaced.
inline sim::LoadedScenario load(const std::string& file, const std::string& overrides = "") {
    if (overrides.empty()) {
        return sim::load_scenario(registry(), data_path(file));
    }
    const std::string text = "base = \"" + file + "\"\n" + overrides;
    return sim::load_scenario_text(registry(), text, data_path("inline-overrides.toml"));
}

inline const mb::BlmkScenario& blmk_scenario(const sim::LoadedScenario& loaded) {
    return dynamic_cast<const mb::BlmkScenario&>(*loaded.scenario);
}

// A batch run as `icsflow run` runs it (2 threads, results in replication order), kept in memory.
class Batch {
  public:
    explicit Batch(sim::LoadedScenario loaded, int threads = 2) : loaded_(std::move(loaded)) {
        sim::BatchOptions options;
        options.master_seed = loaded_.run.seed;
        options.replications = loaded_.run.replications;
        options.threads = threads;
        options.progress = sim::ProgressMode::none;
        static_cast<void>(sim::run_batch(*loaded_.scenario, options, sink_));
        EXPECT_EQ(sink_.results.size(), loaded_.run.replications);
    }

    [[nodiscard]] const sim::OutputSchema& schema() const { return loaded_.scenario->schema(); }
    [[nodiscard]] const mb::BlmkScenario& scenario() const { return blmk_scenario(loaded_); }
    [[nodiscard]] std::size_t replications() const { return sink_.results.size(); }
    [[nodiscard]] const std::vector<sim::ReplicationResult>& results() const {
        return sink_.results;
    }

    [[nodiscard]] double summary(std::size_t replication, const std::string& name) const {
        return sink_.results[replication].summaries[schema().summary_id(name)];
    }
    // Moments of summary `name` over the replications.
    [[nodiscard]] sim::Moments summary(const std::string& name) const {
        sim::Moments m;
        for (std::size_t r = 0; r < replications(); ++r) {
            m.add(summary(r, name));
        }
        return m;
    }
    [[nodiscard]] double mean(const std::string& name) const { return summary(name).mean(); }

    // One value of series `name` in replication `replication`: index {time, axes...}.
    [[nodiscard]] double series(std::size_t replication, const std::string& name,
                                const std::vector<std::size_t>& index) const {
        const sim::SeriesId id = schema().series_id(name);
        const std::vector<std::size_t> shape = schema().series_shape(id);
        EXPECT_EQ(index.size(), shape.size()) << name;
        std::size_t flat = 0;
        for (std::size_t d = 0; d < shape.size(); ++d) {
            EXPECT_LT(index[d], shape[d]) << name << " dimension " << d;
            flat = flat * shape[d] + index[d];
        }
        return sink_.results[replication].series[id][flat];
    }
    // Length of the time axis of series `name` (months or weeks).
    [[nodiscard]] std::size_t periods(const std::string& name) const {
        return schema().series_shape(schema().series_id(name)).front();
    }
    [[nodiscard]] const sim::TimeAxis& weeks() const { return schema().time_axis("week"); }
    [[nodiscard]] const sim::TimeAxis& months() const { return schema().time_axis("month"); }

  private:
    sim::LoadedScenario loaded_;
    sim::MemorySink sink_;
};

// One replication of a loaded scenario, run step by step as BlmkScenario::run runs it, so that a
// test can stop at any time and look at the lists and the patients on them.
class WorldRun {
  public:
    WorldRun(const sim::LoadedScenario& loaded, std::uint64_t replication)
        : tables_(blmk_scenario(loaded).tables()),
          context_{loaded.run.seed, replication, nullptr},
          world_(std::make_unique<mb::World>(tables_, context_)) {
        world_->schedule_start();
    }
    // The World keeps a reference to the context: neither may move.
    WorldRun(const WorldRun&) = delete;
    WorldRun& operator=(const WorldRun&) = delete;

    // Handles every event before `time`.
    void run_until(double time) {
        world_->scheduler.run_until(time,
                                    [this](const sim::Event& event) { world_->handle(event); });
    }

    [[nodiscard]] mb::World& world() { return *world_; }
    [[nodiscard]] const mb::ScenarioTables& tables() const { return tables_; }

    // Ids of the patients on the RTT list of (hospital, specialty, stage), in heap order.
    [[nodiscard]] std::vector<std::uint32_t> on_list(std::uint32_t hospital,
                                                     std::uint32_t specialty, mb::Stage stage) {
        const auto& queue = world_->lists.list(world_->lists.rtt_list(hospital, specialty, stage));
        std::vector<std::uint32_t> ids;
        for (std::size_t i = 0; i < queue.size(); ++i) {
            ids.push_back(queue.entry_at(i).item);
        }
        return ids;
    }

  private:
    const mb::ScenarioTables& tables_;
    sim::ReplicationContext context_;
    std::unique_ptr<mb::World> world_;
};

// Mean of a time_mean series over the whole run, each month weighted by its length: the
// time-average of the level over [0, horizon). `axes` index the series' category axes.
inline double time_average(const Batch& batch, std::size_t replication, const std::string& name,
                           const std::vector<std::size_t>& axes) {
    const sim::TimeAxis& months = batch.months();
    double integral = 0.0;
    double length = 0.0;
    for (std::size_t m = 0; m < months.start.size(); ++m) {
        std::vector<std::size_t> index{m};
        index.insert(index.end(), axes.begin(), axes.end());
        const double days = months.end[m] - months.start[m];
        integral += batch.series(replication, name, index) * days;
        length += days;
    }
    return integral / length;
}

}  // namespace icsflow::test::blmk
