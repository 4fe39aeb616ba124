// The GLM batch primitives of every backend against plain double loops written here, with
// planted edge cases: a column holding out no fold (−1), a constant feature (scale 0), K = 1,
// rows long enough for the per-column reductions to use every thread; and the scalar formulas.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "backend_fixture.hpp"
#include "core/engine/glm_scalar_ops.hpp"

namespace regpath::test {
namespace {

template <typename B>
class GlmOps : public BackendFixture<B> {
 protected:
  // The 5 × K column parameters: fold, a, b, c, s.
  std::vector<double> columns(std::int64_t K, int folds) {
    std::vector<double> col;
    for (std::int64_t k = 0; k < K; ++k) {
      const double fold = double(k % (folds + 1)) - 1;  // −1, 0, 1, …
      col.insert(col.end(), {fold, 0.5 + 0.1 * double(k), 0.7, 0.05 * double(k), 1.0 - 0.1 * double(k % 3)});
    }
    return col;
  }
};
TYPED_TEST_SUITE(GlmOps, Backends, BackendNames);

TYPED_TEST(GlmOps, PointwiseEveryOpAndFamily) {
  using T = typename TypeParam::value_type;
  const std::int64_t n = 700;  // longer than one thread block
  for (const std::int64_t K : {1, 5}) {
    const int folds = 3;
    const auto col = this->rounded(this->columns(K, folds));
    const auto E = this->rounded(this->random(std::size_t(n * K), 3.0));
    std::vector<double> fold(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) fold[std::size_t(i)] = double(i % folds);
    for (const bool binomial : {false, true}) {
      std::vector<double> y = this->rounded(this->random(std::size_t(n)));
      if (binomial)
        for (auto& v : y) v = v > 0 ? 1.0 : 0.0;
      for (const auto op : {ops::GlmOp::residual, ops::GlmOp::loss, ops::GlmOp::conjugate,
                            ops::GlmOp::test_error}) {
        auto dE = this->put(E), dy = this->put(y), df = this->put(fold), dc = this->put(col);
        auto dout = this->put(std::vector<double>(std::size_t(n * K)));
        const auto datafit = binomial ? ops::Datafit::logistic : ops::Datafit::quadratic;
        this->be_->glm_pointwise(op, datafit, n, K, dE.data(), dy.data(), df.data(), dc.data(),
                                 dout.data());
        const auto out = this->get(dout, std::size_t(n * K));
        for (std::int64_t k = 0; k < K; ++k)
          for (std::int64_t i = 0; i < n; ++i) {
            const double* c = col.data() + k * 5;
            const double eta = E[std::size_t(i + k * n)], yi = y[std::size_t(i)];
            const bool train = fold[std::size_t(i)] != c[0];
            const double mean = binomial ? 1 / (1 + std::exp(-eta)) : eta;
            const double w = binomial && yi < 0.5 ? c[2] : c[1];
            const double u = c[4] * (w * (mean - yi) - c[3]);
            double expected = 0;
            if (op == ops::GlmOp::residual) expected = train ? u : 0;
            if (op == ops::GlmOp::loss)
              expected = !train ? 0
                         : binomial ? std::log1p(std::exp(eta)) - yi * eta
                                    : 0.5 * (eta - yi) * (eta - yi);
            if (op == ops::GlmOp::conjugate) {
              const double q = std::min(1.0, std::max(0.0, yi + u));
              const double h = (q > 0 ? q * std::log(q) : 0) + (q < 1 ? (1 - q) * std::log(1 - q) : 0);
              expected = !train ? 0 : binomial ? h : 0.5 * u * u + u * yi;
            }
            if (op == ops::GlmOp::test_error) {
              const double pr = std::min(1 - 1e-5, std::max(1e-5, mean));
              expected = train ? 0
                         : binomial ? -2 * (yi * std::log(pr) + (1 - yi) * std::log(1 - pr))
                                    : (yi - eta) * (yi - eta);
            }
            ASSERT_NEAR(out[std::size_t(i + k * n)], expected,
                        1e3 * this->tol() * (1 + std::fabs(expected)))
                << "op " << int(op) << " binomial " << binomial << " at (" << i << "," << k << ")";
          }
      }
    }
  }
  (void)sizeof(T);
}

TYPED_TEST(GlmOps, RawAndStandardizedMaps) {
  using T = typename TypeParam::value_type;
  const std::int64_t p = 600, rows = p + 1, folds = 2;  // p longer than one thread block
  for (const std::int64_t K : {1, 4}) {
    const auto col = this->rounded(this->columns(K, int(folds)));
    auto S = this->rounded(this->random(std::size_t(p * (folds + 1))));
    S[3] = S[3 + p] = S[3 + 2 * p] = 0;  // a constant feature
    const auto Mu = this->rounded(this->random(std::size_t(p * (folds + 1))));
    const auto B = this->rounded(this->random(std::size_t(rows * K)));
    auto dS = this->put(S), dMu = this->put(Mu), dc = this->put(col), dB = this->put(B);
    auto dRaw = this->put(std::vector<double>(std::size_t(rows * K)));
    this->be_->to_raw(p, K, dS.data(), dMu.data(), dc.data(), dB.data(), dRaw.data());
    const auto raw = this->get(dRaw, std::size_t(rows * K));
    for (const bool intercept : {true, false}) {
      auto dG = this->put(std::vector<double>(std::size_t(rows * K)));
      this->be_->from_raw_gradient(p, K, dS.data(), dMu.data(), dc.data(), dB.data(), intercept,
                                   dG.data());
      const auto G = this->get(dG, std::size_t(rows * K));
      for (std::int64_t k = 0; k < K; ++k) {
        const std::int64_t f = std::int64_t(col[std::size_t(k * 5)]) + 1;
        double shift = 0;
        for (std::int64_t j = 0; j < p; ++j) {
          const double s = S[std::size_t(j + f * p)], mu = Mu[std::size_t(j + f * p)];
          const double r = s * B[std::size_t(j + k * rows)];
          shift += mu * r;
          ASSERT_NEAR(raw[std::size_t(j + k * rows)], r, 10 * this->tol()) << j << "," << k;
          const double g = s * (B[std::size_t(j + k * rows)] - mu * B[std::size_t(p + k * rows)]);
          ASSERT_NEAR(G[std::size_t(j + k * rows)], g, 10 * this->tol() * (1 + std::fabs(g)))
              << j << "," << k;
        }
        ASSERT_NEAR(raw[std::size_t(p + k * rows)], B[std::size_t(p + k * rows)] - shift,
                    1e3 * this->tol());
        ASSERT_EQ(G[std::size_t(p + k * rows)], intercept ? double(T(B[std::size_t(p + k * rows)])) : 0.0);
      }
    }
  }
}

TYPED_TEST(GlmOps, ProxStepLeavesTheInterceptUnpenalized) {
  const std::int64_t p = 9, rows = p + 1, K = 3;
  const auto Y = this->rounded(this->random(std::size_t(rows * K)));
  const auto G = this->rounded(this->random(std::size_t(rows * K)));
  const auto step = this->rounded({0.5, 0.25, 1.0}), lam = this->rounded({0.3, 0.1, 2.0}),
             alpha = this->rounded({0.0, 0.5, 1.0});
  auto dY = this->put(Y), dG = this->put(G), ds = this->put(step), dl = this->put(lam),
       da = this->put(alpha), dB = this->put(std::vector<double>(std::size_t(rows * K)));
  this->be_->prox_step_glm(p, K, dY.data(), dG.data(), ds.data(), dl.data(), da.data(), {}, dB.data());
  const auto Bn = this->get(dB, std::size_t(rows * K));
  for (std::int64_t k = 0; k < K; ++k)
    for (std::int64_t j = 0; j <= p; ++j) {
      const auto e = std::size_t(j + k * rows), uk = std::size_t(k);
      const double expected = j == p ? Y[e] - step[uk] * G[e]
                                     : ops::prox_elastic_net(Y[e], G[e], step[uk], lam[uk], alpha[uk]);
      ASSERT_NEAR(Bn[e], expected, 10 * this->tol()) << j << "," << k;
    }
}

TEST(GlmScalarOps, StableAtExtremes) {
  EXPECT_EQ(ops::sigmoid(1000.0), 1.0);
  EXPECT_EQ(ops::sigmoid(-1000.0), 0.0);
  EXPECT_NEAR(ops::log1p_exp(1000.0), 1000.0, 1e-12);
  EXPECT_NEAR(ops::log1p_exp(-1000.0), 0.0, 1e-300);
  using Logistic = ops::LogisticDatafit;
  using Quadratic = ops::QuadraticDatafit;
  EXPECT_TRUE(std::isfinite(Logistic::loss(800.0f, 0.0f)));
  EXPECT_EQ(Logistic::conjugate(0.0, 1.0), 0.0);   // q = 1: 1·log 1 + 0
  EXPECT_EQ(Logistic::conjugate(-1.0, 1.0), 0.0);  // q = 0
  EXPECT_NEAR(Logistic::conjugate(0.5, 0.0), std::log(0.5), 1e-15);
  EXPECT_NEAR(Logistic::test_error(1000.0, 0.0), -2 * std::log(1e-5), 1e-6);
  // Fenchel–Young with equality at u = f'(η): f(η) + f*(u) = u·η
  for (const double eta : {-3.0, 0.2, 4.0})
    for (const double y : {0.0, 1.0}) {
      const double u = Logistic::mean(eta) - y;
      EXPECT_NEAR(Logistic::loss(eta, y) + Logistic::conjugate(u, y), u * eta, 1e-12);
      const double ug = Quadratic::mean(eta) - y;
      EXPECT_NEAR(Quadratic::loss(eta, y) + Quadratic::conjugate(ug, y), ug * eta, 1e-12);
    }
}

}  // namespace
}  // namespace regpath::test
