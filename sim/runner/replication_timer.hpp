#pragma once

#include <time.h>

#include <chrono>

#include "sim/output/output_schema.hpp"

namespace icsflow::sim {

// Measures one replication where it runs: wall-clock time, and CPU time of the running thread
// (which, unlike wall time, does not grow when other programs share the cores: the batch
// planner's costs).
class ReplicationTimer {
  public:
    ReplicationTimer() : wall_start_(std::chrono::steady_clock::now()), cpu_start_(thread_cpu()) {}

    void record(ReplicationResult& result) const {
        result.wall_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
        result.cpu_seconds = thread_cpu() - cpu_start_;
    }

  private:
    static double thread_cpu() {
        timespec now{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
        return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
    }

    std::chrono::steady_clock::time_point wall_start_;
    double cpu_start_;
};

}  // namespace icsflow::sim
