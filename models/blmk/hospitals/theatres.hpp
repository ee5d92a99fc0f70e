#pragma once

#include <cstdint>
#include <tuple>
#include <vector>

#include "sim/random/random_stream.hpp"
#include "sim/resource/capacity_schedule.hpp"

namespace icsflow::models::blmk {

struct World;

// Theatre lists and independent-sector capacity: where admitted pathways end.
//
// A list's cases go first to planned patients not on an RTT pathway (their share of theatre
// time), then to the admitted list in order (priority, then longest wait). A day case needs no
// bed. An inpatient needs one on the day: without it the operation is cancelled on the day and
// the patient goes back on the list at least at the rebooking priority; so are the rest of that
// list's inpatients. An independent-sector contract takes day-case patients from the lists in its
// scope by its rule (longest wait, priority, or lowest priority first).
class Theatres {
  public:
    explicit Theatres(World& world);

    void run_session(std::uint32_t series, double now);

  private:
    void day_cases(std::uint32_t series, std::uint32_t cases, double now);
    void inpatients(std::uint32_t series, std::uint32_t cases, double now);
    void independent_sector(std::uint32_t series, std::uint32_t cases, double now);
    void treated(std::uint32_t id, double now);

    World& w_;
    std::vector<sim::SlotRounder> rounders_;                             // [series]
    std::vector<sim::SlotRounder> planned_rounders_;                     // [series]
    std::vector<sim::RandomStream> planned_;                             // [hospital][specialty]
    std::vector<std::tuple<double, double, std::uint32_t>> candidates_;  // independent sector
};

}  // namespace icsflow::models::blmk
