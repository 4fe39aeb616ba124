// The gaussian problem on a backend: X standardized glmnet's way, y centred, the unpenalized
// features partialled out (unpenalized.hpp), c = X̃ᵀỹ/n, the Gram matrix H = X̃ᵀX̃/n when n > 2p,
// and the Lipschitz constant of the gradient.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <memory>

#include "core/design/sparse_design.hpp"
#include "core/design/unpenalized.hpp"
#include "core/path/lambda_grid.hpp"
#include "core/penalty/problem_penalty.hpp"
#include "distributed/rank_sums.hpp"
#include "regpath/distributed.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

// An upper estimate of the largest eigenvalue of a symmetric PSD operator of dimension m, by
// power iteration on the Rayleigh quotient (at most max_iter steps, until it changes by less than
// rel_tol), with a 2% margin because the quotient approaches it from below. apply(u, w, s) sets
// w = s·A·u. A zero operator gives 1: any step works when the gradient does not change.
template <class Backend, class Apply>
double top_eigenvalue(Backend& be, std::int64_t m, int max_iter, double rel_tol, Apply apply) {
  using T = typename Backend::value_type;
  auto u = be.allocate(static_cast<std::size_t>(m));
  auto w = be.allocate(static_cast<std::size_t>(m));
  std::vector<T> start(static_cast<std::size_t>(m));
  std::uint64_t state = 0x9E3779B97F4A7C15ull;  // fixed seed: reproducible steps
  for (auto& v : start) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    v = static_cast<T>(0.5 + double(state >> 11) / double(1ull << 53));
  }
  be.upload(u.data(), start.data(), start.size());
  double uu = 0, rho = 0, previous = -1;
  be.column_dots(m, 1, u.data(), m, u.data(), m, &uu);
  for (int it = 0; it < max_iter && uu > 0; ++it) {
    apply(u.data(), w.data(), static_cast<T>(1.0 / std::sqrt(uu)));
    double uw = 0;
    be.column_dots(m, 1, u.data(), m, w.data(), m, &uw);
    rho = uw / std::sqrt(uu);
    std::swap(u, w);
    be.column_dots(m, 1, u.data(), m, u.data(), m, &uu);
    if (std::fabs(rho - previous) <= rel_tol * rho) break;
    previous = rho;
  }
  return rho > 0 ? 1.02 * rho : 1.0;
}

// X (rows × cols, column-major, leading dimension ld ≥ rows) and y (rows) that already live in a
// backend's memory, in its precision T; read only.
template <typename T>
struct ResidentData {
  const T* X = nullptr;
  std::int64_t rows = 0, cols = 0, ld = 0;
  const T* y = nullptr;
};

template <class Backend>
class GaussianProblem {
 public:
  using T = typename Backend::value_type;
  using Buffer = typename Backend::Buffer;
  using Index = std::int64_t;

  // From host memory; the input may be of another precision than T. `unpenalized`: the
  // features without a penalty (glmnet's penalty.factor 0), partialled out.
  template <typename In>
  GaussianProblem(Backend& backend, const MatrixView<In>& X, const In* response, bool standardize,
                  bool with_intercept, const std::vector<Index>& unpenalized_features = {})
      : be(backend), n(X.rows), p(X.cols), intercept(with_intercept) {
    center_y(response);
    upload_columns(X);
    standardize_columns(standardize);
    partial(unpenalized_features);
    finish();
  }

  // From the backend's own memory (device pointers on a GPU backend), in its precision: X is
  // copied within the backend, ỹ and yy are computed there; only scalars reach the host.
  GaussianProblem(Backend& backend, const ResidentData<T>& data, bool standardize,
                  bool with_intercept, const std::vector<Index>& unpenalized_features = {})
      : be(backend), n(data.rows), p(data.cols), intercept(with_intercept) {
    copy_resident_columns(data);
    center_resident_y(data.y);
    standardize_columns(standardize);
    partial(unpenalized_features);
    finish();
  }

