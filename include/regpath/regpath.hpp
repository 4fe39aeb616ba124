// regpath: regularized linear-model solution paths (lasso, ridge, elastic net) for many λ at once.
//
// The objective, for each λ (glmnet's and scikit-learn's; sklearn's `alpha` is our λ, its
// `l1_ratio` our α):
//
//   gaussian:  (1/2n)·‖y − β0 − Xβ‖² + λ·[ α‖β̃‖₁ + (1−α)/2·‖β̃‖² ]
//   binomial:  (1/n)·Σ [log(1 + e^ηi) − yi·ηi] + the same penalty,  η = β0 + Xβ,  y ∈ {0, 1}
//   poisson:   (1/n)·Σ [e^ηi − yi·ηi] + the same penalty,  y ≥ 0 (counts; glmnet's log link)
//
// where β̃ are the coefficients of the standardized features (see Options::standardize).
// This header has no CUDA types; it is the whole C++ API.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

// Symbols of the shared library that make up its API (everything else is hidden). The same
// definition as in regpath.h.
#ifndef REGPATH_EXPORT
#if defined(__GNUC__) || defined(__clang__)
#define REGPATH_EXPORT __attribute__((visibility("default")))
#else
#define REGPATH_EXPORT
#endif
#endif

namespace regpath {

// The errors fit() and cv() throw besides std::invalid_argument (bad arguments): a failure of the
// device (the CUDA runtime, cuBLAS, a kernel) is a DeviceError, and running out of device memory
// (or of the page-locked host memory the device stages through) an OutOfMemoryError, which is a
// DeviceError too. Both are std::runtime_errors; the C API maps them to REGPATH_ERROR_DEVICE and
// REGPATH_ERROR_OUT_OF_MEMORY.
class REGPATH_EXPORT DeviceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class REGPATH_EXPORT OutOfMemoryError : public DeviceError {
 public:
  using DeviceError::DeviceError;
};

// multinomial: glmnet's family = "multinomial" (C ≥ 2 classes, y holds the labels 0 … C−1,
// each present); fit() and cross_validate() (dense or sparse X) on the CPU (see
// Options::type_multinomial and Path's layout).
enum class Family { gaussian, binomial, poisson, multinomial };
// glmnet's type.multinomial: ungrouped, a lasso per coefficient β_jc; grouped, a group lasso over
// the C coefficients of feature j (penalty λ·[α‖β_j·‖₂ + (1−α)/2·‖β_j·‖₂²]).
enum class MultinomialType { ungrouped, grouped };
enum class Device { automatic, cpu, cuda };
enum class Precision { float64, float32 };

// Per-λ outcome. Non-convergence is a status, not an error.
//   converged: duality gap ≤ tol · P(β)
//   max_iter:  stopped after max_iter iterations
//   stalled:   the gap stopped shrinking (no halving in 2000 iterations) above tol: the limit of
//              the arithmetic, mostly float32 on data with a high R²; loosen tol or use float64
enum class Status { converged, max_iter, stalled };

REGPATH_EXPORT const char* to_string(Family family);
REGPATH_EXPORT const char* to_string(Device device);
REGPATH_EXPORT const char* to_string(Precision precision);
REGPATH_EXPORT const char* to_string(Status status);

// A column-major matrix that regpath reads but does not own: element (i, j) is data[i + j·ld].
template <typename T>
struct MatrixView {
  const T* data = nullptr;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t ld = 0;  // leading dimension, ≥ rows

