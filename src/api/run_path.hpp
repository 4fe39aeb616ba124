// One path solve on one backend: the part of the API shared by every backend.
#pragma once

#include <chrono>

#include "core/gaussian_path_solver.hpp"
#include "core/lambda_grid.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

// Options with every automatic value decided (see resolve_options in fit.cpp).
struct ResolvedOptions {
  Options options;
  SolveControl control;
  double lambda_min_ratio = 1e-4;
};

template <class Backend, typename In>
Path run_path(Backend& backend, const MatrixView<In>& X, const In* y, const ResolvedOptions& ro) {
  const auto start = std::chrono::steady_clock::now();
  const Options& o = ro.options;
  GaussianProblem<Backend> problem(backend, X, y, o.standardize, o.intercept);
  Path out;
  out.n_features = X.cols;
  out.lambda_max = problem.lambda_max(o.alpha);
  if (o.lambdas.empty()) {
    if (!(out.lambda_max > 0))
      throw std::invalid_argument(
          "cannot build the default λ path: λ_max is 0 because the response is constant or no "
          "feature varies; pass explicit lambdas (--lambda)");
    out.lambdas = log_spaced_path(out.lambda_max, o.nlambda, ro.lambda_min_ratio);
  } else {
    out.lambdas = sorted_descending(o.lambdas);
  }
  const auto nl = out.lambdas.size();
  out.intercepts.assign(nl, 0.0);
  out.coefs.assign(nl * static_cast<std::size_t>(X.cols), 0.0);
  out.iterations.assign(nl, 0);
  out.gaps.assign(nl, 0.0);
  out.dev_ratio.assign(nl, 0.0);
  out.status.assign(nl, Status::converged);
  GaussianPathSolver<Backend> solver(problem, o.alpha, ro.control);
  solver.solve(out.lambdas, out);
  backend.synchronize();
  out.family = o.family;
  out.precision = o.precision;
  out.device_name = backend.name();
  out.peak_device_bytes = backend.peak_bytes();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

// run_path on Backend<float> or Backend<double>, as the options' precision says.
template <template <typename> class Backend, typename In>
Path run_in_precision(const MatrixView<In>& X, const In* y, const ResolvedOptions& ro,
                      Device device) {
  Path out;
  if (ro.options.precision == Precision::float32) {
    Backend<float> backend;
    out = run_path(backend, X, y, ro);
  } else {
    Backend<double> backend;
    out = run_path(backend, X, y, ro);
  }
  out.device = device;
  return out;
}

}  // namespace regpath
