#include "sim/analysis/comparison.hpp"

#include <cmath>
#include <map>

namespace icsflow::sim {

namespace {

void refuse(const StoredResults& first, const StoredResults& other, const std::string& what) {
    throw UnpairableResults("cannot pair '" + other.path + "' with '" + first.path + "': " + what);
}

ScenarioFigure describe_mean(const std::vector<double>& values) {
    ScenarioFigure figure;
    const MeanEstimate mean = estimate_mean(values);
    figure.present = true;
    figure.n = mean.n;
    figure.estimate = mean.mean;
    figure.range = {quantile(values, 0.05), quantile(values, 0.95)};
    return figure;
}

ScenarioFigure describe_probability(const std::vector<double>& values) {
    ScenarioFigure figure;
    const ProbabilityEstimate p = estimate_probability(values);
    figure.present = true;
    figure.n = p.n;
    figure.estimate = p.probability;
    figure.range = p.interval;
    return figure;
}

ScenarioFigure describe_period(const std::vector<double>& values,
                               const std::vector<std::string>& labels) {
    ScenarioFigure figure;
    figure.present = true;
    std::map<long, std::size_t> counts;
    for (const double v : values) {
        if (!std::isnan(v)) {
            ++counts[std::lround(v)];
            ++figure.n;
        }
    }
    if (counts.empty()) {
        figure.label = std::string(1, '-');
        return figure;
    }
    auto mode = counts.begin();
    for (auto it = counts.begin(); it != counts.end(); ++it) {
        if (it->second > mode->second) {
            mode = it;
        }
    }
    const auto index = static_cast<std::size_t>(mode->first);
    figure.estimate = static_cast<double>(mode->first);
    figure.label = (index < labels.size() ? labels[index] : std::to_string(mode->first)) + " (" +
                   std::to_string(mode->second) + " of " + std::to_string(figure.n) + ")";
    return figure;
}

MeasureKind kind_of(const StoredSummary& summary) {
    if (!summary.time_axis.empty()) {
        return MeasureKind::period;
    }
    return summary.indicator ? MeasureKind::probability : MeasureKind::mean;
}

}  // namespace

void check_pairable(const std::vector<StoredResults>& files) {
    if (files.empty()) {
        return;
    }
    const StoredResults& first = files.front();
    for (std::size_t i = 1; i < files.size(); ++i) {
        const StoredResults& other = files[i];
        if (other.model != first.model) {
            refuse(first, other,
                   "different models ('" + other.model + "' and '" + first.model + "')");
        }
        if (other.master_seed != first.master_seed) {
            refuse(first, other,
                   "different master seeds (" + std::to_string(other.master_seed) + " and " +
                       std::to_string(first.master_seed) +
                       "): run every scenario with one --seed to share random numbers");
        }
        if (other.replications != first.replications) {
            refuse(first, other,
                   "different replication sets (" + std::to_string(other.replications.size()) +
                       " and " + std::to_string(first.replications.size()) +
                       " replications, or other indices): run every scenario with one -r");
        }
        if (other.start_date != first.start_date ||
            other.time_axis_starts != first.time_axis_starts) {
            refuse(first, other,
                   "different simulated periods (start " + other.start_date + " and " +
                       first.start_date + ", or other reporting periods)");
        }
    }
}

Comparison compare_results(const std::vector<StoredResults>& files,
                           const std::vector<std::string>& labels, bool all) {
    check_pairable(files);
    Comparison comparison;
    comparison.labels = labels;
    for (const StoredResults& file : files) {
        comparison.uncertainty.push_back(file.uncertainty);
    }
    if (files.empty()) {
        return comparison;
    }
    for (const StoredSummary& reference : files.front().summaries) {
        if (!all && !reference.headline) {
            continue;
        }
        ComparedMeasure measure;
        measure.name = reference.name;
        measure.long_name = reference.long_name;
        measure.units = reference.units;
        measure.kind = kind_of(reference);
        for (const StoredResults& file : files) {
            const StoredSummary* summary = file.find(reference.name);
            if (summary == nullptr) {
                measure.scenarios.emplace_back();
                continue;
            }
            ScenarioFigure figure;
            switch (measure.kind) {
                case MeasureKind::mean:
                    figure = describe_mean(summary->values);
                    break;
                case MeasureKind::probability:
                    figure = describe_probability(summary->values);
                    break;
                case MeasureKind::period: {
                    const auto labels_it = file.time_axis_labels.find(summary->time_axis);
                    figure =
                        describe_period(summary->values, labels_it == file.time_axis_labels.end()
                                                             ? std::vector<std::string>{}
                                                             : labels_it->second);
                    break;
                }
            }
            if (&file != &files.front() && measure.kind != MeasureKind::period) {
                const std::vector<double>& base = reference.values;
                figure.has_difference = true;
                if (measure.kind == MeasureKind::probability) {
                    figure.paired = paired_probability_difference(base, summary->values);
                    figure.unpaired = unpaired_probability_difference(base, summary->values);
                } else {
                    figure.paired = paired_difference(base, summary->values);
                    figure.unpaired = unpaired_difference(base, summary->values);
                }
            }
            measure.scenarios.push_back(std::move(figure));
        }
        comparison.measures.push_back(std::move(measure));
    }
    return comparison;
}

}  // namespace icsflow::sim
