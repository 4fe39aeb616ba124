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
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "core/accel/coordinate_descent.hpp"
#include "core/accel/path_descent.hpp"
#include "core/engine/duality_gap.hpp"
#include "core/engine/fista_batch.hpp"
#include "core/engine/solve_control.hpp"
#include "core/design/gaussian_problem.hpp"
#include "core/path/lambda_grid.hpp"
#include "core/accel/support_polish.hpp"
#include "core/accel/working_set.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

// A path of p features for `lambdas`, its per-λ fields sized (and zero) for solve() to fill.
inline Path sized_path(std::int64_t p, std::vector<double> lambdas) {
  Path out;
  out.n_features = p;
  out.lambdas = std::move(lambdas);
  const auto nl = out.lambdas.size();
  out.intercepts.assign(nl, 0.0);
  out.coefs.assign(nl * static_cast<std::size_t>(p), 0.0);
  out.iterations.assign(nl, 0);
  out.newton_steps.assign(nl, 0);
  out.gaps.assign(nl, 0.0);
  out.dev_ratio.assign(nl, 0.0);
  out.status.assign(nl, Status::converged);
  return out;
}

template <class Backend>
class GaussianPathSolver {
 public:
  using T = typename Backend::value_type;
  using Buffer = typename Backend::Buffer;
  using Index = std::int64_t;

  GaussianPathSolver(GaussianProblem<Backend>& problem, double alpha, const SolveControl& control)
      : pr_(problem), be_(problem.be), p_(problem.p), alpha_(alpha), control_(control),
        batch_(problem.be), ws_(problem), polish_(problem, control.polish_limit) {}

