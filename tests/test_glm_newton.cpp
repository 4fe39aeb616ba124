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
#include <string>

#include "backends/cpu_backend.hpp"
#include "core/design/glm_batch_problem.hpp"
#include "core/accel/glm_newton_polish.hpp"
#include "glm_test_support.hpp"
#include "reference_data.hpp"
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
        // back to the original scale: b_j = s_j·β̃_j, b0 = β0 − Σ μ_j s_j β̃_j
        Path path;
        path.lambdas = {g.lambdas[k]};
        path.intercepts = {res.beta[std::size_t(pr.p)]};
        for (std::int64_t j = 0; j < pr.p; ++j) {
          const double b = gp.scaling.scale[std::size_t(j)] * res.beta[std::size_t(j)];
          path.coefs.push_back(b);
          path.intercepts[0] -= gp.scaling.center[std::size_t(j)] * b;
        }
        if (!g.intercept) path.intercepts[0] = 0;
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

}  // namespace
}  // namespace regpath::test
