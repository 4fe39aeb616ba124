// fit() with a sparse CSC X (SparseMatrixView) on the CPU backend, X kept sparse: gaussian
// standardized implicitly (core/design/sparse_design.hpp), binomial and poisson on the GLM
// batch around the raw sparse products (core/design/glm_batch_problem.hpp).
#include <chrono>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/feature_selection.hpp"
#include "api/response_checks.hpp"
#include "api/result_guard.hpp"
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
  if (o.device == Device::cuda) not_yet("device cuda (sparse X runs on the CPU for now)");
  if (!o.weights.empty()) not_yet("weights");
  if (!o.offset.empty()) not_yet("offset");
}

// X's kept columns (FeatureSelection::kept): X itself when all are kept, else a copy of theirs.
template <typename In>
struct KeptSparse {
  std::vector<std::int64_t> col_ptr, row_idx;
  std::vector<In> values;
  SparseMatrixView<In> view;
  KeptSparse(const SparseMatrixView<In>& X, const detail::FeatureSelection& sel) : view(X) {
    if (sel.all()) return;
    col_ptr.push_back(0);
    for (const std::int64_t j : sel.kept) {
      for (std::int64_t k = X.col_ptr[j]; k < X.col_ptr[j + 1]; ++k) {
        row_idx.push_back(X.row_idx[k]);
        values.push_back(X.values[k]);
      }
      col_ptr.push_back(std::int64_t(values.size()));
    }
    view = {X.rows, std::int64_t(sel.kept.size()), std::int64_t(values.size()), col_ptr.data(),
            row_idx.data(), values.data()};
  }
};

template <typename T, typename In>
Path fit_sparse_in(const SparseMatrixView<In>& X, const In* y, const ResolvedOptions& ro) {
  const auto start = std::chrono::steady_clock::now();
  SparseDesign<T> design(X);
  CpuBackend<T> backend;
  if (ro.options.family != Family::gaussian) {
    // binomial, poisson: the GLM batch on the sparse columns (glm_batch_problem.hpp)
    GlmBatchProblem<CpuBackend<T>> problem(backend, std::move(design), y,
                                           datafit_for(ro.options.family),
                                           ro.options.standardize, ro.options.intercept);
    return solve_glm_path(backend, problem, ro, start);
  }
  const std::vector<T> yt(y, y + X.rows);
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
  detail::check_family_response(y, X.rows, options.family);
  const detail::FeatureSelection sel = detail::select_features(options, X.cols);
  if (!sel.unpenalized.empty())
    throw std::invalid_argument("sparse X: penalty factors of 0 (unpenalized features) are not "
                                "supported yet");
  SparseDesign<double>::validate(X);  // before anything is read through col_ptr
  // Excluded features (exclude, factors of +inf) left out of the columns the solver sees (the
  // kept columns copied, O(nnz)), back as exact zeros by expand_path, as the dense fit.
  const KeptSparse<In> kept(X, sel);
  const SparseMatrixView<In>& Xk = kept.view;
  // Extreme magnitudes rescaled exactly (powers of two: a standardized column, a lasso y) or
  // refused, the result checked finite, as the dense fit (api/result_guard.hpp). Ordinary data
  // is not copied and goes through bit for bit.
  const detail::Rescaling scaling = detail::plan_rescaling(Xk, y, options, false);
  SparseMatrixView<In> Xs = Xk;
  const In* ys = y;
  Options o = options;
  std::vector<In> values, y_scaled;
  if (!scaling.column_exp.empty()) {
    values = detail::rescaled_values(Xk, scaling);
    Xs.values = values.data();
  }
  if (scaling.y_exp != 0) {
    for (std::int64_t i = 0; i < X.rows; ++i) y_scaled.push_back(std::ldexp(y[i], -scaling.y_exp));
    ys = y_scaled.data();
    for (double& l : o.lambdas) l = std::ldexp(l, -scaling.y_exp);
  }
  ResolvedOptions ro = resolve_options_for(o, Xk.rows, Xk.cols);
  ro.penalty_factors = sel.factors;
  ro.lower_limits = sel.lower;
  ro.upper_limits = sel.upper;
  Path out = o.precision == Precision::float32 ? fit_sparse_in<float>(Xs, ys, ro)
                                               : fit_sparse_in<double>(Xs, ys, ro);
  out.device = Device::cpu;
  detail::unscale(out, scaling);
  detail::check_finite(out, "fit", scaling.largest_y, scaling.largest_x);
  detail::expand_path(out, sel);
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
