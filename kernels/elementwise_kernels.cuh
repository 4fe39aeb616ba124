// Launchers of the elementwise kernels (one thread per matrix element, grid-stride loops).
// Each enqueues on `stream` and returns at once; a bad launch throws (cuda_check.hpp).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "core/penalty/feature_penalty.hpp"

#include "launch_plan.hpp"  // IndexChunk, kIndexChunk

namespace regpath::cuda {

using Index = std::int64_t;

// M[i, k] = s·v[i],  i < rows, k < cols
template <typename T>
void launch_fill_columns(cudaStream_t stream, Index rows, Index cols, T* M, Index ldm, const T* v,
                         T s);

// M[i, k] = d[k] > 0 ? M[i, k] / d[k] : 0,  i < rows, k < cols
template <typename T>
void launch_divide_columns(cudaStream_t stream, Index rows, Index cols, T* M, Index ldm,
                           const T* d);

// where restart[k] > 0:  Y[:, k] = B[:, k], step[k] = restart[k], theta[k] = 1  (rows × K)
template <typename T>
void launch_restart_columns(cudaStream_t stream, Index rows, Index K, const T* restart, T* step,
                            T* theta, T* Y, const T* B);

// B_next[j, k] = ops::prox_elastic_net(Y[j, k], G[j, k], step[k], lambda[k], alpha, w_j)
template <typename T>
void launch_prox_step(cudaStream_t stream, Index p, Index K, const T* Y, const T* G,
                      const T* step, const T* lambda, T alpha, ops::FeaturePenalty<T> penalty,
                      T* B_next);

// C[j, i] = C[i, j] for i > j: the upper triangle from the lower one (p × p)
template <typename T>
void launch_mirror_lower(cudaStream_t stream, Index p, T* C, Index ldc);

// dst[:, s] = src[:, chunk.idx[s]],  s < chunk.count,  dst leading dimension ldd
template <typename T>
void launch_gather_columns(cudaStream_t stream, Index rows, const T* src, Index lds,
                           const IndexChunk& chunk, T* dst, Index ldd);

// dst[first + a, k] = src[chunk.idx[a], k],  a < chunk.count, k < cols
template <typename T>
void launch_gather_rows(cudaStream_t stream, Index cols, const T* src, Index lds,
                        const IndexChunk& chunk, Index first, T* dst, Index ldd);

// dst[chunk.idx[a], k] = src[first + a, k],  a < chunk.count, k < cols
template <typename T>
void launch_scatter_rows(cudaStream_t stream, Index cols, const T* src, Index lds,
                         const IndexChunk& chunk, Index first, T* dst, Index ldd);

}  // namespace regpath::cuda
