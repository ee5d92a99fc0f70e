// Reads the BLMK configuration into BlmkParameters. Types and ranges are checked by the
// dictionary; this file adds the rules that tie keys together (shares that sum to one, ids that
// must name a hospital, dates in order), recording every violation so all are reported at once.
#include "models/blmk/parameters/read_parameters.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>

#include "sim/io/io_error.hpp"
#include "sim/io/monthly_table.hpp"
#include "sim/output/output_schema.hpp"

namespace icsflow::models::blmk {

namespace {

using sim::config::ConfigNode;

constexpr double kShareTolerance = 1e-6;
// People (population times demand multiplier) over all places: see check_system_size.
constexpr double kMaxSystemPopulation = 1e7;

template <std::size_t N>
std::array<double, N> fixed_array(ConfigNode& node, std::string_view key) {
    std::array<double, N> out{};
    const std::vector<double> values = node.numbers(key);
    if (values.size() != N) {
        if (!values.empty() || node.has(key)) {
            node.error(key, "expected " + std::to_string(N) + " values, found " +
                                std::to_string(values.size()));
        }
        return out;
    }
    std::copy(values.begin(), values.end(), out.begin());
    return out;
}

template <std::size_t N>
std::array<double, N> mix(ConfigNode& node, std::string_view key) {
    std::array<double, N> out = fixed_array<N>(node, key);
    const double total = std::accumulate(out.begin(), out.end(), 0.0);
    if (node.has(key) && std::abs(total - 1.0) > kShareTolerance && total > 0.0) {
        node.error(key, "shares must sum to 1 (they sum to " + std::to_string(total) + ")");
    }
    return out;
}

sim::DurationDistribution read_duration(ConfigNode& parent, std::string_view key) {
    ConfigNode node = parent.table(key);
    const std::string family = node.string("distribution");
    auto positive = [&](std::string_view k) {
        const double v = node.number(k);
        if (!(v > 0.0)) {
            node.error(k, "must be > 0 for a " + family + " distribution");
            return 1.0;
        }
        return v;
    };
    if (family == "fixed") {
        return sim::DurationDistribution::fixed(node.number("value"));
    }
    if (family == "exponential") {
        return sim::DurationDistribution::exponential(positive("mean"));
    }
    if (family == "lognormal") {
        const double mean = positive("mean");
        return sim::DurationDistribution::lognormal(mean, positive("sd"));
    }
    if (family == "gamma") {
        const double mean = positive("mean");
        return sim::DurationDistribution::gamma(mean, positive("sd"));
    }
    if (family == "weibull") {
        const double shape = positive("shape");
        return sim::DurationDistribution::weibull(shape, positive("scale"));
    }
    return sim::DurationDistribution::fixed(0.0);  // an issue is already recorded
}

// Ids of a table_map in the order the model uses everywhere (name order).
struct Ids {
    std::vector<std::string> names;
    [[nodiscard]] int find(const std::string& id) const {
        const auto it = std::find(names.begin(), names.end(), id);
        return it == names.end() ? -1 : static_cast<int>(it - names.begin());
    }
};

std::vector<std::uint32_t> resolve_ids(ConfigNode& node, std::string_view key, const Ids& ids,
                                       const char* what) {
    std::vector<std::uint32_t> out;
    for (const std::string& name : node.strings(key)) {
        const int index = ids.find(name);
        if (index < 0) {
            node.error(key, std::string("no ") + what + " with id '" + name + "'");
            continue;
        }
        out.push_back(static_cast<std::uint32_t>(index));
    }
    return out;
}

class Reader {
  public:
    Reader(ConfigNode& root, const sim::SimCalendar& calendar, const sim::RunSettings& run)
        : root_(root), calendar_(calendar), run_(run) {}

    std::optional<BlmkParameters> read() {
        read_global();
        read_specialties();
        read_hospitals();
        read_places();
        read_emergency_and_community();
        read_dna();
        read_policy();
        read_removals();
        read_returning_demand();
        read_drivers();
        p_.uncertainty.capacity_delivery_sd =
            root_.table("uncertainty").number("capacity_delivery_sd");
        read_initial_list();
        read_changes();
        read_analysis();
        if (!root_.document().ok()) {
            return std::nullopt;
        }
        return std::move(p_);
    }

  private:
    double day(ConfigNode& node, std::string_view key) { return calendar_.time_of(node.date(key)); }

    void read_dated(ConfigNode& node, DatedMultiplier& m) {
        static_cast<void>(node.string("label"));  // for reports only
        m.from = day(node, "from");
        m.to = day(node, "to");
        m.value = node.number("multiplier");
        m.monthly = node.numbers("monthly");
        if (!(m.to > m.from)) {
            node.error("to", "must be after `from`");
        }
    }

