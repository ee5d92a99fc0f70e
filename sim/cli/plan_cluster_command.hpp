#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace icsflow::sim {

// `icsflow plan-cluster --platform PLATFORM.xml --replications N [--profile FILE.h5] ...`
struct PlanOptions {
    std::string platform;
    std::uint64_t replications = 0;
    std::string profile;
    double seconds_per_replication = 0.0;  // without a profile
    double bytes_per_replication = 0.0;
    std::string deadline = "24h";
    std::vector<std::string> layouts;  // "RxT" or "RxT:blocks"
    std::string cost = "cpu";          // a replication's cost: its CPU time or its wall time
};

void add_plan_cluster_options(CLI::App& app, PlanOptions& options);
int command_plan_cluster(const PlanOptions& options);

// "90s", "30m", "2.5h", "3600" (seconds) -> seconds; throws std::invalid_argument.
[[nodiscard]] double parse_duration(const std::string& text);

}  // namespace icsflow::sim
