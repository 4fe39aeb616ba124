// glmnet's observation weights (Options::weights) for the GLM families, binomial and poisson,
// which take them in the GLM batch (core/design/glm_batch_problem.hpp): against R glmnet 4.1
// (scripts/make_weights_reference.R: weights_ref_binom.csv, weights_ref_poisson.csv), and what
// follows from the definition independently of glmnet: weights of 1 are the unweighted fit, a
// weight of 0 leaves its row out, an integer weight repeats its row, only the ratios matter.
// And weighted cross-validation for every family against cv.glmnet (weights_cv.csv). CPU
// float64, and a CUDA check where a GPU is usable.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "glm_test_support.hpp"
#include "reference_data.hpp"
#include "sparse_support.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

Options base_options(Family family) {
  Options o;
  o.device = Device::cpu;
  o.family = family;
  o.tol = 1e-13;
  return o;
}

// The largest |a − b| over intercepts and coefficients at each λ, relative to b's largest.
double path_distance(const Path& a, const Path& b) {
  double worst = 0;
  for (std::int64_t k = 0; k < b.nlambda(); ++k) {
    double scale = std::fabs(b.intercepts[std::size_t(k)]);
    double diff = std::fabs(a.intercepts[std::size_t(k)] - b.intercepts[std::size_t(k)]);
    for (std::int64_t j = 0; j < b.n_features; ++j) {
      scale = std::max(scale, std::fabs(b.coef(j, k)));
      diff = std::max(diff, std::fabs(a.coef(j, k) - b.coef(j, k)));
    }
    worst = std::max(worst, diff / std::max(scale, 1e-300));
  }
  return worst;
}

struct GlmCase {
  const char* data;     // the problem (tests/data/<data>.csv)
  const char* weights;  // its weights file
  const char* ref;      // glmnet's weighted paths
  Family family;
};

class WeightedGlm : public ::testing::TestWithParam<GlmCase> {};

// Each case of the reference at glmnet's own λ list: coefficients and intercepts to 1e-6 of the
// largest (the issue allows 2e-3 for GLMs; glmnet's thresh 1e-14 and our tol 1e-12 meet much
// closer), dev.ratio to 1e-7 (glmnet's IRLS stops ~1e-8 short of the optimum on the binomial
// cases), and glmnet's weighted λ_max (its automatic path's first λ).
TEST_P(WeightedGlm, AgainstGlmnet) {
  const GlmCase c = GetParam();
  const Problem pr = load_problem(c.data);
  const std::vector<double> w =
      cli::read_csv(data_path(std::string(c.weights) + ".csv")).columns[0];
  ASSERT_EQ(std::int64_t(w.size()), pr.n);
  const cli::CsvTable ref = cli::read_csv(data_path(std::string(c.ref) + ".csv"));
  for (int id = 1; id <= 3; ++id) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < ref.rows(); ++i)
      if (int(ref.columns[0][i]) == id) rows.push_back(i);
    ASSERT_GE(rows.size(), 5u) << "case " << id;
    Options o = base_options(c.family);
    // 1e-12: a relative gap of 1e-13 is at the floor of its own rounding (with some CPUs' BLAS
    // kernels a binomial λ here ends at 1.05e-13, stalled); the checks below are far wider
    o.tol = 1e-12;
    o.alpha = ref.columns[1][rows[0]];
    o.standardize = ref.columns[2][rows[0]] != 0;
    o.weights = w;
    for (const std::size_t i : rows) o.lambdas.push_back(ref.columns[4][i]);
    const std::string where = std::string(c.data) + " case " + std::to_string(id);
    const Path path = fit(pr.view(), pr.y.data(), o);
    ASSERT_EQ(path.nlambda(), std::int64_t(rows.size())) << where;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::size_t i = rows[k];
      EXPECT_EQ(path.status[k], Status::converged) << where;
      const ReferenceDifference d = reference_difference(path, std::int64_t(k), ref, i);
      EXPECT_LE(d.diff, 1e-6 * d.scale) << where << " lambda " << path.lambdas[k];
      EXPECT_NEAR(path.dev_ratio[k], ref.columns[5][i], 1e-7) << where << " lambda " << k;
    }
    Options automatic = o;
    automatic.lambdas.clear();
    automatic.nlambda = 3;
    const Path a = fit(pr.view(), pr.y.data(), automatic);
    EXPECT_NEAR(a.lambdas[0], ref.columns[4][rows[0]], 1e-10 * ref.columns[4][rows[0]]) << where;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Families, WeightedGlm,
    ::testing::Values(
        GlmCase{"penalty_binom", "weights_binom", "weights_ref_binom", Family::binomial},
        GlmCase{"poisson_counts", "weights_poisson", "weights_ref_poisson", Family::poisson}),
    [](const ::testing::TestParamInfo<GlmCase>& param_info) {
      return std::string(to_string(param_info.param.family));
    });

