#include "models/blmk/metrics/waiting_census.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace icsflow::models::blmk {

WaitingCensus::WaitingCensus(std::size_t groups, std::int64_t first_day, std::int64_t last_day)
    : first_day_(first_day),
      days_(static_cast<std::size_t>(std::max<std::int64_t>(last_day - first_day + 1, 1))),
      counts_(groups * days_, 0),
      totals_(groups, 0) {}

std::size_t WaitingCensus::bin(double wait_start) const {
    const std::int64_t day = static_cast<std::int64_t>(std::floor(wait_start)) - first_day_;
    if (day < 0) {
        return 0;
    }
    if (static_cast<std::size_t>(day) >= days_) {
        throw std::out_of_range("waiting census: wait starts after the census range");
    }
    return static_cast<std::size_t>(day);
}

void WaitingCensus::add(std::size_t group, double wait_start) {
    ++counts_[group * days_ + bin(wait_start)];
    ++totals_[group];
}

void WaitingCensus::remove(std::size_t group, double wait_start) {
    std::int32_t& count = counts_[group * days_ + bin(wait_start)];
    if (count <= 0) {
        throw std::logic_error("waiting census: removing a patient that was not counted");
    }
    --count;
    --totals_[group];
}

void WaitingCensus::weeks_waited(std::size_t group, std::int64_t census_day,
                                 std::vector<double>& weeks) const {
    weeks.assign(kMaxWeeks + 1, 0.0);
    const std::int32_t* row = &counts_[group * days_];
    const std::int64_t last =
        std::min<std::int64_t>(census_day - first_day_, static_cast<std::int64_t>(days_) - 1);
    for (std::int64_t d = 0; d <= last; ++d) {
        if (row[d] == 0) {
            continue;
        }
        const std::int64_t waited_days = census_day - (first_day_ + d);
        const std::size_t w =
            std::min<std::size_t>(static_cast<std::size_t>(waited_days / 7), kMaxWeeks);
        weeks[w] += row[d];
    }
}

std::int64_t WaitingCensus::waiting_at_least(std::size_t group, std::int64_t census_day,
                                             std::int64_t days) const {
    const std::int32_t* row = &counts_[group * days_];
    const std::int64_t last = std::min<std::int64_t>(census_day - days - first_day_,
                                                     static_cast<std::int64_t>(days_) - 1);
    std::int64_t total = 0;
    for (std::int64_t d = 0; d <= last; ++d) {
        total += row[d];
    }
    return total;
}

namespace {

// The wait (in weeks, continuous) below which a fraction q of patients lie.
double percentile_weeks(const std::vector<double>& weeks, double total, double q) {
    const double target = q * total;
    double cumulative = 0.0;
    for (std::size_t w = 0; w < weeks.size(); ++w) {
        if (weeks[w] > 0.0 && cumulative + weeks[w] >= target) {
            return static_cast<double>(w) + (target - cumulative) / weeks[w];
        }
        cumulative += weeks[w];
    }
    return static_cast<double>(weeks.size());
}

}  // namespace

WaitSummary summarise_waits(const std::vector<double>& weeks) {
    WaitSummary s;
    for (std::size_t w = 0; w < weeks.size(); ++w) {
        const double n = weeks[w];
        s.total += n;
        std::size_t band = 0;
        while (band + 1 < kWaitBands && static_cast<int>(w) >= kWaitBandStartWeeks[band + 1]) {
            ++band;
        }
        s.bands[band] += n;
        if (w >= 52) {
            s.over_52 += n;
        }
        if (w >= 78) {
            s.over_78 += n;
        }
        if (w >= 104) {
            s.over_104 += n;
        }
    }
    if (s.total > 0.0) {
        s.within_18_share = s.bands[0] / s.total;
        s.median_weeks = percentile_weeks(weeks, s.total, 0.5);
        s.p92_weeks = percentile_weeks(weeks, s.total, 0.92);
    } else {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        s.within_18_share = nan;
        s.median_weeks = nan;
        s.p92_weeks = nan;
    }
    return s;
}

}  // namespace icsflow::models::blmk
