// The data of a GLM batch on a backend: the raw design with a column of ones appended,
// Xa = [X 1] (n × (p+1)), the response, each row's fold, and each fold's standardization.
//
// Every column of a batch is one problem (a λ, an α, a fold); it sees only its fold's training
// rows, standardized with that fold's centres and scales, without any per-fold copy of X:
//   raw coefficients   b = [S_f∘β̃ ; β0 − μ_fᵀ(S_f∘β̃)]       (to_raw)
//   linear predictor   η = Xa·b = X̃_f·β̃ + β0 on every row   (GEMM)
//   gradient           g̃ = S_f∘(Xᵀr − μ_f·1ᵀr),  g0 = 1ᵀr   (GEMM, from_raw_gradient)
// with r the residual masked to the training rows (glm_pointwise). The held-out rows' η are the
// column's predictions, which is what cross-validation needs.
//
// Observation weights v_i (glmnet's `weights`) make fold f's datafit Σ_train v_i f(η_i; y_i) / W_f,
// W_f = Σ_train v_i: glmnet's, which normalizes the weights of the rows it fits to sum to their
// number (cv.glmnet fits a fold with weights[train]). glm_pointwise multiplies every row's value
// by v_i; weight(f) is 1/W_f; the scaling, null models, λ_max and Lipschitz bounds are weighted
// the same way (unweighted: v_i = 1, W_f = n_f, the same numbers as without weights).
//
// An offset o_i (glmnet's `offset`) is part of every row's linear predictor,
// η_i = x̃_iᵀβ̃ + β0 + o_i: linear_predictor and predict_raw add it to E (a rank-1 GEMM), so every
// pass over E — the residuals, losses, the held-out errors of cv — sees it; the null model is
// the intercept-only fit with the offset (Newton on β0, as glmnet's), which λ_max starts from.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/design/fold_scaling.hpp"
#include "core/design/sparse_design.hpp"
#include "core/accel/glm_newton_polish.hpp"
#include "core/engine/glm_scalar_ops.hpp"
#include "core/penalty/problem_penalty.hpp"
#include "distributed/rank_sums.hpp"
#include "distributed/split_rows_newton.hpp"
#include "distributed/split_rows_scaling.hpp"
#include "regpath/distributed.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

template <class Backend>
class GlmBatchProblem {
 public:
  using T = typename Backend::value_type;
  using Buffer = typename Backend::Buffer;
  using Index = std::int64_t;

  // row_fold: the fold of each row, in [0, folds); empty with folds = 0 (the whole data only).
  // weights: the observation weights (n values ≥ 0, not all 0; empty: unweighted), kept as
  // n·w_i/Σw (glmnet's normalization on the whole data, so their sizes stay near 1).
  // offset: o_i added to every row's linear predictor (n finite values; empty: none).
  template <typename In>
  GlmBatchProblem(Backend& backend, const MatrixView<In>& X, const In* response,
                  const std::vector<int>& row_fold, int fold_count, ops::Datafit datafit_kind,
                  bool standardize, bool with_intercept, const std::vector<double>& weights = {},
                  const std::vector<double>& offset = {})
      : be(backend), n(X.rows), p(X.cols), folds(fold_count), datafit(datafit_kind),
        intercept(with_intercept), weights_(normalized(weights)), offset_(offset),
        scaling(fold_scaling(X, row_fold, fold_count, with_intercept, standardize, weights_)) {
    upload_design(X);
    load_response(response, row_fold);
  }

  // From a sparse CSC design (host memory, CPU backend only: its products run on the host
  // buffers), with the dense constructor's folds, weights and offset: X is never densified; the
  // products are the sparse columns' (sparse_design.hpp's raw_times / raw_adjoint) plus the ones
  // column, and each fold's scaling comes from the sparse columns restricted to its training
  // rows (fold_scaling.hpp), so the folds' masking and on-the-fly standardization are the dense
  // X's.
  template <typename In>
  GlmBatchProblem(Backend& backend, SparseDesign<T> design, const In* response,
                  const std::vector<int>& row_fold, int fold_count, ops::Datafit datafit_kind,
                  bool standardize, bool with_intercept, const std::vector<double>& weights = {},
                  const std::vector<double>& offset = {})
      : be(backend), n(design.rows()), p(design.cols()), folds(fold_count), datafit(datafit_kind),
        intercept(with_intercept), weights_(normalized(weights)), offset_(offset),
        scaling(fold_scaling(design, row_fold, fold_count, with_intercept, standardize,
                             weights_)) {
    sparse_ = std::make_shared<const SparseDesign<T>>(std::move(design));
    load_response(response, row_fold);
  }

