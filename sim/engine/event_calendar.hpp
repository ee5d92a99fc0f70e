#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sim/engine/event.hpp"

namespace icsflow::sim {

// The future event list: a 4-ary min-heap of Event values ordered by (time, class, sequence).
// A 4-ary heap halves the depth of a binary heap and keeps the children of a node in one or two
// cache lines (4 x 24 bytes), which makes sift-down, the costly half of a pop, faster than in a
// binary heap. The storage is reserved up front and reused, so the steady state allocates nothing.
// Defined in the header because push and pop are the innermost loop of every model.
//
// The run loop takes events with take_before(), which leaves the taken event's slot at the root
// vacant instead of refilling it at once. Most handlers schedule an event: the first push after a
// take then goes straight into the vacant root and sifts down, one sift instead of the refill's
// sift-down and the push's sift-up. Any other call fills the vacancy first, so the order in which
// events come out is the same either way (it is a strict total order).
class EventCalendar {
  public:
    explicit EventCalendar(std::size_t expected_pending = 1024) { heap_.reserve(expected_pending); }

    void push(double time, EventClass event_class, std::uint32_t kind, std::uint32_t subject) {
        if (next_sequence_ > Event::kSequenceMask) [[unlikely]] {
            throw std::overflow_error("event calendar: insertion sequence exhausted");
        }
        const std::uint64_t order =
            (static_cast<std::uint64_t>(event_class) << Event::kSequenceBits) | next_sequence_++;
        const Event event{time, order, kind, subject};
        if (root_vacant_) {
            root_vacant_ = false;
            sift_down_from_root(event);
            return;
        }
        heap_.push_back(event);
        sift_up(heap_.size() - 1);
    }

    [[nodiscard]] bool empty() const { return size() == 0; }
    [[nodiscard]] std::size_t size() const { return heap_.size() - (root_vacant_ ? 1 : 0); }
    // The earliest event. Precondition: !empty().
    [[nodiscard]] const Event& top() {
        settle();
        return heap_.front();
    }

    // Removes and returns the earliest event. Precondition: !empty().
    Event pop() {
        settle();
        const Event earliest = heap_.front();
        refill_root();
        return earliest;
    }

    // The run loop's step: if the earliest event is before `end_time`, removes it into `event`
    // (leaving its slot vacant for the next push) and returns true.
    bool take_before(double end_time, Event& event) {
        settle();
        if (heap_.empty() || !(heap_.front().time < end_time)) {
            return false;
        }
        event = heap_.front();
        root_vacant_ = true;
        return true;
    }

    void clear() {
        heap_.clear();
        root_vacant_ = false;
        next_sequence_ = 0;
    }

  private:
    static constexpr std::size_t kArity = 4;

    // Fills a vacant root (left by take_before) with the last event.
    void settle() {
        if (root_vacant_) {
            root_vacant_ = false;
            refill_root();
        }
    }

    // Removes the root's event: the last one takes its place and sifts down.
    void refill_root() {
        const Event last = heap_.back();
        heap_.pop_back();
        if (!heap_.empty()) {
            sift_down_from_root(last);
        }
    }

    void sift_up(std::size_t index) {
        const Event moving = heap_[index];
        while (index > 0) {
            const std::size_t parent = (index - 1) / kArity;
            if (!precedes(moving, heap_[parent])) {
                break;
            }
            heap_[index] = heap_[parent];
            index = parent;
        }
        heap_[index] = moving;
    }

    // Places `moving` (the former last event, or a new one when the root is vacant) by walking
    // down from the root, whose own event is being replaced.
    void sift_down_from_root(const Event& moving) {
        const std::size_t count = heap_.size();
        std::size_t index = 0;
        while (true) {
            const std::size_t first_child = index * kArity + 1;
            if (first_child >= count) {
                break;
            }
            const std::size_t end_child =
                first_child + kArity < count ? first_child + kArity : count;
            std::size_t best = first_child;
            for (std::size_t child = first_child + 1; child < end_child; ++child) {
                if (precedes(heap_[child], heap_[best])) {
                    best = child;
                }
            }
            if (!precedes(heap_[best], moving)) {
                break;
            }
            heap_[index] = heap_[best];
            index = best;
        }
        heap_[index] = moving;
    }

    std::vector<Event> heap_;  // heap_[0] is not an event while root_vacant_
    bool root_vacant_ = false;
    std::uint64_t next_sequence_ = 0;
};

}  // namespace icsflow::sim
