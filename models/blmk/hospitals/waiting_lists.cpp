#include "models/blmk/hospitals/waiting_lists.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/blmk/hospitals/pathway_rules.hpp"
#include "models/blmk/system/world.hpp"
#include "sim/random/portable_math.hpp"

namespace icsflow::models::blmk {

namespace {

// The four per-specialty lists of a hospital (diagnostic lists are per modality).
constexpr std::size_t kSpecialtyLists = 4;

std::size_t specialty_slot(Stage stage) {
    switch (stage) {
        case Stage::outpatient_first:
            return 0;
        case Stage::follow_up:
            return 1;
        case Stage::admitted_day_case:
            return 2;
        case Stage::admitted_inpatient:
            return 3;
        case Stage::diagnostics:
        case Stage::count:
            break;
    }
    throw std::logic_error("waiting lists: no specialty list for this stage");
}

bool admitted_stage(Stage stage) {
    return stage == Stage::admitted_day_case || stage == Stage::admitted_inpatient;
}

// Splits `total` into whole numbers proportional to `weights` (largest remainder), so that the
// counts add up exactly to the rounded total.
std::vector<std::uint64_t> apportion(double total, const std::vector<double>& weights) {
    const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    std::vector<std::uint64_t> counts(weights.size(), 0);
    if (!(sum > 0.0) || !(total > 0.0)) {
        return counts;
    }
    const auto target = static_cast<std::uint64_t>(std::llround(total));
    std::vector<std::pair<double, std::size_t>> remainders;
    std::uint64_t assigned = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double exact = total * weights[i] / sum;
        counts[i] = static_cast<std::uint64_t>(std::floor(exact));
        assigned += counts[i];
        remainders.emplace_back(exact - std::floor(exact), i);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; assigned < target && k < remainders.size(); ++k, ++assigned) {
        ++counts[remainders[k].second];
    }
    return counts;
}

}  // namespace

WaitingLists::WaitingLists(World& world)
    : w_(world),
      hospitals_(world.p.hospitals.size()),
      specialties_(world.p.specialties.size()),
      pooled_(world.p.specialties.size(), false),
      removals_(world.stream("lists/removals")),
      reviews_(world.stream("lists/reviews")),
      initial_(world.stream("lists/initial")),
      practice_(world.p.policy.practice) {
    for (const std::uint32_t s : w_.p.policy.pooled_specialties) {
        pooled_[s] = true;
    }
    PathwayPositions positions{&positions_};
    // Hospitals' own lists, then one set for the pooled specialties (index hospitals_).
    for (std::size_t h = 0; h <= hospitals_; ++h) {
        for (std::size_t s = 0; s < specialties_; ++s) {
            for (const Stage stage : {Stage::outpatient_first, Stage::follow_up,
                                      Stage::admitted_day_case, Stage::admitted_inpatient}) {
                queues_.emplace_back(admitted_stage(stage) ? w_.p.policy.admitted_order
                                                           : w_.p.policy.outpatient_order,
                                     positions);
                list_stage_.push_back(static_cast<std::uint8_t>(stage));
            }
        }
    }
    for (std::size_t i = 0; i < queues_.size(); ++i) {
        offers_.push_back(w_.stream("lists/offers/" + std::to_string(i)));
        turns_.push_back(w_.stream("lists/turns/" + std::to_string(i)));
    }
    diagnostic_base_ = queues_.size();
    for (std::size_t h = 0; h < hospitals_; ++h) {
        for (std::size_t m = 0; m < kModalities; ++m) {
            queues_.emplace_back(w_.p.policy.outpatient_order, positions);
            list_stage_.push_back(static_cast<std::uint8_t>(Stage::diagnostics));
        }
    }
}

std::size_t WaitingLists::rtt_list(std::uint32_t hospital, std::uint32_t specialty,
                                   Stage stage) const {
    const std::size_t owner = pooled_[specialty] ? hospitals_ : hospital;
    return (owner * specialties_ + specialty) * kSpecialtyLists + specialty_slot(stage);
}

