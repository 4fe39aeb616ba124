// glmnet's family = "multinomial": C linear predictors, their softmax, the symmetric
// parametrization, ungrouped (lasso per β_jc) or grouped (a group shrink over the C
// coefficients of feature j) elastic net. Private.
//
// A focused host solver, not the batch engine: a row's residual needs the softmax over its C
// predictors (a pass over C adjacent columns instead of GlmBatchSolver's elementwise
// glm_pointwise), the grouped penalty a prox over C columns at once, and the certificate is
// KKT-based (below); grafting those onto GlmBatchSolver's column bookkeeping (one column, one
// λ) would touch every accelerator. FISTA with adaptive restart on standardized X, its two
// products the design's (dense: BLAS GEMMs); the backends are untouched.
//
// Objective per λ (standardized coefficients B̃ p×C, intercepts b0 1×C):
//   F = −(1/n) Σ_i v_i [ η_ic(i) − log Σ_c exp η_ic ] + λ Σ_j f_j pen(B̃_j·),
//   η_i· = b0 + x̃_iᵀB̃ + o_i·   (weights v summing to n, offsets o, penalty factors f)
//   ungrouped: pen(v) = Σ_c α|v_c| + (1−α)/2·v_c²;  grouped: α‖v‖₂ + (1−α)/2·‖v‖₂²;
//   with limits (either type): l_j ≤ B̃_jc ≤ u_j, l_j ≤ 0 ≤ u_j.
// Stopping rule (documented honestly: not a duality gap): the largest violation of the
// optimality conditions, over the intercepts' gradient and every (j, c) subgradient condition
// (grouped: per feature, in 2-norm), ≤ tol·λ_max. Status::max_iter otherwise.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/design/multinomial_design.hpp"
#include "regpath/regpath.hpp"

namespace regpath::detail {

struct MultinomialProblem {
  std::int64_t n = 0, p = 0, C = 0;
  std::shared_ptr<const MultinomialDesign> X;  // X̃: n × p, standardized (dense or sparse)
  std::vector<int> label;    // n, 0..C−1
  bool intercept = true;
  bool grouped = false;
  double alpha = 1.0;
  // glmnet's options, on the standardized scale; each empty when not used
  std::vector<double> weight;        // n row weights summing to n (the loss's v_i)
  std::vector<double> offset;        // n × C, added to η (glmnet's offset matrix)
  std::vector<double> factor;        // p penalty factors (0: unpenalized)
  std::vector<double> lower, upper;  // p limits on β̃_jc, −∞/+∞ for none
  // the null model's solve: every penalized coefficient held at 0 (unpenalized ones and the
  // intercepts fitted)
  bool penalized_frozen = false;

  double weight_of(std::int64_t i) const {
    return weight.empty() ? 1.0 : weight[std::size_t(i)];
  }
  double factor_of(std::int64_t j) const {
    return factor.empty() ? 1.0 : factor[std::size_t(j)];
  }
};

// Softmax probabilities P (n × C, column-major) of η = 1·b0ᵀ + X̃B̃ + O; returns the mean
// (weighted) loss (1/n)·Σ_i v_i·loss_i.
inline double multinomial_softmax(const MultinomialProblem& pr, const std::vector<double>& B,
                                  const std::vector<double>& b0, std::vector<double>& P) {
  const std::int64_t n = pr.n, C = pr.C;
  // η = 1·b0ᵀ + X̃·B̃ + O (n × C)
  for (std::int64_t c = 0; c < C; ++c) {
    double* e = &P[std::size_t(c * n)];
    for (std::int64_t i = 0; i < n; ++i) e[i] = b0[std::size_t(c)];
    if (!pr.offset.empty())
      for (std::int64_t i = 0; i < n; ++i) e[i] += pr.offset[std::size_t(i + c * n)];
  }
  pr.X->add_times(B.data(), C, P.data());
  // per row: p_ic = exp(η_ic − m) / Σ exp(η_i· − m), m = max_c η_ic (no overflow);
  // loss_i = log Σ_c exp η_ic − η_i,y_i
  double loss = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    double m = P[std::size_t(i)];
    for (std::int64_t c = 1; c < C; ++c) m = std::max(m, P[std::size_t(i + c * n)]);
    const double eta_y = P[std::size_t(i + pr.label[std::size_t(i)] * n)];
    // each exp once (they were half the solve's time when taken twice)
    double s = 0;
    for (std::int64_t c = 0; c < C; ++c) {
      double& v = P[std::size_t(i + c * n)];
      v = std::exp(v - m);
      s += v;
    }
    loss += pr.weight_of(i) * (m + std::log(s) - eta_y);
    for (std::int64_t c = 0; c < C; ++c) P[std::size_t(i + c * n)] /= s;
  }
  return loss / double(n);
}

