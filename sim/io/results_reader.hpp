#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/io/results_info.hpp"

namespace icsflow::sim {

// One summary of a results file: a number per replication.
struct StoredSummary {
    std::string name;
    std::string long_name;
    std::string units;
    bool headline = true;    // files before format 1.1 do not say: every summary counts
    bool indicator = false;  // 1 met / 0 not met: its mean is a probability
    std::string time_axis;   // non-empty: the value is an index into this time axis
    std::vector<double> values;
};

// What `compare` and the precision and capacity searches need from a results file: provenance,
// the replication indices, the time axes (to check that two files cover the same periods) and
// every summary.
struct StoredResults {
    std::string path;
    std::string model;
    std::string start_date;
    std::string uncertainty = "chance";  // absent in older files: chance only
    std::int64_t master_seed = 0;
    std::vector<std::int64_t> replications;
    std::map<std::string, std::vector<double>> time_axis_starts;
    std::map<std::string, std::vector<std::string>> time_axis_labels;
    std::vector<StoredSummary> summaries;

    [[nodiscard]] const StoredSummary* find(const std::string& name) const;
};

// Reads the summaries and provenance of `path`. Throws ResultsFormatError for a file that is
// not icsflow results or has a major format version this program does not know, IoError when the
// file cannot be read.
[[nodiscard]] StoredResults read_results(const std::string& path);

}  // namespace icsflow::sim
