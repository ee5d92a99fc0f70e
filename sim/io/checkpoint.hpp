#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

#include "sim/output/output_schema.hpp"
#include "sim/runner/batch_runner.hpp"

namespace icsflow::sim {

// The replications of a batch that have finished, kept on disk as they finish so that a batch
// killed at a time limit can be finished later (`icsflow run ... --resume`) without redoing them.
//
// The file starts with the batch's identity (model, seed, replication range, resolved
// configuration): a checkpoint is only ever resumed by the batch that wrote it. Each record is
// (replication, length, encoded result, checksum), handed to the kernel before the next one
// starts and synced to disk at most once a second; a record torn by a kill is dropped when the
// file is reopened.
class Checkpoint {
  public:
    struct Record {
        std::uint64_t offset = 0;  // of the encoded result in the file
        std::uint64_t size = 0;
    };

    // Starts a checkpoint at `path`, created exclusively; refuses an existing one (it holds
    // finished work, or another run is using it).
    static Checkpoint start(const std::string& path, const std::string& identity);
    // Reopens the checkpoint at `path`; refuses one written by another batch.
    static Checkpoint reopen(const std::string& path, const std::string& identity);

    Checkpoint(const Checkpoint&) = delete;
    Checkpoint& operator=(const Checkpoint&) = delete;
    Checkpoint(Checkpoint&& other) noexcept;
    Checkpoint& operator=(Checkpoint&& other) = delete;
    ~Checkpoint();

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] const std::map<std::uint64_t, Record>& finished() const { return finished_; }

    void append(std::uint64_t replication, const ReplicationResult& result);
    [[nodiscard]] ReplicationResult load(std::uint64_t replication,
                                         const OutputSchema& schema) const;
    // Deletes the file: its results are now in a committed results file.
    void remove();

  private:
    Checkpoint(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
    void write_bytes(const void* data, std::size_t size);

    std::string path_;
    std::FILE* file_ = nullptr;
    std::map<std::uint64_t, Record> finished_;
    std::chrono::steady_clock::time_point last_sync_{};
};

// What a checkpoint must match to be resumed: the model, the seed, the replication range and
// every resolved parameter (one per line, so that a refusal can name the first difference).
[[nodiscard]] std::string checkpoint_identity(const std::string& model, std::uint64_t seed,
                                              std::uint64_t first_replication,
                                              std::uint64_t replications,
                                              const std::string& resolved_config);

// Sits between a batch and its results writer: every result is appended to the checkpoint
// before the writer sees it, results the batch finished out of order are kept too, and results
// a previous attempt left in the checkpoint are handed to the writer in their place in the
// replication order.
class CheckpointedSink : public ResultSink {
  public:
    CheckpointedSink(Checkpoint& checkpoint, const OutputSchema& schema, ResultSink& target);

    void consume(std::uint64_t replication, ReplicationResult&& result) override;
    void keep_unordered(std::uint64_t replication, ReplicationResult&& result) override;
    // Hands over the checkpointed results after the last fresh one.
    void finish();

    [[nodiscard]] std::uint64_t replayed() const { return replayed_; }

  private:
    void replay_before(std::uint64_t replication);

    Checkpoint& checkpoint_;
    const OutputSchema& schema_;
    ResultSink& target_;
    std::map<std::uint64_t, Checkpoint::Record> to_replay_;
    std::uint64_t replayed_ = 0;
};

}  // namespace icsflow::sim
