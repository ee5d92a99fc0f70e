// The HDF5 results file: written through ResultsWriter, read back through sim::h5, and never left
// behind half-written.
#include "sim/io/results_writer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "sim/io/hdf5.hpp"
#include "sim/io/provenance.hpp"
#include "sim/io/results_info.hpp"
#include "sim/runner/batch_runner.hpp"
#include "test_scenarios.hpp"
#include "test_support.hpp"

namespace icsflow::sim {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::TinyScenario;

const std::string kConfigText = "# a test configuration\n[run]\nmodel = \"tiny\"\n";
const std::string kResolvedText = "[run]\nmodel = \"tiny\"\nseed = 42\n";

Provenance test_provenance(std::uint64_t replications, std::uint64_t first = 0) {
    Provenance p = build_provenance();
    p.command_line = "icsflow run tiny.toml --threads 2";
    p.model = "tiny";
    p.config_path = "tiny.toml";
    p.master_seed = 42;
    p.replications = replications;
    p.first_replication = first;
    p.threads = 2;
    return p;
}

ConfigRecord test_record() {
    return ConfigRecord{"tiny.toml", kConfigText, kResolvedText, "2019-04-01"};
}

BatchOptions batch_options(std::uint64_t replications, std::uint64_t first = 0) {
    BatchOptions options;
    options.master_seed = 42;
    options.first_replication = first;
    options.replications = replications;
    options.threads = 2;
    options.progress = ProgressMode::none;
    return options;
}

bool same_or_both_nan(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

TEST(ResultsWriter, WritesToPartAndRenamesOnCommit) {
    TempDir dir;
    const std::string path = dir.file("out.h5");
    const TinyScenario scenario;
    ResultsWriter writer(path, scenario.schema(), test_provenance(3), test_record());
    EXPECT_EQ(writer.path(), path);
    // A name of this process's own beside the results file: "<path>.<host>-<pid>-<n>.part".
    const std::string part = writer.part_path();
    EXPECT_EQ(part.rfind(path + ".", 0), 0U) << part;
    EXPECT_NE(part.find("-" + std::to_string(::getpid()) + "-"), std::string::npos) << part;
    EXPECT_TRUE(part.ends_with(".part")) << part;
    EXPECT_TRUE(fs::exists(part));
    EXPECT_FALSE(fs::exists(path));
    const BatchReport report = run_batch(scenario, batch_options(3), writer);
    EXPECT_EQ(report.completed, 3U);
    EXPECT_TRUE(fs::exists(part));  // still partial until committed
    EXPECT_FALSE(fs::exists(path));
    writer.commit(report);
    EXPECT_TRUE(fs::exists(path));
    EXPECT_FALSE(fs::exists(part));
    EXPECT_EQ(dir.entries(), (std::vector<std::string>{"out.h5"}));
}

TEST(ResultsWriter, RoundTripOfDatasetsAndAttributes) {
    TempDir dir;
    const std::string path = dir.file("round.h5");
    const TinyScenario scenario;
    constexpr std::uint64_t kReplications = 5;
    constexpr std::uint64_t kFirst = 10;  // a slice of a larger batch: replications 10..14
    {
        ResultsWriter writer(path, scenario.schema(), test_provenance(kReplications, kFirst),
                             test_record());
        const BatchReport report =
            run_batch(scenario, batch_options(kReplications, kFirst), writer);
        // The writer's moments are the sums in replication order.
        Moments expected_total;
        for (std::uint64_t r = kFirst; r < kFirst + kReplications; ++r) {
            expected_total.add(1.5 * static_cast<double>(r));
        }
        EXPECT_EQ(writer.summary_moments()[0].sum, expected_total.sum);
        writer.commit(report);
    }

    const h5::File file = h5::File::open_read_only(path);
    // Root attributes: identification and provenance.
    EXPECT_EQ(file.string_attribute("filetype"), "icsflow-results");
    EXPECT_EQ(file.integer_attribute("format_version"), (std::vector<std::int64_t>{1, 1}));
    EXPECT_EQ(file.string_attribute("program"), "icsflow");
    EXPECT_EQ(file.string_attribute("program_version"), program_version());
    EXPECT_FALSE(file.string_attribute("program_version").empty());
    EXPECT_FALSE(file.string_attribute("git_commit").empty());
    const std::string dirty = file.string_attribute("git_dirty");
    EXPECT_TRUE(dirty == "true" || dirty == "false" || dirty == "unknown") << dirty;
    const std::string created = file.string_attribute("created_utc");
    EXPECT_EQ(created.size(), 20U) << created;  // 2026-11-23T20:38:12Z
    EXPECT_EQ(created.back(), 'Z');
    EXPECT_EQ(created[10], 'T');
    EXPECT_EQ(file.string_attribute("command_line"), "icsflow run tiny.toml --threads 2");
    EXPECT_EQ(file.string_attribute("model"), "tiny");
    EXPECT_EQ(file.string_attribute("config_path"), "tiny.toml");
    EXPECT_EQ(file.string_attribute("start_date"), "2019-04-01");
    EXPECT_EQ(file.integer_attribute("master_seed"), (std::vector<std::int64_t>{42}));
    EXPECT_EQ(file.integer_attribute("replications"), (std::vector<std::int64_t>{5}));
    EXPECT_EQ(file.integer_attribute("first_replication"), (std::vector<std::int64_t>{10}));
    EXPECT_EQ(file.integer_attribute("threads"), (std::vector<std::int64_t>{2}));
    EXPECT_EQ(file.integer_attribute("mpi_ranks"), (std::vector<std::int64_t>{1}));
    const auto libraries = file.string_array_attribute("library_versions");
    ASSERT_FALSE(libraries.empty());
    EXPECT_EQ(libraries.front().rfind("HDF5 ", 0), 0U);
    EXPECT_EQ(libraries, build_provenance().library_versions);

    // The configuration, exactly as given.
    const h5::Group config = file.open_group("config");
    EXPECT_EQ(config.open_dataset("input").read_strings(), (std::vector<std::string>{kConfigText}));
    EXPECT_EQ(config.open_dataset("resolved").read_strings(),
              (std::vector<std::string>{kResolvedText}));
    EXPECT_NE(config.open_dataset("input").string_attribute("long_name").find("tiny.toml"),
              std::string::npos);

    // Axes.
    const h5::Group axes = file.open_group("axes");
    EXPECT_EQ(axes.open_dataset("replication").read_integers(),
              (std::vector<std::int64_t>{10, 11, 12, 13, 14}));
    EXPECT_EQ(axes.open_dataset("week").read_doubles(), (std::vector<double>{0.0, 7.0, 14.0}));
    EXPECT_EQ(axes.open_dataset("week_end").read_doubles(), (std::vector<double>{7.0, 14.0, 20.0}));
    EXPECT_EQ(axes.open_dataset("week_label").read_strings(),
              (std::vector<std::string>{"W1", "W2", "W3"}));
    EXPECT_EQ(axes.open_dataset("week").string_attribute("units"), "days since 2019-04-01");
    EXPECT_EQ(axes.open_dataset("stage").read_strings(),
              (std::vector<std::string>{"first", "second"}));
    EXPECT_EQ(axes.open_dataset("stage").element_type(), h5::ElementType::string);

    // Series: [replication, week, stage], value for value, NaN where no value was given.
    const h5::Group series = file.open_group("series");
    EXPECT_EQ(series.child_names(), (std::vector<std::string>{"count", "level"}));
    const h5::Dataset level = series.open_dataset("level");
    EXPECT_EQ(level.shape(), (std::vector<hsize_t>{5, 3, 2}));
    EXPECT_EQ(level.element_type(), h5::ElementType::float64);
    EXPECT_EQ(level.string_attribute("units"), "customers");
    EXPECT_EQ(level.string_attribute("long_name"), "customers waiting (time-average)");
    EXPECT_EQ(level.string_attribute("kind"), "time-average over period");
    EXPECT_EQ(level.string_attribute("time_axis"), "week");
    EXPECT_EQ(level.string_array_attribute("dimensions"),
              (std::vector<std::string>{"replication", "week", "stage"}));
    const auto level_values = level.read_doubles();
    ASSERT_EQ(level_values.size(), 30U);
    int nan_count = 0;
    for (std::uint64_t i = 0; i < kReplications; ++i) {
        for (std::size_t w = 0; w < 3; ++w) {
            for (std::size_t s = 0; s < 2; ++s) {
                const double got = level_values[(i * 3 + w) * 2 + s];
                const double expected = TinyScenario::level(kFirst + i, w, s);
                EXPECT_TRUE(same_or_both_nan(got, expected))
                    << "replication " << kFirst + i << " week " << w << " stage " << s << ": "
                    << got << " vs " << expected;
                nan_count += std::isnan(got) ? 1 : 0;
            }
        }
    }
    EXPECT_EQ(nan_count, 2);  // replications 11 and 13
    const h5::Dataset count = series.open_dataset("count");
    EXPECT_EQ(count.shape(), (std::vector<hsize_t>{5, 3}));
    const auto counts = count.read_doubles();
    for (std::uint64_t i = 0; i < kReplications; ++i) {
        for (std::size_t w = 0; w < 3; ++w) {
            EXPECT_EQ(counts[i * 3 + w], static_cast<double>(kFirst + i + w));
        }
    }

    // Summaries: values per replication and their moments (n, sum, sum of squares).
    const h5::Group summary = file.open_group("summary");
    for (const auto& [name, value_of] :
         std::vector<std::pair<std::string, double (*)(std::uint64_t)>>{
             {"total", [](std::uint64_t r) { return 1.5 * static_cast<double>(r); }},
             {"peak", [](std::uint64_t r) { return static_cast<double>(r * r); }}}) {
        const auto values = summary.open_group("values").open_dataset(name).read_doubles();
        ASSERT_EQ(values.size(), kReplications) << name;
        double sum = 0.0;
        double sum_of_squares = 0.0;
        for (std::uint64_t i = 0; i < kReplications; ++i) {
            EXPECT_EQ(values[i], value_of(kFirst + i)) << name;
            sum += values[i];
            sum_of_squares += values[i] * values[i];
        }
        const h5::Dataset moments = summary.open_group("moments").open_dataset(name);
        EXPECT_EQ(moments.read_doubles(),
                  (std::vector<double>{static_cast<double>(kReplications), sum, sum_of_squares}))
            << name;
        EXPECT_EQ(moments.string_array_attribute("fields"),
                  (std::vector<std::string>{"n", "sum", "sum_of_squares"}));
    }

    // Runtime measurements.
    ASSERT_TRUE(file.has_child("runtime"));
    const h5::Group runtime = file.open_group("runtime");
    EXPECT_EQ(runtime.open_dataset("events").read_integers(),
              (std::vector<std::int64_t>{20, 21, 22, 23, 24}));
    EXPECT_EQ(runtime.open_dataset("wall_seconds").shape(), (std::vector<hsize_t>{5}));
    EXPECT_EQ(runtime.integer_attribute("threads"), (std::vector<std::int64_t>{2}));
    EXPECT_TRUE(runtime.has_attribute("batch_wall_seconds"));
    EXPECT_TRUE(runtime.has_attribute("events_per_second"));

    EXPECT_EQ(file.child_names(),
              (std::vector<std::string>{"axes", "config", "runtime", "series", "summary"}));
}

TEST(ResultsWriter, DestroyedWithoutCommitLeavesNoFile) {
    TempDir dir;
    const std::string path = dir.file("abandoned.h5");
    const TinyScenario scenario;
    {
        ResultsWriter writer(path, scenario.schema(), test_provenance(4), test_record());
        writer.consume(0, scenario.run(ReplicationContext{42, 0, nullptr}));
        writer.consume(1, scenario.run(ReplicationContext{42, 1, nullptr}));
        EXPECT_TRUE(fs::exists(writer.part_path()));
    }
    EXPECT_TRUE(dir.entries().empty());
}

TEST(ResultsWriter, OutOfOrderReplicationsAndEarlyCommitAreRejected) {
    TempDir dir;
    const std::string path = dir.file("strict.h5");
    const TinyScenario scenario;
    {
        ResultsWriter writer(path, scenario.schema(), test_provenance(3), test_record());
        EXPECT_THROW(writer.consume(1, scenario.run(ReplicationContext{42, 1, nullptr})),
                     std::logic_error);
        writer.consume(0, scenario.run(ReplicationContext{42, 0, nullptr}));
        EXPECT_THROW(writer.commit(BatchReport{}), std::logic_error);
    }
    EXPECT_TRUE(dir.entries().empty());
}

TEST(ResultsWriter, UnwritableLocationIsAnIoError) {
    const TinyScenario scenario;
    EXPECT_THROW(ResultsWriter("/nonexistent-dir/sub/out.h5", scenario.schema(), test_provenance(1),
                               test_record()),
                 IoError);
}

// The command line's flow: the writer and the batch in one scope. A replication that throws
// ends the batch with that exception, and the writer's destruction removes the partial file.
TEST(ResultsWriter, AFailingReplicationPropagatesAndLeavesNoFileBehind) {
    TempDir dir;
    const std::string path = dir.file("failed.h5");
    const TinyScenario scenario(3);
    auto cli_flow = [&] {
        ResultsWriter writer(path, scenario.schema(), test_provenance(8), test_record());
        ASSERT_TRUE(fs::exists(writer.part_path()));
        const BatchReport report = run_batch(scenario, batch_options(8), writer);
        writer.commit(report);
    };
    try {
        cli_flow();
        FAIL() << "the failing replication did not propagate";
    } catch (const test::ReplicationFailure& e) {
        EXPECT_EQ(std::string(e.what()), "replication 3 failed");
    }
    EXPECT_TRUE(dir.entries().empty());
    EXPECT_FALSE(fs::exists(path));
}

TEST(ResultsWriter, ACancelledBatchLeavesNoFileBehind) {
    TempDir dir;
    const std::string path = dir.file("cancelled.h5");
    const TinyScenario scenario;
    std::atomic<bool> cancel{true};
    EXPECT_THROW(
        {
            ResultsWriter writer(path, scenario.schema(), test_provenance(50), test_record());
            const BatchReport report = run_batch(scenario, batch_options(50), writer, &cancel);
            writer.commit(report);
        },
        BatchCancelled);
    EXPECT_TRUE(dir.entries().empty());
}

TEST(ResultsInfo, DescribesResultsFilesAndRefusesOthers) {
    TempDir dir;
    const TinyScenario scenario;
    const std::string path = dir.file("described.h5");
    {
        ResultsWriter writer(path, scenario.schema(), test_provenance(2), test_record());
        writer.commit(run_batch(scenario, batch_options(2), writer));
    }
    std::ostringstream out;
    describe_results_file(path, out);
    const std::string text = out.str();
    EXPECT_NE(text.find("format:           icsflow-results 1.1"), std::string::npos) << text;
    EXPECT_NE(text.find("master_seed:       42"), std::string::npos) << text;
    EXPECT_NE(text.find("/series/level"), std::string::npos) << text;
    EXPECT_NE(text.find("[2 x 3 x 2]"), std::string::npos) << text;

    // An HDF5 file of another kind, and one of a newer major format.
    const std::string other = dir.file("other.h5");
    {
        h5::File file = h5::File::create(other);
        file.set_attribute("filetype", "something-else");
    }
    std::ostringstream ignored;
    EXPECT_THROW(describe_results_file(other, ignored), ResultsFormatError);
    const std::string plain = dir.file("plain.h5");
    static_cast<void>(h5::File::create(plain));
    EXPECT_THROW(describe_results_file(plain, ignored), ResultsFormatError);
    const std::string newer = dir.file("newer.h5");
    {
        h5::File file = h5::File::create(newer);
        file.set_attribute("filetype", kResultsFiletype);
        file.set_attribute("format_version", std::vector<std::int64_t>{2, 0});
    }
    EXPECT_THROW(describe_results_file(newer, ignored), ResultsFormatError);
    EXPECT_THROW(describe_results_file(dir.file("missing.h5"), ignored), IoError);
    const std::string text_file = dir.file("not-hdf5.h5");
    std::FILE* f = std::fopen(text_file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("not an HDF5 file\n", f);
    std::fclose(f);
    EXPECT_THROW(describe_results_file(text_file, ignored), IoError);
}

TEST(Provenance, FieldsAndBanner) {
    const Provenance p = build_provenance();
    EXPECT_EQ(p.program, "icsflow");
    EXPECT_EQ(p.program_version, program_version());
    EXPECT_FALSE(p.git_commit.empty());
    EXPECT_EQ(p.library_versions.size(), 6U);
    EXPECT_EQ(version_banner().rfind("icsflow " + program_version() + " (commit ", 0), 0U);
    EXPECT_EQ(compact_utc_timestamp().size(), 16U);  // 20261123T203812Z
}

}  // namespace
}  // namespace icsflow::sim