  // Rows split between ranks (src/distributed/): this rank's block of a dense X (X.rows rows; a
  // rank may hold none), its responses, weights (empty: unweighted, on every rank) and offsets
  // (empty: none); n_total the rows of every rank. The whole data only (no folds). `n` is then
  // this rank's rows; every sum over the rows (the scaling, the null models, Xaᵀ·R, the column
  // sums and the offset's dots) is summed over the ranks, so every rank holds the same
  // gradients, certificates and decisions. Newton's host steps are the Gram form's, summed over
  // the ranks (make_newton; beyond SplitRowsGlmNewton::max_features on a working set).
  template <typename In>
  GlmBatchProblem(Backend& backend, const Communicator& comm, Index n_total,
                  const MatrixView<In>& X, const In* response, ops::Datafit datafit_kind,
                  bool standardize, bool with_intercept, const std::vector<double>& weights,
                  const std::vector<double>& offset)
      : be(backend), n(X.rows), p(X.cols), folds(0), datafit(datafit_kind),
        intercept(with_intercept), comm_(&comm), n_total_(n_total),
        weights_(normalized(weights, &comm, n_total)), offset_(offset),
        scaling(detail::split_rows_scaling(comm, X, n_total, with_intercept, standardize,
                                           weights_)) {
    upload_design(X);
    load_response(response, {});
  }

  // the observations of the problem: every rank's rows together
  Index observations() const { return comm_ ? n_total_ : n; }

 private:
  // v ← Σ over the ranks (host, count values); nothing without ranks
  void sum_host(double* v, std::size_t count) const {
    if (comm_) comm_->sum(v, count);
  }

  template <typename In>
  void load_response(const In* response, const std::vector<int>& row_fold) {
    std::vector<T> host(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) host[std::size_t(i)] = static_cast<T>(response[i]);
    y = upload_vector(host);
    for (Index i = 0; i < n; ++i)
      host[std::size_t(i)] = folds > 0 ? static_cast<T>(row_fold[std::size_t(i)]) : T(0);
    row_fold_ = upload_vector(host);
    std::fill(host.begin(), host.end(), T(1));
    ones_ = upload_vector(host);
    ones_size_ = host.size();
    zeros_ = be.allocate(static_cast<std::size_t>(n));
    if (!weights_.empty()) row_weight_ = upload_vector(to_precision(weights_));
    if (!offset_.empty()) offset_dev_ = upload_vector(to_precision(offset_));
    double any_offset = offset_.empty() ? 0.0 : 1.0;
    if (comm_) comm_->max(&any_offset, 1);
    has_offset_ = any_offset > 0;
    S = upload_vector(to_precision(scaling.scale));
    Mu = upload_vector(to_precision(scaling.center));
    row_fold_host_ = folds > 0 ? row_fold : std::vector<int>(std::size_t(n), -1);
    compute_null_models(response, row_fold);
  }

  // E = [X 1]·Braw, dense or sparse
  void times_raw(const T* Braw, Index K, T* E) {
    if (sparse_) return sparse_times(Braw, K, E);
    // E = [X 1]·Braw   (GEMM, 2·n·(p+1)·K flops)
    be.gemm(false, false, n, K, p + 1, T(1), Xa_.data(), n, Braw, p + 1, T(0), E, n);
  }
  // E = [X 1]·Braw from the sparse columns (host buffers: the CPU backend).
  void sparse_times(const T* Braw, Index K, T* E) const {
    sparse_->raw_times(K, Braw, p + 1, E, n);
    for (Index k = 0; k < K; ++k)
      for (Index i = 0; i < n; ++i) E[i + k * n] += Braw[p + k * (p + 1)];
  }
  // Graw = [X 1]ᵀ·R from the sparse columns.
  void sparse_adjoint(const T* R, Index K, T* Graw) const {
    sparse_->raw_adjoint(K, R, n, Graw, p + 1);
    for (Index k = 0; k < K; ++k) {
      double sum = 0;
      for (Index i = 0; i < n; ++i) sum += double(R[i + k * n]);
      Graw[p + k * (p + 1)] = static_cast<T>(sum);
    }
  }

