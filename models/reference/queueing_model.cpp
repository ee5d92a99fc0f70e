#include "models/reference/queueing_model.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <variant>

#include "sim/engine/scheduler.hpp"
#include "sim/output/reporting_periods.hpp"
#include "sim/random/distributions.hpp"
#include "sim/random/random_stream.hpp"

namespace icsflow::models::reference {

using sim::EventClass;

ErlangC erlang_c(double arrival_rate, double service_rate, std::uint32_t servers) {
    const double a = arrival_rate / service_rate;  // offered load in Erlangs
    const double c = static_cast<double>(servers);
    const double rho = a / c;
    if (!(rho < 1.0)) {
        const double inf = std::numeric_limits<double>::infinity();
        return ErlangC{1.0, inf, inf, inf};
    }
    // Erlang B by the stable recursion, then C = B / (1 - rho (1 - B)).
    double b = 1.0;
    for (std::uint32_t k = 1; k <= servers; ++k) {
        b = a * b / (static_cast<double>(k) + a * b);
    }
    ErlangC result;
    result.probability_of_wait = b / (1.0 - rho * (1.0 - b));
    result.mean_wait_in_queue = result.probability_of_wait / (c * service_rate - arrival_rate);
    result.mean_in_queue = arrival_rate * result.mean_wait_in_queue;
    result.mean_in_system = result.mean_in_queue + a;
    return result;
}

std::vector<double> priority_waits(const std::vector<double>& class_rates, double service_rate,
                                   std::uint32_t servers) {
    double total = 0.0;
    for (const double r : class_rates) {
        total += r;
    }
    const double capacity = static_cast<double>(servers) * service_rate;
    // Mean residual time until a server frees, given all are busy, times P(all busy).
    const double w0 = erlang_c(total, service_rate, servers).probability_of_wait / capacity;
    std::vector<double> waits;
    double sigma_before = 0.0;
    for (const double r : class_rates) {
        const double sigma = sigma_before + r / capacity;
        waits.push_back(w0 / ((1.0 - sigma_before) * (1.0 - sigma)));
        sigma_before = sigma;
    }
    return waits;
}

namespace {

enum EventKind : std::uint32_t { kArrival = 0, kDeparture = 1 };

struct Customer {
    double system_arrival = 0.0;
    double stage_arrival = 0.0;
    std::uint32_t customer_class = 0;
    std::uint32_t stage = 0;
    std::uint32_t queue_position = sim::kNotQueued;
};

struct CustomerPositions {
    std::vector<Customer>* customers;
    std::uint32_t& operator()(std::uint32_t id) const { return (*customers)[id].queue_position; }
};

// Per stage: the waiting line (a plain ring buffer for FIFO, an indexed heap otherwise) and
// statistics by class.
struct StageState {
    std::uint32_t busy = 0;
    std::unique_ptr<sim::RingQueue<std::uint32_t>> fifo;
    std::unique_ptr<sim::WaitQueue<CustomerPositions>> ordered;
    std::vector<std::uint64_t> started;  // service starts at t >= 0, by class
    std::vector<std::uint64_t> waited;   // ... of which waited > 0
    std::vector<double> wait_sum;

    [[nodiscard]] std::size_t queue_length() const { return fifo ? fifo->size() : ordered->size(); }
};

// Names of the outputs, shared by the schema and the replication that fills it.
std::string stage_name(std::size_t s) {
    return "stage_" + std::to_string(s + 1);
}

class QueueingReplication {
  public:
    QueueingReplication(const QueueingParameters& p, double horizon, double warmup,
                        const sim::ReportingPeriods& weeks, const sim::ReportingPeriods& months,
                        const sim::ReplicationContext& context)
        : p_(p),
          horizon_(horizon),
          weeks_(weeks),
          months_(months),
          context_(context),
          scheduler_(-warmup, 64 + 2 * total_servers(p)),
          arrivals_(context.master_seed, context.replication, "queueing/arrivals"),
          class_choice_(context.master_seed, context.replication, "queueing/class"),
          in_system_(months),
          class_weights_(class_shares(p)) {
        const std::size_t classes = p_.classes.size();
        for (std::size_t s = 0; s < p_.stages.size(); ++s) {
            service_.emplace_back(context.master_seed, context.replication,
                                  "queueing/service/" + stage_name(s));
            StageState state;
            if (p_.stages[s].discipline == sim::QueueDiscipline::fifo) {
                state.fifo = std::make_unique<sim::RingQueue<std::uint32_t>>();
            } else {
                state.ordered = std::make_unique<sim::WaitQueue<CustomerPositions>>(
                    p_.stages[s].discipline, CustomerPositions{&customers_});
            }
            state.started.assign(classes, 0);
            state.waited.assign(classes, 0);
            state.wait_sum.assign(classes, 0.0);
            stages_.push_back(std::move(state));
            queue_levels_.emplace_back(weeks_);
            served_.emplace_back(weeks_.size(), 0.0);
        }
        completed_.assign(classes, 0);
        sojourn_sum_.assign(classes, 0.0);
    }

