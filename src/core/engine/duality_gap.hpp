// The duality gap of the gaussian elastic net, from per-column sums (ops::GapTerms).
//
// Primal (centred, standardized data):  P(β) = (1/2n)‖ỹ − X̃β‖² + λα‖β‖₁ + λ(1−α)/2‖β‖²
// With g = X̃ᵀ(X̃β − ỹ)/n (the gradient) and c = X̃ᵀỹ/n, yy = ỹᵀỹ/n:
//   Ry = (ỹ − X̃β)ᵀỹ/n = yy − cᵀβ
//   RR = ‖ỹ − X̃β‖²/n  = Ry + βᵀg
// With penalty factors w_j (core/penalty/) every λ below is λ·w_j for coordinate j: the sums of
// ops::GapTerms carry the w_j (‖β‖₁ = Σ w_j|β_j|, ‖β‖² = Σ w_j β_j², the excess divided by w_j,
// and max_dual = max |g_j + λ(1−α)w_jβ_j|/w_j), so the formulas below hold as written. With
// bounds lo_j ≤ β_j ≤ hi_j (glmnet's limits) the coordinate's conjugate changes where its
// maximizer is clipped (a: the clipped coordinates' h_j*(−g_j) replace their excess terms) and
// a bound makes the dual constraint of the violated side void (b: those coordinates leave the
// maximum that sets s, and their h_j*(−s·d_j) ≤ (|d_j| − λα·w_j)·|bound| is added).
// Two dual points give two valid gaps; we keep the smaller:
//  (a) α < 1, the residual itself (ridge part makes the dual unconstrained):
//        gap = βᵀg + λα‖β‖₁ + λ(1−α)/2‖β‖² + Σ(|g_j| − λα)₊² / (2λ(1−α))
//      Each coordinate's term is ≥ 0 (Fenchel–Young), so no cancellation against yy.
//  (b) α > 0, scikit-learn's: the residual scaled by s = min(1, λα / max|g + λ(1−α)β|)
//      (the lasso dual of the problem with ridge rows appended):
//        gap = ½(1−s)²·Ry + ½(1+s²)(βᵀg + λ(1−α)‖β‖²) + λα‖β‖₁
#pragma once

#include <algorithm>
#include <limits>

#include "core/engine/scalar_ops.hpp"

namespace regpath {

struct GapReport {
  double rss = 0;     // ‖ỹ − X̃β‖²/n
  double primal = 0;  // P(β)
  double gap = 0;     // P(β) − D(θ) ≥ P(β) − P*
  double relative() const { return primal > 0 ? gap / primal : 0.0; }
};

inline GapReport gaussian_gap(const ops::GapTerms& t, double yy, double lambda, double alpha) {
  const double l1w = lambda * alpha, l2w = lambda * (1.0 - alpha);
  const double ry = yy - t.c_dot_beta;
  const double rr = std::max(ry + t.beta_dot_grad, 0.0);
  GapReport r;
  r.rss = rr;
  r.primal = 0.5 * rr + l1w * t.l1 + 0.5 * l2w * t.l2sq;
  double gap = std::numeric_limits<double>::infinity();
  if (alpha < 1.0 && l2w > 0)
    gap = t.beta_dot_grad + l1w * t.l1 + 0.5 * l2w * t.l2sq + t.excess_sq / (2.0 * l2w) +
          t.clipped_conjugate;
  if (alpha > 0.0) {
    const double s = t.max_dual > l1w ? l1w / t.max_dual : 1.0;
    const double scaled = 0.5 * (1 - s) * (1 - s) * ry +
                          0.5 * (1 + s * s) * (t.beta_dot_grad + l2w * t.l2sq) + l1w * t.l1 +
                          t.box_excess;
    gap = std::min(gap, scaled);
  }
  r.gap = std::max(gap, 0.0);  // rounding can leave a tiny negative at the optimum
  return r;
}

}  // namespace regpath