// A problem of the family: a binomial one, or a poisson one with counts from the linear model.
Problem family_problem(Family family) {
  if (family == Family::binomial) return random_binomial_problem(60, 5, 0.3, 17);
  Problem pr = random_problem(60, 5, 0.3, 17);
  for (std::int64_t i = 0; i < pr.n; ++i)  // small counts that grow with the first feature
    pr.y[std::size_t(i)] = std::floor(std::exp(0.5 * pr.X[std::size_t(i)]) + double(i % 3));
  return pr;
}

class WeightedGlmDefinition : public ::testing::TestWithParam<Family> {};

// What the definition implies: weights of 1 (or all equal) are no weights; a weight of 0 removes
// the row; a weight of 2 counts the row twice (the design with that row duplicated).
TEST_P(WeightedGlmDefinition, FollowsFromTheDefinition) {
  const Family family = GetParam();
  const Problem pr = family_problem(family);
  for (const bool standardize : {true, false}) {
    const std::string where = standardize ? "standardized" : "raw";
    Options o = base_options(family);
    o.alpha = 0.7;
    o.standardize = standardize;
    o.lambdas = {0.1, 0.03, 0.005};
    const Path plain = fit(pr.view(), pr.y.data(), o);
    o.weights.assign(std::size_t(pr.n), 1.0);
    EXPECT_EQ(path_distance(fit(pr.view(), pr.y.data(), o), plain), 0.0) << where;
    for (double& v : o.weights) v = 3;
    EXPECT_LE(path_distance(fit(pr.view(), pr.y.data(), o), plain), 1e-8) << where;

    // rows 0..9 weighted 0 / rows 10..19 weighted 2 against the data without rows 0..9 and with
    // rows 10..19 twice
    Problem edited;
    edited.p = pr.p;
    std::vector<std::int64_t> keep;
    for (std::int64_t i = 10; i < pr.n; ++i) keep.push_back(i);
    for (std::int64_t i = 10; i < 20; ++i) keep.push_back(i);
    edited.n = std::int64_t(keep.size());
    for (std::int64_t j = 0; j < pr.p; ++j)
      for (const std::int64_t i : keep) edited.X.push_back(pr.X[std::size_t(i + j * pr.n)]);
    for (const std::int64_t i : keep) edited.y.push_back(pr.y[std::size_t(i)]);
    Options unweighted = o;
    unweighted.weights.clear();
    const Path want = fit(edited.view(), edited.y.data(), unweighted);
    for (std::int64_t i = 0; i < pr.n; ++i)
      o.weights[std::size_t(i)] = i < 10 ? 0 : i < 20 ? 2 : 1;
    const Path got = fit(pr.view(), pr.y.data(), o);
    EXPECT_LE(path_distance(got, want), 1e-8) << where;
    for (std::size_t k = 0; k < got.dev_ratio.size(); ++k)
      EXPECT_NEAR(got.dev_ratio[k], want.dev_ratio[k], 1e-9) << where;
    // and the automatic path's λ_max is the duplicated data's
    Options automatic = o, automatic_unweighted = unweighted;
    automatic.lambdas.clear();
    automatic_unweighted.lambdas.clear();
    automatic.nlambda = automatic_unweighted.nlambda = 3;
    EXPECT_NEAR(fit(pr.view(), pr.y.data(), automatic).lambdas[0],
                fit(edited.view(), edited.y.data(), automatic_unweighted).lambdas[0],
                1e-12 * want.lambdas[0])
        << where;
  }
}

INSTANTIATE_TEST_SUITE_P(Families, WeightedGlmDefinition,
                         ::testing::Values(Family::binomial, Family::poisson),
                         [](const ::testing::TestParamInfo<Family>& param_info) {
                           return std::string(to_string(param_info.param));
                         });

