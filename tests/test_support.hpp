// Shared helpers of the test suite: configurations (backend × precision), tolerances, random
// problems, an independent objective / KKT evaluation, and comparators that say where they failed.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "regpath/regpath.hpp"

namespace regpath::test {

// ---- configurations: typed tests run over device × precision --------------------------------
template <Device D, Precision P>
struct Config {
  static constexpr Device device = D;
  static constexpr Precision precision = P;
  static std::string name() {
    return std::string(to_string(D)) + "_" + to_string(P);
  }
};
using AllConfigs = ::testing::Types<Config<Device::cpu, Precision::float64>,
                                    Config<Device::cpu, Precision::float32>,
                                    Config<Device::cuda, Precision::float64>,
                                    Config<Device::cuda, Precision::float32>>;
struct ConfigNames {
  template <typename C>
  static std::string GetName(int) { return C::name(); }
};

// Skips CUDA configurations where no device is usable, saying why.
template <typename C>
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (C::device == Device::cuda) {
      std::string why;
      if (!cuda_available(&why)) GTEST_SKIP() << "CUDA not usable: " << why;
    }
  }
  Options options() const {
    Options o;
    o.device = C::device;
    o.precision = C::precision;
    o.tol = C::precision == Precision::float64 ? 1e-10 : 1e-4;
    return o;
  }
  // One tolerance per precision, for quantities of order 1 that the solver gets to its tol.
  static double tol() { return C::precision == Precision::float64 ? 1e-7 : 2e-3; }
};

// ---- comparators ------------------------------------------------------------------------------
inline ::testing::AssertionResult all_near(const std::vector<double>& actual,
                                           const std::vector<double>& expected, double rtol,
                                           double atol, const std::string& what) {
  if (actual.size() != expected.size())
    return ::testing::AssertionFailure() << what << ": size " << actual.size() << " vs "
                                         << expected.size();
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const double bound = atol + rtol * std::fabs(expected[i]);
    if (!(std::fabs(actual[i] - expected[i]) <= bound))
      return ::testing::AssertionFailure()
             << what << ": first mismatch at index " << i << ": " << actual[i] << " vs expected "
             << expected[i] << " (|diff| " << std::fabs(actual[i] - expected[i]) << " > "
             << bound << ")";
  }
  return ::testing::AssertionSuccess();
}

// ---- problems ---------------------------------------------------------------------------------
struct Problem {
  std::int64_t n = 0, p = 0;
  std::vector<double> X;  // n × p column-major
  std::vector<double> y;
  MatrixView<double> view() const { return {X.data(), n, p, n}; }
};

// Gaussian design with equal pairwise correlation rho, columns of varied mean and scale, a sparse
// truth and noise: the glmnet paper's simulation, small.
inline Problem random_problem(std::int64_t n, std::int64_t p, double rho, unsigned seed,
                              int nonzeros = 5, double noise = 0.5) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  Problem pr;
  pr.n = n;
  pr.p = p;
  pr.X.resize(static_cast<std::size_t>(n * p));
  std::vector<double> shared(static_cast<std::size_t>(n));
  for (auto& s : shared) s = z(rng);
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < n; ++i)
      pr.X[static_cast<std::size_t>(i + j * n)] =
          (std::sqrt(rho) * shared[static_cast<std::size_t>(i)] + std::sqrt(1 - rho) * z(rng)) *
              (1.0 + 0.25 * double(j % 4)) +
          0.1 * double(j % 3);
  pr.y.assign(static_cast<std::size_t>(n), 1.5);
  for (int t = 0; t < std::min<std::int64_t>(nonzeros, p); ++t) {
    const double b = (t % 2 ? -1.0 : 1.0) * (1.0 + t);
    for (std::int64_t i = 0; i < n; ++i)
      pr.y[static_cast<std::size_t>(i)] += b * pr.X[static_cast<std::size_t>(i + t * 3 % p * n)];
  }
  for (auto& v : pr.y) v += noise * z(rng);
  return pr;
}

// ---- an independent evaluation of the objective and the optimality conditions ---------------
struct Scaling {
  std::vector<double> mean, scale;  // what the penalty's standardization subtracts / divides by
};

