// A second-order fallback for the GLM batch (glm_batch_solver.hpp): proximal Newton — IRLS with
// coordinate descent, glmnet's algorithm — for one column that FISTA does not finish (a stalled
// or max_iter column: ill-conditioned or nearly separable logistic problems, where first-order
// steps crawl). On the host, in double, in the standardized coordinates of the solver, on the
// column's training rows with its fold's scaling (FoldScaling, the problem's own):
//   x̃_ij = (x_ij − μ_fj)·s_fj,   η_i = β0 + x̃_iᵀβ̃,   w = 1/W_f  (W_f = Σ_train ω_i)
//   P(β0, β̃) = w·Σ_train ω_i f(η_i; y_i) + λα‖β̃‖₁ + λ(1−α)/2·‖β̃‖²   (the column's objective)
// with ω_i the observation weights (1 unweighted): below, every IRLS weight v_i carries ω_i.
//
// Outer loop (Newton): at the current point, per training row
//   μ_i = ℓ'(η_i)  (the datafit's mean: σ(η_i) logistic, η_i quadratic)
//   v_i = ω_i × the datafit's IRLS weight at μ_i (logistic μ_i(1 − μ_i) floored at 1e−12,
//         quadratic 1)
//   z_i = η_i − (μ_i − y_i)/(v_i/ω_i)   (the working response)
// and the loss is replaced by its second-order model, a weighted least squares:
//   Q(β0, β̃) = (w/2)·Σ_train v_i (z_i − β0 − x̃_iᵀβ̃)² + λα‖β̃‖₁ + λ(1−α)/2·‖β̃‖²
// Inner loop: cyclic coordinate descent on Q with the working residual r_i = z_i − η_i:
//   xv_j = w·Σ v_i x̃_ij²,   u_j = w·Σ v_i x̃_ij r_i + xv_j·β̃_j
//   β̃_j ← S(u_j, λα) / (xv_j + λ(1−α)),   r ← r − Δβ̃_j·x̃_j
//   intercept (unpenalized, every sweep):  β0 ← β0 + Δ0,  Δ0 = Σ v_i r_i / Σ v_i,  r ← r − Δ0
// cycling as glmnet does: a full sweep, then sweeps over the nonzero coefficients only until
// they settle, then a full sweep again, until a full sweep changes nothing (max xv_j·Δ_j² small;
// as an inexact Newton method, relative to the last Newton step). Along a path
// (Column::prev_lambda) a "full" sweep covers the sequential strong rule's candidates only, and
// the other features' optimality conditions are checked once Newton has converged on them
// (violators join, and Newton goes on). Every kAnderson sweeps over the nonzero coefficients
// are extrapolated (Anderson, anderson.hpp) where that lowers Q. Coordinate descent crawls on
// correlated features, so its support A and signs σ then give Q's exact minimizer on that face,
// where Q is a quadratic (Cholesky, dense_cholesky.hpp), with a = [β̃_A; β0], X̃₁ = [X̃_A 1]:
//   (w·X̃₁ᵀVX̃₁ + λ(1−α)·diag(1_A, 0))·a = w·X̃₁ᵀV·z − λα·[σ; 0]
// taken when it keeps the signs σ: Q there is at most Q at the coordinate-descent point (which
// lies on the same face), and the next full sweep checks the features outside A. Its system is
// built by one SYRK (dense X) or over the rows' pairs of stored entries (sparse X); on the path
// it is taken only where the sweeps have already cost as much (set_face_work_ratio).
// Then a backtracking line search on the TRUE objective P along the Newton direction d:
//   accept the largest t ∈ {1, ½, ¼, …} with P(β + t·d) < P(β)
// (η is linear in β, so each trial costs O(n + p)). This keeps every iterate finite and the
// objective decreasing also on separable data, where z and the model are far off.
// The caller certifies the result with the solver's duality gap.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "core/accel/anderson.hpp"
#include "core/accel/dense_cholesky.hpp"
#include "core/design/fold_scaling.hpp"
#include "core/engine/glm_scalar_ops.hpp"
#include "core/engine/scalar_ops.hpp"

namespace regpath {

// The data of a GLM batch on the host, in double: X (n × p, column-major, the raw features; or,
// for a sparse X, its CSC entries, X left empty), the response and each row's fold (empty: one
// group of all rows), the rows' observation weights (empty: all 1).
struct GlmHostData {
  std::int64_t n = 0, p = 0;
  std::vector<double> X, y;
  std::vector<std::int64_t> col_ptr, row_idx;  // CSC (p + 1 pointers; empty: X is dense)
  std::vector<double> values;
  bool sparse() const { return !col_ptr.empty(); }
  std::vector<int> row_fold;
  std::vector<double> weight;
  std::vector<double> offset;  // o_i, part of every η_i (empty: none)
};

// A proximal-Newton solver of one GLM column on the host, as the batch solver calls it: this
// file's (every row here), or the split rows' (distributed/split_rows_newton.hpp: each rank's
// rows, the sums over the ranks).
class GlmNewtonMethod {
 public:
  using Index = std::int64_t;

