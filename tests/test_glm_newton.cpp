// The proximal-Newton fallback of the GLM batch (src/core/accel/glm_newton_polish.hpp) on logistic
// problems where FISTA alone stalls or crawls: features scaled 1e-3 … 1e3 without
// standardization, correlated uncentred features without an intercept, a nearly separable small
// sample. References: R glmnet at thresh 1e-30, every λ KKT-checked
// (scripts/make_glm_newton_reference.R). Typed over device × precision; the Newton solve alone
// (from a cold start, no FISTA) on the CPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "backends/cpu_backend.hpp"
#include "core/design/glm_batch_problem.hpp"
#include "core/accel/glm_newton_polish.hpp"
#include "glm_test_support.hpp"
#include "reference_data.hpp"
#include "sparse_support.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

template <typename C>
class GlmNewton : public ConfigTest<C> {
 protected:
  static constexpr bool f64 = C::precision == Precision::float64;

  // Every group of newton_ref_<problem>_glmnet.csv, fitted at its λ list: finite coefficients;
  // converged in float64 where `must_converge`, else converged or an honest status (gap > tol);
  // the objective no worse than glmnet's and within 1e-7 of it (float64), KKT conditions met.
  void check(const std::string& problem, bool must_converge) {
    const Problem pr = load_problem("newton_" + problem);
    double worst_obj = 0, worst_kkt = 0, worst_gap = 0;
    for (const ReferenceGroup& g : load_groups("newton_ref_" + problem + "_glmnet.csv")) {
      Options o = this->options();
      o.family = Family::binomial;
      const Path path = fit_like(pr, o, g);
      ASSERT_EQ(path.nlambda(), std::int64_t(g.lambdas.size()));
      const Scaling s = scaling_of(pr, g.standardize, g.intercept);
      for (std::size_t k = 0; k < g.lambdas.size(); ++k) {
        const std::string where = g.label(problem) + " at lambda " + std::to_string(g.lambdas[k]);
        const auto kk = std::int64_t(k);
        bool finite = std::isfinite(path.intercepts[k]) && std::isfinite(path.gaps[k]);
        for (std::int64_t j = 0; j < pr.p; ++j) finite = finite && std::isfinite(path.coef(j, kk));
        ASSERT_TRUE(finite) << where;
        const Status st = path.status[k];
        if (f64 && must_converge) {
          EXPECT_EQ(st, Status::converged) << where << " gap " << path.gaps[k];
        }
        if (st == Status::converged) {
          EXPECT_LE(path.gaps[k], *o.tol) << where;
        } else {
          EXPECT_GT(path.gaps[k], *o.tol) << where;  // an honest status
        }
        worst_gap = std::max(worst_gap, path.gaps[k]);
        const double ours = logistic_objective(pr, path, kk, g.standardize, g.intercept, g.alpha);
        const double theirs = logistic_objective(pr, s, g.intercepts[k], g.coefs[k].data(),
                                                 g.lambdas[k], g.alpha);
        const double excess = (ours - theirs) / theirs;
        worst_obj = std::max(worst_obj, std::fabs(excess));
        if (f64) {
          EXPECT_LE(excess, 1e-9) << where;  // never worse than glmnet
          EXPECT_LE(std::fabs(excess), 1e-7) << where;
          const double kkt =
              logistic_kkt_violation(pr, path, kk, g.standardize, g.intercept, g.alpha);
          worst_kkt = std::max(worst_kkt, kkt);
          EXPECT_LT(kkt, 1e-5) << where;
        } else if (st == Status::converged) {
          EXPECT_LE(excess, 1e-3) << where;  // float32's certificate: gap ≤ 1e-4·P, plus rounding
        }
      }
    }
    std::printf("newton_%s: worst |objective - glmnet's| %.2e (relative), worst KKT/lambda "
                "%.2e, worst gap %.2e\n",
                problem.c_str(), worst_obj, worst_kkt, worst_gap);
  }
};
TYPED_TEST_SUITE(GlmNewton, AllConfigs, ConfigNames);

