#pragma once

#include <cstdint>
#include <vector>

#include "models/blmk/parameters/parameters.hpp"
#include "sim/random/random_stream.hpp"
#include "sim/resource/capacity_schedule.hpp"

namespace icsflow::models::blmk {

struct World;

// Outpatient clinics and diagnostic sessions: who is seen, who does not attend, and what
// happens next under the RTT rules.
//
// A session books its slots from the front of its list (priority, then longest wait). A patient
// who does not attend is rebooked (a first-appointment DNA restarts the clock, as the RTT rules
// allow) or, after the maximum number of DNAs, discharged back to the GP, which stops the clock.
// After a first appointment a patient goes for a test, to a follow-up, or to the decision; the
// decision is admission (onto the day-case or inpatient list) or a non-admitted clock stop.
class Clinics {
  public:
    explicit Clinics(World& world);

    void run_session(std::uint32_t series, double now);
    // A confirmed cancer's work-up is done: onto the admitted list, or non-surgical treatment.
    void cancer_decision(std::uint32_t id, double now);
    // Non-surgical cancer treatment starts: the clock stops, the 62-day measure is taken.
    void treatment_starts(std::uint32_t id, double now);

  private:
    void first_appointments(std::uint32_t series, std::uint32_t slots, double now);
    void follow_ups(std::uint32_t series, std::uint32_t slots, double now);
    void tests(std::uint32_t series, std::uint32_t slots, double now);
    // True when the patient did not attend (and has been rebooked or discharged).
    bool did_not_attend(std::uint32_t id, Stage stage, std::uint32_t hospital, double now);
    void decide(std::uint32_t id, double now);

    World& w_;
    std::vector<sim::SlotRounder> rounders_;           // [series]
    std::vector<sim::SlotRounder> other_rounders_;     // [series]: non-RTT share
    std::vector<sim::RandomStream> attendance_;        // [hospital][specialty]
    std::vector<sim::RandomStream> cancer_;            // [hospital]
    std::vector<sim::RandomStream> other_attendance_;  // [hospital]: patients not on RTT pathways
};

}  // namespace icsflow::models::blmk
