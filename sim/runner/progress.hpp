#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace icsflow::sim {

enum class ProgressMode { automatic, bar, lines, none };

[[nodiscard]] ProgressMode progress_mode_from_string(std::string_view text);  // throws

// Progress of a batch on a stream (stderr): a redrawn bar with ETA when the stream is a terminal,
// a plain line every few seconds otherwise (logs, CI), nothing in `none` mode. Called only from
// the thread that drives the batch.
class ProgressReporter {
  public:
    ProgressReporter(ProgressMode mode, std::uint64_t total, std::FILE* stream = stderr);

    // `done` replications complete; prints if it is time to.
    void update(std::uint64_t done);
    // The final line (always, except in `none` mode).
    void finish(std::uint64_t done);

    [[nodiscard]] ProgressMode effective_mode() const { return mode_; }

  private:
    [[nodiscard]] std::string eta_text(std::uint64_t done, double elapsed) const;
    void draw_bar(std::uint64_t done, double elapsed);
    void print_line(std::uint64_t done, double elapsed);

    ProgressMode mode_;
    std::uint64_t total_;
    std::FILE* stream_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_print_;
    bool printed_ = false;
};

[[nodiscard]] std::string format_duration(double seconds);  // "1h02m", "3m05s", "12.3s"

}  // namespace icsflow::sim
