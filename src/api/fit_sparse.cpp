// fit() with a sparse CSC X (SparseMatrixView): family gaussian on the CPU backend, X kept
// sparse and standardized implicitly (core/design/sparse_design.hpp).
#include <chrono>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/feature_selection.hpp"
#include "api/run_path.hpp"
#include "backends/cpu_backend.hpp"
#include "core/design/sparse_design.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

namespace {

// What sparse X does not take yet: std::invalid_argument naming the option.
void check_sparse_options(const Options& o) {
  const auto not_yet = [](const std::string& what) {
    throw std::invalid_argument("sparse X: " + what + " is not supported yet (give a dense X)");
  };
  if (o.family != Family::gaussian)
    not_yet(std::string("family ") + to_string(o.family) + " (only gaussian for now)");
  if (o.device == Device::cuda) not_yet("device cuda (sparse X runs on the CPU for now)");
  if (!o.weights.empty()) not_yet("weights");
  if (!o.offset.empty()) not_yet("offset");
  if (!o.exclude.empty()) not_yet("exclude");
}

template <typename T, typename In>
Path fit_sparse_in(const SparseMatrixView<In>& X, const In* y, const ResolvedOptions& ro) {
  const auto start = std::chrono::steady_clock::now();
  SparseDesign<T> design(X);
  const std::vector<T> yt(y, y + X.rows);
  CpuBackend<T> backend;
  GaussianProblem<CpuBackend<T>> problem(backend, std::move(design), yt.data(),
                                         ro.options.standardize, ro.options.intercept);
  return solve_path(backend, problem, ro, start);
}

template <typename In>
Path fit_sparse(const SparseMatrixView<In>& X, const In* y, const Options& options) {
  validate_options(options);
  check_sparse_options(options);
  if (y == nullptr) throw std::invalid_argument("invalid y: null pointer");
  for (std::int64_t i = 0; i < X.rows; ++i)
    if (!std::isfinite(double(y[i]))) {
      std::ostringstream msg;
      msg << "invalid y: value " << double(y[i]) << " at row " << i + 1 << " is not finite";
      throw std::invalid_argument(msg.str());
    }
  const detail::FeatureSelection sel = detail::select_features(options, X.cols);
  if (!sel.all()) throw std::invalid_argument("sparse X: infinite penalty factors (excluded "
                                              "features) are not supported yet");
  if (!sel.unpenalized.empty())
    throw std::invalid_argument("sparse X: penalty factors of 0 (unpenalized features) are not "
                                "supported yet");
  ResolvedOptions ro = resolve_options_for(options, X.rows, X.cols);
  ro.penalty_factors = sel.factors;
  ro.lower_limits = sel.lower;
  ro.upper_limits = sel.upper;
  Path out = options.precision == Precision::float32 ? fit_sparse_in<float>(X, y, ro)
                                                     : fit_sparse_in<double>(X, y, ro);
  out.device = Device::cpu;
  return out;
}

}  // namespace

Path fit(const SparseMatrixView<double>& X, const double* y, const Options& options) {
  return fit_sparse(X, y, options);
}
Path fit(const SparseMatrixView<float>& X, const float* y, const Options& options) {
  return fit_sparse(X, y, options);
}

}  // namespace regpath
