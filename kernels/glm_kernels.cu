// The GLM batch kernels of the CUDA backend: elementwise grid-stride passes, and one per-column
// block reduction (CUB, in double) for the raw intercept. Formulas from core/glm_scalar_ops.hpp.
#include "glm_kernels.cuh"

#include <cub/block/block_reduce.cuh>

#include <algorithm>

#include "cuda_check.hpp"

namespace regpath::cuda {
namespace {

constexpr int kThreads = 256;

unsigned blocks_for(Index total) {
  const Index cap = 4096;
  return static_cast<unsigned>(
      std::max<Index>(1, std::min<Index>((total + kThreads - 1) / kThreads, cap)));
}

__device__ inline Index first_element() {
  return static_cast<Index>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ inline Index grid_stride() { return static_cast<Index>(gridDim.x) * blockDim.x; }

// The column of the per-fold S / Mu arrays that column k uses (its fold + 1).
template <typename T>
__device__ inline Index fold_column(const T* col, Index k) {
  return static_cast<Index>(col[k * ops::GlmColumn::count + ops::GlmColumn::fold]) + 1;
}

template <typename T>
__global__ void glm_pointwise_kernel(ops::GlmOp op, ops::Datafit datafit, Index n, Index K,
                                     const T* E,
                                     const T* y, const T* row_fold, const T* col, T* out) {
  for (Index e = first_element(); e < n * K; e += grid_stride()) {
    const Index i = e % n, k = e / n;
    out[e] = ops::glm_pointwise(op, datafit, E[e], y[i], row_fold[i],
                                col + k * ops::GlmColumn::count);
  }
}

// Column k = blockIdx.x.
template <typename T>
__global__ void __launch_bounds__(kThreads)
    to_raw_kernel(Index p, const T* S, const T* Mu, const T* col, const T* B, T* Braw) {
  using BlockReduce = cub::BlockReduce<double, kThreads>;
  __shared__ typename BlockReduce::TempStorage temp;
  const Index k = blockIdx.x;
  const T* s = S + fold_column(col, k) * p;
  const T* mu = Mu + fold_column(col, k) * p;
  const T* b = B + k * (p + 1);
  T* raw = Braw + k * (p + 1);
  double shift = 0;
  for (Index j = threadIdx.x; j < p; j += kThreads) {
    const T r = s[j] * b[j];
    raw[j] = r;
    shift += double(mu[j]) * double(r);
  }
  const double total = BlockReduce(temp).Sum(shift);
  if (threadIdx.x == 0) raw[p] = static_cast<T>(double(b[p]) - total);
}

template <typename T>
__global__ void from_raw_gradient_kernel(Index p, Index K, const T* S, const T* Mu, const T* col,
                                         const T* Graw, bool intercept, T* G) {
  const Index rows = p + 1;
  for (Index e = first_element(); e < rows * K; e += grid_stride()) {
    const Index j = e % rows, k = e / rows;
    const T g_intercept = Graw[p + k * rows];
    if (j == p) {
      G[e] = intercept ? g_intercept : T(0);
    } else {
      const Index f = fold_column(col, k) * p;
      G[e] = S[f + j] * (Graw[e] - Mu[f + j] * g_intercept);
    }
  }
}

template <typename T>
__global__ void prox_step_glm_kernel(Index p, Index K, const T* Y, const T* G, const T* step,
                                     const T* lambda, const T* alpha, T* B_next) {
  const Index rows = p + 1;
  for (Index e = first_element(); e < rows * K; e += grid_stride()) {
    const Index j = e % rows, k = e / rows;
    B_next[e] = ops::prox_glm_row(j == p, Y[e], G[e], step[k], lambda[k], alpha[k]);
  }
}

}  // namespace

template <typename T>
void launch_glm_pointwise(cudaStream_t stream, ops::GlmOp op, ops::Datafit datafit, Index n,
                          Index K,
                          const T* E, const T* y, const T* row_fold, const T* col, T* out) {
  if (n <= 0 || K <= 0) return;
  glm_pointwise_kernel<<<blocks_for(n * K), kThreads, 0, stream>>>(op, datafit, n, K, E, y,
                                                                   row_fold, col, out);
  REGPATH_CUDA_CHECK_LAUNCH("glm_pointwise_kernel");
}

template <typename T>
void launch_to_raw(cudaStream_t stream, Index p, Index K, const T* S, const T* Mu, const T* col,
                   const T* B, T* Braw) {
  if (K <= 0) return;
  to_raw_kernel<<<static_cast<unsigned>(K), kThreads, 0, stream>>>(p, S, Mu, col, B, Braw);
  REGPATH_CUDA_CHECK_LAUNCH("to_raw_kernel");
}

template <typename T>
void launch_from_raw_gradient(cudaStream_t stream, Index p, Index K, const T* S, const T* Mu,
                              const T* col, const T* Graw, bool intercept, T* G) {
  if (K <= 0) return;
  from_raw_gradient_kernel<<<blocks_for((p + 1) * K), kThreads, 0, stream>>>(p, K, S, Mu, col,
                                                                             Graw, intercept, G);
  REGPATH_CUDA_CHECK_LAUNCH("from_raw_gradient_kernel");
}

template <typename T>
void launch_prox_step_glm(cudaStream_t stream, Index p, Index K, const T* Y, const T* G,
                          const T* step, const T* lambda, const T* alpha, T* B_next) {
  if (K <= 0) return;
  prox_step_glm_kernel<<<blocks_for((p + 1) * K), kThreads, 0, stream>>>(p, K, Y, G, step, lambda,
                                                                         alpha, B_next);
  REGPATH_CUDA_CHECK_LAUNCH("prox_step_glm_kernel");
}

#define REGPATH_INSTANTIATE(T)                                                                   \
  template void launch_glm_pointwise<T>(cudaStream_t, ops::GlmOp, ops::Datafit, Index, Index,  \
                                        const T*, const T*, const T*, const T*, T*);            \
  template void launch_to_raw<T>(cudaStream_t, Index, Index, const T*, const T*, const T*,      \
                                 const T*, T*);                                                 \
  template void launch_from_raw_gradient<T>(cudaStream_t, Index, Index, const T*, const T*,     \
                                            const T*, const T*, bool, T*);                      \
  template void launch_prox_step_glm<T>(cudaStream_t, Index, Index, const T*, const T*,         \
                                        const T*, const T*, const T*, T*);
REGPATH_INSTANTIATE(float)
REGPATH_INSTANTIATE(double)
#undef REGPATH_INSTANTIATE

}  // namespace regpath::cuda
