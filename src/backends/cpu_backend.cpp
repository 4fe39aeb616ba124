#include "backends/cpu_backend.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "backends/backend_concept.hpp"
#include "backends/blas.hpp"

namespace regpath {
namespace {

int blas_int(std::int64_t v, const char* what) {
  if (v < 0 || v > INT_MAX)
    throw std::runtime_error(std::string("BLAS dimension ") + what + " = " + std::to_string(v) +
                             " does not fit the BLAS integer type");
  return static_cast<int>(v);
}

void blas_gemm(char ta, char tb, int m, int n, int k, double alpha, const double* A, int lda,
               const double* B, int ldb, double beta, double* C, int ldc) {
  dgemm_(&ta, &tb, &m, &n, &k, &alpha, A, &lda, B, &ldb, &beta, C, &ldc, 1, 1);
}
void blas_gemm(char ta, char tb, int m, int n, int k, float alpha, const float* A, int lda,
               const float* B, int ldb, float beta, float* C, int ldc) {
  sgemm_(&ta, &tb, &m, &n, &k, &alpha, A, &lda, B, &ldb, &beta, C, &ldc, 1, 1);
}
void blas_syrk(int n, int k, double alpha, const double* A, int lda, double* C, int ldc) {
  const char uplo = 'L', trans = 'T';
  const double beta = 0;
  dsyrk_(&uplo, &trans, &n, &k, &alpha, A, &lda, &beta, C, &ldc, 1, 1);
}
void blas_syrk(int n, int k, float alpha, const float* A, int lda, float* C, int ldc) {
  const char uplo = 'L', trans = 'T';
  const float beta = 0;
  ssyrk_(&uplo, &trans, &n, &k, &alpha, A, &lda, &beta, C, &ldc, 1, 1);
}

// One column of a small product, C = α·A·b + β·C, by loops: OpenBLAS (0.3.21) packs A for
// every GEMM, even one of a single column (a p × p copy for the Gram form's H·β, a third of the
// CPU time of a 200-response fit before this), and a GEMV instead is threaded at these sizes.
// The loop skips b's zeros, so H·β with a sparse β costs 2·p·|β|₀ flops. Aᵀ·b keeps BLAS (its
// rounding is then the same for one column as for many: a many-responses fit's c = X̃ᵀỸ/n
// equals the single fits'), and so do products above kSmallProduct elements of A.
constexpr std::int64_t kSmallProduct = std::int64_t(1) << 16;

template <typename T>
void small_column_product(std::int64_t m, std::int64_t k, T alpha, const T* A, std::int64_t lda,
                          const T* b, std::int64_t b_stride, T beta, T* C) {
  if (beta == T(0))
    std::fill(C, C + m, T(0));
  else if (beta != T(1))
    for (std::int64_t i = 0; i < m; ++i) C[i] *= beta;
  // C += α·Σ_l a_l·b_l  (a_l column l of A), zero b_l skipped
  for (std::int64_t l = 0; l < k; ++l) {
    const T f = alpha * b[l * b_stride];
    if (f == T(0)) continue;
    const T* a = A + l * lda;
    for (std::int64_t i = 0; i < m; ++i) C[i] += f * a[i];
  }
}

}  // namespace

template <typename T>
void CpuBackend<T>::upload(T* dst, const T* host_src, std::size_t count) {
  if (count) std::memcpy(dst, host_src, count * sizeof(T));
}
template <typename T>
void CpuBackend<T>::download(T* host_dst, const T* src, std::size_t count) {
  if (count) std::memcpy(host_dst, src, count * sizeof(T));
}
template <typename T>
void CpuBackend<T>::copy(T* dst, const T* src, std::size_t count) {
  if (count) std::memmove(dst, src, count * sizeof(T));
}

template <typename T>
void CpuBackend<T>::gemm(bool trans_a, bool trans_b, Index m, Index n, Index k, T alpha,
                         const T* A, Index lda, const T* B, Index ldb, T beta, T* C, Index ldc) {
  if (m == 0 || n == 0) return;
  if (n == 1 && !trans_a && m * k <= kSmallProduct) {
    // B is k × 1 (or, transposed, 1 × k: its elements ldb apart)
    small_column_product(m, k, alpha, A, lda, B, trans_b ? ldb : 1, beta, C);
    return;
  }
  blas_gemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', blas_int(m, "m"), blas_int(n, "n"),
            blas_int(k, "k"), alpha, A, blas_int(std::max<Index>(lda, 1), "lda"), B,
            blas_int(std::max<Index>(ldb, 1), "ldb"), beta, C,
            blas_int(std::max<Index>(ldc, 1), "ldc"));
}

