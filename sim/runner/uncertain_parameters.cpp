#include "sim/runner/uncertain_parameters.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "sim/config/toml_path.hpp"
#include "sim/random/portable_math.hpp"

namespace icsflow::sim {

namespace {

double draw_once(const UncertainParameter& p, RandomStream& stream) {
    using F = UncertainParameter::Family;
    switch (p.family) {
        case F::normal:
            return stream.normal(p.mean, p.sd);
        case F::lognormal:
            return stream.lognormal_mean_sd(p.mean, p.sd);
        case F::uniform:
            return p.low + (p.high - p.low) * stream.uniform();
        case F::triangular: {
            // Inverse of the triangular distribution function.
            const double u = stream.uniform();
            const double width = p.high - p.low;
            const double split = (p.mode - p.low) / width;
            return u < split ? p.low + std::sqrt(u * width * (p.mode - p.low))
                             : p.high - std::sqrt((1.0 - u) * width * (p.high - p.mode));
        }
    }
    return p.mean;
}

}  // namespace

double UncertainParameter::draw(std::uint64_t master_seed, std::uint64_t replication) const {
    RandomStream stream(master_seed, replication, "uncertain/" + key);
    // Truncated to [min, max] by drawing again; the stream is the replication's own, so the
    // value is the same however the batch is split.
    for (int attempt = 0; attempt < 1000; ++attempt) {
        const double x = draw_once(*this, stream);
        if (x >= min && x <= max) {
            return x;
        }
    }
    return std::clamp(draw_once(*this, stream), min, max);
}

std::vector<UncertainParameter> read_uncertain_parameters(
    config::ConfigNode& root, const config::TomlValue& resolved,
    const config::ParameterDictionary& dictionary) {
    std::vector<UncertainParameter> out;
    for (config::ConfigNode& node : root.table_array("uncertain")) {
        UncertainParameter p;
        p.key = node.string("key");
        p.label = node.string("label");
        const std::string family = node.string("distribution");
        p.apply = node.string("apply") == "multiplier" ? UncertainParameter::Apply::multiplier
                                                       : UncertainParameter::Apply::value;
        const auto need = [&](std::string_view key) {
            if (!node.has(key)) {
                node.error(key, "needed for distribution '" + family + "'");
            }
            return node.number(key);
        };
        if (family == "normal" || family == "lognormal") {
            p.family = family == "normal" ? UncertainParameter::Family::normal
                                          : UncertainParameter::Family::lognormal;
            p.mean = need("mean");
            p.sd = need("sd");
            if (p.family == UncertainParameter::Family::lognormal && !(p.mean > 0.0)) {
                node.error("mean", "a lognormal needs a positive mean");
            }
        } else {
            p.family = family == "uniform" ? UncertainParameter::Family::uniform
                                           : UncertainParameter::Family::triangular;
            p.low = need("low");
            p.high = need("high");
            p.mode = p.family == UncertainParameter::Family::triangular ? need("mode") : p.low;
            if (!(p.low < p.high)) {
                node.error("high", "must be above `low`");
            } else if (p.mode < p.low || p.mode > p.high) {
                node.error("mode", "must lie between `low` and `high`");
            }
        }
        if (node.has("min")) {
            p.min = node.number("min");
        }
        if (node.has("max")) {
            p.max = node.number("max");
        }
        if (!(p.min < p.max)) {
            node.error("max", "must be above `min`");
        }
        const config::TomlValue* configured = config::find_dotted_key(resolved, p.key);
        if (configured == nullptr) {
            node.error("key", "'" + p.key +
                                  "' is not a parameter of this configuration (keys are "
                                  "joined with dots; `icsflow params` lists them)");
        } else {
            try {
                static_cast<void>(apply_draw(p, *configured, 1.0));
            } catch (const std::invalid_argument& e) {
                node.error("key", e.what());
            }
            if (const config::ParamSpec* spec = dictionary.find(p.key);
                spec != nullptr && p.apply == UncertainParameter::Apply::value) {
                p.min = std::max(p.min, spec->min);
                p.max = std::min(p.max, spec->max);
            }
        }
        for (const UncertainParameter& other : out) {
            if (other.key == p.key) {
                node.error("key", "'" + p.key + "' is already uncertain (one entry per key)");
            }
        }
        out.push_back(std::move(p));
    }
    return out;
}

config::TomlValue apply_draw(const UncertainParameter& parameter,
                             const config::TomlValue& configured, double draw) {
    const auto number = [](const config::TomlValue& v) { return config::number_of(v); };
    if (parameter.apply == UncertainParameter::Apply::value) {
        if (!number(configured)) {
            throw std::invalid_argument("'" + parameter.key + "' is not a number");
        }
        return config::TomlValue(draw);
    }
    if (const auto x = number(configured)) {
        return config::TomlValue(*x * draw);
    }
    if (configured.is_array()) {
        config::TomlArray values;
        for (const config::TomlValue& element : configured.as_array()) {
            const auto x = number(element);
            if (!x) {
                throw std::invalid_argument("'" + parameter.key +
                                            "' is an array with something other than numbers");
            }
            values.emplace_back(*x * draw);
        }
        return config::TomlValue(std::move(values));
    }
    throw std::invalid_argument("'" + parameter.key + "' is not a number or an array of numbers");
}

}  // namespace icsflow::sim
