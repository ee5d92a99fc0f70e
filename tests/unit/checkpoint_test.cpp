// Checkpoints of finished replications, the byte encoding they use, and the sink that replays
// them in replication order; the batch runner's work list and its hand-over of finished results
// when a batch is cancelled.
#include "sim/io/checkpoint.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/io/io_error.hpp"
#include "sim/runner/batch_runner.hpp"
#include "sim/runner/result_codec.hpp"
#include "test_scenarios.hpp"
#include "test_support.hpp"

namespace icsflow::sim {
namespace {

using test::TempDir;
using test::TinyScenario;

ReplicationResult tiny_result(std::uint64_t replication) {
    static const TinyScenario scenario;
    ReplicationContext context;
    context.replication = replication;
    ReplicationResult result = scenario.run(context);
    result.wall_seconds = 0.25 * static_cast<double>(replication);
    result.cpu_seconds = 0.125 * static_cast<double>(replication);
    return result;
}

// Bit-for-bit equality, NaN included.
bool identical(const ReplicationResult& a, const ReplicationResult& b) {
    const auto same = [](const std::vector<double>& x, const std::vector<double>& y) {
        return x.size() == y.size() &&
               std::equal(x.begin(), x.end(), y.begin(),
                          [](double u, double v) { return std::memcmp(&u, &v, sizeof u) == 0; });
    };
    if (a.series.size() != b.series.size() || !same(a.summaries, b.summaries) ||
        a.events != b.events || a.wall_seconds != b.wall_seconds ||
        a.cpu_seconds != b.cpu_seconds) {
        return false;
    }
    for (std::size_t i = 0; i < a.series.size(); ++i) {
        if (!same(a.series[i], b.series[i])) {
            return false;
        }
    }
    return true;
}

TEST(ResultCodec, RoundTripIsExactAndChecksTheSchema) {
    const TinyScenario scenario;
    const ReplicationResult result = tiny_result(3);  // odd: holds a NaN
    const std::vector<char> bytes = encode_result(result);
    EXPECT_TRUE(identical(decode_result(bytes.data(), bytes.size(), scenario.schema()), result));
    EXPECT_EQ(result_bytes(result), (3 * 2 + 3 + 2) * sizeof(double));
    EXPECT_THROW(
        static_cast<void>(decode_result(bytes.data(), bytes.size() - 1, scenario.schema())),
        ResultDecodeError);
    OutputSchema other;
    EXPECT_THROW(static_cast<void>(decode_result(bytes.data(), bytes.size(), other)),
                 ResultDecodeError);
}

TEST(Checkpoint, KeepsRecordsAndDropsATornLastOne) {
    const TempDir dir;
    const std::string path = (dir.path() / "batch.checkpoint").string();
    const TinyScenario scenario;
    {
        Checkpoint checkpoint = Checkpoint::start(path, "identity\nseed = 1\n");
        for (const std::uint64_t r : {0, 1, 5}) {
            checkpoint.append(r, tiny_result(r));
        }
    }
    // A kill while the last record was being written: its tail is missing.
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 5);
    {
        Checkpoint reopened = Checkpoint::reopen(path, "identity\nseed = 1\n");
        ASSERT_EQ(reopened.finished().size(), 2U);
        EXPECT_TRUE(identical(reopened.load(1, scenario.schema()), tiny_result(1)));
        // Writing goes on after the last whole record.
        reopened.append(5, tiny_result(5));
        // While it is open, no other run may take it up.
        EXPECT_THROW(static_cast<void>(Checkpoint::reopen(path, "identity\nseed = 1\n")), IoError);
    }
    const Checkpoint again = Checkpoint::reopen(path, "identity\nseed = 1\n");
    EXPECT_EQ(again.finished().size(), 3U);
    EXPECT_TRUE(identical(again.load(5, scenario.schema()), tiny_result(5)));
}

TEST(Checkpoint, RefusesAnotherBatchAndNeverReplacesOne) {
    const TempDir dir;
    const std::string path = (dir.path() / "batch.checkpoint").string();
    { Checkpoint checkpoint = Checkpoint::start(path, "model = tiny\nseed = 1\n"); }
    try {
        static_cast<void>(Checkpoint::reopen(path, "model = tiny\nseed = 2\n"));
        FAIL() << "a checkpoint of another seed was accepted";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("checkpoint has 'seed = 1', this run has 'seed = 2'"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(static_cast<void>(Checkpoint::start(path, "model = tiny\nseed = 1\n")), IoError);
}

TEST(CheckpointedSink, ReplaysKeptResultsInReplicationOrder) {
    const TempDir dir;
    const std::string path = (dir.path() / "batch.checkpoint").string();
    const TinyScenario scenario;
    Checkpoint checkpoint = Checkpoint::start(path, "id");
    checkpoint.append(1, tiny_result(1));
    checkpoint.append(4, tiny_result(4));
    MemorySink target;
    CheckpointedSink sink(checkpoint, scenario.schema(), target);
    sink.consume(0, tiny_result(0));
    sink.consume(2, tiny_result(2));
    sink.consume(3, tiny_result(3));
    sink.keep_unordered(6, tiny_result(6));  // kept, not written
    sink.finish();
    EXPECT_EQ(target.replications, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
    for (std::size_t i = 0; i < target.results.size(); ++i) {
        EXPECT_TRUE(identical(target.results[i], tiny_result(target.replications[i])));
    }
    EXPECT_EQ(sink.replayed(), 2U);
    EXPECT_EQ(checkpoint.finished().size(), 6U);  // 1, 4 and the new 0, 2, 3, 6
}

TEST(WorkList, IndexesTheRangeLessTheSkippedReplications) {
    const WorkList list(10, 8, {10, 13, 14, 17});
    ASSERT_EQ(list.size(), 4U);
    EXPECT_EQ(list[0], 11U);
    EXPECT_EQ(list[1], 12U);
    EXPECT_EQ(list[2], 15U);
    EXPECT_EQ(list[3], 16U);
    const WorkList huge(0, 1000000000, {});  // nothing is listed: no memory for the range
    EXPECT_EQ(huge.size(), 1000000000U);
    EXPECT_EQ(huge[999999999], 999999999U);
    EXPECT_THROW(WorkList(10, 8, {9}), std::invalid_argument);
    EXPECT_THROW(WorkList(10, 8, {12, 11}), std::invalid_argument);
}

TEST(BatchRunner, RunsOnlyTheReplicationsOfAWorkList) {
    const TinyScenario scenario;
    BatchOptions options;
    options.threads = 2;
    options.progress = ProgressMode::none;
    options.first_replication = 2;
    options.replications = 10;
    options.skip = {4, 5, 6, 8, 9, 10};
    MemorySink sink;
    const BatchReport report = run_batch(scenario, options, sink);
    EXPECT_EQ(report.completed, 4U);
    EXPECT_EQ(sink.replications, (std::vector<std::uint64_t>{2, 3, 7, 11}));
    EXPECT_EQ(sink.results[2].summaries[0], 1.5 * 7);
}

// Keeps what a cancelled batch hands over, and cancels the batch after `stop_after` results.
class CancellingSink : public ResultSink {
  public:
    CancellingSink(std::atomic<bool>& cancel, std::size_t stop_after)
        : cancel_(cancel), stop_after_(stop_after) {}
    void consume(std::uint64_t replication, ReplicationResult&&) override {
        consumed.push_back(replication);
        if (consumed.size() == stop_after_) {
            cancel_ = true;
        }
    }
    void keep_unordered(std::uint64_t replication, ReplicationResult&&) override {
        kept.push_back(replication);
    }
    std::vector<std::uint64_t> consumed;
    std::vector<std::uint64_t> kept;

  private:
    std::atomic<bool>& cancel_;
    std::size_t stop_after_;
};

TEST(BatchRunner, ACancelledBatchHandsOverWhatFinishedAndNothingTwice) {
    const TinyScenario scenario;
    BatchOptions options;
    options.replications = 200;
    options.threads = 2;
    options.progress = ProgressMode::none;
    std::atomic<bool> cancel{false};
    CancellingSink sink(cancel, 3);
    EXPECT_THROW(static_cast<void>(run_batch(scenario, options, sink, &cancel)), BatchCancelled);
    EXPECT_EQ(sink.consumed, (std::vector<std::uint64_t>{0, 1, 2}));
    for (const std::uint64_t r : sink.kept) {
        EXPECT_GE(r, 3U);
        EXPECT_LT(r, 200U);
        EXPECT_EQ(std::count(sink.kept.begin(), sink.kept.end(), r), 1);
    }
}

}  // namespace
}  // namespace icsflow::sim
