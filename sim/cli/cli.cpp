#include "sim/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

#include "sim/analysis/estimates.hpp"
#include "sim/calibration/calibrator.hpp"
#include "sim/cli/cluster_commands.hpp"
#include "sim/cli/compare_command.hpp"
#include "sim/cli/exit_codes.hpp"
#include "sim/cli/option_checks.hpp"
#include "sim/cli/seek_command.hpp"
#include "sim/io/checkpoint.hpp"
#include "sim/io/io_error.hpp"
#include "sim/io/output_path.hpp"
#include "sim/io/provenance.hpp"
#include "sim/io/results_info.hpp"
#include "sim/io/results_writer.hpp"
#include "sim/runner/batch_distributor.hpp"
#include "sim/runner/batch_runner.hpp"
#include "sim/runner/precision.hpp"

namespace icsflow::sim {

namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};

extern "C" void on_terminating_signal(int signal_number) {
    int none = 0;
    g_signal.compare_exchange_strong(none, signal_number);
    g_interrupted.store(true);
}

// Every signal whose default action ends the process (bar the ones that report a fault, and
// SIGKILL/SIGSTOP, which cannot be caught) stops the batch instead, so that the partial results
// file is removed whatever ended the run: a closed terminal (SIGHUP), a scheduler's time limit
// (SIGTERM, SIGXCPU, SIGUSR1/2 on some clusters), Ctrl-C or Ctrl-\. A closed pipe on stdout
// or stderr (SIGPIPE) must not kill the run either: the write fails instead.
void install_signal_handlers() {
    struct sigaction action {};
    action.sa_handler = on_terminating_signal;
    sigemptyset(&action.sa_mask);
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,
                                    SIGXCPU, SIGXFSZ, SIGVTALRM}) {
        sigaction(signal_number, &action, nullptr);
    }
    std::signal(SIGPIPE, SIG_IGN);
}

std::string signal_name(int signal_number) {
    const char* abbreviation = sigabbrev_np(signal_number);
    return abbreviation != nullptr ? std::string("SIG") + abbreviation
                                   : "signal " + std::to_string(signal_number);
}

struct RunOptions {
    std::string config;
    std::optional<std::uint64_t> replications;
    int threads = 0;
    std::optional<std::string> seed;  // text: checked here, so "-1" or 2^64 cannot wrap
    std::string output;
    std::string progress = "auto";
    bool force = false;
    PrecisionOptions precision{};  // precision.relative > 0: replications by precision
    std::uint64_t replication_offset = 0;
    bool resume = false;
    std::string distribution = "chunks";
};

// A command line that parses but asks for something impossible (exit code 2).
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The [run] dictionary's range for `key`: a command-line value obeys the same bounds as the
// configuration's.
const config::ParamSpec& run_spec(const char* key) {
    return *run_dictionary().find(key);
}

// The largest --replication-offset: replication indices are stored as signed 64-bit integers, and
// an offset up to 10^18 plus up to 10^9 replications stays well inside them.
constexpr std::uint64_t kMaxReplicationIndex = 1'000'000'000'000'000'000ULL;

// `text` as a master seed: decimal digits only, within run.seed's range; nothing if it is not.
std::optional<std::uint64_t> seed_from_text(const std::string& text) {
    const bool digits =
        !text.empty() && text.size() <= 20 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
        return std::nullopt;
    }
    errno = 0;
    const unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
    if (errno == ERANGE || static_cast<double>(value) > run_spec("run.seed").max ||
        value > static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max())) {
        return std::nullopt;
    }
    return value;
}

// The command-line check of --seed: empty when `text` is a seed, else why not.
std::string seed_problem(const std::string& text) {
    return seed_from_text(text) ? ""
                                : "'" + text + "' is not a whole number in the range " +
                                      run_spec("run.seed").range_text();
}

std::string join_command_line(int argc, char** argv) {
    std::string text;
    for (int i = 0; i < argc; ++i) {
        text += (i > 0 ? " " : "") + std::string(argv[i]);
    }
    return text;
}

// Where an interrupted batch keeps its finished replications (`--resume` finishes it).
constexpr std::string_view kCheckpointSuffix = ".checkpoint";

