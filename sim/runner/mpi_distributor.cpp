#include "sim/runner/mpi_distributor.hpp"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <list>
#include <map>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "sim/runner/progress.hpp"
#include "sim/runner/result_codec.hpp"
#include "sim/runner/worker_pool.hpp"

namespace icsflow::sim {

namespace {

using Clock = std::chrono::steady_clock;

// Message tags. Results carry their position in the work list, then the encoded result.
enum Tag : int {
    kTagResult = 11,   // any rank -> 0: [u64 position][encoded result]
    kTagRequest = 12,  // rank -> 0: [u64 threads] asks for a chunk
    kTagChunk = 13,    // 0 -> rank: [u64 begin][u64 end) positions; begin == end: no more work
    kTagStop = 14,     // 0 -> rank: the batch is being abandoned
    kTagStopped = 15,  // rank -> 0: stopped; every finished result has been sent before this
    kTagFinish = 16,   // 0 -> rank: every result is in; the batch is over
};

// How long each loop waits for local results before looking at the network again.
constexpr std::chrono::microseconds kPollInterval{2000};
// How long rank 0 waits for the other ranks to report after an interrupt.
constexpr double kStopGraceSeconds = 30.0;

void check(int code, const char* what) {
    if (code != MPI_SUCCESS) {
        throw std::runtime_error(std::string("MPI call failed: ") + what);
    }
}

std::vector<char> result_message(std::uint64_t position, const ReplicationResult& result) {
    std::vector<char> message(sizeof position);
    std::memcpy(message.data(), &position, sizeof position);
    const std::vector<char> body = encode_result(result);
    message.insert(message.end(), body.begin(), body.end());
    return message;
}

std::vector<char> receive_bytes(MPI_Comm comm, const MPI_Status& probed) {
    int size = 0;
    check(MPI_Get_count(&probed, MPI_BYTE, &size), "get count");
    std::vector<char> bytes(static_cast<std::size_t>(size));
    check(MPI_Recv(bytes.data(), size, MPI_BYTE, probed.MPI_SOURCE, probed.MPI_TAG, comm,
                   MPI_STATUS_IGNORE),
          "receive");
    return bytes;
}

void send_words(MPI_Comm comm, int to, Tag tag, std::vector<std::uint64_t> words) {
    check(MPI_Send(words.data(), static_cast<int>(words.size() * sizeof(std::uint64_t)), MPI_BYTE,
                   to, tag, comm),
          "send");
}

std::vector<std::uint64_t> as_words(const std::vector<char>& bytes) {
    std::vector<std::uint64_t> words(bytes.size() / sizeof(std::uint64_t));
    std::memcpy(words.data(), bytes.data(), words.size() * sizeof(std::uint64_t));
    return words;
}

// The contiguous block of positions rank `rank` of `ranks` computes under `blocks`.
std::pair<std::uint64_t, std::uint64_t> block_of(int rank, int ranks, std::uint64_t count) {
    const auto r = static_cast<std::uint64_t>(rank);
    const auto n = static_cast<std::uint64_t>(ranks);
    return {count * r / n, count * (r + 1) / n};
}

// Results sent without waiting; buffers live until MPI is done with them.
class PendingSends {
  public:
    void send(MPI_Comm comm, std::vector<char> bytes) {
        sends_.emplace_back(std::move(bytes), MPI_REQUEST_NULL);
        auto& [buffer, request] = sends_.back();
        check(MPI_Isend(buffer.data(), static_cast<int>(buffer.size()), MPI_BYTE, 0, kTagResult,
                        comm, &request),
              "isend");
    }
    void test() {
        for (auto it = sends_.begin(); it != sends_.end();) {
            int done = 0;
            check(MPI_Test(&it->second, &done, MPI_STATUS_IGNORE), "test");
            it = done ? sends_.erase(it) : std::next(it);
        }
    }
    void wait_all() {
        for (auto& [buffer, request] : sends_) {
            check(MPI_Wait(&request, MPI_STATUS_IGNORE), "wait");
        }
        sends_.clear();
    }
    [[nodiscard]] bool empty() const { return sends_.empty(); }

  private:
    std::list<std::pair<std::vector<char>, MPI_Request>> sends_;
};

// Rank 0: hands out work, computes, gathers and writes in order.
class Coordinator {
  public:
    Coordinator(MPI_Comm comm, int ranks, const Scenario& scenario, const BatchOptions& options,
                ResultSink& sink, const std::atomic<bool>* cancel)
        : comm_(comm),
          ranks_(ranks),
          scenario_(scenario),
          options_(options),
          work_(options.work_list()),
          sink_(sink),
          cancel_(cancel),
          threads_(resolve_thread_count(options.threads)),
          pool_(scenario, options.master_seed, threads_),
          progress_(options.progress, work_.size()) {}

