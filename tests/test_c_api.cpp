// The C API (regpath.h) as a C or Fortran program sees it: defaults, results equal to the C++
// API's, every bad argument giving a code and a message that names it (never a crash), NULL
// safety, the code strings, and the thread-local error message. Linked against the shared
// library, so it also checks that the API's symbols are exported.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "regpath/regpath.h"
#include "regpath/regpath.hpp"

#ifdef REGPATH_C_API_TEST_CUDA  // CUDA builds: device memory from the CUDA runtime
#include <cuda_runtime.h>
#endif

namespace {

struct Data {
  std::int64_t n = 0, p = 0, ldx = 0;
  std::vector<double> X, y;  // X column-major with leading dimension ldx
};

// y = 2 + X·β + noise, β = (3, −2, 0, 1.5, 0, ...), correlated columns; padding rows (ldx > n)
// hold NaN, which regpath must never read.
Data make_data(std::int64_t n, std::int64_t p, std::int64_t pad = 0, unsigned seed = 7) {
  Data d;
  d.n = n;
  d.p = p;
  d.ldx = n + pad;
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  d.X.assign(static_cast<std::size_t>(d.ldx * p), std::numeric_limits<double>::quiet_NaN());
  d.y.assign(static_cast<std::size_t>(n), 2.0);
  const double beta[] = {3.0, -2.0, 0.0, 1.5};
  for (std::int64_t i = 0; i < n; ++i) {
    const double common = normal(rng);
    for (std::int64_t j = 0; j < p; ++j) {
      const double x = 0.6 * common + normal(rng) + 0.1 * static_cast<double>(j);
      d.X[static_cast<std::size_t>(i + j * d.ldx)] = x;
      if (j < 4) d.y[static_cast<std::size_t>(i)] += beta[j] * x;
    }
    d.y[static_cast<std::size_t>(i)] += 0.5 * normal(rng);
  }
  return d;
}

regpath_options cpu_options() {
  regpath_options o;
  regpath_options_init(&o);
  o.device = REGPATH_DEVICE_CPU;
  return o;
}

// Everything a path holds, read through the C accessors.
struct CPath {
  std::int64_t nlambda = 0, nfeatures = 0;
  std::vector<double> lambdas, intercepts, coefs, gaps, dev_ratio;
  std::vector<int> status, iterations;
  double lambda_max = 0;
  int device = -1;
};

CPath read(const regpath_path* path) {
  CPath c;
  c.nlambda = regpath_path_nlambda(path);
  c.nfeatures = regpath_path_nfeatures(path);
  EXPECT_GE(c.nlambda, 1);
  EXPECT_GE(c.nfeatures, 1);
  const auto nl = static_cast<std::size_t>(c.nlambda);
  c.lambdas.resize(nl);
  c.intercepts.resize(nl);
  c.coefs.resize(nl * static_cast<std::size_t>(c.nfeatures));
  c.gaps.resize(nl);
  c.dev_ratio.resize(nl);
  c.status.resize(nl);
  c.iterations.resize(nl);
  EXPECT_EQ(regpath_path_lambdas(path, c.lambdas.data()), REGPATH_OK);
  EXPECT_EQ(regpath_path_intercepts(path, c.intercepts.data()), REGPATH_OK);
  EXPECT_EQ(regpath_path_coefs(path, c.coefs.data()), REGPATH_OK);
  EXPECT_EQ(regpath_path_gaps(path, c.gaps.data()), REGPATH_OK);
  EXPECT_EQ(regpath_path_dev_ratio(path, c.dev_ratio.data()), REGPATH_OK);
  EXPECT_EQ(regpath_path_status(path, c.status.data()), REGPATH_OK);
  EXPECT_EQ(regpath_path_iterations(path, c.iterations.data()), REGPATH_OK);
  EXPECT_EQ(regpath_path_lambda_max(path, &c.lambda_max), REGPATH_OK);
  EXPECT_EQ(regpath_path_device(path, &c.device), REGPATH_OK);
  return c;
}

void expect_same(const CPath& c, const regpath::Path& cpp) {
  EXPECT_EQ(c.nlambda, cpp.nlambda());
  EXPECT_EQ(c.nfeatures, cpp.n_features);
  EXPECT_EQ(c.lambdas, cpp.lambdas);
  EXPECT_EQ(c.intercepts, cpp.intercepts);
  EXPECT_EQ(c.coefs, cpp.coefs);
  EXPECT_EQ(c.gaps, cpp.gaps);
  EXPECT_EQ(c.dev_ratio, cpp.dev_ratio);
  EXPECT_EQ(c.iterations, cpp.iterations);
  ASSERT_EQ(c.status.size(), cpp.status.size());
  for (std::size_t k = 0; k < c.status.size(); ++k)
    EXPECT_EQ(c.status[k], static_cast<int>(cpp.status[k])) << "lambda " << k;
  EXPECT_EQ(c.lambda_max, cpp.lambda_max);
  EXPECT_EQ(c.device, static_cast<int>(cpp.device));
}

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// ---- defaults -----------------------------------------------------------------------------------

TEST(CApi, OptionsInitDefaults) {
  regpath_options o;
  std::memset(&o, 0x5a, sizeof o);  // garbage everywhere first
  regpath_options_init(&o);
  EXPECT_EQ(o.family, REGPATH_GAUSSIAN);
  EXPECT_EQ(o.device, REGPATH_DEVICE_AUTO);
  EXPECT_EQ(o.precision, REGPATH_FLOAT64);
  EXPECT_EQ(o.nlambda, 100);
  EXPECT_EQ(o.standardize, 1);
  EXPECT_EQ(o.intercept, 1);
  EXPECT_EQ(o.max_iter, 100000);
  EXPECT_EQ(o.block_size, 0);
  EXPECT_EQ(o.check_every, 0);
  EXPECT_EQ(o.glmnet_y_scaling, 0);
  EXPECT_EQ(o.alpha, 1.0);
  EXPECT_EQ(o.lambda_min_ratio, 0.0);
  EXPECT_EQ(o.tol, 0.0);
  EXPECT_EQ(o.lambdas, nullptr);
  EXPECT_EQ(o.n_lambdas, 0);
  EXPECT_EQ(o.weights, nullptr);
  EXPECT_EQ(regpath_options_validate(&o), REGPATH_OK);
  regpath_options_init(nullptr);  // ignored, no crash

  // The C++ defaults are the same (and so are the command-line tool's).
  const regpath::Options cpp;
  EXPECT_EQ(static_cast<int>(cpp.family), o.family);
  EXPECT_EQ(static_cast<int>(cpp.device), o.device);
  EXPECT_EQ(static_cast<int>(cpp.precision), o.precision);
  EXPECT_EQ(cpp.nlambda, o.nlambda);
  EXPECT_EQ(cpp.alpha, o.alpha);
  EXPECT_EQ(cpp.max_iter, o.max_iter);
  EXPECT_EQ(cpp.standardize, o.standardize != 0);
  EXPECT_EQ(cpp.intercept, o.intercept != 0);
  EXPECT_FALSE(cpp.tol.has_value());
  EXPECT_FALSE(cpp.lambda_min_ratio.has_value());
}

// The layout that examples/fortran/fit_path.f90 mirrors with a bind(c) type.
TEST(CApi, OptionsLayout) {
  EXPECT_EQ(offsetof(regpath_options, family), 0u);
  EXPECT_EQ(offsetof(regpath_options, glmnet_y_scaling), 36u);
  EXPECT_EQ(offsetof(regpath_options, alpha), 40u);
  EXPECT_EQ(offsetof(regpath_options, tol), 56u);
  EXPECT_EQ(offsetof(regpath_options, lambdas), 64u);
  EXPECT_EQ(offsetof(regpath_options, n_lambdas), 72u);
  EXPECT_EQ(offsetof(regpath_options, penalty_factors), 80u);  // version 2: reserved[0..3]
  EXPECT_EQ(offsetof(regpath_options, n_exclude), 104u);
  EXPECT_EQ(offsetof(regpath_options, lower_limits), 112u);
  EXPECT_EQ(offsetof(regpath_options, n_limits), 128u);
  EXPECT_EQ(offsetof(regpath_options, weights), 136u);  // version 3: reserved[0]
  EXPECT_EQ(sizeof(regpath_options), 144u);
}

TEST(CApi, VersionAndCuda) {
  EXPECT_STREQ(regpath_version(), regpath::version());
  EXPECT_EQ(regpath_cuda_available(), regpath::cuda_available() ? 1 : 0);
}

// ---- fits equal to the C++ API's ----------------------------------------------------------------

TEST(CApi, FitEqualsCppApi) {
  const Data d = make_data(60, 8, /*pad=*/3);
  regpath_options o = cpu_options();
  o.alpha = 0.7;
  o.nlambda = 30;
  regpath_path* path = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path), REGPATH_OK)
      << regpath_last_error();
  ASSERT_NE(path, nullptr);
  const CPath c = read(path);
  regpath_path_free(path);

  regpath::Options cpp;
  cpp.device = regpath::Device::cpu;
  cpp.alpha = 0.7;
  cpp.nlambda = 30;
  const regpath::Path ref =
      regpath::fit(regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.ldx}, d.y.data(), cpp);
  expect_same(c, ref);
  EXPECT_EQ(c.nlambda, 30);
  EXPECT_EQ(c.device, REGPATH_DEVICE_CPU);
  for (const int s : c.status) EXPECT_EQ(s, REGPATH_STATUS_CONVERGED);
}