  // One column's problem: its fold (−1: all rows), λ and α; prev_lambda: the λ whose solution
  // the start is, along a path (the strong rule's; 0: none known, every feature is swept).
  struct Column {
    int fold = -1;
    double lambda = 0, alpha = 1, prev_lambda = 0;
  };
  struct Result {
    std::vector<double> beta;  // p + 1: β̃, then β0
    double start_objective = 0, objective = 0;
    int newton_steps = 0, sweeps = 0;
    // features the strong rule left out that the optimality check then took in
    int strong_rule_misses = 0;
  };

  virtual ~GlmNewtonMethod() = default;
  virtual void set_penalty_factors(std::vector<double> factor) = 0;
  virtual void set_bounds(std::vector<double> lower, std::vector<double> upper) = 0;
  virtual void set_face_work_ratio(double ratio) = 0;
  // From `start` (p + 1 values, standardized) to `accuracy` (see GlmNewtonPolish::solve).
  virtual Result solve(const Column& c, const std::vector<double>& start, double accuracy,
                       int max_newton, int max_sweeps) const = 0;
  Result solve(const Column& c, const std::vector<double>& start, double accuracy = 1e-13,
               int max_newton = 100) const {
    return solve(c, start, accuracy, max_newton, 5000);
  }
};

class GlmNewtonPolish : public GlmNewtonMethod {
 public:
  using GlmNewtonMethod::solve;

  GlmNewtonPolish(GlmHostData data, const FoldScaling& scaling, ops::Datafit datafit,
                  bool intercept)
      : d_(std::move(data)), scaling_(scaling), datafit_(datafit), intercept_(intercept) {}

  // The penalty factors w_j (p values; empty: all 1): coordinate j's λα and λ(1−α) are scaled
  // by w_j everywhere below.
  void set_penalty_factors(std::vector<double> factor) override { factor_ = std::move(factor); }
  // glmnet's limits on the raw coefficients (p values each, lower ≤ 0 ≤ upper; empty: none):
  // coordinate descent clips into them (on each fold's standardized scale) and the face solve
  // is skipped when a coefficient sits at one or would leave them.
  void set_bounds(std::vector<double> lower, std::vector<double> upper) override {
    lower_ = std::move(lower);
    upper_ = std::move(upper);
  }

  // The face solve (Q's exact minimizer on the support: its system, n·m²/2 multiply-adds, and an
  // m³/3 Cholesky) only in Newton steps whose coordinate descent has already done at least
  // `ratio` × that work (n multiply-adds per coordinate visited, twice where it moved); 0: every
  // step. As the path's first solver the sweeps are usually few and cheap, and the face would
  // cost more than they do; as FISTA's fallback it is what the ill-conditioned columns need.
  // Paying for the face only once the sweeps have cost as much bounds the waste either way by
  // 2×. The work is counted as for a dense X also when X is sparse (where both cost less), so
  // that a sparse X takes the same steps as its dense copy and gives the same path to rounding.
  void set_face_work_ratio(double ratio) override { face_work_ratio_ = ratio; }

