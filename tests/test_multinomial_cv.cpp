// cross_validate() for family multinomial against cv.glmnet 4.1 on fixed folds
// (scripts/make_multinomial_cv_reference.R): deviance, class, mse and mae, ungrouped and
// grouped, glmnet's automatic path (each fold on its own, interpolated at the full-data λ) and a
// given λ list, with weights and an offset matrix. A sparse X gives the dense X's curves; the
// folds' fits are fit()'s on their training rows; what cv refuses names the fold or measure.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "multinomial_support.hpp"
#include "reference_data.hpp"
#include "regpath/regpath.hpp"
#include "sparse_support.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

struct RefCurve {
  bool grouped = false, given = false;
  int options = 0;  // 1: weights and an offset, 2: limits
  double alpha = 1;
  int measure = 1;
  std::vector<double> lambdas, cvm, cvsd, nzero;
  std::size_t index_min = 0, index_1se = 0;
};

std::map<int, RefCurve> load_reference() {
  const cli::CsvTable t = cli::read_csv(data_path("multinom_cv.csv"));
  std::map<int, RefCurve> out;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    RefCurve& c = out[int(t.columns[0][i])];
    c.grouped = t.columns[1][i] != 0;
    c.alpha = t.columns[2][i];
    c.measure = int(t.columns[3][i]);
    c.given = t.columns[4][i] != 0;
    c.options = int(t.columns[5][i]);
    if (t.columns[10][i] != 0) c.index_min = c.lambdas.size();
    if (t.columns[11][i] != 0) c.index_1se = c.lambdas.size();
    c.lambdas.push_back(t.columns[6][i]);
    c.cvm.push_back(t.columns[7][i]);
    c.cvsd.push_back(t.columns[8][i]);
    c.nzero.push_back(t.columns[9][i]);
  }
  return out;
}

std::vector<int> load_foldid() {
  const cli::CsvTable t = cli::read_csv(data_path("multinom_cv_foldid.csv"));
  std::vector<int> id;
  for (const double v : t.columns[0]) id.push_back(int(v));
  return id;
}

const CvMeasure kMeasures[] = {CvMeasure::deviance, CvMeasure::misclassification,
                               CvMeasure::mse, CvMeasure::mae};

TEST(MultinomialCv, AgainstCvGlmnet) {
  const MultinomialData d = load_multinomial_data();
  const std::map<int, RefCurve> ref = load_reference();
  ASSERT_EQ(ref.size(), 10u);
  CvOptions cv;
  cv.foldid = load_foldid();
  cv.nfolds = 5;
  for (const auto& [id, want] : ref) {
    Options o = multinomial_options(want.alpha, want.grouped);
    if (want.given) o.lambdas = want.lambdas;
    if (want.options == 1) {
      o.weights = d.w;
      o.offset = d.offset;
    }
    if (want.options == 2) {  // the script's LOWER and UPPER
      o.lower_limits = {-0.15};
      o.upper_limits = {0.25, 0.1, INFINITY, 0.2, 0.3, 0.05, 0.2, 0.3};
    }
    cv.type_measure = kMeasures[want.measure - 1];
    const CvResult r = cross_validate(d.view(), d.y.data(), o, cv);
    const std::string where = "case " + std::to_string(id) + " (" +
                              to_string(cv.type_measure) + ")";
    EXPECT_EQ(r.measure, cv.type_measure) << where;
    ASSERT_EQ(r.curves.size(), 1u) << where;
    const CvCurve& c = r.curves[0];
    // the automatic path's length is glmnet's (its deviance rule), its λ glmnet's to rounding
    EXPECT_TRUE(all_near(c.lambdas, want.lambdas, 1e-10, 0, where + " lambdas"));
    EXPECT_TRUE(all_near(c.cvm, want.cvm, 1e-5, 1e-12, where + " cvm"));
    EXPECT_TRUE(all_near(c.cvsd, want.cvsd, 1e-4, 1e-12, where + " cvsd"));
    // glmnet's first λ of a path with an offset is its own λ_max, to 1e-10 (it solves that
    // null model iteratively), where the exact solution may keep a coefficient of 1e-10
    const std::size_t from = want.given && want.options == 1 ? 1 : 0;
    const std::vector<double> nzero(c.nzero.begin() + std::ptrdiff_t(from), c.nzero.end()),
        want_nzero(want.nzero.begin() + std::ptrdiff_t(from), want.nzero.end());
    EXPECT_TRUE(all_near(nzero, want_nzero, 0, 0, where + " nzero"));
    EXPECT_EQ(c.index_min, want.index_min) << where;
    EXPECT_EQ(c.index_1se, want.index_1se) << where;
    EXPECT_EQ(c.path.n_classes, 3) << where;
    ASSERT_EQ(c.fold_paths.size(), 5u) << where;
    EXPECT_EQ(c.path_ended_early, !want.given) << where;
  }
}

