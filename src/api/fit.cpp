// The public entry points: argument checks, automatic options, the choice of backend.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "api/cuda_diagnosis.hpp"
#include "api/cv_runs.hpp"
#include "api/device_fit.hpp"
#include "api/feature_selection.hpp"
#include "api/cv_multinomial.hpp"
#include "api/fit_multinomial.hpp"
#include "api/observation_weights.hpp"
#include "api/offset.hpp"
#include "api/resolve_device.hpp"
#include "api/response_checks.hpp"
#include "api/result_guard.hpp"
#include "api/run_path.hpp"
#include "api/with_backend.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

bool cuda_available(std::string* why_not) {
  const bool usable = cuda_runtime_available(why_not);
  if (!usable && why_not != nullptr)
    *why_not = detail::explain_cuda_unavailable(*why_not, detail::nvidia_driver_present());
  return usable;
}

namespace {

constexpr int kMaxNlambda = 100000;

template <typename V>
[[noreturn]] void bad_argument(const char* name, const V& value, const char* requirement) {
  std::ostringstream msg;
  msg.precision(17);
  msg << "invalid " << name << " = " << value << ": " << requirement;
  throw std::invalid_argument(msg.str());
}

}  // namespace

void validate_options(const Options& o) {
  // multinomial is fit()'s on a dense X alone (fit_any checks it before coming here)
  if (o.family == Family::multinomial)
    throw std::invalid_argument("invalid family = multinomial here: for now only fit() with a "
                                "dense X on the CPU supports it");
  if (o.family != Family::gaussian && o.family != Family::binomial &&
      o.family != Family::poisson)
    bad_argument("family", static_cast<int>(o.family),
                 "must be gaussian, binomial, poisson or multinomial");
  if (!(o.alpha >= 0.0 && o.alpha <= 1.0)) bad_argument("alpha", o.alpha, "must be in [0, 1]");
  for (std::size_t k = 0; k < o.lambdas.size(); ++k)
    if (!(o.lambdas[k] > 0.0) || !std::isfinite(o.lambdas[k])) {
      const std::string name = "lambda[" + std::to_string(k) + "]";
      bad_argument(name.c_str(), o.lambdas[k], "every lambda must be positive and finite");
    }
  if (o.nlambda < 1) bad_argument("nlambda", o.nlambda, "must be at least 1");
  // A bound so that a typo cannot start an hours-long run writing gigabytes (glmnet uses 100).
  if (o.nlambda > kMaxNlambda)
    bad_argument("nlambda", o.nlambda, "must be at most 100000 (glmnet's default is 100)");
  if (o.lambda_min_ratio && !(*o.lambda_min_ratio > 0.0 && *o.lambda_min_ratio < 1.0))
    bad_argument("lambda_min_ratio", *o.lambda_min_ratio, "must be in (0, 1)");
  if (o.tol && !(*o.tol > 0.0 && std::isfinite(*o.tol)))
    bad_argument("tol", *o.tol, "must be positive and finite");
  if (o.max_iter < 1) bad_argument("max_iter", o.max_iter, "must be at least 1");
  if (o.block_size < 0) bad_argument("block_size", o.block_size, "must be ≥ 0 (0: automatic)");
  if (o.check_every < 1) bad_argument("check_every", o.check_every, "must be at least 1");
  if (o.threads < 0 || o.threads > 4096)
    bad_argument("threads", o.threads, "must be in 0 … 4096 (0: automatic)");
  if (o.device != Device::automatic && o.device != Device::cpu && o.device != Device::cuda)
    bad_argument("device", static_cast<int>(o.device), "must be automatic, cpu or cuda");
  if (o.precision != Precision::float64 && o.precision != Precision::float32)
    bad_argument("precision", static_cast<int>(o.precision), "must be float64 or float32");
  detail::check_penalty_factor_values(o.penalty_factors);
  detail::check_limit_values(o.lower_limits, "lower_limits", true);
  detail::check_limit_values(o.upper_limits, "upper_limits", false);
  for (std::size_t k = 0; k < o.exclude.size(); ++k)
    if (o.exclude[k] < 0)
      bad_argument(("exclude[" + std::to_string(k) + "]").c_str(), o.exclude[k],
                   "feature indices are 0-based and non-negative");
}