  // Solves every λ of `lambdas` (descending) and fills out's per-λ fields, sized by the caller
  // (sized_path).
  void solve(const std::vector<double>& lambdas, Path& out) {
    const Index nl = static_cast<Index>(lambdas.size());
    const Index kmax = std::max<Index>(1, std::min<Index>(control_.block_size, nl));
    allocate_block(kmax);
    Buffer warm = be_.allocate(static_cast<std::size_t>(p_));  // starts at β = 0
    std::vector<T> last(static_cast<std::size_t>(p_), T(0));
    double lambda_prev = std::max(pr_.lambda_max(alpha_), lambdas.front());
    Index k_first = 0;  // the first λ left to the iterations
    for (; k_first < nl && zero_solves(lambdas[static_cast<std::size_t>(k_first)]); ++k_first)
      store_zero_solution(lambdas[static_cast<std::size_t>(k_first)], k_first, out);
    if (k_first > 0) lambda_prev = lambdas[static_cast<std::size_t>(k_first - 1)];
    if (control_.path_descent && PathDescent<Backend>::applies(pr_)) descent_.emplace(pr_);
    for (Index k0 = k_first, K = 0; k0 < nl; k0 += K) {
      // coordinate descent first where X̃ is on the host and wide (path_descent.hpp), λ by λ,
      // each certified; from the first λ it does not certify, a FISTA block
      for (K = 0; descent_ && k0 + K < nl && descend(lambdas, k0 + K, lambda_prev, last, out);
           ++K) {
        lambda_prev = lambdas[static_cast<std::size_t>(k0 + K)];
        if (control_.progress) control_.progress(double(k0 + K + 1) / double(nl));
      }
      if (K > 0) {
        be_.upload(warm.data(), last.data(), last.size());
        continue;
      }
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
  static constexpr std::size_t kFirstCandidates = 100;
  bool screening_pays_ = true;

  // What the host keeps of each column of the block beyond the batch's state, indexed by its
  // slot (compacted with it).
  struct Slot : ColumnState<T> {
    Index lambda_index = 0;
    double polish_gap = std::numeric_limits<double>::infinity();  // rel. gap after the last polish
    int polish_iter = 0;                                           // ... at this iteration
    double polish_every = 0;  // iterations that cost as much as its last polish
  };

  void allocate_block(Index kmax) {
    const auto pk = static_cast<std::size_t>(p_ * kmax);
    batch_.allocate(p_, kmax);  // the restricted block, |W| × K (|W| ≤ p)
    Gw_ = be_.allocate(pk);
    B_ = be_.allocate(pk);  // the full block and its gradient, for the checks
    G_ = be_.allocate(pk);
    // residuals over the rows held here: the direct form's only (the Gram form never forms X̃·B)
    if (!pr_.gram_form) R_ = be_.allocate(static_cast<std::size_t>(pr_.rows * kmax));
    lambda_ = be_.allocate(static_cast<std::size_t>(kmax));
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
    // B_W = Y_W = warm_W·1ᵀ
    const Index m = ws_.size();
    batch_.reshape(m, K);
    batch_.upload_steps(slots_);
    ws_.restrict_to(warm.data(), 1, Gw_.data());
    be_.fill_columns(m, K, batch_.iterate(), m, Gw_.data(), T(1));
    batch_.restart_all();

    std::vector<T> column(static_cast<std::size_t>(p_));
    const auto check = [&](int iter) {
      const Index active = batch_.active();
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
        out.newton_steps[k] = sl.newton_steps;
        out.gaps[k] = reports_[us].relative();
        out.status[k] = *done;
        // the null model is the intercept alone (zero without one): its RSS/n is yy_null
        out.dev_ratio[k] = pr_.yy_null > 0 ? 1.0 - reports_[us].rss / pr_.yy_null : 0.0;
        be_.download(column.data(), B_.data() + s * p_, column.size());
        store_original_scale(column, sl.lambda_index, out);
        if (sl.lambda_index == k0 + K - 1) last = column;
      }
      if (keep_.empty()) return false;
      // the finished columns leave: the GEMMs of the following iterations shrink with the block
      if (static_cast<Index>(keep_.size()) < active)
        batch_.compact(keep_, slots_, {{lambda_.data(), 1}});
      return true;
    };
    // B' = prox(Y − t∘∇f(Y)) on W:  ∇f(Y) by ws_.gradient (GEMMs on W), the prox elementwise
    const auto descent = [&] {
      const Index mw = ws_.size(), active = batch_.active();
      ws_.gradient(batch_.momentum(), active, Gw_.data(), R_.data());
      be_.prox_step(mw, active, batch_.momentum(), Gw_.data(), batch_.steps(), lambda_.data(),
                    T(alpha_), working_penalty(), batch_.next());
    };
    batch_.run(control_, check, descent);
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
      return assign_working_set(std::move(w));
    }
    pr_.gradient(warm.data(), 1, G_.data(), R_.data());
    std::vector<T> g(static_cast<std::size_t>(p_));
    be_.download(g.data(), G_.data(), g.size());
    const double threshold = alpha_ * (2 * lambda_last - lambda_prev);
    Index strongest = 0;
    std::vector<Index> candidates;  // zero in the warm start, kept by the strong rule
    for (Index j = 0; j < p_; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      const double a = std::fabs(double(g[uj])) / pr_.penalty.w(j);  // vs λα·w_j
      if (warm_host[uj] != T(0))
        w.push_back(j);
      else if (a >= threshold)
        candidates.push_back(j);
      if (a > std::fabs(double(g[static_cast<std::size_t>(strongest)])) / pr_.penalty.w(strongest))
        strongest = j;
    }
    // On correlated designs the strong rule keeps nearly every feature; the solution's support
    // is far smaller (at most n for the lasso). Only the strongest candidates join, as many as
    // the warm support and at least kFirstCandidates: the checks add every violator the
    // iterations reveal (grow_working_set), and the certificate is on all features anyway.
    const auto room = std::max<std::size_t>(kFirstCandidates, w.size());
    if (candidates.size() > room) {
      const auto by_gradient = [&g, this](Index a, Index b) {
        return std::fabs(double(g[static_cast<std::size_t>(a)])) / pr_.penalty.w(a) >
               std::fabs(double(g[static_cast<std::size_t>(b)])) / pr_.penalty.w(b);
      };
      std::nth_element(candidates.begin(), candidates.begin() + std::ptrdiff_t(room),
                       candidates.end(), by_gradient);
      candidates.resize(room);
    }
    w.insert(w.end(), candidates.begin(), candidates.end());
    std::sort(w.begin(), w.end());
    if (w.empty()) w.push_back(strongest);  // keeps every GEMM at least one wide
    assign_working_set(std::move(w));
    screening_pays_ = !ws_.all();
  }