  // Proximal Newton from `start` (p + 1 values, standardized). `accuracy` scales the stopping
  // rules: coordinate changes and Newton steps below accuracy·(the size of the solution) in the
  // xv-weighted norm end the inner and outer loops.
  Result solve(const Column& c, const std::vector<double>& start, double accuracy,
               int max_newton, int max_sweeps) const override {
    const Index n = d_.n, p = d_.p;
    const auto col = std::size_t(c.fold + 1) * std::size_t(p);
    const double* S = scaling_.scale.data() + col;
    const double* Mu = scaling_.center.data() + col;
    const double w = 1.0 / scaling_.train_weight[std::size_t(c.fold + 1)];
    const double l1 = c.lambda * c.alpha, l2 = c.lambda * (1.0 - c.alpha);
    // ω_i on the training rows, 0 on the held-out ones; a row of weight 0 is left out as they are
    std::vector<double> train(static_cast<std::size_t>(n), 1.0);
    for (Index i = 0; i < n; ++i) {
      const auto ui = std::size_t(i);
      if (!d_.weight.empty()) train[ui] = d_.weight[ui];
      if (c.fold >= 0 && !d_.row_fold.empty() && d_.row_fold[ui] == c.fold) train[ui] = 0;
    }

    Result res;
    res.beta = start;
    std::vector<double>& beta = res.beta;
    if (!intercept_) beta[std::size_t(p)] = 0;
    for (Index j = 0; j < p; ++j)
      if (!(S[j] > 0)) beta[std::size_t(j)] = 0;  // a constant column's coefficient is 0
    // the bounds on this fold's standardized scale (β̃_j = β_j / S_j)
    std::vector<double> lo(std::size_t(p), -std::numeric_limits<double>::infinity()),
        hi(std::size_t(p), std::numeric_limits<double>::infinity());
    if (!lower_.empty())
      for (Index j = 0; j < p; ++j) {
        const auto uj = std::size_t(j);
        lo[uj] = S[j] > 0 ? lower_[uj] / S[j] : 0.0;
        hi[uj] = S[j] > 0 ? upper_[uj] / S[j] : 0.0;
        beta[uj] = std::min(std::max(beta[uj], lo[uj]), hi[uj]);
      }
    const auto un = static_cast<std::size_t>(n), up = static_cast<std::size_t>(p);
    // the inner cycles' last kAnderson + 1 iterates on the active set (and β0), the current
    // one's coefficients, an extrapolated point's residual
    std::vector<double> hist_beta, current, r_next;
    std::vector<double> eta(un), eta_new(un), eta_try(un), v(un), r(un), xv(up), vx(up),
        trial(beta.size());
    linear_predictor(beta, S, Mu, eta);
    double P = objective(c, w, train, eta, beta);
    res.start_objective = res.objective = P;
    if (!std::isfinite(P)) return res;

    // The features swept: all, or along a path the sequential strong rule's candidates (a zero
    // coefficient whose score |u_j| at the start is below α(2λ − λ_prev)·w_j is very likely
    // zero at λ), checked against the optimality conditions once Newton has converged there
    // (grow_candidates). glmnet's rounds, as path_descent.hpp's for the gaussian.
    std::vector<Index> cand;
    std::vector<char> in_cand(up, 0);
    std::vector<double> score(up);  // scores(), for the strong rule and the optimality check
    const bool screened = c.prev_lambda > c.lambda && c.alpha > 0 && p >= kScreenFrom;
    if (screened) {
      const double threshold = c.alpha * (2 * c.lambda - c.prev_lambda);
      scores(train, eta, S, Mu, w, in_cand, score);
      for (Index j = 0; j < p; ++j)
        if (beta[std::size_t(j)] != 0 || std::fabs(score[std::size_t(j)]) >= threshold * fw(j)) {
          cand.push_back(j);
          in_cand[std::size_t(j)] = 1;
        }
    } else {
      cand.resize(up);
      for (Index j = 0; j < p; ++j) cand[std::size_t(j)] = j;
      std::fill(in_cand.begin(), in_cand.end(), 1);
    }
    // the features outside the candidates whose optimality conditions fail at β, added to them
    // (true when there were any): |u_j| > λα·w_j in a direction the bounds allow
    const auto grow_candidates = [&] {
      if (cand.size() == up) return false;
      scores(train, eta, S, Mu, w, in_cand, score);
      bool grew = false;
      for (Index j = 0; j < p; ++j) {
        const auto uj = std::size_t(j);
        if (in_cand[uj] || !(S[j] > 0)) continue;
        const double u = score[uj], bound = l1 * fw(j);
        if ((u > bound && hi[uj] > 0) || (u < -bound && lo[uj] < 0)) {
          cand.push_back(j);
          in_cand[uj] = 1;
          grew = true;
          ++res.strong_rule_misses;
        }
      }
      return grew;
    };

    std::vector<Index> active;
    std::vector<char> in_active(up, 0);
    double last_step = std::numeric_limits<double>::infinity();
    int stagnant = 0;
    for (int outer = 0; outer < max_newton; ++outer) {
      // the weights, and the working residual r = z − η (0 on held-out rows, whose v is 0)
      double v0 = 0;
      for (Index i = 0; i < n; ++i) {
        const auto ui = std::size_t(i);
        if (!(train[ui] > 0)) {
          v[ui] = r[ui] = 0;
          continue;
        }
        const double mu = ops::datafit_mean(datafit_, eta[ui]);
        const double irls = ops::datafit_irls_weight(datafit_, mu);
        v[ui] = train[ui] * irls;
        r[ui] = (d_.y[ui] - mu) / irls;
        v0 += v[ui];
      }
      const double vsum = v0;
      v0 *= w;
      // xv_j = w·Σ v_i x̃_ij²   (0 for a constant column: it never moves). Sparse: from the
      // stored entries, Σ v(x − μ)² = Σ_s v x² − 2μ·Σ_s v x + μ²·Σ v, with vx_j = Σ_s v x kept
      // for the gradients below.
      double scale = intercept_ ? v0 * beta[std::size_t(p)] * beta[std::size_t(p)] : 0.0;
      for (const Index j : cand) {
        double s2 = 0;
        if (S[j] > 0 && d_.sparse()) {
          double a = 0, b = 0;
          for_each_stored(j, [&](Index i, double x) {
            a += v[std::size_t(i)] * x;
            b += v[std::size_t(i)] * x * x;
          });
          vx[std::size_t(j)] = a;
          s2 = std::max(b - 2 * Mu[j] * a + Mu[j] * Mu[j] * vsum, 0.0);
        } else if (S[j] > 0) {
          const double* x = d_.X.data() + j * n;
          for (Index i = 0; i < n; ++i) {
            const double xt = x[i] - Mu[j];
            s2 += v[std::size_t(i)] * xt * xt;
          }
        }
        xv[std::size_t(j)] = w * s2 * S[j] * S[j];
        scale += xv[std::size_t(j)] * beta[std::size_t(j)] * beta[std::size_t(j)];
        if (beta[std::size_t(j)] != 0 && !in_active[std::size_t(j)]) {
          in_active[std::size_t(j)] = 1;
          active.push_back(j);
        }
      }
      // what counts as "no change": accuracy² of the solution's size (xv-weighted) or of P
      const double thr = accuracy * accuracy * std::max(scale, std::fabs(P));

      // coordinate descent on Q, from the current point (d = trial − beta afterwards). A sparse
      // x̃_j is never formed: the residual is r + o·1 (r dense, o a shift), vr = Σ v_i(r_i + o),
      // so a move costs the column's stored entries:
      //   Σ v x̃_j (r + o) = s_j·(Σ_s v x r + o·vx_j − μ_j·vr),
      //   r ← r − Δs_j·x_j (stored rows), o ← o + Δs_j·μ_j, vr ← vr − Δs_j·(vx_j − μ_j·Σv)
      trial = beta;
      const std::vector<double> r0 = r;
      double o = 0, vr = 0;
      if (d_.sparse())
        for (Index i = 0; i < n; ++i) vr += v[std::size_t(i)] * r[std::size_t(i)];
      double cd_work = 0;  // coordinate descent's multiply-adds in this Newton step, as if X were dense
      // the working residual (resid, shift, vres) after β̃_j moves by Δ (j = p: β0, r ← r − Δ)
      const auto move = [&](Index j, double delta, std::vector<double>& resid, double& shift,
                            double& vres) {
        if (j == p) {
          if (d_.sparse()) {
            shift -= delta;
            vres -= delta * vsum;
          } else {
            for (Index i = 0; i < n; ++i) resid[std::size_t(i)] -= delta;
          }
          return;
        }
        const double ds = delta * S[j], mu_j = Mu[j];
        if (d_.sparse()) {
          for_each_stored(j, [&](Index i, double x) { resid[std::size_t(i)] -= ds * x; });
          shift += ds * mu_j;
          vres -= ds * (vx[std::size_t(j)] - mu_j * vsum);
        } else {
          const double* x = d_.X.data() + j * n;
          for (Index i = 0; i < n; ++i) resid[std::size_t(i)] -= ds * (x[i] - mu_j);
        }
      };
      auto sweep = [&](bool all) {
        double change = 0;
        const std::vector<Index>& set = all ? cand : active;
        for (const Index j : set) {
          const double xvj = xv[std::size_t(j)];
          if (!(xvj > 0)) continue;
          const double mu_j = Mu[j], s_j = S[j];
          cd_work += double(n);  // dense-equivalent work (set_face_work_ratio)
          double g = 0;
          if (d_.sparse()) {
            for_each_stored(j, [&](Index i, double x) {
              g += v[std::size_t(i)] * x * r[std::size_t(i)];
            });
            g += o * vx[std::size_t(j)] - mu_j * vr;
          } else {
            const double* x = d_.X.data() + j * n;
            for (Index i = 0; i < n; ++i)
              g += v[std::size_t(i)] * (x[i] - mu_j) * r[std::size_t(i)];
          }
          // u_j = w·Σ v_i x̃_ij r_i + xv_j·β̃_j;  β̃_j' = S(u_j, λα·w_j) / (xv_j + λ(1−α)·w_j)
          const double old = trial[std::size_t(j)];
          const double u = w * s_j * g + xvj * old;
          const double next =
              std::min(std::max(ops::soft_threshold(u, l1 * fw(j)) / (xvj + l2 * fw(j)),
                                lo[std::size_t(j)]),
                       hi[std::size_t(j)]);
          const double delta = next - old;
          if (delta == 0) continue;
          trial[std::size_t(j)] = next;
          cd_work += double(n);
          move(j, delta, r, o, vr);
          change = std::max(change, xvj * delta * delta);
          if (all && !in_active[std::size_t(j)]) {
            in_active[std::size_t(j)] = 1;
            active.push_back(j);
          }
        }
        if (intercept_ && v0 > 0) {
          // Δ0 = Σ v_i r_i / Σ v_i   (the intercept's exact minimizer of Q)
          double g0 = vr;
          if (!d_.sparse())
            for (Index i = 0; i < n; ++i) g0 += v[std::size_t(i)] * r[std::size_t(i)];
          const double delta = w * g0 / v0;
          trial[std::size_t(p)] += delta;
          move(p, delta, r, o, vr);
          change = std::max(change, v0 * delta * delta);
        }
        ++res.sweeps;
        return change;
      };
      // inexact Newton: the inner accuracy follows the outer progress
      const double thr_cd =
          std::max(thr, std::min(1e-3 * last_step, 1e-8 * std::max(scale, std::fabs(P))));
      // sweeps over the candidates; between them, cycles on the active set, every kAnderson
      // sweeps extrapolated (anderson.hpp)
      int sweeps = 0;
      // Q at the trial point, less its constant: (w/2)·Σ v(r + o)² + the active set's penalty
      const auto model = [&](const double* resid, double shift, const double* coef) {
        double rr = 0, pen = 0;
        for (std::size_t i = 0; i < un; ++i) rr += v[i] * (resid[i] + shift) * (resid[i] + shift);
        for (std::size_t a = 0; a < active.size(); ++a) {
          const Index j = active[a];
          pen += fw(j) * (l1 * std::fabs(coef[a]) + 0.5 * l2 * coef[a] * coef[a]);
        }
        return 0.5 * w * rr + pen;
      };
      // Σ c_k·β⁽ᵏ⁺¹⁾ in iterate 0's slots, taken where Q is lower and the bounds hold. Its
      // residual r0 − X̃(β' − β) is formed afresh (the cost of one sweep), not combined from the
      // iterates': with the large weights of a nearly singular U the combination's rounding
      // would leave r inconsistent with the coefficients.
      const auto extrapolate = [&](std::size_t m) {
        double cw[kAnderson];
        if (m <= kAndersonFrom || !anderson::weights(hist_beta.data(), m, cw)) return;
        std::fill(hist_beta.begin(), hist_beta.begin() + std::ptrdiff_t(m), 0.0);
        for (std::size_t k = 0; k < kAnderson; ++k)
          for (std::size_t i = 0; i < m; ++i) hist_beta[i] += cw[k] * hist_beta[(k + 1) * m + i];
        for (std::size_t a = 0; a + 1 < m; ++a) {
          const auto uj = std::size_t(active[a]);
          if (hist_beta[a] < lo[uj] || hist_beta[a] > hi[uj]) return;
          current[a] = trial[uj];
        }
        // r' = r0 − Σ_A (β'_j − β_j)·x̃_j − (β'0 − β0)   (sparse: r' + o'·1, vr' = Σ v(r' + o'))
        r_next = r0;
        double o_next = 0, vr_next = 0;
        if (d_.sparse())
          for (std::size_t i = 0; i < un; ++i) vr_next += v[i] * r0[i];
        for (std::size_t a = 0; a < m; ++a) {
          const Index j = a + 1 == m ? p : active[a];
          const double delta = hist_beta[a] - beta[std::size_t(j)];
          if (delta != 0) move(j, delta, r_next, o_next, vr_next);
        }
        const double q_now = model(r.data(), o, current.data());
        if (!(model(r_next.data(), o_next, hist_beta.data()) < q_now)) return;
        for (std::size_t a = 0; a + 1 < m; ++a) trial[std::size_t(active[a])] = hist_beta[a];
        trial[up] = hist_beta[m - 1];
        r.swap(r_next);
        o = o_next;
        vr = vr_next;
      };
      const auto cycle = [&] {
        const std::size_t m = active.size() + 1;  // the active set's coefficients, then β0
        hist_beta.resize((kAnderson + 1) * m);
        std::size_t stored = 0;
        const auto record = [&] {
          for (std::size_t a = 0; a + 1 < m; ++a)
            hist_beta[stored * m + a] = trial[std::size_t(active[a])];
          hist_beta[stored * m + m - 1] = trial[up];
          ++stored;
        };
        current.resize(m);
        record();
        while (sweeps < max_sweeps) {
          ++sweeps;
          if (sweep(false) <= thr_cd) return;
          record();
          if (stored < kAnderson + 1) continue;
          extrapolate(m);
          stored = 0;
          record();
        }
      };
      while (sweeps < max_sweeps) {
        ++sweeps;
        if (sweep(true) <= thr_cd) break;
        cycle();
      }
      const double face_budget = face_work_ratio_ > 0 ? cd_work / face_work_ratio_
                                                      : std::numeric_limits<double>::infinity();
      face_solve(trial, S, Mu, w, l1, l2, v, eta, r0, lo, hi, face_budget);

      // The Newton direction d = trial − β, η along it: η + t·(η_new − η)
      double step_size = 0;
      for (Index j = 0; j <= p; ++j) {
        const double dj = trial[std::size_t(j)] - beta[std::size_t(j)];
        step_size += (j < p ? xv[std::size_t(j)] : v0) * dj * dj;
      }
      linear_predictor(trial, S, Mu, eta_new);
      if (!(step_size > 0)) {
        if (grow_candidates()) continue;
        break;
      }
      // backtracking on the true objective; a full step within rounding of P is taken too (the
      // last steps of the quadratic phase move the coefficients, not P's leading digits)
      const double rounding = 64 * std::numeric_limits<double>::epsilon() * std::fabs(P);
      bool accepted = false;
      const double P_before = P;
      std::vector<double> b_try(beta.size());
      for (double t = 1; t > 1e-10; t /= 2) {
        for (std::size_t j = 0; j < beta.size(); ++j)
          b_try[j] = beta[j] + t * (trial[j] - beta[j]);
        for (Index i = 0; i < n; ++i) {
          const auto ui = std::size_t(i);
          eta_try[ui] = eta[ui] + t * (eta_new[ui] - eta[ui]);
        }
        const double P_try = objective(c, w, train, eta_try, b_try);
        if (std::isfinite(P_try) && (P_try < P || (t == 1 && P_try <= P + rounding))) {
          beta.swap(b_try);
          eta.swap(eta_try);
          P = std::min(P, P_try);
          res.objective = P_try;
          accepted = true;
          break;
        }
      }
      if (!accepted) break;
      ++res.newton_steps;
      last_step = step_size;
      // the Newton step itself is at the accuracy asked for, or it no longer lowers P beyond
      // rounding (the model's own rounding, on ill-conditioned faces, keeps the steps above
      // thr) twice in a row: converged on the candidates, and done once no other feature fails
      // its optimality conditions
      stagnant = P_before - P <= rounding ? stagnant + 1 : 0;
      if (step_size <= thr || stagnant >= 2) {
        if (!grow_candidates()) break;
        stagnant = 0;
        linear_predictor(beta, S, Mu, eta);  // η from β afresh, as every 8 steps below
        continue;
      }
      // η from β afresh now and then, so rounding in the running updates cannot build up
      if (outer % 8 == 7) linear_predictor(beta, S, Mu, eta);
    }
    // the reported objective is that of β itself
    linear_predictor(beta, S, Mu, eta);
    res.objective = objective(c, w, train, eta, beta);
    return res;
  }

