#include "models/blmk/system/scenario_tables.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "models/blmk/system/dated_factors.hpp"
#include "sim/random/portable_math.hpp"

namespace icsflow::models::blmk {

namespace {

constexpr double kDaysPerYear = 365.25;

bool applies_to_point(const CapacityChange& change, DeliveryPoint point) {
    return std::find(change.points.begin(), change.points.end(), point) != change.points.end();
}

// `age_band` is kNoAgeBand for demand that has no age (A&E attendances, other non-elective
// spells), which a change for named age bands leaves alone.
constexpr std::size_t kNoAgeBand = std::numeric_limits<std::size_t>::max();

bool demand_applies(const DemandChange& change, DemandKind kind, std::size_t place,
                    std::size_t specialty, std::size_t urgency, std::size_t age_band) {
    if (std::find(change.kinds.begin(), change.kinds.end(), kind) == change.kinds.end()) {
        return false;
    }
    if (!change.age_bands.empty() && std::find(change.age_bands.begin(), change.age_bands.end(),
                                               age_band) == change.age_bands.end()) {
        return false;
    }
    if (kind == DemandKind::referrals) {
        if (!change.scope.specialty(static_cast<std::uint32_t>(specialty))) {
            return false;
        }
        if (!change.urgencies.empty() &&
            std::find(change.urgencies.begin(), change.urgencies.end(),
                      static_cast<Urgency>(urgency)) == change.urgencies.end()) {
            return false;
        }
    }
    // A&E attendances are counted per hospital, so place scopes do not narrow them.
    return kind == DemandKind::ae_attendances ||
           change.scope.place(static_cast<std::uint32_t>(place));
}

double demand_factor(const BlmkParameters& p, const sim::SimCalendar& calendar, DemandKind kind,
                     std::size_t place, std::size_t specialty, std::size_t urgency, double time,
                     std::size_t age_band = kNoAgeBand) {
    double factor = 1.0;
    for (const DemandChange& change : p.demand_changes) {
        if (demand_applies(change, kind, place, specialty, urgency, age_band)) {
            factor *= dated_factor(change.multiplier, calendar, time);
        }
    }
    return factor;
}

std::size_t sessions_per_week(const std::vector<unsigned>& weekdays,
                              const std::vector<double>& hours) {
    return weekdays.size() * hours.size();
}

// Referrals suppressed before `r.from` (the usual rate less the changed one, where lower) come
// back as extra daily rate over the return window: evenly, or falling linearly to zero.
void add_returning_demand(const ReturningDemandParams& r, const sim::SimCalendar& calendar,
                          const std::vector<double>& days, const std::vector<double>& usual,
                          std::vector<double>& rates) {
    if (!(r.share > 0.0)) {
        return;
    }
    const double end = calendar.month_start(calendar.month_index_at(r.from) + r.months);
    double missing = 0.0;
    double weight_sum = 0.0;
    std::vector<double> weights(days.size(), 0.0);
    for (std::size_t i = 0; i < days.size(); ++i) {
        if (days[i] < r.from) {
            missing += std::max(0.0, usual[i] - rates[i]);
        } else if (days[i] < end) {
            weights[i] = r.declining ? (end - days[i] - 0.5) / (end - r.from) : 1.0;
            weight_sum += weights[i];
        }
    }
    if (!(weight_sum > 0.0)) {
        return;
    }
    for (std::size_t i = 0; i < days.size(); ++i) {
        rates[i] += r.share * missing * weights[i] / weight_sum;
    }
}

// In the months an observed series covers, the rate is the stream's own mean over the reference
// months times the series' ratio for the month.
void apply_referral_driver(const ReferralDriver& driver, const std::vector<double>& days,
                           std::vector<double>& rates) {
    if (!driver.active()) {
        return;
    }
    double sum = 0.0;
    double count = 0.0;
    for (std::size_t i = 0; i < days.size(); ++i) {
        if (days[i] >= driver.reference_from && days[i] < driver.reference_to) {
            sum += rates[i];
            count += 1.0;
        }
    }
    if (!(count > 0.0)) {
        return;
    }
    const double reference = sum / count;
    std::size_t month = 0;
    for (std::size_t i = 0; i < days.size(); ++i) {
        while (month < driver.ratio.size() && days[i] >= driver.month_end[month]) {
            ++month;
        }
        if (month < driver.ratio.size() && days[i] >= driver.month_start[month]) {
            rates[i] = reference * driver.ratio[month];
        }
    }
}

}  // namespace

double SessionSeries::next_after(const sim::SimCalendar& calendar, double time) const {
    if (weekdays.empty() || hours.empty()) {
        return std::numeric_limits<double>::infinity();
    }
    const double first_day = std::floor(time);
    for (int k = 0; k <= 7; ++k) {
        const double day = first_day + k;
        const unsigned weekday = calendar.weekday_at(day);
        if (std::find(weekdays.begin(), weekdays.end(), weekday) == weekdays.end()) {
            continue;
        }
        for (const double hour : hours) {
            const double t = day + hour / 24.0;
            if (t > time) {
                return t;
            }
        }
    }
    return std::numeric_limits<double>::infinity();
}

ScenarioTables::ScenarioTables(const BlmkParameters& params, sim::Date start_date,
                               double warmup_days, double horizon_days)
    : p(params),
      calendar(start_date),
      start_time(-warmup_days),
      horizon(horizon_days),
      weeks(sim::ReportingPeriods::weekly(calendar, horizon_days)),
      months(sim::ReportingPeriods::monthly(calendar, horizon_days)) {
    first_day = static_cast<std::int64_t>(std::floor(start_time));
    const std::int64_t last_day = static_cast<std::int64_t>(std::ceil(horizon));
    std::vector<double> breaks;
    for (std::int64_t d = first_day; d < last_day; ++d) {
        breaks.push_back(static_cast<double>(d));
    }
    auto month_of = [&](double t) {
        return static_cast<std::size_t>(static_cast<unsigned>(calendar.date_at(t).month()) - 1);
    };

    // Routing among the modelled hospitals; demand leaving the modelled system is never drawn.
    std::vector<double> modelled_share(p.places.size(), 0.0);
    for (std::size_t pl = 0; pl < p.places.size(); ++pl) {
        const auto& shares = p.places[pl].hospital_shares;
        modelled_share[pl] = std::accumulate(shares.begin(), shares.end(), 0.0);
        routing.emplace_back(modelled_share[pl] > 0.0 ? shares
                                                      : std::vector<double>(shares.size(), 1.0));
    }

    for (std::size_t h = 0; h < p.hospitals.size(); ++h) {
        std::vector<double> flows;
        for (const PlaceParams& place : p.places) {
            flows.push_back(place.population * place.hospital_shares[h]);
        }
        if (std::accumulate(flows.begin(), flows.end(), 0.0) <= 0.0) {
            flows.assign(flows.size(), 1.0);
        }
        place_of_hospital.emplace_back(flows);
    }

    // Referrals.
    for (std::size_t pl = 0; pl < p.places.size(); ++pl) {
        const PlaceParams& place = p.places[pl];
        for (std::size_t s = 0; s < p.specialties.size(); ++s) {
            for (std::size_t u = 0; u < kUrgencies; ++u) {
                const double base = place.population * place.referral_multiplier *
                                    p.specialties[s].referrals_per_1000[u] / 1000.0 / kDaysPerYear *
                                    modelled_share[pl];
                std::vector<double> usual;  // before the demand changes
                std::vector<double> rates;
                usual.reserve(breaks.size());
                rates.reserve(breaks.size());
                for (const double day : breaks) {
                    const double t = day + 0.5;
                    const double growth = sim::portable::pow(1.0 + place.annual_growth, years(t)) *
                                          sim::portable::pow(1.0 + p.referral_growth, years(t));
                    usual.push_back(base * growth * p.seasonality.referrals[month_of(day)]);
                    rates.push_back(usual.back() * demand_factor(p, calendar, DemandKind::referrals,
                                                                 pl, s, u, day));
                }
                add_returning_demand(p.returning_demand, calendar, breaks, usual, rates);
                apply_referral_driver(p.referral_driver, breaks, rates);
                referral_rates.emplace_back(breaks, std::move(rates));
            }
        }
    }

    // Emergency admissions.
    for (std::size_t pl = 0; pl < p.places.size(); ++pl) {
        const PlaceParams& place = p.places[pl];
        for (std::size_t a = 0; a < kAgeBands; ++a) {
            const double base = place.population * place.age_shares[a] *
                                p.emergency.admissions_per_1000[a] / 1000.0 / kDaysPerYear *
                                place.emergency_multiplier * modelled_share[pl];
            std::vector<double> rates;
            rates.reserve(breaks.size());
            for (const double day : breaks) {
                const double t = day + 0.5;
                const double growth = sim::portable::pow(1.0 + place.annual_growth, years(t)) *
                                      sim::portable::pow(1.0 + p.emergency.annual_growth, years(t));
                rates.push_back(
                    base * growth * p.seasonality.emergency[month_of(day)] *
                    demand_factor(p, calendar, DemandKind::emergency_admissions, pl, 0, 0, day, a));
            }
            emergency_rates.emplace_back(breaks, std::move(rates));
        }
    }

    // Care-home vacancies and community capacity schedules.
    for (std::size_t pl = 0; pl < p.places.size(); ++pl) {
        for (std::size_t service = 0; service < kCommunityServices; ++service) {
            std::vector<sim::CapacityRule> rules;
            for (const CommunityChange& change : p.community_changes) {
                const bool service_in =
                    change.services.empty() ||
                    std::find(change.services.begin(), change.services.end(),
                              static_cast<CommunityService>(service)) != change.services.end();
                if (service_in && change.scope.place(static_cast<std::uint32_t>(pl))) {
                    append_rules(change.multiplier, 0.0, calendar, rules);
                }
            }
            community_rules.emplace_back(std::vector<sim::WeeklySession>{}, std::move(rules));
        }
        const double base = p.places[pl].care_home_placements_per_week / 7.0;
        const sim::CapacitySchedule& care_home =
            community_rules[pl * kCommunityServices +
                            static_cast<std::size_t>(CommunityService::care_home)];
        std::vector<double> rates;
        for (const double day : breaks) {
            rates.push_back(care_home.level_at(calendar, day, base));
        }
        vacancy_rates.emplace_back(breaks, std::move(rates));
    }

    // Daily expected A&E attendances and other non-elective spells, by hospital.
    for (std::size_t h = 0; h < p.hospitals.size(); ++h) {
        std::vector<double> ae;
        std::vector<double> other;
        for (const double day : breaks) {
            const double t = day + 0.5;
            const double season = p.seasonality.emergency[month_of(day)];
            ae.push_back(p.hospitals[h].ae_attendances_per_day *
                         sim::portable::pow(1.0 + p.ae_growth, years(t)) * season *
                         demand_factor(p, calendar, DemandKind::ae_attendances, 0, 0, 0, day));
            other.push_back(p.hospitals[h].other_non_elective_per_day *
                            sim::portable::pow(1.0 + p.emergency.annual_growth, years(t)) *
                            demand_factor(p, calendar, DemandKind::emergency_admissions,
                                          std::numeric_limits<std::size_t>::max(), 0, 0, day));
        }
        ae_per_day.push_back(std::move(ae));
        other_non_elective_per_day.push_back(std::move(other));
    }

    // Beds.
    for (std::size_t h = 0; h < p.hospitals.size(); ++h) {
        std::vector<sim::CapacityRule> rules;
        for (const CapacityChange& change : p.capacity_changes) {
            if (applies_to_point(change, DeliveryPoint::beds) &&
                change.scope.hospital(static_cast<std::uint32_t>(h))) {
                append_rules(change.multiplier, change.add_per_week, calendar, rules);
            }
        }
        bed_rules.emplace_back(std::vector<sim::WeeklySession>{}, std::move(rules));
    }

    // Sessions: clinics, diagnostics, theatres, independent sector.
    auto make_series = [&](SessionSeries::Kind kind, std::uint32_t h, std::uint32_t s,
                           DeliveryPoint point, double weekly, double other_share,
                           const std::vector<unsigned>& weekdays, const std::vector<double>& hours,
                           bool specialty_scoped) {
        SessionSeries series;
        series.kind = kind;
        series.hospital = h;
        series.specialty = s;
        series.weekdays = weekdays;
        series.hours = hours;
        std::sort(series.hours.begin(), series.hours.end());
        const double per_week = static_cast<double>(sessions_per_week(weekdays, hours));
        series.capacity_per_session = per_week > 0 ? weekly / per_week : 0.0;
        series.other_share = other_share;
        std::vector<sim::CapacityRule> rules;
        for (const CapacityChange& change : p.capacity_changes) {
            if (!applies_to_point(change, point) || !change.scope.hospital(h) ||
                (specialty_scoped && !change.scope.specialty(s))) {
                continue;
            }
            append_rules(change.multiplier, per_week > 0 ? change.add_per_week / per_week : 0.0,
                         calendar, rules);
        }
        series.rules = sim::CapacitySchedule({}, std::move(rules));
        sessions.push_back(std::move(series));
    };
    using K = SessionSeries::Kind;
    for (std::uint32_t h = 0; h < p.hospitals.size(); ++h) {
        const HospitalParams& hospital = p.hospitals[h];
        for (std::uint32_t s = 0; s < p.specialties.size(); ++s) {
            const ClinicCapacity& c = hospital.clinics[s];
            make_series(K::outpatient_first, h, s, DeliveryPoint::outpatient_first,
                        c.first_slots_per_week, 0.0, p.clinic_weekdays, p.clinic_hours, true);
            make_series(K::outpatient_follow_up, h, s, DeliveryPoint::outpatient_follow_up,
                        c.follow_up_slots_per_week, c.follow_up_other_share, p.clinic_weekdays,
                        p.clinic_hours, true);
            make_series(K::theatre_day_case, h, s, DeliveryPoint::theatre_day_case,
                        c.day_case_sessions_per_week * c.day_cases_per_session,
                        c.theatre_planned_share, p.theatre_weekdays, p.theatre_hours, true);
            make_series(K::theatre_inpatient, h, s, DeliveryPoint::theatre_inpatient,
                        c.inpatient_sessions_per_week * c.inpatient_cases_per_session,
                        c.theatre_planned_share, p.theatre_weekdays, p.theatre_hours, true);
        }
        const std::array<DeliveryPoint, kModalities> points{DeliveryPoint::diagnostics_mri,
                                                            DeliveryPoint::diagnostics_ct,
                                                            DeliveryPoint::diagnostics_endoscopy};
        for (std::uint32_t m = 0; m < kModalities; ++m) {
            make_series(K::diagnostic, h, m, points[m], hospital.diagnostic_slots_per_week[m],
                        hospital.diagnostic_other_share[m], p.diagnostic_weekdays,
                        p.diagnostic_hours, false);
        }
    }
    for (std::uint32_t c = 0; c < p.independent_sector.size(); ++c) {
        const IndependentSectorContract& contract = p.independent_sector[c];
        SessionSeries series;
        series.kind = K::independent_sector;
        series.contract = c;
        series.weekdays = p.theatre_weekdays;
        series.hours = p.theatre_hours;
        const double per_week =
            static_cast<double>(sessions_per_week(series.weekdays, series.hours));
        series.capacity_per_session = per_week > 0 ? contract.cases_per_week / per_week : 0.0;
        // Outside the contract's dates the capacity is zero.
        std::vector<sim::CapacityRule> rules;
        if (start_time < contract.from) {
            rules.push_back(sim::CapacityRule{start_time, contract.from, 0.0, 0.0, 0x7F});
        }
        if (contract.to < horizon) {
            rules.push_back(sim::CapacityRule{contract.to, horizon + 1.0, 0.0, 0.0, 0x7F});
        }
        series.rules = sim::CapacitySchedule({}, std::move(rules));
        sessions.push_back(std::move(series));
    }
}

double ScenarioTables::dna_probability(bool first, double time) const {
    double rate = first ? p.dna.first : p.dna.follow_up;
    for (const DatedMultiplier& change : p.dna.changes) {
        rate *= dated_factor(change, calendar, time);
    }
    return std::min(rate, 0.99);
}

double ScenarioTables::los_multiplier(std::uint32_t hospital, std::uint32_t specialty,
                                      bool emergency, double time) const {
    double factor = 1.0;
    for (const LosChange& change : p.los_changes) {
        if (change.emergency == emergency && change.scope.hospital(hospital) &&
            (emergency || change.scope.specialty(specialty))) {
            factor *= dated_factor(change.multiplier, calendar, time);
        }
    }
    return factor;
}

ScenarioTables::RingFence ScenarioTables::ring_fence(std::uint32_t hospital, double time) const {
    RingFence fence{p.hospitals[hospital].elective_ring_fenced_beds, 0.0};
    for (const RingFenceChange& change : p.ring_fence_changes) {
        if (change.scope.hospital(hospital) && time >= change.from && time < change.to) {
            fence = {change.beds, change.from_general ? change.beds : 0.0};
        }
    }
    return fence;
}

std::vector<double> ScenarioTables::ring_fence_dates(std::uint32_t hospital) const {
    std::vector<double> dates;
    for (const RingFenceChange& change : p.ring_fence_changes) {
        if (change.scope.hospital(hospital)) {
            dates.push_back(change.from);
            dates.push_back(change.to);
        }
    }
    return dates;
}

double ScenarioTables::assessment_delay_multiplier(std::uint32_t hospital, double time) const {
    double factor = 1.0;
    for (const AssessmentDelayChange& change : p.assessment_delay_changes) {
        if (change.scope.hospital(hospital)) {
            factor *= dated_factor(change.multiplier, calendar, time);
        }
    }
    return factor;
}

const std::array<double, kDischargePathways>& ScenarioTables::discharge_mix(std::size_t age,
                                                                            double time) const {
    for (auto it = p.discharge_mix_changes.rbegin(); it != p.discharge_mix_changes.rend(); ++it) {
        if (time >= it->from && time < it->to) {
            return it->mix[age];
        }
    }
    return p.emergency.discharge_mix[age];
}

double ScenarioTables::expected_per_day(const std::vector<double>& daily, double time) const {
    const std::int64_t index = static_cast<std::int64_t>(std::floor(time)) - first_day;
    if (index < 0 || static_cast<std::size_t>(index) >= daily.size()) {
        return 0.0;
    }
    return daily[static_cast<std::size_t>(index)];
}

}  // namespace icsflow::models::blmk
