#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/engine/sim_calendar.hpp"
#include "sim/output/output_schema.hpp"

namespace icsflow::sim {

// Consecutive reporting periods covering [0, horizon): the weeks or months results are reported
// by. `index_of(t)` finds the period holding time t in O(1) for weeks and O(log n) for months.
class ReportingPeriods {
  public:
    // 7-day periods from the start date, labelled by the ISO week of their first day (with a
    // Monday start date, as 2019-04-01 is, they are exactly ISO weeks). The last may be partial.
    static ReportingPeriods weekly(const SimCalendar& calendar, double horizon_days);
    // Calendar months; the first and last are partial when the run starts or ends mid-month.
    static ReportingPeriods monthly(const SimCalendar& calendar, double horizon_days);

    [[nodiscard]] std::size_t size() const { return start_.size(); }
    [[nodiscard]] double start(std::size_t i) const { return start_[i]; }
    [[nodiscard]] double end(std::size_t i) const { return end_[i]; }
    [[nodiscard]] const std::string& label(std::size_t i) const { return labels_[i]; }
    // The period holding time t; size() when t is outside [0, horizon) or NaN. Inline: the models
    // look a period up for every count they record.
    [[nodiscard]] std::size_t index_of(double time) const {
        if (start_.empty() || !(time >= 0.0) || time >= end_.back()) {
            return start_.size();
        }
        if (uniform_week_) {
            return static_cast<std::size_t>(time / 7.0);
        }
        // Every period starts at 00:00 of a day, so the period of `time` is that of its day.
        const auto day = static_cast<std::size_t>(time);
        if (day < period_of_day_.size()) {
            return period_of_day_[day];
        }
        return search(time);
    }

    [[nodiscard]] TimeAxis axis(std::string name, std::string long_name) const;

  private:
    [[nodiscard]] std::size_t search(double time) const;  // binary search of the starts
    void index_days();

    std::vector<double> start_;
    std::vector<double> end_;
    std::vector<std::string> labels_;
    bool uniform_week_ = false;
    std::vector<std::uint32_t> period_of_day_;  // months: the period of each whole day
};

// Accumulates the time-integral and the maximum of a piecewise-constant level (beds occupied,
// queue length) into reporting periods, for time_mean and maximum series.
class LevelRecorder {
  public:
    explicit LevelRecorder(const ReportingPeriods& periods);

    // The level changes to `level` at `time` (times must not decrease). Before time 0 (warm-up)
    // nothing is recorded, but the current level is remembered. Inline for the common case, a
    // change later in the same period (the models call this on every queue or bed movement).
    void change(double time, double level) {
        if (last_time_ < time && time < period_end_) {
            integral_[period_] += level_ * (time - last_time_);
            maximum_[period_] = std::max(maximum_[period_], level_);
            last_time_ = time;
            level_ = level;
            maximum_[period_] = std::max(maximum_[period_], level_);
            return;
        }
        change_across_periods(time, level);
    }
    // Closes the integral at the horizon.
    void finish(double horizon);

    [[nodiscard]] double mean(std::size_t period) const;
    [[nodiscard]] double maximum(std::size_t period) const { return maximum_[period]; }
    [[nodiscard]] double overall_mean() const;
    [[nodiscard]] double overall_maximum() const;
    [[nodiscard]] double current() const { return level_; }

  private:
    void change_across_periods(double time, double level);
    void accumulate_until(double time);

    const ReportingPeriods* periods_;
    std::vector<double> integral_;
    std::vector<double> maximum_;
    double level_ = 0.0;
    double last_time_ = 0.0;
    std::size_t period_ = 0;
    double period_end_;  // end of period_; -infinity once past the last period
};

}  // namespace icsflow::sim
