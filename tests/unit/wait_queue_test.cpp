// Queue disciplines of the indexed wait queue, removal of arbitrary items, and the ring buffer.
#include "sim/resource/wait_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <random>
#include <set>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace icsflow::sim {
namespace {

// The caller's records: each item carries its own heap position.
struct Positions {
    std::vector<std::uint32_t>* slots;
    std::uint32_t& operator()(std::uint32_t item) const { return (*slots)[item]; }
};

using Queue = WaitQueue<Positions>;

struct Item {
    std::uint32_t priority;
    double since;
};

const std::vector<QueueDiscipline> kDisciplines{
    QueueDiscipline::fifo, QueueDiscipline::priority_then_longest_wait,
    QueueDiscipline::longest_wait_first, QueueDiscipline::urgent_then_longest_wait};

// Hand-made items with ties in priority and in `since`.
const std::vector<Item> kItems{
    {2, 5.0},  // 0
    {1, 9.0},  // 1
    {2, 1.0},  // 2
    {1, 9.0},  // 3: same class and since as 1, joined later
    {3, 0.0},  // 4: the longest wait, lowest priority
    {1, 3.0},  // 5
};

std::vector<std::uint32_t> push_all_then_pop(QueueDiscipline discipline) {
    std::vector<std::uint32_t> positions(kItems.size(), kNotQueued);
    Queue queue(discipline, Positions{&positions});
    for (std::uint32_t i = 0; i < kItems.size(); ++i) {
        queue.push(i, kItems[i].priority, kItems[i].since);
    }
    EXPECT_EQ(queue.size(), kItems.size());
    std::vector<std::uint32_t> order;
    while (!queue.empty()) {
        EXPECT_EQ(queue.front().item, queue.entry_at(0).item);
        order.push_back(queue.pop());
        EXPECT_EQ(positions[order.back()], kNotQueued);
    }
    return order;
}

TEST(WaitQueue, FifoServesInJoiningOrder) {
    EXPECT_EQ(push_all_then_pop(QueueDiscipline::fifo),
              (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
}

TEST(WaitQueue, PriorityThenLongestWaitThenJoiningOrder) {
    EXPECT_EQ(push_all_then_pop(QueueDiscipline::priority_then_longest_wait),
              (std::vector<std::uint32_t>{5, 1, 3, 2, 0, 4}));
}

TEST(WaitQueue, LongestWaitFirstIgnoresPriority) {
    EXPECT_EQ(push_all_then_pop(QueueDiscipline::longest_wait_first),
              (std::vector<std::uint32_t>{4, 2, 5, 0, 1, 3}));
}

TEST(WaitQueue, UrgentClassesFirstThenLongestWaitAcrossTheOthers) {
    // Classes 1 and 2 in class order, then classes 3, 4, ... together by `since`.
    const std::vector<Item> items{
        {4, 1.0},  // 0
        {3, 2.0},  // 1
        {2, 8.0},  // 2
        {1, 9.0},  // 3
        {3, 0.5},  // 4
        {2, 7.0},  // 5
        {4, 1.0},  // 6: ties with 0, joined later
    };
    std::vector<std::uint32_t> positions(items.size(), kNotQueued);
    Queue queue(QueueDiscipline::urgent_then_longest_wait, Positions{&positions});
    for (std::uint32_t i = 0; i < items.size(); ++i) {
        queue.push(i, items[i].priority, items[i].since);
    }
    std::vector<std::uint32_t> order;
    while (!queue.empty()) {
        order.push_back(queue.pop());
    }
    EXPECT_EQ(order, (std::vector<std::uint32_t>{3, 5, 2, 4, 0, 6, 1}));
}

// same_class(a, b) holds exactly when the discipline lets the waits alone decide between a and
// b: swapping their `since` then swaps the order they are served in; across classes it does not.
TEST(WaitQueue, SameClassMeansOnlyTheWaitDecides) {
    for (const auto discipline :
         {QueueDiscipline::priority_then_longest_wait, QueueDiscipline::longest_wait_first,
          QueueDiscipline::urgent_then_longest_wait}) {
        for (std::uint32_t pa = 1; pa <= 4; ++pa) {
            for (std::uint32_t pb = 1; pb <= 4; ++pb) {
                const auto first_served = [&](double since_a, double since_b) {
                    std::vector<std::uint32_t> positions(2, kNotQueued);
                    Queue queue(discipline, Positions{&positions});
                    queue.push(0, pa, since_a);
                    queue.push(1, pb, since_b);
                    return queue.pop();
                };
                std::vector<std::uint32_t> positions(2, kNotQueued);
                Queue queue(discipline, Positions{&positions});
                queue.push(0, pa, 1.0);
                queue.push(1, pb, 2.0);
                const bool same = queue.same_class(queue.entry_at(0), queue.entry_at(1));
                const bool wait_decides = first_served(1.0, 2.0) != first_served(2.0, 1.0);
                EXPECT_EQ(same, wait_decides)
                    << to_string(discipline) << " classes " << pa << " and " << pb;
            }
        }
    }
    std::vector<std::uint32_t> positions(2, kNotQueued);
    Queue fifo(QueueDiscipline::fifo, Positions{&positions});
    fifo.push(0, 1, 5.0);
    fifo.push(1, 4, 1.0);
    EXPECT_TRUE(fifo.same_class(fifo.entry_at(0), fifo.entry_at(1)));
}

TEST(WaitQueue, DisciplineNames) {
    for (const auto d : kDisciplines) {
        EXPECT_EQ(queue_discipline_from_string(to_string(d)), d);
    }
    EXPECT_EQ(to_string(QueueDiscipline::priority_then_longest_wait), "priority_then_longest_wait");
    EXPECT_THROW(static_cast<void>(queue_discipline_from_string("lifo")), std::invalid_argument);
}

TEST(WaitQueue, RemovingAnItemThatIsNotQueuedThrows) {
    std::vector<std::uint32_t> positions(4, kNotQueued);
    Queue queue(QueueDiscipline::fifo, Positions{&positions});
    queue.push(0, 1, 0.0);
    queue.push(1, 1, 0.0);
    EXPECT_THROW(queue.remove(2), std::logic_error);  // never queued
    queue.remove(0);
    EXPECT_EQ(positions[0], kNotQueued);
    EXPECT_THROW(queue.remove(0), std::logic_error);  // already removed
    positions[3] = 0;                                 // a stale position naming another item
    EXPECT_THROW(queue.remove(3), std::logic_error);
    EXPECT_EQ(queue.size(), 1U);
    EXPECT_EQ(queue.pop(), 1U);
    EXPECT_TRUE(queue.empty());
}

// The order key of each discipline, as documented, for the reference container.
using Key = std::tuple<std::uint32_t, double, std::uint32_t>;  // (class, since, joining order)

Key key_of(QueueDiscipline d, std::uint32_t priority, double since, std::uint32_t sequence) {
    switch (d) {
        case QueueDiscipline::fifo:
            return {0, 0.0, sequence};
        case QueueDiscipline::priority_then_longest_wait:
            return {priority, since, sequence};
        case QueueDiscipline::longest_wait_first:
            return {0, since, sequence};
        case QueueDiscipline::urgent_then_longest_wait:
            return {std::min(priority, 3U), since, sequence};  // classes 1, 2, then the rest
    }
    return {};
}

// Random pushes, pops and removals of arbitrary items, checked after every operation against a
// std::multiset ordered by the discipline's key: the front is the set's first element, every
// queued item's recorded position points at its own heap slot, every other item's position is
// kNotQueued, and the heap property holds in every slot.
void random_operations_match_reference(QueueDiscipline discipline, std::uint64_t seed) {
    constexpr std::uint32_t kIds = 400;
    std::vector<std::uint32_t> positions(kIds, kNotQueued);
    Queue queue(discipline, Positions{&positions});
    std::multiset<std::pair<Key, std::uint32_t>> reference;
    std::vector<Key> key_of_item(kIds);
    std::vector<std::uint32_t> free_ids;
    for (std::uint32_t i = kIds; i-- > 0;) {
        free_ids.push_back(i);
    }
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> operation(0, 9);
    std::uniform_int_distribution<std::uint32_t> priority(1, 3);
    std::uniform_int_distribution<int> since(0, 20);  // coarse: ties are common
    std::uint32_t sequence = 0;
    std::uint64_t removals = 0;

    auto check = [&] {
        ASSERT_EQ(queue.size(), reference.size());
        if (!reference.empty()) {
            ASSERT_EQ(queue.front().item, reference.begin()->second);
        }
        std::size_t queued = 0;
        for (std::uint32_t id = 0; id < kIds; ++id) {
            if (positions[id] == kNotQueued) {
                continue;
            }
            ++queued;
            ASSERT_LT(positions[id], queue.size());
            ASSERT_EQ(queue.entry_at(positions[id]).item, id);
        }
        ASSERT_EQ(queued, queue.size());
        for (std::size_t i = 1; i < queue.size(); ++i) {
            const auto& child = queue.entry_at(i);
            const auto& parent = queue.entry_at((i - 1) / 4);
            ASSERT_FALSE(key_of(discipline, child.priority, child.since, child.sequence) <
                         key_of(discipline, parent.priority, parent.since, parent.sequence))
                << "heap property broken at slot " << i;
        }
    };

    for (int step = 0; step < 6000; ++step) {
        const int op = operation(rng);
        if (op < 5 && !free_ids.empty()) {
            const std::uint32_t id = free_ids.back();
            free_ids.pop_back();
            const std::uint32_t p = priority(rng);
            const double s = 0.5 * since(rng);
            queue.push(id, p, s);
            key_of_item[id] = key_of(discipline, p, s, sequence++);
            reference.emplace(key_of_item[id], id);
        } else if (op < 7 && !reference.empty()) {
            const std::uint32_t expected = reference.begin()->second;
            reference.erase(reference.begin());
            ASSERT_EQ(queue.pop(), expected);
            free_ids.push_back(expected);
        } else if (!reference.empty()) {
            // Remove a random queued item (any heap slot, the root and the last included).
            const auto slot = std::uniform_int_distribution<std::size_t>(0, queue.size() - 1)(rng);
            const std::uint32_t id = queue.entry_at(slot).item;
            queue.remove(id);
            reference.erase(reference.find({key_of_item[id], id}));
            free_ids.push_back(id);
            ++removals;
        }
        check();
        if (::testing::Test::HasFatalFailure()) {
            FAIL() << "after step " << step;
        }
    }
    // Drain: the rest comes out in reference order.
    while (!reference.empty()) {
        ASSERT_EQ(queue.pop(), reference.begin()->second);
        reference.erase(reference.begin());
    }
    EXPECT_TRUE(queue.empty());
    EXPECT_GT(removals, 1000U);
}

TEST(WaitQueue, RandomRemovalsKeepTheHeapValidFifo) {
    random_operations_match_reference(QueueDiscipline::fifo, 1);
}

TEST(WaitQueue, RandomRemovalsKeepTheHeapValidPriority) {
    random_operations_match_reference(QueueDiscipline::priority_then_longest_wait, 2);
}

TEST(WaitQueue, RandomRemovalsKeepTheHeapValidLongestWait) {
    random_operations_match_reference(QueueDiscipline::longest_wait_first, 3);
}

TEST(WaitQueue, RandomRemovalsKeepTheHeapValidUrgentFirst) {
    random_operations_match_reference(QueueDiscipline::urgent_then_longest_wait, 4);
}

// A change of discipline reorders everything waiting: afterwards the queue serves by the new
// discipline's key (joining order still breaking ties), with valid positions, through further
// pushes, removals and pops.
TEST(WaitQueue, ChangingTheDisciplineReordersTheWaitingItems) {
    for (const QueueDiscipline from : kDisciplines) {
        for (const QueueDiscipline to : kDisciplines) {
            constexpr std::uint32_t kCount = 300;
            std::vector<std::uint32_t> positions(kCount + 50, kNotQueued);
            Queue queue(from, Positions{&positions});
            std::mt19937_64 rng(99);
            std::vector<std::pair<std::uint32_t, double>> pushed;
            for (std::uint32_t i = 0; i < kCount; ++i) {
                const auto p = static_cast<std::uint32_t>(1 + rng() % 5);
                const double s = static_cast<double>(rng() % 30);
                queue.push(i, p, s);
                pushed.emplace_back(p, s);
            }
            for (int k = 0; k < 40; ++k) {  // a few served under the old discipline
                static_cast<void>(queue.pop());
            }
            queue.set_discipline(to);
            EXPECT_EQ(queue.discipline(), to);
            for (std::uint32_t i = kCount; i < kCount + 50; ++i) {  // joined after the change
                const auto p = static_cast<std::uint32_t>(1 + rng() % 5);
                const double s = static_cast<double>(rng() % 30);
                queue.push(i, p, s);
                pushed.emplace_back(p, s);
            }
            std::multiset<std::pair<Key, std::uint32_t>> reference;
            for (std::uint32_t id = 0; id < kCount + 50; ++id) {
                if (positions[id] == kNotQueued) {
                    continue;
                }
                ASSERT_EQ(queue.entry_at(positions[id]).item, id);
                reference.emplace(key_of(to, pushed[id].first, pushed[id].second, id), id);
            }
            ASSERT_EQ(reference.size(), queue.size());
            // Remove a few from the middle, then everything must pop in reference order.
            for (std::uint32_t id = 100; id < 300; id += 37) {
                if (positions[id] != kNotQueued) {
                    queue.remove(id);
                    reference.erase(
                        reference.find({key_of(to, pushed[id].first, pushed[id].second, id), id}));
                }
            }
            while (!reference.empty()) {
                ASSERT_EQ(queue.pop(), reference.begin()->second)
                    << to_string(from) << " -> " << to_string(to);
                reference.erase(reference.begin());
            }
            EXPECT_TRUE(queue.empty());
        }
    }
}

TEST(RingQueue, FifoWithWrapAroundAndGrowth) {
    RingQueue<int> ring;
    std::deque<int> reference;
    EXPECT_TRUE(ring.empty());
    std::mt19937 rng(7);
    int next = 0;
    // Pushes outnumber pops 3:1, so the ring wraps and then grows while wrapped, several times
    // (64 -> 128 -> ... slots).
    for (int step = 0; step < 5000; ++step) {
        if (rng() % 4 != 0 || reference.empty()) {
            ring.push(next);
            reference.push_back(next);
            ++next;
        } else {
            ASSERT_EQ(ring.front(), reference.front());
            ASSERT_EQ(ring.pop(), reference.front());
            reference.pop_front();
        }
        ASSERT_EQ(ring.size(), reference.size());
    }
    EXPECT_GT(ring.size(), 1000U);
    while (!reference.empty()) {
        ASSERT_EQ(ring.pop(), reference.front());
        reference.pop_front();
    }
    EXPECT_TRUE(ring.empty());
    ring.push(42);  // usable after emptying
    EXPECT_EQ(ring.pop(), 42);
}

}  // namespace
}  // namespace icsflow::sim
