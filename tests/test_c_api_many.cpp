// The C API's many responses (regpath_fit_many_d / _s, regpath_paths): each response's path
// equals regpath_fit_d on that column, bad arguments are codes with messages naming them (the
// response and the row for a bad value), NULL safety. Linked against the shared library.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "regpath/regpath.h"

namespace {

struct ManyData {
  std::int64_t n = 50, p = 4, m = 3, ldx = 52, ldy = 51;
  std::vector<double> X, Y;  // padding rows hold NaN, which must never be read
};

ManyData make_many() {
  ManyData d;
  std::mt19937 rng(5);
  std::normal_distribution<double> z;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  d.X.assign(std::size_t(d.ldx * d.p), nan);
  d.Y.assign(std::size_t(d.ldy * d.m), nan);
  for (std::int64_t j = 0; j < d.p; ++j)
    for (std::int64_t i = 0; i < d.n; ++i) d.X[std::size_t(i + j * d.ldx)] = z(rng) + 0.2 * j;
  for (std::int64_t k = 0; k < d.m; ++k)
    for (std::int64_t i = 0; i < d.n; ++i)
      d.Y[std::size_t(i + k * d.ldy)] =
          double(k + 1) * d.X[std::size_t(i + (k % d.p) * d.ldx)] + 0.3 * z(rng) + double(k);
  return d;
}

regpath_options cpu_options() {
  regpath_options o;
  regpath_options_init(&o);
  o.device = REGPATH_DEVICE_CPU;
  o.tol = 1e-12;
  return o;
}

std::vector<double> coefs_of(const regpath_path* path) {
  std::vector<double> c(std::size_t(regpath_path_nlambda(path) * regpath_path_nfeatures(path)));
  EXPECT_EQ(regpath_path_coefs(path, c.data()), REGPATH_OK);
  return c;
}

bool contains(const char* s, const std::string& needle) {
  return std::string(s).find(needle) != std::string::npos;
}

// Each response of one regpath_fit_many_d call equals its own regpath_fit_d with options o.
void expect_each_equals_own_fit(const ManyData& d, const regpath_options& o) {
  regpath_paths* paths = nullptr;
  ASSERT_EQ(regpath_fit_many_d(&o, d.n, d.p, d.X.data(), d.ldx, d.m, d.Y.data(), d.ldy, &paths),
            REGPATH_OK)
      << regpath_last_error();
  ASSERT_EQ(regpath_paths_count(paths), d.m);
  for (std::int64_t k = 0; k < d.m; ++k) {
    const regpath_path* many = regpath_paths_get(paths, k);
    ASSERT_NE(many, nullptr);
    regpath_path* one = nullptr;
    ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.Y.data() + k * d.ldy, &one),
              REGPATH_OK);
    ASSERT_EQ(regpath_path_nlambda(many), regpath_path_nlambda(one));
    double lmax_many = 0, lmax_one = 0;
    regpath_path_lambda_max(many, &lmax_many);
    regpath_path_lambda_max(one, &lmax_one);
    EXPECT_NEAR(lmax_many, lmax_one, 1e-13 * lmax_one);
    const std::vector<double> a = coefs_of(many), b = coefs_of(one);
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-9) << "response " << k;
    regpath_path_free(one);
  }
  regpath_paths_free(paths);
}

TEST(CApiMany, EachResponseEqualsItsOwnFit) {
  const ManyData d = make_many();
  const regpath_options o = cpu_options();
  expect_each_equals_own_fit(d, o);
  regpath_paths* paths = nullptr;
  ASSERT_EQ(regpath_fit_many_d(&o, d.n, d.p, d.X.data(), d.ldx, d.m, d.Y.data(), d.ldy, &paths),
            REGPATH_OK);
  EXPECT_EQ(regpath_paths_get(paths, d.m), nullptr);
  EXPECT_TRUE(contains(regpath_last_error(), "invalid k")) << regpath_last_error();
  EXPECT_EQ(regpath_paths_get(paths, -1), nullptr);
  regpath_paths_free(paths);
}

// C API version 3: the weights (n values, X's rows) apply to every response.
TEST(CApiMany, WeightsApplyToEveryResponse) {
  const ManyData d = make_many();
  std::vector<double> weights(std::size_t(d.n));
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = 1.0 + double(i % 3);
  regpath_options o = cpu_options();
  o.weights = weights.data();
  expect_each_equals_own_fit(d, o);
}

TEST(CApiMany, FloatInput) {
  const ManyData d = make_many();
  std::vector<float> X(d.X.begin(), d.X.end()), Y(d.Y.begin(), d.Y.end());
  regpath_options o = cpu_options();
  o.tol = 0;
  regpath_paths* paths = nullptr;
  ASSERT_EQ(regpath_fit_many_s(&o, d.n, d.p, X.data(), d.ldx, d.m, Y.data(), d.ldy, &paths),
            REGPATH_OK)
      << regpath_last_error();
  EXPECT_EQ(regpath_paths_count(paths), d.m);
  regpath_paths_free(paths);
}

TEST(CApiMany, BadArgumentsAreNamed) {
  ManyData d = make_many();
  const regpath_options o = cpu_options();
  regpath_paths* paths = reinterpret_cast<regpath_paths*>(&d);  // must be reset to NULL
  EXPECT_EQ(regpath_fit_many_d(&o, d.n, d.p, d.X.data(), d.ldx, 0, d.Y.data(), d.ldy, &paths),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(paths, nullptr);
  EXPECT_TRUE(contains(regpath_last_error(), "invalid m")) << regpath_last_error();
  EXPECT_EQ(regpath_fit_many_d(&o, d.n, d.p, d.X.data(), d.ldx, d.m, d.Y.data(), 10, &paths),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(regpath_last_error(), "ldy")) << regpath_last_error();
  EXPECT_EQ(regpath_fit_many_d(&o, d.n, d.p, d.X.data(), d.ldx, d.m, nullptr, d.ldy, &paths),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(regpath_last_error(), "Y")) << regpath_last_error();
  EXPECT_EQ(regpath_fit_many_d(&o, d.n, d.p, d.X.data(), d.ldx, d.m, d.Y.data(), d.ldy, nullptr),
            REGPATH_ERROR_INVALID_ARGUMENT);
  d.Y[std::size_t(2 * d.ldy + 9)] = std::numeric_limits<double>::infinity();
  EXPECT_EQ(regpath_fit_many_d(&o, d.n, d.p, d.X.data(), d.ldx, d.m, d.Y.data(), d.ldy, &paths),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(regpath_last_error(), "response 3") &&
              contains(regpath_last_error(), "row 10"))
      << regpath_last_error();
  EXPECT_EQ(regpath_paths_count(nullptr), -1);
  EXPECT_EQ(regpath_paths_get(nullptr, 0), nullptr);
  regpath_paths_free(nullptr);
}

}  // namespace
