// Proximal Newton for one GLM column whose rows are split between ranks (GlmBatchProblem's
// split rows), so that the ranks take the serial fit's steps — Newton first on the path, and
// as FISTA's fallback — and reach its solution, not only FISTA's √gap of it. The serial method
// (core/accel/glm_newton_polish.hpp) visits the rows once per coordinate, a sum over the ranks
// each time; this one sums once per Newton step instead, in the Gram form of the same
// quadratic model, in the standardized coordinates a = [β̃; β0] (x̃_ij = (x_ij − μ_j)·s_j):
//   g = w·X̃₁ᵀ(ω∘(μ − y)),   H = w·X̃₁ᵀ V X̃₁,   X̃₁ = [X̃ 1], V = diag(ω_i·ℓ''(η_i)), w = 1/W
//   Q(a') = gᵀ(a' − a) + ½(a' − a)ᵀH(a' − a) + λα Σ w_j|β̃'_j| + λ(1−α)/2 Σ w_j β̃'_j²
// H and g are each rank's rows' SYRK and GEMV summed over the ranks ((p+1)² + p + 1 numbers, one
// sum); Q is then minimized on every rank alike by coordinate descent on H (glmnet's covariance
// updates: q = g + H(a' − a) kept as coordinates move, the box limits clipped), and the step
// a' − a is backtracked on the true objective P (one sum per trial: the loss of each rank's
// rows). Every rank holds the same a, H and decisions. The full Gram costs O(n_r·p²) per step
// and (p+1)² numbers to sum, so the batch takes it only up to max_features (p) and runs FISTA
// alone beyond. The caller certifies the result with the solver's duality gap. The whole data
// only (fold −1: a distributed cv fits each fold as its own distributed fit). Private.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "backends/cpu_backend.hpp"
#include "core/accel/glm_newton_polish.hpp"
#include "core/design/fold_scaling.hpp"
#include "core/engine/glm_scalar_ops.hpp"
#include "core/engine/scalar_ops.hpp"
#include "regpath/distributed.hpp"

namespace regpath {

class SplitRowsGlmNewton : public GlmNewtonMethod {
 public:
  using GlmNewtonMethod::solve;
  static constexpr Index max_features = 1000;  // the largest p whose Gram is summed per step

  // local: this rank's rows (dense X, raw features; weights already normalized as the problem
  // keeps them), scaling: the merged one (fold −1).
  SplitRowsGlmNewton(const Communicator& comm, GlmHostData local, const FoldScaling& scaling,
                     ops::Datafit datafit, bool intercept)
      : comm_(comm), d_(std::move(local)), datafit_(datafit), intercept_(intercept),
        w_(1.0 / scaling.train_weight[0]) {
    // X̃ in place: (x − μ_j)·s_j, 0 for a constant column
    const Index n = d_.n, p = d_.p;
    for (Index j = 0; j < p; ++j) {
      const double mu = scaling.center[std::size_t(j)], s = scaling.scale[std::size_t(j)];
      double* x = d_.X.data() + j * n;
      for (Index i = 0; i < n; ++i) x[i] = s > 0 ? (x[i] - mu) * s : 0.0;
      scale_.push_back(s);
    }
  }

  void set_penalty_factors(std::vector<double> factor) override { factor_ = std::move(factor); }
  void set_bounds(std::vector<double> lower, std::vector<double> upper) override {
    lower_ = std::move(lower);
    upper_ = std::move(upper);
  }
  void set_face_work_ratio(double) override {}  // the Gram is the model here: no face solve

