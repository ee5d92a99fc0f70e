#include "bench/bench_support.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

namespace icsflow::bench {

namespace {

double clock_seconds(clockid_t id) {
    timespec ts{};
    clock_gettime(id, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace

Clocks Clocks::now() {
    return Clocks{clock_seconds(CLOCK_MONOTONIC), clock_seconds(CLOCK_THREAD_CPUTIME_ID),
                  clock_seconds(CLOCK_PROCESS_CPUTIME_ID)};
}

double Samples::best() const {
    double best = std::numeric_limits<double>::quiet_NaN();
    for (const double v : values) {
        if (!(v >= best)) {
            best = v;
        }
    }
    return best;
}

std::string Samples::list(int precision) const {
    std::string text;
    char buffer[32];
    for (const double v : values) {
        std::snprintf(buffer, sizeof buffer, "%s%.*g", text.empty() ? "" : " ", precision, v);
        text.append(buffer);
    }
    return text;
}

std::uint64_t peak_rss_bytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            std::istringstream fields(line.substr(6));
            std::uint64_t kib = 0;
            fields >> kib;
            return kib * 1024;
        }
    }
    return 0;
}

std::string load_average() {
    std::ifstream file("/proc/loadavg");
    std::string one;
    std::string five;
    std::string fifteen;
    file >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

namespace {

// Busy and total jiffies of all CPUs so far.
bool cpu_jiffies(double& busy, double& total) {
    std::ifstream stat("/proc/stat");
    std::string label;
    stat >> label;
    if (label != "cpu") {
        return false;
    }
    // user nice system idle iowait irq softirq steal
    double fields[8] = {};
    for (double& f : fields) {
        stat >> f;
    }
    if (!stat) {
        return false;
    }
    total = 0.0;
    for (const double f : fields) {
        total += f;
    }
    busy = total - fields[3] - fields[4];
    return true;
}

}  // namespace

double cpu_busy_fraction(double seconds) {
    double busy0 = 0.0;
    double total0 = 0.0;
    double busy1 = 0.0;
    double total1 = 0.0;
    if (!cpu_jiffies(busy0, total0)) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    if (!cpu_jiffies(busy1, total1) || !(total1 > total0)) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    return (busy1 - busy0) / (total1 - total0);
}

double wait_until_quiet(double timeout) {
    const Clocks start = Clocks::now();
    double busy = cpu_busy_fraction(1.0);
    while (!(busy < 0.15) && (Clocks::now() - start).wall < timeout) {
        busy = cpu_busy_fraction(1.0);
    }
    return busy;
}

std::string cpu_description() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    std::string model = "unknown CPU";
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos) {
                model = line.substr(colon + 2);
            }
            break;
        }
    }
    return model + ", " + std::to_string(std::thread::hardware_concurrency()) + " CPUs";
}

std::string self_executable() {
    char buffer[4096];
    const ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
    if (n <= 0) {
        return {};
    }
    buffer[n] = '\0';
    return buffer;
}

}  // namespace icsflow::bench