// C API version 2: penalty factors and excluded features reach the fit as in the C++ API.
TEST(CApi, PenaltyFactorsAndExcludeEqualCppApi) {
  const Data d = make_data(40, 6, /*pad=*/2);
  const double factors[] = {0.5, 1, 2, 1, 3, 1};
  const std::int64_t exclude[] = {3};
  regpath_options o = cpu_options();
  o.alpha = 0.8;
  o.nlambda = 12;
  o.penalty_factors = factors;
  o.n_penalty_factors = 6;
  o.exclude = exclude;
  o.n_exclude = 1;
  regpath_path* path = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path), REGPATH_OK)
      << regpath_last_error();
  const CPath c = read(path);
  regpath_path_free(path);

  regpath::Options cpp;
  cpp.device = regpath::Device::cpu;
  cpp.alpha = 0.8;
  cpp.nlambda = 12;
  cpp.penalty_factors.assign(factors, factors + 6);
  cpp.exclude = {3};
  const regpath::Path ref =
      regpath::fit(regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.ldx}, d.y.data(), cpp);
  expect_same(c, ref);
  for (std::int64_t k = 0; k < c.nlambda; ++k) EXPECT_EQ(c.coefs[std::size_t(3 + k * d.p)], 0.0);
  const double lower[] = {-0.5}, upper[] = {0.05, 1, 1, 1, 1, 1};  // one for all, one each
  o.lower_limits = lower;
  o.n_limits = 1;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path), REGPATH_OK)
      << regpath_last_error();
  const CPath bounded = read(path);
  regpath_path_free(path);
  cpp.lower_limits = {-0.5};
  EXPECT_EQ(bounded.coefs, regpath::fit(regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.ldx},
                                        d.y.data(), cpp)
                               .coefs);
  o.lower_limits = nullptr;
  o.upper_limits = upper;
  o.n_limits = 6;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path), REGPATH_OK)
      << regpath_last_error();
  const CPath capped = read(path);
  regpath_path_free(path);
  for (std::int64_t k = 0; k < capped.nlambda; ++k)
    EXPECT_LE(capped.coefs[std::size_t(k * d.p)], 0.05);
  o.n_limits = 0;
  o.n_penalty_factors = 5;  // the count is checked against p
  EXPECT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpath_last_error()).find("5 values for 6 features"), std::string::npos)
      << regpath_last_error();
}

