// Launchers of the GLM batch kernels (see CpuBackend's GLM section for the math). Each enqueues
// on `stream` and returns at once; a bad launch throws (cuda_check.hpp).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "core/penalty/feature_penalty.hpp"

#include "core/engine/glm_scalar_ops.hpp"

namespace regpath::cuda {

using Index = std::int64_t;

// out[i,k] = ops::glm_pointwise(op, datafit, E[i,k], y[i], row_fold[i], col[:,k], v[i])
//   (n × K; v = row_weight, or 1 where it is null)
template <typename T>
void launch_glm_pointwise(cudaStream_t stream, ops::GlmOp op, ops::Datafit datafit, Index n,
                          Index K, const T* E, const T* y, const T* row_fold, const T* col,
                          T* out, const T* row_weight);

// Braw[j,k] = S[j,f]·B[j,k];  Braw[p,k] = B[p,k] − Σ_j Mu[j,f]·Braw[j,k]   (one block per column)
template <typename T>
void launch_to_raw(cudaStream_t stream, Index p, Index K, const T* S, const T* Mu, const T* col,
                   const T* B, T* Braw);

// G[j,k] = S[j,f]·(Graw[j,k] − Mu[j,f]·Graw[p,k]);  G[p,k] = intercept ? Graw[p,k] : 0
// G may be Graw itself (in place; then the intercept rows take a second launch) or disjoint
// from it, never partly overlapping.
template <typename T>
void launch_from_raw_gradient(cudaStream_t stream, Index p, Index K, const T* S, const T* Mu,
                              const T* col, const T* Graw, bool intercept, T* G);

// B_next[j,k] = ops::prox_glm_row(j == p, Y[j,k], G[j,k], step_k, λ_k, α_k, w_j)  ((p+1) × K)
template <typename T>
void launch_prox_step_glm(cudaStream_t stream, Index p, Index K, const T* Y, const T* G,
                          const T* step, const T* lambda, const T* alpha,
                          ops::FeaturePenalty<T> penalty, T* B_next);

}  // namespace regpath::cuda
