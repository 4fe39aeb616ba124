// The poisson family (log link; src/core/datafit/poisson.hpp, a datafit added as one file plus
// its registration) against R glmnet 4.1 (scripts/make_poisson_reference.R): λ_max, the
// coefficients and deviance ratios at glmnet's λ list, the objective (evaluated here, not by the
// solver) never worse than glmnet's, and cv.glmnet's deviance curve on fixed folds; α 1 and ½,
// with and without standardization, with penalty factors. Typed over device × precision. And
// the bad responses.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "reference_data.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

// glmnet's poisson objective at (b0, β) on the original scale: (1/n)Σ[e^η − yη] + the penalty
// on β̃ = β·scale (the standardization's scale, or 1).
double poisson_objective(const Problem& pr, const Scaling& s, double b0, const double* beta,
                         double lambda, double alpha, const std::vector<double>& w) {
  double loss = 0;
  for (std::int64_t i = 0; i < pr.n; ++i) {
    double eta = b0;
    for (std::int64_t j = 0; j < pr.p; ++j) eta += pr.X[std::size_t(i + j * pr.n)] * beta[j];
    loss += std::exp(eta) - pr.y[std::size_t(i)] * eta;
  }
  double pen = 0;
  for (std::int64_t j = 0; j < pr.p; ++j) {
    const double bt = beta[j] * s.scale[std::size_t(j)];
    pen += w[std::size_t(j)] * (alpha * std::fabs(bt) + 0.5 * (1 - alpha) * bt * bt);
  }
  return loss / double(pr.n) + lambda * pen;
}


template <typename C>
class Poisson : public ConfigTest<C> {
 protected:
  static constexpr bool f64 = C::precision == Precision::float64;
};
TYPED_TEST_SUITE(Poisson, AllConfigs, ConfigNames);

TYPED_TEST(Poisson, AgainstGlmnet) {
  const Problem pr = load_problem("poisson_counts");
  const cli::CsvTable cases = cli::read_csv(data_path("poisson_cases.csv"));
  const cli::CsvTable ref = cli::read_csv(data_path("poisson_ref.csv"));
  const cli::CsvTable cvref = cli::read_csv(data_path("poisson_cv.csv"));
  const cli::CsvTable folds = cli::read_csv(data_path("poisson_foldid.csv"));
  double worst_coef = 0, worst_obj = 0;
  for (std::size_t c = 0; c < cases.rows(); ++c) {
    const int id = int(cases.columns[0][c]);
    Options o = this->options();
    o.family = Family::poisson;
    o.alpha = cases.columns[1][c];
    o.standardize = cases.columns[2][c] != 0;
    o.intercept = cases.columns[3][c] != 0;
    for (std::int64_t j = 0; j < pr.p; ++j)
      o.penalty_factors.push_back(cases.columns[std::size_t(4 + j)][c]);
    const std::string where = "case " + std::to_string(id);
    const std::vector<double> lambdas = case_column(ref, id, 1), dev = case_column(ref, id, 2);

    Options automatic = o;
    automatic.nlambda = 3;
    const Path a = fit(pr.view(), pr.y.data(), automatic);
    EXPECT_NEAR(a.lambda_max, lambdas[0], (this->f64 ? 1e-10 : 1e-5) * lambdas[0]) << where;

    o.lambdas = lambdas;
    const Path path = fit(pr.view(), pr.y.data(), o);
    ASSERT_EQ(path.nlambda(), std::int64_t(lambdas.size())) << where;
    const Scaling s = scaling_of(pr, o.standardize, o.intercept);
    double wsum = 0;
    for (double v : o.penalty_factors) wsum += v;
    std::vector<double> w;  // glmnet's rescaled factors
    for (double v : o.penalty_factors) w.push_back(v * double(pr.p) / wsum);
    for (std::size_t k = 0; k < lambdas.size(); ++k) {
      const auto kk = std::int64_t(k);
      const std::string at = where + " lambda " + std::to_string(lambdas[k]);
      EXPECT_EQ(path.status[k], Status::converged) << at << " gap " << path.gaps[k];
      std::vector<double> theirs;
      double scale = std::fabs(case_column(ref, id, 3)[k]);
      double diff = std::fabs(path.intercepts[k] - case_column(ref, id, 3)[k]);
      for (std::int64_t j = 0; j < pr.p; ++j) {
        theirs.push_back(case_column(ref, id, std::size_t(4 + j))[k]);
        scale = std::max(scale, std::fabs(theirs.back()));
        diff = std::max(diff, std::fabs(path.coef(j, kk) - theirs.back()));
      }
      const double rel = diff / std::max(scale, 1e-12);
      worst_coef = std::max(worst_coef, rel);
      EXPECT_LE(rel, this->f64 ? 2e-3 : 5e-2) << at;
      // (float32: the loss is summed from float terms, and the deviance ratio divides its excess
      // over the saturated loss by the null one's, a small difference of such sums)
      EXPECT_NEAR(path.dev_ratio[k], dev[k], this->f64 ? 1e-6 : 5e-3) << at;
      const double ours = poisson_objective(pr, s, path.intercepts[k],
                                            path.coefs.data() + k * std::size_t(pr.p),
                                            lambdas[k], o.alpha, w);
      const double glmnet = poisson_objective(pr, s, case_column(ref, id, 3)[k], theirs.data(),
                                              lambdas[k], o.alpha, w);
      // the objective can be negative: compare above the saturated model's loss
      double saturated = 0;
      for (const double y : pr.y) saturated += y > 0 ? y - y * std::log(y) : 0.0;
      saturated /= double(pr.n);
      const double excess = (ours - glmnet) / (glmnet - saturated);
      worst_obj = std::max(worst_obj, excess);
      if (this->f64) {
        EXPECT_LE(excess, 1e-7) << at;
      }
    }
    CvOptions cv;
    for (const double f : folds.columns[0]) cv.foldid.push_back(int(f));
    const CvResult res = cross_validate(pr.view(), pr.y.data(), o, cv);
    ASSERT_EQ(res.curves.size(), 1u);
    EXPECT_TRUE(all_near(res.curves[0].cvm, case_column(cvref, id, 2), this->f64 ? 1e-5 : 1e-2, 0,
                         where + " cvm"));
    EXPECT_TRUE(all_near(res.curves[0].cvsd, case_column(cvref, id, 3), this->f64 ? 1e-4 : 5e-2, 0,
                         where + " cvsd"));
  }
  std::printf("poisson: worst coefficient difference from glmnet %.2e (sup-norm, relative), "
              "worst objective excess over glmnet's %.2e\n",
              worst_coef, worst_obj);
}

