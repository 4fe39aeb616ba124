// The gaussian elastic-net path: batched FISTA over blocks of λ, written once over a backend.
//
// K problems (one per λ) are the columns of a block B, so the gradient of all of them is GEMMs
// (gaussian_problem.hpp, working_set.hpp) and the proximal step is one elementwise pass with a
// threshold per column. Each column has its own λ, step and momentum; every few iterations its
// duality gap is checked on the full problem, and a converged column leaves the block. A block
// starts from the previous block's smallest-λ solution and iterates on a working set of features
// chosen by the strong rule and grown whenever a feature outside it violates optimality.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "core/duality_gap.hpp"
#include "core/gaussian_problem.hpp"
#include "core/support_polish.hpp"
#include "core/working_set.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

struct SolveControl {
  double tol = 1e-7;
  int max_iter = 100000;
  int block_size = 20;
  int check_every = 10;
  bool screen = true;           // iterate on a working set (strong rule), check on all features
  bool polish = true;           // Newton's step on the support (support_polish.hpp)
  double polish_from = 1e-4;    // relative gap below which a column's support is trusted enough
  int polish_limit = 500;       // largest support polished
  int stall_iterations = 2000;  // a column whose gap does not halve in this many iterations stops
  std::function<void(double)> progress;  // called with the fraction of λ done, if set
};

template <class Backend>
class GaussianPathSolver {
 public:
  using T = typename Backend::value_type;
  using Buffer = typename Backend::Buffer;
  using Index = std::int64_t;

  GaussianPathSolver(GaussianProblem<Backend>& problem, double alpha, const SolveControl& control)
      : pr_(problem), be_(problem.be), p_(problem.p), alpha_(alpha), control_(control),
        ws_(problem), polish_(problem, control.polish_limit) {}

  // Solves every λ of `lambdas` (descending) and fills out's per-λ fields, sized by the caller.
  void solve(const std::vector<double>& lambdas, Path& out) {
    const Index nl = static_cast<Index>(lambdas.size());
    const Index kmax = std::max<Index>(1, std::min<Index>(control_.block_size, nl));
    allocate_block(kmax);
    Buffer warm = be_.allocate(static_cast<std::size_t>(p_));  // starts at β = 0
    std::vector<T> last(static_cast<std::size_t>(p_), T(0));
    double lambda_prev = std::max(pr_.lambda_max(alpha_), lambdas.front());
    for (Index k0 = 0, K = 0; k0 < nl; k0 += K) {
      K = block_length(lambdas, k0, kmax, lambda_prev);
      solve_block(lambdas, k0, K, warm, lambda_prev, last, out);
      // The next block starts from this block's smallest λ, the nearest solution it has.
      be_.upload(warm.data(), last.data(), last.size());
      lambda_prev = lambdas[static_cast<std::size_t>(k0 + K - 1)];
      if (control_.progress) control_.progress(double(k0 + K) / double(nl));
    }
  }

 private:
  // With screening, a block ends before λ falls below screen_ratio·λ_prev: the strong rule
  // discards features only for λ above λ_prev/2, and the closer the better it guesses. Once it
  // kept most features (correlated designs), blocks go back to full length: short blocks would
  // only make narrower GEMMs.
  Index block_length(const std::vector<double>& lambdas, Index k0, Index kmax,
                     double lambda_prev) const {
    const Index nl = static_cast<Index>(lambdas.size());
    Index K = 1;
    const bool screened = control_.screen && alpha_ > 0 && screening_pays_;
    while (K < kmax && k0 + K < nl &&
           (!screened || lambdas[static_cast<std::size_t>(k0 + K)] >= kScreenRatio * lambda_prev))
      ++K;
    return K;
  }

  static constexpr double kScreenRatio = 0.6;
  bool screening_pays_ = true;

  // What the host keeps of each column of the block, indexed by its slot (compacted with it).
  struct Slot {
    Index lambda_index = 0;
    double primal = std::numeric_limits<double>::infinity();      // P(β) at the last check
    double polish_gap = std::numeric_limits<double>::infinity();  // rel. gap at the last polish
    double best_gap = std::numeric_limits<double>::infinity();    // smallest rel. gap seen ...
    int best_iter = 0;                                             // ... at this iteration
    T step = T(1);
  };

