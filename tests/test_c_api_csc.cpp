// The C API's sparse input (regpath_fit_csc_d / _s): the dense path to rounding, and a bad
// entry's code and message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "regpath/regpath.h"

namespace {

struct CscData {
  std::int64_t n = 0, p = 0;
  std::vector<double> X, y;  // X dense, column-major
  std::vector<std::int64_t> col_ptr, row_idx;
  std::vector<double> values;
};

CscData make_csc(std::int64_t n, std::int64_t p) {
  CscData d;
  d.n = n;
  d.p = p;
  std::mt19937_64 gen(17);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  d.X.assign(static_cast<std::size_t>(n * p), 0.0);
  d.y.resize(static_cast<std::size_t>(n));
  d.col_ptr.push_back(0);
  for (std::int64_t j = 0; j < p; ++j) {
    for (std::int64_t i = 0; i < n; ++i)
      if (unit(gen) < 0.25) {
        const double v = 1 + normal(gen);
        d.X[static_cast<std::size_t>(i + j * n)] = v;
        d.row_idx.push_back(i);
        d.values.push_back(v);
      }
    d.col_ptr.push_back(static_cast<std::int64_t>(d.values.size()));
  }
  for (std::int64_t i = 0; i < n; ++i)
    d.y[static_cast<std::size_t>(i)] = normal(gen) + 2 * d.X[static_cast<std::size_t>(i)] -
                                       d.X[static_cast<std::size_t>(i + n)];
  return d;
}

std::vector<double> coefs_of(regpath_path* path) {
  std::vector<double> c(static_cast<std::size_t>(regpath_path_nlambda(path) *
                                                 regpath_path_nfeatures(path)));
  EXPECT_EQ(regpath_path_coefs(path, c.data()), REGPATH_OK);
  return c;
}

TEST(CApiCsc, MatchesTheDenseFit) {
  const CscData d = make_csc(80, 30);
  regpath_options o;
  regpath_options_init(&o);
  o.device = REGPATH_DEVICE_CPU;
  o.nlambda = 20;
  o.tol = 1e-14;
  regpath_path *dense = nullptr, *sparse = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.n, d.y.data(), &dense), REGPATH_OK);
  ASSERT_EQ(regpath_fit_csc_d(&o, d.n, d.p, d.col_ptr.data(), d.row_idx.data(), d.values.data(),
                              d.y.data(), &sparse),
            REGPATH_OK)
      << regpath_last_error();
  const std::vector<double> a = coefs_of(dense), b = coefs_of(sparse);
  ASSERT_EQ(a.size(), b.size());
  double top = 0, diff = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    top = std::max(top, std::fabs(a[k]));
    diff = std::max(diff, std::fabs(a[k] - b[k]));
  }
  EXPECT_LE(diff, 1e-10 * top);
  regpath_path_free(dense);
  regpath_path_free(sparse);

  o.precision = REGPATH_FLOAT32;
  o.tol = 0;  // automatic
  const std::vector<float> vf(d.values.begin(), d.values.end()), yf(d.y.begin(), d.y.end());
  ASSERT_EQ(regpath_fit_csc_s(&o, d.n, d.p, d.col_ptr.data(), d.row_idx.data(), vf.data(),
                              yf.data(), &sparse),
            REGPATH_OK)
      << regpath_last_error();
  EXPECT_EQ(regpath_path_nfeatures(sparse), d.p);
  regpath_path_free(sparse);
}

// regpath_fit_csc_d with options o on d fails with INVALID_ARGUMENT, leaves no path, and its
// message (which starts with the function's name) holds `needle`.
void expect_refused(const CscData& d, const regpath_options& o, const std::string& needle) {
  regpath_path* path = nullptr;
  EXPECT_EQ(regpath_fit_csc_d(&o, d.n, d.p, d.col_ptr.data(), d.row_idx.data(), d.values.data(),
                              d.y.data(), &path),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(path, nullptr);
  const std::string msg = regpath_last_error();
  EXPECT_NE(msg.find(needle), std::string::npos) << msg;
  EXPECT_NE(msg.find("regpath_fit_csc_d"), std::string::npos) << msg;
}

regpath_options cpu_options() {
  regpath_options o;
  regpath_options_init(&o);
  o.device = REGPATH_DEVICE_CPU;
  return o;
}

TEST(CApiCsc, BadRowIndexIsNamed) {
  CscData d = make_csc(20, 4);
  d.row_idx[0] = -1;
  expect_refused(d, cpu_options(), "column 0, position 0: row index -1");
}

// Weights (C API version 3) with sparse X, gaussian: the weighted dense fit (solved by another
// solver, the GLM batch, at tol 1e-12), and not the unweighted one.
TEST(CApiCsc, WeightedGaussianEqualsTheDenseFit) {
  const CscData d = make_csc(60, 5);
  std::vector<double> weights(60);
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = 0.5 + double(i % 4);
  regpath_options o = cpu_options();
  o.weights = weights.data();
  o.nlambda = 10;
  o.tol = 1e-12;
  regpath_path *dense = nullptr, *sparse = nullptr, *plain = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.n, d.y.data(), &dense), REGPATH_OK)
      << regpath_last_error();
  ASSERT_EQ(regpath_fit_csc_d(&o, d.n, d.p, d.col_ptr.data(), d.row_idx.data(), d.values.data(),
                              d.y.data(), &sparse),
            REGPATH_OK)
      << regpath_last_error();
  o.weights = nullptr;
  ASSERT_EQ(regpath_fit_csc_d(&o, d.n, d.p, d.col_ptr.data(), d.row_idx.data(), d.values.data(),
                              d.y.data(), &plain),
            REGPATH_OK);
  const std::vector<double> a = coefs_of(dense), b = coefs_of(sparse), c = coefs_of(plain);
  ASSERT_EQ(a.size(), b.size());
  double top = 0, diff = 0, unweighted = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    top = std::max(top, std::fabs(a[k]));
    diff = std::max(diff, std::fabs(a[k] - b[k]));
    unweighted = std::max(unweighted, std::fabs(a[k] - c[k]));
  }
  EXPECT_LE(diff, 1e-10 * top) << diff / top;  // 1e-13 seen
  EXPECT_GT(unweighted, 1e-3 * top);  // the weights count
  regpath_path_free(dense);
  regpath_path_free(sparse);
  regpath_path_free(plain);
}

}  // namespace
