#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace icsflow::sim {

// How a queue chooses whom to serve next.
//  - fifo: in order of joining the queue.
//  - priority_then_longest_wait: lowest priority class first (P1 before P2 ...), then the
//    earliest `since` (for an RTT list: the clock start, i.e. the longest wait), then joining
//    order.
//  - longest_wait_first: the earliest `since` regardless of class, then joining order.
//  - urgent_then_longest_wait: the urgent classes (1 and 2) first, in class order; every other
//    class after them by longest wait, as one class. This is how lists were booked before
//    clinical priority codes (P1-P4) came in with the 2020 guidance: urgent, then chronological.
enum class QueueDiscipline : std::uint8_t {
    fifo,
    priority_then_longest_wait,
    longest_wait_first,
    urgent_then_longest_wait
};

[[nodiscard]] std::string_view to_string(QueueDiscipline discipline);
[[nodiscard]] QueueDiscipline queue_discipline_from_string(std::string_view name);  // throws

inline constexpr std::uint32_t kNotQueued = std::numeric_limits<std::uint32_t>::max();

// A waiting queue of item ids with a pluggable discipline and removal of any item (a patient
// removed from the list by validation, or moved to another provider) in O(log n).
//
// It is an indexed 4-ary heap. The heap position of each item is kept by the caller through
// `PositionMap` (a callable returning `std::uint32_t&` for an item id), so that an item record
// that is in at most one queue at a time carries its own position field and no queue needs a
// table as large as the id space.
template <class PositionMap>
class WaitQueue {
  public:
    struct Entry {
        double since;
        std::uint32_t sequence;
        std::uint32_t item;
        std::uint32_t priority;
    };

    WaitQueue(QueueDiscipline discipline, PositionMap positions)
        : discipline_(discipline), positions_(positions) {}

    [[nodiscard]] QueueDiscipline discipline() const { return discipline_; }

    // Changes the order of the waiting items (a policy change on a date): the heap is rebuilt in
    // O(n), and items joined before the change keep their relative joining order for ties.
    void set_discipline(QueueDiscipline discipline) {
        discipline_ = discipline;
        if (heap_.size() < 2) {
            return;
        }
        dispatch([this]<QueueDiscipline D>() {
            for (std::size_t i = (heap_.size() - 2) / kArity + 1; i-- > 0;) {
                sift_down<D>(i);
            }
        });
    }
    [[nodiscard]] bool empty() const { return heap_.empty(); }
    [[nodiscard]] std::size_t size() const { return heap_.size(); }

    void push(std::uint32_t item, std::uint32_t priority, double since) {
        if (next_sequence_ == std::numeric_limits<std::uint32_t>::max()) [[unlikely]] {
            throw std::overflow_error("wait queue: sequence exhausted");
        }
        heap_.push_back(Entry{since, next_sequence_++, item, priority});
        dispatch([this]<QueueDiscipline D>() { sift_up<D>(heap_.size() - 1); });
    }

    [[nodiscard]] const Entry& front() const { return heap_.front(); }

    std::uint32_t pop() {
        const std::uint32_t item = heap_.front().item;
        remove_at(0);
        return item;
    }

    // Removes `item`, which must be in this queue.
    void remove(std::uint32_t item) {
        const std::uint32_t index = positions_(item);
        if (index >= heap_.size() || heap_[index].item != item) [[unlikely]] {
            throw std::logic_error("wait queue: removing an item that is not queued here");
        }
        remove_at(index);
    }

    // The entry at heap slot `index` (0 <= index < size()): an unbiased way to pick a random
    // queued item is entry_at(uniform_index(size())).
    [[nodiscard]] const Entry& entry_at(std::size_t index) const { return heap_[index]; }

    // Whether the discipline ranks `a` and `b` in the same class, so that only their waits (and
    // joining order) decide between them: serving either of them first respects the classes.
    [[nodiscard]] bool same_class(const Entry& a, const Entry& b) const {
        switch (discipline_) {
            case QueueDiscipline::fifo:
            case QueueDiscipline::longest_wait_first:
                return true;
            case QueueDiscipline::priority_then_longest_wait:
                return a.priority == b.priority;
            case QueueDiscipline::urgent_then_longest_wait:
                return urgent_class(a.priority) == urgent_class(b.priority);
        }
        return false;
    }

    void reserve(std::size_t capacity) { heap_.reserve(capacity); }
    [[nodiscard]] std::size_t capacity() const { return heap_.capacity(); }

  private:
    static constexpr std::size_t kArity = 4;

    static constexpr std::uint32_t kUrgentClasses = 2;

    // Under urgent_then_longest_wait every class after the urgent ones is one class.
    [[nodiscard]] static std::uint32_t urgent_class(std::uint32_t priority) {
        return priority <= kUrgentClasses ? priority : kUrgentClasses + 1;
    }