  Index n() const { return d_.n; }
  Index p() const { return d_.p; }

 private:
  // Q's minimizer on the face of `b` (its support A and signs, with β0), replacing b when it keeps
  // the signs and stays inside the bounds lo, hi (see the top of this file). z = η + r0 (η at
  // the Newton point, r0 its residual). Left undone when it would cost more multiply-adds than
  // `budget` (set_face_work_ratio).
  void face_solve(std::vector<double>& b, const double* S, const double* Mu, double w, double l1,
                  double l2, const std::vector<double>& v, const std::vector<double>& eta,
                  const std::vector<double>& r0, const std::vector<double>& lo,
                  const std::vector<double>& hi, double budget) const {
    const Index n = d_.n, p = d_.p;
    std::vector<Index> A;
    for (Index j = 0; j < p; ++j)
      if (b[std::size_t(j)] != 0) {
        // a coefficient held by a bound is not on the face's linear system
        if (b[std::size_t(j)] == lo[std::size_t(j)] || b[std::size_t(j)] == hi[std::size_t(j)])
          return;
        A.push_back(j);
      }
    const Index a = Index(A.size()), m = a + (intercept_ ? 1 : 0);
    if (m == 0 || a > face_limit) return;
    const double cholesky_work = double(m) * double(m) * double(m) / 3;
    if (cholesky_work > budget) return;
    const auto um = static_cast<std::size_t>(m);
    std::vector<double> rhs(um), H(um * um);
    // the working response less the offset, which is not X̃₁'s to fit: z = η + r0 − o
    std::vector<double> z(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) {
      const double o = d_.offset.empty() ? 0.0 : d_.offset[std::size_t(i)];
      z[std::size_t(i)] = eta[std::size_t(i)] + r0[std::size_t(i)] - o;
    }
    const double system_budget = budget - cholesky_work;
    const bool built = d_.sparse() ? face_system_sparse(A, S, Mu, w, v, z, H, rhs, system_budget)
                                   : face_system_dense(A, S, Mu, w, v, z, H, rhs, system_budget);
    if (!built) return;
    // H += λ(1−α)·diag(1_A, 0);  rhs −= λα·[σ; 0]
    double top = 0;
    for (Index k = 0; k < m; ++k) {
      const auto kk = std::size_t(k + k * m);
      if (k < a) {
        const Index j = A[std::size_t(k)];
        H[kk] += l2 * fw(j);
        rhs[std::size_t(k)] -= l1 * fw(j) * (b[std::size_t(j)] > 0 ? 1 : -1);
      }
      top = std::max(top, H[kk]);
    }
    if (!dense::factor(H.data(), m, m, 1e-13 * top)) return;
    dense::forward_solve(H.data(), m, m, rhs.data());
    dense::backward_solve(H.data(), m, m, rhs.data());
    for (Index k = 0; k < a; ++k) {
      const double old = b[std::size_t(A[std::size_t(k)])], next = rhs[std::size_t(k)];
      if (!std::isfinite(next) || (next > 0) != (old > 0) || next == 0) return;  // a sign changed
      const auto uj = std::size_t(A[std::size_t(k)]);
      if (next < lo[uj] || next > hi[uj]) return;  // it would leave the bounds
    }
    for (Index k = 0; k < a; ++k) b[std::size_t(A[std::size_t(k)])] = rhs[std::size_t(k)];
    if (intercept_) b[std::size_t(p)] = rhs[std::size_t(a)];
  }