  Result solve(const Column& c, const std::vector<double>& start, double accuracy,
               int max_newton, int max_sweeps) const override {
    const Index n = d_.n, p = d_.p, m = p + 1;  // m: the coefficients with the intercept
    const auto um = static_cast<std::size_t>(m);
    const double l1 = c.lambda * c.alpha, l2 = c.lambda * (1.0 - c.alpha);
    Result res;
    res.beta = start;
    std::vector<double>& a = res.beta;
    if (!intercept_) a[std::size_t(p)] = 0;
    std::vector<double> lo(um, -HUGE_VAL), hi(um, HUGE_VAL);
    for (Index j = 0; j < p; ++j) {
      const auto uj = std::size_t(j);
      if (!(scale_[uj] > 0)) lo[uj] = hi[uj] = 0;  // a constant column's coefficient is 0
      if (!lower_.empty() && scale_[uj] > 0) {    // β̃_j = β_j / s_j
        lo[uj] = lower_[uj] / scale_[uj];
        hi[uj] = upper_[uj] / scale_[uj];
      }
      a[uj] = std::min(std::max(a[uj], lo[uj]), hi[uj]);
    }
    std::vector<double> eta(static_cast<std::size_t>(n)), eta_dir(eta.size()), eta_try(eta.size());
    linear_predictor(a, eta, false);
    double P = loss(eta) + penalty(c, a);
    res.start_objective = res.objective = P;
    if (!std::isfinite(P)) return res;

    std::vector<double> sums(um * um + um), next(um), q(um), trial(um);
    int stagnant = 0;
    for (int outer = 0; outer < max_newton; ++outer) {
      newton_model(eta, sums);  // H (m × m, column-major), then g (m)
      const double* H = sums.data();
      const double* g = sums.data() + um * um;
      // Q's minimizer by coordinate descent from a, q = g + H·(a' − a)
      next = a;
      q.assign(g, g + um);
      double size = 0;  // a's size in H's diagonal norm, for the "no change" threshold
      for (std::size_t j = 0; j < um; ++j) size += H[j + j * um] * a[j] * a[j];
      const double thr = accuracy * accuracy * std::max(size, std::fabs(P));
      bool full = true;
      for (int sweep = 0; sweep < max_sweeps; ++sweep) {
        ++res.sweeps;
        double moved = 0;
        for (std::size_t j = 0; j < um; ++j) {
          if (!full && next[j] == 0 && j != um - 1) continue;  // active sweeps: nonzeros only
          const double hjj = H[j + j * um];
          if (!(hjj > 0)) continue;
          double b;
          if (j == um - 1) {  // the intercept: unpenalized
            if (!intercept_) continue;
            b = next[j] - q[j] / hjj;
          } else {
            const double u = hjj * next[j] - q[j];
            b = ops::soft_threshold(u, l1 * fw(j)) / (hjj + l2 * fw(j));
            b = std::min(std::max(b, lo[j]), hi[j]);
          }
          const double delta = b - next[j];
          if (delta == 0) continue;
          next[j] = b;
          for (std::size_t k = 0; k < um; ++k) q[k] += delta * H[k + j * um];
          moved = std::max(moved, hjj * delta * delta);
        }
        if (moved <= thr) {
          if (full) break;  // a full sweep moved nothing: Q's minimizer
          full = true;
        } else {
          full = false;
        }
      }
      // the direction d = next − a, η along it; backtracking on P
      double step = 0;
      for (std::size_t j = 0; j < um; ++j) {
        const double dj = next[j] - a[j];
        step += H[j + j * um] * dj * dj;
        trial[j] = dj;
      }
      if (!(step > 0)) break;
      linear_predictor(trial, eta_dir, true);
      const double rounding = 64 * std::numeric_limits<double>::epsilon() * std::fabs(P);
      const double P_before = P;
      bool accepted = false;
      std::vector<double> a_try(um);
      for (double t = 1; t > 1e-10; t /= 2) {
        for (std::size_t j = 0; j < um; ++j) a_try[j] = a[j] + t * trial[j];
        for (std::size_t i = 0; i < eta.size(); ++i) eta_try[i] = eta[i] + t * eta_dir[i];
        const double P_try = loss(eta_try) + penalty(c, a_try);  // one sum: the same t on all
        if (std::isfinite(P_try) && (P_try < P || (t == 1 && P_try <= P + rounding))) {
          a.swap(a_try);
          eta.swap(eta_try);
          P = std::min(P, P_try);
          accepted = true;
          break;
        }
      }
      if (!accepted) break;
      ++res.newton_steps;
      if (step <= thr) break;  // the Newton step itself is at the accuracy asked for
      // or it no longer lowers P beyond rounding: twice in a row ends it (as the serial method)
      stagnant = P_before - P <= rounding ? stagnant + 1 : 0;
      if (stagnant >= 2) break;
      if (outer % 8 == 7) linear_predictor(a, eta, false);  // no drift from the running updates
    }
    linear_predictor(a, eta, false);
    res.objective = loss(eta) + penalty(c, a);
    return res;
  }