    // Calls f.template operator()<D>() with the current discipline as a compile-time constant,
    // so that the comparisons inside a sift are specialised for it instead of switching on the
    // discipline at every comparison (the sifts of large lists are the hot path of the models).
    template <class F>
    void dispatch(F&& f) {
        switch (discipline_) {
            case QueueDiscipline::fifo:
                f.template operator()<QueueDiscipline::fifo>();
                return;
            case QueueDiscipline::priority_then_longest_wait:
                f.template operator()<QueueDiscipline::priority_then_longest_wait>();
                return;
            case QueueDiscipline::longest_wait_first:
                f.template operator()<QueueDiscipline::longest_wait_first>();
                return;
            case QueueDiscipline::urgent_then_longest_wait:
                f.template operator()<QueueDiscipline::urgent_then_longest_wait>();
                return;
        }
    }

    template <QueueDiscipline D>
    [[nodiscard]] static bool before(const Entry& a, const Entry& b) {
        if constexpr (D == QueueDiscipline::urgent_then_longest_wait) {
            const std::uint32_t pa = urgent_class(a.priority);
            const std::uint32_t pb = urgent_class(b.priority);
            if (pa != pb) {
                return pa < pb;
            }
        }
        if constexpr (D == QueueDiscipline::priority_then_longest_wait) {
            if (a.priority != b.priority) {
                return a.priority < b.priority;
            }
        }
        if constexpr (D != QueueDiscipline::fifo) {
            if (a.since != b.since) {
                return a.since < b.since;
            }
        }
        return a.sequence < b.sequence;
    }

    void place(std::size_t index, const Entry& entry) {
        heap_[index] = entry;
        positions_(entry.item) = static_cast<std::uint32_t>(index);
    }

    void remove_at(std::size_t index) {
        positions_(heap_[index].item) = kNotQueued;
        const Entry last = heap_.back();
        heap_.pop_back();
        if (index == heap_.size()) {
            return;
        }
        place(index, last);
        dispatch([this, index, &last]<QueueDiscipline D>() {
            if (index > 0 && before<D>(last, heap_[(index - 1) / kArity])) {
                sift_up<D>(index);
            } else {
                sift_down<D>(index);
            }
        });
    }

    template <QueueDiscipline D>
    void sift_up(std::size_t index) {
        const Entry moving = heap_[index];
        while (index > 0) {
            const std::size_t parent = (index - 1) / kArity;
            if (!before<D>(moving, heap_[parent])) {
                break;
            }
            place(index, heap_[parent]);
            index = parent;
        }
        place(index, moving);
    }

    // A large list's heap does not fit in cache, and a sift-down from the root (every pop)
    // reaches the bottom: each level would wait for its children to arrive from memory. The
    // grandchildren of the current slot (the children of whichever child is chosen) are requested
    // one level ahead, so that the next level's loads overlap this level's comparisons. The order
    // of the heap is unchanged.
    template <QueueDiscipline D>
    void sift_down(std::size_t index) {
        const std::size_t count = heap_.size();
        const Entry moving = heap_[index];
        while (true) {
            const std::size_t first_child = index * kArity + 1;
            if (first_child >= count) {
                break;
            }
            const std::size_t first_grandchild = first_child * kArity + 1;
            if (first_grandchild < count) {
                const std::size_t end_grandchild =
                    std::min(first_grandchild + kArity * kArity, count);
                const char* from = reinterpret_cast<const char*>(heap_.data() + first_grandchild);
                const char* to = reinterpret_cast<const char*>(heap_.data() + end_grandchild);
                for (const char* line = from; line < to; line += kCacheLine) {
                    __builtin_prefetch(line);
                }
                __builtin_prefetch(to - 1);
            }
            const std::size_t end_child =
                first_child + kArity < count ? first_child + kArity : count;
            std::size_t best = first_child;
            for (std::size_t child = first_child + 1; child < end_child; ++child) {
                if (before<D>(heap_[child], heap_[best])) {
                    best = child;
                }
            }
            if (!before<D>(heap_[best], moving)) {
                break;
            }
            place(index, heap_[best]);
            index = best;
        }
        place(index, moving);
    }

    static constexpr std::size_t kCacheLine = 64;

    QueueDiscipline discipline_;
    PositionMap positions_;
    std::vector<Entry> heap_;
    std::uint32_t next_sequence_ = 0;
};

// A growable ring buffer: the plain FIFO line of the reference model, O(1) without a heap.
template <class T>
class RingQueue {
  public:
    [[nodiscard]] bool empty() const { return count_ == 0; }
    [[nodiscard]] std::size_t size() const { return count_; }

    void push(const T& value) {
        if (count_ == storage_.size()) {
            grow();
        }
        storage_[(head_ + count_) & (storage_.size() - 1)] = value;
        ++count_;
    }

    [[nodiscard]] const T& front() const { return storage_[head_]; }

    T pop() {
        T value = storage_[head_];
        head_ = (head_ + 1) & (storage_.size() - 1);
        --count_;
        return value;
    }

  private:
    void grow() {
        const std::size_t new_size = storage_.empty() ? 64 : storage_.size() * 2;
        std::vector<T> bigger(new_size);
        for (std::size_t i = 0; i < count_; ++i) {
            bigger[i] = storage_[(head_ + i) & (storage_.size() - 1)];
        }
        storage_.swap(bigger);
        head_ = 0;
    }

    std::vector<T> storage_;
    std::size_t head_ = 0;
    std::size_t count_ = 0;
};

}  // namespace icsflow::sim
