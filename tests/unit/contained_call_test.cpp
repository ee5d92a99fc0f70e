// Code run in a contained child process (sim/io/contained_call.hpp): its output comes back, and
// a crash, a loop or an exception in it becomes an IoError here.
#include "sim/io/contained_call.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <stdexcept>
#include <string>

#include "sim/io/io_error.hpp"

namespace icsflow::sim {
namespace {

std::string failure_of(const std::function<void(std::ostream&)>& work,
                       const Containment& limits = {}) {
    try {
        static_cast<void>(run_contained(work, "reading x.h5", limits));
    } catch (const IoError& e) {
        return e.what();
    }
    return "(no IoError)";
}

TEST(ContainedCall, OutputComesBack) {
    const std::string big(200'000, 'x');  // more than a pipe holds at once
    EXPECT_EQ(run_contained([&](std::ostream& out) { out << "first\n"
                                                         << big; }, "x"),
              "first\n" + big);
}

TEST(ContainedCall, ExceptionsBecomeIoErrors) {
    EXPECT_EQ(failure_of([](std::ostream&) { throw IoError("'x.h5' is damaged"); }),
              "'x.h5' is damaged");
    EXPECT_EQ(failure_of([](std::ostream&) { throw std::runtime_error("bad"); }),
              "reading x.h5: bad");
}

TEST(ContainedCall, ACrashIsAnIoErrorNotACrash) {
    const std::string message = failure_of([](std::ostream& out) {
        out << "partial output that must not be shown";
        std::raise(SIGSEGV);
    });
    EXPECT_NE(message.find("crashed"), std::string::npos) << message;
#ifndef __SANITIZE_ADDRESS__  // AddressSanitizer reports the signal and exits instead
    EXPECT_NE(message.find("SIGSEGV"), std::string::npos) << message;
#endif
}

TEST(ContainedCall, ALoopEndsAtTheTimeLimit) {
    Containment limits;
    limits.cpu_seconds = 1;
    limits.wall_seconds = 20;
    const std::string message = failure_of(
        [](std::ostream&) {
            volatile unsigned long spin = 0;
            while (true) {
                spin = spin + 1;
            }
        },
        limits);
    EXPECT_NE(message.find("did not finish in time"), std::string::npos) << message;
}

}  // namespace
}  // namespace icsflow::sim