// C API version 3: observation weights (n values, the rows of X) reach the fit as in the C++
// API; a bad weight is named; X in device memory refuses them (and penalty factors of 0).
TEST(CApi, WeightsEqualCppApi) {
  const Data d = make_data(30, 5, /*pad=*/2);
  std::vector<double> weights(static_cast<std::size_t>(d.n));
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = 0.25 + double(i % 4);
  regpath_options o = cpu_options();
  o.alpha = 0.6;
  o.nlambda = 10;
  o.weights = weights.data();
  regpath_path* path = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path), REGPATH_OK)
      << regpath_last_error();
  const CPath c = read(path);
  regpath_path_free(path);
  regpath::Options cpp;
  cpp.device = regpath::Device::cpu;
  cpp.alpha = 0.6;
  cpp.nlambda = 10;
  cpp.weights = weights;
  const regpath::MatrixView<double> X{d.X.data(), d.n, d.p, d.ldx};
  expect_same(c, regpath::fit(X, d.y.data(), cpp));
  cpp.weights.clear();  // and they did change the fit
  EXPECT_NE(c.coefs, regpath::fit(X, d.y.data(), cpp).coefs);

  weights[7] = -2;
  EXPECT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(path, nullptr);
  EXPECT_TRUE(contains(regpath_last_error(), "regpath_fit_d: invalid weights[7] = -2"))
      << regpath_last_error();
  weights[7] = 1;
  EXPECT_EQ(regpath_fit_device_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(regpath_last_error(), "weights")) << regpath_last_error();
  EXPECT_TRUE(contains(regpath_last_error(), "device memory")) << regpath_last_error();

  // A penalty factor of 0 on device input is refused by name (it used to be taken as a 1);
  // checked before any device is looked for, so it runs without a GPU
  o.weights = nullptr;
  std::vector<double> factors(std::size_t(d.p), 1.0);
  factors[2] = 0;
  o.penalty_factors = factors.data();
  o.n_penalty_factors = d.p;
  EXPECT_EQ(regpath_fit_device_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(path, nullptr);
  EXPECT_TRUE(contains(regpath_last_error(), "invalid penalty_factors[2] = 0: a factor of 0"))
      << regpath_last_error();
}

TEST(CApi, FitEveryOptionEqualsCppApi) {
  const Data d = make_data(25, 40);  // p > n
  const double lambdas[] = {0.05, 0.5, 0.2};  // any order; reported descending
  regpath_options o = cpu_options();
  o.alpha = 0.3;
  o.lambdas = lambdas;
  o.n_lambdas = 3;
  o.standardize = 0;
  o.intercept = 0;
  o.tol = 1e-9;
  o.max_iter = 5000;
  o.block_size = 2;
  o.check_every = 5;
  regpath_path* path = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path), REGPATH_OK)
      << regpath_last_error();
  const CPath c = read(path);
  regpath_path_free(path);

  regpath::Options cpp;
  cpp.device = regpath::Device::cpu;
  cpp.alpha = 0.3;
  cpp.lambdas = {0.05, 0.5, 0.2};
  cpp.standardize = false;
  cpp.intercept = false;
  cpp.tol = 1e-9;
  cpp.max_iter = 5000;
  cpp.block_size = 2;
  cpp.check_every = 5;
  const regpath::Path ref =
      regpath::fit(regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.ldx}, d.y.data(), cpp);
  expect_same(c, ref);
  EXPECT_EQ(c.lambdas, (std::vector<double>{0.5, 0.2, 0.05}));
  for (const double b0 : c.intercepts) EXPECT_EQ(b0, 0.0);
}

TEST(CApi, FitAutomaticRatioAndExplicitRatio) {
  const Data d = make_data(30, 5);
  regpath_options o = cpu_options();
  o.nlambda = 5;
  o.lambda_min_ratio = 0.01;
  regpath_path* path = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path), REGPATH_OK)
      << regpath_last_error();
  const CPath c = read(path);
  regpath_path_free(path);
  EXPECT_NEAR(c.lambdas.back() / c.lambda_max, 0.01, 1e-12);
  EXPECT_NEAR(c.lambdas.front(), c.lambda_max, 1e-12 * c.lambda_max);

  o.lambda_min_ratio = 0;  // automatic: 1e-4 with n ≥ p
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path), REGPATH_OK);
  const CPath a = read(path);
  regpath_path_free(path);
  EXPECT_NEAR(a.lambdas.back() / a.lambda_max, 1e-4, 1e-15);
}

TEST(CApi, FitFloatEqualsCppApi) {
  const Data d = make_data(50, 6, /*pad=*/2);
  const std::vector<float> Xf(d.X.begin(), d.X.end());
  const std::vector<float> yf(d.y.begin(), d.y.end());
  for (const int precision : {REGPATH_FLOAT32, REGPATH_FLOAT64}) {
    regpath_options o = cpu_options();
    o.precision = precision;
    o.nlambda = 12;
    regpath_path* path = nullptr;
    ASSERT_EQ(regpath_fit_s(&o, d.n, d.p, Xf.data(), d.ldx, yf.data(), &path), REGPATH_OK)
        << regpath_last_error();
    const CPath c = read(path);
    regpath_path_free(path);

    regpath::Options cpp;
    cpp.device = regpath::Device::cpu;
    cpp.precision = static_cast<regpath::Precision>(precision);
    cpp.nlambda = 12;
    const regpath::Path ref =
        regpath::fit(regpath::MatrixView<float>{Xf.data(), d.n, d.p, d.ldx}, yf.data(), cpp);
    SCOPED_TRACE(precision == REGPATH_FLOAT32 ? "float32" : "float64");
    expect_same(c, ref);
  }
}

