// Coordinate descent along the path on X̃'s own columns in host memory: glmnet's method with
// naive updates (a residual kept current), the gaussian path's first solver for each λ where
// X̃ is on the host and wide (the direct form: n ≤ 2p, e.g. a sparse X with p ≫ n).
//
// There batched FISTA needs hundreds of iterations per λ (the lasso's support nears n and X̃_A
// grows ill-conditioned), and Newton's steps refactor |A|³ systems; a coordinate's exact step
// costs one column (n flops dense, its nonzeros sparse), and a few sweeps over the strong set
// reach the tolerance. The result is not trusted: the path solver certifies it with the duality
// gap on the full problem (gradient from the backend), exactly as its own iterates, and falls
// back to FISTA for a λ where it does not reach the tolerance.
//
//     minimize  (1/2n)‖ỹ − X̃β‖² + λα Σ w_j|β_j| + λ(1−α)/2 Σ w_j β_j²
//
// With r = ỹ − X̃β and d_j = ‖x̃_j‖²/n, coordinate j moves to
//     β_j ← S(d_j·β_j + x̃_jᵀr/n, λα·w_j) / (d_j + λ(1−α)·w_j),   r ← r − x̃_j·Δ
// A sparse x̃_j = (x_j − μ_j·1)/s_j is never formed: r = r_s + o·1 (a dense part and a shift), so
//     x̃_jᵀr = (x_jᵀr_s + o·Σx_j − μ_j·Σr)/s_j,   r_s ← r_s − (Δ/s_j)·x_j,  o ← o + Δ·μ_j/s_j
// and a move costs the column's nonzeros. Rounds as glmnet's: sweeps over the strong set (the
// sequential strong rule from the previous λ's gradient, and the previous support), cycles on
// the nonzero coefficients until their moves are small, then the optimality conditions of
// every feature outside the set; violators join it and the rounds repeat.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "core/accel/anderson.hpp"
#include "core/design/gaussian_problem.hpp"
#include "core/engine/scalar_ops.hpp"

namespace regpath {

template <class Backend>
class PathDescent {
 public:
  using T = typename Backend::value_type;
  using Index = std::int64_t;

  // Whether the problem's X̃ is host memory this class can read: a sparse design without an
  // implicit partial, or a dense X̃ in a host backend's buffers; all rows here (not split
  // between ranks), no bounds (FISTA's prox clips them), the direct form.
  static bool applies(const GaussianProblem<Backend>& pr) {
    constexpr bool host = std::is_same_v<typename Backend::Buffer, std::vector<T>>;
    if (!host || pr.gram_form || pr.distributed() || pr.penalty.bounded()) return false;
    if (pr.sparse()) return !pr.sparse_design()->partialled();
    return pr.x() != nullptr;
  }

  explicit PathDescent(GaussianProblem<Backend>& problem) : pr_(problem), n_(problem.n),
                                                            p_(problem.p) {
    if (const SparseDesign<T>* d = pr_.sparse_design()) {
      col_sum_.assign(static_cast<std::size_t>(p_), 0.0);
      for (Index j = 0; j < p_; ++j)
        d->for_each_in_column(j, [&](Index, double v) { col_sum_[std::size_t(j)] += v; });
    }
    std::vector<T> y(static_cast<std::size_t>(n_));
    problem.be.download(y.data(), problem.y.data(), y.size());
    y_.assign(y.begin(), y.end());
  }

  // A certified path point, the solution at λ: the next descend() from it starts where the
  // line through it and the point before it reaches its λ (extrapolate_path()).
  void certified(double lambda, const std::vector<double>& beta) {
    if (lambda == last_lambda_) return;
    before_lambda_ = last_lambda_;
    before_.swap(last_);
    last_lambda_ = lambda;
    last_ = beta;
  }

  // The flops of the last descend(), and of one full gradient X̃ᵀ(X̃β − ỹ)/n (the unit of its
  // budget): 4·n·p dense, 4·nnz sparse (the centring's O(n + p) left out).
  double flops() const { return flops_; }
  double gradient_flops() const { return 2 * column_flops_all(); }

