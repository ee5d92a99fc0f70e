#include "models/blmk/hospitals/beds.hpp"

#include <algorithm>
#include <cmath>

#include "models/blmk/system/world.hpp"
#include "sim/random/distributions.hpp"

namespace icsflow::models::blmk {

Beds::Beds(World& world) : w_(world), external_(world.stream("beds/external_support")) {
    for (std::size_t h = 0; h < w_.p.hospitals.size(); ++h) {
        wards_.emplace_back();
        for (std::size_t s = 0; s < w_.p.specialties.size(); ++s) {
            elective_stays_.push_back(w_.stream("beds/elective_stay/" + w_.p.hospitals[h].id + "/" +
                                                w_.p.specialties[s].id));
        }
    }
}

void Beds::schedule_start(double start_time) {
    for (std::uint32_t h = 0; h < wards_.size(); ++h) {
        Ward& ward = wards_[h];
        set_levels(h, start_time);
        ward.change_points = w_.t.bed_rules[h].change_points(start_time, w_.t.horizon);
        // Dated ring fences change the levels too: their dates join the bed changes' (sorted,
        // once each, inside the run).
        for (const double date : w_.t.ring_fence_dates(h)) {
            if (date > start_time && date < w_.t.horizon) {
                ward.change_points.push_back(date);
            }
        }
        std::sort(ward.change_points.begin(), ward.change_points.end());
        ward.change_points.erase(std::unique(ward.change_points.begin(), ward.change_points.end()),
                                 ward.change_points.end());
        if (!ward.change_points.empty()) {
            w_.scheduler.schedule_at(ward.change_points.front(), sim::EventClass::capacity_change,
                                     kBedLevel, h);
        }
        record(h, start_time);
    }
}

void Beds::set_levels(std::uint32_t hospital, double now) {
    Ward& ward = wards_[hospital];
    const ScenarioTables::RingFence fence = w_.t.ring_fence(hospital, now);
    ward.ring_fenced_capacity = fence.beds;
    ward.general_capacity =
        std::max(0.0, std::floor(w_.t.bed_rules[hospital].level_at(
                          w_.t.calendar, now, w_.p.hospitals[hospital].general_acute_beds)) -
                          fence.from_general);
}

void Beds::capacity_changes(std::uint32_t hospital, double now) {
    Ward& ward = wards_[hospital];
    set_levels(hospital, now);
    if (++ward.next_change < ward.change_points.size()) {
        w_.scheduler.schedule_at(ward.change_points[ward.next_change],
                                 sim::EventClass::capacity_change, kBedLevel, hospital);
    }
    admit_boarders(hospital, now);
    record(hospital, now);
}

std::uint64_t Beds::present() const {
    return admitted_ - discharged_;
}

void Beds::record(std::uint32_t hospital, double now) {
    const Ward& ward = wards_[hospital];
    w_.metrics.beds(hospital, now, static_cast<double>(ward.general_used + ward.ring_fenced_used),
                    ward.general_capacity + ward.ring_fenced_capacity,
                    static_cast<double>(ward.medically_fit),
                    static_cast<double>(ward.boarding.size()));
}

void Beds::emergency_arrives(std::uint32_t id, double now) {
    Inpatient& patient = w_.inpatients[id];
    ++admitted_;
    Ward& ward = wards_[patient.hospital];
    if (free_general(ward) >= 1.0 && ward.boarding.empty()) {
        occupy(id, false, now);
    } else {
        patient.state = StayState::waiting_for_bed;
        ward.boarding.push(id);
    }
    record(patient.hospital, now);
}

bool Beds::admit_elective(std::uint32_t hospital, StayKind kind, std::uint32_t specialty,
                          std::uint32_t place, double now) {
    Ward& ward = wards_[hospital];
    bool ring_fenced = false;
    if (static_cast<double>(ward.ring_fenced_used) + 1.0 <= ward.ring_fenced_capacity) {
        ring_fenced = true;
    } else if (!ward.boarding.empty() ||
               free_general(ward) < 1.0 + w_.p.hospitals[hospital].emergency_bed_reserve) {
        return false;
    }
    const std::uint32_t id = w_.inpatients.acquire();
    w_.note_records();
    Inpatient& patient = w_.inpatients[id];
    sim::RandomStream& stream = elective_stays_[hospital * w_.p.specialties.size() + specialty];
    patient.kind = kind;
    patient.hospital = static_cast<std::uint8_t>(hospital);
    patient.specialty = static_cast<std::uint8_t>(specialty);
    patient.place = static_cast<std::uint8_t>(place);
    patient.arrival = now;
    patient.acute_los = w_.p.specialties[specialty].inpatient_los.sample(stream);
    patient.assessment_delay = w_.p.emergency.assessment_delay.sample(stream);
    patient.pathway_draw = static_cast<float>(stream.uniform());
    ++admitted_;
    occupy(id, ring_fenced, now);
    record(hospital, now);
    return true;
}

void Beds::occupy(std::uint32_t id, bool ring_fenced, double now) {
    Inpatient& patient = w_.inpatients[id];
    Ward& ward = wards_[patient.hospital];
    patient.ring_fenced_bed = ring_fenced;
    if (ring_fenced) {
        ++ward.ring_fenced_used;
    } else {
        ++ward.general_used;
    }
    patient.admitted = now;
    patient.state = StayState::acute;
    w_.metrics.bed_use(patient, now, +1);
    const bool emergency = patient.kind == StayKind::emergency;
    const double stay = patient.acute_los *
                        w_.t.los_multiplier(patient.hospital, patient.specialty, emergency, now);
    w_.scheduler.schedule_in(stay, sim::EventClass::release, kAcuteCareEnds, id);
}

void Beds::acute_care_ends(std::uint32_t id, double now) {
    Inpatient& patient = w_.inpatients[id];
    const std::array<double, kDischargePathways>& mix =
        patient.kind == StayKind::emergency
            ? w_.t.discharge_mix(patient.age_band, now)
            : w_.p.specialties[patient.specialty].elective_discharge_mix;
    patient.discharge_pathway =
        static_cast<std::uint8_t>(sim::category_of(mix, patient.pathway_draw));
    if (patient.discharge_pathway == 0) {
        discharge(id, now);
        return;
    }
    patient.state = StayState::medically_fit;
    ++wards_[patient.hospital].medically_fit;
    record(patient.hospital, now);
    // The delay drawn on admission, scaled by the assessment policy in force today.
    const double delay =
        patient.assessment_delay * w_.t.assessment_delay_multiplier(patient.hospital, now);
    w_.scheduler.schedule_in(delay, sim::EventClass::release, kAssessmentEnds, id);
}

void Beds::assessment_ends(std::uint32_t id, double now) {
    Inpatient& patient = w_.inpatients[id];
    patient.state = StayState::awaiting_community;
    patient.support_requested = now;
    if (w_.p.places[patient.place].external) {
        // Out-of-area support is arranged by the patient's own council: a delay, not a queue.
        w_.scheduler.schedule_in(w_.p.community.external_transfer_delay.sample(external_),
                                 sim::EventClass::release, kExternalSupport, id);
        return;
    }
    w_.handoffs.send(w_.scheduler, Handoff::Type::support_request, id);
}

void Beds::transfer_accepted(std::uint32_t id, double now) {
    discharge(id, now);
}

void Beds::discharge(std::uint32_t id, double now) {
    const Inpatient& patient = w_.inpatients[id];
    const std::uint32_t hospital = patient.hospital;
    Ward& ward = wards_[hospital];
    if (patient.ring_fenced_bed) {
        --ward.ring_fenced_used;
    } else {
        --ward.general_used;
    }
    if (patient.state == StayState::medically_fit ||
        patient.state == StayState::awaiting_community) {
        --ward.medically_fit;
    }
    ++discharged_;
    w_.metrics.bed_use(patient, now, -1);
    w_.metrics.spell_ended(hospital, patient.kind == StayKind::emergency, patient.arrival, now);
    w_.inpatients.release(id);
    admit_boarders(hospital, now);
    record(hospital, now);
}

void Beds::admit_boarders(std::uint32_t hospital, double now) {
    Ward& ward = wards_[hospital];
    while (!ward.boarding.empty() && free_general(ward) >= 1.0) {
        occupy(ward.boarding.pop(), false, now);
    }
}

}  // namespace icsflow::models::blmk