TEST(CApi, NonConvergenceIsAStatusNotAnError) {
  const Data d = make_data(40, 10);
  regpath_options o = cpu_options();
  o.max_iter = 1;
  o.nlambda = 10;
  o.tol = 1e-14;
  regpath_path* path = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path), REGPATH_OK)
      << regpath_last_error();
  const CPath c = read(path);
  regpath_path_free(path);
  int max_iter = 0;
  for (const int s : c.status) max_iter += s == REGPATH_STATUS_MAX_ITER;
  EXPECT_GT(max_iter, 0);
}

TEST(CApi, ConcurrentFitsAreIndependent) {
  const Data d = make_data(80, 12);
  regpath_options o = cpu_options();
  o.nlambda = 20;
  regpath_path* path = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path), REGPATH_OK);
  const CPath serial = read(path);
  regpath_path_free(path);

  std::vector<std::vector<double>> coefs(4);
  std::vector<int> codes(4, -1);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      regpath_path* mine = nullptr;
      codes[t] = regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &mine);
      if (codes[t] != REGPATH_OK) return;
      coefs[t].resize(serial.coefs.size());
      regpath_path_coefs(mine, coefs[t].data());
      regpath_path_free(mine);
    });
  for (auto& th : threads) th.join();
  for (std::size_t t = 0; t < 4; ++t) {
    EXPECT_EQ(codes[t], REGPATH_OK) << "thread " << t;
    EXPECT_EQ(coefs[t], serial.coefs) << "thread " << t;
  }
}

// ---- bad arguments ------------------------------------------------------------------------------

struct BadCase {
  const char* name;
  std::function<void(regpath_options&, std::int64_t& n, std::int64_t& p, std::int64_t& ldx,
                     bool& null_X, bool& null_y, bool& null_out, bool& null_options)>
      mutate;
  std::vector<std::string> needles;  // all in the message
};

const double kBadLambdas[] = {0.5, -1.0};
const double kZeroLambda[] = {0.0};
const double kInfLambda[] = {std::numeric_limits<double>::infinity()};
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

using M = regpath_options;
using I = std::int64_t;
#define BAD(body) [](M & o, I & n, I & p, I & ldx, bool& nX, bool& ny, bool& nout, bool& nopt) { \
  (void)o; (void)n; (void)p; (void)ldx; (void)nX; (void)ny; (void)nout; (void)nopt; body; }

std::vector<BadCase> bad_cases() {
  return {
      {"null options", BAD(nopt = true), {"options", "NULL"}},
      {"null out", BAD(nout = true), {"out", "NULL"}},
      {"null X", BAD(nX = true), {"X", "NULL"}},
      {"null y", BAD(ny = true), {"y", "NULL"}},
      {"n = 1", BAD(n = 1; ldx = 1), {"n = 1", "at least 2"}},
      {"negative n", BAD(n = -5), {"n = -5"}},
      {"p = 0", BAD(p = 0), {"p = 0", "at least 1"}},
      {"negative p", BAD(p = -3), {"p = -3"}},
      {"ldx < n", BAD(ldx = n - 1), {"ldx = 19", "n = 20"}},
      {"negative ldx", BAD(ldx = -1), {"ldx = -1"}},
      {"ldx overflows", BAD(ldx = std::numeric_limits<I>::max() / 2), {"ldx", "64-bit"}},
      {"alpha > 1", BAD(o.alpha = 1.5), {"alpha = 1.5", "[0, 1]"}},
      {"alpha < 0", BAD(o.alpha = -0.25), {"alpha = -0.25"}},
      {"alpha NaN", BAD(o.alpha = kNaN), {"alpha = nan"}},
      {"negative lambda", BAD(o.lambdas = kBadLambdas; o.n_lambdas = 2), {"lambda[1] = -1"}},
      {"zero lambda", BAD(o.lambdas = kZeroLambda; o.n_lambdas = 1), {"lambda[0] = 0"}},
      {"infinite lambda", BAD(o.lambdas = kInfLambda; o.n_lambdas = 1), {"lambda[0] = inf"}},
      {"negative n_lambdas", BAD(o.n_lambdas = -2), {"n_lambdas = -2"}},
      {"NULL lambdas", BAD(o.lambdas = nullptr; o.n_lambdas = 3), {"lambdas", "NULL", "3"}},
      {"nlambda = 0", BAD(o.nlambda = 0), {"nlambda = 0", "at least 1"}},
      {"negative nlambda", BAD(o.nlambda = -4), {"nlambda = -4"}},
      {"huge nlambda", BAD(o.nlambda = 1 << 30), {"nlambda = 1073741824", "at most 100000"}},
      {"lambda_min_ratio < 0", BAD(o.lambda_min_ratio = -0.5), {"lambda_min_ratio = -0.5", "(0, 1)"}},
      {"lambda_min_ratio = 1", BAD(o.lambda_min_ratio = 1.0), {"lambda_min_ratio = 1"}},
      {"lambda_min_ratio > 1", BAD(o.lambda_min_ratio = 2.0), {"lambda_min_ratio = 2"}},
      {"lambda_min_ratio NaN", BAD(o.lambda_min_ratio = kNaN), {"lambda_min_ratio = nan"}},
      {"tol < 0", BAD(o.tol = -1e-3), {"tol = -0.001"}},
      {"tol NaN", BAD(o.tol = kNaN), {"tol = nan"}},
      {"tol inf", BAD(o.tol = kInf), {"tol = inf", "finite"}},
      {"max_iter = 0", BAD(o.max_iter = 0), {"max_iter = 0", "at least 1"}},
      {"negative max_iter", BAD(o.max_iter = -7), {"max_iter = -7"}},
      {"unknown family", BAD(o.family = 7), {"family = 7", "REGPATH_GAUSSIAN"}},
      {"unknown device", BAD(o.device = 9), {"device = 9", "REGPATH_DEVICE_CPU"}},
      {"negative device", BAD(o.device = -1), {"device = -1"}},
      {"unknown precision", BAD(o.precision = 3), {"precision = 3", "REGPATH_FLOAT32"}},
      {"negative block_size", BAD(o.block_size = -1), {"block_size = -1"}},
      {"negative check_every", BAD(o.check_every = -2), {"check_every = -2"}},
      {"glmnet_y_scaling", BAD(o.glmnet_y_scaling = 2), {"glmnet_y_scaling = 2", "0 (off) or 1"}},
      {"negative n_limits", BAD(o.n_limits = -1), {"n_limits = -1"}},
      {"negative n_penalty_factors", BAD(o.n_penalty_factors = -1), {"n_penalty_factors = -1"}},
      {"null penalty_factors", BAD(o.n_penalty_factors = 3), {"penalty_factors: NULL", "= 3"}},
      {"negative n_exclude", BAD(o.n_exclude = -2), {"n_exclude = -2"}},
      {"null exclude", BAD(o.exclude = nullptr; o.n_exclude = 1), {"exclude: NULL"}},
  };
}

