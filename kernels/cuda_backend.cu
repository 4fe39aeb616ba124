// The CUDA backend's methods: device memory, transfers, cuBLAS calls and the launches of the
// kernels in elementwise_kernels.cu and column_kernels.cu. The math of every primitive is in
// src/backends/cpu_backend.hpp (the reference); here, above each call, what it computes.
#include "backends/cuda_backend.hpp"
#include "backends/backend_concept.hpp"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <iomanip>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

#include "column_kernels.cuh"
#include "cublas_loader.hpp"
#include "cuda_check.hpp"
#include "elementwise_kernels.cuh"
#include "glm_kernels.cuh"
#include "launch_plan.hpp"

namespace regpath {
namespace detail {

void cuda_free_tracked(void* ptr, std::size_t bytes, CudaMemoryStats* stats) noexcept {
  if (!ptr) return;
  // Cannot throw here (destructors); a failure also sets CUDA's last error, cleared so that it
  // is not reported later as the failure of an unrelated kernel launch.
  if (cudaFree(ptr) != cudaSuccess) (void)cudaGetLastError();
  if (stats) cuda::account_free(*stats, bytes);
}

// A device allocation that grows (only) when asked for more.
struct DeviceScratch {
  void* ptr = nullptr;
  std::size_t bytes = 0;
};

// Everything of a backend object that names CUDA types.
struct CudaContext {
  int device = 0;
  std::string device_name;
  cudaStream_t stream = nullptr;
  cublasHandle_t cublas = nullptr;
  std::shared_ptr<CudaMemoryStats> stats;
  DeviceScratch cublas_workspace;
  DeviceScratch results;  // per-column results of the reductions, before they go to the host
  DeviceScratch columns;  // staging of columns: compact_columns, overlapping copies
  void* pinned = nullptr;  // host staging of the small host outputs (page-locked)
  std::size_t pinned_bytes = 0;

  CudaContext() = default;
  CudaContext(const CudaContext&) = delete;
  CudaContext& operator=(const CudaContext&) = delete;

  ~CudaContext() {
    // Errors are ignored: nothing can be thrown from here, and a failed device has nothing left
    // worth freeing carefully.
    if (stream) (void)cudaStreamSynchronize(stream);
    if (cublas) (void)cuda::cublas_api(nullptr)->destroy(cublas);  // loaded: it made cublas
    for (DeviceScratch* s : {&cublas_workspace, &results, &columns})
      cuda_free_tracked(s->ptr, s->bytes, stats.get());
    if (pinned) (void)cudaFreeHost(pinned);
    if (stream) (void)cudaStreamDestroy(stream);
    (void)cudaGetLastError();
  }

  // cudaMalloc with bookkeeping; failure says how much was asked for and how much is free, and is
  // an OutOfMemoryError when the device had too little (any other failure: DeviceError).
  void* device_malloc(std::size_t bytes) {
    if (bytes == 0) return nullptr;
    void* ptr = nullptr;
    const cudaError_t err = cudaMalloc(&ptr, bytes);
    if (err != cudaSuccess) {
      (void)cudaGetLastError();  // out of memory is not sticky: clear it, the backend stays usable
      std::size_t free_bytes = 0, total_bytes = 0;
      const bool known = cudaMemGetInfo(&free_bytes, &total_bytes) == cudaSuccess;
      (void)cudaGetLastError();
      std::ostringstream msg;
      msg << std::fixed << std::setprecision(2) << "CUDA backend: cannot allocate " << bytes
          << " bytes (" << double(bytes) / double(1ull << 30) << " GiB) on device " << device
          << " (" << device_name << "): ";
      if (known)
        msg << free_bytes << " bytes free of " << total_bytes << " bytes";
      else
        msg << "bytes free unknown (cudaMemGetInfo failed)";
      msg << "; regpath holds " << stats->current << " bytes; cudaMalloc: "
          << cudaGetErrorName(err) << ": " << cudaGetErrorString(err);
      if (err == cudaErrorMemoryAllocation) throw OutOfMemoryError(msg.str());
      throw DeviceError(msg.str());
    }
    cuda::account_allocation(*stats, bytes);
    return ptr;
  }

  // Scratch of at least `bytes`; growing waits for the work that may still use the old one.
  void* device_scratch(DeviceScratch& s, std::size_t bytes) {
    if (cuda::scratch_must_grow(s.bytes, bytes)) {
      REGPATH_CUDA_CHECK(cudaStreamSynchronize(stream));
      cuda_free_tracked(s.ptr, s.bytes, stats.get());
      s = DeviceScratch{};
      s.ptr = device_malloc(bytes);
      s.bytes = bytes;
    }
    return s.ptr;
  }

