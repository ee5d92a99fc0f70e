#pragma once

#include <array>
#include <vector>

#include "models/blmk/system/scenario_tables.hpp"
#include "sim/random/random_stream.hpp"

namespace icsflow::models::blmk {

// How much of the planned session capacity each month actually delivers, in one replication.
//
// A plan says "theatres at 90% of last year's sessions"; whether the sessions run is uncertain
// (staff sickness, infection-control closures, estates). With `uncertainty.capacity_delivery_sd`
// above 0, every calendar month of the run draws one multiplier per group of points of delivery
// (outpatients, diagnostics, theatres), log-normal with mean 1, applied to every session of that
// group at every hospital that month. The draws come from their own stream, all at the start, so
// they do not disturb any other stream and are the same in two scenarios run with one seed.
// Independent-sector contracts are delivered as agreed.
class CapacityDelivery {
  public:
    CapacityDelivery(const ScenarioTables& tables, sim::RandomStream stream);

    // The multiplier on the capacity of a session of `kind` at `time`.
    [[nodiscard]] double factor(SessionSeries::Kind kind, double time) const;

  private:
    static constexpr std::size_t kGroups = 3;  // outpatients, diagnostics, theatres

    const sim::SimCalendar& calendar_;
    int first_month_ = 0;
    std::vector<std::array<double, kGroups>> factors_;  // [month of the run][group]; empty: 1
};

}  // namespace icsflow::models::blmk
