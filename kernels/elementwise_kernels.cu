// The elementwise kernels of the CUDA backend. Memory-bound: one grid-stride pass each.
#include "elementwise_kernels.cuh"

#include <algorithm>

#include "cuda_check.hpp"
#include "kernel_bodies.hpp"
#include "launch_plan.hpp"

namespace regpath::cuda {
namespace {

__device__ inline Index first_element() {
  return static_cast<Index>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ inline Index grid_stride() { return static_cast<Index>(gridDim.x) * blockDim.x; }

// Each kernel is one grid-stride thread of kernel_bodies.hpp (the math is there).
template <typename T>
__global__ void fill_columns_kernel(Index rows, Index cols, T* M, Index ldm, const T* v, T s) {
  body::fill_columns(first_element(), grid_stride(), rows, cols, M, ldm, v, s);
}

template <typename T>
__global__ void restart_columns_kernel(Index rows, Index K, const T* restart, T* step, T* theta,
                                       T* Y, const T* B) {
  body::restart_columns(first_element(), grid_stride(), rows, K, restart, step, theta, Y, B);
}

template <typename T>
__global__ void divide_columns_kernel(Index rows, Index cols, T* M, Index ldm, const T* d) {
  for (Index e = first_element(); e < rows * cols; e += grid_stride()) {
    const Index i = e % rows, k = e / rows;
    M[i + k * ldm] = d[k] > T(0) ? M[i + k * ldm] / d[k] : T(0);
  }
}

template <typename T>
__global__ void prox_step_kernel(Index p, Index K, const T* Y, const T* G, const T* step,
                                 const T* lambda, T alpha, ops::FeaturePenalty<T> penalty,
                                 T* B_next) {
  body::prox_step(first_element(), grid_stride(), p, K, Y, G, step, lambda, alpha, penalty,
                  B_next);
}

template <typename T>
__global__ void mirror_lower_kernel(Index p, T* C, Index ldc) {
  body::mirror_lower(first_element(), grid_stride(), p, C, ldc);
}

template <typename T>
__global__ void gather_columns_kernel(Index rows, const T* src, Index lds, IndexChunk chunk,
                                      T* dst, Index ldd) {
  body::gather_columns(first_element(), grid_stride(), rows, src, lds, chunk, dst, ldd);
}

template <typename T>
__global__ void gather_rows_kernel(Index cols, const T* src, Index lds, IndexChunk chunk,
                                   Index first, T* dst, Index ldd) {
  body::gather_rows(first_element(), grid_stride(), cols, src, lds, chunk, first, dst, ldd);
}

template <typename T>
__global__ void scatter_rows_kernel(Index cols, const T* src, Index lds, IndexChunk chunk,
                                    Index first, T* dst, Index ldd) {
  body::scatter_rows(first_element(), grid_stride(), cols, src, lds, chunk, first, dst, ldd);
}

}  // namespace

template <typename T>
void launch_fill_columns(cudaStream_t stream, Index rows, Index cols, T* M, Index ldm, const T* v,
                         T s) {
  if (rows <= 0 || cols <= 0) return;
  fill_columns_kernel<<<stride_blocks(rows * cols), kThreads, 0, stream>>>(rows, cols, M, ldm, v,
                                                                           s);
  REGPATH_CUDA_CHECK_LAUNCH("fill_columns_kernel");
}

template <typename T>
void launch_restart_columns(cudaStream_t stream, Index rows, Index K, const T* restart, T* step,
                            T* theta, T* Y, const T* B) {
  if (rows <= 0 || K <= 0) return;
  restart_columns_kernel<<<stride_blocks(rows * K), kThreads, 0, stream>>>(rows, K, restart, step,
                                                                           theta, Y, B);
  REGPATH_CUDA_CHECK_LAUNCH("restart_columns_kernel");
}

template <typename T>
void launch_divide_columns(cudaStream_t stream, Index rows, Index cols, T* M, Index ldm,
                           const T* d) {
  if (rows <= 0 || cols <= 0) return;
  divide_columns_kernel<<<stride_blocks(rows * cols), kThreads, 0, stream>>>(rows, cols, M, ldm,
                                                                             d);
  REGPATH_CUDA_CHECK_LAUNCH("divide_columns_kernel");
}

template <typename T>
void launch_prox_step(cudaStream_t stream, Index p, Index K, const T* Y, const T* G,
                      const T* step, const T* lambda, T alpha, ops::FeaturePenalty<T> penalty,
                      T* B_next) {
  if (p <= 0 || K <= 0) return;
  prox_step_kernel<<<stride_blocks(p * K), kThreads, 0, stream>>>(p, K, Y, G, step, lambda, alpha,
                                                               penalty, B_next);
  REGPATH_CUDA_CHECK_LAUNCH("prox_step_kernel");
}

template <typename T>
void launch_mirror_lower(cudaStream_t stream, Index p, T* C, Index ldc) {
  if (p <= 1) return;
  mirror_lower_kernel<<<stride_blocks(p * p), kThreads, 0, stream>>>(p, C, ldc);
  REGPATH_CUDA_CHECK_LAUNCH("mirror_lower_kernel");
}

template <typename T>
void launch_gather_columns(cudaStream_t stream, Index rows, const T* src, Index lds,
                           const IndexChunk& chunk, T* dst, Index ldd) {
  if (rows <= 0 || chunk.count <= 0) return;
  gather_columns_kernel<<<stride_blocks(rows * chunk.count), kThreads, 0, stream>>>(rows, src, lds,
                                                                                 chunk, dst, ldd);
  REGPATH_CUDA_CHECK_LAUNCH("gather_columns_kernel");
}

template <typename T>
void launch_gather_rows(cudaStream_t stream, Index cols, const T* src, Index lds,
                        const IndexChunk& chunk, Index first, T* dst, Index ldd) {
  if (cols <= 0 || chunk.count <= 0) return;
  gather_rows_kernel<<<stride_blocks(chunk.count * cols), kThreads, 0, stream>>>(
      cols, src, lds, chunk, first, dst, ldd);
  REGPATH_CUDA_CHECK_LAUNCH("gather_rows_kernel");
}

template <typename T>
void launch_scatter_rows(cudaStream_t stream, Index cols, const T* src, Index lds,
                         const IndexChunk& chunk, Index first, T* dst, Index ldd) {
  if (cols <= 0 || chunk.count <= 0) return;
  scatter_rows_kernel<<<stride_blocks(chunk.count * cols), kThreads, 0, stream>>>(cols, src, lds,
                                                                               chunk, first, dst,
                                                                               ldd);
  REGPATH_CUDA_CHECK_LAUNCH("scatter_rows_kernel");
}

#define REGPATH_INSTANTIATE(T)                                                                  \
  template void launch_fill_columns<T>(cudaStream_t, Index, Index, T*, Index, const T*, T);    \
  template void launch_divide_columns<T>(cudaStream_t, Index, Index, T*, Index, const T*);     \
  template void launch_restart_columns<T>(cudaStream_t, Index, Index, const T*, T*, T*, T*,    \
                                          const T*);                                           \
  template void launch_prox_step<T>(cudaStream_t, Index, Index, const T*, const T*, const T*,  \
                                    const T*, T, ops::FeaturePenalty<T>, T*);                  \
  template void launch_mirror_lower<T>(cudaStream_t, Index, T*, Index);                        \
  template void launch_gather_columns<T>(cudaStream_t, Index, const T*, Index,                 \
                                         const IndexChunk&, T*, Index);                \
  template void launch_gather_rows<T>(cudaStream_t, Index, const T*, Index, const IndexChunk&, \
                                      Index, T*, Index);                                       \
  template void launch_scatter_rows<T>(cudaStream_t, Index, const T*, Index,                   \
                                       const IndexChunk&, Index, T*, Index);
REGPATH_INSTANTIATE(float)
REGPATH_INSTANTIATE(double)
#undef REGPATH_INSTANTIATE

}  // namespace regpath::cuda
