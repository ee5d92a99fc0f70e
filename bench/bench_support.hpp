#pragma once

// Measuring helpers of the benchmarks: wall and CPU clocks, peak resident memory, the machine's
// load. The benchmarks share a small machine with other work, so every timed figure is reported
// with the CPU time it took (which load barely changes) and with the load average.

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

namespace icsflow::bench {

// Wall time and the CPU time of the calling thread and of the whole process.
struct Clocks {
    double wall = 0.0;
    double thread_cpu = 0.0;
    double process_cpu = 0.0;

    static Clocks now();
    friend Clocks operator-(const Clocks& a, const Clocks& b) {
        return Clocks{a.wall - b.wall, a.thread_cpu - b.thread_cpu, a.process_cpu - b.process_cpu};
    }
};

// The best (smallest) and every value of a repeated measurement.
struct Samples {
    std::vector<double> values;
    void add(double v) { values.push_back(v); }
    // NaN when there are no values.
    [[nodiscard]] double best() const;
    [[nodiscard]] std::string list(int precision = 3) const;  // "1.23 1.25 1.31"
};

// Peak resident set size of this process (VmHWM), in bytes; 0 if unknown.
[[nodiscard]] std::uint64_t peak_rss_bytes();

// "0.52 0.61 0.40" (1, 5 and 15-minute load averages).
[[nodiscard]] std::string load_average();

// The share of the machine's CPU time spent busy (by anything) over the next `seconds`, from
// /proc/stat; NaN if unknown. Called while this program is idle, it measures everyone else.
[[nodiscard]] double cpu_busy_fraction(double seconds);

// Waits until the machine is nearly idle (cpu_busy_fraction(1) < 0.15) or `timeout` seconds
// have passed; returns the last busy fraction measured.
double wait_until_quiet(double timeout);

// The CPU model name and the number of online CPUs.
[[nodiscard]] std::string cpu_description();

// The path of the running executable.
[[nodiscard]] std::string self_executable();

}  // namespace icsflow::bench