  // W = features, with the penalty's arrays (factors, bounds) gathered for W's prox
  void assign_working_set(std::vector<Index> features) {
    ws_.assign(std::move(features));
    const ops::FeaturePenalty<T> full = full_penalty();
    working_penalty_ = full;
    working_penalty_.p = ws_.size();
    const auto gather = [this](const T* from, Buffer& to) {
      if (to.size() < static_cast<std::size_t>(p_)) to = be_.allocate(static_cast<std::size_t>(p_));
      ws_.restrict_to(from, 1, to.data());
      return static_cast<const T*>(to.data());
    };
    if (full.factor) working_penalty_.factor = gather(full.factor, wfactor_);
    if (full.lower) working_penalty_.lower = gather(full.lower, wlower_);
    if (full.upper) working_penalty_.upper = gather(full.upper, wupper_);
  }

  // The penalty on all p features, and on W's (in W's order)
  ops::FeaturePenalty<T> full_penalty() const { return pr_.penalty.view(p_); }
  const ops::FeaturePenalty<T>& working_penalty() const { return working_penalty_; }

  // The periodic check, on the full problem: the duality gap of every active column (reports_),
  // the step safeguard, the support polish, and the growth of the working set.
  void check_block(const std::vector<double>& lambdas, Index active, int iter) {
    // The certificate needs the gradient at B itself, not at the momentum point.
    ws_.full_gradient(batch_.iterate(), active, B_.data(), G_.data(), R_.data());
    be_.gap_terms(p_, active, B_.data(), G_.data(), pr_.c.data(), lambda_.data(), T(alpha_),
                  full_penalty(), terms_.data());
    reports_.resize(static_cast<std::size_t>(active));
    for (Index s = 0; s < active; ++s) {
      const auto us = static_cast<std::size_t>(s);
      Slot& sl = slots_[us];
      const double lambda = lambdas[static_cast<std::size_t>(sl.lambda_index)];
      reports_[us] = gaussian_gap(terms_[us], pr_.yy, lambda, alpha_);
      if (record_check(sl, reports_[us].primal, reports_[us].relative(), control_.tol, iter))
        batch_.halve_step(s, sl);
    }
    polished_.clear();
    extra_.clear();
    // Newton's steps and coordinate descent know nothing of bounds: with bounds FISTA alone
    // (whose prox clips) solves, certified by the same gap
    if (control_.polish && !pr_.penalty.bounded()) polish_block(lambdas, active, iter);
    // a column the polish changed restarts its momentum from its new iterate, in a W that holds
    // its support (grown if not)
    if (ws_.all() || !grow_working_set(active))
      for (Index s : polished_) {
        restrict_column(s);
        batch_.restart(s, slots_[static_cast<std::size_t>(s)]);
      }
  }

  // Whether the column in slot s is done, and how: converged (gap ≤ tol·P), out of iterations,
  // or stalled (its gap has not halved in stall_iterations: the precision's floor).
  std::optional<Status> outcome(Index s, int iter) const {
    const auto us = static_cast<std::size_t>(s);
    return due_status(slots_[us], reports_[us].relative(), control_.tol, iter, control_);
  }