  // From a sparse CSC design (host memory, CPU backend only: its products run on the host
  // buffers): X̃ is never formed (sparse_design.hpp), nor is the unpenalized features' partial
  // (a rank-k correction inside its products).
  template <typename In>
  GaussianProblem(Backend& backend, SparseDesign<T> design, const In* response, bool standardize,
                  bool with_intercept, const std::vector<Index>& unpenalized_features = {})
      : be(backend), n(design.rows()), p(design.cols()), intercept(with_intercept) {
    center_y(response);
    auto own = std::make_shared<SparseDesign<T>>(std::move(design));
    mean.assign(static_cast<std::size_t>(p), 0.0);
    scale.assign(static_cast<std::size_t>(p), 0.0);
    own->standardize(intercept, standardize, mean.data(), scale.data());
    check_moments();
    yy_null = yy;
    if (!unpenalized_features.empty()) {
      unpenalized = own->partial_out(unpenalized_features, y.data());  // host memory (CPU)
      if (!unpenalized.empty()) {
        be.column_dots(n, 1, y.data(), n, y.data(), n, &yy);  // ‖Pỹ‖², in double
        yy /= double(n);
      }
    }
    sparse_ = std::move(own);
    finish();
  }

  // Rows split between ranks (src/distributed/): this rank's block of X̃ and ỹ (rows × p and
  // rows values, standardized with the moments of every rank's rows), n every rank's rows
  // together. Every product over the rows (X̃ᵀ·R, ‖x̃_j‖², H) is summed over the ranks
  // (sum_over_ranks), so every rank holds the same c, H, gradients and decisions.
  struct SplitRows {
    const Communicator* comm = nullptr;
    Index n = 0;                      // observations, every rank's together
    double y_mean = 0, yy = 0;        // ȳ (0 without an intercept), ỹᵀỹ/n
    std::vector<double> mean, scale;  // per column, as standardize_columns gives them
  };
  GaussianProblem(Backend& backend, const SplitRows& split, const std::vector<T>& X_rows,
                  const std::vector<T>& y_rows, bool with_intercept,
                  const std::vector<Index>& unpenalized_features = {})
      : be(backend), n(split.n), p(Index(split.mean.size())), intercept(with_intercept) {
    rows = Index(y_rows.size());
    comm_ = split.comm;
    y_mean = split.y_mean;
    yy = yy_null = split.yy;
    mean = split.mean;
    scale = split.scale;
    y = be.allocate(y_rows.size());
    be.upload(y.data(), y_rows.data(), y_rows.size());
    X_ = be.allocate(X_rows.size());
    be.upload(X_.data(), X_rows.data(), X_rows.size());
    partial(unpenalized_features);
    finish();
  }

  // M ← Σ over the ranks of M (count values in backend memory, summed in double) when the rows
  // are split between ranks; nothing otherwise. A product over this rank's rows becomes the
  // product over all rows.
  void sum_over_ranks(T* M, Index count) {
    rank_sums_(comm_, be, M, static_cast<std::size_t>(count));
  }

  // glmnet's limits on the raw coefficients (p values each, lower ≤ 0 ≤ upper; both empty:
  // none) as the penalty's bounds on the standardized ones: β̃_j = β_j·scale_j (glmnet's cl·xs).
  void assign_bounds(const std::vector<double>& lower, const std::vector<double>& upper) {
    if (lower.empty()) return;
    std::vector<double> lo(lower.size()), hi(upper.size());
    for (std::size_t j = 0; j < lo.size(); ++j) {
      lo[j] = scale[j] > 0 ? lower[j] * scale[j] : 0.0;
      hi[j] = scale[j] > 0 ? upper[j] * scale[j] : 0.0;
    }
    penalty.assign_bounds(be, p, std::move(lo), std::move(hi));
  }

