/*
 * regpath: regularized linear-model solution paths (lasso, ridge, elastic net) for many λ at
 * once — the stable C API (C99; usable from C++ and, through iso_c_binding, from Fortran).
 *
 * For each λ (and mixing α ∈ [0, 1]) the gaussian family solves glmnet's objective
 *
 *     (1/2n)·‖y − β0 − Xβ‖² + λ·[ α‖β̃‖₁ + (1−α)/2·‖β̃‖² ]
 *
 * with β̃ the coefficients of the standardized features; results are on the original scale.
 * The conventions are those of the C++ API (regpath.hpp) and of the command-line tool.
 *
 * Usage:
 *
 *     regpath_options opt;
 *     regpath_options_init(&opt);          // the command-line tool's defaults
 *     opt.alpha = 0.5;
 *     regpath_path* path = NULL;
 *     if (regpath_fit_d(&opt, n, p, X, n, y, &path) != REGPATH_OK) {
 *       fprintf(stderr, "%s\n", regpath_last_error());
 *       return 1;
 *     }
 *     int64_t nl = regpath_path_nlambda(path);
 *     double* coefs = malloc(sizeof(double) * p * nl);
 *     regpath_path_coefs(path, coefs);     // p × nλ, column-major
 *     ...
 *     regpath_path_free(path);
 *
 * Shapes. X is n × p, column-major, with leading dimension ldx ≥ n: element (i, j) is
 * X[i + j·ldx] (0-based). y has n values. A path has nλ columns in descending λ order; its
 * coefficients are p × nλ column-major (coefficient j of λ k at coefs[j + k·p]).
 *
 * Ownership. regpath never keeps a pointer to caller memory: X, y and options->lambdas are read
 * during the call only. A successful fit allocates one regpath_path, which the caller owns and
 * releases with regpath_path_free (exactly once). The accessors copy into caller-provided
 * arrays of the documented length and keep no pointer to them. Strings returned by
 * regpath_last_error, regpath_status_string, regpath_path_status_string and regpath_version
 * belong to regpath and must not be freed.
 *
 * Errors. Every function that can fail returns REGPATH_OK (0) or an error code, and then
 * regpath_last_error() describes the failure, naming the argument and its value. No C++
 * exception, abort or exit ever crosses this API. A λ that does not converge is NOT an error:
 * it is reported per λ by regpath_path_status.
 *
 * Thread safety. Fit calls are independent: any number of threads may fit at the same time
 * (each on its own data and options, or sharing read-only inputs). A regpath_path may be read
 * from several threads at once; freeing it must not race with reading it. The error message
 * is thread-local: regpath_last_error() reports the last failing call made on the calling
 * thread. (The BLAS library used by the CPU backend may run its own threads inside a call.)
 */
#ifndef REGPATH_REGPATH_H
#define REGPATH_REGPATH_H

#include <stdint.h>

/* Symbols of the shared library that make up its API (everything else is hidden). */
#ifndef REGPATH_EXPORT
#if defined(__GNUC__) || defined(__clang__)
#define REGPATH_EXPORT __attribute__((visibility("default")))
#else
#define REGPATH_EXPORT
#endif
#endif

/* Version of this C API's contract; raised when functions or option fields are added. */
#define REGPATH_C_API_VERSION 7 /* 2: models and prediction; penalty_factors, exclude,
                                   lower_limits, upper_limits (in the place of reserved[0..6]);
                                   REGPATH_POISSON; many responses (regpath_fit_many_d,
                                   regpath_paths). 3: weights (in the place of
                                   reserved[0]); sparse X (regpath_fit_csc_d/_s). 4: rows
                                   held by several processes (regpath_communicator,
                                   regpath_fit_distributed_d/_s; MPI: regpath_mpi.h). 5: offsets
                                   (regpath_fit_offset_d/_s, regpath_predict_offset_d/_s:
                                   functions, the options struct keeping its size). 6: family
                                   REGPATH_MULTINOMIAL (regpath_fit_multinomial_d/_s,
                                   regpath_path_nclasses); cross-validation (regpath_cv_d/_s,
                                   regpath_cv_csc_d/_s, regpath_model_from_cv). 7: models
                                   of family multinomial (regpath_model_nclasses,
                                   regpath_model_class_labels,
                                   regpath_model_coefficients_multinomial,
                                   regpath_predict_multinomial_d/_s) */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- codes ----------------------------------------------------------------------------------- */

/* Return codes of the functions below. */
#define REGPATH_OK 0
#define REGPATH_ERROR_INVALID_ARGUMENT 1 /* a NULL pointer, a bad size or option value, bad data */
#define REGPATH_ERROR_DEVICE 2           /* CUDA requested or needed but not usable, or it failed */
#define REGPATH_ERROR_OUT_OF_MEMORY 3    /* an allocation failed */
#define REGPATH_ERROR_INTERNAL 4         /* anything else: a bug or a limit of the library */
#define REGPATH_ERROR_IO 5               /* a file could not be read or written (model files) */

/* options.family */
#define REGPATH_GAUSSIAN 0
#define REGPATH_BINOMIAL 1 /* logistic regression; y coded 0/1 (host input only, for now) */
#define REGPATH_POISSON 2  /* poisson regression, log link; y counts ≥ 0 (host input only; since
                              C API version 2) */
