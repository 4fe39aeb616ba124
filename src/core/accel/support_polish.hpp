// Newton's step on an active set. With μ = λ(1−α), the optimality conditions of the elastic net
// on a set A of nonzero coefficients with signs s_A are linear,
//     (H_AA + μI)·β_A = c_A − λα·s_A,   β = 0 off A,
// (with penalty factors w: μ·diag(w_A) for μI and λα·w_j·s_j, core/penalty/), and solving them
// gives the exact solution once A and s_A are right: objectives converge faster
// than coefficients on ill-conditioned data, and this closes the difference.
//
// A and s come from the iterate β and its gradient g = Hβ − c (a primal-dual active-set, i.e.
// semismooth Newton, step on the fixed point β = prox(β − t∘∇)): with t_j = 1/(H_jj + μ),
//     z_j = β_j − t_j·(g_j + μβ_j),   A = { j : |z_j| > t_j·λα },   s_j = sign(z_j),
// which keeps a support whose conditions hold, adds a zero feature that violates its condition and
// drops a coefficient that the conditions push through zero. At the solution A is its support, so
// repeated steps stop there; from a nearby iterate (the previous λ's solution, or FISTA's) they
// reach it in a few steps. The result is not trusted: the caller certifies it with the duality gap
// on the full problem and keeps it only if the gap shrinks.
//
// Cost. The system is solved on the host in double through a Cholesky factor L of
// M_U = H_UU + μI for a set U ⊇ A (dense_cholesky.hpp), which the steps share: a feature of A
// outside U joins U by extending L (|U|²·k flops for k features), and the features of U outside A,
// R, are held at zero by a Lagrange multiplier: with W = L⁻¹E_R and y = L⁻¹b,
//     x = L⁻ᵀ(y − W·ν),   (WᵀW)·ν = Wᵀy      (|U|²·|R| flops),
// so only when R or the growth gets large (or μ, i.e. λ, changes) is M refactored on A (|A|³/3
// flops, at BLAS speed). H_UU comes from a host cache of H's rows and columns for the features
// met so far, each loaded once from the backend (gathered from the Gram form's H, or
// X̃ᵀ·X̃_F/n, 2·n·p flops a feature).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/accel/dense_cholesky.hpp"
#include "core/design/gaussian_problem.hpp"

namespace regpath {

template <class Backend>
class SupportPolish {
 public:
  using T = typename Backend::value_type;
  using Buffer = typename Backend::Buffer;
  using Index = std::int64_t;

  // Active sets of up to `limit` features are solved.
  SupportPolish(GaussianProblem<Backend>& problem, Index limit)
      : pr_(problem), be_(problem.be), limit_(std::min(limit, problem.p)),
        pos_(static_cast<std::size_t>(problem.p), -1),
        posv_(static_cast<std::size_t>(problem.p), -1) {}

  Index limit() const { return limit_; }

  // The active set of the last solve, ascending, each feature j written as j (s_j > 0) or −1 − j
  // (s_j < 0): two solves with equal signatures solved the same system.
  const std::vector<Index>& signature() const { return signature_; }

  // The flops the last solve took (factorization, growth, solves), for the caller's cost balance.
  double cost() const { return cost_; }

  // H = X̃ᵀX̃/n whole (p × p, column-major, in double) into `H`, loaded from the backend as the
  // blocks of the steps are; for p up to the limit (the caller checks).
  void full_gram(std::vector<double>& H) {
    std::vector<Index> all(static_cast<std::size_t>(pr_.p));
    for (Index j = 0; j < pr_.p; ++j) all[static_cast<std::size_t>(j)] = j;
    load(all, all);
    H.assign(block_.begin(), block_.end());
  }

