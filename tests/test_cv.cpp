// Cross-validation: against cv.glmnet with fixed fold ids (tests/data/cv_*, made by
// scripts/make_binomial_reference.R), the batch against separate fits on the fold subsets,
// the selections' definitions, and bad fold ids.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>
#include <string>

#include "cli/csv_table.hpp"
#include "glm_test_support.hpp"
#include "reference_data.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

std::vector<int> load_foldid(const std::string& file) {
  const cli::CsvTable t = cli::read_csv(data_path(file));
  std::vector<int> ids;
  for (double v : t.columns[0]) ids.push_back(int(v));
  return ids;
}

template <typename C>
class CrossValidation : public ConfigTest<C> {
 protected:
  static constexpr bool f64 = C::precision == Precision::float64;

  // cv.glmnet's curve `name` on `problem` with the given family and α: at its λ list, or with
  // `automatic`, each with its own automatic path (the same λ to rounding, the same length).
  void check_against_glmnet(const std::string& problem, const std::string& foldfile,
                            const std::string& name, Family family, double alpha,
                            bool automatic = false) {
    const Problem pr = load_problem(problem);
    const cli::CsvTable ref = cli::read_csv(data_path(name + ".csv"));
    const cli::CsvTable sel = cli::read_csv(data_path(name + "_select.csv"));
    Options o = this->options();
    o.family = family;
    o.alpha = alpha;
    if (!automatic) o.lambdas = ref.columns[0];
    CvOptions cv;
    cv.foldid = load_foldid(foldfile);
    const CvResult r = cross_validate(pr.view(), pr.y.data(), o, cv);
    ASSERT_EQ(r.curves.size(), 1u);
    const CvCurve& c = r.curves[0];
    ASSERT_EQ(c.lambdas.size(), ref.rows());
    // float32 stops at a gap of 1e-4·P: its coefficients, and so its errors, carry ~1e-3
    const double cvm_rtol = f64 ? 1e-6 : 5e-3, cvsd_rtol = f64 ? 1e-5 : 2e-3;
    double worst_cvm = 0, worst_cvsd = 0;
    for (std::size_t k = 0; k < ref.rows(); ++k) {
      const std::string where = name + " at lambda " + std::to_string(c.lambdas[k]);
      if (automatic) {
        EXPECT_NEAR(c.lambdas[k], ref.columns[0][k], 1e-9 * ref.columns[0][k]) << where;
      } else {
        EXPECT_EQ(c.lambdas[k], ref.columns[0][k]) << where;
      }
      // float32: errors near 0 (a high R²) are known to ~1e-3 of the null model's error
      const double dm = std::fabs(c.cvm[k] - ref.columns[1][k]) /
                        (f64 ? ref.columns[1][k] : ref.columns[1][0]);
      // float32: cvsd is a spread of nearly equal fold errors, known to ~1e-3 of cvm itself
      const double ds = std::fabs(c.cvsd[k] - ref.columns[2][k]) /
                        (f64 ? ref.columns[2][k] : ref.columns[1][k]);
      worst_cvm = std::max(worst_cvm, dm);
      worst_cvsd = std::max(worst_cvsd, ds);
      EXPECT_LE(dm, cvm_rtol) << where << ": cvm " << c.cvm[k] << " vs " << ref.columns[1][k];
      EXPECT_LE(ds, cvsd_rtol) << where << ": cvsd " << c.cvsd[k] << " vs " << ref.columns[2][k];
      if (f64) {
        EXPECT_EQ(c.nzero[k], std::int64_t(ref.columns[3][k])) << where;
      }
    }
    std::printf("%s: worst relative cvm error %.2e, cvsd error %.2e\n", name.c_str(), worst_cvm,
                worst_cvsd);
    if (f64) {
      EXPECT_NEAR(c.lambda_min, sel.columns[0][0], 1e-9 * sel.columns[0][0]) << name;
      EXPECT_NEAR(c.lambda_1se, sel.columns[1][0], 1e-9 * sel.columns[1][0]) << name;
    }
  }
};
TYPED_TEST_SUITE(CrossValidation, AllConfigs, ConfigNames);