  double lambda_max(double alpha) const {
    return lambda_max_from_correlations(c_host.data(), p, alpha,
                                        penalty.uniform() ? nullptr : penalty.factors().data());
  }
  const T* x() const { return X_.data(); }  // X̃, n × p (direct form, dense X only)
  bool sparse() const { return sparse_ != nullptr; }
  const SparseDesign<T>* sparse_design() const { return sparse_.get(); }  // null: dense X
  bool distributed() const { return comm_ != nullptr; }  // rows split between ranks

  // The direct form's products with X̃, dense (the backend's GEMMs) or sparse (sparse_design.hpp).
  // The products are over the rows held here (`rows`: n unless they are split between ranks).
  // G = s·X̃ᵀ·R for K columns of R (rows × K, leading dimension rows) into G (p × K, leading
  // dimension p), summed over the ranks.
  void xt_times(Index K, T s, const T* R, T* G) {
    if (sparse_) return sparse_->xt_times(K, s, R, n, G, p);
    columns_t_times(p, K, s, X_.data(), R, G);
  }
  // G = s·Aᵀ·R for m columns A (rows × m: gathered from X̃) and K columns of R (rows × K) into
  // G (m × K), summed over the ranks.
  void columns_t_times(Index m, Index K, T s, const T* A, const T* R, T* G) {
    be.gemm(true, false, m, K, rows, s, A, rows, R, rows, T(0), G, m);
    sum_over_ranks(G, m * K);
  }
  // R = a·X̃·B + beta·R for K columns of B (p × K) into R (rows × K).
  void x_times(Index K, T a, const T* B, T beta, T* R) {
    if (sparse_) return sparse_->x_times(K, a, B, p, beta, R, n);
    be.gemm(false, false, rows, K, p, a, X_.data(), rows, B, p, beta, R, rows);
  }
  // A working set's products on a sparse X̃, its columns kept sparse (sparse_design.hpp):
  // G = s·X̃_Wᵀ·R (|W| × K) and R = a·X̃_W·B_W + beta·R, W = idx.
  void sparse_columns_t_times(const std::vector<Index>& idx, Index K, T s, const T* R, T* G) {
    sparse_->xt_times_columns(idx.data(), Index(idx.size()), K, s, R, n, G, Index(idx.size()));
  }
  void sparse_columns_times(const std::vector<Index>& idx, Index K, T a, const T* B, T beta,
                            T* R) {
    sparse_->x_times_columns(idx.data(), Index(idx.size()), K, a, B, Index(idx.size()), beta, R,
                             n);
  }
  // The columns x̃_j of idx, dense, into out (rows × |idx|).
  void gather_x_columns(const std::vector<Index>& idx, T* out) {
    if (sparse_) return sparse_->gather_columns(idx, out);
    be.gather_columns(rows, X_.data(), rows, idx, out);
  }

  // G = ∇f(B) = X̃ᵀ(X̃·B − ỹ·1ᵀ)/n for K columns of B (p × K), R a rows × K workspace.
  void gradient(const T* B, Index K, T* G, T* R) {
    if (gram_form) {
      // G = H·B − c·1ᵀ   (one GEMM, 2·p²·K flops)
      be.fill_columns(p, K, G, p, c.data(), T(-1));
      be.gemm(false, false, p, K, p, T(1), H.data(), p, B, p, T(1), G, p);
    } else {
      // R = X̃·B − ỹ·1ᵀ   (GEMM, 2·n·p·K flops; sparse: 2·(nnz + n)·K)
      be.fill_columns(rows, K, R, rows, y.data(), T(-1));
      x_times(K, T(1), B, T(1), R);
      // G = X̃ᵀ·R/n   (GEMM, 2·n·p·K flops; sparse: 2·(nnz + n)·K)
      xt_times(K, T(1) / T(n), R, G);
    }
  }

