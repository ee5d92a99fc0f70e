#pragma once

// Uncertainty in a scenario's assumptions, not only chance: a configuration may give any numeric
// parameter a distribution ([[uncertain]]). Each replication draws its own value from its own
// stream (master seed, replication, "uncertain/<key>"), so draws are reproducible and do not
// depend on threads or ranks, and the model runs that replication with the drawn value, its
// chance streams unchanged (common random numbers with the nominal scenario). The drawn values
// are recorded as summaries `assumption_<key>`.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/config_document.hpp"
#include "sim/random/random_stream.hpp"

namespace icsflow::sim {

inline constexpr double kMinimumProbabilityWithinBounds = 0.01;

struct UncertainParameter {
    enum class Family { normal, lognormal, uniform, triangular };
    enum class Apply {
        value,       // the drawn value replaces the configured one
        multiplier,  // the configured value (a number or every number of an array) is multiplied
    };
    std::string key;
    std::string label{};
    Family family = Family::normal;
    Apply apply = Apply::value;
    double mean = 0.0;  // normal, lognormal
    double sd = 0.0;
    double low = 0.0;  // uniform, triangular
    double mode = 0.0;
    double high = 0.0;
    // Draws outside [min, max] are drawn again (the parameter's own range when it is a value).
    double min = -1e300;
    double max = 1e300;

    // The probability that one draw of the distribution falls inside [min, max].
    [[nodiscard]] double probability_within_bounds() const;
    // One draw for `replication` of the batch with `master_seed`.
    [[nodiscard]] double draw(std::uint64_t master_seed, std::uint64_t replication) const;
    // The summary that records the draws.
    [[nodiscard]] std::string summary_name() const { return "assumption_" + key; }
};

// Reads [[uncertain]] entries (their dictionary is part of run_dictionary()). Each key must name
// a number (or, for a multiplier, a number array) in `resolved`, the parameters the model read;
// a drawn value is kept inside the key's range in `dictionary`. An integer key, or bounds that
// the distribution falls inside with probability under kMinimumProbabilityWithinBounds, is an
// error of the entry, so that every draw is a fresh draw inside the bounds (never clamped).
[[nodiscard]] std::vector<UncertainParameter> read_uncertain_parameters(
    config::ConfigNode& root, const config::TomlValue& resolved,
    const config::ParameterDictionary& dictionary);

// The configured value(s) at `key` with the drawn `draw` applied, ready to set in a document.
// Throws std::invalid_argument when `key` holds no number (or number array).
[[nodiscard]] config::TomlValue apply_draw(const UncertainParameter& parameter,
                                           const config::TomlValue& configured, double draw);

}  // namespace icsflow::sim