    Scope read_scope(ConfigNode& node, bool hospitals, bool specialties, bool places) {
        Scope scope;
        if (hospitals) {
            scope.hospitals = resolve_ids(node, "hospitals", hospital_ids_, "hospital");
        }
        if (specialties) {
            scope.specialties = resolve_ids(node, "specialties", specialty_ids_, "specialty");
        }
        if (places) {
            scope.places = resolve_ids(node, "places", place_ids_, "place");
        }
        return scope;
    }

    void read_global() {
        ConfigNode demand = root_.table("demand");
        p_.referral_growth = demand.number("referral_growth_per_year");
        p_.ae_growth = demand.number("ae_growth_per_year");

        ConfigNode seasonality = root_.table("seasonality");
        p_.seasonality.referrals = fixed_array<12>(seasonality, "referrals");
        p_.seasonality.emergency = fixed_array<12>(seasonality, "emergency");

        ConfigNode timetables = root_.table("timetables");
        auto weekdays = [&](std::string_view key) {
            std::vector<unsigned> out;
            for (const double v : timetables.numbers(key)) {
                out.push_back(static_cast<unsigned>(std::lround(v)));
            }
            if (out.empty()) {
                timetables.error(key, "at least one weekday is needed");
            }
            return out;
        };
        auto hours = [&](std::string_view key) {
            std::vector<double> out = timetables.numbers(key);
            if (out.empty()) {
                timetables.error(key, "at least one session start hour is needed");
            }
            return out;
        };
        p_.clinic_weekdays = weekdays("clinic_weekdays");
        p_.clinic_hours = hours("clinic_hours");
        p_.theatre_weekdays = weekdays("theatre_weekdays");
        p_.theatre_hours = hours("theatre_hours");
        p_.diagnostic_weekdays = weekdays("diagnostic_weekdays");
        p_.diagnostic_hours = hours("diagnostic_hours");
    }

    void read_specialties() {
        for (auto& [id, node] : root_.table_map("specialties")) {
            specialty_ids_.names.push_back(id);
            SpecialtyParams s;
            s.id = id;
            s.name = node.string("name");
            s.referrals_per_1000 = fixed_array<kUrgencies>(node, "referrals_per_1000");
            s.diagnostic_probability = node.number("diagnostic_probability");
            s.modality_mix = mix<kModalities>(node, "modality_mix");
            s.follow_up_probability = node.number("follow_up_probability");
            if (s.diagnostic_probability + s.follow_up_probability > 1.0 + kShareTolerance) {
                node.error("follow_up_probability",
                           "diagnostic_probability + follow_up_probability exceeds 1");
            }
            s.admit_probability = node.number("admit_probability");
            s.cancer_conversion = node.number("cancer_conversion");
            s.cancer_surgical_share = node.number("cancer_surgical_share");
            s.day_case_share = node.number("day_case_share");
            s.priority_mix = mix<kPriorities>(node, "priority_mix");
            s.inpatient_los = read_duration(node, "inpatient_los");
            s.elective_discharge_mix = mix<kDischargePathways>(node, "elective_discharge_mix");
            p_.specialties.push_back(std::move(s));
        }
        if (p_.specialties.empty() && root_.document().ok()) {
            root_.error("specialties", "at least one specialty is needed");
        }
    }

