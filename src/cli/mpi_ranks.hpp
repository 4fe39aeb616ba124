// The ranks of `mpirun -np R regpath fit ...`. With MPI (regpath built where CMake found one) and
// an MPI launcher's environment, MPI is initialized for the process's lifetime and mpi_world()
// is MPI_COMM_WORLD's regpath::Communicator; otherwise regpath runs as one process, as always
// (MPI is never initialized when no launcher started it).
#pragma once

#include "regpath/distributed.hpp"

namespace regpath::cli {

// Initializes MPI when an MPI launcher started this process (and regpath has MPI); finalizes it
// when destroyed. One, in main().
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

// MPI_COMM_WORLD when this process is one of several MPI ranks; null otherwise. A UsageError
// when a launcher started several ranks of a regpath built without MPI (they would each run the
// whole command and write the same files).
const Communicator* mpi_world();

// This process's rank (0 without MPI): only rank 0 prints errors and summaries.
int mpi_rank();

}  // namespace regpath::cli