    BatchReport run() {
        const auto start = Clock::now();
        if (options_.distribution == DistributionPolicy::blocks) {
            const auto [begin, end] = block_of(0, ranks_, work_.size());
            submit(begin, end);
            next_chunk_ = work_.size();  // nothing is handed out on request
        }
        while (written_ < work_.size()) {
            if ((cancel_ != nullptr && cancel_->load()) || stopped_ranks_ > 0) {
                abandon();
            }
            if (options_.distribution == DistributionPolicy::chunks &&
                pool_.outstanding() < 2 * static_cast<std::size_t>(threads_)) {
                const auto [begin, end] = next_chunk(static_cast<std::uint64_t>(threads_));
                submit(begin, end);
            }
            if (auto done = pool_.take(kPollInterval)) {
                gathered_.emplace(done->position, std::move(done->result));
            }
            serve_messages();
            write_in_order();
        }
        for (int r = 1; r < ranks_; ++r) {
            send_words(comm_, r, kTagFinish, {0});
        }
        progress_.finish(written_);
        BatchReport report;
        report.completed = written_;
        report.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
        report.events = events_;
        report.threads = threads_;
        report.ranks = ranks_;
        report.sink_seconds = sink_seconds_;
        return report;
    }

  private:
    void submit(std::uint64_t begin, std::uint64_t end) {
        for (std::uint64_t p = begin; p < end; ++p) {
            pool_.submit(p, work_[p]);
        }
    }

    std::pair<std::uint64_t, std::uint64_t> next_chunk(std::uint64_t size) {
        const std::uint64_t begin = std::min<std::uint64_t>(next_chunk_, work_.size());
        const std::uint64_t end = std::min<std::uint64_t>(begin + size, work_.size());
        next_chunk_ = end;
        return {begin, end};
    }

    // Results, chunk requests and stop reports from the other ranks, as many as are waiting.
    void serve_messages() {
        while (true) {
            int waiting = 0;
            MPI_Status status;
            check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &waiting, &status), "iprobe");
            if (!waiting) {
                return;
            }
            const std::vector<char> bytes = receive_bytes(comm_, status);
            if (status.MPI_TAG == kTagResult) {
                std::uint64_t position = 0;
                std::memcpy(&position, bytes.data(), sizeof position);
                gathered_.emplace(
                    position, decode_result(bytes.data() + sizeof position,
                                            bytes.size() - sizeof position, scenario_.schema()));
            } else if (status.MPI_TAG == kTagRequest) {
                const auto [begin, end] =
                    next_chunk(std::max<std::uint64_t>(1, as_words(bytes)[0]));
                send_words(comm_, status.MPI_SOURCE, kTagChunk, {begin, end});
            } else if (status.MPI_TAG == kTagStopped) {
                ++stopped_ranks_;
            }
        }
    }

    void write_in_order() {
        for (auto it = gathered_.find(written_); it != gathered_.end();
             it = gathered_.find(written_)) {
            events_ += it->second.events;
            const auto start = Clock::now();
            sink_.consume(work_[written_], std::move(it->second));
            sink_seconds_ += std::chrono::duration<double>(Clock::now() - start).count();
            gathered_.erase(it);
            ++written_;
        }
        progress_.update(written_);
    }

    // Stops every rank, collects what they finished, keeps it through the sink, and throws.
    [[noreturn]] void abandon() {
        for (int r = 1; r < ranks_; ++r) {
            send_words(comm_, r, kTagStop, {0});
        }
        pool_.stop();
        while (auto done = pool_.take(std::chrono::microseconds(0))) {
            gathered_.emplace(done->position, std::move(done->result));
        }
        const auto deadline = Clock::now() + std::chrono::duration<double>(kStopGraceSeconds);
        while (stopped_ranks_ < ranks_ - 1 && Clock::now() < deadline) {
            serve_messages();
        }
        write_in_order();
        for (auto& [position, result] : gathered_) {
            sink_.keep_unordered(work_[position], std::move(result));
        }
        throw BatchCancelled();
    }

    MPI_Comm comm_;
    int ranks_;
    const Scenario& scenario_;
    const BatchOptions& options_;
    WorkList work_;
    ResultSink& sink_;
    const std::atomic<bool>* cancel_;
    int threads_;
    WorkerPool pool_;
    ProgressReporter progress_;
    std::map<std::uint64_t, ReplicationResult> gathered_;  // finished, not yet written
    std::uint64_t next_chunk_ = 0;
    std::uint64_t written_ = 0;
    std::uint64_t events_ = 0;
    double sink_seconds_ = 0.0;
    int stopped_ranks_ = 0;
};

