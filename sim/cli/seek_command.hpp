#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/runner/scenario.hpp"

namespace icsflow::sim {

struct SeekOptions {
    std::string config;
    std::string lever;  // a number in the configuration, e.g. capacity_changes[-1].multiplier
    double low = 0.0;   // --range LOW:HIGH
    double high = 0.0;
    std::vector<std::string> targets;  // target names: summaries target_<name>_met
    double probability = 0.9;
    double resolution = 0.0;  // 0: 1/64 of the range (whole numbers: 1)
    std::optional<std::uint64_t> replications;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    std::string output;  // JSON file with every evaluation
    bool force = false;  // replace an existing output file (else it is refused before any work)
};

// Parses "LOW:HIGH" (finite numbers, LOW below HIGH); throws std::invalid_argument.
void parse_range(const std::string& text, double& low, double& high);

// `icsflow seek`: the smallest lever value that meets every named target with the wanted
// probability, every evaluation on the same replications (common random numbers). Prints each
// evaluation and the answer, writes them to `output`. Returns the exit code.
// A signal (`cancel` set) stops the search between replications: BatchCancelled, nothing written.
int command_seek(const SeekOptions& options, const ModelRegistry& registry,
                 const std::atomic<bool>* cancel = nullptr);

}  // namespace icsflow::sim
