#include "sim/io/results_reader.hpp"

#include "sim/io/hdf5.hpp"
#include "sim/io/results_writer.hpp"

namespace icsflow::sim {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool flag_attribute(const h5::Object& object, const std::string& name, bool fallback) {
    if (!object.has_attribute(name)) {
        return fallback;
    }
    const auto values = object.integer_attribute(name);
    return !values.empty() && values.front() != 0;
}

}  // namespace

const StoredSummary* StoredResults::find(const std::string& name) const {
    for (const StoredSummary& summary : summaries) {
        if (summary.name == name) {
            return &summary;
        }
    }
    return nullptr;
}

StoredResults read_results(const std::string& path) {
    check_regular_file(path);
    const h5::File file = h5::File::open_read_only(path);
    check_results_format(file, path);
    StoredResults results;
    results.path = path;
    results.model = file.string_attribute("model");
    results.start_date = file.string_attribute("start_date");
    if (file.has_attribute("uncertainty")) {
        results.uncertainty = file.string_attribute("uncertainty");
    }
    results.master_seed = file.integer_attribute("master_seed").at(0);

    const h5::Group axes = file.open_group("axes");
    results.replications = axes.open_dataset("replication").read_integers();
    for (const std::string& name : axes.child_names()) {
        // A time axis is the one with a `<name>_end` companion.
        if (axes.has_child(name + "_end") && axes.has_child(name + "_label")) {
            results.time_axis_starts[name] = axes.open_dataset(name).read_doubles();
            results.time_axis_labels[name] = axes.open_dataset(name + "_label").read_strings();
        }
    }

    const h5::Group values = file.open_group("summary").open_group("values");
    for (const std::string& name : values.child_names()) {
        const h5::Dataset dataset = values.open_dataset(name);
        StoredSummary summary;
        summary.name = name;
        summary.long_name =
            dataset.has_attribute("long_name") ? dataset.string_attribute("long_name") : name;
        summary.units = dataset.has_attribute("units") ? dataset.string_attribute("units") : "";
        summary.headline = flag_attribute(dataset, "headline", true);
        summary.indicator = flag_attribute(dataset, "indicator", ends_with(name, "_met"));
        if (dataset.has_attribute("time_axis")) {
            summary.time_axis = dataset.string_attribute("time_axis");
        }
        summary.values = dataset.read_doubles();
        if (summary.values.size() != results.replications.size()) {
            throw IoError("results file '" + path + "': summary '" + name + "' has " +
                          std::to_string(summary.values.size()) + " values for " +
                          std::to_string(results.replications.size()) + " replications");
        }
        results.summaries.push_back(std::move(summary));
    }
    return results;
}

}  // namespace icsflow::sim