  Backend& be;
  Index n, p;
  Index rows = n;  // rows of X̃ and ỹ held here: n, or this rank's share (comm_ set)
  bool intercept;
  bool gram_form = false;
  double y_mean = 0;               // subtracted from y (0 without an intercept)
  double yy = 0;                   // ỹᵀỹ/n (ỹ with the unpenalized features partialled out)
  double yy_null = 0;              // ... before: the intercept-only model's RSS/n
  std::vector<double> mean, scale; // per column: subtracted, divided by (0: constant column)
  std::vector<double> c_host;      // c on the host, in double
  std::vector<double> diag_host;   // H's diagonal, ‖x̃_j‖²/n (1, or 0 for a constant column)
  double lipschitz = 1;            // ≥ the largest eigenvalue of X̃ᵀX̃/n
  Buffer y, c, H;                  // ỹ (n), c (p), H (p × p, Gram form only)
  ProblemPenalty<Backend> penalty; // factors and bounds (none unless assigned)
  Unpenalized unpenalized;         // the features partialled out, and how to recover them

 private:
  template <typename In>
  void center_y(const In* yin) {
    if (intercept) {
      for (Index i = 0; i < n; ++i) y_mean += double(yin[i]);
      y_mean /= double(n);
    }
    std::vector<T> yc(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) {
      const double v = double(yin[i]) - y_mean;
      yc[static_cast<std::size_t>(i)] = static_cast<T>(v);
      yy += v * v;
    }
    yy /= double(n);
    // Squares of values beyond ~1e154 overflow: say so rather than return NaN.
    for (Index i = 0; i < n && std::isfinite(yy); ++i)
      if (!std::isfinite(double(yc[static_cast<std::size_t>(i)]))) yy = HUGE_VAL;
    if (!std::isfinite(yy))
      throw std::invalid_argument(
          "invalid y: its values are too large in magnitude for the chosen precision (their "
          "squares overflow); rescale the response");
    y = be.allocate(static_cast<std::size_t>(n));
    be.upload(y.data(), yc.data(), yc.size());
  }

  template <typename In>
  void upload_columns(const MatrixView<In>& X) {
    X_ = be.allocate(static_cast<std::size_t>(n * p));
    std::vector<T> col(static_cast<std::size_t>(n));
    for (Index j = 0; j < p; ++j) {  // column by column: no second n×p host copy
      for (Index i = 0; i < n; ++i) col[static_cast<std::size_t>(i)] = static_cast<T>(X(i, j));
      be.upload(X_.data() + j * n, col.data(), col.size());
    }
  }

  // K columns of M (leading dimension ldm): the first one holding a NaN or an infinity, or −1.
  // 0·v is NaN exactly when v is not finite, so Σ_i M[i,k]·0 flags column k (no overflow).
  Index first_nonfinite_column(const T* M, Index ldm, Index K) {
    Buffer zeros = be.allocate(static_cast<std::size_t>(n));  // zero-filled
    std::vector<double> flags(static_cast<std::size_t>(K));
    be.column_dots(n, K, M, ldm, zeros.data(), 0, flags.data());
    for (Index k = 0; k < K; ++k)
      if (!std::isfinite(flags[static_cast<std::size_t>(k)])) return k;
    return -1;
  }

  void copy_resident_columns(const ResidentData<T>& data) {
    X_ = be.allocate(static_cast<std::size_t>(n * p));
    if (data.ld == n) {
      be.copy(X_.data(), data.X, static_cast<std::size_t>(n * p));
    } else {
      for (Index j = 0; j < p; ++j)
        be.copy(X_.data() + j * n, data.X + j * data.ld, static_cast<std::size_t>(n));
    }
    const Index bad = first_nonfinite_column(X_.data(), n, p);
    if (bad >= 0)
      throw std::invalid_argument("invalid X: column " + std::to_string(bad + 1) +
                                  " holds a non-finite value (NaN or infinity)");
  }

