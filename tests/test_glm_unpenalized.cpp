// Unpenalized features (penalty factor 0) in the GLM families binomial and poisson, against R
// glmnet 4.1 (scripts/make_glm_penalty_reference.R): λ_max (at the null model fitted with the
// unpenalized features; exactly, from glm(), and glmnet's own), the automatic λ list, the
// coefficients and dev.ratio at glmnet's λ list, cv.glmnet's curve on fixed folds; one or two
// unpenalized features, with an exclusion and lower limits on the penalized ones, with weights
// and an offset, at α = 1 and ½. Evaluated here, independently of the solver, at every λ: the
// unpenalized features' gradient is 0, and the objective is never above glmnet's. CPU, float64
// and float32, dense X and sparse; the GPU (not supported yet) refuses by name.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "reference_data.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

using CpuConfigs = ::testing::Types<Config<Device::cpu, Precision::float64>,
                                    Config<Device::cpu, Precision::float32>>;

// tests/data/glm_zero_<problem>.csv: x1..xp, y, weight, offset
struct GlmData {
  Problem pr;
  std::vector<double> weight, offset;
};

GlmData load_glm_data(const std::string& problem) {
  const cli::CsvTable t = cli::read_csv(data_path("glm_zero_" + problem + ".csv"));
  GlmData d;
  d.pr.n = std::int64_t(t.rows());
  d.pr.p = std::int64_t(t.cols()) - 3;
  for (std::int64_t j = 0; j < d.pr.p; ++j)
    d.pr.X.insert(d.pr.X.end(), t.columns[std::size_t(j)].begin(),
                  t.columns[std::size_t(j)].end());
  d.pr.y = t.columns[std::size_t(d.pr.p)];
  d.weight = t.columns[std::size_t(d.pr.p + 1)];
  d.offset = t.columns[std::size_t(d.pr.p + 2)];
  return d;
}

// The same X in compressed sparse columns (its zeros implicit).
struct Csc {
  std::vector<std::int64_t> col_ptr{0}, row_idx;
  std::vector<double> values;
  SparseMatrixView<double> view;
  explicit Csc(const Problem& pr) {
    for (std::int64_t j = 0; j < pr.p; ++j) {
      for (std::int64_t i = 0; i < pr.n; ++i) {
        if (pr.X[std::size_t(i + j * pr.n)] == 0) continue;  // zeros left implicit
        row_idx.push_back(i);
        values.push_back(pr.X[std::size_t(i + j * pr.n)]);
      }
      col_ptr.push_back(std::int64_t(values.size()));
    }
    view = {pr.n, pr.p, std::int64_t(values.size()), col_ptr.data(), row_idx.data(),
            values.data()};
  }
};

struct ZeroCase {
  int id = 0;
  double alpha = 1;
  bool weighted = false;
  std::vector<double> factors;        // 0: unpenalized; 1 where excluded
  std::vector<std::int64_t> exclude;  // 0-based
  std::vector<double> lower;          // empty: none
};

std::vector<ZeroCase> load_cases(const std::string& problem, std::int64_t p) {
  const cli::CsvTable t = cli::read_csv(data_path("glm_zero_cases_" + problem + ".csv"));
  std::vector<ZeroCase> out;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    ZeroCase c;
    c.id = int(t.columns[0][i]);
    c.alpha = t.columns[1][i];
    c.weighted = t.columns[2][i] != 0;
    bool bounded = false;
    for (std::int64_t j = 0; j < p; ++j) {
      c.factors.push_back(t.columns[std::size_t(3 + j)][i]);
      if (t.columns[std::size_t(3 + p + j)][i] != 0) c.exclude.push_back(j);
      const double lo = t.columns[std::size_t(3 + 2 * p + j)][i];  // -1e300: none
      c.lower.push_back(lo <= -1e300 ? -std::numeric_limits<double>::infinity() : lo);
      bounded = bounded || lo > -1e300;
    }
    if (!bounded) c.lower.clear();
    out.push_back(std::move(c));
  }
  return out;
}

