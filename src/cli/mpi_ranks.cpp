#include "cli/mpi_ranks.hpp"

#include <cstdlib>
#include <memory>
#include <string>

#include "cli/cli_args.hpp"

#if REGPATH_HAS_MPI
#include "regpath/mpi.hpp"
#endif

namespace regpath::cli {
namespace {

// The number of ranks an MPI launcher says it started (Open MPI, MPICH/Hydra, PMIx, Slurm's
// srun), or 0 when none did.
int launched_ranks() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"})
    if (const char* v = std::getenv(name)) return std::atoi(v);
  return std::getenv("PMIX_RANK") != nullptr ? 1 : 0;
}

#if REGPATH_HAS_MPI
bool g_initialized = false;
std::unique_ptr<MpiCommunicator> g_world;
#endif

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
#if REGPATH_HAS_MPI
  if (launched_ranks() < 1) return;
  MPI_Init(argc, argv);
  g_initialized = true;
  g_world = std::make_unique<MpiCommunicator>(MPI_COMM_WORLD);
#else
  (void)argc;
  (void)argv;
#endif
}

MpiSession::~MpiSession() {
#if REGPATH_HAS_MPI
  if (!g_initialized) return;
  g_world.reset();
  MPI_Finalize();
#endif
}

const Communicator* mpi_world() {
#if REGPATH_HAS_MPI
  if (g_world && g_world->size() > 1) return g_world.get();
  return nullptr;
#else
  if (launched_ranks() > 1)
    throw UsageError("this regpath was built without MPI, but an MPI launcher started " +
                     std::to_string(launched_ranks()) + " ranks of it; rebuild it where CMake "
                     "finds MPI (Debian: libopenmpi-dev), or run it as one process");
  return nullptr;
#endif
}

int mpi_rank() {
#if REGPATH_HAS_MPI
  return g_world ? g_world->rank() : 0;
#else
  return 0;
#endif
}

}  // namespace regpath::cli
