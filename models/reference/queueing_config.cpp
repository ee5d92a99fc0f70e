// Reading the reference model's configuration: the [queueing] table, its [[queueing.stages]] and
// [[queueing.classes]].
#include <algorithm>
#include <limits>
#include <set>
#include <sstream>

#include "models/reference/queueing_model.hpp"

namespace icsflow::models::reference {

namespace {

using sim::config::ConfigNode;
using sim::config::ParamType;
using sim::config::TomlArray;
using sim::config::TomlValue;

// Far above any service the reference model stands for, and low enough that a run ends: a rate
// of 10^6 per day over the longest run is already more arrivals than kMaxExpectedArrivals.
constexpr double kMaxRate = 1e6;
// Arrivals one replication may expect: with them all waiting (an overloaded queue) memory stays
// within a few GB, and a replication within a minute or so.
constexpr double kMaxExpectedArrivals = 5e7;

sim::config::ParameterDictionary dictionary() {
    namespace c = sim::config;
    c::ParameterDictionary d;
    const std::string theory = "reference model: values are chosen to test against theory";
    d.add(c::typed_param("queueing", ParamType::table, c::required(), "",
                         "The reference queueing model.", theory));
    c::ParamSpec rate =
        c::number_param("queueing.arrival_rate", c::required(), 0.0, kMaxRate, "customers/day",
                        "Poisson arrival rate, all classes.", theory);
    rate.min_exclusive = true;
    d.add(rate);
    d.add(c::integer_param("queueing.max_customers", TomlValue(0), 0.0, 9e18, "customers",
                           "Stop generating arrivals after this many (0: no limit).", theory));
    d.add(c::typed_param("queueing.stages", ParamType::table_array, c::required(), "",
                         "Service stages in series, in order.", theory));
    d.add(c::integer_param("queueing.stages[].servers", c::required(), 1.0, 1e6, "servers",
                           "Parallel servers at the stage.", theory));
    c::ParamSpec service = c::number_param("queueing.stages[].service_rate", c::required(), 0.0,
                                           kMaxRate, "customers/day per server",
                                           "Exponential service rate of one server.", theory);
    service.min_exclusive = true;
    d.add(service);
    d.add(c::choice_param("queueing.stages[].discipline", TomlValue("fifo"),
                          {"fifo", "priority_then_longest_wait", "longest_wait_first"},
                          "Order in which waiting customers are served.", theory));
    d.add(c::typed_param("queueing.classes", ParamType::table_array, TomlValue(TomlArray{}), "",
                         "Customer classes (absent: one class).", theory));
    d.add(c::typed_param("queueing.classes[].name", ParamType::string, c::required(), "",
                         "Class name, used in output names.", theory));
    c::ParamSpec share = c::number_param("queueing.classes[].share", c::required(), 0.0, 1e6, "",
                                         "Relative share of arrivals (normalised).", theory);
    share.min_exclusive = true;
    d.add(share);
    d.add(c::integer_param("queueing.classes[].priority", TomlValue(1), 1.0, 1000.0, "",
                           "Priority class; 1 is served first.", theory));
    d.add(c::typed_param("queueing.targets", ParamType::table_array, TomlValue(TomlArray{}), "",
                         "Targets on summaries, met or not in each replication.", theory));
    d.add(c::typed_param("queueing.targets[].name", ParamType::string, c::required(), "",
                         "Target name: summaries target_<name>_met.", theory));
    d.add(c::typed_param("queueing.targets[].summary", ParamType::string, c::required(), "",
                         "The summary the target is on, e.g. stage_1_probability_of_wait.",
                         theory));
    d.add(c::optional(c::number_param("queueing.targets[].at_most", TomlValue(), -1e12, 1e12, "",
                                      "Met when the summary is at most this.", theory)));
    d.add(c::optional(c::number_param("queueing.targets[].at_least", TomlValue(), -1e12, 1e12, "",
                                      "Met when the summary is at least this.", theory)));
    return d;
}

// Reads [[queueing.targets]]; `schema` holds the summaries the scenario records (null when the
// stages or classes have errors: the targets' keys are still read, so that they are not reported
// as unknown, but their summaries cannot be checked).
void read_targets(ConfigNode& table, const sim::OutputSchema* schema, QueueingParameters& p) {
    std::set<std::string> names;
    for (ConfigNode& node : table.table_array("targets")) {
        SummaryTarget target;
        target.name = node.string("name");
        if (const std::string problem = sim::dataset_name_problem(target.name); !problem.empty()) {
            node.error("name", problem);
        }
        target.summary = node.string("summary");
        if (!names.insert(target.name).second) {
            node.error("name", "duplicate target name '" + target.name + "'");
        }
        bool known = schema == nullptr;
        if (schema != nullptr) {
            for (const sim::SummarySpec& spec : schema->summaries()) {
                known = known || spec.name == target.summary;
            }
        }
        if (!known) {
            node.error("summary", "no summary named '" + target.summary + "'");
        }
        if (node.has("at_most") == node.has("at_least")) {
            node.error("at_most", "give exactly one of at_most and at_least");
            for (const char* bound : {"at_most", "at_least"}) {
                if (node.has(bound)) {
                    static_cast<void>(node.number(bound));  // read: a known key, even if refused
                }
            }
            continue;
        }
        target.at_most = node.has("at_most");
        target.threshold = node.number(target.at_most ? "at_most" : "at_least");
        p.targets.push_back(std::move(target));
    }
}

std::unique_ptr<sim::Scenario> build(ConfigNode& root, const sim::RunSettings& run) {
    ConfigNode table = root.table("queueing");
    QueueingParameters p;
    p.arrival_rate = table.number("arrival_rate");
    p.max_customers = static_cast<std::uint64_t>(table.integer("max_customers"));
    const double expected = p.arrival_rate * (run.horizon_days() + run.warmup_days);
    const double arrivals =
        p.max_customers > 0 ? std::min(expected, static_cast<double>(p.max_customers)) : expected;
    if (root.document().ok() && arrivals > kMaxExpectedArrivals) {
        std::ostringstream message;
        message << "about " << arrivals << " arrivals per replication (rate x (run + warm-up)); "
                << "at most " << kMaxExpectedArrivals
                << " are allowed (lower the rate, shorten the run, or set max_customers)";
        table.error("arrival_rate", message.str());
    }
    for (ConfigNode& node : table.table_array("stages")) {
        Stage stage;
        stage.servers = static_cast<std::uint32_t>(node.integer("servers"));
        stage.service_rate = node.number("service_rate");
        stage.discipline = sim::queue_discipline_from_string(node.string("discipline"));
        p.stages.push_back(stage);
    }
    if (p.stages.empty() && root.document().ok()) {
        table.error("stages", "at least one [[queueing.stages]] is needed");
    }
    std::set<std::string> names;
    for (ConfigNode& node : table.table_array("classes")) {
        CustomerClass customer_class;
        customer_class.name = node.string("name");
        if (const std::string problem = sim::dataset_name_problem(customer_class.name);
            !problem.empty()) {
            node.error("name", problem);
        }
        customer_class.share = node.number("share");
        customer_class.priority = static_cast<std::uint32_t>(node.integer("priority"));
        if (!names.insert(customer_class.name).second) {
            node.error("name", "duplicate class name '" + customer_class.name + "'");
        }
        p.classes.push_back(customer_class);
    }
    if (p.classes.empty()) {
        p.classes.push_back(CustomerClass{"all", 1.0, 1});
    }
    if (!root.document().ok()) {
        read_targets(table, nullptr, p);
        return nullptr;
    }
    // The targets name summaries, which exist once the stages and classes are known.
    const QueueingScenario untargeted(p, run);
    read_targets(table, &untargeted.schema(), p);
    if (!root.document().ok()) {
        return nullptr;
    }
    return std::make_unique<QueueingScenario>(std::move(p), run);
}

}  // namespace

sim::ModelInfo queueing_model_info() {
    return sim::ModelInfo{"queueing",
                          "reference M/M/c and tandem queueing model with priority classes",
                          dictionary(), build};
}

}  // namespace icsflow::models::reference
