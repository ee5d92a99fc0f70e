#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>

#include "sim/engine/event_calendar.hpp"

namespace icsflow::sim {

// The clock and the calendar of one replication. A model owns one Scheduler and a handler; the
// run loop is a template over the handler so that dispatch is a direct (inlinable) call and a
// switch on Event::kind inside the model, not a virtual call per event.
//
// Time is in days (double) from the scenario's start date; negative times are the warm-up.
class Scheduler {
  public:
    explicit Scheduler(double start_time = 0.0, std::size_t expected_pending = 1024)
        : calendar_(expected_pending), now_(start_time) {}

    [[nodiscard]] double now() const { return now_; }
    [[nodiscard]] std::uint64_t events_processed() const { return events_processed_; }
    [[nodiscard]] std::size_t pending() const { return calendar_.size(); }

    void schedule_at(double time, EventClass event_class, std::uint32_t kind,
                     std::uint32_t subject = 0) {
        if (!(time >= now_)) [[unlikely]] {
            throw std::logic_error("scheduler: event scheduled in the past or at NaN time");
        }
        calendar_.push(time, event_class, kind, subject);
    }

    void schedule_in(double delay, EventClass event_class, std::uint32_t kind,
                     std::uint32_t subject = 0) {
        schedule_at(now_ + delay, event_class, kind, subject);
    }

    // Processes every event with time < end_time in calendar order, then advances the clock to
    // end_time. Events at or after end_time stay pending: a later call continues from them.
    // `cancel`, when given, is polled every 2^16 events; a set flag stops the loop early and the
    // call returns false.
    template <class Handler>
    bool run_until(double end_time, Handler&& handler, const std::atomic<bool>* cancel = nullptr) {
        Event event;
        while (calendar_.take_before(end_time, event)) {
            now_ = event.time;
            ++events_processed_;
            handler(event);
            if (cancel != nullptr && (events_processed_ & 0xFFFF) == 0 &&
                cancel->load(std::memory_order_relaxed)) {
                return false;
            }
        }
        if (end_time > now_) {
            now_ = end_time;
        }
        return true;
    }

  private:
    EventCalendar calendar_;
    double now_;
    std::uint64_t events_processed_ = 0;
};

}  // namespace icsflow::sim
