#include "sim/io/output_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "sim/io/io_error.hpp"

namespace icsflow::sim {

namespace {

// What sits at `path` (not following a final symbolic link), as words for an error message;
// empty when nothing is there or it is a regular file.
std::string refused_kind(const struct stat& status) {
    if (S_ISLNK(status.st_mode)) {
        return "a symbolic link";
    }
    if (S_ISDIR(status.st_mode)) {
        return "a directory";
    }
    if (S_ISCHR(status.st_mode) || S_ISBLK(status.st_mode)) {
        return "a device";
    }
    if (S_ISFIFO(status.st_mode)) {
        return "a FIFO";
    }
    if (S_ISSOCK(status.st_mode)) {
        return "a socket";
    }
    return "";
}

std::string taken_message(const std::string& path) {
    return "'" + path +
           "' was created by another run while this one ran; it is kept, and these results are "
           "not written (give another -o)";
}

// Throws unless `path` is absent or a regular file (and, with `refuse`, absent). When
// `publishing` (the run is over), a file that exists now was made by another run meanwhile:
// OutputTakenError.
void check_target(const std::string& path, OverwritePolicy policy, bool publishing) {
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0) {
        if (errno == ENOENT) {
            return;
        }
        throw IoError("cannot use '" + path + "' as the results file: " + std::strerror(errno));
    }
    const std::string kind = refused_kind(status);
    if (!kind.empty()) {
        throw IoError("'" + path + "' is " + kind +
                      "; a results file must be a regular file (give another file name)");
    }
    if (policy == OverwritePolicy::refuse) {
        if (publishing) {
            throw OutputTakenError(taken_message(path));
        }
        throw IoError("'" + path +
                      "' already exists; give another file name, or --force to replace it");
    }
}

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') {
        return "host";
    }
    std::string text(name);
    for (char& c : text) {
        if (c == '/' || c == '.') {
            c = '_';
        }
    }
    return text;
}

}  // namespace

void prepare_output_path(const std::string& path, OverwritePolicy policy) {
    if (path.empty()) {
        throw IoError("the results file name is empty");
    }
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
        std::error_code error;
        std::filesystem::create_directories(parent, error);
        if (error) {
            throw IoError("cannot create output directory '" + parent.string() +
                          "': " + error.message());
        }
    }
    check_target(path, policy, false);
    // A directory the program cannot write in is found now, not after hours of work: a file is
    // created in it and removed.
    const std::string probe = temporary_path_for(path) + ".probe";
    const int descriptor = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (descriptor < 0) {
        throw IoError("cannot write '" + path + "': " + std::strerror(errno));
    }
    ::close(descriptor);
    ::unlink(probe.c_str());
}

std::string unused_output_path(const std::string& base, std::string_view extension,
                               std::initializer_list<std::string_view> companion_suffixes) {
    const auto taken = [&](const std::string& candidate) {
        std::error_code error;
        if (std::filesystem::exists(std::filesystem::symlink_status(candidate, error))) {
            return true;
        }
        for (const std::string_view suffix : companion_suffixes) {
            if (std::filesystem::exists(
                    std::filesystem::symlink_status(candidate + std::string(suffix), error))) {
                return true;
            }
        }
        return false;
    };
    std::string candidate = base + std::string(extension);
    for (unsigned n = 2; taken(candidate); ++n) {
        candidate = base + "-" + std::to_string(n) + std::string(extension);
    }
    return candidate;
}

void publish_text_file(const std::string& path, const std::string& text, OverwritePolicy policy,
                       const std::string& what) {
    const std::string partial = temporary_path_for(path);
    std::FILE* file = std::fopen(partial.c_str(), "wbx");
    if (file == nullptr) {
        throw IoError("cannot write " + what + " '" + partial + "': " + std::strerror(errno));
    }
    const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
    const bool closed = std::fclose(file) == 0;
    if (!written || !closed) {
        const std::string reason = std::strerror(errno);
        std::remove(partial.c_str());
        throw IoError("cannot write " + what + " '" + path + "': " + reason);
    }
    try {
        publish_results_file(partial, path, policy);
    } catch (...) {
        std::remove(partial.c_str());
        throw;
    }
}

std::string temporary_path_for(const std::string& path) {
    // A counter as well as the process: one process may write several files to one path (tests).
    static std::atomic<unsigned> counter{0};
    return path + "." + host_name() + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(counter.fetch_add(1)) + ".part";
}

void publish_results_file(const std::string& temporary, const std::string& path,
                          OverwritePolicy policy) {
    check_target(path, policy, true);
    if (policy == OverwritePolicy::replace) {
        if (std::rename(temporary.c_str(), path.c_str()) != 0) {
            throw IoError("cannot rename '" + temporary + "' to '" + path +
                          "': " + std::strerror(errno));
        }
        return;
    }
    // Without replacing: renameat2 with RENAME_NOREPLACE where the file system has it, else a
    // hard link (which fails if the name exists) and the removal of the temporary name. Either
    // way the check and the move are one step, so a run that finished first is never replaced.
    if (::renameat2(AT_FDCWD, temporary.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) {
        return;
    }
    if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
        if (::link(temporary.c_str(), path.c_str()) == 0) {
            ::unlink(temporary.c_str());
            return;
        }
    }
    if (errno == EEXIST) {
        throw OutputTakenError(taken_message(path));
    }
    throw IoError("cannot rename '" + temporary + "' to '" + path + "': " + std::strerror(errno));
}

}  // namespace icsflow::sim