 private:
  // H = w·X̃₁ᵀVX̃₁ and g = w·X̃₁ᵀ(ω∘(μ − y)) of this rank's rows, summed over the ranks (one sum)
  void newton_model(const std::vector<double>& eta, std::vector<double>& sums) const {
    const Index n = d_.n, p = d_.p, m = p + 1;
    const auto um = static_cast<std::size_t>(m);
    std::fill(sums.begin(), sums.end(), 0.0);
    double* H = sums.data();
    double* g = sums.data() + um * um;
    std::vector<double> v(static_cast<std::size_t>(n)), r(v.size());
    for (Index i = 0; i < n; ++i) {
      const auto ui = std::size_t(i);
      const double om = d_.weight.empty() ? 1.0 : d_.weight[ui];
      if (!(om > 0)) continue;
      const double mu = ops::datafit_mean(datafit_, eta[ui]);
      v[ui] = w_ * om * ops::datafit_irls_weight(datafit_, mu);
      r[ui] = w_ * om * (mu - d_.y[ui]);
    }
    // H's features block Σ_i v_i x̃_ij x̃_ik = (V^½X̃)ᵀ(V^½X̃)   (SYRK, n_r·p² flops)
    scratch_.resize(d_.X.size());
    std::vector<double> root(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) root[i] = std::sqrt(v[i]);
    for (Index j = 0; j < p; ++j)
      for (Index i = 0; i < n; ++i) {
        const auto e = std::size_t(i + j * n);
        scratch_[e] = root[std::size_t(i)] * d_.X[e];
      }
    blas_.gram(n, p, 1.0, scratch_.data(), n, H, m);
    // its intercept column Σ_i v_i x̃_ij and corner Σ v_i; g likewise
    for (Index j = 0; j < p; ++j) {
      const double* xj = d_.X.data() + j * n;
      double s = 0, t = 0;
      for (Index i = 0; i < n; ++i) {
        s += v[std::size_t(i)] * xj[i];
        t += r[std::size_t(i)] * xj[i];
      }
      H[std::size_t(j) + std::size_t(p) * um] = s;
      g[std::size_t(j)] = t;
    }
    double s = 0, t = 0;
    for (Index i = 0; i < n; ++i) {
      s += v[std::size_t(i)];
      t += r[std::size_t(i)];
    }
    H[std::size_t(p) + std::size_t(p) * um] = s;
    g[std::size_t(p)] = t;
    comm_.sum(sums.data(), sums.size());
    for (std::size_t j = 0; j + 1 < um; ++j) H[um - 1 + j * um] = H[j + (um - 1) * um];
  }

  // η = X̃·β̃ + β0 (+ o unless `direction`: the change of η along a step)
  void linear_predictor(const std::vector<double>& a, std::vector<double>& eta,
                        bool direction) const {
    const Index n = d_.n, p = d_.p;
    std::fill(eta.begin(), eta.end(), a[std::size_t(p)]);
    if (!direction && !d_.offset.empty())
      for (Index i = 0; i < n; ++i) eta[std::size_t(i)] += d_.offset[std::size_t(i)];
    for (Index j = 0; j < p; ++j) {
      const double b = a[std::size_t(j)];
      if (b == 0) continue;
      const double* x = d_.X.data() + j * n;
      for (Index i = 0; i < n; ++i) eta[std::size_t(i)] += x[i] * b;
    }
  }

  // w·Σ ω_i f(η_i; y_i) over every rank's rows (one sum)
  double loss(const std::vector<double>& eta) const {
    double sum = 0;
    for (Index i = 0; i < d_.n; ++i) {
      const double om = d_.weight.empty() ? 1.0 : d_.weight[std::size_t(i)];
      if (om > 0) sum += om * ops::datafit_loss(datafit_, eta[std::size_t(i)], d_.y[std::size_t(i)]);
    }
    comm_.sum(&sum, 1);
    return w_ * sum;
  }

  double penalty(const Column& c, const std::vector<double>& a) const {
    double l1 = 0, l2 = 0;
    for (Index j = 0; j < d_.p; ++j) {
      l1 += fw(std::size_t(j)) * std::fabs(a[std::size_t(j)]);
      l2 += fw(std::size_t(j)) * a[std::size_t(j)] * a[std::size_t(j)];
    }
    return c.lambda * (c.alpha * l1 + 0.5 * (1.0 - c.alpha) * l2);
  }

  double fw(std::size_t j) const { return factor_.empty() ? 1.0 : factor_[j]; }

  const Communicator& comm_;
  GlmHostData d_;  // X holds X̃ (standardized in place)
  ops::Datafit datafit_;
  bool intercept_;
  double w_;                   // 1/W, W = Σ ω_i over every rank's rows
  std::vector<double> scale_;  // s_j (0: a constant column)
  std::vector<double> factor_, lower_, upper_;
  mutable CpuBackend<double> blas_;      // its SYRK
  mutable std::vector<double> scratch_;  // V^½X̃ (n_r × p)
};

}  // namespace regpath
