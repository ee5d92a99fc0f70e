#include "sim/io/results_writer.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "sim/io/io_error.hpp"
#include "sim/runner/result_codec.hpp"

namespace icsflow::sim {

namespace {

constexpr int kGzipLevel = 4;

// One value per replication, stored in chunks: disk is allocated (and NaN-filled) only for the
// chunks that replications reach, not up front for the whole requested count.
// (A chunk may not be longer than its fixed-size dataset.)
h5::DatasetOptions per_replication_layout(std::uint64_t replications) {
    return {{std::clamp<hsize_t>(replications, 1, 4096)}, 0};
}

std::vector<hsize_t> to_hsize(const std::vector<std::size_t>& v) {
    return std::vector<hsize_t>(v.begin(), v.end());
}

}  // namespace

ResultsWriter::ResultsWriter(std::string path, const OutputSchema& schema,
                             const Provenance& provenance, const ConfigRecord& config,
                             OverwritePolicy overwrite)
    : path_(std::move(path)),
      part_path_(temporary_path_for(path_)),
      overwrite_(overwrite),
      schema_(schema),
      first_replication_(provenance.first_replication),
      replications_(provenance.replications) {
    try {
        file_ = h5::File::create(part_path_, h5::File::Existing::refuse);
        write_root_attributes(provenance, config);
        write_axes(config);
        create_series();
        create_summaries();
        moments_.assign(schema_.summaries().size(), Moments{});
        values_.assign(schema_.summaries().size(), {});
    } catch (...) {
        discard();
        throw;
    }
}

ResultsWriter::~ResultsWriter() {
    if (!committed_) {
        discard();
    }
}

void ResultsWriter::close_file() noexcept {
    // Every handle into the file, not just the file's: HDF5 keeps a file open while any object
    // in it is open, and the partial file must be complete (or gone) when it is renamed.
    replication_axis_ = h5::Dataset();
    series_.clear();
    summary_values_.clear();
    file_.close();
}

void ResultsWriter::discard() noexcept {
    close_file();
    std::error_code ignored;
    std::filesystem::remove(part_path_, ignored);
}

void ResultsWriter::write_root_attributes(const Provenance& p, const ConfigRecord& config) {
    file_.set_attribute("filetype", kResultsFiletype);
    file_.set_attribute("format_version",
                        std::vector<std::int64_t>{kResultsFormatMajor, kResultsFormatMinor});
    file_.set_attribute("program", p.program);
    file_.set_attribute("program_version", p.program_version);
    file_.set_attribute("git_commit", p.git_commit);
    file_.set_attribute("git_dirty", p.git_dirty);
    file_.set_attribute("created_utc", p.created_utc);
    file_.set_attribute("command_line", p.command_line);
    file_.set_attribute("model", p.model);
    file_.set_attribute("config_path", p.config_path);
    file_.set_attribute("start_date", config.start_date);
    file_.set_attribute("master_seed", static_cast<std::int64_t>(p.master_seed));
    file_.set_attribute("replications", static_cast<std::int64_t>(p.replications));
    file_.set_attribute("first_replication", static_cast<std::int64_t>(p.first_replication));
    file_.set_attribute("threads", static_cast<std::int64_t>(p.threads));
    file_.set_attribute("mpi_ranks", static_cast<std::int64_t>(p.mpi_ranks));
    file_.set_attribute("uncertainty", p.uncertainty);
    file_.set_attribute("library_versions", p.library_versions);

    h5::Group config_group = file_.create_group("config");
    config_group.write_string_dataset("input", config.text);
    config_group.write_string_dataset("resolved", config.resolved_text);
    config_group.open_dataset("input").set_attribute(
        "long_name", "configuration text exactly as read from " + config.path);
    config_group.open_dataset("resolved")
        .set_attribute("long_name", "every parameter the model used, defaults included (TOML)");
    // The inherited files too, so that the file alone reproduces the run.
    h5::Group bases = config_group.create_group("bases");
    for (std::size_t i = 0; i < config.base_files.size(); ++i) {
        const std::string name = std::to_string(i);
        bases.write_string_dataset(name, config.base_files[i].second);
        h5::Dataset base = bases.open_dataset(name);
        base.set_attribute("path", config.base_files[i].first);
        base.set_attribute("long_name", "configuration inherited through `base`, exactly as read");
    }
}

void ResultsWriter::write_axes(const ConfigRecord& config) {
    h5::Group axes = file_.create_group("axes");

    h5::Dataset replication =
        axes.create_dataset("replication", h5::ElementType::int64, {replications_},
                            per_replication_layout(replications_));
    // Each index is written with its replication (consume): neither memory nor disk grows with
    // the requested count, only with the finished replications.
    replication.set_attribute("units", "1");
    replication.set_attribute("long_name", "replication index (selects the random streams)");
    replication.make_scale("replication");
    replication_axis_ = std::move(replication);

    const std::string time_units = "days since " + config.start_date;
    for (const TimeAxis& axis : schema_.time_axes()) {
        const hsize_t n = axis.start.size();
        h5::Dataset start = axes.create_dataset(axis.name, h5::ElementType::float64, {n});
        start.write_all(axis.start);
        start.set_attribute("units", time_units);
        start.set_attribute("long_name", axis.long_name + " (start of period)");
        start.make_scale(axis.name);

        h5::Dataset end = axes.create_dataset(axis.name + "_end", h5::ElementType::float64, {n});
        end.write_all(axis.end);
        end.set_attribute("units", time_units);
        end.set_attribute("long_name", axis.long_name + " (end of period, exclusive)");
        end.attach_scale(start, 0);

        h5::Dataset labels =
            axes.create_dataset(axis.name + "_label", h5::ElementType::string, {n});
        labels.write_all(axis.labels);
        labels.set_attribute("units", "1");
        labels.set_attribute("long_name", axis.long_name + " (label)");
        labels.attach_scale(start, 0);
    }
    for (const CategoryAxis& axis : schema_.category_axes()) {
        h5::Dataset labels = axes.create_dataset(axis.name, h5::ElementType::string,
                                                 {static_cast<hsize_t>(axis.labels.size())});
        labels.write_all(axis.labels);
        labels.set_attribute("units", "1");
        labels.set_attribute("long_name", axis.long_name);
        labels.make_scale(axis.name);
    }
}

void ResultsWriter::create_series() {
    h5::Group group = file_.create_group("series");
    h5::Group axes = file_.open_group("axes");
    const h5::Dataset replication_scale = axes.open_dataset("replication");
    for (SeriesId id = 0; id < schema_.series().size(); ++id) {
        const SeriesSpec& spec = schema_.series()[id];
        std::vector<hsize_t> shape{replications_};
        const auto one = to_hsize(schema_.series_shape(id));
        shape.insert(shape.end(), one.begin(), one.end());
        std::vector<hsize_t> chunk = shape;
        chunk[0] = 1;  // one replication per chunk: each write touches exactly one chunk
        h5::Dataset dataset =
            group.create_dataset(spec.name, h5::ElementType::float64, shape, {chunk, kGzipLevel});
        dataset.set_attribute("units", spec.units);
        dataset.set_attribute("long_name", spec.long_name);
        dataset.set_attribute("kind", to_string(spec.kind));
        dataset.set_attribute("time_axis", spec.time_axis);
        std::vector<std::string> dims{"replication", spec.time_axis};
        dims.insert(dims.end(), spec.axes.begin(), spec.axes.end());
        dataset.set_attribute("dimensions", dims);
        dataset.attach_scale(replication_scale, 0);
        dataset.attach_scale(axes.open_dataset(spec.time_axis), 1);
        for (std::size_t a = 0; a < spec.axes.size(); ++a) {
            dataset.attach_scale(axes.open_dataset(spec.axes[a]), static_cast<unsigned>(a + 2));
        }
        series_.push_back(std::move(dataset));
    }
}

void ResultsWriter::create_summaries() {
    h5::Group summary = file_.create_group("summary");
    h5::Group values = summary.create_group("values");
    static_cast<void>(summary.create_group("moments"));
    const h5::Dataset replication_scale = file_.open_group("axes").open_dataset("replication");
    for (const SummarySpec& spec : schema_.summaries()) {
        h5::Dataset dataset =
            values.create_dataset(spec.name, h5::ElementType::float64, {replications_},
                                  per_replication_layout(replications_));
        dataset.set_attribute("units", spec.units);
        dataset.set_attribute("long_name", spec.long_name);
        if (!spec.index_of_axis.empty()) {
            dataset.set_attribute("time_axis", spec.index_of_axis);
        }
        dataset.set_attribute("headline", static_cast<std::int64_t>(spec.headline ? 1 : 0));
        dataset.set_attribute("indicator", static_cast<std::int64_t>(spec.indicator ? 1 : 0));
        dataset.attach_scale(replication_scale, 0);
        summary_values_.push_back(std::move(dataset));
    }
}

void ResultsWriter::consume(std::uint64_t replication, ReplicationResult&& result) {
    if (replication != first_replication_ + written_) {
        throw std::logic_error("results writer: replications must arrive in index order");
    }
    const hsize_t row = written_;
    for (SeriesId id = 0; id < series_.size(); ++id) {
        const auto one = to_hsize(schema_.series_shape(id));
        std::vector<hsize_t> offset(one.size() + 1, 0);
        offset[0] = row;
        std::vector<hsize_t> count{1};
        count.insert(count.end(), one.begin(), one.end());
        series_[id].write_block(offset, count, result.series.at(id).data());
    }
    for (std::size_t s = 0; s < summary_values_.size(); ++s) {
        const double value = result.summaries.at(s);
        summary_values_[s].write_block({row}, {1}, &value);
        moments_[s].add(value);
        values_[s].push_back(value);
    }
    const auto index = static_cast<std::int64_t>(replication);
    replication_axis_.write_block({row}, {1}, &index);
    wall_seconds_.push_back(result.wall_seconds);
    events_.push_back(static_cast<std::int64_t>(result.events));
    bytes_.push_back(static_cast<std::int64_t>(result_bytes(result)));
    cpu_seconds_.push_back(result.cpu_seconds);
    ++written_;
}

void ResultsWriter::commit(const BatchReport& report) {
    if (written_ != replications_) {
        throw std::logic_error("results writer: commit before every replication was written");
    }
    h5::Group moments = file_.open_group("summary").open_group("moments");
    for (std::size_t s = 0; s < moments_.size(); ++s) {
        const SummarySpec& spec = schema_.summaries()[s];
        h5::Dataset dataset = moments.create_dataset(spec.name, h5::ElementType::float64, {3});
        dataset.write_all(std::vector<double>{static_cast<double>(moments_[s].n), moments_[s].sum,
                                              moments_[s].sum_of_squares});
        dataset.set_attribute("units", spec.units);
        dataset.set_attribute("long_name", "moments of " + spec.long_name);
        dataset.set_attribute("fields", std::vector<std::string>{"n", "sum", "sum_of_squares"});
    }

    h5::Group runtime = file_.create_group("runtime");
    const h5::Dataset replication_scale = file_.open_group("axes").open_dataset("replication");
    h5::Dataset wall =
        runtime.create_dataset("wall_seconds", h5::ElementType::float64, {replications_});
    wall.write_all(wall_seconds_);
    wall.set_attribute("units", "s");
    wall.set_attribute("long_name", "wall-clock time of each replication");
    wall.attach_scale(replication_scale, 0);
    h5::Dataset events = runtime.create_dataset("events", h5::ElementType::int64, {replications_});
    events.write_all(events_);
    events.set_attribute("units", "1");
    events.set_attribute("long_name", "events processed by each replication");
    events.attach_scale(replication_scale, 0);
    runtime.set_attribute("batch_wall_seconds", report.wall_seconds);
    runtime.set_attribute(
        "events_per_second",
        report.wall_seconds > 0 ? static_cast<double>(report.events) / report.wall_seconds : 0.0);
    runtime.set_attribute("threads", static_cast<std::int64_t>(report.threads));
    write_runtime_costs(runtime, replication_scale, report);

    file_.flush();
    close_file();
    try {
        publish_results_file(part_path_, path_, overwrite_);
    } catch (...) {
        discard();  // this run's partial file only: the file at `path_` is another's
        throw;
    }
    committed_ = true;
}

void ResultsWriter::write_runtime_costs(h5::Group& runtime, const h5::Dataset& replication_scale,
                                        const BatchReport& report) {
    h5::Dataset bytes = runtime.create_dataset("bytes", h5::ElementType::int64, {replications_});
    bytes.write_all(bytes_);
    bytes.set_attribute("units", "By");
    bytes.set_attribute("long_name", "bytes of results of each replication, before compression");
    bytes.attach_scale(replication_scale, 0);
    h5::Dataset cpu =
        runtime.create_dataset("cpu_seconds", h5::ElementType::float64, {replications_});
    cpu.write_all(cpu_seconds_);
    cpu.set_attribute("units", "s");
    cpu.set_attribute("long_name", "CPU time of the thread that ran each replication");
    cpu.attach_scale(replication_scale, 0);
    runtime.set_attribute("ranks", static_cast<std::int64_t>(report.ranks));
    runtime.set_attribute("sink_seconds", report.sink_seconds);
    runtime.set_attribute("setup_seconds", report.setup_seconds);
}

}  // namespace icsflow::sim
