// Launchers of the per-column kernels: one thread block per column, a block reduction (CUB)
// accumulated in double, then, for some, an update of that column. Outputs named *_dev are
// device arrays; each launcher enqueues on `stream` and returns at once.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "core/penalty/feature_penalty.hpp"

#include "core/engine/scalar_ops.hpp"

namespace regpath::cuda {

using Index = std::int64_t;

// glmnet's standardization of the p columns of X (n × p, leading dimension ldx), in place:
// mean_dev[j] / scale_dev[j] get what was subtracted / divided by (see CpuBackend::standardize).
template <typename T>
void launch_standardize(cudaStream_t stream, Index n, Index p, T* X, Index ldx, bool center,
                        bool scale, double* mean_dev, double* scale_dev);

// FISTA momentum with per-column adaptive restart (see CpuBackend::momentum_step).
template <typename T>
void launch_momentum_step(cudaStream_t stream, Index p, Index K, const T* B_next, const T* B_cur,
                          T* Y, T* theta);

// out_dev[k] = Σ_j ops::accumulate_gap_terms(B[j,k], G[j,k], c[j], λ_k, α, w_j)  (max for max_dual)
template <typename T>
void launch_gap_terms(cudaStream_t stream, Index p, Index K, const T* B, const T* G, const T* c,
                      const T* lambda, T alpha, ops::FeaturePenalty<T> penalty,
                      ops::GapTerms* out_dev);

// out_dev[k] = Σ_{j<p} ops::accumulate_penalty_terms(B[j,k], G[j,k], λ_k·α_k, w_j)  (leading
// dimension ld; max for max_abs_grad)
template <typename T>
void launch_penalty_terms(cudaStream_t stream, Index p, Index K, const T* B, const T* G, Index ld,
                          const T* lambda, const T* alpha, ops::FeaturePenalty<T> penalty,
                          ops::PenaltyTerms* out_dev);

// out_dev[k] = Σ_i A[i,k]·B[i,k]  (in double)
template <typename T>
void launch_column_dots(cudaStream_t stream, Index rows, Index K, const T* A, Index lda,
                        const T* B, Index ldb, double* out_dev);

// out_dev[j] = max_k (|G[j,k]| − λ_k·α·w_j)  in double, −∞ for K = 0  (one thread per row j: a
// reduction across the columns, which are K ≪ p)
template <typename T>
void launch_row_violations(cudaStream_t stream, Index p, Index K, const T* G, Index ldg,
                           const T* lambda, T alpha, ops::FeaturePenalty<T> penalty,
                           double* out_dev);

}  // namespace regpath::cuda