/* glmnet's symmetric multinomial (since C API version 6): y holds class labels 0 … C−1, each
 * class with at least 2 rows; host input, the CPU, float64 arithmetic. regpath_fit_d/_s and
 * regpath_fit_csc_d/_s fit it ungrouped; regpath_fit_multinomial_d/_s take type.multinomial and
 * the n × C offset. The path holds C linear predictors per λ (regpath_path_nclasses): see
 * regpath_path_intercepts / regpath_path_coefs. Not yet for models and prediction, many
 * responses, rows on several ranks or X in device memory (each an error naming it). */
#define REGPATH_MULTINOMIAL 3

/* regpath_fit_multinomial_d/_s's type_multinomial: glmnet's type.multinomial. */
#define REGPATH_MULTINOMIAL_UNGROUPED 0 /* a lasso per coefficient (glmnet's default) */
#define REGPATH_MULTINOMIAL_GROUPED 1   /* a group lasso over each feature's C coefficients */

/* options.device */
#define REGPATH_DEVICE_AUTO 0 /* CUDA when usable, else the CPU */
#define REGPATH_DEVICE_CPU 1
#define REGPATH_DEVICE_CUDA 2 /* an error (REGPATH_ERROR_DEVICE) when no CUDA device is usable */

/* options.precision: the arithmetic of the solver (the input may be float or double either way) */
#define REGPATH_FLOAT64 0
#define REGPATH_FLOAT32 1

/* Per-λ outcome (regpath_path_status); same meaning as regpath::Status in regpath.hpp.
 *   CONVERGED: the duality gap ≤ tol · P(β), P the penalized objective
 *   MAX_ITER:  stopped after max_iter iterations
 *   STALLED:   the gap stopped shrinking above tol (the limit of the arithmetic, mostly float32) */
#define REGPATH_STATUS_CONVERGED 0
#define REGPATH_STATUS_MAX_ITER 1
#define REGPATH_STATUS_STALLED 2

/* ---- options --------------------------------------------------------------------------------- */

/* Always start from regpath_options_init: fields added by later versions take the place of
 * `reserved`, where zero means "the default", so code written against this version keeps its
 * meaning. For every field below, 0 means "automatic" where the comment says so. */
typedef struct regpath_options {
  int family;      /* REGPATH_GAUSSIAN (default) */
  int device;      /* REGPATH_DEVICE_AUTO (default), _CPU or _CUDA */
  int precision;   /* REGPATH_FLOAT64 (default) or REGPATH_FLOAT32 */
  int nlambda;     /* length of the automatic path, 1 … 100000 (default 100); unused (but still
                      checked) with explicit lambdas */
  int standardize; /* nonzero (default): divide each column by its 1/n standard deviation */
  int intercept;   /* nonzero (default): fit an intercept (the columns and y are centred) */
  int max_iter;    /* proximal-gradient iterations per λ, ≥ 1 (default 100000); a λ still above
                      tol then gets a host fallback (coordinate descent, proximal Newton) where
                      the problem is small enough, else it is reported as MAX_ITER */
  int block_size;  /* λ values solved together as one block; 0: automatic (default) */
  int check_every; /* iterations between convergence checks; 0: automatic (default, 10) */
  /* gaussian: nonzero applies glmnet's response scaling (y divided by its 1/n sd — its root mean
   * square without an intercept — which divides the ridge part of the penalty by that scale:
   * glmnet's numbers for any y); 0 (default): the objective as documented, scikit-learn's,
   * equal to glmnet's when y has 1/n sd 1. Must be 0 or 1. */
  int glmnet_y_scaling;
  double alpha;    /* elastic-net mixing in [0, 1]: 1 the lasso (default), 0 ridge */
  /* Smallest λ of the automatic path as a fraction of λ_max, in (0, 1); 0: automatic
   * (glmnet's default: 1e-4 when n ≥ p, else 1e-2). Unused (but still checked) with
   * explicit lambdas. */
  double lambda_min_ratio;
  /* A λ stops when its duality gap ≤ tol · P(β); > 0, or 0: automatic (default: 1e-7 with
   * float64, 1e-4 with float32). */
  double tol;
  /* Explicit λ values (each > 0 and finite, any order; solved and reported in descending
   * order): n_lambdas values at `lambdas`, read during the fit call only. n_lambdas = 0
   * (default): the automatic path of nlambda values (lambdas is then ignored). */
  const double* lambdas;
  int64_t n_lambdas;
  /* glmnet's penalty.factor (since C API version 2): n_penalty_factors = 0 (default, all 1) or
   * p values at penalty_factors, one per feature, multiplying that coefficient's penalty; only
   * their ratios matter (rescaled to sum to p, as glmnet). Each >= 0 and finite, or +inf to
   * exclude the feature; 0 leaves the feature unpenalized (binomial and poisson: on the CPU
   * only, for now).
   * Read during the fit call only. */
  const double* penalty_factors;
  int64_t n_penalty_factors;
  /* glmnet's exclude (since version 2): n_exclude 0-based feature indices at `exclude` whose
   * coefficients are fixed at 0. Read during the fit call only. */
  const int64_t* exclude;
  int64_t n_exclude;
  /* glmnet's lower.limits / upper.limits (since version 2): box constraints on the reported
   * coefficients, lower ≤ 0 ≤ upper (-inf / +inf allowed). n_limits = 0 (default): none; 1: the
   * value at lower_limits[0] / upper_limits[0] for every feature; p: one per feature. A NULL
   * pointer (with n_limits > 0) means no limit on that side. Read during the fit call only. */
  const double* lower_limits;
  const double* upper_limits;
  int64_t n_limits;
  /* glmnet's observation weights (since version 3, in the place of reserved[0]): NULL (default,
   * all 1) or one weight per row of X — n values, read during the fit call only, each ≥ 0 and
   * finite, not all 0; only their ratios matter (glmnet normalizes them to sum to n). They weight
   * the datafit, the standardization's means and standard deviations, λ_max and the deviance
   * as glmnet's. Families: those regpath::Options::weights takes (regpath.hpp); X in device
   * memory (regpath_fit_device_d/_s) refuses them for now. This was the struct's last reserved
   * field: a later version that adds fields grows the struct (and says so). */
  const double* weights;
} regpath_options;

