// Capacity that follows a weekly timetable and date-range rules, and unbiased rounding of
// fractional capacities into whole slots.
#include "sim/resource/capacity_schedule.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "sim/engine/sim_calendar.hpp"

namespace icsflow::sim {
namespace {

Date ymd(int y, unsigned m, unsigned d) {
    return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

constexpr unsigned kMon = 0;
constexpr unsigned kWed = 2;
constexpr unsigned kSat = 5;
constexpr std::uint8_t kSaturdays = 1U << kSat;
constexpr std::uint8_t kWeekends = (1U << 5) | (1U << 6);

// 2019-04-01 is a Monday, so day d of the run has weekday d % 7.
const SimCalendar kCalendar(ymd(2019, 4, 1));

// Monday 09:00 (4), Wednesday 13:30 (2.5) and 08:00 (1), Saturday 10:00 (3); given out of order.
std::vector<WeeklySession> week() {
    return {{kWed, 13.5, 2.5}, {kMon, 9.0, 4.0}, {kSat, 10.0, 3.0}, {kWed, 8.0, 1.0}};
}

TEST(CapacitySchedule, WeeklySessionsFallOnTheirWeekdaysAndHours) {
    const CapacitySchedule schedule(week(), {});
    // Sorted by weekday then hour: the template indices refer to this order.
    ASSERT_EQ(schedule.week().size(), 4U);
    EXPECT_EQ(schedule.week()[0].weekday, kMon);
    EXPECT_EQ(schedule.week()[1].start_hour, 8.0);
    EXPECT_EQ(schedule.week()[2].start_hour, 13.5);
    EXPECT_EQ(schedule.week()[3].weekday, kSat);

    std::vector<ScheduledSession> sessions;
    schedule.sessions_between(kCalendar, 0.0, 14.0, sessions);
    struct Expected {
        double time;
        double capacity;
        std::uint32_t template_index;
    };
    const std::vector<Expected> expected{{0.0 + 9.0 / 24, 4.0, 0},  {2.0 + 8.0 / 24, 1.0, 1},
                                         {2.0 + 13.5 / 24, 2.5, 2}, {5.0 + 10.0 / 24, 3.0, 3},
                                         {7.0 + 9.0 / 24, 4.0, 0},  {9.0 + 8.0 / 24, 1.0, 1},
                                         {9.0 + 13.5 / 24, 2.5, 2}, {12.0 + 10.0 / 24, 3.0, 3}};
    ASSERT_EQ(sessions.size(), expected.size());
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        EXPECT_DOUBLE_EQ(sessions[i].time, expected[i].time) << "session " << i;
        EXPECT_EQ(sessions[i].capacity, expected[i].capacity) << "session " << i;
        EXPECT_EQ(sessions[i].template_index, expected[i].template_index) << "session " << i;
        const WeeklySession& source = schedule.week()[sessions[i].template_index];
        EXPECT_EQ(kCalendar.weekday_at(sessions[i].time), source.weekday) << "session " << i;
        const double hour = (sessions[i].time - std::floor(sessions[i].time)) * 24.0;
        EXPECT_NEAR(hour, source.start_hour, 1e-9) << "session " << i;
    }
}

TEST(CapacitySchedule, SessionsBetweenUsesAHalfOpenWindowAndAppends) {
    const CapacitySchedule schedule(week(), {});
    std::vector<ScheduledSession> sessions{{-99.0, 0.0, 0}};  // kept: the call appends
    schedule.sessions_between(kCalendar, 2.5, 9.0 + 13.5 / 24, sessions);
    // Wednesday 08:00 of day 2 (2.333) is before the window; Wednesday 13:30 of day 9 is at its
    // exclusive end.
    ASSERT_EQ(sessions.size(), 5U);
    EXPECT_EQ(sessions[0].time, -99.0);
    EXPECT_DOUBLE_EQ(sessions[1].time, 2.0 + 13.5 / 24);
    EXPECT_DOUBLE_EQ(sessions[2].time, 5.0 + 10.0 / 24);
    EXPECT_DOUBLE_EQ(sessions[3].time, 7.0 + 9.0 / 24);
    EXPECT_DOUBLE_EQ(sessions[4].time, 9.0 + 8.0 / 24);

    // The warm-up week before the start date: Monday 2019-03-25 is day -7.
    std::vector<ScheduledSession> warmup;
    schedule.sessions_between(kCalendar, -7.0, 0.0, warmup);
    ASSERT_EQ(warmup.size(), 4U);
    EXPECT_DOUBLE_EQ(warmup[0].time, -7.0 + 9.0 / 24);
    EXPECT_DOUBLE_EQ(warmup[3].time, -2.0 + 10.0 / 24);
    EXPECT_EQ(kCalendar.weekday_at(warmup[3].time), kSat);

    std::vector<ScheduledSession> none;
    schedule.sessions_between(kCalendar, 3.0, 3.0, none);
    schedule.sessions_between(kCalendar, 5.5, 7.0, none);  // Saturday afternoon to Monday 00:00
    EXPECT_TRUE(none.empty());
    CapacitySchedule().sessions_between(kCalendar, 0.0, 100.0, none);
    EXPECT_TRUE(none.empty());
}

TEST(CapacitySchedule, RulesComposeOverDateRangesAndWeekdays) {
    std::vector<CapacityRule> rules;
    rules.push_back({7.0, 14.0, 0.5, 0.0, 0x7F});        // half capacity in the second week
    rules.push_back({0.0, 21.0, 1.0, 2.0, kSaturdays});  // two extra on Saturdays, three weeks
    rules.push_back({9.0, 10.0, 0.0, 0.0, 0x7F});        // closed on Wednesday 2019-04-10
    const CapacitySchedule schedule(week(), rules);
    std::vector<ScheduledSession> sessions;
    schedule.sessions_between(kCalendar, 0.0, 28.0, sessions);
    std::vector<double> capacities;
    for (const auto& s : sessions) {
        capacities.push_back(s.capacity);
    }
    const std::vector<double> expected{
        4.0, 1.0, 2.5, 3.0 + 2.0,  // week 1: Saturday +2
        2.0, 0.0, 0.0, 3.5,        // week 2: x0.5; Wednesday closed; Saturday 3 x 0.5 + 2
        4.0, 1.0, 2.5, 5.0,        // week 3: Saturday +2 until day 21
        4.0, 1.0, 2.5, 3.0};       // week 4: no rule in force
    EXPECT_EQ(capacities, expected);
}

TEST(CapacitySchedule, LevelAtAppliesRulesToABaseLevelAndNeverGoesBelowZero) {
    // Beds: 20, half at weekends, +5 winter escalation from December to March, x0.2 suspension
    // from 2020-03-17 to 2020-05-31.
    std::vector<CapacityRule> rules;
    rules.push_back({-1e9, 1e9, 0.5, 0.0, kWeekends});
    rules.push_back(
        {kCalendar.time_of(ymd(2019, 12, 1)), kCalendar.time_of(ymd(2020, 4, 1)), 1.0, 5.0, 0x7F});
    rules.push_back(
        {kCalendar.time_of(ymd(2020, 3, 17)), kCalendar.time_of(ymd(2020, 6, 1)), 0.2, 0.0, 0x7F});
    const CapacitySchedule schedule({}, rules);
    auto level = [&](int y, unsigned m, unsigned d) {
        return schedule.level_at(kCalendar, kCalendar.time_of(ymd(y, m, d)) + 0.5, 20.0);
    };
    EXPECT_DOUBLE_EQ(level(2019, 4, 1), 20.0);   // Monday
    EXPECT_DOUBLE_EQ(level(2019, 4, 6), 10.0);   // Saturday
    EXPECT_DOUBLE_EQ(level(2019, 4, 7), 10.0);   // Sunday
    EXPECT_DOUBLE_EQ(level(2019, 12, 2), 25.0);  // Monday in winter
    EXPECT_DOUBLE_EQ(level(2019, 12, 7), 15.0);  // Saturday in winter: 20 x 0.5 + 5
    EXPECT_DOUBLE_EQ(level(2020, 3, 17), 9.0);   // Tuesday: 20 x 0.2 + 5
    EXPECT_DOUBLE_EQ(level(2020, 3, 21), 7.0);   // Saturday: 20 x 0.2 x 0.5 + 5
    EXPECT_DOUBLE_EQ(level(2020, 4, 1), 4.0);    // winter over, suspension on
    EXPECT_DOUBLE_EQ(level(2020, 6, 1), 20.0);   // Monday, all over
    EXPECT_DOUBLE_EQ(schedule.level_at(kCalendar, kCalendar.time_of(ymd(2020, 6, 1)), 20.0),
                     20.0);  // 'to' is exclusive
    EXPECT_DOUBLE_EQ(schedule.level_at(kCalendar, kCalendar.time_of(ymd(2020, 3, 17)), 20.0),
                     9.0);  // 'from' is inclusive

    CapacitySchedule cut({}, {{0.0, 10.0, 1.0, -30.0, 0x7F}});
    EXPECT_EQ(cut.level_at(kCalendar, 5.0, 20.0), 0.0);
    EXPECT_EQ(cut.level_at(kCalendar, 10.0, 20.0), 20.0);
    cut.add_rule({0.0, 20.0, 2.0, 0.0, 0x7F});
    EXPECT_EQ(cut.level_at(kCalendar, 5.0, 20.0), 10.0);  // 20 x 2 - 30
    EXPECT_EQ(cut.level_at(kCalendar, 15.0, 20.0), 40.0);
}

TEST(CapacitySchedule, ChangePoints) {
    const CapacitySchedule dated({}, {{10.0, 20.0, 0.5, 0.0, 0x7F}, {15.0, 30.0, 1.0, 3.0, 0x7F}});
    EXPECT_EQ(dated.change_points(0.0, 25.0), (std::vector<double>{10.0, 15.0, 20.0}));
    EXPECT_EQ(dated.change_points(12.0, 40.0), (std::vector<double>{15.0, 20.0, 30.0}));
    EXPECT_EQ(dated.change_points(10.0, 20.0), (std::vector<double>{15.0}));  // open interval
    EXPECT_TRUE(dated.change_points(31.0, 50.0).empty());

    // A weekday rule can change the level at every midnight.
    const CapacitySchedule weekly({},
                                  {{0.0, 100.0, 0.5, 0.0, kWeekends}, {2.5, 3.5, 0.0, 0, 0x7F}});
    EXPECT_EQ(weekly.change_points(0.5, 4.0), (std::vector<double>{1.0, 2.0, 2.5, 3.0, 3.5}));
}

TEST(CapacitySchedule, InvalidInputsThrow) {
    EXPECT_THROW(CapacitySchedule({{7, 9.0, 1.0}}, {}), std::invalid_argument);
    EXPECT_THROW(CapacitySchedule({{0, 24.0, 1.0}}, {}), std::invalid_argument);
    EXPECT_THROW(CapacitySchedule({{0, -1.0, 1.0}}, {}), std::invalid_argument);
    EXPECT_THROW(CapacitySchedule({{0, 9.0, -1.0}}, {}), std::invalid_argument);
    EXPECT_THROW(CapacitySchedule({}, {{5.0, 5.0, 1.0, 0.0, 0x7F}}), std::invalid_argument);
    EXPECT_THROW(CapacitySchedule({}, {{0.0, 5.0, -0.5, 0.0, 0x7F}}), std::invalid_argument);
}

TEST(SlotRounder, CarriesFractionsForward) {
    SlotRounder halves;
    std::vector<std::uint32_t> got;
    for (int i = 0; i < 6; ++i) {
        got.push_back(halves.take(0.5));
    }
    EXPECT_EQ(got, (std::vector<std::uint32_t>{0, 1, 0, 1, 0, 1}));

    SlotRounder quarters;
    got.clear();
    for (int i = 0; i < 4; ++i) {
        got.push_back(quarters.take(2.25));
    }
    EXPECT_EQ(got, (std::vector<std::uint32_t>{2, 2, 2, 3}));

    // Three thirds make one slot despite rounding error in 1/3 + 1/3 + 1/3.
    SlotRounder thirds;
    got.clear();
    for (int i = 0; i < 6; ++i) {
        got.push_back(thirds.take(1.0 / 3.0));
    }
    EXPECT_EQ(got, (std::vector<std::uint32_t>{0, 0, 1, 0, 0, 1}));

    SlotRounder whole;
    EXPECT_EQ(whole.take(3.0), 3U);
    EXPECT_EQ(whole.take(0.0), 0U);
}

TEST(SlotRounder, DeliversTheSummedCapacityWithinOneSlotOverAYearOfSessions) {
    // A timetable with fractional capacities and rules making them more fractional still.
    const CapacitySchedule schedule(
        {{kMon, 9.0, 2.5}, {kWed, 13.5, 1.0 / 3.0}, {kSat, 10.0, 3.7}},
        {{30.0, 200.0, 0.7, 0.0, 0x7F}, {100.0, 300.0, 1.0, 0.45, kSaturdays}});
    std::vector<ScheduledSession> sessions;
    schedule.sessions_between(kCalendar, 0.0, 365.0, sessions);
    ASSERT_EQ(sessions.size(), 157U);  // 53 Mondays, 52 Wednesdays, 52 Saturdays
    SlotRounder rounder;
    double capacity = 0.0;
    double slots = 0.0;
    for (const auto& s : sessions) {
        capacity += s.capacity;
        slots += rounder.take(s.capacity);
        // After every session the slots delivered lag the capacity by less than one slot and
        // never exceed it.
        ASSERT_LE(slots, capacity + 1e-6);
        ASSERT_GT(slots, capacity - 1.0);
    }
    EXPECT_GT(capacity, 300.0);
}

}  // namespace
}  // namespace icsflow::sim