  // Newton's steps (support_polish.hpp), column by column in the order of λ. A column starts
  // from its iterate or, when that is closer by the duality gap at its λ, from the column before
  // it (the nearest λ, often just solved exactly: so a block is solved along its path like a
  // sequence of warm starts, at its first check, wherever the steps succeed). It is polished when
  // about to be reported (for exact coefficients), when it took the previous column's point, or
  // when near enough its optimum for the active set to be nearly right, trying again after a
  // tenfold gain or once FISTA has spent as much as its last polish cost. Each polish is a few
  // rounds, each choosing its active set from the previous one's gradient, each certified by the
  // duality gap on the full problem; the column keeps the best point (B_, G_ and reports_
  // updated). The changed ones are listed in polished_, with the features of their supports
  // outside W in extra_.
  void polish_block(const std::vector<double>& lambdas, Index active, int iter) {
    if (pcol_.size() == 0) {
      pcol_ = be_.allocate(static_cast<std::size_t>(p_));
      gcol_ = be_.allocate(static_cast<std::size_t>(p_));
      if (!pr_.gram_form) rcol_ = be_.allocate(static_cast<std::size_t>(pr_.rows));
    }
    cur_.resize(static_cast<std::size_t>(p_));
    grad_.resize(static_cast<std::size_t>(p_));
    const double iteration_cost = iteration_flops(ws_.size());
    for (Index s = 0; s < active; ++s) {
      const auto us = static_cast<std::size_t>(s);
      Slot& sl = slots_[us];
      const double lambda = lambdas[static_cast<std::size_t>(sl.lambda_index)];
      GapReport best = reports_[us];
      bool changed = false;
      if (s > 0) {
        // the previous column's point, certified at this λ (the gradient does not depend on λ)
        ops::GapTerms terms;
        be_.gap_terms(p_, 1, B_.data() + (s - 1) * p_, G_.data() + (s - 1) * p_, pr_.c.data(),
                      lambda_.data() + s, T(alpha_), full_penalty(), &terms);
        const GapReport chained = gaussian_gap(terms, pr_.yy, lambda, alpha_);
        if (chained.gap < best.gap) {
          best = chained;
          be_.copy(B_.data() + s * p_, B_.data() + (s - 1) * p_, static_cast<std::size_t>(p_));
          be_.copy(G_.data() + s * p_, G_.data() + (s - 1) * p_, static_cast<std::size_t>(p_));
          changed = true;
        }
      }
      const double rel = best.relative();
      const bool due = changed || outcome(s, iter).has_value() ||
                       (rel <= control_.polish_from &&
                        (rel * 10 <= sl.polish_gap || iter - sl.polish_iter >= sl.polish_every));
      if (due && rel > 0) {
        be_.download(cur_.data(), B_.data() + s * p_, cur_.size());
        be_.download(grad_.data(), G_.data() + s * p_, grad_.size());
        const double spent = newton_rounds(s, lambda, best, changed);
        sl.polish_gap = best.relative();
        sl.polish_iter = iter;
        sl.polish_every = std::max(spent / iteration_cost, 5.0 * control_.check_every);
      }
      // float32 stalls near its tolerance at its rounding floor, which no method moves: there
      // only a column stalled far above it is worth coordinate descent
      const double far = sizeof(T) == 8 ? control_.tol : 100 * control_.tol;
      const std::optional<Status> ending = outcome(s, iter);
      if (ending && *ending != Status::converged && best.relative() > far &&
          p_ <= polish_.limit() && descend(s, lambda, best)) {
        changed = true;
        // from the support coordinate descent found, Newton's steps make it exact
        be_.download(cur_.data(), B_.data() + s * p_, cur_.size());
        be_.download(grad_.data(), G_.data() + s * p_, grad_.size());
        newton_rounds(s, lambda, best, changed);
      }
      if (!changed) continue;
      reports_[us] = best;
      sl.primal = best.primal;
      note_gap(sl, best.relative(), iter);
      polished_.push_back(s);
      if (ws_.all()) continue;
      be_.download(cur_.data(), B_.data() + s * p_, cur_.size());
      for (Index j = 0; j < p_; ++j)
        if (cur_[static_cast<std::size_t>(j)] != T(0)) extra_.push_back(j);
    }
  }

