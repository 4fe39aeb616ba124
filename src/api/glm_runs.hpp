// The runs built on the GLM batch solver: the binomial path (one group, the whole data) and
// cross-validation (every α × fold × λ of it in one batch). Private.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "api/resolved_options.hpp"
#include "core/glm_batch_problem.hpp"
#include "core/glm_batch_solver.hpp"
#include "core/lambda_grid.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

// What cross_validate decided: the α values and each row's fold (0-based).
struct CvPlan {
  std::vector<double> alphas;
  int nfolds = 0;
  std::vector<int> row_fold;
};

namespace detail {

inline std::vector<double> path_lambdas(const Options& o, double lambda_max, double ratio) {
  if (!o.lambdas.empty()) return sorted_descending(o.lambdas);
  if (!(lambda_max > 0))
    throw std::invalid_argument(
        "cannot build the default λ path: λ_max is 0 because the response is constant or no "
        "feature varies; pass explicit lambdas (--lambda)");
  return log_spaced_path(lambda_max, o.nlambda, ratio);
}

// A group's result as a Path (original scale).
inline Path to_path(const GlmGroupResult& r, const std::vector<double>& lambdas, std::int64_t p,
                    const Options& o) {
  Path out;
  out.n_features = p;
  out.lambdas = lambdas;
  const auto nl = lambdas.size();
  out.coefs.assign(nl * std::size_t(p), 0.0);
  out.intercepts.assign(nl, 0.0);
  for (std::size_t k = 0; k < nl; ++k) {
    const double* raw = r.coefs.data() + k * std::size_t(p + 1);
    std::copy(raw, raw + p, out.coefs.begin() + std::ptrdiff_t(k * std::size_t(p)));
    out.intercepts[k] = o.intercept ? raw[p] : 0.0;
  }
  out.iterations = r.iterations;
  out.gaps = r.gaps;
  out.dev_ratio = r.dev_ratio;
  out.status = r.status;
  out.family = o.family;
  out.precision = o.precision;
  return out;
}

template <class Backend>
void finish(Path& out, Backend& backend, std::chrono::steady_clock::time_point start) {
  backend.synchronize();
  out.device_name = backend.name();
  out.peak_device_bytes = backend.peak_bytes();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Σ over fold f's test rows of the prediction error of each path column (raw coefficients,
// (p+1) × nλ), in chunks of at most `chunk` columns.
template <class Backend>
std::vector<double> test_error_sums(GlmBatchProblem<Backend>& pr, const std::vector<double>& raw,
                                    int fold, std::int64_t chunk) {
  using T = typename Backend::value_type;
  const std::int64_t rows = pr.p + 1, nl = std::int64_t(raw.size()) / rows;
  chunk = std::max<std::int64_t>(1, std::min(chunk, nl));
  auto B = pr.be.allocate(std::size_t(rows * chunk));
  auto E = pr.be.allocate(std::size_t(pr.n * chunk));
  auto R = pr.be.allocate(std::size_t(pr.n * chunk));
  std::vector<T> col(static_cast<std::size_t>(ops::GlmColumn::count * chunk), T(0));
  for (std::int64_t k = 0; k < chunk; ++k) col[std::size_t(k * ops::GlmColumn::count)] = T(fold);
  auto dcol = pr.upload_vector(col);
  std::vector<double> out(static_cast<std::size_t>(nl));
  for (std::int64_t k0 = 0; k0 < nl; k0 += chunk) {
    const std::int64_t K = std::min(chunk, nl - k0);
    const std::vector<T> part(raw.begin() + k0 * rows, raw.begin() + (k0 + K) * rows);
    pr.be.upload(B.data(), part.data(), part.size());
    pr.predict_raw(B.data(), K, E.data());
    pr.be.glm_pointwise(ops::GlmOp::test_error, pr.binomial, pr.n, K, E.data(), pr.y.data(),
                        pr.row_fold(), dcol.data(), R.data());
    pr.column_sums(R.data(), K, out.data() + k0);
  }
  return out;
}

// cvm, cvsd and the two selections from the folds' mean test errors (cv.glmnet's cvstats).
inline void summarize(CvCurve& c, const std::vector<std::vector<double>>& fold_error,
                      const std::vector<double>& fold_size) {
  const std::size_t nl = c.lambdas.size(), F = fold_error.size();
  double total = 0;
  for (double w : fold_size) total += w;
  c.cvm.assign(nl, 0.0);
  c.cvsd.assign(nl, 0.0);
  for (std::size_t k = 0; k < nl; ++k) {
    double m = 0;
    for (std::size_t f = 0; f < F; ++f) m += fold_size[f] * fold_error[f][k];
    m /= total;
    double v = 0;
    for (std::size_t f = 0; f < F; ++f) v += fold_size[f] * (fold_error[f][k] - m) * (fold_error[f][k] - m);
    c.cvm[k] = m;
    c.cvsd[k] = std::sqrt(v / total / double(F - 1));
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < nl; ++k)
    if (c.cvm[k] < c.cvm[best]) best = k;  // strict: the largest λ wins ties (λ descending)
  c.index_min = best;
  c.lambda_min = c.lambdas[best];
  const double bound = c.cvm[best] + c.cvsd[best];
  std::size_t one_se = best;
  for (std::size_t k = 0; k <= best; ++k)
    if (c.cvm[k] <= bound) {
      one_se = k;
      break;
    }
  c.index_1se = one_se;
  c.lambda_1se = c.lambdas[one_se];
}

// The group solving λ list `lambdas` at α on fold f: under glmnet's response scaling
// (gaussian) as the equivalent (α', λ'), λ'α' = λα and λ'(1−α') = λ(1−α)/s_f.
template <class Backend>
GlmGroup make_group(const GlmBatchProblem<Backend>& pr, const Options& o, bool scaling_default,
                    double alpha, int fold, const std::vector<double>& lambdas) {
  const double widen = glmnet_ridge_factor(o, pr.response_scale(fold), scaling_default);
  GlmGroup g{alpha / (alpha + (1 - alpha) * widen), fold, lambdas};
  for (double& l : g.lambdas) l *= alpha + (1 - alpha) * widen;
  return g;
}

}  // namespace detail

// The binomial (or gaussian) path of the whole data on the GLM batch solver.
template <class Backend, typename In>
Path run_glm_path(Backend& backend, const MatrixView<In>& X, const In* y,
                  const ResolvedOptions& ro) {
  const auto start = std::chrono::steady_clock::now();
  const Options& o = ro.options;
  GlmBatchProblem<Backend> problem(backend, X, y, {}, 0, o.family == Family::binomial,
                                   o.standardize, o.intercept);
  const double lambda_max = problem.lambda_max_per_fold(o.alpha)[0];
  const std::vector<double> lambdas = detail::path_lambdas(o, lambda_max, ro.lambda_min_ratio);
  const GlmGroup group = detail::make_group(problem, o, false, o.alpha, -1, lambdas);
  GlmBatchSolver<Backend> solver(problem, ro.control, ro.control.progress);
  const auto results = solver.solve({group}, ro.control.block_size);
  Path out = detail::to_path(results[0], lambdas, problem.p, o);
  out.lambda_max = lambda_max;
  detail::finish(out, backend, start);
  return out;
}

// Cross-validation: groups (α, fold) for fold −1 (the full-data path) and every fold, solved
// together; then each fold's test error at each λ, and the cv.glmnet summaries.
template <class Backend, typename In>
CvResult run_cv(Backend& backend, const MatrixView<In>& X, const In* y, const ResolvedOptions& ro,
                const CvPlan& plan) {
  const auto start = std::chrono::steady_clock::now();
  const Options& o = ro.options;
  GlmBatchProblem<Backend> problem(backend, X, y, plan.row_fold, plan.nfolds,
                                   o.family == Family::binomial, o.standardize, o.intercept);
  std::vector<GlmGroup> groups;
  std::vector<double> lambda_max(plan.alphas.size());
  std::vector<std::vector<double>> lambdas(plan.alphas.size());
  for (std::size_t a = 0; a < plan.alphas.size(); ++a) {
    lambda_max[a] = problem.lambda_max_per_fold(plan.alphas[a])[0];
    lambdas[a] = detail::path_lambdas(o, lambda_max[a], ro.lambda_min_ratio);
    for (int f = -1; f < plan.nfolds; ++f)
      groups.push_back(detail::make_group(problem, o, true, plan.alphas[a], f, lambdas[a]));
  }
  // as many λ per block as keep the batch near block_size·(folds + 1) columns per α
  GlmBatchSolver<Backend> solver(problem, ro.control, ro.control.progress);
  const auto results = solver.solve(groups, std::max(1, ro.control.block_size / 2));

  CvResult cv;
  cv.nfolds = plan.nfolds;
  std::vector<double> fold_size(static_cast<std::size_t>(plan.nfolds));
  for (int f = 0; f < plan.nfolds; ++f)
    fold_size[std::size_t(f)] = double(problem.n - problem.train_rows(f));
  const std::size_t per_alpha = std::size_t(plan.nfolds + 1);
  for (std::size_t a = 0; a < plan.alphas.size(); ++a) {
    CvCurve c;
    c.alpha = plan.alphas[a];
    c.lambdas = lambdas[a];
    c.path = detail::to_path(results[a * per_alpha], c.lambdas, problem.p, o);
    c.path.lambda_max = lambda_max[a];
    detail::finish(c.path, backend, start);
    c.nzero.assign(c.lambdas.size(), 0);
    for (std::size_t k = 0; k < c.lambdas.size(); ++k)
      for (std::int64_t j = 0; j < problem.p; ++j)
        c.nzero[k] += c.path.coef(j, std::int64_t(k)) != 0.0 ? 1 : 0;
    std::vector<std::vector<double>> fold_error;
    for (int f = 0; f < plan.nfolds; ++f) {
      const GlmGroupResult& r = results[a * per_alpha + std::size_t(f + 1)];
      c.fold_paths.push_back(detail::to_path(r, c.lambdas, problem.p, o));
      std::vector<double> e = detail::test_error_sums(problem, r.coefs, f, ro.control.block_size);
      for (double& v : e) v /= fold_size[std::size_t(f)];
      fold_error.push_back(std::move(e));
    }
    detail::summarize(c, fold_error, fold_size);
    cv.curves.push_back(std::move(c));
  }
  for (std::size_t a = 1; a < cv.curves.size(); ++a)
    if (cv.curves[a].cvm[cv.curves[a].index_min] <
        cv.curves[cv.best].cvm[cv.curves[cv.best].index_min])
      cv.best = a;
  backend.synchronize();
  cv.device_name = backend.name();
  cv.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return cv;
}

// run_cv on Backend<float> or Backend<double>, as the options' precision says.
template <template <typename> class Backend, typename In>
CvResult run_cv_in_precision(const MatrixView<In>& X, const In* y, const ResolvedOptions& ro,
                             const CvPlan& plan, Device device) {
  CvResult out;
  if (ro.options.precision == Precision::float32) {
    Backend<float> backend;
    out = run_cv(backend, X, y, ro, plan);
  } else {
    Backend<double> backend;
    out = run_cv(backend, X, y, ro, plan);
  }
  out.device = device;
  for (CvCurve& c : out.curves) {
    c.path.device = device;
    for (Path& fp : c.fold_paths) fp.device = device;
  }
  return out;
}

}  // namespace regpath
