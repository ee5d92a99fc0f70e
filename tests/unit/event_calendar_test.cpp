// The future event list and the clock: events come out by (time, event class, insertion order),
// and run_until stops strictly before its end time.
#include "sim/engine/event_calendar.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "sim/engine/scheduler.hpp"

namespace icsflow::sim {
namespace {

std::vector<Event> drain(EventCalendar& calendar) {
    std::vector<Event> out;
    while (!calendar.empty()) {
        out.push_back(calendar.pop());
    }
    return out;
}

TEST(EventCalendar, EarlierTimeComesFirst) {
    EventCalendar calendar;
    calendar.push(3.0, EventClass::arrival, 0, 3);
    calendar.push(1.0, EventClass::observation, 0, 1);
    calendar.push(2.0, EventClass::capacity_change, 0, 2);
    ASSERT_EQ(calendar.size(), 3U);
    const auto events = drain(calendar);
    ASSERT_EQ(events.size(), 3U);
    EXPECT_EQ(events[0].subject, 1U);
    EXPECT_EQ(events[1].subject, 2U);
    EXPECT_EQ(events[2].subject, 3U);
    EXPECT_TRUE(calendar.empty());
}

TEST(EventCalendar, SameTimeEventsComeOutInClassOrder) {
    // Pushed in the reverse of the documented order (and twice over), they must come out as
    // capacity_change, release, seize, arrival, observation.
    EventCalendar calendar;
    const std::vector<EventClass> pushed{EventClass::observation, EventClass::arrival,
                                         EventClass::seize, EventClass::release,
                                         EventClass::capacity_change};
    for (int round = 0; round < 2; ++round) {
        for (const EventClass c : pushed) {
            calendar.push(5.0, c, static_cast<std::uint32_t>(round), 0);
        }
    }
    const auto events = drain(calendar);
    const std::vector<EventClass> expected{EventClass::capacity_change, EventClass::capacity_change,
                                           EventClass::release,         EventClass::release,
                                           EventClass::seize,           EventClass::seize,
                                           EventClass::arrival,         EventClass::arrival,
                                           EventClass::observation,     EventClass::observation};
    ASSERT_EQ(events.size(), expected.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i].event_class(), expected[i]) << "position " << i;
        EXPECT_EQ(events[i].time, 5.0);
        // Within a class, the round pushed first (kind 0) comes first.
        EXPECT_EQ(events[i].kind, static_cast<std::uint32_t>(i % 2)) << "position " << i;
    }
}

TEST(EventCalendar, SameTimeSameClassComesOutInInsertionOrder) {
    EventCalendar calendar;
    for (std::uint32_t i = 0; i < 100; ++i) {
        calendar.push(7.25, EventClass::release, 0, i);
    }
    const auto events = drain(calendar);
    ASSERT_EQ(events.size(), 100U);
    for (std::uint32_t i = 0; i < 100; ++i) {
        EXPECT_EQ(events[i].subject, i);
        EXPECT_EQ(events[i].sequence(), i);
    }
}

TEST(EventCalendar, EventClassNamesAndOrderEncoding) {
    EXPECT_EQ(to_string(EventClass::capacity_change), "capacity_change");
    EXPECT_EQ(to_string(EventClass::release), "release");
    EXPECT_EQ(to_string(EventClass::seize), "seize");
    EXPECT_EQ(to_string(EventClass::arrival), "arrival");
    EXPECT_EQ(to_string(EventClass::observation), "observation");

    EventCalendar calendar;
    calendar.push(0.0, EventClass::seize, 9, 4);
    calendar.push(0.0, EventClass::observation, 8, 5);
    const Event first = calendar.pop();
    EXPECT_EQ(first.event_class(), EventClass::seize);
    EXPECT_EQ(first.sequence(), 0U);
    EXPECT_EQ(first.kind, 9U);
    EXPECT_EQ(first.subject, 4U);
    const Event second = calendar.pop();
    EXPECT_EQ(second.event_class(), EventClass::observation);
    EXPECT_EQ(second.sequence(), 1U);
}