 public:
  // The training rows of fold f (−1: all), and the weight 1/W_f of their (weighted) mean loss,
  // W_f = Σ_train v_i (n_f unweighted).
  Index train_rows(int f) const { return scaling.train_rows[std::size_t(f + 1)]; }
  double weight(int f) const { return 1.0 / scaling.train_weight[std::size_t(f + 1)]; }
  // Σ v_i over fold f's held-out rows (their number unweighted): cv's fold size
  double test_weight(int f) const {
    return scaling.train_weight[0] - scaling.train_weight[std::size_t(f + 1)];
  }
  bool weighted() const { return !weights_.empty(); }
  // row i's observation weight as the problem keeps it (n·w_i/Σw; 1 unweighted), on the host
  double row_weight_host(Index i) const {
    return weights_.empty() ? 1.0 : weights_[std::size_t(i)];
  }
  // the observation weights on the backend, as glm_pointwise takes them (null: unweighted)
  const T* row_weight() const { return weights_.empty() ? nullptr : row_weight_.data(); }
  // the offset on the backend (null: none)
  const T* offset() const { return offset_.empty() ? nullptr : offset_dev_.data(); }

  // The intercept of the null model (β̃ = 0) of fold f on the standardized scale, and its mean
  // loss: the datafit's link of ȳ_f (ȳ_f itself, or its logit); 0 without an intercept.
  double null_intercept(int f) const { return null_intercept_[std::size_t(f + 1)]; }
  double null_loss(int f) const { return null_loss_[std::size_t(f + 1)]; }
  // the saturated model's mean loss on fold f's training rows (0 for 0/1 and gaussian data)
  double saturated_loss(int f) const { return saturated_loss_[std::size_t(f + 1)]; }
  // The response's scale on fold f's training rows: its 1/n standard deviation with an
  // intercept, its root mean square without (what glmnet divides a gaussian y by).
  double response_scale(int f) const { return response_scale_[std::size_t(f + 1)]; }

  // E = Xa·to_raw(B) + o·1ᵀ  for K columns with parameters `col` (5 × K): the linear
  // predictors. with_offset false: the linear map alone (the power iteration's).
  void linear_predictor(const T* B, Index K, const T* col, T* Braw, T* E,
                        bool with_offset = true) {
    be.to_raw(p, K, S.data(), Mu.data(), col, B, Braw);
    times_raw(Braw, K, E);
    if (with_offset) add_offset(K, E);
  }

  // E = Xa·Braw + o·1ᵀ for raw coefficients (p + 1 rows: the features', then the intercept)
  void predict_raw(const T* Braw, Index K, T* E) {
    times_raw(Braw, K, E);
    add_offset(K, E);
  }

  // an offset on some rank (with split rows, a rank without rows has none of its own)
  bool has_offset() const { return has_offset_; }

  // G = the standardized gradient of the residuals R (n × K, masked by glm_pointwise).
  void adjoint(const T* R, Index K, const T* col, T* Graw, T* G) {
    // Graw = [X 1]ᵀ·R   (GEMM, 2·n·(p+1)·K flops; sparse: 2·(nnz + n)·K)
    if (sparse_) sparse_adjoint(R, K, Graw);
    else be.gemm(true, false, p + 1, K, n, T(1), Xa_.data(), n, R, n, T(0), Graw, p + 1);
    rank_sums_(comm_, be, Graw, std::size_t((p + 1) * K));  // over every rank's rows
    be.from_raw_gradient(p, K, S.data(), Mu.data(), col, Graw, intercept, G);
  }

  // out[k] = Σ_i M[i,k]  (host, K values, in double)
  void column_sums(const T* M, Index K, double* out) {
    be.column_dots(n, K, M, n, ones_.data(), 0, out);
    sum_host(out, std::size_t(K));
  }

