#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/engine/sim_calendar.hpp"
#include "sim/resource/wait_queue.hpp"
#include "sim/runner/scenario.hpp"

namespace icsflow::models::reference {

// The engine's reference model: Poisson arrivals of customer classes through a tandem of
// multi-server stages with exponential service (M/M/c, and M/M/c queues in series). Every output
// has an exact answer from queueing theory (Erlang C, the non-preemptive priority formula,
// Burke's theorem for the second stage, Little's law), which is what the statistical tests and
// the benchmark rely on.
struct CustomerClass {
    std::string name;
    double share = 1.0;          // fraction of arrivals
    std::uint32_t priority = 1;  // 1 is served first under a priority discipline
};

struct Stage {
    std::uint32_t servers = 1;
    double service_rate = 1.0;  // per server per day
    sim::QueueDiscipline discipline = sim::QueueDiscipline::fifo;
};

// A target on one summary (P(wait) at most 0.2, say): met or not in each replication, so that a
// capacity search can be checked against Erlang C.
struct SummaryTarget {
    std::string name;
    std::string summary;
    bool at_most = true;  // met when the summary is at most the threshold (else at least)
    double threshold = 0.0;
};

struct QueueingParameters {
    double arrival_rate = 1.0;  // per day, all classes
    std::vector<SummaryTarget> targets;
    std::vector<CustomerClass> classes;
    std::vector<Stage> stages;
    // Stop after this many arrivals (0: run to the horizon). The benchmark uses it to process a
    // fixed number of customers.
    std::uint64_t max_customers = 0;
};

// Exact results for one M/M/c stage (Erlang C).
struct ErlangC {
    double probability_of_wait = 0.0;  // C(c, a)
    double mean_wait_in_queue = 0.0;   // Wq
    double mean_in_queue = 0.0;        // Lq
    double mean_in_system = 0.0;       // L
};
[[nodiscard]] ErlangC erlang_c(double arrival_rate, double service_rate, std::uint32_t servers);

// Mean wait in queue of each priority class at an M/M/c stage with non-preemptive priority and a
// common service rate (Cobham's formula generalised to c servers); classes ordered by priority.
[[nodiscard]] std::vector<double> priority_waits(const std::vector<double>& class_rates,
                                                 double service_rate, std::uint32_t servers);

class QueueingScenario : public sim::Scenario {
  public:
    QueueingScenario(QueueingParameters parameters, sim::RunSettings run);

    [[nodiscard]] const sim::OutputSchema& schema() const override { return schema_; }
    [[nodiscard]] sim::ReplicationResult run(const sim::ReplicationContext& context) const override;

    [[nodiscard]] const QueueingParameters& parameters() const { return parameters_; }

  private:
    QueueingParameters parameters_;
    sim::RunSettings run_;
    sim::SimCalendar calendar_;
    double horizon_ = 0.0;
    sim::OutputSchema schema_;
};

[[nodiscard]] sim::ModelInfo queueing_model_info();

}  // namespace icsflow::models::reference