std::size_t WaitingLists::diagnostic_list(std::uint32_t hospital, std::uint32_t modality) const {
    return diagnostic_base_ + hospital * kModalities + modality;
}

std::size_t WaitingLists::list_of(const Pathway& pathway, Stage stage) const {
    if (stage == Stage::diagnostics) {
        return diagnostic_list(pathway.hospital, pathway.modality);
    }
    return rtt_list(pathway.hospital, pathway.specialty, stage);
}

std::uint32_t WaitingLists::queue_priority(const Pathway& pathway, Stage stage) const {
    if (admitted_stage(stage)) {
        return pathway.priority;
    }
    // Outpatient and diagnostic lists: suspected cancer, then urgent, then routine.
    switch (static_cast<Urgency>(pathway.urgency)) {
        case Urgency::suspected_cancer:
            return 1;
        case Urgency::urgent:
            return 2;
        case Urgency::routine:
            break;
    }
    return 3;
}

void WaitingLists::join(std::uint32_t id, Stage stage, double now) {
    if (id >= positions_.size()) {
        positions_.resize(std::max<std::size_t>(2 * positions_.size(), id + 1024), sim::kNotQueued);
    }
    Pathway& pathway = w_.pathways[id];
    pathway.stage = static_cast<std::uint8_t>(stage);
    pathway.stage_since = now;
    // RTT lists wait by the clock (longest wait first); a diagnostic list by the date of the
    // request, as the 6-week diagnostic standard counts: a patient who reached the test early in
    // their pathway (booked out of turn) does not queue behind every later request with an older
    // clock.
    const double since = stage == Stage::diagnostics ? now : pathway.clock_start;
    queues_[list_of(pathway, stage)].push(id, queue_priority(pathway, stage), since);
    ++joined_[static_cast<std::size_t>(stage)];
    w_.metrics.stage_changed(pathway.hospital, -1, static_cast<int>(stage));
    if (stage == Stage::diagnostics) {
        w_.metrics.diagnostic_joined(pathway.hospital, pathway.modality, now);
    }
}

std::uint32_t WaitingLists::take(std::size_t list) {
    PathwayQueue& queue = queues_[list];
    const std::uint32_t id = queue.pop();
    // Sessions take their patients one after another: the record of the next one on the list is
    // requested now, so that it has arrived from memory by the next take.
    if (!queue.empty()) {
        __builtin_prefetch(&w_.pathways[queue.front().item]);
    }
    count_taken(list, id);
    return id;
}

std::uint32_t WaitingLists::take_for_offer(std::size_t list) {
    const double share = practice_.out_of_turn_share;
    if (!(share > 0.0)) {
        return take(list);
    }
    // Two uniforms per offer whatever the outcome, so the streams stay aligned between
    // scenarios. The patient drawn is uniform over the list; one in another class than the
    // next in turn would break the classes' order, so that offer stays in turn.
    sim::RandomStream& stream = turns_[list];
    const double out_of_turn = stream.uniform();
    const double slot = stream.uniform();
    PathwayQueue& queue = queues_[list];
    if (out_of_turn >= share) {
        return take(list);
    }
    const std::size_t index = std::min(
        static_cast<std::size_t>(slot * static_cast<double>(queue.size())), queue.size() - 1);
    const PathwayQueue::Entry drawn = queue.entry_at(index);
    if (!queue.same_class(drawn, queue.front())) {
        return take(list);
    }
    queue.remove(drawn.item);
    count_taken(list, drawn.item);
    return drawn.item;
}

void WaitingLists::count_taken(std::size_t list, std::uint32_t id) {
    const Pathway& pathway = w_.pathways[id];
    const std::size_t stage = list_stage_[list];
    ++left_[stage];
    w_.metrics.stage_changed(pathway.hospital, static_cast<int>(stage), -1);
    if (stage == static_cast<std::size_t>(Stage::diagnostics)) {
        w_.metrics.diagnostic_left(pathway.hospital, pathway.modality, pathway.stage_since);
    }
}

