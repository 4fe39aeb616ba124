// Logistic paths: against R glmnet and scikit-learn (tests/data, made by
// scripts/make_binomial_reference.{py,R}), optimality conditions, the certificate, λ_max, and
// separable data. Typed over device × precision.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "glm_test_support.hpp"
#include "reference_data.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

template <typename C>
class BinomialPaths : public ConfigTest<C> {
 protected:
  static constexpr bool f64 = C::precision == Precision::float64;

  Options binomial_options() const {
    Options o = this->options();
    o.family = Family::binomial;
    return o;
  }

  void check_reference(const std::string& problem, const std::string& solver) {
    const Problem pr = load_problem(problem);
    // gap ≤ 1e-10·P bounds ‖β − β*‖ by about √(2·gap/μ), μ the curvature: ~1e-5 here (the
    // gaussian path polishes its support with Newton steps; the logistic one does not yet).
    const double obj_excess = f64 ? 1e-9 : 1e-4, coef_rtol = 5e-5;
    double worst_coef = 0, worst_obj = 0;
    int groups = 0;
    for (const ReferenceGroup& g :
         load_groups("binom_ref_" + problem.substr(std::string("binom_").size()) + "_" + solver + ".csv")) {
      const Path path = fit_like(pr, binomial_options(), g);
      ASSERT_EQ(path.nlambda(), std::int64_t(g.lambdas.size()));
      const Scaling s = scaling_of(pr, g.standardize, g.intercept);
      for (std::size_t k = 0; k < g.lambdas.size(); ++k) {
        const std::string where = g.label(problem) + " vs " + solver + " at lambda " +
                                  std::to_string(g.lambdas[k]);
        if (f64) {
          EXPECT_EQ(path.status[k], Status::converged) << where;
        }
        const double ours = logistic_objective(pr, path, std::int64_t(k), g.standardize,
                                               g.intercept, g.alpha);
        const double theirs = logistic_objective(pr, s, g.intercepts[k], g.coefs[k].data(),
                                                 g.lambdas[k], g.alpha);
        EXPECT_LE((ours - theirs) / theirs, obj_excess) << where;
        worst_obj = std::max(worst_obj, (ours - theirs) / theirs);
        double scale = std::max(std::fabs(g.intercepts[k]), 1e-3);
        for (double b : g.coefs[k]) scale = std::max(scale, std::fabs(b));
        const std::vector<double> mine(path.coefs.begin() + std::ptrdiff_t(k) * pr.p,
                                       path.coefs.begin() + std::ptrdiff_t(k + 1) * pr.p);
        double err = std::fabs(path.intercepts[k] - g.intercepts[k]) / scale;
        for (std::size_t j = 0; j < mine.size(); ++j)
          err = std::max(err, std::fabs(mine[j] - g.coefs[k][j]) / scale);
        worst_coef = std::max(worst_coef, err);
        if (f64) {
          EXPECT_TRUE(all_near(mine, g.coefs[k], 0, coef_rtol * scale, where + " coefficients"));
          EXPECT_NEAR(path.intercepts[k], g.intercepts[k], coef_rtol * scale) << where;
        }
      }
      ++groups;
    }
    std::printf("%s vs %s: worst coefficient error %.2e (relative to the largest), worst "
                "objective excess %.2e\n",
                problem.c_str(), solver.c_str(), worst_coef, worst_obj);
    EXPECT_GT(groups, 0);
  }
};
TYPED_TEST_SUITE(BinomialPaths, AllConfigs, ConfigNames);

TYPED_TEST(BinomialPaths, TallAgainstGlmnet) { this->check_reference("binom_tall", "glmnet"); }
TYPED_TEST(BinomialPaths, WideAgainstGlmnet) { this->check_reference("binom_wide", "glmnet"); }
TYPED_TEST(BinomialPaths, TallAgainstSklearn) { this->check_reference("binom_tall", "sklearn"); }

// Optimality conditions on random problems: α ∈ {0, ½, 1}, n < p and n > p, with and without
// intercept and standardization; and the reported gap bounds the true suboptimality.
TYPED_TEST(BinomialPaths, KktAndCertificate) {
  for (const auto& shape : {std::pair<int, int>{80, 12}, std::pair<int, int>{40, 90}}) {
    const Problem pr = random_binomial_problem(shape.first, shape.second, 0.3, 7);
    for (const double alpha : {0.0, 0.5, 1.0})
      for (const bool intercept : {true, false}) {
        const bool standardize = intercept;  // both settings are covered across the loop
        Options o = this->binomial_options();
        o.alpha = alpha;
        o.intercept = intercept;
        o.standardize = standardize;
        o.nlambda = 12;
        o.lambda_min_ratio = 0.05;
        const Path path = fit(pr.view(), pr.y.data(), o);
        Options tight = o;
        tight.device = Device::cpu;
        tight.precision = Precision::float64;
        tight.tol = 1e-13;
        tight.lambdas = path.lambdas;
        const Path best = fit(pr.view(), pr.y.data(), tight);
        for (std::int64_t k = 0; k < path.nlambda(); ++k) {
          const std::string where = "n=" + std::to_string(pr.n) + " p=" + std::to_string(pr.p) +
                                    " alpha=" + std::to_string(alpha) +
                                    " intercept=" + std::to_string(intercept) + " k=" +
                                    std::to_string(k);
          EXPECT_EQ(path.status[std::size_t(k)], Status::converged) << where;
          const double ours = logistic_objective(pr, path, k, standardize, intercept, alpha);
          const double opt = logistic_objective(pr, best, k, standardize, intercept, alpha);
          // the certificate: the gap bounds P(β) − P* (up to the rounding of evaluating P)
          EXPECT_LE(ours - opt, path.gaps[std::size_t(k)] * ours + (this->f64 ? 1e-13 : 1e-5))
              << where;
          if (this->f64) {
            EXPECT_LT(logistic_kkt_violation(pr, path, k, standardize, intercept, alpha), 1e-3)
                << where;
          }
          EXPECT_LT(logistic_kkt_violation(pr, best, k, standardize, intercept, alpha), 1e-5)
              << where;
          EXPECT_GE(path.dev_ratio[std::size_t(k)], -1e-9) << where;
          EXPECT_LE(path.dev_ratio[std::size_t(k)], 1.0) << where;
        }
      }
  }
}