TEST(PoissonResponse, BadCountsAreNamed) {
  const Problem pr = random_problem(20, 3, 0.2, 4);
  Options o;
  o.family = Family::poisson;
  std::vector<double> y(20, 1.0);
  y[6] = -2;
  try {
    fit(pr.view(), y.data(), o);
    ADD_FAILURE() << "no error for a negative count";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("row 7 is negative"), std::string::npos) << e.what();
  }
  std::fill(y.begin(), y.end(), 0.0);
  try {
    fit(pr.view(), y.data(), o);
    ADD_FAILURE() << "no error for an all-zero response";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("positive count"), std::string::npos) << e.what();
  }
  y[3] = 2.5;  // non-integer counts are allowed, as glmnet allows them
  EXPECT_NO_THROW(fit(pr.view(), y.data(), o));
}

}  // namespace
}  // namespace regpath::test

namespace regpath::test {
namespace {

// The command line: fit, cv and predict with --family poisson; the response prediction is the
// mean e^η of the link prediction.
TEST(PoissonCli, FitCvAndPredict) {
  const std::string data = data_path("poisson_counts.csv");
  const std::string model = temp_path("poisson.model"), link = temp_path("link.csv"),
                    mean = temp_path("mean.csv"), path = temp_path("path.csv"),
                    curve = temp_path("cv.csv");
  CliRun r = run_cli("fit " + data + " --response y --family poisson --nlambda 8 --output " +
                     path + " --save-model " + model + " --quiet");
  ASSERT_EQ(r.status, 0) << r.all();
  r = run_cli("cv " + data + " --response y --family poisson --nlambda 8 --nfolds 4 --output " +
              curve);
  ASSERT_EQ(r.status, 0) << r.all();
  EXPECT_TRUE(contains(r.out, "lambda.1se")) << r.all();
  ASSERT_EQ(run_cli("predict " + model + " " + data + " --type link --quiet --output " + link)
                .status,
            0);
  ASSERT_EQ(run_cli("predict " + model + " " + data + " --type response --quiet --output " +
                    mean)
                .status,
            0);
  const cli::CsvTable l = cli::read_csv(link), m = cli::read_csv(mean);
  ASSERT_EQ(l.cols(), m.cols());
  for (std::size_t k = 0; k < l.cols(); ++k)
    for (std::size_t i = 0; i < l.rows(); ++i)
      EXPECT_NEAR(m.columns[k][i], std::exp(l.columns[k][i]), 1e-12 * m.columns[k][i]);
  r = run_cli("predict " + model + " " + data + " --type class --output " + mean);
  EXPECT_NE(r.status, 0);
  EXPECT_TRUE(contains(r.err, "binomial")) << r.err;
}

}  // namespace
}  // namespace regpath::test
