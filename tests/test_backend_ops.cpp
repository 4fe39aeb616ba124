// Every backend primitive against plain double-precision loops written here, on random data with
// planted edge cases (a zero column, a converged column, K = 1).
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <random>
#include <string>

#include "backend_fixture.hpp"
#include "backend_types.hpp"
#include "core/engine/scalar_ops.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

template <typename B>
class BackendOps : public BackendFixture<B> {
 protected:
  void expect_gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, double beta,
                   std::int64_t zero_row);
};
TYPED_TEST_SUITE(BackendOps, Backends, BackendNames);

// C = 0.5·op(A)·op(B) + beta·C against double loops; B's column 0 has a zero at row `zero_row`
// (the CPU backend's one-column products skip zeros), and beta = 0 starts from a NaN-filled C,
// which BLAS's convention (C not read) must leave out.
template <typename B>
void BackendOps<B>::expect_gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k,
                                double beta, std::int64_t zero_row) {
  BackendOps<B>& f = *this;
  const std::int64_t lda = ta ? k + 2 : m + 1, ldb = tb ? n + 3 : k, ldc = m + 2;
  const auto A = f.rounded(f.random(std::size_t(lda * (ta ? m : k))));
  auto Bm = f.rounded(f.random(std::size_t(ldb * (tb ? k : n))));
  Bm[std::size_t(tb ? zero_row * ldb : zero_row)] = 0;
  const auto C0 = beta == 0 ? std::vector<double>(std::size_t(ldc * n), std::nan(""))
                            : f.rounded(f.random(std::size_t(ldc * n)));
  auto dA = f.put(A), dB = f.put(Bm), dC = f.put(C0);
  using T = typename B::value_type;
  f.be_->gemm(ta, tb, m, n, k, T(0.5), dA.data(), lda, dB.data(), ldb, T(beta), dC.data(), ldc);
  const auto C = f.get(dC, C0.size());
  for (std::int64_t j = 0; j < n; ++j)
    for (std::int64_t i = 0; i < m; ++i) {
      double s = 0;
      for (std::int64_t l = 0; l < k; ++l)
        s += (ta ? A[std::size_t(l + i * lda)] : A[std::size_t(i + l * lda)]) *
             (tb ? Bm[std::size_t(j + l * ldb)] : Bm[std::size_t(l + j * ldb)]);
      const double expected = 0.5 * s + (beta == 0 ? 0.0 : beta * C0[std::size_t(i + j * ldc)]);
      ASSERT_NEAR(C[std::size_t(i + j * ldc)], expected, 10 * f.tol() * (1 + std::fabs(expected)))
          << "ta=" << ta << " tb=" << tb << " n=" << n << " beta=" << beta << " at (" << i << ","
          << j << ")";
    }
}

TYPED_TEST(BackendOps, GemmAllTransposes) {
  for (bool ta : {false, true})
    for (bool tb : {false, true}) this->expect_gemm(ta, tb, 7, 5, 9, -2.0, 3);
}

// One column (H·β, the Gram form's gradient of one λ): every beta convention, and sizes on both
// sides of the CPU backend's small-product loop.
TYPED_TEST(BackendOps, GemmOneColumn) {
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (const double beta : {-2.0, 0.0, 1.0}) {
        this->expect_gemm(ta, tb, 7, 1, 9, beta, 4);
        this->expect_gemm(ta, tb, 300, 1, 260, beta, 17);
      }
}

TYPED_TEST(BackendOps, GramIsFullSymmetric) {
  const std::int64_t rows = 11, p = 6;
  const auto A = this->rounded(this->random(std::size_t(rows * p)));
  auto dA = this->put(A);
  auto dH = this->put(std::vector<double>(std::size_t(p * p), 7.0));
  using T = typename TypeParam::value_type;
  this->be_->gram(rows, p, T(1) / T(rows), dA.data(), rows, dH.data(), p);
  const auto H = this->get(dH, std::size_t(p * p));
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < p; ++i) {
      double s = 0;
      for (std::int64_t r = 0; r < rows; ++r) s += A[std::size_t(r + i * rows)] * A[std::size_t(r + j * rows)];
      ASSERT_NEAR(H[std::size_t(i + j * p)], s / double(rows), 10 * this->tol()) << i << "," << j;
    }
}

