// Cross-validation through the C API (regpath_cv_d/_s, regpath_cv_csc_d/_s, the curve
// accessors, regpath_model_from_cv): the C++ cross_validate bit for bit (test_cv.cpp and the
// family tests check that against cv.glmnet), and bad cv options refused with a code and a
// message naming them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "multinomial_support.hpp"
#include "reference_data.hpp"
#include "regpath/regpath.h"

namespace regpath::test {
namespace {

using CvPtr = std::unique_ptr<regpath_cv, void (*)(regpath_cv*)>;
CvPtr owned(regpath_cv* cv) { return CvPtr(cv, regpath_cv_free); }

std::vector<double> path_coefs(const regpath_path* p) {
  const std::int64_t m =
      regpath_path_nlambda(p) * std::max<std::int64_t>(regpath_path_nclasses(p), 1);
  std::vector<double> c(std::size_t(regpath_path_nfeatures(p) * m));
  EXPECT_EQ(regpath_path_coefs(p, c.data()), REGPATH_OK);
  return c;
}

// Every accessor of `got` against the C++ result.
void expect_the_cpp_cv(const regpath_cv* got, const CvResult& want, std::int64_t n) {
  ASSERT_EQ(regpath_cv_ncurves(got), std::int64_t(want.curves.size()));
  std::int64_t best = -1;
  int nfolds = 0, measure = -1;
  ASSERT_EQ(regpath_cv_summary(got, &best, &nfolds, &measure), REGPATH_OK);
  EXPECT_EQ(best, std::int64_t(want.best));
  EXPECT_EQ(nfolds, want.nfolds);
  EXPECT_EQ(measure, int(want.measure));
  std::vector<int> foldid(static_cast<std::size_t>(n));
  ASSERT_EQ(regpath_cv_foldid(got, foldid.data()), REGPATH_OK);
  EXPECT_EQ(foldid, want.foldid);
  for (std::size_t k = 0; k < want.curves.size(); ++k) {
    const CvCurve& w = want.curves[k];
    const auto curve = std::int64_t(k);
    const std::int64_t nl = regpath_cv_nlambda(got, curve);
    ASSERT_EQ(nl, std::int64_t(w.lambdas.size())) << "curve " << k;
    const auto count = static_cast<std::size_t>(nl);
    std::vector<double> lambdas(count), cvm(count), cvsd(count);
    std::vector<std::int64_t> nzero(count);
    double alpha = -1, lmin = 0, l1se = 0;
    EXPECT_EQ(regpath_cv_alpha(got, curve, &alpha), REGPATH_OK);
    EXPECT_EQ(regpath_cv_lambdas(got, curve, lambdas.data()), REGPATH_OK);
    EXPECT_EQ(regpath_cv_cvm(got, curve, cvm.data()), REGPATH_OK);
    EXPECT_EQ(regpath_cv_cvsd(got, curve, cvsd.data()), REGPATH_OK);
    EXPECT_EQ(regpath_cv_nzero(got, curve, nzero.data()), REGPATH_OK);
    EXPECT_EQ(regpath_cv_lambda_choice(got, curve, &lmin, &l1se), REGPATH_OK);
    EXPECT_EQ(alpha, w.alpha);
    EXPECT_EQ(lambdas, w.lambdas) << "curve " << k;
    EXPECT_EQ(cvm, w.cvm) << "curve " << k;
    EXPECT_EQ(cvsd, w.cvsd) << "curve " << k;
    EXPECT_EQ(nzero, w.nzero) << "curve " << k;
    EXPECT_EQ(lmin, w.lambda_min);
    EXPECT_EQ(l1se, w.lambda_1se);
    const regpath_path* path = regpath_cv_path(got, curve);
    ASSERT_NE(path, nullptr) << regpath_last_error();
    EXPECT_EQ(path_coefs(path), w.path.coefs) << "curve " << k;
  }
}

TEST(CApiCv, GaussianWithAlphasAndWeightsIsTheCppCv) {
  const Problem pr = load_problem("penalty_gauss");
  std::vector<double> w(static_cast<std::size_t>(pr.n));
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = 0.5 + double(i % 4);
  regpath_options c;
  regpath_options_init(&c);
  c.device = REGPATH_DEVICE_CPU;
  c.nlambda = 30;
  c.weights = w.data();
  const std::vector<double> alphas = {1.0, 0.5};
  regpath_cv_options cv;
  regpath_cv_options_init(&cv);
  EXPECT_EQ(cv.nfolds, 10);
  EXPECT_EQ(cv.seed, 1u);
  cv.nfolds = 5;
  cv.seed = 7;
  cv.alphas = alphas.data();
  cv.n_alphas = 2;
  regpath_cv* raw = nullptr;
  ASSERT_EQ(regpath_cv_d(&c, &cv, pr.n, pr.p, pr.X.data(), pr.n, pr.y.data(), &raw),
            REGPATH_OK)
      << regpath_last_error();
  CvPtr got = owned(raw);
  Options o;
  o.device = Device::cpu;
  o.nlambda = 30;
  o.weights = w;
  o.glmnet_y_scaling = false;  // the C field's 0 (the C++ cv's default, unset, is on)
  CvOptions want_cv;
  want_cv.nfolds = 5;
  want_cv.seed = 7;
  want_cv.alphas = alphas;
  const CvResult want = cross_validate(pr.view(), pr.y.data(), o, want_cv);
  expect_the_cpp_cv(got.get(), want, pr.n);

  // float data: the C++ float cv
  const std::vector<float> Xf(pr.X.begin(), pr.X.end()), yf(pr.y.begin(), pr.y.end());
  ASSERT_EQ(regpath_cv_s(&c, &cv, pr.n, pr.p, Xf.data(), pr.n, yf.data(), &raw), REGPATH_OK)
      << regpath_last_error();
  expect_the_cpp_cv(owned(raw).get(),
                    cross_validate(MatrixView<float>{Xf.data(), pr.n, pr.p, pr.n}, yf.data(), o,
                                   want_cv),
                    pr.n);

  // the cv's model: the best curve, lambda.min and lambda.1se, and its predictions
  regpath_model* model = nullptr;
  ASSERT_EQ(regpath_model_from_cv(got.get(), &c, nullptr, pr.n, pr.X.data(), pr.n, &model),
            REGPATH_OK)
      << regpath_last_error();
  std::unique_ptr<regpath_model, void (*)(regpath_model*)> m(model, regpath_model_free);
  double lmin = 0, l1se = 0;
  ASSERT_EQ(regpath_model_cv_lambdas(model, &lmin, &l1se), REGPATH_OK) << regpath_last_error();
  EXPECT_EQ(lmin, want.curves[want.best].lambda_min);
  EXPECT_EQ(l1se, want.curves[want.best].lambda_1se);
  const Model cpp = make_model(want, o, {}, nullptr);
  const std::int64_t rows = 9;
  std::vector<double> pred(static_cast<std::size_t>(rows));
  ASSERT_EQ(regpath_predict_d(model, rows, pr.X.data(), pr.n, 1, &l1se, REGPATH_PREDICT_LINK,
                              pred.data()),
            REGPATH_OK)
      << regpath_last_error();
  EXPECT_EQ(pred, predict(cpp, MatrixView<double>{pr.X.data(), rows, pr.p, pr.n}, {l1se},
                          PredictType::link));
}

TEST(CApiCv, BinomialWithFoldIdsAndAMeasureIsTheCppCv) {
  const Problem pr = load_problem("binom_tall");
  std::vector<int> foldid(static_cast<std::size_t>(pr.n));
  for (std::size_t i = 0; i < foldid.size(); ++i) foldid[i] = int(i % 4) + 1;
  regpath_options c;
  regpath_options_init(&c);
  c.family = REGPATH_BINOMIAL;
  c.device = REGPATH_DEVICE_CPU;
  c.nlambda = 20;
  regpath_cv_options cv;
  regpath_cv_options_init(&cv);
  cv.nfolds = 4;
  cv.foldid = foldid.data();
  cv.type_measure = REGPATH_MEASURE_CLASS;
  regpath_cv* raw = nullptr;
  ASSERT_EQ(regpath_cv_d(&c, &cv, pr.n, pr.p, pr.X.data(), pr.n, pr.y.data(), &raw),
            REGPATH_OK)
      << regpath_last_error();
  Options o;
  o.family = Family::binomial;
  o.device = Device::cpu;
  o.nlambda = 20;
  CvOptions want_cv;
  want_cv.nfolds = 4;
  want_cv.foldid = foldid;
  want_cv.type_measure = CvMeasure::misclassification;
  expect_the_cpp_cv(owned(raw).get(), cross_validate(pr.view(), pr.y.data(), o, want_cv), pr.n);

  // a CSC X: the sparse cv (every entry stored)
  std::vector<std::int64_t> col_ptr(static_cast<std::size_t>(pr.p + 1)), row_idx;
  for (std::int64_t j = 0; j < pr.p; ++j) {
    for (std::int64_t i = 0; i < pr.n; ++i) row_idx.push_back(i);
    col_ptr[std::size_t(j + 1)] = std::int64_t(row_idx.size());
  }
  ASSERT_EQ(regpath_cv_csc_d(&c, &cv, pr.n, pr.p, col_ptr.data(), row_idx.data(), pr.X.data(),
                             pr.y.data(), &raw),
            REGPATH_OK)
      << regpath_last_error();
  const SparseMatrixView<double> sparse{pr.n, pr.p, std::int64_t(row_idx.size()),
                                        col_ptr.data(), row_idx.data(), pr.X.data()};
  expect_the_cpp_cv(owned(raw).get(), cross_validate(sparse, pr.y.data(), o, want_cv), pr.n);
}

TEST(CApiCv, MultinomialGroupedWithAnOffsetIsTheCppCv) {
  const MultinomialData d = load_multinomial_data();
  const std::vector<double> ids = cli::read_csv(data_path("multinom_cv_foldid.csv")).columns[0];
  const std::vector<int> foldid(ids.begin(), ids.end());
  regpath_options c;
  regpath_options_init(&c);
  c.family = REGPATH_MULTINOMIAL;
  c.device = REGPATH_DEVICE_CPU;
  c.tol = 1e-9;
  regpath_cv_options cv;
  regpath_cv_options_init(&cv);
  cv.nfolds = 5;
  cv.foldid = foldid.data();
  cv.offset = d.offset.data();
  cv.type_multinomial = REGPATH_MULTINOMIAL_GROUPED;
  regpath_cv* raw = nullptr;
  ASSERT_EQ(regpath_cv_d(&c, &cv, d.n, d.p, d.X.data(), d.n, d.y.data(), &raw), REGPATH_OK)
      << regpath_last_error();
  CvPtr got = owned(raw);
  Options o = multinomial_options(1.0, true);
  o.tol = 1e-9;
  o.offset = d.offset;
  CvOptions want_cv;
  want_cv.nfolds = 5;
  want_cv.foldid = foldid;
  expect_the_cpp_cv(got.get(), cross_validate(d.view(), d.y.data(), o, want_cv), d.n);
  EXPECT_EQ(regpath_path_nclasses(regpath_cv_path(got.get(), 0)), 3);
}

void expect_refused(int code, const char* word) {
  EXPECT_EQ(code, REGPATH_ERROR_INVALID_ARGUMENT) << regpath_last_error();
  EXPECT_NE(std::string(regpath_last_error()).find(word), std::string::npos)
      << regpath_last_error();
}

TEST(CApiCv, BadCvOptionsAreRefusedByName) {
  const Problem pr = load_problem("penalty_gauss");
  regpath_options c;
  regpath_options_init(&c);
  c.device = REGPATH_DEVICE_CPU;
  c.nlambda = 5;
  regpath_cv_options cv;
  regpath_cv* raw = nullptr;
  const auto run = [&] {
    return regpath_cv_d(&c, &cv, pr.n, pr.p, pr.X.data(), pr.n, pr.y.data(), &raw);
  };
  const auto fresh = [&] { regpath_cv_options_init(&cv); };
  fresh();
  cv.reserved[3] = 1;
  expect_refused(run(), "reserved[3]");
  EXPECT_EQ(raw, nullptr);
  fresh();
  cv.type_measure = 9;
  expect_refused(run(), "type_measure");
  fresh();
  cv.n_alphas = 2;
  expect_refused(run(), "alphas");
  fresh();
  cv.nfolds = 2;
  expect_refused(run(), "nfolds");
  fresh();
  std::vector<int> foldid(static_cast<std::size_t>(pr.n), 1);
  foldid[4] = 0;
  cv.nfolds = 3;
  cv.foldid = foldid.data();
  expect_refused(run(), "row 5");
  fresh();
  cv.type_multinomial = REGPATH_MULTINOMIAL_GROUPED;
  expect_refused(run(), "REGPATH_MULTINOMIAL");
  fresh();
  expect_refused(regpath_cv_d(&c, nullptr, pr.n, pr.p, pr.X.data(), pr.n, pr.y.data(), &raw),
                 "cv_options");
  // the accessors on a NULL cv or a curve out of range
  EXPECT_EQ(regpath_cv_ncurves(nullptr), -1);
  EXPECT_EQ(regpath_cv_path(nullptr, 0), nullptr);
  ASSERT_EQ(run(), REGPATH_OK) << regpath_last_error();
  CvPtr got = owned(raw);
  EXPECT_EQ(regpath_cv_nlambda(got.get(), 1), -1);
  EXPECT_NE(std::string(regpath_last_error()).find("curve"), std::string::npos);
  double value = 0;
  expect_refused(regpath_cv_alpha(got.get(), -1, &value), "curve");
  expect_refused(regpath_cv_cvm(got.get(), 0, nullptr), "out");
  regpath_cv_free(nullptr);
}

}  // namespace
}  // namespace regpath::test