std::string checkpoint_path(const std::string& output) {
    return output + std::string(kCheckpointSuffix);
}

std::string default_output_path(const std::string& config_path) {
    const std::string stem = std::filesystem::path(config_path).stem().string();
    return unused_output_path("results/" + stem + "-" + compact_utc_timestamp(), ".h5",
                              {kCheckpointSuffix});
}

// A summary that names a period (the month of a peak): its most frequent label, how often, and
// the range of labels over the replications.
void print_time_index_summary(const OutputSchema& schema, const SummarySpec& spec,
                              const std::vector<double>& values) {
    const TimeAxis* axis = nullptr;
    for (const TimeAxis& candidate : schema.time_axes()) {
        if (candidate.name == spec.index_of_axis) {
            axis = &candidate;
        }
    }
    if (axis == nullptr || values.empty()) {
        return;
    }
    std::map<long, std::size_t> counts;
    for (const double value : values) {
        ++counts[std::lround(value)];
    }
    const auto label = [&](long index) {
        return index >= 0 && static_cast<std::size_t>(index) < axis->labels.size()
                   ? axis->labels[static_cast<std::size_t>(index)]
                   : std::string("?");
    };
    const auto mode = std::max_element(counts.begin(), counts.end(),
                                       [](auto& a, auto& b) { return a.second < b.second; });
    char text[160];
    std::snprintf(text, sizeof text, "%s in %zu of %zu (range %s to %s)",
                  label(mode->first).c_str(), mode->second, values.size(),
                  label(counts.begin()->first).c_str(), label(counts.rbegin()->first).c_str());
    std::printf("%-60s %s\n", spec.long_name.c_str(), text);
}

void print_summary(const LoadedScenario& loaded, const ResultsWriter& writer,
                   const BatchReport& report) {
    const OutputSchema& schema = loaded.scenario->schema();
    const std::string layout =
        (report.ranks > 1 ? std::to_string(report.ranks) + " ranks x " : std::string()) +
        std::to_string(report.threads) + " threads";
    std::printf(
        "%s: %llu replications of %s (%s to %s), %s, %.2f s, %.3g events/s\n",
        writer.path().c_str(), static_cast<unsigned long long>(writer.replications_written()),
        loaded.run.model.c_str(), format_date(loaded.run.start_date).c_str(),
        format_date(loaded.run.end_date).c_str(), layout.c_str(), report.wall_seconds,
        report.wall_seconds > 0 ? static_cast<double>(report.events) / report.wall_seconds : 0.0);
    bool header = false;
    for (std::size_t s = 0; s < schema.summaries().size(); ++s) {
        const SummarySpec& spec = schema.summaries()[s];
        if (!spec.headline) {
            continue;
        }
        if (!header) {
            std::printf("%-60s %14s %14s\n", "summary (mean over replications)", "mean",
                        "95% half-width");
            header = true;
        }
        if (!spec.index_of_axis.empty()) {
            print_time_index_summary(schema, spec, writer.summary_values(s));
            continue;
        }
        if (spec.indicator) {
            // A probability: its Wilson interval, which has width even when every replication
            // met the target (never "1 +- 0").
            const ProbabilityEstimate p = estimate_probability(writer.summary_values(s));
            char text[96];
            std::snprintf(text, sizeof text, "P = %.3f [%.3f, %.3f], %zu of %zu", p.probability,
                          p.interval.low, p.interval.high, p.successes, p.n);
            std::printf("%-60s %s\n", spec.long_name.c_str(), text);
            continue;
        }
        const Moments& m = writer.summary_moments()[s];
        const double half_width = 1.96 * m.standard_error();
        std::string label = spec.long_name;
        if (!spec.units.empty() && spec.units != "1") {
            label += " (" + spec.units + ")";
        }
        std::printf("%-60s %14.4g %14.3g\n", label.c_str(), m.mean(), half_width);
    }
}

// The replications of the batch that `checkpoint` already holds, in order.
std::vector<std::uint64_t> finished_in(const BatchOptions& batch, const Checkpoint& checkpoint) {
    std::vector<std::uint64_t> done;
    for (const auto& [replication, record] : checkpoint.finished()) {
        if (replication >= batch.first_replication &&
            replication - batch.first_replication < batch.replications) {
            done.push_back(replication);
        }
    }
    return done;
}

