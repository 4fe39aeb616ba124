// The design of the multinomial solver (core/engine/multinomial_solver.hpp): the standardized
// X̃ = (X − 1·μᵀ)·D⁻¹ of the features solved, seen only through its two products, densely (X̃
// formed once) or sparsely (CSC X, X̃ never formed: memory O(nnz + (n + p)·C)). glmnet's
// standardization, weighted: with row weights v summing to n, μ_j = Σ v_i·x_ij / n (0 without an
// intercept) and d_j = √(Σ v_i·(x_ij − x̄_j)²/n) (1 without standardization); a column constant
// over the rows that count (v_i > 0) is a zero column of X̃ (its coefficient 0). Private.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "backends/blas.hpp"
#include "core/design/sparse_design.hpp"
#include "regpath/regpath.hpp"

namespace regpath::detail {

class MultinomialDesign {
 public:
  virtual ~MultinomialDesign() = default;
  std::int64_t n = 0, p = 0;
  std::vector<double> mean, scale;  // μ_j and d_j of the p columns solved, for the way back

  // E += X̃·B̃   (E n × C, B̃ p × C, column-major)
  virtual void add_times(const double* B, std::int64_t C, double* E) const = 0;
  // G = X̃ᵀR     (R n × C, G p × C)
  virtual void t_times(const double* R, std::int64_t C, double* G) const = 0;
  // The design of the columns `subset` of X̃ (their μ_j and d_j), for a working set's solve:
  // the products then cost |subset|/p of these.
  virtual std::shared_ptr<const MultinomialDesign> columns(
      const std::vector<std::int64_t>& subset) const = 0;

  // The largest eigenvalue of AᵀVA/n, A = [1 X̃] (X̃ alone without an intercept), V = diag(v)
  // (empty: I), by 300 steps of the power iteration through the two products.
  virtual double top_eigenvalue(const std::vector<double>& weight, bool intercept) const {
    const auto un = static_cast<std::size_t>(n), up = static_cast<std::size_t>(p);
    std::vector<double> b(up, 1.0), u(un), g(up);
    double b0 = intercept ? 1.0 : 0.0, ev = 0;
    for (int it = 0; it < 300; ++it) {
      // u = V·(b0·1 + X̃b)/n, then (1ᵀu, X̃ᵀu)
      std::fill(u.begin(), u.end(), b0);
      add_times(b.data(), 1, u.data());
      double s = 0;
      for (std::size_t i = 0; i < un; ++i) {
        u[i] *= (weight.empty() ? 1.0 : weight[i]) / double(n);
        s += u[i];
      }
      t_times(u.data(), 1, g.data());
      double nrm = intercept ? s * s : 0.0;
      for (double v : g) nrm += v * v;
      nrm = std::sqrt(nrm);
      if (nrm == 0) break;
      ev = nrm;
      b0 = intercept ? s / nrm : 0.0;
      for (std::size_t j = 0; j < up; ++j) b[j] = g[j] / nrm;
    }
    return ev;
  }
};

// X̃ formed densely (n × p), the products BLAS GEMMs (the power iteration for L the base's).
class DenseMultinomialDesign final : public MultinomialDesign {
 public:
  std::vector<double> X;  // n × p column-major

  template <typename In>
  DenseMultinomialDesign(const MatrixView<In>& X_in, const std::vector<double>& weight,
                         bool intercept, bool standardize) {
    n = X_in.rows;
    p = X_in.cols;
    const auto w = [&](std::int64_t i) { return weight.empty() ? 1.0 : weight[std::size_t(i)]; };
    mean.assign(std::size_t(p), 0.0);
    scale.assign(std::size_t(p), 1.0);
    X.assign(std::size_t(n * p), 0.0);
    for (std::int64_t j = 0; j < p; ++j) {
      double m = 0;
      for (std::int64_t i = 0; i < n; ++i) m += w(i) * double(X_in(i, j));
      m /= double(n);
      double v = 0;
      bool same = true;
      std::int64_t first = -1;  // the first row that counts
      for (std::int64_t i = 0; i < n; ++i) {
        if (w(i) == 0) continue;
        if (first < 0) first = i;
        v += w(i) * (double(X_in(i, j)) - m) * (double(X_in(i, j)) - m);
        same = same && X_in(i, j) == X_in(first, j);
      }
      const double sd = std::sqrt(v / double(n));
      const bool constant = same || !(sd > 0);
      mean[std::size_t(j)] = intercept ? m : 0.0;
      scale[std::size_t(j)] = standardize && !constant ? sd : 1.0;
      if (constant) continue;
      for (std::int64_t i = 0; i < n; ++i)
        X[std::size_t(i + j * n)] =
            (double(X_in(i, j)) - mean[std::size_t(j)]) / scale[std::size_t(j)];
    }
  }
  // The columns `subset` of `parent`'s X̃, copied (n·|subset|).
  DenseMultinomialDesign(const DenseMultinomialDesign& parent,
                         const std::vector<std::int64_t>& subset) {
    n = parent.n;
    p = std::int64_t(subset.size());
    X.resize(std::size_t(n * p));
    for (std::int64_t a = 0; a < p; ++a) {
      const auto j = std::size_t(subset[std::size_t(a)]);
      mean.push_back(parent.mean[j]);
      scale.push_back(parent.scale[j]);
      std::copy_n(parent.X.begin() + std::ptrdiff_t(j) * n, n, X.begin() + a * n);
    }
  }