// Every bad case through one fit function: INVALID_ARGUMENT, *out set to NULL, and a message
// that starts with the function's name and names the argument and its value.
template <typename T, typename Fit>
void check_all_bad_arguments(const char* function, Fit fit) {
  const Data d = make_data(20, 4);
  const std::vector<T> X(d.X.begin(), d.X.end()), y(d.y.begin(), d.y.end());
  for (const BadCase& c : bad_cases()) {
    SCOPED_TRACE(std::string(function) + ", " + c.name);
    regpath_options o = cpu_options();
    I n = d.n, p = d.p, ldx = d.ldx;
    bool null_X = false, null_y = false, null_out = false, null_options = false;
    c.mutate(o, n, p, ldx, null_X, null_y, null_out, null_options);
    regpath_path* sentinel = reinterpret_cast<regpath_path*>(&o);  // must be overwritten
    regpath_path* path = sentinel;
    const int code = fit(null_options ? nullptr : &o, n, p, null_X ? nullptr : X.data(), ldx,
                         null_y ? nullptr : y.data(), null_out ? nullptr : &path);
    EXPECT_EQ(code, REGPATH_ERROR_INVALID_ARGUMENT) << regpath_last_error();
    if (!null_out) {
      EXPECT_EQ(path, nullptr);
    }
    const std::string message = regpath_last_error();
    EXPECT_TRUE(contains(message, std::string(function) + ": ")) << message;
    for (const std::string& needle : c.needles)
      EXPECT_TRUE(contains(message, needle)) << "'" << needle << "' not in: " << message;
    if (code == REGPATH_OK && !null_out) regpath_path_free(path);
  }
}

// A binomial response must be coded 0/1; one that is is fitted.
TEST(CApi, BinomialResponseMustBeZeroOne) {
  const Data d = make_data(30, 3);
  regpath_options o = cpu_options();
  o.family = REGPATH_BINOMIAL;
  o.nlambda = 5;
  regpath_path* path = nullptr;
  EXPECT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(regpath_last_error(), "coded 0/1")) << regpath_last_error();
  std::vector<double> labels(d.y.size());
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = d.y[i] > d.y[0] ? 1.0 : 0.0;
  labels[0] = 1.0;
  labels[1] = 0.0;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, labels.data(), &path), REGPATH_OK)
      << regpath_last_error();
  EXPECT_EQ(regpath_path_nlambda(path), 5);
  regpath_path_free(path);
}

// glmnet_y_scaling reaches the solver: the C path equals the C++ one with the same option, and
// differs from the unscaled path where the ridge part matters.
TEST(CApi, GlmnetYScalingReachesTheSolver) {
  const Data d = make_data(40, 5);
  regpath_options o = cpu_options();
  o.alpha = 0.3;
  o.nlambda = 6;
  o.glmnet_y_scaling = 1;
  regpath_path *scaled = nullptr, *plain = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &scaled), REGPATH_OK)
      << regpath_last_error();
  o.glmnet_y_scaling = 0;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &plain), REGPATH_OK)
      << regpath_last_error();
  regpath::Options cpp;
  cpp.device = regpath::Device::cpu;
  cpp.alpha = 0.3;
  cpp.nlambda = 6;
  cpp.glmnet_y_scaling = true;
  const regpath::Path expected =
      regpath::fit(regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.ldx}, d.y.data(), cpp);
  EXPECT_EQ(read(scaled).coefs, expected.coefs);
  EXPECT_NE(read(plain).coefs, expected.coefs);
  regpath_path_free(scaled);
  regpath_path_free(plain);
}

TEST(CApi, EveryBadArgumentOfFitD) {
  check_all_bad_arguments<double>("regpath_fit_d", regpath_fit_d);
}
TEST(CApi, EveryBadArgumentOfFitS) {
  check_all_bad_arguments<float>("regpath_fit_s", regpath_fit_s);
}
// Arguments are checked before the device is: a bad argument is INVALID_ARGUMENT everywhere.
TEST(CApi, EveryBadArgumentOfFitDeviceD) {
  check_all_bad_arguments<double>("regpath_fit_device_d", regpath_fit_device_d);
}
TEST(CApi, EveryBadArgumentOfFitDeviceS) {
  check_all_bad_arguments<float>("regpath_fit_device_s", regpath_fit_device_s);
}

TEST(CApi, OptionsValidateNamesTheField) {
  regpath_options o = cpu_options();
  o.alpha = 2.0;
  EXPECT_EQ(regpath_options_validate(&o), REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(regpath_last_error(), "regpath_options_validate: invalid alpha = 2"))
      << regpath_last_error();
  EXPECT_EQ(regpath_options_validate(nullptr), REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(regpath_last_error(), "options")) << regpath_last_error();
}

