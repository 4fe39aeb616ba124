// Family multinomial through the C API (REGPATH_MULTINOMIAL, regpath_fit_multinomial_d/_s,
// regpath_path_nclasses): the C++ fit bit for bit, glmnet's coefficients through the C layout
// (tests/data/multinom_ref.csv, scripts/make_multinomial_reference.R), its models (version 7)
// as the C++ ones, and what it does not take refused with a code and a message naming it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "multinomial_support.hpp"
#include "regpath/regpath.h"
#include "temp_dir.hpp"

namespace regpath::test {
namespace {

using PathPtr = std::unique_ptr<regpath_path, void (*)(regpath_path*)>;

PathPtr owned(regpath_path* p) { return PathPtr(p, regpath_path_free); }

struct CPath {
  std::int64_t nlambda = 0, p = 0, C = 0;
  std::vector<double> lambdas, intercepts, coefs, dev_ratio;
};

CPath read_c_path(const regpath_path* path) {
  CPath c;
  c.nlambda = regpath_path_nlambda(path);
  c.p = regpath_path_nfeatures(path);
  c.C = regpath_path_nclasses(path);
  const auto k = std::size_t(c.nlambda);
  const auto m = std::size_t(c.nlambda * std::max<std::int64_t>(c.C, 1));  // λ × class columns
  c.lambdas.resize(k);
  c.dev_ratio.resize(k);
  c.intercepts.resize(m);
  c.coefs.resize(std::size_t(c.p) * m);
  EXPECT_EQ(regpath_path_lambdas(path, c.lambdas.data()), REGPATH_OK);
  EXPECT_EQ(regpath_path_dev_ratio(path, c.dev_ratio.data()), REGPATH_OK);
  EXPECT_EQ(regpath_path_intercepts(path, c.intercepts.data()), REGPATH_OK);
  EXPECT_EQ(regpath_path_coefs(path, c.coefs.data()), REGPATH_OK);
  return c;
}

void expect_the_cpp_path(const CPath& got, const Path& want) {
  EXPECT_EQ(got.C, want.n_classes);
  EXPECT_EQ(got.lambdas, want.lambdas);
  EXPECT_EQ(got.intercepts, want.intercepts);
  EXPECT_EQ(got.coefs, want.coefs);
  EXPECT_EQ(got.dev_ratio, want.dev_ratio);
}

regpath_options c_options(double alpha) {
  regpath_options c;
  regpath_options_init(&c);
  c.family = REGPATH_MULTINOMIAL;
  c.device = REGPATH_DEVICE_CPU;
  c.alpha = alpha;
  c.tol = 1e-12;
  return c;
}

TEST(CApiMultinomial, FitIsTheCppFitUngroupedAndGroupedWithAnOffset) {
  const MultinomialData d = load_multinomial_data();
  regpath_options c = c_options(0.5);
  c.nlambda = 15;
  c.weights = d.w.data();
  regpath_path* raw = nullptr;
  // regpath_fit_d: ungrouped, no offset
  ASSERT_EQ(regpath_fit_d(&c, d.n, d.p, d.X.data(), d.n, d.y.data(), &raw), REGPATH_OK)
      << regpath_last_error();
  PathPtr plain = owned(raw);
  Options o = multinomial_options(0.5, false);
  o.nlambda = 15;
  o.weights = d.w;
  expect_the_cpp_path(read_c_path(plain.get()), fit(d.view(), d.y.data(), o));
  EXPECT_EQ(read_c_path(plain.get()).C, 3);

  // regpath_fit_multinomial_d: grouped, glmnet's n × C offset
  ASSERT_EQ(regpath_fit_multinomial_d(&c, d.n, d.p, d.X.data(), d.n, d.y.data(),
                                      REGPATH_MULTINOMIAL_GROUPED, d.offset.data(), &raw),
            REGPATH_OK)
      << regpath_last_error();
  PathPtr grouped = owned(raw);
  o.type_multinomial = MultinomialType::grouped;
  o.offset = d.offset;
  const Path want = fit(d.view(), d.y.data(), o);
  expect_the_cpp_path(read_c_path(grouped.get()), want);
  EXPECT_NE(read_c_path(grouped.get()).coefs, read_c_path(plain.get()).coefs);

  // float data: the C++ float fit
  const std::vector<float> Xf(d.X.begin(), d.X.end()), yf(d.y.begin(), d.y.end());
  ASSERT_EQ(regpath_fit_multinomial_s(&c, d.n, d.p, Xf.data(), d.n, yf.data(),
                                      REGPATH_MULTINOMIAL_GROUPED, d.offset.data(), &raw),
            REGPATH_OK)
      << regpath_last_error();
  PathPtr single = owned(raw);
  expect_the_cpp_path(read_c_path(single.get()),
                      fit(MatrixView<float>{Xf.data(), d.n, d.p, d.n}, yf.data(), o));
  // a CSC X (every entry stored): the sparse fit, ungrouped, the dense path to rounding
  std::vector<std::int64_t> col_ptr(std::size_t(d.p + 1)), row_idx;
  for (std::int64_t j = 0; j < d.p; ++j) {
    for (std::int64_t i = 0; i < d.n; ++i) row_idx.push_back(i);
    col_ptr[std::size_t(j + 1)] = std::int64_t(row_idx.size());
  }
  c.weights = nullptr;
  ASSERT_EQ(regpath_fit_csc_d(&c, d.n, d.p, col_ptr.data(), row_idx.data(), d.X.data(),
                              d.y.data(), &raw),
            REGPATH_OK)
      << regpath_last_error();
  const CPath sparse = read_c_path(owned(raw).get());
  ASSERT_EQ(regpath_fit_d(&c, d.n, d.p, d.X.data(), d.n, d.y.data(), &raw), REGPATH_OK);
  const CPath dense = read_c_path(owned(raw).get());
  ASSERT_EQ(sparse.C, 3);
  ASSERT_EQ(sparse.coefs.size(), dense.coefs.size());
  for (std::size_t k = 0; k < dense.coefs.size(); ++k)
    EXPECT_NEAR(sparse.coefs[k], dense.coefs[k], 1e-9) << "coefficient " << k;
  // a path of another family has no classes
  regpath_options g;
  regpath_options_init(&g);
  g.device = REGPATH_DEVICE_CPU;
  ASSERT_EQ(regpath_fit_d(&g, d.n, d.p, d.X.data(), d.n, d.y.data(), &raw), REGPATH_OK);
  EXPECT_EQ(regpath_path_nclasses(owned(raw).get()), 0);
  EXPECT_EQ(regpath_path_nclasses(nullptr), -1);
}

// glmnet's coef() of the four cases of make_multinomial_reference.R through the C layout:
// intercepts[k·C + c], coefs column k·C + c.
TEST(CApiMultinomial, CoefficientsAreGlmnets) {
  const MultinomialData d = load_multinomial_data();
  const cli::CsvTable ref = cli::read_csv(data_path("multinom_ref.csv"));
  const auto& col = [&](const char* name) -> const std::vector<double>& {
    return ref.columns[ref.column_index(name)];
  };
  const std::vector<double>& cases = col("case");
  for (int k = 1; k <= 4; ++k) {
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < cases.size(); ++r)
      if (cases[r] == k) rows.push_back(r);
    std::vector<double> lambdas;
    for (std::size_t r = 0; r < rows.size(); r += 3) lambdas.push_back(col("lambda")[rows[r]]);
    regpath_options c = c_options(col("alpha")[rows[0]]);
    c.lambdas = lambdas.data();
    c.n_lambdas = std::int64_t(lambdas.size());
    const int type = col("grouped")[rows[0]] == 1 ? REGPATH_MULTINOMIAL_GROUPED
                                                  : REGPATH_MULTINOMIAL_UNGROUPED;
    regpath_path* raw = nullptr;
    ASSERT_EQ(regpath_fit_multinomial_d(&c, d.n, d.p, d.X.data(), d.n, d.y.data(), type,
                                        nullptr, &raw),
              REGPATH_OK)
        << regpath_last_error();
    const CPath got = read_c_path(owned(raw).get());
    ASSERT_EQ(got.C, 3);
    ASSERT_EQ(got.nlambda * 3, std::int64_t(rows.size()));
    for (std::size_t r = 0; r < rows.size(); ++r) {  // one row per (λ, class), in that order
      const std::size_t row = rows[r];
      double scale = 0, err = std::abs(got.intercepts[r] - col("a0")[row]);
      for (std::int64_t j = 0; j < d.p; ++j) {
        const double want = ref.columns[std::size_t(6 + j)][row];
        scale = std::max(scale, std::abs(want));
        err = std::max(err, std::abs(got.coefs[std::size_t(j) + r * std::size_t(d.p)] - want));
      }
      EXPECT_LE(err, 1e-5 * std::max(scale, 1.0))
          << "case " << k << ", row " << r << " (λ " << r / 3 << ", class " << r % 3 << ")";
    }
  }
}

void expect_refused(int code, const char* word) {
  EXPECT_EQ(code, REGPATH_ERROR_INVALID_ARGUMENT) << regpath_last_error();
  EXPECT_NE(std::string(regpath_last_error()).find(word), std::string::npos)
      << regpath_last_error();
}

TEST(CApiMultinomial, WhatItDoesNotTakeIsRefusedByName) {
  const MultinomialData d = load_multinomial_data();
  regpath_options c = c_options(1.0);
  c.nlambda = 5;
  regpath_path* raw = nullptr;
  expect_refused(regpath_fit_multinomial_d(&c, d.n, d.p, d.X.data(), d.n, d.y.data(), 2,
                                           nullptr, &raw),
                 "type_multinomial");
  EXPECT_EQ(raw, nullptr);
  // one offset per row would cancel in the softmax
  const std::vector<double> per_row(std::size_t(d.n), 0.5);
  expect_refused(regpath_fit_offset_d(&c, d.n, d.p, d.X.data(), d.n, d.y.data(),
                                      per_row.data(), &raw),
                 "n × C offset");
  // labels checked before the offset's n × C values are read
  std::vector<double> y = d.y;
  y[7] = 1.5;
  expect_refused(regpath_fit_multinomial_d(&c, d.n, d.p, d.X.data(), d.n, y.data(),
                                           REGPATH_MULTINOMIAL_UNGROUPED, d.offset.data(), &raw),
                 "row 8");
  y[7] = std::nan("");
  expect_refused(regpath_fit_multinomial_d(&c, d.n, d.p, d.X.data(), d.n, y.data(),
                                           REGPATH_MULTINOMIAL_UNGROUPED, d.offset.data(), &raw),
                 "not finite");
  regpath_options g = c;
  g.family = REGPATH_GAUSSIAN;
  expect_refused(regpath_fit_multinomial_d(&g, d.n, d.p, d.X.data(), d.n, d.y.data(),
                                           REGPATH_MULTINOMIAL_UNGROUPED, nullptr, &raw),
                 "REGPATH_MULTINOMIAL");
  g.family = 4;
  expect_refused(regpath_fit_d(&g, d.n, d.p, d.X.data(), d.n, d.y.data(), &raw), "family");
  // X in device memory: refused by name before any device is looked for
  EXPECT_EQ(regpath_fit_device_d(&c, d.n, d.p, d.X.data(), d.n, d.y.data(), &raw),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpath_last_error()).find("MULTINOMIAL"), std::string::npos)
      << regpath_last_error();
  // many responses: refused, never a path of another family
  regpath_paths* many = nullptr;
  const int many_code =
      regpath_fit_many_d(&c, d.n, d.p, d.X.data(), d.n, 1, d.y.data(), d.n, &many);
  EXPECT_EQ(many_code, REGPATH_ERROR_INVALID_ARGUMENT) << regpath_last_error();
  EXPECT_EQ(many, nullptr);
}

