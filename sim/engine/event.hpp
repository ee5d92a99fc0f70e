#pragma once

#include <cstdint>
#include <string_view>

namespace icsflow::sim {

// Events that fall at the same instant are processed in this order, so that a model never has to
// reason about ties: capacity changes first (a session opening or beds closing is visible to
// everything else at that instant), then releases (a discharged patient frees the bed before anyone
// tries to take it), then seizes (admissions and bookings), then new arrivals, and last the
// observations that record the state once everything at that instant has happened.
enum class EventClass : std::uint8_t {
    capacity_change = 0,
    release = 1,
    seize = 2,
    arrival = 3,
    observation = 4,
};

inline constexpr int kEventClassCount = 5;

std::string_view to_string(EventClass event_class);

// A scheduled event. A small value type: the calendar stores these by value in a contiguous heap,
// so scheduling an event never allocates. `kind` and `subject` are the model's own: typically
// `kind` is an enumerator that the model's handler switches on, and `subject` indexes the entity
// (patient, clinic, stream) the event is about.
struct Event {
    double time = 0.0;
    // (event class << 56) | insertion sequence: one integer comparison orders same-time events.
    std::uint64_t order = 0;
    std::uint32_t kind = 0;
    std::uint32_t subject = 0;

    [[nodiscard]] EventClass event_class() const {
        return static_cast<EventClass>(order >> kSequenceBits);
    }
    [[nodiscard]] std::uint64_t sequence() const { return order & kSequenceMask; }

    static constexpr int kSequenceBits = 56;
    static constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << kSequenceBits) - 1;
};

// Strict weak order of the calendar: earlier time first, then event class, then insertion order.
[[nodiscard]] inline bool precedes(const Event& a, const Event& b) {
    if (a.time != b.time) {
        return a.time < b.time;
    }
    return a.order < b.order;
}

}  // namespace icsflow::sim