// Each fold's path is fit()'s on the fold's training rows (with their weights and offsets), at
// the fold's own automatic λ.
TEST(MultinomialCv, FoldPathsAreTheFitsOfTheirTrainingRows) {
  const MultinomialData d = load_multinomial_data();
  Options o = multinomial_options(0.5, false);
  o.tol = 1e-9;
  o.weights = d.w;
  o.offset = d.offset;
  CvOptions cv;
  cv.foldid = load_foldid();
  cv.nfolds = 5;
  const CvResult r = cross_validate(d.view(), d.y.data(), o, cv);
  const int f = 2;
  MultinomialData train;
  std::vector<double> offset;
  Options fo = o;
  fo.weights.clear();
  for (std::int64_t c = 0; c < 3; ++c)
    for (std::int64_t i = 0; i < d.n; ++i)
      if (cv.foldid[std::size_t(i)] != f + 1) offset.push_back(d.offset[std::size_t(c * d.n + i)]);
  for (std::int64_t i = 0; i < d.n; ++i)
    if (cv.foldid[std::size_t(i)] != f + 1) {
      train.y.push_back(d.y[std::size_t(i)]);
      fo.weights.push_back(d.w[std::size_t(i)]);
    }
  train.n = std::int64_t(train.y.size());
  train.p = d.p;
  for (std::int64_t j = 0; j < d.p; ++j)
    for (std::int64_t i = 0; i < d.n; ++i)
      if (cv.foldid[std::size_t(i)] != f + 1) train.X.push_back(d.X[std::size_t(i + j * d.n)]);
  fo.offset = offset;
  const Path own = fit(train.view(), train.y.data(), fo);
  const Path& fold = r.curves[0].fold_paths[std::size_t(f)];
  ASSERT_LE(fold.lambdas.size(), own.lambdas.size());
  ASSERT_LT(fold.lambdas.size(), own.lambdas.size()) << "glmnet's rule ends the fold's path";
  for (std::size_t k = 0; k < fold.lambdas.size(); ++k) EXPECT_EQ(fold.lambdas[k], own.lambdas[k]);
  for (std::size_t k = 0; k < fold.coefs.size(); ++k) EXPECT_EQ(fold.coefs[k], own.coefs[k]);
}

TEST(MultinomialCv, SparseXGivesTheDenseCurves) {
  MultinomialData d = load_multinomial_data();
  for (double& v : d.X)
    if (std::fabs(v) < 0.6) v = 0;
  const regpath_test::Csc X = regpath_test::to_csc(d.X, d.n, d.p);
  for (const bool grouped : {false, true}) {
    Options o = multinomial_options(0.8, grouped);
    o.tol = 1e-12;
    CvOptions cv;
    cv.nfolds = 4;
    cv.seed = 7;
    cv.type_measure = CvMeasure::mse;
    cv.alphas = {1.0, 0.5};
    const CvResult dense = cross_validate(d.view(), d.y.data(), o, cv);
    const CvResult sparse = cross_validate(X.view(), d.y.data(), o, cv);
    ASSERT_EQ(sparse.curves.size(), 2u);
    EXPECT_EQ(sparse.best, dense.best);
    for (std::size_t a = 0; a < 2; ++a) {
      const std::string where = std::string(grouped ? "grouped" : "ungrouped") + " alpha " +
                                std::to_string(cv.alphas[a]);
      EXPECT_TRUE(all_near(sparse.curves[a].lambdas, dense.curves[a].lambdas, 1e-12, 0,
                           where + " lambdas"));
      EXPECT_TRUE(all_near(sparse.curves[a].cvm, dense.curves[a].cvm, 1e-8, 1e-14,
                           where + " cvm"));
      EXPECT_EQ(sparse.curves[a].index_min, dense.curves[a].index_min) << where;
    }
  }
}

TEST(MultinomialCv, RefusesWhatItCannotMeasure) {
  const MultinomialData d = load_multinomial_data();
  Options o = multinomial_options(1, false);
  o.nlambda = 5;
  CvOptions cv;
  cv.type_measure = CvMeasure::auc;
  EXPECT_THROW(
      {
        try {
          cross_validate(d.view(), d.y.data(), o, cv);
        } catch (const std::invalid_argument& e) {
          EXPECT_NE(std::string(e.what()).find("auc: it needs family binomial, not multinomial"),
                    std::string::npos)
              << e.what();
          throw;
        }
      },
      std::invalid_argument);
  // fold 2 holds all rows of class 2 but one: its training rows have only that one
  const std::vector<double>& y = d.y;
  cv.type_measure = CvMeasure::deviance;
  cv.nfolds = 3;
  cv.foldid.assign(std::size_t(d.n), 1);
  int kept = 0;
  for (std::int64_t i = 0; i < d.n; ++i) {
    if (i % 3 == 0) cv.foldid[std::size_t(i)] = 2;
    if (i % 3 == 1) cv.foldid[std::size_t(i)] = 3;
    if (y[std::size_t(i)] == 2) cv.foldid[std::size_t(i)] = kept++ == 0 ? 1 : 2;
  }
  try {
    cross_validate(d.view(), y.data(), o, cv);
    ADD_FAILURE() << "a fold without 2 rows of a class was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("fold 2: its training rows"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("1 of class 2"), std::string::npos) << e.what();
  }
  o.device = Device::cuda;
  cv = CvOptions{};
  EXPECT_THROW(cross_validate(d.view(), d.y.data(), o, cv), std::invalid_argument);
}