bool is_excluded(const ZeroCase& c, std::int64_t j) {
  return std::find(c.exclude.begin(), c.exclude.end(), j) != c.exclude.end();
}

// The GLM's objective and gradient at path column k, evaluated here (not by the solver), on
// glmnet's scale: weights v normalized to sum 1 (1/n unweighted), the columns standardized with
// the v-weighted mean and standard deviation, factors rescaled to sum to p (excluded: 1):
//   P = Σ v_i (ℓ(η_i; y_i) − ℓ(log-link y_i; y_i)) + λ Σ_j vp_j (α|β̃_j| + (1−α)/2·β̃_j²)
//   g_j = Σ v_i x̃_ij (μ_i − y_i)
// (the saturated loss subtracted so that P > 0 for the poisson too).
struct Evaluation {
  double objective = 0;
  std::vector<double> gradient;  // standardized, per feature
};

Evaluation evaluate(const GlmData& d, const ZeroCase& c, Family family, double lambda, double b0,
                    const double* beta) {
  const Problem& pr = d.pr;
  const auto n = std::size_t(pr.n), p = std::size_t(pr.p);
  std::vector<double> v(n, 1.0 / double(n));
  if (c.weighted) {
    double sum = 0;
    for (const double w : d.weight) sum += w;
    for (std::size_t i = 0; i < n; ++i) v[i] = d.weight[i] / sum;
  }
  std::vector<double> mean(p, 0.0), sd(p, 0.0);
  for (std::size_t j = 0; j < p; ++j) {
    for (std::size_t i = 0; i < n; ++i) mean[j] += v[i] * pr.X[i + j * n];
    for (std::size_t i = 0; i < n; ++i)
      sd[j] += v[i] * (pr.X[i + j * n] - mean[j]) * (pr.X[i + j * n] - mean[j]);
    sd[j] = std::sqrt(sd[j]);
  }
  double fsum = 0;
  for (const double w : c.factors) fsum += w;
  Evaluation e;
  e.gradient.assign(p, 0.0);
  std::vector<double> r(n);
  for (std::size_t i = 0; i < n; ++i) {
    double eta = b0 + (c.weighted ? d.offset[i] : 0.0);
    for (std::size_t j = 0; j < p; ++j) eta += pr.X[i + j * n] * beta[j];
    const double y = pr.y[i];
    double loss = 0, mu = 0;
    if (family == Family::binomial) {
      loss = std::log1p(std::exp(-std::fabs(eta))) + std::max(eta, 0.0) - y * eta;
      mu = 1 / (1 + std::exp(-eta));
    } else {
      mu = std::exp(eta);
      loss = mu - y * eta - (y > 0 ? y - y * std::log(y) : 0.0);
    }
    e.objective += v[i] * loss;
    r[i] = v[i] * (mu - y);
  }
  for (std::size_t j = 0; j < p; ++j) {
    for (std::size_t i = 0; i < n; ++i) e.gradient[j] += (pr.X[i + j * n] - mean[j]) * r[i];
    e.gradient[j] /= sd[j];
    const double vp = c.factors[j] * double(p) / fsum, bt = beta[j] * sd[j];
    e.objective += lambda * vp * (c.alpha * std::fabs(bt) + 0.5 * (1 - c.alpha) * bt * bt);
  }
  return e;
}

template <typename C>
class GlmUnpenalized : public ConfigTest<C> {
 protected:
  static constexpr bool f64 = C::precision == Precision::float64;

  Options case_options(const GlmData& d, const ZeroCase& c, Family family) const {
    Options o = this->options();
    o.family = family;
    o.alpha = c.alpha;
    o.penalty_factors = c.factors;
    o.exclude = c.exclude;
    o.lower_limits = c.lower;
    if (c.weighted) {
      o.weights = d.weight;
      o.offset = d.offset;
    }
    return o;
  }