// Random pushes (with many ties in time and class), interleaved with pops, must come out exactly
// as a stable sort of the pushed list by (time, class) does: the stable sort keeps insertion order
// among equal keys, which is the calendar's third criterion.
TEST(EventCalendar, RandomPushesComeOutLikeAStableSort) {
    std::mt19937_64 rng(12345);
    std::uniform_int_distribution<int> coarse_time(0, 40);  // few distinct times: many ties
    std::uniform_int_distribution<int> event_class(0, kEventClassCount - 1);
    struct Pushed {
        double time;
        EventClass event_class;
        std::uint32_t id;
    };
    for (int trial = 0; trial < 20; ++trial) {
        EventCalendar calendar(4);  // small reservation: the heap has to grow
        std::vector<Pushed> reference;
        std::vector<std::uint32_t> popped;
        double floor_time = 0.0;  // pops happen only once everything left is at or after this
        const int count = 500 + 100 * trial;
        for (int i = 0; i < count; ++i) {
            const Pushed p{floor_time + 0.5 * coarse_time(rng),
                           static_cast<EventClass>(event_class(rng)),
                           static_cast<std::uint32_t>(i)};
            calendar.push(p.time, p.event_class, 0, p.id);
            reference.push_back(p);
        }
        // Pop half, then push more (all later than anything popped), then drain.
        std::vector<Pushed> sorted = reference;
        auto by_time_and_class = [](const Pushed& a, const Pushed& b) {
            if (a.time != b.time) {
                return a.time < b.time;
            }
            return a.event_class < b.event_class;
        };
        std::stable_sort(sorted.begin(), sorted.end(), by_time_and_class);
        const std::size_t half = sorted.size() / 2;
        for (std::size_t i = 0; i < half; ++i) {
            const Event e = calendar.pop();
            popped.push_back(e.subject);
            floor_time = e.time;
        }
        std::vector<Pushed> remaining(sorted.begin() + static_cast<std::ptrdiff_t>(half),
                                      sorted.end());
        for (int i = 0; i < count / 2; ++i) {
            const Pushed p{floor_time + 0.5 * coarse_time(rng),
                           static_cast<EventClass>(event_class(rng)),
                           static_cast<std::uint32_t>(count + i)};
            calendar.push(p.time, p.event_class, 0, p.id);
            remaining.push_back(p);
        }
        // `remaining` is in insertion order (earlier pushes first), so its stable sort is the
        // expected order of the rest.
        std::sort(remaining.begin(), remaining.end(),
                  [](const Pushed& a, const Pushed& b) { return a.id < b.id; });
        std::stable_sort(remaining.begin(), remaining.end(), by_time_and_class);
        for (const Event& e : drain(calendar)) {
            popped.push_back(e.subject);
        }
        std::vector<std::uint32_t> expected;
        for (std::size_t i = 0; i < half; ++i) {
            expected.push_back(sorted[i].id);
        }
        for (const Pushed& p : remaining) {
            expected.push_back(p.id);
        }
        ASSERT_EQ(popped, expected) << "trial " << trial;
    }
}

// The run loop's take_before() leaves the taken event's slot vacant for the next push. Driven
// like a model (each taken event schedules none, one or two later events), it must give exactly
// the order of pop() + push(), with size() counting only real events throughout.
TEST(EventCalendar, TakeBeforeGivesThePopOrder) {
    std::mt19937_64 rng(777);
    std::uniform_int_distribution<int> coarse_delay(0, 6);  // zero delays: same-time ties
    std::uniform_int_distribution<int> event_class(0, kEventClassCount - 1);
    std::uniform_int_distribution<int> follow_ups(0, 2);
    EventCalendar popped(4);
    EventCalendar taken(4);
    for (std::uint32_t i = 0; i < 50; ++i) {
        const double time = 0.5 * coarse_delay(rng);
        const auto c = static_cast<EventClass>(event_class(rng));
        popped.push(time, c, 0, i);
        taken.push(time, c, 0, i);
    }
    std::uint32_t next_id = 50;
    const double end_time = 400.0;
    Event e;
    while (taken.take_before(end_time, e)) {
        ASSERT_FALSE(popped.empty());
        const Event expected = popped.pop();
        ASSERT_EQ(e.subject, expected.subject);
        ASSERT_EQ(e.time, expected.time);
        ASSERT_EQ(taken.size(), popped.size());
        const int n = next_id < 5000 ? follow_ups(rng) : 0;
        for (int k = 0; k < n; ++k, ++next_id) {
            const double time = e.time + 0.5 * coarse_delay(rng);
            const auto c = static_cast<EventClass>(event_class(rng));
            popped.push(time, c, 0, next_id);
            taken.push(time, c, 0, next_id);
        }
        ASSERT_EQ(taken.size(), popped.size());
    }
    // Stopped at the end time or when empty; what is left is the same and still in order.
    EXPECT_TRUE(popped.empty() || popped.top().time >= end_time);
    EXPECT_EQ(drain(taken).size(), drain(popped).size());
    EXPECT_TRUE(taken.empty());
}

TEST(EventCalendar, ClearEmptiesAndRestartsTheSequence) {
    EventCalendar calendar;
    calendar.push(1.0, EventClass::arrival, 0, 0);
    calendar.push(2.0, EventClass::arrival, 0, 1);
    calendar.clear();
    EXPECT_TRUE(calendar.empty());
    calendar.push(1.0, EventClass::arrival, 0, 7);
    EXPECT_EQ(calendar.top().sequence(), 0U);
    EXPECT_EQ(calendar.top().subject, 7U);
}