    sim::ReplicationResult run(const sim::OutputSchema& schema) {
        schedule_next_arrival();
        const bool finished = scheduler_.run_until(
            horizon_, [this](const sim::Event& e) { handle(e); }, context_.cancel);
        sim::ReplicationResult result = sim::ReplicationResult::for_schema(schema);
        result.events = scheduler_.events_processed();
        if (!finished) {
            return result;
        }
        in_system_.finish(horizon_);
        for (auto& level : queue_levels_) {
            level.finish(horizon_);
        }
        record(schema, result);
        return result;
    }

  private:
    static std::size_t total_servers(const QueueingParameters& p) {
        std::size_t total = 0;
        for (const Stage& s : p.stages) {
            total += s.servers;
        }
        return total;
    }

    static std::vector<double> class_shares(const QueueingParameters& p) {
        std::vector<double> shares;
        for (const CustomerClass& c : p.classes) {
            shares.push_back(c.share);
        }
        return shares;
    }

    void handle(const sim::Event& event) {
        switch (event.kind) {
            case kArrival:
                on_arrival();
                break;
            case kDeparture:
                on_departure(event.subject);
                break;
            default:
                throw std::logic_error("queueing model: unknown event kind");
        }
    }

    void schedule_next_arrival() {
        if (p_.max_customers != 0 && arrivals_seen_ >= p_.max_customers) {
            return;
        }
        scheduler_.schedule_in(arrivals_.exponential(p_.arrival_rate), EventClass::arrival,
                               kArrival);
    }

    std::uint32_t new_customer() {
        if (!free_.empty()) {
            const std::uint32_t id = free_.back();
            free_.pop_back();
            return id;
        }
        customers_.emplace_back();
        return static_cast<std::uint32_t>(customers_.size() - 1);
    }

    void on_arrival() {
        ++arrivals_seen_;
        const double now = scheduler_.now();
        const std::uint32_t id = new_customer();
        Customer& c = customers_[id];
        c.system_arrival = now;
        c.customer_class = class_weights_.size() > 1
                               ? static_cast<std::uint32_t>(class_weights_.sample(class_choice_))
                               : 0;
        if (now >= 0.0) {
            ++arrivals_in_window_;
        }
        in_system_.change(now, in_system_.current() + 1.0);
        enter_stage(id, 0);
        schedule_next_arrival();
    }

    void enter_stage(std::uint32_t id, std::uint32_t stage) {
        Customer& c = customers_[id];
        c.stage = stage;
        c.stage_arrival = scheduler_.now();
        StageState& state = stages_[stage];
        if (state.busy < p_.stages[stage].servers) {
            start_service(id);
            return;
        }
        if (state.fifo) {
            state.fifo->push(id);
        } else {
            state.ordered->push(id, p_.classes[c.customer_class].priority, c.stage_arrival);
        }
        queue_levels_[stage].change(scheduler_.now(), static_cast<double>(state.queue_length()));
    }

    void start_service(std::uint32_t id) {
        const double now = scheduler_.now();
        const Customer& c = customers_[id];
        StageState& state = stages_[c.stage];
        ++state.busy;
        if (now >= 0.0) {
            const double wait = now - c.stage_arrival;
            ++state.started[c.customer_class];
            state.wait_sum[c.customer_class] += wait;
            if (wait > 0.0) {
                ++state.waited[c.customer_class];
            }
        }
        const double service = service_[c.stage].exponential(p_.stages[c.stage].service_rate);
        scheduler_.schedule_in(service, EventClass::release, kDeparture, id);
    }

