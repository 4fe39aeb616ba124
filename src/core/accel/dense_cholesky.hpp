// Dense SPD linear algebra on the host, in double, for the support polish (sizes up to a few
// thousand): a Cholesky factorization, its triangular solves, and the growth of a factor by new
// rows and columns.
//
// The factorization is blocked and right-looking: each diagonal block of kBlock columns is
// factored by plain loops, the panel below it by a triangular solve and the trailing matrix
// updated by a rank-kBlock SYRK, both through the host BLAS that the library links in every build
// (the CPU backend's GEMMs use it too). So the O(m³) part runs at GEMM speed: m = 2000 takes
// ~2.7 GFLOP, a few tens of ms, where unblocked loops take seconds. This is host arithmetic on
// host data whatever the backend (the polish downloads its small systems), not a shortcut around
// one.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" {
// Fortran BLAS (trailing size_t: the hidden lengths of the CHARACTER arguments, gfortran ABI);
// dsyrk_ as declared in src/backends/blas.hpp.
void dsyrk_(const char* uplo, const char* trans, const int* n, const int* k, const double* alpha,
            const double* a, const int* lda, const double* beta, double* c, const int* ldc,
            std::size_t, std::size_t);
void dtrsm_(const char* side, const char* uplo, const char* transa, const char* diag, const int* m,
            const int* n, const double* alpha, const double* a, const int* lda, double* b,
            const int* ldb, std::size_t, std::size_t, std::size_t, std::size_t);
}