/* Sets every field to its default: the command-line tool's defaults (gaussian, alpha 1,
 * nlambda 100, automatic lambda_min_ratio, no explicit lambdas, standardize, intercept,
 * automatic tol, max_iter 100000, device auto, float64, automatic block size). A NULL argument
 * is ignored. */
REGPATH_EXPORT void regpath_options_init(regpath_options* options);

/* Checks the options alone (what a fit checks before it looks at the data). REGPATH_OK or
 * REGPATH_ERROR_INVALID_ARGUMENT. */
REGPATH_EXPORT int regpath_options_validate(const regpath_options* options);

/* ---- fitting --------------------------------------------------------------------------------- */

/* The result of a fit: opaque, owned by the caller, released with regpath_path_free. */
typedef struct regpath_path regpath_path;

/* Fits the path of X (n × p, column-major, leading dimension ldx ≥ n, in host memory) against
 * y (n values). n ≥ 2, p ≥ 1; every value must be finite. On success *out receives a new path
 * and REGPATH_OK is returned; on failure *out is set to NULL (when out is not NULL) and the
 * error code is returned. regpath_fit_d takes double data, regpath_fit_s float data; the
 * arithmetic is options->precision either way. */
REGPATH_EXPORT int regpath_fit_d(const regpath_options* options, int64_t n, int64_t p,
                                 const double* X, int64_t ldx, const double* y,
                                 regpath_path** out);
REGPATH_EXPORT int regpath_fit_s(const regpath_options* options, int64_t n, int64_t p,
                                 const float* X, int64_t ldx, const float* y,
                                 regpath_path** out);

/* As regpath_fit_d / _s with glmnet's offset (since C API version 5): n finite values at
 * `offset` (read during the call only), added to each row's linear predictor (every family;
 * gaussian: the fit of y − offset); NULL: none, as regpath_fit_d. A model made from this path
 * (regpath_model_from_path) predicts only with the new rows' offsets
 * (regpath_predict_offset_d/_s), as glmnet's predict needs newoffset. (A function rather than
 * an options field: regpath_options has no reserved field left, and growing it would break
 * programs built against an earlier version.) */
REGPATH_EXPORT int regpath_fit_offset_d(const regpath_options* options, int64_t n, int64_t p,
                                        const double* X, int64_t ldx, const double* y,
                                        const double* offset, regpath_path** out);
REGPATH_EXPORT int regpath_fit_offset_s(const regpath_options* options, int64_t n, int64_t p,
                                        const float* X, int64_t ldx, const float* y,
                                        const double* offset, regpath_path** out);

/* Family multinomial (since C API version 6): as regpath_fit_d / _s with options->family
 * REGPATH_MULTINOMIAL (anything else: REGPATH_ERROR_INVALID_ARGUMENT), y the class labels
 * 0 … C−1, type_multinomial REGPATH_MULTINOMIAL_UNGROUPED or _GROUPED, and offset NULL or
 * glmnet's n × C offset matrix, column-major (class c's n values at offset + c·n; read during
 * the call only), added to each class's linear predictor. */
REGPATH_EXPORT int regpath_fit_multinomial_d(const regpath_options* options, int64_t n,
                                             int64_t p, const double* X, int64_t ldx,
                                             const double* y, int type_multinomial,
                                             const double* offset, regpath_path** out);
REGPATH_EXPORT int regpath_fit_multinomial_s(const regpath_options* options, int64_t n,
                                             int64_t p, const float* X, int64_t ldx,
                                             const float* y, int type_multinomial,
                                             const double* offset, regpath_path** out);

/* As regpath_fit_d / regpath_fit_s with a sparse X (n × p) in compressed sparse column form,
 * host memory: column j's entries are positions col_ptr[j] … col_ptr[j+1] − 1 of row_idx
 * (0-based rows in [0, n)) and values; col_ptr has p + 1 entries, from 0 to nnz = col_ptr[p].
 * Row indices within a column may be unsorted (they are sorted) and repeated (duplicates are
 * summed). The standardization is never materialized: memory O(nnz + (n + p)·K). For now
 * on the CPU only (every family), without weights or penalty factors of 0
 * (REGPATH_ERROR_INVALID_ARGUMENT otherwise). */