  // Per fold (index f + 1), the Lipschitz constant of the gradient of the mean loss in (β̃, β0):
  // the top eigenvalue of [X̃_f 1]ᵀ V [X̃_f 1]/W_f (V = diag(v) on the training rows; I/n_f
  // unweighted) by power iteration (the gaussian Hessian, through
  // the same masked maps with a zero response), times the datafit's curvature bound (¼ logistic).
  std::vector<double> lipschitz_per_fold() {
    const Index K = folds + 1, rows = p + 1;
    std::vector<T> col(static_cast<std::size_t>(K * ops::GlmColumn::count), T(0));
    for (Index f = -1; f < folds; ++f) {
      T* c = col.data() + (f + 1) * ops::GlmColumn::count;
      c[ops::GlmColumn::fold] = T(f);
      c[ops::GlmColumn::a] = c[ops::GlmColumn::b] = static_cast<T>(weight(int(f)));
      c[ops::GlmColumn::s] = T(1);
    }
    Buffer dcol = upload_vector(col);
    Buffer V = be.allocate(std::size_t(rows * K)), Braw = be.allocate(std::size_t(rows * K)),
           E = be.allocate(std::size_t(n * K)), R = be.allocate(std::size_t(n * K)),
           Graw = be.allocate(std::size_t(rows * K));
    std::vector<T> v(static_cast<std::size_t>(rows * K));
    for (Index e = 0; e < rows * K; ++e) v[std::size_t(e)] = T(1) + T(0.01) * T(e % 7);
    be.upload(V.data(), v.data(), v.size());
    std::vector<double> norm(static_cast<std::size_t>(K)), rho(static_cast<std::size_t>(K), 0.0),
        prev(static_cast<std::size_t>(K), -1.0);
    std::vector<T> norms(static_cast<std::size_t>(K));
    Buffer dnorms = be.allocate(static_cast<std::size_t>(K));
    for (int it = 0; it < 300; ++it) {
      // ‖A·v‖ per column, with ‖v‖ = 1 from the previous round (K values to the host)
      be.column_dots(rows, K, V.data(), rows, V.data(), rows, norm.data());
      for (Index k = 0; k < K; ++k) rho[std::size_t(k)] = std::sqrt(norm[std::size_t(k)]);
      bool settled = it > 2;
      for (Index k = 0; k < K; ++k)
        settled = settled && std::fabs(rho[std::size_t(k)] - prev[std::size_t(k)]) <=
                                 1e-4 * rho[std::size_t(k)];
      if (settled) break;
      prev = rho;
      // V ← V / ‖V‖ per column, on the backend (K values up, not the block down and up)
      for (Index k = 0; k < K; ++k) norms[std::size_t(k)] = static_cast<T>(rho[std::size_t(k)]);
      be.upload(dnorms.data(), norms.data(), norms.size());
      be.divide_columns(rows, K, V.data(), rows, dnorms.data());
      // V ← A·V,  A = [X̃_f 1]ᵀ diag(v∘train_f) [X̃_f 1] / W_f   (4 passes: to_raw, GEMM, mask,
      // GEMM)
      linear_predictor(V.data(), K, dcol.data(), Braw.data(), E.data(), false);
      be.glm_pointwise(ops::GlmOp::residual, ops::Datafit::quadratic, n, K, E.data(),
                       zeros_.data(), row_fold_.data(), dcol.data(), R.data(), row_weight());
      adjoint(R.data(), K, dcol.data(), Graw.data(), V.data());
    }
    const ops::DatafitTraits traits = ops::datafit_traits(datafit);
    const double curvature =
        traits.curvature * (traits.curvature_scales_with_response ? max_response_ : 1.0);
    std::vector<double> L(static_cast<std::size_t>(K));
    for (Index k = 0; k < K; ++k) {
      const double top = rho[std::size_t(k)] > 0 ? 1.02 * rho[std::size_t(k)] : 1.0;
      L[std::size_t(k)] = curvature * top;
    }
    return L;
  }

  // glmnet's limits on the raw coefficients (p values each, lower ≤ 0 ≤ upper; both empty:
  // none) as the penalty's bounds on each fold's standardized scale, β̃_j = β_j / S_jf (groups:
  // the whole data, then fold f at f + 1); kept raw for the host Newton step.
  void assign_bounds(const std::vector<double>& lower, const std::vector<double>& upper) {
    lower_raw = lower;
    upper_raw = upper;
    if (lower.empty()) return;
    const std::size_t up = static_cast<std::size_t>(p), groups = std::size_t(folds + 1);
    std::vector<double> lo(up * groups), hi(up * groups);
    for (std::size_t g = 0; g < groups; ++g)
      for (std::size_t j = 0; j < up; ++j) {
        const double s = scaling.scale[j + g * up];
        lo[j + g * up] = s > 0 ? lower[j] / s : 0.0;
        hi[j + g * up] = s > 0 ? upper[j] / s : 0.0;
      }
    penalty.assign_bounds(be, p, std::move(lo), std::move(hi));
  }

