// What the configuration reader refuses before parsing (sim/config/input_limits.hpp), and the
// locations it gives to problems the TOML parser finds.
#include "sim/config/input_limits.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <string>

#include "sim/config/config_document.hpp"
#include "test_support.hpp"

namespace icsflow::sim::config {
namespace {

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

// The single issue `text` raises when parsed as "deep.toml".
ConfigIssue parse_issue(const std::string& text) {
    try {
        static_cast<void>(ConfigDocument::from_string(text, "deep.toml"));
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.issues().size(), 1U) << e.what();
        return e.issues().front();
    }
    ADD_FAILURE() << "no ConfigError";
    return {};
}

std::string repeated(const std::string& part, int n) {
    std::string text;
    for (int i = 0; i < n; ++i) {
        text += part;
    }
    return text;
}

// Arrays, inline tables, dotted keys and table headers nested a few thousand deep once crashed
// the parser (its recursion exhausted the stack) or took seconds (quadratically): each is refused
// at its line, at once.
TEST(InputLimits, DeepNestingIsRefusedAtItsLine) {
    const int n = 5000;
    const std::vector<std::string> deep{
        "a = " + repeated("[", n) + repeated("]", n) + "\n",
        "a = " + repeated("{b = ", n) + "1" + repeated("}", n) + "\n",
        "a = [" + repeated("{b = [", n) + repeated("]}", n) + "]\n",
        repeated("a.", 30000) + "b = 1\n",
        "[" + repeated("a.", 30000) + "b]\n",
        "[[" + repeated("a.", 30000) + "b]]\n",
        "x = {" + repeated("a.", 30000) + "b = 1}\n",
    };
    for (const std::string& line : deep) {
        const auto start = std::chrono::steady_clock::now();
        const ConfigIssue issue = parse_issue("# first line\n" + line);
        EXPECT_EQ(issue.line, 2U) << line.substr(0, 40);
        EXPECT_NE(issue.message.find("nested more than"), std::string::npos) << issue.message;
        EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                  1.0);
    }
}

TEST(InputLimits, NestingUpToTheLimitIsRead) {
    const unsigned n = kMaxNesting - 2;
    const std::string arrays = "a = " + repeated("[", static_cast<int>(n)) + "1" +
                               repeated("]", static_cast<int>(n)) + "\n";
    EXPECT_NO_THROW(static_cast<void>(ConfigDocument::from_string(arrays, "ok.toml")));
    // Brackets inside strings and comments are not nesting.
    const std::string quoted = "a = \"" + repeated("[", 500) + "\" # " + repeated("{", 500) +
                               "\nb = '''\n" + repeated("[", 500) + "'''\n[\"x.y.z\"]\nc = 1\n";
    EXPECT_NO_THROW(static_cast<void>(ConfigDocument::from_string(quoted, "ok.toml")));
}

TEST(InputLimits, OnlyRegularFilesOfBoundedSizeAreRead) {
    test::TempDir dir;
    for (const std::string& path : {dir.path().string(), std::string("/dev/zero")}) {
        try {
            static_cast<void>(ConfigDocument::load_file(path));
            ADD_FAILURE() << path << " was read";
        } catch (const ConfigFileError& e) {
            EXPECT_NE(std::string(e.what()).find("'" + path + "'"), std::string::npos) << e.what();
        }
    }
    const std::string fifo = dir.file("fifo.toml");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_THROW(static_cast<void>(ConfigDocument::load_file(fifo)), ConfigFileError);
    const std::string big = dir.file("big.toml");
    write_file(big, "# " + std::string(kMaxConfigBytes, 'x') + "\n");
    EXPECT_THROW(static_cast<void>(ConfigDocument::load_file(big)), ConfigFileError);
    // A base that is a device: the error names the `base` key that points there.
    const std::string scenario = dir.file("scenario.toml");
    write_file(scenario, "# a scenario\nbase = \"/dev/zero\"\n");
    try {
        static_cast<void>(ConfigDocument::load_file(scenario));
        ADD_FAILURE() << "a device was read as a base";
    } catch (const ConfigFileError& e) {
        EXPECT_EQ(std::string(e.what()).rfind(scenario + ":2: key 'base': ", 0), 0U) << e.what();
    }
}

// The parser places an impossible date at line 1 without a key; the report has both.
TEST(InputLimits, SyntaxErrorsHaveTheirOwnLineAndKey) {
    const std::string text = "# a scenario\n[run]\nmodel = \"queueing\"\nstart_date = 2021-02-30\n";
    try {
        static_cast<void>(ConfigDocument::from_string(text, "date.toml"));
        FAIL() << "2021-02-30 was accepted";
    } catch (const ConfigError& e) {
        ASSERT_EQ(e.issues().size(), 1U);
        EXPECT_EQ(e.issues()[0].line, 4U);
        EXPECT_EQ(e.issues()[0].key, "run.start_date");
        EXPECT_NE(e.issues()[0].message.find("invalid date"), std::string::npos);
    }
}

}  // namespace
}  // namespace icsflow::sim::config