  T operator()(std::int64_t i, std::int64_t j) const { return data[i + j * ld]; }
};

// A sparse X in compressed sparse column (CSC) form, host memory: column j's entries are
// positions col_ptr[j] … col_ptr[j+1] − 1 of row_idx (0-based rows) and values; col_ptr has
// cols + 1 entries, from 0 to nnz. Row indices within a column may be in any order (they are
// sorted); duplicates are summed. Standardization is never materialized: memory stays
// O(nnz + (n + p)·K). fit() and cross_validate() take it, on the CPU (every family, offsets,
// weights except in a gaussian fit()), without penalty factors of 0 (std::invalid_argument for
// what it does not take).
template <typename T>
struct SparseMatrixView {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t nnz = 0;
  const std::int64_t* col_ptr = nullptr;  // cols + 1
  const std::int64_t* row_idx = nullptr;  // nnz
  const T* values = nullptr;              // nnz
};

struct Options {
  Family family = Family::gaussian;
  // Elastic-net mixing in [0, 1]: 1 is the lasso, 0 ridge.
  double alpha = 1.0;
  // Explicit λ values (> 0, any order; solved and reported in descending order). Empty: the
  // automatic glmnet path of `nlambda` values from λ_max down to lambda_min_ratio·λ_max.
  std::vector<double> lambdas;
  int nlambda = 100;  // 1 … 100000
  // Unset: glmnet's default, 1e-4 when n ≥ p, else 1e-2.
  std::optional<double> lambda_min_ratio;
  // glmnet's gaussian response scaling: glmnet divides y by its 1/n standard deviation s (its
  // root mean square without an intercept) before fitting, which leaves the lasso unchanged but
  // turns the ridge part into λ(1−α)/(2s)·‖β̃‖². On: that objective, glmnet's numbers for any y.
  // Off: the objective above (scikit-learn's; glmnet's only when s = 1). Unset: off for fit(),
  // on for cross_validate() (so that its fold fits are cv.glmnet's). Binomial: no effect.
  std::optional<bool> glmnet_y_scaling;
  // Divide each column by its 1/n standard deviation (centred, with or without an intercept:
  // what glmnet does, checked against glmnet 4.1); with an intercept the columns are also
  // centred. The penalty applies to the standardized coefficients; results are reported on the
  // original scale. A constant column always gets coefficient 0.
  bool standardize = true;
  bool intercept = true;
  // glmnet's penalty.factor: one factor per feature, multiplying that coefficient's penalty
  // (both parts: λ·w_j·[α|β̃_j| + (1−α)/2·β̃_j²]). As glmnet does, the factors are rescaled to
  // sum to the number of features (an excluded feature counting 1), so only their ratios
  // matter, and λ_max is max_j |x̃_jᵀỹ/n| / w_j / α. Each must be ≥ 0 and finite, or +∞ for a
  // feature left out (as in `exclude`). Empty: all 1. A factor of 0 leaves the feature
  // unpenalized: it is in every model, λ_max is taken at the null model fitted with the
  // unpenalized features (gaussian: the residual of y on them, which must not be collinear);
  // they carry no limits. Binomial and poisson: on the CPU only, for now.
  std::vector<double> penalty_factors;
  // glmnet's exclude: 0-based indices of features whose coefficients are fixed at 0 (left out
  // of the fit; reported as 0). At least one feature must remain.
  std::vector<std::int64_t> exclude;
  // glmnet's lower.limits / upper.limits: box constraints lower_j ≤ β_j ≤ upper_j on the
  // coefficients as reported (the original scale; glmnet applies them there too, as cl·sd on
  // the standardized ones). Empty: none; one value: the same for every feature; else one per
  // feature. As glmnet requires, lower ≤ 0 ≤ upper (−∞ / +∞ allowed). With bounds the gaussian
  // family is solved by the proximal-gradient iterations alone (their prox clips), without
  // the active-set Newton steps.
  std::vector<double> lower_limits, upper_limits;
  // glmnet's weights: one observation weight per row of X (each ≥ 0 and finite, not all 0),
  // the datafit (1/2)·Σ w_i·(y_i − β0 − x_iᵀβ)² / Σ w_i, the means and standard deviations of
  // the standardization weighted as glmnet's; only their ratios matter. Empty: all 1. Family
  // gaussian and fit() only, for now (cross_validate, the other families and X in device memory
  // refuse them); the data is transformed once on the host (a copy of X).
  std::vector<double> weights;
  // glmnet's offset: one fixed value o_i per row of X (finite), added to that row's linear
  // predictor, η_i = β0 + x_iᵀβ + o_i, in the fit, its null model (the intercept-only fit with
  // the offset), λ_max, the deviances and cv's held-out errors. Gaussian: exactly the fit of
  // y − o. Empty: none. Every family, in fit() and cross_validate() (dense or sparse X; with
  // several responses the same offset for each) and the distributed fit (regpath/distributed.hpp:
  // each rank its rows' offsets); not yet for X in device memory. A model fitted with one predicts
  // only with new rows' offsets (predict's `offset`).
  std::vector<double> offset;
  // Family multinomial only: glmnet's type.multinomial.
  MultinomialType type_multinomial = MultinomialType::ungrouped;
  // Convergence: a λ stops when its duality gap ≤ tol · P(β), P the penalized objective at the
  // iterate. Since the gap bounds P(β) − P*, this bounds the relative suboptimality by
  // tol / (1 − tol). Unset: 1e-7 in float64, 1e-4 in float32 (whose own rounding
  // limits how small a gap it can certify, to about 1e-5 on ill-conditioned data).
  std::optional<double> tol;
  // Proximal-gradient iterations per λ. A λ still above tol after them gets the host fallback
  // (coordinate descent for gaussian, proximal Newton for binomial, on problems small enough for
  // it), and is reported with Status::max_iter if that does not certify it either.
  int max_iter = 100000;
  Device device = Device::automatic;
  // Arithmetic of the solver; the input may be float or double either way.
  Precision precision = Precision::float64;
  // λ values solved together as one block (the columns of one GEMM). 0: automatic.
  int block_size = 0;
  // Iterations between convergence checks (each costs one extra gradient and a host sync).
  int check_every = 10;
  // Threads for the calls with several responses (fit / cross_validate with a matrix Y), each
  // thread solving whole responses (the results are the same, bit for bit, for any number).
  // 0: automatic — the environment variable REGPATH_NUM_THREADS when set, else every hardware
  // thread where X is tall (n > 2p: each response's work is small p × p products that BLAS does
  // not thread), one otherwise (X's own products, which BLAS threads). The CUDA device: one.
  // A single response's fit is not affected.
  int threads = 0;
  // Called now and then with the fraction of the λ values done (0 … 1), from the calling thread.
  std::function<void(double)> progress;
};

// The solution path, on the original scale of the data. Column k belongs to lambdas[k].
// Family multinomial (n_classes = C ≥ 2): λ k, class c is block column k·C + c: intercepts has
// nλ·C entries (intercepts[k·C + c]) and coefs p × (nλ·C) column-major (multinomial_coef).
// As glmnet's coef(): the intercepts are centred over the classes at each λ (they sum to 0);
// the coefficients are the symmetric solution itself (its optimum's per-feature shift over the
// classes is the one its penalty prefers: the median under the lasso), not centred. gaps holds
// the final optimality-condition violation / λ_max (the multinomial stopping rule, a KKT test,
// not a duality gap); newton_steps are 0.
struct Path {
  std::int64_t n_features = 0;
  std::int64_t n_classes = 0;      // multinomial: C; 0 for the other families
  std::vector<double> lambdas;     // descending
  std::vector<double> intercepts;  // β0 per λ (0 without an intercept)
  std::vector<double> coefs;       // p × nλ, column-major
  std::vector<int> iterations;     // proximal-gradient iterations per λ
  std::vector<int> newton_steps;   // Newton steps per λ (the host accelerators: the gaussian
                                   // active-set steps, the logistic proximal-Newton outer steps)
  std::vector<double> gaps;        // final relative duality gap per λ: gap / P(β) (poisson:
                                   // gap / (P(β) − the saturated model's loss), P may be < 0)
  std::vector<double> dev_ratio;   // fraction of the null deviance explained (glmnet's dev.ratio)
  std::vector<Status> status;
  double lambda_max = 0;           // glmnet's λ_max for this data and α
  Family family = Family::gaussian;
  Device device = Device::cpu;     // where it ran
  std::string device_name;
  Precision precision = Precision::float64;
  double seconds = 0;              // wall time of the solve, set-up included
  std::int64_t peak_device_bytes = 0;  // CUDA: the most device memory regpath held at once