  // The null models with unpenalized features (penalty factor 0; call after
  // penalty.assign_factors): per fold, the unpenalized GLM of the intercept and those features
  // alone (with the offset and the weights), glmnet's null model there — λ_max is taken at it
  // and the path starts from it. Newton's method (glm_newton_polish.hpp with every factor 0 and
  // λ = 0: IRLS, each step's weighted least squares solved exactly) on the host, in double, on
  // a copy of those columns only. Without unpenalized features: nothing to fit (null_start is
  // the intercept-only model of compute_null_models). The deviance ratio's null deviance stays
  // the intercept-only model's, as glmnet's.
  void fit_unpenalized_null_models() {
    null_start_.clear();
    std::vector<Index> free;
    for (Index j = 0; j < p; ++j)
      if (penalty.w(j) == 0) free.push_back(j);
    if (free.empty()) return;
    const std::size_t k = free.size(), groups = std::size_t(folds + 1), up = std::size_t(p);
    FoldScaling sub;  // their columns of each fold's scaling
    sub.p = Index(k);
    sub.folds = folds;
    sub.train_rows = scaling.train_rows;
    sub.train_weight = scaling.train_weight;
    sub.scale.resize(k * groups);
    sub.center.resize(k * groups);
    for (std::size_t g = 0; g < groups; ++g)
      for (std::size_t a = 0; a < k; ++a) {
        sub.scale[a + g * k] = scaling.scale[std::size_t(free[a]) + g * up];
        sub.center[a + g * k] = scaling.center[std::size_t(free[a]) + g * up];
      }
    const std::unique_ptr<GlmNewtonMethod> newton = make_newton(free, &sub);
    newton->set_penalty_factors(std::vector<double>(k, 0.0));
    null_start_.assign(groups, std::vector<double>(up + 1, 0.0));
    for (int f = -1; f < folds; ++f) {
      std::vector<double> start(k + 1, 0.0);
      start[k] = null_intercept(f);
      GlmNewtonPolish::Column column;
      column.fold = f;
      column.lambda = 0;
      const GlmNewtonPolish::Result res = newton->solve(column, start, 1e-13, 200);
      std::vector<double>& b = null_start_[std::size_t(f + 1)];
      for (std::size_t a = 0; a < k; ++a) b[std::size_t(free[a])] = res.beta[a];
      b[up] = res.beta[k];
      if (!std::isfinite(res.objective) ||
          !std::all_of(b.begin(), b.end(), [](double v) { return std::isfinite(v); }))
        throw std::invalid_argument(
            "invalid penalty_factors: the null model of the intercept and the unpenalized "
            "features (factor 0) has no finite fit" +
            (f < 0 ? std::string() : " on the training rows of fold " + std::to_string(f + 1)));
    }
  }

  // The null model of fold f (p + 1 values, standardized: β̃, then β0): every penalized
  // coefficient 0, the unpenalized ones (fit_unpenalized_null_models) and the intercept fitted.
  std::vector<double> null_start(int f) const {
    if (!null_start_.empty()) return null_start_[std::size_t(f + 1)];
    std::vector<double> b(std::size_t(p + 1), 0.0);
    b[std::size_t(p)] = null_intercept(f);
    return b;
  }

  // glmnet's λ_max of fold f for mixing α: max_j |g̃_j|/w_j / max(α, 10⁻³) over the penalized
  // features (w_j > 0, the penalty factors) at the null model (null_start), the smallest λ
  // whose solution has every penalized β̃_j = 0.
  std::vector<double> lambda_max_per_fold(double alpha) {
    const Index K = folds + 1, rows = p + 1;
    std::vector<T> col(static_cast<std::size_t>(K * ops::GlmColumn::count), T(0)), B(static_cast<std::size_t>(rows * K), T(0));
    for (Index f = -1; f < folds; ++f) {
      T* c = col.data() + (f + 1) * ops::GlmColumn::count;
      c[ops::GlmColumn::fold] = T(f);
      c[ops::GlmColumn::a] = c[ops::GlmColumn::b] = static_cast<T>(weight(int(f)));
      c[ops::GlmColumn::s] = T(1);
      const std::vector<double> start = null_start(int(f));
      std::copy(start.begin(), start.end(), B.begin() + std::ptrdiff_t((f + 1) * rows));
    }
    Buffer dcol = upload_vector(col), dB = upload_vector(B);
    Buffer Braw = be.allocate(std::size_t(rows * K)), E = be.allocate(std::size_t(n * K)),
           R = be.allocate(std::size_t(n * K)), Graw = be.allocate(std::size_t(rows * K)),
           G = be.allocate(std::size_t(rows * K));
    linear_predictor(dB.data(), K, dcol.data(), Braw.data(), E.data());
    be.glm_pointwise(ops::GlmOp::residual, datafit, n, K, E.data(), y.data(), row_fold_.data(),
                     dcol.data(), R.data(), row_weight());
    adjoint(R.data(), K, dcol.data(), Graw.data(), G.data());
    std::vector<T> g(static_cast<std::size_t>(rows * K));
    be.download(g.data(), G.data(), g.size());
    std::vector<double> out(static_cast<std::size_t>(K), 0.0);
    for (Index k = 0; k < K; ++k)
      for (Index j = 0; j < p; ++j)
        if (penalty.w(j) > 0)
          out[std::size_t(k)] = std::max(
              out[std::size_t(k)], std::fabs(double(g[std::size_t(j + k * rows)])) / penalty.w(j));
    for (double& v : out) v /= std::max(alpha, 1e-3);
    return out;
  }

