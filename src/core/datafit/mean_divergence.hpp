// The divergence the GLM datafits' Fenchel–Young gaps reduce to (logistic.hpp, poisson.hpp), in
// a form that keeps its relative accuracy near 0, where the duality gap of a converged column is.
#pragma once

#include <cmath>

#include "core/engine/scalar_ops.hpp"

namespace regpath::ops {

// D(μ + δ ‖ μ) = (μ + δ)·log(1 + δ/μ) − δ for μ > 0 and μ + δ ≥ 0: the Bregman divergence of
// x·log x − x between the means q = μ + δ and μ, ≥ 0 and ≈ δ²/(2μ) for small δ. It is μ·h(δ/μ)
// with h(t) = (1 + t)·log1p(t) − t, whose two terms are ~|t| each while h is ~t²/2: for
// |t| < ⅛ h is summed from its series, h(t) = Σ_{m≥2} (−t)^m / (m(m − 1)) (Horner, terms to
// t²⁴, below 2⁻⁶⁰ of the first), elsewhere the direct form loses at most 5 bits. q = 0
// (t = −1, or below it by rounding) gives μ.
template <typename T>
REGPATH_HOST_DEVICE inline T mean_divergence(T mu, T delta) {
  using std::log1p;
  const T t = delta / mu;
  if (t <= T(-1)) return mu;
  if (t > T(-0.125) && t < T(0.125)) {
    T sum = T(0);
    for (int m = 24; m >= 2; --m) sum = T(1) / T(m * (m - 1)) - t * sum;
    return mu * (t * t * sum);
  }
  return mu * ((T(1) + t) * log1p(t) - t);
}

}  // namespace regpath::ops