TYPED_TEST(CrossValidation, GaussianLassoAgainstCvGlmnet) {
  this->check_against_glmnet("tall", "cv_foldid_tall.csv", "cv_tall_gaussian_a1",
                             Family::gaussian, 1.0);
}
// α < 1: cv.glmnet's fold fits scale y by each fold's sd (Options::glmnet_y_scaling, on by
// default in cross_validate).
TYPED_TEST(CrossValidation, GaussianElasticNetAgainstCvGlmnet) {
  this->check_against_glmnet("tall", "cv_foldid_tall.csv", "cv_tall_gaussian_a05",
                             Family::gaussian, 0.5);
}
TYPED_TEST(CrossValidation, BinomialLassoAgainstCvGlmnet) {
  this->check_against_glmnet("binom_tall", "cv_foldid_binom_tall.csv", "cv_binom_tall_a1",
                             Family::binomial, 1.0);
}
TYPED_TEST(CrossValidation, BinomialElasticNetAgainstCvGlmnet) {
  this->check_against_glmnet("binom_tall", "cv_foldid_binom_tall.csv", "cv_binom_tall_a05",
                             Family::binomial, 0.5);
}
// cv.glmnet's automatic path: the folds' own paths, ended where glmnet ends them, interpolated
// at the full-data λ; the curves as long as glmnet's.
TYPED_TEST(CrossValidation, AutomaticPathsAgainstCvGlmnet) {
  if (!this->f64)
    GTEST_SKIP() << "float32: λ_max rounds at 1e-7 and the deviance ratios that end glmnet's "
                    "paths are known to 1e-4, so the λ and the path ends are float64's to check";
  this->check_against_glmnet("tall", "cv_foldid_tall.csv", "cv_tall_gaussian_a1_default",
                             Family::gaussian, 1.0, true);
  this->check_against_glmnet("tall", "cv_foldid_tall.csv", "cv_tall_gaussian_a05_default",
                             Family::gaussian, 0.5, true);
  this->check_against_glmnet("binom_tall", "cv_foldid_binom_tall.csv",
                             "cv_binom_tall_a05_default", Family::binomial, 0.5, true);
}

// Every fold's column of the batch is the fit of that fold's training rows alone (with the
// automatic path, at that fit's own λ, as cv.glmnet's folds), and the full-data column is fit()
// of the whole data.
TYPED_TEST(CrossValidation, BatchEqualsSeparateFits) {
  for (const auto& [family, scaling] : {std::pair{Family::gaussian, true},
                                        std::pair{Family::gaussian, false},
                                        std::pair{Family::binomial, true}}) {
    const Problem pr = family == Family::gaussian ? random_problem(90, 12, 0.4, 5)
                                                  : random_binomial_problem(90, 12, 0.4, 5);
    Options o = this->options();
    o.family = family;
    o.glmnet_y_scaling = scaling;  // fit() and cross_validate() alike
    o.alpha = 0.5;
    o.nlambda = 8;
    o.lambda_min_ratio = 0.02;
    CvOptions cv;
    cv.nfolds = 4;
    cv.alphas = {0.5, 1.0};
    const CvResult r = cross_validate(pr.view(), pr.y.data(), o, cv);
    ASSERT_EQ(r.curves.size(), 2u);
    for (const CvCurve& c : r.curves) {
      Options single = o;
      single.alpha = c.alpha;
      single.lambdas = c.lambdas;
      const auto close = [&](const Path& a, const Path& b, const std::string& where) {
        double scale = 1e-3;
        for (double v : b.coefs) scale = std::max(scale, std::fabs(v));
        const double rtol = this->f64 ? 1e-5 : 2e-2;
        EXPECT_TRUE(all_near(a.coefs, b.coefs, 0, rtol * scale, where + " coefficients"));
        EXPECT_TRUE(all_near(a.intercepts, b.intercepts, 0, rtol * std::max(1.0, scale),
                             where + " intercepts"));
      };
      const std::string label = std::string(to_string(family)) + " alpha " +
                                std::to_string(c.alpha) + " y scaling " + std::to_string(scaling);
      close(c.path, fit(pr.view(), pr.y.data(), single), label + " full data");
      ASSERT_EQ(c.fold_paths.size(), 4u);
      Options own = single;
      own.lambdas.clear();  // the automatic path of the fold's own rows
      for (int f = 0; f < 4; ++f) {
        const Problem part = training_rows(pr, r.foldid, f);
        const Path alone = fit(part.view(), part.y.data(), own);
        const std::string where = label + " fold " + std::to_string(f + 1);
        EXPECT_TRUE(all_near(c.fold_paths[std::size_t(f)].lambdas, alone.lambdas,
                             this->f64 ? 1e-12 : 1e-5, 0,
                             where + " lambdas"));
        close(c.fold_paths[std::size_t(f)], alone, where);
      }
    }
    EXPECT_LT(r.curves[r.best].cvm[r.curves[r.best].index_min],
              r.curves[1 - r.best].cvm[r.curves[1 - r.best].index_min] + 1e-15);
  }
}

