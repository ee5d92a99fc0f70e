#include "sim/io/results_merge.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "sim/io/output_path.hpp"
#include "sim/io/provenance.hpp"
#include "sim/io/results_info.hpp"
#include "sim/io/results_replay.hpp"
#include "sim/io/results_writer.hpp"
#include "sim/runner/batch_runner.hpp"

namespace icsflow::sim {

namespace {

std::string range_text(const ResultsReader& part) {
    const std::uint64_t first = part.first_replication();
    return "replications " + std::to_string(first) + "-" +
           std::to_string(first + part.replications() - 1);
}

// The first thing in which the layouts of two files differ, or "" if they are the same.
std::string layout_difference(const OutputSchema& a, const OutputSchema& b) {
    if (a.time_axes().size() != b.time_axes().size()) {
        return "the time axes";
    }
    for (std::size_t i = 0; i < a.time_axes().size(); ++i) {
        const TimeAxis& x = a.time_axes()[i];
        const TimeAxis& y = b.time_axes()[i];
        if (x.name != y.name || x.labels != y.labels || x.start != y.start || x.end != y.end) {
            return "time axis '" + x.name + "'";
        }
    }
    if (a.category_axes().size() != b.category_axes().size()) {
        return "the category axes";
    }
    for (std::size_t i = 0; i < a.category_axes().size(); ++i) {
        const CategoryAxis& x = a.category_axes()[i];
        const CategoryAxis& y = b.category_axes()[i];
        if (x.name != y.name || x.labels != y.labels || x.long_name != y.long_name) {
            return "axis '" + x.name + "'";
        }
    }
    if (a.series().size() != b.series().size()) {
        return "the set of series";
    }
    for (std::size_t i = 0; i < a.series().size(); ++i) {
        const SeriesSpec& x = a.series()[i];
        const SeriesSpec& y = b.series()[i];
        if (x.name != y.name || x.units != y.units || x.long_name != y.long_name ||
            x.time_axis != y.time_axis || x.axes != y.axes || x.kind != y.kind) {
            return "series '" + x.name + "'";
        }
    }
    if (a.summaries().size() != b.summaries().size()) {
        return "the set of summaries";
    }
    for (std::size_t i = 0; i < a.summaries().size(); ++i) {
        const SummarySpec& x = a.summaries()[i];
        const SummarySpec& y = b.summaries()[i];
        if (x.name != y.name || x.units != y.units || x.long_name != y.long_name ||
            x.index_of_axis != y.index_of_axis || x.headline != y.headline ||
            x.indicator != y.indicator) {
            return "summary '" + x.name + "'";
        }
    }
    return "";
}

std::string optional_string(const h5::File& file, const char* name) {
    return file.has_attribute(name) ? file.string_attribute(name) : std::string("(none)");
}

// Refuses a part that does not belong to the same batch as `reference`.
void check_same_batch(const ResultsReader& reference, const ResultsReader& part) {
    const auto refuse = [&](const std::string& what) {
        throw MergeError("cannot merge '" + part.path() + "' with '" + reference.path() +
                         "': " + what + " differ");
    };
    if (part.model() != reference.model()) {
        refuse("the models (" + part.model() + ", " + reference.model() + ")");
    }
    if (part.master_seed() != reference.master_seed()) {
        refuse("the master seeds (" + std::to_string(part.master_seed()) + ", " +
               std::to_string(reference.master_seed()) + ")");
    }
    const ConfigRecord& a = part.config();
    const ConfigRecord& b = reference.config();
    if (a.text != b.text || a.base_files != b.base_files) {
        refuse("the configurations (/config/input or /config/bases)");
    }
    if (a.resolved_text != b.resolved_text) {
        refuse("the resolved parameters (/config/resolved)");
    }
    if (a.path != b.path || a.start_date != b.start_date) {
        refuse("the configuration paths or start dates");
    }
    if (optional_string(part.file(), "uncertainty") !=
        optional_string(reference.file(), "uncertainty")) {
        refuse("the uncertainty attributes");
    }
    const std::string layout = layout_difference(reference.schema(), part.schema());
    if (!layout.empty()) {
        refuse("the layouts (" + layout + ")");
    }
}

// Parts in replication order, each starting where the previous one ends.
void check_ranges(const std::vector<std::unique_ptr<ResultsReader>>& parts) {
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const ResultsReader& before = *parts[i - 1];
        const ResultsReader& after = *parts[i];
        const std::uint64_t end = before.first_replication() + before.replications();
        if (after.first_replication() < end) {
            throw MergeError("cannot merge: '" + before.path() + "' (" + range_text(before) +
                             ") and '" + after.path() + "' (" + range_text(after) + ") overlap");
        }
        if (after.first_replication() > end) {
            const std::uint64_t last = after.first_replication() - 1;
            const std::string missing = last == end ? "replication " + std::to_string(end) + " is"
                                                    : "replications " + std::to_string(end) + "-" +
                                                          std::to_string(last) + " are";
            throw MergeError("cannot merge: " + missing + " in no part (between '" + before.path() +
                             "' and '" + after.path() + "')");
        }
    }
}

// Root attributes a part has and the merged file lacks (added by newer versions of the
// program), so that merging never drops what a single run would have recorded.
void copy_missing_root_attributes(const ResultsReader& reference, const std::string& output) {
    h5::File merged = h5::File::open_read_write(output);
    for (const std::string& name : reference.file().attribute_names()) {
        if (!merged.has_attribute(name)) {
            reference.file().copy_attribute_to(name, merged);
        }
    }
    merged.flush();
}

}  // namespace

