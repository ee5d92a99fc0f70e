#include "sim/output/reporting_periods.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace icsflow::sim {

ReportingPeriods ReportingPeriods::weekly(const SimCalendar& calendar, double horizon_days) {
    ReportingPeriods p;
    p.uniform_week_ = true;
    for (double t = 0.0; t < horizon_days; t += 7.0) {
        p.start_.push_back(t);
        p.end_.push_back(std::min(t + 7.0, horizon_days));
        p.labels_.push_back(format_iso_week(calendar.iso_week_at(t)));
    }
    return p;
}

ReportingPeriods ReportingPeriods::monthly(const SimCalendar& calendar, double horizon_days) {
    ReportingPeriods p;
    for (int m = 0;; ++m) {
        const double start = std::max(0.0, calendar.month_start(m));
        if (start >= horizon_days) {
            break;
        }
        p.start_.push_back(start);
        p.end_.push_back(std::min(calendar.month_start(m + 1), horizon_days));
        p.labels_.push_back(calendar.month_label(m));
    }
    p.index_days();
    return p;
}

std::size_t ReportingPeriods::search(double time) const {
    const auto it = std::upper_bound(start_.begin(), start_.end(), time);
    return static_cast<std::size_t>(it - start_.begin()) - 1;
}

// The table index_of() reads for months, built when every period starts on a whole day (as
// calendar months do); otherwise it stays empty and index_of() searches.
void ReportingPeriods::index_days() {
    constexpr double kMaxTableDays = 1e6;  // 2,700 years
    if (start_.empty() || !(end_.back() <= kMaxTableDays)) {
        return;
    }
    for (const double start : start_) {
        if (start != std::floor(start)) {
            return;
        }
    }
    const auto days = static_cast<std::size_t>(std::ceil(end_.back()));
    period_of_day_.resize(days);
    for (std::size_t day = 0; day < days; ++day) {
        period_of_day_[day] = static_cast<std::uint32_t>(search(static_cast<double>(day)));
    }
}

TimeAxis ReportingPeriods::axis(std::string name, std::string long_name) const {
    return TimeAxis{std::move(name), std::move(long_name), start_, end_, labels_};
}

namespace {

double end_of(const ReportingPeriods& periods, std::size_t period) {
    return period < periods.size() ? periods.end(period) : -std::numeric_limits<double>::infinity();
}

}  // namespace

LevelRecorder::LevelRecorder(const ReportingPeriods& periods)
    : periods_(&periods),
      integral_(periods.size(), 0.0),
      maximum_(periods.size(), 0.0),
      period_end_(end_of(periods, 0)) {}

void LevelRecorder::accumulate_until(double time) {
    const std::size_t n = periods_->size();
    while (period_ < n && last_time_ < time) {
        const double period_end = periods_->end(period_);
        const double until = std::min(time, period_end);
        integral_[period_] += level_ * (until - last_time_);
        maximum_[period_] = std::max(maximum_[period_], level_);
        last_time_ = until;
        if (until >= period_end) {
            ++period_;
            period_end_ = end_of(*periods_, period_);
        }
    }
}

// The general case of change(): the first change after the warm-up, or one that closes periods.
void LevelRecorder::change_across_periods(double time, double level) {
    if (time > 0.0) {
        accumulate_until(time);
    }
    level_ = level;
    if (time >= 0.0 && period_ < periods_->size()) {
        maximum_[period_] = std::max(maximum_[period_], level_);
    }
}

void LevelRecorder::finish(double horizon) {
    accumulate_until(horizon);
}

double LevelRecorder::mean(std::size_t period) const {
    const double length = periods_->end(period) - periods_->start(period);
    return length > 0.0 ? integral_[period] / length : 0.0;
}

double LevelRecorder::overall_mean() const {
    double total = 0.0;
    double length = 0.0;
    for (std::size_t i = 0; i < periods_->size(); ++i) {
        total += integral_[i];
        length += periods_->end(i) - periods_->start(i);
    }
    return length > 0.0 ? total / length : 0.0;
}

double LevelRecorder::overall_maximum() const {
    return maximum_.empty() ? 0.0 : *std::max_element(maximum_.begin(), maximum_.end());
}

}  // namespace icsflow::sim
