/* Fits the lasso path of a small generated data set with regpath's C API and prints a few
 * points of it. Build it against an installed regpath (PREFIX):
 *
 *   cmake -S . -B build -DCMAKE_PREFIX_PATH=PREFIX && cmake --build build && build/fit_path
 *   export PKG_CONFIG_PATH=PREFIX/lib/pkgconfig
 *   cc fit_path.c $(pkg-config --cflags --libs regpath) -lm -Wl,-rpath,PREFIX/lib -o fit_path
 *
 * The data: n = 100 observations of p = 5 features, y = 1 + 3·x1 − 2·x2 + a little noise, so
 * the path ends near intercept 1 and coefficients (3, −2, 0, 0, 0). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <regpath/regpath.h>

enum { N = 100, P = 5 };

static int fail(const char* what) {
  fprintf(stderr, "fit_path: %s failed: %s\n", what, regpath_last_error());
  return 1;
}

int main(void) {
  double* X = malloc(sizeof(double) * N * P); /* column-major, leading dimension N */
  double* y = malloc(sizeof(double) * N);
  regpath_options options;
  regpath_path* path = NULL;
  double* lambdas = NULL;
  double* intercepts = NULL;
  double* coefs = NULL;
  int* status = NULL;
  double lambda_max = 0;
  int64_t nl, p, i, j, k, converged = 0;
  int rc = 1;

  if (X == NULL || y == NULL) return 1;
  for (j = 0; j < P; ++j)
    for (i = 0; i < N; ++i) X[i + j * N] = sin(0.37 * (double)((i + 1) * (j + 1)) + (double)j);
  for (i = 0; i < N; ++i) y[i] = 1.0 + 3.0 * X[i] - 2.0 * X[i + N] + 0.1 * cos(1.3 * (double)i);

  regpath_options_init(&options); /* the command-line tool's defaults: lasso, 100 lambdas */
  options.device = REGPATH_DEVICE_CPU;
  options.tol = 1e-10;
  if (regpath_fit_d(&options, N, P, X, N, y, &path) != REGPATH_OK) {
    rc = fail("regpath_fit_d");
    goto done;
  }

  nl = regpath_path_nlambda(path);
  p = regpath_path_nfeatures(path);
  lambdas = malloc(sizeof(double) * (size_t)nl);
  intercepts = malloc(sizeof(double) * (size_t)nl);
  coefs = malloc(sizeof(double) * (size_t)(p * nl)); /* p × nλ, column-major */
  status = malloc(sizeof(int) * (size_t)nl);
  if (lambdas == NULL || intercepts == NULL || coefs == NULL || status == NULL) goto done;
  if (regpath_path_lambdas(path, lambdas) != REGPATH_OK) { rc = fail("regpath_path_lambdas"); goto done; }
  if (regpath_path_intercepts(path, intercepts) != REGPATH_OK) { rc = fail("regpath_path_intercepts"); goto done; }
  if (regpath_path_coefs(path, coefs) != REGPATH_OK) { rc = fail("regpath_path_coefs"); goto done; }
  if (regpath_path_status(path, status) != REGPATH_OK) { rc = fail("regpath_path_status"); goto done; }
  if (regpath_path_lambda_max(path, &lambda_max) != REGPATH_OK) { rc = fail("regpath_path_lambda_max"); goto done; }

  printf("regpath %s: lasso path of %lld lambdas, lambda_max %.6f\n", regpath_version(),
         (long long)nl, lambda_max);
  printf("%4s %12s %12s", "k", "lambda", "intercept");
  for (j = 0; j < p; ++j) printf("   beta[%lld]", (long long)(j + 1));
  printf("  status\n");
  for (k = 0; k < nl; ++k) {
    converged += status[k] == REGPATH_STATUS_CONVERGED;
    if (k % 25 != 0 && k != nl - 1) continue;
    printf("%4lld %12.6f %12.6f", (long long)k, lambdas[k], intercepts[k]);
    for (j = 0; j < p; ++j) printf(" %10.6f", coefs[j + k * p]);
    printf("  %s\n", regpath_path_status_string(status[k]));
  }
  printf("converged: %lld of %lld\n", (long long)converged, (long long)nl);
  printf("last:");
  printf(" %.6f", intercepts[nl - 1]);
  for (j = 0; j < p; ++j) printf(" %.6f", coefs[j + (nl - 1) * p]);
  printf("\n");
  rc = 0;

done:
  regpath_path_free(path); /* NULL-safe */
  free(status);
  free(coefs);
  free(intercepts);
  free(lambdas);
  free(y);
  free(X);
  return rc;
}