void merge_results_files(const std::vector<std::string>& part_paths, const std::string& output,
                         const std::string& command_line, const std::atomic<bool>* cancel,
                         OverwritePolicy overwrite) {
    const auto stop_if_cancelled = [cancel] {
        if (cancel != nullptr && cancel->load()) {
            throw BatchCancelled();
        }
    };
    if (part_paths.empty()) {
        throw MergeError("cannot merge: no parts given");
    }
    for (const std::string& path : part_paths) {
        if (std::filesystem::exists(output) &&
            std::filesystem::equivalent(std::filesystem::path(path), output)) {
            throw MergeError("cannot merge: the output '" + output + "' is also a part");
        }
    }
    // An output that exists already is refused now (unless replaced), before the parts are read.
    prepare_output_path(output, overwrite);
    std::vector<std::unique_ptr<ResultsReader>> parts;
    for (const std::string& path : part_paths) {
        Containment limits = kFullReadLimits;
        limits.cancel = cancel;
        screen_results_file(
            path,
            [](const std::string& p) {
                const ResultsReader reader(p);
                for (std::uint64_t row = 0; row < reader.replications(); ++row) {
                    (void)reader.read(row);
                }
            },
            limits);
        stop_if_cancelled();
        parts.push_back(std::make_unique<ResultsReader>(path));
    }
    for (std::size_t i = 1; i < parts.size(); ++i) {
        check_same_batch(*parts.front(), *parts[i]);
    }
    std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) {
        return a->first_replication() < b->first_replication();
    });
    check_ranges(parts);

    const ResultsReader& first = *parts.front();
    Provenance provenance = build_provenance();
    provenance.command_line = command_line;
    provenance.model = first.model();
    provenance.config_path = first.config().path;
    provenance.master_seed = first.master_seed();
    if (first.file().has_attribute("uncertainty")) {  // equal in every part (checked above)
        provenance.uncertainty = first.file().string_attribute("uncertainty");
    }
    provenance.first_replication = first.first_replication();
    provenance.replications = 0;
    provenance.threads = 1;
    provenance.mpi_ranks = 1;
    for (const auto& part : parts) {
        provenance.replications += part->replications();
        provenance.threads = std::max(provenance.threads, part->threads());
        provenance.mpi_ranks = std::max(provenance.mpi_ranks, part->mpi_ranks());
    }

    ResultsWriter writer(output, first.schema(), provenance, first.config(), overwrite);
    BatchReport report;
    report.threads = provenance.threads;
    report.ranks = provenance.mpi_ranks;
    for (const auto& part : parts) {
        for (std::uint64_t row = 0; row < part->replications(); ++row) {
            stop_if_cancelled();
            ReplicationResult result = part->read(row);
            report.events += result.events;
            report.wall_seconds += result.wall_seconds;
            writer.consume(part->first_replication() + row, std::move(result));
        }
        report.completed += part->replications();
    }
    writer.commit(report);
    copy_missing_root_attributes(first, output);
}

}  // namespace icsflow::sim