  void allocate_block(Index kmax) {
    const auto pk = static_cast<std::size_t>(p_ * kmax);
    Bw_cur_ = be_.allocate(pk);  // the restricted block, |W| × K (|W| ≤ p)
    Bw_next_ = be_.allocate(pk);
    Yw_ = be_.allocate(pk);
    Gw_ = be_.allocate(pk);
    B_ = be_.allocate(pk);  // the full block and its gradient, for the checks
    G_ = be_.allocate(pk);
    R_ = be_.allocate(static_cast<std::size_t>(pr_.n * kmax));
    lambda_ = be_.allocate(static_cast<std::size_t>(kmax));
    step_ = be_.allocate(static_cast<std::size_t>(kmax));
    theta_ = be_.allocate(static_cast<std::size_t>(kmax));
    ones_.assign(static_cast<std::size_t>(kmax), T(1));
    terms_.resize(static_cast<std::size_t>(kmax));
    keep_.reserve(static_cast<std::size_t>(kmax));
    violation_.resize(static_cast<std::size_t>(p_));
  }

  void solve_block(const std::vector<double>& lambdas, Index k0, Index K, const Buffer& warm,
                   double lambda_prev, std::vector<T>& last, Path& out) {
    slots_.assign(static_cast<std::size_t>(K), Slot{});
    choose_working_set(warm, last, lambda_prev, lambdas[static_cast<std::size_t>(k0 + K - 1)]);
    std::vector<T> lam(static_cast<std::size_t>(K));
    for (Index s = 0; s < K; ++s) {
      Slot& sl = slots_[static_cast<std::size_t>(s)];
      sl.lambda_index = k0 + s;
      sl.step = static_cast<T>(1.0 / ws_.lipschitz());
      lam[static_cast<std::size_t>(s)] = static_cast<T>(lambdas[static_cast<std::size_t>(k0 + s)]);
    }
    be_.upload(lambda_.data(), lam.data(), lam.size());
    upload_steps(K);
    be_.upload(theta_.data(), ones_.data(), static_cast<std::size_t>(K));
    // B_W = Y_W = warm_W·1ᵀ
    const Index m = ws_.size();
    ws_.restrict_to(warm.data(), 1, Gw_.data());
    be_.fill_columns(m, K, Bw_cur_.data(), m, Gw_.data(), T(1));
    be_.copy(Yw_.data(), Bw_cur_.data(), static_cast<std::size_t>(m * K));

    Index active = K;
    std::vector<T> column(static_cast<std::size_t>(p_));
    for (int iter = 0;; ++iter) {
      if (iter % control_.check_every == 0 || iter >= control_.max_iter) {
        check_block(lambdas, active, iter);
        keep_.clear();
        for (Index s = 0; s < active; ++s) {
          const auto us = static_cast<std::size_t>(s);
          const Slot& sl = slots_[us];
          const std::optional<Status> done = outcome(s, iter);
          if (!done) {
            keep_.push_back(s);
            continue;
          }
          const auto k = static_cast<std::size_t>(sl.lambda_index);
          out.iterations[k] = iter;
          out.gaps[k] = reports_[us].relative();
          out.status[k] = *done;
          // the null model is the intercept alone (zero without one): its RSS/n is yy
          out.dev_ratio[k] = pr_.yy > 0 ? 1.0 - reports_[us].rss / pr_.yy : 0.0;
          be_.download(column.data(), B_.data() + s * p_, column.size());
          store_original_scale(column, sl.lambda_index, out);
          if (sl.lambda_index == k0 + K - 1) last = column;
        }
        if (keep_.empty()) return;
        if (static_cast<Index>(keep_.size()) < active) compact();
        active = static_cast<Index>(keep_.size());
      }
      const Index mw = ws_.size();
      ws_.gradient(Yw_.data(), active, Gw_.data(), R_.data());
      be_.prox_step(mw, active, Yw_.data(), Gw_.data(), step_.data(), lambda_.data(), T(alpha_),
                    Bw_next_.data());
      be_.momentum_step(mw, active, Bw_next_.data(), Bw_cur_.data(), Yw_.data(), theta_.data());
      std::swap(Bw_cur_, Bw_next_);
    }
  }

  // The sequential strong rule: with g the gradient at the warm start (the solution at
  // λ_prev), a feature with |g_j| < α(2λ − λ_prev) at the block's smallest λ is very likely
  // zero; the others, and those nonzero in the warm start, form W. Ridge (α = 0) screens nothing.
  void choose_working_set(const Buffer& warm, const std::vector<T>& warm_host, double lambda_prev,
                          double lambda_last) {
    std::vector<Index> w;
    if (!control_.screen || alpha_ <= 0) {
      w.resize(static_cast<std::size_t>(p_));
      for (Index j = 0; j < p_; ++j) w[static_cast<std::size_t>(j)] = j;
      return ws_.assign(std::move(w));
    }
    pr_.gradient(warm.data(), 1, G_.data(), R_.data());
    std::vector<T> g(static_cast<std::size_t>(p_));
    be_.download(g.data(), G_.data(), g.size());
    const double threshold = alpha_ * (2 * lambda_last - lambda_prev);
    Index strongest = 0;
    for (Index j = 0; j < p_; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      const double a = std::fabs(double(g[uj]));
      if (warm_host[uj] != T(0) || a >= threshold) w.push_back(j);
      if (a > std::fabs(double(g[static_cast<std::size_t>(strongest)]))) strongest = j;
    }
    if (w.empty()) w.push_back(strongest);  // keeps every GEMM at least one wide
    ws_.assign(std::move(w));
    screening_pays_ = !ws_.all();
  }

