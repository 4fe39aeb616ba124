// Batched FISTA for the GLM batch (glm_batch_problem.hpp): every column one problem — a λ, an α
// and a fold — of one datafit (core/datafit/), with an unpenalized intercept as row p of the
// block.
//
// The path is solved in blocks: block b holds λ values b·kb … (b+1)·kb − 1 of every group (an
// (α, fold) pair), each group warm-started from its own previous block. Per iteration:
//   E = Xa·to_raw(Y)        GEMM, 2·n·(p+1)·K flops
//   R = w∘(ℓ'(E) − y)       masked to each column's training rows (elementwise)
//   G = S∘(XaᵀR …)          GEMM, 2·n·(p+1)·K flops, then from_raw_gradient
//   B' = prox(Y − t·G)      per-column λ, α, t; intercept row unpenalized
//   Y = B' + momentum       FISTA with per-column adaptive restart
// Every check_every iterations each column's duality gap is computed (certificate below) and
// finished columns leave the block.
//
// The certificate (Fenchel duality; tests/test_glm_batch.cpp checks it against the optimum):
//   P(β̃, β0) = w·Σ_train v_i f(η_i; y_i) + λα‖β̃‖₁ + λ(1−α)/2·‖β̃‖²,   w = 1/Σ_train v_i
//   D(u)     = −w·Σ_train v_i f*(u_i; y_i) − Σ_j (|g_j| − λα)₊² / (2λ(1−α)),   g = w·X̃ᵀ(v∘u)
// (v the observation weights, 1 unweighted; glm_pointwise multiplies each row's value by v_i, so
// every sum below is a weighted one) for any u with Σ v_i u_i = 0 (the intercept is free) in the
// domain of f*. From the residual
// r = ℓ'(η) − y: u = r − r̄ (r̄ = Σ v_i r_i / Σ v_i), or for a two_class_dual datafit
// (logistic) u = a·r on the rows with y = 1, b·r on the others, a, b ≤ 1 balancing the two
// classes' sums (scaling toward y keeps y + u in [0, 1]). For α = 1 the second term is an
// indicator: u is scaled by s = min(1, λ/‖g‖∞). Without an intercept there is no sum constraint
// and u = r. P − D ≥ P − P* ≥ 0 and → 0 at the optimum. With penalty
// factors w_j (core/penalty/) coordinate j's λ is λ·w_j: the norms are weighted by w, the excess
// is divided by w_j and ‖g‖∞ is max |g_j|/w_j (ops::PenaltyTerms).
//
// P − D is not computed as the difference of P and D: near a saturated fit (poisson counts fit
// almost exactly, a separable logistic fold) both are far larger than P − P*, and the rounding of
// their sums alone (~1e-16·Σ|f_i|) exceeds tol·(P − the saturated loss), so no column could be
// certified there. Since w·Σ v_i u_i η_i = s·β̃ᵀg + β0·w·Σ v_i u_i + w·Σ v_i u_i o_i, the middle
// term 0 by the choice of u and the last the offset's share of D, the gap is a sum of terms each
// ≥ 0, each computed as what it is (Fenchel–Young):
//   P − D = w·Σ_train v_i [f(η_i) + f*(u_i) − u_i η_i]       (Fit::fenchel_young: a divergence)
//         + Σ_j [h_j(β̃_j) + h_j*(−s·g_j) + s·β̃_j g_j]      (h_j: coordinate j's penalty)
// the second written λα‖β̃‖₁ + λ(1−α)/2·‖β̃‖² + s·β̃ᵀg + the conjugate's terms — all at most a
// few times the penalty, which is at most P − the saturated loss (the gap's scale below).
// What rounding is left is g's own: s·β̃ᵀg against λα‖β̃‖₁ carries ~δg·‖β̃‖₁, δg the gradient's
// rounding (~1e-16·μ_i·|η_i| per row), which at a small λ near saturation can still exceed
// tol·(P − the saturated loss): such a column is reported stalled, the arithmetic's limit.
//
// Unpenalized features (glmnet's penalty.factor 0, the set U, w_j = 0): the prox is the identity
// on them, and every column starts from its fold's null model with them fitted
// (GlmBatchProblem::null_start). Their conjugate term is the indicator of g_j = 0, so the dual
// above is finite only where X̃_Uᵀ(v∘u) = 0 — a constraint that, unlike the intercept's Σ v_i u_i
// = 0, no shift or scaling of u meets while keeping y + u in f*'s domain (a projection onto it
// can leave [0, 1] or the positive counts). So the certificate is, instead, two conditions:
//   1. the gap above of the problem in (β̃_P, β0) with β̃_U held where it is — X̃_U·β̃_U is then
//      part of the offset, and the dual gains w·Σ v_i u_i (X̃_U β̃_U)_i = Σ_U β̃_j g_j (scaled
//      with u); exact, P − D ≥ 0 and → 0 at the optimum;
//   2. the unpenalized features' optimality: max_U |g_j| ≤ tol·‖g̃_P‖∞ at the null model (the
//      penalized gradient's scale: λ_max at α = 1), g at the dual point (the residual at the
//      optimum).
// Together they bound P − P* only through ‖β̃_U − β̃_U*‖ (P − P* ≤ gap₁ + g_Uᵀ(β̃_U − β̃_U*)),
// not by a number alone: an honest stopping test, not a certificate in the strict sense (as
// the multinomial solver's KKT test). The gap's relative value and (2)'s ratio, scaled to the
// same target, are reported as one: the larger.
//
// A column that FISTA does not finish — about to be reported stalled or max_iter, or whose gap
// has not halved in a tenth of stall_iterations — gets a proximal-Newton (IRLS + coordinate
// descent) solve on the host from its iterate (glm_newton_polish.hpp; X downloaded once, when
// first needed, if n·p ≤ newton_max_elements). A result with a lower objective replaces the
// iterate and is certified at once by the same gap computation (a re-check at the same
// iteration): gap ≤ tol makes the column converged; otherwise it is tried again from there (at
// most newton_tries times), then finalized with the status it was due (or, from the early
// trigger, FISTA goes on from the better point).
//
// On host backends (the CPU: Buffer is host memory) with SolveControl::path_descent, proximal
// Newton is instead the path's first solver, as glmnet's: each block's columns, group by group
// and λ by λ, from the previous λ's result (newton_along_path), on X in the form it came in
// (dense, or its CSC entries — never densified). Nothing is trusted from it: the block's first
// check (iteration 0) certifies each column by the same gap, and FISTA (with the fallback above)
// goes on from that point for a column it does not certify, never to end at a worse one.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/engine/fista_batch.hpp"
#include "core/engine/solve_control.hpp"
#include "core/design/glm_batch_problem.hpp"
#include "core/accel/glm_newton_polish.hpp"
#include "core/path/lambda_grid.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