  std::int64_t nlambda() const { return static_cast<std::int64_t>(lambdas.size()); }
  double coef(std::int64_t j, std::int64_t k) const { return coefs[j + k * n_features]; }
  double multinomial_coef(std::int64_t j, std::int64_t k, std::int64_t c) const {
    return coefs[j + (k * n_classes + c) * n_features];
  }
  double multinomial_intercept(std::int64_t k, std::int64_t c) const {
    return intercepts[k * n_classes + c];
  }
};

// A bad argument about one column of X: `column()` is its index (0-based), so that a caller with
// names for the columns can say which (the command-line tool names the CSV column).
class REGPATH_EXPORT ColumnError : public std::invalid_argument {
 public:
  ColumnError(std::int64_t column, const std::string& what)
      : std::invalid_argument(what), column_(column) {}
  std::int64_t column() const noexcept { return column_; }

 private:
  std::int64_t column_;
};

// Fits the path of X (n × p) against y (n values). Throws std::invalid_argument for bad
// arguments (the message names the argument and the value), DeviceError for failures of the
// device and OutOfMemoryError when it runs out of memory.
REGPATH_EXPORT Path fit(const MatrixView<double>& X, const double* y,
                        const Options& options = {});
REGPATH_EXPORT Path fit(const MatrixView<float>& X, const float* y,
                        const Options& options = {});
// The same with a sparse X (SparseMatrixView above); the path is fit(dense X)'s to rounding.
REGPATH_EXPORT Path fit(const SparseMatrixView<double>& X, const double* y,
                        const Options& options = {});
REGPATH_EXPORT Path fit(const SparseMatrixView<float>& X, const float* y,
                        const Options& options = {});


// Cross-validation (cv.glmnet's): the λ list comes from the whole data (as fit() makes it, per
// α); each fold is fitted on its training rows (all rows outside it) with its own
// standardization, and all folds × λ of one α are solved together as the columns of one batch.
// The folds' λ are cv.glmnet's: with explicit Options::lambdas every fold solves that list; with
// the automatic path each fold solves its own (from its training rows' λ_max, with
// lambda_min_ratio from its own n unless set) and its errors at the full-data λ come from
// coefficients interpolated linearly in λ between its two nearest (its first or last beyond
// its ends), as cv.glmnet predicts from fold fits made with lambda = NULL.
// cv.glmnet's type.measure: the error of a held-out row. automatic: mse for gaussian, deviance
// for the GLM families (cv.glmnet's defaults). mse and mae are of the mean (the probability for
// binomial, where cv.glmnet sums them over the two classes' indicators: 2(y − p)², 2|y − p|);
// misclassification ("class") is binomial's, p > ½ predicting 1; auc is binomial's area under the
// ROC curve per fold (ties ½; at least 10 rows per fold, both classes in each), where the best
// λ is the largest AUC (lambda.1se: the largest λ with AUC ≥ max − its cvsd), as cv.glmnet.
// Multinomial (cv.multnet's, from the softmax probabilities p): deviance −2·log p_y (p clamped
// into [1e-5, 1 − 1e-5]), mse Σ_c (1[c = y] − p_c)², mae Σ_c |1[c = y] − p_c|, class 1 unless
// the first most probable class is y; nzero as cv.glmnet counts it (README.md).
enum class CvMeasure { automatic, mse, mae, deviance, misclassification, auc };
REGPATH_EXPORT const char* to_string(CvMeasure measure);  // "mse", ..., "class", "auc"

struct CvOptions {
  std::vector<double> alphas;  // several α; empty: options.alpha alone
  int nfolds = 10;             // ≥ 3, as cv.glmnet
  std::vector<int> foldid;     // one fold id in 1..nfolds per row; empty: random, from `seed`
  std::uint64_t seed = 1;
  CvMeasure type_measure = CvMeasure::automatic;
};

// The curve of one α. Errors per λ: CvOptions::type_measure (by default gaussian mean squared
// error, binomial and poisson deviance, cv.glmnet's; binomial probabilities clamped into
// [1e-5, 1 − 1e-5] for the deviance).
struct CvCurve {
  double alpha = 1;
  std::vector<double> lambdas;      // descending
  std::vector<double> cvm;          // mean of the folds' errors, weighted by fold size
  std::vector<double> cvsd;         // its standard error: √(weighted var of fold errors / (K−1))
  std::vector<std::int64_t> nzero;  // nonzero coefficients of the full-data fit
  std::size_t index_min = 0, index_1se = 0;
  double lambda_min = 0;  // the λ of least cvm (the largest such λ on ties)
  double lambda_1se = 0;  // the largest λ with cvm ≤ cvm[min] + cvsd[min]
  Path path;                     // the full-data fit
  std::vector<Path> fold_paths;  // fold f's fit on its training rows, at its own λ (above)
  // The automatic path ended early (glmnet's rule: the deviance explained stopped changing, which
  // a finer grid reaches sooner), with fewer than Options::nlambda values.
  bool path_ended_early = false;
  // lambda_min is at the end of a path that ended early (among its last 2 % of λ, at least the
  // last one): the error may still fall at smaller λ, which the path did not reach. Explicit
  // Options::lambdas reaching further are all solved.
  bool lambda_min_at_end = false;
};

struct CvResult {
  std::vector<CvCurve> curves;  // one per α, in the order given
  std::size_t best = 0;         // the curve with the least cvm
  int nfolds = 0;
  CvMeasure measure = CvMeasure::mse;  // the error measured (automatic resolved)
  std::vector<int> foldid;  // the fold of each row, 1..nfolds
  Device device = Device::cpu;
  std::string device_name;
  double seconds = 0;
};

// Throws as fit() does; bad fold ids (wrong length, outside 1..nfolds, an empty fold) are
// std::invalid_argument naming the row or the fold.
REGPATH_EXPORT CvResult cross_validate(const MatrixView<double>& X, const double* y,
                                       const Options& options, const CvOptions& cv = {});
REGPATH_EXPORT CvResult cross_validate(const MatrixView<float>& X, const float* y,
                                       const Options& options, const CvOptions& cv = {});
// The same with a sparse X (SparseMatrixView; the CPU): each fold standardized from the sparse
// columns restricted to its training rows, X never densified; the result is the dense X's to
// rounding (tests/test_sparse_cv.cpp).
REGPATH_EXPORT CvResult cross_validate(const SparseMatrixView<double>& X, const double* y,
                                       const Options& options, const CvOptions& cv = {});
REGPATH_EXPORT CvResult cross_validate(const SparseMatrixView<float>& X, const float* y,
                                       const Options& options, const CvOptions& cv = {});

// ---- models and prediction (glmnet's predict / coef) --------------------------------------------
//
// A Model is a fitted path (or a cross-validation's full-data fit) with what is needed to use it
// later: the options it was fitted with, the features' names in order, the standardization
// used, and for cv the curve with lambda.min / lambda.1se. save_model writes it as a versioned
// JSON file (docs/model_format.md) whose numbers read back bit for bit; load_model reads it.

// A model file that cannot be used: not JSON, not a regpath model, a format version this regpath
// cannot read, a missing or malformed field. The message names the file and the field.
class REGPATH_EXPORT ModelError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// The cross-validation a cv model carries: the curve of the α it was fitted with (the best one).
struct ModelCv {
  int nfolds = 0;
  std::vector<double> lambdas;      // descending: the model's path λ
  std::vector<double> cvm, cvsd;
  std::vector<std::int64_t> nzero;
  std::size_t index_min = 0, index_1se = 0;
  double lambda_min = 0, lambda_1se = 0;
};

struct Model {
  // The model file format this regpath writes (and the newest it reads). 2 added
  // options.offset (docs/model_format.md); version 1 files read as models without an offset.
  // 3 added family multinomial (its classes and per-(λ, class) intercepts and coefficients).
  static constexpr int kFormatVersion = 3;

