#include "sim/io/results_replay.hpp"

#include <set>
#include <utility>

#include "sim/io/results_info.hpp"

namespace icsflow::sim {

namespace {

SeriesKind series_kind_from_string(const std::string& text, const std::string& where) {
    for (const SeriesKind kind : {SeriesKind::stock, SeriesKind::flow, SeriesKind::time_mean,
                                  SeriesKind::maximum, SeriesKind::statistic}) {
        if (text == to_string(kind)) {
            return kind;
        }
    }
    throw ResultsFormatError(where + ": unknown series kind '" + text + "'");
}

std::string string_or_empty(const h5::Object& object, const std::string& name) {
    return object.has_attribute(name) ? object.string_attribute(name) : std::string();
}

// "<name> (start of period)" -> "<name>": the writer's suffix on time axes.
std::string strip_suffix(const std::string& text, const std::string& suffix) {
    if (text.size() >= suffix.size() &&
        text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return text.substr(0, text.size() - suffix.size());
    }
    return text;
}

std::int64_t integer_or(const h5::Object& object, const std::string& name, std::int64_t fallback) {
    if (!object.has_attribute(name)) {
        return fallback;
    }
    const auto values = object.integer_attribute(name);
    return values.empty() ? fallback : values.front();
}

}  // namespace

ResultsReader::ResultsReader(std::string path) : path_(std::move(path)) {
    file_ = h5::File::open_read_only(path_);
    if (!file_.has_attribute("filetype") ||
        file_.string_attribute("filetype") != kResultsFiletype) {
        throw ResultsFormatError("'" + path_ + "' is not an icsflow results file");
    }
    const auto version = file_.integer_attribute("format_version");
    if (version.size() != 2 || version[0] != kResultsFormatMajor) {
        throw ResultsFormatError("'" + path_ + "' has a results format this program cannot read");
    }
    model_ = file_.string_attribute("model");
    master_seed_ = static_cast<std::uint64_t>(integer_or(file_, "master_seed", 0));
    first_replication_ = static_cast<std::uint64_t>(integer_or(file_, "first_replication", 0));
    replications_ = static_cast<std::uint64_t>(integer_or(file_, "replications", 0));
    threads_ = static_cast<int>(integer_or(file_, "threads", 1));
    mpi_ranks_ = static_cast<int>(integer_or(file_, "mpi_ranks", 1));
    read_config();
    read_schema();
    if (file_.has_child("runtime")) {
        const h5::Group runtime = file_.open_group("runtime");
        wall_seconds_ = runtime.open_dataset("wall_seconds").read_doubles();
        events_ = runtime.open_dataset("events").read_integers();
        if (runtime.has_child("cpu_seconds")) {
            cpu_seconds_ = runtime.open_dataset("cpu_seconds").read_doubles();
        }
    }
    cpu_seconds_.resize(replications_, 0.0);
    wall_seconds_.resize(replications_, 0.0);
    events_.resize(replications_, 0);
}

void ResultsReader::read_config() {
    const h5::Group config = file_.open_group("config");
    config_.path = file_.string_attribute("config_path");
    config_.start_date = file_.string_attribute("start_date");
    config_.text = config.open_dataset("input").read_strings().at(0);
    config_.resolved_text = config.open_dataset("resolved").read_strings().at(0);
    if (config.has_child("bases")) {
        const h5::Group bases = config.open_group("bases");
        // Named 0, 1, ... nearest first; child_names sorts them as text, so look them up by number.
        for (std::size_t i = 0; bases.has_child(std::to_string(i)); ++i) {
            const h5::Dataset base = bases.open_dataset(std::to_string(i));
            config_.base_files.emplace_back(base.string_attribute("path"),
                                            base.read_strings().at(0));
        }
    }
}

void ResultsReader::read_schema() {
    const h5::Group axes = file_.open_group("axes");
    const std::vector<std::string> names = axes.child_names();
    const std::set<std::string> present(names.begin(), names.end());
    std::set<std::string> time_parts;
    for (const std::string& name : names) {
        if (present.count(name + "_end") != 0 && present.count(name + "_label") != 0) {
            const h5::Dataset start = axes.open_dataset(name);
            TimeAxis axis;
            axis.name = name;
            axis.long_name =
                strip_suffix(string_or_empty(start, "long_name"), " (start of period)");
            axis.start = start.read_doubles();
            axis.end = axes.open_dataset(name + "_end").read_doubles();
            axis.labels = axes.open_dataset(name + "_label").read_strings();
            schema_.add_time_axis(std::move(axis));
            time_parts.insert({name, name + "_end", name + "_label"});
        }
    }
    for (const std::string& name : names) {
        if (name == "replication" || time_parts.count(name) != 0) {
            continue;
        }
        const h5::Dataset labels = axes.open_dataset(name);
        schema_.add_category_axis(
            CategoryAxis{name, string_or_empty(labels, "long_name"), labels.read_strings()});
    }

    const h5::Group series = file_.open_group("series");
    for (const std::string& name : series.child_names()) {
        h5::Dataset dataset = series.open_dataset(name);
        SeriesSpec spec;
        spec.name = name;
        spec.long_name = string_or_empty(dataset, "long_name");
        spec.units = string_or_empty(dataset, "units");
        spec.time_axis = dataset.string_attribute("time_axis");
        const std::vector<std::string> dims = dataset.string_array_attribute("dimensions");
        spec.axes.assign(dims.begin() + std::min<std::ptrdiff_t>(2, std::ssize(dims)), dims.end());
        spec.kind = series_kind_from_string(dataset.string_attribute("kind"),
                                            "'" + path_ + "' /series/" + name);
        schema_.add_series(std::move(spec));
        series_.push_back(std::move(dataset));
    }

    const h5::Group values = file_.open_group("summary").open_group("values");
    for (const std::string& name : values.child_names()) {
        h5::Dataset dataset = values.open_dataset(name);
        SummarySpec spec;
        spec.name = name;
        spec.long_name = string_or_empty(dataset, "long_name");
        spec.units = string_or_empty(dataset, "units");
        spec.headline = integer_or(dataset, "headline", 0) != 0;
        spec.indicator = integer_or(dataset, "indicator", 0) != 0;
        const std::string time_axis = string_or_empty(dataset, "time_axis");
        if (time_axis.empty()) {
            schema_.add_summary(std::move(spec));
        } else {
            schema_.add_time_index_summary(std::move(spec), time_axis);
        }
        summaries_.push_back(std::move(dataset));
    }
}

ReplicationResult ResultsReader::read(std::uint64_t row) const {
    ReplicationResult result = ReplicationResult::for_schema(schema_);
    for (SeriesId id = 0; id < series_.size(); ++id) {
        const auto one = schema_.series_shape(id);
        std::vector<hsize_t> offset(one.size() + 1, 0);
        offset[0] = row;
        std::vector<hsize_t> count{1};
        count.insert(count.end(), one.begin(), one.end());
        series_[id].read_block(offset, count, result.series[id].data());
    }
    for (std::size_t s = 0; s < summaries_.size(); ++s) {
        summaries_[s].read_block({row}, {1}, &result.summaries[s]);
    }
    result.wall_seconds = wall_seconds_.at(row);
    result.cpu_seconds = cpu_seconds_.at(row);
    result.events = static_cast<std::uint64_t>(events_.at(row));
    return result;
}

}  // namespace icsflow::sim