namespace {

template <typename In>
void check_data(const MatrixView<In>& X, const In* y) {
  if (X.data == nullptr) throw std::invalid_argument("invalid X: null data pointer");
  if (y == nullptr) throw std::invalid_argument("invalid y: null pointer");
  if (X.rows < 2) bad_argument("X.rows (observations)", X.rows, "need at least 2 observations");
  if (X.cols < 1) bad_argument("X.cols (features)", X.cols, "need at least 1 feature");
  if (X.ld < X.rows) bad_argument("X.ld", X.ld, "the leading dimension must be ≥ X.rows");
  for (std::int64_t j = 0; j < X.cols; ++j)
    for (std::int64_t i = 0; i < X.rows; ++i)
      if (!std::isfinite(X(i, j))) {
        std::ostringstream msg;
        msg << "invalid X: value " << X(i, j) << " at row " << i + 1 << ", column " << j + 1
            << " is not finite";
        throw std::invalid_argument(msg.str());
      }
  for (std::int64_t i = 0; i < X.rows; ++i)
    if (!std::isfinite(y[i])) {
      std::ostringstream msg;
      msg << "invalid y: value " << y[i] << " at row " << i + 1 << " is not finite";
      throw std::invalid_argument(msg.str());
    }
}

template <typename In>
void check_all(const MatrixView<In>& X, const In* y, const Options& options) {
  validate_options(options);
  check_data(X, y);
  detail::check_family_response(y, X.rows, options.family);
}

// X with the excluded features left out (a copy only when some are), and their selection.
template <typename In>
struct SelectedInput {
  detail::FeatureSelection selection;
  detail::KeptColumns<In> kept;
  MatrixView<In> X;
  SelectedInput(const MatrixView<In>& all, const Options& o)
      : selection(detail::select_features(o, all.cols)), X(all) {
    if (selection.all()) return;
    kept = detail::kept_columns(all, selection);
    X = kept.view;
  }
};

// The device of a dense fit or cv: resolve_device's, except that the GLM families' unpenalized
// features (penalty factor 0) are solved on the CPU only for now (their null models and
// certificate are tested there alone): automatic then picks the CPU, and cuda is refused.
Device fit_device(const Options& o, const detail::FeatureSelection& sel) {
  if (o.family == Family::gaussian || sel.unpenalized.empty())
    return detail::resolve_device(o.device);
  if (o.device == Device::cuda)
    throw std::invalid_argument(std::string("invalid device = cuda: penalty factors of 0 "
                                            "(unpenalized features) for family ") +
                                to_string(o.family) + " are solved on the CPU only, for now; "
                                "use device cpu or automatic");
  return Device::cpu;
}

template <typename In>
Path fit_any(const MatrixView<In>& X_all, const In* y, const Options& options) {
  if (options.family == Family::multinomial) {
    // its own solver (api/fit_multinomial.cpp); the other options checked as gaussian's
    Options rest = options;
    rest.family = Family::gaussian;
    validate_options(rest);
    check_data(X_all, y);
    return detail::fit_multinomial(X_all, y, options);
  }
  check_all(X_all, y, options);
  if (!options.weights.empty()) detail::check_weights(options.weights, X_all.rows);
  if (!options.offset.empty()) {
    detail::check_offset(options.offset, X_all.rows);
    if (options.family == Family::gaussian) {  // exactly the fit of y − o (api/offset.hpp)
      const detail::OffsetResponse<In> shifted(y, options);
      return fit_any(X_all, shifted.y.data(), shifted.options);
    }
  }
  if (!options.weights.empty() && options.family == Family::gaussian) {
    // Gaussian observation weights: the same path on the transformed data
    // (api/observation_weights.hpp). The GLM families take them in the GLM batch (run_glm_path).
    const detail::WeightedInput<In> in = detail::weighted_input(X_all, y, options);
    Path out = fit_any(in.view(), in.y.data(), in.solve_options(options));
    in.restore(out);
    return out;
  }
  const SelectedInput<In> sel(X_all, options);
  const MatrixView<In>& X = sel.X;
  // Extreme magnitudes rescaled exactly or refused, the result checked finite
  // (api/result_guard.hpp).
  const detail::GuardedInput<In> in(X, y, options, false);
  ResolvedOptions ro = resolve_options_for(in.options(), X.rows, X.cols);
  ro.penalty_factors = sel.selection.factors;
  ro.lower_limits = sel.selection.lower;
  ro.upper_limits = sel.selection.upper;
  ro.unpenalized = sel.selection.unpenalized;
  const Device device = fit_device(options, sel.selection);
  Path out = with_backend(device, options.precision,
                          [&](auto& backend) { return run_path(backend, in.X(), in.y(), ro); });
  out.device = device;
  out = in.finish(std::move(out));
  detail::expand_path(out, sel.selection);
  return out;
}

}  // namespace