  // The face's system without the penalty, lower triangle, X̃₁ = [X̃_A 1] (m = |A| + intercept):
  //   H = w·X̃₁ᵀVX̃₁,  rhs = w·X̃₁ᵀV·z
  // Dense X: C = V^½·X̃₁ formed, H by one SYRK (n·m² flops at GEMM speed). False when C would
  // not fit in n·m ≤ 2e7 values or its n·m²/2 multiply-adds pass `budget`.
  bool face_system_dense(const std::vector<Index>& A, const double* S, const double* Mu, double w,
                         const std::vector<double>& v, const std::vector<double>& z,
                         std::vector<double>& H, std::vector<double>& rhs, double budget) const {
    const Index n = d_.n, a = Index(A.size()), m = Index(rhs.size());
    if (double(n) * double(m) > 2e7 || double(n) * double(m) * double(m) / 2 > budget)
      return false;
    std::vector<double> C(static_cast<std::size_t>(n) * std::size_t(m)),
        sv(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) sv[std::size_t(i)] = std::sqrt(v[std::size_t(i)]);
    for (Index k = 0; k < m; ++k) {
      double* c = C.data() + k * n;
      double dot = 0;
      if (k < a) {
        const Index j = A[std::size_t(k)];
        const double* x = d_.X.data() + j * n;
        for (Index i = 0; i < n; ++i) {
          c[i] = sv[std::size_t(i)] * (x[i] - Mu[j]) * S[j];
          dot += c[i] * sv[std::size_t(i)] * z[std::size_t(i)];
        }
      } else {
        for (Index i = 0; i < n; ++i) {
          c[i] = sv[std::size_t(i)];
          dot += v[std::size_t(i)] * z[std::size_t(i)];
        }
      }
      rhs[std::size_t(k)] = w * dot;
    }
    // H = w·CᵀC   (SYRK, lower: n·m² flops)
    const int mi = int(m), ni = int(n);
    const double zero = 0;
    dsyrk_("L", "T", &mi, &ni, &w, C.data(), &ni, &zero, H.data(), &mi, 1, 1);
    return true;
  }