  Buffer upload_vector(const std::vector<T>& host) {
    Buffer b = be.allocate(host.size());
    be.upload(b.data(), host.data(), host.size());
    return b;
  }

  const T* row_fold() const { return row_fold_.data(); }

  // What host_data() copies of X: nnz for a sparse X, else n·p.
  // With split rows the same on every rank (so that all take Newton or none): 0 (each rank
  // copies only its rows; beyond SplitRowsGlmNewton::max_features it works on a working set).
  double host_elements() const {
    if (comm_) return 0.0;
    return sparse_ ? double(sparse_->nnz()) : double(n) * double(p);
  }

  // The host proximal-Newton method of this problem's columns (glm_newton_polish.hpp, on every
  // row here; with split rows distributed/split_rows_newton.hpp's, its sums over the ranks), on
  // the columns `columns` alone (all: empty) with their scaling `sub` (null: the problem's).
  std::unique_ptr<GlmNewtonMethod> make_newton(const std::vector<Index>& columns = {},
                                               const FoldScaling* sub = nullptr) {
    const FoldScaling& s = sub ? *sub : scaling;
    if (comm_)
      return std::make_unique<SplitRowsGlmNewton>(*comm_, host_data(columns), s, datafit,
                                                  intercept);
    return std::make_unique<GlmNewtonPolish>(host_data(columns), s, datafit, intercept);
  }

  // X (without the ones column; or its `columns` alone, in that order), y and the row folds on
  // the host in double, downloaded from the backend (n·(p + 2) values, column by column; a
  // sparse X as its CSC entries, nnz values and indices): for the host-side Newton solves
  // (glm_newton_polish.hpp), only when a column needs them, and the unpenalized features' null
  // models.
  GlmHostData host_data(const std::vector<Index>& columns = {}) {
    GlmHostData h;
    h.n = n;
    h.p = columns.empty() ? p : Index(columns.size());
    if (sparse_) {
      h.col_ptr.assign(std::size_t(h.p + 1), 0);
      for (Index a = 0; a < h.p; ++a) {
        const Index j = columns.empty() ? a : columns[std::size_t(a)];
        sparse_->for_each_in_column(j, [&](Index i, double x) {
          h.row_idx.push_back(i);
          h.values.push_back(x);
        });
        h.col_ptr[std::size_t(a + 1)] = Index(h.row_idx.size());
      }
    } else {
      h.X.resize(static_cast<std::size_t>(n * h.p));
    }
    std::vector<T> col(static_cast<std::size_t>(n));
    for (Index a = 0; a < h.p && !sparse_; ++a) {
      const Index j = columns.empty() ? a : columns[std::size_t(a)];
      be.download(col.data(), Xa_.data() + j * n, col.size());
      std::copy(col.begin(), col.end(), h.X.begin() + std::ptrdiff_t(a * n));
    }
    be.download(col.data(), y.data(), col.size());
    h.y.assign(col.begin(), col.end());
    if (folds > 0) {
      be.download(col.data(), row_fold_.data(), col.size());
      h.row_fold.resize(col.size());
      for (std::size_t i = 0; i < col.size(); ++i) h.row_fold[i] = static_cast<int>(col[i]);
    }
    h.weight = weights_;
    h.offset = offset_;
    be.synchronize();
    return h;
  }

  Backend& be;
  Index n, p;
  int folds;
  ops::Datafit datafit;
  bool intercept;

 private:
  const Communicator* comm_ = nullptr;  // the ranks sharing the rows (none: all rows here)
  Index n_total_ = 0;                    // every rank's rows (comm_ set)
  std::vector<double> weights_;  // n·w_i/Σw (empty: unweighted); before `scaling`, which uses it
  std::vector<double> offset_;   // o_i (empty: none)