namespace detail {

// The rows' folds, 0-based: the user's ids (1..K, K = their maximum) or a seeded random
// balanced assignment (as cv.glmnet's sample(rep(1:K, length = n))).
CvPlan make_plan(const Options& o, const CvOptions& cv, std::int64_t n) {
  CvPlan plan;
  CvMeasure m = cv.type_measure;
  if (m == CvMeasure::automatic)
    m = o.family == Family::gaussian ? CvMeasure::mse : CvMeasure::deviance;
  const bool classes = o.family == Family::binomial || o.family == Family::multinomial;
  if ((m == CvMeasure::misclassification && !classes) ||
      (m == CvMeasure::auc && o.family != Family::binomial))
    throw std::invalid_argument(std::string("invalid type_measure = ") + to_string(m) +
                                ": it needs family binomial" +
                                (m == CvMeasure::auc ? "" : " or multinomial") + ", not " +
                                to_string(o.family));
  switch (m) {
    case CvMeasure::mse:
      // gaussian's deviance is its squared error
      plan.measure = o.family == Family::gaussian ? ops::Measure::deviance : ops::Measure::mse;
      break;
    case CvMeasure::mae: plan.measure = ops::Measure::mae; break;
    case CvMeasure::misclassification: plan.measure = ops::Measure::misclassification; break;
    case CvMeasure::auc: plan.auc = true; break;
    case CvMeasure::deviance:
    case CvMeasure::automatic: plan.measure = ops::Measure::deviance; break;
  }
  plan.resolved = m;
  plan.alphas = cv.alphas.empty() ? std::vector<double>{o.alpha} : cv.alphas;
  for (std::size_t a = 0; a < plan.alphas.size(); ++a)
    if (!(plan.alphas[a] >= 0.0 && plan.alphas[a] <= 1.0)) {
      const std::string name = "alphas[" + std::to_string(a) + "]";
      bad_argument(name.c_str(), plan.alphas[a], "must be in [0, 1]");
    }
  plan.row_fold.resize(std::size_t(n));
  if (cv.foldid.empty()) {
    if (cv.nfolds < 3) bad_argument("nfolds", cv.nfolds, "must be at least 3 (as cv.glmnet)");
    if (cv.nfolds > n)
      bad_argument("nfolds", cv.nfolds,
                   ("must not exceed the number of observations (" + std::to_string(n) + ")")
                       .c_str());
    plan.nfolds = cv.nfolds;
    for (std::int64_t i = 0; i < n; ++i) plan.row_fold[std::size_t(i)] = int(i % cv.nfolds);
    // Fisher–Yates with splitmix64: the same folds on every platform for a given seed
    std::uint64_t state = cv.seed;
    auto next = [&state] {
      std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      return z ^ (z >> 31);
    };
    for (std::int64_t i = n - 1; i > 0; --i)
      std::swap(plan.row_fold[std::size_t(i)],
                plan.row_fold[std::size_t(next() % std::uint64_t(i + 1))]);
    return plan;
  }
  if (std::int64_t(cv.foldid.size()) != n)
    throw std::invalid_argument("invalid foldid: it has " + std::to_string(cv.foldid.size()) +
                                " entries for " + std::to_string(n) +
                                " observations; give one fold id per row");
  const int K = *std::max_element(cv.foldid.begin(), cv.foldid.end());
  std::vector<std::int64_t> count(std::size_t(std::max(K, 1)), 0);
  for (std::size_t i = 0; i < cv.foldid.size(); ++i) {
    const int id = cv.foldid[i];
    if (id < 1)
      throw std::invalid_argument("invalid foldid at row " + std::to_string(i + 1) + ": " +
                                  std::to_string(id) + " (fold ids are 1, 2, …, K)");
    ++count[std::size_t(id - 1)];
    plan.row_fold[i] = id - 1;
  }
  if (K < 3)
    throw std::invalid_argument("invalid foldid: " + std::to_string(K) +
                                " folds; cross-validation needs at least 3 (as cv.glmnet)");
  for (int f = 0; f < K; ++f)
    if (count[std::size_t(f)] == 0)
      throw std::invalid_argument("invalid foldid: fold " + std::to_string(f + 1) +
                                  " has no rows (fold ids must cover 1.." + std::to_string(K) +
                                  ")");
  plan.nfolds = K;
  return plan;
}

CvPlan plan_cv(const Options& o, const CvOptions& cv, std::int64_t n) {
  CvPlan plan = make_plan(o, cv, n);
  if (plan.auc && n / plan.nfolds < 10)
    throw std::invalid_argument("invalid type_measure = auc: it needs at least 10 observations "
                                "per fold (" + std::to_string(n) + " rows in " +
                                std::to_string(plan.nfolds) + " folds; cv.glmnet falls back to "
                                "the deviance there); use fewer folds");
  return plan;
}

void finish_cv(CvResult& out, const CvPlan& plan, const FeatureSelection& sel) {
  for (CvCurve& c : out.curves) {
    expand_path(c.path, sel);
    for (Path& fp : c.fold_paths) expand_path(fp, sel);
  }
  out.measure = plan.resolved;
  out.foldid.resize(plan.row_fold.size());
  for (std::size_t i = 0; i < plan.row_fold.size(); ++i) out.foldid[i] = plan.row_fold[i] + 1;
}

void set_device(CvResult& out, Device device) {
  out.device = device;
  for (CvCurve& c : out.curves) {
    c.path.device = device;
    for (Path& fp : c.fold_paths) fp.device = device;
  }
}

}  // namespace detail