    void read_hospitals() {
        auto hospitals = root_.table_map("hospitals");
        for (auto& [id, node] : hospitals) {
            hospital_ids_.names.push_back(id);
        }
        for (auto& [id, node] : hospitals) {
            HospitalParams h;
            h.id = id;
            h.name = node.string("name");
            h.trust = node.string("trust");
            h.general_acute_beds = node.number("general_acute_beds");
            h.elective_ring_fenced_beds = node.number("elective_ring_fenced_beds");
            h.emergency_bed_reserve = node.number("emergency_bed_reserve");
            ConfigNode diagnostics = node.table("diagnostics");
            h.diagnostic_slots_per_week = fixed_array<kModalities>(diagnostics, "slots_per_week");
            h.diagnostic_other_share = fixed_array<kModalities>(diagnostics, "other_share");
            h.ae_attendances_per_day = node.number("ae_attendances_per_day");
            h.other_non_elective_per_day = node.number("other_non_elective_per_day");
            h.clinics.assign(p_.specialties.size(), ClinicCapacity{});
            std::vector<bool> seen(p_.specialties.size(), false);
            for (auto& [specialty, clinic] : node.table_map("clinics")) {
                const int s = specialty_ids_.find(specialty);
                ClinicCapacity c;
                c.first_slots_per_week = clinic.number("first_slots_per_week");
                c.follow_up_slots_per_week = clinic.number("follow_up_slots_per_week");
                c.follow_up_other_share = clinic.number("follow_up_other_share");
                c.day_case_sessions_per_week = clinic.number("day_case_sessions_per_week");
                c.day_cases_per_session = clinic.number("day_cases_per_session");
                c.inpatient_sessions_per_week = clinic.number("inpatient_sessions_per_week");
                c.inpatient_cases_per_session = clinic.number("inpatient_cases_per_session");
                c.theatre_planned_share = clinic.number("theatre_planned_share");
                if (s < 0) {
                    node.error("clinics", "no specialty with id '" + specialty + "'");
                    continue;
                }
                h.clinics[static_cast<std::size_t>(s)] = c;
                seen[static_cast<std::size_t>(s)] = true;
            }
            for (std::size_t s = 0; s < seen.size(); ++s) {
                if (!seen[s]) {
                    node.error("clinics", "no capacity given for specialty '" +
                                              p_.specialties[s].id +
                                              "' (give zeros if the hospital does not offer it)");
                }
            }
            auto trust = std::find(p_.trusts.begin(), p_.trusts.end(), h.trust);
            if (trust == p_.trusts.end()) {
                p_.trusts.push_back(h.trust);
                trust = p_.trusts.end() - 1;
            }
            p_.trust_index.push_back(static_cast<std::uint32_t>(trust - p_.trusts.begin()));
            p_.hospitals.push_back(std::move(h));
        }
        if (p_.hospitals.empty() && root_.document().ok()) {
            root_.error("hospitals", "at least one hospital is needed");
        }
    }

    std::vector<double> shares_by_id(ConfigNode& node, std::string_view key, const Ids& ids,
                                     const char* what, bool must_sum_to_one_at_most) {
        std::vector<double> out(ids.names.size(), 0.0);
        double total = 0.0;
        for (const auto& [id, share] : node.number_map(key)) {
            const int index = ids.find(id);
            if (index < 0) {
                node.error(key, std::string("no ") + what + " with id '" + id + "'");
                continue;
            }
            out[static_cast<std::size_t>(index)] = share;
            total += share;
        }
        if (must_sum_to_one_at_most && total > 1.0 + kShareTolerance) {
            node.error(key, "shares sum to " + std::to_string(total) + ", more than 1");
        }
        return out;
    }

    void read_places() {
        for (auto& [id, node] : root_.table_map("places")) {
            place_ids_.names.push_back(id);
            PlaceParams pl;
            pl.id = id;
            pl.name = node.string("name");
            pl.external = node.boolean("external");
            pl.population = node.number("population");
            pl.age_shares = mix<kAgeBands>(node, "age_shares");
            pl.referral_multiplier = node.number("referral_multiplier");
            pl.emergency_multiplier = node.number("emergency_multiplier");
            pl.annual_growth = node.number("annual_growth");
            pl.hospital_shares =
                shares_by_id(node, "hospital_shares", hospital_ids_, "hospital", true);
            ConfigNode community = node.table("community");
            pl.reablement_slots = community.number("reablement_slots");
            pl.community_beds = community.number("community_beds");
            pl.care_home_placements_per_week = community.number("care_home_placements_per_week");
            p_.places.push_back(std::move(pl));
        }
        if (p_.places.empty() && root_.document().ok()) {
            root_.error("places", "at least one place is needed");
        }
        check_system_size();
    }

    // Demand grows with population times the places' multipliers, and every patient is held in
    // memory: beyond a bound the run exhausts memory or never ends, so it is refused here.
    void check_system_size() {
        double people = 0.0;
        for (const PlaceParams& place : p_.places) {
            people += place.population *
                      std::max({1.0, place.referral_multiplier, place.emergency_multiplier});
        }
        if (root_.document().ok() && people > kMaxSystemPopulation) {
            std::ostringstream message;
            message << "the places hold " << people
                    << " people (weighted by their demand multipliers); at most "
                    << kMaxSystemPopulation
                    << ", about three times England's largest integrated care system, are allowed";
            root_.error("places", message.str());
        }
    }