  Family family = Family::gaussian;
  double alpha = 1;
  bool standardize = true;
  bool intercept = true;
  bool glmnet_y_scaling = false;  // as the fit resolved it (cv: on for gaussian)
  double tol = 1e-7;              // the tolerance used (the default resolved)
  // Fitted with an offset (Options::offset): its predictions need the new rows' offsets, as
  // glmnet's predict needs newoffset.
  bool offset = false;
  Precision precision = Precision::float64;
  // Family multinomial: glmnet's type.multinomial of the fit, and the labels of its
  // path.n_classes classes in the classes' order (ascending: class c is the c-th smallest
  // training label, as glmnet's factor levels). make_model sets 0 … C−1, the labels fit() takes;
  // a caller whose response had other labels (the command line: the CSV's numbers) sets them.
  // Prediction of type class_label gives these labels. Empty for the other families.
  MultinomialType type_multinomial = MultinomialType::ungrouped;
  std::vector<double> class_labels;
  std::vector<std::string> feature_names;  // p, in the order of the path's coefficients
  // The standardization used, per feature: the centre subtracted (the column mean with an
  // intercept, 0 without) and the scale divided by (the 1/n standard deviation with
  // standardize, 1 without; 0 for a constant column). Empty when not known (a model made without
  // X). For information: the coefficients are on the original scale and prediction uses them.
  std::vector<double> feature_centers, feature_scales;
  Path path;                     // lambdas, intercepts, coefs, status, gaps, ... (n_features = p)
  std::optional<ModelCv> cv;     // set for a model of `regpath cv`
  // Set by load_model: the file's format version and the program that wrote it.
  int format_version = kFormatVersion;
  std::string writer;

