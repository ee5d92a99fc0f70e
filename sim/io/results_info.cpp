#include "sim/io/results_info.hpp"

#include <filesystem>
#include <iomanip>
#include <sstream>

#include "sim/io/contained_call.hpp"
#include "sim/io/hdf5.hpp"
#include "sim/io/results_writer.hpp"

namespace icsflow::sim {

namespace {

std::string shape_text(const std::vector<hsize_t>& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        text += (i > 0 ? " x " : "") + std::to_string(shape[i]);
    }
    return text + "]";
}

std::string attribute_or(const h5::Object& object, const std::string& name,
                         const std::string& fallback) {
    return object.has_attribute(name) ? object.string_attribute(name) : fallback;
}

// Groups deeper than any results file has: a damaged file may link a group into itself.
constexpr int kMaxGroupDepth = 16;

void describe_group(const h5::Group& group, const std::string& path, std::ostream& out,
                    int depth = 0) {
    if (depth > kMaxGroupDepth) {
        throw ResultsFormatError("groups nested deeper than " + std::to_string(kMaxGroupDepth) +
                                 " at '" + path + "': the file is damaged");
    }
    for (const std::string& name : group.child_names()) {
        const std::string child_path = path + "/" + name;
        if (group.child_is_group(name)) {
            describe_group(group.open_group(name), child_path, out, depth + 1);
            continue;
        }
        const h5::Dataset dataset = group.open_dataset(name);
        out << "  " << std::left << std::setw(48) << child_path << ' ' << std::setw(18)
            << shape_text(dataset.shape());
        const std::string units = attribute_or(dataset, "units", "");
        if (!units.empty() && units != "1") {
            out << " (" << units << ")";
        }
        const std::string long_name = attribute_or(dataset, "long_name", "");
        if (!long_name.empty()) {
            out << "  " << long_name;
        }
        out << '\n';
    }
}

}  // namespace

void check_results_format(const h5::File& file, const std::string& path) {
    if (!file.has_attribute("filetype") || file.string_attribute("filetype") != kResultsFiletype) {
        throw ResultsFormatError("'" + path + "' is not an icsflow results file");
    }
    const auto version = file.integer_attribute("format_version");
    if (version.size() != 2 || version[0] != kResultsFormatMajor) {
        std::ostringstream message;
        message << "'" << path << "' has results format ";
        for (std::size_t i = 0; i < version.size(); ++i) {
            message << (i > 0 ? "." : "") << version[i];
        }
        message << "; this program reads format " << kResultsFormatMajor << ".x";
        throw ResultsFormatError(message.str());
    }
}

void check_regular_file(const std::string& path) {
    // Before HDF5 opens it: opening a FIFO would wait for a writer, and a directory or a device
    // is never a results file.
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!error && status.type() != std::filesystem::file_type::regular) {
        throw IoError("'" + path + "' is not a regular file, so not a results file");
    }
}

void describe_results_file(const std::string& path, std::ostream& out) {
    check_regular_file(path);
    const h5::File file = h5::File::open_read_only(path);
    check_results_format(file, path);
    const auto version = file.integer_attribute("format_version");

    out << "file:             " << path << '\n';
    out << "format:           " << kResultsFiletype << ' ' << version[0] << '.' << version[1]
        << '\n';
    for (const char* name : {"program", "program_version", "git_commit", "git_dirty", "created_utc",
                             "command_line", "model", "config_path", "start_date"}) {
        out << std::left << std::setw(19) << (std::string(name) + ":")
            << attribute_or(file, name, "?") << '\n';
    }
    for (const char* name :
         {"master_seed", "replications", "first_replication", "threads", "mpi_ranks"}) {
        const auto values = file.integer_attribute(name);
        out << std::left << std::setw(19) << (std::string(name) + ":")
            << (values.empty() ? 0 : values.front()) << '\n';
    }
    if (file.has_child("runtime")) {
        const h5::Group runtime = file.open_group("runtime");
        const double wall = runtime.double_attribute("batch_wall_seconds").at(0);
        const double rate = runtime.double_attribute("events_per_second").at(0);
        out << "batch wall time:  " << std::fixed << std::setprecision(2) << wall << " s, "
            << std::setprecision(0) << rate << " events/s\n";
        out.unsetf(std::ios::floatfield);
        out << std::setprecision(6);
    }
    out << "libraries:        ";
    if (file.has_attribute("library_versions")) {
        const auto libraries = file.string_array_attribute("library_versions");
        for (std::size_t i = 0; i < libraries.size(); ++i) {
            out << (i > 0 ? "; " : "") << libraries[i];
        }
    }
    out << '\n';
    out << "contents:\n";
    describe_group(file, "", out);
}

namespace {

// `work` on the results file `path` in a contained child (run_contained); its errors name the file.
std::string read_results_contained(const std::string& path,
                                   const std::function<void(std::ostream&)>& work,
                                   const Containment& limits) {
    const std::string what = "cannot read results file '" + path + "'";
    try {
        return run_contained(work, what, limits);
    } catch (const IoError& e) {
        // The HDF5 layer's messages name the object, not always the file.
        const std::string message = e.what();
        throw IoError(message.find("'" + path + "'") != std::string::npos ? message
                                                                          : what + ": " + message);
    }
}

}  // namespace

void describe_results_file_contained(const std::string& path, std::ostream& out,
                                     const Containment& limits) {
    out << read_results_contained(
        path, [&path](std::ostream& into) { describe_results_file(path, into); }, limits);
}

void screen_results_file(const std::string& path,
                         const std::function<void(const std::string&)>& read,
                         const Containment& limits) {
    static_cast<void>(read_results_contained(
        path, [&path, &read](std::ostream&) { read(path); }, limits));
}

}  // namespace icsflow::sim