  // β (standardized, p values, in/out) from its value at λ_prev to the solution at λ, to within
  // moves of `move_tol`·yy; at most max_flops of work. g_prev: the gradient X̃ᵀ(X̃β − ỹ)/n at
  // the incoming β (the strong rule's). Returns false when the budget ran out first.
  bool descend(std::vector<double>& beta, const std::vector<double>& g_prev, double lambda,
               double lambda_prev, double alpha, double move_tol, double max_flops) {
    flops_ = 0;
    la_ = lambda * alpha;
    mu_ = lambda * (1 - alpha);
    residual(beta);
    extrapolate_path(beta, lambda, lambda_prev);
    // the strong rule: |g_j| < α(2λ − λ_prev)·w_j at a zero coefficient is very likely zero
    const double threshold = alpha * (2 * lambda - lambda_prev);
    in_set_.assign(static_cast<std::size_t>(p_), 0);
    strong_.clear();
    for (Index j = 0; j < p_; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      if (beta[uj] != 0 || std::fabs(g_prev[uj]) >= threshold * pr_.penalty.w(j)) {
        strong_.push_back(j);
        in_set_[uj] = 1;
      }
    }
    // moves are small against the objective itself (near the lasso's saturation, p ≫ n, it is
    // far below yy, and the certificate is relative to it)
    const double still = move_tol * std::max(objective(beta), 1e-300 * std::max(pr_.yy, 1.0));
    for (int round = 0; round < kMaxRounds; ++round) {
      // sweeps over the strong set; between them, cycles on its nonzero coefficients
      while (flops_ < max_flops) {
        if (sweep(strong_, beta) <= still) break;
        active_.clear();
        for (const Index j : strong_)
          if (beta[std::size_t(j)] != 0) active_.push_back(j);
        cycle(beta, still, max_flops);
      }
      if (flops_ >= max_flops) return false;
      // the others' optimality: |x̃_jᵀr/n| ≤ λα·w_j at β_j = 0
      bool grew = false;
      for (Index j = 0; j < p_; ++j) {
        const auto uj = static_cast<std::size_t>(j);
        if (in_set_[uj]) continue;
        if (std::fabs(column_dot(j)) / double(n_) > la_ * pr_.penalty.w(j)) {
          strong_.push_back(j);
          in_set_[uj] = 1;
          grew = true;
        }
      }
      flops_ += column_flops_all();
      if (!grew) return true;
      std::sort(strong_.begin(), strong_.end());
    }
    return false;
  }

 private:
  static constexpr int kMaxRounds = 50;
  static constexpr std::size_t kAnderson = 5;

  // On a support that holds between λ_prev and λ the lasso's solution is affine in λ (its path
  // is piecewise linear; the elastic net's nearly so): from β = β(λ_prev) and β(λ_before),
  //     β + (β − β_before)·(λ − λ_prev)/(λ_prev − λ_before)
  // on β's support (a coefficient whose sign would change: 0), taken where its objective is
  // lower. Near the lasso's saturation (p ≫ n) this start saves a good part of the sweeps
  // (bench/peers/sparse.R --quick, gaussian: the solve 2.10 s → 1.65 s).
  void extrapolate_path(std::vector<double>& beta, double lambda, double lambda_prev) {
    if (before_.size() != beta.size() || lambda_prev != last_lambda_ || beta != last_) return;
    // certified() keeps distinct λ: f is finite, and 0 for a repeated λ (nothing to do)
    const double f = (lambda - lambda_prev) / (lambda_prev - before_lambda_);
    if (!(f > 0 && f < 2)) return;
    const double start = objective(beta);
    trial_ = beta;
    double moved_flops = 0;
    for (std::size_t j = 0; j < trial_.size(); ++j) {
      const double b = beta[j];
      if (b == 0) continue;
      const double c = b + f * (b - before_[j]);
      trial_[j] = (c > 0) == (b > 0) ? c : 0.0;
      moved_flops += column_flops(Index(j));
    }
    const std::vector<double> r_kept = r_;
    const double shift_kept = shift_, sum_kept = sum_;
    residual(trial_);  // the trial's support's columns
    flops_ += moved_flops;
    if (objective(trial_) < start) {
      beta.swap(trial_);
      return;
    }
    r_ = r_kept;
    shift_ = shift_kept;
    sum_ = sum_kept;
  }

