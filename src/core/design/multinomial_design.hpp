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

// X̃ formed densely (n × p), the products plain loops (small n·p·C: no GEMM needed).
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

  void add_times(const double* B, std::int64_t C, double* E) const override {
    for (std::int64_t c = 0; c < C; ++c) {
      double* e = E + c * n;
      for (std::int64_t j = 0; j < p; ++j) {
        const double b = B[j + c * p];
        if (b == 0.0) continue;
        const double* x = &X[std::size_t(j * n)];
        for (std::int64_t i = 0; i < n; ++i) e[i] += x[i] * b;
      }
    }
  }
  void t_times(const double* R, std::int64_t C, double* G) const override {
    for (std::int64_t c = 0; c < C; ++c) {
      const double* r = R + c * n;
      for (std::int64_t j = 0; j < p; ++j) {
        const double* x = &X[std::size_t(j * n)];
        double d = 0;
        for (std::int64_t i = 0; i < n; ++i) d += x[i] * r[i];
        G[j + c * p] = d;
      }
    }
  }
  // Exactly: H = AᵀVA/n formed ((p+1)², small), then its power iteration (300 steps).
  double top_eigenvalue(const std::vector<double>& weight, bool intercept) const override {
    const std::int64_t m = p + (intercept ? 1 : 0);
    auto col = [&](std::int64_t a, std::int64_t i) {
      if (intercept) return a == 0 ? 1.0 : X[std::size_t(i + (a - 1) * n)];
      return X[std::size_t(i + a * n)];
    };
    std::vector<double> H(std::size_t(m * m));
    for (std::int64_t a = 0; a < m; ++a)
      for (std::int64_t b = 0; b <= a; ++b) {
        double s = 0;
        for (std::int64_t i = 0; i < n; ++i)
          s += (weight.empty() ? 1.0 : weight[std::size_t(i)]) * col(a, i) * col(b, i);
        H[std::size_t(a + b * m)] = H[std::size_t(b + a * m)] = s / double(n);
      }
    const std::size_t ms = static_cast<std::size_t>(m);
    std::vector<double> v(ms, 1.0), w(ms);
    double ev = 0;
    for (int it = 0; it < 300; ++it) {
      double nrm = 0;
      for (std::int64_t a = 0; a < m; ++a) {
        double s = 0;
        for (std::int64_t b = 0; b < m; ++b) s += H[std::size_t(a + b * m)] * v[std::size_t(b)];
        w[std::size_t(a)] = s;
        nrm += s * s;
      }
      nrm = std::sqrt(nrm);
      if (nrm == 0) break;
      ev = nrm;
      for (std::int64_t a = 0; a < m; ++a) v[std::size_t(a)] = w[std::size_t(a)] / nrm;
    }
    return ev;
  }
};

// CSC X, standardized implicitly:
//   X̃·B̃ = X·(D⁻¹B̃) − 1·(μᵀD⁻¹B̃)        X̃ᵀR = D⁻¹(XᵀR − μ·1ᵀR)      (2·(nnz + n)·C flops each)
// over the `kept` columns of X (the others excluded: never read by the products' results).
class SparseMultinomialDesign final : public MultinomialDesign {
 public:
  template <typename In>
  SparseMultinomialDesign(const SparseMatrixView<In>& X_in, std::vector<std::int64_t> kept,
                          const std::vector<double>& weight, bool intercept, bool standardize)
      : X_(X_in), kept_(std::move(kept)) {
    n = X_.rows();
    p = std::int64_t(kept_.size());
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
    for (std::int64_t a = 0; a < p; ++a) {
      const std::int64_t j = kept_[std::size_t(a)];
      double m = 0, stored_weight = 0;
      std::int64_t stored_counting = 0;
      bool same = true, seen = false;
      double first = 0;
      X_.for_each_in_column(j, [&](std::int64_t i, double x) {
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
      X_.for_each_in_column(j, [&](std::int64_t i, double x) { v += w(i) * (x - m) * (x - m); });
      const bool zeros_count = stored_counting < rows_counting;
      if (zeros_count && seen) same = same && first == 0;
      const double sd = std::sqrt(v / double(n));
      const bool constant = same || !(sd > 0);
      mean[std::size_t(a)] = intercept ? m : 0.0;
      scale[std::size_t(a)] = standardize && !constant ? sd : 1.0;
      inv_[std::size_t(a)] = constant ? 0.0 : 1.0 / scale[std::size_t(a)];
    }
  }

  void add_times(const double* B, std::int64_t C, double* E) const override {
    const auto P = static_cast<std::size_t>(X_.cols());
    std::vector<double> b(P, 0.0), e(static_cast<std::size_t>(n));
    for (std::int64_t c = 0; c < C; ++c) {
      double shift = 0;  // μᵀD⁻¹b̃
      for (std::int64_t a = 0; a < p; ++a) {
        const double v = B[a + c * p] * inv_[std::size_t(a)];
        b[std::size_t(kept_[std::size_t(a)])] = v;
        shift += mean[std::size_t(a)] * v;
      }
      X_.raw_times(1, b.data(), std::int64_t(P), e.data(), n);
      for (std::int64_t i = 0; i < n; ++i) E[i + c * n] += e[std::size_t(i)] - shift;
    }
  }
  void t_times(const double* R, std::int64_t C, double* G) const override {
    const auto P = static_cast<std::size_t>(X_.cols());
    std::vector<double> g(P);
    for (std::int64_t c = 0; c < C; ++c) {
      const double* r = R + c * n;
      double sum = 0;
      for (std::int64_t i = 0; i < n; ++i) sum += r[i];
      X_.raw_adjoint(1, r, n, g.data(), std::int64_t(P));
      for (std::int64_t a = 0; a < p; ++a)
        G[a + c * p] = inv_[std::size_t(a)] *
                       (g[std::size_t(kept_[std::size_t(a)])] - mean[std::size_t(a)] * sum);
    }
  }

 private:
  SparseDesign<double> X_;  // sorted, duplicates summed (all columns; only kept_ are used)
  std::vector<std::int64_t> kept_;
  std::vector<double> inv_;  // 1/d_j, 0 for a constant column
};

}  // namespace regpath::detail