  // The rounds of Newton's steps for slot s from (cur_, grad_), its point and gradient: a better
  // point found goes to B_ and G_ (best and changed updated). Returns the flops spent.
  double newton_rounds(Index s, double lambda, GapReport& best, bool& changed) {
    const double iteration_cost = iteration_flops(ws_.size());
    double spent = 0;
    last_signature_.clear();
    bool damped = false, stuck = false;
    for (int round = 0; round < kPolishRounds; ++round) {
      trial_ = cur_;
      if (!polish_.solve(trial_, grad_, lambda, alpha_, damped)) break;
      ++slots_[static_cast<std::size_t>(s)].newton_steps;
      spent += polish_.cost() + iteration_cost;
      if (polish_.signature() == last_signature_) break;  // the same system: the same answer
      last_signature_ = polish_.signature();
      // the Newton point's gradient, then the best point on the way to it (a damped step: far
      // from the solution the full one can overshoot, and the rounds would cycle)
      be_.upload(pcol_.data(), trial_.data(), trial_.size());
      pr_.gradient(pcol_.data(), 1, gcol_.data(), rcol_.data());
      tgrad_.resize(grad_.size());
      be_.download(tgrad_.data(), gcol_.data(), tgrad_.size());
      const double t = SupportPolish<Backend>::line_search(cur_, trial_, grad_, tgrad_, lambda,
                                                           alpha_, pr_.penalty.factors(), kinks_);
      if (!(t > 0)) {
        // not a descent direction: some coefficients would come out with the other sign than
        // their conditions gave them. Once more without those; then leave it to FISTA.
        if (stuck) break;
        stuck = damped = true;
        continue;
      }
      stuck = false;
      damped = t < 1;
      if (damped) {
        // β + t·δ and, the gradient being affine, g + t·(g_new − g)
        for (std::size_t j = 0; j < trial_.size(); ++j) {
          const double b = double(cur_[j]), v = b + t * (double(trial_[j]) - b);
          // a coefficient at its kink (where the search stopped) is zero, not rounding noise
          trial_[j] = static_cast<T>(std::fabs(v) <= 1e-12 * std::fabs(b) ? 0.0 : v);
          tgrad_[j] = static_cast<T>(double(grad_[j]) + t * (double(tgrad_[j]) - double(grad_[j])));
        }
        be_.upload(pcol_.data(), trial_.data(), trial_.size());
        be_.upload(gcol_.data(), tgrad_.data(), tgrad_.size());
      }
      GapReport trial = certify(s, lambda);
      if (damped && trial.relative() <= control_.tol) {
        // to be reported: its certificate from a gradient computed, not interpolated
        pr_.gradient(pcol_.data(), 1, gcol_.data(), rcol_.data());
        spent += iteration_cost;
        trial = certify(s, lambda);
      }
      if (trial.gap < best.gap) {
        best = trial;
        be_.copy(B_.data() + s * p_, pcol_.data(), static_cast<std::size_t>(p_));
        be_.copy(G_.data() + s * p_, gcol_.data(), static_cast<std::size_t>(p_));
        changed = true;
      }
      // past the tolerance, one more step usually makes the solution exact (and costs little:
      // the same set reuses the factorization and ends the rounds)
      if (trial.relative() <= 1e-2 * control_.tol) break;
      cur_.swap(trial_);
      grad_.swap(tgrad_);
    }
    if (changed) spent += clean_signs(s, lambda, best);
    return spent;
  }

  // A coefficient whose sign disagrees with its optimality condition (g_j + λ(1−α)β_j pushing it
  // towards zero, where the solution has g_j + λ(1−α)β_j = −λα·sign β_j) is the rounding of a
  // damped step or a Newton point off its set's signs: the best point of the rounds loses those
  // coefficients if that keeps its gap within the tolerance or lowers it. Returns the flops.
  double clean_signs(Index s, double lambda, GapReport& best) {
    const double mu = lambda * (1 - alpha_);
    trial_.resize(static_cast<std::size_t>(p_));
    tgrad_.resize(static_cast<std::size_t>(p_));
    be_.download(trial_.data(), B_.data() + s * p_, trial_.size());
    be_.download(tgrad_.data(), G_.data() + s * p_, tgrad_.size());
    bool any = false;
    for (std::size_t j = 0; j < trial_.size(); ++j) {
      const double b = double(trial_[j]), d = double(tgrad_[j]) + mu * pr_.penalty.w(Index(j)) * b;
      if (b != 0 && (b > 0) == (d > 0)) {
        trial_[j] = T(0);
        any = true;
      }
    }
    if (!any) return 0;
    be_.upload(pcol_.data(), trial_.data(), trial_.size());
    pr_.gradient(pcol_.data(), 1, gcol_.data(), rcol_.data());
    const GapReport cleaned = certify(s, lambda);
    if (cleaned.gap <= best.gap ||
        (cleaned.relative() <= control_.tol && best.relative() <= control_.tol)) {
      best = cleaned;
      be_.copy(B_.data() + s * p_, pcol_.data(), static_cast<std::size_t>(p_));
      be_.copy(G_.data() + s * p_, gcol_.data(), static_cast<std::size_t>(p_));
    }
    return pr_.gram_form ? 2.0 * double(p_) * double(p_) : 4.0 * double(pr_.n) * double(p_);
  }

  static constexpr int kPolishRounds = 40;

