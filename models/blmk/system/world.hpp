#pragma once

// The state of one replication of the BLMK model and how its parts are wired.
//
// Organisations keep their own state: each place owns its demand streams and community services
// (places/), each hospital its lists, sessions and beds (hospitals/). They interact only through
// timestamped hand-offs (Handoffs): a referral sent to a hospital, an emergency patient conveyed
// to one, a request for support sent by a hospital to a place, the place's acceptance that lets
// the patient leave. A hand-off is an event, so it is ordered with everything else in time.

#include <cstdint>
#include <vector>

#include "models/blmk/hospitals/beds.hpp"
#include "models/blmk/hospitals/clinics.hpp"
#include "models/blmk/hospitals/theatres.hpp"
#include "models/blmk/hospitals/waiting_lists.hpp"
#include "models/blmk/metrics/metrics.hpp"
#include "models/blmk/places/community_services.hpp"
#include "models/blmk/places/demand.hpp"
#include "models/blmk/system/capacity_delivery.hpp"
#include "models/blmk/system/events.hpp"
#include "models/blmk/system/patients.hpp"
#include "models/blmk/system/scenario_tables.hpp"
#include "sim/engine/scheduler.hpp"
#include "sim/random/random_stream.hpp"
#include "sim/runner/scenario.hpp"

namespace icsflow::models::blmk {

// A message from one organisation to another, delivered as an event.
struct Handoff {
    enum class Type : std::uint8_t {
        referral,           // place -> hospital: a new pathway (subject: pathway id)
        emergency,          // place -> hospital: an emergency admission (subject: inpatient id)
        support_request,    // hospital -> place: a fit patient needs pathway 1-3 support
        transfer_accepted,  // place -> hospital: support is ready, the patient may leave
    };
    Type type = Type::referral;
    std::uint32_t subject = 0;
};

class Handoffs {
  public:
    void send(sim::Scheduler& scheduler, Handoff::Type type, std::uint32_t subject,
              double delay = 0.0);
    Handoff receive(std::uint32_t slot);
    [[nodiscard]] std::size_t in_flight() const { return in_flight_; }

  private:
    std::vector<Handoff> slots_;
    std::vector<std::uint32_t> free_;
    std::size_t in_flight_ = 0;
};

struct World {
    World(const ScenarioTables& tables, const sim::ReplicationContext& context);

    void handle(const sim::Event& event);
    void schedule_start();

    // Ends a pathway: the clock stops (treatment, decision, DNA discharge) or the patient is
    // removed from the list; the record is released.
    void close_pathway(std::uint32_t id, ClockStop how);

    const ScenarioTables& t;
    const BlmkParameters& p;
    const sim::ReplicationContext& context;
    sim::Scheduler scheduler;
    PathwayPool pathways;
    InpatientPool inpatients;
    Handoffs handoffs;
    Metrics metrics;
    CapacityDelivery delivery;
    std::size_t peak_records = 0;

    WaitingLists lists;
    Clinics clinics;
    Theatres theatres;
    Beds beds;
    CommunityServices community;
    Demand demand;

    sim::RandomStream stream(const std::string& name) const {
        return sim::RandomStream(context.master_seed, context.replication, name);
    }
    void note_records() {
        const std::size_t live = pathways.live() + inpatients.live();
        if (live > peak_records) {
            peak_records = live;
        }
    }
};

}  // namespace icsflow::models::blmk
