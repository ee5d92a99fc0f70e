#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace icsflow::sim {

// A categorical axis of a result array: providers, specialties, waiting-time bands ...
struct CategoryAxis {
    std::string name;
    std::string long_name;
    std::vector<std::string> labels;
};

// A reporting period axis (weeks, months). Times are days since the start date; a period is
// [start, end). Labels are human-readable ("2020-09", "2020-W37").
struct TimeAxis {
    std::string name;
    std::string long_name;
    std::vector<double> start;
    std::vector<double> end;
    std::vector<std::string> labels;
};

// What one number of a series means over its period.
enum class SeriesKind : std::uint8_t {
    stock,      // the state at the end of the period (incomplete pathways at month end)
    flow,       // a count over the period (clock stops in the month)
    time_mean,  // the time-average over the period (mean beds occupied)
    maximum,    // the largest value during the period (peak beds occupied)
    statistic,  // a derived figure for the period (a percentile, a percentage, a ratio)
};

[[nodiscard]] const char* to_string(SeriesKind kind);

// A time series recorded per replication, stored as [replication, time, axes...].
struct SeriesSpec {
    std::string name;
    std::string long_name;
    std::string units;
    std::string time_axis;
    std::vector<std::string> axes;
    SeriesKind kind = SeriesKind::stock;
};

// One number per replication (a run total, a peak, a check), stored with its moments.
struct SummarySpec {
    std::string name;
    std::string long_name;
    std::string units;
    bool headline = false;  // printed in the run summary
    // Non-empty when the value is an index into this time axis (the month of a peak): stored as
    // the attribute `time_axis`, and summarised by its most frequent label rather than a mean.
    std::string index_of_axis{};
    // The value is 1 (a target met) or 0 (missed): summarised as a probability with a Wilson
    // interval, stored with the attribute `indicator`.
    bool indicator = false;
};

using SeriesId = std::uint32_t;
using SummaryId = std::uint32_t;

// The shape of everything one replication records: declared once per scenario, before any
// replication runs, so the results file can be laid out in advance and every replication fills
// buffers of known size.
// Why `name` (a target's or a class's name from a configuration) cannot be part of a dataset's
// name in a results file, or "" when it can: '/' separates HDF5 groups, and an empty name or a
// control character would make a dataset no one can name. Model readers report it with the key.
[[nodiscard]] std::string dataset_name_problem(const std::string& name);

class OutputSchema {
  public:
    void add_category_axis(CategoryAxis axis);
    void add_time_axis(TimeAxis axis);
    SeriesId add_series(SeriesSpec spec);
    SummaryId add_summary(SummarySpec spec);
    // A summary whose value is an index into time axis `time_axis` (the month of a peak).
    SummaryId add_time_index_summary(SummarySpec spec, std::string time_axis);

    [[nodiscard]] const std::vector<CategoryAxis>& category_axes() const { return category_axes_; }
    [[nodiscard]] const std::vector<TimeAxis>& time_axes() const { return time_axes_; }
    [[nodiscard]] const std::vector<SeriesSpec>& series() const { return series_; }
    [[nodiscard]] const std::vector<SummarySpec>& summaries() const { return summaries_; }

    [[nodiscard]] const CategoryAxis& category_axis(const std::string& name) const;
    [[nodiscard]] const TimeAxis& time_axis(const std::string& name) const;

    // [time, axes...] of one replication's series.
    [[nodiscard]] std::vector<std::size_t> series_shape(SeriesId id) const;
    [[nodiscard]] std::size_t series_size(SeriesId id) const;

    [[nodiscard]] SeriesId series_id(const std::string& name) const;    // throws if absent
    [[nodiscard]] SummaryId summary_id(const std::string& name) const;  // throws if absent

  private:
    std::vector<CategoryAxis> category_axes_;
    std::vector<TimeAxis> time_axes_;
    std::vector<SeriesSpec> series_;
    std::vector<SummarySpec> summaries_;
};

// Everything one replication produced. Series are flat row-major arrays of their schema shape.
struct ReplicationResult {
    std::vector<std::vector<double>> series;
    std::vector<double> summaries;
    double wall_seconds = 0.0;
    double cpu_seconds = 0.0;  // CPU time of the thread that ran it
    std::uint64_t events = 0;

    // Buffers of the right sizes, series filled with NaN (no value) and summaries with NaN.
    static ReplicationResult for_schema(const OutputSchema& schema);
};

// Row-major index into a series of shape [time, d1, d2, ...].
class SeriesIndexer {
  public:
    explicit SeriesIndexer(std::vector<std::size_t> shape);
    [[nodiscard]] std::size_t operator()(std::initializer_list<std::size_t> index) const;
    [[nodiscard]] const std::vector<std::size_t>& shape() const { return shape_; }

  private:
    std::vector<std::size_t> shape_;
    std::vector<std::size_t> strides_;
};

}  // namespace icsflow::sim