void WaitingLists::leave(std::uint32_t id) {
    const Pathway& pathway = w_.pathways[id];
    const Stage stage = static_cast<Stage>(pathway.stage);
    queues_[list_of(pathway, stage)].remove(id);
    ++left_[static_cast<std::size_t>(stage)];
    w_.metrics.stage_changed(pathway.hospital, static_cast<int>(stage), -1);
    if (stage == Stage::diagnostics) {
        w_.metrics.diagnostic_left(pathway.hospital, pathway.modality, pathway.stage_since);
    }
}

void WaitingLists::change_policy(const PolicyChange& change) {
    BookingPractice& p = practice_;
    p.long_wait_review_weeks = change.long_wait_review_weeks.value_or(p.long_wait_review_weeks);
    p.long_wait_review_priority =
        change.long_wait_review_priority.value_or(p.long_wait_review_priority);
    p.long_wait_review_share = change.long_wait_review_share.value_or(p.long_wait_review_share);
    p.max_wait_review_weeks = change.max_wait_review_weeks.value_or(p.max_wait_review_weeks);
    p.max_wait_review_priority =
        change.max_wait_review_priority.value_or(p.max_wait_review_priority);
    p.out_of_turn_share = change.out_of_turn_share.value_or(p.out_of_turn_share);
    p.cancellation_rebook_priority =
        change.cancellation_rebook_priority.value_or(p.cancellation_rebook_priority);
    if (change.change_pooling) {
        std::vector<bool> pooled(specialties_, false);
        for (const std::uint32_t s : change.pooled_specialties) {
            pooled[s] = true;
        }
        for (std::uint32_t s = 0; s < specialties_; ++s) {
            if (pooled[s] != pooled_[s]) {
                repool(s, pooled[s]);
            }
        }
    }
    for (std::size_t i = 0; i < queues_.size(); ++i) {
        const bool admitted = admitted_stage(static_cast<Stage>(list_stage_[i]));
        if (admitted && change.change_admitted) {
            queues_[i].set_discipline(change.admitted_order);
        } else if (!admitted && change.change_outpatient) {
            queues_[i].set_discipline(change.outpatient_order);
        }
    }
}

void WaitingLists::repool(std::uint32_t specialty, bool pooled) {
    // (stage, id) of every patient waiting in the specialty, on the hospitals' lists and the
    // shared one, taken off them under the old pooling and put back under the new.
    std::vector<std::pair<Stage, std::uint32_t>> moving;
    for (const Stage stage : {Stage::outpatient_first, Stage::follow_up, Stage::admitted_day_case,
                              Stage::admitted_inpatient}) {
        for (std::size_t owner = 0; owner <= hospitals_; ++owner) {
            PathwayQueue& queue = queues_[(owner * specialties_ + specialty) * kSpecialtyLists +
                                          specialty_slot(stage)];
            for (std::size_t k = 0; k < queue.size(); ++k) {
                moving.emplace_back(stage, queue.entry_at(k).item);
            }
        }
    }
    // In id order, so the new lists' insertion sequence does not depend on heap layout.
    std::sort(moving.begin(), moving.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const auto& [stage, id] : moving) {
        queues_[list_of(w_.pathways[id], stage)].remove(id);
    }
    pooled_[specialty] = pooled;
    for (const auto& [stage, id] : moving) {
        const Pathway& pathway = w_.pathways[id];
        queues_[list_of(pathway, stage)].push(id, queue_priority(pathway, stage),
                                              pathway.clock_start);
    }
}

std::uint64_t WaitingLists::waiting(std::size_t stage) const {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < queues_.size(); ++i) {
        if (list_stage_[i] == stage) {
            total += queues_[i].size();
        }
    }
    return total;
}

std::size_t WaitingLists::memory_bytes() const {
    std::size_t bytes = positions_.capacity() * sizeof(std::uint32_t);
    for (const PathwayQueue& q : queues_) {
        bytes += q.capacity() * sizeof(PathwayQueue::Entry);
    }
    return bytes;
}

