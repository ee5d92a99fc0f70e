#include "sim/io/checkpoint.hpp"

#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <utility>
#include <vector>

#include "sim/io/io_error.hpp"
#include "sim/runner/result_codec.hpp"

namespace icsflow::sim {

namespace {

constexpr char kMagic[] = "icsflow-checkpoint 1\n";  // 21 bytes
constexpr std::size_t kMagicSize = sizeof(kMagic) - 1;

std::uint64_t fnv1a(const char* data, std::size_t size) {
    std::uint64_t hash = 1469598103934665603ULL;
    for (std::size_t i = 0; i < size; ++i) {
        hash ^= static_cast<unsigned char>(data[i]);
        hash *= 1099511628211ULL;
    }
    return hash;
}

std::string system_error_text() {
    return std::strerror(errno);
}

// The first line where two identities differ, to say why a checkpoint is refused.
std::string first_difference(const std::string& stored, const std::string& wanted) {
    std::istringstream a(stored);
    std::istringstream b(wanted);
    std::string line_a;
    std::string line_b;
    while (true) {
        const bool more_a = static_cast<bool>(std::getline(a, line_a));
        const bool more_b = static_cast<bool>(std::getline(b, line_b));
        if (!more_a && !more_b) {
            return "?";
        }
        if (line_a != line_b || more_a != more_b) {
            return "checkpoint has '" + (more_a ? line_a : std::string("(end)")) +
                   "', this run has '" + (more_b ? line_b : std::string("(end)")) + "'";
        }
    }
}

// Reads exactly `size` bytes at `offset`; false if the file ends first.
bool read_at(std::FILE* file, std::uint64_t offset, void* out, std::size_t size) {
    const ssize_t got = ::pread(fileno(file), out, size, static_cast<off_t>(offset));
    return got >= 0 && static_cast<std::size_t>(got) == size;
}

}  // namespace

Checkpoint::Checkpoint(Checkpoint&& other) noexcept
    : path_(std::move(other.path_)),
      file_(std::exchange(other.file_, nullptr)),
      finished_(std::move(other.finished_)),
      last_sync_(other.last_sync_) {}

Checkpoint::~Checkpoint() {
    if (file_ != nullptr) {
        std::fclose(file_);
    }
}

namespace {

// Held while the batch runs (released when the file is closed, or the process ends): a second run
// resuming the same checkpoint, or resuming one that a running batch is still writing, is refused
// instead of both appending to it. Only a lock another holder has refuses: a file system without
// flock (NFS without a lock daemon, some Lustre and FUSE mounts) runs unlocked, as before locks.
// Closes `file` when it throws.
void lock_for_this_run(std::FILE* file, const std::string& path) {
    if (::flock(::fileno(file), LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
        std::fclose(file);
        throw IoError("checkpoint '" + path +
                      "' is in use by another run of this batch (wait for it to finish or stop "
                      "it first)");
    }
}

}  // namespace

Checkpoint Checkpoint::start(const std::string& path, const std::string& identity) {
    // Created exclusively ("x": O_EXCL), so that two runs given one output never share, truncate
    // or interleave one checkpoint: the second is refused here, before it computes anything.
    std::FILE* file = std::fopen(path.c_str(), "wb+x");
    if (file == nullptr && errno == EEXIST) {
        throw IoError("checkpoint '" + path +
                      "' already exists: another run is writing the same results file, or an "
                      "interrupted batch left it (finish that batch with --resume, or delete "
                      "the checkpoint)");
    }
    if (file == nullptr) {
        throw IoError("cannot create checkpoint '" + path + "': " + system_error_text());
    }
    // From here the file is this run's: any failure removes it, or it would block every later run
    // of this output as a checkpoint that "already exists".
    try {
        lock_for_this_run(file, path);
    } catch (...) {
        std::remove(path.c_str());
        throw;
    }
    Checkpoint checkpoint(path, file);
    try {
        const std::uint64_t length = identity.size();
        checkpoint.write_bytes(kMagic, kMagicSize);
        checkpoint.write_bytes(&length, sizeof length);
        checkpoint.write_bytes(identity.data(), identity.size());
    } catch (...) {
        checkpoint.remove();
        throw;
    }
    return checkpoint;
}

Checkpoint Checkpoint::reopen(const std::string& path, const std::string& identity) {
    std::FILE* file = std::fopen(path.c_str(), "rb+");
    if (file == nullptr) {
        throw IoError("cannot open checkpoint '" + path + "': " + system_error_text());
    }
    lock_for_this_run(file, path);
    Checkpoint checkpoint(path, file);
    char magic[kMagicSize];
    std::uint64_t length = 0;
    if (!read_at(file, 0, magic, kMagicSize) || std::memcmp(magic, kMagic, kMagicSize) != 0 ||
        !read_at(file, kMagicSize, &length, sizeof length) || length > (1ULL << 30)) {
        throw IoError("'" + path + "' is not an icsflow checkpoint");
    }
    std::string stored(length, '\0');
    if (!read_at(file, kMagicSize + sizeof length, stored.data(), length)) {
        throw IoError("checkpoint '" + path + "' is truncated in its header");
    }
    if (stored != identity) {
        throw IoError("checkpoint '" + path + "' belongs to another batch (" +
                      first_difference(stored, identity) + ")");
    }
    // Records up to the first torn or corrupt one (the process was killed while writing it).
    std::uint64_t position = kMagicSize + sizeof length + length;
    std::vector<char> bytes;
    while (true) {
        std::uint64_t header[2];
        if (!read_at(file, position, header, sizeof header) || header[1] > (1ULL << 40)) {
            break;
        }
        bytes.resize(header[1]);
        std::uint64_t checksum = 0;
        const std::uint64_t data_offset = position + sizeof header;
        if (!read_at(file, data_offset, bytes.data(), bytes.size()) ||
            !read_at(file, data_offset + header[1], &checksum, sizeof checksum) ||
            checksum != fnv1a(bytes.data(), bytes.size())) {
            break;
        }
        checkpoint.finished_[header[0]] = Record{data_offset, header[1]};
        position = data_offset + header[1] + sizeof checksum;
    }
    if (::ftruncate(fileno(file), static_cast<off_t>(position)) != 0 ||
        std::fseek(file, static_cast<long>(position), SEEK_SET) != 0) {
        throw IoError("cannot reopen checkpoint '" + path +
                      "' for writing: " + system_error_text());
    }
    return checkpoint;
}

void Checkpoint::write_bytes(const void* data, std::size_t size) {
    if (std::fwrite(data, 1, size, file_) != size) {
        throw IoError("cannot write checkpoint '" + path_ + "': " + system_error_text());
    }
}

void Checkpoint::append(std::uint64_t replication, const ReplicationResult& result) {
    if (finished_.count(replication) != 0) {
        return;
    }
    const std::vector<char> bytes = encode_result(result);
    const std::uint64_t header[2] = {replication, bytes.size()};
    const std::uint64_t checksum = fnv1a(bytes.data(), bytes.size());
    const long start = std::ftell(file_);
    write_bytes(header, sizeof header);
    write_bytes(bytes.data(), bytes.size());
    write_bytes(&checksum, sizeof checksum);
    // In the kernel before the next replication is handled, so that killing the process loses
    // nothing finished; forced to the disk at most once a second (a crash of the machine loses
    // at most that), since a sync per replication would dominate batches of short ones.
    if (std::fflush(file_) != 0) {
        throw IoError("cannot write checkpoint '" + path_ + "': " + system_error_text());
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_sync_ >= std::chrono::seconds(1)) {
        if (::fdatasync(fileno(file_)) != 0) {
            throw IoError("cannot write checkpoint '" + path_ + "': " + system_error_text());
        }
        last_sync_ = now;
    }
    finished_[replication] =
        Record{static_cast<std::uint64_t>(start) + sizeof header, bytes.size()};
}

ReplicationResult Checkpoint::load(std::uint64_t replication, const OutputSchema& schema) const {
    const Record& record = finished_.at(replication);
    std::vector<char> bytes(record.size);
    if (!read_at(file_, record.offset, bytes.data(), bytes.size())) {
        throw IoError("cannot read replication " + std::to_string(replication) +
                      " from checkpoint '" + path_ + "'");
    }
    try {
        return decode_result(bytes.data(), bytes.size(), schema);
    } catch (const ResultDecodeError& e) {
        throw IoError("checkpoint '" + path_ + "', replication " + std::to_string(replication) +
                      ": " + e.what());
    }
}

void Checkpoint::remove() {
    // Unlinked while still locked, so that no other run can take up a checkpoint about to vanish.
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
    std::fclose(file_);
    file_ = nullptr;
}

std::string checkpoint_identity(const std::string& model, std::uint64_t seed,
                                std::uint64_t first_replication, std::uint64_t replications,
                                const std::string& resolved_config) {
    return "model = " + model + "\nseed = " + std::to_string(seed) +
           "\nfirst_replication = " + std::to_string(first_replication) +
           "\nreplications = " + std::to_string(replications) + "\n" + resolved_config;
}

CheckpointedSink::CheckpointedSink(Checkpoint& checkpoint, const OutputSchema& schema,
                                   ResultSink& target)
    : checkpoint_(checkpoint),
      schema_(schema),
      target_(target),
      to_replay_(checkpoint.finished()) {}

void CheckpointedSink::replay_before(std::uint64_t replication) {
    // `replication` == UINT64_MAX replays everything (no batch reaches that index).
    while (!to_replay_.empty() &&
           (to_replay_.begin()->first < replication || replication == UINT64_MAX)) {
        const std::uint64_t stored = to_replay_.begin()->first;
        to_replay_.erase(to_replay_.begin());
        target_.consume(stored, checkpoint_.load(stored, schema_));
        ++replayed_;
    }
}

void CheckpointedSink::consume(std::uint64_t replication, ReplicationResult&& result) {
    replay_before(replication);
    checkpoint_.append(replication, result);
    target_.consume(replication, std::move(result));
}

void CheckpointedSink::keep_unordered(std::uint64_t replication, ReplicationResult&& result) {
    checkpoint_.append(replication, result);
}

void CheckpointedSink::finish() {
    replay_before(UINT64_MAX);
}

}  // namespace icsflow::sim