  // The flops of one iteration's gradient on `features` features, the unit in which the polish
  // and the descent weigh their cost: H_WW·B (Gram form) or X̃ᵀ(X̃·B − ỹ1ᵀ)/n, per column.
  double iteration_flops(Index features) const {
    return pr_.gram_form ? 2.0 * double(features) * double(features)
                         : 4.0 * double(pr_.n) * double(features);
  }

  // Coordinate descent (coordinate_descent.hpp) for slot s from its best point, where FISTA and
  // Newton's steps stalled; its result goes to B_ and G_ when its gap is smaller. The work is
  // bounded by what the stalled iterations cost (and at least 10⁸ flops: tiny problems finish).
  bool descend(Index s, double lambda, GapReport& best) {
    if (h_host_.empty()) polish_.full_gram(h_host_);
    be_.download(cur_.data(), B_.data() + s * p_, cur_.size());
    std::vector<double> beta(cur_.begin(), cur_.end());
    const double budget = std::max(1e8, iteration_flops(p_) * double(control_.stall_iterations));
    elastic_net_coordinate_descent(h_host_, pr_.c_host, pr_.yy, lambda, alpha_,
                                   1e-2 * control_.tol, budget, beta, pr_.penalty.factors());
    // certified as every other point: its gradient from the backend, the gap on the full problem
    trial_.resize(static_cast<std::size_t>(p_));
    for (Index j = 0; j < p_; ++j)
      trial_[static_cast<std::size_t>(j)] = static_cast<T>(beta[static_cast<std::size_t>(j)]);
    be_.upload(pcol_.data(), trial_.data(), trial_.size());
    pr_.gradient(pcol_.data(), 1, gcol_.data(), rcol_.data());
    const GapReport found = certify(s, lambda);
    if (!(found.gap < best.gap)) return false;
    best = found;
    be_.copy(B_.data() + s * p_, pcol_.data(), static_cast<std::size_t>(p_));
    be_.copy(G_.data() + s * p_, gcol_.data(), static_cast<std::size_t>(p_));
    return true;
  }

  // Path entry k by coordinate descent (path_descent.hpp) from `last`, the solution at
  // lambda_prev: true when its point is certified (the duality gap on the full problem, its
  // gradient from the backend, within tol), and then stored and made `last`. A descent that
  // ends above the tolerance tries again with moves 10 times smaller; after kDescentFailures
  // λ it could not certify, the rest of the path is FISTA's.
  bool descend(const std::vector<double>& lambdas, Index k, double lambda_prev,
               std::vector<T>& last, Path& out) {
    const double lambda = lambdas[static_cast<std::size_t>(k)];
    const auto up = static_cast<std::size_t>(p_);
    if (pcol_.size() == 0) {
      pcol_ = be_.allocate(up);
      gcol_ = be_.allocate(up);
      rcol_ = be_.allocate(static_cast<std::size_t>(pr_.rows));
    }
    std::vector<double> beta(last.begin(), last.end()), g(up);
    trial_.resize(up);
    // g = ∇f(β) at the warm start, for the strong rule
    be_.upload(pcol_.data(), last.data(), up);
    pr_.gradient(pcol_.data(), 1, gcol_.data(), rcol_.data());
    const auto download_gradient = [&] {
      be_.download(tgrad_.data(), gcol_.data(), up);
      std::copy(tgrad_.begin(), tgrad_.end(), g.begin());
    };
    tgrad_.resize(up);
    download_gradient();
    const T lam = static_cast<T>(lambda);
    be_.upload(lambda_.data(), &lam, 1);
    double budget = 200 * descent_->gradient_flops();
    double move_tol = 1e-6 * control_.tol;
    for (int attempt = 0; attempt < kDescentAttempts && budget > 0; ++attempt, move_tol *= 0.1) {
      const bool finished =
          descent_->descend(beta, g, lambda, lambda_prev, alpha_, move_tol, budget);
      budget -= descent_->flops() + descent_->gradient_flops();
      for (std::size_t j = 0; j < up; ++j) trial_[j] = static_cast<T>(beta[j]);
      be_.upload(pcol_.data(), trial_.data(), up);
      pr_.gradient(pcol_.data(), 1, gcol_.data(), rcol_.data());
      GapReport report = certify(0, lambda);
      if (report.relative() <= control_.tol) {
        finish_descent(lambda, report);
        descent_->certified(lambda, std::vector<double>(trial_.begin(), trial_.end()));
        const auto uk = static_cast<std::size_t>(k);
        out.iterations[uk] = 0;
        out.newton_steps[uk] = 0;
        out.gaps[uk] = report.relative();
        out.status[uk] = Status::converged;
        out.dev_ratio[uk] = pr_.yy_null > 0 ? 1.0 - report.rss / pr_.yy_null : 0.0;
        store_original_scale(trial_, k, out);
        last = trial_;
        return true;
      }
      if (!finished) break;
      download_gradient();
      lambda_prev = lambda;  // the strong rule from the point reached
    }
    if (++descent_failures_ >= kDescentFailures) descent_.reset();
    return false;
  }
  static constexpr int kDescentFailures = 3, kDescentAttempts = 10;

