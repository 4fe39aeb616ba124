// glmnet's penalty.factor, exclude and lower/upper limits (Options::penalty_factors, exclude,
// lower_limits, upper_limits) against R glmnet 4.1 (scripts/make_penalty_reference.R): the
// automatic path's λ_max, the coefficients at glmnet's λ list and cv.glmnet's curve on fixed
// folds, for a gaussian and a binomial problem, with factors alone, with features excluded by
// `exclude` and by a factor of +∞, with limits (some binding) and with lower limits 0
// (positive coefficients), at α = 1 and ½.
// Typed over device × precision. Also: the optimality conditions with factors, independently
// evaluated, and the bad arguments.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "reference_data.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

struct PenaltyCase {
  int id = 0;
  double alpha = 1;
  std::vector<double> factors;        // as the user gives them (+∞ for mode 2)
  std::vector<std::int64_t> exclude;  // 0-based
  std::vector<int> mode;              // per feature: 0 kept, 1 excluded, 2 factor +∞
  std::vector<double> lower, upper;   // glmnet's limits (empty: none)
};

std::vector<PenaltyCase> load_cases(const std::string& problem, std::int64_t p) {
  const cli::CsvTable t = cli::read_csv(data_path("penalty_cases_" + problem + ".csv"));
  std::vector<PenaltyCase> out;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    PenaltyCase c;
    c.id = int(t.columns[0][i]);
    c.alpha = t.columns[1][i];
    for (std::int64_t j = 0; j < p; ++j) {
      const int mode = int(t.columns[std::size_t(2 + p + j)][i]);
      c.mode.push_back(mode);
      c.factors.push_back(mode == 2 ? std::numeric_limits<double>::infinity()
                                    : t.columns[std::size_t(2 + j)][i]);
      if (mode == 1) c.exclude.push_back(j);
      // ±1e300 in the file stand for ±∞
      const auto limit = [](double v) {
        return std::fabs(v) >= 1e300 ? v * std::numeric_limits<double>::infinity() : v;
      };
      c.lower.push_back(limit(t.columns[std::size_t(2 + 2 * p + j)][i]));
      c.upper.push_back(limit(t.columns[std::size_t(2 + 3 * p + j)][i]));
    }
    const bool bounded = std::any_of(c.lower.begin(), c.lower.end(), [](double v) {
      return std::isfinite(v);
    }) || std::any_of(c.upper.begin(), c.upper.end(), [](double v) { return std::isfinite(v); });
    if (!bounded) c.lower.clear(), c.upper.clear();
    out.push_back(std::move(c));
  }
  return out;
}


template <typename C>
class PenaltyFactors : public ConfigTest<C> {
 protected:
  static constexpr bool f64 = C::precision == Precision::float64;

  Options case_options(const PenaltyCase& c, Family family) const {
    Options o = this->options();
    o.family = family;
    o.alpha = c.alpha;
    o.penalty_factors = c.factors;
    o.exclude = c.exclude;
    o.lower_limits = c.lower;
    o.upper_limits = c.upper;
    o.glmnet_y_scaling = true;  // glmnet's numbers for the gaussian ridge part
    return o;
  }

