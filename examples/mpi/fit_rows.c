/* The C example's lasso path (../c/fit_path.c) with its rows split between MPI ranks: each rank
 * generates and holds only its block of the n = 100 rows, and every rank gets the whole path;
 * rank 0 prints it. Build it against an installed regpath (PREFIX) and run it:
 *
 *   cmake -S . -B build -DCMAKE_PREFIX_PATH=PREFIX && cmake --build build
 *   mpiexec -n 3 build/fit_rows
 *   mpicc fit_rows.c $(pkg-config --cflags --libs regpath) -lm -Wl,-rpath,PREFIX/lib
 *
 * regpath_mpi.h is header-only and uses this program's MPI; libregpath links none. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <regpath/regpath_mpi.h>

enum { N = 100, P = 5 };

int main(int argc, char** argv) {
  int rank = 0, ranks = 1, rc = 1;
  int64_t begin, rows, i, j, k, nl, converged = 0;
  double *X, *y, *intercepts = NULL, *coefs = NULL;
  int* status = NULL;
  regpath_options options;
  regpath_path* path = NULL;

  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  /* this rank's rows: [begin, begin + rows) of the N, as evenly as they go */
  begin = (int64_t)N * rank / ranks;
  rows = (int64_t)N * (rank + 1) / ranks - begin;
  X = malloc(sizeof(double) * (size_t)(rows * P)); /* column-major, leading dimension rows */
  y = malloc(sizeof(double) * (size_t)rows);
  if (X == NULL || y == NULL) MPI_Abort(MPI_COMM_WORLD, 1);
  for (j = 0; j < P; ++j)
    for (i = 0; i < rows; ++i)
      X[i + j * rows] = sin(0.37 * (double)((begin + i + 1) * (j + 1)) + (double)j);
  for (i = 0; i < rows; ++i)
    y[i] = 1.0 + 3.0 * X[i] - 2.0 * X[i + rows] + 0.1 * cos(1.3 * (double)(begin + i));

  regpath_options_init(&options);
  options.device = REGPATH_DEVICE_CPU;
  options.tol = 1e-10;
  /* collective: every rank calls it, with its own rows and the same options */
  if (regpath_fit_mpi_d(MPI_COMM_WORLD, &options, rows, P, X, rows, y, &path) != REGPATH_OK) {
    fprintf(stderr, "fit_rows: rank %d: %s\n", rank, regpath_last_error());
    goto done;
  }
  nl = regpath_path_nlambda(path);
  intercepts = malloc(sizeof(double) * (size_t)nl);
  coefs = malloc(sizeof(double) * (size_t)(P * nl));
  status = malloc(sizeof(int) * (size_t)nl);
  if (intercepts == NULL || coefs == NULL || status == NULL ||
      regpath_path_intercepts(path, intercepts) != REGPATH_OK ||
      regpath_path_coefs(path, coefs) != REGPATH_OK ||
      regpath_path_status(path, status) != REGPATH_OK)
    goto done;
  for (k = 0; k < nl; ++k) converged += status[k] == REGPATH_STATUS_CONVERGED;
  if (rank == 0) {
    printf("regpath %s: lasso path of %lld lambdas, rows on %d ranks\n", regpath_version(),
           (long long)nl, ranks);
    printf("converged: %lld of %lld\n", (long long)converged, (long long)nl);
    printf("last:");
    printf(" %.6f", intercepts[nl - 1]);
    for (j = 0; j < P; ++j) printf(" %.6f", coefs[j + (nl - 1) * P]);
    printf("\n");
  }
  rc = 0;

done:
  regpath_path_free(path);
  free(status);
  free(coefs);
  free(intercepts);
  free(y);
  free(X);
  MPI_Finalize();
  return rc;
}