  // β (standardized, p values, in/out) and g = ∇f(β) (p values): β becomes the solution of the
  // system on the active set chosen from them. False, β unspecified, when that set is empty or
  // larger than the limit, or the system is not numerically positive definite.
  //
  // With drop_flips, a feature whose sign disagrees with the previous solve's solution leaves the
  // set (an active-set method's drop: after a damped step stopped short of the point where that
  // coefficient would cross zero, the same set would only give the same point again).
  bool solve(std::vector<T>& beta, const std::vector<T>& grad, double lambda, double alpha,
             bool drop_flips = false) {
    // with the penalty factors w_j, coordinate j's weights are μ·w_j and λα·w_j
    const double mu = lambda * (1 - alpha), thr = lambda * alpha;
    cost_ = 0;
    support_.clear();
    signature_.clear();
    for (Index j = 0; j < pr_.p; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      const double w = pr_.penalty.w(j), muj = mu * w;
      const double den = pr_.diag_host[uj] + muj;
      if (!(den > 0)) continue;  // a constant column without ridge: always zero
      const double b = double(beta[uj]);
      const double z = b - (double(grad[uj]) + muj * b) / den;
      if (!(std::fabs(z) * den > thr * w)) continue;
      if (drop_flips && !newton_.empty()) {
        const double previous = double(newton_[uj]);
        if (previous != 0 && (previous > 0) != (z > 0)) continue;
      }
      support_.push_back(j);
      signature_.push_back(z > 0 ? j : -1 - j);
    }
    const auto m = static_cast<Index>(support_.size());
    if (m == 0 || m > limit_) return false;
    if (!prepare(mu)) return false;
    // b_U: c_j − λα·s_j on A, 0 on R (held at zero, its value does not matter)
    const auto s = static_cast<Index>(u_.size());
    y_.assign(static_cast<std::size_t>(s), 0.0);
    sign_.assign(static_cast<std::size_t>(s), 0.0);
    for (Index a = 0; a < m; ++a) {
      const Index j = support_[static_cast<std::size_t>(a)];
      const auto i = static_cast<std::size_t>(pos_[static_cast<std::size_t>(j)]);
      sign_[i] = signature_[static_cast<std::size_t>(a)] >= 0 ? 1.0 : -1.0;
      y_[i] = pr_.c_host[static_cast<std::size_t>(j)] - thr * pr_.penalty.w(j) * sign_[i];
    }
    dense::forward_solve(L_.data(), s, ld_, y_.data());
    cost_ += 2.0 * double(s) * double(s);
    if (!hold_at_zero(s)) return false;
    dense::backward_solve(L_.data(), s, ld_, y_.data());
    std::fill(beta.begin(), beta.end(), T(0));
    for (Index i = 0; i < s; ++i)
      if (sign_[static_cast<std::size_t>(i)] != 0)
        beta[static_cast<std::size_t>(u_[static_cast<std::size_t>(i)])] =
            static_cast<T>(y_[static_cast<std::size_t>(i)]);
    newton_ = beta;
    return true;
  }

  // The exact line search of the damped step: with δ = β_new − β and q = δᵀHδ = δᵀ(g_new − g)
  // (the gradient is affine), the objective along β + tδ is
  //     φ(t) = P(β) + t·gᵀδ + t²q/2 + λα‖β + tδ‖₁ + μ/2·(‖β + tδ‖² − ‖β‖²),
  // convex and piecewise quadratic with a kink where a coefficient crosses zero. Returns its
  // minimizer on [0, 1] (1: the full Newton step), walking the kinks in order. Host, O(p log p).
  // With penalty factors (w, p values or empty for all 1) coordinate j's μ and λα are scaled by
  // w_j.
  static double line_search(const std::vector<T>& beta, const std::vector<T>& beta_new,
                            const std::vector<T>& grad, const std::vector<T>& grad_new,
                            double lambda, double alpha, const std::vector<double>& w,
                            std::vector<std::pair<double, double>>& kinks) {
    double slope = 0, curve = 0, l1 = 0;  // φ'(0⁺) = slope + l1, φ'' = curve between kinks
    kinks.clear();
    for (std::size_t j = 0; j < beta.size(); ++j) {
      const double b = double(beta[j]), d = double(beta_new[j]) - b;
      if (d == 0) continue;
      const double wj = w.empty() ? 1.0 : w[j];
      const double mu = lambda * (1 - alpha) * wj, la = lambda * alpha * wj;
      slope += double(grad[j]) * d + mu * b * d;
      curve += d * (double(grad_new[j]) - double(grad[j])) + mu * d * d;
      const double s = b != 0 ? (b > 0 ? 1.0 : -1.0) : (d > 0 ? 1.0 : -1.0);
      l1 += la * s * d;
      // β_j + tδ_j = 0 at t = −β_j/δ_j: past it the sign flips, the slope gains 2λα|δ_j|
      if (b != 0 && s * d < 0) {
        const double t = -b / d;
        if (t < 1) kinks.emplace_back(t, 2 * la * std::fabs(d));
      }
    }
    std::sort(kinks.begin(), kinks.end());
    curve = std::max(curve, 0.0);
    double lo = 0, jump = slope + l1;  // φ'(t) = jump + curve·(t − lo) on [lo, next kink)
    for (const auto& [t, gain] : kinks) {
      if (jump >= 0) return lo;
      if (jump + curve * (t - lo) >= 0) return lo - jump / curve;
      jump += curve * (t - lo) + gain;
      lo = t;
    }
    if (jump >= 0) return lo;
    if (curve > 0 && jump + curve * (1 - lo) >= 0) return lo - jump / curve;
    return 1.0;
  }

