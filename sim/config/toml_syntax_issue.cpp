#include "sim/config/toml_syntax_issue.hpp"

#include <sstream>
#include <vector>

namespace icsflow::sim::config {

namespace {

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) {
        return "";
    }
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

// " 6 | start_date = ..." -> 6; 0 when the line is not a quoted source line.
unsigned quoted_line_number(const std::string& line) {
    const auto bar = line.find(" | ");
    if (bar == std::string::npos) {
        return 0;
    }
    const std::string number = trim(line.substr(0, bar));
    if (number.empty() || number.size() > 9 ||
        number.find_first_not_of("0123456789") != std::string::npos) {
        return 0;
    }
    return static_cast<unsigned>(std::stoul(number));
}

// The key assigned on `line_number` of `text`, with the header of the table it is in:
// "run.start_date"; empty when that line assigns nothing.
std::string key_at(const std::string& text, unsigned line_number) {
    const std::vector<std::string> lines = split_lines(text);
    if (line_number == 0 || line_number > lines.size()) {
        return "";
    }
    const std::string& line = lines[line_number - 1];
    const auto equals = line.find('=');
    const std::string key = equals == std::string::npos ? "" : trim(line.substr(0, equals));
    if (key.empty() || key.front() == '[' || key.find_first_of("\"'{[#") != std::string::npos) {
        return "";
    }
    for (std::size_t i = line_number - 1; i-- > 0;) {
        const std::string header = trim(lines[i]);
        if (header.size() > 2 && header.front() == '[') {
            const auto open = header.find_first_not_of('[');
            const auto close = header.find(']');
            if (open != std::string::npos && close != std::string::npos && close > open) {
                return trim(header.substr(open, close - open)) + "." + key;
            }
        }
    }
    return key;
}

}  // namespace

ConfigIssue toml_syntax_issue(const std::string& what, const std::string& text,
                              const std::string& file_name, unsigned fallback_line) {
    const std::vector<std::string> lines = split_lines(what);
    std::string reason = lines.empty() ? what : lines.front();
    const std::string prefix = "[error] ";
    if (reason.rfind(prefix, 0) == 0) {
        reason = reason.substr(prefix.size());
    }
    unsigned line = 0;
    for (std::size_t i = 1; i < lines.size() && line == 0; ++i) {
        line = quoted_line_number(lines[i]);
        // The note under the quoted line: "   |    ^--- month should be 01-12, ...".
        if (line != 0 && i + 1 < lines.size()) {
            const auto pointer = lines[i + 1].find("^---");
            if (pointer != std::string::npos) {
                const std::string note = trim(lines[i + 1].substr(pointer + 4));
                if (!note.empty()) {
                    reason += " (" + note + ")";
                }
            }
        }
    }
    if (line == 0) {
        line = fallback_line;
    }
    return ConfigIssue{file_name, line, key_at(text, line), "TOML syntax error: " + reason};
}

}  // namespace icsflow::sim::config
