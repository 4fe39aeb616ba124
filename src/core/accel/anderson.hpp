// Anderson extrapolation of a fixed-point iteration (as celer's and skglm's coordinate
// descent use it): from the last K + 1 iterates x⁽⁰⁾…x⁽ᴷ⁾ (m values each) and
// U = [x⁽¹⁾ − x⁽⁰⁾, …, x⁽ᴷ⁾ − x⁽ᴷ⁻¹⁾], the weights
//     c = z / Σz,   (UᵀU + 1e-10·tr(UᵀU)·I) z = 1
// of the point Σ_k c_k·x⁽ᵏ⁺¹⁾. The caller forms that point (and, where the iteration keeps
// quantities affine in x, such as a residual, the same combination of theirs) and keeps it only
// where its objective is lower. Used by path_descent.hpp (gaussian) and glm_newton_polish.hpp
// (the Newton steps' inner coordinate descent).
#pragma once

#include <cmath>
#include <cstddef>

namespace regpath::anderson {

// The weights c[0..K) from `hist`, the K + 1 iterates stored one after the other (m values
// each). False when U is 0 or the system is singular (no extrapolation then). 2·K²·m flops.
template <std::size_t K>
bool weights(const double* hist, std::size_t m, double (&c)[K]) {
  double C[K][K + 1];
  for (std::size_t a = 0; a < K; ++a)
    for (std::size_t b = 0; b <= a; ++b) {
      double d = 0;
      for (std::size_t i = 0; i < m; ++i)
        d += (hist[(a + 1) * m + i] - hist[a * m + i]) * (hist[(b + 1) * m + i] - hist[b * m + i]);
      C[a][b] = C[b][a] = d;
    }
  double trace = 0;
  for (std::size_t a = 0; a < K; ++a) trace += C[a][a];
  if (!(trace > 0)) return false;
  for (std::size_t a = 0; a < K; ++a) {
    C[a][a] += 1e-10 * trace;  // U is often nearly rank-deficient
    C[a][K] = 1;
  }
  // z = C⁻¹1 by Gaussian elimination (C is SPD: no pivoting needed)
  for (std::size_t a = 0; a < K; ++a) {
    if (!(C[a][a] > 0)) return false;
    for (std::size_t b = a + 1; b < K; ++b) {
      const double f = C[b][a] / C[a][a];
      for (std::size_t k = a; k <= K; ++k) C[b][k] -= f * C[a][k];
    }
  }
  double total = 0;
  for (std::size_t a = K; a-- > 0;) {
    double v = C[a][K];
    for (std::size_t b = a + 1; b < K; ++b) v -= C[a][b] * c[b];
    c[a] = v / C[a][a];
    total += c[a];
  }
  if (!(std::fabs(total) > 0) || !std::isfinite(total)) return false;
  for (std::size_t a = 0; a < K; ++a) c[a] /= total;
  return true;
}

}  // namespace regpath::anderson
