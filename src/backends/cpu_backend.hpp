// The CPU reference backend: GEMM through the system BLAS, everything else plain loops.
// Every other backend implements the same primitives and is tested against this one.
//
// Pointers passed to the primitives point into the backend's own buffers (host memory here,
// device memory for CUDA); matrices are column-major with a leading dimension.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/engine/glm_scalar_ops.hpp"
#include "core/engine/scalar_ops.hpp"
#include "core/penalty/feature_penalty.hpp"

namespace regpath {

template <typename T>
class CpuBackend {
 public:
  using value_type = T;
  using Buffer = std::vector<T>;
  using Index = std::int64_t;

  std::string name() const { return "cpu"; }
  std::int64_t peak_bytes() const { return 0; }  // device memory: none

  Buffer allocate(std::size_t count) { return Buffer(count, T(0)); }
  void upload(T* dst, const T* host_src, std::size_t count);
  void download(T* host_dst, const T* src, std::size_t count);
  void copy(T* dst, const T* src, std::size_t count);
  void synchronize() {}

  // C = α·op(A)·op(B) + β·C, op(A) m×k, op(B) k×n
  void gemm(bool trans_a, bool trans_b, Index m, Index n, Index k, T alpha, const T* A, Index lda,
            const T* B, Index ldb, T beta, T* C, Index ldc);

  // C = α·AᵀA (p × p, both triangles), A rows × p
  void gram(Index rows, Index p, T alpha, const T* A, Index lda, T* C, Index ldc);

  // Standardizes the p columns of X in place, glmnet's way: subtract the mean if `center`,
  // divide by the centred 1/n standard deviation if `scale` (also without centring, as glmnet
  // does). mean_out/scale_out (host, p values) receive what was subtracted and divided by; a
  // column whose values are all equal is zeroed and gets scale 0 (its coefficient is then 0).
  void standardize(Index n, Index p, T* X, Index ldx, bool center, bool scale, double* mean_out,
                   double* scale_out);

  // M[:, k] = s·v for every column k
  void fill_columns(Index rows, Index cols, T* M, Index ldm, const T* v, T s);

  // B_next[:, k] = clip_j(prox(Y[:, k] − step_k·G[:, k]))  with threshold step_k·λ_k·α·w_j,
  // shrink 1/(1 + step_k·λ_k·(1−α)·w_j), clipped into [lo_j, hi_j] (ops::prox_elastic_net,
  // elementwise; w and the bounds from `penalty`, core/penalty/feature_penalty.hpp — so below)
  void prox_step(Index p, Index K, const T* Y, const T* G, const T* step, const T* lambda, T alpha,
                 const ops::FeaturePenalty<T>& penalty, T* B_next);

  // M[i, k] = d_k > 0 ? M[i, k] / d_k : 0   (i < rows, k < cols; d on the backend)
  void divide_columns(Index rows, Index cols, T* M, Index ldm, const T* d);

  // FISTA with gradient-based adaptive restart, per column k:
  //   if (Y − B_next)ᵀ(B_next − B_cur) > 0:  θ_k = 1, Y = B_next           (restart)
  //   else: θ' = next_theta(θ_k), Y = B_next + ((θ_k − 1)/θ')(B_next − B_cur), θ_k = θ'
  void momentum_step(Index p, Index K, const T* B_next, const T* B_cur, T* Y, T* theta);

  // The restarts a check decided, all columns at once: where restart[k] > 0, column k restarts
  // its momentum from its iterate with step restart[k] (Y[:, k] = B[:, k], θ_k = 1, t_k =
  // restart[k]); the others are left alone. rows × K, leading dimension rows.
  void restart_columns(Index rows, Index K, const T* restart, T* step, T* theta, T* Y,
                       const T* B);

  // Per-column duality-gap sums (ops::GapTerms) of B against its gradient G, with the penalty
  // factors; out (host) gets K.
  void gap_terms(Index p, Index K, const T* B, const T* G, const T* c, const T* lambda, T alpha,
                 const ops::FeaturePenalty<T>& penalty, ops::GapTerms* out);

