// What one thread of each CUDA kernel does, as host + device functions: the kernels in
// elementwise_kernels.cu, column_kernels.cu and glm_kernels.cu call these with their
// (block, thread) coordinates, and the CPU tests (tests/test_cuda_host_logic.cpp) call them
// through a host grid emulator that visits (block, thread) in a random order, so that an
// order-dependent hazard (one thread writing what another still reads) shows up without a GPU.
//
// Grid-stride kernels: thread `first` = block·threads + thread handles elements first,
// first + stride, … (stride = blocks·threads). Per-column reductions: thread t of column k's
// block returns its partial sum over j = t, t + threads, …; the kernel merges the partials
// (CUB's block reduction; the host emulator merges them in any order) and thread 0 finishes.
// No CUDA types: includable by the host compiler.
#pragma once

#include <cstdint>

#include "core/engine/glm_scalar_ops.hpp"
#include "core/engine/scalar_ops.hpp"
#include "core/penalty/feature_penalty.hpp"
#include "launch_plan.hpp"

namespace regpath::cuda::body {

// ---- elementwise (grid-stride) ------------------------------------------------------------------

// M[i, k] = s·v[i]
template <typename T>
REGPATH_HOST_DEVICE inline void fill_columns(Index first, Index stride, Index rows, Index cols,
                                             T* M, Index ldm, const T* v, T s) {
  for (Index e = first; e < rows * cols; e += stride) {
    const Index i = e % rows, k = e / rows;
    M[i + k * ldm] = s * v[i];
  }
}

// Column k with restart[k] > 0 restarts with that step: Y[:, k] = B[:, k] (element e's share),
// and its first element's thread sets t_k = restart[k], θ_k = 1. rows ≥ 1.
template <typename T>
REGPATH_HOST_DEVICE inline void restart_columns(Index first, Index stride, Index rows, Index K,
                                                const T* restart, T* step, T* theta, T* Y,
                                                const T* B) {
  for (Index e = first; e < rows * K; e += stride) {
    const Index k = e / rows;
    if (!(restart[k] > T(0))) continue;
    Y[e] = B[e];
    if (e % rows == 0) {
      step[k] = restart[k];
      theta[k] = T(1);
    }
  }
}

// B_next = S(Y − t_k·G, t_k·λ_k·α·w_j) / (1 + t_k·λ_k·(1−α)·w_j),  column k = e / p
template <typename T>
REGPATH_HOST_DEVICE inline void prox_step(Index first, Index stride, Index p, Index K, const T* Y,
                                          const T* G, const T* step, const T* lambda, T alpha,
                                          ops::FeaturePenalty<T> penalty, T* B_next) {
  for (Index e = first; e < p * K; e += stride) {
    const Index j = e % p, k = e / p;
    B_next[e] = penalty.clip(
        ops::prox_elastic_net(Y[e], G[e], step[k], lambda[k], alpha, penalty.w(j)), j, k);
  }
}

// C[j, i] = C[i, j] for i > j (reads the lower triangle, writes the upper: no element is both)
template <typename T>
REGPATH_HOST_DEVICE inline void mirror_lower(Index first, Index stride, Index p, T* C, Index ldc) {
  for (Index e = first; e < p * p; e += stride) {
    const Index i = e % p, j = e / p;
    if (i > j) C[j + i * ldc] = C[i + j * ldc];
  }
}

// dst[i, s] = src[i, idx[s]]
template <typename T>
REGPATH_HOST_DEVICE inline void gather_columns(Index first, Index stride, Index rows, const T* src,
                                               Index lds, const IndexChunk& chunk, T* dst,
                                               Index ldd) {
  for (Index e = first; e < rows * chunk.count; e += stride) {
    const Index i = e % rows, s = e / rows;
    dst[i + s * ldd] = src[i + chunk.idx[s] * lds];
  }
}

// dst[first_row + a, k] = src[idx[a], k]
template <typename T>
REGPATH_HOST_DEVICE inline void gather_rows(Index first, Index stride, Index cols, const T* src,
                                            Index lds, const IndexChunk& chunk, Index first_row,
                                            T* dst, Index ldd) {
  for (Index e = first; e < chunk.count * cols; e += stride) {
    const Index a = e % chunk.count, k = e / chunk.count;
    dst[first_row + a + k * ldd] = src[chunk.idx[a] + k * lds];
  }
}

// dst[idx[a], k] = src[first_row + a, k]   (the indices are distinct: no two threads write one
// place)
template <typename T>
REGPATH_HOST_DEVICE inline void scatter_rows(Index first, Index stride, Index cols, const T* src,
                                             Index lds, const IndexChunk& chunk, Index first_row,
                                             T* dst, Index ldd) {
  for (Index e = first; e < chunk.count * cols; e += stride) {
    const Index a = e % chunk.count, k = e / chunk.count;
    dst[chunk.idx[a] + k * ldd] = src[first_row + a + k * lds];
  }
}

// Row j: max_k (|G[j,k]| − λ_k·α) in double, as std::max(worst, v) does it on the CPU
template <typename T>
REGPATH_HOST_DEVICE inline void row_violations(Index first, Index stride, Index p, Index K,
                                               const T* G, Index ldg, const T* lambda, T alpha,
                                               ops::FeaturePenalty<T> penalty, double* out) {
  for (Index j = first; j < p; j += stride) {
    double worst = -std::numeric_limits<double>::infinity();
    const double w = penalty.w(j);
    for (Index k = 0; k < K; ++k) {
      const double g = G[j + k * ldg], threshold = double(lambda[k]) * double(alpha) * w;
      const double v = (g < 0 ? -g : g) - threshold;
      worst = worst < v ? v : worst;
    }
    out[j] = worst;
  }
}

// ---- the GLM batch (grid-stride) ----------------------------------------------------------------

// The column of the per-fold S / Mu arrays that column k uses (its fold + 1).
template <typename T>
REGPATH_HOST_DEVICE inline Index fold_column(const T* col, Index k) {
  return static_cast<Index>(col[k * ops::GlmColumn::count + ops::GlmColumn::fold]) + 1;
}

template <typename T>
REGPATH_HOST_DEVICE inline void glm_pointwise(Index first, Index stride, ops::GlmOp op,
                                              ops::Datafit datafit, Index n, Index K,
                                              const T* E,
                                              const T* y, const T* row_fold, const T* col,
                                              T* out, const T* row_weight = nullptr) {
  for (Index e = first; e < n * K; e += stride) {
    const Index i = e % n, k = e / n;
    out[e] = ops::glm_pointwise(op, datafit, E[e], y[i], row_fold[i],
                                col + k * ops::GlmColumn::count,
                                row_weight ? row_weight[i] : T(1));
  }
}

// G[j,k] = S[j,f]·(Graw[j,k] − Mu[j,f]·Graw[p,k]) for j < p, and, when `intercept_rows`,
// G[p,k] = intercept ? Graw[p,k] : 0. Every feature row reads Graw[p,k]: if G aliases Graw the
// intercept rows must be written after all of them, by from_raw_intercepts in a second launch
// (in one launch, the thread of row p may zero it before another thread has read it).
template <typename T>
REGPATH_HOST_DEVICE inline void from_raw_gradient(Index first, Index stride, Index p, Index K,
                                                  const T* S, const T* Mu, const T* col,
                                                  const T* Graw, bool intercept,
                                                  bool intercept_rows, T* G) {
  const Index rows = p + 1;
  for (Index e = first; e < rows * K; e += stride) {
    const Index j = e % rows, k = e / rows;
    const T g_intercept = Graw[p + k * rows];
    if (j == p) {
      if (intercept_rows) G[e] = intercept ? g_intercept : T(0);
    } else {
      const Index f = fold_column(col, k) * p;
      G[e] = S[f + j] * (Graw[e] - Mu[f + j] * g_intercept);
    }
  }
}

// G[p,k] = intercept ? Graw[p,k] : 0, for every column k
template <typename T>
REGPATH_HOST_DEVICE inline void from_raw_intercepts(Index first, Index stride, Index p, Index K,
                                                    const T* Graw, bool intercept, T* G) {
  for (Index k = first; k < K; k += stride) {
    const Index e = p + k * (p + 1);
    G[e] = intercept ? Graw[e] : T(0);
  }
}

template <typename T>
REGPATH_HOST_DEVICE inline void prox_step_glm(Index first, Index stride, Index p, Index K,
                                              const T* Y, const T* G, const T* step,
                                              const T* lambda, const T* alpha,
                                              ops::FeaturePenalty<T> penalty, T* B_next) {
  const Index rows = p + 1;
  for (Index e = first; e < rows * K; e += stride) {
    const Index j = e % rows, k = e / rows;
    B_next[e] = j == p ? ops::prox_glm_row(true, Y[e], G[e], step[k], lambda[k], alpha[k])
                       : penalty.clip(ops::prox_glm_row(false, Y[e], G[e], step[k], lambda[k],
                                                        alpha[k], penalty.w(j)),
                                      j, k);
  }
}

// ---- per-column reductions: thread t's partial, then thread 0's finish ------------------------

// Σ_{i ≡ t} A[i,k]·B[i,k]  (double)
template <typename T>
REGPATH_HOST_DEVICE inline double column_dot_partial(Index k, Index t, Index threads, Index rows,
                                                     const T* A, Index lda, const T* B,
                                                     Index ldb) {
  double part = 0;
  for (Index i = t; i < rows; i += threads) part += double(A[i + k * lda]) * double(B[i + k * ldb]);
  return part;
}

// The GapTerms of (B[j,k], G[j,k]) for j ≡ t
template <typename T>
REGPATH_HOST_DEVICE inline ops::GapTerms gap_terms_partial(Index k, Index t, Index threads, Index p,
                                                           const T* B, const T* G, const T* c,
                                                           const T* lambda, T alpha,
                                                           ops::FeaturePenalty<T> penalty) {
  ops::GapTerms acc;
  const T lam = lambda[k];
  for (Index j = t; j < p; j += threads)
    ops::accumulate_gap_terms(acc, B[j + k * p], G[j + k * p], c[j], lam, alpha,
                              penalty.w(j), penalty.lo(j, k), penalty.hi(j, k));
  return acc;
}

// Momentum, column k. Partial of the restart test (Y − B_next)ᵀ(B_next − B_cur) over j ≡ t.
template <typename T>
REGPATH_HOST_DEVICE inline double momentum_test_partial(Index k, Index t, Index threads, Index p,
                                                        const T* B_next, const T* B_cur,
                                                        const T* Y) {
  double part = 0;
  for (Index j = t; j < p; j += threads) {
    const Index e = j + k * p;
    part += double(Y[e] - B_next[e]) * double(B_next[e] - B_cur[e]);
  }
  return part;
}
// Thread 0, with the merged test: restart (θ_k = 1, return true) or θ_k ← θ' and *momentum =
// (θ_k − 1)/θ'. Thread 0 alone reads and writes θ_k.
template <typename T>
REGPATH_HOST_DEVICE inline bool momentum_decide(double test, T* theta_k, T* momentum) {
  if (test > 0) {
    *theta_k = T(1);
    *momentum = T(0);
    return true;
  }
  const T next = ops::next_theta(*theta_k);
  *momentum = (*theta_k - T(1)) / next;
  *theta_k = next;
  return false;
}
// Every thread, after the decision: Y = B_next  or  Y = B_next + m·(B_next − B_cur), j ≡ t.
// Each thread writes only the Y[j] it read in its partial: no hazard between the two phases
// other than the decision itself (a barrier in the kernel).
template <typename T>
REGPATH_HOST_DEVICE inline void momentum_update(Index k, Index t, Index threads, Index p,
                                                const T* B_next, const T* B_cur, bool restart,
                                                T momentum, T* Y) {
  for (Index j = t; j < p; j += threads) {
    const Index e = j + k * p;
    Y[e] = restart ? B_next[e] : B_next[e] + momentum * (B_next[e] - B_cur[e]);
  }
}

// to_raw, column k: Braw[j,k] = S[j,f]·B[j,k] for j ≡ t, returning Σ Mu[j,f]·Braw[j,k] over them;
// thread 0 then writes Braw[p,k] = B[p,k] − total (to_raw_finish).
template <typename T>
REGPATH_HOST_DEVICE inline double to_raw_partial(Index k, Index t, Index threads, Index p,
                                                 const T* S, const T* Mu, const T* col, const T* B,
                                                 T* Braw) {
  const T* s = S + fold_column(col, k) * p;
  const T* mu = Mu + fold_column(col, k) * p;
  const T* b = B + k * (p + 1);
  T* raw = Braw + k * (p + 1);
  double shift = 0;
  for (Index j = t; j < p; j += threads) {
    const T r = s[j] * b[j];
    raw[j] = r;
    shift += double(mu[j]) * double(r);
  }
  return shift;
}
template <typename T>
REGPATH_HOST_DEVICE inline void to_raw_finish(Index k, Index p, const T* B, double total, T* Braw) {
  Braw[p + k * (p + 1)] = static_cast<T>(double(B[p + k * (p + 1)]) - total);
}

// standardize, column j (x = X[:, j], n values), as CpuBackend::standardize, in four phases that
// the kernel separates by block barriers:
//   1. scan:   every value equals x[0]? (exactly: glmnet's test) and max|x_i|, over i ≡ t;
//              merged by AND and max; m = max (1 if 0): the moments are those of x/m, so that
//              neither 1e200 nor 1e-300 over- or underflows when squared
//   2. sum:    Σ x_i/m over i ≡ t; merged by +; scaled mean = total/n
//   3. ss:     Σ (x_i/m − scaled mean)² over i ≡ t (only when scaling); sd = m·√(total/n)
//   4. write:  x_i ← (x_i − [center]·mean)/sd, or 0 for a constant column (scale 0), i ≡ t
// Phase 4 overwrites what phases 1–3 read: the barrier before it is what makes it safe.
struct StandardizeScan {
  bool equal = true;
  double max_abs = 0;
};
REGPATH_HOST_DEVICE inline void merge_scan(StandardizeScan& a, const StandardizeScan& b) {
  a.equal = a.equal && b.equal;
  a.max_abs = b.max_abs > a.max_abs ? b.max_abs : a.max_abs;
}
template <typename T>
REGPATH_HOST_DEVICE inline StandardizeScan standardize_scan_partial(Index t, Index threads, Index n,
                                                                    const T* x) {
  StandardizeScan scan;
  const T first = x[0];
  for (Index i = t; i < n; i += threads) {
    scan.equal = scan.equal && x[i] == first;
    const double a = double(x[i]) < 0 ? -double(x[i]) : double(x[i]);
    scan.max_abs = a > scan.max_abs ? a : scan.max_abs;
  }
  return scan;
}
REGPATH_HOST_DEVICE inline double standardize_divisor(double max_abs) {
  return max_abs == 0 ? 1.0 : max_abs;
}
template <typename T>
REGPATH_HOST_DEVICE inline double standardize_sum_partial(Index t, Index threads, Index n,
                                                          const T* x, double m) {
  double sum = 0;
  for (Index i = t; i < n; i += threads) sum += double(x[i]) / m;
  return sum;
}
template <typename T>
REGPATH_HOST_DEVICE inline double standardize_ss_partial(Index t, Index threads, Index n,
                                                         const T* x, double m,
                                                         double scaled_mean) {
  double ss = 0;
  for (Index i = t; i < n; i += threads) {
    const double d = double(x[i]) / m - scaled_mean;
    ss += d * d;
  }
  return ss;
}
// What phase 4 applies, from the merged results (sd = 1 when not scaling).
struct StandardizeColumn {
  double shift = 0;  // subtracted (the mean when centring, else 0)
  double sd = 1;     // divided by
  bool zero = false;  // constant column, or sd 0: every value becomes 0, its scale is 0
  REGPATH_HOST_DEVICE double scale_out() const { return zero ? 0.0 : sd; }
};
REGPATH_HOST_DEVICE inline StandardizeColumn standardize_column(bool constant, bool center,
                                                                double m, double scaled_mean,
                                                                double sd) {
  StandardizeColumn c;
  c.shift = center ? scaled_mean * m : 0.0;
  c.sd = sd;
  c.zero = constant || sd == 0;
  return c;
}
template <typename T>
REGPATH_HOST_DEVICE inline void standardize_write(Index t, Index threads, Index n, T* x,
                                                  const StandardizeColumn& c) {
  for (Index i = t; i < n; i += threads)
    x[i] = c.zero ? T(0) : static_cast<T>((double(x[i]) - c.shift) / c.sd);
}

}  // namespace regpath::cuda::body
