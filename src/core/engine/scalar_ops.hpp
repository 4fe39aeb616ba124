// The scalar formulas of the solver, shared by the CPU backend and the CUDA kernels so that the two
// cannot drift. Everything here is callable from host and device code.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

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

// The penalty (one policy, used by every datafit): the elastic net with a factor w_j ≥ 0 per
// feature (glmnet's penalty.factor; 0, unpenalized, in the GLM batch only), coordinate j's term
// λ·w_j·(α|b| + (1−α)/2·b²): the prox at w_j = 0 is the identity.
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

// One coordinate's share of the penalty's certificate terms, for coordinate penalty
// h(b) = λw·(α|b| + (1−α)/2·b²) on lo ≤ b ≤ hi (lo ≤ 0 ≤ hi), at b with gradient g and (for the
// scaled dual point, see duality_gap.hpp) augmented gradient d. l1w = λα and l2w = λ(1−α), not
// yet weighted by w. In double.
//   l1, l2sq:   w|b|, w·b²
//   excess_sq:  (|g| − λαw)₊²/w, the conjugate h*(−g)·2λ(1−α) when its maximizer
//               S(−g, λαw)/(λ(1−α)w) lies in the box (always, without bounds)
//   clipped:    h*(−g) itself when that maximizer is clipped: −g·b* − h(b*), b* the clipped one
//   ratio:      |d|/w, whose maximum over the coordinates sets the dual scaling — unless d's
//               violation (|d| > λαw) pushes against a finite bound, where instead
//   box_excess: (|d| − λαw)·|that bound| ≥ h*(−s·d) for every scaling s ≤ 1 (so the gap stays
//               valid: it is P − D with D lowered by at most this)
struct PenaltyShare {
  double l1 = 0, l2sq = 0, excess_sq = 0, clipped = 0, ratio = 0, box_excess = 0;
};

REGPATH_HOST_DEVICE inline PenaltyShare penalty_share(double b, double g, double d, double l1w,
                                                      double l2w, double w, double lo,
                                                      double hi) {
  const double inf = std::numeric_limits<double>::infinity();
  PenaltyShare out;
  // w = 0 (an unpenalized feature, GLM batch only): no penalty, and its conjugate is the
  // indicator of g = 0, which no share can express: the caller certifies it (PenaltyTerms'
  // free_grad; their share of the gap cancels, glm_batch_solver.hpp)
  if (w == 0) return out;
  const double lw = l1w * w, rw = l2w * w;
  out.l1 = w * (b < 0 ? -b : b);
  out.l2sq = w * (b * b);
  const double ag = g < 0 ? -g : g;
  const double excess = ag > lw ? ag - lw : 0.0;
  const double v = -g;
  const double free_max = rw > 0 ? (v > lw ? v - lw : (v < -lw ? v + lw : 0.0)) / rw : 0.0;
  if (rw > 0 && (free_max < lo || free_max > hi)) {
    const double bc = free_max < lo ? lo : hi;
    out.clipped = v * bc - (lw * (bc < 0 ? -bc : bc) + 0.5 * rw * bc * bc);
  } else {
    out.excess_sq = excess * excess / w;
  }
  const double ad = d < 0 ? -d : d;
  if (-d > lw && hi < inf) {
    out.box_excess = (-d - lw) * hi;
  } else if (d > lw && lo > -inf) {
    out.box_excess = (d - lw) * -lo;
  } else {
    out.ratio = ad / w;
  }
  return out;
}

// Per-coordinate terms of the duality gap of one column (summed, except `max_dual`, which is a
// maximum), with the penalty factors w_j and bounds [lo_j, hi_j]. See duality_gap.hpp for how
// they combine. Always accumulated in double.
struct GapTerms {
  double beta_dot_grad = 0;      // Σ β_j g_j
  double l1 = 0;                 // Σ w_j|β_j|
  double l2sq = 0;               // Σ w_j·β_j²
  double excess_sq = 0;          // Σ (|g_j| − λα·w_j)₊² / w_j   (unclipped coordinates)
  double max_dual = 0;           // max |g_j + λ(1−α)·w_j·β_j| / w_j   (unblocked coordinates)
  double c_dot_beta = 0;         // Σ c_j β_j,  c = X̃ᵀỹ/n
  double clipped_conjugate = 0;  // Σ h_j*(−g_j) over the clipped coordinates (PenaltyShare)
  double box_excess = 0;         // Σ of PenaltyShare::box_excess
  static constexpr int count = 8;
};