  // sparse: X as a SparseMatrixView
  void check(const std::string& problem, Family family, bool sparse = false) {
    const GlmData d = load_glm_data(problem);
    const Problem& pr = d.pr;
    const Csc csc(pr);
    const auto run_fit = [&](const Options& o) {
      return sparse ? fit(csc.view, pr.y.data(), o) : fit(pr.view(), pr.y.data(), o);
    };
    const auto run_cv = [&](const Options& o, const CvOptions& cv) {
      return sparse ? cross_validate(csc.view, pr.y.data(), o, cv)
                    : cross_validate(pr.view(), pr.y.data(), o, cv);
    };
    const cli::CsvTable ref = cli::read_csv(data_path("glm_zero_ref_" + problem + ".csv"));
    const cli::CsvTable exact =
        cli::read_csv(data_path("glm_zero_lambda_max_" + problem + ".csv"));
    const cli::CsvTable cvref = cli::read_csv(data_path("glm_zero_cv_" + problem + ".csv"));
    const cli::CsvTable folds = cli::read_csv(data_path("glm_zero_foldid_" + problem + ".csv"));
    // float64 to 1e-5 of the largest coefficient (the brief's bound; tighter where seen, below),
    // float32 by the precision's tolerance
    const double coef_tol = f64 ? 1e-6 : 5 * this->tol();
    double worst_coef = 0, worst_grad = 0, worst_objective = -1;
    for (const ZeroCase& c : load_cases(problem, pr.p)) {
      const std::string where = problem + " case " + std::to_string(c.id) + " alpha " +
                                std::to_string(c.alpha);
      const std::vector<double> lambdas = case_column(ref, c.id, 1);
      ASSERT_FALSE(lambdas.empty()) << where;
      Options o = case_options(d, c, family);

      // λ_max: the exact one (glm()'s null model) and glmnet's first λ (its own iterative null
      // fit, ~3e-10 off); the automatic path's λ are glmnet's
      Options automatic = o;
      automatic.nlambda = 30;
      const Path a = run_fit(automatic);
      const double want = case_column(exact, c.id, 1).at(0);
      EXPECT_NEAR(a.lambda_max, want, (f64 ? 1e-10 : 1e-5) * want) << where;
      EXPECT_NEAR(a.lambda_max, lambdas[0], (f64 ? 1e-9 : 1e-5) * lambdas[0]) << where;
      for (std::size_t k = 0; k < std::min(lambdas.size(), a.lambdas.size()); ++k)
        EXPECT_NEAR(a.lambdas[k], lambdas[k], (f64 ? 1e-9 : 1e-5) * lambdas[k]) << where;

      o.lambdas = lambdas;
      const Path path = run_fit(o);
      ASSERT_EQ(path.nlambda(), std::int64_t(lambdas.size())) << where;
      const std::vector<double> dev_ratio = case_column(ref, c.id, 2);
      const std::vector<double> a0 = case_column(ref, c.id, 3);
      for (std::size_t k = 0; k < lambdas.size(); ++k) {
        const auto kk = std::int64_t(k);
        const std::string at = where + " lambda " + std::to_string(lambdas[k]);
        EXPECT_EQ(path.status[k], Status::converged) << at;
        std::vector<double> theirs(std::size_t(pr.p));
        double scale = std::fabs(a0[k]), diff = std::fabs(path.intercepts[k] - a0[k]);
        for (std::int64_t j = 0; j < pr.p; ++j) {
          theirs[std::size_t(j)] = case_column(ref, c.id, std::size_t(4 + j))[k];
          scale = std::max(scale, std::fabs(theirs[std::size_t(j)]));
          diff = std::max(diff, std::fabs(path.coef(j, kk) - theirs[std::size_t(j)]));
          if (is_excluded(c, j)) {
            EXPECT_EQ(path.coef(j, kk), 0.0) << at << " x" << j + 1;
          }
          if (!c.lower.empty()) {
            EXPECT_GE(path.coef(j, kk), c.lower[std::size_t(j)]) << at;
          }
        }
        const double rel = diff / scale;
        worst_coef = std::max(worst_coef, rel);
        EXPECT_LE(rel, coef_tol) << at;
        EXPECT_NEAR(path.dev_ratio[k], dev_ratio[k], f64 ? 1e-8 : this->tol()) << at;

        // independently: the unpenalized features' gradient is 0 (they are fitted at every λ,
        // nonzero; float64: ≤ 100·tol·λ_max, the solver's test for a column that stops on the
        // way having met tol), and the objective is never above glmnet's
        const Evaluation ours =
            evaluate(d, c, family, lambdas[k], path.intercepts[k], path.coefs.data() + k * pr.p);
        const Evaluation glmnet = evaluate(d, c, family, lambdas[k], a0[k], theirs.data());
        for (std::int64_t j = 0; j < pr.p; ++j) {
          if (c.factors[std::size_t(j)] != 0 || is_excluded(c, j)) continue;
          EXPECT_NE(path.coef(j, kk), 0.0) << at << " x" << j + 1;
          const double g = std::fabs(ours.gradient[std::size_t(j)]) / lambdas[0];
          worst_grad = std::max(worst_grad, g);
          EXPECT_LE(g, f64 ? 1e-8 : 1e-3) << at << " x" << j + 1 << ": gradient";
        }
        const double excess = (ours.objective - glmnet.objective) / glmnet.objective;
        worst_objective = std::max(worst_objective, excess);
        EXPECT_LE(excess, f64 ? 1e-7 : 1e-4) << at << ": objective above glmnet's";
      }

      // cv.glmnet on the same folds and λ list
      CvOptions cv;
      for (const double id : folds.columns[0]) cv.foldid.push_back(int(id));
      const CvResult res = run_cv(o, cv);
      ASSERT_EQ(res.curves.size(), 1u);
      const CvCurve& curve = res.curves[0];
      EXPECT_TRUE(all_near(curve.cvm, case_column(cvref, c.id, 2), f64 ? 1e-5 : 1e-2, 0,
                           where + " cvm"));
      EXPECT_TRUE(all_near(curve.cvsd, case_column(cvref, c.id, 3), f64 ? 1e-4 : 5e-2, 0,
                           where + " cvsd"));
    }
    std::printf("glm_zero_%s (%s%s): worst coefficient difference from glmnet %.2e (relative), "
                "worst unpenalized gradient %.2e (of lambda_max), objective at most %.2e "
                "(relative) above glmnet's\n",
                problem.c_str(), to_string(C::precision), sparse ? ", sparse X" : "",
                worst_coef, worst_grad,
                worst_objective);
  }
};
TYPED_TEST_SUITE(GlmUnpenalized, CpuConfigs, ConfigNames);