  void check(const std::string& problem, Family family, double coef_tol) {
    const Problem pr = load_problem("penalty_" + problem);
    const cli::CsvTable ref = cli::read_csv(data_path("penalty_ref_" + problem + ".csv"));
    const cli::CsvTable cvref = cli::read_csv(data_path("penalty_cv_" + problem + ".csv"));
    const cli::CsvTable folds = cli::read_csv(data_path("penalty_foldid_" + problem + ".csv"));
    double worst_coef = 0;
    for (const PenaltyCase& c : load_cases(problem, pr.p)) {
      const std::string where = problem + " case " + std::to_string(c.id) + " alpha " +
                                std::to_string(c.alpha);
      const std::vector<double> lambdas = case_column(ref, c.id, 1);
      ASSERT_FALSE(lambdas.empty()) << where;
      Options o = case_options(c, family);

      // glmnet's λ_max with the factors: the first λ of its automatic path
      Options automatic = o;
      automatic.nlambda = 3;
      const Path a = fit(pr.view(), pr.y.data(), automatic);
      const bool unpenalized =
          std::find(c.factors.begin(), c.factors.end(), 0.0) != c.factors.end();
      // with unpenalized features glmnet's λ_max comes from its iterative fit of them (off by
      // ~1e-9): ours is checked against the exact one (the R script's least squares) as well
      EXPECT_NEAR(a.lambda_max, lambdas[0], (f64 ? (unpenalized ? 1e-8 : 1e-10) : 1e-5) *
                                                lambdas[0])
          << where;
      if (unpenalized) {
        const cli::CsvTable exact = cli::read_csv(data_path("penalty_lambda_max_" + problem +
                                                            ".csv"));
        const std::vector<double> want = case_column(exact, c.id, 1);
        ASSERT_EQ(want.size(), 1u) << where;
        EXPECT_NEAR(a.lambda_max, want[0], (f64 ? 1e-13 : 1e-5) * want[0]) << where;
      }

      o.lambdas = lambdas;
      const Path path = fit(pr.view(), pr.y.data(), o);
      ASSERT_EQ(path.nlambda(), std::int64_t(lambdas.size())) << where;
      for (std::size_t k = 0; k < lambdas.size(); ++k) {
        const auto kk = std::int64_t(k);
        const std::string at = where + " lambda " + std::to_string(lambdas[k]);
        EXPECT_EQ(path.status[k], Status::converged) << at;
        double scale = std::fabs(case_column(ref, c.id, 2)[k]), diff = 0;
        diff = std::fabs(path.intercepts[k] - case_column(ref, c.id, 2)[k]);
        for (std::int64_t j = 0; j < pr.p; ++j) {
          const double theirs = case_column(ref, c.id, std::size_t(3 + j))[k];
          scale = std::max(scale, std::fabs(theirs));
          diff = std::max(diff, std::fabs(path.coef(j, kk) - theirs));
          if (c.mode[std::size_t(j)] != 0) {
            EXPECT_EQ(path.coef(j, kk), 0.0) << at << " x" << j + 1;
          }
          if (!c.lower.empty()) {  // inside the box, up to the rounding of the scale's round trip
            const double lo = c.lower[std::size_t(j)], hi = c.upper[std::size_t(j)];
            EXPECT_GE(path.coef(j, kk), lo - 1e-12 * std::max(1.0, std::fabs(lo))) << at;
            EXPECT_LE(path.coef(j, kk), hi + 1e-12 * std::max(1.0, std::fabs(hi))) << at;
          }
        }
        const double rel = diff / std::max(scale, 1e-12);
        worst_coef = std::max(worst_coef, rel);
        EXPECT_LE(rel, f64 ? coef_tol : 50 * coef_tol) << at;
      }

      // cv.glmnet on the same folds and λ list
      CvOptions cv;
      for (const double id : folds.columns[0]) cv.foldid.push_back(int(id));
      const CvResult res = cross_validate(pr.view(), pr.y.data(), o, cv);
      ASSERT_EQ(res.curves.size(), 1u);
      const CvCurve& curve = res.curves[0];
      EXPECT_TRUE(all_near(curve.cvm, case_column(cvref, c.id, 2), f64 ? 1e-5 : 1e-2, 0,
                           where + " cvm"));
      EXPECT_TRUE(all_near(curve.cvsd, case_column(cvref, c.id, 3), f64 ? 1e-4 : 5e-2, 0,
                           where + " cvsd"));
      for (const Path& fp : curve.fold_paths) EXPECT_EQ(fp.n_features, pr.p) << where;
    }
    std::printf("penalty_%s: worst coefficient difference from glmnet %.2e (sup-norm, relative)\n",
                problem.c_str(), worst_coef);
  }
};
TYPED_TEST_SUITE(PenaltyFactors, AllConfigs, ConfigNames);

