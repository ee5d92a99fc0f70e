#pragma once

// What a model offers to be calibrated and scored against observations: a set of monthly
// measures it can compute from one replication's results, the same measures computed from an
// observed table, and a naive projection to compare the model with. The calibrator (calibrator.hpp)
// knows nothing of what the measures mean; the model defines them.

#include <functional>
#include <string>
#include <vector>

#include "sim/io/monthly_table.hpp"
#include "sim/output/output_schema.hpp"

namespace icsflow::sim::calibration {

enum class ErrorKind {
    relative,  // (model - observed) / observed
    absolute,  // model - observed, in the measure's units
};

struct MonthlyMeasure {
    std::string name;
    std::string long_name;
    std::string units;
    ErrorKind error = ErrorKind::relative;
    // The error a planner accepts in one month; residuals are divided by it, so measures in
    // different units weigh alike in the fit.
    double tolerance = 0.05;
    // Relative errors are not scored in months whose observed value is below this (a rate of
    // 0.3 per 1,000 is too small for its relative error to mean anything).
    double min_observed = 0.0;
};

// Where the measures are anchored: ratios are taken to `reference_month` (a stock) or to the mean
// of months [reference_first, reference_month] (a flow). Month indices are on the model's month
// axis.
struct MeasureAnchor {
    long reference_first = 0;
    long reference_month = 0;
};

using MeasureValues = std::vector<std::vector<double>>;  // [measure][month], NaN: no value

struct CalibrationSupport {
    std::vector<MonthlyMeasure> measures;
    // One replication's measures on the model's month axis.
    std::function<MeasureValues(const OutputSchema&, const ReplicationResult&,
                                const MeasureAnchor&)>
        model_values;
    // The observed measures on the model's month axis (`month_labels`, "YYYY-MM"), NaN where the
    // table has no value. Throws std::invalid_argument naming a column the table lacks.
    std::function<MeasureValues(const MonthlyTable&, const std::vector<std::string>& month_labels,
                                const MeasureAnchor&)>
        observed_values;
    // A naive projection from the observations alone, fitted on months [train_first, train_last]
    // and projected after them (NaN elsewhere and for measures it does not project), with a
    // sentence that says what it is.
    std::function<MeasureValues(const MonthlyTable&, const std::vector<std::string>& month_labels,
                                const MeasureAnchor&, long train_first, long train_last)>
        naive_projection;
    std::string naive_projection_description;
};

}  // namespace icsflow::sim::calibration
