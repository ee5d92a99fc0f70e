#include "models/blmk/system/dated_factors.hpp"

#include <algorithm>

namespace icsflow::models::blmk {

double dated_factor(const DatedMultiplier& m, const sim::SimCalendar& calendar, double time) {
    if (time < m.from || time >= m.to) {
        return 1.0;
    }
    if (m.monthly.empty()) {
        return m.value;
    }
    const int k = calendar.month_index_at(time) - calendar.month_index_at(m.from);
    const std::size_t index =
        std::min(static_cast<std::size_t>(std::max(k, 0)), m.monthly.size() - 1);
    return m.monthly[index];
}

void append_rules(const DatedMultiplier& m, double add_per_session,
                  const sim::SimCalendar& calendar, std::vector<sim::CapacityRule>& rules) {
    if (m.monthly.empty()) {
        rules.push_back(sim::CapacityRule{m.from, m.to, m.value, add_per_session, 0x7F});
        return;
    }
    const int first_month = calendar.month_index_at(m.from);
    double start = m.from;
    for (int k = 0; start < m.to; ++k) {
        const double month_end = calendar.month_start(first_month + k + 1);
        const double end = std::min(month_end, m.to);
        const std::size_t index = std::min(static_cast<std::size_t>(k), m.monthly.size() - 1);
        rules.push_back(sim::CapacityRule{start, end, m.monthly[index], add_per_session, 0x7F});
        start = end;
    }
}

}  // namespace icsflow::models::blmk
