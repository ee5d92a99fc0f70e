#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/blmk/parameters/parameters.hpp"

namespace icsflow::models::blmk {

// Counts of patients waiting, by group and by the day their wait began: enough to answer, at any
// census date, how many have waited how many whole weeks, without visiting a single patient.
// Used for the RTT list (wait from the clock start, grouped by trust x specialty) and for the
// diagnostic lists (wait from joining, grouped by hospital x modality).
class WaitingCensus {
  public:
    // Days before `first_day` are folded into the first bin (they are long waits either way).
    WaitingCensus(std::size_t groups, std::int64_t first_day, std::int64_t last_day);

    void add(std::size_t group, double wait_start);
    void remove(std::size_t group, double wait_start);

    [[nodiscard]] std::int64_t total(std::size_t group) const { return totals_[group]; }

    // Whole weeks waited on census day `census_day` (the last day of a reporting period):
    // weeks[w] = patients with floor((census_day - start_day) / 7) == w, w capped at max_weeks.
    void weeks_waited(std::size_t group, std::int64_t census_day, std::vector<double>& weeks) const;

    // Patients whose wait reached `days` or more by `census_day`.
    [[nodiscard]] std::int64_t waiting_at_least(std::size_t group, std::int64_t census_day,
                                                std::int64_t days) const;

    static constexpr std::size_t kMaxWeeks = 260;

  private:
    [[nodiscard]] std::size_t bin(double wait_start) const;

    std::int64_t first_day_;
    std::size_t days_;
    std::vector<std::int32_t> counts_;  // [group][day]
    std::vector<std::int64_t> totals_;
};

// Statistics of a weeks-waited histogram (weeks[w] patients waited w whole weeks).
struct WaitSummary {
    double total = 0.0;
    std::array<double, kWaitBands> bands{};  // 0-18, 18-52, 52-78, 78-104, 104+
    double within_18_share = 0.0;            // NaN for an empty list
    double median_weeks = 0.0;               // NaN for an empty list
    double p92_weeks = 0.0;
    double over_52 = 0.0;
    double over_78 = 0.0;
    double over_104 = 0.0;
};

// Percentiles interpolate within a week (waits spread evenly through it), the convention of the
// published RTT statistics.
[[nodiscard]] WaitSummary summarise_waits(const std::vector<double>& weeks);

}  // namespace icsflow::models::blmk