  // The periodic check, on the full problem: the duality gap of every active column (reports_),
  // the step safeguard, the support polish, and the growth of the working set.
  void check_block(const std::vector<double>& lambdas, Index active, int iter) {
    // The certificate needs the gradient at B itself, not at the momentum point.
    ws_.full_gradient(Bw_cur_.data(), active, B_.data(), G_.data(), R_.data());
    be_.gap_terms(p_, active, B_.data(), G_.data(), pr_.c.data(), lambda_.data(), T(alpha_),
                  terms_.data());
    reports_.resize(static_cast<std::size_t>(active));
    polish_slots_.clear();
    for (Index s = 0; s < active; ++s) {
      const auto us = static_cast<std::size_t>(s);
      Slot& sl = slots_[us];
      const double lambda = lambdas[static_cast<std::size_t>(sl.lambda_index)];
      reports_[us] = gaussian_gap(terms_[us], pr_.yy, lambda, alpha_);
      const double rel = reports_[us].relative();
      if (rel > control_.tol && reports_[us].primal > sl.primal + 1e-6 * std::fabs(sl.primal))
        halve_step(s);  // a rising objective: the step was too long for this column
      sl.primal = reports_[us].primal;
      if (rel < 0.5 * sl.best_gap) {
        sl.best_gap = rel;
        sl.best_iter = iter;
      }
      // Polish what is about to be reported (for exact coefficients), and what is near enough
      // its optimum for the support to be right, trying again only after a hundredfold gain.
      const bool finishing = outcome(s, iter).has_value();
      if (control_.polish &&
          (finishing || (rel <= control_.polish_from && rel * 100 <= sl.polish_gap)))
        polish_slots_.push_back(s);
    }
    if (!polish_slots_.empty()) polish_block(lambdas, active);
    if (!ws_.all()) grow_working_set(active);
  }

  // Whether the column in slot s is done, and how: converged (gap ≤ tol·P), out of iterations,
  // or stalled (its gap has not halved in stall_iterations: the precision's floor).
  std::optional<Status> outcome(Index s, int iter) const {
    const auto us = static_cast<std::size_t>(s);
    if (reports_[us].relative() <= control_.tol) return Status::converged;
    if (iter >= control_.max_iter) return Status::max_iter;
    if (iter - slots_[us].best_iter >= control_.stall_iterations) return Status::stalled;
    return std::nullopt;
  }

  // Polished columns are kept only if their gap shrinks; a kept one restarts its momentum.
  void polish_block(const std::vector<double>& lambdas, Index active) {
    before_.resize(polish_slots_.size());
    std::vector<bool> changed(polish_slots_.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < polish_slots_.size(); ++i) {
      const Index s = polish_slots_[i];
      Slot& sl = slots_[static_cast<std::size_t>(s)];
      sl.polish_gap = reports_[static_cast<std::size_t>(s)].relative();
      before_[i].resize(static_cast<std::size_t>(p_));
      be_.download(before_[i].data(), B_.data() + s * p_, before_[i].size());
      trial_ = before_[i];
      if (!polish_.solve(trial_, lambdas[static_cast<std::size_t>(sl.lambda_index)], alpha_))
        continue;
      be_.upload(B_.data() + s * p_, trial_.data(), trial_.size());
      changed[i] = any = true;
    }
    if (!any) return;
    // the polished columns lie on W (a support never leaves it): restrict, then recheck fully
    for (std::size_t i = 0; i < polish_slots_.size(); ++i)
      if (changed[i]) restrict_column(polish_slots_[i]);
    ws_.full_gradient(Bw_cur_.data(), active, B_.data(), G_.data(), R_.data());
    be_.gap_terms(p_, active, B_.data(), G_.data(), pr_.c.data(), lambda_.data(), T(alpha_),
                  terms_.data());
    const T one(1);
    for (std::size_t i = 0; i < polish_slots_.size(); ++i) {
      if (!changed[i]) continue;
      const Index s = polish_slots_[i];
      const auto us = static_cast<std::size_t>(s);
      Slot& sl = slots_[us];
      const GapReport after = gaussian_gap(
          terms_[us], pr_.yy, lambdas[static_cast<std::size_t>(sl.lambda_index)], alpha_);
      if (after.gap < reports_[us].gap) {
        reports_[us] = after;
        sl.primal = after.primal;
        be_.upload(theta_.data() + s, &one, 1);
        be_.copy(Yw_.data() + s * ws_.size(), Bw_cur_.data() + s * ws_.size(),
                 static_cast<std::size_t>(ws_.size()));
      } else {
        be_.upload(B_.data() + s * p_, before_[i].data(), before_[i].size());
        restrict_column(s);
      }
    }
  }

