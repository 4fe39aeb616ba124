// The CUDA backend: the same primitives as the CPU reference backend (cpu_backend.hpp, which is
// the specification, with the math), on one CUDA device. GEMMs go to cuBLAS, the rest are a few
// kernels in kernels/ whose scalar formulas come from core/engine/scalar_ops.hpp.
//
// This header is compiled by the host C++ compiler too: it names no CUDA type. The stream, the
// cuBLAS handle and the scratch space live behind an opaque pointer (detail::CudaContext, defined
// in kernels/cuda_backend.cu).
//
// All work of one backend object runs in order on its one stream. Pointers passed to the
// primitives point into device buffers made by allocate(); host pointers are named host_*, or are
// the host output arrays of standardize / gap_terms / column_dots. Only download and the
// primitives with host outputs wait for the device; the per-iteration primitives (gemm,
// fill_columns, prox_step, momentum_step) neither allocate nor synchronize.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/engine/glm_scalar_ops.hpp"
#include "core/engine/scalar_ops.hpp"
#include "core/penalty/feature_penalty.hpp"

namespace regpath {

namespace detail {

// Device bytes held by one backend and its buffers (shared, so a buffer may outlive its backend).
struct CudaMemoryStats {
  std::int64_t current = 0;
  std::int64_t peak = 0;
};

// cudaFree, and the bookkeeping; never throws (it runs in destructors).
void cuda_free_tracked(void* ptr, std::size_t bytes, CudaMemoryStats* stats) noexcept;

struct CudaContext;  // stream, cuBLAS handle, scratch: kernels/cuda_backend.cu

}  // namespace detail

template <typename T>
class CudaBackend;

// An owning device array of T: movable, not copyable; default-constructed it is empty.
template <typename T>
class CudaBuffer {
 public:
  CudaBuffer() = default;
  CudaBuffer(CudaBuffer&& other) noexcept
      : ptr_(other.ptr_), size_(other.size_), stats_(std::move(other.stats_)) {
    other.ptr_ = nullptr;
    other.size_ = 0;
  }
  CudaBuffer& operator=(CudaBuffer&& other) noexcept {
    if (this != &other) {
      release();
      ptr_ = other.ptr_;
      size_ = other.size_;
      stats_ = std::move(other.stats_);
      other.ptr_ = nullptr;
      other.size_ = 0;
    }
    return *this;
  }
  CudaBuffer(const CudaBuffer&) = delete;
  CudaBuffer& operator=(const CudaBuffer&) = delete;
  ~CudaBuffer() { release(); }

  T* data() { return ptr_; }
  const T* data() const { return ptr_; }
  std::size_t size() const { return size_; }

 private:
  friend class CudaBackend<T>;
  CudaBuffer(T* ptr, std::size_t size, std::shared_ptr<detail::CudaMemoryStats> stats)
      : ptr_(ptr), size_(size), stats_(std::move(stats)) {}
  void release() noexcept {
    if (ptr_) detail::cuda_free_tracked(ptr_, size_ * sizeof(T), stats_.get());
    ptr_ = nullptr;
    size_ = 0;
  }

  T* ptr_ = nullptr;
  std::size_t size_ = 0;
  std::shared_ptr<detail::CudaMemoryStats> stats_;
};

template <typename T>
class CudaBackend {
 public:
  using value_type = T;
  using Buffer = CudaBuffer<T>;
  using Index = std::int64_t;

  // Uses the device current at construction (device 0 unless the caller chose another) and
  // creates the backend's stream and cuBLAS handle. Throws DeviceError (regpath.hpp), with the
  // CUDA error, when no device is usable.
  CudaBackend();
  ~CudaBackend();
  CudaBackend(CudaBackend&&) noexcept;
  CudaBackend& operator=(CudaBackend&&) noexcept;
  CudaBackend(const CudaBackend&) = delete;
  CudaBackend& operator=(const CudaBackend&) = delete;

  // "cuda:<device name>"
  std::string name() const;

  // Zero-filled. Failure throws OutOfMemoryError (regpath.hpp) naming the bytes requested and
  // free.
  Buffer allocate(std::size_t count);
  // Returns when host_src may be reused.
  void upload(T* dst, const T* host_src, std::size_t count);
  // Returns when host_dst holds the data.
  void download(T* host_dst, const T* src, std::size_t count);
  // Device to device; overlapping ranges are allowed (memmove semantics).
  void copy(T* dst, const T* src, std::size_t count);
  void synchronize();

