#pragma once

// Checks of command-line values that CLI11's stock validators get wrong for this program:
// CLI::Range on an unsigned option lets "-1" through (it wraps to 2^64 - 1), and
// CLI::PositiveNumber lets "nan" through and names its bound with 309 digits. A value out of its
// range is a usage error (exit 2), never wrapped, truncated or ignored.

#include <CLI/CLI.hpp>
#include <cstdint>

namespace icsflow::sim {

// Decimal digits only (blanks around them and a leading '+' allowed, as CLI11 reads numbers), a
// value in [low, high].
[[nodiscard]] CLI::Validator whole_number_in(std::uint64_t low, std::uint64_t high);

// A finite number in [low, high], or (low, high] when `low_exclusive`.
[[nodiscard]] CLI::Validator finite_number_in(double low, double high, bool low_exclusive);

}  // namespace icsflow::sim