// cv.glmnet's weighted curves (weights_cv.csv, scripts/make_weights_reference.R) on its fixed
// folds at glmnet's weighted λ list, for every family and each of its measures: cvm and cvsd,
// and the λ that lambda.min and lambda.1se select from cv.glmnet's own curves. The codes:
// family 1 gaussian, 2 binomial, 3 poisson; measure 1 mse, 2 mae, 3 deviance, 4 class, 5 auc.
TEST(WeightedCv, AgainstCvGlmnet) {
  struct Data {
    const char *problem, *weights, *foldid;
    Family family;
  };
  const Data data[] = {
      {"penalty_gauss", "weights_gauss", "penalty_foldid_gauss", Family::gaussian},
      {"penalty_binom", "weights_binom", "penalty_foldid_binom", Family::binomial},
      {"poisson_counts", "weights_poisson", "poisson_foldid", Family::poisson}};
  const CvMeasure measures[] = {CvMeasure::mse, CvMeasure::mae, CvMeasure::deviance,
                                CvMeasure::misclassification, CvMeasure::auc};
  const cli::CsvTable ref = cli::read_csv(data_path("weights_cv.csv"));
  int curves = 0;
  for (int fam = 1; fam <= 3; ++fam) {
    const Data& d = data[fam - 1];
    const Problem pr = load_problem(d.problem);
    for (int m = 1; m <= 5; ++m) {
      const CvReferenceCurve want = cv_reference_curve(ref, fam, m);
      if (want.lambdas.empty()) continue;
      ++curves;
      const std::string where =
          std::string(to_string(d.family)) + " " + to_string(measures[m - 1]);
      Options o = base_options(d.family);
      o.weights = cli::read_csv(data_path(std::string(d.weights) + ".csv")).columns[0];
      o.lambdas = want.lambdas;
      CvOptions cv;
      cv.type_measure = measures[m - 1];
      const cli::CsvTable ids = cli::read_csv(data_path(std::string(d.foldid) + ".csv"));
      for (const double id : ids.columns[0]) cv.foldid.push_back(int(id));
      const CvResult res = cross_validate(pr.view(), pr.y.data(), o, cv);
      ASSERT_EQ(res.curves.size(), 1u) << where;
      const CvCurve& c = res.curves[0];
      expect_cv_glmnet_curve(c, want, m == 5, where);
    }
  }
  EXPECT_EQ(curves, 10);
}

// Weights with penalty factors of 0 (x1 and x4 unpenalized) in cross-validation: cv.glmnet's
// curves (weights_pf0_cv.csv, scripts/make_weights_pf0_reference.R), gaussian mse and mae and
// binomial deviance, from a dense X and from the same X as CSC (both on the GLM batch, which
// keeps the unpenalized features in its solve and fits each fold's weighted null model).
TEST(WeightedCv, UnpenalizedFeaturesAgainstCvGlmnet) {
  const cli::CsvTable ref = cli::read_csv(data_path("weights_pf0_cv.csv"));
  struct Curve {
    const char *problem, *weights, *foldid;
    Family family;
    int code, measure;
    CvMeasure type;
  };
  const Curve curves[] = {
      {"penalty_gauss", "weights_gauss", "penalty_foldid_gauss", Family::gaussian, 1, 1,
       CvMeasure::mse},
      {"penalty_gauss", "weights_gauss", "penalty_foldid_gauss", Family::gaussian, 1, 2,
       CvMeasure::mae},
      {"penalty_binom", "weights_binom", "penalty_foldid_binom", Family::binomial, 2, 3,
       CvMeasure::deviance}};
  for (const Curve& c : curves) {
    const Problem pr = load_problem(c.problem);
    const CvReferenceCurve want = cv_reference_curve(ref, c.code, c.measure);
    ASSERT_FALSE(want.lambdas.empty());
    Options o = base_options(c.family);
    o.weights = cli::read_csv(data_path(std::string(c.weights) + ".csv")).columns[0];
    o.lambdas = want.lambdas;
    o.penalty_factors.assign(std::size_t(pr.p), 1.0);
    o.penalty_factors[0] = o.penalty_factors[3] = 0;
    CvOptions cv;
    cv.type_measure = c.type;
    const cli::CsvTable ids = cli::read_csv(data_path(std::string(c.foldid) + ".csv"));
    for (const double id : ids.columns[0]) cv.foldid.push_back(int(id));
    const std::string where = std::string(to_string(c.family)) + " " + to_string(c.type);
    const CvResult dense = cross_validate(pr.view(), pr.y.data(), o, cv);
    ASSERT_EQ(dense.curves.size(), 1u) << where;
    expect_cv_glmnet_curve(dense.curves[0], want, false, where + ", dense X");
    const regpath_test::Csc csc = regpath_test::to_csc(pr.X, pr.n, pr.p);
    const CvResult sparse = cross_validate(csc.view(), pr.y.data(), o, cv);
    ASSERT_EQ(sparse.curves.size(), 1u) << where;
    expect_cv_glmnet_curve(sparse.curves[0], want, false, where + ", sparse X");
  }
}