TYPED_TEST(BackendOps, StandardizeLikeGlmnet) {
  const std::int64_t n = 9, p = 4;
  auto X = this->rounded(this->random(std::size_t(n * p), 3.0));
  for (std::int64_t i = 0; i < n; ++i) {
    X[std::size_t(i + 1 * n)] = double(typename TypeParam::value_type(0.1));  // constant column
    X[std::size_t(i + 3 * n)] += 5.0;                                         // offset column
  }
  for (bool center : {true, false})
    for (bool scale : {true, false}) {
      auto dX = this->put(X);
      std::vector<double> mean(p), sc(p);
      this->be_->standardize(n, p, dX.data(), n, center, scale, mean.data(), sc.data());
      const auto Xs = this->get(dX, X.size());
      for (std::int64_t j = 0; j < p; ++j) {
        double m = 0, ss = 0;
        for (std::int64_t i = 0; i < n; ++i) m += X[std::size_t(i + j * n)] / double(n);
        for (std::int64_t i = 0; i < n; ++i) ss += std::pow(X[std::size_t(i + j * n)] - m, 2);
        const double sd = std::sqrt(ss / double(n));
        if (j == 1) {
          EXPECT_EQ(sc[1], 0.0) << "constant column flagged";
          for (std::int64_t i = 0; i < n; ++i) EXPECT_EQ(Xs[std::size_t(i + n)], 0.0);
          continue;
        }
        EXPECT_NEAR(mean[std::size_t(j)], center ? m : 0.0, this->tol() * 10);
        EXPECT_NEAR(sc[std::size_t(j)], scale ? sd : 1.0, this->tol() * 10);
        for (std::int64_t i = 0; i < n; ++i)
          EXPECT_NEAR(Xs[std::size_t(i + j * n)],
                      (X[std::size_t(i + j * n)] - (center ? m : 0.0)) / (scale ? sd : 1.0),
                      this->tol() * 100);
      }
    }
}

// Columns whose squares over- or underflow (1e200 and 1e-300 in double) standardize like any
// other: the backends take the moments of x/max|x|.
TYPED_TEST(BackendOps, StandardizeExtremeMagnitudes) {
  using T = typename TypeParam::value_type;
  const bool is_double = sizeof(T) == 8;
  const std::int64_t n = 11, p = 3;
  const double factor[p] = {1.0, is_double ? 1e200 : 1e30, is_double ? 1e-300 : 1e-30};
  const auto base = this->rounded(this->random(std::size_t(n), 2.0));
  std::vector<double> X(std::size_t(n * p));
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < n; ++i)
      X[std::size_t(i + j * n)] = double(T(base[std::size_t(i)] * factor[j]));
  auto dX = this->put(X);
  std::vector<double> mean(p), sc(p);
  this->be_->standardize(n, p, dX.data(), n, true, true, mean.data(), sc.data());
  const auto Xs = this->get(dX, X.size());
  for (std::int64_t j = 1; j < p; ++j) {
    const std::string where = "column " + std::to_string(j) + " (factor " +
                              std::to_string(factor[j]) + ")";
    EXPECT_NEAR(mean[std::size_t(j)] / factor[j], mean[0], this->tol() * 100) << where;
    EXPECT_NEAR(sc[std::size_t(j)] / factor[j], sc[0], this->tol() * 100 * sc[0]) << where;
    for (std::int64_t i = 0; i < n; ++i)
      EXPECT_NEAR(Xs[std::size_t(i + j * n)], Xs[std::size_t(i)], this->tol() * 100) << where;
  }
}

TYPED_TEST(BackendOps, FillColumns) {
  const auto v = this->rounded(this->random(5));
  auto dv = this->put(v);
  auto dM = this->put(std::vector<double>(6 * 3, 1.0));
  using T = typename TypeParam::value_type;
  this->be_->fill_columns(5, 3, dM.data(), 6, dv.data(), T(-2));
  const auto M = this->get(dM, 18);
  for (int k = 0; k < 3; ++k) {
    for (int i = 0; i < 5; ++i) EXPECT_EQ(M[std::size_t(i + 6 * k)], -2 * v[std::size_t(i)]);
    EXPECT_EQ(M[std::size_t(5 + 6 * k)], 1.0) << "padding row untouched";
  }
}

TYPED_TEST(BackendOps, ProxStepPerColumn) {
  using T = typename TypeParam::value_type;
  for (std::int64_t K : {1, 4}) {
    const std::int64_t p = 13;
    const auto Y = this->rounded(this->random(std::size_t(p * K)));
    auto G = this->rounded(this->random(std::size_t(p * K)));
    for (std::int64_t j = 0; j < p; ++j) G[std::size_t(j)] = 0;  // a zero gradient column
    std::vector<double> step, lam;
    for (std::int64_t k = 0; k < K; ++k) {
      step.push_back(double(T(0.3 + 0.1 * double(k))));
      lam.push_back(double(T(0.2 * double(k + 1))));
    }
    for (double alpha : {0.0, 0.5, 1.0}) {
      auto dY = this->put(Y), dG = this->put(G), ds = this->put(step), dl = this->put(lam);
      auto dB = this->put(std::vector<double>(std::size_t(p * K)));
      this->be_->prox_step(p, K, dY.data(), dG.data(), ds.data(), dl.data(), T(alpha), {}, dB.data());
      const auto Bn = this->get(dB, std::size_t(p * K));
      for (std::int64_t k = 0; k < K; ++k)
        for (std::int64_t j = 0; j < p; ++j) {
          const auto e = std::size_t(j + k * p);
          const double expected = ops::prox_elastic_net(Y[e], G[e], step[std::size_t(k)],
                                                        lam[std::size_t(k)], alpha);
          ASSERT_NEAR(Bn[e], expected, 10 * this->tol()) << "K=" << K << " alpha=" << alpha
                                                         << " at (" << j << "," << k << ")";
        }
    }
  }
}