  // r = ỹ − X̃β (sparse: r_s = ỹ − Σ β_j x_j/s_j, o = Σ β_j μ_j/s_j), Σr
  void residual(const std::vector<double>& beta) {
    r_ = y_;
    shift_ = 0;
    for (Index j = 0; j < p_; ++j)
      if (beta[std::size_t(j)] != 0) move(j, beta[std::size_t(j)]);
    sum_ = 0;
    for (const double v : r_) sum_ += v;
    sum_ += double(n_) * shift_;
  }

  // Sweeps over active_ until their moves are small, every kAnderson sweeps extrapolated
  // (Anderson acceleration, as celer's and skglm's coordinate descent): with the last kAnderson
  // + 1 iterates β⁽⁰⁾…β⁽ᴷ⁾ on the set and U = [β⁽¹⁾ − β⁽⁰⁾, …], the point Σ c_k·β⁽ᵏ⁾ with
  // c = z/Σz, (UᵀU)z = 1, replaces β⁽ᴷ⁾ when its objective is lower. The residual is affine in β,
  // so the extrapolated point's is the same combination of the iterates' residuals. On the
  // ill-conditioned sets of the lasso's end (p ≫ n) plain sweeps converge slowly; this is what
  // makes them fast.
  void cycle(std::vector<double>& beta, double still, double max_flops) {
    const std::size_t m = active_.size(), un = std::size_t(n_);
    hist_beta_.resize((kAnderson + 1) * m);
    hist_r_.resize((kAnderson + 1) * un);
    hist_shift_.resize(kAnderson + 1);
    hist_sum_.resize(kAnderson + 1);
    std::size_t stored = 0;
    const auto record = [&] {
      for (std::size_t a = 0; a < m; ++a)
        hist_beta_[stored * m + a] = beta[std::size_t(active_[a])];
      std::copy(r_.begin(), r_.end(), hist_r_.begin() + std::ptrdiff_t(stored * un));
      hist_shift_[stored] = shift_;
      hist_sum_[stored] = sum_;
      ++stored;
    };
    record();
    while (flops_ < max_flops && sweep(active_, beta) > still) {
      record();
      if (stored < kAnderson + 1) continue;
      extrapolate(beta, m);
      stored = 0;
      record();
    }
  }

  void extrapolate(std::vector<double>& beta, std::size_t m) {
    constexpr std::size_t K = kAnderson;
    const std::size_t un = std::size_t(n_);
    double z[K];
    flops_ += 2.0 * double(K * K) * double(m);
    if (!anderson::weights(hist_beta_.data(), m, z)) return;
    // the candidate: Σ c_k·(β⁽ᵏ⁺¹⁾, r⁽ᵏ⁺¹⁾), kept in the slots of iterate 0 (no longer needed)
    double shift = 0, sum = 0;
    for (std::size_t i = 0; i < m; ++i) hist_beta_[i] = 0;
    for (std::size_t i = 0; i < un; ++i) hist_r_[i] = 0;
    for (std::size_t k = 0; k < K; ++k) {
      const double c = z[k];
      for (std::size_t i = 0; i < m; ++i) hist_beta_[i] += c * hist_beta_[(k + 1) * m + i];
      for (std::size_t i = 0; i < un; ++i) hist_r_[i] += c * hist_r_[(k + 1) * un + i];
      shift += c * hist_shift_[k + 1];
      sum += c * hist_sum_[k + 1];
    }
    flops_ += 2.0 * double(K) * double(m + un);
    // P at the candidate against P at β⁽ᴷ⁾ (the current point): only the set's terms differ
    double rr_new = 0, rr_cur = 0, pen_new = 0, pen_cur = 0;
    for (std::size_t i = 0; i < un; ++i) {
      rr_new += (hist_r_[i] + shift) * (hist_r_[i] + shift);
      rr_cur += (r_[i] + shift_) * (r_[i] + shift_);
    }
    for (std::size_t a = 0; a < m; ++a) {
      const Index j = active_[a];
      const double w = pr_.penalty.w(j), bn = hist_beta_[a], bc = beta[std::size_t(j)];
      pen_new += w * (la_ * std::fabs(bn) + 0.5 * mu_ * bn * bn);
      pen_cur += w * (la_ * std::fabs(bc) + 0.5 * mu_ * bc * bc);
    }
    flops_ += 4.0 * double(un + m);
    if (!(0.5 * rr_new / double(n_) + pen_new < 0.5 * rr_cur / double(n_) + pen_cur)) return;
    for (std::size_t a = 0; a < m; ++a) beta[std::size_t(active_[a])] = hist_beta_[a];
    std::copy(hist_r_.begin(), hist_r_.begin() + std::ptrdiff_t(un), r_.begin());
    shift_ = shift;
    sum_ = sum;
  }

