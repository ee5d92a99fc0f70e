#include "sim/analysis/lever_search.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace icsflow::sim {

LeverSearchResult search_smallest_lever(const std::function<LeverEvaluation(double)>& evaluate,
                                        const LeverSearchOptions& options) {
    LeverSearchResult result;
    std::map<double, bool> meets;
    const auto meets_at = [&](double lever) {
        if (const auto it = meets.find(lever); it != meets.end()) {
            return it->second;
        }
        LeverEvaluation evaluation = evaluate(lever);
        const bool ok = evaluation.probability.probability >= options.probability;
        result.evaluations.push_back(std::move(evaluation));
        meets[lever] = ok;
        return ok;
    };
    double low = options.integer ? std::ceil(options.low) : options.low;
    double high = options.integer ? std::floor(options.high) : options.high;
    const double resolution =
        options.integer ? 1.0
                        : (options.resolution > 0.0 ? options.resolution : (high - low) / 64.0);
    if (high < low || !meets_at(high)) {
        return result;
    }
    result.found = true;
    if (meets_at(low)) {
        result.answer = low;
    } else {
        // low misses, high meets: halve the bracket until it is `resolution` wide.
        while (high - low > resolution * (1.0 + 1e-9)) {
            double middle = 0.5 * (low + high);
            if (options.integer) {
                middle = std::floor(middle);
            }
            if (middle <= low || middle >= high) {
                break;
            }
            (meets_at(middle) ? high : low) = middle;
        }
        result.answer = high;
    }
    for (const LeverEvaluation& e : result.evaluations) {
        if (e.probability.interval.high < options.probability &&
            (!result.clearly_missed || e.lever > *result.clearly_missed)) {
            result.clearly_missed = e.lever;
        }
        if (e.probability.interval.low >= options.probability &&
            (!result.clearly_met || e.lever < *result.clearly_met)) {
            result.clearly_met = e.lever;
        }
    }
    return result;
}

}  // namespace icsflow::sim
