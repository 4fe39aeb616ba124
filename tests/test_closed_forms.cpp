// Solutions known in closed form: ridge normal equations, orthogonal-design lasso, one-feature
// elastic net, λ ≥ λ_max ⇒ 0, constant columns and responses.
#include <gtest/gtest.h>

#include <cmath>

#include "test_support.hpp"

namespace regpath::test {
namespace {

template <typename C>
class ClosedForms : public ConfigTest<C> {};
TYPED_TEST_SUITE(ClosedForms, AllConfigs, ConfigNames);

// Solves A·x = b (small, dense, symmetric positive definite) by Gaussian elimination.
std::vector<double> solve_spd(std::vector<double> A, std::vector<double> b) {
  const std::size_t m = b.size();
  for (std::size_t k = 0; k < m; ++k)
    for (std::size_t i = k + 1; i < m; ++i) {
      const double f = A[i + k * m] / A[k + k * m];
      for (std::size_t j = k; j < m; ++j) A[i + j * m] -= f * A[k + j * m];
      b[i] -= f * b[k];
    }
  std::vector<double> x(m);
  for (std::size_t i = m; i-- > 0;) {
    double s = b[i];
    for (std::size_t j = i + 1; j < m; ++j) s -= A[i + j * m] * x[j];
    x[i] = s / A[i + i * m];
  }
  return x;
}

// Ridge (α = 0): (X̃ᵀX̃/n + λI)·β̃ = X̃ᵀỹ/n on the standardized scale, for n > p and p > n.
TYPED_TEST(ClosedForms, RidgeNormalEquations) {
  for (auto [n, p] : {std::pair<int, int>{60, 8}, std::pair<int, int>{15, 30}}) {
    const Problem pr = random_problem(n, p, 0.4, 11u + unsigned(p));
    const Scaling s = scaling_of(pr, true, true);
    double ymean = 0;
    for (double v : pr.y) ymean += v / n;
    std::vector<double> Xt(pr.X.size());
    for (int j = 0; j < p; ++j)
      for (int i = 0; i < n; ++i)
        Xt[std::size_t(i + j * n)] = (pr.X[std::size_t(i + j * n)] - s.mean[std::size_t(j)]) /
                                     s.scale[std::size_t(j)];
    for (double lambda : {0.05, 0.7, 5.0}) {
      std::vector<double> A(static_cast<std::size_t>(p * p)), b(static_cast<std::size_t>(p));
      for (int j = 0; j < p; ++j) {
        for (int i = 0; i < n; ++i) b[std::size_t(j)] += Xt[std::size_t(i + j * n)] * (pr.y[std::size_t(i)] - ymean) / n;
        for (int k = 0; k < p; ++k) {
          double h = 0;
          for (int i = 0; i < n; ++i) h += Xt[std::size_t(i + j * n)] * Xt[std::size_t(i + k * n)];
          A[std::size_t(j + k * p)] = h / n + (j == k ? lambda : 0.0);
        }
      }
      const std::vector<double> bt = solve_spd(A, b);
      std::vector<double> expected(static_cast<std::size_t>(p));
      for (int j = 0; j < p; ++j) expected[std::size_t(j)] = bt[std::size_t(j)] / s.scale[std::size_t(j)];
      Options o = this->options();
      o.alpha = 0;
      o.lambdas = {lambda};
      const Path path = fit(pr.view(), pr.y.data(), o);
      EXPECT_TRUE(all_near(path.coefs, expected, 10 * this->tol(), 10 * this->tol(),
                           "ridge n=" + std::to_string(n) + " p=" + std::to_string(p) +
                               " lambda=" + std::to_string(lambda)));
    }
  }
}

// glmnet's response scaling on an orthogonal design: β̃ = S(c, λα) / (1 + λ(1−α)/s), s the
// response's 1/n sd with an intercept, its root mean square without.
TYPED_TEST(ClosedForms, GlmnetResponseScalingOnOrthogonalDesign) {
  const int n = 8, p = 3;
  const int H[8][4] = {{1, 1, 1, 1},   {1, -1, 1, -1}, {1, 1, -1, -1}, {1, -1, -1, 1},
                       {1, 1, 1, 1},   {1, -1, 1, -1}, {1, 1, -1, -1}, {1, -1, -1, 1}};
  Problem pr;
  pr.n = n;
  pr.p = p;
  for (int j = 1; j <= p; ++j)
    for (int i = 0; i < n; ++i) pr.X.push_back(i < 4 ? H[i][j] : -H[i][j]);
  pr.y = {3.0, -1.0, 2.5, 0.5, -2.0, 1.0, 0.25, 4.0};
  for (const bool intercept : {true, false}) {
    double ymean = 0, ss = 0;
    for (double v : pr.y) ymean += v / n;
    const double centre = intercept ? ymean : 0.0;
    for (double v : pr.y) ss += (v - centre) * (v - centre) / n;
    const double s = std::sqrt(ss);
    for (const double lambda : {0.05, 0.4}) {
      Options o = this->options();
      o.alpha = 0.5;
      o.intercept = intercept;
      o.glmnet_y_scaling = true;
      o.lambdas = {lambda};
      const Path path = fit(pr.view(), pr.y.data(), o);
      std::vector<double> expected;
      for (int j = 0; j < p; ++j) {
        double c = 0;
        for (int i = 0; i < n; ++i) c += pr.X[std::size_t(i + j * n)] * (pr.y[std::size_t(i)] - centre) / n;
        const double t = lambda * 0.5;
        const double soft = c > t ? c - t : c < -t ? c + t : 0.0;
        expected.push_back(soft / (1 + lambda * 0.5 / s));
      }
      EXPECT_TRUE(all_near(path.coefs, expected, this->tol(), this->tol(),
                           "glmnet y scaling, intercept " + std::to_string(intercept) +
                               " lambda=" + std::to_string(lambda)));
    }
  }
}

// With X̃ᵀX̃/n = I the lasso solution is soft-thresholding of c = X̃ᵀỹ/n.
TYPED_TEST(ClosedForms, OrthogonalDesignLasso) {
  const int n = 8, p = 4;
  // Columns of a Hadamard matrix without the constant one: centred, unit 1/n sd, orthogonal.
  const int H[8][8] = {{1, 1, 1, 1, 1, 1, 1, 1},     {1, -1, 1, -1, 1, -1, 1, -1},
                       {1, 1, -1, -1, 1, 1, -1, -1}, {1, -1, -1, 1, 1, -1, -1, 1},
                       {1, 1, 1, 1, -1, -1, -1, -1}, {1, -1, 1, -1, -1, 1, -1, 1},
                       {1, 1, -1, -1, -1, -1, 1, 1}, {1, -1, -1, 1, -1, 1, 1, -1}};
  Problem pr;
  pr.n = n;
  pr.p = p;
  for (int j = 1; j <= p; ++j)
    for (int i = 0; i < n; ++i) pr.X.push_back(H[i][j]);
  pr.y = {3.0, -1.0, 2.5, 0.5, -2.0, 1.0, 0.25, 4.0};
  std::vector<double> c(p, 0.0);
  double ymean = 0;
  for (double v : pr.y) ymean += v / n;
  for (int j = 0; j < p; ++j)
    for (int i = 0; i < n; ++i) c[std::size_t(j)] += H[i][j + 1] * (pr.y[std::size_t(i)] - ymean) / n;
  for (double lambda : {0.05, 0.3, 0.6}) {
    Options o = this->options();
    o.lambdas = {lambda};
    const Path path = fit(pr.view(), pr.y.data(), o);
    std::vector<double> expected;
    for (double cj : c) expected.push_back(cj > lambda ? cj - lambda : cj < -lambda ? cj + lambda : 0.0);
    EXPECT_TRUE(all_near(path.coefs, expected, this->tol(), this->tol(),
                         "orthogonal lasso lambda=" + std::to_string(lambda)));
    EXPECT_NEAR(path.intercepts[0], ymean, this->tol());
  }
}

// One standardized feature: β̃ = S(c, λα)/(1 + λ(1−α)).
TYPED_TEST(ClosedForms, SingleFeatureElasticNet) {
  Problem pr;
  pr.n = 6;
  pr.p = 1;
  pr.X = {1.0, 2.0, 4.0, 3.0, 7.0, 1.5};
  pr.y = {0.5, 1.0, 2.5, 1.0, 3.0, 0.0};
  const Scaling s = scaling_of(pr, true, true);
  double ymean = 0, c = 0;
  for (double v : pr.y) ymean += v / 6;
  for (int i = 0; i < 6; ++i)
    c += (pr.X[std::size_t(i)] - s.mean[0]) / s.scale[0] * (pr.y[std::size_t(i)] - ymean) / 6;
  for (double alpha : {0.0, 0.5, 1.0})
    for (double lambda : {0.01, 0.3, 0.9}) {
      Options o = this->options();
      o.alpha = alpha;
      o.lambdas = {lambda};
      const Path path = fit(pr.view(), pr.y.data(), o);
      const double z = std::fabs(c) - lambda * alpha;
      const double bt = z > 0 ? std::copysign(z, c) / (1 + lambda * (1 - alpha)) : 0.0;
      EXPECT_NEAR(path.coefs[0], bt / s.scale[0], this->tol())
          << "alpha=" << alpha << " lambda=" << lambda;
      EXPECT_NEAR(path.intercepts[0], ymean - s.mean[0] * bt / s.scale[0], this->tol());
    }
}

TYPED_TEST(ClosedForms, AtOrAboveLambdaMaxAllZero) {
  const Problem pr = random_problem(40, 12, 0.5, 3u);
  for (double alpha : {1.0, 0.5, 0.0}) {
    Options o = this->options();
    o.alpha = alpha;
    o.nlambda = 3;
    const double lmax = fit(pr.view(), pr.y.data(), o).lambda_max;
    // a few ulps below λ_max is zero too (rounding, not a feature entering: zero_solution_slack)
    o.lambdas = {lmax * (1 - 1e-13), lmax, 1.5 * lmax, 100 * lmax};
    o.nlambda = 100;
    const Path path = fit(pr.view(), pr.y.data(), o);
    if (alpha == 0.0) continue;  // ridge is never exactly zero; λ_max uses α = 1e-3 there
    for (double b : path.coefs) EXPECT_EQ(b, 0.0) << "alpha=" << alpha;
    double ymean = 0;
    for (double v : pr.y) ymean += v / 40;
    for (double b0 : path.intercepts) EXPECT_NEAR(b0, ymean, 1e-6);
    // just below λ_max something enters (float32's tol is too loose to see it at 0.99)
    if (TypeParam::precision == Precision::float32) continue;
    o.lambdas = {0.99 * lmax};
    const Path below = fit(pr.view(), pr.y.data(), o);
    double nonzero = 0;
    for (double b : below.coefs) nonzero += b != 0;
    EXPECT_GE(nonzero, 1) << "alpha=" << alpha;
  }
}

TYPED_TEST(ClosedForms, ConstantAndZeroColumnsGetZero) {
  Problem pr = random_problem(30, 6, 0.2, 5u);
  for (int i = 0; i < 30; ++i) {
    pr.X[std::size_t(i + 2 * 30)] = 0.1;  // constant (not exactly representable)
    pr.X[std::size_t(i + 4 * 30)] = 0.0;  // all zero
  }
  for (bool standardize : {true, false})
    for (bool intercept : {true, false})
      for (double alpha : {1.0, 0.5, 0.0}) {
        Options o = this->options();
        o.alpha = alpha;
        o.standardize = standardize;
        o.intercept = intercept;
        o.nlambda = 10;
        const Path path = fit(pr.view(), pr.y.data(), o);
        for (std::int64_t k = 0; k < path.nlambda(); ++k) {
          EXPECT_EQ(path.coef(2, k), 0.0);
          EXPECT_EQ(path.coef(4, k), 0.0);
          for (double b : path.coefs) ASSERT_TRUE(std::isfinite(b));
        }
      }
}

TYPED_TEST(ClosedForms, ConstantResponse) {
  Problem pr = random_problem(20, 5, 0.3, 8u);
  pr.y.assign(20, 2.5);
  Options o = this->options();
  o.lambdas = {1.0, 0.1, 0.001};
  const Path path = fit(pr.view(), pr.y.data(), o);
  for (double b : path.coefs) EXPECT_EQ(b, 0.0);
  for (double b0 : path.intercepts) EXPECT_DOUBLE_EQ(b0, 2.5);
  for (double g : path.gaps) EXPECT_TRUE(std::isfinite(g));
  o.lambdas.clear();  // the default path needs λ_max > 0: a clear error
  EXPECT_THROW(
      {
        try {
          fit(pr.view(), pr.y.data(), o);
        } catch (const std::invalid_argument& e) {
          EXPECT_NE(std::string(e.what()).find("constant"), std::string::npos) << e.what();
          throw;
        }
      },
      std::invalid_argument);
}

}  // namespace
}  // namespace regpath::test
