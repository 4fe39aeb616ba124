// One path solve on one backend: the part of the API shared by every backend.
#pragma once

#include <chrono>
#include <cmath>
#include <vector>

#include "api/glm_runs.hpp"
#include "api/resolved_options.hpp"
#include "core/engine/gaussian_path_solver.hpp"
#include "core/path/lambda_grid.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

// The path on a loaded problem; `start` is when the load began (for Path::seconds).
template <class Backend>
Path solve_path(Backend& backend, GaussianProblem<Backend>& problem, const ResolvedOptions& ro,
                std::chrono::steady_clock::time_point start) {
  const Options& o = ro.options;
  assign_penalty(backend, problem, ro);
  const double lambda_max = problem.lambda_max(o.alpha);
  Path out = sized_path(problem.p, detail::path_lambdas(o, lambda_max, ro.lambda_min_ratio));
  out.lambda_max = lambda_max;
  // glmnet's response scaling as an equivalent (α', λ'): λ'α' = λα, λ'(1−α') = λ(1−α)/s
  // (glmnet's s: the centred response's standard deviation, before any partialling out)
  const double widen = glmnet_ridge_factor(o, std::sqrt(problem.yy_null));
  const double alpha_solved = o.alpha / (o.alpha + (1 - o.alpha) * widen);
  std::vector<double> solved = out.lambdas;
  for (double& l : solved) l *= o.alpha + (1 - o.alpha) * widen;
  GaussianPathSolver<Backend> solver(problem, alpha_solved, ro.control);
  solver.solve(solved, out);
  backend.synchronize();
  out.family = o.family;
  out.precision = o.precision;
  out.device_name = backend.name();
  out.peak_device_bytes = backend.peak_bytes();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

// From host memory (any input precision).
template <class Backend, typename In>
Path run_path(Backend& backend, const MatrixView<In>& X, const In* y, const ResolvedOptions& ro) {
  if (ro.options.family != Family::gaussian) return run_glm_path(backend, X, y, ro);
  const auto start = std::chrono::steady_clock::now();
  GaussianProblem<Backend> problem(backend, X, y, ro.options.standardize, ro.options.intercept,
                                   ro.unpenalized);
  return solve_path(backend, problem, ro, start);
}

// From a sparse X in host memory (the CPU backend: the products run on its host buffers), X
// never densified: gaussian standardized implicitly (core/design/sparse_design.hpp), the GLM
// families, and weighted gaussian fits (whose dense form, api/observation_weights.hpp, would
// densify X), on the batch around the raw sparse products, which weights each row's loss.
// Unpenalized features: gaussian partialled out inside the sparse products, binomial, poisson
// and weighted gaussian kept in the GLM batch's solve (assign_batch_penalty).
template <class Backend, typename In>
Path run_path(Backend& backend, const SparseMatrixView<In>& X, const In* y,
              const ResolvedOptions& ro) {
  if (ro.options.family != Family::gaussian || !ro.options.weights.empty())
    return run_glm_path(backend, X, y, ro);
  const auto start = std::chrono::steady_clock::now();
  GaussianProblem<Backend> problem(backend, SparseDesign<typename Backend::value_type>(X), y,
                                   ro.options.standardize, ro.options.intercept, ro.unpenalized);
  return solve_path(backend, problem, ro, start);
}

// From the backend's own memory, in its precision: nothing is copied to the host.
template <class Backend>
Path run_path(Backend& backend, const ResidentData<typename Backend::value_type>& data,
              const ResolvedOptions& ro) {
  const auto start = std::chrono::steady_clock::now();
  if (ro.options.family != Family::gaussian)
    throw std::invalid_argument(std::string("family ") + to_string(ro.options.family) +
                                " is not available for input in device memory yet");
  GaussianProblem<Backend> problem(backend, data, ro.options.standardize, ro.options.intercept,
                                   ro.unpenalized);
  return solve_path(backend, problem, ro, start);
}

}  // namespace regpath
