#include "sim/cli/compare_command.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "sim/io/json_text.hpp"
#include "sim/io/results_info.hpp"

namespace icsflow::sim {

namespace {

std::string number(double value) {
    if (std::isnan(value)) {
        return "-";
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", value);
    return text;
}

std::string json_number(double value) {
    if (!std::isfinite(value)) {
        return "null";
    }
    char text[40];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (const char c : text) {
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return quoted + "\"";
}

const char* kind_name(MeasureKind kind) {
    switch (kind) {
        case MeasureKind::mean:
            return "mean";
        case MeasureKind::probability:
            return "probability";
        case MeasureKind::period:
            return "period";
    }
    return "?";
}

std::string interval_text(const Interval& interval) {
    std::string text(1, '[');
    text.append(number(interval.low)).append(", ").append(number(interval.high)).append("]");
    return text;
}

// The cells of one row, shared by the table and Markdown renderings.
struct Cells {
    std::string estimate;
    std::string spread;
    std::string paired;
    std::string unpaired;
};

Cells cells_of(const ComparedMeasure& measure, const ScenarioFigure& figure) {
    Cells cells;
    if (!figure.present) {
        cells.estimate = "(absent)";
        return cells;
    }
    if (measure.kind == MeasureKind::period) {
        cells.estimate = figure.label;
        return cells;
    }
    cells.estimate = number(figure.estimate);
    cells.spread = interval_text(figure.range);
    if (figure.has_difference) {
        cells.paired = number(figure.paired.mean) + " " + interval_text(figure.paired.interval);
        cells.unpaired = interval_text(figure.unpaired.interval);
    }
    return cells;
}

std::string measure_title(const ComparedMeasure& measure) {
    std::string title = measure.long_name + " [" + measure.name + "]";
    if (!measure.units.empty() && measure.units != "1" && measure.kind == MeasureKind::mean) {
        title += " (" + measure.units + ")";
    }
    if (measure.kind == MeasureKind::probability) {
        title += " (probability met)";
    }
    return title;
}

// A label or title inside a Markdown table cell: a '|' would end the cell, a newline the row.
std::string markdown_cell(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

void render_table(const Comparison& c, std::ostream& out, bool markdown) {
    const std::string first = c.labels.empty() ? ""
                              : markdown       ? markdown_cell(c.labels.front())
                                               : c.labels.front();
    char line[512];
    if (markdown) {
        out << "| measure | scenario | mean or probability | 90% range or 95% CI | difference from "
            << first << " (paired 95% CI) | unpaired 95% CI |\n|---|---|---|---|---|---|\n";
    }
    if (!markdown) {
        std::snprintf(line, sizeof line, "  %-24s %-22s %-26s %-30s %s\n", "scenario", "mean or P",
                      "90% range or 95% CI", "paired difference [95% CI]", "unpaired 95% CI");
        out << line;
    }
    for (const ComparedMeasure& measure : c.measures) {
        if (!markdown) {
            out << measure_title(measure) << '\n';
        }
        for (std::size_t s = 0; s < measure.scenarios.size(); ++s) {
            const Cells cells = cells_of(measure, measure.scenarios[s]);
            if (markdown) {
                out << "| " << (s == 0 ? markdown_cell(measure_title(measure)) : "") << " | "
                    << markdown_cell(c.labels[s]) << " | " << cells.estimate << " | "
                    << cells.spread << " | " << cells.paired << " | " << cells.unpaired << " |\n";
                continue;
            }
            std::snprintf(line, sizeof line, "  %-24s %-22s %-26s %-30s %s\n", c.labels[s].c_str(),
                          cells.estimate.c_str(), cells.spread.c_str(), cells.paired.c_str(),
                          cells.unpaired.c_str());
            out << line;
        }
    }
    out << (markdown ? "\n" : "") << "Means with the 5th to 95th percentile of replications; "
        << "probabilities with 95% Wilson intervals; differences from " << first
        << " paired replication by replication (common random numbers), then as if independent "
           "(Welch; Newcombe for probabilities).\n";
    for (std::size_t s = 0; s < c.labels.size(); ++s) {
        out << (markdown ? "- " : "") << c.labels[s] << ": the spread holds " << c.uncertainty[s]
            << '\n';
    }
}

void render_csv(const Comparison& c, std::ostream& out) {
    out << "measure,kind,units,scenario,n,estimate,low,high,period,difference,paired_low,"
           "paired_high,unpaired_low,unpaired_high\n";
    for (const ComparedMeasure& measure : c.measures) {
        for (std::size_t s = 0; s < measure.scenarios.size(); ++s) {
            const ScenarioFigure& f = measure.scenarios[s];
            const bool values = f.present && measure.kind != MeasureKind::period;
            const auto num = [&](double v, bool shown) { return shown ? json_number(v) : ""; };
            out << csv_field(measure.name) << ',' << kind_name(measure.kind) << ','
                << csv_field(measure.units) << ',' << csv_field(c.labels[s]) << ',' << f.n << ','
                << num(f.estimate, f.present) << ',' << num(f.range.low, values) << ','
                << num(f.range.high, values) << ',' << csv_field(f.label) << ','
                << num(f.paired.mean, f.has_difference) << ','
                << num(f.paired.interval.low, f.has_difference) << ','
                << num(f.paired.interval.high, f.has_difference) << ','
                << num(f.unpaired.interval.low, f.has_difference) << ','
                << num(f.unpaired.interval.high, f.has_difference) << '\n';
        }
    }
}

void render_json(const Comparison& c, std::ostream& out) {
    out << "{\n  \"scenarios\": [";
    for (std::size_t s = 0; s < c.labels.size(); ++s) {
        out << (s > 0 ? ", " : "") << "{\"label\": " << json_string(c.labels[s])
            << ", \"uncertainty\": " << json_string(c.uncertainty[s]) << "}";
    }
    out << "],\n  \"measures\": [\n";
    for (std::size_t m = 0; m < c.measures.size(); ++m) {
        const ComparedMeasure& measure = c.measures[m];
        out << "    {\"name\": " << json_string(measure.name)
            << ", \"long_name\": " << json_string(measure.long_name)
            << ", \"units\": " << json_string(measure.units) << ", \"kind\": \""
            << kind_name(measure.kind) << "\", \"scenarios\": [\n";
        for (std::size_t s = 0; s < measure.scenarios.size(); ++s) {
            const ScenarioFigure& f = measure.scenarios[s];
            out << "      {\"label\": " << json_string(c.labels[s])
                << ", \"present\": " << (f.present ? "true" : "false") << ", \"n\": " << f.n
                << ", \"estimate\": " << json_number(f.present ? f.estimate : NAN)
                << ", \"low\": " << json_number(f.present ? f.range.low : NAN)
                << ", \"high\": " << json_number(f.present ? f.range.high : NAN);
            if (measure.kind == MeasureKind::period) {
                out << ", \"period\": " << json_string(f.label);
            }
            if (f.has_difference) {
                out << ", \"difference\": {\"estimate\": " << json_number(f.paired.mean)
                    << ", \"paired_low\": " << json_number(f.paired.interval.low)
                    << ", \"paired_high\": " << json_number(f.paired.interval.high)
                    << ", \"unpaired_low\": " << json_number(f.unpaired.interval.low)
                    << ", \"unpaired_high\": " << json_number(f.unpaired.interval.high) << "}";
            }
            out << "}" << (s + 1 < measure.scenarios.size() ? "," : "") << "\n";
        }
        out << "    ]}" << (m + 1 < c.measures.size() ? "," : "") << "\n";
    }
    out << "  ]\n}\n";
}

}  // namespace

void render_comparison(const Comparison& comparison, const std::string& format, std::ostream& out) {
    if (format == "table" || format == "md") {
        render_table(comparison, out, format == "md");
    } else if (format == "csv") {
        render_csv(comparison, out);
    } else if (format == "json") {
        render_json(comparison, out);
    } else {
        throw std::invalid_argument("unknown format '" + format + "'");
    }
}

void command_compare(const CompareOptions& options, std::ostream& out) {
    std::vector<StoredResults> files;
    std::vector<std::string> labels = options.labels;
    for (const std::string& path : options.files) {
        screen_results_file(path, [](const std::string& p) { (void)read_results(p); });
        files.push_back(read_results(path));
        if (labels.size() < files.size()) {
            labels.push_back(std::filesystem::path(path).stem().string());
        }
    }
    render_comparison(compare_results(files, labels, options.all), options.format, out);
}

}  // namespace icsflow::sim
