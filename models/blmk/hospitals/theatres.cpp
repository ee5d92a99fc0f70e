#include "models/blmk/hospitals/theatres.hpp"

#include <algorithm>
#include <tuple>

#include "models/blmk/system/world.hpp"

namespace icsflow::models::blmk {

Theatres::Theatres(World& world)
    : w_(world), rounders_(world.t.sessions.size()), planned_rounders_(world.t.sessions.size()) {
    for (const HospitalParams& h : w_.p.hospitals) {
        for (const SpecialtyParams& s : w_.p.specialties) {
            planned_.push_back(w_.stream("theatres/planned/" + h.id + "/" + s.id));
        }
    }
}

void Theatres::run_session(std::uint32_t series, double now) {
    const SessionSeries& session = w_.t.sessions[series];
    const std::uint32_t cases = rounders_[series].take(session.capacity_at(w_.t.calendar, now) *
                                                       w_.delivery.factor(session.kind, now));
    using K = SessionSeries::Kind;
    switch (session.kind) {
        case K::theatre_day_case:
            day_cases(series, cases, now);
            break;
        case K::theatre_inpatient:
            inpatients(series, cases, now);
            break;
        case K::independent_sector:
            independent_sector(series, cases, now);
            break;
        default:
            throw std::logic_error("theatres: not a theatre session");
    }
}

void Theatres::treated(std::uint32_t id, double now) {
    const Pathway& pathway = w_.pathways[id];
    if (pathway.has(Pathway::cancer)) {
        w_.metrics.cancer_treated(pathway.hospital, pathway.referral_time, now);
    }
    w_.close_pathway(id, ClockStop::admitted);
}

void Theatres::day_cases(std::uint32_t series, std::uint32_t cases, double now) {
    const SessionSeries& session = w_.t.sessions[series];
    const std::uint32_t planned =
        std::min(cases, planned_rounders_[series].take(cases * session.other_share));
    w_.metrics.activity(session.hospital, Activity::day_case, now, planned);
    const std::size_t list =
        w_.lists.rtt_list(session.hospital, session.specialty, Stage::admitted_day_case);
    for (std::uint32_t k = planned; k < cases; ++k) {
        const std::uint32_t id = w_.lists.offer_next(list, now);
        if (id == WaitingLists::kNoPatient) {
            break;
        }
        w_.metrics.patient_activity(session.hospital, w_.pathways[id].place, Activity::day_case,
                                    now);
        treated(id, now);
    }
}

void Theatres::inpatients(std::uint32_t series, std::uint32_t cases, double now) {
    const SessionSeries& session = w_.t.sessions[series];
    const std::uint32_t h = session.hospital;
    const std::uint32_t s = session.specialty;
    const std::uint32_t planned =
        std::min(cases, planned_rounders_[series].take(cases * session.other_share));
    bool beds_ran_out = false;
    sim::RandomStream& stream = planned_[h * w_.p.specialties.size() + s];
    for (std::uint32_t k = 0; k < planned; ++k) {
        const auto place = static_cast<std::uint32_t>(w_.t.place_of_hospital[h].sample(stream));
        if (!beds_ran_out && w_.beds.admit_elective(h, StayKind::planned, s, place, now)) {
            w_.metrics.patient_activity(h, place, Activity::elective_inpatient, now);
        } else {
            beds_ran_out = true;
            w_.metrics.cancellation(h, now);
        }
    }
    const std::size_t list = w_.lists.rtt_list(h, s, Stage::admitted_inpatient);
    std::vector<std::uint32_t> cancelled;
    for (std::uint32_t k = planned; k < cases; ++k) {
        const std::uint32_t id = w_.lists.offer_next(list, now);
        if (id == WaitingLists::kNoPatient) {
            break;
        }
        const Pathway& pathway = w_.pathways[id];
        if (!beds_ran_out && w_.beds.admit_elective(h, StayKind::elective, s, pathway.place, now)) {
            w_.metrics.patient_activity(h, pathway.place, Activity::elective_inpatient, now);
            treated(id, now);
        } else {
            beds_ran_out = true;
            w_.metrics.cancellation(h, now);
            cancelled.push_back(id);
        }
    }
    // Cancelled patients go back on the list, at the rebooking priority or better, after the
    // list is done (so the same session does not book them again).
    const std::uint32_t rebook = w_.lists.cancellation_rebook_priority();
    for (const std::uint32_t id : cancelled) {
        Pathway& pathway = w_.pathways[id];
        pathway.priority =
            static_cast<std::uint8_t>(std::min<std::uint32_t>(pathway.priority, rebook));
        w_.lists.join(id, Stage::admitted_inpatient, now);
    }
}

void Theatres::independent_sector(std::uint32_t series, std::uint32_t cases, double now) {
    if (cases == 0) {
        return;
    }
    const SessionSeries& session = w_.t.sessions[series];
    const IndependentSectorContract& contract = w_.p.independent_sector[session.contract];
    // Candidates from every day-case list in scope (a pooled list is visited once).
    std::vector<std::size_t> lists;
    for (std::uint32_t h = 0; h < w_.p.hospitals.size(); ++h) {
        for (std::uint32_t s = 0; s < w_.p.specialties.size(); ++s) {
            if (contract.scope.hospital(h) && contract.scope.specialty(s)) {
                lists.push_back(w_.lists.rtt_list(h, s, Stage::admitted_day_case));
            }
        }
    }
    std::sort(lists.begin(), lists.end());
    lists.erase(std::unique(lists.begin(), lists.end()), lists.end());
    const double latest_start = now - 7.0 * contract.min_weeks_waited;
    // The `cases` candidates with the smallest (key 1, key 2, id), chosen first, kept in a
    // max-heap while the lists are scanned. The keys come from the list entries: on an admitted
    // list an entry's priority is the pathway's priority and its `since` the pathway's clock
    // start. So a patient's record (cancer, hospital) is read only if the keys would make the
    // selection; reading every record of every list was most of the cost of this session.
    using Candidate = std::tuple<double, double, std::uint32_t>;
    std::vector<Candidate>& chosen = candidates_;
    chosen.clear();
    for (const std::size_t list : lists) {
        const PathwayQueue& queue = w_.lists.list(list);
        for (std::size_t i = 0; i < queue.size(); ++i) {
            const auto& entry = queue.entry_at(i);
            if (entry.since > latest_start) {
                continue;
            }
            double first = 0.0;
            switch (contract.rule) {
                case IndependentSectorRule::longest_wait:
                    first = 0.0;
                    break;
                case IndependentSectorRule::priority_then_longest_wait:
                    first = entry.priority;
                    break;
                case IndependentSectorRule::lowest_priority_first:
                    first = -static_cast<double>(entry.priority);
                    break;
            }
            const Candidate candidate{first, entry.since, entry.item};
            if (chosen.size() == cases && !(candidate < chosen.front())) {
                continue;
            }
            const Pathway& pathway = w_.pathways[entry.item];
            if (pathway.has(Pathway::cancer) || !contract.scope.hospital(pathway.hospital)) {
                continue;
            }
            if (chosen.size() == cases) {
                std::pop_heap(chosen.begin(), chosen.end());
                chosen.back() = candidate;
            } else {
                chosen.push_back(candidate);
            }
            std::push_heap(chosen.begin(), chosen.end());
        }
    }
    std::sort_heap(chosen.begin(), chosen.end());
    const std::size_t n = chosen.size();
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t id = std::get<2>(chosen[k]);
        w_.lists.leave(id);
        w_.metrics.patient_activity(w_.pathways[id].hospital, w_.pathways[id].place,
                                    Activity::independent_sector, now);
        treated(id, now);
    }
}

}  // namespace icsflow::models::blmk