bool WaitingLists::never_removed(const Pathway& pathway) const {
    return pathway.has(Pathway::cancer) ||
           pathway.urgency == static_cast<std::uint8_t>(Urgency::suspected_cancer);
}

std::uint32_t WaitingLists::offer_next(std::size_t list, double now) {
    const RemovalRates& rates = w_.p.removals.at(now);
    const double removed_at_booking = rates.at_booking;
    const double declined_removed =
        removed_at_booking + rates.decline_probability * rates.decline_removed_share;
    const double declined = removed_at_booking + rates.decline_probability;
    PathwayQueue& queue = queues_[list];
    while (!queue.empty()) {
        const std::uint32_t id = take_for_offer(list);
        if (!(declined > 0.0) || never_removed(w_.pathways[id])) {
            return id;
        }
        // One uniform per offer, whatever the outcome, so the streams stay aligned between
        // scenarios that change these rates.
        sim::RandomStream& stream = offers_[list];
        const double u = stream.uniform();
        if (u >= declined) {
            return id;
        }
        if (u < declined_removed) {
            w_.close_pathway(id, ClockStop::removed);
            continue;
        }
        const double delay = stream.exponential(1.0 / (7.0 * w_.p.removals.deferral_weeks));
        w_.scheduler.schedule_in(delay, sim::EventClass::arrival, kDeferralEnds, id);
    }
    return kNoPatient;
}

void WaitingLists::deferral_ends(std::uint32_t id, double now) {
    join(id, static_cast<Stage>(w_.pathways[id].stage), now);
}

void WaitingLists::daily_reviews(double now) {
    // The maximum-wait standard's reviews reach every patient, whatever a long-wait review made
    // of them; then the long-wait reviews, which may pass a patient over for good.
    const BookingPractice& p = practice_;
    review_long_waiters(now, p.max_wait_review_weeks, p.max_wait_review_priority, 1.0, false);
    review_long_waiters(now, p.long_wait_review_weeks, p.long_wait_review_priority,
                        p.long_wait_review_share, true);
}

void WaitingLists::review_long_waiters(double now, double weeks, std::uint32_t review_priority,
                                       double share, bool once) {
    if (!(weeks > 0.0)) {
        return;
    }
    const double reviewed_before = now - 7.0 * weeks;
    std::vector<std::uint32_t>& due = review_scratch_;
    for (std::size_t i = 0; i < queues_.size(); ++i) {
        if (!admitted_stage(static_cast<Stage>(list_stage_[i]))) {
            continue;
        }
        PathwayQueue& queue = queues_[i];
        due.clear();
        for (std::size_t k = 0; k < queue.size(); ++k) {
            const auto& entry = queue.entry_at(k);
            if (entry.priority > review_priority && entry.since <= reviewed_before &&
                !(once && w_.pathways[entry.item].has(Pathway::review_passed_over))) {
                due.push_back(entry.item);
            }
        }
        // In id order, so the queue's insertion sequence (and the draws) do not depend on heap
        // layout.
        std::sort(due.begin(), due.end());
        for (const std::uint32_t id : due) {
            Pathway& pathway = w_.pathways[id];
            // A share below 1 draws one uniform per review; at 1 none, so that configurations
            // without the share keep their random numbers.
            if (share < 1.0 && !(reviews_.uniform() < share)) {
                pathway.set(Pathway::review_passed_over, true);
                continue;
            }
            queue.remove(id);
            pathway.priority = static_cast<std::uint8_t>(review_priority);
            queue.push(id, queue_priority(pathway, static_cast<Stage>(list_stage_[i])),
                       pathway.clock_start);
        }
    }
}