// One group of columns: a λ list (descending) for one α on one fold (−1: all rows).
struct GlmGroup {
  double alpha = 1;
  int fold = -1;
  std::vector<double> lambdas;
};

// What the solver reports per group, per λ. coefs are raw: (p + 1) × nλ, column k holding the
// p coefficients of the original features, then the intercept.
struct GlmGroupResult {
  std::vector<double> coefs;
  std::vector<int> iterations;
  std::vector<int> newton_steps;  // proximal-Newton outer steps per λ (0: FISTA alone)
  std::vector<double> gaps, dev_ratio;
  std::vector<Status> status;
};

template <class Backend>
class GlmBatchSolver {
 public:
  using T = typename Backend::value_type;
  using Buffer = typename Backend::Buffer;
  using Index = std::int64_t;
  using Progress = std::function<void(double)>;

  GlmBatchSolver(GlmBatchProblem<Backend>& problem, const SolveControl& control,
                 Progress progress = {})
      : pr_(problem), be_(problem.be), p_(problem.p), rows_(problem.p + 1), control_(control),
        progress_(std::move(progress)), batch_(problem.be) {}

  std::vector<GlmGroupResult> solve(const std::vector<GlmGroup>& groups, Index lambdas_per_block) {
    const Index kb = std::max<Index>(1, lambdas_per_block);
    Index blocks = 0, total = 0;
    results_.assign(groups.size(), GlmGroupResult{});
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const auto nl = static_cast<Index>(groups[g].lambdas.size());
      blocks = std::max(blocks, (nl + kb - 1) / kb);
      total += nl;
      GlmGroupResult& r = results_[g];
      r.coefs.assign(std::size_t(rows_ * nl), 0.0);
      r.iterations.assign(std::size_t(nl), 0);
      r.newton_steps.assign(std::size_t(nl), 0);
      r.gaps.assign(std::size_t(nl), 0.0);
      r.dev_ratio.assign(std::size_t(nl), 0.0);
      r.status.assign(std::size_t(nl), Status::converged);
    }
    total_ = std::max<Index>(total, 1);
    done_ = 0;
    lipschitz_ = pr_.lipschitz_per_fold();
    null_gradient_max_ = pr_.lambda_max_per_fold(1.0);  // ‖g̃‖∞ at each fold's null model
    allocate(std::min<Index>(kb * Index(groups.size()), std::max<Index>(total, 1)));
    // each group starts from its fold's null model (the intercept, and the unpenalized features)
    warm_.clear();
    for (const GlmGroup& g : groups) {
      const std::vector<double> start = pr_.null_start(g.fold);
      warm_.emplace_back(start.begin(), start.end());
    }
    warm_lambda_.assign(groups.size(), 0.0);
    for (Index b = 0; b < blocks; ++b) solve_block(groups, b * kb, kb);
    return std::move(results_);
  }

 private:
  // A column beyond the batch's state (newton_steps: the proximal-Newton outer steps)
  struct Slot : ColumnState<T> {
    std::size_t group = 0;
    Index lambda_index = 0;
    int fold = -1;
    double lambda = 0, alpha = 1;
    bool last_of_group = false;  // the group's smallest λ in this block: the next warm start
    int newton_tries = 0;         // proximal-Newton solves taken (glm_newton_polish.hpp)
    bool polished = false;        // B_cur holds a Newton result not yet certified
    std::optional<Status> due;    // what the column was due when Newton was tried
    bool newton_start = false;    // its start is newton_along_path's result, not yet checked
    std::vector<double> newton_point;  // that result (standardized), while FISTA goes on from it
    double newton_rel = 0;             // and its certificate at the first check
  };

  static constexpr int newton_tries = 3;
  static constexpr double kFirstFaceWorkRatio = 1;  // newton_along_path's face solves (see there)
  static constexpr double newton_max_elements = 3e7;  // n·p: X in double on the host

  void allocate(Index kmax) {
    const auto pk = std::size_t(rows_ * kmax), nk = std::size_t(pr_.n * kmax);
    batch_.allocate(rows_, kmax);
    G_ = be_.allocate(pk);
    G_raw_ = be_.allocate(pk);
    B_raw_ = be_.allocate(pk);
    E_ = be_.allocate(nk);
    R_ = be_.allocate(nk);
    col_ = be_.allocate(std::size_t(ops::GlmColumn::count * kmax));
    col_tmp_ = be_.allocate(std::size_t(ops::GlmColumn::count * kmax));
    lambda_ = be_.allocate(std::size_t(kmax));
    alpha_ = be_.allocate(std::size_t(kmax));
    // a datafit without a global curvature bound keeps each column's last finite point
    guard_ = ops::datafit_traits(pr_.datafit).curvature_scales_with_response;
    if (guard_) B_good_ = be_.allocate(pk);
  }

  void solve_block(const std::vector<GlmGroup>& groups, Index first, Index kb) {
    slots_.clear();
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const auto nl = static_cast<Index>(groups[g].lambdas.size());
      const Index last = std::min(nl, first + kb);
      for (Index l = first; l < last; ++l) {
        Slot s;
        s.group = g;
        s.lambda_index = l;
        s.fold = groups[g].fold;
        s.alpha = groups[g].alpha;
        s.lambda = zero_pinned(groups[g].lambdas[std::size_t(l)], s.alpha, s.fold);
        s.step = static_cast<T>(1.0 / lipschitz_[std::size_t(s.fold + 1)]);
        s.last_of_group = l == last - 1;
        slots_.push_back(s);
      }
    }
    const auto K = static_cast<Index>(slots_.size());
    if (K == 0) return;
    batch_.reshape(rows_, K);
    upload_parameters(K);
    std::vector<T> start(static_cast<std::size_t>(rows_ * K));
    for (Index s = 0; s < K; ++s)
      std::copy(warm_[slots_[std::size_t(s)].group].begin(),
                warm_[slots_[std::size_t(s)].group].end(), start.begin() + s * rows_);
    if (newton_first()) newton_along_path(start);
    be_.upload(batch_.iterate(), start.data(), start.size());
    batch_.restart_all();
    if (guard_) be_.copy(B_good_.data(), batch_.iterate(), start.size());

    const auto checks = [&](int iter) {
      do {  // again at once where Newton results wait for their certificate
        const Index active = batch_.active();
        check(active, iter);
        if (keep_.empty()) return false;
        if (static_cast<Index>(keep_.size()) < active) compact();
      } while (recheck_);
      return true;
    };
    // B' = prox(Y − t∘G):  E = Xa·to_raw(Y), R = w∘(ℓ'(E) − y), G = S∘(XaᵀR …)
    const auto descent = [&] {
      const Index active = batch_.active();
      pr_.linear_predictor(batch_.momentum(), active, col_.data(), B_raw_.data(), E_.data());
      be_.glm_pointwise(ops::GlmOp::residual, pr_.datafit, pr_.n, active, E_.data(),
                        pr_.y.data(), pr_.row_fold(), col_.data(), R_.data(), pr_.row_weight());
      pr_.adjoint(R_.data(), active, col_.data(), G_raw_.data(), G_.data());
      be_.prox_step_glm(p_, active, batch_.momentum(), G_.data(), batch_.steps(),
                        lambda_.data(), alpha_.data(), pr_.penalty.view(p_, col_.data()),
                        batch_.next());
    };
    batch_.run(control_, checks, descent);
  }

  // λ, or where β̃ = 0 solves λ up to zero_solution_slack, the λ at which it holds with that
  // margin: the prox steps then keep exact zeros (as glmnet reports them), and the certificate is
  // that λ's; P(β̃ = 0) is the same at both (the penalty of zero is zero).
  double zero_pinned(double lambda, double alpha, int fold) const {
    const double slack = zero_solution_slack<T>();
    const double g_max = null_gradient_max_[std::size_t(fold + 1)];
    if (!(alpha > 0) || lambda * alpha < (1.0 - slack) * g_max) return lambda;
    return std::max(lambda, (1.0 + slack) * g_max / alpha);
  }

  // The per-column parameters of the iteration: fold, residual weights w = 1/n_train, no shift,
  // no scale; λ, α and the steps.
  void upload_parameters(Index active) {
    col_host_.assign(std::size_t(ops::GlmColumn::count * active), T(0));
    std::vector<T> lam(static_cast<std::size_t>(active)), alp(static_cast<std::size_t>(active));
    for (Index s = 0; s < active; ++s) {
      const Slot& sl = slots_[std::size_t(s)];
      T* c = col_host_.data() + s * ops::GlmColumn::count;
      c[ops::GlmColumn::fold] = T(sl.fold);
      c[ops::GlmColumn::a] = c[ops::GlmColumn::b] = static_cast<T>(pr_.weight(sl.fold));
      c[ops::GlmColumn::s] = T(1);
      lam[std::size_t(s)] = static_cast<T>(sl.lambda);
      alp[std::size_t(s)] = static_cast<T>(sl.alpha);
    }
    be_.upload(col_.data(), col_host_.data(), col_host_.size());
    be_.upload(lambda_.data(), lam.data(), lam.size());
    be_.upload(alpha_.data(), alp.data(), alp.size());
    batch_.upload_steps(slots_);
  }

  // Column sums of glm_pointwise(op) over the active columns with parameters `params` (host).
  void pointwise_sums(ops::GlmOp op, Index active, const std::vector<T>& params,
                      std::vector<double>& out) {
    be_.upload(col_tmp_.data(), params.data(), params.size());
    pointwise_sums(op, active, col_tmp_.data(), out);
  }
  // ... with parameters already on the backend
  void pointwise_sums(ops::GlmOp op, Index active, const T* params, std::vector<double>& out) {
    be_.glm_pointwise(op, pr_.datafit, pr_.n, active, E_.data(), pr_.y.data(), pr_.row_fold(),
                      params, R_.data(), pr_.row_weight());
    out.resize(std::size_t(active));
    pr_.column_sums(R_.data(), active, out.data());
  }

  // The certificate of every active column at B_cur (see the top of this file); finished
  // columns are stored and left out of keep_.
  void check(Index active, int iter) {
    const auto ua = std::size_t(active);
    const int n_params = ops::GlmColumn::count;
    pr_.linear_predictor(batch_.iterate(), active, col_.data(), B_raw_.data(), E_.data());
    std::vector<double> loss, sums_a, sums_b;
    pointwise_sums(ops::GlmOp::loss, active, col_.data(), loss);  // the iteration's parameters

    // a dual point: residual weights a, b and shift c per column (unweighted by w)
    std::vector<T> dual(col_host_);
    for (Index s = 0; s < active; ++s) {
      T* c = dual.data() + s * n_params;
      c[ops::GlmColumn::a] = c[ops::GlmColumn::b] = T(1);
    }
    std::vector<double> a(ua, 1.0), b(ua, 1.0), shift(ua, 0.0);
    const ops::DatafitTraits traits = ops::datafit_traits(pr_.datafit);
    const bool two_class = traits.two_class_dual, proportional = traits.proportional_dual;
    if (pr_.intercept) {
      std::vector<T> probe(dual);
      for (Index s = 0; s < active; ++s)
        probe[std::size_t(s * n_params + ops::GlmColumn::b)] = T(two_class ? 0 : 1);
      // Σ r, or Σ_{y=1} r (two classes)
      pointwise_sums(ops::GlmOp::residual, active, probe, sums_a);
      if (two_class) {
        for (Index s = 0; s < active; ++s) {
          probe[std::size_t(s * n_params + ops::GlmColumn::a)] = T(0);
          probe[std::size_t(s * n_params + ops::GlmColumn::b)] = T(1);
        }
        pointwise_sums(ops::GlmOp::residual, active, probe, sums_b);  // Σ_{y=0} r
      }
      if (proportional) {
        for (Index s = 0; s < active; ++s) {  // u = s·(0 − (−1)·μ) = μ
          probe[std::size_t(s * n_params + ops::GlmColumn::a)] = T(0);
          probe[std::size_t(s * n_params + ops::GlmColumn::c)] = T(-1);
        }
        pointwise_sums(ops::GlmOp::residual, active, probe, sums_b);  // Σ μ
      }
      for (std::size_t s = 0; s < ua; ++s) {
        if (proportional) {  // c = Σr/Σμ: Σ(r − c·μ) = 0, y + u = μ·Σy/Σμ ≥ 0
          shift[s] = sums_b[s] > 0 ? sums_a[s] / sums_b[s] : 0.0;
          continue;
        }
        if (!two_class) {
          shift[s] = sums_a[s] * pr_.weight(slots_[s].fold);
          continue;
        }
        const double s1 = -sums_a[s], s0 = sums_b[s];  // both ≥ 0
        if (s1 > s0) a[s] = s0 / s1;
        if (s0 > s1) b[s] = s1 / s0;
      }
    }
    std::vector<T> weighted(dual);
    for (std::size_t s = 0; s < ua; ++s) {
      const double w = pr_.weight(slots_[s].fold);
      T* c = weighted.data() + s * std::size_t(n_params);
      c[ops::GlmColumn::a] = static_cast<T>(w * a[s]);
      c[ops::GlmColumn::b] = static_cast<T>(w * b[s]);
      c[ops::GlmColumn::c] = static_cast<T>(w * shift[s]);
    }
    // g = w·X̃ᵀu   (the dual point's gradient: GEMM)
    be_.upload(col_tmp_.data(), weighted.data(), weighted.size());
    be_.glm_pointwise(ops::GlmOp::residual, pr_.datafit, pr_.n, active, E_.data(), pr_.y.data(),
                      pr_.row_fold(), col_tmp_.data(), R_.data(), pr_.row_weight());
    pr_.adjoint(R_.data(), active, col_tmp_.data(), G_raw_.data(), G_.data());
    // the penalty's terms of the certificate, reduced on the backend: 4 values per column come
    // back, not the block and its gradient
    penalty_.resize(ua);
    be_.penalty_terms(p_, active, batch_.iterate(), G_.data(), rows_, lambda_.data(), alpha_.data(),
                      pr_.penalty.view(p_, col_.data()), penalty_.data());
    iterate_on_host_ = false;

    for (std::size_t s = 0; s < ua; ++s) {
      const Slot& sl = slots_[s];
      const double l1w = sl.lambda * sl.alpha, gmax = penalty_[s].max_abs_grad;
      // the lasso's dual box: u scaled by min(1, λ/‖g‖∞)
      const double scale = sl.alpha < 1.0 || !(gmax > l1w) ? 1.0 : l1w / gmax;
      T* c = dual.data() + s * std::size_t(n_params);
      c[ops::GlmColumn::a] = static_cast<T>(a[s]);
      c[ops::GlmColumn::b] = static_cast<T>(b[s]);
      c[ops::GlmColumn::c] = static_cast<T>(shift[s]);
      c[ops::GlmColumn::s] = static_cast<T>(scale);
    }
    // Σ v_i [f(η_i) + f*(u_i) − u_i η_i] per column (η with its offset: the offset's share of
    // D cancels in P − D, see the top of this file)
    std::vector<double> datafit_gap;
    pointwise_sums(ops::GlmOp::fenchel_young, active, dual, datafit_gap);

    keep_.clear();
    recheck_ = false;
    std::vector<std::size_t> finished;
    for (std::size_t s = 0; s < ua; ++s) {
      Slot& sl = slots_[s];
      const double w = pr_.weight(sl.fold);
      const double l2w = sl.lambda * (1.0 - sl.alpha);
      const ops::PenaltyTerms& pen = penalty_[s];
      const double penalty = sl.lambda * sl.alpha * pen.l1 + 0.5 * l2w * pen.l2sq;
      const double primal = w * loss[s] + penalty;
      // the penalty's Fenchel–Young terms (see the top of this file), s the dual point's scale;
      // the unpenalized features' s·Σ_U β̃_j g_j is both in w·Σ v_i u_i η_i and in D (their
      // part X̃_U·β̃_U of η is an offset there) and cancels
      const double scale = double(dual[s * std::size_t(n_params) + ops::GlmColumn::s]);
      double penalty_gap = penalty + scale * pen.grad_dot;
      // the penalty's conjugate at the dual point (see ops::PenaltyShare): the ridge one for
      // α < 1, else the bounds' share at the scaled point (0 without bounds)
      if (sl.alpha < 1.0)
        penalty_gap += pen.excess_sq / (2.0 * l2w) + pen.clipped_conjugate;
      else
        penalty_gap += pen.box_excess;
      if (guard_ && !std::isfinite(primal)) {
        // the step overshot where f'' is larger than its bound guessed (poisson): back to the
        // column's last finite point, with half the step
        be_.copy(batch_.column(Index(s)), B_good_.data() + Index(s) * rows_, std::size_t(rows_));
        batch_.halve_step(Index(s), sl);
        keep_.push_back(Index(s));
        continue;
      }
      const double gap = std::max(w * datafit_gap[s] + penalty_gap, 0.0);
      // relative to P above the saturated model's loss (P itself for 0/1 and gaussian data): a
      // poisson loss is negative where counts exceed e, and half its deviance is this excess
      const double above = primal - pr_.saturated_loss(sl.fold);
      const double target = sizeof(T) == sizeof(double) ? 1e-2 * control_.tol : control_.tol;
      // with unpenalized features, their gradient too: max_U |g_j| ≤ tol·‖g̃‖∞ at the null
      // model, entering as rel·target/tol (so the gap's target and this one are met together)
      const double rel = std::max(above > 0 ? gap / above : 0.0,
                                  pen.free_grad / free_gradient_scale(sl.fold) * target /
                                      control_.tol);
      if (record_check(sl, primal, rel, control_.tol, iter)) batch_.halve_step(Index(s), sl);
      // A logistic path has no support polish (yet), so its coefficients converge only as the
      // square root of the gap: in float64 a column goes on to 1e-2·tol (`target` above: about
      // 20 % more iterations, 10× closer coefficients); one that stops on the way, having met
      // tol, is converged all the same.
      std::optional<Status> done = due_status(sl, rel, target, iter, control_);
      // A Newton point's coefficients are exact to its own accuracy, not to √gap as FISTA's are:
      // tol itself is its target (below it the gap is often rounding alone, which FISTA's
      // iterations cannot lower: they would only stall there).
      if (sl.newton_start) {
        sl.newton_start = false;
        sl.newton_rel = rel;
        if (!done && rel <= control_.tol) done = Status::converged;
        if (done) sl.newton_point.clear();
      }
      // FISTA, where it went on from that point, must not end worse than it: back to it, to
      // be certified at once by a re-check and finalized with the status FISTA was due
      if (done && *done != Status::converged && !sl.newton_point.empty() &&
          !(rel <= sl.newton_rel)) {
        const std::vector<T> point(sl.newton_point.begin(), sl.newton_point.end());
        sl.newton_point.clear();
        be_.upload(batch_.column(Index(s)), point.data(), point.size());
        batch_.restart(Index(s), sl);
        sl.polished = true;
        sl.due = done;
        recheck_ = true;
        keep_.push_back(Index(s));
        continue;
      }
      if (sl.polished) {  // a Newton result: certified, or the status the column was due
        sl.polished = false;
        if (!done) done = sl.due;
      }
      if (done && rel <= control_.tol) done = Status::converged;
      const bool early = !done && sl.newton_tries == 0 &&
                         iter - sl.best_iter >= control_.stall_iterations / 10;
      if ((early || (done && *done != Status::converged)) && sl.newton_tries < newton_tries &&
          newton_step(s)) {
        sl.due = done;
        keep_.push_back(Index(s));
        continue;
      }
      if (!done) {
        keep_.push_back(Index(s));
        continue;
      }
      GlmGroupResult& r = results_[sl.group];
      const auto k = std::size_t(sl.lambda_index);
      r.iterations[k] = iter;
      r.newton_steps[k] = sl.newton_steps;
      r.gaps[k] = std::isfinite(rel) ? rel : std::numeric_limits<double>::max();
      r.status[k] = *done;
      // 1 − deviance / null deviance, the deviances measured from the saturated model's loss
      // (clamped at 0: at λ_max the fit is the null model, and rounding may leave −1e−8)
      const double saturated = pr_.saturated_loss(sl.fold);
      const double null_dev = pr_.null_loss(sl.fold) - saturated;
      r.dev_ratio[k] =
          null_dev > 0 ? std::max(0.0, 1.0 - (w * loss[s] - saturated) / null_dev) : 0.0;
      finished.push_back(s);
    }
    // every column now holds a finite point (restored ones their last): the next good ones
    if (guard_) be_.copy(B_good_.data(), batch_.iterate(), ua * std::size_t(rows_));
    if (finished.empty()) return;
    iterate_host();
    raw_host_.resize(std::size_t(rows_) * ua);
    be_.download(raw_host_.data(), B_raw_.data(), raw_host_.size());
    for (const std::size_t s : finished) {
      const Slot& sl = slots_[s];
      GlmGroupResult& r = results_[sl.group];
      for (Index j = 0; j < rows_; ++j)
        r.coefs[std::size_t(sl.lambda_index * rows_ + j)] =
            double(raw_host_[s * std::size_t(rows_) + std::size_t(j)]);
      if (sl.last_of_group) {
        std::copy(beta_host_.begin() + std::ptrdiff_t(s * std::size_t(rows_)),
                  beta_host_.begin() + std::ptrdiff_t((s + 1) * std::size_t(rows_)),
                  warm_[sl.group].begin());
        warm_lambda_[sl.group] = sl.lambda;
      }
    }
    done_ += Index(finished.size());
    if (progress_) progress_(double(done_) / double(total_));
  }

  // The unpenalized features' gradient test's scale on fold f: ‖g̃‖∞ over the penalized
  // features at the null model (λ_max at α = 1), or 1 where that is 0.
  double free_gradient_scale(int fold) const {
    const double g = null_gradient_max_[std::size_t(fold + 1)];
    return g > 0 ? g : 1.0;
  }

  // beta_host_ = B_cur (the active columns at this check, before any Newton result replaced one),
  // downloaded at its first use in a check: only checks where a column finishes or falls back
  // to Newton pay for it.
  void iterate_host() {
    if (iterate_on_host_) return;
    beta_host_.resize(std::size_t(rows_) * slots_.size());
    be_.download(beta_host_.data(), batch_.iterate(), beta_host_.size());
    iterate_on_host_ = true;
  }

  // Proximal Newton for active column s from B_cur (its iterate, in beta_host_); a result with a
  // lower objective replaces the iterate (B_cur and Y, momentum restarted), to be
  // certified by a re-check. False where Newton is unavailable or found nothing better.
  bool newton_step(std::size_t s) {
    Slot& sl = slots_[s];
    ++sl.newton_tries;
    if (!newton_ready()) return false;
    iterate_host();
    std::vector<double> start(beta_host_.begin() + std::ptrdiff_t(s * std::size_t(rows_)),
                              beta_host_.begin() + std::ptrdiff_t((s + 1) * std::size_t(rows_)));
    // tighter on each try: a retry starts where the last one stopped
    const double accuracy = 1e-11 * std::pow(1e-2, sl.newton_tries - 1);
    GlmNewtonPolish::Column column;
    column.fold = sl.fold;
    column.lambda = sl.lambda;
    column.alpha = sl.alpha;
    const GlmNewtonPolish::Result res = newton_->solve(column, start, accuracy);
    sl.newton_steps += res.newton_steps;
    if (!(res.objective < res.start_objective) || !std::isfinite(res.objective)) {
      sl.newton_tries = newton_tries;  // no progress: not worth another try
      return false;
    }
    std::vector<T> next(res.beta.begin(), res.beta.end());
    be_.upload(batch_.column(Index(s)), next.data(), next.size());
    batch_.restart(Index(s), sl);
    sl.polished = true;
    recheck_ = true;
    return true;
  }

  // Whether proximal Newton is the path's first solver: the backend's buffers are host memory
  // (the CPU; a GPU keeps its batch there), SolveControl::path_descent and Newton available.
  bool newton_first() {
    constexpr bool host = std::is_same_v<Buffer, std::vector<T>>;
    return host && control_.path_descent && newton_ready();
  }

  // Each group's columns of this block λ by λ, as glmnet walks a path: proximal Newton
  // (IRLS + coordinate descent) from the previous λ's result (the first from the group's warm
  // start), written into `start` (rows_ × K) where it lowered the objective. Nothing here is
  // trusted: the first check (iteration 0) certifies each column with the duality gap, and FISTA
  // (with its own Newton fallback) goes on from this point for a column it does not certify.
  // The face solve (an exact solve on the support) is left to Newton steps whose sweeps have
  // already cost as much as it would (GlmNewtonPolish::set_face_work_ratio): on well-conditioned
  // columns a few sweeps finish, and its n·|A|² + |A|³/3 would cost more than they do.
  void newton_along_path(std::vector<T>& start) {
    newton_->set_face_work_ratio(kFirstFaceWorkRatio);
    std::vector<double> from;
    double from_lambda = 0;  // the λ `from` solves (the strong rule's λ_prev; 0: unknown)
    std::size_t group = slots_.size() + 1;
    for (std::size_t s = 0; s < slots_.size(); ++s) {
      Slot& sl = slots_[s];
      if (sl.group != group) {  // slots_ hold each group's λ in order
        group = sl.group;
        from.assign(warm_[group].begin(), warm_[group].end());
        from_lambda = warm_lambda_[group];
      }
      GlmNewtonPolish::Column column;
      column.fold = sl.fold;
      column.lambda = sl.lambda;
      column.alpha = sl.alpha;
      column.prev_lambda = from_lambda;
      const GlmNewtonPolish::Result res = newton_->solve(column, from, 1e-11);
      sl.newton_steps += res.newton_steps;
      if (!std::isfinite(res.objective) || !(res.objective <= res.start_objective)) continue;
      from = res.beta;
      from_lambda = sl.lambda;
      std::copy(res.beta.begin(), res.beta.end(), start.begin() + std::ptrdiff_t(s * rows_));
      sl.newton_start = true;
      sl.newton_point = res.beta;
    }
    newton_->set_face_work_ratio(0);
  }

  // The host copy of the data for Newton, made on first use; false when it is off
  // (SolveControl::polish) or X is too large to copy.
  bool newton_ready() {
    if (newton_state_ == 0) {
      newton_state_ = -1;
      if (control_.polish && pr_.host_elements() <= newton_max_elements) {
        newton_ = pr_.make_newton();
        newton_->set_penalty_factors(pr_.penalty.factors());
        newton_->set_bounds(pr_.lower_raw, pr_.upper_raw);
        newton_state_ = 1;
      }
    }
    return newton_state_ > 0;
  }

  // Drops the finished columns: the following GEMMs shrink with the block.
  void compact() {
    if (guard_) be_.compact_columns(rows_, B_good_.data(), rows_, keep_);
    std::vector<T> params;
    params.reserve(keep_.size() * std::size_t(ops::GlmColumn::count));
    for (const Index from : keep_)
      params.insert(params.end(),
                    col_host_.begin() + std::ptrdiff_t(std::size_t(from) * ops::GlmColumn::count),
                    col_host_.begin() +
                        std::ptrdiff_t((std::size_t(from) + 1) * ops::GlmColumn::count));
    col_host_ = std::move(params);
    batch_.compact(keep_, slots_,
                   {{col_.data(), ops::GlmColumn::count}, {lambda_.data(), 1}, {alpha_.data(), 1}});
  }

  GlmBatchProblem<Backend>& pr_;
  Backend& be_;
  Index p_, rows_;
  SolveControl control_;
  Progress progress_;
  Index total_ = 1, done_ = 0;
  std::vector<double> lipschitz_;
  std::vector<std::vector<T>> warm_;
  std::vector<double> warm_lambda_;  // the λ each group's warm start solves (0: its null model)
  std::vector<double> null_gradient_max_;
  std::vector<GlmGroupResult> results_;
  std::vector<Slot> slots_;
  std::vector<Index> keep_;
  bool recheck_ = false;
  int newton_state_ = 0;  // 0: not needed yet, 1: ready, −1: unavailable
  std::unique_ptr<GlmNewtonMethod> newton_;
  std::vector<T> col_host_, beta_host_, raw_host_;
  std::vector<ops::PenaltyTerms> penalty_;
  bool iterate_on_host_ = false;  // beta_host_ holds this check's B_cur
  bool guard_ = false;  // keep B_good_: the last checked point of each column, all finite
  Buffer B_good_;
  FistaBatch<Backend> batch_;  // B, Y, t, θ per column, and the loop
  Buffer G_, G_raw_, B_raw_, E_, R_, col_, col_tmp_, lambda_, alpha_;
};

}  // namespace regpath
