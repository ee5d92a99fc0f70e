#include "models/blmk/system/world.hpp"

#include <algorithm>
#include <cmath>

namespace icsflow::models::blmk {

void Handoffs::send(sim::Scheduler& scheduler, Handoff::Type type, std::uint32_t subject,
                    double delay) {
    std::uint32_t slot = 0;
    if (!free_.empty()) {
        slot = free_.back();
        free_.pop_back();
        slots_[slot] = Handoff{type, subject};
    } else {
        slots_.push_back(Handoff{type, subject});
        slot = static_cast<std::uint32_t>(slots_.size() - 1);
    }
    ++in_flight_;
    // A patient allowed to leave frees the bed before anyone else acts at that instant.
    const sim::EventClass event_class = type == Handoff::Type::transfer_accepted
                                            ? sim::EventClass::release
                                            : sim::EventClass::arrival;
    scheduler.schedule_in(delay, event_class, kHandoff, slot);
}

Handoff Handoffs::receive(std::uint32_t slot) {
    free_.push_back(slot);
    --in_flight_;
    return slots_[slot];
}

World::World(const ScenarioTables& tables, const sim::ReplicationContext& replication)
    : t(tables),
      p(tables.p),
      context(replication),
      scheduler(tables.start_time, 4096),
      metrics(tables),
      delivery(tables, stream("uncertainty/capacity_delivery")),
      lists(*this),
      clinics(*this),
      theatres(*this),
      beds(*this),
      community(*this),
      demand(*this) {}

void World::schedule_start() {
    const double start = t.start_time;
    scheduler.schedule_at(start, sim::EventClass::capacity_change, kInitialise);
    demand.schedule_start(start);
    beds.schedule_start(start);
    community.schedule_start(start);
    for (std::uint32_t i = 0; i < t.sessions.size(); ++i) {
        const double next = t.sessions[i].next_after(t.calendar, start);
        if (next < t.horizon) {
            scheduler.schedule_at(next, sim::EventClass::seize, kSession, i);
        }
    }
    scheduler.schedule_at(std::ceil(start), sim::EventClass::seize, kDaily);
    for (std::uint32_t i = 0; i < p.policy_changes.size(); ++i) {
        const double from = std::max(start, p.policy_changes[i].from);
        if (from < t.horizon) {
            scheduler.schedule_at(from, sim::EventClass::capacity_change, kPolicyChange, i);
        }
    }
    for (std::uint32_t w = 0; w < t.weeks.size(); ++w) {
        if (t.weeks.end(w) < t.horizon) {
            scheduler.schedule_at(t.weeks.end(w), sim::EventClass::observation, kWeekEnd, w);
        }
    }
    for (std::uint32_t m = 0; m < t.months.size(); ++m) {
        if (t.months.end(m) < t.horizon) {
            scheduler.schedule_at(t.months.end(m), sim::EventClass::observation, kMonthEnd, m);
        }
    }
}

void World::close_pathway(std::uint32_t id, ClockStop how) {
    const Pathway& pathway = pathways[id];
    metrics.clock_stopped(pathway.hospital, pathway.specialty, pathway.clock_start, how,
                          scheduler.now());
    pathways.release(id);
}

void World::handle(const sim::Event& event) {
    const double now = event.time;
    switch (event.kind) {
        case kInitialise:
            lists.insert_initial_list(now);
            break;
        case kReferral:
            demand.referral(event.subject, now);
            break;
        case kEmergency:
            demand.emergency(event.subject, now);
            break;
        case kHandoff: {
            const Handoff message = handoffs.receive(event.subject);
            switch (message.type) {
                case Handoff::Type::referral: {
                    const Pathway& pathway = pathways[message.subject];
                    metrics.clock_started(pathway.hospital, pathway.specialty, pathway.clock_start,
                                          now);
                    metrics.referral(pathway.place, pathway.specialty, now);
                    lists.join(message.subject, Stage::outpatient_first, now);
                    break;
                }
                case Handoff::Type::emergency:
                    beds.emergency_arrives(message.subject, now);
                    break;
                case Handoff::Type::support_request:
                    community.request(message.subject, now);
                    break;
                case Handoff::Type::transfer_accepted:
                    beds.transfer_accepted(message.subject, now);
                    break;
            }
            break;
        }
        case kSession: {
            const SessionSeries& session = t.sessions[event.subject];
            using K = SessionSeries::Kind;
            if (session.kind == K::theatre_day_case || session.kind == K::theatre_inpatient ||
                session.kind == K::independent_sector) {
                theatres.run_session(event.subject, now);
            } else {
                clinics.run_session(event.subject, now);
            }
            const double next = session.next_after(t.calendar, now);
            if (next < t.horizon) {
                scheduler.schedule_at(next, sim::EventClass::seize, kSession, event.subject);
            }
            break;
        }
        case kAcuteCareEnds:
            beds.acute_care_ends(event.subject, now);
            break;
        case kAssessmentEnds:
            beds.assessment_ends(event.subject, now);
            break;
        case kExternalSupport:
            beds.transfer_accepted(event.subject, now);
            break;
        case kCommunityEnds:
            community.service_ends(event.subject, now);
            break;
        case kCareHomeVacancy:
            community.vacancy(event.subject, now);
            break;
        case kBedLevel:
            beds.capacity_changes(event.subject, now);
            break;
        case kCommunityLevel:
            community.capacity_changes(event.subject, now);
            break;
        case kDaily:
            lists.daily_removals(now);
            lists.daily_reviews(now);
            demand.daily_counts(now);
            if (now + 1.0 < t.horizon) {
                scheduler.schedule_at(now + 1.0, sim::EventClass::seize, kDaily);
            }
            break;
        case kWeekEnd:
            metrics.week_ended(event.subject);
            break;
        case kMonthEnd:
            metrics.month_ended(event.subject, pathways);
            break;
        case kTreatmentStarts:
            clinics.treatment_starts(event.subject, now);
            break;
        case kCancerDecision:
            clinics.cancer_decision(event.subject, now);
            break;
        case kDeferralEnds:
            lists.deferral_ends(event.subject, now);
            break;
        case kPolicyChange:
            lists.change_policy(p.policy_changes[event.subject]);
            break;
        default:
            throw std::logic_error("BLMK model: unknown event kind");
    }
}

}  // namespace icsflow::models::blmk