template <typename T>
void CpuBackend<T>::gram(Index rows, Index p, T alpha, const T* A, Index lda, T* C, Index ldc) {
  if (p == 0) return;
  // C = α·AᵀA, lower triangle by SYRK (half the flops of a GEMM), then mirrored.
  // (no rows: C = 0; BLAS still wants lda ≥ 1)
  blas_syrk(blas_int(p, "p"), blas_int(rows, "rows"), alpha, A,
            blas_int(std::max<Index>(lda, 1), "lda"), C, blas_int(ldc, "ldc"));
  for (Index j = 0; j < p; ++j)
    for (Index i = j + 1; i < p; ++i) C[j + i * ldc] = C[i + j * ldc];
}

template <typename T>
void CpuBackend<T>::standardize(Index n, Index p, T* X, Index ldx, bool center, bool scale,
                                double* mean_out, double* scale_out) {
  for (Index j = 0; j < p; ++j) {
    T* x = X + j * ldx;
    // Constant means every value equal, exactly (glmnet's test), whatever the options.
    const bool constant = std::all_of(x, x + n, [&](T v) { return v == x[0]; });
    // Moments of x/m, m = max|x|: neither 1e200 nor 1e-300 over- or underflows when squared.
    double m = 0;
    for (Index i = 0; i < n; ++i) m = std::max(m, std::fabs(double(x[i])));
    if (m == 0) m = 1;
    double mean = 0;
    for (Index i = 0; i < n; ++i) mean += double(x[i]) / m;
    mean /= double(n);
    double s = 1;
    if (scale) {
      // glmnet divides by the centred 1/n standard deviation with or without an intercept.
      double ss = 0;  // Σ(x/m − mean)², two-pass for accuracy
      for (Index i = 0; i < n; ++i) ss += (double(x[i]) / m - mean) * (double(x[i]) / m - mean);
      s = std::sqrt(ss / double(n)) * m;
    }
    mean *= m;
    const double shift = center ? mean : 0.0;
    mean_out[j] = shift;
    if (constant || s == 0) {
      std::fill(x, x + n, T(0));
      scale_out[j] = 0;
      continue;
    }
    for (Index i = 0; i < n; ++i) x[i] = static_cast<T>((double(x[i]) - shift) / s);
    scale_out[j] = s;
  }
}

template <typename T>
void CpuBackend<T>::fill_columns(Index rows, Index cols, T* M, Index ldm, const T* v, T s) {
  for (Index k = 0; k < cols; ++k)
    for (Index i = 0; i < rows; ++i) M[i + k * ldm] = s * v[i];
}

template <typename T>
void CpuBackend<T>::divide_columns(Index rows, Index cols, T* M, Index ldm, const T* d) {
  for (Index k = 0; k < cols; ++k)
    for (Index i = 0; i < rows; ++i) M[i + k * ldm] = d[k] > T(0) ? M[i + k * ldm] / d[k] : T(0);
}

template <typename T>
void CpuBackend<T>::prox_step(Index p, Index K, const T* Y, const T* G, const T* step,
                              const T* lambda, T alpha, const ops::FeaturePenalty<T>& penalty,
                              T* B_next) {
  for (Index k = 0; k < K; ++k)
    for (Index j = 0; j < p; ++j) {
      const Index e = j + k * p;
      B_next[e] = penalty.clip(
          ops::prox_elastic_net(Y[e], G[e], step[k], lambda[k], alpha, penalty.w(j)), j, k);
    }
}

template <typename T>
void CpuBackend<T>::momentum_step(Index p, Index K, const T* B_next, const T* B_cur, T* Y,
                                  T* theta) {
  for (Index k = 0; k < K; ++k) {
    const T* bn = B_next + k * p;
    const T* bc = B_cur + k * p;
    T* y = Y + k * p;
    double restart_test = 0;
    for (Index j = 0; j < p; ++j) restart_test += double(y[j] - bn[j]) * double(bn[j] - bc[j]);
    if (restart_test > 0) {
      theta[k] = T(1);
      std::copy(bn, bn + p, y);
      continue;
    }
    const T next = ops::next_theta(theta[k]);
    const T m = (theta[k] - T(1)) / next;
    for (Index j = 0; j < p; ++j) y[j] = bn[j] + m * (bn[j] - bc[j]);
    theta[k] = next;
  }
}

