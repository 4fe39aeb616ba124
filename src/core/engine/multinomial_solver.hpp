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
//   ungrouped, with limits: l_j ≤ B̃_jc ≤ u_j.
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
  std::vector<double> lower, upper;  // p limits on β̃_jc (ungrouped only), −∞/+∞ for none
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

// prox of t·λ·pen at V (in place), feature j's penalty scaled by its factor f_j: soft
// threshold (ungrouped) or group shrink (grouped) at t·λ·α·f_j, then the ridge part's
// 1/(1 + t·λ(1−α)·f_j), then (ungrouped) the clip to [l_j, u_j] (in one dimension the prox of
// a convex function plus an interval's indicator is the clipped prox). With penalized_frozen,
// every feature of f_j > 0 is 0 (the null model's solve).
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
      double nrm = 0;
      for (std::int64_t c = 0; c < pr.C; ++c) nrm += V[std::size_t(j + c * pr.p)] *
                                                     V[std::size_t(j + c * pr.p)];
      nrm = std::sqrt(nrm);
      const double g = nrm > thr ? (1.0 - thr / nrm) * shrink : 0.0;
      for (std::int64_t c = 0; c < pr.C; ++c) V[std::size_t(j + c * pr.p)] *= g;
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

// Feature j's violation of its optimality conditions at B with gradient G (grouped: in 2-norm
// over its C coefficients, ungrouped: the largest over them).
inline double feature_violation(const MultinomialProblem& pr, const std::vector<double>& B,
                                const std::vector<double>& G, std::int64_t j, double lambda) {
  const double f = pr.factor_of(j);
  const double la = lambda * pr.alpha * f, lr = lambda * (1 - pr.alpha) * f;
  double worst = 0;
  if (pr.grouped) {
    double nb = 0, ng = 0;
    for (std::int64_t c = 0; c < pr.C; ++c) {
      nb += B[std::size_t(j + c * pr.p)] * B[std::size_t(j + c * pr.p)];
      ng += G[std::size_t(j + c * pr.p)] * G[std::size_t(j + c * pr.p)];
    }
    nb = std::sqrt(nb);
    if (nb == 0) return std::max(0.0, std::sqrt(ng) - la);
    // ‖g_j + λ(1−α)f·β_j + λαf·β_j/‖β_j‖‖ = 0 at the optimum
    double r = 0;
    for (std::int64_t c = 0; c < pr.C; ++c) {
      const double b = B[std::size_t(j + c * pr.p)];
      const double e = G[std::size_t(j + c * pr.p)] + lr * b + la * b / nb;
      r += e * e;
    }
    return std::sqrt(r);
  }
  const bool box = !pr.lower.empty();
  const double l = box ? pr.lower[std::size_t(j)] : -HUGE_VAL;
  const double u = box ? pr.upper[std::size_t(j)] : HUGE_VAL;
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
