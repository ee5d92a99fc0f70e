// Fuzz target: the results reader, as `icsflow info` runs it, on any bytes as a results file.
// Any input must give a description or an IoError. The reader runs in this process so that the
// fuzzer sees its coverage; the program runs it contained (describe_results_file_contained), so
// a crash or loop inside the HDF5 library itself, which the fuzzer reports, is an exit 4 there:
// every such input is kept in tests/fuzz/regressions/results and replayed (ctest) through the
// contained reader, as the program runs it (ICSFLOW_REPLAY_CONTAINED).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>

#include "sim/io/io_error.hpp"
#include "sim/io/results_info.hpp"

namespace {

// One file per fuzzing process, rewritten for every input.
const std::string& scratch_path() {
    static const std::string path =
        "/tmp/icsflow-results-fuzz-" + std::to_string(::getpid()) + ".h5";
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = scratch_path();
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) {
        return 0;
    }
    std::fwrite(data, 1, size, file);
    std::fclose(file);
    try {
        std::ostringstream out;
#ifdef ICSFLOW_REPLAY_CONTAINED
        // A second of CPU shows a loop is contained as well as the program's five do.
        icsflow::sim::Containment limits;
        limits.cpu_seconds = 1;
        icsflow::sim::describe_results_file_contained(path, out, limits);
#else
        icsflow::sim::describe_results_file(path, out);
#endif
    } catch (const icsflow::sim::IoError&) {
    }
    std::remove(path.c_str());
    return 0;
}