 public:
  FoldScaling scaling;
  Buffer y, S, Mu;  // S, Mu: p × (F+1), scaling.scale / scaling.center in T
  ProblemPenalty<Backend> penalty;  // factors and bounds (none unless assigned)
  std::vector<double> lower_raw, upper_raw;  // the bounds as given (empty: none)

 private:
  static std::vector<T> to_precision(const std::vector<double>& v) {
    return std::vector<T>(v.begin(), v.end());
  }

  // n·w_i/Σw, n and Σw over every rank's rows with split rows (comm, n_total)
  static std::vector<double> normalized(const std::vector<double>& w,
                                        const Communicator* comm = nullptr, Index n_total = 0) {
    double sum = 0;
    for (const double v : w) sum += v;
    if (comm) comm->sum(&sum, 1);
    const double rows = comm ? double(n_total) : double(w.size());
    std::vector<double> out(w.size());
    for (std::size_t i = 0; i < w.size(); ++i) out[i] = rows * (w[i] / sum);
    return out;
  }

  // E += o·1ᵀ  (a rank-1 GEMM, 2·n·K flops; nothing without an offset). The ones come from a
  // buffer of max(n, K) ones, grown (once per larger K) outside the solver's iterations: its
  // largest K is its first.
  void add_offset(Index K, T* E) {
    if (offset_.empty()) return;
    if (std::size_t(K) > ones_size_) {
      ones_size_ = std::size_t(K);
      ones_ = upload_vector(std::vector<T>(ones_size_, T(1)));
    }
    be.gemm(false, false, n, K, 1, T(1), offset_dev_.data(), n, ones_.data(), 1, T(1), E, n);
  }

  template <typename In>
  void upload_design(const MatrixView<In>& X) {
    Xa_ = be.allocate(static_cast<std::size_t>(n * (p + 1)));
    std::vector<T> col(static_cast<std::size_t>(n));
    for (Index j = 0; j < p; ++j) {  // column by column: no second n×p host copy
      for (Index i = 0; i < n; ++i) col[std::size_t(i)] = static_cast<T>(X(i, j));
      be.upload(Xa_.data() + j * n, col.data(), col.size());
    }
    std::fill(col.begin(), col.end(), T(1));
    be.upload(Xa_.data() + p * n, col.data(), col.size());
  }

  // ȳ_f on each fold's training rows (weighted: Σ v_i y_i / W_f), the null intercept and the
  // null mean loss (host, double).
  template <typename In>
  void compute_null_models(const In* response, const std::vector<int>& row_fold) {
    const auto cols = std::size_t(folds + 1);
    std::vector<double> sum(cols, 0.0);
    for (Index i = 0; i < n; ++i) {
      const double v = weights_.empty() ? double(response[i])
                                        : weights_[std::size_t(i)] * double(response[i]);
      sum[0] += v;
      if (folds > 0) sum[std::size_t(row_fold[std::size_t(i)] + 1)] += v;
    }
    sum_host(sum.data(), sum.size());
    null_intercept_.assign(cols, 0.0);
    null_loss_.assign(cols, 0.0);
    saturated_loss_.assign(cols, 0.0);
    max_response_ = 0;
    for (Index i = 0; i < n; ++i) max_response_ = std::max(max_response_, double(response[i]));
    if (comm_) comm_->max(&max_response_, 1);
    if (!(max_response_ > 0)) max_response_ = 1;
    std::vector<double> fold_mean(cols, 0.0);
    for (int f = -1; f < folds; ++f) {
      const auto c = std::size_t(f + 1);
      const double in_fold = f < 0 ? 0.0 : sum[c];
      const double mean = (sum[0] - in_fold) * weight(f);
      if (intercept && !ops::datafit_has_null_model(datafit, mean)) {
        const bool counts = ops::datafit_traits(datafit).proportional_dual;
        throw std::invalid_argument(
            counts ? (f < 0 ? std::string("invalid y: a count response needs a positive count; "
                                          "every value is 0")
                            : "fold " + std::to_string(f + 1) + ": its training rows (all rows "
                              "outside the fold) are all 0; choose other folds")
            : f < 0 ? "invalid y: a 0/1 response needs both classes, 0 and 1; every value is " +
                          std::to_string(int(mean))
                    : "fold " + std::to_string(f + 1) + ": its training rows (all rows outside "
                      "the fold) hold only class " + std::to_string(int(mean)) +
                      "; choose other folds");
      }
      null_intercept_[c] = intercept ? ops::datafit_link(datafit, mean) : 0.0;
      fold_mean[c] = mean;
      if (intercept && has_offset_) null_intercept_[c] = offset_null_intercept(f, response);
    }
    // the null mean loss Σ_train v_i f(β0_null; y_i) / W_f, and Σ_train v_i (y_i − centre)² / W_f
    response_scale_.assign(cols, 0.0);
    for (Index i = 0; i < n; ++i) {
      const double v = double(response[i]), vi = row_weight_host(i);
      if (!(vi > 0)) continue;
      for (int f = -1; f < folds; ++f) {
        if (f >= 0 && row_fold[std::size_t(i)] == f) continue;
        const auto c = std::size_t(f + 1);
        const double centred = v - (intercept ? fold_mean[c] : 0.0);
        const double eta0 =
            null_intercept_[c] + (offset_.empty() ? 0.0 : offset_[std::size_t(i)]);
        if (weights_.empty()) {
          null_loss_[c] += ops::datafit_loss(datafit, eta0, v);
          saturated_loss_[c] += ops::datafit_saturated_loss(datafit, v);
          response_scale_[c] += centred * centred;
        } else {
          null_loss_[c] += vi * ops::datafit_loss(datafit, eta0, v);
          saturated_loss_[c] += vi * ops::datafit_saturated_loss(datafit, v);
          response_scale_[c] += vi * centred * centred;
        }
      }
    }
    sum_host(null_loss_.data(), cols);
    sum_host(saturated_loss_.data(), cols);
    sum_host(response_scale_.data(), cols);
    for (int f = -1; f < folds; ++f) {
      null_loss_[std::size_t(f + 1)] *= weight(f);
      saturated_loss_[std::size_t(f + 1)] *= weight(f);
      response_scale_[std::size_t(f + 1)] = std::sqrt(response_scale_[std::size_t(f + 1)] * weight(f));
    }
  }

