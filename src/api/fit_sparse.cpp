// fit() and cross_validate() with a sparse CSC X (SparseMatrixView) on the CPU backend, X kept
// sparse: gaussian standardized implicitly (core/design/sparse_design.hpp; multinomial's fit the
// same, core/design/multinomial_design.hpp), binomial and poisson
// (and cv's weighted gaussian) on the GLM batch around the raw sparse products, each fold
// standardized on its training rows from the sparse columns (core/design/glm_batch_problem.hpp,
// fold_scaling.hpp). The steps are the dense X's (fit.cpp, cv_runs.hpp), so the results are the
// dense X's to rounding.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/cv_runs.hpp"
#include "api/feature_selection.hpp"
#include "api/cv_multinomial.hpp"
#include "api/fit_multinomial.hpp"
#include "api/observation_weights.hpp"
#include "api/offset.hpp"
#include "api/response_checks.hpp"
#include "api/result_guard.hpp"
#include "api/run_path.hpp"
#include "backends/cpu_backend.hpp"
#include "core/design/sparse_design.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

namespace {

// What sparse X does not take yet: std::invalid_argument naming the option. Weighted gaussian
// fits and cv run on the GLM batch (cv's as the dense X's does; fit's because the dense
// transformation of api/observation_weights.hpp would densify X).
void check_sparse_options(const Options& o) {
  if (o.device == Device::cuda)
    throw std::invalid_argument("sparse X: device cuda (sparse X runs on the CPU for now) is not "
                                "supported yet (give a dense X)");
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

// What fit and cv with a sparse X solve: the checked data, its kept columns, extreme
// magnitudes rescaled exactly (powers of two: a standardized column, a lasso y) or refused, as
// the dense X's GuardedInput (api/result_guard.hpp); ordinary data is not copied and goes through
// bit for bit. Non-copyable: the views point into it.
template <typename In>
class SparseInput {
 public:
  SparseInput(const SparseMatrixView<In>& X, const In* y, const Options& options, bool cv)
      : selection_(checked_selection(X, y, options)), kept_(X, selection_),
        scaling_(detail::plan_rescaling(kept_.view, y, options, cv)), X_(kept_.view), y_(y),
        options_(options) {
    if (!scaling_.column_exp.empty()) {
      values_ = detail::rescaled_values(kept_.view, scaling_);
      X_.values = values_.data();
    }
    if (scaling_.y_exp != 0) {
      for (std::int64_t i = 0; i < X.rows; ++i)
        y_scaled_.push_back(std::ldexp(y[i], -scaling_.y_exp));
      y_ = y_scaled_.data();
      for (double& l : options_.lambdas) l = std::ldexp(l, -scaling_.y_exp);
    }
  }
  SparseInput(const SparseInput&) = delete;
  SparseInput& operator=(const SparseInput&) = delete;

  const SparseMatrixView<In>& X() const { return X_; }
  const In* y() const { return y_; }
  const detail::FeatureSelection& selection() const { return selection_; }
  // the resolved options of the kept columns (factors and limits of theirs)
  ResolvedOptions resolved() const {
    ResolvedOptions ro = resolve_options_for(options_, X_.rows, X_.cols);
    ro.penalty_factors = selection_.factors;
    ro.unpenalized = selection_.unpenalized;
    ro.lower_limits = selection_.lower;
    ro.upper_limits = selection_.upper;
    return ro;
  }
  Path finish(Path out) const {
    out.device = Device::cpu;
    detail::unscale(out, scaling_);
    detail::check_finite(out, "fit", scaling_.largest_y, scaling_.largest_x);
    detail::expand_path(out, selection_);
    return out;
  }
  CvResult finish(CvResult out, const Options& original, const CvPlan& plan) const {
    detail::set_device(out, Device::cpu);
    detail::unscale(out, scaling_);
    detail::check_finite(out, scaling_.largest_y, scaling_.largest_x);
    detail::flag_truncated_minimum(out, original);
    detail::finish_cv(out, plan, selection_);
    return out;
  }

 private:
  static detail::FeatureSelection checked_selection(const SparseMatrixView<In>& X, const In* y,
                                                    const Options& options) {
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
    if (!options.weights.empty()) detail::check_weights(options.weights, X.rows);
    if (!options.offset.empty()) detail::check_offset(options.offset, X.rows);
    detail::FeatureSelection sel = detail::select_features(options, X.cols);
    // binomial, poisson and weighted gaussian keep unpenalized features in the GLM batch,
    // sparse X or dense (their null models from the sparse columns themselves:
    // GlmBatchProblem::host_data); unweighted gaussian partials them out (SparseDesign)
    SparseDesign<double>::validate(X);  // before anything is read through col_ptr
    return sel;
  }

  detail::FeatureSelection selection_;
  KeptSparse<In> kept_;  // excluded features (exclude, factors of +inf) left out, O(nnz)
  detail::Rescaling scaling_;
  std::vector<In> values_, y_scaled_;
  SparseMatrixView<In> X_;
  const In* y_;
  Options options_;
};

// Multinomial's input checks before its own (labels, weights, offsets): the other options as
// gaussian's, the CPU, X's structure.
template <typename In>
void check_multinomial_input(const SparseMatrixView<In>& X, const In* y, const Options& options) {
  Options rest = options;
  rest.family = Family::gaussian;
  validate_options(rest);
  check_sparse_options(options);
  SparseDesign<double>::validate(X);
  if (y == nullptr) throw std::invalid_argument("invalid y: null pointer");
}

template <typename In>
Path fit_sparse(const SparseMatrixView<In>& X, const In* y, const Options& options) {
  if (options.family == Family::multinomial) {
    // its own solver (api/fit_multinomial.cpp), the design implicit
    check_multinomial_input(X, y, options);
    return detail::fit_multinomial(X, y, options);
  }
  if (!options.offset.empty() && options.family == Family::gaussian) {
    detail::check_offset(options.offset, X.rows);
    const detail::OffsetResponse<In> shifted(y, options);  // exactly the fit of y − o
    return fit_sparse(X, shifted.y.data(), shifted.options);
  }
  const SparseInput<In> in(X, y, options, false);
  const ResolvedOptions ro = in.resolved();
  Path out = options.precision == Precision::float32
                 ? [&] { CpuBackend<float> be; return run_path(be, in.X(), in.y(), ro); }()
                 : [&] { CpuBackend<double> be; return run_path(be, in.X(), in.y(), ro); }();
  return in.finish(std::move(out));
}

template <typename In>
CvResult cross_validate_sparse(const SparseMatrixView<In>& X, const In* y, const Options& options,
                               const CvOptions& cv) {
  if (options.family == Family::multinomial) {  // api/cv_multinomial.cpp
    check_multinomial_input(X, y, options);
    return detail::cross_validate_multinomial(X, y, options, cv);
  }
  if (!options.offset.empty() && options.family == Family::gaussian) {
    detail::check_offset(options.offset, X.rows);
    const detail::OffsetResponse<In> shifted(y, options);  // exactly the cv of y − o
    return cross_validate_sparse(X, shifted.y.data(), shifted.options, cv);
  }
  const SparseInput<In> in(X, y, options, true);
  const CvPlan plan = detail::plan_cv(options, cv, X.rows);
  const ResolvedOptions ro = in.resolved();
  auto run = [&](auto& backend) { return run_cv(backend, in.X(), in.y(), ro, plan); };
  CvResult out = options.precision == Precision::float32
                     ? [&] { CpuBackend<float> be; return run(be); }()
                     : [&] { CpuBackend<double> be; return run(be); }();
  return in.finish(std::move(out), options, plan);
}

}  // namespace

Path fit(const SparseMatrixView<double>& X, const double* y, const Options& options) {
  return fit_sparse(X, y, options);
}
Path fit(const SparseMatrixView<float>& X, const float* y, const Options& options) {
  return fit_sparse(X, y, options);
}
CvResult cross_validate(const SparseMatrixView<double>& X, const double* y,
                        const Options& options, const CvOptions& cv) {
  return cross_validate_sparse(X, y, options, cv);
}
CvResult cross_validate(const SparseMatrixView<float>& X, const float* y, const Options& options,
                        const CvOptions& cv) {
  return cross_validate_sparse(X, y, options, cv);
}

}  // namespace regpath