// Gradient of the mean loss: G = X̃ᵀV(P − Y)/n (p × C), g0 = 1ᵀV(P − Y)/n, V = diag(v).
inline void multinomial_gradient(const MultinomialProblem& pr, std::vector<double>& P,
                                 std::vector<double>& G, std::vector<double>& g0) {
  const std::int64_t n = pr.n, p = pr.p, C = pr.C;
  for (std::int64_t i = 0; i < n; ++i) P[std::size_t(i + pr.label[std::size_t(i)] * n)] -= 1.0;
  if (!pr.weight.empty())
    for (std::int64_t c = 0; c < C; ++c)
      for (std::int64_t i = 0; i < n; ++i) P[std::size_t(i + c * n)] *= pr.weight[std::size_t(i)];
  for (std::int64_t c = 0; c < C; ++c) {
    const double* r = &P[std::size_t(c * n)];
    double s = 0;
    for (std::int64_t i = 0; i < n; ++i) s += r[i];
    g0[std::size_t(c)] = pr.intercept ? s / double(n) : 0.0;
  }
  pr.X->t_times(P.data(), C, G.data());
  for (std::size_t k = 0; k < std::size_t(p * C); ++k) G[k] /= double(n);
}

inline double multinomial_penalty(const MultinomialProblem& pr, const std::vector<double>& B,
                                  double lambda) {
  double v = 0;
  for (std::int64_t j = 0; j < pr.p; ++j) {
    double l1 = 0, l2 = 0;
    for (std::int64_t c = 0; c < pr.C; ++c) {
      const double b = B[std::size_t(j + c * pr.p)];
      l1 += std::fabs(b);
      l2 += b * b;
    }
    v += pr.factor_of(j) * (pr.alpha * (pr.grouped ? std::sqrt(l2) : l1) +
                            0.5 * (1 - pr.alpha) * l2);
  }
  return lambda * v;
}

// The prox of τ‖x‖₂ + (ρ/2)‖x‖₂² + ι[l,u]ᶜ at v (C values at stride `stride`, in place),
// l ≤ 0 ≤ u (glmnet's rule for limits). No closed form: for x ≠ 0 its optimality condition is,
// per coordinate, x_c = clip(v_c/μ, l, u) with μ = 1 + ρ + τ/‖x‖, so μ is the root on
// (1 + ρ, ∞) of h(μ) = (μ − 1 − ρ)·‖clip(v/μ, l, u)‖ − τ, which rises strictly (each
// coordinate's |clip(v_c/μ)|·(μ − 1 − ρ) does) from −τ; it is found by bisection to the last
// bit. x = 0 exactly when the tangent cone's part of v (v_c, less its sign the box forbids at
// 0) has norm ≤ τ. glmnet's chkbnds reaches the same point by fixing coordinates at their
// bounds one at a time; the root is exact whatever the order.
inline void group_box_prox(double* v, std::int64_t C, std::int64_t stride, double tau,
                           double rho, double l, double u) {
  const auto at = [&](std::int64_t c) -> double& { return v[std::size_t(c * stride)]; };
  const auto zero = [&] {
    for (std::int64_t c = 0; c < C; ++c) at(c) = 0.0;
  };
  if (l == 0 && u == 0) return zero();
  double nv = 0, nt = 0;  // ‖v‖, ‖v's tangent part at 0‖
  for (std::int64_t c = 0; c < C; ++c) {
    const double x = at(c);
    nv += x * x;
    if ((x > 0 && u > 0) || (x < 0 && l < 0)) nt += x * x;
  }
  nv = std::sqrt(nv);
  nt = std::sqrt(nt);
  // the box inactive: the plain group shrink's point, when it lies inside (without limits,
  // l = −∞ and u = +∞, always)
  const double g = nv > tau ? (1.0 - tau / nv) * (1.0 / (1.0 + rho)) : 0.0;
  bool inside = true;
  for (std::int64_t c = 0; c < C; ++c) inside = inside && g * at(c) >= l && g * at(c) <= u;
  if (inside) {
    for (std::int64_t c = 0; c < C; ++c) at(c) *= g;
    return;
  }
  if (nt <= tau) return zero();
  const auto clip = [&](double x) { return std::min(std::max(x, l), u); };
  const double base = 1.0 + rho;
  double lo = base, hi = base;
  if (tau > 0) {
    // past hi only the bounds at 0 clip, so h(hi) ≥ (hi − 1 − ρ)·nt/hi − τ ≥ 0
    hi = base * nt / (nt - tau);
    for (std::int64_t c = 0; c < C; ++c) {
      const double x = at(c);
      if (x > 0 && u > 0 && std::isfinite(u)) hi = std::max(hi, x / u);
      if (x < 0 && l < 0 && std::isfinite(l)) hi = std::max(hi, x / l);
    }
    const auto h = [&](double mu) {
      double s = 0;
      for (std::int64_t c = 0; c < C; ++c) {
        const double x = clip(at(c) / mu);
        s += x * x;
      }
      return (mu - base) * std::sqrt(s) - tau;
    };
    for (int it = 0; it < 4000; ++it) {
      // geometric while the bracket spans a factor of 2 (hi may be far out), then halves
      const double mid = hi > 2 * lo ? std::sqrt(lo * hi) : 0.5 * (lo + hi);
      if (!(mid > lo && mid < hi)) break;
      (h(mid) < 0 ? lo : hi) = mid;
    }
  }
  for (std::int64_t c = 0; c < C; ++c) at(c) = clip(at(c) / hi);  // h(hi) ≥ 0: inside the box
}