REGPATH_EXPORT int regpath_fit_csc_d(const regpath_options* options, int64_t n, int64_t p,
                                     const int64_t* col_ptr, const int64_t* row_idx,
                                     const double* values, const double* y, regpath_path** out);
REGPATH_EXPORT int regpath_fit_csc_s(const regpath_options* options, int64_t n, int64_t p,
                                     const int64_t* col_ptr, const int64_t* row_idx,
                                     const float* values, const float* y, regpath_path** out);

/* ---- rows held by several processes ---------------------------------------------------------- */

/* The collectives of a group of processes ("ranks"), as function pointers on the caller's
 * context, so that regpath needs no MPI itself: regpath_mpi.h fills one from an MPI
 * communicator (compiled with the caller's own MPI). Each returns 0 on success, anything else
 * on failure (the fit then fails with REGPATH_ERROR_INTERNAL). Every rank calls them in the
 * same order with the same counts.
 *   sum:       values[i] = the sum over the ranks of values[i], in place, the same bits on every
 *              rank (e.g. MPI_Reduce to rank 0 then MPI_Bcast);
 *   max:       values[i] = the maximum over the ranks, in place;
 *   broadcast: the root's bytes to every rank. */
typedef struct regpath_communicator {
  void* context;
  int rank; /* 0 … size − 1 */
  int size;
  int (*sum)(void* context, double* values, int64_t count);
  int (*max)(void* context, double* values, int64_t count);
  int (*broadcast)(void* context, void* bytes, int64_t count, int root);
} regpath_communicator;

/* As regpath_fit_d / regpath_fit_s, with the rows of X and y split between the ranks of `comm`:
 * this rank holds local_n ≥ 0 rows (local_X, local_n × p with leading dimension ldx ≥ local_n,
 * and local_y); in rank order they are the rows of one fit. Collective: every rank calls it
 * with the same options and p. Every rank gets the whole path, the same on all (*out, freed
 * with regpath_path_free); it equals regpath_fit_d's on all the rows to rounding. A bad
 * argument or value on any rank fails on every rank with the same code, the message naming the
 * rank and the global row. Families gaussian, binomial and poisson on the CPU; options->weights
 * has this rank's local_n rows' weights. Beyond p = 1000 binomial and
 * poisson take their Newton steps on a working set of features (up to 1000 of them; FISTA
 * alone beyond). For now refused (REGPATH_ERROR_INVALID_ARGUMENT):
 * multinomial. */
REGPATH_EXPORT int regpath_fit_distributed_d(const regpath_communicator* comm,
                                             const regpath_options* options, int64_t local_n,
                                             int64_t p, const double* local_X, int64_t ldx,
                                             const double* local_y, regpath_path** out);
REGPATH_EXPORT int regpath_fit_distributed_s(const regpath_communicator* comm,
                                             const regpath_options* options, int64_t local_n,
                                             int64_t p, const float* local_X, int64_t ldx,
                                             const float* local_y, regpath_path** out);

/* As regpath_fit_d / regpath_fit_s, with X and y in CUDA device memory (pointers from
 * cudaMalloc or cudaMallocManaged, of the current device); the shapes are the same (X spans
 * ldx·(p−1) + n elements). The arrays are read during the call only, on the device: they are
 * never copied to host memory (regpath copies X within the device to standardize it, so the
 * device needs room for a second n × p array; only scalars and the p × nλ result come back).
 * The fit runs on CUDA: options->device must be REGPATH_DEVICE_AUTO or _CUDA, and
 * options->precision must match the type (float64 for _d, float32 for _s): otherwise
 * REGPATH_ERROR_INVALID_ARGUMENT. Host memory, or memory of another device, is
 * REGPATH_ERROR_INVALID_ARGUMENT too. Without a usable CUDA device (regpath built without CUDA,
 * or no GPU) this returns REGPATH_ERROR_DEVICE with the reason; a device that runs out of
 * memory gives REGPATH_ERROR_OUT_OF_MEMORY.
 * Ordering: regpath reads X and y on a stream of its own, after all work queued before the call
 * on the legacy default stream (stream 0) of the current device — a cudaMemcpy or a kernel
 * launched without a stream, and, through stream 0's implicit synchronization, work on other
 * blocking streams queued before it. Work on streams created with cudaStreamNonBlocking, or on
 * the per-thread default stream (nvcc --default-stream per-thread), is not waited for: finish
 * it first (cudaStreamSynchronize). When the call returns regpath no longer reads X or y, and
 * they may be overwritten or freed at once. Not yet taken here (REGPATH_ERROR_INVALID_ARGUMENT
 * naming them): family REGPATH_MULTINOMIAL, weights, excluded features and penalty factors of
 * 0 or +inf. */
REGPATH_EXPORT int regpath_fit_device_d(const regpath_options* options, int64_t n, int64_t p,
                                        const double* X, int64_t ldx, const double* y,
                                        regpath_path** out);