template <typename T>
void CpuBackend<T>::restart_columns(Index rows, Index K, const T* restart, T* step, T* theta,
                                    T* Y, const T* B) {
  for (Index k = 0; k < K; ++k) {
    if (!(restart[k] > T(0))) continue;
    step[k] = restart[k];
    theta[k] = T(1);
    std::copy(B + k * rows, B + (k + 1) * rows, Y + k * rows);
  }
}

template <typename T>
void CpuBackend<T>::gap_terms(Index p, Index K, const T* B, const T* G, const T* c,
                              const T* lambda, T alpha, const ops::FeaturePenalty<T>& penalty,
                              ops::GapTerms* out) {
  if (!penalty.factor && !penalty.bounded()) {
    // The plain elastic net (w = 1, no bounds): the same terms with those constants folded in
    // (no divisions by w, no bound branches; bit for bit the general loop's sums). The support
    // polish certifies every trial point with one of these, thousands per many-responses fit.
    for (Index k = 0; k < K; ++k) {
      ops::GapTerms acc;
      for (Index j = 0; j < p; ++j)
        ops::accumulate_gap_terms(acc, B[j + k * p], G[j + k * p], c[j], lambda[k], alpha);
      out[k] = acc;
    }
    return;
  }
  for (Index k = 0; k < K; ++k) {
    ops::GapTerms acc;
    for (Index j = 0; j < p; ++j)
      ops::accumulate_gap_terms(acc, B[j + k * p], G[j + k * p], c[j], lambda[k], alpha,
                                penalty.w(j), penalty.lo(j, k), penalty.hi(j, k));
    out[k] = acc;
  }
}

template <typename T>
void CpuBackend<T>::penalty_terms(Index p, Index K, const T* B, const T* G, Index ld,
                                  const T* lambda, const T* alpha,
                                  const ops::FeaturePenalty<T>& penalty, ops::PenaltyTerms* out) {
  for (Index k = 0; k < K; ++k) {
    ops::PenaltyTerms acc;
    const double l1_weight = double(lambda[k]) * double(alpha[k]),
                 l2_weight = double(lambda[k]) * (1.0 - double(alpha[k]));
    for (Index j = 0; j < p; ++j)
      ops::accumulate_penalty_terms(acc, B[j + k * ld], G[j + k * ld], l1_weight, l2_weight,
                                    penalty.w(j), penalty.lo(j, k), penalty.hi(j, k));
    out[k] = acc;
  }
}

template <typename T>
void CpuBackend<T>::column_dots(Index rows, Index K, const T* A, Index lda, const T* B, Index ldb,
                                double* out) {
  for (Index k = 0; k < K; ++k) {
    double s = 0;
    for (Index i = 0; i < rows; ++i) s += double(A[i + k * lda]) * double(B[i + k * ldb]);
    out[k] = s;
  }
}

template <typename T>
void CpuBackend<T>::set_zero(T* dst, std::size_t count) {
  std::fill(dst, dst + count, T(0));
}

template <typename T>
void CpuBackend<T>::gather_rows(Index rows, Index cols, const T* src, Index lds,
                                const std::vector<Index>& idx, T* dst, Index ldd) {
  for (Index k = 0; k < cols; ++k)
    for (Index a = 0; a < rows; ++a) dst[a + k * ldd] = src[idx[std::size_t(a)] + k * lds];
}

template <typename T>
void CpuBackend<T>::scatter_rows(Index rows, Index cols, const T* src, Index lds,
                                 const std::vector<Index>& idx, T* dst, Index ldd) {
  for (Index k = 0; k < cols; ++k)
    for (Index a = 0; a < rows; ++a) dst[idx[std::size_t(a)] + k * ldd] = src[a + k * lds];
}

