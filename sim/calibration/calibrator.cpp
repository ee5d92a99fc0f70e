#include "sim/calibration/calibrator.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <nlopt.hpp>
#include <sstream>
#include <stdexcept>

#include "sim/config/toml_path.hpp"
#include "sim/config/toml_value.hpp"
#include "sim/io/hdf5.hpp"
#include "sim/io/monthly_table.hpp"
#include "sim/io/output_path.hpp"
#include "sim/io/provenance.hpp"
#include "sim/io/results_writer.hpp"
#include "sim/runner/batch_runner.hpp"

namespace icsflow::sim::calibration {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    const auto last = text.find_last_not_of(" \t");
    return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

double parse_number(const std::string& text, const std::string& what) {
    std::size_t used = 0;
    double value = 0.0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty() || !std::isfinite(value)) {
        throw std::invalid_argument(what + ": '" + text + "' is not a number");
    }
    return value;
}

std::string format_number(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.10g", value);
    std::string s = text;
    if (s.find_first_of(".eEn") == std::string::npos) {
        s += ".0";  // a float in TOML, so that number keys are never read as integers
    }
    return s;
}

std::string toml_string(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

struct Lever {
    LeverToFit spec;
    std::size_t measure = 0;
    long first_month = 0;  // model month of values[0]
    std::vector<double> values;
};

struct Evaluation {
    // [replication][measure][month]
    std::vector<MeasureValues> replications;
    MeasureValues mean;
    MeasureValues standard_error;
};

// Everything fixed for the whole calibration.
class Problem {
  public:
    Problem(const ModelRegistry& registry, const CalibrationOptions& options,
            const std::atomic<bool>* cancel)
        : registry_(registry), options_(options), cancel_(cancel) {
        base_path_ = std::filesystem::absolute(options.config).lexically_normal().string();
        loaded_ = load_scenario(registry, options.config);
        const ModelInfo* model = registry.find(loaded_.run.model);
        if (model == nullptr || !model->calibration) {
            throw std::invalid_argument("model '" + loaded_.run.model +
                                        "' has no measures to calibrate against");
        }
        model_ = model;
        support_ = model->calibration.get();
        const TimeAxis& months = loaded_.scenario->schema().time_axis("month");
        labels_ = months.labels;
        anchor_.reference_first = 0;
        anchor_.reference_month = month_index(options.reference_month, "--reference");
        observed_table_ = MonthlyTable::read_csv(options.observed);
        observed_ = support_->observed_values(observed_table_, labels_, anchor_);
        train_ = window(options.train, "--train");
        test_ = window(options.test, "--test");
        if (!(train_.second < test_.first || test_.second < train_.first)) {
            throw std::invalid_argument(
                "--train and --test overlap: the test months must be "
                "months the fit never sees");
        }
        for (const std::string& name : options.objective_measures) {
            const std::size_t m = measure_index(name, "--measures");
            if (scorable_in_training(m)) {
                objective_.push_back(m);
            } else if (options.objective_measures_named) {
                throw std::invalid_argument("--measures: '" + name + "' " + unscorable_reason(m));
            } else {
                std::printf("calibrate: '%s' is not fitted to: it %s\n", name.c_str(),
                            unscorable_reason(m).c_str());
            }
        }
        if (objective_.empty()) {
            throw std::invalid_argument(
                "--measures: none of the measures can be scored in the training months");
        }
        std::istringstream resolved_text(loaded_.resolved_text);
        resolved_ =
            toml::parse<toml::discard_comments, std::map, std::vector>(resolved_text, "resolved");
        for (const ParameterToFit& p : options.parameters) {
            add_parameter(p);
        }
        for (const LeverToFit& l : options.levers) {
            add_lever(l);
        }
    }

    [[nodiscard]] const std::vector<std::string>& labels() const { return labels_; }
    [[nodiscard]] const CalibrationSupport& support() const { return *support_; }
    [[nodiscard]] const MeasureValues& observed() const { return observed_; }
    // The measures the objective is made of (those asked for that the training months can score).
    [[nodiscard]] std::vector<std::string> objective_measure_names() const {
        std::vector<std::string> names;
        for (const std::size_t m : objective_) {
            names.push_back(support_->measures[m].name);
        }
        return names;
    }
    [[nodiscard]] const MonthlyTable& observed_table() const { return observed_table_; }
    [[nodiscard]] const MeasureAnchor& anchor() const { return anchor_; }
    [[nodiscard]] std::pair<long, long> train() const { return train_; }
    [[nodiscard]] std::pair<long, long> test() const { return test_; }
    [[nodiscard]] std::uint64_t seed() const { return options_.seed.value_or(loaded_.run.seed); }
    [[nodiscard]] const LoadedScenario& loaded() const { return loaded_; }
    [[nodiscard]] std::vector<FittedParameter>& parameters() { return parameters_; }
    [[nodiscard]] std::vector<Lever>& levers() { return levers_; }
    [[nodiscard]] const std::vector<Lever>& levers() const { return levers_; }
    [[nodiscard]] int evaluations() const { return evaluations_; }
    [[nodiscard]] const std::vector<double>& objective_history() const { return history_; }

    // The configuration overlay for these values: `base` the calibrated file, then each key.
    [[nodiscard]] std::string overlay(const std::vector<double>& values, const std::string& base,
                                      const std::string& header) const {
        std::ostringstream out;
        out << header << "base = " << toml_string(base) << "\n\n";
        for (std::size_t i = 0; i < parameters_.size(); ++i) {
            out << parameters_[i].key << " = " << format_number(values[i]) << "\n";
        }
        for (const Lever& lever : levers_) {
            out << lever.spec.key << " = [";
            for (std::size_t k = 0; k < lever.values.size(); ++k) {
                out << (k % 8 == 0 ? "\n    " : " ") << format_number(lever.values[k])
                    << (k + 1 < lever.values.size() ? "," : "");
            }
            out << "\n]\n";
        }
        return out.str();
    }

    [[nodiscard]] std::vector<double> current_values() const {
        std::vector<double> v;
        for (const FittedParameter& p : parameters_) {
            v.push_back(p.value);
        }
        return v;
    }

    Evaluation evaluate(const std::vector<double>& values, std::uint64_t replications,
                        ResultSink* also = nullptr) {
        const std::string text = overlay(values, base_path_, "");
        LoadedScenario scenario = load_scenario_text(
            registry_, text,
            (std::filesystem::path(base_path_).parent_path() / "(calibration overlay)").string());
        MeasureSink sink(*this, scenario.scenario->schema(), also);
        BatchOptions batch;
        batch.master_seed = seed();
        batch.replications = replications;
        batch.threads = options_.threads;
        batch.progress = ProgressMode::none;
        run_batch(*scenario.scenario, batch, sink, cancel_);
        ++evaluations_;
        return summarise(std::move(sink.values));
    }

    // Mean squared residual over the training months of the objective's measures.
    [[nodiscard]] double objective(const Evaluation& e) const {
        const std::vector<double> r = residuals(e.mean);
        double sum = 0.0;
        for (const double x : r) {
            sum += x * x;
        }
        return r.empty() ? kNaN : sum / static_cast<double>(r.size());
    }

    // The training residuals, each divided by its measure's tolerance, measure by measure.
    [[nodiscard]] std::vector<double> residuals(const MeasureValues& model) const {
        std::vector<double> out;
        residual_measure_.clear();
        for (const std::size_t m : objective_) {
            for (long t = train_.first; t <= train_.second; ++t) {
                const double r = scaled_error(m, model[m][static_cast<std::size_t>(t)],
                                              observed_[m][static_cast<std::size_t>(t)]);
                if (std::isfinite(r)) {
                    out.push_back(r);
                    residual_measure_.push_back(m);
                }
            }
        }
        return out;
    }
    // Whether residuals i and j (of the last residuals() call) belong to the same measure.
    [[nodiscard]] bool same_series(std::size_t i, std::size_t j) const {
        return residual_measure_.at(i) == residual_measure_.at(j);
    }

    [[nodiscard]] double error(std::size_t m, double model, double observed) const {
        const MonthlyMeasure& measure = support_->measures[m];
        if (!std::isfinite(model) || !std::isfinite(observed)) {
            return kNaN;
        }
        if (measure.error == ErrorKind::absolute) {
            return model - observed;
        }
        if (observed < measure.min_observed || observed == 0.0) {
            return kNaN;
        }
        return (model - observed) / observed;
    }

    // Whether the measure can be scored in a training month: an observed value there, and for a
    // relative error one at or above its minimum.
    [[nodiscard]] bool scorable_in_training(std::size_t m) const {
        for (long t = train_.first; t <= train_.second; ++t) {
            const double observed = observed_[m][static_cast<std::size_t>(t)];
            if (std::isfinite(error(m, observed, observed))) {
                return true;
            }
        }
        return false;
    }
    [[nodiscard]] std::string unscorable_reason(std::size_t m) const {
        const MonthlyMeasure& measure = support_->measures[m];
        return "has no observation in " + options_.observed +
               " that can be scored in the training months " + options_.train.from + " to " +
               options_.train.to +
               (measure.min_observed > 0.0
                    ? " (a relative error is scored only where at least " +
                          format_number(measure.min_observed) + " is observed)"
                    : "");
    }

    [[nodiscard]] double scaled_error(std::size_t m, double model, double observed) const {
        return error(m, model, observed) / support_->measures[m].tolerance;
    }

    void record(double objective) { history_.push_back(objective); }

  private:
    class MeasureSink : public ResultSink {
      public:
        MeasureSink(const Problem& problem, const OutputSchema& schema, ResultSink* also)
            : problem_(problem), schema_(schema), also_(also) {}
        void consume(std::uint64_t replication, ReplicationResult&& result) override {
            values.push_back(problem_.support_->model_values(schema_, result, problem_.anchor_));
            if (also_ != nullptr) {
                also_->consume(replication, std::move(result));
            }
        }
        std::vector<MeasureValues> values;

      private:
        const Problem& problem_;
        const OutputSchema& schema_;
        ResultSink* also_;
    };

    Evaluation summarise(std::vector<MeasureValues> values) const {
        Evaluation e;
        const std::size_t measures = support_->measures.size();
        const std::size_t months = labels_.size();
        e.mean.assign(measures, std::vector<double>(months, kNaN));
        e.standard_error.assign(measures, std::vector<double>(months, kNaN));
        for (std::size_t m = 0; m < measures; ++m) {
            for (std::size_t t = 0; t < months; ++t) {
                double sum = 0.0;
                double sum_sq = 0.0;
                double n = 0.0;
                for (const MeasureValues& r : values) {
                    const double x = r[m][t];
                    if (std::isfinite(x)) {
                        sum += x;
                        sum_sq += x * x;
                        n += 1.0;
                    }
                }
                if (n > 0.0) {
                    e.mean[m][t] = sum / n;
                }
                if (n > 1.0) {
                    const double variance = std::max(0.0, (sum_sq - sum * sum / n) / (n - 1.0));
                    e.standard_error[m][t] = std::sqrt(variance / n);
                }
            }
        }
        e.replications = std::move(values);
        return e;
    }

    long month_index(const std::string& month, const std::string& option) const {
        const auto it = std::find(labels_.begin(), labels_.end(), month);
        if (month_number(month) < 0) {
            throw std::invalid_argument(option + ": '" + month + "' is not a month (YYYY-MM)");
        }
        if (it == labels_.end()) {
            throw std::invalid_argument(option + ": " + month +
                                        " is outside the simulated period (" + labels_.front() +
                                        " to " + labels_.back() + ")");
        }
        return static_cast<long>(it - labels_.begin());
    }

    std::pair<long, long> window(const MonthWindow& w, const std::string& option) const {
        const long from = month_index(w.from, option);
        const long to = month_index(w.to, option);
        if (to < from) {
            throw std::invalid_argument(option + ": " + w.to + " is before " + w.from);
        }
        for (long t = from; t <= to; ++t) {
            if (observed_table_.row_of(labels_[static_cast<std::size_t>(t)]) < 0) {
                throw std::invalid_argument(option + ": " + labels_[static_cast<std::size_t>(t)] +
                                            " is not in " + observed_table_.file());
            }
        }
        return {from, to};
    }

    std::size_t measure_index(const std::string& name, const std::string& option) const {
        std::string known;
        for (std::size_t m = 0; m < support_->measures.size(); ++m) {
            if (support_->measures[m].name == name) {
                return m;
            }
            known += (known.empty() ? "" : ", ") + support_->measures[m].name;
        }
        throw std::invalid_argument(option + ": unknown measure '" + name + "' (known: " + known +
                                    ")");
    }

    void add_parameter(const ParameterToFit& spec) {
        const config::TomlValue* value = config::find_dotted_key(resolved_, spec.key);
        const std::optional<double> number = value ? config::number_of(*value) : std::nullopt;
        if (!number) {
            throw std::invalid_argument(
                "--fit: unknown parameter '" + spec.key + "': " + options_.config +
                " has no number at that key (`icsflow params " + loaded_.run.model +
                "` lists them; a table's keys are joined with dots)");
        }
        const config::ParamSpec* dictionary = model_->dictionary.find(spec.key);
        for (const FittedParameter& earlier : parameters_) {
            if (earlier.key == spec.key) {
                throw std::invalid_argument("--fit: '" + spec.key + "' is named twice");
            }
        }
        if (dictionary != nullptr && dictionary->type == config::ParamType::integer) {
            throw std::invalid_argument("--fit: '" + spec.key +
                                        "' is a whole number; only numbers with fractions can be "
                                        "fitted");
        }
        FittedParameter p;
        p.key = spec.key;
        p.initial = *number;
        p.value = *number;
        // Without bounds, the dictionary's range (just above an excluded minimum).
        const double lowest = dictionary == nullptr ? -INFINITY
                              : dictionary->min_exclusive
                                  ? std::nextafter(dictionary->min, INFINITY)
                                  : dictionary->min;
        p.lower_bound = spec.lower.value_or(lowest);
        p.upper_bound = spec.upper.value_or(dictionary ? dictionary->max : INFINITY);
        if (!std::isfinite(p.lower_bound) || !std::isfinite(p.upper_bound)) {
            throw std::invalid_argument("--fit: give bounds for '" + spec.key + "' as " + spec.key +
                                        "=LOW:HIGH (its range is unbounded)");
        }
        if (!(p.lower_bound < p.upper_bound)) {
            throw std::invalid_argument("--fit: the bounds of '" + spec.key +
                                        "' are empty (LOW must be below HIGH)");
        }
        if (dictionary != nullptr &&
            (p.lower_bound < dictionary->min ||
             (dictionary->min_exclusive && p.lower_bound <= dictionary->min) ||
             p.upper_bound > dictionary->max)) {
            throw std::invalid_argument("--fit: the bounds of '" + spec.key + "' (" +
                                        format_number(p.lower_bound) + " to " +
                                        format_number(p.upper_bound) + ") leave its range " +
                                        dictionary->range_text());
        }
        p.value = std::clamp(p.value, p.lower_bound, p.upper_bound);
        p.initial = p.value;
        parameters_.push_back(p);
    }

    void add_lever(const LeverToFit& spec) {
        const config::TomlValue* value = config::find_dotted_key(resolved_, spec.key);
        if (value == nullptr || !value->is_array() || value->as_array().empty()) {
            throw std::invalid_argument("--fit-monthly: unknown lever '" + spec.key +
                                        "': " + options_.config +
                                        " has no array of monthly values at that key");
        }
        for (const Lever& earlier : levers_) {
            if (earlier.spec.key == spec.key) {
                throw std::invalid_argument("--fit-monthly: '" + spec.key + "' is named twice");
            }
        }
        Lever lever;
        lever.spec = spec;
        lever.measure = measure_index(spec.measure, "--fit-monthly");
        for (const config::TomlValue& v : value->as_array()) {
            const std::optional<double> x = config::number_of(v);
            if (!x) {
                throw std::invalid_argument("--fit-monthly: '" + spec.key +
                                            "' holds something that is not a number");
            }
            lever.values.push_back(*x);
        }
        const std::string table = spec.key.substr(0, spec.key.rfind('.'));
        const config::TomlValue* from = config::find_dotted_key(resolved_, table + ".from");
        if (from == nullptr || !from->is_local_date()) {
            throw std::invalid_argument("--fit-monthly: '" + spec.key +
                                        "' has no sibling `from` date giving its first month");
        }
        const auto date = from->as_local_date();
        char month[16];
        std::snprintf(month, sizeof month, "%04d-%02d", static_cast<int>(date.year),
                      static_cast<int>(date.month) + 1);
        lever.first_month = month_index(month, "--fit-monthly (" + table + ".from)");
        // One value for every month with an observation to match, the last held beyond.
        long last = lever.first_month;
        for (long t = lever.first_month; t < static_cast<long>(labels_.size()); ++t) {
            if (std::isfinite(observed_[lever.measure][static_cast<std::size_t>(t)])) {
                last = t;
            }
        }
        while (static_cast<long>(lever.values.size()) < last - lever.first_month + 1) {
            lever.values.push_back(lever.values.back());
        }
        levers_.push_back(std::move(lever));
    }

    const ModelRegistry& registry_;
    const CalibrationOptions& options_;
    const std::atomic<bool>* cancel_;
    const ModelInfo* model_ = nullptr;
    const CalibrationSupport* support_ = nullptr;
    std::string base_path_;
    LoadedScenario loaded_;
    std::vector<std::string> labels_;
    MeasureAnchor anchor_;
    MonthlyTable observed_table_;
    MeasureValues observed_;
    std::pair<long, long> train_{0, 0};
    std::pair<long, long> test_{0, 0};
    std::vector<std::size_t> objective_;
    config::TomlValue resolved_;
    std::vector<FittedParameter> parameters_;
    std::vector<Lever> levers_;
    int evaluations_ = 0;
    std::vector<double> history_;
    mutable std::vector<std::size_t> residual_measure_;
};

void say(const char* format, ...) __attribute__((format(printf, 1, 2)));
void say(const char* format, ...) {
    va_list args;
    va_start(args, format);
    std::vprintf(format, args);
    va_end(args);
    std::fflush(stdout);
}

// Multiplies each lever month by observed / model until they agree within 1% (or the iterations
// run out). Stops follow capacity almost in proportion while the lists are long, so this converges
// in a few steps; the step is clamped so one noisy month cannot swing a lever wildly.
void fit_levers(Problem& problem, const CalibrationOptions& options) {
    if (problem.levers().empty()) {
        return;
    }
    const std::vector<double> values = problem.current_values();
    for (int iteration = 1; iteration <= options.lever_iterations; ++iteration) {
        const Evaluation e = problem.evaluate(values, options.replications);
        problem.record(problem.objective(e));
        double worst = 0.0;
        for (Lever& lever : problem.levers()) {
            for (std::size_t k = 0; k < lever.values.size(); ++k) {
                const std::size_t t = static_cast<std::size_t>(lever.first_month) + k;
                const double model = e.mean[lever.measure][t];
                const double observed = problem.observed()[lever.measure][t];
                if (!(model > 0.0) || !std::isfinite(observed)) {
                    continue;
                }
                const double ratio = std::clamp(observed / model, 0.5, 2.0);
                worst = std::max(worst, std::abs(ratio - 1.0));
                lever.values[k] = std::clamp(lever.values[k] * ratio, 0.0, 10.0);
            }
        }
        say("  levers, iteration %d: largest month-by-month mismatch %.1f%%\n", iteration,
            100.0 * worst);
        if (worst < 0.01) {
            break;
        }
    }
}

// Bounded derivative-free fit (BOBYQA; COBYLA for a single parameter) in coordinates scaled to
// [0, 1] by the bounds.
void fit_parameters(Problem& problem, const CalibrationOptions& options) {
    std::vector<FittedParameter>& parameters = problem.parameters();
    const std::size_t n = parameters.size();
    if (n == 0) {
        return;
    }
    nlopt::opt optimiser(n >= 2 ? nlopt::LN_BOBYQA : nlopt::LN_COBYLA, static_cast<unsigned>(n));
    optimiser.set_lower_bounds(std::vector<double>(n, 0.0));
    optimiser.set_upper_bounds(std::vector<double>(n, 1.0));
    optimiser.set_maxeval(options.max_evaluations);
    optimiser.set_xtol_abs(1e-3);
    optimiser.set_initial_step(0.1);
    std::exception_ptr failure;
    const auto to_values = [&](const std::vector<double>& x) {
        std::vector<double> v(n);
        for (std::size_t i = 0; i < n; ++i) {
            v[i] = parameters[i].lower_bound +
                   x[i] * (parameters[i].upper_bound - parameters[i].lower_bound);
        }
        return v;
    };
    struct Context {
        Problem* problem;
        const CalibrationOptions* options;
        std::function<std::vector<double>(const std::vector<double>&)> to_values;
        std::exception_ptr* failure;
        nlopt::opt* optimiser;
    } context{&problem, &options, to_values, &failure, &optimiser};
    optimiser.set_min_objective(
        [](const std::vector<double>& x, std::vector<double>&, void* data) -> double {
            auto* c = static_cast<Context*>(data);
            try {
                const std::vector<double> v = c->to_values(x);
                const double j =
                    c->problem->objective(c->problem->evaluate(v, c->options->replications));
                c->problem->record(j);
                std::string text;
                for (const double value : v) {
                    text.append(" ").append(format_number(value));
                }
                say("  evaluation %d: objective %.4f at%s\n", c->problem->evaluations(), j,
                    text.c_str());
                return std::isfinite(j) ? j : 1e30;
            } catch (...) {
                *c->failure = std::current_exception();
                c->optimiser->force_stop();
                return 1e30;
            }
        },
        &context);
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = (parameters[i].value - parameters[i].lower_bound) /
               (parameters[i].upper_bound - parameters[i].lower_bound);
    }
    double best = 0.0;
    try {
        optimiser.optimize(x, best);
    } catch (const nlopt::forced_stop&) {
    } catch (const nlopt::roundoff_limited&) {
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
    const std::vector<double> v = to_values(x);
    for (std::size_t i = 0; i < n; ++i) {
        parameters[i].value = v[i];
    }
}

// Standard errors from the curvature of the least-squares fit: covariance s^2 (J'J)^-1, with J
// the Jacobian of the scaled training residuals by forward differences (the same replications,
// so the differences are not noise) and s^2 the residual variance. `at_fit` is the evaluation at
// the fitted values.
void estimate_standard_errors(Problem& problem, const CalibrationOptions& options,
                              const Evaluation& at_fit) {
    std::vector<FittedParameter>& parameters = problem.parameters();
    const std::size_t p = parameters.size();
    if (p == 0) {
        return;
    }
    const std::vector<double> at = problem.current_values();
    const std::vector<double> r0 = problem.residuals(at_fit.mean);
    const std::size_t n = r0.size();
    for (FittedParameter& fitted : parameters) {
        fitted.standard_error = kNaN;
    }
    if (n <= p) {
        return;
    }
    Eigen::MatrixXd jacobian(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(p));
    for (std::size_t j = 0; j < p; ++j) {
        const FittedParameter& fitted = parameters[j];
        double h = 0.02 * (fitted.upper_bound - fitted.lower_bound);
        if (at[j] + h > fitted.upper_bound) {
            h = -h;
        }
        std::vector<double> moved = at;
        moved[j] += h;
        const std::vector<double> r =
            problem.residuals(problem.evaluate(moved, options.replications).mean);
        if (r.size() != n) {
            return;
        }
        for (std::size_t i = 0; i < n; ++i) {
            jacobian(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
                (r[i] - r0[i]) / h;
        }
    }
    double ssr = 0.0;
    for (const double r : r0) {
        ssr += r * r;
    }
    // Month-to-month errors of a stock are correlated (a list too high this month is too high
    // next month), so the residuals hold fewer independent pieces of information than their
    // count: the variance is inflated by (1 + rho) / (1 - rho), rho the lag-one autocorrelation
    // of the residuals within each measure.
    double lagged = 0.0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        if (problem.same_series(i, i + 1)) {
            lagged += r0[i] * r0[i + 1];
        }
    }
    const double rho = ssr > 0.0 ? std::clamp(lagged / ssr, 0.0, 0.95) : 0.0;
    const double s2 = ssr / static_cast<double>(n - p) * (1.0 + rho) / (1.0 - rho);
    const Eigen::MatrixXd normal = jacobian.transpose() * jacobian;
    const Eigen::FullPivLU<Eigen::MatrixXd> lu(normal);
    if (!lu.isInvertible()) {
        return;  // a parameter the training months do not inform: no standard error
    }
    const Eigen::MatrixXd inverse = lu.inverse();
    for (std::size_t j = 0; j < p; ++j) {
        const double v = inverse(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(j));
        parameters[j].standard_error = v > 0.0 ? std::sqrt(s2 * v) : kNaN;
    }
}

std::string window_text(const Problem& problem, std::pair<long, long> w) {
    return problem.labels()[static_cast<std::size_t>(w.first)] + " to " +
           problem.labels()[static_cast<std::size_t>(w.second)];
}

// Per-measure scores over a window: mean error (mean absolute, or mean absolute percentage),
// largest error and months within tolerance.
struct Score {
    double mean_error = kNaN;
    double max_error = kNaN;
    int within = 0;
    int months = 0;
};

Score score(const Problem& problem, std::size_t m, const std::vector<double>& model,
            std::pair<long, long> w, long first = 0) {
    Score s;
    double sum = 0.0;
    for (long t = std::max(w.first, first); t <= w.second; ++t) {
        const double e = problem.error(m, model[static_cast<std::size_t>(t)],
                                       problem.observed()[m][static_cast<std::size_t>(t)]);
        if (!std::isfinite(e)) {
            continue;
        }
        sum += std::abs(e);
        s.max_error = std::isfinite(s.max_error) ? std::max(s.max_error, std::abs(e)) : std::abs(e);
        s.within += std::abs(e) <= problem.support().measures[m].tolerance ? 1 : 0;
        ++s.months;
    }
    if (s.months > 0) {
        s.mean_error = sum / s.months;
    }
    return s;
}

std::vector<double> quantile_by_month(const Evaluation& e, std::size_t m, double q) {
    const std::size_t months = e.mean[m].size();
    std::vector<double> out(months, kNaN);
    for (std::size_t t = 0; t < months; ++t) {
        std::vector<double> x;
        for (const MeasureValues& r : e.replications) {
            if (std::isfinite(r[m][t])) {
                x.push_back(r[m][t]);
            }
        }
        if (x.empty()) {
            continue;
        }
        std::sort(x.begin(), x.end());
        // Linear interpolation between order statistics (type 7, as numpy's default).
        const double position = q * static_cast<double>(x.size() - 1);
        const auto below = static_cast<std::size_t>(std::floor(position));
        const std::size_t above = std::min(below + 1, x.size() - 1);
        out[t] = x[below] + (position - static_cast<double>(below)) * (x[above] - x[below]);
    }
    return out;
}

void write_calibration_group(const std::string& path, Problem& problem,
                             const CalibrationOptions& options, const Evaluation& final_run,
                             const CalibrationOutcome& outcome) {
    h5::File file = h5::File::open_read_write(path);
    h5::Group group = file.create_group("calibration");
    const CalibrationSupport& support = problem.support();
    const auto train = problem.train();
    const auto test = problem.test();
    group.set_attribute("observed_file", options.observed);
    group.set_attribute("train_from", problem.labels()[static_cast<std::size_t>(train.first)]);
    group.set_attribute("train_to", problem.labels()[static_cast<std::size_t>(train.second)]);
    group.set_attribute("test_from", problem.labels()[static_cast<std::size_t>(test.first)]);
    group.set_attribute("test_to", problem.labels()[static_cast<std::size_t>(test.second)]);
    group.set_attribute("reference_month", options.reference_month);
    group.set_attribute("objective_measures", problem.objective_measure_names());
    group.set_attribute("objective_initial", outcome.objective_initial);
    group.set_attribute("objective_final", outcome.objective_final);
    group.set_attribute("evaluations", static_cast<std::int64_t>(outcome.evaluations));
    group.set_attribute("seconds", outcome.seconds);
    group.set_attribute("replications_per_evaluation",
                        static_cast<std::int64_t>(options.replications));
    group.set_attribute("naive_projection", support.naive_projection_description);
    group.set_attribute("overlay", options.overlay_path);

    const MeasureValues naive = support.naive_projection(
        problem.observed_table(), problem.labels(), problem.anchor(), train.first, train.second);
    const std::size_t months = problem.labels().size();
    for (const char* name :
         {"observed", "model_mean", "model_p05", "model_p95", "model_standard_error", "naive"}) {
        static_cast<void>(group.create_group(name));
    }
    h5::Group scores = group.create_group("scores");
    for (std::size_t m = 0; m < support.measures.size(); ++m) {
        const MonthlyMeasure& measure = support.measures[m];
        const auto write = [&](const std::string& where, const std::vector<double>& values) {
            h5::Dataset d = group.open_group(where).create_dataset(
                measure.name, h5::ElementType::float64, {months});
            d.write_all(values);
            d.set_attribute("long_name", measure.long_name);
            d.set_attribute("units", measure.units);
        };
        write("observed", problem.observed()[m]);
        write("model_mean", final_run.mean[m]);
        write("model_p05", quantile_by_month(final_run, m, 0.05));
        write("model_p95", quantile_by_month(final_run, m, 0.95));
        write("model_standard_error", final_run.standard_error[m]);
        write("naive", naive[m]);
        h5::Group s = scores.create_group(measure.name);
        s.set_attribute("error", std::string(measure.error == ErrorKind::relative
                                                 ? "relative (mean absolute percentage)"
                                                 : "absolute (mean absolute)"));
        s.set_attribute("tolerance", measure.tolerance);
        for (const auto& [window_name, w] :
             {std::pair<std::string, std::pair<long, long>>{"train", train}, {"test", test}}) {
            const Score model = score(problem, m, final_run.mean[m], w);
            const Score baseline = score(problem, m, naive[m], w);
            s.set_attribute(window_name + "_mean_error", model.mean_error);
            s.set_attribute(window_name + "_max_error", model.max_error);
            s.set_attribute(window_name + "_months_within_tolerance",
                            static_cast<std::int64_t>(model.within));
            s.set_attribute(window_name + "_months", static_cast<std::int64_t>(model.months));
            s.set_attribute(window_name + "_naive_mean_error", baseline.mean_error);
        }
    }
    h5::Group fitted = group.create_group("parameters");
    std::vector<std::string> keys;
    std::vector<double> initial, value, se, lower, upper;
    for (const FittedParameter& p : outcome.parameters) {
        keys.push_back(p.key);
        initial.push_back(p.initial);
        value.push_back(p.value);
        se.push_back(p.standard_error);
        lower.push_back(p.lower_bound);
        upper.push_back(p.upper_bound);
    }
    const std::size_t count = keys.size();
    const auto column = [&](const std::string& name, const auto& values) {
        h5::Dataset d = fitted.create_dataset(
            name,
            std::is_same_v<std::decay_t<decltype(values)>, std::vector<std::string>>
                ? h5::ElementType::string
                : h5::ElementType::float64,
            {count});
        d.write_all(values);
    };
    column("key", keys);
    column("initial", initial);
    column("value", value);
    column("standard_error", se);
    column("bound_lower", lower);
    column("bound_upper", upper);
    h5::Group levers = group.create_group("levers");
    for (const Lever& lever : problem.levers()) {
        std::vector<double> by_month(months, kNaN);
        for (std::size_t k = 0; k < lever.values.size(); ++k) {
            const std::size_t t = static_cast<std::size_t>(lever.first_month) + k;
            if (t < months) {
                by_month[t] = lever.values[k];
            }
        }
        h5::Dataset d = levers.create_dataset(lever.spec.key, h5::ElementType::float64, {months});
        d.write_all(by_month);
        d.set_attribute("measure", lever.spec.measure);
        d.set_attribute("long_name", "fitted monthly multiplier (NaN before its first month)");
        d.set_attribute("units", "1");
    }
    h5::Dataset history = group.create_dataset("objective_by_evaluation", h5::ElementType::float64,
                                               {problem.objective_history().size()});
    history.write_all(problem.objective_history());
    history.set_attribute("long_name",
                          "mean squared tolerance-scaled training residual of each evaluation");
    history.set_attribute("units", "1");
    file.close();
}

std::string overlay_header(const Problem& problem, const CalibrationOptions& options,
                           const CalibrationOutcome& outcome) {
    std::ostringstream out;
    out << "# Fitted by icsflow calibrate (" << utc_timestamp() << "); do not edit by hand.\n"
        << "#   " << options.command_line << "\n"
        << "# Observations: " << options.observed << "\n"
        << "# Training months " << window_text(problem, problem.train()) << "; test months "
        << window_text(problem, problem.test()) << " (never used by the fit).\n"
        << "# " << options.replications
        << " replications per evaluation (common random numbers, seed " << problem.seed() << "), "
        << outcome.evaluations << " evaluations, " << static_cast<long>(outcome.seconds) << " s.\n";
    char text[256];
    std::snprintf(text, sizeof text,
                  "# Objective (mean squared training residual / tolerance): %.4f -> %.4f\n",
                  outcome.objective_initial, outcome.objective_final);
    out << text;
    for (const FittedParameter& p : outcome.parameters) {
        std::snprintf(
            text, sizeof text, "#   %s = %.5g (90%% interval %.5g to %.5g; started at %.5g)\n",
            p.key.c_str(), p.value, std::max(p.lower_bound, p.value - 1.645 * p.standard_error),
            std::min(p.upper_bound, p.value + 1.645 * p.standard_error), p.initial);
        out << text;
    }
    for (const Lever& lever : problem.levers()) {
        out << "#   " << lever.spec.key << ": monthly, fitted to " << lever.spec.measure << "\n";
    }
    out << "\n";
    return out.str();
}

}  // namespace

