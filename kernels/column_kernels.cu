// The per-column kernels of the CUDA backend: one block per column, CUB block reductions in
// double (deterministic for a fixed block size), the scalar formulas from
// core/engine/scalar_ops.hpp.
#include "column_kernels.cuh"

#include <cub/block/block_reduce.cuh>
#include <cuda/functional>

#include <algorithm>
#include <limits>

#include "cuda_check.hpp"
#include "kernel_bodies.hpp"
#include "launch_plan.hpp"

namespace regpath::cuda {
namespace {

template <typename V>
using BlockReduce = cub::BlockReduce<V, kThreads>;

struct MergeGapTerms {
  __device__ ops::GapTerms operator()(const ops::GapTerms& a, const ops::GapTerms& b) const {
    ops::GapTerms sum = a;
    ops::merge_gap_terms(sum, b);
    return sum;
  }
};

struct MergePenaltyTerms {
  __device__ ops::PenaltyTerms operator()(const ops::PenaltyTerms& a,
                                          const ops::PenaltyTerms& b) const {
    ops::PenaltyTerms sum = a;
    ops::merge_penalty_terms(sum, b);
    return sum;
  }
};

struct MergeScan {
  __device__ body::StandardizeScan operator()(const body::StandardizeScan& a,
                                              const body::StandardizeScan& b) const {
    body::StandardizeScan merged = a;
    body::merge_scan(merged, b);
    return merged;
  }
};

// Column j = blockIdx.x, as CpuBackend::standardize: the four phases of kernel_bodies.hpp
// (scan, sum, sum of squares, write), block reductions and barriers between them.
template <typename T>
__global__ void __launch_bounds__(kThreads)
    standardize_kernel(Index n, T* X, Index ldx, bool center, bool scale, double* mean_dev,
                       double* scale_dev) {
  __shared__ typename BlockReduce<body::StandardizeScan>::TempStorage scan_temp;
  __shared__ typename BlockReduce<double>::TempStorage temp;
  __shared__ body::StandardizeScan shared_scan;
  __shared__ double shared_value;
  const Index j = blockIdx.x;
  const Index t = threadIdx.x;
  T* x = X + j * ldx;
  const body::StandardizeScan part = body::standardize_scan_partial(t, kThreads, n, x);
  const body::StandardizeScan scan =
      BlockReduce<body::StandardizeScan>(scan_temp).Reduce(part, MergeScan());
  if (t == 0) shared_scan = scan;
  __syncthreads();
  const bool constant = shared_scan.equal;
  const double m = body::standardize_divisor(shared_scan.max_abs);
  const double total =
      BlockReduce<double>(temp).Sum(body::standardize_sum_partial(t, kThreads, n, x, m));
  if (t == 0) shared_value = total / double(n);
  __syncthreads();  // also frees temp for the next reduction
  const double scaled_mean = shared_value;
  double sd = 1;
  if (scale) {  // the same for the whole block
    const double total_ss = BlockReduce<double>(temp).Sum(
        body::standardize_ss_partial(t, kThreads, n, x, m, scaled_mean));
    __syncthreads();  // everyone has read `shared_value` (and temp is free again)
    if (t == 0) shared_value = sqrt(total_ss / double(n)) * m;
    __syncthreads();
    sd = shared_value;
  }
  const body::StandardizeColumn c = body::standardize_column(constant, center, m, scaled_mean, sd);
  if (t == 0) {
    mean_dev[j] = c.shift;
    scale_dev[j] = c.scale_out();
  }
  // every thread has finished reading x (the last reduction's barrier, or the one above)
  body::standardize_write(t, kThreads, n, x, c);
}

// Column k = blockIdx.x:
//   if (Y − B_next)ᵀ(B_next − B_cur) > 0:  θ_k = 1, Y = B_next                       (restart)
//   else: θ' = next_theta(θ_k), Y = B_next + ((θ_k − 1)/θ')(B_next − B_cur), θ_k = θ'
template <typename T>
__global__ void __launch_bounds__(kThreads)
    momentum_step_kernel(Index p, const T* B_next, const T* B_cur, T* Y, T* theta) {
  __shared__ typename BlockReduce<double>::TempStorage temp;
  __shared__ bool restart;
  __shared__ T momentum;
  const Index k = blockIdx.x;
  const double part = body::momentum_test_partial(k, threadIdx.x, kThreads, p, B_next, B_cur, Y);
  const double test = BlockReduce<double>(temp).Sum(part);
  if (threadIdx.x == 0) restart = body::momentum_decide(test, theta + k, &momentum);
  __syncthreads();
  body::momentum_update(k, threadIdx.x, kThreads, p, B_next, B_cur, restart, momentum, Y);
}

// Column k = blockIdx.x: the GapTerms of (B[:,k], G[:,k]) with c, λ_k, α, w; sums and one max.
template <typename T>
__global__ void __launch_bounds__(kThreads)
    gap_terms_kernel(Index p, const T* B, const T* G, const T* c, const T* lambda, T alpha,
                     ops::FeaturePenalty<T> penalty, ops::GapTerms* out_dev) {
  __shared__ typename BlockReduce<ops::GapTerms>::TempStorage temp;
  const ops::GapTerms acc = body::gap_terms_partial(blockIdx.x, threadIdx.x, kThreads, p, B, G, c,
                                                    lambda, alpha, penalty);
  const ops::GapTerms total = BlockReduce<ops::GapTerms>(temp).Reduce(acc, MergeGapTerms());
  if (threadIdx.x == 0) out_dev[blockIdx.x] = total;
}

// Column k = blockIdx.x: the PenaltyTerms of rows 0 … p−1 of (B[:,k], G[:,k]), weight λ_k·α_k,
// factors w.
template <typename T>
__global__ void __launch_bounds__(kThreads)
    penalty_terms_kernel(Index p, const T* B, const T* G, Index ld, const T* lambda,
                         const T* alpha, ops::FeaturePenalty<T> penalty,
                         ops::PenaltyTerms* out_dev) {
  __shared__ typename BlockReduce<ops::PenaltyTerms>::TempStorage temp;
  const Index k = blockIdx.x;
  const double l1_weight = double(lambda[k]) * double(alpha[k]),
               l2_weight = double(lambda[k]) * (1.0 - double(alpha[k]));
  ops::PenaltyTerms acc;
  for (Index j = threadIdx.x; j < p; j += kThreads)
    ops::accumulate_penalty_terms(acc, B[j + k * ld], G[j + k * ld], l1_weight, l2_weight,
                                  penalty.w(j), penalty.lo(j, k), penalty.hi(j, k));
  const ops::PenaltyTerms total =
      BlockReduce<ops::PenaltyTerms>(temp).Reduce(acc, MergePenaltyTerms());
  if (threadIdx.x == 0) out_dev[k] = total;
}

// Column k = blockIdx.x:  Σ_i A[i,k]·B[i,k]  in double
template <typename T>
__global__ void __launch_bounds__(kThreads)
    column_dots_kernel(Index rows, const T* A, Index lda, const T* B, Index ldb, double* out_dev) {
  __shared__ typename BlockReduce<double>::TempStorage temp;
  const Index k = blockIdx.x;
  const double part = body::column_dot_partial(k, threadIdx.x, kThreads, rows, A, lda, B, ldb);
  const double total = BlockReduce<double>(temp).Sum(part);
  if (threadIdx.x == 0) out_dev[k] = total;
}

// Row j (grid-stride): max_k (|G[j,k]| − λ_k·α·w_j), as std::max(worst, v) does it on the CPU
template <typename T>
__global__ void __launch_bounds__(kThreads)
    row_violations_kernel(Index p, Index K, const T* G, Index ldg, const T* lambda, T alpha,
                          ops::FeaturePenalty<T> penalty, double* out_dev) {
  body::row_violations(static_cast<Index>(blockIdx.x) * kThreads + threadIdx.x,
                       static_cast<Index>(gridDim.x) * kThreads, p, K, G, ldg, lambda, alpha,
                       penalty, out_dev);
}

}  // namespace

template <typename T>
void launch_standardize(cudaStream_t stream, Index n, Index p, T* X, Index ldx, bool center,
                        bool scale, double* mean_dev, double* scale_dev) {
  if (n <= 0 || p <= 0) return;
  standardize_kernel<<<column_blocks(p), kThreads, 0, stream>>>(n, X, ldx, center, scale,
                                                                  mean_dev, scale_dev);
  REGPATH_CUDA_CHECK_LAUNCH("standardize_kernel");
}

template <typename T>
void launch_momentum_step(cudaStream_t stream, Index p, Index K, const T* B_next, const T* B_cur,
                          T* Y, T* theta) {
  if (K <= 0) return;
  momentum_step_kernel<<<column_blocks(K), kThreads, 0, stream>>>(p, B_next, B_cur, Y, theta);
  REGPATH_CUDA_CHECK_LAUNCH("momentum_step_kernel");
}

template <typename T>
void launch_gap_terms(cudaStream_t stream, Index p, Index K, const T* B, const T* G, const T* c,
                      const T* lambda, T alpha, ops::FeaturePenalty<T> penalty,
                      ops::GapTerms* out_dev) {
  if (K <= 0) return;
  gap_terms_kernel<<<column_blocks(K), kThreads, 0, stream>>>(p, B, G, c, lambda, alpha, penalty,
                                                              out_dev);
  REGPATH_CUDA_CHECK_LAUNCH("gap_terms_kernel");
}

template <typename T>
void launch_penalty_terms(cudaStream_t stream, Index p, Index K, const T* B, const T* G, Index ld,
                          const T* lambda, const T* alpha, ops::FeaturePenalty<T> penalty,
                          ops::PenaltyTerms* out_dev) {
  if (K <= 0) return;
  penalty_terms_kernel<<<column_blocks(K), kThreads, 0, stream>>>(p, B, G, ld, lambda, alpha,
                                                                    penalty, out_dev);
  REGPATH_CUDA_CHECK_LAUNCH("penalty_terms_kernel");
}

template <typename T>
void launch_column_dots(cudaStream_t stream, Index rows, Index K, const T* A, Index lda,
                        const T* B, Index ldb, double* out_dev) {
  if (K <= 0) return;
  column_dots_kernel<<<column_blocks(K), kThreads, 0, stream>>>(rows, A, lda, B, ldb, out_dev);
  REGPATH_CUDA_CHECK_LAUNCH("column_dots_kernel");
}

template <typename T>
void launch_row_violations(cudaStream_t stream, Index p, Index K, const T* G, Index ldg,
                           const T* lambda, T alpha, ops::FeaturePenalty<T> penalty,
                           double* out_dev) {
  if (p <= 0) return;
  const unsigned blocks = stride_blocks(p);
  row_violations_kernel<<<blocks, kThreads, 0, stream>>>(p, K, G, ldg, lambda, alpha, penalty,
                                                         out_dev);
  REGPATH_CUDA_CHECK_LAUNCH("row_violations_kernel");
}

#define REGPATH_INSTANTIATE(T)                                                                  \
  template void launch_standardize<T>(cudaStream_t, Index, Index, T*, Index, bool, bool,       \
                                      double*, double*);                                       \
  template void launch_momentum_step<T>(cudaStream_t, Index, Index, const T*, const T*, T*,    \
                                        T*);                                                   \
  template void launch_gap_terms<T>(cudaStream_t, Index, Index, const T*, const T*, const T*,  \
                                    const T*, T, ops::FeaturePenalty<T>, ops::GapTerms*);      \
  template void launch_penalty_terms<T>(cudaStream_t, Index, Index, const T*, const T*, Index, \
                                        const T*, const T*, ops::FeaturePenalty<T>,            \
                                        ops::PenaltyTerms*);                                   \
  template void launch_column_dots<T>(cudaStream_t, Index, Index, const T*, Index, const T*,   \
                                      Index, double*);                                 \
  template void launch_row_violations<T>(cudaStream_t, Index, Index, const T*, Index, const T*, \
                                         T, ops::FeaturePenalty<T>, double*);
REGPATH_INSTANTIATE(float)
REGPATH_INSTANTIATE(double)
#undef REGPATH_INSTANTIATE

}  // namespace regpath::cuda
