#pragma once

// `icsflow calibrate`: fits named parameters of a configuration, and monthly capacity levers, to
// observed monthly series on a training window, and scores the fitted model on a test window it
// never saw. Every evaluation runs the same replications from the same seed (common random
// numbers), so the objective is a smooth function of the parameters and differences between
// evaluations are not noise. The fitted values are written as a configuration overlay
// (`base = ...`) and the fitted model's run, with every measure against the observations, as a
// results file (group /calibration, docs/results-format.md).

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/calibration/observables.hpp"
#include "sim/runner/scenario.hpp"

namespace icsflow::sim::calibration {

// A month window "YYYY-MM:YYYY-MM", inclusive.
struct MonthWindow {
    std::string from;
    std::string to;
};
// Throws std::invalid_argument with a message naming the option.
[[nodiscard]] MonthWindow parse_window(const std::string& text, const std::string& option);

struct ParameterToFit {
    std::string key;  // dotted key of a number, e.g. removals.pandemic.background_rate_per_week
    std::optional<double> lower;  // default: the parameter dictionary's range
    std::optional<double> upper;
};
// "KEY" or "KEY=LO:HI".
[[nodiscard]] ParameterToFit parse_parameter(const std::string& text);

struct LeverToFit {
    std::string key;      // dotted key of a number array (monthly values), e.g. ...monthly
    std::string measure;  // the measure it must reproduce, e.g. admitted_ratio
};
// "KEY=MEASURE".
[[nodiscard]] LeverToFit parse_lever(const std::string& text);

struct CalibrationOptions {
    std::string config;
    std::string observed;
    std::vector<ParameterToFit> parameters;
    std::vector<LeverToFit> levers;
    MonthWindow train;
    MonthWindow test;
    std::string reference_month =
        "2020-02";  // ratios are taken to it (flows: to the months up to it)
    std::vector<std::string> objective_measures{"list_ratio", "within_18_weeks", "over_52_per_1000",
                                                "median_wait"};
    // Whether the user named the measures (`--measures`): then one that cannot be scored in any
    // training month is an error; a default one is left out of the objective with a note.
    bool objective_measures_named = false;
    std::uint64_t replications = 8;          // per evaluation
    std::uint64_t report_replications = 40;  // the final run written to the results file
    std::optional<std::uint64_t> seed;
    int threads = 0;
    int max_evaluations = 60;  // per parameter fit
    int lever_iterations = 6;  // per lever fit
    int rounds = 2;            // lever fit then parameter fit, this many times
    std::string overlay_path;  // the fitted configuration (TOML)
    std::string results_path;  // the fitted model's run (HDF5)
    bool force = false;        // replace existing output files (else they are refused)
    std::string command_line;
};

struct FittedParameter {
    std::string key;
    double initial = 0.0;
    double value = 0.0;
    double lower_bound = 0.0;
    double upper_bound = 0.0;
    double standard_error = 0.0;  // NaN when it could not be estimated
};

struct CalibrationOutcome {
    std::vector<FittedParameter> parameters;
    std::vector<std::pair<std::string, std::vector<double>>> levers;
    double objective_initial = 0.0;
    double objective_final = 0.0;
    int evaluations = 0;
    double seconds = 0.0;
};

// Runs the calibration and writes the overlay and the results file. Throws
// std::invalid_argument for a bad option (unknown parameter or measure, bad window, a column the
// observations lack), config::ConfigError / IoError as `icsflow run` does, BatchCancelled on an
// interrupt.
CalibrationOutcome calibrate(const ModelRegistry& registry, const CalibrationOptions& options,
                             const std::atomic<bool>* cancel);

}  // namespace icsflow::sim::calibration
