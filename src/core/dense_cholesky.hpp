// A small dense SPD solve on the host, for the support polish (sizes of a few hundred).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace regpath {

// Solves A·x = b in place (A m×m column-major, symmetric; b becomes x) by Cholesky. Returns
// false, leaving b unspecified, when A is not numerically positive definite: a pivot below
// 1e-12 × the largest diagonal entry means the solution would be noise.
inline bool cholesky_solve(std::vector<double>& A, std::int64_t m, std::vector<double>& b) {
  double max_diag = 0;
  for (std::int64_t i = 0; i < m; ++i) max_diag = std::fmax(max_diag, A[std::size_t(i + i * m)]);
  if (!(max_diag > 0)) return false;
  // A = L·Lᵀ, L in the lower triangle (left-looking, column by column)
  for (std::int64_t j = 0; j < m; ++j) {
    double d = A[std::size_t(j + j * m)];
    for (std::int64_t k = 0; k < j; ++k) d -= A[std::size_t(j + k * m)] * A[std::size_t(j + k * m)];
    if (!(d > 1e-12 * max_diag)) return false;
    const double ljj = std::sqrt(d);
    A[std::size_t(j + j * m)] = ljj;
    for (std::int64_t i = j + 1; i < m; ++i) {
      double s = A[std::size_t(i + j * m)];
      for (std::int64_t k = 0; k < j; ++k) s -= A[std::size_t(i + k * m)] * A[std::size_t(j + k * m)];
      A[std::size_t(i + j * m)] = s / ljj;
    }
  }
  // L·z = b, then Lᵀ·x = z
  for (std::int64_t i = 0; i < m; ++i) {
    double s = b[std::size_t(i)];
    for (std::int64_t k = 0; k < i; ++k) s -= A[std::size_t(i + k * m)] * b[std::size_t(k)];
    b[std::size_t(i)] = s / A[std::size_t(i + i * m)];
  }
  for (std::int64_t i = m - 1; i >= 0; --i) {
    double s = b[std::size_t(i)];
    for (std::int64_t k = i + 1; k < m; ++k) s -= A[std::size_t(k + i * m)] * b[std::size_t(k)];
    b[std::size_t(i)] = s / A[std::size_t(i + i * m)];
  }
  return true;
}

}  // namespace regpath