  // out[k] = Σ_i A[i,k]·B[i,k]  (host, K values, accumulated in double)
  void column_dots(Index rows, Index K, const T* A, Index lda, const T* B, Index ldb, double* out);

  // dst[0 .. count) = 0
  void set_zero(T* dst, std::size_t count);

  // dst[a, k] = src[idx[a], k]  for a < rows (= idx.size()), k < cols
  void gather_rows(Index rows, Index cols, const T* src, Index lds, const std::vector<Index>& idx,
                   T* dst, Index ldd);
  // dst[idx[a], k] = src[a, k]  for a < rows (= idx.size()), k < cols; other rows untouched
  void scatter_rows(Index rows, Index cols, const T* src, Index lds, const std::vector<Index>& idx,
                    T* dst, Index ldd);

  // out[j] = max_k (|G[j, k]| − λ_k·α·w_j)  (host, p values): > 0 where feature j violates the
  // optimality condition of a zero coefficient in some column
  void row_violations(Index p, Index K, const T* G, Index ldg, const T* lambda, T alpha,
                      const ops::FeaturePenalty<T>& penalty, double* out);

  // dst[:, i] = src[:, idx[i]]  (rows × idx.size(), dst leading dimension rows)
  void gather_columns(Index rows, const T* src, Index lds, const std::vector<Index>& idx, T* dst);

  // In place: column i ← column keep[i] (keep ascending, so no column is overwritten before read).
  void compact_columns(Index rows, T* M, Index ldm, const std::vector<Index>& keep);

  // ---- The GLM batch (glm_batch_solver.hpp). Its coefficient blocks have p + 1 rows, row p the
  // intercept; `col` holds the 5 parameters of each column (ops::GlmColumn), among them the fold
  // the column holds out (−1: none). S and Mu are p × (F + 1): column f + 1 holds fold f's
  // scale factors (1/sd, or 0 for a constant column) and centres (0 without an intercept).

  // out[i,k] = ops::glm_pointwise(op, datafit, E[i,k], y[i], row_fold[i], col[:,k], v[i])
  //   (n × K; v = row_weight, the observation weights, or 1 for every row where it is null)
  void glm_pointwise(ops::GlmOp op, ops::Datafit datafit, Index n, Index K, const T* E, const T* y,
                     const T* row_fold, const T* col, T* out, const T* row_weight = nullptr);

  // Standardized to raw coefficients, with f the fold of column k:
  //   Braw[j,k] = S[j,f]·B[j,k]  (j < p);   Braw[p,k] = B[p,k] − Σ_j Mu[j,f]·Braw[j,k]
  void to_raw(Index p, Index K, const T* S, const T* Mu, const T* col, const T* B, T* Braw);

  // The gradient of the raw problem (Graw = [X 1]ᵀ·R) to the standardized one:
  //   G[j,k] = S[j,f]·(Graw[j,k] − Mu[j,f]·Graw[p,k])  (j < p);   G[p,k] = intercept ? Graw[p,k] : 0
  void from_raw_gradient(Index p, Index K, const T* S, const T* Mu, const T* col, const T* Graw,
                         bool intercept, T* G);

  // B_next[j,k] = ops::prox_glm_row(j == p, Y[j,k], G[j,k], step_k, λ_k, α_k, w_j)
  // ((p+1) × K)
  void prox_step_glm(Index p, Index K, const T* Y, const T* G, const T* step, const T* lambda,
                     const T* alpha, const ops::FeaturePenalty<T>& penalty, T* B_next);

  // out[k] = ops::PenaltyTerms of rows 0 … p−1 of B[:,k] against G[:,k] (both leading dimension
  // ld), L1 weight λ_k·α_k, factors w_j   (host, K values: the GLM batch's certificate, without
  // B or G)
  void penalty_terms(Index p, Index K, const T* B, const T* G, Index ld, const T* lambda,
                     const T* alpha, const ops::FeaturePenalty<T>& penalty, ops::PenaltyTerms* out);
};

extern template class CpuBackend<float>;
extern template class CpuBackend<double>;

}  // namespace regpath