REGPATH_EXPORT int regpath_fit_device_s(const regpath_options* options, int64_t n, int64_t p,
                                        const float* X, int64_t ldx, const float* y,
                                        regpath_path** out);

/* ---- the path -------------------------------------------------------------------------------- */

/* Releases a path; NULL is ignored. */
REGPATH_EXPORT void regpath_path_free(regpath_path* path);

/* The number of λ values (columns) nλ, and the number of features p; -1 (with an error
 * message) for a NULL path. */
REGPATH_EXPORT int64_t regpath_path_nlambda(const regpath_path* path);
REGPATH_EXPORT int64_t regpath_path_nfeatures(const regpath_path* path);

/* The number of classes C of a multinomial path (since C API version 6); 0 for the other
 * families; -1 (with an error message) for a NULL path. */
REGPATH_EXPORT int64_t regpath_path_nclasses(const regpath_path* path);

/* Copy the path's arrays into caller memory; `out` must hold the number of values named.
 * Each returns REGPATH_OK, or REGPATH_ERROR_INVALID_ARGUMENT when path or out is NULL.
 * Multinomial (C = regpath_path_nclasses > 0): intercepts are nλ·C values, λ k's class c at
 * k·C + c (centred over the classes, as glmnet's coef), and coefs p × (nλ·C), column k·C + c;
 * the other arrays stay nλ. */
REGPATH_EXPORT int regpath_path_lambdas(const regpath_path* path, double* out);    /* nλ, descending */
REGPATH_EXPORT int regpath_path_intercepts(const regpath_path* path, double* out); /* nλ (0 without intercept) */
REGPATH_EXPORT int regpath_path_coefs(const regpath_path* path, double* out);      /* p × nλ, column-major */
REGPATH_EXPORT int regpath_path_status(const regpath_path* path, int* out);        /* nλ REGPATH_STATUS_* */
REGPATH_EXPORT int regpath_path_gaps(const regpath_path* path, double* out);       /* nλ relative gaps, gap / P(β) */
REGPATH_EXPORT int regpath_path_iterations(const regpath_path* path, int* out);    /* nλ iteration counts */
REGPATH_EXPORT int regpath_path_dev_ratio(const regpath_path* path, double* out);  /* nλ, glmnet's dev.ratio */
REGPATH_EXPORT int regpath_path_lambda_max(const regpath_path* path, double* out); /* 1: glmnet's λ_max */
REGPATH_EXPORT int regpath_path_device(const regpath_path* path, int* out);        /* 1: _CPU or _CUDA, where it ran */

/* ---- models and prediction ------------------------------------------------------------------- */

/* A model: a fitted path with its options, feature names and standardization, saved as a
 * versioned JSON file (docs/model_format.md) whose numbers read back bit for bit, and used to
 * predict new data or give coefficients at any λ, as glmnet's predict / coef with exact = FALSE.
 * Opaque, owned by the caller, released with regpath_model_free. A model read from a file of
 * `regpath cv --save-model` carries lambda.min and lambda.1se (regpath_model_cv_lambdas).
 * Prediction runs on the CPU. Errors as everywhere: a code and regpath_last_error(). */
typedef struct regpath_model regpath_model;

/* regpath_predict_*'s type: the link β0 + xᵀβ; the response (binomial: the probability;
 * poisson: the mean e^link; gaussian: the link; multinomial: the softmax probabilities); the
 * class (binomial: 1 where the link > 0, else 0; multinomial: a class label; not for gaussian
 * or poisson). */
#define REGPATH_PREDICT_LINK 0
#define REGPATH_PREDICT_RESPONSE 1
#define REGPATH_PREDICT_CLASS 2

/* A model of `path`, fitted with `options` (the options of the fit call). feature_names: p
 * NUL-terminated UTF-8 names, distinct and non-empty, or NULL for x1..xp. X (n × p, leading
 * dimension ldx ≥ n), when not NULL, is the data of the fit and is read only to record the
 * standardization (each feature's centre and scale); with X NULL, n and ldx are ignored. */
REGPATH_EXPORT int regpath_model_from_path(const regpath_path* path,
                                           const regpath_options* options,
                                           const char* const* feature_names, int64_t n,
                                           const double* X, int64_t ldx, regpath_model** out);

/* Writes the model to `file` (REGPATH_ERROR_IO when it cannot be written) / reads one:
 * REGPATH_ERROR_IO when the file cannot be read, REGPATH_ERROR_INVALID_ARGUMENT when it is not a
 * usable model (not JSON, truncated, a field missing or malformed, a format version this
 * regpath cannot read: the message names the file, the field and the version needed). Since
 * version 7 a model of family multinomial (`regpath fit/cv --family multinomial
 * --save-model`, or of a multinomial path or cv) is taken too: its coefficients and
 * predictions have C columns per λ, so they come from the _multinomial functions below (the
 * single-column ones refuse it, naming those). Versions ≤ 6 refused such models here. */
REGPATH_EXPORT int regpath_model_save(const regpath_model* model, const char* file);
REGPATH_EXPORT int regpath_model_load(const char* file, regpath_model** out);
/* Releases a model; NULL is ignored. */
REGPATH_EXPORT void regpath_model_free(regpath_model* model);

