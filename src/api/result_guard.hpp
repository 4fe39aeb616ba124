// The API boundary's guard on magnitudes: data rescaled where that is exact, refused where it
// would overflow, and every number handed back checked to be finite. Private.
//
// The solver works in one precision on the data as given, so y ≈ 3e38 overflowed float32's
// sums (λ = inf, "converged"), one y = 1e78 overflowed cv's variance of squared errors in float64,
// and a 1e200 column overflowed its own standard deviation. Most of these are exactly
// removable by scaling with a power of two (no rounding at all):
//
//   - a standardized column j: X_j/c_j standardizes to the same column, so β_j = β'_j/c_j;
//   - a gaussian y, when the problem is homogeneous in y: the lasso (α = 1), or any α under
//     glmnet's y scaling. Then y/s at λ/s has the solution β/s (intercept too), λ_max/s, the
//     same gaps and deviance ratios, and s² times the cv errors.
//
// Only data outside a safe range [lo, hi] for the precision is rescaled, so ordinary data goes
// through bit for bit as before. Where no exact rescaling exists (an unstandardized column, y of
// the elastic net without glmnet's scaling) the data is solved as given, a column too large for
// its squares is refused up front, and whatever still overflows is refused by the final check
// with a message saying what overflowed: never a result holding Inf or NaN.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "regpath/regpath.hpp"

namespace regpath::detail {

// The range of magnitudes (largest |value| of a column or of y) the solver takes as they are in
// `precision` with n rows: fourth powers times n stay finite and normal (cv's variance of squared
// errors is the highest power formed), with a margin of 16.
struct SafeRange {
  double lo = 0, hi = 0;
};
SafeRange safe_range(Precision precision, std::int64_t n);

// Power-of-two exponents: the data divided by 2^k (k = 0: as it is).
struct Rescaling {
  int y_exp = 0;
  std::vector<int> column_exp;  // empty: no column rescaled
  double largest_y = 0, largest_x = 0;  // the data's largest magnitudes, for messages
  bool any() const { return y_exp != 0 || !column_exp.empty(); }
};

// Whether scaling a gaussian y leaves the problem's solution scaled (see above).
bool y_rescaling_is_exact(const Options& o, bool cv);

// Throws ColumnError for an unstandardized column whose squares overflow `o.precision`.
// Returns the exact rescaling that brings every magnitude into the safe range where one exists.
template <typename In>
Rescaling plan_rescaling(const MatrixView<In>& X, const In* y, const Options& o, bool cv);
// The same for a sparse X (validated: SparseDesign::validate): a column's magnitude is its
// stored values' (the implicit zeros are no extreme).
template <typename In>
Rescaling plan_rescaling(const SparseMatrixView<In>& X, const In* y, const Options& o, bool cv);
// Both from the magnitudes alone: y's largest |value| and each column's, with n rows.
Rescaling plan_rescaling_for(double largest_y, const std::vector<double>& column_max,
                             std::int64_t n, const Options& o, bool cv);
// A sparse X's stored values divided by their column's power of two (a copy; the indices are
// the caller's).
template <typename In>
std::vector<In> rescaled_values(const SparseMatrixView<In>& X, const Rescaling& r);

// y and X divided by the rescaling's powers of two (X copied, column-major with ld = rows), and
// the options' explicit λ divided by 2^y_exp.
template <typename In>
struct RescaledData {
  std::vector<In> X, y;
  MatrixView<In> view;
  Options options;
};
template <typename In>
RescaledData<In> rescale(const MatrixView<In>& X, const In* y, const Options& o,
                         const Rescaling& r);

// The results on the original scale.
void unscale(Path& path, const Rescaling& r);
void unscale(CvResult& result, const Rescaling& r);

// The invariant of every result handed out: each number finite. Throws std::invalid_argument naming the first number that is not, with the data's
// largest magnitudes and what to do; `what` names the result ("fit", "cv fold 3").
void check_finite(const Path& path, const std::string& what, double largest_y,
                  double largest_x);
void check_finite(const CvResult& result, double largest_y, double largest_x);

// `v` in 6 significant digits, for messages.
std::string to_text(double v);

// The largest |value| of n values.
template <typename In>
double largest_magnitude(const In* v, std::int64_t n) {
  double m = 0;
  for (std::int64_t i = 0; i < n; ++i) m = std::max(m, std::fabs(double(v[i])));
  return m;
}

// cv's flags for a lambda_min at the end of a path that ended early (CvCurve).
void flag_truncated_minimum(CvResult& result, const Options& o);

// What a solve at the API boundary sees and hands back: the caller's data, or its rescaled copy
// (plan_rescaling; throws for data without an exact rescaling beyond the range), and results
// mapped back to the original scale and checked finite.
template <typename In>
class GuardedInput {
 public:
  GuardedInput(const MatrixView<In>& X, const In* y, const Options& o, bool cv);
  const MatrixView<In>& X() const { return X_; }
  const In* y() const { return y_; }
  const Options& options() const { return options_; }
  Path finish(Path path) const;
  CvResult finish(CvResult result, const Options& original) const;