  // P(β) at the current residual: ‖r‖²/(2n) + λα Σ w_j|β_j| + λ(1−α)/2 Σ w_j β_j²
  double objective(const std::vector<double>& beta) const {
    double rr = 0, pen = 0;
    for (const double v : r_) rr += (v + shift_) * (v + shift_);
    for (Index j = 0; j < p_; ++j) {
      const double b = beta[std::size_t(j)];
      if (b != 0) pen += pr_.penalty.w(j) * (la_ * std::fabs(b) + 0.5 * mu_ * b * b);
    }
    return 0.5 * rr / double(n_) + pen;
  }

  // x̃_jᵀr
  double column_dot(Index j) {
    if (const SparseDesign<T>* d = pr_.sparse_design()) {
      double dot = 0;
      d->for_each_in_column(j, [&](Index i, double v) { dot += v * r_[std::size_t(i)]; });
      return d->column_inverse_scale(j) *
             (dot + shift_ * col_sum_[std::size_t(j)] - d->column_mean(j) * sum_);
    }
    const T* x = pr_.x() + j * n_;
    double dot = 0;
    for (Index i = 0; i < n_; ++i) dot += double(x[i]) * r_[std::size_t(i)];
    return dot;
  }

  // r ← r − x̃_j·delta
  void move(Index j, double delta) {
    if (const SparseDesign<T>* d = pr_.sparse_design()) {
      const double inv = d->column_inverse_scale(j), a = delta * inv;
      d->for_each_in_column(j, [&](Index i, double v) { r_[std::size_t(i)] -= a * v; });
      shift_ += a * d->column_mean(j);
      sum_ += a * (double(n_) * d->column_mean(j) - col_sum_[std::size_t(j)]);
      return;
    }
    const T* x = pr_.x() + j * n_;
    for (Index i = 0; i < n_; ++i) r_[std::size_t(i)] -= delta * double(x[i]);
  }

  double column_flops(Index j) const {
    if (const SparseDesign<T>* d = pr_.sparse_design()) return 2.0 * double(d->column_nnz(j));
    return 2.0 * double(n_);
  }
  double column_flops_all() const {
    if (const SparseDesign<T>* d = pr_.sparse_design()) return 2.0 * double(d->nnz());
    return 2.0 * double(n_) * double(p_);
  }

  // One pass over `features`; the largest move weighted by its curvature, d_j·Δ².
  double sweep(const std::vector<Index>& features, std::vector<double>& beta) {
    double largest = 0;
    for (const Index j : features) {
      const auto uj = static_cast<std::size_t>(j);
      const double w = pr_.penalty.w(j), d = pr_.diag_host[uj], den = d + mu_ * w;
      if (!(den > 0)) continue;  // a zero column without ridge: stays zero
      const double old = beta[uj];
      const double z = d * old + column_dot(j) / double(n_);
      const double next = ops::soft_threshold(z, la_ * w) / den;
      flops_ += column_flops(j);
      const double delta = next - old;
      if (delta == 0) continue;
      beta[uj] = next;
      move(j, delta);
      flops_ += column_flops(j);
      largest = std::max(largest, d * delta * delta);
    }
    return largest;
  }

  GaussianProblem<Backend>& pr_;
  Index n_, p_;
  double la_ = 0, mu_ = 0, flops_ = 0;
  std::vector<double> y_, r_, col_sum_;  // ỹ; r_s (the residual's dense part); Σ_stored x_j
  double shift_ = 0, sum_ = 0;           // o, and Σr = Σr_s + n·o
  std::vector<Index> strong_, active_;
  std::vector<char> in_set_;
  // cycle()'s last iterates on the set: β (m each), r_s (n each), o and Σr
  std::vector<double> hist_beta_, hist_r_, hist_shift_, hist_sum_;
  // the last two certified path points (certified()) and extrapolate_path()'s trial point
  std::vector<double> last_, before_, trial_;
  double last_lambda_ = -1, before_lambda_ = -1;
};

}  // namespace regpath
