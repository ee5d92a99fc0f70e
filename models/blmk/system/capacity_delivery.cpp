#include "models/blmk/system/capacity_delivery.hpp"

#include <algorithm>

namespace icsflow::models::blmk {

CapacityDelivery::CapacityDelivery(const ScenarioTables& tables, sim::RandomStream stream)
    : calendar_(tables.calendar), first_month_(tables.calendar.month_index_at(tables.start_time)) {
    const double sd = tables.p.uncertainty.capacity_delivery_sd;
    if (!(sd > 0.0)) {
        return;
    }
    const int last_month = tables.calendar.month_index_at(tables.horizon);
    factors_.resize(static_cast<std::size_t>(last_month - first_month_ + 1));
    for (auto& month : factors_) {
        for (double& factor : month) {
            factor = stream.lognormal_mean_sd(1.0, sd);
        }
    }
}

double CapacityDelivery::factor(SessionSeries::Kind kind, double time) const {
    if (factors_.empty()) {
        return 1.0;
    }
    using K = SessionSeries::Kind;
    std::size_t group = 0;
    switch (kind) {
        case K::outpatient_first:
        case K::outpatient_follow_up:
            group = 0;
            break;
        case K::diagnostic:
            group = 1;
            break;
        case K::theatre_day_case:
        case K::theatre_inpatient:
            group = 2;
            break;
        case K::independent_sector:
            return 1.0;
    }
    const int month = calendar_.month_index_at(time) - first_month_;
    const auto index =
        static_cast<std::size_t>(std::clamp(month, 0, static_cast<int>(factors_.size()) - 1));
    return factors_[index][group];
}

}  // namespace icsflow::models::blmk