    void read_emergency_and_community() {
        ConfigNode e = root_.table("emergency");
        p_.emergency.admissions_per_1000 = fixed_array<kAgeBands>(e, "admissions_per_1000");
        p_.emergency.zero_day_share = fixed_array<kAgeBands>(e, "zero_day_share");
        const std::array<const char*, kAgeBands> bands{"under_65", "age_65_84", "age_85_plus"};
        for (std::size_t a = 0; a < kAgeBands; ++a) {
            p_.emergency.acute_los[a] = read_duration(e, std::string("acute_los_") + bands[a]);
            p_.emergency.discharge_mix[a] =
                mix<kDischargePathways>(e, std::string("discharge_mix_") + bands[a]);
        }
        p_.emergency.assessment_delay = read_duration(e, "assessment_delay");
        p_.emergency.annual_growth = e.number("growth_per_year");

        ConfigNode c = root_.table("community");
        p_.community.reablement_duration = read_duration(c, "reablement_duration");
        p_.community.community_bed_duration = read_duration(c, "community_bed_duration");
        p_.community.external_transfer_delay = read_duration(c, "external_transfer_delay");
    }

    void read_dna() {
        ConfigNode d = root_.table("dna");
        p_.dna.first = d.number("first");
        p_.dna.follow_up = d.number("follow_up");
        p_.dna.max_dnas = static_cast<std::uint32_t>(d.integer("max_dnas"));
        p_.dna.first_dna_resets_clock = d.boolean("first_dna_resets_clock");
        for (ConfigNode& change : d.table_array("changes")) {
            DatedMultiplier m;
            read_dated(change, m);
            p_.dna.changes.push_back(m);
        }
    }

    void read_policy() {
        ConfigNode policy = root_.table("policy");
        p_.policy.outpatient_order =
            sim::queue_discipline_from_string(policy.string("outpatient_order"));
        p_.policy.admitted_order =
            sim::queue_discipline_from_string(policy.string("admitted_order"));
        p_.policy.pooled_specialties =
            resolve_ids(policy, "pooled_specialties", specialty_ids_, "specialty");
        p_.policy.practice.cancellation_rebook_priority =
            static_cast<std::uint32_t>(policy.integer("cancellation_rebook_priority"));
        p_.policy.practice.long_wait_review_weeks = policy.number("long_wait_review_weeks");
        p_.policy.practice.long_wait_review_priority =
            static_cast<std::uint32_t>(policy.integer("long_wait_review_priority"));
        p_.policy.practice.long_wait_review_share = policy.number("long_wait_review_share");
        p_.policy.practice.max_wait_review_weeks = policy.number("max_wait_review_weeks");
        p_.policy.practice.max_wait_review_priority =
            static_cast<std::uint32_t>(policy.integer("max_wait_review_priority"));
        p_.policy.practice.out_of_turn_share = policy.number("out_of_turn_share");
        for (ConfigNode& node : root_.table_array("policy_changes")) {
            PolicyChange change;
            static_cast<void>(node.string("label"));
            change.from = day(node, "from");
            if (node.has("outpatient_order")) {
                change.change_outpatient = true;
                change.outpatient_order =
                    sim::queue_discipline_from_string(node.string("outpatient_order"));
            }
            if (node.has("admitted_order")) {
                change.change_admitted = true;
                change.admitted_order =
                    sim::queue_discipline_from_string(node.string("admitted_order"));
            }
            if (node.has("long_wait_review_weeks")) {
                change.long_wait_review_weeks = node.number("long_wait_review_weeks");
            }
            if (node.has("long_wait_review_priority")) {
                change.long_wait_review_priority =
                    static_cast<std::uint32_t>(node.integer("long_wait_review_priority"));
            }
            if (node.has("long_wait_review_share")) {
                change.long_wait_review_share = node.number("long_wait_review_share");
            }
            if (node.has("max_wait_review_weeks")) {
                change.max_wait_review_weeks = node.number("max_wait_review_weeks");
            }
            if (node.has("max_wait_review_priority")) {
                change.max_wait_review_priority =
                    static_cast<std::uint32_t>(node.integer("max_wait_review_priority"));
            }
            if (node.has("cancellation_rebook_priority")) {
                change.cancellation_rebook_priority =
                    static_cast<std::uint32_t>(node.integer("cancellation_rebook_priority"));
            }
            if (node.has("out_of_turn_share")) {
                change.out_of_turn_share = node.number("out_of_turn_share");
            }
            if (node.has("pooled_specialties")) {
                change.change_pooling = true;
                change.pooled_specialties =
                    resolve_ids(node, "pooled_specialties", specialty_ids_, "specialty");
            }
            p_.policy_changes.push_back(change);
        }
        ConfigNode cancer = root_.table("cancer");
        p_.cancer.workup = read_duration(cancer, "workup");
        p_.cancer.non_surgical_delay = read_duration(cancer, "non_surgical_delay");
    }

