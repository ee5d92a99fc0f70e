#pragma once

#include <cstddef>
#include <string>

namespace icsflow::sim::config {

// Bounds on what the configuration reader accepts, far above any real scenario (the default BLMK
// configuration is 30 kB, nests 3 deep and has keys of 4 parts) and low enough that a hostile
// file cannot exhaust memory, the stack or time.
inline constexpr std::size_t kMaxConfigBytes = 4u << 20;  // one file
inline constexpr unsigned kMaxNesting = 64;    // tables, arrays and inline tables, one in another
inline constexpr unsigned kMaxBaseChain = 16;  // files extending one another through `base`

// The text of configuration file `path`: a regular file (or a link to one) of at most
// kMaxConfigBytes. A directory, a device such as /dev/zero, a FIFO or a larger file is refused
// with ConfigFileError naming the file (and `referrer`, "file:line: key 'base'", when given).
[[nodiscard]] std::string read_config_file(const std::string& path,
                                           const std::string& referrer = "");

// Checks, before the TOML parser sees it, that no value of `text` nests deeper than kMaxNesting
// (each part of a dotted key or table header counts as a level, as does each array and inline
// table): the parser recurses once per level. Throws ConfigError at the offending line.
void check_nesting(const std::string& text, const std::string& file_name);

}  // namespace icsflow::sim::config
