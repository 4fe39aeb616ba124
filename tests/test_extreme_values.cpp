// Extreme but finite data through the C++ and C APIs: every number handed back is finite, every
// "converged" λ has a finite gap within tol, or the call refuses with std::invalid_argument
// saying what overflows. Never a result holding Inf or NaN.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "regpath/regpath.h"
#include "regpath/regpath.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

::testing::AssertionResult all_finite(const Path& p, double tol, const std::string& what) {
  auto bad = [&](const std::vector<double>& v, const char* name) -> std::string {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (!std::isfinite(v[i])) return std::string(name) + "[" + std::to_string(i) + "] = " +
                                        std::to_string(v[i]);
    return "";
  };
  for (const auto& [v, name] : {std::pair{&p.lambdas, "lambdas"}, {&p.intercepts, "intercepts"},
                                {&p.coefs, "coefs"}, {&p.gaps, "gaps"}, {&p.dev_ratio, "dev_ratio"}}) {
    const std::string b = bad(*v, name);
    if (!b.empty()) return ::testing::AssertionFailure() << what << ": " << b;
  }
  if (!std::isfinite(p.lambda_max)) return ::testing::AssertionFailure() << what << ": lambda_max";
  for (std::size_t k = 0; k < p.status.size(); ++k)
    if (p.status[k] == Status::converged && !(p.gaps[k] <= tol))
      return ::testing::AssertionFailure()
             << what << ": λ " << k << " converged with gap " << p.gaps[k] << " > tol " << tol;
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult all_finite(const CvResult& r, double tol, const std::string& what) {
  for (const CvCurve& c : r.curves) {
    for (std::size_t k = 0; k < c.cvm.size(); ++k)
      if (!std::isfinite(c.cvm[k]) || !std::isfinite(c.cvsd[k]) ||
          !std::isfinite(c.cvm[k] + c.cvsd[k]) || !std::isfinite(c.lambdas[k]))
        return ::testing::AssertionFailure() << what << ": cv curve at " << k << ": cvm "
                                             << c.cvm[k] << ", cvsd " << c.cvsd[k];
    if (!std::isfinite(c.lambda_min) || !std::isfinite(c.lambda_1se))
      return ::testing::AssertionFailure() << what << ": lambda.min/1se";
    auto full = all_finite(c.path, tol, what + " full-data path");
    if (!full) return full;
    for (const Path& f : c.fold_paths) {
      auto fold = all_finite(f, tol, what + " fold path");
      if (!fold) return fold;
    }
  }
  return ::testing::AssertionSuccess();
}

Options cpu(Precision precision) {
  Options o;
  o.device = Device::cpu;
  o.precision = precision;
  return o;
}

double tol_of(const Options& o) {
  return o.tol ? *o.tol : (o.precision == Precision::float32 ? 1e-4 : 1e-7);
}

// ---- the reported cases -------------------------------------------------------------------------

TEST(ExtremeValues, Float32ResponseNearItsLargestIsRescaled) {
  const Problem pr = random_problem(60, 5, 0.3, 11);
  // y scaled to about ±3e38, finite in float32: λ was inf in every row, all "converged".
  double m = 0;
  for (double v : pr.y) m = std::max(m, std::fabs(v));
  std::vector<float> X(pr.X.begin(), pr.X.end()), y, y1;
  for (double v : pr.y) {
    y.push_back(float(v / m * 3e38));
    y1.push_back(float(v / m));
  }
  Options o = cpu(Precision::float32);
  o.nlambda = 20;
  const MatrixView<float> view{X.data(), pr.n, pr.p, pr.n};
  const Path big = fit(view, y.data(), o);
  ASSERT_TRUE(all_finite(big, tol_of(o), "fit"));
  // The same answer as the well-scaled problem's, scaled back (float32 accuracy).
  const Path small = fit(view, y1.data(), o);
  ASSERT_EQ(big.nlambda(), small.nlambda());
  for (std::int64_t k = 0; k < big.nlambda(); ++k) {
    EXPECT_NEAR(big.lambdas[std::size_t(k)] / 3e38, small.lambdas[std::size_t(k)],
                1e-5 * small.lambdas[0]);
    for (std::int64_t j = 0; j < pr.p; ++j)
      EXPECT_NEAR(big.coef(j, k) / 3e38, small.coef(j, k), 2e-3 * (1 + std::fabs(small.coef(j, k))))
          << "λ " << k << ", feature " << j;
  }
  // Through the C API too.
  regpath_options c;
  regpath_options_init(&c);
  c.device = REGPATH_DEVICE_CPU;
  c.precision = REGPATH_FLOAT32;
  c.nlambda = 20;
  regpath_path* path = nullptr;
  ASSERT_EQ(regpath_fit_s(&c, pr.n, pr.p, X.data(), pr.n, y.data(), &path), REGPATH_OK)
      << regpath_last_error();
  std::vector<double> lambdas(20);
  ASSERT_EQ(regpath_path_lambdas(path, lambdas.data()), REGPATH_OK);
  for (double l : lambdas) EXPECT_TRUE(std::isfinite(l)) << l;
  regpath_path_free(path);
}

TEST(ExtremeValues, CvWithOneHugeResponseIsFinite) {
  const Problem pr = random_problem(60, 4, 0.3, 12);
  for (const auto& [precision, value] : {std::pair{Precision::float32, 1e20},
                                         std::pair{Precision::float64, 1e78}}) {
    std::vector<double> y = pr.y;
    y[7] = value;  // cvm was inf (float32), cvsd inf and cvlo −inf (float64)
    Options o = cpu(precision);
    o.nlambda = 10;
    CvOptions cv;
    cv.nfolds = 3;
    const CvResult r = cross_validate(pr.view(), y.data(), o, cv);
    EXPECT_TRUE(all_finite(r, tol_of(o), to_string(precision)));
    EXPECT_GT(r.curves[0].cvm[0], value * value / double(pr.n) / 10) << "the outlier's error";
  }
}

TEST(ExtremeValues, UnstandardizedHugeColumnIsRefusedNamingIt) {
  Problem pr = random_problem(40, 3, 0.3, 13);
  for (std::int64_t i = 0; i < pr.n; ++i) pr.X[std::size_t(i + pr.n)] *= 1e80;
  Options o = cpu(Precision::float64);
  o.standardize = false;
  o.nlambda = 5;
  CvOptions cv;
  cv.nfolds = 3;
  try {
    cross_validate(pr.view(), pr.y.data(), o, cv);  // cvm was NaN at every λ
    FAIL() << "no error";
  } catch (const ColumnError& e) {
    EXPECT_EQ(e.column(), 1);
    EXPECT_NE(std::string(e.what()).find("column 2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("without standardization"), std::string::npos) << e.what();
  }
  for (std::int64_t i = 0; i < pr.n; ++i) pr.X[std::size_t(i + pr.n)] *= 1e80;  // 1e160
  EXPECT_THROW(fit(pr.view(), pr.y.data(), o), ColumnError);  // %Dev was -nan
  // Binomial at 1e200 said "too large to standardize" without standardization.
  Problem bin = pr;
  for (std::int64_t i = 0; i < bin.n; ++i) bin.y[std::size_t(i)] = double(i % 2);
  o.family = Family::binomial;
  try {
    fit(bin.view(), bin.y.data(), o);
    FAIL() << "no error";
  } catch (const ColumnError& e) {
    EXPECT_EQ(std::string(e.what()).find("to standardize"), std::string::npos) << e.what();
  }
}

TEST(ExtremeValues, StandardizedColumnsAreRescaledExactly) {
  const Problem pr = random_problem(50, 4, 0.3, 14);
  Problem big = pr;
  const double scale[] = {1e200, 1e-200, 1, 1e150};
  for (std::int64_t j = 0; j < pr.p; ++j)
    for (std::int64_t i = 0; i < pr.n; ++i) big.X[std::size_t(i + j * pr.n)] *= scale[j];
  for (const Family family : {Family::gaussian, Family::binomial}) {
    Options o = cpu(Precision::float64);
    o.family = family;
    o.nlambda = 10;
    std::vector<double> y = pr.y;
    if (family == Family::binomial)
      for (std::size_t i = 0; i < y.size(); ++i) y[i] = pr.y[i] > 1.5 ? 1 : 0;
    const Path a = fit(pr.view(), y.data(), o);
    const Path b = fit(big.view(), y.data(), o);
    ASSERT_TRUE(all_finite(b, tol_of(o), "fit"));
    ASSERT_EQ(a.nlambda(), b.nlambda());
    for (std::int64_t k = 0; k < a.nlambda(); ++k) {
      EXPECT_NEAR(a.lambdas[std::size_t(k)], b.lambdas[std::size_t(k)], 1e-12 * a.lambdas[0]);
      EXPECT_NEAR(a.intercepts[std::size_t(k)], b.intercepts[std::size_t(k)], 1e-6);
      for (std::int64_t j = 0; j < pr.p; ++j)
        EXPECT_NEAR(a.coef(j, k), b.coef(j, k) * scale[j], 1e-6 * (1 + std::fabs(a.coef(j, k))));
    }
  }
}

TEST(ExtremeValues, ResponseRescalingIsExactUnderGlmnetScaling) {
  // Under glmnet's y scaling the elastic net is homogeneous in y: y·2^k at λ·2^k is β·2^k.
  const Problem pr = random_problem(50, 4, 0.3, 15);
  Options o = cpu(Precision::float64);
  o.alpha = 0.5;
  o.glmnet_y_scaling = true;
  o.nlambda = 10;
  std::vector<double> big = pr.y;
  for (double& v : big) v *= 1e200;
  const Path a = fit(pr.view(), pr.y.data(), o);
  const Path b = fit(pr.view(), big.data(), o);
  ASSERT_TRUE(all_finite(b, tol_of(o), "fit"));
  ASSERT_EQ(a.nlambda(), b.nlambda());
  for (std::int64_t k = 0; k < a.nlambda(); ++k) {
    EXPECT_NEAR(b.lambdas[std::size_t(k)] / 1e200, a.lambdas[std::size_t(k)], 1e-12 * a.lambdas[0]);
    EXPECT_NEAR(b.intercepts[std::size_t(k)] / 1e200, a.intercepts[std::size_t(k)], 1e-8);
    for (std::int64_t j = 0; j < pr.p; ++j)
      EXPECT_NEAR(b.coef(j, k) / 1e200, a.coef(j, k), 1e-7 * (1 + std::fabs(a.coef(j, k))));
  }
}

// ---- the property: a few hundred seeded extreme cases --------------------------------------------

TEST(ExtremeValues, RandomExtremeInputsGiveFiniteResultsOrARefusal) {
  int solved = 0, refused = 0;
  for (unsigned seed = 0; seed < 300; ++seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::normal_distribution<double> z;
    const bool single_input = seed % 5 == 4;  // float X and y (magnitudes within float's range)
    const double max_exp = single_input ? 36 : 300;
    const std::int64_t n = 8 + std::int64_t(u(rng) * 20), p = 1 + std::int64_t(u(rng) * 5);
    Options o = cpu(seed % 2 ? Precision::float32 : Precision::float64);
    o.standardize = seed % 3 != 0;
    o.alpha = (seed / 3) % 3 == 0 ? 1.0 : ((seed / 3) % 3 == 1 ? 0.5 : 0.0);
    o.family = seed % 7 == 3 ? Family::binomial : Family::gaussian;
    o.nlambda = 6;
    const bool cv = seed % 4 == 1;
    std::vector<double> X(static_cast<std::size_t>(n * p)), y(static_cast<std::size_t>(n)),
        signal(static_cast<std::size_t>(n));
    for (std::int64_t j = 0; j < p; ++j) {
      const double mag = std::pow(10.0, (2 * u(rng) - 1) * max_exp);
      for (std::int64_t i = 0; i < n; ++i) {
        const double v = z(rng);
        if (j == 0) signal[std::size_t(i)] = v;
        X[std::size_t(i + j * n)] = mag * v;
      }
    }
    const double ymag = std::pow(10.0, (2 * u(rng) - 1) * max_exp);
    for (std::int64_t i = 0; i < n; ++i)  // y depends on the first feature, plus noise
      y[std::size_t(i)] = o.family == Family::binomial
                              ? double(signal[std::size_t(i)] + 0.5 * z(rng) > 0)
                              : ymag * (signal[std::size_t(i)] + 0.5 * z(rng));
    if (u(rng) < 0.3 && o.family == Family::gaussian)  // one outlier, at the end of the range
      y[0] = std::min(ymag * 1e6, single_input ? 1e37 : 1e306);
    const std::string what = "seed " + std::to_string(seed) + " (n " + std::to_string(n) + ", p " +
                             std::to_string(p) + ", " + to_string(o.precision) + ", " +
                             to_string(o.family) + ", alpha " + std::to_string(o.alpha) +
                             (o.standardize ? ", standardized" : ", unstandardized") +
                             (cv ? ", cv" : ", fit") + ")";
    try {
      if (single_input) {
        std::vector<float> Xf(X.begin(), X.end()), yf(y.begin(), y.end());
        const MatrixView<float> view{Xf.data(), n, p, n};
        if (cv) {
          CvOptions c;
          c.nfolds = 3;
          EXPECT_TRUE(all_finite(cross_validate(view, yf.data(), o, c), tol_of(o), what));
        } else {
          EXPECT_TRUE(all_finite(fit(view, yf.data(), o), tol_of(o), what));
        }
      } else {
        const MatrixView<double> view{X.data(), n, p, n};
        if (cv) {
          CvOptions c;
          c.nfolds = 3;
          EXPECT_TRUE(all_finite(cross_validate(view, y.data(), o, c), tol_of(o), what));
        } else {
          EXPECT_TRUE(all_finite(fit(view, y.data(), o), tol_of(o), what));
        }
      }
      ++solved;
    } catch (const std::invalid_argument& e) {
      ++refused;  // a clear refusal is allowed; it must say something
      if (std::getenv("REGPATH_SHOW_REFUSALS")) std::printf("%s: %s\n", what.c_str(), e.what());
      EXPECT_GT(std::string(e.what()).size(), 20u) << what;
    } catch (const std::exception& e) {
      ADD_FAILURE() << what << ": unexpected " << e.what();
    }
  }
  std::printf("extreme inputs: %d solved, %d refused\n", solved, refused);
  EXPECT_GT(solved, 100) << "most extreme but finite inputs should be solved";
}

}  // namespace
}  // namespace regpath::test