// λ_max is glmnet's, and at and above it every coefficient is 0 with the intercept logit(ȳ).
TYPED_TEST(BinomialPaths, LambdaMaxGivesTheNullModel) {
  const Problem pr = load_problem("binom_tall");
  double ybar = 0;
  for (double v : pr.y) ybar += v;
  ybar /= double(pr.n);
  const Scaling s = scaling_of(pr, true, true);
  double lmax = 0;
  for (std::int64_t j = 0; j < pr.p; ++j) {
    double c = 0;
    for (std::int64_t i = 0; i < pr.n; ++i)
      c += (pr.X[std::size_t(i + j * pr.n)] - s.mean[std::size_t(j)]) * (pr.y[std::size_t(i)] - ybar);
    lmax = std::max(lmax, std::fabs(c) / (double(pr.n) * s.scale[std::size_t(j)]));
  }
  Options o = this->binomial_options();
  o.lambdas = {lmax, 2 * lmax};
  Path path = fit(pr.view(), pr.y.data(), o);
  EXPECT_NEAR(path.lambda_max, lmax, (this->f64 ? 1e-12 : 1e-5) * lmax);
  // a few ulps below λ_max is zero too (rounding, not a feature entering: zero_solution_slack)
  o.lambdas = {path.lambda_max * (1 - 1e-13), path.lambda_max, 2 * lmax};
  path = fit(pr.view(), pr.y.data(), o);
  for (std::int64_t k = 0; k < 3; ++k) {
    for (std::int64_t j = 0; j < pr.p; ++j) EXPECT_EQ(path.coef(j, k), 0.0) << "k=" << k;
    EXPECT_NEAR(path.intercepts[std::size_t(k)], std::log(ybar / (1 - ybar)), this->f64 ? 1e-8 : 1e-4);
  }
}

// Perfectly separable data: the small-λ end has no finite unpenalized optimum; every output
// stays finite and the statuses are honest.
TYPED_TEST(BinomialPaths, SeparableDataStaysFinite) {
  const Problem pr = load_problem("binom_sep");
  for (const double alpha : {1.0, 0.5}) {
    Options o = this->binomial_options();
    o.alpha = alpha;
    o.lambda_min_ratio = 1e-6;
    o.max_iter = 20000;
    const Path path = fit(pr.view(), pr.y.data(), o);
    for (std::int64_t k = 0; k < path.nlambda(); ++k) {
      EXPECT_TRUE(std::isfinite(path.intercepts[std::size_t(k)]));
      EXPECT_TRUE(std::isfinite(path.gaps[std::size_t(k)]));
      EXPECT_TRUE(std::isfinite(path.dev_ratio[std::size_t(k)]));
      for (std::int64_t j = 0; j < pr.p; ++j) EXPECT_TRUE(std::isfinite(path.coef(j, k)));
      if (path.status[std::size_t(k)] == Status::converged) {
        EXPECT_LE(path.gaps[std::size_t(k)], *o.tol);
      }
    }
    EXPECT_GT(path.dev_ratio.back(), 0.9);  // nearly separated at the end of the path
  }
}

// float32 and float64 agree to float32's accuracy.
TYPED_TEST(BinomialPaths, PrecisionsAgree) {
  if (this->f64) GTEST_SKIP() << "compares float32 with float64";
  const Problem pr = load_problem("binom_tall");
  Options o = this->binomial_options();
  o.alpha = 0.5;
  o.nlambda = 20;
  o.lambda_min_ratio = 0.02;
  const Path single = fit(pr.view(), pr.y.data(), o);
  o.precision = Precision::float64;
  o.tol = 1e-10;
  const Path dbl = fit(pr.view(), pr.y.data(), o);
  for (std::int64_t k = 0; k < single.nlambda(); ++k) {
    const double a = logistic_objective(pr, single, k, true, true, 0.5);
    const double b = logistic_objective(pr, dbl, k, true, true, 0.5);
    EXPECT_LE((a - b) / b, 2e-4) << "k=" << k;
  }
}

TEST(BinomialResponse, MustBeZeroOne) {
  Problem pr = random_binomial_problem(30, 3, 0.0, 3);
  Options o;
  o.family = Family::binomial;
  o.device = Device::cpu;
  pr.y[4] = 2;
  try {
    fit(pr.view(), pr.y.data(), o);
    FAIL() << "a response holding 2 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("coded 0/1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(" 2"), std::string::npos) << e.what();
  }
  for (double& v : pr.y) v = 1;
  try {
    fit(pr.view(), pr.y.data(), o);
    FAIL() << "a one-class response was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("both classes"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace regpath::test