  // C = α·op(A)·op(B) + β·C, op(A) m×k, op(B) k×n
  void gemm(bool trans_a, bool trans_b, Index m, Index n, Index k, T alpha, const T* A, Index lda,
            const T* B, Index ldb, T beta, T* C, Index ldc);

  // C = α·AᵀA (p × p, both triangles), A rows × p
  void gram(Index rows, Index p, T alpha, const T* A, Index lda, T* C, Index ldc);

  // glmnet's standardization of the p columns of X in place; see CpuBackend::standardize.
  void standardize(Index n, Index p, T* X, Index ldx, bool center, bool scale, double* mean_out,
                   double* scale_out);

  // M[:, k] = s·v for every column k
  void fill_columns(Index rows, Index cols, T* M, Index ldm, const T* v, T s);

  // M[:, k] /= d_k (0 where d_k ≤ 0)
  void divide_columns(Index rows, Index cols, T* M, Index ldm, const T* d);

  // B_next[:, k] = prox(Y[:, k] − step_k·G[:, k]) (ops::prox_elastic_net, elementwise)
  void prox_step(Index p, Index K, const T* Y, const T* G, const T* step, const T* lambda, T alpha,
                 const ops::FeaturePenalty<T>& penalty, T* B_next);

  // FISTA momentum with gradient-based adaptive restart, per column; see CpuBackend.
  void momentum_step(Index p, Index K, const T* B_next, const T* B_cur, T* Y, T* theta);

  // Where restart[k] > 0: Y[:, k] = B[:, k], step[k] = restart[k], theta[k] = 1 (rows × K).
  void restart_columns(Index rows, Index K, const T* restart, T* step, T* theta, T* Y,
                       const T* B);

  // Per-column duality-gap sums (ops::GapTerms) of B against its gradient G; out (host) gets K.
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

  // out[j] = max_k (|G[j, k]| − λ_k·α·w_j)  (host, p values; −∞ when K = 0)
  void row_violations(Index p, Index K, const T* G, Index ldg, const T* lambda, T alpha,
                      const ops::FeaturePenalty<T>& penalty, double* out);

  // dst[:, i] = src[:, idx[i]]  (rows × idx.size(), dst leading dimension rows; dst must not
  // overlap src)
  void gather_columns(Index rows, const T* src, Index lds, const std::vector<Index>& idx, T* dst);

  // In place: column i ← column keep[i] (keep ascending).
  void compact_columns(Index rows, T* M, Index ldm, const std::vector<Index>& keep);

  // The GLM batch primitives; see CpuBackend for the math.
  void glm_pointwise(ops::GlmOp op, ops::Datafit datafit, Index n, Index K, const T* E, const T* y,
                     const T* row_fold, const T* col, T* out, const T* row_weight = nullptr);
  void to_raw(Index p, Index K, const T* S, const T* Mu, const T* col, const T* B, T* Braw);
  void from_raw_gradient(Index p, Index K, const T* S, const T* Mu, const T* col, const T* Graw,
                         bool intercept, T* G);
  void prox_step_glm(Index p, Index K, const T* Y, const T* G, const T* step, const T* lambda,
                     const T* alpha, const ops::FeaturePenalty<T>& penalty, T* B_next);
  void penalty_terms(Index p, Index K, const T* B, const T* G, Index ld, const T* lambda,
                     const T* alpha, const ops::FeaturePenalty<T>& penalty, ops::PenaltyTerms* out);

  // Orders this backend's stream after the work queued so far on the legacy default stream
  // (stream 0) of the current device: before reading input that the caller wrote there (the C
  // API's device pointers). CUDA-only; no host wait.
  void wait_for_default_stream();

  // Device bytes held now / at most so far by this backend: its buffers, its scratch space and
  // the cuBLAS workspace it gives cuBLAS.
  std::int64_t current_bytes() const;
  std::int64_t peak_bytes() const;

 private:
  std::shared_ptr<detail::CudaMemoryStats> stats_;
  std::unique_ptr<detail::CudaContext> ctx_;
};

extern template class CudaBackend<float>;
extern template class CudaBackend<double>;

}  // namespace regpath