TYPED_TEST(GlmUnpenalized, BinomialAgainstGlmnet) { this->check("binom", Family::binomial); }
TYPED_TEST(GlmUnpenalized, PoissonAgainstGlmnet) { this->check("pois", Family::poisson); }
// A sparse X (the same matrix in CSC form): the same glmnet numbers, on the same batch
TYPED_TEST(GlmUnpenalized, SparseXAgainstGlmnet) {
  this->check("binom", Family::binomial, true);
  this->check("pois", Family::poisson, true);
}

// A sparse X with most entries 0 (the reference data's |x| < 1.5 set to 0), unpenalized features,
// weights and offset, binomial and poisson, fit and cv: the dense X's path to rounding.
TEST(GlmUnpenalizedOptions, SparseXIsTheDenseOnesPath) {
  for (const std::string problem : {"binom", "pois"}) {
    GlmData d = load_glm_data(problem);
    for (double& x : d.pr.X)
      if (std::fabs(x) < 1.5) x = 0;
    const Csc csc(d.pr);
    ASSERT_LT(csc.values.size(), d.pr.X.size() / 2) << "not sparse";
    Options o;
    o.family = problem == "binom" ? Family::binomial : Family::poisson;
    o.alpha = 0.7;
    o.nlambda = 15;
    o.tol = 1e-12;
    o.penalty_factors.assign(std::size_t(d.pr.p), 1.0);
    o.penalty_factors[0] = o.penalty_factors[5] = 0;
    o.weights = d.weight;
    o.offset = d.offset;
    const Path dense = fit(d.pr.view(), d.pr.y.data(), o);
    const Path sparse = fit(csc.view, d.pr.y.data(), o);
    EXPECT_NEAR(sparse.lambda_max, dense.lambda_max, 1e-12 * dense.lambda_max) << problem;
    EXPECT_TRUE(all_near(sparse.coefs, dense.coefs, 1e-7, 1e-9, problem + " coefficients"));
    EXPECT_TRUE(all_near(sparse.intercepts, dense.intercepts, 1e-7, 1e-9, problem));
    for (std::int64_t k = 0; k < dense.nlambda(); ++k) EXPECT_NE(dense.coef(5, k), 0.0);
    CvOptions cv;
    cv.nfolds = 4;
    const CvResult a = cross_validate(d.pr.view(), d.pr.y.data(), o, cv);
    const CvResult b = cross_validate(csc.view, d.pr.y.data(), o, cv);
    EXPECT_TRUE(all_near(b.curves[0].cvm, a.curves[0].cvm, 1e-8, 0, problem + " cvm"));
  }
}

