// Where a results file may be written, and that no run ever loses or replaces another's results:
// the rules of sim/io/output_path.hpp, through the results writer.
#include "sim/io/output_path.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "sim/io/io_error.hpp"
#include "sim/io/results_writer.hpp"
#include "test_scenarios.hpp"
#include "test_support.hpp"

namespace icsflow::sim {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::TinyScenario;

Provenance provenance(std::uint64_t replications, std::uint64_t seed) {
    Provenance p = build_provenance();
    p.model = "tiny";
    p.master_seed = seed;
    p.replications = replications;
    return p;
}

ConfigRecord record() {
    return ConfigRecord{"tiny.toml", "[run]\n", "[run]\n", "2019-04-01"};
}

BatchOptions batch(std::uint64_t replications) {
    BatchOptions options;
    options.replications = replications;
    options.threads = 1;
    options.progress = ProgressMode::none;
    return options;
}

std::int64_t seed_in(const std::string& path) {
    return h5::File::open_read_only(path).integer_attribute("master_seed").at(0);
}

TEST(OutputPath, AnExistingFileIsKeptUnlessReplacingIsAsked) {
    TempDir dir;
    const std::string path = dir.file("kept.h5");
    const TinyScenario scenario;
    {
        ResultsWriter writer(path, scenario.schema(), provenance(2, 1), record());
        writer.commit(run_batch(scenario, batch(2), writer));
    }
    EXPECT_THROW(prepare_output_path(path, OverwritePolicy::refuse), IoError);
    // The writer refuses at commit too (the command line checks first, to fail before running).
    {
        ResultsWriter writer(path, scenario.schema(), provenance(2, 2), record());
        const BatchReport report = run_batch(scenario, batch(2), writer);
        EXPECT_THROW(writer.commit(report), IoError);
    }
    EXPECT_EQ(seed_in(path), 1);
    EXPECT_EQ(dir.entries(), (std::vector<std::string>{"kept.h5"}));
    EXPECT_NO_THROW(prepare_output_path(path, OverwritePolicy::replace));
    {
        ResultsWriter writer(path, scenario.schema(), provenance(2, 3), record(),
                             OverwritePolicy::replace);
        writer.commit(run_batch(scenario, batch(2), writer));
    }
    EXPECT_EQ(seed_in(path), 3);
    EXPECT_EQ(dir.entries(), (std::vector<std::string>{"kept.h5"}));
}

// Two writers on one path at once (two runs given the same -o): each has its own partial file;
// the first to finish publishes, the second is refused and leaves the first's file as it was.
TEST(OutputPath, TwoWritersOnOnePathNeverTouchEachOthersFiles) {
    TempDir dir;
    const std::string path = dir.file("shared.h5");
    const TinyScenario scenario;
    ResultsWriter first(path, scenario.schema(), provenance(3, 11), record());
    ResultsWriter second(path, scenario.schema(), provenance(3, 22), record());
    EXPECT_NE(first.part_path(), second.part_path());
    const BatchReport first_report = run_batch(scenario, batch(3), first);
    const BatchReport second_report = run_batch(scenario, batch(3), second);
    first.commit(first_report);
    EXPECT_THROW(second.commit(second_report), IoError);
    EXPECT_EQ(seed_in(path), 11);
    EXPECT_FALSE(fs::exists(second.part_path()));
    EXPECT_EQ(dir.entries(), (std::vector<std::string>{"shared.h5"}));
}

TEST(OutputPath, LinksDirectoriesAndDevicesAreNeverResultsFiles) {
    TempDir dir;
    const std::string target = dir.file("target.h5");
    {
        std::FILE* f = std::fopen(target.c_str(), "w");
        ASSERT_NE(f, nullptr);
        std::fputs("someone else's file\n", f);
        std::fclose(f);
    }
    const std::string link = dir.file("link.h5");
    ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
    const std::string dangling = dir.file("dangling.h5");
    ASSERT_EQ(::symlink(dir.file("nowhere.h5").c_str(), dangling.c_str()), 0);
    const std::string fifo = dir.file("fifo.h5");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    for (const auto policy : {OverwritePolicy::refuse, OverwritePolicy::replace}) {
        for (const std::string& path :
             {link, dangling, fifo, dir.path().string(), std::string("/dev/null")}) {
            try {
                prepare_output_path(path, policy);
                ADD_FAILURE() << path << " was accepted";
            } catch (const IoError& e) {
                EXPECT_NE(std::string(e.what()).find("must be a regular file"), std::string::npos)
                    << e.what();
            }
        }
    }
    // A writer given a link is refused at commit as well, and the link's target is untouched.
    const TinyScenario scenario;
    {
        ResultsWriter writer(link, scenario.schema(), provenance(1, 1), record(),
                             OverwritePolicy::replace);
        const BatchReport report = run_batch(scenario, batch(1), writer);
        EXPECT_THROW(writer.commit(report), IoError);
    }
    EXPECT_TRUE(fs::is_symlink(link));
    EXPECT_EQ(fs::file_size(target), 20U);
    EXPECT_EQ(fs::status(fs::path("/dev/null")).type(), fs::file_type::character);
}

TEST(OutputPath, TemporaryNamesAreUniqueAndMissingDirectoriesAreCreated) {
    TempDir dir;
    const std::string path = dir.file("a/b/out.h5");
    EXPECT_NO_THROW(prepare_output_path(path, OverwritePolicy::refuse));
    EXPECT_TRUE(fs::is_directory(dir.file("a/b")));
    const std::string one = temporary_path_for(path);
    const std::string two = temporary_path_for(path);
    EXPECT_NE(one, two);
    EXPECT_TRUE(one.ends_with(".part"));
    EXPECT_NE(one.find(std::to_string(::getpid())), std::string::npos);
    EXPECT_THROW(prepare_output_path("", OverwritePolicy::refuse), IoError);
}

// Memory and disk grow with the replications written, not with the count asked for: a batch of
// a billion replications cancelled after three costs what three cost, and is discarded at once.
TEST(OutputPath, AHugeRequestedCountCostsOnlyWhatIsWritten) {
    TempDir dir;
    const std::string path = dir.file("huge.h5");
    const TinyScenario scenario;
    const auto start = std::chrono::steady_clock::now();
    {
        ResultsWriter writer(path, scenario.schema(), provenance(1'000'000'000, 1), record());
        for (std::uint64_t r = 0; r < 3; ++r) {
            writer.consume(r, scenario.run(ReplicationContext{1, r, nullptr}));
        }
        EXPECT_LT(fs::file_size(writer.part_path()), 10U << 20);
    }
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
              10.0);
    EXPECT_TRUE(dir.entries().empty());
}

}  // namespace
}  // namespace icsflow::sim