void WaitingLists::daily_removals(double now) {
    const double rate = w_.p.removals.at(now).background_rate_per_week;
    if (!(rate > 0.0)) {
        return;
    }
    const double daily_probability = 1.0 - sim::portable::exp(-rate / 7.0);
    for (PathwayQueue& queue : queues_) {
        if (queue.empty()) {
            continue;
        }
        const std::int64_t removals =
            removals_.binomial(static_cast<std::int64_t>(queue.size()), daily_probability);
        for (std::int64_t k = 0; k < removals && !queue.empty(); ++k) {
            const std::uint32_t id = queue.entry_at(removals_.uniform_index(queue.size())).item;
            if (never_removed(w_.pathways[id])) {
                continue;
            }
            leave(id);
            w_.close_pathway(id, ClockStop::removed);
        }
    }
}

void WaitingLists::insert_initial_list(double now) {
    const InitialListParams& init = w_.p.initial_list;
    if (!(init.total > 0.0)) {
        return;
    }
    // Cells (hospital, specialty, band) in a fixed order, apportioned exactly.
    std::vector<double> weights;
    for (std::size_t h = 0; h < hospitals_; ++h) {
        for (std::size_t s = 0; s < specialties_; ++s) {
            for (std::size_t b = 0; b < kWaitBands; ++b) {
                weights.push_back(init.hospital_shares[h] * init.specialty_shares[s] *
                                  init.band_shares[b]);
            }
        }
    }
    const std::vector<std::uint64_t> counts = apportion(init.total, weights);
    constexpr std::array<double, kWaitBands + 1> band_edges{0, 18, 52, 78, 104, 130};
    std::size_t cell = 0;
    for (std::uint32_t h = 0; h < hospitals_; ++h) {
        for (std::uint32_t s = 0; s < specialties_; ++s) {
            const SpecialtyParams& specialty = w_.p.specialties[s];
            const double routine = specialty.referrals_per_1000[0];
            const double urgent = specialty.referrals_per_1000[1];
            const double urgent_share = routine + urgent > 0.0 ? urgent / (routine + urgent) : 0.0;
            for (std::size_t b = 0; b < kWaitBands; ++b, ++cell) {
                for (std::uint64_t k = 0; k < counts[cell]; ++k) {
                    const std::uint32_t id = w_.pathways.acquire();
                    Pathway& pathway = w_.pathways[id];
                    const double weeks =
                        band_edges[b] + initial_.uniform() * (band_edges[b + 1] - band_edges[b]);
                    pathway.clock_start = now - 7.0 * weeks;
                    pathway.referral_time = pathway.clock_start;
                    pathway.hospital = static_cast<std::uint8_t>(h);
                    pathway.specialty = static_cast<std::uint8_t>(s);
                    pathway.place =
                        static_cast<std::uint8_t>(w_.t.place_of_hospital[h].sample(initial_));
                    pathway.urgency = static_cast<std::uint8_t>(
                        initial_.bernoulli(urgent_share) ? Urgency::urgent : Urgency::routine);
                    draw_course(pathway, specialty, initial_);
                    const double u = initial_.uniform();
                    const double admitted = init.admitted_share_by_band[b];
                    const double diagnostics = admitted + init.diagnostics_share_by_band[b];
                    const double follow_up = diagnostics + init.follow_up_share_by_band[b];
                    Stage stage = Stage::outpatient_first;
                    if (u < admitted) {
                        pathway.set(Pathway::will_admit, true);
                        stage = pathway.has(Pathway::day_case) ? Stage::admitted_day_case
                                                               : Stage::admitted_inpatient;
                    } else if (u < diagnostics) {
                        pathway.set(Pathway::needs_test, true);
                        stage = Stage::diagnostics;
                    } else if (u < follow_up) {
                        pathway.set(Pathway::needs_test, false);
                        stage = Stage::follow_up;
                    }
                    if (stage != Stage::outpatient_first) {
                        pathway.set(Pathway::seen_once, true);
                    }
                    w_.metrics.clock_started(pathway.hospital, pathway.specialty,
                                             pathway.clock_start, now, false);
                    join(id, stage, now);
                }
            }
        }
    }
    w_.note_records();
}

}  // namespace icsflow::models::blmk