// prox of t·λ·pen at V (in place), feature j's penalty scaled by its factor f_j: soft
// threshold (ungrouped) or group shrink (grouped) at t·λ·α·f_j, then the ridge part's
// 1/(1 + t·λ(1−α)·f_j), then (ungrouped) the clip to [l_j, u_j] (in one dimension the prox of
// a convex function plus an interval's indicator is the clipped prox; grouped, with limits or
// without: group_box_prox). With penalized_frozen, every feature of f_j > 0 is 0 (the null model's
// solve).
inline void multinomial_prox(const MultinomialProblem& pr, std::vector<double>& V, double t,
                             double lambda) {
  const bool box = !pr.lower.empty();
  for (std::int64_t j = 0; j < pr.p; ++j) {
    const double f = pr.factor_of(j);
    if (pr.penalized_frozen && f > 0) {
      for (std::int64_t c = 0; c < pr.C; ++c) V[std::size_t(j + c * pr.p)] = 0.0;
      continue;
    }
    const double thr = t * lambda * pr.alpha * f;
    const double shrink = 1.0 / (1.0 + t * lambda * (1 - pr.alpha) * f);
    if (pr.grouped) {
      group_box_prox(&V[std::size_t(j)], pr.C, pr.p, thr, t * lambda * (1 - pr.alpha) * f,
                     box ? pr.lower[std::size_t(j)] : -HUGE_VAL,
                     box ? pr.upper[std::size_t(j)] : HUGE_VAL);
    } else {
      for (std::int64_t c = 0; c < pr.C; ++c) {
        double& v = V[std::size_t(j + c * pr.p)];
        const double a = std::fabs(v) - thr;
        v = a > 0 ? std::copysign(a * shrink, v) : 0.0;
        if (box) v = std::min(std::max(v, pr.lower[std::size_t(j)]), pr.upper[std::size_t(j)]);
      }
    }
  }
}

// Coordinate (j, c)'s violation of 0 ∈ s + λα·f·∂|b| + N_[l,u](b), s = g + λ(1−α)·f·b (the
// normal cone N of the box: [0, ∞) at b = u, (−∞, 0] at b = l, {0} inside).
inline double coordinate_violation(double b, double s, double la, double l, double u) {
  if (l == 0 && u == 0) return 0.0;  // the coefficient is fixed at 0
  if (b >= u) return std::max(0.0, s + (b > 0 ? la : -la));  // at the upper limit
  if (b <= l) return std::max(0.0, -(s + (b < 0 ? -la : la)));  // at the lower limit
  return b == 0 ? std::max(0.0, std::fabs(s) - la) : std::fabs(s + std::copysign(la, b));
}

// Group j's violation of 0 ∈ g + λ(1−α)f·b + λαf·∂‖b‖₂ + N_box(b) (in 2-norm over its C
// coefficients; without limits l = −∞, u = +∞). At b ≠ 0 each coordinate's residual
// e_c = g_c + λ(1−α)f·b_c + λαf·b_c/‖b‖ counts only where the box's normal cone does not absorb
// it (e_c ≤ 0 at b_c = u, e_c ≥ 0 at b_c = l); at b = 0 it is the distance from −g to
// λαf·ball + N_box(0): the norm of −g's tangent part (its signs the box allows) beyond λαf.
inline double group_violation(const double* b, const double* g, std::int64_t C,
                              std::int64_t stride, double la, double lr, double l, double u) {
  if (l == 0 && u == 0) return 0.0;  // the group is fixed at 0
  double nb = 0;
  for (std::int64_t c = 0; c < C; ++c) nb += b[c * stride] * b[c * stride];
  nb = std::sqrt(nb);
  double r = 0;
  for (std::int64_t c = 0; c < C; ++c) {
    const double bc = b[c * stride], gc = g[c * stride];
    double e;
    if (nb == 0) {
      e = -gc;
      if (l == 0) e = std::max(e, 0.0);
      if (u == 0) e = std::min(e, 0.0);
    } else {
      e = gc + lr * bc + la * bc / nb;
      if (bc >= u) e = std::max(e, 0.0);
      else if (bc <= l) e = std::min(e, 0.0);
    }
    r += e * e;
  }
  r = std::sqrt(r);
  return nb == 0 ? std::max(0.0, r - la) : r;
}