// Where a factor of 0 is not available yet for these families, it is refused by name (not
// solved wrongly): the GPU; automatic picks the CPU.
TEST(GlmUnpenalizedOptions, RefusedWhereNotSupported) {
  const GlmData d = load_glm_data("binom");
  const Problem& pr = d.pr;
  Options o;
  o.family = Family::binomial;
  o.nlambda = 5;
  o.penalty_factors.assign(std::size_t(pr.p), 1.0);
  o.penalty_factors[1] = 0;
  const auto message = [](auto&& run) {
    try {
      run();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  o.device = Device::automatic;
  EXPECT_EQ(message([&] { EXPECT_EQ(fit(pr.view(), pr.y.data(), o).device, Device::cpu); }),
            "(no error)");
  o.device = Device::cuda;
  for (const Family family : {Family::binomial, Family::poisson}) {
    o.family = family;
    const std::string name = to_string(family);
    EXPECT_NE(message([&] { fit(pr.view(), pr.y.data(), o); })
                  .find("penalty factors of 0 (unpenalized features) for family " + name +
                        " are solved on the CPU only"),
              std::string::npos)
        << name;
    EXPECT_NE(message([&] { cross_validate(pr.view(), pr.y.data(), o, CvOptions{}); })
                  .find("are solved on the CPU only"),
              std::string::npos)
        << name;
  }
}

// Limits on an unpenalized feature stay refused, as for gaussian (check_unpenalized), and so
// does a model of unpenalized features alone.
TEST(GlmUnpenalizedOptions, LimitsOnUnpenalizedRefused) {
  const GlmData d = load_glm_data("pois");
  const Problem& pr = d.pr;
  Options o;
  o.family = Family::poisson;
  o.nlambda = 5;
  o.penalty_factors.assign(std::size_t(pr.p), 1.0);
  o.penalty_factors[2] = 0;
  o.lower_limits = {-1};
  std::string what = "(no error)";
  try {
    fit(pr.view(), pr.y.data(), o);
  } catch (const std::invalid_argument& e) {
    what = e.what();
  }
  EXPECT_NE(what.find("limits for feature 2: its penalty factor is 0"), std::string::npos)
      << what;
  o.lower_limits.clear();
  o.penalty_factors.assign(std::size_t(pr.p), 0.0);
  what = "(no error)";
  try {
    fit(pr.view(), pr.y.data(), o);
  } catch (const std::invalid_argument& e) {
    what = e.what();
  }
  EXPECT_NE(what.find("at least one must be penalized"), std::string::npos) << what;
}

}  // namespace
}  // namespace regpath::test