MonthWindow parse_window(const std::string& text, const std::string& option) {
    const auto colon = text.find(':');
    if (colon == std::string::npos) {
        throw std::invalid_argument(option + ": expected FROM:TO as YYYY-MM:YYYY-MM, got '" + text +
                                    "'");
    }
    MonthWindow w{trim(text.substr(0, colon)), trim(text.substr(colon + 1))};
    for (const std::string& month : {w.from, w.to}) {
        if (month_number(month) < 0) {
            throw std::invalid_argument(option + ": '" + month + "' is not a month (YYYY-MM)");
        }
    }
    if (month_number(w.to) < month_number(w.from)) {
        throw std::invalid_argument(option + ": " + w.to + " is before " + w.from);
    }
    return w;
}

ParameterToFit parse_parameter(const std::string& text) {
    ParameterToFit p;
    const auto equals = text.find('=');
    p.key = trim(text.substr(0, equals));
    if (p.key.empty()) {
        throw std::invalid_argument("--fit: empty parameter name in '" + text + "'");
    }
    if (equals != std::string::npos) {
        const std::string range = text.substr(equals + 1);
        const auto colon = range.find(':');
        if (colon == std::string::npos) {
            throw std::invalid_argument("--fit: bounds of '" + p.key + "' must be LOW:HIGH, got '" +
                                        range + "'");
        }
        p.lower = parse_number(trim(range.substr(0, colon)), "--fit " + p.key);
        p.upper = parse_number(trim(range.substr(colon + 1)), "--fit " + p.key);
    }
    return p;
}