/* p and nλ of the model's path; -1 (with an error message) for a NULL model. */
REGPATH_EXPORT int64_t regpath_model_nfeatures(const regpath_model* model);
REGPATH_EXPORT int64_t regpath_model_nlambda(const regpath_model* model);
/* The path's nλ values, descending, into `out`. */
REGPATH_EXPORT int regpath_model_lambdas(const regpath_model* model, double* out);
/* 1: REGPATH_GAUSSIAN, REGPATH_BINOMIAL, REGPATH_POISSON or REGPATH_MULTINOMIAL. */
REGPATH_EXPORT int regpath_model_family(const regpath_model* model, int* out);
/* Since version 7: the number of classes C of a multinomial model (0 for the other families;
 * -1 with an error message for a NULL model), and its C class labels in the classes' order
 * (ascending: class c is the c-th smallest training label, as glmnet's factor levels; 0 … C−1
 * for a model made from a path or cv here, the file's labels for a model read from
 * `regpath fit/cv --save-model`). */
REGPATH_EXPORT int64_t regpath_model_nclasses(const regpath_model* model);
REGPATH_EXPORT int regpath_model_class_labels(const regpath_model* model, double* out);
/* Feature j's name (0-based), owned by the model (valid until it is freed); NULL with an error
 * message when j is out of range or model is NULL. */
REGPATH_EXPORT const char* regpath_model_feature_name(const regpath_model* model, int64_t j);
/* A cv model's lambda.min and lambda.1se; REGPATH_ERROR_INVALID_ARGUMENT for a model without
 * cross-validation. */
REGPATH_EXPORT int regpath_model_cv_lambdas(const regpath_model* model, double* lambda_min,
                                            double* lambda_1se);

/* Coefficients at the n_lambdas values `lambdas` (≥ 0, finite, any order; between two λ of the
 * path interpolated linearly in λ, beyond its ends the nearest end): `intercepts` gets
 * n_lambdas values, `coefs` p × n_lambdas, column-major. A multinomial model is refused
 * (REGPATH_ERROR_INVALID_ARGUMENT naming regpath_model_coefficients_multinomial). */
REGPATH_EXPORT int regpath_model_coefficients(const regpath_model* model, int64_t n_lambdas,
                                              const double* lambdas, double* intercepts,
                                              double* coefs);

/* Predictions for the n rows of X (n × p, column-major, leading dimension ldx ≥ n, the model's
 * features in its order, finite) at the n_lambdas values `lambdas` (as above): `out` gets
 * n × n_lambdas values, column-major (column k for lambdas[k]). type: REGPATH_PREDICT_*.
 * regpath_predict_s takes float X; the arithmetic and `out` are double either way. A
 * multinomial model is refused (REGPATH_ERROR_INVALID_ARGUMENT naming
 * regpath_predict_multinomial_d/_s), here and in regpath_predict_offset_d/_s. */
REGPATH_EXPORT int regpath_predict_d(const regpath_model* model, int64_t n, const double* X,
                                     int64_t ldx, int64_t n_lambdas, const double* lambdas,
                                     int type, double* out);
REGPATH_EXPORT int regpath_predict_s(const regpath_model* model, int64_t n, const float* X,
                                     int64_t ldx, int64_t n_lambdas, const double* lambdas,
                                     int type, double* out);
/* The same with the new rows' offsets (since version 5; glmnet's newoffset): n finite values at
 * `offset`, for a model fitted with an offset (regpath_fit_offset_d/_s, or a model file of
 * one); NULL for a model fitted without (an offset given to such a model is refused, as a
 * likely mistake, and a model fitted with one refuses a NULL offset). */
REGPATH_EXPORT int regpath_predict_offset_d(const regpath_model* model, int64_t n,
                                            const double* X, int64_t ldx, const double* offset,
                                            int64_t n_lambdas, const double* lambdas, int type,
                                            double* out);
REGPATH_EXPORT int regpath_predict_offset_s(const regpath_model* model, int64_t n,
                                            const float* X, int64_t ldx, const double* offset,
                                            int64_t n_lambdas, const double* lambdas, int type,
                                            double* out);

/* Since version 7, a multinomial model's (C = regpath_model_nclasses classes; any other model
 * is refused, naming the single-column functions above). As glmnet's coef / predict on a
 * multinomial fit, λ as above:
 * - coefficients: `intercepts` gets C · n_lambdas values, `coefs` p × (C · n_lambdas),
 *   column-major, λ k and class c in column k·C + c (regpath_path_coefs's layout);
 * - predictions for the n rows of X (as regpath_predict_d): link (β0_c + xᵀβ_c) and response
 *   (the softmax probabilities of the C classes) fill n × (C · n_lambdas) values, column k·C +
 *   c for lambdas[k] and class c; class fills n × n_lambdas values, the label
 *   (regpath_model_class_labels) of the class with the largest link, the first on ties.
 *   offset: glmnet's newoffset, n × C values (class c's n rows in column c, column-major),
 *   for a model fitted with an offset; NULL for one fitted without (refused either way round,
 *   as regpath_predict_offset_d). regpath_predict_multinomial_s takes float X. */
