#include "sim/cli/seek_command.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "sim/analysis/lever_search.hpp"
#include "sim/cli/exit_codes.hpp"
#include "sim/config/config_document.hpp"
#include "sim/io/io_error.hpp"
#include "sim/io/json_text.hpp"
#include "sim/io/output_path.hpp"
#include "sim/runner/summary_sink.hpp"

namespace icsflow::sim {

namespace {

// Indices of the summaries target_<name>_met; a ConfigError-like usage error when one is absent.
std::vector<std::size_t> target_summaries(const OutputSchema& schema,
                                          const std::vector<std::string>& names) {
    std::vector<std::size_t> ids;
    for (const std::string& name : names) {
        bool found = false;
        for (std::size_t s = 0; s < schema.summaries().size(); ++s) {
            if (schema.summaries()[s].name == "target_" + name + "_met") {
                ids.push_back(s);
                found = true;
            }
        }
        if (!found) {
            std::string known;
            for (const SummarySpec& spec : schema.summaries()) {
                if (spec.indicator && spec.name.rfind("target_", 0) == 0) {
                    known +=
                        (known.empty() ? "" : ", ") + spec.name.substr(7, spec.name.size() - 7 - 4);
                }
            }
            throw std::invalid_argument("the configuration has no target named '" + name +
                                        "' (its targets: " + (known.empty() ? "none" : known) +
                                        ")");
        }
    }
    return ids;
}

LeverEvaluation evaluate_lever(const SeekOptions& options, const ModelRegistry& registry,
                               double lever, const std::atomic<bool>* cancel) {
    const auto started = std::chrono::steady_clock::now();
    LoadedScenario loaded = load_scenario(registry, options.config, {{options.lever, lever}});
    const std::vector<std::size_t> ids =
        target_summaries(loaded.scenario->schema(), options.targets);
    BatchOptions batch;
    batch.master_seed = options.seed.value_or(loaded.run.seed);
    batch.replications = options.replications.value_or(loaded.run.replications);
    batch.threads = resolve_thread_count(options.threads);
    batch.progress = ProgressMode::none;
    SummarySink sink(loaded.scenario->schema().summaries().size());
    static_cast<void>(run_batch(*loaded.scenario, batch, sink, cancel));
    // A replication meets the targets when every named one is met.
    std::vector<double> all(batch.replications, 1.0);
    for (const std::size_t id : ids) {
        const std::vector<double>& met = sink.values(id);
        for (std::size_t r = 0; r < all.size(); ++r) {
            if (met[r] == 0.0) {
                all[r] = 0.0;
            } else if (std::isnan(met[r]) && all[r] != 0.0) {
                all[r] = NAN;
            }
        }
    }
    LeverEvaluation evaluation;
    evaluation.lever = lever;
    evaluation.probability = estimate_probability(all);
    evaluation.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("  %-14.6g P(all met) = %.3f [%.3f, %.3f]  (%zu of %zu replications, %.1f s)\n",
                lever, evaluation.probability.probability, evaluation.probability.interval.low,
                evaluation.probability.interval.high, evaluation.probability.successes,
                evaluation.probability.n, evaluation.seconds);
    std::fflush(stdout);
    return evaluation;
}

// The search as JSON, published in one step (never over a file that appeared meanwhile unless
// --force), so a failed write leaves nothing.
void write_json(const SeekOptions& options, const LeverSearchResult& result, bool integer,
                double total_seconds, std::uint64_t replications, std::uint64_t seed) {
    const auto number = [](double v) {
        char text[40];
        std::snprintf(text, sizeof text, "%.10g", v);
        return std::isfinite(v) ? std::string(text) : std::string("null");
    };
    std::ostringstream out;
    out << "{\n  \"config\": " << json_string(options.config)
        << ",\n  \"lever\": " << json_string(options.lever) << ",\n  \"range\": ["
        << number(options.low) << ", " << number(options.high)
        << "],\n  \"integer\": " << (integer ? "true" : "false") << ",\n  \"targets\": [";
    for (std::size_t i = 0; i < options.targets.size(); ++i) {
        out << (i > 0 ? ", " : "") << json_string(options.targets[i]);
    }
    out << "],\n  \"probability\": " << number(options.probability)
        << ",\n  \"replications\": " << replications << ",\n  \"seed\": " << seed
        << ",\n  \"found\": " << (result.found ? "true" : "false")
        << ",\n  \"answer\": " << (result.found ? number(result.answer) : "null")
        << ",\n  \"clearly_missed\": "
        << (result.clearly_missed ? number(*result.clearly_missed) : std::string("null"))
        << ",\n  \"clearly_met\": "
        << (result.clearly_met ? number(*result.clearly_met) : std::string("null"))
        << ",\n  \"seconds\": " << number(total_seconds) << ",\n  \"evaluations\": [\n";
    for (std::size_t i = 0; i < result.evaluations.size(); ++i) {
        const LeverEvaluation& e = result.evaluations[i];
        out << "    {\"lever\": " << number(e.lever)
            << ", \"probability\": " << number(e.probability.probability)
            << ", \"low\": " << number(e.probability.interval.low)
            << ", \"high\": " << number(e.probability.interval.high)
            << ", \"met\": " << e.probability.successes << ", \"n\": " << e.probability.n
            << ", \"seconds\": " << number(e.seconds) << "}"
            << (i + 1 < result.evaluations.size() ? "," : "") << "\n";
    }
    out << "  ]\n}\n";
    publish_text_file(options.output, out.str(),
                      options.force ? OverwritePolicy::replace : OverwritePolicy::refuse,
                      "the search's evaluations");
}

// Refuses a lever range the configuration cannot take at either end (a server count of 0, a
// share above 1), before any evaluation runs.
void check_range_accepted(const SeekOptions& options, const ModelRegistry& registry) {
    for (const double value : {options.low, options.high}) {
        try {
            static_cast<void>(load_scenario(registry, options.config, {{options.lever, value}}));
        } catch (const config::ConfigError& e) {
            std::ostringstream text;
            text << "--range: " << options.lever << " = " << value
                 << " is not a value the configuration accepts: "
                 << (e.issues().empty() ? std::string(e.what()) : e.issues().front().message);
            throw std::invalid_argument(text.str());
        }
    }
}

}  // namespace

void parse_range(const std::string& text, double& low, double& high) {
    const std::size_t colon = text.find(':');
    if (colon == std::string::npos) {
        throw std::invalid_argument("--range: expected LOW:HIGH, got '" + text + "'");
    }
    try {
        std::size_t used = 0;
        low = std::stod(text.substr(0, colon), &used);
        if (used != colon) {
            throw std::invalid_argument("trailing text");
        }
        high = std::stod(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1) {
            throw std::invalid_argument("trailing text");
        }
    } catch (const std::exception&) {
        throw std::invalid_argument("--range: expected LOW:HIGH, got '" + text + "'");
    }
    if (!std::isfinite(low) || !std::isfinite(high)) {
        throw std::invalid_argument("--range: LOW and HIGH must be finite numbers, got '" + text +
                                    "'");
    }
    if (!(low < high)) {
        throw std::invalid_argument("--range: LOW must be below HIGH, got '" + text + "'");
    }
}

int command_seek(const SeekOptions& options, const ModelRegistry& registry,
                 const std::atomic<bool>* cancel) {
    const auto started = std::chrono::steady_clock::now();
    // Read once first: a bad configuration, lever or target name fails before any batch runs.
    config::ConfigDocument document = config::ConfigDocument::load_file(options.config);
    const bool integer = document.holds_integer(options.lever);
    const LoadedScenario probe = load_scenario(registry, options.config);
    static_cast<void>(target_summaries(probe.scenario->schema(), options.targets));
    check_range_accepted(options, registry);
    prepare_output_path(options.output,
                        options.force ? OverwritePolicy::replace : OverwritePolicy::refuse);
    const std::uint64_t replications = options.replications.value_or(probe.run.replications);
    const std::uint64_t seed = options.seed.value_or(probe.run.seed);

    std::printf("seek %s: smallest %s in [%g, %g] with P(every target met) >= %g\n",
                options.config.c_str(), options.lever.c_str(), options.low, options.high,
                options.probability);
    std::printf("  %llu replications per value, seed %llu (the same at every value)\n",
                static_cast<unsigned long long>(replications),
                static_cast<unsigned long long>(seed));
    LeverSearchOptions search;
    search.low = options.low;
    search.high = options.high;
    search.probability = options.probability;
    search.integer = integer;
    search.resolution = options.resolution;
    const LeverSearchResult result = search_smallest_lever(
        [&](double lever) { return evaluate_lever(options, registry, lever, cancel); }, search);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (result.found) {
        std::printf("answer: %s = %g\n", options.lever.c_str(), result.answer);
        std::printf("  uncertainty (95%% intervals of the evaluations): ");
        if (result.clearly_missed) {
            std::printf("above %g (P clearly below %g there)", *result.clearly_missed,
                        options.probability);
        } else {
            std::printf("no value was clearly short of %g", options.probability);
        }
        if (result.clearly_met) {
            std::printf("; at most %g (P clearly at least %g there)\n", *result.clearly_met,
                        options.probability);
        } else {
            std::printf("; no value clearly reached %g: more replications would say which\n",
                        options.probability);
        }
    } else {
        std::printf("answer: none in the range: even %s = %g misses P >= %g\n",
                    options.lever.c_str(), options.high, options.probability);
    }
    std::printf("%zu evaluations, %.1f s; written to %s\n", result.evaluations.size(), seconds,
                options.output.c_str());
    write_json(options, result, integer, seconds, replications, seed);
    return kExitOk;
}

}  // namespace icsflow::sim