// Features with scales 1e-3 … 1e3 and no standardization: FISTA's step is set by the largest
// scale, so it stalls on every λ (before the fallback: gaps 1e-5 … 1e2).
TYPED_TEST(GlmNewton, BadlyScaledFeaturesWithoutStandardization) { this->check("scaled", true); }

// Standardized but no intercept, α = 1, correlated features with large means.
TYPED_TEST(GlmNewton, NoInterceptCorrelated) { this->check("corr", true); }

// 8 positives of 40 and a strong signal: large coefficients at small λ; finite, and converged
// or honestly not.
TYPED_TEST(GlmNewton, NearlySeparable) { this->check("sep", false); }

// β̃ (p + 1 values, standardized, β0 last) as a one-λ path on the original scale:
// b_j = s_j·β̃_j, b0 = β0 − Σ μ_j s_j β̃_j
Path raw_path(const std::vector<double>& beta, const FoldScaling& scaling, double lambda,
              std::int64_t p, bool intercept) {
  Path path;
  path.lambdas = {lambda};
  path.intercepts = {beta[std::size_t(p)]};
  for (std::int64_t j = 0; j < p; ++j) {
    const double b = scaling.scale[std::size_t(j)] * beta[std::size_t(j)];
    path.coefs.push_back(b);
    path.intercepts[0] -= scaling.center[std::size_t(j)] * b;
  }
  if (!intercept) path.intercepts[0] = 0;
  return path;
}

// The Newton solve by itself, from β̃ = 0 (and the null intercept), on the host: its result
// satisfies the optimality conditions and matches glmnet's objective, where the problem's own
// scaling and fold mask come from GlmBatchProblem as in the solver.
TEST(GlmNewtonPolish, ColdStartMeetsKktAndGlmnet) {
  CpuBackend<double> be;
  for (const std::string problem : {"scaled", "corr", "sep"}) {
    const Problem pr = load_problem("newton_" + problem);
    for (const ReferenceGroup& g : load_groups("newton_ref_" + problem + "_glmnet.csv")) {
      GlmBatchProblem<CpuBackend<double>> gp(be, pr.view(), pr.y.data(), {}, 0,
                                             ops::Datafit::logistic,
                                             g.standardize, g.intercept);
      const GlmNewtonPolish newton(gp.host_data(), gp.scaling, ops::Datafit::logistic, g.intercept);
      const Scaling s = scaling_of(pr, g.standardize, g.intercept);
      for (std::size_t k = 0; k < g.lambdas.size(); ++k) {
        const std::string where = g.label(problem) + " at lambda " + std::to_string(g.lambdas[k]);
        std::vector<double> start(std::size_t(pr.p + 1), 0.0);
        start[std::size_t(pr.p)] = gp.null_intercept(-1);
        GlmNewtonPolish::Column column;
        column.lambda = g.lambdas[k];
        column.alpha = g.alpha;
        const GlmNewtonPolish::Result res = newton.solve(column, start);
        const Path path = raw_path(res.beta, gp.scaling, g.lambdas[k], pr.p, g.intercept);
        const double kkt = logistic_kkt_violation(pr, path, 0, g.standardize, g.intercept, g.alpha);
        EXPECT_LT(kkt, 1e-8) << where;
        const double ours = logistic_objective(pr, path, 0, g.standardize, g.intercept, g.alpha);
        const double theirs = logistic_objective(pr, s, g.intercepts[k], g.coefs[k].data(),
                                                 g.lambdas[k], g.alpha);
        EXPECT_LE((ours - theirs) / theirs, 1e-12) << where;
        EXPECT_NEAR(ours, res.objective, 1e-12 * ours) << where;  // what it reports is its own
        EXPECT_GT(res.newton_steps, 0) << where;
      }
    }
  }
}