    void on_departure(std::uint32_t id) {
        const double now = scheduler_.now();
        const std::uint32_t stage = customers_[id].stage;
        StageState& state = stages_[stage];
        --state.busy;
        if (now >= 0.0) {
            const std::size_t week = weeks_.index_of(now);
            if (week < weeks_.size()) {
                served_[stage][week] += 1.0;
            }
        }
        // The freed server takes the next waiting customer before anything else happens.
        if (state.queue_length() > 0) {
            const std::uint32_t next = state.fifo ? state.fifo->pop() : state.ordered->pop();
            queue_levels_[stage].change(now, static_cast<double>(state.queue_length()));
            start_service(next);
        }
        if (stage + 1 < p_.stages.size()) {
            enter_stage(id, stage + 1);
            return;
        }
        const Customer& c = customers_[id];
        if (now >= 0.0) {
            ++completed_[c.customer_class];
            sojourn_sum_[c.customer_class] += now - c.system_arrival;
        }
        in_system_.change(now, in_system_.current() - 1.0);
        free_.push_back(id);
    }

    void record(const sim::OutputSchema& schema, sim::ReplicationResult& result) const {
        const std::size_t stage_count = p_.stages.size();
        const std::size_t class_count = p_.classes.size();
        auto& queue_length = result.series[schema.series_id("queue_length")];
        auto& served = result.series[schema.series_id("served")];
        for (std::size_t w = 0; w < weeks_.size(); ++w) {
            for (std::size_t s = 0; s < stage_count; ++s) {
                queue_length[w * stage_count + s] = queue_levels_[s].mean(w);
                served[w * stage_count + s] = served_[s][w];
            }
        }
        auto& in_system = result.series[schema.series_id("in_system")];
        for (std::size_t m = 0; m < months_.size(); ++m) {
            in_system[m] = in_system_.mean(m);
        }

        auto set = [&](const std::string& name, double value) {
            result.summaries[schema.summary_id(name)] = value;
        };
        std::uint64_t completed = 0;
        double sojourn = 0.0;
        for (std::size_t k = 0; k < class_count; ++k) {
            completed += completed_[k];
            sojourn += sojourn_sum_[k];
        }
        set("arrival_rate", static_cast<double>(arrivals_in_window_) / horizon_);
        set("throughput", static_cast<double>(completed) / horizon_);
        set("mean_in_system", in_system_.overall_mean());
        set("mean_sojourn", completed > 0 ? sojourn / static_cast<double>(completed) : NAN);
        set("customers", static_cast<double>(arrivals_seen_));
        for (std::size_t s = 0; s < stage_count; ++s) {
            const StageState& state = stages_[s];
            std::uint64_t started = 0;
            std::uint64_t waited = 0;
            double wait_sum = 0.0;
            for (std::size_t k = 0; k < class_count; ++k) {
                started += state.started[k];
                waited += state.waited[k];
                wait_sum += state.wait_sum[k];
                if (class_count > 1) {
                    set(stage_name(s) + "_mean_wait_" + p_.classes[k].name,
                        state.started[k] > 0
                            ? state.wait_sum[k] / static_cast<double>(state.started[k])
                            : NAN);
                }
            }
            const double n = static_cast<double>(started);
            set(stage_name(s) + "_mean_wait", started > 0 ? wait_sum / n : NAN);
            set(stage_name(s) + "_probability_of_wait",
                started > 0 ? static_cast<double>(waited) / n : NAN);
            set(stage_name(s) + "_mean_in_queue", queue_levels_[s].overall_mean());
        }
    }