    void read_initial_list() {
        ConfigNode list = root_.table("initial_list");
        InitialListParams& i = p_.initial_list;
        i.total = list.number("total");
        i.hospital_shares = shares_by_id(list, "hospital_shares", hospital_ids_, "hospital", false);
        i.specialty_shares =
            shares_by_id(list, "specialty_shares", specialty_ids_, "specialty", false);
        i.band_shares = mix<kWaitBands>(list, "band_shares");
        i.admitted_share_by_band = fixed_array<kWaitBands>(list, "admitted_share_by_band");
        i.diagnostics_share_by_band = fixed_array<kWaitBands>(list, "diagnostics_share_by_band");
        i.follow_up_share_by_band = fixed_array<kWaitBands>(list, "follow_up_share_by_band");
        for (std::size_t b = 0; b < kWaitBands; ++b) {
            if (i.admitted_share_by_band[b] + i.diagnostics_share_by_band[b] +
                    i.follow_up_share_by_band[b] >
                1.0 + kShareTolerance) {
                list.error("admitted_share_by_band",
                           std::string("band ") + wait_band_name(b) +
                               ": admitted + diagnostics + follow-up shares exceed 1");
            }
        }
        auto positive_total = [](const std::vector<double>& v) {
            return std::accumulate(v.begin(), v.end(), 0.0) > 0.0;
        };
        if (i.total > 0.0) {
            if (!positive_total(i.hospital_shares)) {
                list.error("hospital_shares", "needed when total > 0");
            }
            if (!positive_total(i.specialty_shares)) {
                list.error("specialty_shares", "needed when total > 0");
            }
        }
    }

    template <class Enum>
    std::vector<Enum> names_to_enum(ConfigNode& node, std::string_view key,
                                    const std::vector<std::pair<std::string, Enum>>& table) {
        std::vector<Enum> out;
        for (const std::string& name : node.strings(key)) {
            bool found = false;
            for (const auto& [n, value] : table) {
                if (n == name) {
                    out.push_back(value);
                    found = true;
                }
            }
            if (!found) {
                std::string known;
                for (const auto& [n, value] : table) {
                    known += (known.empty() ? "" : ", ") + n;
                }
                node.error(key, "unknown name '" + name + "' (known: " + known + ")");
            }
        }
        return out;
    }

    // Points of delivery named in `key`: single points or the groups outpatients, diagnostics,
    // theatres and elective.
    std::vector<DeliveryPoint> delivery_points(ConfigNode& node, std::string_view key) {
        using D = DeliveryPoint;
        const std::vector<std::pair<std::string, D>> single{
            {"outpatient_first", D::outpatient_first},
            {"outpatient_follow_up", D::outpatient_follow_up},
            {"diagnostics_mri", D::diagnostics_mri},
            {"diagnostics_ct", D::diagnostics_ct},
            {"diagnostics_endoscopy", D::diagnostics_endoscopy},
            {"theatre_day_case", D::theatre_day_case},
            {"theatre_inpatient", D::theatre_inpatient},
            {"beds", D::beds}};
        const std::map<std::string, std::vector<D>> groups{
            {"outpatients", {D::outpatient_first, D::outpatient_follow_up}},
            {"diagnostics", {D::diagnostics_mri, D::diagnostics_ct, D::diagnostics_endoscopy}},
            {"theatres", {D::theatre_day_case, D::theatre_inpatient}},
            {"elective",
             {D::outpatient_first, D::outpatient_follow_up, D::diagnostics_mri, D::diagnostics_ct,
              D::diagnostics_endoscopy, D::theatre_day_case, D::theatre_inpatient}}};
        std::vector<std::pair<std::string, D>> names = single;
        std::vector<DeliveryPoint> points;
        for (const std::string& name : node.strings(key)) {
            const auto group = groups.find(name);
            if (group != groups.end()) {
                points.insert(points.end(), group->second.begin(), group->second.end());
                continue;
            }
            const auto it = std::find_if(names.begin(), names.end(),
                                         [&](const auto& n) { return n.first == name; });
            if (it == names.end()) {
                node.error(key, "unknown point of delivery '" + name + "'");
                continue;
            }
            points.push_back(it->second);
        }
        if (points.empty() && root_.document().ok()) {
            node.error(key, "at least one point of delivery is needed");
        }
        return points;
    }