// A wide logistic problem (n 120, p 600: the strong rule screens, p ≥ 256; the supports pass 64,
// where the inner cycles extrapolate), dense and as CSC with 85 % zeros: the Newton solve along
// a path, each λ from the previous one's result with Column::prev_lambda (the sequential strong
// rule), meets the optimality conditions on every feature and has the objective of the same
// solve over every feature (prev_lambda 0). From the null model with prev_lambda just above
// the path's last λ the strong set is far too small: the optimality check must bring in the
// rest.
TEST(GlmNewtonPolish, StrongRuleAndExtrapolationMeetKkt) {
  CpuBackend<double> be;
  const std::int64_t n = 120, p = 600;
  Problem pr = random_problem(n, p, 0.3, 20261207u);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (std::size_t c = 0; c < pr.X.size(); ++c)
    if (unit(rng) < 0.85) pr.X[c] = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    double eta = 0;
    for (std::int64_t j = 0; j < 12; ++j)
      eta += (j % 2 ? -1.5 : 1.5) * pr.X[std::size_t(i + 7 * j * n)];
    pr.y[std::size_t(i)] = unit(rng) < 1 / (1 + std::exp(-eta)) ? 1.0 : 0.0;
  }
  const regpath_test::Csc csc = regpath_test::to_csc(pr.X, n, p);
  for (const bool sparse : {false, true}) {
    using Problem64 = GlmBatchProblem<CpuBackend<double>>;
    Problem64 gp = sparse ? Problem64(be, SparseDesign<double>(csc.view()), pr.y.data(), {}, 0,
                                      ops::Datafit::logistic, true, true)
                          : Problem64(be, pr.view(), pr.y.data(), {}, 0, ops::Datafit::logistic,
                                      true, true);
    const GlmNewtonPolish newton(gp.host_data(), gp.scaling, ops::Datafit::logistic, true);
    const double lambda_max = gp.lambda_max_per_fold(1.0)[0];
    std::vector<double> null(std::size_t(p + 1), 0.0);
    null[std::size_t(p)] = gp.null_intercept(-1);
    std::vector<double> start = null;
    double prev = lambda_max;
    std::size_t widest = 0;
    const auto check = [&](const GlmNewtonPolish::Result& res, double lambda,
                           const std::string& where) {
      const Path path = raw_path(res.beta, gp.scaling, lambda, p, true);
      EXPECT_LT(logistic_kkt_violation(pr, path, 0, true, true, 1.0), 1e-8) << where;
      std::size_t support = 0;
      for (std::int64_t j = 0; j < p; ++j) support += res.beta[std::size_t(j)] != 0;
      widest = std::max(widest, support);
    };
    for (int k = 1; k <= 25; ++k) {
      const double lambda = lambda_max * std::pow(0.02, k / 25.0);
      const std::string where = std::string(sparse ? "sparse" : "dense") + " at lambda " +
                                std::to_string(lambda);
      GlmNewtonPolish::Column column;
      column.lambda = lambda;
      column.prev_lambda = prev;
      const GlmNewtonPolish::Result res = newton.solve(column, start, 1e-11);
      check(res, lambda, where);
      column.prev_lambda = 0;
      const GlmNewtonPolish::Result every = newton.solve(column, start, 1e-11);
      EXPECT_NEAR(res.objective, every.objective, 1e-12 * every.objective) << where;
      start = res.beta;
      prev = lambda;
    }
    EXPECT_GT(widest, std::size_t(64)) << "the supports never reached the extrapolated sizes";
    GlmNewtonPolish::Column cold;
    cold.lambda = lambda_max * 0.02;
    cold.prev_lambda = 1.01 * cold.lambda;
    check(newton.solve(cold, null, 1e-11), cold.lambda, sparse ? "sparse, cold" : "dense, cold");
  }
}

}  // namespace
}  // namespace regpath::test
