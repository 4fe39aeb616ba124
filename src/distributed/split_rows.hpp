// The standardization of rows held by several ranks (GaussianProblem::SplitRows) and this
// rank's block standardized with it: the CPU backend's standardize() (cpu_backend.cpp) over all
// the rows — moments of x/m with m the column's largest magnitude, two passes, a constant
// column (its largest value equal to its least) scale 0 — and ȳ, ỹᵀỹ/n. Two sums and a
// maximum; a rank may hold no rows. Private.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/design/gaussian_problem.hpp"
#include "regpath/distributed.hpp"

namespace regpath::detail {

// The moments, and X̃_r, ỹ_r (rows × p column-major, rows) in the backend's precision T.
template <class Backend>
struct StandardizedRows {
  using T = typename Backend::value_type;
  typename GaussianProblem<Backend>::SplitRows split;
  std::vector<T> X, y;
};

template <class Backend, typename In>
StandardizedRows<Backend> standardize_split_rows(const Communicator& comm, const MatrixView<In>& X,
                                                 const In* y, std::int64_t n, bool standardize,
                                                 bool intercept) {
  using T = typename Backend::value_type;
  using Index = std::int64_t;
  const Index rows = X.rows, p = X.cols;
  const auto up = static_cast<std::size_t>(p);
  StandardizedRows<Backend> result;
  auto& out = result.split;
  out.comm = &comm;
  out.n = n;
  // max x_ij and −min x_ij per column over every rank (one maximum; a rank may hold no rows):
  // m_j = max |x_ij| (1 for a zero column), and the column is constant when max = min
  std::vector<double> extremes(2 * up, -HUGE_VAL);
  for (Index j = 0; j < p; ++j)
    for (Index i = 0; i < rows; ++i) {
      const double v = double(X(i, j));
      extremes[std::size_t(j)] = std::max(extremes[std::size_t(j)], v);
      extremes[up + std::size_t(j)] = std::max(extremes[up + std::size_t(j)], -v);
    }
  comm.max(extremes.data(), extremes.size());
  std::vector<double> largest(up);
  for (std::size_t j = 0; j < up; ++j) {
    largest[j] = std::max(std::fabs(extremes[j]), std::fabs(extremes[up + j]));
    if (largest[j] == 0) largest[j] = 1;
  }
  // Σ x/m per column and Σy: one sum
  std::vector<double> sums(up + 1, 0.0);
  for (Index j = 0; j < p; ++j)
    for (Index i = 0; i < rows; ++i)
      sums[std::size_t(j)] += double(X(i, j)) / largest[std::size_t(j)];
  for (Index i = 0; i < rows; ++i) sums[up] += double(y[i]);
  comm.sum(sums.data(), sums.size());
  out.y_mean = intercept ? sums[up] / double(n) : 0.0;
  // Σ(x/m − mean)² per column and Σ(y − ȳ)²: the second sum
  std::vector<double> squares(up + 1, 0.0);
  for (Index j = 0; j < p; ++j) {
    const double mean = sums[std::size_t(j)] / double(n), m = largest[std::size_t(j)];
    for (Index i = 0; i < rows; ++i) {
      const double d = double(X(i, j)) / m - mean;
      squares[std::size_t(j)] += d * d;
    }
  }
  for (Index i = 0; i < rows; ++i) {
    const double d = double(y[i]) - out.y_mean;
    squares[up] += d * d;
  }
  comm.sum(squares.data(), squares.size());
  out.yy = squares[up] / double(n);
  if (!std::isfinite(out.yy))
    throw std::invalid_argument("invalid y: its values are too large in magnitude for the "
                                "chosen precision (their squares overflow); rescale the response");
  out.mean.assign(up, 0.0);
  out.scale.assign(up, 0.0);
  for (Index j = 0; j < p; ++j) {
    const auto uj = std::size_t(j);
    const double m = largest[uj], mean = sums[uj] / double(n) * m;
    const double s = standardize ? std::sqrt(squares[uj] / double(n)) * m : 1.0;
    const bool constant = extremes[uj] == -extremes[up + uj] || s == 0;
    if (!std::isfinite(mean) || !std::isfinite(s))
      throw std::invalid_argument("invalid X: column " + std::to_string(j + 1) +
                                  " is too large in magnitude for the chosen precision (its "
                                  "mean or standard deviation overflows); rescale it");
    out.mean[uj] = intercept ? mean : 0.0;
    out.scale[uj] = constant ? 0.0 : s;
  }
  // This block standardized (X̃_r, ỹ_r), in the backend's precision.
  result.X.resize(static_cast<std::size_t>(rows * p));
  result.y.resize(static_cast<std::size_t>(rows));
  for (Index j = 0; j < p; ++j) {
    const double shift = out.mean[std::size_t(j)], s = out.scale[std::size_t(j)];
    for (Index i = 0; i < rows; ++i)
      result.X[std::size_t(i + j * rows)] =
          s > 0 ? static_cast<T>((double(X(i, j)) - shift) / s) : T(0);
  }
  for (Index i = 0; i < rows; ++i)
    result.y[std::size_t(i)] = static_cast<T>(double(y[i]) - out.y_mean);
  return result;
}

}  // namespace regpath::detail