  // Sparse X: x̃_j = (x_j − μ_j)·s_j is never formed. With G = X_AᵀVX_A over the stored entries
  // (row by row: each row's pairs of stored entries in A), q = X_AᵀV1, u = X_AᵀV·z, V = Σv,
  // Z = Σ v·z:
  //   H_kl = w·s_k s_l·(G_kl − μ_k q_l − q_k μ_l + μ_k μ_l V),  H_k0 = w·s_k·(q_k − μ_k V),
  //   H_00 = w·V,  rhs_k = w·s_k·(u_k − μ_k Z),  rhs_0 = w·Z
  // costing Σ_i (row i's stored entries in A)²/2 instead of n·m²/2. False when that passes 2e9,
  // or n·m²/2 (the dense count, set_face_work_ratio) passes `budget`.
  bool face_system_sparse(const std::vector<Index>& A, const double* S, const double* Mu,
                          double w, const std::vector<double>& v, const std::vector<double>& z,
                          std::vector<double>& H, std::vector<double>& rhs, double budget) const {
    const Index n = d_.n, a = Index(A.size()), m = Index(rhs.size());
    const auto un = static_cast<std::size_t>(n);
    // A's entries by rows (CSR of X_A): row_ptr, the position k in A, the value
    std::vector<std::int64_t> row_ptr(un + 1, 0);
    for (Index k = 0; k < a; ++k)
      for_each_stored(A[std::size_t(k)], [&](Index i, double) { ++row_ptr[std::size_t(i) + 1]; });
    double pairs = 0;
    for (std::size_t i = 0; i < un; ++i) {
      const double c = double(row_ptr[i + 1]);
      pairs += c * (c + 1) / 2;
      row_ptr[i + 1] += row_ptr[i];
    }
    if (pairs > 2e9 || double(n) * double(m) * double(m) / 2 > budget) return false;
    std::vector<Index> pos(static_cast<std::size_t>(row_ptr[un]));
    std::vector<double> val(pos.size());
    std::vector<std::int64_t> fill(row_ptr.begin(), row_ptr.end() - 1);
    std::vector<double> q(std::size_t(a), 0.0), u(std::size_t(a), 0.0);
    for (Index k = 0; k < a; ++k)
      for_each_stored(A[std::size_t(k)], [&](Index i, double x) {
        const auto ui = std::size_t(i);
        const auto e = std::size_t(fill[ui]++);
        pos[e] = k;
        val[e] = x;
        q[std::size_t(k)] += v[ui] * x;
        u[std::size_t(k)] += v[ui] * z[ui] * x;
      });
    double V = 0, Z = 0;
    for (std::size_t i = 0; i < un; ++i) {
      V += v[i];
      Z += v[i] * z[i];
    }
    // G (lower: row ≥ column), entries of one row in increasing k (columns filled in order)
    std::fill(H.begin(), H.end(), 0.0);
    for (std::size_t i = 0; i < un; ++i) {
      const double vi = v[i];
      if (!(vi > 0)) continue;
      for (auto e1 = row_ptr[i]; e1 < row_ptr[i + 1]; ++e1) {
        const double f = vi * val[std::size_t(e1)];
        double* col = H.data() + pos[std::size_t(e1)] * m;
        for (auto e2 = e1; e2 < row_ptr[i + 1]; ++e2)
          col[pos[std::size_t(e2)]] += f * val[std::size_t(e2)];
      }
    }
    for (Index k = 0; k < a; ++k) {
      const Index jk = A[std::size_t(k)];
      for (Index l = k; l < a; ++l) {
        const Index jl = A[std::size_t(l)];
        double& h = H[std::size_t(l + k * m)];
        h = w * S[jk] * S[jl] *
            (h - Mu[jk] * q[std::size_t(l)] - q[std::size_t(k)] * Mu[jl] + Mu[jk] * Mu[jl] * V);
      }
      if (m > a) H[std::size_t(a + k * m)] = w * S[jk] * (q[std::size_t(k)] - Mu[jk] * V);
      rhs[std::size_t(k)] = w * S[jk] * (u[std::size_t(k)] - Mu[jk] * Z);
    }
    if (m > a) {
      H[std::size_t(a + a * m)] = w * V;
      rhs[std::size_t(a)] = w * Z;
    }
    return true;
  }

