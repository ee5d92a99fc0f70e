#pragma once

#include <cstdint>
#include <vector>

#include "models/blmk/parameters/parameters.hpp"
#include "sim/random/random_stream.hpp"
#include "sim/resource/wait_queue.hpp"

namespace icsflow::models::blmk {

struct World;

// Each place's community and social-care services for patients leaving hospital:
// reablement at home (pathway 1) and intermediate-care beds (pathway 2), each with a number of
// concurrent places, and care-home placements (pathway 3), offered as vacancies arise. Requests
// wait in order of arrival; when a service can take the next patient, the place tells the
// hospital (a hand-off) and the patient leaves the hospital bed.
class CommunityServices {
  public:
    explicit CommunityServices(World& world);

    void schedule_start(double start_time);

    void request(std::uint32_t inpatient, double now);      // from a hospital
    void service_ends(std::uint32_t cell, double now);      // a client finishes
    void vacancy(std::uint32_t place, double now);          // a care-home vacancy arises
    void capacity_changes(std::uint32_t cell, double now);  // dated capacity change

    [[nodiscard]] std::uint64_t requested() const { return requested_; }
    [[nodiscard]] std::uint64_t accepted() const { return accepted_; }
    [[nodiscard]] std::uint64_t waiting() const;

  private:
    struct Service {
        double base_capacity = 0.0;  // concurrent clients (unused for care homes)
        double capacity = 0.0;
        std::uint32_t in_service = 0;
        sim::RingQueue<std::uint32_t> waiting;
        std::vector<double> change_points;
        std::size_t next_change = 0;
    };

    void start_next(std::uint32_t cell, double now);
    void accept(std::uint32_t cell, double now);
    void record(std::uint32_t cell, double now);

    World& w_;
    std::vector<Service> services_;             // [place * 3 + service]
    std::vector<sim::RandomStream> durations_;  // [place]
    std::vector<sim::RandomStream> vacancies_;  // [place]
    std::uint64_t requested_ = 0;
    std::uint64_t accepted_ = 0;
};

}  // namespace icsflow::models::blmk