  void center_resident_y(const T* yin) {
    y = be.allocate(static_cast<std::size_t>(n));
    be.copy(y.data(), yin, static_cast<std::size_t>(n));
    if (first_nonfinite_column(y.data(), n, 1) >= 0)
      throw std::invalid_argument("invalid y: it holds a non-finite value (NaN or infinity)");
    if (intercept) {
      Buffer ones = be.allocate(static_cast<std::size_t>(n));
      const std::vector<T> host_ones(static_cast<std::size_t>(n), T(1));
      be.upload(ones.data(), host_ones.data(), host_ones.size());
      double sum = 0;
      be.column_dots(n, 1, y.data(), n, ones.data(), n, &sum);  // Σy, in double
      y_mean = sum / double(n);
      // ỹ = y − ȳ·1   (a rank-1 GEMM: 1 (n × 1) times −ȳ·1 (1 × 1), added to y)
      be.gemm(false, false, n, 1, 1, static_cast<T>(-y_mean), ones.data(), n, ones.data(), 1,
              T(1), y.data(), n);
    }
    be.column_dots(n, 1, y.data(), n, y.data(), n, &yy);  // ỹᵀỹ, in double
    yy /= double(n);
    if (!std::isfinite(yy))
      throw std::invalid_argument(
          "invalid y: its values are too large in magnitude for the chosen precision (their "
          "squares overflow); rescale the response");
  }

  void standardize_columns(bool standardize) {
    mean.assign(static_cast<std::size_t>(p), 0.0);
    scale.assign(static_cast<std::size_t>(p), 0.0);
    be.standardize(n, p, X_.data(), n, intercept, standardize, mean.data(), scale.data());
    check_moments();
  }

  void check_moments() const {
    for (Index j = 0; j < p; ++j)
      if (!std::isfinite(mean[static_cast<std::size_t>(j)]) ||
          !std::isfinite(scale[static_cast<std::size_t>(j)]))
        throw std::invalid_argument("invalid X: column " + std::to_string(j + 1) +
                                    " is too large in magnitude for the chosen precision (its "
                                    "mean or standard deviation overflows); rescale it");
  }

  // X̃ and ỹ with `features` partialled out (unpenalized.hpp); yy_null = yy before.
  void partial(const std::vector<Index>& features) {
    yy_null = yy;
    if (features.empty()) return;
    // G, A, a summed over the ranks with split rows (each rank transforms its own rows)
    unpenalized = partial_out(be, rows, p, X_.data(), y.data(), features, scale, n,
                              [&](T* values, std::size_t count) {
                                sum_over_ranks(values, Index(count));
                              });
    if (unpenalized.empty()) return;
    be.column_dots(rows, 1, y.data(), rows, y.data(), rows, &yy);  // ‖Pỹ‖², in double
    if (comm_ != nullptr) comm_->sum(&yy, 1);
    yy /= double(n);
  }

  // c, the Gram form and the Lipschitz constant, once X̃ and ỹ are in place.
  void finish() {
    compute_correlations();
    // diag(H) = ‖x̃_j‖²/n   (p dots, n·p flops)
    diag_host.assign(static_cast<std::size_t>(p), 0.0);
    gram_form = n > 2 * p;
    if (sparse_) {
      sparse_->column_square_norms(diag_host.data());
      if (gram_form) {
        // H = X̃ᵀX̃/n from the sparse columns (sparse_design.hpp), then uploaded
        const std::vector<T> h = sparse_->gram();
        H = be.allocate(h.size());
        be.upload(H.data(), h.data(), h.size());
      }
      lipschitz = estimate_lipschitz();
      return;
    }
    be.column_dots(rows, p, X_.data(), rows, X_.data(), rows, diag_host.data());
    if (comm_ != nullptr) comm_->sum(diag_host.data(), diag_host.size());
    for (auto& d : diag_host) d /= double(n);
    if (gram_form) {
      H = be.allocate(static_cast<std::size_t>(p * p));
      // H = X̃ᵀX̃/n   (SYRK, n·p² flops), summed over the ranks
      be.gram(rows, p, T(1) / T(n), X_.data(), rows, H.data(), p);
      sum_over_ranks(H.data(), p * p);
      X_ = Buffer();  // the iteration needs only H, c and yy
    }
    lipschitz = estimate_lipschitz();
  }

