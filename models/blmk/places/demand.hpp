#pragma once

#include <cstdint>
#include <vector>

#include "sim/random/random_stream.hpp"

namespace icsflow::models::blmk {

struct World;

// Where patients come from: each place's GP referrals (by specialty and urgency) and emergency
// admissions (by age band), as Poisson processes whose rates follow population, growth,
// seasonality and the dated demand changes; and each hospital's A&E attendances and other
// non-elective spells, counted per day.
//
// Each arrival stream has its own random stream for arrival times and another for what the
// patient will need, so that a change to one stream's rate leaves every other patient's course
// as it was.
class Demand {
  public:
    explicit Demand(World& world);

    void schedule_start(double start_time);

    void referral(std::uint32_t stream, double now);
    void emergency(std::uint32_t stream, double now);
    void daily_counts(double day_start);

  private:
    World& w_;
    std::vector<sim::RandomStream> referral_times_;  // [place][specialty][urgency]
    std::vector<sim::RandomStream> referral_patients_;
    std::vector<sim::RandomStream> emergency_times_;  // [place][age band]
    std::vector<sim::RandomStream> emergency_patients_;
    sim::RandomStream counts_;
};

}  // namespace icsflow::models::blmk