  // A certified descent's point (trial_, its gradient in gcol_) made exact by Newton's steps on
  // its support where that is cheap: |A| ≤ kDescentPolishLimit, so the factorization costs
  // |A|³/3 ≤ 3·10⁶ flops and the H rows of the features ever met, each loaded once per path, at
  // most a few hundred gradients in all. The gap certifies the objective; on ill-conditioned
  // wide data coefficients within it can still differ from the solution by √gap, and these
  // steps close that (as the FISTA blocks' polish does). A larger support keeps the certified
  // point. `report` and trial_ become the steps' point when its gap is smaller.
  void finish_descent(double lambda, GapReport& report) {
    if (!control_.polish) return;
    Index support = 0;
    for (const T b : trial_) support += b != T(0);
    if (support == 0 || support > std::min<Index>(kDescentPolishLimit, polish_.limit())) return;
    cur_ = trial_;
    grad_.resize(cur_.size());
    be_.download(grad_.data(), gcol_.data(), grad_.size());
    for (int round = 0; round < 2; ++round) {
      std::vector<T> step = cur_;
      if (!polish_.solve(step, grad_, lambda, alpha_, false)) return;
      be_.upload(pcol_.data(), step.data(), step.size());
      pr_.gradient(pcol_.data(), 1, gcol_.data(), rcol_.data());
      const GapReport stepped = certify(0, lambda);
      // certified, the steps' point is preferred even at a gap the rounding made no smaller:
      // it solves its set's conditions exactly
      const bool certified = stepped.relative() <= control_.tol;
      if (!certified && !(stepped.gap < report.gap)) return;
      report = stepped;
      trial_ = step;
      if (certified) return;
      cur_.swap(step);
      be_.download(grad_.data(), gcol_.data(), grad_.size());
    }
  }
  static constexpr Index kDescentPolishLimit = 200;

  // The duality gap of the polished column pcol_ (slot s) against its gradient gcol_.
  GapReport certify(Index s, double lambda) {
    ops::GapTerms terms;
    be_.gap_terms(p_, 1, pcol_.data(), gcol_.data(), pr_.c.data(), lambda_.data() + s, T(alpha_),
                  full_penalty(), &terms);
    return gaussian_gap(terms, pr_.yy, lambda, alpha_);
  }

  void restrict_column(Index s) {
    ws_.restrict_to(B_.data() + s * p_, 1, batch_.column(s));
  }

  // A feature outside W whose gradient exceeds λα in some column violates optimality there, and
  // one that a polish made nonzero (extra_) is needed there: they join W, and the block restarts
  // its momentum from the current iterate. Whether W grew.
  bool grow_working_set(Index active) {
    be_.row_violations(p_, active, G_.data(), p_, lambda_.data(), T(alpha_), full_penalty(),
                       violation_.data());
    for (const Index j : extra_) violation_[static_cast<std::size_t>(j)] = 1;
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
    if (!added) return false;
    assign_working_set(std::move(grown));
    // a larger W can only have a larger Lipschitz constant: shorten the steps that are too long
    const T longest = static_cast<T>(1.0 / ws_.lipschitz());
    for (Index s = 0; s < active; ++s) {
      T& step = slots_[static_cast<std::size_t>(s)].step;
      step = std::min(step, longest);
    }
    batch_.reshape(ws_.size(), active);
    batch_.upload_steps(slots_);
    ws_.restrict_to(B_.data(), active, batch_.iterate());
    batch_.restart_all();
    return true;
  }

