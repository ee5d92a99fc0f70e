#include "sim/output/output_schema.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace icsflow::sim {

const char* to_string(SeriesKind kind) {
    switch (kind) {
        case SeriesKind::stock:
            return "stock at end of period";
        case SeriesKind::flow:
            return "total over period";
        case SeriesKind::time_mean:
            return "time-average over period";
        case SeriesKind::maximum:
            return "maximum over period";
        case SeriesKind::statistic:
            return "statistic of period";
    }
    return "unknown";
}

namespace {

template <class T>
const T& find_named(const std::vector<T>& items, const std::string& name, const char* what) {
    const auto it =
        std::find_if(items.begin(), items.end(), [&](const T& item) { return item.name == name; });
    if (it == items.end()) {
        throw std::out_of_range(std::string("output schema: no ") + what + " named '" + name + "'");
    }
    return *it;
}

template <class T>
void require_unique(const std::vector<T>& items, const std::string& name, const char* what) {
    for (const auto& item : items) {
        if (item.name == name) {
            throw std::logic_error(std::string("output schema: duplicate ") + what + " '" + name +
                                   "'");
        }
    }
}

}  // namespace

void OutputSchema::add_category_axis(CategoryAxis axis) {
    require_unique(category_axes_, axis.name, "axis");
    require_unique(time_axes_, axis.name, "axis");
    category_axes_.push_back(std::move(axis));
}

void OutputSchema::add_time_axis(TimeAxis axis) {
    require_unique(category_axes_, axis.name, "axis");
    require_unique(time_axes_, axis.name, "axis");
    if (axis.start.size() != axis.end.size() || axis.start.size() != axis.labels.size()) {
        throw std::logic_error("output schema: time axis '" + axis.name +
                               "' has inconsistent lengths");
    }
    time_axes_.push_back(std::move(axis));
}

SeriesId OutputSchema::add_series(SeriesSpec spec) {
    require_unique(series_, spec.name, "series");
    static_cast<void>(time_axis(spec.time_axis));
    for (const auto& axis : spec.axes) {
        static_cast<void>(category_axis(axis));
    }
    series_.push_back(std::move(spec));
    return static_cast<SeriesId>(series_.size() - 1);
}

SummaryId OutputSchema::add_summary(SummarySpec spec) {
    require_unique(summaries_, spec.name, "summary");
    summaries_.push_back(std::move(spec));
    return static_cast<SummaryId>(summaries_.size() - 1);
}

SummaryId OutputSchema::add_time_index_summary(SummarySpec spec, std::string time_axis) {
    const bool known = std::any_of(time_axes_.begin(), time_axes_.end(),
                                   [&](const TimeAxis& axis) { return axis.name == time_axis; });
    if (!known) {
        throw std::logic_error("summary '" + spec.name + "' indexes unknown time axis '" +
                               time_axis + "'");
    }
    spec.index_of_axis = std::move(time_axis);
    return add_summary(std::move(spec));
}

const CategoryAxis& OutputSchema::category_axis(const std::string& name) const {
    return find_named(category_axes_, name, "category axis");
}

const TimeAxis& OutputSchema::time_axis(const std::string& name) const {
    return find_named(time_axes_, name, "time axis");
}

std::vector<std::size_t> OutputSchema::series_shape(SeriesId id) const {
    const SeriesSpec& spec = series_.at(id);
    std::vector<std::size_t> shape{time_axis(spec.time_axis).start.size()};
    for (const auto& axis : spec.axes) {
        shape.push_back(category_axis(axis).labels.size());
    }
    return shape;
}

std::size_t OutputSchema::series_size(SeriesId id) const {
    std::size_t size = 1;
    for (const std::size_t n : series_shape(id)) {
        size *= n;
    }
    return size;
}

SeriesId OutputSchema::series_id(const std::string& name) const {
    const auto& spec = find_named(series_, name, "series");
    return static_cast<SeriesId>(&spec - series_.data());
}

SummaryId OutputSchema::summary_id(const std::string& name) const {
    const auto& spec = find_named(summaries_, name, "summary");
    return static_cast<SummaryId>(&spec - summaries_.data());
}

ReplicationResult ReplicationResult::for_schema(const OutputSchema& schema) {
    ReplicationResult result;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    result.series.reserve(schema.series().size());
    for (SeriesId id = 0; id < schema.series().size(); ++id) {
        result.series.emplace_back(schema.series_size(id), nan);
    }
    result.summaries.assign(schema.summaries().size(), nan);
    return result;
}

SeriesIndexer::SeriesIndexer(std::vector<std::size_t> shape)
    : shape_(std::move(shape)), strides_(shape_.size(), 1) {
    for (std::size_t i = shape_.size(); i-- > 1;) {
        strides_[i - 1] = strides_[i] * shape_[i];
    }
}

std::size_t SeriesIndexer::operator()(std::initializer_list<std::size_t> index) const {
    if (index.size() != shape_.size()) {
        throw std::logic_error("series index: wrong number of dimensions");
    }
    std::size_t flat = 0;
    std::size_t d = 0;
    for (const std::size_t i : index) {
        if (i >= shape_[d]) {
            throw std::out_of_range("series index out of range");
        }
        flat += i * strides_[d++];
    }
    return flat;
}

std::string dataset_name_problem(const std::string& name) {
    if (name.empty()) {
        return "a name may not be empty (it names datasets in the results file)";
    }
    for (const char c : name) {
        if (c == '/') {
            return "'" + name +
                   "': a name may not contain '/' (it names datasets in the results "
                   "file, where '/' separates groups)";
        }
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return "a name may not contain control characters (it names datasets in the results "
                   "file)";
        }
    }
    return "";
}

}  // namespace icsflow::sim
