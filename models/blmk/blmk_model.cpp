#include "models/blmk/blmk_model.hpp"

#include <functional>
#include <sstream>

#include "models/blmk/metrics/derived_summaries.hpp"
#include "models/blmk/metrics/rtt_observables.hpp"
#include "models/blmk/parameters/dictionary.hpp"
#include "models/blmk/parameters/read_parameters.hpp"
#include "models/blmk/system/world.hpp"

namespace icsflow::models::blmk {

namespace {

// The summaries read from a replication's World at its end (the ledgers of the conservation
// check), each declared with the code that reads it.
struct WorldSummary {
    sim::SummarySpec spec;
    std::function<double(const World&)> value;
};

std::vector<WorldSummary> world_summaries() {
    std::vector<WorldSummary> out;
    auto add = [&](std::string name, std::string long_name, std::string units,
                   std::function<double(const World&)> value) {
        out.push_back(
            {{std::move(name), std::move(long_name), std::move(units), false}, std::move(value)});
    };
    for (std::size_t s = 0; s < kStages; ++s) {
        const std::string stage = stage_name(s);
        add("stage_" + stage + "_entered", "patients who joined the " + stage + " list", "pathways",
            [s](const World& w) { return static_cast<double>(w.lists.joined(s)); });
        add("stage_" + stage + "_left", "patients who left the " + stage + " list", "pathways",
            [s](const World& w) { return static_cast<double>(w.lists.left(s)); });
        add("stage_" + stage + "_remaining",
            "patients on the " + stage + " list at the end (still in the system)", "pathways",
            [s](const World& w) { return static_cast<double>(w.lists.waiting(s)); });
    }
    add("pathways_open_at_end", "incomplete pathways at the end (censored, not lost)", "pathways",
        [](const World& w) { return static_cast<double>(w.pathways.live()); });
    add("inpatients_at_end", "patients in hospital beds or waiting for one at the end", "patients",
        [](const World& w) { return static_cast<double>(w.inpatients.live()); });
    add("peak_patients_in_system", "largest number of pathway and inpatient records in use",
        "patients", [](const World& w) { return static_cast<double>(w.peak_records); });
    return out;
}

// What a replication records (Metrics), what is derived from it after the run, and the World's
// ledgers, in that order.
sim::OutputSchema make_schema(const ScenarioTables& tables) {
    sim::OutputSchema schema = Metrics::schema(tables);
    declare_derived_outputs(schema, tables);
    for (WorldSummary& summary : world_summaries()) {
        schema.add_summary(std::move(summary.spec));
    }
    return schema;
}

}  // namespace

BlmkScenario::BlmkScenario(BlmkParameters parameters, const sim::RunSettings& run)
    : parameters_(std::move(parameters)),
      tables_(std::make_unique<ScenarioTables>(parameters_, run.start_date, run.warmup_days,
                                               run.horizon_days())),
      schema_(make_schema(*tables_)) {}

namespace {

// Every stage, every run: patients who joined a list = patients who left it + patients still on
// it; every open pathway is on the RTT census; every inpatient admitted is discharged or still
// in hospital; every request for support is accepted or still waiting. A failure is a bug and
// stops the batch.
void check_conservation(const World& world) {
    std::ostringstream problems;
    for (std::size_t s = 0; s < kStages; ++s) {
        const std::uint64_t joined = world.lists.joined(s);
        const std::uint64_t left = world.lists.left(s);
        const std::uint64_t waiting = world.lists.waiting(s);
        if (joined != left + waiting) {
            problems << " stage " << stage_name(s) << ": joined " << joined << " != left " << left
                     << " + waiting " << waiting << ";";
        }
    }
    const auto open = static_cast<std::int64_t>(world.pathways.live());
    if (open != world.metrics.waiting_list_total()) {
        problems << " open pathways " << open << " != RTT census "
                 << world.metrics.waiting_list_total() << ";";
    }
    if (world.beds.present() != world.inpatients.live()) {
        problems << " inpatients admitted - discharged " << world.beds.present()
                 << " != records in use " << world.inpatients.live() << ";";
    }
    if (world.community.requested() != world.community.accepted() + world.community.waiting()) {
        problems << " community requests " << world.community.requested() << " != accepted "
                 << world.community.accepted() << " + waiting " << world.community.waiting() << ";";
    }
    const std::string text = problems.str();
    if (!text.empty()) {
        throw std::logic_error("BLMK model: conservation check failed:" + text);
    }
}

}  // namespace

sim::ReplicationResult BlmkScenario::run(const sim::ReplicationContext& context) const {
    sim::ReplicationResult result = sim::ReplicationResult::for_schema(schema_);
    auto world = std::make_unique<World>(*tables_, context);
    world->schedule_start();
    const double horizon = tables_->horizon;
    const bool finished = world->scheduler.run_until(
        horizon, [&world](const sim::Event& event) { world->handle(event); }, context.cancel);
    result.events = world->scheduler.events_processed();
    if (!finished) {
        return result;
    }
    // Periods ending exactly at the horizon are closed here (their events would fall outside).
    const auto& weeks = tables_->weeks;
    const auto& months = tables_->months;
    if (weeks.size() > 0 && weeks.end(weeks.size() - 1) >= horizon) {
        world->metrics.week_ended(weeks.size() - 1);
    }
    if (months.size() > 0 && months.end(months.size() - 1) >= horizon) {
        world->metrics.month_ended(months.size() - 1, world->pathways);
    }
    world->metrics.finish(horizon);
    check_conservation(*world);
    world->metrics.write(schema_, result);
    write_derived_outputs(schema_, *tables_, result);
    for (const WorldSummary& summary : world_summaries()) {
        result.summaries[schema_.summary_id(summary.spec.name)] = summary.value(*world);
    }
    return result;
}

namespace {

std::unique_ptr<sim::Scenario> build(sim::config::ConfigNode& root, const sim::RunSettings& run) {
    const sim::SimCalendar calendar(run.start_date);
    std::optional<BlmkParameters> parameters = read_parameters(root, calendar, run);
    if (!parameters) {
        return nullptr;
    }
    return std::make_unique<BlmkScenario>(std::move(*parameters), run);
}

}  // namespace

sim::ModelInfo blmk_model_info() {
    return sim::ModelInfo{"blmk",
                          "BLMK integrated care system: referral to treatment, emergency demand "
                          "for the same beds, discharge and community capacity",
                          blmk_dictionary(), build, rtt_calibration_support()};
}

}  // namespace icsflow::models::blmk