inline Scaling scaling_of(const Problem& pr, bool standardize, bool intercept) {
  Scaling s;
  for (std::int64_t j = 0; j < pr.p; ++j) {
    const double* x = pr.X.data() + j * pr.n;
    double m = 0, ss = 0;
    for (std::int64_t i = 0; i < pr.n; ++i) m += x[i];
    m /= double(pr.n);
    for (std::int64_t i = 0; i < pr.n; ++i) ss += (x[i] - m) * (x[i] - m);
    s.mean.push_back(intercept ? m : 0.0);
    s.scale.push_back(standardize ? std::sqrt(ss / double(pr.n)) : 1.0);
  }
  return s;
}

// (1/2n)‖y − β0 − Xβ‖² + λ[α‖β̃‖₁ + (1−α)/2‖β̃‖²], β̃_j = β_j·scale_j
inline double objective(const Problem& pr, const Scaling& s, double b0, const double* beta,
                        double lambda, double alpha) {
  double rss = 0;
  for (std::int64_t i = 0; i < pr.n; ++i) {
    double r = pr.y[static_cast<std::size_t>(i)] - b0;
    for (std::int64_t j = 0; j < pr.p; ++j) r -= pr.X[static_cast<std::size_t>(i + j * pr.n)] * beta[j];
    rss += r * r;
  }
  double l1 = 0, l2 = 0;
  for (std::int64_t j = 0; j < pr.p; ++j) {
    const double bt = beta[j] * s.scale[static_cast<std::size_t>(j)];
    l1 += std::fabs(bt);
    l2 += bt * bt;
  }
  return rss / (2.0 * double(pr.n)) + lambda * (alpha * l1 + 0.5 * (1 - alpha) * l2);
}

inline double objective(const Problem& pr, const Path& path, std::int64_t k, bool standardize,
                        bool intercept, double alpha) {
  const Scaling s = scaling_of(pr, standardize, intercept);
  return objective(pr, s, path.intercepts[static_cast<std::size_t>(k)],
                   path.coefs.data() + k * pr.p, path.lambdas[static_cast<std::size_t>(k)], alpha);
}

// The largest violation of the optimality conditions, relative to max(λ, 1e-300)·(1 + ...):
//   β̃_j ≠ 0:  g_j − λ(1−α)β̃_j = λα·sign(β̃_j);   β̃_j = 0: |g_j| ≤ λα;   Σr = 0 with an intercept
// where g_j = x̃_jᵀr/n and r the residual. Constant columns must have β_j = 0.
inline double kkt_violation(const Problem& pr, const Path& path, std::int64_t k, bool standardize,
                            bool intercept, double alpha) {
  const Scaling s = scaling_of(pr, standardize, intercept);
  const double lambda = path.lambdas[static_cast<std::size_t>(k)];
  const double* beta = path.coefs.data() + k * pr.p;
  std::vector<double> r(static_cast<std::size_t>(pr.n));
  for (std::int64_t i = 0; i < pr.n; ++i) {
    double v = pr.y[static_cast<std::size_t>(i)] - path.intercepts[static_cast<std::size_t>(k)];
    for (std::int64_t j = 0; j < pr.p; ++j) v -= pr.X[static_cast<std::size_t>(i + j * pr.n)] * beta[j];
    r[static_cast<std::size_t>(i)] = v;
  }
  double worst = 0;
  if (intercept) {
    double sum = 0;
    for (double v : r) sum += v;
    worst = std::fabs(sum) / double(pr.n) / lambda;
  }
  for (std::int64_t j = 0; j < pr.p; ++j) {
    const double sc = s.scale[static_cast<std::size_t>(j)];
    if (sc == 0) {
      worst = std::max(worst, std::fabs(beta[j]) * 1e300);
      continue;
    }
    double g = 0;
    for (std::int64_t i = 0; i < pr.n; ++i)
      g += (pr.X[static_cast<std::size_t>(i + j * pr.n)] - s.mean[static_cast<std::size_t>(j)]) /
           sc * r[static_cast<std::size_t>(i)];
    g /= double(pr.n);
    const double bt = beta[j] * sc;
    const double v = bt != 0 ? std::fabs(g - lambda * (1 - alpha) * bt -
                                         lambda * alpha * (bt > 0 ? 1.0 : -1.0))
                             : std::max(0.0, std::fabs(g) - lambda * alpha);
    worst = std::max(worst, v / lambda);
  }
  return worst;
}

}  // namespace regpath::test