  void add_times(const double* B, std::int64_t C, double* E) const override {
    // E += X̃·B̃   (2·n·p·C flops)
    gemm('N', n, C, p, X.data(), n, B, p, 1.0, E, n);
  }
  void t_times(const double* R, std::int64_t C, double* G) const override {
    // G = X̃ᵀR   (2·n·p·C flops)
    gemm('T', p, C, n, X.data(), n, R, n, 0.0, G, p);
  }
  std::shared_ptr<const MultinomialDesign> columns(
      const std::vector<std::int64_t>& subset) const override {
    return std::make_shared<DenseMultinomialDesign>(*this, subset);
  }

 private:
  // out = op(A)·Bm + beta·out, op(A) m × k (A n-row column-major, transposed for 'T')
  static void gemm(char ta, std::int64_t m, std::int64_t cols, std::int64_t k, const double* A,
                   std::int64_t lda, const double* Bm, std::int64_t ldb, double beta,
                   double* out, std::int64_t ldo) {
    if (m == 0 || cols == 0) return;
    if (k == 0) {  // no columns solved: op(A)·Bm is empty, out = beta·out
      for (std::int64_t c = 0; c < cols; ++c)
        for (std::int64_t i = 0; i < m; ++i)
          out[i + c * ldo] = beta == 0 ? 0.0 : beta * out[i + c * ldo];
      return;
    }
    const char tb = 'N';
    const int im = int(m), in = int(cols), ik = int(k), ia = int(lda), ib = int(ldb),
              io = int(ldo);
    const double one = 1.0;
    dgemm_(&ta, &tb, &im, &in, &ik, &one, A, &ia, Bm, &ib, &beta, out, &io, 1, 1);
  }
};

// CSC X, standardized implicitly:
//   X̃·B̃ = X·(D⁻¹B̃) − 1·(μᵀD⁻¹B̃)        X̃ᵀR = D⁻¹(XᵀR − μ·1ᵀR)      (2·(nnz + n)·C flops each)
// over the `kept` columns of X: only they are copied (sorted, duplicates summed), once, and a
// working set's design shares that copy (its columns a list into it).
class SparseMultinomialDesign final : public MultinomialDesign {
 public:
  template <typename In>
  SparseMultinomialDesign(const SparseMatrixView<In>& X_in,
                          const std::vector<std::int64_t>& kept,
                          const std::vector<double>& weight, bool intercept, bool standardize) {
    SparseDesign<double>::validate(X_in);  // every column, the excluded ones too
    X_ = std::make_shared<const SparseDesign<double>>(kept_view(X_in, kept).view);
    n = X_->rows();
    p = std::int64_t(kept.size());
    const auto w = [&](std::int64_t i) { return weight.empty() ? 1.0 : weight[std::size_t(i)]; };
    double counted_all = 0;  // Σ v over every row, and how many rows count
    std::int64_t rows_counting = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      counted_all += w(i);
      rows_counting += w(i) > 0;
    }
    mean.assign(std::size_t(p), 0.0);
    scale.assign(std::size_t(p), 1.0);
    inv_.assign(std::size_t(p), 0.0);
    cols_.resize(std::size_t(p));
    for (std::int64_t a = 0; a < p; ++a) {
      cols_[std::size_t(a)] = a;
      double m = 0, stored_weight = 0;
      std::int64_t stored_counting = 0;
      bool same = true, seen = false;
      double first = 0;
      X_->for_each_in_column(a, [&](std::int64_t i, double x) {
        m += w(i) * x;
        stored_weight += w(i);
        if (w(i) == 0) return;
        ++stored_counting;
        if (!seen) first = x;
        same = same && x == first;
        seen = true;
      });
      m /= double(n);
      // the implicit zeros of the rows that count: Σ v·(0 − m)² = (Σv − Σv over stored)·m²
      double v = (counted_all - stored_weight) * m * m;
      X_->for_each_in_column(a, [&](std::int64_t i, double x) { v += w(i) * (x - m) * (x - m); });
      const bool zeros_count = stored_counting < rows_counting;
      if (zeros_count && seen) same = same && first == 0;
      const double sd = std::sqrt(v / double(n));
      const bool constant = same || !(sd > 0);
      mean[std::size_t(a)] = intercept ? m : 0.0;
      scale[std::size_t(a)] = standardize && !constant ? sd : 1.0;
      inv_[std::size_t(a)] = constant ? 0.0 : 1.0 / scale[std::size_t(a)];
    }
  }
  // The columns `subset` of `parent`'s, sharing its copy of X.
  SparseMultinomialDesign(const SparseMultinomialDesign& parent,
                          const std::vector<std::int64_t>& subset)
      : X_(parent.X_) {
    n = parent.n;
    p = std::int64_t(subset.size());
    for (const std::int64_t j : subset) {
      mean.push_back(parent.mean[std::size_t(j)]);
      scale.push_back(parent.scale[std::size_t(j)]);
      inv_.push_back(parent.inv_[std::size_t(j)]);
      cols_.push_back(parent.cols_[std::size_t(j)]);
    }
  }