// regpath cv --family multinomial: labels 10, 20, 30, an offset per class, weights and fold ids
// from files, --type-measure class: CV.csv is the library's curve, --path-output the full-data
// path in regpath fit's multinomial layout with each (λ, class) row marked.
TEST(MultinomialCvCli, WritesTheCurveAndTheMarkedPath) {
  const MultinomialData d = load_multinomial_data();
  std::string csv = "label";
  for (std::int64_t j = 0; j < d.p; ++j) csv += ",x" + std::to_string(j + 1);
  csv += ",o0,o1,o2\n";
  for (std::int64_t i = 0; i < d.n; ++i) {
    csv += cli::format_number(10 * (d.y[std::size_t(i)] + 1));
    for (std::int64_t j = 0; j < d.p; ++j)
      csv += "," + cli::format_number(d.X[std::size_t(i + j * d.n)]);
    for (std::int64_t c = 0; c < 3; ++c)
      csv += "," + cli::format_number(d.offset[std::size_t(i + c * d.n)]);
    csv += "\n";
  }
  std::string weights, folds;
  const std::vector<int> foldid = load_foldid();
  for (std::int64_t i = 0; i < d.n; ++i) {
    weights += cli::format_number(d.w[std::size_t(i)]) + "\n";
    folds += std::to_string(foldid[std::size_t(i)]) + "\n";
  }
  const std::string data = temp_file("data.csv", csv), out = temp_path("cv.csv"),
                    path = temp_path("path.csv");
  const CliRun r = run_cli("cv " + data + " --response label --family multinomial --offset "
                           "o0,o1,o2 --weights " + temp_file("w.csv", weights) + " --foldid " +
                           temp_file("folds.csv", folds) + " --type-measure class --tol 1e-10 "
                           "--type-multinomial grouped --quiet --output " + out +
                           " --path-output " + path);
  ASSERT_EQ(r.status, 0) << r.output;
  Options o = multinomial_options(1, true);
  o.tol = 1e-10;
  o.weights = d.w;
  o.offset = d.offset;
  CvOptions cv;
  cv.foldid = foldid;
  cv.type_measure = CvMeasure::misclassification;
  const CvResult lib = cross_validate(d.view(), d.y.data(), o, cv);
  const CvCurve& c = lib.curves[0];
  const cli::CsvTable curve = cli::read_csv(out);
  ASSERT_EQ(curve.rows(), c.lambdas.size());
  EXPECT_TRUE(all_near(curve.columns[0], c.lambdas, 0, 0, "lambda"));
  EXPECT_TRUE(all_near(curve.columns[1], c.cvm, 0, 0, "cvm"));
  EXPECT_TRUE(contains(r.out, "lambda.min " + cli::format_number(c.lambda_min))) << r.out;
  const cli::CsvTable p = cli::read_csv(path);
  ASSERT_EQ(p.rows(), 3 * c.lambdas.size());
  ASSERT_EQ(p.cols(), std::size_t(3 + d.p + 2));
  EXPECT_EQ(p.names[1], "class");
  for (std::size_t row = 0; row < p.rows(); ++row) {
    const std::size_t k = row / 3;
    EXPECT_EQ(p.columns[1][row], 10.0 * double(row % 3 + 1));
    EXPECT_EQ(p.columns[2][row], c.path.multinomial_intercept(std::int64_t(k),
                                                              std::int64_t(row % 3)));
    EXPECT_EQ(p.columns[3 + std::size_t(d.p)][row], k == c.index_min ? 1.0 : 0.0) << row;
    EXPECT_EQ(p.columns[4 + std::size_t(d.p)][row], k == c.index_1se ? 1.0 : 0.0) << row;
  }
  const CliRun auc = run_cli("cv " + data + " --response label --family multinomial "
                             "--type-measure auc --output " + out);
  EXPECT_EQ(auc.status, 2) << auc.output;
  EXPECT_TRUE(contains(auc.err, "--type-measure auc needs --family binomial")) << auc.err;
}

}  // namespace
}  // namespace regpath::test