  static constexpr Index face_limit = 2000;  // largest support solved directly (and n·|A| ≤ 2e7)
  static constexpr std::size_t kAnderson = 5;  // iterates per extrapolation (anderson.hpp)
  // The accelerations only where they pay. Screening: with fewer features a full sweep costs
  // about what the scores that screen them do. Extrapolation: smaller supports settle in a few
  // sweeps. (Also, on the small and flat poisson folds of test_sparse_cv, p 40 at 40 rows,
  // extrapolating moved the dense and sparse solutions 1e-8 apart where without it they agree
  // to 1e-9; the objectives agree to 1e-15 either way: the iterates stop at different points
  // of a flat valley.)
  static constexpr Index kScreenFrom = 256;         // fewest features screened
  static constexpr std::size_t kAndersonFrom = 64;  // fewest coefficients (with β0) extrapolated

  // u_j = w·s_j·Σ_i ω_i(y_i − μ_i)(x_ij − μ_j), the score of β̃_j at η (its coordinate step from
  // 0 is S(u_j, λα·w_j)/(…)), into out[j] for every non-constant j not marked in `skip`
  void scores(const std::vector<double>& train, const std::vector<double>& eta, const double* S,
              const double* Mu, double w, const std::vector<char>& skip,
              std::vector<double>& out) const {
    const Index n = d_.n, p = d_.p;
    std::vector<double> res(static_cast<std::size_t>(n));
    double total = 0;
    for (Index i = 0; i < n; ++i) {
      const auto ui = std::size_t(i);
      res[ui] = train[ui] > 0 ? train[ui] * (d_.y[ui] - ops::datafit_mean(datafit_, eta[ui])) : 0;
      total += res[ui];
    }
    for (Index j = 0; j < p; ++j) {
      const auto uj = std::size_t(j);
      out[uj] = 0;
      if (skip[uj] || !(S[j] > 0)) continue;
      double g = 0;
      if (d_.sparse()) {
        for_each_stored(j, [&](Index i, double x) { g += res[std::size_t(i)] * x; });
        g -= Mu[j] * total;
      } else {
        const double* x = d_.X.data() + j * n;
        for (Index i = 0; i < n; ++i) g += res[std::size_t(i)] * (x[i] - Mu[j]);
      }
      out[uj] = w * S[j] * g;
    }
  }