TYPED_TEST(BackendOps, MomentumRestartsPerColumn) {
  using T = typename TypeParam::value_type;
  const std::int64_t p = 3, K = 2;
  // column 0 keeps going (no restart), column 1 overshoots (restart): checked by hand.
  const std::vector<double> Bn = {1, 1, 1, 1, 1, 1};
  const std::vector<double> Bc = {0, 0, 0, 0, 0, 0};
  const std::vector<double> Y = {0.5, 0.5, 0.5, 2, 2, 2};  // (Y−Bn)·(Bn−Bc): −1.5 | +3
  auto dBn = this->put(Bn), dBc = this->put(Bc), dY = this->put(Y);
  auto dTheta = this->put({2.0, 2.0});
  this->be_->momentum_step(p, K, dBn.data(), dBc.data(), dY.data(), dTheta.data());
  const auto Yn = this->get(dY, 6);
  const auto th = this->get(dTheta, 2);
  const double next = (1 + std::sqrt(17.0)) / 2;
  EXPECT_NEAR(th[0], next, 10 * this->tol());
  EXPECT_EQ(th[1], 1.0);
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(Yn[std::size_t(j)], 1 + (2 - 1) / next, 10 * this->tol());
    EXPECT_EQ(Yn[std::size_t(3 + j)], 1.0);
  }
  (void)T(0);
}

TYPED_TEST(BackendOps, GapTermsAndColumnDots) {
  using T = typename TypeParam::value_type;
  const std::int64_t p = 17, K = 3;
  auto Bm = this->rounded(this->random(std::size_t(p * K)));
  for (std::int64_t j = 0; j < p; j += 3) Bm[std::size_t(j)] = 0;  // sparse first column
  const auto G = this->rounded(this->random(std::size_t(p * K)));
  const auto c = this->rounded(this->random(std::size_t(p)));
  const std::vector<double> lam = {double(T(0.5)), double(T(0.1)), double(T(2))};
  const double alpha = double(T(0.7));
  auto dB = this->put(Bm), dG = this->put(G), dc = this->put(c), dl = this->put(lam);
  std::vector<ops::GapTerms> terms(K);
  this->be_->gap_terms(p, K, dB.data(), dG.data(), dc.data(), dl.data(), T(alpha), {}, terms.data());
  std::vector<double> dots(K);
  this->be_->column_dots(p, K, dB.data(), p, dG.data(), p, dots.data());
  for (std::int64_t k = 0; k < K; ++k) {
    ops::GapTerms e;
    for (std::int64_t j = 0; j < p; ++j)
      ops::accumulate_gap_terms(e, Bm[std::size_t(j + k * p)], G[std::size_t(j + k * p)],
                                c[std::size_t(j)], lam[std::size_t(k)], alpha);
    const auto& t = terms[std::size_t(k)];
    const double tl = 1e-12 * p;  // accumulated in double on every backend
    EXPECT_NEAR(t.beta_dot_grad, e.beta_dot_grad, tl) << k;
    EXPECT_NEAR(t.l1, e.l1, tl) << k;
    EXPECT_NEAR(t.l2sq, e.l2sq, tl) << k;
    EXPECT_NEAR(t.excess_sq, e.excess_sq, tl) << k;
    EXPECT_NEAR(t.max_dual, e.max_dual, tl) << k;
    EXPECT_NEAR(t.c_dot_beta, e.c_dot_beta, tl) << k;
    EXPECT_NEAR(dots[std::size_t(k)], e.beta_dot_grad, tl) << k;
  }
}

TYPED_TEST(BackendOps, CompactColumnsKeepsOrder) {
  const std::int64_t rows = 4, K = 6;
  std::vector<double> M(std::size_t(rows * K));
  for (std::size_t i = 0; i < M.size(); ++i) M[i] = double(i);
  auto dM = this->put(M);
  this->be_->compact_columns(rows, dM.data(), rows, {0, 2, 3, 5});
  const auto out = this->get(dM, std::size_t(rows * 4));
  const int kept[] = {0, 2, 3, 5};
  for (int s = 0; s < 4; ++s)
    for (int i = 0; i < rows; ++i)
      EXPECT_EQ(out[std::size_t(i + s * rows)], M[std::size_t(i + kept[s] * rows)]) << s;
  auto dv = this->put({10, 11, 12});
  this->be_->compact_columns(1, dv.data(), 1, {2});
  EXPECT_EQ(this->get(dv, 1)[0], 12.0);
}

}  // namespace
}  // namespace regpath::test