TEST(CApi, NonFiniteDataNamesRowAndColumn) {
  Data d = make_data(20, 4);
  d.X[3 + 2 * static_cast<std::size_t>(d.ldx)] = kNaN;  // row 4, column 3 (1-based)
  regpath_options o = cpu_options();
  regpath_path* path = nullptr;
  EXPECT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(path, nullptr);
  EXPECT_TRUE(contains(regpath_last_error(), "row 4, column 3")) << regpath_last_error();

  d = make_data(20, 4);
  d.y[5] = kInf;
  EXPECT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(regpath_last_error(), "invalid y")) << regpath_last_error();
}

TEST(CApi, ConstantResponseWithoutLambdasIsAnError) {
  Data d = make_data(20, 3);
  std::fill(d.y.begin(), d.y.end(), 4.0);  // λ_max = 0: no automatic path
  regpath_options o = cpu_options();
  regpath_path* path = nullptr;
  EXPECT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(regpath_last_error(), "lambda")) << regpath_last_error();
}

// An allocation that cannot succeed is a code, not a crash: a λ list longer than the address
// space can hold (8 PiB, 4 EiB). Its storage is allocated before a value is read, and that
// allocation is what fails; the counts are small enough that lambdas + count does not wrap.
TEST(CApi, OutOfMemoryIsACode) {
  const Data d = make_data(20, 3);
  const double lambda = 0.1;
  for (const std::int64_t count : {std::int64_t{1} << 50, std::int64_t{1} << 59}) {
    regpath_options o = cpu_options();
    o.lambdas = &lambda;
    o.n_lambdas = count;
    regpath_path* path = nullptr;
    EXPECT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path),
              REGPATH_ERROR_OUT_OF_MEMORY)
        << regpath_last_error();
    EXPECT_EQ(path, nullptr);
    EXPECT_TRUE(contains(regpath_last_error(), "out of memory")) << regpath_last_error();
  }
}

// ---- devices ------------------------------------------------------------------------------------

TEST(CApi, CudaRequestedWithoutCudaIsADeviceError) {
  if (regpath_cuda_available()) GTEST_SKIP() << "a CUDA device is usable here";
  const Data d = make_data(20, 3);
  regpath_options o = cpu_options();
  o.device = REGPATH_DEVICE_CUDA;
  regpath_path* path = nullptr;
  EXPECT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path),
            REGPATH_ERROR_DEVICE);
  EXPECT_EQ(path, nullptr);
  EXPECT_TRUE(contains(regpath_last_error(), "regpath_fit_d: ")) << regpath_last_error();
  EXPECT_TRUE(contains(regpath_last_error(), "cuda")) << regpath_last_error();
}

TEST(CApi, DevicePointersWithoutCudaAreADeviceError) {
  if (regpath_cuda_available()) GTEST_SKIP() << "a CUDA device is usable here";
  const Data d = make_data(20, 3);
  const std::vector<float> Xf(d.X.begin(), d.X.end()), yf(d.y.begin(), d.y.end());
  regpath_options o = cpu_options();
  regpath_path* path = nullptr;
  EXPECT_EQ(regpath_fit_device_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path),
            REGPATH_ERROR_DEVICE);
  EXPECT_EQ(path, nullptr);
  std::string message = regpath_last_error();
  EXPECT_TRUE(contains(message, "regpath_fit_device_d: ")) << message;
  EXPECT_TRUE(contains(message, "no CUDA device is usable")) << message;
  EXPECT_EQ(regpath_fit_device_s(&o, d.n, d.p, Xf.data(), d.ldx, yf.data(), &path),
            REGPATH_ERROR_DEVICE);
  message = regpath_last_error();
  EXPECT_TRUE(contains(message, "regpath_fit_device_s: ")) << message;
}

#ifdef REGPATH_C_API_TEST_CUDA
// Relative distance of two paths' coefficients, scaled by the largest coefficient.
double coef_distance(const std::vector<double>& a, const std::vector<double>& b) {
  double scale = 1e-300, diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    scale = std::max(scale, std::fabs(a[i]));
    diff = std::max(diff, std::fabs(a[i] - b[i]));
  }
  return a.size() == b.size() ? diff / scale : 1e300;
}

// X and y in device memory give the path of the same data in host memory, fitted on CUDA.
TEST(CApi, DevicePointersEqualHostFit) {
  if (!regpath_cuda_available()) GTEST_SKIP() << "no CUDA device is usable here";
  const Data d = make_data(40, 6, /*pad=*/2);
  const std::vector<float> Xf(d.X.begin(), d.X.end()), yf(d.y.begin(), d.y.end());
  void *dX = nullptr, *dy = nullptr, *dXf = nullptr, *dyf = nullptr;
  ASSERT_EQ(cudaMalloc(&dX, d.X.size() * sizeof(double)), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&dy, d.y.size() * sizeof(double)), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&dXf, Xf.size() * sizeof(float)), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&dyf, yf.size() * sizeof(float)), cudaSuccess);
  cudaMemcpy(dX, d.X.data(), d.X.size() * sizeof(double), cudaMemcpyHostToDevice);
  cudaMemcpy(dy, d.y.data(), d.y.size() * sizeof(double), cudaMemcpyHostToDevice);
  cudaMemcpy(dXf, Xf.data(), Xf.size() * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemcpy(dyf, yf.data(), yf.size() * sizeof(float), cudaMemcpyHostToDevice);
  regpath_options o = cpu_options();
  o.device = REGPATH_DEVICE_CUDA;
  o.nlambda = 10;
  regpath_path *host = nullptr, *dev = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &host), REGPATH_OK)
      << regpath_last_error();
  ASSERT_EQ(regpath_fit_device_d(&o, d.n, d.p, static_cast<const double*>(dX), d.ldx,
                                 static_cast<const double*>(dy), &dev),
            REGPATH_OK)
      << regpath_last_error();
  EXPECT_LT(coef_distance(read(dev).coefs, read(host).coefs), 1e-6);
  regpath_path_free(host);
  regpath_path_free(dev);
  o.precision = REGPATH_FLOAT32;
  ASSERT_EQ(regpath_fit_s(&o, d.n, d.p, Xf.data(), d.ldx, yf.data(), &host), REGPATH_OK)
      << regpath_last_error();
  ASSERT_EQ(regpath_fit_device_s(&o, d.n, d.p, static_cast<const float*>(dXf), d.ldx,
                                 static_cast<const float*>(dyf), &dev),
            REGPATH_OK)
      << regpath_last_error();
  EXPECT_LT(coef_distance(read(dev).coefs, read(host).coefs), 1e-2);
  regpath_path_free(host);
  regpath_path_free(dev);
  // the CPU cannot read device memory; a host pointer is not device memory; precision mismatch
  o.precision = REGPATH_FLOAT64;
  o.device = REGPATH_DEVICE_CPU;
  EXPECT_EQ(regpath_fit_device_d(&o, d.n, d.p, static_cast<const double*>(dX), d.ldx,
                                 static_cast<const double*>(dy), &dev),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(regpath_last_error(), "REGPATH_DEVICE_CPU")) << regpath_last_error();
  o.device = REGPATH_DEVICE_AUTO;
  EXPECT_EQ(regpath_fit_device_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &dev),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(regpath_last_error(), "host memory")) << regpath_last_error();
  EXPECT_EQ(regpath_fit_device_s(&o, d.n, d.p, static_cast<const float*>(dXf), d.ldx,
                                 static_cast<const float*>(dyf), &dev),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(regpath_last_error(), "precision")) << regpath_last_error();
  cudaFree(dX);
  cudaFree(dy);
  cudaFree(dXf);
  cudaFree(dyf);
}

