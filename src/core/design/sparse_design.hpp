// A sparse design in CSC form on the host, standardized implicitly: X̃ = (X − 1·μᵀ)·D⁻¹ is never
// formed, so memory stays O(nnz + (n + p)·K). Every product works on host memory (the CPU
// backend's buffers); a GPU backend refuses sparse X before one is built.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/design/unpenalized.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

template <typename T>
class SparseDesign {
 public:
  using Index = std::int64_t;

  // Validates X (col_ptr monotone from 0 to nnz, row indices in [0, rows), values finite), sorts
  // each column's row indices and sums duplicates; values are stored in T.
  template <typename In>
  explicit SparseDesign(const SparseMatrixView<In>& X) : n_(X.rows), p_(X.cols) {
    validate(X);
    col_ptr_.assign(static_cast<std::size_t>(p_ + 1), 0);
    std::vector<std::pair<Index, double>> entries;
    for (Index j = 0; j < p_; ++j) {
      entries.clear();
      for (Index k = X.col_ptr[j]; k < X.col_ptr[j + 1]; ++k)
        entries.emplace_back(X.row_idx[k], double(X.values[k]));
      std::stable_sort(entries.begin(), entries.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (std::size_t e = 0; e < entries.size(); ++e) {
        if (e > 0 && entries[e].first == entries[e - 1].first) {
          values_.back() = static_cast<T>(double(values_.back()) + entries[e].second);
          continue;
        }
        row_idx_.push_back(entries[e].first);
        values_.push_back(static_cast<T>(entries[e].second));
      }
      col_ptr_[static_cast<std::size_t>(j + 1)] = static_cast<Index>(row_idx_.size());
    }
  }

  Index rows() const { return n_; }
  Index cols() const { return p_; }

  // Throws std::invalid_argument naming the first bad pointer, index or value (the constructor
  // calls it; the API calls it first, before it reads X's magnitudes through col_ptr).
  template <typename In>
  static void validate(const SparseMatrixView<In>& X) {
    if (X.rows < 2) throw std::invalid_argument("invalid X.rows = " + std::to_string(X.rows) +
                                                ": need at least 2 observations");
    if (X.cols < 1) throw std::invalid_argument("invalid X.cols = " + std::to_string(X.cols) +
                                                ": need at least 1 feature");
    if (X.col_ptr == nullptr) throw std::invalid_argument("invalid X: null col_ptr");
    if (X.col_ptr[0] != 0)
      throw std::invalid_argument("invalid X: col_ptr[0] = " + std::to_string(X.col_ptr[0]) +
                                  " (column pointers start at 0)");
    for (Index j = 0; j < X.cols; ++j)
      if (X.col_ptr[j + 1] < X.col_ptr[j])
        throw std::invalid_argument(
            "invalid X: col_ptr[" + std::to_string(j + 1) + "] = " +
            std::to_string(X.col_ptr[j + 1]) + " < col_ptr[" + std::to_string(j) + "] = " +
            std::to_string(X.col_ptr[j]) + " (column pointers must not decrease)");
    if (X.col_ptr[X.cols] != X.nnz)
      throw std::invalid_argument("invalid X: col_ptr[" + std::to_string(X.cols) + "] = " +
                                  std::to_string(X.col_ptr[X.cols]) + " but nnz = " +
                                  std::to_string(X.nnz) + " (the last pointer is nnz)");
    if (X.nnz > 0 && (X.row_idx == nullptr || X.values == nullptr))
      throw std::invalid_argument("invalid X: null row_idx or values with nnz > 0");
    for (Index j = 0; j < X.cols; ++j)
      for (Index k = X.col_ptr[j]; k < X.col_ptr[j + 1]; ++k) {
        const Index i = X.row_idx[k];
        if (i < 0 || i >= X.rows)
          throw std::invalid_argument(
              "invalid X: column " + std::to_string(j) + ", position " + std::to_string(k) +
              ": row index " + std::to_string(i) + " is outside [0, " + std::to_string(X.rows) +
              ") (0-based)");
        if (!std::isfinite(double(X.values[k]))) {
          std::ostringstream msg;
          msg << "invalid X: column " << j << ", position " << k << " (row index " << i
              << "): value " << double(X.values[k]) << " is not finite";
          throw std::invalid_argument(msg.str());
        }
      }
  }

  // μ and D as the CPU backend's dense standardize computes them (cpu_backend.cpp): moments of
  // x/m (m = max|x|), a constant column (every value equal, the implicit zeros included) gets
  // scale 0 and stands for a zero column of X̃. Nothing of X changes.
  void standardize(bool center, bool scale, double* mean_out, double* scale_out) {
    mean_.assign(static_cast<std::size_t>(p_), 0.0);
    inv_.assign(static_cast<std::size_t>(p_), 0.0);
    for (Index j = 0; j < p_; ++j) {
      const Index b = begin(j), e = end(j), zeros = n_ - (e - b);
      bool constant = true;
      const double first = zeros > 0 ? 0.0 : (e > b ? double(values_[std::size_t(b)]) : 0.0);
      double m = 0;
      for (Index k = b; k < e; ++k) {
        const double v = double(values_[std::size_t(k)]);
        constant = constant && v == first;
        m = std::max(m, std::fabs(v));
      }
      if (m == 0) m = 1;
      double mean = 0;
      for (Index k = b; k < e; ++k) mean += double(values_[std::size_t(k)]) / m;
      mean /= double(n_);
      double s = 1;
      if (scale) {
        // Σ(x/m − mean)² over the stored values, plus the implicit zeros' (n − nnz)·mean²
        double ss = double(zeros) * mean * mean;
        for (Index k = b; k < e; ++k) {
          const double d = double(values_[std::size_t(k)]) / m - mean;
          ss += d * d;
        }
        s = std::sqrt(ss / double(n_)) * m;
      }
      mean *= m;
      const double shift = center ? mean : 0.0;
      mean_out[j] = shift;
      const bool zero = constant || s == 0;
      scale_out[j] = zero ? 0.0 : s;
      mean_[std::size_t(j)] = zero ? 0.0 : shift;
      inv_[std::size_t(j)] = zero ? 0.0 : 1.0 / s;
    }
  }

  // G = s·X̃ᵀR for K columns of R (n × K, leading dimension ldr) into G (p × K, ldg):
  // G[j,k] = s·d_j⁻¹·(x_jᵀr_k − μ_j·1ᵀr_k)   (2·(nnz + n)·K flops)
  void xt_times(Index K, T s, const T* R, Index ldr, T* G, Index ldg) const {
    xt_times_columns(nullptr, p_, K, s, R, ldr, G, ldg);
  }
  // The same for m columns of X̃ only, those of idx (all p when idx is null), into G (m × K):
  // a working set's products, its columns kept sparse   (2·(nnz of them + n)·K flops)
  void xt_times_columns(const Index* idx, Index m, Index K, T s, const T* R, Index ldr, T* G,
                        Index ldg) const {
    std::vector<double> zr;  // Zᵀr with unpenalized features partialled out (partial_out)
    for (Index k = 0; k < K; ++k) {
      const T* r = R + k * ldr;
      double sum = 0;
      for (Index i = 0; i < n_; ++i) sum += double(r[i]);
      if (!zt_.empty()) low_rank_adjoint(r, zr);
      for (Index a = 0; a < m; ++a) {
        const Index j = idx ? idx[a] : a;
        double dot = 0;
        for (Index e = begin(j); e < end(j); ++e)
          dot += double(values_[std::size_t(e)]) * double(r[row_idx_[std::size_t(e)]]);
        double g = inv_[std::size_t(j)] * (dot - mean_[std::size_t(j)] * sum);
        if (!zt_.empty()) g -= low_rank_dot(j, zr);  // − (Mᵀ·Zᵀr)_j
        G[a + k * ldg] = static_cast<T>(double(s) * g);
      }
    }
  }

  // R = a·X̃·B + beta·R for K columns of B (p × K, ldb) into R (n × K, ldr):
  // R[:,k] = beta·R[:,k] + a·(X·D⁻¹b_k − 1·μᵀD⁻¹b_k)   (2·(nnz + n + p)·K flops)
  void x_times(Index K, T a, const T* B, Index ldb, T beta, T* R, Index ldr) const {
    x_times_columns(nullptr, p_, K, a, B, ldb, beta, R, ldr);
  }
  // The same with X̃'s m columns of idx (all p when idx is null) and B m × K.
  void x_times_columns(const Index* idx, Index m, Index K, T a, const T* B, Index ldb, T beta,
                       T* R, Index ldr) const {
    std::vector<double> acc(static_cast<std::size_t>(n_));
    for (Index k = 0; k < K; ++k) {
      const T* bk = B + k * ldb;
      double offset = 0;
      std::fill(acc.begin(), acc.end(), 0.0);
      for (Index c = 0; c < m; ++c) {
        const Index j = idx ? idx[c] : c;
        const double bj = inv_[std::size_t(j)] * double(bk[c]);
        if (bj == 0) continue;
        offset += mean_[std::size_t(j)] * bj;
        for (Index e = begin(j); e < end(j); ++e)
          acc[std::size_t(row_idx_[std::size_t(e)])] += double(values_[std::size_t(e)]) * bj;
      }
      if (!zt_.empty()) subtract_low_rank(idx, m, bk, acc);  // − Z·(M·b_k)
      T* r = R + k * ldr;
      for (Index i = 0; i < n_; ++i) {
        const double v = double(a) * (acc[std::size_t(i)] - offset);
        r[i] = static_cast<T>(beta == T(0) ? v : double(beta) * double(r[i]) + v);
      }
    }
  }

  // The raw (unstandardized) products, for the GLM batch (glm_batch_problem.hpp), which
  // standardizes per fold around them: E = X·B for K columns of B (p × K, ldb) into E (n × K,
  // lde), and G = XᵀR for K columns of R (n × K, ldr) into G (p × K, ldg). 2·nnz·K flops each.
  void raw_times(Index K, const T* B, Index ldb, T* E, Index lde) const {
    std::vector<double> acc(static_cast<std::size_t>(n_));
    for (Index k = 0; k < K; ++k) {
      const T* bk = B + k * ldb;
      std::fill(acc.begin(), acc.end(), 0.0);
      for (Index j = 0; j < p_; ++j) {
        const double bj = double(bk[j]);
        if (bj == 0) continue;
        for (Index e = begin(j); e < end(j); ++e)
          acc[std::size_t(row_idx_[std::size_t(e)])] += double(values_[std::size_t(e)]) * bj;
      }
      for (Index i = 0; i < n_; ++i) E[i + k * lde] = static_cast<T>(acc[std::size_t(i)]);
    }
  }
  void raw_adjoint(Index K, const T* R, Index ldr, T* G, Index ldg) const {
    for (Index k = 0; k < K; ++k) {
      const T* r = R + k * ldr;
      for (Index j = 0; j < p_; ++j) {
        double dot = 0;
        for (Index e = begin(j); e < end(j); ++e)
          dot += double(values_[std::size_t(e)]) * double(r[row_idx_[std::size_t(e)]]);
        G[j + k * ldg] = static_cast<T>(dot);
      }
    }
  }
  // f(i, x_ij) for each stored entry of column j, rows ascending.
  template <class F>
  void for_each_in_column(Index j, F f) const {
    for (Index e = begin(j); e < end(j); ++e)
      f(row_idx_[std::size_t(e)], double(values_[std::size_t(e)]));
  }
  // x̃_j = (x_j − μ_j·1)·d_j⁻¹ (both 0 for a zero column of X̃): what a reader of the stored
  // entries (for_each_in_column) needs to form x̃_j's products itself (path_descent.hpp).
  double column_mean(Index j) const { return mean_[std::size_t(j)]; }
  double column_inverse_scale(Index j) const { return inv_[std::size_t(j)]; }
  Index column_nnz(Index j) const { return end(j) - begin(j); }
  Index nnz() const { return col_ptr_[std::size_t(p_)]; }
  // Whether unpenalized features are partialled out (partial_out): X̂'s products then carry a
  // rank-k correction the stored entries do not show.
  bool partialled() const { return !zt_.empty(); }
  // Column j of X as it is (the zeros written) into out (n values).
  void raw_column(Index j, double* out) const {
    std::fill(out, out + n_, 0.0);
    for (Index e = begin(j); e < end(j); ++e)
      out[row_idx_[std::size_t(e)]] = double(values_[std::size_t(e)]);
  }

  // The dense columns x̃_j of `idx` into out (n × |idx|): O(n·|idx| + nnz of them).
  void gather_columns(const std::vector<Index>& idx, T* out) const {
    for (std::size_t c = 0; c < idx.size(); ++c) {
      const Index j = idx[c];
      T* o = out + Index(c) * n_;
      const double mu = mean_[std::size_t(j)], inv = inv_[std::size_t(j)];
      std::fill(o, o + n_, static_cast<T>(-mu * inv));
      for (Index e = begin(j); e < end(j); ++e)
        o[row_idx_[std::size_t(e)]] =
            static_cast<T>((double(values_[std::size_t(e)]) - mu) * inv);
      if (zt_.empty()) continue;
      // − Z·m_j
      const Index k = Index(z_features_.size());
      for (Index u = 0; u < k; ++u) {
        const double m = map_[std::size_t(u + j * k)];
        if (m == 0) continue;
        for (Index i = 0; i < n_; ++i)
          o[i] = static_cast<T>(double(o[i]) - zt_[std::size_t(u + i * k)] * m);
      }
    }
  }

  // H = X̃ᵀX̃/n (p × p) on the host, from the sparse columns (X never densified):
  // H[j,k] = d_j⁻¹d_k⁻¹·(x_jᵀx_k − μ_k·1ᵀx_j − μ_j·1ᵀx_k + n·μ_jμ_k)/n   (O(p·nnz + p²) flops)
  std::vector<T> gram() const {
    std::vector<double> dense(static_cast<std::size_t>(n_), 0.0), sums(std::size_t(p_), 0.0);
    for (Index j = 0; j < p_; ++j)
      for (Index e = begin(j); e < end(j); ++e)
        sums[std::size_t(j)] += double(values_[std::size_t(e)]);
    std::vector<T> H(static_cast<std::size_t>(p_ * p_), T(0));
    for (Index k = 0; k < p_; ++k) {
      for (Index e = begin(k); e < end(k); ++e)
        dense[std::size_t(row_idx_[std::size_t(e)])] = double(values_[std::size_t(e)]);
      for (Index j = 0; j <= k; ++j) {
        double dot = 0;
        for (Index e = begin(j); e < end(j); ++e)
          dot += double(values_[std::size_t(e)]) * dense[std::size_t(row_idx_[std::size_t(e)])];
        const double mj = mean_[std::size_t(j)], mk = mean_[std::size_t(k)];
        double h = inv_[std::size_t(j)] * inv_[std::size_t(k)] *
                   (dot - mk * sums[std::size_t(j)] - mj * sums[std::size_t(k)] +
                    double(n_) * mj * mk) / double(n_);
        if (!zt_.empty()) h -= low_rank_gram(j, k);  // − m_jᵀ(ZᵀZ/n)m_k
        H[std::size_t(j + k * p_)] = H[std::size_t(k + j * p_)] = static_cast<T>(h);
      }
      for (Index e = begin(k); e < end(k); ++e) dense[std::size_t(row_idx_[std::size_t(e)])] = 0;
    }
    return H;
  }

  // ‖x̃_j‖²/n per column: (Σ_stored (x − μ)² + (n − nnz_j)·μ²)·d_j⁻²/n.
  void column_square_norms(double* out) const {
    for (Index j = 0; j < p_; ++j) {
      const double mu = mean_[std::size_t(j)], inv = inv_[std::size_t(j)];
      double ss = double(n_ - (end(j) - begin(j))) * mu * mu;
      for (Index e = begin(j); e < end(j); ++e) {
        const double d = double(values_[std::size_t(e)]) - mu;
        ss += d * d;
      }
      out[j] = ss * inv * inv / double(n_);
      if (!zt_.empty()) out[j] = std::max(0.0, out[j] - low_rank_gram(j, j));
    }
  }

  // The unpenalized features (glmnet's penalty.factor 0) partialled out implicitly
  // (unpenalized.hpp): X̂ = X̃ − Z·M, with Z their standardized columns (n × k, held densely: k
  // is small) and M = (ZᵀZ)⁻¹ZᵀX̃ (k × p), Z's own columns zero columns of X̂; every product
  // above then is X̂'s (a rank-k correction, O((n + p)·k) per column). ỹ (host, n values) ←
  // ỹ − Z·m. Call once, after standardize. std::invalid_argument when Z is collinear.
  // (For the residuals the gaussian solver forms, X̂B − Pỹ, Zᵀr = 0, so the adjoint's correction
  // is a rounding-level term there; it is kept so that every product is X̂'s exactly.)
  Unpenalized partial_out(const std::vector<Index>& features, T* y) {
    Unpenalized out;
    for (const Index j : features)
      if (inv_[std::size_t(j)] > 0) out.features.push_back(j);
    const Index k = Index(out.features.size());
    if (k == 0) return out;
    const auto uk = std::size_t(k), up = std::size_t(p_), un = std::size_t(n_);
    std::vector<T> Z(un * uk);
    gather_columns(out.features, Z.data());
    // A = X̃ᵀZ/n (p × k), G = ZᵀZ/n, a = Zᵀỹ/n   (2·(nnz + n)·k + 2·n·k·(k + 1) flops)
    std::vector<T> A(up * uk);
    xt_times(k, T(1) / T(n_), Z.data(), n_, A.data(), p_);
    std::vector<double> G(uk * uk), At(uk * up), a(uk);
    for (std::size_t u = 0; u < uk; ++u) {
      for (std::size_t v = 0; v < uk; ++v) {
        double d = 0;
        for (std::size_t i = 0; i < un; ++i) d += double(Z[i + u * un]) * double(Z[i + v * un]);
        G[u + v * uk] = d / double(n_);
      }
      double d = 0;
      for (std::size_t i = 0; i < un; ++i) d += double(Z[i + u * un]) * double(y[i]);
      a[u] = d / double(n_);
      for (std::size_t j = 0; j < up; ++j) At[u + j * uk] = double(A[j + u * up]);
    }
    solve_unpenalized(out, G, std::move(At), std::move(a), p_);
    // ỹ ← ỹ − Z·m
    for (std::size_t i = 0; i < un; ++i) {
      double v = double(y[i]);
      for (std::size_t u = 0; u < uk; ++u) v -= double(Z[i + u * un]) * out.base[u];
      y[i] = static_cast<T>(v);
    }
    // Z's own columns become zero columns (PZ = 0, as the dense partial sets them)
    z_features_ = out.features;
    map_ = out.map;
    for (const Index j : out.features) {
      mean_[std::size_t(j)] = inv_[std::size_t(j)] = 0.0;
      for (std::size_t u = 0; u < uk; ++u) map_[u + std::size_t(j) * uk] = 0.0;
    }
    z_gram_ = std::move(G);
    zt_.assign(uk * un, 0.0);  // Zᵀ, row-major by row of X: a row's k values together
    for (std::size_t i = 0; i < un; ++i)
      for (std::size_t u = 0; u < uk; ++u) zt_[u + i * uk] = double(Z[i + u * un]);
    return out;
  }

 private:
  Index begin(Index j) const { return col_ptr_[std::size_t(j)]; }
  Index end(Index j) const { return col_ptr_[std::size_t(j + 1)]; }

  // zr = Zᵀr (k values), and (Mᵀ·Zᵀr)_j = m_jᵀ·zr.
  void low_rank_adjoint(const T* r, std::vector<double>& zr) const {
    const std::size_t k = z_features_.size();
    zr.assign(k, 0.0);
    for (Index i = 0; i < n_; ++i)
      for (std::size_t u = 0; u < k; ++u) zr[u] += zt_[u + std::size_t(i) * k] * double(r[i]);
  }
  double low_rank_dot(Index j, const std::vector<double>& zr) const {
    const std::size_t k = z_features_.size();
    double v = 0;
    for (std::size_t u = 0; u < k; ++u) v += map_[u + std::size_t(j) * k] * zr[u];
    return v;
  }
  // acc −= Z·(M·b) for a column b of m standardized coefficients, those of the columns idx
  // (all p when idx is null).
  void subtract_low_rank(const Index* idx, Index m, const T* b, std::vector<double>& acc) const {
    const std::size_t k = z_features_.size();
    std::vector<double> t(k, 0.0);
    for (Index c = 0; c < m; ++c) {
      const Index j = idx ? idx[c] : c;
      const double bj = double(b[c]);
      if (bj == 0) continue;
      for (std::size_t u = 0; u < k; ++u) t[u] += map_[u + std::size_t(j) * k] * bj;
    }
    for (Index i = 0; i < n_; ++i) {
      double v = 0;
      for (std::size_t u = 0; u < k; ++u) v += zt_[u + std::size_t(i) * k] * t[u];
      acc[std::size_t(i)] -= v;
    }
  }
  // m_jᵀ(ZᵀZ/n)m_k
  double low_rank_gram(Index j, Index k2) const {
    const std::size_t k = z_features_.size();
    double v = 0;
    for (std::size_t u = 0; u < k; ++u)
      for (std::size_t w = 0; w < k; ++w)
        v += map_[u + std::size_t(j) * k] * z_gram_[u + w * k] * map_[w + std::size_t(k2) * k];
    return v;
  }

  Index n_, p_;
  std::vector<Index> col_ptr_, row_idx_;
  std::vector<T> values_;
  std::vector<double> mean_, inv_;  // μ_j and d_j⁻¹ (both 0 for a zero column of X̃)
  // the partialled unpenalized features (partial_out; empty: none)
  std::vector<Index> z_features_;
  std::vector<double> zt_, map_, z_gram_;  // Zᵀ (k × n), M (k × p), ZᵀZ/n (k × k)
};

}  // namespace regpath