    // `keys_optional`: a later regime, whose keys not given keep the earlier regime's values.
    void read_removal_rates(ConfigNode& node, RemovalRates& rates, bool keys_optional) {
        const auto read = [&](std::string_view key, double& value) {
            if (!keys_optional || node.has(key)) {
                value = node.number(key);
            }
        };
        read("background_rate_per_week", rates.background_rate_per_week);
        read("at_booking", rates.at_booking);
        read("decline_probability", rates.decline_probability);
        read("decline_removed_share", rates.decline_removed_share);
        if (rates.at_booking + rates.decline_probability > 0.95) {
            node.error(
                "decline_probability",
                "at_booking + decline_probability must leave most offers accepted (<= 0.95)");
        }
    }

    void read_removals() {
        ConfigNode removals = root_.table("removals");
        read_removal_rates(removals, p_.removals.before, false);
        p_.removals.deferral_weeks = removals.number("deferral_weeks");
        ConfigNode pandemic = removals.table("pandemic");
        p_.removals.after = p_.removals.before;
        if (pandemic.has("from")) {
            p_.removals.regime_from = day(pandemic, "from");
            read_removal_rates(pandemic, p_.removals.after, true);
        } else {
            for (const char* key : {"background_rate_per_week", "at_booking", "decline_probability",
                                    "decline_removed_share"}) {
                if (pandemic.has(key)) {
                    pandemic.error(key, "needs removals.pandemic.from");
                }
            }
        }
    }

    void read_returning_demand() {
        ConfigNode node = root_.table("returning_demand");
        ReturningDemandParams& r = p_.returning_demand;
        r.share = node.number("share");
        r.months = static_cast<int>(node.integer("months"));
        r.declining = node.string("profile") == "declining";
        if (node.has("from")) {
            r.from = day(node, "from");
        } else if (r.share > 0.0) {
            node.error("from", "needed when share > 0");
        }
    }

    // A "YYYY-MM" text as the time of its first day.
    std::optional<double> month_time(ConfigNode& node, std::string_view key) {
        const std::string month = node.string(key);
        try {
            return calendar_.time_of(sim::parse_date(month + "-01"));
        } catch (const std::invalid_argument&) {
            node.error(key, "expected YYYY-MM, got '" + month + "'");
            return std::nullopt;
        }
    }

    void read_drivers() {
        ConfigNode drivers = root_.table("drivers");
        const auto reference_from = month_time(drivers, "reference_from");
        const auto reference_to = month_time(drivers, "reference_to");
        for (auto& [name, node] : drivers.table_map("capacity")) {
            CapacityChange change;
            change.label = "driver: " + name;
            change.points = delivery_points(node, "points");
            change.multiplier.from = day(node, "from");
            change.multiplier.to = std::max(run_.horizon_days(), change.multiplier.from) + 1.0;
            change.multiplier.monthly = node.numbers("monthly");
            const double scale = node.number("scale");
            for (double& value : change.multiplier.monthly) {
                value *= scale;
            }
            if (change.multiplier.monthly.empty()) {
                node.error("monthly", "needs at least one value");
            }
            p_.capacity_changes.push_back(std::move(change));
        }
        if (!drivers.has("referrals")) {
            return;
        }
        const std::string column = drivers.string("referrals");
        if (!drivers.has("observed")) {
            drivers.error("referrals", "needs drivers.observed (the file with the column)");
            return;
        }
        const std::filesystem::path file =
            std::filesystem::path(drivers.file_of("observed")).parent_path() /
            drivers.string("observed");
        if (!reference_from || !reference_to) {
            return;
        }
        try {
            const sim::MonthlyTable table = sim::MonthlyTable::read_csv(file.string());
            const std::vector<double>& values = table.column(column);
            ReferralDriver& driver = p_.referral_driver;
            driver.reference_from = *reference_from;
            driver.reference_to =
                calendar_.month_start(calendar_.month_index_at(*reference_to) + 1);
            double reference_sum = 0.0;
            double reference_days = 0.0;
            std::vector<double> per_day;
            for (std::size_t row = 0; row < table.size(); ++row) {
                const double start =
                    calendar_.time_of(sim::parse_date(table.months()[row] + "-01"));
                const double end = calendar_.month_start(calendar_.month_index_at(start) + 1);
                if (!std::isfinite(values[row])) {
                    drivers.error("referrals", file.string() + ": column '" + column +
                                                   "' has no value for " + table.months()[row]);
                    return;
                }
                driver.month_start.push_back(start);
                driver.month_end.push_back(end);
                per_day.push_back(values[row] / (end - start));
                if (start >= driver.reference_from && start < driver.reference_to) {
                    reference_sum += values[row];
                    reference_days += end - start;
                }
            }
            if (!(reference_days > 0.0) || !(reference_sum > 0.0)) {
                drivers.error("reference_from", "the reference months are not in " + file.string() +
                                                    " (or their values are 0)");
                driver = ReferralDriver{};
                return;
            }
            for (const double rate : per_day) {
                driver.ratio.push_back(rate / (reference_sum / reference_days));
            }
        } catch (const sim::IoError& e) {
            drivers.error("observed", e.what());
        } catch (const std::invalid_argument& e) {
            drivers.error("referrals", e.what());
        }
    }

