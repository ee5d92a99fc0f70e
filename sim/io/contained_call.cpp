#include "sim/io/contained_call.hpp"

#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>
#include <sstream>

#include "sim/io/io_error.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define ICSFLOW_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ICSFLOW_ADDRESS_SANITIZER 1
#endif
#endif

namespace icsflow::sim {

namespace {

// The child's report: one status byte, then the text ('O' output, 'I' an IoError's message,
// 'E' another exception's message).
constexpr char kOk = 'O';
constexpr char kIoError = 'I';
constexpr char kOtherError = 'E';

void write_all(int fd, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

void apply_limits(const Containment& limits) {
    const rlimit cpu{limits.cpu_seconds, limits.cpu_seconds + 1};
    ::setrlimit(RLIMIT_CPU, &cpu);
#ifndef ICSFLOW_ADDRESS_SANITIZER
    const rlimit memory{limits.address_space_bytes, limits.address_space_bytes};
    ::setrlimit(RLIMIT_AS, &memory);
#endif
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
}

[[noreturn]] void run_child(int fd, const std::function<void(std::ostream&)>& work,
                            const Containment& limits) {
    // The parent's handlers only set a flag the child never looks at: here a termination signal
    // (one sent to the whole process group, or the CPU limit's SIGXCPU) must end the child.
    for (const int number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU,
                             SIGXFSZ, SIGVTALRM}) {
        std::signal(number, SIG_DFL);
    }
    apply_limits(limits);
    std::string report;
    try {
        std::ostringstream out;
        work(out);
        report = kOk + out.str();
    } catch (const IoError& e) {
        report = kIoError + std::string(e.what());
    } catch (const std::exception& e) {
        report = kOtherError + std::string(e.what());
    }
    write_all(fd, report);
    ::close(fd);
    ::_exit(0);
}

enum class ReadEnd { complete, timed_out, cancelled };

// Reads the child's report until it closes the pipe, the deadline passes or `cancel` is set
// (looked at every 100 ms at least, and on every signal).
ReadEnd read_report(int fd, std::string& report, std::chrono::steady_clock::time_point deadline,
                    const std::atomic<bool>* cancel) {
    char buffer[65536];
    while (true) {
        if (cancel != nullptr && cancel->load()) {
            return ReadEnd::cancelled;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0) {
            return ReadEnd::timed_out;
        }
        pollfd descriptor{fd, POLLIN, 0};
        const int ready = ::poll(&descriptor, 1, static_cast<int>(std::min<long long>(left, 100)));
        if ((ready < 0 && errno == EINTR) || ready == 0) {
            continue;
        }
        if (ready < 0) {
            return ReadEnd::complete;
        }
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return ReadEnd::complete;
        }
        report.append(buffer, static_cast<std::size_t>(n));
    }
}

std::string describe_status(int status) {
    if (WIFSIGNALED(status)) {
        const int number = WTERMSIG(status);
        if (number == SIGXCPU || number == SIGKILL) {
            return "reading it did not finish in time";
        }
        const char* name = sigabbrev_np(number);
        return std::string("the reader crashed on it (SIG") + (name != nullptr ? name : "?") + ")";
    }
    // Exited without a report: a sanitizer, for one, turns a crash into an exit.
    return "the reader crashed on it (exit " + std::to_string(WEXITSTATUS(status)) + ")";
}

}  // namespace

std::string run_contained(const std::function<void(std::ostream&)>& work, const std::string& what,
                          const Containment& limits) {
    int fds[2];
    if (::pipe(fds) != 0) {
        throw IoError(what + ": cannot create a pipe: " + std::strerror(errno));
    }
    std::cout.flush();
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw IoError(what + ": cannot start a process: " + std::strerror(errno));
    }
    if (child == 0) {
        ::close(fds[0]);
        run_child(fds[1], work, limits);
    }
    ::close(fds[1]);
    std::string report;
    const ReadEnd end =
        read_report(fds[0], report,
                    std::chrono::steady_clock::now() + std::chrono::seconds(limits.wall_seconds),
                    limits.cancel);
    ::close(fds[0]);
    const bool finished = end == ReadEnd::complete;
    if (!finished) {
        ::kill(child, SIGKILL);
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (end == ReadEnd::cancelled) {
        throw IoError(what + ": interrupted");
    }
    const bool clean = finished && WIFEXITED(status) && WEXITSTATUS(status) == 0 && !report.empty();
    if (!clean) {
        throw IoError(what + ": " +
                      (finished ? describe_status(status) : "reading it did not finish in time") +
                      "; the file is damaged");
    }
    const std::string text = report.substr(1);
    if (report.front() == kOk) {
        return text;
    }
    if (report.front() == kIoError) {
        throw IoError(text);
    }
    throw IoError(what + ": " + text);
}

}  // namespace icsflow::sim
