#include "sim/cli/cluster_commands.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "sim/cli/exit_codes.hpp"
#include "sim/io/io_error.hpp"
#include "sim/io/results_merge.hpp"
#include "sim/runner/batch_runner.hpp"

namespace icsflow::sim {

int command_merge(const MergeOptions& options, const std::atomic<bool>* cancel) {
    try {
        merge_results_files(options.parts, options.output, options.command_line, cancel,
                            options.force ? OverwritePolicy::replace : OverwritePolicy::refuse);
    } catch (const IoError&) {
        // A signal while a part is screened stops the screening child: the interruption, not a
        // damaged file.
        if (cancel != nullptr && cancel->load()) {
            throw BatchCancelled();
        }
        throw;
    }
    std::printf("%s: merged %zu parts\n", options.output.c_str(), options.parts.size());
    return kExitOk;
}

void exec_plan_cluster(const std::vector<std::string>& arguments) {
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
    const std::string planner = (self.parent_path() / "icsflow-plan-cluster").string();
    std::vector<std::string> words{planner};
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& word : words) {
        argv.push_back(word.data());
    }
    argv.push_back(nullptr);
    std::fflush(stdout);
    ::execv(planner.c_str(), argv.data());
    throw IoError("cannot run the planner '" + planner + "': " + std::strerror(errno));
}

}  // namespace icsflow::sim
