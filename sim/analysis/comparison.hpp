#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/analysis/estimates.hpp"
#include "sim/io/results_reader.hpp"

namespace icsflow::sim {

// Two results files cannot be compared replication by replication: different models, seeds,
// periods or replication sets (exit code 5).
class UnpairableResults : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Throws UnpairableResults naming the first file that differs from `files[0]` and how.
void check_pairable(const std::vector<StoredResults>& files);

enum class MeasureKind {
    mean,         // a number: mean over replications, 90% range of the replication values
    probability,  // a target met or not: probability with its Wilson interval
    period,       // an index into a time axis (the month of a peak): most frequent label
};

// One scenario's figure for one measure.
struct ScenarioFigure {
    bool present = false;
    std::size_t n = 0;
    double estimate = 0.0;  // mean, or probability
    Interval range{};       // 5th to 95th percentile (mean), or the 95% Wilson interval
    std::string label;      // period measures: "2020-09 (14 of 20)"
    // The difference from the first scenario (absent for the first): paired over common
    // replications (common random numbers) and, beside it, as if the batches were independent.
    bool has_difference = false;
    MeanEstimate paired{};
    MeanEstimate unpaired{};
};

struct ComparedMeasure {
    std::string name;
    std::string long_name;
    std::string units;
    MeasureKind kind = MeasureKind::mean;
    std::vector<ScenarioFigure> scenarios;
};

struct Comparison {
    std::vector<std::string> labels;       // one per scenario
    std::vector<std::string> uncertainty;  // what each file's spread holds
    std::vector<ComparedMeasure> measures;
};

// Every headline summary of the first file (every summary when `all`), for each file. The files
// must be pairable (check_pairable).
[[nodiscard]] Comparison compare_results(const std::vector<StoredResults>& files,
                                         const std::vector<std::string>& labels, bool all);

}  // namespace icsflow::sim