  // η = β0 + Σ_j (x_j − μ_j)·s_j·β̃_j + o  (o the offset, 0 without)
  void linear_predictor(const std::vector<double>& beta, const double* S, const double* Mu,
                        std::vector<double>& eta) const {
    const Index n = d_.n, p = d_.p;
    std::fill(eta.begin(), eta.end(), beta[std::size_t(p)]);
    if (!d_.offset.empty())
      for (Index i = 0; i < n; ++i) eta[std::size_t(i)] += d_.offset[std::size_t(i)];
    double shift = 0;  // sparse: − Σ_j μ_j·s_j·β̃_j, added to every row at the end
    for (Index j = 0; j < p; ++j) {
      const double b = beta[std::size_t(j)] * S[j];
      if (b == 0) continue;
      if (d_.sparse()) {
        for_each_stored(j, [&](Index i, double x) { eta[std::size_t(i)] += x * b; });
        shift -= Mu[j] * b;
        continue;
      }
      const double* x = d_.X.data() + j * n;
      for (Index i = 0; i < n; ++i) eta[std::size_t(i)] += (x[i] - Mu[j]) * b;
    }
    if (shift != 0)
      for (Index i = 0; i < n; ++i) eta[std::size_t(i)] += shift;
  }

  // f(i, x_ij) for each stored entry of a sparse column j
  template <class F>
  void for_each_stored(Index j, F f) const {
    const auto uj = std::size_t(j);
    for (std::int64_t e = d_.col_ptr[uj]; e < d_.col_ptr[uj + 1]; ++e)
      f(d_.row_idx[std::size_t(e)], d_.values[std::size_t(e)]);
  }
  // column j of X as it is (n values, zeros written for a sparse one)
  void raw_column(Index j, double* out) const {
    if (!d_.sparse()) {
      std::copy(d_.X.data() + j * d_.n, d_.X.data() + (j + 1) * d_.n, out);
      return;
    }
    std::fill(out, out + d_.n, 0.0);
    for_each_stored(j, [&](Index i, double x) { out[i] = x; });
  }

  // P = w·Σ_train ω_i f(η_i; y_i) + λα‖β̃‖₁ + λ(1−α)/2·‖β̃‖²  (the norms weighted by the
  // factors; train holds ω_i, 0 off the training rows)
  double objective(const Column& c, double w, const std::vector<double>& train,
                   const std::vector<double>& eta, const std::vector<double>& beta) const {
    double loss = 0, l1 = 0, l2 = 0;
    for (Index i = 0; i < d_.n; ++i) {
      const double om = train[std::size_t(i)];
      if (!(om > 0)) continue;
      const double f = ops::datafit_loss(datafit_, eta[std::size_t(i)], d_.y[std::size_t(i)]);
      loss += om * f;
    }
    for (Index j = 0; j < d_.p; ++j) {
      l1 += fw(j) * std::fabs(beta[std::size_t(j)]);
      l2 += fw(j) * (beta[std::size_t(j)] * beta[std::size_t(j)]);
    }
    return w * loss + c.lambda * (c.alpha * l1 + 0.5 * (1.0 - c.alpha) * l2);
  }

  double fw(Index j) const { return factor_.empty() ? 1.0 : factor_[std::size_t(j)]; }

  GlmHostData d_;
  std::vector<double> factor_, lower_, upper_;
  const FoldScaling& scaling_;
  ops::Datafit datafit_;
  bool intercept_;
  double face_work_ratio_ = 0;
};

}  // namespace regpath
