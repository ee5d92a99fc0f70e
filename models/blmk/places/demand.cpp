#include "models/blmk/places/demand.hpp"

#include "models/blmk/hospitals/pathway_rules.hpp"
#include "models/blmk/system/world.hpp"

namespace icsflow::models::blmk {

Demand::Demand(World& world) : w_(world), counts_(world.stream("demand/daily_counts")) {
    for (const PlaceParams& place : w_.p.places) {
        for (const SpecialtyParams& specialty : w_.p.specialties) {
            for (std::size_t u = 0; u < kUrgencies; ++u) {
                const std::string name = place.id + "/" + specialty.id + "/" + urgency_name(u);
                referral_times_.push_back(w_.stream("demand/referral_times/" + name));
                referral_patients_.push_back(w_.stream("demand/referral_patients/" + name));
            }
        }
        for (std::size_t a = 0; a < kAgeBands; ++a) {
            const std::string name = place.id + "/" + age_band_name(a);
            emergency_times_.push_back(w_.stream("demand/emergency_times/" + name));
            emergency_patients_.push_back(w_.stream("demand/emergency_patients/" + name));
        }
    }
}

void Demand::schedule_start(double start_time) {
    for (std::uint32_t i = 0; i < referral_times_.size(); ++i) {
        const double next = w_.t.referral_rates[i].next_arrival(start_time, referral_times_[i]);
        if (next < w_.t.horizon) {
            w_.scheduler.schedule_at(next, sim::EventClass::arrival, kReferral, i);
        }
    }
    for (std::uint32_t i = 0; i < emergency_times_.size(); ++i) {
        const double next = w_.t.emergency_rates[i].next_arrival(start_time, emergency_times_[i]);
        if (next < w_.t.horizon) {
            w_.scheduler.schedule_at(next, sim::EventClass::arrival, kEmergency, i);
        }
    }
}

void Demand::referral(std::uint32_t stream, double now) {
    const std::size_t specialties = w_.p.specialties.size();
    const auto place = static_cast<std::uint32_t>(stream / (specialties * kUrgencies));
    const auto specialty = static_cast<std::uint32_t>((stream / kUrgencies) % specialties);
    const auto urgency = static_cast<std::uint32_t>(stream % kUrgencies);

    sim::RandomStream& patient_stream = referral_patients_[stream];
    const std::uint32_t id = w_.pathways.acquire();
    w_.note_records();
    Pathway& pathway = w_.pathways[id];
    pathway.clock_start = now;
    pathway.referral_time = now;
    pathway.place = static_cast<std::uint8_t>(place);
    pathway.specialty = static_cast<std::uint8_t>(specialty);
    pathway.urgency = static_cast<std::uint8_t>(urgency);
    pathway.hospital = static_cast<std::uint8_t>(w_.t.routing[place].sample(patient_stream));
    draw_course(pathway, w_.p.specialties[specialty], patient_stream);
    w_.handoffs.send(w_.scheduler, Handoff::Type::referral, id);

    const double next = w_.t.referral_rates[stream].next_arrival(now, referral_times_[stream]);
    if (next < w_.t.horizon) {
        w_.scheduler.schedule_at(next, sim::EventClass::arrival, kReferral, stream);
    }
}

void Demand::emergency(std::uint32_t stream, double now) {
    const auto place = static_cast<std::uint32_t>(stream / kAgeBands);
    const auto age = static_cast<std::uint32_t>(stream % kAgeBands);
    sim::RandomStream& patient_stream = emergency_patients_[stream];
    // Always the same five draws per patient.
    const auto hospital = static_cast<std::uint32_t>(w_.t.routing[place].sample(patient_stream));
    const bool same_day = patient_stream.uniform() < w_.p.emergency.zero_day_share[age];
    const double acute_los = w_.p.emergency.acute_los[age].sample(patient_stream);
    const double assessment = w_.p.emergency.assessment_delay.sample(patient_stream);
    const double pathway_draw = patient_stream.uniform();

    w_.metrics.patient_activity(hospital, place, Activity::emergency_admission, now);
    // Same-day emergency care does not take a general and acute bed overnight: a spell that ends
    // on the day it began.
    if (same_day) {
        w_.metrics.spell_ended(hospital, true, now, now);
    } else {
        const std::uint32_t id = w_.inpatients.acquire();
        w_.note_records();
        Inpatient& patient = w_.inpatients[id];
        patient.kind = StayKind::emergency;
        patient.hospital = static_cast<std::uint8_t>(hospital);
        patient.place = static_cast<std::uint8_t>(place);
        patient.age_band = static_cast<std::uint8_t>(age);
        patient.arrival = now;
        patient.acute_los = acute_los;
        patient.assessment_delay = assessment;
        patient.pathway_draw = static_cast<float>(pathway_draw);
        w_.handoffs.send(w_.scheduler, Handoff::Type::emergency, id);
    }

    const double next = w_.t.emergency_rates[stream].next_arrival(now, emergency_times_[stream]);
    if (next < w_.t.horizon) {
        w_.scheduler.schedule_at(next, sim::EventClass::arrival, kEmergency, stream);
    }
}

void Demand::daily_counts(double day_start) {
    const double midday = day_start + 0.5;
    for (std::uint32_t h = 0; h < w_.p.hospitals.size(); ++h) {
        const double ae = w_.t.expected_per_day(w_.t.ae_per_day[h], midday);
        const double other = w_.t.expected_per_day(w_.t.other_non_elective_per_day[h], midday);
        w_.metrics.activity(h, Activity::ae_attendance, midday,
                            static_cast<double>(counts_.poisson(ae)));
        w_.metrics.activity(h, Activity::other_non_elective, midday,
                            static_cast<double>(counts_.poisson(other)));
    }
}

}  // namespace icsflow::models::blmk
