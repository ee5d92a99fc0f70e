#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "sim/analysis/estimates.hpp"

namespace icsflow::sim {

// One evaluation of a lever value: the probability that every target is met, over a fixed set
// of replications (the same random numbers at every value).
struct LeverEvaluation {
    double lever = 0.0;
    ProbabilityEstimate probability{};
    double seconds = 0.0;
};

struct LeverSearchResult {
    bool found = false;  // false: even the top of the range misses the probability
    double answer = 0.0;
    // The answer's uncertainty from the evaluations' 95% intervals: the largest value whose
    // interval lies wholly below the wanted probability (the answer is above it) and the smallest
    // whose interval lies wholly at or above it (the answer is at most that). Either may be
    // missing: then more replications would narrow the bracket.
    std::optional<double> clearly_missed;
    std::optional<double> clearly_met;
    std::vector<LeverEvaluation> evaluations;  // in the order they were made
};

struct LeverSearchOptions {
    double low = 0.0;
    double high = 1.0;
    double probability = 0.9;  // wanted probability that every target is met
    bool integer = false;      // whole values only (servers, sessions)
    double resolution = 0.0;   // stop when the bracket is this narrow (integers: 1)
};

// The smallest lever value in [low, high] whose estimated probability reaches `probability`, by
// bisection: the probability is taken not to fall as the lever rises (more capacity).
[[nodiscard]] LeverSearchResult search_smallest_lever(
    const std::function<LeverEvaluation(double)>& evaluate, const LeverSearchOptions& options);

}  // namespace icsflow::sim
