// The elementwise kernels of the CUDA backend. Memory-bound: one grid-stride pass each.
#include "elementwise_kernels.cuh"

#include <algorithm>

#include "core/scalar_ops.hpp"
#include "cuda_check.hpp"

namespace regpath::cuda {
namespace {

constexpr int kThreads = 256;

// Enough blocks to cover `total` elements, capped: the grid-stride loops do the rest.
unsigned blocks_for(Index total) {
  const Index cap = 4096;
  return static_cast<unsigned>(std::max<Index>(1, std::min<Index>((total + kThreads - 1) / kThreads, cap)));
}

__device__ inline Index first_element() {
  return static_cast<Index>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ inline Index grid_stride() { return static_cast<Index>(gridDim.x) * blockDim.x; }

// M[i, k] = s·v[i]
template <typename T>
__global__ void fill_columns_kernel(Index rows, Index cols, T* M, Index ldm, const T* v, T s) {
  for (Index e = first_element(); e < rows * cols; e += grid_stride()) {
    const Index i = e % rows, k = e / rows;
    M[i + k * ldm] = s * v[i];
  }
}

// B_next = S(Y − t_k·G, t_k·λ_k·α) / (1 + t_k·λ_k·(1−α)),  column k = e / p
template <typename T>
__global__ void prox_step_kernel(Index p, Index K, const T* Y, const T* G, const T* step,
                                 const T* lambda, T alpha, T* B_next) {
  for (Index e = first_element(); e < p * K; e += grid_stride()) {
    const Index k = e / p;
    B_next[e] = ops::prox_elastic_net(Y[e], G[e], step[k], lambda[k], alpha);
  }
}

// C[j, i] = C[i, j] for i > j (reads the lower triangle, writes the upper: no element is both)
template <typename T>
__global__ void mirror_lower_kernel(Index p, T* C, Index ldc) {
  for (Index e = first_element(); e < p * p; e += grid_stride()) {
    const Index i = e % p, j = e / p;
    if (i > j) C[j + i * ldc] = C[i + j * ldc];
  }
}

// dst[i, s] = src[i, idx[s]]
template <typename T>
__global__ void gather_columns_kernel(Index rows, const T* src, Index lds, IndexChunk chunk,
                                      T* dst, Index ldd) {
  for (Index e = first_element(); e < rows * chunk.count; e += grid_stride()) {
    const Index i = e % rows, s = e / rows;
    dst[i + s * ldd] = src[i + chunk.idx[s] * lds];
  }
}

// dst[first + a, k] = src[idx[a], k]
template <typename T>
__global__ void gather_rows_kernel(Index cols, const T* src, Index lds, IndexChunk chunk,
                                   Index first, T* dst, Index ldd) {
  for (Index e = first_element(); e < chunk.count * cols; e += grid_stride()) {
    const Index a = e % chunk.count, k = e / chunk.count;
    dst[first + a + k * ldd] = src[chunk.idx[a] + k * lds];
  }
}

// dst[idx[a], k] = src[first + a, k]   (the indices are distinct: no two threads write one place)
template <typename T>
__global__ void scatter_rows_kernel(Index cols, const T* src, Index lds, IndexChunk chunk,
                                    Index first, T* dst, Index ldd) {
  for (Index e = first_element(); e < chunk.count * cols; e += grid_stride()) {
    const Index a = e % chunk.count, k = e / chunk.count;
    dst[chunk.idx[a] + k * ldd] = src[first + a + k * lds];
  }
}

}  // namespace

template <typename T>
void launch_fill_columns(cudaStream_t stream, Index rows, Index cols, T* M, Index ldm, const T* v,
                         T s) {
  if (rows <= 0 || cols <= 0) return;
  fill_columns_kernel<<<blocks_for(rows * cols), kThreads, 0, stream>>>(rows, cols, M, ldm, v, s);
  REGPATH_CUDA_CHECK_LAUNCH("fill_columns_kernel");
}

template <typename T>
void launch_prox_step(cudaStream_t stream, Index p, Index K, const T* Y, const T* G,
                      const T* step, const T* lambda, T alpha, T* B_next) {
  if (p <= 0 || K <= 0) return;
  prox_step_kernel<<<blocks_for(p * K), kThreads, 0, stream>>>(p, K, Y, G, step, lambda, alpha,
                                                               B_next);
  REGPATH_CUDA_CHECK_LAUNCH("prox_step_kernel");
}

template <typename T>
void launch_mirror_lower(cudaStream_t stream, Index p, T* C, Index ldc) {
  if (p <= 1) return;
  mirror_lower_kernel<<<blocks_for(p * p), kThreads, 0, stream>>>(p, C, ldc);
  REGPATH_CUDA_CHECK_LAUNCH("mirror_lower_kernel");
}

template <typename T>
void launch_gather_columns(cudaStream_t stream, Index rows, const T* src, Index lds,
                           const IndexChunk& chunk, T* dst, Index ldd) {
  if (rows <= 0 || chunk.count <= 0) return;
  gather_columns_kernel<<<blocks_for(rows * chunk.count), kThreads, 0, stream>>>(rows, src, lds,
                                                                                 chunk, dst, ldd);
  REGPATH_CUDA_CHECK_LAUNCH("gather_columns_kernel");
}

template <typename T>
void launch_gather_rows(cudaStream_t stream, Index cols, const T* src, Index lds,
                        const IndexChunk& chunk, Index first, T* dst, Index ldd) {
  if (cols <= 0 || chunk.count <= 0) return;
  gather_rows_kernel<<<blocks_for(chunk.count * cols), kThreads, 0, stream>>>(cols, src, lds, chunk,
                                                                              first, dst, ldd);
  REGPATH_CUDA_CHECK_LAUNCH("gather_rows_kernel");
}

template <typename T>
void launch_scatter_rows(cudaStream_t stream, Index cols, const T* src, Index lds,
                         const IndexChunk& chunk, Index first, T* dst, Index ldd) {
  if (cols <= 0 || chunk.count <= 0) return;
  scatter_rows_kernel<<<blocks_for(chunk.count * cols), kThreads, 0, stream>>>(cols, src, lds,
                                                                               chunk, first, dst,
                                                                               ldd);
  REGPATH_CUDA_CHECK_LAUNCH("scatter_rows_kernel");
}

#define REGPATH_INSTANTIATE(T)                                                                  \
  template void launch_fill_columns<T>(cudaStream_t, Index, Index, T*, Index, const T*, T);    \
  template void launch_prox_step<T>(cudaStream_t, Index, Index, const T*, const T*, const T*,  \
                                    const T*, T, T*);                                          \
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