 private:
  // Makes L the factor of H_UU + μI for a U ⊇ A (= support_): kept, grown, or refactored on A.
  bool prepare(double mu) {
    const auto m = static_cast<Index>(support_.size());
    if (mu != mu_) forget();
    missing_.clear();
    for (const Index j : support_)
      if (pos_[static_cast<std::size_t>(j)] < 0) missing_.push_back(j);
    const auto k = static_cast<Index>(missing_.size());
    const auto s = static_cast<Index>(u_.size());
    const Index held = s + k - m;  // |R|
    const bool keep = s > 0 && s + k <= limit_ && 8 * k <= std::max<Index>(256, 2 * m) &&
                      8 * held <= std::max<Index>(256, m);
    if (keep && (k == 0 || grow(mu))) return true;
    forget();
    return refactor(mu);
  }

  void forget() {
    for (const Index j : u_) pos_[static_cast<std::size_t>(j)] = -1;
    u_.clear();
  }

  // U = A, L = chol(H_AA + μI)   (m³/3 flops)
  bool refactor(double mu) {
    const auto m = static_cast<Index>(support_.size());
    cache(support_);
    reserve_factor(m);
    double max_diag = 0;
    for (Index b = 0; b < m; ++b) {
      const double* h = hv_.data() + at(support_[static_cast<std::size_t>(b)]) * ldv_;
      for (Index a = b; a < m; ++a)  // the lower triangle is all the factorization reads
        L_[static_cast<std::size_t>(a + b * ld_)] = h[at(support_[static_cast<std::size_t>(a)])];
      L_[static_cast<std::size_t>(b + b * ld_)] += mu * pr_.penalty.w(support_[std::size_t(b)]);
      max_diag = std::max(max_diag, L_[static_cast<std::size_t>(b + b * ld_)]);
    }
    cost_ += double(m) * double(m) * double(m) / 3;
    floor_ = 1e-12 * max_diag;
    if (!(max_diag > 0) || !dense::factor(L_.data(), m, ld_, floor_)) return false;
    u_ = support_;
    for (Index i = 0; i < m; ++i)
      pos_[static_cast<std::size_t>(u_[static_cast<std::size_t>(i)])] = i;
    mu_ = mu;
    return true;
  }

  // U ← U ∪ missing_ (F), L extended   (|U|²·|F| flops)
  bool grow(double mu) {
    const auto s = static_cast<Index>(u_.size()), k = static_cast<Index>(missing_.size());
    grown_ = missing_;  // cache() may reuse missing_
    cache(grown_);
    if (!cached(u_)) return false;  // the cache started over: refactor
    reserve_factor(s + k);
    for (Index b = 0; b < k; ++b) {
      const double* h = hv_.data() + at(grown_[static_cast<std::size_t>(b)]) * ldv_;
      for (Index a = 0; a < s; ++a)  // H_FU: row s + b of the factor
        L_[static_cast<std::size_t>(s + b + a * ld_)] = h[at(u_[static_cast<std::size_t>(a)])];
      for (Index a = b; a < k; ++a)
        L_[static_cast<std::size_t>(s + a + (s + b) * ld_)] =
            h[at(grown_[static_cast<std::size_t>(a)])];
      L_[static_cast<std::size_t>(s + b + (s + b) * ld_)] +=
          mu * pr_.penalty.w(grown_[static_cast<std::size_t>(b)]);
    }
    cost_ += double(s) * double(s) * double(k) + double(s) * double(k) * double(k);
    if (!dense::extend(L_.data(), s, k, ld_, floor_)) return false;
    for (Index b = 0; b < k; ++b) {
      const Index j = grown_[static_cast<std::size_t>(b)];
      pos_[static_cast<std::size_t>(j)] = s + b;
      u_.push_back(j);
    }
    return true;
  }

