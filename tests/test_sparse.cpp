// Sparse CSC X (SparseMatrixView): the same path as the dense X, in both forms (Gram: n > 2p;
// direct: p > n/2), with and without standardization and intercept; input validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "regpath/regpath.hpp"
#include "sparse_support.hpp"

namespace {

using regpath_test::Csc;
using regpath_test::expect_same_path;
using regpath_test::glm_response;
using regpath_test::response;
using regpath_test::sparse_dense;
using regpath_test::to_csc;

void compare(std::int64_t n, std::int64_t p, bool standardize, bool intercept, double alpha) {
  const std::vector<double> X = sparse_dense(n, p, unsigned(n * 31 + p));
  const std::vector<double> y = response(X, n, p);
  const Csc c = to_csc(X, n, p);
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.standardize = standardize;
  o.intercept = intercept;
  o.alpha = alpha;
  o.nlambda = 30;
  o.tol = 1e-14;
  const regpath::Path dense = regpath::fit(regpath::MatrixView<double>{X.data(), n, p, n},
                                           y.data(), o);
  const regpath::Path sparse = regpath::fit(c.view(), y.data(), o);
  SCOPED_TRACE("n " + std::to_string(n) + " p " + std::to_string(p) + " standardize " +
               std::to_string(standardize) + " intercept " + std::to_string(intercept));
  expect_same_path(dense, sparse, 1e-10);
}

TEST(Sparse, GramFormMatchesDense) {
  for (const bool s : {true, false})
    for (const bool b : {true, false}) compare(200, 12, s, b, 1.0);
  compare(200, 12, true, true, 0.3);
}

TEST(Sparse, DirectFormMatchesDense) {
  for (const bool s : {true, false})
    for (const bool b : {true, false}) compare(40, 90, s, b, 1.0);
  compare(40, 90, true, true, 0.5);
}

TEST(Sparse, FloatMatchesDenseFloat) {
  const std::int64_t n = 60, p = 80;
  const std::vector<double> X = sparse_dense(n, p, 3);
  const std::vector<double> y = response(X, n, p);
  const Csc c = to_csc(X, n, p);
  const std::vector<float> Xf(X.begin(), X.end()), yf(y.begin(), y.end()),
      vf(c.values.begin(), c.values.end());
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.precision = regpath::Precision::float32;
  o.nlambda = 20;
  const regpath::Path dense = regpath::fit(regpath::MatrixView<float>{Xf.data(), n, p, n},
                                           yf.data(), o);
  const regpath::SparseMatrixView<float> v{n, p, std::int64_t(vf.size()), c.col_ptr.data(),
                                           c.row_idx.data(), vf.data()};
  const regpath::Path sparse = regpath::fit(v, yf.data(), o);
  expect_same_path(dense, sparse, 1e-3);
}

// Unsorted row indices within a column and duplicates (summed) give the sorted matrix's path.
TEST(Sparse, UnsortedAndDuplicatesAreTheSortedSum) {
  const std::int64_t n = 50, p = 8;
  const std::vector<double> X = sparse_dense(n, p, 11);
  const std::vector<double> y = response(X, n, p);
  const Csc c = to_csc(X, n, p);
  Csc messy;
  messy.rows = n;
  messy.cols = p;
  messy.col_ptr.push_back(0);
  for (std::int64_t j = 0; j < p; ++j) {
    // reversed, each entry split into two halves (a duplicate pair)
    for (std::int64_t e = c.col_ptr[std::size_t(j + 1)] - 1; e >= c.col_ptr[std::size_t(j)];
         --e) {
      for (int half = 0; half < 2; ++half) {
        messy.row_idx.push_back(c.row_idx[std::size_t(e)]);
        messy.values.push_back(0.5 * c.values[std::size_t(e)]);
      }
    }
    messy.col_ptr.push_back(std::int64_t(messy.values.size()));
  }
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.nlambda = 20;
  o.tol = 1e-14;
  expect_same_path(regpath::fit(c.view(), y.data(), o), regpath::fit(messy.view(), y.data(), o),
                   1e-10);
}

std::string error_of(const Csc& c, const std::vector<double>& y,
                     const regpath::Options& o = {}) {
  try {
    regpath::fit(c.view(), y.data(), o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Sparse, BadInputIsNamed) {
  const std::int64_t n = 10, p = 3;
  const std::vector<double> X = sparse_dense(n, p, 5);
  const std::vector<double> y = response(X, n, p);
  Csc c = to_csc(X, n, p);
  Csc bad = c;
  bad.row_idx[1] = n;  // column 0, position 1
  const std::string range = error_of(bad, y);
  EXPECT_NE(range.find("column 0, position 1: row index 10 is outside [0, 10)"),
            std::string::npos)
      << range;
  bad = c;
  bad.values[2] = std::nan("");
  EXPECT_NE(error_of(bad, y).find("position 2"), std::string::npos) << error_of(bad, y);
  EXPECT_NE(error_of(bad, y).find("not finite"), std::string::npos);
  bad = c;
  bad.col_ptr[2] = -1;
  EXPECT_NE(error_of(bad, y).find("must not decrease"), std::string::npos) << error_of(bad, y);
  bad = c;
  bad.col_ptr.back() += 1;
  EXPECT_NE(error_of(bad, y).find("but nnz ="), std::string::npos) << error_of(bad, y);
  regpath::Options o;
  o.family = regpath::Family::binomial;  // a response that is not 0/1, as the dense fit says
  EXPECT_NE(error_of(c, y, o).find("invalid y for family binomial"), std::string::npos)
      << error_of(c, y, o);
  o.family = regpath::Family::poisson;
  std::vector<double> negative(y.size(), 1.0);
  negative[3] = -1;
  EXPECT_NE(error_of(c, negative, o).find("value -1 at row 4 is negative"), std::string::npos)
      << error_of(c, negative, o);
  o.device = regpath::Device::cuda;
  EXPECT_NE(error_of(c, negative, o).find("device cuda"), std::string::npos);
  EXPECT_NE(error_of(c, negative, o).find("not supported yet"), std::string::npos);
}

// ---- binomial and poisson: the GLM batch on the sparse columns ---------------------------------

void compare_glm(regpath::Family family, std::int64_t n, std::int64_t p, bool standardize,
                 bool intercept, double alpha) {
  const std::vector<double> X = sparse_dense(n, p, unsigned(n * 17 + p));
  const std::vector<double> y = glm_response(X, n, p, family, unsigned(p));
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.family = family;
  o.standardize = standardize;
  o.intercept = intercept;
  o.alpha = alpha;
  o.nlambda = 20;
  o.tol = 1e-12;
  const regpath::Path dense = regpath::fit(regpath::MatrixView<double>{X.data(), n, p, n},
                                           y.data(), o);
  const regpath::Path sparse = regpath::fit(to_csc(X, n, p).view(), y.data(), o);
  SCOPED_TRACE(std::string(regpath::to_string(family)) + " n " + std::to_string(n) + " p " +
               std::to_string(p) + " standardize " + std::to_string(standardize) +
               " intercept " + std::to_string(intercept) + " alpha " + std::to_string(alpha));
  for (std::size_t k = 0; k < sparse.status.size(); ++k)
    EXPECT_EQ(sparse.status[k], regpath::Status::converged) << "lambda " << k;
  EXPECT_EQ(sparse.family, family);
  expect_same_path(dense, sparse, 1e-10);
  for (std::size_t k = 0; k < dense.dev_ratio.size(); ++k)
    EXPECT_NEAR(dense.dev_ratio[k], sparse.dev_ratio[k], 1e-9) << "lambda " << k;
}

TEST(SparseGlm, BinomialMatchesDense) {
  for (const bool s : {true, false})
    for (const bool b : {true, false}) compare_glm(regpath::Family::binomial, 150, 10, s, b, 1.0);
  compare_glm(regpath::Family::binomial, 150, 10, true, true, 0.4);
  compare_glm(regpath::Family::binomial, 40, 80, true, true, 1.0);  // p > n
}

TEST(SparseGlm, PoissonMatchesDense) {
  for (const bool s : {true, false})
    for (const bool b : {true, false}) compare_glm(regpath::Family::poisson, 150, 10, s, b, 1.0);
  compare_glm(regpath::Family::poisson, 150, 10, true, true, 0.4);
  compare_glm(regpath::Family::poisson, 40, 80, true, true, 1.0);
}

TEST(SparseGlm, FloatBinomialMatchesDenseFloat) {
  const std::int64_t n = 120, p = 12;
  const std::vector<double> X = sparse_dense(n, p, 31);
  const std::vector<double> y = glm_response(X, n, p, regpath::Family::binomial, 5);
  const Csc c = to_csc(X, n, p);
  const std::vector<float> Xf(X.begin(), X.end()), yf(y.begin(), y.end()),
      vf(c.values.begin(), c.values.end());
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.family = regpath::Family::binomial;
  o.precision = regpath::Precision::float32;
  o.nlambda = 15;
  const regpath::Path dense = regpath::fit(regpath::MatrixView<float>{Xf.data(), n, p, n},
                                           yf.data(), o);
  const regpath::SparseMatrixView<float> v{n, p, std::int64_t(vf.size()), c.col_ptr.data(),
                                           c.row_idx.data(), vf.data()};
  expect_same_path(dense, regpath::fit(v, yf.data(), o), 2e-3);
}

}  // namespace

// ---- extreme magnitudes: the dense fit's guard (api/result_guard.hpp) on sparse X ------------

bool all_finite(const regpath::Path& p) {
  for (const auto* v : {&p.lambdas, &p.intercepts, &p.coefs, &p.gaps, &p.dev_ratio})
    for (double x : *v)
      if (!std::isfinite(x)) return false;
  return std::isfinite(p.lambda_max);
}

// Standardized columns of 1e200, 1e-200 and 1e150 are rescaled by powers of two: the path of
// the well-scaled columns, each coefficient divided by its column's factor (as the dense test
// ExtremeValues.StandardizedColumnsAreRescaledExactly).
TEST(SparseExtreme, StandardizedColumnsAreRescaledExactly) {
  const std::int64_t n = 60, p = 4;
  const std::vector<double> X = sparse_dense(n, p, 21);
  const std::vector<double> y = response(X, n, p);
  const double scale[] = {1e200, 1e-200, 1, 1e150};
  std::vector<double> big = X;
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < n; ++i) big[std::size_t(i + j * n)] *= scale[j];
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.nlambda = 10;
  const regpath::Path a = regpath::fit(to_csc(X, n, p).view(), y.data(), o);
  const regpath::Path b = regpath::fit(to_csc(big, n, p).view(), y.data(), o);
  ASSERT_TRUE(all_finite(b));
  ASSERT_EQ(a.nlambda(), b.nlambda());
  for (std::int64_t k = 0; k < a.nlambda(); ++k) {
    EXPECT_NEAR(a.lambdas[std::size_t(k)], b.lambdas[std::size_t(k)], 1e-12 * a.lambdas[0]);
    EXPECT_NEAR(a.intercepts[std::size_t(k)], b.intercepts[std::size_t(k)], 1e-6);
    for (std::int64_t j = 0; j < p; ++j)
      EXPECT_NEAR(a.coef(j, k), b.coef(j, k) * scale[j], 1e-6 * (1 + std::fabs(a.coef(j, k))))
          << "λ " << k << ", feature " << j;
  }
  // The dense fit of the same extreme data agrees (both through the same guard).
  const regpath::Path d =
      regpath::fit(regpath::MatrixView<double>{big.data(), n, p, n}, y.data(), o);
  for (std::int64_t k = 0; k < a.nlambda(); ++k)
    for (std::int64_t j = 0; j < p; ++j)
      EXPECT_NEAR(d.coef(j, k) * scale[j], b.coef(j, k) * scale[j],
                  1e-8 * (1 + std::fabs(a.coef(j, k))));
}

// float32 arithmetic on float64 values beyond float's range (1e39: infinite as a float) and a
// lasso y near 3e38: rescaled, finite, the well-scaled answer scaled back.
TEST(SparseExtreme, Float32BeyondFloatsRangeIsRescaled) {
  const std::int64_t n = 60, p = 5;
  const std::vector<double> X = sparse_dense(n, p, 23);
  const std::vector<double> y = response(X, n, p);
  std::vector<double> big = X;
  for (std::int64_t i = 0; i < n; ++i) big[std::size_t(i + 2 * n)] *= 1e39;
  double m = 0;
  for (double v : y) m = std::max(m, std::fabs(v));
  std::vector<double> ybig;
  for (double v : y) ybig.push_back(v / m * 3e38);
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.precision = regpath::Precision::float32;
  o.nlambda = 10;
  const regpath::Path a = regpath::fit(to_csc(X, n, p).view(), y.data(), o);
  const regpath::Path b = regpath::fit(to_csc(big, n, p).view(), ybig.data(), o);
  ASSERT_TRUE(all_finite(b));
  ASSERT_EQ(a.nlambda(), b.nlambda());
  const double s = 3e38 / m;
  for (std::int64_t k = 0; k < a.nlambda(); ++k) {
    EXPECT_NEAR(b.lambdas[std::size_t(k)] / s, a.lambdas[std::size_t(k)], 1e-5 * a.lambdas[0]);
    for (std::int64_t j = 0; j < p; ++j) {
      const double back = b.coef(j, k) / s * (j == 2 ? 1e39 : 1.0);
      EXPECT_NEAR(back, a.coef(j, k), 2e-3 * (1 + std::fabs(a.coef(j, k))))
          << "λ " << k << ", feature " << j;
    }
  }
}

// Without standardization no exact rescaling exists: a column whose squares overflow is
// refused, naming it (a ColumnError), never a path holding Inf or NaN.
TEST(SparseExtreme, UnstandardizedHugeColumnIsRefusedNamingIt) {
  const std::int64_t n = 40, p = 3;
  std::vector<double> X = sparse_dense(n, p, 25);
  const std::vector<double> y = response(X, n, p);
  for (std::int64_t i = 0; i < n; ++i) X[std::size_t(i + 2 * n)] *= 1e160;
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.standardize = false;
  o.nlambda = 5;
  try {
    regpath::fit(to_csc(X, n, p).view(), y.data(), o);
    FAIL() << "no error";
  } catch (const regpath::ColumnError& e) {
    EXPECT_EQ(e.column(), 2);
    EXPECT_NE(std::string(e.what()).find("column 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("without standardization"), std::string::npos)
        << e.what();
  }
}

// The binomial fit through the same guard: standardized columns of 1e200 and 1e-200 rescaled.
TEST(SparseExtreme, BinomialStandardizedColumnsAreRescaledExactly) {
  const std::int64_t n = 80, p = 3;
  const std::vector<double> X = sparse_dense(n, p, 27);
  const std::vector<double> y = glm_response(X, n, p, regpath::Family::binomial, 9);
  const double scale[] = {1e200, 1, 1e-200};
  std::vector<double> big = X;
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < n; ++i) big[std::size_t(i + j * n)] *= scale[j];
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.family = regpath::Family::binomial;
  o.nlambda = 8;
  const regpath::Path a = regpath::fit(to_csc(X, n, p).view(), y.data(), o);
  const regpath::Path b = regpath::fit(to_csc(big, n, p).view(), y.data(), o);
  ASSERT_TRUE(all_finite(b));
  ASSERT_EQ(a.nlambda(), b.nlambda());
  for (std::int64_t k = 0; k < a.nlambda(); ++k)
    for (std::int64_t j = 0; j < p; ++j)
      EXPECT_NEAR(a.coef(j, k), b.coef(j, k) * scale[j], 1e-6 * (1 + std::fabs(a.coef(j, k))))
          << "λ " << k << ", feature " << j;
}

// exclude and factors of +inf: the kept columns solved, the excluded ones exact zeros, as the
// dense fit (with other factors and limits beside them), for each family.
TEST(SparseSelection, ExcludedFeaturesAsTheDenseFit) {
  const std::int64_t n = 120, p = 8;
  const std::vector<double> X = sparse_dense(n, p, 41);
  for (const regpath::Family family :
       {regpath::Family::gaussian, regpath::Family::binomial, regpath::Family::poisson}) {
    const std::vector<double> y = family == regpath::Family::gaussian
                                      ? response(X, n, p)
                                      : glm_response(X, n, p, family, 3);
    regpath::Options o;
    o.device = regpath::Device::cpu;
    o.family = family;
    o.nlambda = 12;
    o.tol = 1e-12;
    o.exclude = {2, 5};
    o.penalty_factors = {1, 2, 1, 0.5, 1, 1, std::numeric_limits<double>::infinity(), 1};
    o.lower_limits = {-0.4};
    const regpath::Path dense = regpath::fit(regpath::MatrixView<double>{X.data(), n, p, n},
                                             y.data(), o);
    const regpath::Path sparse = regpath::fit(to_csc(X, n, p).view(), y.data(), o);
    SCOPED_TRACE(regpath::to_string(family));
    ASSERT_EQ(sparse.n_features, p);
    for (std::int64_t k = 0; k < sparse.nlambda(); ++k)
      for (const std::int64_t j : {2, 5, 6}) EXPECT_EQ(sparse.coef(j, k), 0.0);
    expect_same_path(dense, sparse, 1e-10);
  }
}

namespace {

// The options of the unpenalized-feature comparisons: α 0.8, 15 λ, tol 1e-14, factor 0 for the
// features `free`.
regpath::Options unpenalized_options(std::int64_t p, std::initializer_list<std::size_t> free,
                                     bool standardize, bool intercept) {
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.nlambda = 15;
  o.tol = 1e-14;
  o.alpha = 0.8;
  o.standardize = standardize;
  o.intercept = intercept;
  o.penalty_factors.assign(std::size_t(p), 1.0);
  for (const std::size_t j : free) o.penalty_factors[j] = 0;
  return o;
}

}  // namespace

// Penalty factors of 0 (unpenalized features), gaussian: partialled out inside the sparse
// products (a rank-k correction, X̂ = X̃ − Z·M never formed) — the dense fit's path, in both
// forms, with and without standardization and intercept, and the dense cv's curve; with an
// unpenalized column that is constant (left out of Z) and one that is sparse.
TEST(SparseSelection, UnpenalizedFeaturesAsTheDenseFit) {
  for (const auto& [n, p] : {std::pair<std::int64_t, std::int64_t>{150, 10}, {40, 70}}) {
    std::vector<double> X = sparse_dense(n, p, unsigned(7 * n + p));
    for (std::int64_t i = 0; i < n; ++i) X[std::size_t(i + 4 * n)] = 2.5;  // constant
    const std::vector<double> y = response(X, n, p);
    for (const bool standardize : {true, false})
      for (const bool intercept : {true, false}) {
        const regpath::Options o = unpenalized_options(p, {0, 3, 4}, standardize, intercept);
        const regpath::MatrixView<double> dense_x{X.data(), n, p, n};
        const regpath::Path dense = regpath::fit(dense_x, y.data(), o);
        const regpath::Path sparse = regpath::fit(to_csc(X, n, p).view(), y.data(), o);
        SCOPED_TRACE("n " + std::to_string(n) + " standardize " + std::to_string(standardize) +
                     " intercept " + std::to_string(intercept));
        EXPECT_NEAR(sparse.lambda_max, dense.lambda_max, 1e-10 * dense.lambda_max);
        // the unpenalized features are in every model (nonzero at λ_max already)
        EXPECT_NE(sparse.coef(0, 0), 0.0);
        expect_same_path(dense, sparse, 1e-9);
        if (!standardize || !intercept) continue;
        regpath::CvOptions cv;
        cv.nfolds = 4;
        const regpath::CvResult dcv = regpath::cross_validate(dense_x, y.data(), o, cv);
        const regpath::CvResult scv =
            regpath::cross_validate(to_csc(X, n, p).view(), y.data(), o, cv);
        ASSERT_EQ(dcv.curves[0].cvm.size(), scv.curves[0].cvm.size());
        for (std::size_t k = 0; k < dcv.curves[0].cvm.size(); ++k)
          EXPECT_NEAR(scv.curves[0].cvm[k], dcv.curves[0].cvm[k], 1e-9 * dcv.curves[0].cvm[k]);
      }
  }
  // collinear unpenalized features: refused by name, as for a dense X
  const std::int64_t n = 60, p = 6;
  std::vector<double> X = sparse_dense(n, p, 5);
  for (std::int64_t i = 0; i < n; ++i) X[std::size_t(i + 3 * n)] = 2 * X[std::size_t(i)];
  const std::vector<double> y = response(X, n, p);
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.penalty_factors = {0, 1, 1, 0, 1, 1};
  try {
    regpath::fit(to_csc(X, n, p).view(), y.data(), o);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("collinear"), std::string::npos) << e.what();
  }
}

// Penalty factors of 0 with observation weights, gaussian: a sparse X's weighted fit runs on the
// GLM batch (unpenalized features kept in its solve, their weighted null model fitted first);
// a dense X's on the gaussian stack (weights folded into X and y, the features partialled out):
// two implementations, the same path.
TEST(SparseSelection, UnpenalizedFeaturesWithWeightsAsTheDenseFit) {
  for (const auto& [n, p] : {std::pair<std::int64_t, std::int64_t>{150, 10}, {40, 70}}) {
    const std::vector<double> X = sparse_dense(n, p, unsigned(3 * n + p));
    const std::vector<double> y = response(X, n, p);
    std::vector<double> weights(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) weights[std::size_t(i)] = 0.25 + double(i % 7) / 4;
    for (const bool standardize : {true, false})
      for (const bool intercept : {true, false}) {
        regpath::Options o = unpenalized_options(p, {0, 3}, standardize, intercept);
        o.weights = weights;
        const regpath::MatrixView<double> dense_x{X.data(), n, p, n};
        const regpath::Path dense = regpath::fit(dense_x, y.data(), o);
        const regpath::Path sparse = regpath::fit(to_csc(X, n, p).view(), y.data(), o);
        SCOPED_TRACE("n " + std::to_string(n) + " standardize " + std::to_string(standardize) +
                     " intercept " + std::to_string(intercept));
        EXPECT_NEAR(sparse.lambda_max, dense.lambda_max, 1e-10 * dense.lambda_max);
        EXPECT_NE(sparse.coef(0, 0), 0.0);  // unpenalized: in the model at λ_max already
        EXPECT_NE(sparse.coef(3, 0), 0.0);
        expect_same_path(dense, sparse, 1e-9);
      }
  }
}
