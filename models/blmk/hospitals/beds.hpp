#pragma once

#include <cstdint>
#include <vector>

#include "models/blmk/system/patients.hpp"
#include "sim/random/random_stream.hpp"
#include "sim/resource/wait_queue.hpp"

namespace icsflow::models::blmk {

struct World;

// The general and acute beds of each hospital, and the stay of every inpatient in them.
//
// Emergency patients take beds before elective ones: an emergency admission waits (boarding in
// the emergency department) only when every general bed is taken, and takes the next bed freed.
// An elective inpatient needs a bed on the day of the operation: a ring-fenced bed, or a general
// bed when none is wanted by a waiting emergency and more than the reserve are free; otherwise the
// operation is cancelled on the day.
//
// When medically fit, a patient leaves by discharge pathway 0-3. Pathways 1-3 need support from
// the patient's place: after an assessment delay the hospital sends a request, and the patient
// keeps the bed (a delayed transfer) until the place accepts.
class Beds {
  public:
    explicit Beds(World& world);

    void schedule_start(double start_time);

    void emergency_arrives(std::uint32_t inpatient, double now);
    // An elective (RTT) or planned patient of `specialty` from `place` needs a bed at `hospital`
    // now; returns false (and admits no one) when there is none to take.
    bool admit_elective(std::uint32_t hospital, StayKind kind, std::uint32_t specialty,
                        std::uint32_t place, double now);

    void acute_care_ends(std::uint32_t inpatient, double now);
    void assessment_ends(std::uint32_t inpatient, double now);
    void transfer_accepted(std::uint32_t inpatient, double now);
    void capacity_changes(std::uint32_t hospital, double now);

    [[nodiscard]] std::uint64_t admitted_total() const { return admitted_; }
    [[nodiscard]] std::uint64_t discharged_total() const { return discharged_; }
    [[nodiscard]] std::uint64_t present() const;

  private:
    struct Ward {
        double general_capacity = 0.0;
        double ring_fenced_capacity = 0.0;
        std::uint32_t general_used = 0;
        std::uint32_t ring_fenced_used = 0;
        std::uint32_t medically_fit = 0;
        sim::RingQueue<std::uint32_t> boarding;
        std::vector<double> change_points;
        std::size_t next_change = 0;
    };

    // General and ring-fenced beds in force at `now` (bed changes and ring fences by date).
    void set_levels(std::uint32_t hospital, double now);
    void occupy(std::uint32_t id, bool ring_fenced, double now);
    void discharge(std::uint32_t id, double now);
    void admit_boarders(std::uint32_t hospital, double now);
    void record(std::uint32_t hospital, double now);
    [[nodiscard]] double free_general(const Ward& ward) const {
        return ward.general_capacity - static_cast<double>(ward.general_used);
    }

    World& w_;
    std::vector<Ward> wards_;
    std::vector<sim::RandomStream> elective_stays_;  // [hospital][specialty]
    sim::RandomStream external_;
    std::uint64_t admitted_ = 0;
    std::uint64_t discharged_ = 0;
};

}  // namespace icsflow::models::blmk