  // The host cache of H: H_VV (both triangles, ldv_ × ldv_) for the features V = v_, posv_[j] = j's
  // place in V (−1: not in V). Features join it when first needed, one block H[V ∪ F, F] each
  // time, and stay: the supports of a path mostly grow, so over a path each column of H is loaded
  // about once, and refactoring on a new λ costs no transfer. Past the limit it starts over.
  Index at(Index j) const { return posv_[static_cast<std::size_t>(j)]; }
  bool cached(const std::vector<Index>& set) const {
    return std::all_of(set.begin(), set.end(), [&](Index j) { return at(j) >= 0; });
  }

  // Makes every feature of `need` part of V.
  void cache(const std::vector<Index>& need) {
    missing_.clear();
    for (const Index j : need)
      if (at(j) < 0) missing_.push_back(j);
    if (missing_.empty()) return;
    if (static_cast<Index>(v_.size() + missing_.size()) > limit_) {
      for (const Index j : v_) posv_[static_cast<std::size_t>(j)] = -1;
      v_.clear();
      missing_ = need;
    }
    const auto v = static_cast<Index>(v_.size()), k = static_cast<Index>(missing_.size());
    reserve_cache(v + k);
    for (const Index j : missing_) {
      posv_[static_cast<std::size_t>(j)] = static_cast<Index>(v_.size());
      v_.push_back(j);
    }
    // H[V, F] by chunks of columns (bounded device workspace), into both triangles
    constexpr Index kChunk = 256;
    for (Index c0 = 0; c0 < k; c0 += kChunk) {
      const Index kc = std::min(kChunk, k - c0);
      chunk_.assign(missing_.begin() + c0, missing_.begin() + c0 + kc);
      load(v_, chunk_);
      const auto rows = static_cast<Index>(v_.size());
      for (Index b = 0; b < kc; ++b) {
        const Index col = v + c0 + b;
        for (Index a = 0; a < rows; ++a) {
          const double h = double(block_[static_cast<std::size_t>(a + b * rows)]);
          hv_[static_cast<std::size_t>(a + col * ldv_)] = h;
          hv_[static_cast<std::size_t>(col + a * ldv_)] = h;
        }
      }
    }
  }

  void reserve_cache(Index m) {
    if (m <= ldv_) return;
    const Index ld = std::max(m, std::min(ldv_ + ldv_ / 2, limit_));
    std::vector<double> grown(static_cast<std::size_t>(ld * ld), 0.0);
    const auto v = static_cast<Index>(v_.size());
    for (Index b = 0; b < v; ++b)
      std::copy(hv_.begin() + b * ldv_, hv_.begin() + b * ldv_ + v, grown.begin() + b * ld);
    hv_.swap(grown);
    ldv_ = ld;
  }

