#pragma once

#include <cstdint>
#include <vector>

#include "sim/runner/batch_runner.hpp"

namespace icsflow::sim {

// Keeps each replication's summaries and drops its series: what a search needs, in a fraction
// of the memory of every series.
class SummarySink : public ResultSink {
  public:
    explicit SummarySink(std::size_t summaries) : values_(summaries) {}
    void consume(std::uint64_t /*replication*/, ReplicationResult&& result) override {
        for (std::size_t s = 0; s < values_.size(); ++s) {
            values_[s].push_back(result.summaries[s]);
        }
    }
    // Every replication's value of summary `s`, in replication order.
    [[nodiscard]] const std::vector<double>& values(std::size_t s) const { return values_[s]; }

  private:
    std::vector<std::vector<double>> values_;
};

}  // namespace icsflow::sim
