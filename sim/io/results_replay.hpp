#pragma once

#include <cstdint>
#include <string>

#include "sim/io/hdf5.hpp"
#include "sim/io/results_writer.hpp"
#include "sim/output/output_schema.hpp"

namespace icsflow::sim {

// Reads back a results file (format v1) replication by replication, as the writer laid it out: its
// schema, its configuration and each replication's result, so that files can be joined (`icsflow
// merge`) and replayed through a ResultsWriter into a file identical to a single run's.
class ResultsReader {
  public:
    // Throws ResultsFormatError if `path` is not an icsflow results file this program reads.
    explicit ResultsReader(std::string path);

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] const h5::File& file() const { return file_; }
    [[nodiscard]] const OutputSchema& schema() const { return schema_; }
    [[nodiscard]] const ConfigRecord& config() const { return config_; }
    [[nodiscard]] const std::string& model() const { return model_; }
    [[nodiscard]] std::uint64_t master_seed() const { return master_seed_; }
    [[nodiscard]] std::uint64_t first_replication() const { return first_replication_; }
    [[nodiscard]] std::uint64_t replications() const { return replications_; }
    [[nodiscard]] int threads() const { return threads_; }
    [[nodiscard]] int mpi_ranks() const { return mpi_ranks_; }

    // The result of the replication in row `row` (0-based in this file), runtime included.
    [[nodiscard]] ReplicationResult read(std::uint64_t row) const;

  private:
    void read_schema();
    void read_config();

    std::string path_;
    h5::File file_;
    OutputSchema schema_;
    ConfigRecord config_;
    std::string model_;
    std::uint64_t master_seed_ = 0;
    std::uint64_t first_replication_ = 0;
    std::uint64_t replications_ = 0;
    int threads_ = 1;
    int mpi_ranks_ = 1;
    std::vector<h5::Dataset> series_;
    std::vector<h5::Dataset> summaries_;
    std::vector<double> wall_seconds_;
    std::vector<double> cpu_seconds_;
    std::vector<std::int64_t> events_;
};

}  // namespace icsflow::sim