namespace {

template <typename In>
CvResult cross_validate_any(const MatrixView<In>& X_all, const In* y, const Options& options,
                            const CvOptions& cv) {
  if (options.family == Family::multinomial) {
    // fit()'s multinomial solver for every fit (api/cv_multinomial.cpp)
    Options rest = options;
    rest.family = Family::gaussian;
    validate_options(rest);
    check_data(X_all, y);
    return detail::cross_validate_multinomial(X_all, y, options, cv);
  }
  check_all(X_all, y, options);
  if (!options.weights.empty()) detail::check_weights(options.weights, X_all.rows);
  if (!options.offset.empty()) {
    detail::check_offset(options.offset, X_all.rows);
    if (options.family == Family::gaussian) {  // exactly the cv of y − o (api/offset.hpp)
      const detail::OffsetResponse<In> shifted(y, options);
      return cross_validate_any(X_all, shifted.y.data(), shifted.options, cv);
    }
  }
  const SelectedInput<In> sel(X_all, options);
  const MatrixView<In>& X = sel.X;
  const CvPlan plan = detail::plan_cv(options, cv, X.rows);
  // As fit_any: extreme magnitudes rescaled exactly or refused, the result checked finite.
  const detail::GuardedInput<In> in(X, y, options, true);
  ResolvedOptions ro = resolve_options_for(in.options(), X.rows, X.cols);
  ro.penalty_factors = sel.selection.factors;
  ro.lower_limits = sel.selection.lower;
  ro.upper_limits = sel.selection.upper;
  ro.unpenalized = sel.selection.unpenalized;
  const Device device = fit_device(options, sel.selection);
  CvResult out = with_backend(device, options.precision, [&](auto& backend) {
    return run_cv(backend, in.X(), in.y(), ro, plan);
  });
  detail::set_device(out, device);
  out = in.finish(std::move(out), options);
  detail::finish_cv(out, plan, sel.selection);
  return out;
}

}  // namespace

CvResult cross_validate(const MatrixView<double>& X, const double* y, const Options& options,
                        const CvOptions& cv) {
  return cross_validate_any(X, y, options, cv);
}
CvResult cross_validate(const MatrixView<float>& X, const float* y, const Options& options,
                        const CvOptions& cv) {
  return cross_validate_any(X, y, options, cv);
}

namespace {

template <typename T>
Path run_cuda_resident(const T* X_dev, std::int64_t n, std::int64_t p, std::int64_t ldx,
                       const T* y_dev, const ResolvedOptions& ro) {
  const Precision own = std::is_same<T, float>::value ? Precision::float32 : Precision::float64;
  if (ro.options.precision != own) throw std::invalid_argument(device_precision_mismatch());
  Path out = with_cuda_backend<T>([&](auto& backend) {
    // X and y may still be being written by the caller's work on stream 0: read them after it
    // (regpath.h's ordering contract). The results come back by a synchronizing download, so
    // regpath is done with X and y when this returns.
    backend.wait_for_default_stream();
    return run_path(backend, ResidentData<T>{X_dev, n, p, ldx, y_dev}, ro);
  });
  out.device = Device::cuda;
  return out;
}

}  // namespace

Path run_cuda_device(const double* X_dev, std::int64_t n, std::int64_t p, std::int64_t ldx,
                     const double* y_dev, const ResolvedOptions& ro) {
  return run_cuda_resident(X_dev, n, p, ldx, y_dev, ro);
}
Path run_cuda_device(const float* X_dev, std::int64_t n, std::int64_t p, std::int64_t ldx,
                     const float* y_dev, const ResolvedOptions& ro) {
  return run_cuda_resident(X_dev, n, p, ldx, y_dev, ro);
}

Path fit(const MatrixView<double>& X, const double* y, const Options& options) {
  return fit_any(X, y, options);
}
Path fit(const MatrixView<float>& X, const float* y, const Options& options) {
  return fit_any(X, y, options);
}

}  // namespace regpath