  // β = 0 solves λ when λα ≥ max_j |c_j|/w_j (c = X̃ᵀỹ/n is minus the gradient at zero), up to
  // zero_solution_slack: those λ are answered exactly, with their gap, without iterations.
  bool zero_solves(double lambda) const {
    const double c_max = pr_.lambda_max(1.0);  // max |c_j|/w_j (λ_max of the lasso)
    return lambda * alpha_ >= (1.0 - zero_solution_slack<T>()) * c_max;
  }

  // Path entry k: β = 0 at λ, certified by its own duality gap.
  void store_zero_solution(double lambda, Index index, Path& out) const {
    const auto k = static_cast<std::size_t>(index);
    ops::GapTerms at_zero;  // g = −c, β = 0
    for (Index j = 0; j < p_; ++j) {
      const double c = pr_.c_host[static_cast<std::size_t>(j)];
      ops::accumulate_gap_terms(at_zero, 0.0, -c, c, lambda, alpha_, pr_.penalty.w(j),
                                pr_.penalty.lo(j), pr_.penalty.hi(j));
    }
    out.iterations[k] = 0;
    out.newton_steps[k] = 0;
    out.gaps[k] = gaussian_gap(at_zero, pr_.yy, lambda, alpha_).relative();
    out.status[k] = Status::converged;
    // β = 0 leaves the unpenalized features' fit: RSS/n = yy (0 without them: yy = yy_null)
    out.dev_ratio[k] = pr_.yy_null > 0 ? 1.0 - pr_.yy / pr_.yy_null : 0.0;
    store_original_scale(std::vector<T>(static_cast<std::size_t>(p_), T(0)), index, out);
  }

  // β_j = β̃_j / scale_j (0 for a constant column), the unpenalized ones' β̃ recovered from
  // the others (unpenalized.hpp);  β0 = ȳ − Σ mean_j·β_j
  void store_original_scale(const std::vector<T>& standardized, Index k, Path& out) const {
    double* beta = out.coefs.data() + k * p_;
    for (Index j = 0; j < p_; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      beta[j] = pr_.scale[uj] > 0 ? double(standardized[uj]) / pr_.scale[uj] : 0.0;
    }
    if (!pr_.unpenalized.empty()) {
      const std::vector<double> gamma = pr_.unpenalized.coefficients(standardized);
      for (std::size_t u = 0; u < gamma.size(); ++u) {
        const auto j = static_cast<std::size_t>(pr_.unpenalized.features[u]);
        beta[j] = gamma[u] / pr_.scale[j];
      }
    }
    double b0 = pr_.y_mean;
    for (Index j = 0; j < p_; ++j) b0 -= pr_.mean[static_cast<std::size_t>(j)] * beta[j];
    out.intercepts[static_cast<std::size_t>(k)] = pr_.intercept ? b0 : 0.0;
  }

  GaussianProblem<Backend>& pr_;
  Backend& be_;
  Index p_;
  double alpha_;
  SolveControl control_;
  FistaBatch<Backend> batch_;  // B, Y, t, θ on W, and the loop
  WorkingSet<Backend> ws_;
  SupportPolish<Backend> polish_;
  Buffer Gw_, B_, G_, R_, lambda_;
  Buffer pcol_, gcol_, rcol_;  // one polished column: β, ∇f(β), residual
  Buffer wfactor_, wlower_, wupper_;         // the penalty's arrays on W (when it has them)
  ops::FeaturePenalty<T> working_penalty_;  // ... and its view
  std::vector<T> trial_, cur_, grad_, tgrad_;
  std::vector<double> h_host_;  // H whole, for coordinate descent (loaded at its first use)
  std::optional<PathDescent<Backend>> descent_;  // the path's coordinate descent, where it applies
  int descent_failures_ = 0;
  std::vector<std::pair<double, double>> kinks_;
  std::vector<Index> last_signature_, polished_, extra_;
  std::vector<ops::GapTerms> terms_;
  std::vector<GapReport> reports_;
  std::vector<Slot> slots_;
  std::vector<Index> keep_;
  std::vector<double> violation_;
};

}  // namespace regpath