namespace regpath {

namespace dense {

using Index = std::int64_t;

// Unblocked Cholesky of the jb × jb diagonal block at A[j0, j0] (column-major, leading dimension
// ld), lower triangle, column by column (right-looking: contiguous column updates). False when a
// pivot is ≤ floor.
inline bool factor_block(double* A, Index ld, Index j0, Index jb, double floor) {
  for (Index c = j0; c < j0 + jb; ++c) {
    double* col = A + c * ld;
    const double d = col[c];
    if (!(d > floor)) return false;
    const double l = std::sqrt(d);
    col[c] = l;
    for (Index i = c + 1; i < j0 + jb; ++i) col[i] /= l;
    for (Index c2 = c + 1; c2 < j0 + jb; ++c2) {
      double* col2 = A + c2 * ld;
      const double f = col[c2];
      for (Index i = c2; i < j0 + jb; ++i) col2[i] -= col[i] * f;
    }
  }
  return true;
}

// A = L·Lᵀ in place: the lower triangle of A (m × m, leading dimension ld) becomes L; the upper
// one is not touched. False when a pivot is ≤ floor (A not numerically positive definite).
inline bool factor(double* A, Index m, Index ld, double floor) {
  constexpr Index kBlock = 96;
  const int ild = static_cast<int>(ld);
  for (Index j = 0; j < m; j += kBlock) {
    const Index jb = std::min(kBlock, m - j);
    if (!factor_block(A, ld, j, jb, floor)) return false;
    const Index rest = m - j - jb;
    if (rest == 0) break;
    const int r = static_cast<int>(rest), k = static_cast<int>(jb);
    const double one = 1, minus_one = -1;
    double* l11 = A + j + j * ld;
    double* l21 = A + (j + jb) + j * ld;
    // L21 = A21·L11⁻ᵀ
    dtrsm_("R", "L", "T", "N", &r, &k, &one, l11, &ild, l21, &ild, 1, 1, 1, 1);
    // A22 −= L21·L21ᵀ   (lower triangle)
    dsyrk_("L", "N", &r, &k, &minus_one, l21, &ild, &one, A + (j + jb) + (j + jb) * ld, &ild, 1,
           1);
  }
  return true;
}

// b ← L⁻¹·b (column-oriented: contiguous columns of L)
inline void forward_solve(const double* L, Index m, Index ld, double* b) {
  for (Index k = 0; k < m; ++k) {
    const double* col = L + k * ld;
    const double z = b[k] / col[k];
    b[k] = z;
    for (Index i = k + 1; i < m; ++i) b[i] -= col[i] * z;
  }
}

// b ← L⁻ᵀ·b (a row of Lᵀ is a contiguous column of L). Each row's dot product runs on four
// partial sums: one sum is a chain of dependent additions (latency-bound, ~4× slower), and the
// support polish solves thousands of these small systems on a many-responses fit.
inline void backward_solve(const double* L, Index m, Index ld, double* b) {
  for (Index i = m - 1; i >= 0; --i) {
    const double* col = L + i * ld;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    Index k = i + 1;
    for (; k + 4 <= m; k += 4) {
      s0 += col[k] * b[k];
      s1 += col[k + 1] * b[k + 1];
      s2 += col[k + 2] * b[k + 2];
      s3 += col[k + 3] * b[k + 3];
    }
    for (; k < m; ++k) s0 += col[k] * b[k];
    b[i] = (b[i] - ((s0 + s1) + (s2 + s3))) / col[i];
  }
}

// B ← L⁻¹·B for r right-hand sides (B m × r, leading dimension ldb)   (TRSM, m²·r flops)
inline void forward_solve_many(const double* L, Index m, Index ld, double* B, Index r, Index ldb) {
  if (m == 0 || r == 0) return;
  const int im = static_cast<int>(m), ir = static_cast<int>(r), ild = static_cast<int>(ld),
            ildb = static_cast<int>(ldb);
  const double one = 1;
  dtrsm_("L", "L", "N", "N", &im, &ir, &one, L, &ild, B, &ildb, 1, 1, 1, 1);
}

// Grows the factor L of an s × s matrix M (in A, leading dimension ld ≥ s + k) to the factor of
//     [ M    Bᵀ ]
//     [ B    C  ]      B k × s, C k × k,
// given B in the rows s .. s+k of the first s columns and C's lower triangle at A[s, s]:
// L21 = B·L⁻ᵀ, L22 = chol(C − L21·L21ᵀ)   (TRSM s²·k, SYRK s·k², k³/3 flops). False when the new
// pivots are ≤ floor.
constexpr Index kSmallExtension = 8;  // new rows up to which extend() uses plain loops

inline bool extend(double* A, Index s, Index k, Index ld, double floor) {
  if (k == 0) return true;
  const int is = static_cast<int>(s), ik = static_cast<int>(k), ild = static_cast<int>(ld);
  const double one = 1, minus_one = -1;
  if (s > 0 && k <= kSmallExtension) {
    // A few new rows (the support polish's usual growth, one feature or two): each row of L21
    // is a forward solve with L (L21ᵀ = L⁻¹·Bᵀ), then C −= L21·L21ᵀ by dot products. Plain
    // loops: at these sizes BLAS's TRSM and SYRK spend most of their time packing.
    std::vector<double> rows(static_cast<std::size_t>(k * s));  // row a of L21 at [a·s]
    for (Index a = 0; a < k; ++a) {
      double* row = rows.data() + a * s;
      for (Index c = 0; c < s; ++c) row[c] = A[s + a + c * ld];
      forward_solve(A, s, ld, row);
      for (Index c = 0; c < s; ++c) A[s + a + c * ld] = row[c];
    }
    for (Index b = 0; b < k; ++b)
      for (Index a = b; a < k; ++a) {
        const double* ra = rows.data() + a * s;
        const double* rb = rows.data() + b * s;
        double d0 = 0, d1 = 0;
        Index c = 0;
        for (; c + 2 <= s; c += 2) {
          d0 += ra[c] * rb[c];
          d1 += ra[c + 1] * rb[c + 1];
        }
        if (c < s) d0 += ra[c] * rb[c];
        A[s + a + (s + b) * ld] -= d0 + d1;
      }
  } else if (s > 0) {
    dtrsm_("R", "L", "T", "N", &ik, &is, &one, A, &ild, A + s, &ild, 1, 1, 1, 1);
    dsyrk_("L", "N", &ik, &is, &minus_one, A + s, &ild, &one, A + s + s * ld, &ild, 1, 1);
  }
  return factor(A + s + s * ld, k, ld, floor);
}

}  // namespace dense

// Solves A·x = b in place (A m×m column-major, symmetric, lower triangle read; b becomes x) by
// Cholesky; A's lower triangle is overwritten by the factor. Returns false, leaving b unspecified,
// when A is not numerically positive definite: a pivot below 1e-12 × the largest diagonal entry
// means the solution would be noise.
inline bool cholesky_solve(std::vector<double>& A, std::int64_t m, std::vector<double>& b) {
  if (m <= 0) return true;
  double max_diag = 0;
  for (std::int64_t i = 0; i < m; ++i) max_diag = std::fmax(max_diag, A[std::size_t(i + i * m)]);
  if (!(max_diag > 0)) return false;
  if (!dense::factor(A.data(), m, m, 1e-12 * max_diag)) return false;
  dense::forward_solve(A.data(), m, m, b.data());
  dense::backward_solve(A.data(), m, m, b.data());
  return true;
}

}  // namespace regpath
