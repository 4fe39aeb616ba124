// The gaussian elastic-net path: batched FISTA over blocks of λ, written once over a backend.
//
// K problems (one per λ) are the columns of a p×K block B, so the gradient of all of them is
//   Gram form  (n > 2p):  G = H·B − c·1ᵀ,                  H = X̃ᵀX̃/n, c = X̃ᵀỹ/n
//   direct form:          G = X̃ᵀ(X̃·B − ỹ·1ᵀ)/n
// and the proximal step is one elementwise pass with a threshold per column. Each column has its
// own λ, step and momentum; it stops on its duality gap and leaves the block.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "core/dense_cholesky.hpp"
#include "core/duality_gap.hpp"
#include "core/lambda_grid.hpp"
#include "core/scalar_ops.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

struct SolveControl {
  double tol = 1e-7;
  int max_iter = 100000;
  int block_size = 20;
  int check_every = 10;
  bool polish = true;         // Newton's step on the support (see polish_block)
  double polish_from = 1e-4;  // relative gap below which a column's support is trusted enough
  int stall_iterations = 2000;  // a column whose gap does not halve in this many iterations stops
};

template <class Backend>
class GaussianPathSolver {
 public:
  using T = typename Backend::value_type;
  using Buffer = typename Backend::Buffer;
  using Index = std::int64_t;

  // Uploads and standardizes X (n × p), centres y, builds the Gram matrix when n > 2p and
  // estimates the Lipschitz constant. The input may be of another precision than T.
  template <typename In>
  GaussianPathSolver(Backend& backend, const MatrixView<In>& X, const In* y, bool standardize,
                     bool intercept, double alpha)
      : be_(backend), n_(X.rows), p_(X.cols), alpha_(alpha), intercept_(intercept) {
    center_y(y);
    load_standardized(X, standardize);
    compute_correlations();
    gram_form_ = n_ > 2 * p_;
    if (gram_form_) {
      H_ = be_.allocate(static_cast<std::size_t>(p_ * p_));
      // H = X̃ᵀX̃/n   (SYRK, n·p² flops)
      be_.gram(n_, p_, T(1) / T(n_), X_.data(), n_, H_.data(), p_);
      X_ = Buffer();  // the iteration needs only H, c and yy
    }
    lipschitz_ = estimate_lipschitz();
  }

  double lambda_max() const { return lambda_max_from_correlations(c_host_.data(), p_, alpha_); }
  bool gram_form() const { return gram_form_; }
  double lipschitz() const { return lipschitz_; }

  // Solves every λ of `lambdas` (descending) and fills out's per-λ fields, resized by the caller.
  void solve(const std::vector<double>& lambdas, const SolveControl& control, Path& out) {
    const Index nl = static_cast<Index>(lambdas.size());
    const Index kmax = std::max<Index>(1, std::min<Index>(control.block_size, nl));
    allocate_block(kmax);
    Buffer warm = be_.allocate(static_cast<std::size_t>(p_));  // starts at β = 0
    std::vector<T> column(static_cast<std::size_t>(p_)), last(column.size());
    for (Index k0 = 0; k0 < nl; k0 += kmax) {
      const Index K = std::min(kmax, nl - k0);
      solve_block(lambdas, k0, K, warm, control, out, column, last);
      // The next block starts from this block's smallest λ, the nearest solution it has.
      be_.upload(warm.data(), last.data(), last.size());
    }
  }

 private:
  template <typename In>
  void center_y(const In* y) {
    y_mean_ = 0;
    if (intercept_) {
      for (Index i = 0; i < n_; ++i) y_mean_ += double(y[i]);
      y_mean_ /= double(n_);
    }
    std::vector<T> yc(static_cast<std::size_t>(n_));
    yy_ = 0;
    for (Index i = 0; i < n_; ++i) {
      const double v = double(y[i]) - y_mean_;
      yc[static_cast<std::size_t>(i)] = static_cast<T>(v);
      yy_ += v * v;
    }
    yy_ /= double(n_);
    y_ = be_.allocate(static_cast<std::size_t>(n_));
    be_.upload(y_.data(), yc.data(), yc.size());
  }

  template <typename In>
  void load_standardized(const MatrixView<In>& X, bool standardize) {
    X_ = be_.allocate(static_cast<std::size_t>(n_ * p_));
    std::vector<T> col(static_cast<std::size_t>(n_));
    for (Index j = 0; j < p_; ++j) {  // column by column: no second n×p host copy
      for (Index i = 0; i < n_; ++i) col[static_cast<std::size_t>(i)] = static_cast<T>(X(i, j));
      be_.upload(X_.data() + j * n_, col.data(), col.size());
    }
    mean_.assign(static_cast<std::size_t>(p_), 0.0);
    scale_.assign(static_cast<std::size_t>(p_), 0.0);
    be_.standardize(n_, p_, X_.data(), n_, intercept_, standardize, mean_.data(), scale_.data());
  }

