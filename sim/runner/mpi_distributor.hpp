#pragma once

#include <mpi.h>

#include "sim/runner/batch_distributor.hpp"

namespace icsflow::sim {

// A batch on the ranks of an MPI communicator (`mpirun -n N icsflow run ...`).
//
// Every rank runs replications on its own oneTBB threads; its main thread does all the MPI
// calls (MPI_THREAD_FUNNELED is enough). Rank 0 hands out work (`chunks`: a few replications to
// whichever rank asks; `blocks`: one contiguous block per rank, fixed in advance), computes like
// the others, gathers the results and passes them to the sink in replication order. Results
// depend only on (seed, replication), so the file equals a single-process run's.
//
// An interrupt on any rank ends the batch on all of them: each sends what it has finished to rank
// 0 before it stops, and rank 0 hands everything not yet written to its sink's keep_unordered.
class MpiDistributor : public BatchDistributor {
  public:
    explicit MpiDistributor(MPI_Comm comm);

    [[nodiscard]] int rank() const override { return rank_; }
    [[nodiscard]] int ranks() const override { return ranks_; }
    BatchReport run(const Scenario& scenario, const BatchOptions& options, ResultSink* sink,
                    const std::atomic<bool>* cancel) override;
    void share(std::vector<std::uint64_t>& values) override;
    void abort_all(int exit_code) override;

  private:
    MPI_Comm comm_;
    int rank_ = 0;
    int ranks_ = 1;
};

// MPI_Init_thread on construction, MPI_Finalize on destruction.
class MpiSession {
  public:
    MpiSession(int* argc, char*** argv);
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
};

// True when this process was started by an MPI launcher (mpirun, mpiexec, srun with PMI/PMIx).
[[nodiscard]] bool launched_by_mpi();

}  // namespace icsflow::sim
