// The GLM batch primitives of every backend against plain double loops written here, with
// planted edge cases: a column holding out no fold (−1), a constant feature (scale 0), K = 1,
// rows long enough for the per-column reductions to use every thread; and the scalar formulas.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "backend_fixture.hpp"
#include "core/datafit/mean_divergence.hpp"
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
      for (const auto op : {ops::GlmOp::residual, ops::GlmOp::loss, ops::GlmOp::fenchel_young,
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
            if (op == ops::GlmOp::fenchel_young) {  // f(η) + f*(u) − u·η, directly
              // (a u outside f*'s domain as its nearest point in it, q clamped into [0, 1])
              const double q = std::min(1.0, std::max(0.0, yi + u));
              const double h = (q > 0 ? q * std::log(q) : 0) + (q < 1 ? (1 - q) * std::log(1 - q) : 0);
              const double uc = binomial ? q - yi : u;
              const double f = binomial ? std::log1p(std::exp(eta)) - yi * eta
                                        : 0.5 * (eta - yi) * (eta - yi);
              expected = !train ? 0 : f + (binomial ? h : 0.5 * u * u + u * yi) - uc * eta;
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

// f(η) + f*(u) − u·η, directly, in long double (64-bit significand on x86-64): the reference
// for Fit::fenchel_young near the optimum, where the double sum of the same terms loses its
// digits (its terms are ~|f| each while their sum is ~δ²/μ).
long double direct_fenchel_young(int datafit, long double eta, long double u, long double y) {
  if (datafit == 0) return 0.5L * (eta - y) * (eta - y) + 0.5L * u * u + u * y - u * eta;
  const long double q = y + u;
  if (datafit == 1) {
    const long double f = std::log1p(std::exp(eta)) - y * eta;
    return f + q * std::log(q) + (1 - q) * std::log1p(-q) - u * eta;
  }
  return std::exp(eta) - y * eta + q * std::log(q) - q - u * eta;
}

// Near the optimum (q − μ = ±1e−2·μ, ±1e−3·μ) each datafit's Fenchel–Young term keeps 1e−8
// relative accuracy (the direct double sum: ~2e−8 at 1e−3 on these rows, and worse closer), is
// exactly or all but 0 at u = ℓ'(η) − y, never negative, and agrees with the direct sum far
// from it.
TEST(GlmScalarOps, FenchelYoungKeepsItsAccuracyNearTheOptimum) {
  auto fy = [](int d, double eta, double u, double y) {
    return d == 0   ? ops::QuadraticDatafit::fenchel_young(eta, u, y)
           : d == 1 ? ops::LogisticDatafit::fenchel_young(eta, u, y)
                    : ops::PoissonDatafit::fenchel_young(eta, u, y);
  };
  auto mean = [](int d, double eta) {
    return d == 0   ? ops::QuadraticDatafit::mean(eta)
           : d == 1 ? ops::LogisticDatafit::mean(eta)
                    : ops::PoissonDatafit::mean(eta);
  };
  for (int d = 0; d < 3; ++d)
    for (const double eta : {-2.5, 0.3, 2.0, 9.0})
      for (const double y : d == 1 ? std::vector<double>{0.0, 1.0}
                                   : std::vector<double>{0.0, 3.0, std::round(1.3 * mean(d, eta))}) {
        SCOPED_TRACE("datafit " + std::to_string(d) + " eta " + std::to_string(eta) + " y " +
                     std::to_string(y));
        const double mu = mean(d, eta);
        const double at_optimum = fy(d, eta, mu - y, y);
        EXPECT_GE(at_optimum, 0.0);
        EXPECT_LE(at_optimum, 1e-24 * (1 + std::fabs(mu) + std::fabs(y)));  // direct: ~1e-16
        // q = μ·(1 + t) within the conjugate's domain ([0, 1] for the logistic loss)
        const double room = d == 1 ? std::min(mu, 1 - mu) : (d == 0 ? 1.0 : mu);
        for (const double t : {1e-2, -1e-2, 1e-3, -1e-3}) {
          const double u = (mu - y) + t * room;
          const long double ref = direct_fenchel_young(d, eta, u, y);
          const double got = fy(d, eta, u, y);
          EXPECT_GT(got, 0.0) << "t " << t;
          EXPECT_NEAR(got, double(ref), 1e-8 * double(ref)) << "t " << t;
        }
        // far from the optimum: the direct sum in double is accurate enough to compare
        const double u_far = d == 1 ? 0.5 - y : (mu - y) + 0.5 * (1 + mu);
        const double ref_far = double(direct_fenchel_young(d, eta, u_far, y));
        EXPECT_NEAR(fy(d, eta, u_far, y), ref_far, 1e-12 * (1 + std::fabs(ref_far)));
      }
}

// mean_divergence: its series (|t| < ⅛) and direct form agree across the switch, q = 0 gives
// μ, and it is ≈ δ²/(2μ) for small δ.
TEST(GlmScalarOps, MeanDivergenceAcrossItsTwoForms) {
  for (const double mu : {1e-3, 1.0, 250.0}) {
    for (const double edge : {0.125, -0.125}) {
      const double below = std::nextafter(edge, 0.0), at = edge;
      const double a = ops::mean_divergence(mu, below * mu), b = ops::mean_divergence(mu, at * mu);
      EXPECT_NEAR(a, b, 1e-13 * b) << "mu " << mu << " edge " << edge;
    }
    EXPECT_EQ(ops::mean_divergence(mu, -mu), mu);
    EXPECT_EQ(ops::mean_divergence(mu, -1.5 * mu), mu);  // q < 0 by rounding: as q = 0
    EXPECT_EQ(ops::mean_divergence(mu, 0.0), 0.0);
    const double delta = 1e-9 * mu;
    EXPECT_NEAR(ops::mean_divergence(mu, delta), delta * delta / (2 * mu),
                1e-8 * delta * delta / mu);
    EXPECT_GT(ops::mean_divergence(float(mu), float(1e-4 * mu)), 0.0f);
  }
}

}  // namespace
}  // namespace regpath::test
