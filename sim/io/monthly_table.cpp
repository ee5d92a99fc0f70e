#include "sim/io/monthly_table.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sim/io/io_error.hpp"

namespace icsflow::sim {

namespace {

std::vector<std::string> split_fields(const std::string& line) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, ',')) {
        const auto first = field.find_first_not_of(" \t\r");
        const auto last = field.find_last_not_of(" \t\r");
        fields.push_back(first == std::string::npos ? "" : field.substr(first, last - first + 1));
    }
    if (!line.empty() && line.back() == ',') {
        fields.emplace_back();
    }
    return fields;
}

[[noreturn]] void fail(const std::string& file, std::size_t line, const std::string& column,
                       const std::string& message) {
    std::string text = file + ":" + std::to_string(line) + ": ";
    if (!column.empty()) {
        text += "column '" + column + "': ";
    }
    throw std::invalid_argument(text + message);
}

}  // namespace

long month_number(const std::string& text) {
    if (text.size() != 7 || text[4] != '-') {
        return -1;
    }
    int year = 0;
    int month = 0;
    const char* begin = text.data();
    if (std::from_chars(begin, begin + 4, year).ptr != begin + 4 ||
        std::from_chars(begin + 5, begin + 7, month).ptr != begin + 7 || month < 1 || month > 12) {
        return -1;
    }
    return static_cast<long>(year) * 12 + month - 1;
}

std::string month_text(long number) {
    char text[48];
    std::snprintf(text, sizeof text, "%04ld-%02ld", number / 12, number % 12 + 1);
    return text;
}

MonthlyTable MonthlyTable::read_csv(const std::string& path) {
    // Only a regular file of sensible size: a directory reads as empty, a FIFO would block and a
    // device such as /dev/zero never ends.
    constexpr std::uintmax_t kMaxBytes = 64ULL << 20;
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
        throw IoError("cannot read observations '" + path + "': it is not a regular file");
    }
    if (!error && std::filesystem::exists(status) &&
        std::filesystem::file_size(path, error) > kMaxBytes) {
        throw IoError("cannot read observations '" + path + "': larger than 64 MiB");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw IoError("cannot read observations '" + path + "'");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_csv(text.str(), path);
}

MonthlyTable MonthlyTable::parse_csv(const std::string& text, const std::string& file_name) {
    MonthlyTable table;
    table.file_ = file_name;
    std::istringstream in(text);
    std::string line;
    std::size_t line_number = 0;
    std::size_t month_column = 0;
    while (std::getline(in, line)) {
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        const std::vector<std::string> fields = split_fields(line);
        if (table.names_.empty() && table.months_.empty()) {
            const auto it = std::find(fields.begin(), fields.end(), "month");
            if (it == fields.end()) {
                fail(file_name, line_number, "", "the header has no 'month' column");
            }
            month_column = static_cast<std::size_t>(it - fields.begin());
            for (std::size_t c = 0; c < fields.size(); ++c) {
                if (c == month_column) {
                    continue;
                }
                if (fields[c].empty() || std::find(table.names_.begin(), table.names_.end(),
                                                   fields[c]) != table.names_.end()) {
                    fail(file_name, line_number, fields[c], "empty or repeated column name");
                }
                table.names_.push_back(fields[c]);
            }
            table.values_.resize(table.names_.size());
            continue;
        }
        if (fields.size() != table.names_.size() + 1) {
            fail(file_name, line_number, "",
                 "expected " + std::to_string(table.names_.size() + 1) + " fields, found " +
                     std::to_string(fields.size()));
        }
        const long month = month_number(fields[month_column]);
        if (month < 0) {
            fail(file_name, line_number, "month", "'" + fields[month_column] + "' is not YYYY-MM");
        }
        if (!table.months_.empty() && month != month_number(table.months_.back()) + 1) {
            fail(
                file_name, line_number, "month",
                "months must follow one another without gaps (after " + table.months_.back() + ")");
        }
        table.months_.push_back(fields[month_column]);
        std::size_t c = 0;
        for (std::size_t f = 0; f < fields.size(); ++f) {
            if (f == month_column) {
                continue;
            }
            const std::string& cell = fields[f];
            double value = kMissing;
            // "52+": above the top band of the published distribution, so no value.
            const bool censored = !cell.empty() && cell.back() == '+';
            if (!cell.empty() && cell != "-" && !censored) {
                const char* end = cell.data() + cell.size();
                const auto result = std::from_chars(cell.data(), end, value);
                if (result.ec != std::errc() || result.ptr != end) {
                    fail(file_name, line_number, table.names_[c],
                         "'" + cell + "' is not a number (use '-' or leave empty if missing)");
                }
            }
            table.values_[c].push_back(value);
            ++c;
        }
    }
    if (table.months_.empty()) {
        fail(file_name, line_number, "", "no rows of observations");
    }
    return table;
}

bool MonthlyTable::has(const std::string& column) const {
    return std::find(names_.begin(), names_.end(), column) != names_.end();
}

const std::vector<double>& MonthlyTable::column(const std::string& column) const {
    const auto it = std::find(names_.begin(), names_.end(), column);
    if (it == names_.end()) {
        std::string known;
        for (const std::string& name : names_) {
            known += (known.empty() ? "" : ", ") + name;
        }
        throw std::invalid_argument(file_ + ": no column '" + column + "' (it has: " + known + ")");
    }
    return values_[static_cast<std::size_t>(it - names_.begin())];
}

long MonthlyTable::row_of(const std::string& month) const {
    const auto it = std::find(months_.begin(), months_.end(), month);
    return it == months_.end() ? -1 : static_cast<long>(it - months_.begin());
}

}  // namespace icsflow::sim
