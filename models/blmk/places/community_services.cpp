#include "models/blmk/places/community_services.hpp"

#include <cmath>

#include "models/blmk/system/world.hpp"

namespace icsflow::models::blmk {

namespace {

constexpr std::size_t kCareHome = static_cast<std::size_t>(CommunityService::care_home);

}  // namespace

CommunityServices::CommunityServices(World& world) : w_(world) {
    for (const PlaceParams& place : w_.p.places) {
        for (std::size_t s = 0; s < kCommunityServices; ++s) {
            Service service;
            service.base_capacity = s == 0   ? place.reablement_slots
                                    : s == 1 ? place.community_beds
                                             : 0.0;
            services_.push_back(std::move(service));
        }
        durations_.push_back(w_.stream("community/durations/" + place.id));
        vacancies_.push_back(w_.stream("community/vacancies/" + place.id));
    }
}

void CommunityServices::schedule_start(double start_time) {
    for (std::uint32_t cell = 0; cell < services_.size(); ++cell) {
        Service& service = services_[cell];
        const sim::CapacitySchedule& rules = w_.t.community_rules[cell];
        service.capacity =
            std::floor(rules.level_at(w_.t.calendar, start_time, service.base_capacity));
        service.change_points = rules.change_points(start_time, w_.t.horizon);
        if (cell % kCommunityServices != kCareHome && !service.change_points.empty()) {
            w_.scheduler.schedule_at(service.change_points.front(),
                                     sim::EventClass::capacity_change, kCommunityLevel, cell);
        }
        record(cell, start_time);
    }
    for (std::uint32_t place = 0; place < w_.p.places.size(); ++place) {
        const double next = w_.t.vacancy_rates[place].next_arrival(start_time, vacancies_[place]);
        if (next < w_.t.horizon) {
            w_.scheduler.schedule_at(next, sim::EventClass::release, kCareHomeVacancy, place);
        }
    }
}

void CommunityServices::record(std::uint32_t cell, double now) {
    const Service& service = services_[cell];
    w_.metrics.community(cell / kCommunityServices, cell % kCommunityServices, now,
                         static_cast<double>(service.waiting.size()),
                         static_cast<double>(service.in_service));
}

void CommunityServices::request(std::uint32_t inpatient, double now) {
    const Inpatient& patient = w_.inpatients[inpatient];
    const std::uint32_t cell =
        patient.place * kCommunityServices + (patient.discharge_pathway - 1U);
    ++requested_;
    services_[cell].waiting.push(inpatient);
    if (cell % kCommunityServices != kCareHome) {
        start_next(cell, now);
    }
    record(cell, now);
}

void CommunityServices::start_next(std::uint32_t cell, double now) {
    Service& service = services_[cell];
    while (!service.waiting.empty() &&
           static_cast<double>(service.in_service) + 1.0 <= service.capacity) {
        accept(cell, now);
    }
}

void CommunityServices::accept(std::uint32_t cell, double now) {
    Service& service = services_[cell];
    const std::uint32_t inpatient = service.waiting.pop();
    const std::uint32_t place = cell / kCommunityServices;
    const std::size_t kind = cell % kCommunityServices;
    ++accepted_;
    w_.metrics.community_started(place, kind, now,
                                 now - w_.inpatients[inpatient].support_requested);
    if (kind != kCareHome) {
        ++service.in_service;
        const sim::DurationDistribution& duration =
            kind == 0 ? w_.p.community.reablement_duration : w_.p.community.community_bed_duration;
        w_.scheduler.schedule_in(duration.sample(durations_[place]), sim::EventClass::release,
                                 kCommunityEnds, cell);
    }
    w_.handoffs.send(w_.scheduler, Handoff::Type::transfer_accepted, inpatient);
}

void CommunityServices::service_ends(std::uint32_t cell, double now) {
    --services_[cell].in_service;
    start_next(cell, now);
    record(cell, now);
}

void CommunityServices::vacancy(std::uint32_t place, double now) {
    const std::uint32_t cell = place * kCommunityServices + kCareHome;
    if (!services_[cell].waiting.empty()) {
        accept(cell, now);
        record(cell, now);
    }
    const double next = w_.t.vacancy_rates[place].next_arrival(now, vacancies_[place]);
    if (next < w_.t.horizon) {
        w_.scheduler.schedule_at(next, sim::EventClass::release, kCareHomeVacancy, place);
    }
}

void CommunityServices::capacity_changes(std::uint32_t cell, double now) {
    Service& service = services_[cell];
    service.capacity =
        std::floor(w_.t.community_rules[cell].level_at(w_.t.calendar, now, service.base_capacity));
    if (++service.next_change < service.change_points.size()) {
        w_.scheduler.schedule_at(service.change_points[service.next_change],
                                 sim::EventClass::capacity_change, kCommunityLevel, cell);
    }
    start_next(cell, now);
    record(cell, now);
}

std::uint64_t CommunityServices::waiting() const {
    std::uint64_t total = 0;
    for (const Service& s : services_) {
        total += s.waiting.size();
    }
    return total;
}

}  // namespace icsflow::models::blmk
