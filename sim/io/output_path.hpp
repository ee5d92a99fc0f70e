#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace icsflow::sim {

// Whether a finished results file may replace a file that already has its name.
enum class OverwritePolicy {
    refuse,   // the default: an existing file is never replaced (exit 4 instead)
    replace,  // `--force`: an existing regular file is replaced
};

// The rules for a results path (README, "Results files"):
//  - it names a regular file or nothing yet: a directory, a device, a FIFO, a socket or a
//    symbolic link is refused, so that `-o /dev/null` or a link never has its target replaced;
//  - an existing file is refused unless the policy is `replace`;
//  - missing parent directories are created.
// Throws IoError naming the path and the rule it breaks.
void prepare_output_path(const std::string& path, OverwritePolicy policy);

// A name the program chooses for the user (`<directory>/<stem>-<UTC time>`): the first of
// "<base><extension>", "<base>-2<extension>", "<base>-3<extension>", ... at which nothing exists,
// nor anything at that name followed by one of `companion_suffixes` (a run's ".checkpoint").
// Two runs started in the same second therefore get two files instead of the second being refused;
// should both still pick one name at the same instant, the exclusive checkpoint or the refusing
// publish stops the second (exit 4), so no result is lost or mixed.
[[nodiscard]] std::string unused_output_path(
    const std::string& base, std::string_view extension,
    std::initializer_list<std::string_view> companion_suffixes = {});

// A temporary name beside `path` that no other process can choose: "<path>.<host>-<pid>-<n>.part".
// Two runs given the same output (on one machine or on several sharing a file system) therefore
// never write, or delete, each other's partial files.
[[nodiscard]] std::string temporary_path_for(const std::string& path);

// Writes `text` to a partial file beside `path` and publishes it there (publish_results_file), so
// that `path` is complete or absent: a write error (a full disk) throws IoError naming `what` and
// removes the partial file.
void publish_text_file(const std::string& path, const std::string& text, OverwritePolicy policy,
                       const std::string& what);

// Moves the finished `temporary` file to `path` in one step. With `refuse`, a file that appeared
// at `path` meanwhile (another run finished first) is never replaced: OutputTakenError instead,
// and the caller still owns `temporary`. With `replace`, only a regular file is replaced.
void publish_results_file(const std::string& temporary, const std::string& path,
                          OverwritePolicy policy);

}  // namespace icsflow::sim