// lambda.min is the largest λ of least cvm; lambda.1se the largest λ within one cvsd of it.
TEST(CrossValidationSummary, SelectionsFollowTheirDefinitions) {
  const Problem pr = random_problem(120, 15, 0.3, 11);
  Options o;
  o.device = Device::cpu;
  o.nlambda = 30;
  CvOptions cv;
  cv.nfolds = 5;
  const CvResult r = cross_validate(pr.view(), pr.y.data(), o, cv);
  const CvCurve& c = r.curves[0];
  const double least = *std::min_element(c.cvm.begin(), c.cvm.end());
  EXPECT_EQ(c.cvm[c.index_min], least);
  for (std::size_t k = 0; k < c.index_min; ++k) EXPECT_GT(c.cvm[k], least);
  const double bound = c.cvm[c.index_min] + c.cvsd[c.index_min];
  EXPECT_LE(c.cvm[c.index_1se], bound);
  for (std::size_t k = 0; k < c.index_1se; ++k) EXPECT_GT(c.cvm[k], bound);
  EXPECT_GE(c.lambda_1se, c.lambda_min);
  // random folds: balanced, reproducible with the seed, different with another
  std::vector<int> sizes(5, 0);
  for (int id : r.foldid) ++sizes[std::size_t(id - 1)];
  for (int s : sizes) EXPECT_EQ(s, 24);
  EXPECT_EQ(cross_validate(pr.view(), pr.y.data(), o, cv).foldid, r.foldid);
  cv.seed = 2;
  EXPECT_NE(cross_validate(pr.view(), pr.y.data(), o, cv).foldid, r.foldid);
}

void expect_bad_folds(const std::vector<int>& foldid, int nfolds, const std::string& needle) {
  const Problem pr = random_problem(12, 3, 0.0, 1);
  Options o;
  o.device = Device::cpu;
  o.nlambda = 3;
  CvOptions cv;
  cv.foldid = foldid;
  cv.nfolds = nfolds;
  try {
    cross_validate(pr.view(), pr.y.data(), o, cv);
    FAIL() << "accepted; expected an error containing '" << needle << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(CrossValidationFolds, BadFoldIdsAreClearErrors) {
  expect_bad_folds({1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2}, 10, "11 entries for 12 observations");
  expect_bad_folds({1, 2, 3, 1, 2, 3, 0, 2, 3, 1, 2, 3}, 10, "row 7: 0");
  expect_bad_folds({1, 2, 4, 1, 2, 4, 1, 2, 4, 1, 2, 4}, 10, "fold 3 has no rows");
  expect_bad_folds({1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2}, 10, "at least 3");
  expect_bad_folds({}, 2, "nfolds = 2");
  expect_bad_folds({}, 13, "nfolds = 13");
  expect_bad_folds({}, 13, "number of observations (12)");
}

}  // namespace
}  // namespace regpath::test
