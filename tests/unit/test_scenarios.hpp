#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "sim/output/output_schema.hpp"
#include "sim/runner/scenario.hpp"

namespace icsflow::test {

// Thrown by TinyScenario in its failing replication.
class ReplicationFailure : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A scenario with a small fixed schema whose results are a known function of the replication
// index, so that what a sink or a file receives can be checked value by value:
//   level[week w, stage s] = 100 r + 10 w + s        (NaN at week 1, stage 0 of odd r)
//   count[week w]          = r + w
//   total = 1.5 r,  peak = r^2
// With `fail_at` set, replication `fail_at` throws ReplicationFailure.
class TinyScenario : public sim::Scenario {
  public:
    static constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();

    explicit TinyScenario(std::uint64_t fail_at = kNever) : fail_at_(fail_at) {
        schema_.add_time_axis(
            {"week", "reporting week", {0.0, 7.0, 14.0}, {7.0, 14.0, 20.0}, {"W1", "W2", "W3"}});
        schema_.add_category_axis({"stage", "service stage", {"first", "second"}});
        schema_.add_series({"level",
                            "customers waiting (time-average)",
                            "customers",
                            "week",
                            {"stage"},
                            sim::SeriesKind::time_mean});
        schema_.add_series(
            {"count", "customers served", "customers", "week", {}, sim::SeriesKind::flow});
        schema_.add_summary({"total", "a total", "customers", true});
        schema_.add_summary({"peak", "a peak", "1", false});
    }

    [[nodiscard]] const sim::OutputSchema& schema() const override { return schema_; }

    [[nodiscard]] sim::ReplicationResult run(
        const sim::ReplicationContext& context) const override {
        const std::uint64_t r = context.replication;
        if (r == fail_at_) {
            throw ReplicationFailure("replication " + std::to_string(r) + " failed");
        }
        sim::ReplicationResult result = sim::ReplicationResult::for_schema(schema_);
        for (std::size_t w = 0; w < 3; ++w) {
            for (std::size_t s = 0; s < 2; ++s) {
                result.series[0][w * 2 + s] = level(r, w, s);
            }
            result.series[1][w] = static_cast<double>(r + w);
        }
        result.summaries[0] = 1.5 * static_cast<double>(r);
        result.summaries[1] = static_cast<double>(r * r);
        result.events = 10 + r;
        return result;
    }

    [[nodiscard]] static double level(std::uint64_t r, std::size_t w, std::size_t s) {
        if (r % 2 == 1 && w == 1 && s == 0) {
            return std::numeric_limits<double>::quiet_NaN();
        }
        return 100.0 * static_cast<double>(r) + 10.0 * static_cast<double>(w) +
               static_cast<double>(s);
    }

  private:
    sim::OutputSchema schema_;
    std::uint64_t fail_at_;
};

}  // namespace icsflow::test
