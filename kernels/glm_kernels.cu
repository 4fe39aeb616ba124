// The GLM batch kernels of the CUDA backend: elementwise grid-stride passes, and one per-column
// block reduction (CUB, in double) for the raw intercept. Formulas from
// core/engine/glm_scalar_ops.hpp.
#include "glm_kernels.cuh"

#include <cub/block/block_reduce.cuh>

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

// Each kernel is the thread of kernel_bodies.hpp (the math is there).
template <typename T>
__global__ void glm_pointwise_kernel(ops::GlmOp op, ops::Datafit datafit, Index n, Index K,
                                     const T* E, const T* y, const T* row_fold, const T* col,
                                     T* out, const T* row_weight) {
  body::glm_pointwise(first_element(), grid_stride(), op, datafit, n, K, E, y, row_fold, col,
                      out, row_weight);
}

// Column k = blockIdx.x.
template <typename T>
__global__ void __launch_bounds__(kThreads)
    to_raw_kernel(Index p, const T* S, const T* Mu, const T* col, const T* B, T* Braw) {
  using BlockReduce = cub::BlockReduce<double, kThreads>;
  __shared__ typename BlockReduce::TempStorage temp;
  const Index k = blockIdx.x;
  const double shift = body::to_raw_partial(k, threadIdx.x, kThreads, p, S, Mu, col, B, Braw);
  const double total = BlockReduce(temp).Sum(shift);
  if (threadIdx.x == 0) body::to_raw_finish(k, p, B, total, Braw);
}

template <typename T>
__global__ void from_raw_gradient_kernel(Index p, Index K, const T* S, const T* Mu, const T* col,
                                         const T* Graw, bool intercept, bool intercept_rows,
                                         T* G) {
  body::from_raw_gradient(first_element(), grid_stride(), p, K, S, Mu, col, Graw, intercept,
                          intercept_rows, G);
}

template <typename T>
__global__ void from_raw_intercepts_kernel(Index p, Index K, const T* Graw, bool intercept, T* G) {
  body::from_raw_intercepts(first_element(), grid_stride(), p, K, Graw, intercept, G);
}

template <typename T>
__global__ void prox_step_glm_kernel(Index p, Index K, const T* Y, const T* G, const T* step,
                                     const T* lambda, const T* alpha,
                                     ops::FeaturePenalty<T> penalty, T* B_next) {
  body::prox_step_glm(first_element(), grid_stride(), p, K, Y, G, step, lambda, alpha, penalty,
                      B_next);
}

}  // namespace

template <typename T>
void launch_glm_pointwise(cudaStream_t stream, ops::GlmOp op, ops::Datafit datafit, Index n,
                          Index K, const T* E, const T* y, const T* row_fold, const T* col,
                          T* out, const T* row_weight) {
  if (n <= 0 || K <= 0) return;
  glm_pointwise_kernel<<<stride_blocks(n * K), kThreads, 0, stream>>>(op, datafit, n, K, E, y,
                                                                   row_fold, col, out,
                                                                   row_weight);
  REGPATH_CUDA_CHECK_LAUNCH("glm_pointwise_kernel");
}

template <typename T>
void launch_to_raw(cudaStream_t stream, Index p, Index K, const T* S, const T* Mu, const T* col,
                   const T* B, T* Braw) {
  if (K <= 0) return;
  to_raw_kernel<<<column_blocks(K), kThreads, 0, stream>>>(p, S, Mu, col, B, Braw);
  REGPATH_CUDA_CHECK_LAUNCH("to_raw_kernel");
}

template <typename T>
void launch_from_raw_gradient(cudaStream_t stream, Index p, Index K, const T* S, const T* Mu,
                              const T* col, const T* Graw, bool intercept, T* G) {
  if (K <= 0) return;
  // In place (G == Graw), the intercept rows are written by a second launch, after every feature
  // row has read them (kernel_bodies.hpp: from_raw_gradient).
  const bool in_place = static_cast<const void*>(G) == static_cast<const void*>(Graw);
  from_raw_gradient_kernel<<<stride_blocks((p + 1) * K), kThreads, 0, stream>>>(
      p, K, S, Mu, col, Graw, intercept, !in_place, G);
  REGPATH_CUDA_CHECK_LAUNCH("from_raw_gradient_kernel");
  if (in_place) {
    from_raw_intercepts_kernel<<<stride_blocks(K), kThreads, 0, stream>>>(p, K, Graw, intercept, G);
    REGPATH_CUDA_CHECK_LAUNCH("from_raw_intercepts_kernel");
  }
}

template <typename T>
void launch_prox_step_glm(cudaStream_t stream, Index p, Index K, const T* Y, const T* G,
                          const T* step, const T* lambda, const T* alpha,
                          ops::FeaturePenalty<T> penalty, T* B_next) {
  if (K <= 0) return;
  prox_step_glm_kernel<<<stride_blocks((p + 1) * K), kThreads, 0, stream>>>(
      p, K, Y, G, step, lambda, alpha, penalty, B_next);
  REGPATH_CUDA_CHECK_LAUNCH("prox_step_glm_kernel");
}

#define REGPATH_INSTANTIATE(T)                                                                   \
  template void launch_glm_pointwise<T>(cudaStream_t, ops::GlmOp, ops::Datafit, Index, Index,  \
                                        const T*, const T*, const T*, const T*, T*,             \
                                        const T*);                                              \
  template void launch_to_raw<T>(cudaStream_t, Index, Index, const T*, const T*, const T*,      \
                                 const T*, T*);                                                 \
  template void launch_from_raw_gradient<T>(cudaStream_t, Index, Index, const T*, const T*,     \
                                            const T*, const T*, bool, T*);                      \
  template void launch_prox_step_glm<T>(cudaStream_t, Index, Index, const T*, const T*,         \
                                        const T*, const T*, const T*,                          \
                                        ops::FeaturePenalty<T>, T*);
REGPATH_INSTANTIATE(float)
REGPATH_INSTANTIATE(double)
#undef REGPATH_INSTANTIATE

}  // namespace regpath::cuda
