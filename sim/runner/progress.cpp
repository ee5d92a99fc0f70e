#include "sim/runner/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <stdexcept>

namespace icsflow::sim {

namespace {

constexpr double kBarInterval = 0.2;   // seconds between redraws of the bar
constexpr double kLineInterval = 5.0;  // seconds between lines in log mode
constexpr int kBarWidth = 30;

double seconds_between(std::chrono::steady_clock::time_point a,
                       std::chrono::steady_clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

}  // namespace

ProgressMode progress_mode_from_string(std::string_view text) {
    if (text == "auto") {
        return ProgressMode::automatic;
    }
    if (text == "bar") {
        return ProgressMode::bar;
    }
    if (text == "lines") {
        return ProgressMode::lines;
    }
    if (text == "none") {
        return ProgressMode::none;
    }
    throw std::invalid_argument("progress must be auto, bar, lines or none");
}

std::string format_duration(double seconds) {
    char buffer[32];
    if (!std::isfinite(seconds) || seconds < 0) {
        return "?";
    }
    if (seconds < 60) {
        std::snprintf(buffer, sizeof buffer, "%.1fs", seconds);
    } else if (seconds < 3600) {
        const int s = static_cast<int>(seconds);
        std::snprintf(buffer, sizeof buffer, "%dm%02ds", s / 60, s % 60);
    } else {
        const int m = static_cast<int>(seconds / 60);
        std::snprintf(buffer, sizeof buffer, "%dh%02dm", m / 60, m % 60);
    }
    return buffer;
}

ProgressReporter::ProgressReporter(ProgressMode mode, std::uint64_t total, std::FILE* stream)
    : mode_(mode),
      total_(total),
      stream_(stream),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {
    if (mode_ == ProgressMode::automatic) {
        mode_ = isatty(fileno(stream_)) != 0 ? ProgressMode::bar : ProgressMode::lines;
    }
}

std::string ProgressReporter::eta_text(std::uint64_t done, double elapsed) const {
    if (done == 0) {
        return "ETA ?";
    }
    const double remaining =
        elapsed * static_cast<double>(total_ - done) / static_cast<double>(done);
    return "ETA " + format_duration(remaining);
}

void ProgressReporter::draw_bar(std::uint64_t done, double elapsed) {
    const double fraction =
        total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1;
    const int filled = static_cast<int>(fraction * kBarWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(kBarWidth - filled), '.');
    std::fprintf(stream_, "\r[%s] %llu/%llu replications  %s elapsed  %s   ", bar.c_str(),
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                 format_duration(elapsed).c_str(), eta_text(done, elapsed).c_str());
    std::fflush(stream_);
    printed_ = true;
}

void ProgressReporter::print_line(std::uint64_t done, double elapsed) {
    std::fprintf(stream_, "progress: %llu/%llu replications, %s elapsed, %s\n",
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                 format_duration(elapsed).c_str(), eta_text(done, elapsed).c_str());
    std::fflush(stream_);
    printed_ = true;
}

void ProgressReporter::update(std::uint64_t done) {
    if (mode_ == ProgressMode::none) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    const double interval = mode_ == ProgressMode::bar ? kBarInterval : kLineInterval;
    if (seconds_between(last_print_, now) < interval) {
        return;
    }
    last_print_ = now;
    const double elapsed = seconds_between(start_, now);
    if (mode_ == ProgressMode::bar) {
        draw_bar(done, elapsed);
    } else {
        print_line(done, elapsed);
    }
}

void ProgressReporter::finish(std::uint64_t done) {
    if (mode_ == ProgressMode::none) {
        return;
    }
    const double elapsed = seconds_between(start_, std::chrono::steady_clock::now());
    if (mode_ == ProgressMode::bar) {
        draw_bar(done, elapsed);
        std::fputc('\n', stream_);
        std::fflush(stream_);
    } else {
        print_line(done, elapsed);
    }
}

}  // namespace icsflow::sim