  // y ← y − W·ν with W = L⁻¹E_R, (WᵀW)·ν = Wᵀy, R the features of U outside A: then
  // L⁻ᵀy, the solution, is zero on R.
  bool hold_at_zero(Index s) {
    held_.clear();
    for (Index i = 0; i < s; ++i)
      if (sign_[static_cast<std::size_t>(i)] == 0) held_.push_back(i);
    const auto r = static_cast<Index>(held_.size());
    if (r == 0) return true;
    W_.assign(static_cast<std::size_t>(s * r), 0.0);
    for (Index c = 0; c < r; ++c)
      W_[static_cast<std::size_t>(held_[static_cast<std::size_t>(c)] + c * s)] = 1;
    dense::forward_solve_many(L_.data(), s, ld_, W_.data(), r, s);
    // P = WᵀW (r × r, lower), ν = Wᵀy
    P_.assign(static_cast<std::size_t>(r * r), 0.0);
    nu_.assign(static_cast<std::size_t>(r), 0.0);
    {
      const int is = static_cast<int>(s), ir = static_cast<int>(r);
      const double one = 1, zero = 0;
      dsyrk_("L", "T", &ir, &is, &one, W_.data(), &is, &zero, P_.data(), &ir, 1, 1);
    }
    double max_diag = 0;
    for (Index c = 0; c < r; ++c) {
      const double* w = W_.data() + c * s;
      double v = 0;
      for (Index i = 0; i < s; ++i) v += w[i] * y_[static_cast<std::size_t>(i)];
      nu_[static_cast<std::size_t>(c)] = v;
      max_diag = std::max(max_diag, P_[static_cast<std::size_t>(c + c * r)]);
    }
    cost_ += double(s) * double(s) * double(r) + double(s) * double(r) * double(r);
    if (!(max_diag > 0) || !dense::factor(P_.data(), r, r, 1e-14 * max_diag)) return false;
    dense::forward_solve(P_.data(), r, r, nu_.data());
    dense::backward_solve(P_.data(), r, r, nu_.data());
    for (Index c = 0; c < r; ++c) {
      const double* w = W_.data() + c * s;
      const double v = nu_[static_cast<std::size_t>(c)];
      for (Index i = 0; i < s; ++i) y_[static_cast<std::size_t>(i)] -= w[i] * v;
    }
    return true;
  }

  // Room for a factor of m rows: the leading dimension grows by half again (L copied over).
  void reserve_factor(Index m) {
    if (m <= ld_) return;
    const Index ld = std::max(m, std::min(ld_ + ld_ / 2, limit_));
    std::vector<double> grown(static_cast<std::size_t>(ld * ld), 0.0);
    const auto s = static_cast<Index>(u_.size());
    for (Index b = 0; b < s; ++b)
      std::copy(L_.begin() + b * ld_ + b, L_.begin() + b * ld_ + s, grown.begin() + b * ld + b);
    L_.swap(grown);
    ld_ = ld;
  }

  // block_ (host, |rows| × |cols|) = H[rows, cols]: the columns H[:, cols] (gathered from the
  // Gram form's H, else X̃ᵀ·X̃_cols/n, a GEMM of 2·n·p·|cols| flops), then their rows.
  void load(const std::vector<Index>& rows, const std::vector<Index>& cols) {
    const Index n = pr_.n, p = pr_.p;
    const auto mr = static_cast<Index>(rows.size()), mc = static_cast<Index>(cols.size());
    reserve(cols_, static_cast<std::size_t>(p * mc));
    reserve(gram_, static_cast<std::size_t>(mr * mc));
    if (pr_.gram_form) {
      be_.gather_columns(p, pr_.H.data(), p, cols, cols_.data());
      cost_ += double(p) * double(mc);
    } else {
      reserve(xc_, static_cast<std::size_t>(pr_.rows * mc));
      pr_.gather_x_columns(cols, xc_.data());
      pr_.xt_times(mc, T(1) / T(n), xc_.data(), cols_.data());
      cost_ += 2.0 * double(n) * double(p) * double(mc);
    }
    be_.gather_rows(mr, mc, cols_.data(), p, rows, gram_.data(), mr);
    block_.resize(static_cast<std::size_t>(mr * mc));
    be_.download(block_.data(), gram_.data(), block_.size());
  }

  // Grows a buffer (by half again: supports grow along the path); contents are lost.
  void reserve(Buffer& b, std::size_t count) {
    if (b.size() < count) b = be_.allocate(count + count / 2);
  }

  GaussianProblem<Backend>& pr_;
  Backend& be_;
  Index limit_;
  Buffer cols_, gram_, xc_;
  std::vector<Index> support_, signature_, missing_, grown_, chunk_, held_;
  std::vector<T> block_, newton_;  // an H block; the last solution
  // The factor: L (ld_ × ld_, lower) of H_UU + μ_·I, U = u_ in factor order, pos_[j] = j's place
  // in U (−1: not in U).
  std::vector<Index> u_, pos_;
  std::vector<double> L_, y_, sign_, W_, P_, nu_;
  Index ld_ = 0;
  std::vector<Index> v_, posv_;
  std::vector<double> hv_;
  Index ldv_ = 0;
  double mu_ = -1, floor_ = 0, cost_ = 0;
};

}  // namespace regpath
