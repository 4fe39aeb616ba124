/* regpath with MPI: the rows of X held by the ranks of an MPI communicator.
 *
 * Header-only, compiled with the caller's own MPI (Open MPI, MPICH or any other): libregpath
 * itself has no MPI dependency, it calls the collectives below through regpath_communicator
 * (regpath.h). Include this after (or instead of) regpath.h in code built with mpicc / mpicxx:
 *
 *     #include <regpath/regpath_mpi.h>
 *     ...
 *     regpath_path* path = NULL;
 *     if (regpath_fit_mpi_d(MPI_COMM_WORLD, &opt, local_n, p, local_X, local_n, local_y,
 *                           &path) != REGPATH_OK)
 *       fprintf(stderr, "rank %d: %s\n", rank, regpath_last_error());
 *
 * The sum is an MPI_Reduce to rank 0 followed by an MPI_Bcast, not an MPI_Allreduce: MPI does
 * not promise that an allreduce rounds the same way on every rank, and every rank of a fit must
 * see the same bits to take the same decisions. Counts above INT_MAX go in several calls. */
#ifndef REGPATH_MPI_H
#define REGPATH_MPI_H

#include <limits.h>
#include <stddef.h> /* NULL: not every MPI's mpi.h includes it (MPICH's does not) */
#include <stdint.h>

#include <mpi.h>

#include "regpath/regpath.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest count of one MPI call (MPI counts are int). */
#define REGPATH_MPI_CHUNK ((int64_t)(INT_MAX / 8))

static inline int regpath_mpi_sum_(void* context, double* values, int64_t count) {
  MPI_Comm comm = *(MPI_Comm*)context;
  int rank = 0, status = MPI_Comm_rank(comm, &rank);
  for (int64_t at = 0; status == MPI_SUCCESS && at < count; at += REGPATH_MPI_CHUNK) {
    const int part = (int)(count - at < REGPATH_MPI_CHUNK ? count - at : REGPATH_MPI_CHUNK);
    status = rank == 0 ? MPI_Reduce(MPI_IN_PLACE, values + at, part, MPI_DOUBLE, MPI_SUM, 0, comm)
                       : MPI_Reduce(values + at, NULL, part, MPI_DOUBLE, MPI_SUM, 0, comm);
    if (status == MPI_SUCCESS) status = MPI_Bcast(values + at, part, MPI_DOUBLE, 0, comm);
  }
  return status == MPI_SUCCESS ? 0 : status;
}

static inline int regpath_mpi_max_(void* context, double* values, int64_t count) {
  MPI_Comm comm = *(MPI_Comm*)context;
  int status = MPI_SUCCESS;
  for (int64_t at = 0; status == MPI_SUCCESS && at < count; at += REGPATH_MPI_CHUNK) {
    const int part = (int)(count - at < REGPATH_MPI_CHUNK ? count - at : REGPATH_MPI_CHUNK);
    status = MPI_Allreduce(MPI_IN_PLACE, values + at, part, MPI_DOUBLE, MPI_MAX, comm);
  }
  return status == MPI_SUCCESS ? 0 : status;
}

static inline int regpath_mpi_broadcast_(void* context, void* bytes, int64_t count, int root) {
  MPI_Comm comm = *(MPI_Comm*)context;
  int status = MPI_SUCCESS;
  for (int64_t at = 0; status == MPI_SUCCESS && at < count; at += REGPATH_MPI_CHUNK) {
    const int part = (int)(count - at < REGPATH_MPI_CHUNK ? count - at : REGPATH_MPI_CHUNK);
    status = MPI_Bcast((char*)bytes + at, part, MPI_BYTE, root, comm);
  }
  return status == MPI_SUCCESS ? 0 : status;
}

/* The collectives of *comm (which must outlive the returned value's use). */
static inline regpath_communicator regpath_mpi_communicator(MPI_Comm* comm) {
  regpath_communicator c;
  c.context = comm;
  c.rank = 0;
  c.size = 1;
  MPI_Comm_rank(*comm, &c.rank);
  MPI_Comm_size(*comm, &c.size);
  c.sum = regpath_mpi_sum_;
  c.max = regpath_mpi_max_;
  c.broadcast = regpath_mpi_broadcast_;
  return c;
}

/* regpath_fit_distributed_d / _s (regpath.h) over the ranks of comm. Collective. */
static inline int regpath_fit_mpi_d(MPI_Comm comm, const regpath_options* options,
                                    int64_t local_n, int64_t p, const double* local_X,
                                    int64_t ldx, const double* local_y, regpath_path** out) {
  const regpath_communicator c = regpath_mpi_communicator(&comm);
  return regpath_fit_distributed_d(&c, options, local_n, p, local_X, ldx, local_y, out);
}
static inline int regpath_fit_mpi_s(MPI_Comm comm, const regpath_options* options,
                                    int64_t local_n, int64_t p, const float* local_X,
                                    int64_t ldx, const float* local_y, regpath_path** out) {
  const regpath_communicator c = regpath_mpi_communicator(&comm);
  return regpath_fit_distributed_s(&c, options, local_n, p, local_X, ldx, local_y, out);
}

/* Fortran cannot call the static inline functions above. A C file of the Fortran program that
 * defines REGPATH_MPI_DEFINE_FORTRAN_BRIDGE before including this header (compiled with mpicc)
 * defines regpath_fit_mpi_fortran_d, which takes the communicator as Fortran's integer handle
 * (MPI_COMM_WORLD of `use mpi`, or comm%MPI_VAL of `use mpi_f08`):
 *
 *   integer(c_int) function regpath_fit_mpi_fortran_d(comm, options, local_n, p, X, ldx, y, &
 *       out) bind(c, name="regpath_fit_mpi_fortran_d")   ! comm: integer, value
 *
 * (examples/mpi/fortran_bridge.c, fit_rows.f90). */
#ifdef REGPATH_MPI_DEFINE_FORTRAN_BRIDGE
int regpath_fit_mpi_fortran_d(MPI_Fint comm, const regpath_options* options, int64_t local_n,
                              int64_t p, const double* local_X, int64_t ldx,
                              const double* local_y, regpath_path** out);
int regpath_fit_mpi_fortran_d(MPI_Fint comm, const regpath_options* options, int64_t local_n,
                              int64_t p, const double* local_X, int64_t ldx,
                              const double* local_y, regpath_path** out) {
  return regpath_fit_mpi_d(MPI_Comm_f2c(comm), options, local_n, p, local_X, ldx, local_y, out);
}
#endif

#ifdef __cplusplus
}
#endif

#endif /* REGPATH_MPI_H */
