#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace icsflow::sim {

// A table of monthly observations read from CSV: a `month` column (YYYY-MM, strictly increasing
// by one calendar month per row) and numeric columns named by the header. A cell that is empty or
// "-" is "not published", and one ending in "+" ("52+", above the top band) has no value: both
// read as NaN. Any other text that is not a number is an error.
//
//   month,total_waiting,pct18,...
//   2019-04,4297571,0.8652,...
class MonthlyTable {
  public:
    static constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

    // Throws IoError (file unreadable) or std::invalid_argument with "file:line: column 'c': ..."
    static MonthlyTable read_csv(const std::string& path);
    static MonthlyTable parse_csv(const std::string& text, const std::string& file_name);

    [[nodiscard]] const std::string& file() const { return file_; }
    [[nodiscard]] const std::vector<std::string>& months() const { return months_; }
    [[nodiscard]] std::size_t size() const { return months_.size(); }
    [[nodiscard]] bool has(const std::string& column) const;
    // Throws std::invalid_argument naming the file and the columns it has.
    [[nodiscard]] const std::vector<double>& column(const std::string& column) const;
    // Row of "YYYY-MM", or -1.
    [[nodiscard]] long row_of(const std::string& month) const;
    [[nodiscard]] std::vector<std::string> column_names() const { return names_; }

  private:
    std::string file_;
    std::vector<std::string> months_;
    std::vector<std::string> names_;
    std::vector<std::vector<double>> values_;  // [column][row]
};

// "YYYY-MM" -> months since year 0 (year * 12 + month - 1); -1 when malformed.
[[nodiscard]] long month_number(const std::string& text);
[[nodiscard]] std::string month_text(long number);

}  // namespace icsflow::sim