  std::int64_t n_features() const { return path.n_features; }
};

// A model of a fit: `path` from fit(X, y, options) with the features' names (p of them; empty:
// x1..xp). X, when given, is used only to record the standardization.
REGPATH_EXPORT Model make_model(const Path& path, const Options& options,
                                std::vector<std::string> feature_names = {},
                                const MatrixView<double>* X = nullptr);
// A model of a cross-validation: the best curve's full-data fit and the curve.
REGPATH_EXPORT Model make_model(const CvResult& cv, const Options& options,
                                std::vector<std::string> feature_names = {},
                                const MatrixView<double>* X = nullptr);

// The model as the JSON text of docs/model_format.md, and back. model_from_json throws ModelError
// (`source` names the text in messages); std::invalid_argument when a model cannot be written
// (a feature name that is not UTF-8, a number that is not finite).
REGPATH_EXPORT std::string model_to_json(const Model& model);
REGPATH_EXPORT Model model_from_json(const std::string& text, const std::string& source = "model");
// Writes / reads a file; errors name it (ModelError for a bad file, std::runtime_error when it
// cannot be read or written).
REGPATH_EXPORT void save_model(const Model& model, const std::string& file);
REGPATH_EXPORT Model load_model(const std::string& file);

// glmnet's predict types: the linear predictor β0 + xᵀβ; the response (gaussian: the link;
// binomial: the probability 1/(1 + e^−η); poisson: the mean e^η; multinomial: the softmax
// probabilities of the C classes); the class (binomial: 1 where η > 0, else 0; multinomial: the
// label of the class of the largest linear predictor, the first on ties, as glmnet_softmax).
enum class PredictType { link, response, class_label };
REGPATH_EXPORT const char* to_string(PredictType type);

// Coefficients at any λ, as glmnet's coef(fit, s, exact = FALSE): between two λ of the path
// linearly interpolated in λ (glmnet's lambda.interp), at a λ of the path its coefficients
// exactly, beyond the path's ends those of the nearest end (`outside` says which λ were).
// Multinomial (n_classes = C ≥ 2): Path's layout, λ k and class c in column k·C + c.
struct Coefficients {
  std::int64_t n_features = 0;
  std::int64_t n_classes = 0;      // multinomial: C; 0 for the other families
  std::vector<double> lambdas;     // as asked, in that order
  std::vector<double> intercepts;  // per λ (multinomial: per λ and class, m·C)
  std::vector<double> coefs;       // p × m (multinomial: p × m·C), column-major
  std::vector<bool> outside;       // per λ: beyond the path's ends (the nearest end used)
};
// λ must be finite and ≥ 0 (std::invalid_argument otherwise).
REGPATH_EXPORT Coefficients coefficients(const Model& model, const std::vector<double>& lambdas);
// The λ a prediction uses when none is asked for: every λ of the path (a fit), lambda.1se (cv).
REGPATH_EXPORT std::vector<double> default_lambdas(const Model& model);
// Predictions for the rows of X (n × p, the model's features in its order): n × m values,
// column-major, column k for lambdas[k]. Multinomial: link and response n × m·C, column k·C + c
// for λ k and class c; class_label n × m, the labels. class_label needs a binomial or
// multinomial model (else std::invalid_argument), as does a non-finite X value (named by row
// and column). A model fitted with an offset needs the overloads with `offset` below
// (std::invalid_argument here).
REGPATH_EXPORT std::vector<double> predict(const Model& model, const MatrixView<double>& X,
                                           const std::vector<double>& lambdas,
                                           PredictType type = PredictType::link);
REGPATH_EXPORT std::vector<double> predict(const Model& model, const MatrixView<float>& X,
                                           const std::vector<double>& lambdas,
                                           PredictType type = PredictType::link);
// With the new rows' offsets (n finite values, added to each linear predictor before the
// link: glmnet's newoffset; multinomial: n × C, class-major, as Options::offset), for a model
// fitted with an offset; empty for one fitted without (an offset given to such a model is
// refused, as a likely mistake).
REGPATH_EXPORT std::vector<double> predict(const Model& model, const MatrixView<double>& X,
                                           const std::vector<double>& lambdas, PredictType type,
                                           const std::vector<double>& offset,
                                           Device device = Device::cpu, Device* used = nullptr);
REGPATH_EXPORT std::vector<double> predict(const Model& model, const MatrixView<float>& X,
                                           const std::vector<double>& lambdas, PredictType type,
                                           const std::vector<double>& offset,
                                           Device device = Device::cpu, Device* used = nullptr);
// The same on a chosen device: cpu is the host prediction above; cuda computes the linear
// predictors η = 1·β0ᵀ + X·B on the GPU as float64 GEMMs over blocks of X's rows (device memory
// bounded whatever n; a DeviceError when no CUDA device is usable); automatic the GPU when one
// is usable and n·p·m ≥ 5·10⁸ (below that moving X costs more than the host's pass), else the
// host. `used` (when not null) receives the device that ran it.
REGPATH_EXPORT std::vector<double> predict(const Model& model, const MatrixView<double>& X,
                                           const std::vector<double>& lambdas, PredictType type,
                                           Device device, Device* used = nullptr);
REGPATH_EXPORT std::vector<double> predict(const Model& model, const MatrixView<float>& X,
                                           const std::vector<double>& lambdas, PredictType type,
                                           Device device, Device* used = nullptr);

// Checks options alone (what fit checks before touching data); throws std::invalid_argument.
REGPATH_EXPORT void validate_options(const Options& options);

// Whether the CUDA backend can run here; when not, `why_not` (if given) receives the reason.
REGPATH_EXPORT bool cuda_available(std::string* why_not = nullptr);

REGPATH_EXPORT const char* version();

// ---- many responses sharing one design ----------------------------------------------------------
//
// One X (n × p) against m responses, the columns of Y (n × m, column-major, leading dimension
// Y.ld ≥ n): one Path (or CvResult) per response, in the order of Y's columns, each equal (to
// rounding) to fit(X, Y's column k, options) — its own λ_max and default path, as m separate
// glmnet fits, or every response the explicit Options::lambdas. Penalty factors, exclusions,
// observation weights and the offset (one value per row) apply to every response. Gaussian: X is standardized and its Gram matrix formed once, the
// correlations X̃ᵀỸ/n of a block of responses are one GEMM, and each response's path is solved on
// that shared problem. Binomial: the responses (each coded 0/1) are fitted one after another.
// Cross-validation: one cross_validate per response, all with the same folds.

// A bad argument about one response (a column of Y): `response()` is its index (0-based). The
// message names it (1-based) and, for a value that is not finite, the row. A constant response
// without explicit λ is such an error, as in fit() (λ_max is 0: no default path).
class REGPATH_EXPORT ResponseError : public std::invalid_argument {
 public:
  ResponseError(std::int64_t response, const std::string& what)
      : std::invalid_argument(what), response_(response) {}
  std::int64_t response() const noexcept { return response_; }

