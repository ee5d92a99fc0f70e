#include "sim/runner/precision.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/analysis/estimates.hpp"

namespace icsflow::sim {

PrecisionCheck check_precision(const OutputSchema& schema,
                               const std::vector<std::vector<double>>& values,
                               const PrecisionOptions& options) {
    PrecisionCheck check;
    char text[200];
    for (std::size_t s = 0; s < schema.summaries().size(); ++s) {
        const SummarySpec& spec = schema.summaries()[s];
        if (!spec.headline || !spec.index_of_axis.empty()) {
            continue;  // the month of a peak is a label, not a mean
        }
        double ratio = 0.0;
        if (spec.indicator) {
            const ProbabilityEstimate p = estimate_probability(values[s]);
            if (p.n == 0) {
                continue;
            }
            const double half = 0.5 * (p.interval.high - p.interval.low);
            ratio = half / options.probability_points;
            std::snprintf(text, sizeof text, "%s: probability %.3f +- %.3f", spec.name.c_str(),
                          p.probability, half);
        } else {
            const MeanEstimate m = estimate_mean(values[s]);
            if (m.n < 2) {
                ratio = m.n == 0 ? 0.0 : INFINITY;
            } else {
                const double half = m.half_width();
                // A figure that is the same in every replication is as precise as it gets.
                ratio = half == 0.0 ? 0.0 : half / (options.relative * std::fabs(m.mean));
                std::snprintf(text, sizeof text, "%s: mean %.4g +- %.2f%%", spec.name.c_str(),
                              m.mean, 100.0 * half / std::fabs(m.mean));
            }
        }
        if (ratio > check.worst_ratio || check.worst.empty()) {
            check.worst_ratio = std::max(check.worst_ratio, ratio);
            check.worst = text;
        }
    }
    return check;
}

PrecisionRun run_to_precision(const Scenario& scenario, const BatchOptions& batch,
                              const PrecisionOptions& options, const std::atomic<bool>* cancel) {
    PrecisionRun run;
    const std::size_t summaries = scenario.schema().summaries().size();
    std::vector<std::vector<double>> values(summaries);
    BatchOptions block = batch;
    block.first_replication = batch.first_replication;
    const std::uint64_t cap = std::max<std::uint64_t>(options.max_replications, 2);
    while (true) {
        const std::uint64_t done = run.sink.results.size();
        // At least two replications before any interval exists.
        block.replications = std::min(std::max<std::uint64_t>(options.block, 2), cap - done);
        const BatchReport report = run_batch(scenario, block, run.sink, cancel);
        run.report.completed += report.completed;
        run.report.wall_seconds += report.wall_seconds;
        run.report.events += report.events;
        run.report.threads = report.threads;
        for (std::size_t i = done; i < run.sink.results.size(); ++i) {
            for (std::size_t s = 0; s < summaries; ++s) {
                values[s].push_back(run.sink.results[i].summaries[s]);
            }
        }
        block.first_replication += block.replications;
        const PrecisionCheck check = check_precision(scenario.schema(), values, options);
        run.least_precise = check.worst;
        std::fprintf(stderr, "precision: %zu replications, least precise %s\n",
                     run.sink.results.size(), check.worst.c_str());
        if (check.met()) {
            run.met = true;
            break;
        }
        if (run.sink.results.size() >= cap) {
            break;
        }
    }
    return run;
}

}  // namespace icsflow::sim