// After a run that was interrupted or failed (a write error, a replication that threw): a
// checkpoint that holds finished replications is kept for --resume, and said so; an empty one
// would only block the next run of this output.
void keep_or_remove_checkpoint(Checkpoint& checkpoint, const BatchOptions& batch,
                               const char* line_end) {
    if (checkpoint.finished().empty()) {
        checkpoint.remove();
        return;
    }
    std::cerr << "\nicsflow: " << checkpoint.finished().size() << " of " << batch.replications
              << " replications finished and are kept in " << checkpoint.path()
              << "; run again with --resume to finish the batch" << line_end;
}

// Rank 0's part of a run: the checkpoint, the results file, and the batch feeding both.
BatchReport run_into_file(const LoadedScenario& loaded, const RunOptions& options,
                          BatchOptions batch, const Provenance& provenance,
                          const std::string& output, double setup_seconds,
                          OverwritePolicy overwrite, BatchDistributor& distributor,
                          std::optional<ResultsWriter>& writer) {
    ConfigRecord record{loaded.config_path, loaded.config_text, loaded.resolved_text,
                        format_date(loaded.run.start_date), loaded.base_files};
    writer.emplace(output, loaded.scenario->schema(), provenance, record, overwrite);
    const std::string identity =
        checkpoint_identity(loaded.run.model, batch.master_seed, batch.first_replication,
                            batch.replications, loaded.resolved_text);
    const std::string kept = checkpoint_path(output);
    const bool resuming = options.resume && std::filesystem::exists(kept);
    Checkpoint checkpoint =
        resuming ? Checkpoint::reopen(kept, identity) : Checkpoint::start(kept, identity);
    if (resuming) {
        std::cerr << "icsflow: resuming from " << kept << ": " << checkpoint.finished().size()
                  << " of " << batch.replications << " replications already finished\n";
    }
    std::vector<std::uint64_t> done = finished_in(batch, checkpoint);
    distributor.share(done);
    batch.skip = std::move(done);

    CheckpointedSink sink(checkpoint, loaded.scenario->schema(), *writer);
    try {
        BatchReport report = distributor.run(*loaded.scenario, batch, &sink, &g_interrupted);
        sink.finish();
        if (sink.replayed() > 0) {
            std::cerr << "icsflow: " << sink.replayed() << " replications taken from " << kept
                      << ", " << report.completed << " computed now\n";
        }
        report.setup_seconds = setup_seconds;
        writer->commit(report);
        checkpoint.remove();
        return report;
    } catch (const OutputTakenError&) {
        // Another run published this results file first: these results are refused, so their
        // checkpoint is not left to be resumed into (or to block) that run's file.
        checkpoint.remove();
        throw;
    } catch (const BatchCancelled&) {
        // The message that follows ("interrupted by ...") starts a line of its own.
        keep_or_remove_checkpoint(checkpoint, batch, "");
        throw;
    } catch (...) {
        keep_or_remove_checkpoint(checkpoint, batch, "\n");
        throw;
    }
}