 private:
  std::int64_t response_;
};

REGPATH_EXPORT std::vector<Path> fit(const MatrixView<double>& X, const MatrixView<double>& Y,
                                     const Options& options = {});
REGPATH_EXPORT std::vector<Path> fit(const MatrixView<float>& X, const MatrixView<float>& Y,
                                     const Options& options = {});
REGPATH_EXPORT std::vector<CvResult> cross_validate(const MatrixView<double>& X,
                                                    const MatrixView<double>& Y,
                                                    const Options& options,
                                                    const CvOptions& cv = {});
REGPATH_EXPORT std::vector<CvResult> cross_validate(const MatrixView<float>& X,
                                                    const MatrixView<float>& Y,
                                                    const Options& options,
                                                    const CvOptions& cv = {});
// The same with a sparse X (SparseMatrixView; the CPU, every family): X's structure checked
// once, then one sparse fit or cross-validation per response, each exactly fit(X, y_k) /
// cross_validate(X, y_k) (nothing shared between the responses yet). Errors as above.
REGPATH_EXPORT std::vector<Path> fit(const SparseMatrixView<double>& X,
                                     const MatrixView<double>& Y, const Options& options = {});
REGPATH_EXPORT std::vector<Path> fit(const SparseMatrixView<float>& X,
                                     const MatrixView<float>& Y, const Options& options = {});
REGPATH_EXPORT std::vector<CvResult> cross_validate(const SparseMatrixView<double>& X,
                                                    const MatrixView<double>& Y,
                                                    const Options& options,
                                                    const CvOptions& cv = {});
REGPATH_EXPORT std::vector<CvResult> cross_validate(const SparseMatrixView<float>& X,
                                                    const MatrixView<float>& Y,
                                                    const Options& options,
                                                    const CvOptions& cv = {});

}  // namespace regpath
