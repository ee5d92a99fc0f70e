#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sim/analysis/comparison.hpp"

namespace icsflow::sim {

struct CompareOptions {
    std::vector<std::string> files;
    std::vector<std::string> labels;  // default: the file names without directory and extension
    std::string format = "table";     // table, csv, json, md
    bool all = false;                 // every summary, not only the headline ones
};

// `icsflow compare A.h5 B.h5 ...`: prints the comparison; throws UnpairableResults, IoError.
void command_compare(const CompareOptions& options, std::ostream& out);

// The comparison rendered in one of the formats of CompareOptions.
void render_comparison(const Comparison& comparison, const std::string& format, std::ostream& out);

}  // namespace icsflow::sim