int command_run(const RunOptions& options, const ModelRegistry& registry,
                const std::string& command_line, BatchDistributor& distributor) {
    // Installed before the results file is created: a signal from the moment the partial file
    // exists must reach the batch (which then stops and removes the partial file), not kill the
    // process with the partial file left behind.
    install_signal_handlers();
    const auto setup_start = std::chrono::steady_clock::now();
    LoadedScenario loaded = load_scenario(registry, options.config);
    const std::uint64_t replications = options.replications.value_or(loaded.run.replications);
    const std::uint64_t seed = options.seed ? *seed_from_text(*options.seed) : loaded.run.seed;
    const int threads = resolve_thread_count(options.threads);
    if (options.precision.relative > 0.0 &&
        (distributor.ranks() > 1 || options.resume || options.replication_offset > 0)) {
        throw UsageError(
            "--precision runs in one process from replication 0: it cannot be "
            "combined with MPI ranks, --resume or --replication-offset");
    }
    if (options.resume && options.output.empty()) {
        throw UsageError("--resume needs the results file of the interrupted run (-o FILE.h5)");
    }
    const std::string output =
        options.output.empty() ? default_output_path(options.config) : options.output;

    BatchOptions batch;
    batch.master_seed = seed;
    batch.first_replication = options.replication_offset;
    batch.replications = replications;
    batch.threads = threads;
    batch.distribution = distribution_policy_from_string(options.distribution);
    if (distributor.rank() != 0) {
        std::vector<std::uint64_t> done;
        distributor.share(done);
        batch.skip = std::move(done);
        batch.progress = ProgressMode::none;
        distributor.run(*loaded.scenario, batch, nullptr, &g_interrupted);
        return kExitOk;
    }
    batch.progress = progress_mode_from_string(options.progress);

    const OverwritePolicy overwrite =
        options.force ? OverwritePolicy::replace : OverwritePolicy::refuse;
    prepare_output_path(output, overwrite);

    Provenance provenance = build_provenance();
    provenance.command_line = command_line;
    provenance.model = loaded.run.model;
    provenance.config_path = loaded.config_path;
    provenance.master_seed = seed;
    provenance.replications = replications;
    provenance.first_replication = options.replication_offset;
    provenance.threads = threads;
    provenance.uncertainty = loaded.uncertainty();
    provenance.mpi_ranks = distributor.ranks();
    const double setup_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_start).count();

    if (options.precision.relative > 0.0) {
        // Replications in blocks until the headline figures are precise enough; the file then
        // holds exactly what a fixed run of that many replications holds.
        PrecisionRun run =
            run_to_precision(*loaded.scenario, batch, options.precision, &g_interrupted);
        provenance.replications = run.sink.results.size();
        const ConfigRecord record{loaded.config_path, loaded.config_text, loaded.resolved_text,
                                  format_date(loaded.run.start_date), loaded.base_files};
        ResultsWriter writer(output, loaded.scenario->schema(), provenance, record, overwrite);
        for (std::size_t i = 0; i < run.sink.results.size(); ++i) {
            writer.consume(run.sink.replications[i], std::move(run.sink.results[i]));
        }
        writer.commit(run.report);
        print_summary(loaded, writer, run.report);
        std::printf("%s after %llu replications: %s\n",
                    run.met ? "precision reached" : "precision NOT reached (cap)",
                    static_cast<unsigned long long>(run.sink.results.size()),
                    run.least_precise.c_str());
        return kExitOk;
    }

    std::optional<ResultsWriter> writer;
    const BatchReport report = run_into_file(loaded, options, batch, provenance, output,
                                             setup_seconds, overwrite, distributor, writer);
    print_summary(loaded, *writer, report);
    return kExitOk;
}

struct CalibrateOptions {
    calibration::CalibrationOptions fit;
    std::string parameters;  // comma-separated
    std::string levers;      // comma-separated
    std::string train;
    std::string test;
    std::string measures;
};

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ',')) {
        if (!item.empty()) {
            items.push_back(item);
        }
    }
    return items;
}

int command_calibrate(CalibrateOptions options, const ModelRegistry& registry,
                      const std::string& command_line) {
    install_signal_handlers();
    calibration::CalibrationOptions& fit = options.fit;
    fit.command_line = command_line;
    for (const std::string& item : split_list(options.parameters)) {
        fit.parameters.push_back(calibration::parse_parameter(item));
    }
    for (const std::string& item : split_list(options.levers)) {
        fit.levers.push_back(calibration::parse_lever(item));
    }
    fit.train = calibration::parse_window(options.train, "--train");
    fit.test = calibration::parse_window(options.test, "--test");
    if (!options.measures.empty()) {
        fit.objective_measures = split_list(options.measures);
        fit.objective_measures_named = true;
    }
    const std::string stem = std::filesystem::path(fit.config).stem().string();
    if (fit.overlay_path.empty()) {
        fit.overlay_path =
            (std::filesystem::path(fit.config).parent_path() / (stem + "-fitted.toml")).string();
    }
    if (fit.results_path.empty()) {
        fit.results_path = unused_output_path(
            "results/" + stem + "-calibration-" + compact_utc_timestamp(), ".h5");
    }
    calibration::calibrate(registry, fit, &g_interrupted);
    return kExitOk;
}

