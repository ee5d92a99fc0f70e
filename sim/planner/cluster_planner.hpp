#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/runner/batch_runner.hpp"

namespace icsflow::sim::planner {

// What replications cost, measured on the machine that made a results file (`/runtime`), in
// seconds of one of its cores. A platform's host speed is relative to that core: "1Gf" is as fast,
// "2Gf" twice as fast.
struct ReplicationCosts {
    std::string source;                   // the results file, or "assumed"
    std::vector<double> seconds;          // compute time of each replication
    std::vector<double> bytes;            // results of each replication, before compression
    double write_seconds_per_byte = 0.0;  // rank 0's time writing results (compression, I/O)
    double setup_seconds = 0.0;           // reading the configuration, building the model

    [[nodiscard]] double mean_seconds() const;
    [[nodiscard]] double mean_bytes() const;
};

// What a replication's compute time is taken to be: its thread's CPU time (the default: it does
// not grow when other programs load the profiling machine) or its wall time.
enum class CostMeasure : std::uint8_t { cpu, wall };

// Reads /runtime of a results file: cpu_seconds or wall_seconds, bytes, sink_seconds,
// setup_seconds. Files without cpu_seconds fall back to wall_seconds.
[[nodiscard]] ReplicationCosts costs_from_results(const std::string& path,
                                                  CostMeasure measure = CostMeasure::cpu);

// One way to run the batch: ranks, threads per rank, and how ranks share the replications.
struct Layout {
    int ranks = 1;
    int threads = 1;
    DistributionPolicy policy = DistributionPolicy::chunks;
};

struct Prediction {
    Layout layout;
    int nodes = 1;              // hosts the ranks occupy
    double wall_seconds = 0.0;  // launch to results file closed
    double efficiency = 0.0;    // compute time / (wall time x cores used)
    double core_hours = 0.0;    // wall time x cores used
};

struct PlatformSummary {
    std::string path;
    int compute_hosts = 0;
    int cores_per_host = 0;
    double core_speed = 0.0;      // relative to the profiled core
    double launch_seconds = 0.0;  // starting the ranks (zone property icsflow.launch_seconds)
    bool has_filesystem = false;  // a host named "filesystem"
};

// Simulates the batch with SimGrid (S4U) on the platform described by `platform_xml` for every
// layout in `layouts` (all sensible ones when empty): ranks' threads computing, chunk requests,
// results sent to rank 0, written in order through the shared file system.
struct Plan {
    PlatformSummary platform;
    std::vector<Prediction> predictions;
};
[[nodiscard]] Plan plan_batch(const std::string& platform_xml, const ReplicationCosts& costs,
                              std::uint64_t replications, std::vector<Layout> layouts);

// The layout to use: the one that meets `deadline_seconds` on the fewest cores (then the
// fastest); the fastest overall if none meets it.
[[nodiscard]] const Prediction& recommend(const std::vector<Prediction>& predictions,
                                          double deadline_seconds);

}  // namespace icsflow::sim::planner