// The ordering contract (regpath.h): X and y written by work queued on stream 0 just before the
// call — here a memset of garbage, then the real data copied asynchronously from page-locked
// memory, neither waited for — are read after that work. Large enough that the copies are still
// running when the fit starts if regpath did not wait for them.
TEST(CApi, DeviceInputWrittenOnStreamZeroIsReadAfterIt) {
  if (!regpath_cuda_available()) GTEST_SKIP() << "no CUDA device is usable here";
  const Data d = make_data(20000, 50, /*pad=*/0);
  const std::size_t xb = d.X.size() * sizeof(double), yb = d.y.size() * sizeof(double);
  void *dX = nullptr, *dy = nullptr, *hX = nullptr, *hy = nullptr;
  ASSERT_EQ(cudaMalloc(&dX, xb), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&dy, yb), cudaSuccess);
  ASSERT_EQ(cudaMallocHost(&hX, xb), cudaSuccess);
  ASSERT_EQ(cudaMallocHost(&hy, yb), cudaSuccess);
  std::memcpy(hX, d.X.data(), xb);
  std::memcpy(hy, d.y.data(), yb);
  regpath_options o = cpu_options();
  o.nlambda = 5;
  regpath_path *host = nullptr, *dev = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &host), REGPATH_OK)
      << regpath_last_error();
  o.device = REGPATH_DEVICE_CUDA;
  for (int round = 0; round < 3; ++round) {
    ASSERT_EQ(cudaMemsetAsync(dX, 0x7f, xb, 0), cudaSuccess);  // garbage first (huge values)
    ASSERT_EQ(cudaMemsetAsync(dy, 0x7f, yb, 0), cudaSuccess);
    ASSERT_EQ(cudaMemcpyAsync(dX, hX, xb, cudaMemcpyHostToDevice, 0), cudaSuccess);
    ASSERT_EQ(cudaMemcpyAsync(dy, hy, yb, cudaMemcpyHostToDevice, 0), cudaSuccess);
    ASSERT_EQ(regpath_fit_device_d(&o, d.n, d.p, static_cast<const double*>(dX), d.ldx,
                                   static_cast<const double*>(dy), &dev),
              REGPATH_OK)
        << regpath_last_error();
    EXPECT_LT(coef_distance(read(dev).coefs, read(host).coefs), 1e-6) << "round " << round;
    regpath_path_free(dev);
    dev = nullptr;
  }
  regpath_path_free(host);
  cudaFree(dX);
  cudaFree(dy);
  cudaFreeHost(hX);
  cudaFreeHost(hy);
}
#endif

// ---- NULL safety --------------------------------------------------------------------------------

TEST(CApi, NullPathIsSafeEverywhere) {
  regpath_path_free(nullptr);
  EXPECT_EQ(regpath_path_nlambda(nullptr), -1);
  EXPECT_TRUE(contains(regpath_last_error(), "regpath_path_nlambda: invalid path: NULL"));
  EXPECT_EQ(regpath_path_nfeatures(nullptr), -1);
  EXPECT_TRUE(contains(regpath_last_error(), "regpath_path_nfeatures: invalid path: NULL"));

  double value = 0;
  int code = 0;
  using DoubleAccessor = int (*)(const regpath_path*, double*);
  using IntAccessor = int (*)(const regpath_path*, int*);
  const std::vector<std::pair<const char*, DoubleAccessor>> doubles = {
      {"regpath_path_lambdas", regpath_path_lambdas},
      {"regpath_path_intercepts", regpath_path_intercepts},
      {"regpath_path_coefs", regpath_path_coefs},
      {"regpath_path_gaps", regpath_path_gaps},
      {"regpath_path_dev_ratio", regpath_path_dev_ratio},
      {"regpath_path_lambda_max", regpath_path_lambda_max}};
  const std::vector<std::pair<const char*, IntAccessor>> ints = {
      {"regpath_path_status", regpath_path_status},
      {"regpath_path_iterations", regpath_path_iterations},
      {"regpath_path_device", regpath_path_device}};

  const Data d = make_data(20, 3);
  regpath_options o = cpu_options();
  o.nlambda = 4;
  regpath_path* path = nullptr;
  ASSERT_EQ(regpath_fit_d(&o, d.n, d.p, d.X.data(), d.ldx, d.y.data(), &path), REGPATH_OK);
  for (const auto& [name, f] : doubles) {
    EXPECT_EQ(f(nullptr, &value), REGPATH_ERROR_INVALID_ARGUMENT) << name;
    EXPECT_TRUE(contains(regpath_last_error(), std::string(name) + ": invalid path: NULL"))
        << regpath_last_error();
    EXPECT_EQ(f(path, nullptr), REGPATH_ERROR_INVALID_ARGUMENT) << name;
    EXPECT_TRUE(contains(regpath_last_error(), std::string(name) + ": invalid out: NULL"))
        << regpath_last_error();
  }
  for (const auto& [name, f] : ints) {
    EXPECT_EQ(f(nullptr, &code), REGPATH_ERROR_INVALID_ARGUMENT) << name;
    EXPECT_TRUE(contains(regpath_last_error(), std::string(name) + ": invalid path: NULL"))
        << regpath_last_error();
    EXPECT_EQ(f(path, nullptr), REGPATH_ERROR_INVALID_ARGUMENT) << name;
    EXPECT_TRUE(contains(regpath_last_error(), std::string(name) + ": invalid out: NULL"))
        << regpath_last_error();
  }
  regpath_path_free(path);
}

