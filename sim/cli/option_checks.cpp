#include "sim/cli/option_checks.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "sim/config/parameter_dictionary.hpp"

namespace icsflow::sim {

namespace {

// The number as CLI11 itself reads it: blanks around it and a leading '+' are allowed.
std::string_view number_part(const std::string& text) {
    const std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return {};
    }
    const std::size_t last = text.find_last_not_of(" \t");
    std::string_view number(text.data() + first, last - first + 1);
    if (number.size() > 1 && number.front() == '+') {
        number.remove_prefix(1);
    }
    return number;
}

}  // namespace

CLI::Validator whole_number_in(std::uint64_t low, std::uint64_t high) {
    const std::string range = std::to_string(low) + " to " + std::to_string(high);
    return CLI::Validator(
        [low, high, range](std::string& text) -> std::string {
            const std::string_view number = number_part(text);
            std::uint64_t value = 0;
            const bool digits =
                !number.empty() && std::all_of(number.begin(), number.end(),
                                               [](char c) { return c >= '0' && c <= '9'; });
            const auto parsed =
                std::from_chars(number.data(), number.data() + number.size(), value);
            if (!digits || parsed.ec != std::errc() || value < low || value > high) {
                return "'" + text + "' is not a whole number in the range " + range;
            }
            return "";
        },
        "WHOLE NUMBER " + range);
}

CLI::Validator finite_number_in(double low, double high, bool low_exclusive) {
    const std::string range =
        (low_exclusive ? "above " : "from ") + config::exact_number_text(low) +
        (low_exclusive ? " up to " : " to ") + config::exact_number_text(high);
    return CLI::Validator(
        [low, high, low_exclusive, range](std::string& text) -> std::string {
            const std::string_view number = number_part(text);
            double value = 0.0;
            const auto parsed =
                std::from_chars(number.data(), number.data() + number.size(), value);
            const bool whole = !number.empty() && parsed.ec == std::errc() &&
                               parsed.ptr == number.data() + number.size();
            if (!whole || !std::isfinite(value) || value > high ||
                (low_exclusive ? value <= low : value < low)) {
                return "'" + text + "' is not a number " + range;
            }
            return "";
        },
        "NUMBER " + range);
}

}  // namespace icsflow::sim