LeverToFit parse_lever(const std::string& text) {
    const auto equals = text.find('=');
    if (equals == std::string::npos) {
        throw std::invalid_argument("--fit-monthly: expected KEY=MEASURE, got '" + text + "'");
    }
    LeverToFit l{trim(text.substr(0, equals)), trim(text.substr(equals + 1))};
    if (l.key.empty() || l.measure.empty()) {
        throw std::invalid_argument("--fit-monthly: expected KEY=MEASURE, got '" + text + "'");
    }
    return l;
}

CalibrationOutcome calibrate(const ModelRegistry& registry, const CalibrationOptions& options,
                             const std::atomic<bool>* cancel) {
    const auto started = std::chrono::steady_clock::now();
    const OverwritePolicy overwrite =
        options.force ? OverwritePolicy::replace : OverwritePolicy::refuse;
    // Both outputs are checked before any work, so a refusal costs nothing.
    prepare_output_path(options.overlay_path, overwrite);
    prepare_output_path(options.results_path, overwrite);
    Problem problem(registry, options, cancel);
    CalibrationOutcome outcome;
    say("calibrate: %zu parameters, %zu monthly levers; training %s, test %s; %llu replications "
        "per evaluation\n",
        problem.parameters().size(), problem.levers().size(),
        window_text(problem, problem.train()).c_str(), window_text(problem, problem.test()).c_str(),
        static_cast<unsigned long long>(options.replications));
    outcome.objective_initial =
        problem.objective(problem.evaluate(problem.current_values(), options.replications));
    problem.record(outcome.objective_initial);
    say("  starting objective %.4f\n", outcome.objective_initial);
    const bool fitting = !problem.parameters().empty() || !problem.levers().empty();
    for (int round = 1; fitting && round <= options.rounds; ++round) {
        say("round %d\n", round);
        fit_levers(problem, options);
        fit_parameters(problem, options);
    }
    if (problem.levers().size() > 0 && options.rounds > 0) {
        fit_levers(problem, options);  // the levers last, so the stops match at the fitted values
    }
    // One evaluation at the fitted values serves the standard errors and the final objective.
    const Evaluation check = problem.evaluate(problem.current_values(), options.replications);
    estimate_standard_errors(problem, options, check);
    outcome.parameters = problem.parameters();
    for (const Lever& lever : problem.levers()) {
        outcome.levers.emplace_back(lever.spec.key, lever.values);
    }

    // The overlay first (it is what the final run runs), then the final run into the results file.
    const std::filesystem::path overlay_path = options.overlay_path;
    const std::string base =
        std::filesystem::relative(std::filesystem::absolute(options.config),
                                  std::filesystem::absolute(overlay_path).parent_path())
            .generic_string();
    outcome.objective_final = problem.objective(check);
    problem.record(outcome.objective_final);
    outcome.evaluations = problem.evaluations();
    outcome.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string overlay_text =
        problem.overlay(problem.current_values(), base, overlay_header(problem, options, outcome));
    if (!overlay_path.parent_path().empty()) {
        std::filesystem::create_directories(overlay_path.parent_path());
    }
    publish_text_file(options.overlay_path, overlay_text, overwrite, "the fitted configuration");
    say("fitted configuration: %s\n", options.overlay_path.c_str());

    LoadedScenario fitted = load_scenario(registry, options.overlay_path);
    Provenance provenance = build_provenance();
    provenance.command_line = options.command_line;
    provenance.model = fitted.run.model;
    provenance.config_path = fitted.config_path;
    provenance.master_seed = problem.seed();
    provenance.replications = options.report_replications;
    provenance.threads = resolve_thread_count(options.threads);
    provenance.uncertainty = fitted.uncertainty();
    ConfigRecord record{fitted.config_path, fitted.config_text, fitted.resolved_text,
                        format_date(fitted.run.start_date), fitted.base_files};
    const std::filesystem::path results_parent =
        std::filesystem::path(options.results_path).parent_path();
    if (!results_parent.empty()) {
        std::filesystem::create_directories(results_parent);
    }
    // Written under another name and renamed once the calibration group is in, so that a file
    // at `results_path` is always complete.
    const std::string unfinished = temporary_path_for(options.results_path) + ".h5";
    Evaluation final_run;
    {
        // The intermediate name is this command's own: a stale one from an earlier, interrupted
        // calibration is replaced.
        ResultsWriter writer(unfinished, fitted.scenario->schema(), provenance, record,
                             OverwritePolicy::replace);
        const auto run_started = std::chrono::steady_clock::now();
        final_run =
            problem.evaluate(problem.current_values(), options.report_replications, &writer);
        BatchReport report;
        report.completed = options.report_replications;
        report.threads = provenance.threads;
        report.wall_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - run_started).count();
        writer.commit(report);
    }
    try {
        write_calibration_group(unfinished, problem, options, final_run, outcome);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(unfinished, ignored);
        throw;
    }
    try {
        publish_results_file(unfinished, options.results_path, overwrite);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(unfinished, ignored);
        throw;
    }
    say("results: %s (%llu replications)\n", options.results_path.c_str(),
        static_cast<unsigned long long>(options.report_replications));

    const CalibrationSupport& support = problem.support();
    const MeasureValues naive =
        support.naive_projection(problem.observed_table(), problem.labels(), problem.anchor(),
                                 problem.train().first, problem.train().second);
    say("\n%-20s %14s %14s %14s %12s\n", "measure", "train error", "test error", "naive (test)",
        "tolerance");
    for (std::size_t m = 0; m < support.measures.size(); ++m) {
        const Score train = score(problem, m, final_run.mean[m], problem.train());
        const Score test = score(problem, m, final_run.mean[m], problem.test());
        const Score baseline = score(problem, m, naive[m], problem.test());
        const bool relative = support.measures[m].error == ErrorKind::relative;
        const double k = relative ? 100.0 : 1.0;
        const char* unit = relative ? "%" : "";
        say("%-20s %13.3g%s %13.3g%s %13.3g%s %11.3g%s\n", support.measures[m].name.c_str(),
            k * train.mean_error, unit, k * test.mean_error, unit, k * baseline.mean_error, unit,
            k * support.measures[m].tolerance, unit);
    }
    for (const FittedParameter& p : outcome.parameters) {
        say("%s = %.5g (standard error %.3g)\n", p.key.c_str(), p.value, p.standard_error);
    }
    return outcome;
}

}  // namespace icsflow::sim::calibration