  // The null model's intercept with the offset on fold f's training rows: the root of
  // Σ_train v_i (μ(β0 + o_i) − y_i) = 0 by Newton's method from the link of ȳ_f (glmnet's
  // intercept-only fit with offset; poisson's root is log(Σ v y / Σ v e^o), reached in a step
  // or two, gaussian's ȳ − ō in one). 100 steps at most; each halved until |score| decreases.
  template <typename In>
  double offset_null_intercept(int f, const In* response) const {
    auto score = [&](double b, double* curvature) {
      double g = 0, h = 0;
      for (Index i = 0; i < n; ++i) {
        if (f >= 0 && scaling_fold(i) == f) continue;
        const double vi = row_weight_host(i);
        const double mu = ops::datafit_mean(datafit, b + offset_[std::size_t(i)]);
        g += vi * (mu - double(response[i]));
        h += vi * ops::datafit_irls_weight(datafit, mu);
      }
      double both[2] = {g, h};
      sum_host(both, 2);  // over every rank's rows
      if (curvature) *curvature = both[1];
      return both[0];
    };
    double b = null_intercept_[std::size_t(f + 1)], h = 0, g = score(b, &h);
    for (int it = 0; it < 100 && std::fabs(g) > 1e-13 * double(observations()) && h > 0;
         ++it) {
      double step = g / h, next = b - step, gn = score(next, nullptr);
      for (int half = 0; half < 50 && !(std::fabs(gn) < std::fabs(g)); ++half) {
        step *= 0.5;
        next = b - step;
        gn = score(next, nullptr);
      }
      if (!(std::fabs(gn) < std::fabs(g))) break;
      b = next;
      g = score(b, &h);
    }
    return b;
  }
  int scaling_fold(Index i) const { return row_fold_host_[std::size_t(i)]; }

  // Xa_ stays empty for a sparse X
  Buffer Xa_, row_fold_, ones_, zeros_, row_weight_, offset_dev_;
  std::vector<int> row_fold_host_;  // each row's fold (−1 without folds): the null model's
  std::size_t ones_size_ = 0;
  bool has_offset_ = false;  // !offset_.empty() on some rank
  detail::RankSums<Backend> rank_sums_;  // adjoint's host staging with split rows
  std::shared_ptr<const SparseDesign<T>> sparse_;  // a sparse X (host, CPU backend only)
  std::vector<double> null_intercept_, null_loss_, saturated_loss_, response_scale_;
  // per fold, the null model with the unpenalized features (empty: none; null_start)
  std::vector<std::vector<double>> null_start_;
  double max_response_ = 1;  // the largest response (a curvature scale: poisson)
};

}  // namespace regpath