 private:
  Rescaling scaling_;
  RescaledData<In> data_;  // empty unless something is rescaled
  MatrixView<In> X_;
  const In* y_ = nullptr;
  Options options_;
};

// ---- templates ----------------------------------------------------------------------------------

// The exponent k with |m|/2^k in [0.5, 1), or 0 when m is already in [lo, hi] (or zero).
inline int rescale_exponent(double m, const SafeRange& range) {
  if (m == 0 || (m >= range.lo && m <= range.hi)) return 0;
  int k = 0;
  std::frexp(m, &k);
  return k;
}

template <typename In>
Rescaling plan_rescaling(const MatrixView<In>& X, const In* y, const Options& o, bool cv) {
  std::vector<double> column_max(std::size_t(X.cols));
  for (std::int64_t j = 0; j < X.cols; ++j)
    column_max[std::size_t(j)] = largest_magnitude(X.data + j * X.ld, X.rows);
  return plan_rescaling_for(largest_magnitude(y, X.rows), column_max, X.rows, o, cv);
}

template <typename In>
Rescaling plan_rescaling(const SparseMatrixView<In>& X, const In* y, const Options& o, bool cv) {
  std::vector<double> column_max(std::size_t(X.cols));
  for (std::int64_t j = 0; j < X.cols; ++j)
    column_max[std::size_t(j)] =
        largest_magnitude(X.values + X.col_ptr[j], X.col_ptr[j + 1] - X.col_ptr[j]);
  return plan_rescaling_for(largest_magnitude(y, X.rows), column_max, X.rows, o, cv);
}

template <typename In>
std::vector<In> rescaled_values(const SparseMatrixView<In>& X, const Rescaling& r) {
  std::vector<In> v(X.values, X.values + X.nnz);
  if (r.column_exp.empty()) return v;
  for (std::int64_t j = 0; j < X.cols; ++j)
    for (std::int64_t k = X.col_ptr[j]; k < X.col_ptr[j + 1]; ++k)
      v[std::size_t(k)] = std::ldexp(X.values[k], -r.column_exp[std::size_t(j)]);
  return v;
}

template <typename In>
RescaledData<In> rescale(const MatrixView<In>& X, const In* y, const Options& o,
                         const Rescaling& r) {
  RescaledData<In> d;
  const std::int64_t n = X.rows, p = X.cols;
  d.y.resize(std::size_t(n));
  for (std::int64_t i = 0; i < n; ++i) d.y[std::size_t(i)] = std::ldexp(y[i], -r.y_exp);
  if (r.column_exp.empty()) {
    d.view = X;
  } else {
    d.X.resize(std::size_t(n * p));
    for (std::int64_t j = 0; j < p; ++j)
      for (std::int64_t i = 0; i < n; ++i)
        d.X[std::size_t(i + j * n)] = std::ldexp(X(i, j), -r.column_exp[std::size_t(j)]);
    d.view = MatrixView<In>{d.X.data(), n, p, n};
  }
  d.options = o;
  for (double& l : d.options.lambdas) l = std::ldexp(l, -r.y_exp);
  return d;
}

template <typename In>
GuardedInput<In>::GuardedInput(const MatrixView<In>& X, const In* y, const Options& o, bool cv)
    : scaling_(plan_rescaling(X, y, o, cv)), X_(X), y_(y), options_(o) {
  if (!scaling_.any()) return;
  data_ = rescale(X, y, o, scaling_);
  X_ = data_.view;
  y_ = data_.y.data();
  options_ = data_.options;
}

template <typename In>
Path GuardedInput<In>::finish(Path path) const {
  unscale(path, scaling_);
  check_finite(path, "fit", scaling_.largest_y, scaling_.largest_x);
  return path;
}

template <typename In>
CvResult GuardedInput<In>::finish(CvResult result, const Options& original) const {
  unscale(result, scaling_);
  check_finite(result, scaling_.largest_y, scaling_.largest_x);
  flag_truncated_minimum(result, original);
  return result;
}

}  // namespace regpath::detail