TEST(Scheduler, RunUntilProcessesEventsBeforeTheEndOnlyAndAdvancesTheClock) {
    Scheduler scheduler(0.0);
    scheduler.schedule_at(1.0, EventClass::arrival, 1);
    scheduler.schedule_at(2.5, EventClass::arrival, 2);
    scheduler.schedule_at(5.0, EventClass::arrival, 3);  // exactly at the end: stays pending
    scheduler.schedule_at(7.0, EventClass::arrival, 4);
    std::vector<std::uint32_t> seen;
    std::vector<double> seen_at;
    auto handler = [&](const Event& e) {
        seen.push_back(e.kind);
        seen_at.push_back(scheduler.now());
    };
    EXPECT_TRUE(scheduler.run_until(5.0, handler));
    EXPECT_EQ(seen, (std::vector<std::uint32_t>{1, 2}));
    EXPECT_EQ(seen_at, (std::vector<double>{1.0, 2.5}));  // the clock is the event's time
    EXPECT_EQ(scheduler.now(), 5.0);
    EXPECT_EQ(scheduler.pending(), 2U);
    EXPECT_EQ(scheduler.events_processed(), 2U);

    // A later call continues from the pending events, the one at 5.0 first.
    EXPECT_TRUE(scheduler.run_until(100.0, handler));
    EXPECT_EQ(seen, (std::vector<std::uint32_t>{1, 2, 3, 4}));
    EXPECT_EQ(scheduler.now(), 100.0);
    EXPECT_EQ(scheduler.pending(), 0U);
    EXPECT_EQ(scheduler.events_processed(), 4U);
}

TEST(Scheduler, RunUntilAnEarlierTimeDoesNotMoveTheClockBack) {
    Scheduler scheduler(10.0);
    scheduler.schedule_at(12.0, EventClass::arrival, 0);
    int calls = 0;
    EXPECT_TRUE(scheduler.run_until(5.0, [&](const Event&) { ++calls; }));
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(scheduler.now(), 10.0);
    EXPECT_EQ(scheduler.pending(), 1U);
}

TEST(Scheduler, HandlersCanScheduleAtTheCurrentInstantInClassOrder) {
    // An arrival at t=1 schedules, at the same instant, an observation, a seize, a release and a
    // capacity change: they run after it (they were not pending when it ran) but in class order.
    Scheduler scheduler(0.0);
    scheduler.schedule_at(1.0, EventClass::arrival, 0);
    std::vector<EventClass> order;
    scheduler.run_until(2.0, [&](const Event& e) {
        order.push_back(e.event_class());
        if (e.kind == 0) {
            scheduler.schedule_in(0.0, EventClass::observation, 1);
            scheduler.schedule_in(0.0, EventClass::seize, 1);
            scheduler.schedule_in(0.0, EventClass::release, 1);
            scheduler.schedule_in(0.0, EventClass::capacity_change, 1);
        }
    });
    EXPECT_EQ(order, (std::vector<EventClass>{EventClass::arrival, EventClass::capacity_change,
                                              EventClass::release, EventClass::seize,
                                              EventClass::observation}));
}

TEST(Scheduler, SchedulingInThePastOrAtNaNThrows) {
    Scheduler scheduler(-30.0);  // a warm-up start
    EXPECT_EQ(scheduler.now(), -30.0);
    EXPECT_THROW(scheduler.schedule_at(-30.5, EventClass::arrival, 0), std::logic_error);
    EXPECT_THROW(scheduler.schedule_in(-1e-9, EventClass::arrival, 0), std::logic_error);
    EXPECT_THROW(
        scheduler.schedule_at(std::numeric_limits<double>::quiet_NaN(), EventClass::arrival, 0),
        std::logic_error);
    EXPECT_NO_THROW(scheduler.schedule_at(-30.0, EventClass::arrival, 0));  // now is allowed
    EXPECT_EQ(scheduler.pending(), 1U);

    scheduler.run_until(0.0, [](const Event&) {});
    EXPECT_EQ(scheduler.now(), 0.0);
    EXPECT_THROW(scheduler.schedule_at(-1.0, EventClass::release, 0), std::logic_error);
    EXPECT_THROW(scheduler.schedule_in(-0.5, EventClass::release, 0), std::logic_error);
}

TEST(Scheduler, CancelFlagStopsTheLoop) {
    // The flag is polled every 2^16 events: a self-rescheduling event stream with the flag set
    // stops after exactly 65536 events and reports it did not finish.
    Scheduler scheduler(0.0);
    std::atomic<bool> cancel{true};
    scheduler.schedule_at(0.0, EventClass::arrival, 0);
    const bool finished = scheduler.run_until(
        1e9, [&](const Event&) { scheduler.schedule_in(1.0, EventClass::arrival, 0); }, &cancel);
    EXPECT_FALSE(finished);
    EXPECT_EQ(scheduler.events_processed(), 65536U);
    EXPECT_LT(scheduler.now(), 1e9);
}

}  // namespace
}  // namespace icsflow::sim
