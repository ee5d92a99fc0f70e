#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace icsflow::sim {

// Where a results file came from. Every field is written unconditionally ("unknown" when it is
// not known), so a reader never has to guess whether a missing field means "not recorded".
struct Provenance {
    std::string program = "icsflow";
    std::string program_version;
    std::string git_commit;
    std::string git_dirty;  // "true", "false" or "unknown"
    std::string created_utc;
    std::string command_line;
    std::string model;
    std::string config_path;
    std::uint64_t master_seed = 0;
    std::uint64_t replications = 0;
    std::uint64_t first_replication = 0;
    int threads = 1;
    int mpi_ranks = 1;
    // What the spread between replications holds: "chance", or "chance and assumptions: ..."
    std::string uncertainty = "chance";
    std::vector<std::string> library_versions;
};

// Program version, commit and dirty flag from the build, library versions from the libraries.
[[nodiscard]] Provenance build_provenance();

[[nodiscard]] std::string program_version();
[[nodiscard]] std::string version_banner();  // multi-line text for --version

// Now, as ISO 8601 UTC: "2026-11-23T20:38:12Z".
[[nodiscard]] std::string utc_timestamp();
// Now, compact, for file names: "20261123T203812Z".
[[nodiscard]] std::string compact_utc_timestamp();

}  // namespace icsflow::sim
