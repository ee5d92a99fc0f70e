#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/io/hdf5.hpp"
#include "sim/io/output_path.hpp"
#include "sim/io/provenance.hpp"
#include "sim/output/moments.hpp"
#include "sim/output/output_schema.hpp"
#include "sim/runner/batch_runner.hpp"

namespace icsflow::sim {

inline constexpr const char* kResultsFiletype = "icsflow-results";
inline constexpr std::int64_t kResultsFormatMajor = 1;
inline constexpr std::int64_t kResultsFormatMinor = 1;

// What the results file records about its configuration.
struct ConfigRecord {
    std::string path;
    std::string text;           // exactly as read
    std::string resolved_text;  // every parameter used, defaults included
    std::string start_date;     // "2019-04-01": time axes are days since this date
    // Files inherited through `base = "..."`, nearest first: (path, text exactly as read).
    std::vector<std::pair<std::string, std::string>> base_files{};
};

// Writes a results file, format v1 (docs/results-format.md), as the batch's result sink.
//
// The file is written to a temporary name of this process (temporary_path_for) and moved to
// `<path>` by commit(), which never replaces another run's file unless `overwrite` says so; if
// the writer is destroyed without commit() (an exception, an interrupt), the partial file is
// deleted, so a finished-looking file is always complete and always this run's. Replications arrive
// in index order (ResultSink's contract); summary moments are summed in that order, so they do not
// depend on scheduling.
class ResultsWriter : public ResultSink {
  public:
    ResultsWriter(std::string path, const OutputSchema& schema, const Provenance& provenance,
                  const ConfigRecord& config, OverwritePolicy overwrite = OverwritePolicy::refuse);
    ~ResultsWriter() override;
    ResultsWriter(const ResultsWriter&) = delete;
    ResultsWriter& operator=(const ResultsWriter&) = delete;

    void consume(std::uint64_t replication, ReplicationResult&& result) override;

    // Writes the moments and the run measurements, closes and renames the file.
    void commit(const BatchReport& report);

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] const std::string& part_path() const { return part_path_; }
    [[nodiscard]] const std::vector<Moments>& summary_moments() const { return moments_; }
    // Replications in the file (with --resume, those taken from the checkpoint too).
    [[nodiscard]] std::uint64_t replications_written() const { return written_; }
    // Every replication's value of summary `s`, in replication order.
    [[nodiscard]] const std::vector<double>& summary_values(std::size_t s) const {
        return values_.at(s);
    }

  private:
    void write_root_attributes(const Provenance& provenance, const ConfigRecord& config);
    void write_axes(const ConfigRecord& config);
    void create_series();
    void create_summaries();
    void close_file() noexcept;
    void discard() noexcept;
    // /runtime additions for planning a batch: bytes per replication, ranks, time spent writing.
    void write_runtime_costs(h5::Group& runtime, const h5::Dataset& replication_scale,
                             const BatchReport& report);

    std::string path_;
    std::string part_path_;
    OverwritePolicy overwrite_ = OverwritePolicy::refuse;
    const OutputSchema& schema_;
    std::uint64_t first_replication_ = 0;
    std::uint64_t replications_ = 0;
    h5::File file_;
    h5::Dataset replication_axis_;
    std::vector<h5::Dataset> series_;
    std::vector<h5::Dataset> summary_values_;
    std::vector<Moments> moments_;
    std::vector<std::vector<double>> values_;
    std::vector<double> wall_seconds_;
    std::vector<std::int64_t> events_;
    std::vector<std::int64_t> bytes_;
    std::vector<double> cpu_seconds_;
    std::uint64_t written_ = 0;
    bool committed_ = false;
};

}  // namespace icsflow::sim
