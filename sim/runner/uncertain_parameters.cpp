#include "sim/runner/uncertain_parameters.hpp"

#include <algorithm>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
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

// Reports an entry whose draws could rarely or never fall inside its bounds (the entry's min and
// max, within the parameter's own range for a value): drawing again until one does would then
// take very long or for ever.
void check_bounds_reachable(config::ConfigNode& node, const UncertainParameter& p,
                            const config::ParamSpec* spec, bool lower_exclusive) {
    // Called only for an entry without errors, so its own min is below its max.
    if (!(p.min < p.max) && spec != nullptr) {
        node.error(
            node.has("min") ? "min" : "max",
            "the entry's bounds leave nothing of the parameter's range " + spec->range_text());
        return;
    }
    if (!(p.min < p.max)) {
        return;
    }
    if (p.family == UncertainParameter::Family::lognormal && p.sd > 0.0) {
        const auto ln = RandomStream::lognormal_parameters(p.mean, p.sd);
        if (!std::isfinite(ln.mu) || !(ln.sigma > 0.0) || !std::isfinite(ln.sigma)) {
            node.error("sd",
                       "with this mean, the lognormal's spread on the log scale is 0 or "
                       "infinite (sd and mean are too far apart in size)");
            return;
        }
    }
    double within = 0.0;
    try {
        within = p.probability_within_bounds();
    } catch (const std::exception& e) {
        node.error("distribution", std::string("cannot be evaluated: ") + e.what());
        return;
    }
    if (within >= kMinimumProbabilityWithinBounds) {
        return;
    }
    std::ostringstream text;
    text << "draws fall inside " << (lower_exclusive ? '(' : '[')
         << (lower_exclusive ? spec->min : p.min) << ", " << p.max << "] (the entry's min and max"
         << (p.apply == UncertainParameter::Apply::value ? " within the parameter's own range" : "")
         << ") with probability " << within << ", below " << kMinimumProbabilityWithinBounds
         << ": move the distribution or widen the bounds";
    node.error(node.has("min") ? "min" : (node.has("max") ? "max" : "key"), text.str());
}

}  // namespace

double UncertainParameter::probability_within_bounds() const {
    using F = UncertainParameter::Family;
    const auto mass = [this](const auto& distribution, double lowest, double highest) {
        const double a = std::clamp(min, lowest, highest);
        const double b = std::clamp(max, lowest, highest);
        return a >= b ? 0.0 : boost::math::cdf(distribution, b) - boost::math::cdf(distribution, a);
    };
    const double infinity = std::numeric_limits<double>::infinity();
    switch (family) {
        case F::normal:
            if (!(sd > 0.0)) {
                return mean >= min && mean <= max ? 1.0 : 0.0;
            }
            return mass(boost::math::normal_distribution<double>(mean, sd), -infinity, infinity);
        case F::lognormal: {
            if (!(sd > 0.0)) {
                return mean >= min && mean <= max ? 1.0 : 0.0;
            }
            const auto ln = RandomStream::lognormal_parameters(mean, sd);
            return mass(boost::math::lognormal_distribution<double>(ln.mu, ln.sigma), 0.0,
                        infinity);
        }
        case F::uniform:
            return mass(boost::math::uniform_distribution<double>(low, high), low, high);
        case F::triangular:
            return mass(boost::math::triangular_distribution<double>(low, mode, high), low, high);
    }
    return 0.0;
}

double UncertainParameter::draw(std::uint64_t master_seed, std::uint64_t replication) const {
    RandomStream stream(master_seed, replication, "uncertain/" + key);
    // Truncated to [min, max] by drawing again; the stream is the replication's own, so the
    // value is the same however the batch is split. Reading the entry required a probability of
    // at least kMinimumProbabilityWithinBounds inside, so running out of attempts has a
    // probability below 1e-43.
    for (int attempt = 0; attempt < 10000; ++attempt) {
        const double x = draw_once(*this, stream);
        if (x >= min && x <= max) {
            return x;
        }
    }
    throw std::logic_error("uncertain '" + key + "': no draw inside its bounds in 10000 attempts");
}

std::vector<UncertainParameter> read_uncertain_parameters(
    config::ConfigNode& root, const config::TomlValue& resolved,
    const config::ParameterDictionary& dictionary) {
    std::vector<UncertainParameter> out;
    for (config::ConfigNode& node : root.table_array("uncertain")) {
        const std::size_t issues_before = node.document().issues().size();
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
            const config::ParamSpec* spec = dictionary.find(p.key);
            bool lower_exclusive = false;  // the parameter's range excludes its lowest value
            if (spec != nullptr && spec->type == config::ParamType::integer) {
                node.error("key", "'" + p.key +
                                      "' is a whole number: only numbers with fractions can be "
                                      "uncertain");
            } else if (spec != nullptr && p.apply == UncertainParameter::Apply::value) {
                lower_exclusive = spec->min_exclusive && spec->min >= p.min;
                p.min = std::max(
                    p.min, spec->min_exclusive ? std::nextafter(spec->min, spec->max) : spec->min);
                p.max = std::min(p.max, spec->max);
            }
            // An entry with an error already (a bound out of its range, `high` not above `low`)
            // has no distribution to measure: its values are stand-ins.
            if (node.document().issues().size() == issues_before) {
                check_bounds_reachable(node, p, spec, lower_exclusive);
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