REGPATH_EXPORT int regpath_model_coefficients_multinomial(const regpath_model* model,
                                                          int64_t n_lambdas,
                                                          const double* lambdas,
                                                          double* intercepts, double* coefs);
REGPATH_EXPORT int regpath_predict_multinomial_d(const regpath_model* model, int64_t n,
                                                 const double* X, int64_t ldx,
                                                 const double* offset, int64_t n_lambdas,
                                                 const double* lambdas, int type, double* out);
REGPATH_EXPORT int regpath_predict_multinomial_s(const regpath_model* model, int64_t n,
                                                 const float* X, int64_t ldx,
                                                 const double* offset, int64_t n_lambdas,
                                                 const double* lambdas, int type, double* out);

/* ---- messages and the library ---------------------------------------------------------------- */

/* The message of the last failing call on the calling thread ("" when none has failed). The
 * string stays valid until the next failing call on this thread. */
REGPATH_EXPORT const char* regpath_last_error(void);

/* A short name of a return code ("ok", "invalid argument", ...); "unknown code" otherwise. */
REGPATH_EXPORT const char* regpath_status_string(int code);

/* A short name of a per-λ status ("converged", "max_iter", "stalled"); "unknown status"
 * otherwise. */
REGPATH_EXPORT const char* regpath_path_status_string(int status);

/* The library's version, e.g. "0.1.0". */
REGPATH_EXPORT const char* regpath_version(void);

/* 1 when the CUDA backend can run here (built with CUDA and a device usable), else 0. */
REGPATH_EXPORT int regpath_cuda_available(void);

/* ---- many responses sharing one design ------------------------------------------------------ */

/* The paths of m responses: opaque, owned by the caller, released with regpath_paths_free. */
typedef struct regpath_paths regpath_paths;

/* Fits X (n × p, column-major, leading dimension ldx ≥ n) against each of m ≥ 1 responses, the
 * columns of Y (n × m, column-major, leading dimension ldy ≥ n): response k's path is
 * regpath_fit_d(options, n, p, X, ldx, Y + k·ldy) to rounding — its own λ_max and automatic
 * path, or options->lambdas for every response — with X standardized and (gaussian) its Gram
 * matrix formed once for all. Penalty factors and exclusions apply to every response. A bad
 * response (a value that is not finite, a constant response without explicit λ, binomial
 * values other than 0/1) is REGPATH_ERROR_INVALID_ARGUMENT with a message naming the response
 * (1-based) and, for a value, its row. On failure *out is set to NULL. */
REGPATH_EXPORT int regpath_fit_many_d(const regpath_options* options, int64_t n, int64_t p,
                                      const double* X, int64_t ldx, int64_t m, const double* Y,
                                      int64_t ldy, regpath_paths** out);
REGPATH_EXPORT int regpath_fit_many_s(const regpath_options* options, int64_t n, int64_t p,
                                      const float* X, int64_t ldx, int64_t m, const float* Y,
                                      int64_t ldy, regpath_paths** out);

/* Releases the paths (every regpath_paths_get pointer with them); NULL is ignored. */
REGPATH_EXPORT void regpath_paths_free(regpath_paths* paths);
/* The number of responses m; -1 (with an error message) for a NULL pointer. */
REGPATH_EXPORT int64_t regpath_paths_count(const regpath_paths* paths);
/* Response k's path (0 ≤ k < m), read with the regpath_path_* accessors; it belongs to `paths`
 * (do not pass it to regpath_path_free). NULL (with an error message) for a NULL pointer or a
 * k out of range. */
REGPATH_EXPORT const regpath_path* regpath_paths_get(const regpath_paths* paths, int64_t k);

/* ---- cross-validation (since C API version 6) ------------------------------------------------ */

/* type_measure: cv.glmnet's type.measure. DEFAULT: mse for gaussian, deviance otherwise. */
#define REGPATH_MEASURE_DEFAULT 0
#define REGPATH_MEASURE_MSE 1
#define REGPATH_MEASURE_MAE 2
#define REGPATH_MEASURE_DEVIANCE 3
#define REGPATH_MEASURE_CLASS 4 /* misclassification: binomial, multinomial */
#define REGPATH_MEASURE_AUC 5   /* binomial; at least 10 rows per fold, as cv.glmnet warns */

/* What cv.glmnet takes beside glmnet's options. Start from regpath_cv_options_init (nfolds 10,
 * seed 1, the rest 0): later versions take the place of `reserved`, where 0 keeps today's
 * meaning (a nonzero reserved value is refused). */
typedef struct regpath_cv_options {
  int nfolds;       /* ≥ 3; with foldid, the number of folds its ids 1 … nfolds use */
  int type_measure; /* REGPATH_MEASURE_* (default DEFAULT) */
  const int* foldid;  /* NULL (default: folds drawn from seed) or n fold ids in 1 … nfolds */
  uint64_t seed;      /* the random folds' seed (default 1) */
  const double* alphas; /* n_alphas values in [0, 1], one curve each; 0: options->alpha alone */
  int64_t n_alphas;
  /* NULL, or glmnet's offset: n values (family multinomial: the n × C matrix, class c's n values
   * at offset + c·n, C read from the labels); each fold fitted with its training rows' values
   * and its held-out rows predicted with theirs. The models of such a cv predict only with new
   * rows' offsets. */
  const double* offset;
  int type_multinomial; /* REGPATH_MULTINOMIAL_UNGROUPED (default) or _GROUPED */
  int reserved_int;     /* 0 */
  int64_t reserved[6];  /* 0 */
} regpath_cv_options;