template <typename T>
REGPATH_HOST_DEVICE inline void accumulate_gap_terms(
    GapTerms& acc, T beta, T grad, T c, T lambda, T alpha, T factor = T(1),
    T lower = -std::numeric_limits<T>::infinity(), T upper = std::numeric_limits<T>::infinity()) {
  const double b = beta, g = grad, l1w = double(lambda) * double(alpha),
               l2w = double(lambda) * (1.0 - double(alpha));
  const double d = g + l2w * double(factor) * b;
  const PenaltyShare sh = penalty_share(b, g, d, l1w, l2w, factor, lower, upper);
  acc.beta_dot_grad += b * g;
  acc.l1 += sh.l1;
  acc.l2sq += sh.l2sq;
  acc.excess_sq += sh.excess_sq;
  acc.max_dual = sh.ratio > acc.max_dual ? sh.ratio : acc.max_dual;
  acc.c_dot_beta += double(c) * b;
  acc.clipped_conjugate += sh.clipped;
  acc.box_excess += sh.box_excess;
}

REGPATH_HOST_DEVICE inline void merge_gap_terms(GapTerms& acc, const GapTerms& other) {
  acc.beta_dot_grad += other.beta_dot_grad;
  acc.l1 += other.l1;
  acc.l2sq += other.l2sq;
  acc.excess_sq += other.excess_sq;
  acc.max_dual = other.max_dual > acc.max_dual ? other.max_dual : acc.max_dual;
  acc.c_dot_beta += other.c_dot_beta;
  acc.clipped_conjugate += other.clipped_conjugate;
  acc.box_excess += other.box_excess;
}

// The penalty's terms of the GLM batch certificate for one column (rows 0 … p−1 of its block;
// the intercept row is unpenalized), with L1 weight λα, ridge weight λ(1−α), the factors w_j and
// bounds: sums, and two maxima. In double. (The GLM's scaled dual is the lasso's, d = g.)
// The unpenalized coordinates (w_j = 0) add only to free_grad.
struct PenaltyTerms {
  double l1 = 0;                 // Σ w_j|β_j|
  double l2sq = 0;               // Σ w_j·β_j²
  double excess_sq = 0;          // Σ (|g_j| − λα·w_j)₊² / w_j   (unclipped coordinates)
  double max_abs_grad = 0;       // max |g_j| / w_j   (unblocked coordinates, w_j > 0)
  double clipped_conjugate = 0;  // as GapTerms
  double box_excess = 0;         // as GapTerms
  double free_grad = 0;          // max_{w_j = 0} |g_j|
  double grad_dot = 0;           // Σ_{w_j > 0} β_j g_j
  static constexpr int count = 8;
};

template <typename T>
REGPATH_HOST_DEVICE inline void accumulate_penalty_terms(
    PenaltyTerms& acc, T beta, T grad, double l1_weight, double l2_weight, T factor = T(1),
    T lower = -std::numeric_limits<T>::infinity(), T upper = std::numeric_limits<T>::infinity()) {
  const double g = grad;
  if (factor == T(0)) {
    const double ag = g < 0 ? -g : g;
    acc.free_grad = ag > acc.free_grad ? ag : acc.free_grad;
    return;
  }
  const PenaltyShare sh = penalty_share(beta, g, g, l1_weight, l2_weight, factor, lower, upper);
  acc.grad_dot += double(beta) * g;
  acc.l1 += sh.l1;
  acc.l2sq += sh.l2sq;
  acc.excess_sq += sh.excess_sq;
  acc.max_abs_grad = sh.ratio > acc.max_abs_grad ? sh.ratio : acc.max_abs_grad;
  acc.clipped_conjugate += sh.clipped;
  acc.box_excess += sh.box_excess;
}

REGPATH_HOST_DEVICE inline void merge_penalty_terms(PenaltyTerms& acc, const PenaltyTerms& other) {
  acc.l1 += other.l1;
  acc.l2sq += other.l2sq;
  acc.excess_sq += other.excess_sq;
  acc.max_abs_grad = other.max_abs_grad > acc.max_abs_grad ? other.max_abs_grad : acc.max_abs_grad;
  acc.clipped_conjugate += other.clipped_conjugate;
  acc.box_excess += other.box_excess;
  acc.free_grad = other.free_grad > acc.free_grad ? other.free_grad : acc.free_grad;
  acc.grad_dot += other.grad_dot;
}

}  // namespace regpath::ops