int command_validate(const std::string& config, const ModelRegistry& registry) {
    const LoadedScenario loaded = load_scenario(registry, config);
    const OutputSchema& schema = loaded.scenario->schema();
    std::printf(
        "%s: valid %s configuration (%s to %s, %llu replications, seed %llu); "
        "%zu series, %zu summaries\n",
        config.c_str(), loaded.run.model.c_str(), format_date(loaded.run.start_date).c_str(),
        format_date(loaded.run.end_date).c_str(),
        static_cast<unsigned long long>(loaded.run.replications),
        static_cast<unsigned long long>(loaded.run.seed), schema.series().size(),
        schema.summaries().size());
    return kExitOk;
}

int command_params(const std::string& model_name, const ModelRegistry& registry) {
    std::cout << run_dictionary().to_markdown("[run]: every configuration") << '\n';
    for (const std::string& name : registry.names()) {
        if (!model_name.empty() && name != model_name) {
            continue;
        }
        const ModelInfo* model = registry.find(name);
        std::cout << model->dictionary.to_markdown("model `" + name + "`: " + model->description)
                  << '\n';
    }
    if (!model_name.empty() && registry.find(model_name) == nullptr) {
        std::cerr << "icsflow: no model named '" << model_name << "'\n";
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace

int run_command_line(int argc, char** argv, const ModelRegistry& registry) {
    SingleProcess single;
    return run_command_line(argc, argv, registry, single);
}

namespace {

int run_subcommand(int argc, char** argv, const ModelRegistry& registry,
                   BatchDistributor& distributor) {
    CLI::App app{
        "icsflow: parallel discrete-event simulation of patient flow in an integrated "
        "care system"};
    app.require_subcommand(1);
    app.set_version_flag("--version", version_banner());

    RunOptions run_options;
    CLI::App* run = app.add_subcommand("run", "Run a batch of replications and write HDF5 results");
    run->add_option("config", run_options.config, "Configuration file (TOML)")->required();
    const config::ParamSpec& replications_spec = run_spec("run.replications");
    CLI::Option* replications_option =
        run->add_option("-r,--replications", run_options.replications,
                        "Replications (default: run.replications of the config)")
            ->check(CLI::Range(static_cast<std::uint64_t>(replications_spec.min),
                               static_cast<std::uint64_t>(replications_spec.max)));
    run->add_option("--threads", run_options.threads, "Worker threads (default: all cores)")
        ->check(CLI::Range(0, kMaxThreads));
    run->add_option("--seed", run_options.seed, "Master seed (default: run.seed of the config)")
        ->check(seed_problem);
    run->add_option("-o,--output", run_options.output,
                    "Results file (default: results/<config-name>-<UTC timestamp>.h5); a regular "
                    "file that does not exist yet, unless --force");
    run->add_flag("--force", run_options.force,
                  "Replace the results file if it exists (never a link, directory or device)");
    run->add_option("--progress", run_options.progress, "Progress display on stderr")
        ->check(CLI::IsMember({"auto", "bar", "lines", "none"}));
    CLI::Option* precision_option =
        run->add_option("--precision", run_options.precision.relative,
                        "Add replications in blocks until every headline mean's 95% half-width "
                        "is at most this share of the mean (0.01 = 1%)")
            ->check(finite_number_in(0.0, 1.0, true))
            ->excludes(replications_option);
    const auto max_replications = static_cast<std::uint64_t>(replications_spec.max);
    run->add_option("--probability-precision", run_options.precision.probability_points,
                    "... and every target probability's 95% half-width at most this many points "
                    "(default 0.05)")
        ->check(finite_number_in(0.0, 1.0, true))
        ->needs(precision_option);
    run->add_option("--block", run_options.precision.block,
                    "Replications added per block with --precision (default 10)")
        ->check(whole_number_in(1, max_replications))
        ->needs(precision_option);
    run->add_option("--max-replications", run_options.precision.max_replications,
                    "Cap on replications with --precision (default 500)")
        ->check(whole_number_in(1, max_replications))
        ->needs(precision_option);

    SeekOptions seek_options;
    std::string seek_range;
    std::string seek_targets;
    CLI::App* seek = app.add_subcommand(
        "seek", "Find the smallest lever value that meets targets with a given probability");
    seek->add_option("config", seek_options.config, "Configuration file (TOML)")->required();
    seek->add_option("--lever", seek_options.lever,
                     "The number to vary, as a key path: e.g. capacity_changes[-1].multiplier, "
                     "queueing.stages[0].servers")
        ->required();
    seek->add_option("--range", seek_range, "LOW:HIGH")->required();
    seek->add_option("--target", seek_targets, "Target names, comma-separated")->required();
    seek->add_option("--probability", seek_options.probability,
                     "Wanted probability that every target is met (default 0.9)")
        ->check(CLI::Range(0.0, 1.0));
    seek->add_option("--resolution", seek_options.resolution,
                     "Stop when the answer is bracketed this closely (default: 1/64 of the "
                     "range; whole-number levers: 1)")
        ->check(finite_number_in(0.0, 1e300, false));
    seek->add_option("-r,--replications", seek_options.replications,
                     "Replications per evaluation (default: run.replications of the config)")
        ->check(
            whole_number_in(static_cast<std::uint64_t>(replications_spec.min), max_replications));
    seek->add_option("--seed", seek_options.seed, "Master seed (default: run.seed of the config)")
        ->check(seed_problem);
    seek->add_option("--threads", seek_options.threads, "Worker threads (default: all cores)")
        ->check(CLI::Range(0, kMaxThreads));
    seek->add_option("-o,--output", seek_options.output,
                     "Evaluations as JSON (default: results/seek-<config-name>-<UTC time>.json)");
    seek->add_flag("--force", seek_options.force,
                   "Replace the output file if it exists (never a link, directory or device)");

    run->add_option("--replication-offset", run_options.replication_offset,
                    "Index of the first replication: computes replications K..K+R-1 of the "
                    "whole batch (job arrays; join the parts with `icsflow merge`)")
        ->check(whole_number_in(0, kMaxReplicationIndex));
    run->add_flag("--resume", run_options.resume,
                  "Finish an interrupted batch from its checkpoint (<output>.checkpoint)");
    run->add_option("--distribution", run_options.distribution,
                    "How MPI ranks share replications: chunks (on request) or blocks (default: "
                    "chunks)")
        ->check(CLI::IsMember({"blocks", "chunks"}));

    MergeOptions merge_options;
    CLI::App* merge = app.add_subcommand(
        "merge", "Join results files of disjoint replication ranges of one batch into one file");
    merge->add_option("parts", merge_options.parts, "Results files (HDF5)")->required();
    merge->add_option("-o,--output", merge_options.output, "Merged results file")->required();
    merge->add_flag("--force", merge_options.force,
                    "Replace the output file if it exists (never a link, directory or device)");

    // Parsed by the planner program itself (exec_plan_cluster): everything after the name.
    CLI::App* plan = app.add_subcommand(
        "plan-cluster",
        "Predict a batch's wall time on a cluster (SimGrid) for several ranks x threads "
        "layouts; `icsflow plan-cluster --help` for its options");
    plan->prefix_command();
    plan->set_help_flag();

    std::string validate_config;
    CLI::App* validate = app.add_subcommand("validate",
                                            "Check a configuration and report every "
                                            "problem with file, line and key");
    validate->add_option("config", validate_config, "Configuration file (TOML)")->required();

    std::string info_file;
    CLI::App* info =
        app.add_subcommand("info", "Show the provenance and contents of a results file");
    info->add_option("file", info_file, "Results file (HDF5)")->required();

    std::string params_model;
    CLI::App* params = app.add_subcommand(
        "params", "Print the parameter dictionary (Markdown) of every model, or of one");
    params->add_option("model", params_model, "Model name");

    CLI::App* models = app.add_subcommand("models", "List the models this program can run");

    CalibrateOptions calibrate_options;
    calibration::CalibrationOptions& fit = calibrate_options.fit;
    CLI::App* calibrate = app.add_subcommand(
        "calibrate",
        "Fit parameters and monthly levers to observed monthly series on a training window, "
        "score on a test window, and write the fitted configuration as an overlay");
    calibrate->add_option("config", fit.config, "Configuration file (TOML) to fit")->required();
    calibrate
        ->add_option("--observed", fit.observed,
                     "Observed monthly series (CSV, docs/calibration.md)")
        ->required();
    calibrate->add_option("--fit", calibrate_options.parameters,
                          "Parameters to fit: KEY or KEY=LOW:HIGH, comma-separated");
    calibrate->add_option("--fit-monthly", calibrate_options.levers,
                          "Monthly levers to fit to a measure: KEY=MEASURE, comma-separated");
    calibrate->add_option("--train", calibrate_options.train, "Training months FROM:TO (YYYY-MM)")
        ->required();
    calibrate->add_option("--test", calibrate_options.test, "Test months FROM:TO, never fitted")
        ->required();
    calibrate->add_option("--reference", fit.reference_month,
                          "Month the ratios are taken to (default 2020-02)");
    calibrate->add_option("--measures", calibrate_options.measures,
                          "Measures in the objective, comma-separated (default: list_ratio, "
                          "within_18_weeks, over_52_per_1000, median_wait)");
    calibrate->add_option("-r,--replications", fit.replications, "Replications per evaluation")
        ->check(CLI::Range(2, 1000));
    calibrate
        ->add_option("--report-replications", fit.report_replications,
                     "Replications of the final run written to the results file")
        ->check(CLI::Range(2, 100000));
    calibrate->add_option("--seed", fit.seed, "Master seed (default: run.seed of the config)")
        ->check(seed_problem);
    calibrate->add_option("--threads", fit.threads, "Worker threads (default: all cores)")
        ->check(CLI::Range(0, kMaxThreads));
    calibrate->add_option("--max-evaluations", fit.max_evaluations, "Evaluations per parameter fit")
        ->check(CLI::Range(1, 100000));
    calibrate->add_option("--rounds", fit.rounds, "Rounds of lever fit then parameter fit")
        ->check(CLI::Range(0, 20));
    calibrate->add_option("-o,--output", fit.overlay_path,
                          "Fitted configuration (default: <config>-fitted.toml beside it)");
    calibrate->add_flag("--force", fit.force,
                        "Replace an existing fitted configuration or results file");
    calibrate->add_option(
        "--results", fit.results_path,
        "Results of the fitted model (default: results/<config>-calibration-<UTC timestamp>.h5)");

    CompareOptions compare_options;
    CLI::App* compare = app.add_subcommand(
        "compare",
        "Compare scenarios run with one seed: means, 90% ranges, probabilities of targets and "
        "paired differences from the first file");
    compare
        ->add_option("files", compare_options.files,
                     "Results files (HDF5), the first is the "
                     "reference")
        ->required()
        ->expected(2, -1);
    compare->add_option("--labels", compare_options.labels,
                        "A label per file (default: file names)");
    compare->add_option("--format", compare_options.format, "Output format")
        ->check(CLI::IsMember({"table", "csv", "json", "md"}));
    compare->add_flag("--all", compare_options.all, "Every summary, not only the headline ones");

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);  // --help, --version
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }

    // Under MPI a rank that fails must take the others down with it (they would wait for it),
    // except for configuration and usage errors, which every rank finds alike and which rank 0
    // alone prints.
    const bool speaks = distributor.rank() == 0;
    const auto fail = [&](int code) {
        distributor.abort_all(code);
        return code;
    };
    try {
        if (run->parsed()) {
            return command_run(run_options, registry, join_command_line(argc, argv), distributor);
        }
        if (merge->parsed()) {
            merge_options.command_line = join_command_line(argc, argv);
            install_signal_handlers();
            return command_merge(merge_options, &g_interrupted);
        }
        if (plan->parsed()) {
            exec_plan_cluster(plan->remaining());
        }
        if (validate->parsed()) {
            return command_validate(validate_config, registry);
        }
        if (calibrate->parsed()) {
            return command_calibrate(calibrate_options, registry, join_command_line(argc, argv));
        }
        if (info->parsed()) {
            describe_results_file_contained(info_file, std::cout);
            return kExitOk;
        }
        if (params->parsed()) {
            return command_params(params_model, registry);
        }
        if (seek->parsed()) {
            try {
                parse_range(seek_range, seek_options.low, seek_options.high);
                std::size_t begin = 0;
                while (begin <= seek_targets.size()) {
                    const std::size_t comma =
                        std::min(seek_targets.find(',', begin), seek_targets.size());
                    if (comma > begin) {
                        seek_options.targets.push_back(seek_targets.substr(begin, comma - begin));
                    }
                    begin = comma + 1;
                }
                if (seek_options.output.empty()) {
                    seek_options.output = unused_output_path(
                        "results/seek-" +
                            std::filesystem::path(seek_options.config).stem().string() + "-" +
                            compact_utc_timestamp(),
                        ".json");
                }
                install_signal_handlers();
                return command_seek(seek_options, registry, &g_interrupted);
            } catch (const std::invalid_argument& e) {
                std::cerr << "icsflow seek: " << e.what() << '\n';
                return kExitUsage;
            }
        }
        if (compare->parsed()) {
            if (!compare_options.labels.empty() &&
                compare_options.labels.size() != compare_options.files.size()) {
                std::cerr << "icsflow: --labels needs one label per file ("
                          << compare_options.files.size() << ")\n";
                return kExitUsage;
            }
            command_compare(compare_options, std::cout);
            return kExitOk;
        }
        if (models->parsed()) {
            for (const std::string& name : registry.names()) {
                std::printf("%-12s %s\n", name.c_str(), registry.find(name)->description.c_str());
            }
            return kExitOk;
        }
    } catch (const config::ConfigError& e) {
        if (speaks) {
            std::cerr << e.what();
            std::cerr << "icsflow: the configuration has " << e.issues().size()
                      << (e.issues().size() == 1 ? " error\n" : " errors\n");
        }
        return kExitInvalidConfig;  // the same on every rank: each ends by itself
    } catch (const config::ConfigFileError& e) {
        if (speaks) {
            std::cerr << "icsflow: " << e.what() << '\n';
        }
        return fail(kExitIoError);
    } catch (const UsageError& e) {
        if (speaks) {
            std::cerr << "icsflow: " << e.what() << '\n';
        }
        return kExitUsage;  // the same on every rank
    } catch (const IoError& e) {
        std::cerr << "icsflow: " << e.what() << '\n';
        return fail(kExitIoError);
    } catch (const std::invalid_argument& e) {
        std::cerr << "icsflow: " << e.what() << '\n';
        return fail(kExitUsage);
    } catch (const std::filesystem::filesystem_error& e) {
        std::cerr << "icsflow: " << e.what() << '\n';
        return fail(kExitIoError);
    } catch (const UnpairableResults& e) {
        std::cerr << "icsflow: " << e.what() << '\n';
        return fail(kExitNotComparable);
    } catch (const BatchCancelled&) {
        // Every rank has stopped together (the batch ends on all of them): no abort needed.
        if (speaks) {
            const int signal_number = g_signal.load();
            std::cerr << "\nicsflow: interrupted by "
                      << (signal_number != 0 ? signal_name(signal_number)
                                             : std::string("a signal to another rank"))
                      << "; no results file was written\n";
        }
        return kExitFailure;
    } catch (const std::exception& e) {
        std::cerr << "icsflow: error: " << e.what() << '\n';
        return fail(kExitFailure);
    }
    return kExitUsage;
}

// Output that could not be written (a full disk behind `> table.csv`, a closed pipe) is a
// failure to write a file (exit 4), not a success with the table lost.
int finish_standard_output(int code) {
    std::cout.flush();
    const bool failed = !std::cout.good() || std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
    if (failed && code == kExitOk) {
        std::cerr << "icsflow: cannot write the standard output: " << std::strerror(errno) << '\n';
        return kExitIoError;
    }
    return code;
}

}  // namespace

int run_command_line(int argc, char** argv, const ModelRegistry& registry,
                     BatchDistributor& distributor) {
    return finish_standard_output(run_subcommand(argc, argv, registry, distributor));
}

}  // namespace icsflow::sim
