#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/blmk/parameters/parameters.hpp"
#include "models/blmk/system/patients.hpp"
#include "sim/random/random_stream.hpp"

namespace icsflow::models::blmk {

struct World;

// The hospitals' RTT lists: for each hospital and specialty, the first-outpatient, follow-up,
// day-case and inpatient lists, and each hospital's diagnostic lists by modality. A pooled
// specialty has one list per stage shared by every hospital. Lists are ordered by the policy's
// discipline: priority class, then the RTT clock (longest wait first); diagnostic lists by the
// date of the request instead of the clock.
//
// Every movement is counted per stage (joined, left), so the end-of-run check that
// joined = left + still waiting holds for every stage of every run.
class WaitingLists {
  public:
    explicit WaitingLists(World& world);

    // Puts pathway `id` on the list for `stage` (its hospital, specialty and, for
    // diagnostics, modality decide which list).
    void join(std::uint32_t id, Stage stage, double now);
    // The next patient on `list` by its discipline, taken off the list. Precondition: not empty.
    std::uint32_t take(std::size_t list);
    // Takes `id` off whatever list holds it.
    void leave(std::uint32_t id);

    [[nodiscard]] std::size_t rtt_list(std::uint32_t hospital, std::uint32_t specialty,
                                       Stage stage) const;
    [[nodiscard]] std::size_t diagnostic_list(std::uint32_t hospital, std::uint32_t modality) const;
    [[nodiscard]] PathwayQueue& list(std::size_t index) { return queues_[index]; }
    [[nodiscard]] std::size_t list_count() const { return queues_.size(); }

    // The next patient on `list` who accepts the offer of a date (a first appointment or an
    // operation), taken off the list; kNoPatient when the list runs out first. At each offer the
    // patient may be found no longer to need it (removed), or decline it: discharged (removed)
    // or deferred, back on the list after an exponential delay with the clock running
    // (removals.*). Suspected-cancer pathways always accept. A share of offers
    // (policy.out_of_turn_share) goes out of turn: to a patient drawn at random from the list, if
    // in the same class as the next patient in turn.
    static constexpr std::uint32_t kNoPatient = 0xffffffffu;
    std::uint32_t offer_next(std::size_t list, double now);
    // A deferring patient asks for a new date: back on the list they left.
    void deferral_ends(std::uint32_t id, double now);

    // Background removals other than treatment: each waiting patient leaves with the weekly
    // hazard in force, drawn per list once a day. Suspected-cancer pathways are not removed.
    void daily_removals(double now);

    // Long-wait reviews: a patient on an admitted list who has waited
    // policy.long_wait_review_weeks is reviewed once, and booked at
    // policy.long_wait_review_priority or better with probability
    // policy.long_wait_review_share; the others stay in their class (checked once a day; all
    // three can change by date in policy_changes, as can the share of offers out of turn).
    // Before them, reviews against a maximum-wait standard: a patient who has waited
    // policy.max_wait_review_weeks is booked at policy.max_wait_review_priority or better, every
    // such patient (both dated too).
    void daily_reviews(double now);

    // The priority (or better) an on-the-day cancellation is rebooked at, as policy stands.
    [[nodiscard]] std::uint32_t cancellation_rebook_priority() const {
        return practice_.cancellation_rebook_priority;
    }

    // A booking policy change: lists re-ordered under the new discipline, and specialties pooled
    // or unpooled (their waiting patients moved onto the shared lists or back).
    void change_policy(const PolicyChange& change);

    // Inserts the configured initial list (at the start of the run).
    void insert_initial_list(double now);

    [[nodiscard]] std::uint64_t joined(std::size_t stage) const { return joined_[stage]; }
    [[nodiscard]] std::uint64_t left(std::size_t stage) const { return left_[stage]; }
    [[nodiscard]] std::uint64_t waiting(std::size_t stage) const;
    [[nodiscard]] std::size_t memory_bytes() const;

  private:
    // Books every admitted patient waiting `weeks` or more at `priority` or better, each with
    // probability `share`; with `once`, a patient passed over is marked and never reviewed again.
    void review_long_waiters(double now, double weeks, std::uint32_t priority, double share,
                             bool once);
    // The patient the next offer on `list` goes to, taken off the list (in turn, or out of turn).
    std::uint32_t take_for_offer(std::size_t list);
    // Moves every patient waiting in `specialty` onto its shared lists (pooled) or back to their
    // hospitals' lists; joined/left counts are unchanged (nobody leaves the stage).
    void repool(std::uint32_t specialty, bool pooled);
    // Counts `id` as having left `list` (already taken off its queue).
    void count_taken(std::size_t list, std::uint32_t id);
    [[nodiscard]] std::size_t list_of(const Pathway& pathway, Stage stage) const;
    [[nodiscard]] std::uint32_t queue_priority(const Pathway& pathway, Stage stage) const;

    World& w_;
    std::vector<std::uint32_t> positions_;  // heap position by pathway id (PathwayPositions)
    std::size_t hospitals_;
    std::size_t specialties_;
    std::vector<PathwayQueue> queues_;
    std::vector<std::uint8_t> list_stage_;  // the stage of each list
    std::size_t diagnostic_base_ = 0;
    std::vector<bool> pooled_;
    [[nodiscard]] bool never_removed(const Pathway& pathway) const;

    sim::RandomStream removals_;
    sim::RandomStream reviews_;  // one uniform per review, when it reaches only a share
    sim::RandomStream initial_;
    BookingPractice practice_;               // in force: policy.*, then policy_changes
    std::vector<sim::RandomStream> offers_;  // by list: one uniform per offer, one per deferral
    std::vector<sim::RandomStream> turns_;   // by RTT list: two uniforms per offer when out of turn
    std::vector<std::uint32_t> review_scratch_;
    std::array<std::uint64_t, kStages> joined_{};
    std::array<std::uint64_t, kStages> left_{};
};

}  // namespace icsflow::models::blmk
