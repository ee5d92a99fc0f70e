#include "models/blmk/hospitals/clinics.hpp"

#include "models/blmk/system/world.hpp"

namespace icsflow::models::blmk {

Clinics::Clinics(World& world)
    : w_(world), rounders_(world.t.sessions.size()), other_rounders_(world.t.sessions.size()) {
    for (const HospitalParams& h : w_.p.hospitals) {
        for (const SpecialtyParams& s : w_.p.specialties) {
            attendance_.push_back(w_.stream("clinics/attendance/" + h.id + "/" + s.id));
        }
        cancer_.push_back(w_.stream("clinics/cancer/" + h.id));
        other_attendance_.push_back(w_.stream("clinics/other_attendance/" + h.id));
    }
}

void Clinics::run_session(std::uint32_t series, double now) {
    const SessionSeries& session = w_.t.sessions[series];
    const std::uint32_t total = rounders_[series].take(session.capacity_at(w_.t.calendar, now) *
                                                       w_.delivery.factor(session.kind, now));
    const std::uint32_t other =
        std::min(total, other_rounders_[series].take(total * session.other_share));
    const std::uint32_t rtt = total - other;
    using K = SessionSeries::Kind;
    switch (session.kind) {
        case K::outpatient_first:
            first_appointments(series, rtt, now);
            break;
        case K::outpatient_follow_up:
            // Slots of patients not on an RTT pathway: attended unless they DNA.
            w_.metrics.activity(session.hospital, Activity::outpatient_follow_up, now,
                                static_cast<double>(other_attendance_[session.hospital].binomial(
                                    other, 1.0 - w_.t.dna_probability(false, now))));
            follow_ups(series, rtt, now);
            break;
        case K::diagnostic:
            w_.metrics.activity(
                session.hospital,
                static_cast<Activity>(static_cast<std::size_t>(Activity::diagnostics_mri) +
                                      session.specialty),
                now, other);
            tests(series, rtt, now);
            break;
        default:
            throw std::logic_error("clinics: not a clinic session");
    }
}

bool Clinics::did_not_attend(std::uint32_t id, Stage stage, std::uint32_t hospital, double now) {
    Pathway& pathway = w_.pathways[id];
    const bool first = stage == Stage::outpatient_first;
    sim::RandomStream& stream = attendance_[hospital * w_.p.specialties.size() + pathway.specialty];
    if (!stream.bernoulli(w_.t.dna_probability(first, now))) {
        return false;
    }
    ++pathway.dnas;
    const bool suspected_cancer =
        pathway.urgency == static_cast<std::uint8_t>(Urgency::suspected_cancer);
    if (pathway.dnas >= w_.p.dna.max_dnas && !suspected_cancer) {
        w_.close_pathway(id, ClockStop::non_admitted);  // discharged back to the GP
        return true;
    }
    if (first && w_.p.dna.first_dna_resets_clock && !suspected_cancer &&
        !pathway.has(Pathway::seen_once)) {
        w_.metrics.clock_restarted(pathway.hospital, pathway.specialty, pathway.clock_start, now);
        pathway.clock_start = now;
    }
    w_.lists.join(id, stage, now);
    return true;
}

void Clinics::first_appointments(std::uint32_t series, std::uint32_t slots, double now) {
    const SessionSeries& session = w_.t.sessions[series];
    const std::size_t list =
        w_.lists.rtt_list(session.hospital, session.specialty, Stage::outpatient_first);
    // Patients who DNA are rebooked onto the same list; they must not be booked again into
    // this session, so the session takes its patients first and then deals with them.
    std::vector<std::uint32_t> booked;
    while (booked.size() < slots) {
        const std::uint32_t id = w_.lists.offer_next(list, now);
        if (id == WaitingLists::kNoPatient) {
            break;
        }
        booked.push_back(id);
    }
    for (const std::uint32_t id : booked) {
        if (did_not_attend(id, Stage::outpatient_first, session.hospital, now)) {
            continue;
        }
        Pathway& pathway = w_.pathways[id];
        w_.metrics.patient_activity(session.hospital, pathway.place, Activity::outpatient_first,
                                    now);
        pathway.set(Pathway::seen_once, true);
        if (pathway.has(Pathway::needs_test)) {
            w_.lists.join(id, Stage::diagnostics, now);
        } else if (pathway.has(Pathway::needs_follow_up)) {
            w_.lists.join(id, Stage::follow_up, now);
        } else {
            decide(id, now);
        }
    }
}

void Clinics::follow_ups(std::uint32_t series, std::uint32_t slots, double now) {
    const SessionSeries& session = w_.t.sessions[series];
    const std::size_t list =
        w_.lists.rtt_list(session.hospital, session.specialty, Stage::follow_up);
    std::vector<std::uint32_t> booked;
    while (booked.size() < slots && !w_.lists.list(list).empty()) {
        booked.push_back(w_.lists.take(list));
    }
    for (const std::uint32_t id : booked) {
        if (did_not_attend(id, Stage::follow_up, session.hospital, now)) {
            continue;
        }
        Pathway& pathway = w_.pathways[id];
        w_.metrics.patient_activity(session.hospital, pathway.place, Activity::outpatient_follow_up,
                                    now);
        if (pathway.urgency != static_cast<std::uint8_t>(Urgency::suspected_cancer)) {
            decide(id, now);
            continue;
        }
        if (!pathway.has(Pathway::cancer)) {
            w_.close_pathway(id, ClockStop::non_admitted);  // cancer ruled out
        } else {
            w_.scheduler.schedule_in(w_.p.cancer.workup.sample(cancer_[pathway.hospital]),
                                     sim::EventClass::seize, kCancerDecision, id);
        }
    }
}

void Clinics::tests(std::uint32_t series, std::uint32_t slots, double now) {
    const SessionSeries& session = w_.t.sessions[series];
    const std::size_t list = w_.lists.diagnostic_list(session.hospital, session.specialty);
    const auto activity = static_cast<Activity>(
        static_cast<std::size_t>(Activity::diagnostics_mri) + session.specialty);
    for (std::uint32_t k = 0; k < slots && !w_.lists.list(list).empty(); ++k) {
        const std::uint32_t id = w_.lists.take(list);
        w_.metrics.patient_activity(session.hospital, w_.pathways[id].place, activity, now);
        // Results and the decision come at a follow-up appointment.
        w_.lists.join(id, Stage::follow_up, now);
    }
}

void Clinics::decide(std::uint32_t id, double now) {
    const Pathway& pathway = w_.pathways[id];
    if (!pathway.has(Pathway::will_admit)) {
        w_.close_pathway(id, ClockStop::non_admitted);
        return;
    }
    w_.lists.join(
        id, pathway.has(Pathway::day_case) ? Stage::admitted_day_case : Stage::admitted_inpatient,
        now);
}

void Clinics::cancer_decision(std::uint32_t id, double now) {
    const Pathway& pathway = w_.pathways[id];
    if (pathway.has(Pathway::will_admit)) {
        w_.lists.join(
            id,
            pathway.has(Pathway::day_case) ? Stage::admitted_day_case : Stage::admitted_inpatient,
            now);
        return;
    }
    w_.scheduler.schedule_in(w_.p.cancer.non_surgical_delay.sample(cancer_[pathway.hospital]),
                             sim::EventClass::seize, kTreatmentStarts, id);
}

void Clinics::treatment_starts(std::uint32_t id, double now) {
    const Pathway& pathway = w_.pathways[id];
    w_.metrics.cancer_treated(pathway.hospital, pathway.referral_time, now);
    w_.close_pathway(id, ClockStop::non_admitted);
}

}  // namespace icsflow::models::blmk