TYPED_TEST(PenaltyFactors, GaussianAgainstGlmnet) {
  this->check("gauss", Family::gaussian, 5e-4);
}
TYPED_TEST(PenaltyFactors, BinomialAgainstGlmnet) {
  this->check("binom", Family::binomial, 2e-3);
}

// The gradient of the gaussian loss at path column k on the standardized scale, evaluated here
// (not by the solver): g_j = x̃_jᵀ(η − y)/n with x̃_j = (x_j − mean_j)/scale_j.
std::vector<double> standardized_gradient(const Problem& pr, const Scaling& s, const Path& path,
                                          std::int64_t k) {
  std::vector<double> r(std::size_t(pr.n)), g(std::size_t(pr.p), 0.0);
  for (std::int64_t i = 0; i < pr.n; ++i) {
    double e = path.intercepts[std::size_t(k)];
    for (std::int64_t j = 0; j < pr.p; ++j) e += pr.X[std::size_t(i + j * pr.n)] * path.coef(j, k);
    r[std::size_t(i)] = e - pr.y[std::size_t(i)];
  }
  for (std::int64_t j = 0; j < pr.p; ++j) {
    const auto uj = std::size_t(j);
    for (std::int64_t i = 0; i < pr.n; ++i)
      g[uj] += (pr.X[std::size_t(i + j * pr.n)] - s.mean[uj]) / s.scale[uj] * r[std::size_t(i)];
    g[uj] /= double(pr.n);
  }
  return g;
}

// Only the ratios of the factors matter (glmnet rescales them to sum to p): doubling them all
// gives the same path.
TEST(PenaltyFactorOptions, OnlyRatiosMatter) {
  const Problem pr = random_problem(60, 6, 0.3, 11);
  Options o;
  o.alpha = 0.7;
  o.nlambda = 8;
  o.penalty_factors = {0.5, 1, 2, 1, 3, 0.25};
  const Path a = fit(pr.view(), pr.y.data(), o);
  for (double& w : o.penalty_factors) w *= 2;
  const Path b = fit(pr.view(), pr.y.data(), o);
  EXPECT_EQ(a.lambdas, b.lambdas);
  EXPECT_TRUE(all_near(a.coefs, b.coefs, 1e-12, 1e-12, "coefficients"));
}

// The elastic net's optimality conditions with o's factors (rescaled to sum to p, as glmnet) at
// every λ of `path`, on the standardized scale (independent of the solver): |g_j| ≤ λα·w_j for a
// zero coefficient, g_j + λ(1−α)w_jβ̃_j = −λα·w_j·sign β̃_j otherwise, and a feature with w_j = 0
// (unpenalized) nonzero with g_j = 0; at λ_max only the unpenalized ones are nonzero.
void expect_elastic_net_kkt(const Problem& pr, const Path& path, const Options& o,
                            const std::string& where) {
  double sum = 0;
  for (double w : o.penalty_factors) sum += w;
  const Scaling s = scaling_of(pr, o.standardize, o.intercept);
  for (std::int64_t k = 0; k < path.nlambda(); ++k) {
    const double lambda = path.lambdas[std::size_t(k)];
    EXPECT_EQ(path.status[std::size_t(k)], Status::converged) << where;
    const std::vector<double> grad = standardized_gradient(pr, s, path, k);
    for (std::int64_t j = 0; j < pr.p; ++j) {
      const double w = o.penalty_factors[std::size_t(j)] * double(pr.p) / sum;
      const double g = grad[std::size_t(j)];
      const double bt = path.coef(j, k) * s.scale[std::size_t(j)];
      const double l1 = lambda * o.alpha * w, l2 = lambda * (1 - o.alpha) * w;
      const std::string at = where + " lambda " + std::to_string(lambda) + " x" +
                             std::to_string(j + 1);
      if (w == 0) {
        EXPECT_NE(bt, 0.0) << at;
        EXPECT_NEAR(g, 0.0, 1e-9 * path.lambdas[0]) << at;
      } else if (bt == 0) {
        EXPECT_LE(std::fabs(g), l1 * (1 + 1e-6)) << at;
      } else {
        EXPECT_GT(k, 0) << at << ": nonzero at lambda_max";
        EXPECT_NEAR(g + l2 * bt, -l1 * (bt > 0 ? 1 : -1), 1e-5 * lambda) << at;
      }
    }
  }
}

