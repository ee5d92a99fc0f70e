#pragma once

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "models/blmk/parameters/parameters.hpp"
#include "sim/resource/wait_queue.hpp"

namespace icsflow::models::blmk {

// A patient on an elective (RTT) pathway, from referral to clock stop. What the pathway will
// need (a test, a follow-up, admission, day case, priority) is drawn once at referral, so that
// a change of capacity in one scenario does not reshuffle the clinical course of other patients:
// scenarios then differ only by what they change (common random numbers).
struct Pathway {
    double clock_start = 0.0;    // RTT clock; restarts after a first-appointment DNA
    double referral_time = 0.0;  // the original referral (the cancer 62-day measure)
    double stage_since = 0.0;    // joined the current list
    std::uint8_t place = 0;
    std::uint8_t hospital = 0;  // provider of record (reporting); pooled lists may treat elsewhere
    std::uint8_t specialty = 0;
    std::uint8_t urgency = 0;
    std::uint8_t stage = 0;     // Stage while on a list
    std::uint8_t priority = 0;  // 1 first; P1-P4 on the admitted list
    std::uint8_t dnas = 0;
    std::uint8_t modality = 0;
    std::uint8_t flags = 0;

    enum Flag : std::uint8_t {
        needs_test = 1U << 0,
        needs_follow_up = 1U << 1,
        will_admit = 1U << 2,
        day_case = 1U << 3,
        cancer = 1U << 4,
        seen_once = 1U << 5,           // has attended a first appointment
        review_passed_over = 1U << 6,  // a long-wait review left it in its class
    };
    [[nodiscard]] bool has(Flag f) const { return (flags & f) != 0; }
    void set(Flag f, bool on) {
        flags = static_cast<std::uint8_t>(on ? (flags | f) : (flags & ~f));
    }
};

// Why a bed is occupied.
enum class StayKind : std::uint8_t { emergency = 0, elective = 1, planned = 2 };

// Where an inpatient is in the discharge process.
enum class StayState : std::uint8_t {
    waiting_for_bed,     // emergency patient boarding (no bed yet)
    acute,               // receiving acute care
    medically_fit,       // fit, being assessed for support (delayed transfer)
    awaiting_community,  // fit, waiting for a community service (delayed transfer)
};

struct Inpatient {
    double arrival = 0.0;
    double admitted = 0.0;
    double acute_los = 0.0;         // drawn on arrival, before any dated multiplier
    double assessment_delay = 0.0;  // drawn on arrival
    double support_requested = 0.0;
    float pathway_draw = 0.0F;  // uniform draw that picks the discharge pathway when fit
    std::uint8_t hospital = 0;
    std::uint8_t place = 0;
    std::uint8_t age_band = 0;
    std::uint8_t specialty = 0;
    StayKind kind = StayKind::emergency;
    StayState state = StayState::waiting_for_bed;
    std::uint8_t discharge_pathway = 0;
    bool ring_fenced_bed = false;
};

// A pool of records with stable 32-bit ids, reused after release: no allocation once the pool
// has grown to the system's size.
template <class Record>
class RecordPool {
  public:
    std::uint32_t acquire() {
        if (!free_.empty()) {
            const std::uint32_t id = free_.back();
            free_.pop_back();
            records_[id] = Record{};
            in_use_[id] = 1;
            ++live_;
            return id;
        }
        if (records_.size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
            throw std::length_error("record pool exhausted");
        }
        records_.emplace_back();
        in_use_.push_back(1);
        ++live_;
        return static_cast<std::uint32_t>(records_.size() - 1);
    }

    void release(std::uint32_t id) {
        free_.push_back(id);
        in_use_[id] = 0;
        --live_;
    }

    // Calls f(record) for every record in use, in id order (a census of the patients the
    // counters cannot answer for, such as the current priority of everyone waiting).
    template <class F>
    void for_each_in_use(F&& f) const {
        for (std::size_t id = 0; id < records_.size(); ++id) {
            if (in_use_[id] != 0) {
                f(records_[id]);
            }
        }
    }

    Record& operator[](std::uint32_t id) { return records_[id]; }
    const Record& operator[](std::uint32_t id) const { return records_[id]; }
    [[nodiscard]] std::size_t live() const { return live_; }
    [[nodiscard]] std::size_t capacity_bytes() const {
        return records_.capacity() * sizeof(Record) + free_.capacity() * sizeof(std::uint32_t) +
               in_use_.capacity();
    }

  private:
    std::vector<Record> records_;
    std::vector<std::uint32_t> free_;
    std::vector<std::uint8_t> in_use_;  // by id: 1 while acquired
    std::size_t live_ = 0;
};

using PathwayPool = RecordPool<Pathway>;
using InpatientPool = RecordPool<Inpatient>;

// The heap position of each pathway on whichever list holds it, indexed by pathway id. Kept apart
// from the records so that the positions the heaps update on every move stay in a small, dense
// array that fits in cache (the records do not).
struct PathwayPositions {
    std::vector<std::uint32_t>* positions;
    std::uint32_t& operator()(std::uint32_t id) const { return (*positions)[id]; }
};

using PathwayQueue = sim::WaitQueue<PathwayPositions>;

}  // namespace icsflow::models::blmk
