// cv's type.measure (CvOptions::type_measure, --type-measure) against cv.glmnet 4.1 on fixed
// folds (scripts/make_measure_reference.R): mse and mae for gaussian and poisson, mse, mae,
// class and deviance for binomial, α 1 and ½, at glmnet's own λ lists. And the measures a family
// does not have.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "reference_data.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

struct Curve {
  std::vector<double> lambdas, cvm, cvsd, nzero;
};

TEST(CvMeasures, AgainstCvGlmnet) {
  const cli::CsvTable t = cli::read_csv(data_path("measure_cv.csv"));
  // (problem, family, measure, alpha) → curve, in file order
  std::map<std::tuple<int, int, int, double>, Curve> curves;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    Curve& c = curves[{int(t.columns[0][i]), int(t.columns[1][i]), int(t.columns[2][i]),
                       t.columns[3][i]}];
    c.lambdas.push_back(t.columns[4][i]);
    c.cvm.push_back(t.columns[5][i]);
    c.cvsd.push_back(t.columns[6][i]);
    c.nzero.push_back(t.columns[7][i]);
  }
  const char* problems[] = {"penalty_gauss", "penalty_binom", "poisson_counts"};
  const char* folds[] = {"penalty_foldid_gauss", "penalty_foldid_binom", "poisson_foldid"};
  const Family families[] = {Family::gaussian, Family::binomial, Family::poisson};
  const CvMeasure measures[] = {CvMeasure::mse, CvMeasure::mae, CvMeasure::deviance,
                                CvMeasure::misclassification, CvMeasure::auc};
  ASSERT_EQ(curves.size(), 18u);
  for (const auto& [key, want] : curves) {
    const auto [problem, family, measure, alpha] = key;
    const Problem pr = load_problem(problems[problem - 1]);
    const cli::CsvTable f = cli::read_csv(data_path(std::string(folds[problem - 1]) + ".csv"));
    Options o;
    o.family = families[family - 1];
    o.alpha = alpha;
    o.lambdas = want.lambdas;
    o.tol = 1e-10;
    CvOptions cv;
    cv.type_measure = measures[measure - 1];
    for (const double id : f.columns[0]) cv.foldid.push_back(int(id));
    const CvResult r = cross_validate(pr.view(), pr.y.data(), o, cv);
    const std::string where = std::string(problems[problem - 1]) + " " +
                              to_string(cv.type_measure) + " alpha " + std::to_string(alpha);
    EXPECT_EQ(r.measure, cv.type_measure) << where;
    ASSERT_EQ(r.curves.size(), 1u);
    // misclassification counts flip at p = ½: a solution within 1e-10 of glmnet's may round a
    // row differently where glmnet's probability is ½ to 1e-8 — not in these data
    if (cv.type_measure != CvMeasure::auc) {
      EXPECT_TRUE(all_near(r.curves[0].cvm, want.cvm, 1e-5, 1e-12, where + " cvm"));
      EXPECT_TRUE(all_near(r.curves[0].cvsd, want.cvsd, 1e-4, 1e-12, where + " cvsd"));
      continue;
    }
    // the AUC where the full-data model is not null (cv.glmnet breaks ties at random: a fold
    // whose fit is null ties every prediction there, where regpath counts ½ per tie), and
    // glmnet's selection
    std::vector<double> ours, theirs, ours_sd, theirs_sd;
    for (std::size_t k = 0; k < want.lambdas.size(); ++k) {
      if (want.nzero[k] == 0) continue;
      ours.push_back(r.curves[0].cvm[k]);
      theirs.push_back(want.cvm[k]);
      ours_sd.push_back(r.curves[0].cvsd[k]);
      theirs_sd.push_back(want.cvsd[k]);
    }
    EXPECT_TRUE(all_near(ours, theirs, 1e-6, 1e-12, where + " cvm"));
    EXPECT_TRUE(all_near(ours_sd, theirs_sd, 1e-5, 1e-12, where + " cvsd"));
    std::size_t best = 0;
    for (std::size_t k = 1; k < want.cvm.size(); ++k)
      if (want.cvm[k] > want.cvm[best]) best = k;
    EXPECT_EQ(r.curves[0].index_min, best) << where;
  }
}

TEST(CvMeasures, ClassNeedsBinomialAndDefaultsAreCvGlmnets) {
  const Problem pr = random_problem(40, 3, 0.2, 8);
  Options o;
  o.nlambda = 5;
  CvOptions cv;
  cv.nfolds = 4;
  EXPECT_EQ(cross_validate(pr.view(), pr.y.data(), o, cv).measure, CvMeasure::mse);
  cv.type_measure = CvMeasure::misclassification;
  try {
    cross_validate(pr.view(), pr.y.data(), o, cv);
    ADD_FAILURE() << "no error for class with gaussian";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("needs family binomial"), std::string::npos) << e.what();
  }
  const CliRun bad = run_cli("cv " + data_path("penalty_gauss.csv") +
                             " --response y --type-measure class --output " + temp_path("c.csv"));
  EXPECT_EQ(bad.status, 2);
  EXPECT_TRUE(contains(bad.err, "--type-measure class needs --family binomial")) << bad.err;
  const CliRun auc = run_cli("cv " + data_path("penalty_binom.csv") +
                             " --response y --family binomial --type-measure auc --nfolds 20" +
                             " --output " + temp_path("c.csv"));
  EXPECT_EQ(auc.status, 1);
  EXPECT_TRUE(contains(auc.err, "at least 10 observations per fold")) << auc.err;
  const CliRun mae = run_cli("cv " + data_path("penalty_binom.csv") +
                             " --response y --family binomial --type-measure mae --nfolds 4 "
                             "--quiet --output " + temp_path("c.csv") + " --plot " +
                             temp_path("c.svg"));
  EXPECT_EQ(mae.status, 0) << mae.all();
  EXPECT_TRUE(contains(slurp(temp_path("c.svg")), "Mean absolute error"));
}

}  // namespace
}  // namespace regpath::test
