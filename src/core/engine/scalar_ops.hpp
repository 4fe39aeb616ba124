// The scalar formulas of the solver, shared by the CPU backend and the CUDA kernels so that the two
// cannot drift. Everything here is callable from host and device code.
#pragma once

#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define REGPATH_HOST_DEVICE __host__ __device__
#else
#define REGPATH_HOST_DEVICE
#endif

namespace regpath::ops {

// S(z, κ) = sign(z)·max(|z| − κ, 0)
template <typename T>
REGPATH_HOST_DEVICE inline T soft_threshold(T z, T kappa) {
  if (z > kappa) return z - kappa;
  if (z < -kappa) return z + kappa;
  return T(0);
}

// The penalty (one policy, used by every datafit): the elastic net with a factor w_j > 0 per
// feature (glmnet's penalty.factor), coordinate j's term  λ·w_j·(α|b| + (1−α)/2·b²).
// Every per-coordinate formula below is the plain elastic net's at λ·w_j; a null `factor` array
// means w = 1 everywhere (and then the arithmetic is exactly the plain elastic net's).
template <typename T>
REGPATH_HOST_DEVICE inline T factor_at(const T* factor, std::int64_t j) {
  return factor ? factor[j] : T(1);
}

// The elastic-net proximal step of one coordinate with step t and factor w:
//   argmin_b  (1/2t)(b − z)² + λw·(α|b| + (1−α)/2·b²),  z = y − t·g
//   = S(z, t·λα·w) / (1 + t·λ(1−α)·w)
template <typename T>
REGPATH_HOST_DEVICE inline T prox_elastic_net(T y, T g, T step, T lambda, T alpha, T w = T(1)) {
  const T z = y - step * g;
  return soft_threshold(z, step * lambda * alpha * w) /
         (T(1) + step * lambda * (T(1) - alpha) * w);
}

// FISTA's momentum sequence: θ_{k+1} = (1 + √(1 + 4θ_k²)) / 2.
template <typename T>
REGPATH_HOST_DEVICE inline T next_theta(T theta) {
  using std::sqrt;  // sqrt(float) stays float, on host and device
  return (T(1) + sqrt(T(1) + T(4) * theta * theta)) / T(2);
}

// Per-coordinate terms of the duality gap of one column (summed, except `max_dual`, which is a
// maximum), with the penalty factors w_j. See duality_gap.hpp for how they combine. Always
// accumulated in double.
struct GapTerms {
  double beta_dot_grad = 0;  // Σ β_j g_j
  double l1 = 0;             // Σ w_j|β_j|
  double l2sq = 0;           // Σ w_j·β_j²
  double excess_sq = 0;      // Σ (|g_j| − λα·w_j)₊² / w_j
  double max_dual = 0;       // max |g_j + λ(1−α)·w_j·β_j| / w_j
  double c_dot_beta = 0;     // Σ c_j β_j,  c = X̃ᵀỹ/n
  static constexpr int count = 6;
};

template <typename T>
REGPATH_HOST_DEVICE inline void accumulate_gap_terms(GapTerms& acc, T beta, T grad, T c, T lambda,
                                                     T alpha, T factor = T(1)) {
  const double b = beta, g = grad, w = factor, l1w = double(lambda) * double(alpha) * w,
               l2w = double(lambda) * (1.0 - double(alpha)) * w;
  acc.beta_dot_grad += b * g;
  acc.l1 += w * (b < 0 ? -b : b);
  acc.l2sq += w * (b * b);
  const double ag = g < 0 ? -g : g;
  const double excess = ag > l1w ? ag - l1w : 0.0;
  acc.excess_sq += excess * excess / w;
  const double d = g + l2w * b;
  const double ad = (d < 0 ? -d : d) / w;
  acc.max_dual = ad > acc.max_dual ? ad : acc.max_dual;
  acc.c_dot_beta += double(c) * b;
}

REGPATH_HOST_DEVICE inline void merge_gap_terms(GapTerms& acc, const GapTerms& other) {
  acc.beta_dot_grad += other.beta_dot_grad;
  acc.l1 += other.l1;
  acc.l2sq += other.l2sq;
  acc.excess_sq += other.excess_sq;
  acc.max_dual = other.max_dual > acc.max_dual ? other.max_dual : acc.max_dual;
  acc.c_dot_beta += other.c_dot_beta;
}

// The penalty's terms of the GLM batch certificate for one column (rows 0 … p−1 of its block;
// the intercept row is unpenalized), with L1 weight λα and the factors w_j: sums, and one
// maximum. In double.
struct PenaltyTerms {
  double l1 = 0;            // Σ w_j|β_j|
  double l2sq = 0;          // Σ w_j·β_j²
  double excess_sq = 0;     // Σ (|g_j| − λα·w_j)₊² / w_j
  double max_abs_grad = 0;  // max |g_j| / w_j
  static constexpr int count = 4;
};

template <typename T>
REGPATH_HOST_DEVICE inline void accumulate_penalty_terms(PenaltyTerms& acc, T beta, T grad,
                                                         double l1_weight, T factor = T(1)) {
  const double b = beta, w = factor, g = grad < T(0) ? -double(grad) : double(grad);
  const double lw = l1_weight * w;
  acc.l1 += w * (b < 0 ? -b : b);
  acc.l2sq += w * (b * b);
  acc.max_abs_grad = g / w > acc.max_abs_grad ? g / w : acc.max_abs_grad;
  if (g > lw) acc.excess_sq += (g - lw) * (g - lw) / w;
}

REGPATH_HOST_DEVICE inline void merge_penalty_terms(PenaltyTerms& acc, const PenaltyTerms& other) {
  acc.l1 += other.l1;
  acc.l2sq += other.l2sq;
  acc.excess_sq += other.excess_sq;
  acc.max_abs_grad = other.max_abs_grad > acc.max_abs_grad ? other.max_abs_grad : acc.max_abs_grad;
}

}  // namespace regpath::ops