// The optimality conditions with factors, on the standardized scale (independent of the solver):
// |g_j| ≤ λα·w_j for a zero coefficient, g_j + λ(1−α)w_jβ̃_j = −λα·w_j·sign β̃_j otherwise.
TEST(PenaltyFactorOptions, KktWithFactors) {
  const Problem pr = random_problem(80, 7, 0.4, 5);
  Options o;
  o.alpha = 0.6;
  o.nlambda = 10;
  o.tol = 1e-12;
  o.penalty_factors = {0.3, 2, 1, 1.5, 0.7, 4, 1};
  const Path path = fit(pr.view(), pr.y.data(), o);
  expect_elastic_net_kkt(pr, path, o, "");
}

// Unpenalized features (factor 0) in both forms of the problem (Gram: n > 2p; direct: n < 2p),
// with and without standardization and intercept: their gradient is zero at every λ (they are
// fitted exactly), the others meet the elastic net's conditions, and at λ_max only the
// unpenalized ones are nonzero. On the standardized scale, independent of the solver.
TEST(PenaltyFactorOptions, KktWithUnpenalizedFeatures) {
  for (const std::int64_t n : {90, 12}) {
    for (const bool standardized : {true, false}) {
      const Problem pr = random_problem(n, 8, 0.4, 17);
      Options o;
      o.alpha = 0.8;
      o.nlambda = 12;
      o.tol = 1e-12;
      o.standardize = standardized;
      o.intercept = standardized;  // both on, or both off
      o.penalty_factors = {0, 1, 2, 0, 1, 0.5, 1, 1};
      const Path path = fit(pr.view(), pr.y.data(), o);
      expect_elastic_net_kkt(pr, path, o, "n " + std::to_string(n) + (standardized ? "" : " raw"));
    }
  }
}

// The optimality conditions with bounds, on the standardized scale (independent of the solver):
// a coefficient strictly inside its box meets the elastic net's condition, one at its upper
// bound has g_j + λ(1−α)w_jβ̃_j ≤ −λα·w_j (the gradient pushes it outward, up), one at its lower
// bound the mirror image, and a zero one |g_j| ≤ λα·w_j unless a bound at 0 blocks that side.
TEST(PenaltyFactorOptions, KktWithBounds) {
  const Problem pr = random_problem(90, 6, 0.4, 9);
  Options o;
  o.alpha = 0.7;
  o.nlambda = 12;
  o.tol = 1e-13;
  o.lower_limits = {-0.5, 0, -INFINITY, -1, 0, -0.2};
  o.upper_limits = {0.4, INFINITY, 0, 1, 2, 0.3};
  const Path path = fit(pr.view(), pr.y.data(), o);
  const Scaling s = scaling_of(pr, true, true);
  int at_bound = 0;
  for (std::int64_t k = 0; k < path.nlambda(); ++k) {
    const double lambda = path.lambdas[std::size_t(k)];
    const std::vector<double> grad = standardized_gradient(pr, s, path, k);
    for (std::int64_t j = 0; j < pr.p; ++j) {
      const auto uj = std::size_t(j);
      const double g = grad[uj];
      const double b = path.coef(j, k), bt = b * s.scale[uj];
      const double l1 = lambda * o.alpha, d = g + lambda * (1 - o.alpha) * bt;
      // FISTA alone certifies the gap, and the conditions then hold to about √(2·L·gap) ≈ 1e-7
      const double slack = std::max(1e-5 * lambda, 1e-6);
      const std::string at = "lambda " + std::to_string(lambda) + " x" + std::to_string(j + 1);
      EXPECT_GE(b, o.lower_limits[uj]) << at;
      EXPECT_LE(b, o.upper_limits[uj]) << at;
      if (b == o.upper_limits[uj] && b != 0) {
        ++at_bound;
        EXPECT_LE(d, -l1 + slack) << at;
      } else if (b == o.lower_limits[uj] && b != 0) {
        ++at_bound;
        EXPECT_GE(d, l1 - slack) << at;
      } else if (b == 0) {
        if (o.upper_limits[uj] > 0) {
          EXPECT_GE(d, -l1 - slack) << at;  // would not rise
        }
        if (o.lower_limits[uj] < 0) {
          EXPECT_LE(d, l1 + slack) << at;  // would not fall
        }
      } else {
        EXPECT_NEAR(d, -l1 * (b > 0 ? 1 : -1), slack) << at;
      }
    }
  }
  EXPECT_GT(at_bound, 0) << "no coefficient reached a bound: the test checks nothing there";
}