// Since C API version 7: the model of a multinomial path (grouped, with glmnet's n × C offset)
// or cv is the C++ make_model's — its predictions with the new rows' offsets, its coefficients
// and the type.multinomial its file records — and a NULL offset is refused for it.
TEST(CApiMultinomial, ModelsOfPathsAndCvAreTheCppModels) {
  const MultinomialData d = load_multinomial_data();
  regpath_options c = c_options(0.5);
  c.nlambda = 8;
  regpath_path* raw = nullptr;
  ASSERT_EQ(regpath_fit_multinomial_d(&c, d.n, d.p, d.X.data(), d.n, d.y.data(),
                                      REGPATH_MULTINOMIAL_GROUPED, d.offset.data(), &raw),
            REGPATH_OK)
      << regpath_last_error();
  PathPtr path = owned(raw);
  regpath_model* model = nullptr;
  ASSERT_EQ(regpath_model_from_path(path.get(), &c, nullptr, d.n, d.X.data(), d.n, &model),
            REGPATH_OK)
      << regpath_last_error();
  Options o = multinomial_options(0.5, true);
  o.nlambda = 8;
  o.offset = d.offset;
  const MatrixView<double> X = d.view();
  const Model want = make_model(fit(X, d.y.data(), o), o, {}, &X);
  EXPECT_EQ(regpath_model_nclasses(model), 3);
  const std::vector<double> s = {want.path.lambdas[2], 0.3 * want.path.lambdas[4]};
  for (int type : {REGPATH_PREDICT_LINK, REGPATH_PREDICT_RESPONSE, REGPATH_PREDICT_CLASS}) {
    const PredictType t = type == REGPATH_PREDICT_LINK       ? PredictType::link
                          : type == REGPATH_PREDICT_RESPONSE ? PredictType::response
                                                             : PredictType::class_label;
    const std::vector<double> expect = predict(want, X, s, t, d.offset);
    std::vector<double> got(expect.size());
    ASSERT_EQ(regpath_predict_multinomial_d(model, d.n, d.X.data(), d.n, d.offset.data(), 2,
                                            s.data(), type, got.data()),
              REGPATH_OK)
        << regpath_last_error();
    EXPECT_EQ(got, expect) << "type " << type;
  }
  std::vector<double> out(std::size_t(d.n * 3 * 2));
  expect_refused(regpath_predict_multinomial_d(model, d.n, d.X.data(), d.n, nullptr, 2,
                                               s.data(), REGPATH_PREDICT_LINK, out.data()),
                 "offset");
  const Coefficients coef = coefficients(want, s);
  std::vector<double> b0(6), B(std::size_t(d.p * 6));
  ASSERT_EQ(regpath_model_coefficients_multinomial(model, 2, s.data(), b0.data(), B.data()),
            REGPATH_OK);
  EXPECT_EQ(b0, coef.intercepts);
  EXPECT_EQ(B, coef.coefs);
  const std::string file = temp_dir() + "grouped.json";
  ASSERT_EQ(regpath_model_save(model, file.c_str()), REGPATH_OK) << regpath_last_error();
  const Model saved = load_model(file);
  EXPECT_EQ(saved.type_multinomial, MultinomialType::grouped);
  EXPECT_TRUE(saved.offset);
  EXPECT_EQ(saved.feature_centers, want.feature_centers);
  regpath_model_free(model);

  // a cv's model: make_model of the C++ cross_validate on the same folds
  std::vector<int> foldid(std::size_t(d.n));
  for (std::size_t i = 0; i < foldid.size(); ++i) foldid[i] = int(i % 3) + 1;
  regpath_cv_options cvo;
  regpath_cv_options_init(&cvo);
  cvo.nfolds = 3;
  cvo.foldid = foldid.data();
  regpath_cv* cv = nullptr;
  c.tol = 1e-9;  // keeps the four fits quick
  ASSERT_EQ(regpath_cv_d(&c, &cvo, d.n, d.p, d.X.data(), d.n, d.y.data(), &cv), REGPATH_OK)
      << regpath_last_error();
  ASSERT_EQ(regpath_model_from_cv(cv, &c, nullptr, 0, nullptr, 0, &model), REGPATH_OK)
      << regpath_last_error();
  regpath_cv_free(cv);
  Options plain = multinomial_options(0.5, false);
  plain.nlambda = 8;
  plain.tol = 1e-9;
  CvOptions cpp_cv;
  cpp_cv.nfolds = 3;
  cpp_cv.foldid = foldid;
  const Model cv_want = make_model(cross_validate(X, d.y.data(), plain, cpp_cv), plain);
  double lmin = 0, l1se = 0;
  ASSERT_EQ(regpath_model_cv_lambdas(model, &lmin, &l1se), REGPATH_OK);
  EXPECT_EQ(lmin, cv_want.cv->lambda_min);
  EXPECT_EQ(l1se, cv_want.cv->lambda_1se);
  const std::vector<double> at = {l1se};
  const std::vector<double> expect = predict(cv_want, X, at, PredictType::class_label);
  std::vector<double> got(expect.size());
  ASSERT_EQ(regpath_predict_multinomial_d(model, d.n, d.X.data(), d.n, nullptr, 1, at.data(),
                                          REGPATH_PREDICT_CLASS, got.data()),
            REGPATH_OK)
      << regpath_last_error();
  EXPECT_EQ(got, expect);
  regpath_model_free(model);
}

}  // namespace
}  // namespace regpath::test