template <typename T>
void CpuBackend<T>::row_violations(Index p, Index K, const T* G, Index ldg, const T* lambda,
                                   T alpha, const ops::FeaturePenalty<T>& penalty, double* out) {
  for (Index j = 0; j < p; ++j) out[j] = -std::numeric_limits<double>::infinity();
  for (Index k = 0; k < K; ++k) {
    const double threshold = double(lambda[k]) * double(alpha);
    for (Index j = 0; j < p; ++j)
      out[j] = std::max(out[j], std::fabs(double(G[j + k * ldg])) -
                                    threshold * double(penalty.w(j)));
  }
}

template <typename T>
void CpuBackend<T>::gather_columns(Index rows, const T* src, Index lds,
                                   const std::vector<Index>& idx, T* dst) {
  for (std::size_t i = 0; i < idx.size(); ++i)
    std::copy(src + idx[i] * lds, src + idx[i] * lds + rows, dst + Index(i) * rows);
}

template <typename T>
void CpuBackend<T>::compact_columns(Index rows, T* M, Index ldm, const std::vector<Index>& keep) {
  for (std::size_t i = 0; i < keep.size(); ++i)
    if (keep[i] != Index(i)) std::copy(M + keep[i] * ldm, M + keep[i] * ldm + rows, M + i * ldm);
}

template <typename T>
void CpuBackend<T>::glm_pointwise(ops::GlmOp op, ops::Datafit datafit, Index n, Index K, const T* E,
                                  const T* y, const T* row_fold, const T* col, T* out,
                                  const T* row_weight) {
  for (Index k = 0; k < K; ++k) {
    const T* ck = col + k * ops::GlmColumn::count;
    for (Index i = 0; i < n; ++i)
      out[i + k * n] = ops::glm_pointwise(op, datafit, E[i + k * n], y[i], row_fold[i], ck,
                                          row_weight ? row_weight[i] : T(1));
  }
}

namespace {

// The column of the per-fold S / Mu arrays that column k of a GLM block uses.
template <typename T>
std::int64_t fold_column(const T* col, std::int64_t k) {
  return static_cast<std::int64_t>(col[k * ops::GlmColumn::count + ops::GlmColumn::fold]) + 1;
}

}  // namespace

template <typename T>
void CpuBackend<T>::to_raw(Index p, Index K, const T* S, const T* Mu, const T* col, const T* B,
                           T* Braw) {
  for (Index k = 0; k < K; ++k) {
    const T* s = S + fold_column(col, k) * p;
    const T* mu = Mu + fold_column(col, k) * p;
    const T* b = B + k * (p + 1);
    T* raw = Braw + k * (p + 1);
    double shift = 0;
    for (Index j = 0; j < p; ++j) {
      raw[j] = s[j] * b[j];
      shift += double(mu[j]) * double(raw[j]);
    }
    raw[p] = static_cast<T>(double(b[p]) - shift);
  }
}

template <typename T>
void CpuBackend<T>::from_raw_gradient(Index p, Index K, const T* S, const T* Mu, const T* col,
                                      const T* Graw, bool intercept, T* G) {
  for (Index k = 0; k < K; ++k) {
    const T* s = S + fold_column(col, k) * p;
    const T* mu = Mu + fold_column(col, k) * p;
    const T* graw = Graw + k * (p + 1);
    T* g = G + k * (p + 1);
    for (Index j = 0; j < p; ++j) g[j] = s[j] * (graw[j] - mu[j] * graw[p]);
    g[p] = intercept ? graw[p] : T(0);
  }
}

template <typename T>
void CpuBackend<T>::prox_step_glm(Index p, Index K, const T* Y, const T* G, const T* step,
                                  const T* lambda, const T* alpha,
                                  const ops::FeaturePenalty<T>& penalty, T* B_next) {
  for (Index k = 0; k < K; ++k)
    for (Index j = 0; j <= p; ++j) {
      const Index e = j + k * (p + 1);
      B_next[e] = j == p ? ops::prox_glm_row(true, Y[e], G[e], step[k], lambda[k], alpha[k])
                         : penalty.clip(ops::prox_glm_row(false, Y[e], G[e], step[k], lambda[k],
                                                          alpha[k], penalty.w(j)),
                                        j, k);
    }
}

template class CpuBackend<float>;
template class CpuBackend<double>;
static_assert(is_backend_v<CpuBackend<float>> && is_backend_v<CpuBackend<double>>,
              "CpuBackend must provide every primitive of backends/backend_concept.hpp");

}  // namespace regpath