TEST(PenaltyFactorOptions, BadArguments) {
  const Problem pr = random_problem(30, 4, 0.2, 3);
  const auto message = [&](const Options& o) {
    try {
      fit(pr.view(), pr.y.data(), o);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  Options o;
  o.penalty_factors = {1, 2, 3};
  EXPECT_NE(message(o).find("3 values for 4 features"), std::string::npos) << message(o);
  o.penalty_factors = {1, -2, 3, 1};
  EXPECT_NE(message(o).find("penalty_factors[1] = -2"), std::string::npos) << message(o);
  o.penalty_factors = {1, 2, std::nan(""), 1};
  EXPECT_NE(message(o).find("penalty_factors[2] = nan"), std::string::npos) << message(o);
  // unpenalized features (factor 0): not all of them, without limits, and not collinear (their
  // coefficients are then not determined); binomial and poisson: tests/test_glm_unpenalized.cpp
  o.penalty_factors = {1, 0, 1, 1};
  EXPECT_EQ(message(o), "(no error)");
  o.lower_limits = {-1};
  EXPECT_NE(message(o).find("limits for feature 1: its penalty factor is 0"), std::string::npos)
      << message(o);
  o.lower_limits = {};
  o.penalty_factors = {0, 0, 0, 0};
  EXPECT_NE(message(o).find("at least one must be penalized"), std::string::npos) << message(o);
  {
    Problem twice = pr;  // column 2 = 2 × column 1, both unpenalized
    for (std::size_t i = 0; i < std::size_t(twice.n); ++i)
      twice.X[i + std::size_t(twice.n)] = 2 * twice.X[i];
    o.penalty_factors = {0, 0, 1, 1};
    std::string what = "(no error)";
    try {
      fit(twice.view(), twice.y.data(), o);
    } catch (const std::invalid_argument& e) {
      what = e.what();
    }
    EXPECT_NE(what.find("unpenalized features (factor 0) are collinear"), std::string::npos)
        << what;
  }
  o.penalty_factors = {};
  o.exclude = {4};
  EXPECT_NE(message(o).find("exclude[0] = 4"), std::string::npos) << message(o);
  o.exclude = {-1};
  EXPECT_NE(message(o).find("exclude[0] = -1"), std::string::npos) << message(o);
  o.exclude = {0, 1, 2, 3};
  EXPECT_NE(message(o).find("every feature is excluded"), std::string::npos) << message(o);
  const double inf = std::numeric_limits<double>::infinity();
  o.exclude = {0, 1};
  o.penalty_factors = {1, 1, inf, inf};
  EXPECT_NE(message(o).find("every feature is excluded"), std::string::npos) << message(o);
  o = Options{};
  o.lower_limits = {0.5};
  EXPECT_NE(message(o).find("lower_limits[0] = 0.5"), std::string::npos) << message(o);
  o.lower_limits = {0, 0, std::nan(""), 0};
  EXPECT_NE(message(o).find("lower_limits[2] = nan"), std::string::npos) << message(o);
  o.lower_limits = {};
  o.upper_limits = {1, 1, -1, 1};
  EXPECT_NE(message(o).find("upper_limits[2] = -1"), std::string::npos) << message(o);
  o.upper_limits = {1, 1};
  EXPECT_NE(message(o).find("upper_limits: 2 values for 4 features"), std::string::npos)
      << message(o);
}

}  // namespace
}  // namespace regpath::test