  void compute_correlations() {
    c_ = be_.allocate(static_cast<std::size_t>(p_));
    // c = X̃ᵀỹ/n   (a GEMV as a GEMM, 2·n·p flops)
    be_.gemm(true, false, p_, 1, n_, T(1) / T(n_), X_.data(), n_, y_.data(), n_, T(0), c_.data(),
             p_);
    std::vector<T> c(static_cast<std::size_t>(p_));
    be_.download(c.data(), c_.data(), c.size());
    c_host_.assign(c.begin(), c.end());
  }

  // L = the largest eigenvalue of X̃ᵀX̃/n, by power iteration on the Rayleigh quotient, with a
  // margin because the quotient approaches it from below (a step above 1/L can diverge; the
  // solver also halves a column's step if its objective rises).
  double estimate_lipschitz() {
    Buffer u = be_.allocate(static_cast<std::size_t>(p_));
    Buffer w = be_.allocate(static_cast<std::size_t>(p_));
    Buffer xu = gram_form_ ? Buffer() : be_.allocate(static_cast<std::size_t>(n_));
    std::vector<T> start(static_cast<std::size_t>(p_));
    std::uint64_t state = 0x9E3779B97F4A7C15ull;  // fixed seed: reproducible steps
    for (auto& v : start) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      v = static_cast<T>(0.5 + double(state >> 11) / double(1ull << 53));
    }
    be_.upload(u.data(), start.data(), start.size());
    double uu = 0, rho = 0, previous = -1;
    be_.column_dots(p_, 1, u.data(), p_, u.data(), p_, &uu);
    for (int it = 0; it < 200 && uu > 0; ++it) {
      const T inv_norm = static_cast<T>(1.0 / std::sqrt(uu));
      if (gram_form_) {
        // w = H·u/‖u‖   (GEMV, 2·p² flops)
        be_.gemm(false, false, p_, 1, p_, inv_norm, H_.data(), p_, u.data(), p_, T(0), w.data(),
                 p_);
      } else {
        // w = X̃ᵀ(X̃·u)/(n‖u‖)   (2 GEMVs, 4·n·p flops)
        be_.gemm(false, false, n_, 1, p_, inv_norm, X_.data(), n_, u.data(), p_, T(0), xu.data(),
                 n_);
        be_.gemm(true, false, p_, 1, n_, T(1) / T(n_), X_.data(), n_, xu.data(), n_, T(0),
                 w.data(), p_);
      }
      double uw = 0;
      be_.column_dots(p_, 1, u.data(), p_, w.data(), p_, &uw);
      rho = uw / std::sqrt(uu);
      std::swap(u, w);
      be_.column_dots(p_, 1, u.data(), p_, u.data(), p_, &uu);
      if (std::fabs(rho - previous) <= 1e-7 * rho) break;
      previous = rho;
    }
    return rho > 0 ? 1.02 * rho : 1.0;  // no varying column: any step works, the gradient is 0
  }

  void allocate_block(Index kmax) {
    const auto pk = static_cast<std::size_t>(p_ * kmax);
    B_cur_ = be_.allocate(pk);
    B_next_ = be_.allocate(pk);
    Y_ = be_.allocate(pk);
    G_ = be_.allocate(pk);
    if (!gram_form_) R_ = be_.allocate(static_cast<std::size_t>(n_ * kmax));
    lambda_ = be_.allocate(static_cast<std::size_t>(kmax));
    step_ = be_.allocate(static_cast<std::size_t>(kmax));
    theta_ = be_.allocate(static_cast<std::size_t>(kmax));
    terms_.resize(static_cast<std::size_t>(kmax));
    keep_.reserve(static_cast<std::size_t>(kmax));
    // The polish solves on supports of up to polish_limit_ features (dense, on the host).
    polish_limit_ = std::min<Index>(kPolishLimit, p_);
    const auto rows = static_cast<std::size_t>(gram_form_ ? p_ : n_);
    polish_cols_ = be_.allocate(rows * static_cast<std::size_t>(polish_limit_));
    if (!gram_form_)
      polish_gram_ = be_.allocate(static_cast<std::size_t>(polish_limit_ * polish_limit_));
  }

  // G = ∇f(B) for the first K columns of B.
  void gradient(const T* B, Index K, T* G) {
    if (gram_form_) {
      // G = H·B − c·1ᵀ   (one GEMM, 2·p²·K flops)
      be_.fill_columns(p_, K, G, p_, c_.data(), T(-1));
      be_.gemm(false, false, p_, K, p_, T(1), H_.data(), p_, B, p_, T(1), G, p_);
    } else {
      // R = X̃·B − ỹ·1ᵀ   (GEMM, 2·n·p·K flops)
      be_.fill_columns(n_, K, R_.data(), n_, y_.data(), T(-1));
      be_.gemm(false, false, n_, K, p_, T(1), X_.data(), n_, B, p_, T(1), R_.data(), n_);
      // G = X̃ᵀ·R/n   (GEMM, 2·n·p·K flops)
      be_.gemm(true, false, p_, K, n_, T(1) / T(n_), X_.data(), n_, R_.data(), n_, T(0), G, p_);
    }
  }

  // What the host keeps of each column of the block, indexed by its slot (compacted with it).
  struct Slot {
    Index lambda_index = 0;
    double primal = std::numeric_limits<double>::infinity();  // P(β) at the last check
    double polish_gap = std::numeric_limits<double>::infinity();  // rel. gap at the last polish try
    double best_gap = std::numeric_limits<double>::infinity();    // smallest rel. gap seen ...
    int best_iter = 0;                                              // ... at this iteration
    T step = T(1);
  };

  void solve_block(const std::vector<double>& lambdas, Index k0, Index K, const Buffer& warm,
                   const SolveControl& control, Path& out, std::vector<T>& column,
                   std::vector<T>& last) {
    slots_.assign(static_cast<std::size_t>(K), Slot{});
    std::vector<T> lam(static_cast<std::size_t>(K)), step(lam.size()), theta(lam.size(), T(1));
    for (Index s = 0; s < K; ++s) {
      Slot& sl = slots_[static_cast<std::size_t>(s)];
      sl.lambda_index = k0 + s;
      sl.step = static_cast<T>(1.0 / lipschitz_);
      lam[static_cast<std::size_t>(s)] = static_cast<T>(lambdas[static_cast<std::size_t>(k0 + s)]);
      step[static_cast<std::size_t>(s)] = sl.step;
    }
    be_.upload(lambda_.data(), lam.data(), lam.size());
    be_.upload(step_.data(), step.data(), step.size());
    be_.upload(theta_.data(), theta.data(), theta.size());
    // B = Y = warm·1ᵀ
    be_.fill_columns(p_, K, B_cur_.data(), p_, warm.data(), T(1));
    be_.copy(Y_.data(), B_cur_.data(), static_cast<std::size_t>(p_ * K));

    Index active = K;
    for (int iter = 0;; ++iter) {
      if (iter % control.check_every == 0 || iter >= control.max_iter) {
        check_block(lambdas, active, iter, control);
        keep_.clear();
        for (Index s = 0; s < active; ++s) {
          const auto us = static_cast<std::size_t>(s);
          const Slot& sl = slots_[us];
          const auto k = static_cast<std::size_t>(sl.lambda_index);
          const std::optional<Status> done = outcome(s, iter, control);
          if (done) {
            out.iterations[k] = iter;
            out.gaps[k] = reports_[us].relative();
            // the null model is the intercept alone (zero without one): its RSS/n is yy
            out.dev_ratio[k] = yy_ > 0 ? 1.0 - reports_[us].rss / yy_ : 0.0;
            out.status[k] = *done;
            be_.download(column.data(), B_cur_.data() + s * p_, column.size());
            store_original_scale(column, sl.lambda_index, out);
            if (sl.lambda_index == k0 + K - 1) last = column;
          } else {
            keep_.push_back(s);
          }
        }
        if (keep_.empty()) return;
        if (static_cast<Index>(keep_.size()) < active) compact();
        active = static_cast<Index>(keep_.size());
      }
      gradient(Y_.data(), active, G_.data());
      be_.prox_step(p_, active, Y_.data(), G_.data(), step_.data(), lambda_.data(), T(alpha_),
                    B_next_.data());
      be_.momentum_step(p_, active, B_next_.data(), B_cur_.data(), Y_.data(), theta_.data());
      std::swap(B_cur_, B_next_);
    }
  }

  // The periodic check: the duality gap of every active column (reports_), the step safeguard,
  // and the support polish of the columns close enough to their optimum.
  void check_block(const std::vector<double>& lambdas, Index active, int iter,
                   const SolveControl& control) {
    // The certificate needs the gradient at B itself, not at the momentum point.
    gradient(B_cur_.data(), active, G_.data());
    be_.gap_terms(p_, active, B_cur_.data(), G_.data(), c_.data(), lambda_.data(), T(alpha_),
                  terms_.data());
    reports_.resize(static_cast<std::size_t>(active));
    polish_slots_.clear();
    for (Index s = 0; s < active; ++s) {
      const auto us = static_cast<std::size_t>(s);
      Slot& sl = slots_[us];
      const double lambda = lambdas[static_cast<std::size_t>(sl.lambda_index)];
      reports_[us] = gaussian_gap(terms_[us], yy_, lambda, alpha_);
      const double rel = reports_[us].relative();
      if (rel > control.tol && reports_[us].primal > sl.primal + 1e-6 * std::fabs(sl.primal))
        halve_step(s);  // a rising objective: the step was too long for this column
      sl.primal = reports_[us].primal;
      if (rel < 0.5 * sl.best_gap) {
        sl.best_gap = rel;
        sl.best_iter = iter;
      }
      // Polish what is about to be reported (for exact coefficients), and what is near enough
      // its optimum for the support to be right, trying again only after a hundredfold gain.
      const bool finishing = outcome(s, iter, control).has_value();
      if (control.polish && (finishing || (rel <= control.polish_from && rel * 100 <= sl.polish_gap)))
        polish_slots_.push_back(s);
    }
    if (!polish_slots_.empty()) polish_block(lambdas, active);
  }

  // Whether the column in slot s is done, and how: converged (gap ≤ tol·P), out of iterations,
  // or stalled (its gap has not halved in stall_iterations: the precision's floor).
  std::optional<Status> outcome(Index s, int iter, const SolveControl& control) const {
    const auto us = static_cast<std::size_t>(s);
    if (reports_[us].relative() <= control.tol) return Status::converged;
    if (iter >= control.max_iter) return Status::max_iter;
    if (iter - slots_[us].best_iter >= control.stall_iterations) return Status::stalled;
    return std::nullopt;
  }

  // Newton's step on the support: with the signs of β̃ fixed, the optimality conditions on the
  // support S are linear,   (H_SS + λ(1−α)I)·β_S = c_S − λα·sign(β_S),
  // and solving them gives the exact solution once FISTA has the right support. A polished
  // column is kept only if its duality gap shrinks; then it restarts its momentum from there.
  void polish_block(const std::vector<double>& lambdas, Index active) {
    std::vector<T>& col = polish_host_;
    polish_before_.resize(polish_slots_.size());
    std::vector<bool> changed(polish_slots_.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < polish_slots_.size(); ++i) {
      const Index s = polish_slots_[i];
      Slot& sl = slots_[static_cast<std::size_t>(s)];
      sl.polish_gap = reports_[static_cast<std::size_t>(s)].relative();
      col.resize(static_cast<std::size_t>(p_));
      be_.download(col.data(), B_cur_.data() + s * p_, col.size());
      polish_before_[i] = col;
      if (!solve_on_support(col, lambdas[static_cast<std::size_t>(sl.lambda_index)])) continue;
      be_.upload(B_cur_.data() + s * p_, col.data(), col.size());
      changed[i] = any = true;
    }
    if (!any) return;
    gradient(B_cur_.data(), active, G_.data());
    be_.gap_terms(p_, active, B_cur_.data(), G_.data(), c_.data(), lambda_.data(), T(alpha_),
                  terms_.data());
    const T one(1);
    for (std::size_t i = 0; i < polish_slots_.size(); ++i) {
      if (!changed[i]) continue;
      const Index s = polish_slots_[i];
      const auto us = static_cast<std::size_t>(s);
      Slot& sl = slots_[us];
      const GapReport after = gaussian_gap(terms_[us], yy_,
                                           lambdas[static_cast<std::size_t>(sl.lambda_index)], alpha_);
      if (after.gap < reports_[us].gap) {
        reports_[us] = after;
        sl.primal = after.primal;
        be_.upload(theta_.data() + s, &one, 1);
        be_.copy(Y_.data() + s * p_, B_cur_.data() + s * p_, static_cast<std::size_t>(p_));
      } else {
        be_.upload(B_cur_.data() + s * p_, polish_before_[i].data(), polish_before_[i].size());
      }
    }
  }

  // β (standardized, in/out): the solution of the linear system on its support, if the system is
  // small enough, positive definite and keeps every sign; else false and β unspecified.
  bool solve_on_support(std::vector<T>& beta, double lambda) {
    support_.clear();
    for (Index j = 0; j < p_; ++j)
      if (beta[static_cast<std::size_t>(j)] != T(0)) support_.push_back(j);
    const auto m = static_cast<Index>(support_.size());
    if (m == 0 || m > polish_limit_) return false;
    std::vector<T> block;
    if (gram_form_) {
      // H[:, S], of which the rows S are kept
      be_.gather_columns(p_, H_.data(), p_, support_, polish_cols_.data());
      block.resize(static_cast<std::size_t>(p_ * m));
      be_.download(block.data(), polish_cols_.data(), block.size());
    } else {
      // H_SS = X̃_Sᵀ·X̃_S/n   (GEMM, 2·n·|S|² flops)
      be_.gather_columns(n_, X_.data(), n_, support_, polish_cols_.data());
      be_.gemm(true, false, m, m, n_, T(1) / T(n_), polish_cols_.data(), n_, polish_cols_.data(),
               n_, T(0), polish_gram_.data(), m);
      block.resize(static_cast<std::size_t>(m * m));
      be_.download(block.data(), polish_gram_.data(), block.size());
    }
    const Index ld = gram_form_ ? p_ : m;
    std::vector<double> A(static_cast<std::size_t>(m * m)), x(static_cast<std::size_t>(m));
    for (Index b = 0; b < m; ++b) {
      for (Index a = 0; a < m; ++a)
        A[static_cast<std::size_t>(a + b * m)] = double(
            block[static_cast<std::size_t>((gram_form_ ? support_[static_cast<std::size_t>(a)] : a) + b * ld)]);
      A[static_cast<std::size_t>(b + b * m)] += lambda * (1.0 - alpha_);
      const Index j = support_[static_cast<std::size_t>(b)];
      const double sign = beta[static_cast<std::size_t>(j)] > T(0) ? 1.0 : -1.0;
      x[static_cast<std::size_t>(b)] = c_host_[static_cast<std::size_t>(j)] - lambda * alpha_ * sign;
    }
    if (!cholesky_solve(A, m, x)) return false;
    for (Index a = 0; a < m; ++a) {
      const auto j = static_cast<std::size_t>(support_[static_cast<std::size_t>(a)]);
      const double v = x[static_cast<std::size_t>(a)];
      if (alpha_ > 0 && !((v > 0) == (beta[j] > T(0)) && v != 0)) return false;
      beta[j] = static_cast<T>(v);
    }
    return true;
  }

  void halve_step(Index s) {
    Slot& sl = slots_[static_cast<std::size_t>(s)];
    sl.step /= T(2);
    const T one(1);
    be_.upload(step_.data() + s, &sl.step, 1);
    be_.upload(theta_.data() + s, &one, 1);
    be_.copy(Y_.data() + s * p_, B_cur_.data() + s * p_, static_cast<std::size_t>(p_));
  }

  // Drops the finished columns: the GEMMs of the following iterations shrink with the block.
  void compact() {
    be_.compact_columns(p_, B_cur_.data(), p_, keep_);
    be_.compact_columns(p_, Y_.data(), p_, keep_);
    be_.compact_columns(1, lambda_.data(), 1, keep_);
    be_.compact_columns(1, step_.data(), 1, keep_);
    be_.compact_columns(1, theta_.data(), 1, keep_);
    for (std::size_t i = 0; i < keep_.size(); ++i)
      slots_[i] = slots_[static_cast<std::size_t>(keep_[i])];
  }

  // β_j = β̃_j / scale_j (0 for a constant column);  β0 = ȳ − Σ mean_j·β_j
  void store_original_scale(const std::vector<T>& standardized, Index k, Path& out) const {
    double* beta = out.coefs.data() + k * p_;
    double b0 = y_mean_;
    for (Index j = 0; j < p_; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      beta[j] = scale_[uj] > 0 ? double(standardized[uj]) / scale_[uj] : 0.0;
      b0 -= mean_[uj] * beta[j];
    }
    out.intercepts[static_cast<std::size_t>(k)] = intercept_ ? b0 : 0.0;
  }

  static constexpr Index kPolishLimit = 500;

  Backend& be_;
  Index n_, p_;
  double alpha_;
  bool intercept_;
  bool gram_form_ = false;
  double y_mean_ = 0, yy_ = 0, lipschitz_ = 1;
  std::vector<double> mean_, scale_, c_host_;
  Buffer X_, y_, c_, H_;
  Buffer B_cur_, B_next_, Y_, G_, R_, lambda_, step_, theta_;
  Buffer polish_cols_, polish_gram_;
  Index polish_limit_ = 0;
  std::vector<ops::GapTerms> terms_;
  std::vector<GapReport> reports_;
  std::vector<Slot> slots_;
  std::vector<Index> keep_, polish_slots_, support_;
  std::vector<T> polish_host_;
  std::vector<std::vector<T>> polish_before_;
};

}  // namespace regpath