    void read_changes() {
        for (ConfigNode& node : root_.table_array("capacity_changes")) {
            CapacityChange change;
            change.label = node.string("label");
            change.points = delivery_points(node, "points");
            change.scope = read_scope(node, true, true, false);
            read_dated(node, change.multiplier);
            change.add_per_week = node.number("add_per_week");
            p_.capacity_changes.push_back(std::move(change));
        }

        const std::vector<std::pair<std::string, DemandKind>> kinds{
            {"referrals", DemandKind::referrals},
            {"emergency_admissions", DemandKind::emergency_admissions},
            {"ae_attendances", DemandKind::ae_attendances}};
        const std::vector<std::pair<std::string, Urgency>> urgencies{
            {"routine", Urgency::routine},
            {"urgent", Urgency::urgent},
            {"suspected_cancer", Urgency::suspected_cancer}};
        std::vector<std::pair<std::string, std::uint32_t>> age_bands;
        for (std::uint32_t a = 0; a < kAgeBands; ++a) {
            age_bands.emplace_back(age_band_name(a), a);
        }
        for (ConfigNode& node : root_.table_array("demand_changes")) {
            DemandChange change;
            change.label = node.string("label");
            change.kinds = names_to_enum(node, "kinds", kinds);
            change.urgencies = names_to_enum(node, "urgencies", urgencies);
            change.age_bands = names_to_enum(node, "age_bands", age_bands);
            if (!change.age_bands.empty() &&
                std::any_of(change.kinds.begin(), change.kinds.end(), [](DemandKind kind) {
                    return kind != DemandKind::emergency_admissions;
                })) {
                node.error("age_bands",
                           "only emergency_admissions have age bands: give "
                           "kinds = [\"emergency_admissions\"] with them");
            }
            change.scope = read_scope(node, false, true, true);
            read_dated(node, change.multiplier);
            p_.demand_changes.push_back(std::move(change));
        }

        for (ConfigNode& node : root_.table_array("los_changes")) {
            LosChange change;
            static_cast<void>(node.string("label"));
            change.scope = read_scope(node, true, true, false);
            change.emergency = node.boolean("emergency");
            read_dated(node, change.multiplier);
            p_.los_changes.push_back(std::move(change));
        }

        for (ConfigNode& node : root_.table_array("ring_fence_changes")) {
            RingFenceChange change;
            static_cast<void>(node.string("label"));
            change.scope = read_scope(node, true, false, false);
            change.from = day(node, "from");
            change.to = day(node, "to");
            change.beds = node.number("beds");
            change.from_general = node.boolean("from_general");
            if (!(change.to > change.from)) {
                node.error("to", "must be after `from`");
            }
            p_.ring_fence_changes.push_back(std::move(change));
        }

        for (ConfigNode& node : root_.table_array("assessment_delay_changes")) {
            AssessmentDelayChange change;
            static_cast<void>(node.string("label"));
            change.scope = read_scope(node, true, false, false);
            read_dated(node, change.multiplier);
            p_.assessment_delay_changes.push_back(std::move(change));
        }

        for (ConfigNode& node : root_.table_array("discharge_mix_changes")) {
            DischargeMixChange change;
            change.from = day(node, "from");
            change.to = day(node, "to");
            change.mix[0] = mix<kDischargePathways>(node, "under_65");
            change.mix[1] = mix<kDischargePathways>(node, "age_65_84");
            change.mix[2] = mix<kDischargePathways>(node, "age_85_plus");
            p_.discharge_mix_changes.push_back(change);
        }

        const std::vector<std::pair<std::string, CommunityService>> services{
            {"reablement", CommunityService::reablement},
            {"community_bed", CommunityService::community_bed},
            {"care_home", CommunityService::care_home}};
        for (ConfigNode& node : root_.table_array("community_changes")) {
            CommunityChange change;
            static_cast<void>(node.string("label"));
            change.scope = read_scope(node, false, false, true);
            change.services = names_to_enum(node, "services", services);
            read_dated(node, change.multiplier);
            p_.community_changes.push_back(std::move(change));
        }

        for (ConfigNode& node : root_.table_array("independent_sector")) {
            IndependentSectorContract contract;
            contract.label = node.string("label");
            contract.from = day(node, "from");
            contract.to = day(node, "to");
            contract.scope = read_scope(node, true, true, false);
            contract.cases_per_week = node.number("cases_per_week");
            const std::string rule = node.string("rule");
            contract.rule = rule == "priority_then_longest_wait"
                                ? IndependentSectorRule::priority_then_longest_wait
                            : rule == "lowest_priority_first"
                                ? IndependentSectorRule::lowest_priority_first
                                : IndependentSectorRule::longest_wait;
            contract.min_weeks_waited = node.number("min_weeks_waited");
            if (!(contract.to > contract.from)) {
                node.error("to", "must be after `from`");
            }
            p_.independent_sector.push_back(std::move(contract));
        }
    }