  void add_times(const double* B, std::int64_t C, double* E) const override {
    for (std::int64_t c = 0; c < C; ++c) {
      double* e = E + c * n;
      double shift = 0;  // μᵀD⁻¹b̃
      for (std::int64_t a = 0; a < p; ++a) {
        // e += x_a·(b̃_a/d_a)   (2·nnz_a flops)
        const double v = B[a + c * p] * inv_[std::size_t(a)];
        if (v == 0) continue;
        shift += mean[std::size_t(a)] * v;
        X_->for_each_in_column(cols_[std::size_t(a)],
                               [e, v](std::int64_t i, double x) { e[i] += x * v; });
      }
      for (std::int64_t i = 0; i < n; ++i) e[i] -= shift;
    }
  }
  void t_times(const double* R, std::int64_t C, double* G) const override {
    for (std::int64_t c = 0; c < C; ++c) {
      const double* r = R + c * n;
      double sum = 0;
      for (std::int64_t i = 0; i < n; ++i) sum += r[i];
      for (std::int64_t a = 0; a < p; ++a) {
        // g_a = (x_aᵀr − μ_a·1ᵀr)/d_a   (2·nnz_a flops)
        double dot = 0;
        X_->for_each_in_column(cols_[std::size_t(a)],
                               [r, &dot](std::int64_t i, double x) { dot += x * r[i]; });
        G[a + c * p] = inv_[std::size_t(a)] * (dot - mean[std::size_t(a)] * sum);
      }
    }
  }
  std::shared_ptr<const MultinomialDesign> columns(
      const std::vector<std::int64_t>& subset) const override {
    return std::make_shared<SparseMultinomialDesign>(*this, subset);
  }

 private:
  // X's `kept` columns as a CSC view (X itself when they are all of them, in order; else a
  // copy of theirs, O(nnz of them)).
  template <typename In>
  struct KeptView {
    std::vector<std::int64_t> col_ptr, row_idx;
    std::vector<In> values;
    SparseMatrixView<In> view;
  };
  template <typename In>
  static KeptView<In> kept_view(const SparseMatrixView<In>& X,
                                const std::vector<std::int64_t>& kept) {
    KeptView<In> k;
    k.view = X;
    bool all = std::int64_t(kept.size()) == X.cols;
    for (std::size_t a = 0; a < kept.size() && all; ++a) all = kept[a] == std::int64_t(a);
    if (all) return k;
    k.col_ptr.push_back(0);
    for (const std::int64_t j : kept) {
      for (std::int64_t e = X.col_ptr[j]; e < X.col_ptr[j + 1]; ++e) {
        k.row_idx.push_back(X.row_idx[e]);
        k.values.push_back(X.values[e]);
      }
      k.col_ptr.push_back(std::int64_t(k.row_idx.size()));
    }
    k.view = SparseMatrixView<In>{X.rows, std::int64_t(kept.size()),
                                  std::int64_t(k.values.size()), k.col_ptr.data(),
                                  k.row_idx.data(), k.values.data()};
    return k;
  }

  std::shared_ptr<const SparseDesign<double>> X_;  // the kept columns, sorted, summed
  std::vector<std::int64_t> cols_;                 // each column's place in X_
  std::vector<double> inv_;                        // 1/d_j, 0 for a constant column
};

}  // namespace regpath::detail