  void compute_correlations() {
    c = be.allocate(static_cast<std::size_t>(p));
    // c = X̃ᵀỹ/n   (a GEMV as a GEMM, 2·n·p flops)
    xt_times(1, T(1) / T(n), y.data(), c.data());
    std::vector<T> ch(static_cast<std::size_t>(p));
    be.download(ch.data(), c.data(), ch.size());
    c_host.assign(ch.begin(), ch.end());
  }

  double estimate_lipschitz() {
    Buffer xu = gram_form ? Buffer() : be.allocate(static_cast<std::size_t>(rows));
    return top_eigenvalue(be, p, 200, 1e-7, [&](const T* u, T* w, T inv_norm) {
      if (gram_form) {
        // w = H·u/‖u‖   (GEMV, 2·p² flops)
        be.gemm(false, false, p, 1, p, inv_norm, H.data(), p, u, p, T(0), w, p);
      } else {
        // w = X̃ᵀ(X̃·u)/(n‖u‖)   (2 GEMVs, 4·n·p flops)
        x_times(1, inv_norm, u, T(0), xu.data());
        xt_times(1, T(1) / T(n), xu.data(), w);
      }
    });
  }

  Buffer X_;  // X̃, rows × p; released in the Gram form
  const Communicator* comm_ = nullptr;  // the ranks sharing the rows (none: all rows here)
  detail::RankSums<Backend> rank_sums_;  // sum_over_ranks' host staging
  std::shared_ptr<const SparseDesign<T>> sparse_;  // a sparse X (X_ then stays empty)

 public:
  // ---- many responses on one design (api/many_responses.cpp) --------------------------------
  // X̃ and H are the same for every response; only ỹ, ȳ, yy and c change. This constructor
  // keeps X̃ (also in the Gram form) so that the correlations of later responses can be formed.
  struct KeepDesign {};
  template <typename In>
  GaussianProblem(Backend& backend, const MatrixView<In>& X, const In* response, bool standardize,
                  bool with_intercept, KeepDesign)
      : be(backend), n(X.rows), p(X.cols), intercept(with_intercept) {
    center_y(response);
    upload_columns(X);
    standardize_columns(standardize);
    partial({});
    kept_ = be.allocate(static_cast<std::size_t>(n * p));
    be.copy(kept_.data(), X_.data(), static_cast<std::size_t>(n * p));
    finish();
    if (!gram_form) kept_ = Buffer();  // the direct form keeps X̃ itself: no second copy
  }

  // C = X̃ᵀ·Ỹ/n for m centred responses Ỹ (n × m, leading dimension n, backend memory) into
  // C (p × m): one GEMM for all of them (2·n·p·m flops). Needs the KeepDesign constructor.
  void correlations(const T* Yc, Index m, T* C) {
    const T* Xt = gram_form ? kept_.data() : X_.data();
    be.gemm(true, false, p, m, n, T(1) / T(n), Xt, n, Yc, n, T(0), C, p);
  }

  // Swaps in another response: ỹ (n centred values, host), its mean (0 without an intercept),
  // yy = ỹᵀỹ/n, and c = X̃ᵀỹ/n (p values in backend memory, from correlations()).
  void set_response(const std::vector<T>& y_centred, double mean_y, double yy_n, const T* c_dev) {
    y_mean = mean_y;
    yy = yy_null = yy_n;
    be.upload(y.data(), y_centred.data(), static_cast<std::size_t>(n));
    be.copy(c.data(), c_dev, static_cast<std::size_t>(p));
    std::vector<T> ch(static_cast<std::size_t>(p));
    be.download(ch.data(), c.data(), ch.size());
    c_host.assign(ch.begin(), ch.end());
  }

 private:
  Buffer kept_;  // X̃, n × p, kept for correlations() (KeepDesign only)
};

}  // namespace regpath