// Ranks 1..N-1: compute what rank 0 assigns and send each result as soon as it finishes.
class Follower {
  public:
    Follower(MPI_Comm comm, int rank, int ranks, const Scenario& scenario,
             const BatchOptions& options, const std::atomic<bool>* cancel)
        : comm_(comm),
          options_(options),
          work_(options.work_list()),
          cancel_(cancel),
          threads_(resolve_thread_count(options.threads)),
          pool_(scenario, options.master_seed, threads_) {
        if (options.distribution == DistributionPolicy::blocks) {
            const auto [begin, end] = block_of(rank, ranks, work_.size());
            for (std::uint64_t p = begin; p < end; ++p) {
                pool_.submit(p, work_[p]);
            }
            no_more_work_ = true;
        }
    }

    BatchReport run() {
        const auto start = Clock::now();
        while (!finished_) {
            if (cancel_ != nullptr && cancel_->load() && !stopping_) {
                stop();
            }
            if (!no_more_work_ && !asked_ &&
                pool_.outstanding() < 2 * static_cast<std::size_t>(threads_)) {
                send_words(comm_, 0, kTagRequest, {static_cast<std::uint64_t>(threads_)});
                asked_ = true;
            }
            if (stopping_) {
                std::this_thread::sleep_for(kPollInterval);  // waiting for rank 0's answer
            } else if (auto done = pool_.take(kPollInterval)) {
                sends_.send(comm_, result_message(done->position, done->result));
                events_ += done->result.events;
                ++completed_;
            }
            sends_.test();
            serve_messages();
        }
        sends_.wait_all();
        if (stopping_) {
            throw BatchCancelled();
        }
        BatchReport report;
        report.completed = completed_;
        report.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
        report.events = events_;
        report.threads = threads_;
        return report;
    }

  private:
    void serve_messages() {
        while (true) {
            int waiting = 0;
            MPI_Status status;
            check(MPI_Iprobe(0, MPI_ANY_TAG, comm_, &waiting, &status), "iprobe");
            if (!waiting) {
                return;
            }
            const std::vector<std::uint64_t> words = as_words(receive_bytes(comm_, status));
            if (status.MPI_TAG == kTagChunk) {
                asked_ = false;
                for (std::uint64_t p = words.at(0); p < words.at(1); ++p) {
                    pool_.submit(p, work_[p]);
                }
                no_more_work_ = words.at(0) == words.at(1);
            } else if (status.MPI_TAG == kTagStop) {
                if (!stopping_) {
                    stop();
                }
                finished_ = true;
            } else if (status.MPI_TAG == kTagFinish) {
                finished_ = true;
            }
        }
    }

    // Sends every finished result, then reports the stop; rank 0 answers with kTagStop.
    void stop() {
        stopping_ = true;
        no_more_work_ = true;
        pool_.stop();
        while (auto done = pool_.take(std::chrono::microseconds(0))) {
            sends_.send(comm_, result_message(done->position, done->result));
        }
        send_words(comm_, 0, kTagStopped, {0});
    }

    MPI_Comm comm_;
    const BatchOptions& options_;
    WorkList work_;
    const std::atomic<bool>* cancel_;
    int threads_;
    WorkerPool pool_;
    PendingSends sends_;
    std::uint64_t completed_ = 0;
    std::uint64_t events_ = 0;
    bool no_more_work_ = false;
    bool asked_ = false;
    bool stopping_ = false;
    bool finished_ = false;
};

}  // namespace

MpiDistributor::MpiDistributor(MPI_Comm comm) : comm_(comm) {
    check(MPI_Comm_rank(comm_, &rank_), "comm rank");
    check(MPI_Comm_size(comm_, &ranks_), "comm size");
}

BatchReport MpiDistributor::run(const Scenario& scenario, const BatchOptions& options,
                                ResultSink* sink, const std::atomic<bool>* cancel) {
    if (rank_ == 0) {
        Coordinator coordinator(comm_, ranks_, scenario, options, *sink, cancel);
        return coordinator.run();
    }
    Follower follower(comm_, rank_, ranks_, scenario, options, cancel);
    return follower.run();
}

void MpiDistributor::share(std::vector<std::uint64_t>& values) {
    std::uint64_t size = values.size();
    check(MPI_Bcast(&size, 1, MPI_UINT64_T, 0, comm_), "broadcast size");
    values.resize(size);
    check(MPI_Bcast(values.data(), static_cast<int>(size), MPI_UINT64_T, 0, comm_),
          "broadcast values");
}

void MpiDistributor::abort_all(int exit_code) {
    if (ranks_ > 1) {
        MPI_Abort(comm_, exit_code);
    }
}

MpiSession::MpiSession(int* argc, char*** argv) {
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
}

MpiSession::~MpiSession() {
    MPI_Finalize();
}

bool launched_by_mpi() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
        if (std::getenv(name) != nullptr) {
            return true;
        }
    }
    return false;
}

}  // namespace icsflow::sim
