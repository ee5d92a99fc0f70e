#include "sim/cli/option_checks.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <sstream>
#include <string>

namespace icsflow::sim {

namespace {

std::string number_text(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

}  // namespace

CLI::Validator whole_number_in(std::uint64_t low, std::uint64_t high) {
    const std::string range = std::to_string(low) + " to " + std::to_string(high);
    return CLI::Validator(
        [low, high, range](std::string& text) -> std::string {
            std::uint64_t value = 0;
            const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
                return c >= '0' && c <= '9';
            });
            const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
            if (!digits || parsed.ec != std::errc() || value < low || value > high) {
                return "'" + text + "' is not a whole number in the range " + range;
            }
            return "";
        },
        "WHOLE NUMBER " + range);
}

CLI::Validator finite_number_in(double low, double high, bool low_exclusive) {
    const std::string range = (low_exclusive ? "above " : "from ") + number_text(low) +
                              (low_exclusive ? " up to " : " to ") + number_text(high);
    return CLI::Validator(
        [low, high, low_exclusive, range](std::string& text) -> std::string {
            double value = 0.0;
            const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
            const bool whole = parsed.ec == std::errc() && parsed.ptr == text.data() + text.size();
            if (!whole || !std::isfinite(value) || value > high ||
                (low_exclusive ? value <= low : value < low)) {
                return "'" + text + "' is not a number " + range;
            }
            return "";
        },
        "NUMBER " + range);
}

}  // namespace icsflow::sim