// Feature j's violation of its optimality conditions at B with gradient G (grouped: in 2-norm
// over its C coefficients, ungrouped: the largest over them).
inline double feature_violation(const MultinomialProblem& pr, const std::vector<double>& B,
                                const std::vector<double>& G, std::int64_t j, double lambda) {
  const double f = pr.factor_of(j);
  const double la = lambda * pr.alpha * f, lr = lambda * (1 - pr.alpha) * f;
  const bool box = !pr.lower.empty();
  const double l = box ? pr.lower[std::size_t(j)] : -HUGE_VAL;
  const double u = box ? pr.upper[std::size_t(j)] : HUGE_VAL;
  if (pr.grouped)
    return group_violation(&B[std::size_t(j)], &G[std::size_t(j)], pr.C, pr.p, la, lr, l, u);
  double worst = 0;
  for (std::int64_t c = 0; c < pr.C; ++c) {
    const double b = B[std::size_t(j + c * pr.p)], g = G[std::size_t(j + c * pr.p)];
    worst = std::max(worst, coordinate_violation(b, g + lr * b, la, l, u));
  }
  return worst;
}

// The largest violation of the optimality conditions at (B, b0) with gradient (G, g0); with
// penalized_frozen, over the intercepts and the unpenalized features only.
inline double multinomial_kkt(const MultinomialProblem& pr, const std::vector<double>& B,
                              const std::vector<double>& G, const std::vector<double>& g0,
                              double lambda) {
  double worst = 0;
  for (double g : g0) worst = std::max(worst, std::fabs(g));
  for (std::int64_t j = 0; j < pr.p; ++j) {
    if (pr.penalized_frozen && pr.factor_of(j) > 0) continue;
    worst = std::max(worst, feature_violation(pr, B, G, j, lambda));
  }
  return worst;
}

struct MultinomialPoint {
  int iterations = 0;
  double violation = 0;
  double loss = 0;
  Status status = Status::converged;
};

// Solves one λ by FISTA from (B, b0) (a warm start), step 1/L.
inline MultinomialPoint solve_multinomial_point(const MultinomialProblem& pr, double lambda,
                                                double L, double tol_abs, int max_iter,
                                                int check_every, std::vector<double>& B,
                                                std::vector<double>& b0) {
  const std::size_t pc = std::size_t(pr.p * pr.C), C = std::size_t(pr.C);
  std::vector<double> P(std::size_t(pr.n * pr.C)), G(pc), g0(C);
  std::vector<double> YB = B, Yb = b0, Bold = B, bold = b0;
  const double t = 1.0 / L;
  double theta = 1;
  MultinomialPoint out;
  for (int it = 0; it < max_iter; ++it) {
    // gradient at the momentum point Y
    multinomial_softmax(pr, YB, Yb, P);
    multinomial_gradient(pr, P, G, g0);
    Bold = B;
    bold = b0;
    // B = prox(Y − t·G), b0 = Yb − t·g0
    for (std::size_t k = 0; k < pc; ++k) B[k] = YB[k] - t * G[k];
    multinomial_prox(pr, B, t, lambda);
    for (std::size_t c = 0; c < C; ++c) b0[c] = Yb[c] - t * g0[c];
    // adaptive restart (gradient scheme): (Y − B_new)ᵀ(B_new − B_old) > 0 resets the momentum
    double dir = 0;
    for (std::size_t k = 0; k < pc; ++k) dir += (YB[k] - B[k]) * (B[k] - Bold[k]);
    for (std::size_t c = 0; c < C; ++c) dir += (Yb[c] - b0[c]) * (b0[c] - bold[c]);
    if (dir > 0) theta = 1;
    const double theta1 = 0.5 * (1 + std::sqrt(1 + 4 * theta * theta));
    const double m = (theta - 1) / theta1;
    theta = theta1;
    for (std::size_t k = 0; k < pc; ++k) YB[k] = B[k] + m * (B[k] - Bold[k]);
    for (std::size_t c = 0; c < C; ++c) Yb[c] = b0[c] + m * (b0[c] - bold[c]);
    out.iterations = it + 1;
    if ((it + 1) % check_every == 0 || it + 1 == max_iter) {
      out.loss = multinomial_softmax(pr, B, b0, P);
      multinomial_gradient(pr, P, G, g0);
      out.violation = multinomial_kkt(pr, B, G, g0, lambda);
      if (out.violation <= tol_abs) {
        out.status = Status::converged;
        return out;
      }
    }
  }
  out.status = Status::max_iter;
  return out;
}

}  // namespace regpath::detail
