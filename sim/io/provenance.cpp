#include "sim/io/provenance.hpp"

#include <oneapi/tbb/version.h>

#include <CLI/Version.hpp>
#include <boost/version.hpp>
#include <ctime>
#include <toml.hpp>

#include "sim/io/build_info.hpp"
#include "sim/io/hdf5.hpp"

namespace icsflow::sim {

namespace {

std::string format_utc(const char* format) {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, format, &utc);
    return buffer;
}

std::string boost_version() {
    return std::to_string(BOOST_VERSION / 100000) + "." +
           std::to_string(BOOST_VERSION / 100 % 1000) + "." + std::to_string(BOOST_VERSION % 100);
}

}  // namespace

std::string utc_timestamp() {
    return format_utc("%Y-%m-%dT%H:%M:%SZ");
}
std::string compact_utc_timestamp() {
    return format_utc("%Y%m%dT%H%M%SZ");
}

std::string program_version() {
    return build_info::kVersion;
}

Provenance build_provenance() {
    Provenance p;
    p.program_version = build_info::kVersion;
    p.git_commit = build_info::kGitCommit;
    p.git_dirty = build_info::kGitDirty;
    p.created_utc = utc_timestamp();
    p.library_versions = {
        "HDF5 " + h5::library_version(),
        std::string("oneTBB ") + TBB_runtime_version(),
        "Boost " + boost_version(),
        std::string("CLI11 ") + CLI11_VERSION,
        "toml11 " + std::to_string(TOML11_VERSION_MAJOR) + "." +
            std::to_string(TOML11_VERSION_MINOR) + "." + std::to_string(TOML11_VERSION_PATCH),
        std::string("compiler ") + build_info::kCompiler,
    };
    return p;
}

std::string version_banner() {
    const Provenance p = build_provenance();
    std::string text = "icsflow " + p.program_version + " (commit " + p.git_commit +
                       (p.git_dirty == "true" ? ", modified" : "") + ")\n";
    for (const auto& library : p.library_versions) {
        text += "  " + library + "\n";
    }
    return text;
}

}  // namespace icsflow::sim