    // A "YYYY-MM" month inside the simulated period, as a month index.
    int month_index(ConfigNode& node, std::string_view key) {
        const std::optional<double> start = month_time(node, key);
        if (!start) {
            return -1;
        }
        const int index = calendar_.month_index_at(*start);
        if (index < 0 || calendar_.month_start(index) >= run_.horizon_days()) {
            node.error(key, "month " + node.string(key) + " is outside the simulated period");
            return -1;
        }
        return index;
    }

    // Whether [from, to) holds the start of a simulated month (the first starts with the run).
    [[nodiscard]] bool holds_a_month(double from, double to) const {
        const double horizon = run_.horizon_days();
        for (int month = 0;; ++month) {
            const double start = month == 0 ? 0.0 : calendar_.month_start(month);
            if (start >= horizon) {
                return false;
            }
            if (start >= from - 1e-9 && start < to) {
                return true;
            }
        }
    }

    void read_analysis() {
        ConfigNode analysis = root_.table("analysis");
        const double horizon = run_.horizon_days();
        const bool from_given = analysis.has("peak_from");
        const bool to_given = analysis.has("peak_to");
        p_.analysis.peak_from = from_given ? day(analysis, "peak_from") : calendar_.month_start(12);
        p_.analysis.peak_to = to_given ? day(analysis, "peak_to") : horizon;
        if (!from_given && !holds_a_month(p_.analysis.peak_from, p_.analysis.peak_to)) {
            p_.analysis.peak_from = 0.0;  // a run of a year or less: its peak over the whole run
        }
        if (root_.document().ok() && !holds_a_month(p_.analysis.peak_from, p_.analysis.peak_to)) {
            analysis.error(to_given ? "peak_to" : "peak_from",
                           "the peak is searched in no simulated month: the window must hold the "
                           "start of a month between run.start_date and run.end_date, and "
                           "peak_from must be before peak_to");
        }
        if (analysis.has("census_month")) {
            p_.analysis.census_month = std::max(0, month_index(analysis, "census_month"));
        }
        std::set<std::string> target_names;
        for (ConfigNode& node : analysis.table_array("targets")) {
            TargetParams t;
            t.name = node.string("name");
            if (const std::string problem = sim::dataset_name_problem(t.name); !problem.empty()) {
                node.error("name", problem);
            }
            if (!target_names.insert(t.name).second) {
                node.error("name", "duplicate target name '" + t.name + "'");
            }
            const std::string measure = node.string("measure");
            for (std::size_t m = 0; m < kTargetMeasures; ++m) {
                if (measure == target_measure_name(m)) {
                    t.measure = static_cast<TargetMeasure>(m);
                }
            }
            t.month = month_index(node, "month");
            if (target_uses_prior_year(t.measure) && t.month >= 0 && t.month < 12) {
                node.error("month",
                           "must be at least 12 months after the start (it is "
                           "compared with the same month a year earlier)");
            }
            t.threshold = node.number("threshold");
            if (target_is_ratio(t.measure) && t.threshold > 10.0) {
                node.error("threshold", "a ratio or share: at most 10 (got " +
                                            std::to_string(t.threshold) + ")");
            }
            p_.analysis.targets.push_back(std::move(t));
        }
    }

    ConfigNode& root_;
    const sim::SimCalendar& calendar_;
    const sim::RunSettings& run_;
    BlmkParameters p_;
    Ids specialty_ids_;
    Ids hospital_ids_;
    Ids place_ids_;
};

}  // namespace

std::optional<BlmkParameters> read_parameters(ConfigNode& root, const sim::SimCalendar& calendar,
                                              const sim::RunSettings& run) {
    return Reader(root, calendar, run).read();
}

}  // namespace icsflow::models::blmk