  void* pinned_scratch(std::size_t bytes) {
    if (cuda::scratch_must_grow(pinned_bytes, bytes)) {
      REGPATH_CUDA_CHECK(cudaStreamSynchronize(stream));
      // Forget the old block before freeing it: if cudaFreeHost fails (and throws), the
      // destructor must not free it a second time.
      void* old = pinned;
      pinned = nullptr;
      pinned_bytes = 0;
      if (old) REGPATH_CUDA_CHECK(cudaFreeHost(old));
      const cudaError_t err = cudaMallocHost(&pinned, bytes);
      if (err != cudaSuccess) {
        (void)cudaGetLastError();
        pinned = nullptr;
        const std::string msg = "CUDA backend: cannot allocate " + std::to_string(bytes) +
                                " bytes of page-locked host memory: cudaMallocHost: " +
                                cudaGetErrorName(err) + ": " + cudaGetErrorString(err);
        if (err == cudaErrorMemoryAllocation) throw OutOfMemoryError(msg);
        throw DeviceError(msg);
      }
      pinned_bytes = bytes;
    }
    return pinned;
  }

  // host_out[0..count) = dev[0..count): through the pinned staging, then wait for the stream.
  template <typename V>
  void fetch(const V* dev, V* host_out, std::size_t count) {
    if (count == 0) return;
    V* staging = static_cast<V*>(pinned_scratch(count * sizeof(V)));
    REGPATH_CUDA_CHECK(
        cudaMemcpyAsync(staging, dev, count * sizeof(V), cudaMemcpyDeviceToHost, stream));
    REGPATH_CUDA_CHECK(cudaStreamSynchronize(stream));
    std::copy(staging, staging + count, host_out);
  }
};

}  // namespace detail

namespace {

using Index = std::int64_t;
using cuda::cublas_int;
using cuda::overlaps;

cublasOperation_t op(bool trans) { return trans ? CUBLAS_OP_T : CUBLAS_OP_N; }

cublasStatus_t cublas_gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m,
                           int n, int k, const double* alpha, const double* A, int lda,
                           const double* B, int ldb, const double* beta, double* C, int ldc) {
  return cuda::cublas().dgemm(h, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
cublasStatus_t cublas_gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m,
                           int n, int k, const float* alpha, const float* A, int lda,
                           const float* B, int ldb, const float* beta, float* C, int ldc) {
  return cuda::cublas().sgemm(h, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
cublasStatus_t cublas_syrk(cublasHandle_t h, int n, int k, const double* alpha, const double* A,
                           int lda, const double* beta, double* C, int ldc) {
  return cuda::cublas().dsyrk(h, CUBLAS_FILL_MODE_LOWER, CUBLAS_OP_T, n, k, alpha, A, lda, beta,
                               C, ldc);
}
cublasStatus_t cublas_syrk(cublasHandle_t h, int n, int k, const float* alpha, const float* A,
                           int lda, const float* beta, float* C, int ldc) {
  return cuda::cublas().ssyrk(h, CUBLAS_FILL_MODE_LOWER, CUBLAS_OP_T, n, k, alpha, A, lda, beta,
                               C, ldc);
}

// cuBLAS's recommended workspace: 32 MiB on Hopper and newer, 4 MiB before.
std::size_t cublas_workspace_bytes(int compute_major) {
  return (compute_major >= 9 ? 32u : 4u) << 20;
}

}  // namespace

template <typename T>
CudaBackend<T>::CudaBackend()
    : stats_(std::make_shared<detail::CudaMemoryStats>()),
      ctx_(std::make_unique<detail::CudaContext>()) {
  detail::CudaContext& c = *ctx_;  // freed by its destructor if anything below throws
  c.stats = stats_;
  REGPATH_CUDA_CHECK(cudaGetDevice(&c.device));
  cudaDeviceProp prop{};
  REGPATH_CUDA_CHECK(cudaGetDeviceProperties(&prop, c.device));
  c.device_name = prop.name;
  REGPATH_CUDA_CHECK(cudaStreamCreateWithFlags(&c.stream, cudaStreamNonBlocking));
  // cuBLAS is loaded on first use (cublas_loader.hpp): a missing library is a DeviceError here.
  const cuda::CublasApi& cublas = cuda::cublas();
  REGPATH_CUBLAS_CHECK(cublas.create(&c.cublas));
  REGPATH_CUBLAS_CHECK(cublas.set_stream(c.cublas, c.stream));
  // Plain float32 / float64 arithmetic in the GEMMs (no TF32 shortcut for float).
  REGPATH_CUBLAS_CHECK(cublas.set_math_mode(c.cublas, CUBLAS_DEFAULT_MATH));
  // cuBLAS's workspace comes from us, once (after cublasSetStream, which resets it): no
  // allocation inside gemm, and it counts in peak_bytes().
  const std::size_t ws = cublas_workspace_bytes(prop.major);
  c.device_scratch(c.cublas_workspace, ws);
  REGPATH_CUBLAS_CHECK(cublas.set_workspace(c.cublas, c.cublas_workspace.ptr, ws));
}

template <typename T>
CudaBackend<T>::~CudaBackend() = default;
template <typename T>
CudaBackend<T>::CudaBackend(CudaBackend&&) noexcept = default;
template <typename T>
CudaBackend<T>& CudaBackend<T>::operator=(CudaBackend&&) noexcept = default;

template <typename T>
std::string CudaBackend<T>::name() const {
  return "cuda:" + ctx_->device_name;
}

template <typename T>
std::int64_t CudaBackend<T>::current_bytes() const {
  return stats_->current;
}
template <typename T>
std::int64_t CudaBackend<T>::peak_bytes() const {
  return stats_->peak;
}

template <typename T>
typename CudaBackend<T>::Buffer CudaBackend<T>::allocate(std::size_t count) {
  if (count == 0) return Buffer();
  const std::size_t bytes = cuda::checked_bytes(count, sizeof(T), "CUDA backend");
  Buffer buffer(static_cast<T*>(ctx_->device_malloc(bytes)), count, stats_);
  REGPATH_CUDA_CHECK(cudaMemsetAsync(buffer.data(), 0, bytes, ctx_->stream));
  return buffer;
}

template <typename T>
void CudaBackend<T>::upload(T* dst, const T* host_src, std::size_t count) {
  if (count == 0) return;
  REGPATH_CUDA_CHECK(cudaMemcpyAsync(dst, host_src, count * sizeof(T), cudaMemcpyHostToDevice,
                                     ctx_->stream));
  // host_src may be page-locked (then the copy above is truly asynchronous): wait, so that the
  // caller may reuse it at once.
  REGPATH_CUDA_CHECK(cudaStreamSynchronize(ctx_->stream));
}

template <typename T>
void CudaBackend<T>::download(T* host_dst, const T* src, std::size_t count) {
  if (count == 0) return;
  REGPATH_CUDA_CHECK(cudaMemcpyAsync(host_dst, src, count * sizeof(T), cudaMemcpyDeviceToHost,
                                     ctx_->stream));
  REGPATH_CUDA_CHECK(cudaStreamSynchronize(ctx_->stream));
}

template <typename T>
void CudaBackend<T>::copy(T* dst, const T* src, std::size_t count) {
  if (count == 0 || dst == src) return;
  const std::size_t bytes = count * sizeof(T);
  if (!overlaps(dst, src, bytes)) {
    REGPATH_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, ctx_->stream));
    return;
  }
  // Overlapping ranges (memmove): through the column scratch.
  void* tmp = ctx_->device_scratch(ctx_->columns, bytes);
  REGPATH_CUDA_CHECK(cudaMemcpyAsync(tmp, src, bytes, cudaMemcpyDeviceToDevice, ctx_->stream));
  REGPATH_CUDA_CHECK(cudaMemcpyAsync(dst, tmp, bytes, cudaMemcpyDeviceToDevice, ctx_->stream));
}

template <typename T>
void CudaBackend<T>::synchronize() {
  REGPATH_CUDA_CHECK(cudaStreamSynchronize(ctx_->stream));
}

template <typename T>
void CudaBackend<T>::wait_for_default_stream() {
  // The backend's stream is non-blocking: without this it would not wait for the caller's
  // cudaMemcpy / kernels on stream 0. An event recorded there, waited for here (on the device).
  cudaEvent_t done = nullptr;
  REGPATH_CUDA_CHECK(cudaEventCreateWithFlags(&done, cudaEventDisableTiming));
  const cudaError_t recorded = cudaEventRecord(done, cudaStreamLegacy);
  const cudaError_t waited =
      recorded == cudaSuccess ? cudaStreamWaitEvent(ctx_->stream, done, 0) : recorded;
  (void)cudaEventDestroy(done);  // released once the wait is satisfied
  REGPATH_CUDA_CHECK(waited);
}

template <typename T>
void CudaBackend<T>::gemm(bool trans_a, bool trans_b, Index m, Index n, Index k, T alpha,
                          const T* A, Index lda, const T* B, Index ldb, T beta, T* C, Index ldc) {
  if (m == 0 || n == 0) return;
  // C = α·op(A)·op(B) + β·C   (cuBLAS GEMM, column-major, 2·m·n·k flops)
  REGPATH_CUBLAS_CHECK(cublas_gemm(
      ctx_->cublas, op(trans_a), op(trans_b), cublas_int(m, "m"), cublas_int(n, "n"),
      cublas_int(k, "k"), &alpha, A, cublas_int(std::max<Index>(lda, 1), "lda"), B,
      cublas_int(std::max<Index>(ldb, 1), "ldb"), &beta, C,
      cublas_int(std::max<Index>(ldc, 1), "ldc")));
}

template <typename T>
void CudaBackend<T>::gram(Index rows, Index p, T alpha, const T* A, Index lda, T* C, Index ldc) {
  if (p == 0) return;
  const T zero(0);
  // lower(C) = α·AᵀA   (cuBLAS SYRK, rows·p² flops: half a GEMM)
  REGPATH_CUBLAS_CHECK(cublas_syrk(ctx_->cublas, cublas_int(p, "p"), cublas_int(rows, "rows"),
                                   &alpha, A, cublas_int(std::max<Index>(lda, 1), "lda"), &zero,
                                   C, cublas_int(std::max<Index>(ldc, 1), "ldc")));
  // upper(C) = lower(C)ᵀ
  cuda::launch_mirror_lower(ctx_->stream, p, C, ldc);
}

template <typename T>
void CudaBackend<T>::standardize(Index n, Index p, T* X, Index ldx, bool center, bool scale,
                                 double* mean_out, double* scale_out) {
  if (p <= 0) return;
  if (n <= 0) {  // no observation: nothing varies
    std::fill(mean_out, mean_out + p, 0.0);
    std::fill(scale_out, scale_out + p, 0.0);
    return;
  }
  const auto up = static_cast<std::size_t>(p);
  auto* dev = static_cast<double*>(ctx_->device_scratch(ctx_->results, 2 * up * sizeof(double)));
  // per column j: constant? mean, sd (double, two passes); X[:, j] ← (X[:, j] − shift)/sd or 0
  cuda::launch_standardize(ctx_->stream, n, p, X, ldx, center, scale, dev, dev + p);
  ctx_->fetch(dev, mean_out, up);
  ctx_->fetch(dev + p, scale_out, up);
}

template <typename T>
void CudaBackend<T>::fill_columns(Index rows, Index cols, T* M, Index ldm, const T* v, T s) {
  // M[:, k] = s·v   (elementwise, rows·cols)
  cuda::launch_fill_columns(ctx_->stream, rows, cols, M, ldm, v, s);
}

template <typename T>
void CudaBackend<T>::divide_columns(Index rows, Index cols, T* M, Index ldm, const T* d) {
  // M[:, k] = d_k > 0 ? M[:, k] / d_k : 0   (elementwise, rows·cols)
  cuda::launch_divide_columns(ctx_->stream, rows, cols, M, ldm, d);
}

template <typename T>
void CudaBackend<T>::prox_step(Index p, Index K, const T* Y, const T* G, const T* step,
                               const T* lambda, T alpha, const ops::FeaturePenalty<T>& penalty,
                               T* B_next) {
  // B_next = S(Y − t_k·G, t_k·λ_k·α·w) / (1 + t_k·λ_k·(1−α)·w)   (elementwise, p·K)
  cuda::launch_prox_step(ctx_->stream, p, K, Y, G, step, lambda, alpha, penalty, B_next);
}

template <typename T>
void CudaBackend<T>::momentum_step(Index p, Index K, const T* B_next, const T* B_cur, T* Y,
                                   T* theta) {
  // per column: restart test (Y − B_next)ᵀ(B_next − B_cur) > 0 (block reduction), then
  // Y = B_next  or  Y = B_next + ((θ − 1)/θ')(B_next − B_cur),  θ updated on the device
  cuda::launch_momentum_step(ctx_->stream, p, K, B_next, B_cur, Y, theta);
}

template <typename T>
void CudaBackend<T>::restart_columns(Index rows, Index K, const T* restart, T* step, T* theta,
                                     T* Y, const T* B) {
  // where restart[k] > 0: Y[:, k] = B[:, k], t_k = restart[k], θ_k = 1  (one elementwise launch)
  cuda::launch_restart_columns(ctx_->stream, rows, K, restart, step, theta, Y, B);
}

template <typename T>
void CudaBackend<T>::gap_terms(Index p, Index K, const T* B, const T* G, const T* c,
                               const T* lambda, T alpha, const ops::FeaturePenalty<T>& penalty,
                               ops::GapTerms* out) {
  if (K <= 0) return;
  const auto uk = static_cast<std::size_t>(K);
  auto* dev = static_cast<ops::GapTerms*>(
      ctx_->device_scratch(ctx_->results, uk * sizeof(ops::GapTerms)));
  // per column: Σ βg, Σ|β|, Σβ², Σ(|g| − λα)₊², max|g + λ(1−α)β|, Σ cβ   (block reductions)
  cuda::launch_gap_terms(ctx_->stream, p, K, B, G, c, lambda, alpha, penalty, dev);
  ctx_->fetch(dev, out, uk);  // the solver's one sync point per convergence check
}

template <typename T>
void CudaBackend<T>::penalty_terms(Index p, Index K, const T* B, const T* G, Index ld,
                                   const T* lambda, const T* alpha,
                                   const ops::FeaturePenalty<T>& penalty,
                                   ops::PenaltyTerms* out) {
  if (K <= 0) return;
  const auto uk = static_cast<std::size_t>(K);
  auto* dev = static_cast<ops::PenaltyTerms*>(
      ctx_->device_scratch(ctx_->results, uk * sizeof(ops::PenaltyTerms)));
  // per column: Σ|β|, Σβ², Σ(|g| − λα)₊², max|g| over the penalized rows   (block reductions)
  cuda::launch_penalty_terms(ctx_->stream, p, K, B, G, ld, lambda, alpha, penalty, dev);
  ctx_->fetch(dev, out, uk);  // the GLM batch's one sync point for the penalty per check
}

template <typename T>
void CudaBackend<T>::column_dots(Index rows, Index K, const T* A, Index lda, const T* B,
                                 Index ldb, double* out) {
  if (K <= 0) return;
  const auto uk = static_cast<std::size_t>(K);
  auto* dev = static_cast<double*>(ctx_->device_scratch(ctx_->results, uk * sizeof(double)));
  // out[k] = Σ_i A[i,k]·B[i,k]   (block reductions, in double)
  cuda::launch_column_dots(ctx_->stream, rows, K, A, lda, B, ldb, dev);
  ctx_->fetch(dev, out, uk);
}

template <typename T>
void CudaBackend<T>::set_zero(T* dst, std::size_t count) {
  // dst = 0   (all-zero bits are +0.0)
  if (count) REGPATH_CUDA_CHECK(cudaMemsetAsync(dst, 0, count * sizeof(T), ctx_->stream));
}

template <typename T>
void CudaBackend<T>::row_violations(Index p, Index K, const T* G, Index ldg, const T* lambda,
                                    T alpha, const ops::FeaturePenalty<T>& penalty, double* out) {
  if (p <= 0) return;
  const auto up = static_cast<std::size_t>(p);
  auto* dev = static_cast<double*>(ctx_->device_scratch(ctx_->results, up * sizeof(double)));
  // out[j] = max_k (|G[j,k]| − λ_k·α·w_j)   (one thread per row, in double)
  cuda::launch_row_violations(ctx_->stream, p, K, G, ldg, lambda, alpha, penalty, dev);
  ctx_->fetch(dev, out, up);
}

namespace {

using cuda::for_index_chunks;
using cuda::leading;

// dst[:, s] = src[:, idx[first + s]] for s < count, in launches of at most kIndexChunk columns
// whose indices travel in the kernel's parameters.
template <typename T>
void gather_in_chunks(cudaStream_t stream, Index rows, const T* src, Index lds,
                      const std::vector<Index>& idx, std::size_t first, T* dst) {
  cuda::gather_in_chunks(rows, idx, first, [&](const cuda::IndexChunk& chunk, Index offset) {
    cuda::launch_gather_columns(stream, rows, src, lds, chunk, dst + offset, rows);
  });
}

}  // namespace

template <typename T>
void CudaBackend<T>::gather_rows(Index rows, Index cols, const T* src, Index lds,
                                 const std::vector<Index>& idx, T* dst, Index ldd) {
  // dst[a, k] = src[idx[a], k]   (elementwise, rows·cols)
  for_index_chunks(idx.data(), leading(idx, rows), [&](const cuda::IndexChunk& chunk, Index a0) {
    cuda::launch_gather_rows(ctx_->stream, cols, src, lds, chunk, a0, dst, ldd);
  });
}

template <typename T>
void CudaBackend<T>::scatter_rows(Index rows, Index cols, const T* src, Index lds,
                                  const std::vector<Index>& idx, T* dst, Index ldd) {
  // dst[idx[a], k] = src[a, k]   (elementwise, rows·cols)
  for_index_chunks(idx.data(), leading(idx, rows), [&](const cuda::IndexChunk& chunk, Index a0) {
    cuda::launch_scatter_rows(ctx_->stream, cols, src, lds, chunk, a0, dst, ldd);
  });
}

template <typename T>
void CudaBackend<T>::gather_columns(Index rows, const T* src, Index lds,
                                    const std::vector<Index>& idx, T* dst) {
  // dst[:, i] = src[:, idx[i]]   (elementwise, rows·|idx|)
  gather_in_chunks(ctx_->stream, rows, src, lds, idx, 0, dst);
}

template <typename T>
void CudaBackend<T>::compact_columns(Index rows, T* M, Index ldm, const std::vector<Index>& keep) {
  // Columns before plan.first stay where they are; the others go through scratch, since
  // parallel in-place copies could overwrite a column before it is read (launch_plan.hpp).
  const cuda::CompactPlan plan = cuda::compact_plan(rows, keep);
  if (plan.moved == 0) return;
  const auto urows = static_cast<std::size_t>(rows);
  auto* tmp = static_cast<T*>(ctx_->device_scratch(ctx_->columns, plan.scratch_values * sizeof(T)));
  // tmp[:, s] = M[:, keep[first + s]]
  gather_in_chunks(ctx_->stream, rows, static_cast<const T*>(M), ldm, keep, plan.first, tmp);
  // M[:, first + s] = tmp[:, s]   (one strided copy)
  REGPATH_CUDA_CHECK(cudaMemcpy2DAsync(M + static_cast<Index>(plan.first) * ldm, ldm * sizeof(T),
                                       tmp, urows * sizeof(T), urows * sizeof(T), plan.moved,
                                       cudaMemcpyDeviceToDevice, ctx_->stream));
}

template <typename T>
void CudaBackend<T>::glm_pointwise(ops::GlmOp op, ops::Datafit datafit, Index n, Index K,
                                   const T* E, const T* y, const T* row_fold, const T* col,
                                   T* out, const T* row_weight) {
  // out = v∘(residual / loss / conjugate / test error) per element, masked by fold   (n·K)
  cuda::launch_glm_pointwise(ctx_->stream, op, datafit, n, K, E, y, row_fold, col, out,
                             row_weight);
}

template <typename T>
void CudaBackend<T>::to_raw(Index p, Index K, const T* S, const T* Mu, const T* col, const T* B,
                            T* Braw) {
  // Braw = S∘B per column, intercept row minus Σ Mu·Braw   (block reduction per column)
  cuda::launch_to_raw(ctx_->stream, p, K, S, Mu, col, B, Braw);
}

template <typename T>
void CudaBackend<T>::from_raw_gradient(Index p, Index K, const T* S, const T* Mu, const T* col,
                                       const T* Graw, bool intercept, T* G) {
  // G = S∘(Graw − Mu·Graw[p])   (elementwise, (p+1)·K)
  cuda::launch_from_raw_gradient(ctx_->stream, p, K, S, Mu, col, Graw, intercept, G);
}

template <typename T>
void CudaBackend<T>::prox_step_glm(Index p, Index K, const T* Y, const T* G, const T* step,
                                   const T* lambda, const T* alpha,
                                   const ops::FeaturePenalty<T>& penalty,
                                   T* B_next) {
  // rows < p: prox with per-column α and the factors;  row p (intercept): Y − t·G
  cuda::launch_prox_step_glm(ctx_->stream, p, K, Y, G, step, lambda, alpha, penalty, B_next);
}

template class CudaBackend<float>;
template class CudaBackend<double>;
static_assert(is_backend_v<CudaBackend<float>> && is_backend_v<CudaBackend<double>>,
              "CudaBackend must provide every primitive of backends/backend_concept.hpp");

}  // namespace regpath
