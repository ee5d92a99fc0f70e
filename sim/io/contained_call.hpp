#pragma once

#include <atomic>
#include <functional>
#include <ostream>
#include <string>

namespace icsflow::sim {

// Limits on a contained call (see run_contained).
struct Containment {
    unsigned cpu_seconds = 5;  // describing a sound results file takes milliseconds
    unsigned wall_seconds = 60;
    unsigned long long address_space_bytes = 4ULL << 30;  // not applied under AddressSanitizer
    // When set and it becomes true (a signal to this process), the child is stopped at once and
    // IoError("<what>: interrupted") is thrown.
    const std::atomic<bool>* cancel = nullptr;
};

// Runs `work` in a child process under `limits` and returns what it wrote. For code that parses
// untrusted files inside a library that can crash or loop on damaged input (HDF5 reading a
// corrupted results file): whatever happens in the child, this process carries on. An IoError
// thrown in the child is rethrown here as IoError with the same message; any other exception, a
// crash or a limit reached throws IoError("<what>: " + an explanation).
[[nodiscard]] std::string run_contained(const std::function<void(std::ostream&)>& work,
                                        const std::string& what, const Containment& limits = {});

}  // namespace icsflow::sim