REGPATH_EXPORT void regpath_cv_options_init(regpath_cv_options* cv_options);

/* The result of a cross-validation: one curve per α (cv.glmnet's cvm, cvsd, nzero, lambda.min,
 * lambda.1se, and the full-data path), opaque, owned by the caller, released with
 * regpath_cv_free. */
typedef struct regpath_cv regpath_cv;

/* cv.glmnet(X, y, ...) with options (glmnet's: family, penalty factors, limits, weights, …)
 * and cv_options: the C++ cross_validate (regpath.hpp) on host data, dense X (n × p,
 * column-major, leading dimension ldx ≥ n) or CSC X (as regpath_fit_csc_d/_s: never densified).
 * Bad fold ids (wrong values, an empty fold) are REGPATH_ERROR_INVALID_ARGUMENT naming the row
 * or the fold. On failure *out is set to NULL. options->glmnet_y_scaling keeps its meaning (0,
 * the default, is off), so a gaussian cv with alpha < 1 gives cv.glmnet's numbers with 1. */
REGPATH_EXPORT int regpath_cv_d(const regpath_options* options,
                                const regpath_cv_options* cv_options, int64_t n, int64_t p,
                                const double* X, int64_t ldx, const double* y,
                                regpath_cv** out);
REGPATH_EXPORT int regpath_cv_s(const regpath_options* options,
                                const regpath_cv_options* cv_options, int64_t n, int64_t p,
                                const float* X, int64_t ldx, const float* y, regpath_cv** out);
REGPATH_EXPORT int regpath_cv_csc_d(const regpath_options* options,
                                    const regpath_cv_options* cv_options, int64_t n, int64_t p,
                                    const int64_t* col_ptr, const int64_t* row_idx,
                                    const double* values, const double* y, regpath_cv** out);
REGPATH_EXPORT int regpath_cv_csc_s(const regpath_options* options,
                                    const regpath_cv_options* cv_options, int64_t n, int64_t p,
                                    const int64_t* col_ptr, const int64_t* row_idx,
                                    const float* values, const float* y, regpath_cv** out);

/* Releases a cv (every regpath_cv_path pointer with it); NULL is ignored. */
REGPATH_EXPORT void regpath_cv_free(regpath_cv* cv);
/* The number of curves (one per α); -1 (with an error message) for a NULL cv. */
REGPATH_EXPORT int64_t regpath_cv_ncurves(const regpath_cv* cv);
/* The curve of least cvm (0-based), the folds' count and the measure used (DEFAULT resolved);
 * any output may be NULL. */
REGPATH_EXPORT int regpath_cv_summary(const regpath_cv* cv, int64_t* best, int* nfolds,
                                      int* type_measure);
/* Each row's fold (n values, 1 … nfolds). */
REGPATH_EXPORT int regpath_cv_foldid(const regpath_cv* cv, int* out);
/* Curve `curve` (0 ≤ curve < regpath_cv_ncurves): its nλ (-1 with an error message for a bad
 * argument), its α, and its nλ values of λ (descending), cvm, cvsd and nzero. */
REGPATH_EXPORT int64_t regpath_cv_nlambda(const regpath_cv* cv, int64_t curve);
REGPATH_EXPORT int regpath_cv_alpha(const regpath_cv* cv, int64_t curve, double* out);
REGPATH_EXPORT int regpath_cv_lambdas(const regpath_cv* cv, int64_t curve, double* out);
REGPATH_EXPORT int regpath_cv_cvm(const regpath_cv* cv, int64_t curve, double* out);
REGPATH_EXPORT int regpath_cv_cvsd(const regpath_cv* cv, int64_t curve, double* out);
REGPATH_EXPORT int regpath_cv_nzero(const regpath_cv* cv, int64_t curve, int64_t* out);
/* cv.glmnet's lambda.min and lambda.1se of the curve. */
REGPATH_EXPORT int regpath_cv_lambda_choice(const regpath_cv* cv, int64_t curve,
                                            double* lambda_min, double* lambda_1se);
/* The curve's full-data path, read with the regpath_path_* accessors; it belongs to `cv` (do
 * not pass it to regpath_path_free). NULL (with an error message) for a bad argument. */
REGPATH_EXPORT const regpath_path* regpath_cv_path(const regpath_cv* cv, int64_t curve);
/* The model of the cv (`regpath cv --save-model`'s): the best curve's full-data path and its
 * curve, lambda.min and lambda.1se (regpath_model_cv_lambdas); the other arguments as
 * regpath_model_from_path's. */
REGPATH_EXPORT int regpath_model_from_cv(const regpath_cv* cv, const regpath_options* options,
                                         const char* const* feature_names, int64_t n,
                                         const double* X, int64_t ldx, regpath_model** out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* REGPATH_REGPATH_H */