// The same weighted fits and one weighted cv on the CUDA backend (float64; skipped without a
// usable GPU), to the GLM tolerance: coefficients within 2e-3 of glmnet's (relative to
// the largest), cvm within 1e-3 of cv.glmnet's.
TEST(WeightedGlmCuda, MatchesGlmnet) {
  std::string why;
  if (!cuda_available(&why)) GTEST_SKIP() << "CUDA not usable: " << why;
  const GlmCase cases[] = {
      {"penalty_binom", "weights_binom", "weights_ref_binom", Family::binomial},
      {"poisson_counts", "weights_poisson", "weights_ref_poisson", Family::poisson}};
  for (const GlmCase& c : cases) {
    const Problem pr = load_problem(c.data);
    const cli::CsvTable ref = cli::read_csv(data_path(std::string(c.ref) + ".csv"));
    Options o = base_options(c.family);
    o.device = Device::cuda;
    o.tol = 1e-10;
    o.weights = cli::read_csv(data_path(std::string(c.weights) + ".csv")).columns[0];
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < ref.rows(); ++i)
      if (int(ref.columns[0][i]) == 2) rows.push_back(i);  // α = ½, standardized
    o.alpha = ref.columns[1][rows[0]];
    for (const std::size_t i : rows) o.lambdas.push_back(ref.columns[4][i]);
    const Path path = fit(pr.view(), pr.y.data(), o);
    ASSERT_EQ(path.device, Device::cuda);
    ASSERT_EQ(path.nlambda(), std::int64_t(rows.size()));
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::size_t i = rows[k];
      const ReferenceDifference d = reference_difference(path, std::int64_t(k), ref, i);
      EXPECT_LE(d.diff, 2e-3 * d.scale) << c.data << " lambda " << path.lambdas[k];
    }
  }
  // cv.glmnet's weighted binomial deviance curve (family 2, measure 3)
  const cli::CsvTable cvref = cli::read_csv(data_path("weights_cv.csv"));
  const CvReferenceCurve want = cv_reference_curve(cvref, 2, 3);
  const std::vector<double>& lambdas = want.lambdas;
  const std::vector<double>& cvm = want.cvm;
  const Problem pr = load_problem("penalty_binom");
  Options o = base_options(Family::binomial);
  o.device = Device::cuda;
  o.tol = 1e-10;
  o.weights = cli::read_csv(data_path("weights_binom.csv")).columns[0];
  o.lambdas = lambdas;
  CvOptions cv;
  cv.type_measure = CvMeasure::deviance;
  const cli::CsvTable ids = cli::read_csv(data_path("penalty_foldid_binom.csv"));
  for (const double id : ids.columns[0]) cv.foldid.push_back(int(id));
  const CvResult res = cross_validate(pr.view(), pr.y.data(), o, cv);
  ASSERT_EQ(res.curves.size(), 1u);
  ASSERT_EQ(res.curves[0].cvm.size(), cvm.size());
  for (std::size_t k = 0; k < cvm.size(); ++k)
    EXPECT_NEAR(res.curves[0].cvm[k], cvm[k], 1e-3 * std::fabs(cvm[k])) << "λ " << k;
}

// regpath cv --weights FILE: the binomial deviance curve of weights_cv.csv through the CLI, and a
// bad weights file named in the error.
TEST(WeightedCv, Cli) {
  const cli::CsvTable ref = cli::read_csv(data_path("weights_cv.csv"));
  std::string lambdas;
  std::vector<double> cvm;
  for (std::size_t r = 0; r < ref.rows(); ++r)
    if (int(ref.columns[0][r]) == 2 && int(ref.columns[1][r]) == 3) {
      lambdas += (lambdas.empty() ? "" : ",") + cli::format_number(ref.columns[2][r]);
      cvm.push_back(ref.columns[3][r]);
    }
  ASSERT_FALSE(cvm.empty());
  const std::string out = temp_path("cv.csv");
  const std::string common = "cv " + data_path("penalty_binom.csv") +
                             " --response y --family binomial --type-measure deviance" +
                             " --foldid " + data_path("penalty_foldid_binom.csv") +
                             " --tol 1e-13 --device cpu --quiet --lambda " + lambdas +
                             " --output " + out;
  const CliRun r = run_cli(common + " --weights " + data_path("weights_binom.csv"));
  ASSERT_EQ(r.status, 0) << r.all();
  const cli::CsvTable t = cli::read_csv(out);  // lambda, cvm, cvsd, ...
  ASSERT_EQ(t.rows(), cvm.size());
  for (std::size_t k = 0; k < cvm.size(); ++k)
    EXPECT_NEAR(t.columns[1][k], cvm[k], 1e-6 * std::fabs(cvm[k])) << "λ " << k;

  std::string bad = "w\n";
  for (int i = 0; i < 160; ++i) bad += i == 9 ? "-1\n" : "1\n";
  const std::string file = temp_file("bad_cv_weights.csv", bad);
  const CliRun e = run_cli(common + " --weights " + file);
  EXPECT_NE(e.status, 0);
  EXPECT_TRUE(contains(e.err, file) && contains(e.err, "invalid weights[9] = -1")) << e.err;
}

}  // namespace
}  // namespace regpath::test
