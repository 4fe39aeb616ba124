// The binomial path on the GLM batch solver (one group: the whole data), and what the runs on
// that solver share. Private.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "api/resolved_options.hpp"
#include "core/design/glm_batch_problem.hpp"
#include "core/engine/glm_batch_solver.hpp"
#include "core/path/lambda_grid.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

namespace detail {

inline std::vector<double> path_lambdas(const Options& o, double lambda_max, double ratio) {
  if (!o.lambdas.empty()) return sorted_descending(o.lambdas);
  if (!(lambda_max > 0))
    throw std::invalid_argument(
        "cannot build the default λ path: λ_max is 0 because the response is constant or no "
        "feature varies; pass explicit λ values (Options::lambdas; in C regpath_options.lambdas "
        "and n_lambdas; on the command line --lambda)");
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
  out.newton_steps = r.newton_steps;
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

// The resolved penalty factors and limits onto a GLM batch problem (assign_penalty's), the
// unpenalized features with their factor 0 — the batch keeps them in the solve, its prox the
// identity there — and their null models fitted (GlmBatchProblem::fit_unpenalized_null_models).
template <class Backend>
void assign_batch_penalty(Backend& backend, GlmBatchProblem<Backend>& problem,
                          const ResolvedOptions& ro) {
  std::vector<double> factors = ro.penalty_factors;
  for (const std::int64_t u : ro.unpenalized) factors[std::size_t(u)] = 0.0;
  ResolvedOptions batch = ro;
  batch.penalty_factors = std::move(factors);
  assign_penalty(backend, problem, batch);
  problem.fit_unpenalized_null_models();
}

// The path of the whole data on a loaded GLM batch problem (dense or sparse X); `start` is when
// the load began (for Path::seconds).
template <class Backend>
Path solve_glm_path(Backend& backend, GlmBatchProblem<Backend>& problem, const ResolvedOptions& ro,
                    std::chrono::steady_clock::time_point start) {
  const Options& o = ro.options;
  assign_batch_penalty(backend, problem, ro);
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

// The design a GLM batch problem is built from: a dense X as it is (uploaded by the problem),
// a sparse one sorted and summed into the problem's own SparseDesign (host, CPU backend only).
template <typename T, typename In>
const MatrixView<In>& batch_design(const MatrixView<In>& X) {
  return X;
}
template <typename T, typename In>
SparseDesign<T> batch_design(const SparseMatrixView<In>& X) {
  return SparseDesign<T>(X);
}

// The binomial (or gaussian) path of the whole data (dense or sparse X) on the GLM batch solver.
template <class Backend, template <typename> class View, typename In>
Path run_glm_path(Backend& backend, const View<In>& X, const In* y, const ResolvedOptions& ro) {
  const auto start = std::chrono::steady_clock::now();
  const Options& o = ro.options;
  GlmBatchProblem<Backend> problem(
      backend, batch_design<typename Backend::value_type>(X), y, {}, 0, datafit_for(o.family),
      o.standardize, o.intercept, o.weights, o.offset);
  return solve_glm_path(backend, problem, ro, start);
}

}  // namespace regpath