    const QueueingParameters& p_;
    double horizon_;
    const sim::ReportingPeriods& weeks_;
    const sim::ReportingPeriods& months_;
    const sim::ReplicationContext& context_;
    sim::Scheduler scheduler_;
    sim::RandomStream arrivals_;
    sim::RandomStream class_choice_;
    std::vector<sim::RandomStream> service_;
    std::vector<Customer> customers_;
    std::vector<std::uint32_t> free_;
    std::vector<StageState> stages_;
    std::vector<sim::LevelRecorder> queue_levels_;
    std::vector<std::vector<double>> served_;
    sim::LevelRecorder in_system_;
    sim::Categorical class_weights_;
    std::uint64_t arrivals_seen_ = 0;
    std::uint64_t arrivals_in_window_ = 0;
    std::vector<std::uint64_t> completed_;
    std::vector<double> sojourn_sum_;
};

}  // namespace

QueueingScenario::QueueingScenario(QueueingParameters parameters, sim::RunSettings run)
    : parameters_(std::move(parameters)),
      run_(run),
      calendar_(run.start_date),
      horizon_(run.horizon_days()) {
    const auto weeks = sim::ReportingPeriods::weekly(calendar_, horizon_);
    const auto months = sim::ReportingPeriods::monthly(calendar_, horizon_);
    schema_.add_time_axis(weeks.axis("week", "reporting week"));
    schema_.add_time_axis(months.axis("month", "calendar month"));
    std::vector<std::string> stage_labels;
    for (std::size_t s = 0; s < parameters_.stages.size(); ++s) {
        stage_labels.push_back(stage_name(s));
    }
    schema_.add_category_axis({"stage", "service stage", stage_labels});
    schema_.add_series({"queue_length",
                        "customers waiting (time-average)",
                        "customers",
                        "week",
                        {"stage"},
                        sim::SeriesKind::time_mean});
    schema_.add_series({"served",
                        "customers whose service ended",
                        "customers",
                        "week",
                        {"stage"},
                        sim::SeriesKind::flow});
    schema_.add_series({"in_system",
                        "customers in the system (time-average)",
                        "customers",
                        "month",
                        {},
                        sim::SeriesKind::time_mean});
    schema_.add_summary({"arrival_rate", "arrivals per day in the recorded period", "1/day", true});
    schema_.add_summary(
        {"throughput", "departures per day in the recorded period", "1/day", false});
    schema_.add_summary(
        {"mean_in_system", "time-average number in the system (L)", "customers", true});
    schema_.add_summary({"mean_sojourn", "mean time in the system (W)", "days", true});
    schema_.add_summary(
        {"customers", "customers generated (warm-up included)", "customers", false});
    for (std::size_t s = 0; s < parameters_.stages.size(); ++s) {
        const std::string name = stage_name(s);
        const std::string label = "stage " + std::to_string(s + 1);
        schema_.add_summary(
            {name + "_mean_wait", label + ": mean wait in queue (Wq)", "days", true});
        schema_.add_summary(
            {name + "_probability_of_wait", label + ": share of customers who waited", "1", true});
        schema_.add_summary({name + "_mean_in_queue", label + ": time-average queue length (Lq)",
                             "customers", false});
        if (parameters_.classes.size() > 1) {
            for (const CustomerClass& c : parameters_.classes) {
                schema_.add_summary({name + "_mean_wait_" + c.name,
                                     label + ": mean wait in queue, class " + c.name, "days",
                                     false});
            }
        }
    }
    for (const SummaryTarget& target : parameters_.targets) {
        sim::SummarySpec met{"target_" + target.name + "_met",
                             target.name + ": " + target.summary +
                                 (target.at_most ? " at most " : " at least ") +
                                 std::to_string(target.threshold) + " (1 met, 0 not)",
                             "1", true};
        met.indicator = true;
        schema_.add_summary(met);
    }
    if (parameters_.targets.size() > 1) {
        sim::SummarySpec all{"targets_all_met", "every target met (1) or not (0)", "1", true};
        all.indicator = true;
        schema_.add_summary(all);
    }
}

sim::ReplicationResult QueueingScenario::run(const sim::ReplicationContext& context) const {
    const auto weeks = sim::ReportingPeriods::weekly(calendar_, horizon_);
    const auto months = sim::ReportingPeriods::monthly(calendar_, horizon_);
    QueueingReplication replication(parameters_, horizon_, run_.warmup_days, weeks, months,
                                    context);
    sim::ReplicationResult result = replication.run(schema_);
    bool all = true;
    bool unknown = false;
    for (const SummaryTarget& target : parameters_.targets) {
        const double value = result.summaries[schema_.summary_id(target.summary)];
        double met = NAN;
        if (!std::isnan(value)) {
            met = (target.at_most ? value <= target.threshold : value >= target.threshold) ? 1.0
                                                                                           : 0.0;
        }
        result.summaries[schema_.summary_id("target_" + target.name + "_met")] = met;
        all = all && met != 0.0;
        unknown = unknown || std::isnan(met);
    }
    if (parameters_.targets.size() > 1) {
        result.summaries[schema_.summary_id("targets_all_met")] = !all ? 0.0 : unknown ? NAN : 1.0;
    }
    return result;
}

}  // namespace icsflow::models::reference
