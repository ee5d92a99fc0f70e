#include "sim/runner/result_codec.hpp"

#include <cstring>

namespace icsflow::sim {

namespace {

template <typename T>
void append(std::vector<char>& out, const T& value) {
    const auto* bytes = reinterpret_cast<const char*>(&value);
    out.insert(out.end(), bytes, bytes + sizeof(T));
}

void append_doubles(std::vector<char>& out, const std::vector<double>& values) {
    append(out, static_cast<std::uint64_t>(values.size()));
    const auto* bytes = reinterpret_cast<const char*>(values.data());
    out.insert(out.end(), bytes, bytes + values.size() * sizeof(double));
}

// Reads fixed-size values from a byte range, refusing to run past its end.
class ByteReader {
  public:
    ByteReader(const char* data, std::size_t size) : data_(data), size_(size) {}

    template <typename T>
    T read() {
        T value{};
        take(&value, sizeof(T));
        return value;
    }

    std::vector<double> read_doubles(std::size_t expected, const char* what) {
        const auto count = read<std::uint64_t>();
        if (count != expected) {
            throw ResultDecodeError(std::string(what) + " has " + std::to_string(count) +
                                    " values where the schema has " + std::to_string(expected));
        }
        std::vector<double> values(count);
        take(values.data(), count * sizeof(double));
        return values;
    }

    [[nodiscard]] bool at_end() const { return position_ == size_; }

  private:
    void take(void* out, std::size_t bytes) {
        if (bytes > size_ - position_) {
            throw ResultDecodeError("replication result is truncated");
        }
        std::memcpy(out, data_ + position_, bytes);
        position_ += bytes;
    }

    const char* data_;
    std::size_t size_;
    std::size_t position_ = 0;
};

}  // namespace

std::vector<char> encode_result(const ReplicationResult& result) {
    std::vector<char> out;
    out.reserve(32 + result_bytes(result) + 8 * result.series.size());
    append(out, result.events);
    append(out, result.wall_seconds);
    append(out, result.cpu_seconds);
    append(out, static_cast<std::uint64_t>(result.series.size()));
    for (const std::vector<double>& series : result.series) {
        append_doubles(out, series);
    }
    append_doubles(out, result.summaries);
    return out;
}

ReplicationResult decode_result(const char* data, std::size_t size, const OutputSchema& schema) {
    ByteReader reader(data, size);
    ReplicationResult result;
    result.events = reader.read<std::uint64_t>();
    result.wall_seconds = reader.read<double>();
    result.cpu_seconds = reader.read<double>();
    const auto series_count = reader.read<std::uint64_t>();
    if (series_count != schema.series().size()) {
        throw ResultDecodeError("replication result has " + std::to_string(series_count) +
                                " series where the schema has " +
                                std::to_string(schema.series().size()));
    }
    result.series.reserve(series_count);
    for (SeriesId id = 0; id < series_count; ++id) {
        result.series.push_back(
            reader.read_doubles(schema.series_size(id), schema.series()[id].name.c_str()));
    }
    result.summaries = reader.read_doubles(schema.summaries().size(), "the summaries");
    if (!reader.at_end()) {
        throw ResultDecodeError("replication result has trailing bytes");
    }
    return result;
}

std::uint64_t result_bytes(const ReplicationResult& result) {
    std::uint64_t doubles = result.summaries.size();
    for (const std::vector<double>& series : result.series) {
        doubles += series.size();
    }
    return doubles * sizeof(double);
}

}  // namespace icsflow::sim