// ---- strings ------------------------------------------------------------------------------------

TEST(CApi, StatusStringForEveryCode) {
  const std::vector<std::pair<int, std::string>> codes = {
      {REGPATH_OK, "ok"},
      {REGPATH_ERROR_INVALID_ARGUMENT, "invalid argument"},
      {REGPATH_ERROR_DEVICE, "device error"},
      {REGPATH_ERROR_OUT_OF_MEMORY, "out of memory"},
      {REGPATH_ERROR_INTERNAL, "internal error"},
      {REGPATH_ERROR_IO, "file error"}};
  std::set<std::string> seen;
  for (const auto& [code, text] : codes) {
    ASSERT_NE(regpath_status_string(code), nullptr);
    EXPECT_EQ(regpath_status_string(code), text) << code;
    seen.insert(regpath_status_string(code));
  }
  EXPECT_EQ(seen.size(), codes.size());
  for (const int unknown : {-1, 6, 99, std::numeric_limits<int>::min()})
    EXPECT_STREQ(regpath_status_string(unknown), "unknown code") << unknown;
}

TEST(CApi, PathStatusStringsAreTheCppNames) {
  for (const regpath::Status s :
       {regpath::Status::converged, regpath::Status::max_iter, regpath::Status::stalled})
    EXPECT_STREQ(regpath_path_status_string(static_cast<int>(s)), regpath::to_string(s));
  EXPECT_STREQ(regpath_path_status_string(REGPATH_STATUS_CONVERGED), "converged");
  EXPECT_STREQ(regpath_path_status_string(REGPATH_STATUS_MAX_ITER), "max_iter");
  EXPECT_STREQ(regpath_path_status_string(REGPATH_STATUS_STALLED), "stalled");
  EXPECT_STREQ(regpath_path_status_string(3), "unknown status");
  EXPECT_STREQ(regpath_path_status_string(-1), "unknown status");
}

// ---- the thread-local error message -------------------------------------------------------------

TEST(CApi, ErrorMessageIsThreadLocal) {
  regpath_options main_options = cpu_options();
  main_options.max_iter = 0;
  ASSERT_EQ(regpath_options_validate(&main_options), REGPATH_ERROR_INVALID_ARGUMENT);
  const std::string main_message = regpath_last_error();
  ASSERT_TRUE(contains(main_message, "max_iter = 0"));

  // Two threads fail differently, each waiting until the other has failed too before it reads
  // its message; a third never fails and sees no message.
  std::mutex m;
  std::condition_variable cv;
  int failed = 0;
  std::string messages[2];
  auto worker = [&](int id) {
    regpath_options o = cpu_options();
    if (id == 0) o.alpha = 3.0; else o.nlambda = -9;
    regpath_options_validate(&o);
    std::unique_lock<std::mutex> lock(m);
    ++failed;
    cv.notify_all();
    cv.wait(lock, [&] { return failed == 2; });
    messages[id] = regpath_last_error();
  };
  std::string clean = "unset";
  std::thread a(worker, 0), b(worker, 1), c([&] { clean = regpath_last_error(); });
  a.join();
  b.join();
  c.join();
  EXPECT_TRUE(contains(messages[0], "alpha = 3")) << messages[0];
  EXPECT_FALSE(contains(messages[0], "nlambda")) << messages[0];
  EXPECT_TRUE(contains(messages[1], "nlambda = -9")) << messages[1];
  EXPECT_FALSE(contains(messages[1], "alpha")) << messages[1];
  EXPECT_EQ(clean, "");
  EXPECT_EQ(regpath_last_error(), main_message);  // untouched by the other threads

  // A successful call leaves the last failure's message in place (it is errno-like).
  regpath_options good = cpu_options();
  EXPECT_EQ(regpath_options_validate(&good), REGPATH_OK);
  EXPECT_EQ(regpath_last_error(), main_message);
}

// The message for an automatic path that cannot be built names the C API's fields, not only the
// command line's flag.
TEST(CApi, ConstantResponseMessageNamesTheCOption) {
  const std::int64_t n = 6, p = 2;
  std::vector<double> X{1, 2, 3, 4, 5, 6, 2, 1, 2, 1, 2, 1}, y(n, 3.0);
  regpath_options o;
  regpath_options_init(&o);
  o.device = REGPATH_DEVICE_CPU;
  regpath_path* path = nullptr;
  EXPECT_EQ(regpath_fit_d(&o, n, p, X.data(), n, y.data(), &path), REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(path, nullptr);
  const std::string msg = regpath_last_error();
  EXPECT_NE(msg.find("regpath_options.lambdas"), std::string::npos) << msg;
}

}  // namespace