  void restrict_column(Index s) {
    const Index m = ws_.size();
    ws_.restrict_to(B_.data() + s * p_, 1, Bw_cur_.data() + s * m);
  }

  // A feature outside W whose gradient exceeds λα in some column violates optimality there:
  // it joins W, and the block restarts its momentum from the current iterate.
  void grow_working_set(Index active) {
    be_.row_violations(p_, active, G_.data(), p_, lambda_.data(), T(alpha_), violation_.data());
    const std::vector<Index>& w = ws_.indices();
    std::vector<Index> grown;
    grown.reserve(w.size());
    std::size_t a = 0;
    bool added = false;
    for (Index j = 0; j < p_; ++j) {
      const bool in = a < w.size() && w[a] == j;
      if (in) ++a;
      if (in || violation_[static_cast<std::size_t>(j)] > 0) {
        grown.push_back(j);
        added |= !in;
      }
    }
    if (!added) return;
    ws_.assign(std::move(grown));
    // a larger W can only have a larger Lipschitz constant: shorten the steps that are too long
    const T longest = static_cast<T>(1.0 / ws_.lipschitz());
    for (Index s = 0; s < active; ++s) {
      T& step = slots_[static_cast<std::size_t>(s)].step;
      step = std::min(step, longest);
    }
    upload_steps(active);
    ws_.restrict_to(B_.data(), active, Bw_cur_.data());
    be_.copy(Yw_.data(), Bw_cur_.data(), static_cast<std::size_t>(ws_.size() * active));
    be_.upload(theta_.data(), ones_.data(), static_cast<std::size_t>(active));
  }

  void upload_steps(Index active) {
    steps_host_.resize(static_cast<std::size_t>(active));
    for (Index s = 0; s < active; ++s)
      steps_host_[static_cast<std::size_t>(s)] = slots_[static_cast<std::size_t>(s)].step;
    be_.upload(step_.data(), steps_host_.data(), steps_host_.size());
  }

  void halve_step(Index s) {
    Slot& sl = slots_[static_cast<std::size_t>(s)];
    sl.step /= T(2);
    const T one(1);
    const Index m = ws_.size();
    be_.upload(step_.data() + s, &sl.step, 1);
    be_.upload(theta_.data() + s, &one, 1);
    be_.copy(Yw_.data() + s * m, Bw_cur_.data() + s * m, static_cast<std::size_t>(m));
  }

  // Drops the finished columns: the GEMMs of the following iterations shrink with the block.
  void compact() {
    const Index m = ws_.size();
    be_.compact_columns(m, Bw_cur_.data(), m, keep_);
    be_.compact_columns(m, Yw_.data(), m, keep_);
    be_.compact_columns(1, lambda_.data(), 1, keep_);
    be_.compact_columns(1, step_.data(), 1, keep_);
    be_.compact_columns(1, theta_.data(), 1, keep_);
    for (std::size_t i = 0; i < keep_.size(); ++i)
      slots_[i] = slots_[static_cast<std::size_t>(keep_[i])];
  }

  // β_j = β̃_j / scale_j (0 for a constant column);  β0 = ȳ − Σ mean_j·β_j
  void store_original_scale(const std::vector<T>& standardized, Index k, Path& out) const {
    double* beta = out.coefs.data() + k * p_;
    double b0 = pr_.y_mean;
    for (Index j = 0; j < p_; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      beta[j] = pr_.scale[uj] > 0 ? double(standardized[uj]) / pr_.scale[uj] : 0.0;
      b0 -= pr_.mean[uj] * beta[j];
    }
    out.intercepts[static_cast<std::size_t>(k)] = pr_.intercept ? b0 : 0.0;
  }

  GaussianProblem<Backend>& pr_;
  Backend& be_;
  Index p_;
  double alpha_;
  SolveControl control_;
  WorkingSet<Backend> ws_;
  SupportPolish<Backend> polish_;
  Buffer Bw_cur_, Bw_next_, Yw_, Gw_, B_, G_, R_, lambda_, step_, theta_;
  std::vector<T> ones_, trial_, steps_host_;
  std::vector<std::vector<T>> before_;
  std::vector<ops::GapTerms> terms_;
  std::vector<GapReport> reports_;
  std::vector<Slot> slots_;
  std::vector<Index> keep_, polish_slots_;
  std::vector<double> violation_;
};

}  // namespace regpath
