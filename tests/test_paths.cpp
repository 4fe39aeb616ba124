// Whole paths on random problems: optimality (KKT) and the reported gap, float against double,
// batched against one λ at a time, and the options that change the problem.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "backends/cpu_backend.hpp"
#include "core/engine/gaussian_path_solver.hpp"
#include "core/path/lambda_grid.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

template <typename C>
class Paths : public ConfigTest<C> {};
TYPED_TEST_SUITE(Paths, AllConfigs, ConfigNames);

struct Shape {
  int n, p;
  const char* name;
};
const Shape kShapes[] = {{200, 20, "tall (Gram form)"}, {40, 100, "wide (direct form)"},
                         {30, 30, "square (direct form)"}};

TYPED_TEST(Paths, KktAndGapOnRandomProblems) {
  const double kkt_bound = TypeParam::precision == Precision::float64 ? 1e-5 : 5e-2;
  for (const Shape& sh : kShapes)
    for (double alpha : {0.0, 0.5, 1.0}) {
      const Problem pr = random_problem(sh.n, sh.p, 0.5, unsigned(sh.n * 7 + sh.p));
      Options o = this->options();
      o.alpha = alpha;
      o.nlambda = 30;
      const Path path = fit(pr.view(), pr.y.data(), o);
      ASSERT_EQ(path.nlambda(), 30);
      for (std::int64_t k = 0; k < path.nlambda(); ++k) {
        const auto uk = std::size_t(k);
        const std::string where = std::string(sh.name) + " alpha=" + std::to_string(alpha) +
                                  " lambda[" + std::to_string(k) + "]";
        // float32 may stall at its rounding floor above tol (high-R² ends of the path)
        if (TypeParam::precision == Precision::float64 || path.status[uk] != Status::stalled) {
          ASSERT_EQ(path.status[uk], Status::converged) << where << " gap " << path.gaps[uk];
          EXPECT_LE(path.gaps[uk], *o.tol) << where;
        }
        EXPECT_GE(path.gaps[uk], 0.0) << where;
        // float32 solutions carry rounding times the condition number: large against a tiny λ
        const double bound = TypeParam::precision == Precision::float64
                                 ? kkt_bound
                                 : std::max(kkt_bound, 1e-4 * path.lambdas[0] / path.lambdas[uk]);
        EXPECT_LE(kkt_violation(pr, path, k, true, true, alpha), bound) << where;
        if (k > 0) {
          EXPECT_LT(path.lambdas[uk], path.lambdas[uk - 1]);
        }
      }
    }
}

// The gap certifies: no perturbation of the solution has a lower objective (checked on random
// perturbations) and the objective decreases along the path as λ decreases.
TYPED_TEST(Paths, SolutionsAreMinimal) {
  const Problem pr = random_problem(50, 15, 0.5, 77u);
  Options o = this->options();
  o.alpha = 0.7;
  o.nlambda = 12;
  const Path path = fit(pr.view(), pr.y.data(), o);
  std::mt19937 rng(1);
  std::normal_distribution<double> z;
  const Scaling s = scaling_of(pr, true, true);
  const double slack = TypeParam::precision == Precision::float64 ? 1e-10 : 1e-5;
  for (std::int64_t k = 0; k < path.nlambda(); ++k) {
    const double f = objective(pr, path, k, true, true, o.alpha);
    std::vector<double> b(path.coefs.begin() + k * pr.p, path.coefs.begin() + (k + 1) * pr.p);
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<double> pb = b;
      for (auto& v : pb) v += 1e-3 * z(rng);
      const double fp = objective(pr, s, path.intercepts[std::size_t(k)] + 1e-3 * z(rng),
                                  pb.data(), path.lambdas[std::size_t(k)], o.alpha);
      EXPECT_GE(fp, f * (1 - slack)) << "lambda[" << k << "] trial " << trial;
    }
  }
}

TYPED_TEST(Paths, BatchedEqualsOneLambdaAtATime) {
  const Problem pr = random_problem(60, 80, 0.5, 19u);
  Options o = this->options();
  o.alpha = 0.5;
  o.nlambda = 15;
  o.lambda_min_ratio = 0.05;
  const Path batched = fit(pr.view(), pr.y.data(), o);
  for (std::int64_t k = 0; k < batched.nlambda(); k += 4) {
    Options one = o;
    one.lambdas = {batched.lambdas[std::size_t(k)]};
    const Path single = fit(pr.view(), pr.y.data(), one);
    const double fb = objective(pr, batched, k, true, true, o.alpha);
    const double fs = objective(pr, single, 0, true, true, o.alpha);
    EXPECT_NEAR(fb, fs, 2 * *o.tol * fs + 1e-12) << "lambda[" << k << "]";
    std::vector<double> b(batched.coefs.begin() + k * pr.p,
                          batched.coefs.begin() + (k + 1) * pr.p);
    EXPECT_TRUE(all_near(b, single.coefs, 0, 100 * this->tol(), "lambda[" + std::to_string(k) + "]"));
  }
}

TYPED_TEST(Paths, BlockSizeDoesNotChangeTheAnswer) {
  const Problem pr = random_problem(100, 30, 0.5, 23u);
  Options o = this->options();
  o.nlambda = 25;
  o.block_size = 1;
  const Path one = fit(pr.view(), pr.y.data(), o);
  o.block_size = 7;
  const Path seven = fit(pr.view(), pr.y.data(), o);
  o.block_size = 100;
  const Path all = fit(pr.view(), pr.y.data(), o);
  for (std::int64_t k = 0; k < one.nlambda(); ++k) {
    const double f1 = objective(pr, one, k, true, true, 1.0);
    EXPECT_NEAR(objective(pr, seven, k, true, true, 1.0), f1, 2 * *o.tol * f1) << k;
    EXPECT_NEAR(objective(pr, all, k, true, true, 1.0), f1, 2 * *o.tol * f1) << k;
  }
}

TYPED_TEST(Paths, UserLambdasAnyOrderReportedDescending) {
  const Problem pr = random_problem(50, 10, 0.3, 29u);
  Options o = this->options();
  o.lambdas = {0.01, 0.5, 0.1, 0.05};
  const Path path = fit(pr.view(), pr.y.data(), o);
  EXPECT_EQ(path.lambdas, (std::vector<double>{0.5, 0.1, 0.05, 0.01}));
  Options sorted = o;
  sorted.lambdas = {0.5, 0.1, 0.05, 0.01};
  const Path again = fit(pr.view(), pr.y.data(), sorted);
  EXPECT_TRUE(all_near(path.coefs, again.coefs, 0, 10 * this->tol(), "same λ, other order"));
}

TYPED_TEST(Paths, WithoutStandardizeOrIntercept) {
  const Problem pr = random_problem(80, 12, 0.5, 31u);
  const double kkt_bound = TypeParam::precision == Precision::float64 ? 1e-5 : 5e-2;
  for (bool standardize : {true, false})
    for (bool intercept : {true, false}) {
      Options o = this->options();
      o.alpha = 0.5;
      o.standardize = standardize;
      o.intercept = intercept;
      o.nlambda = 15;
      const Path path = fit(pr.view(), pr.y.data(), o);
      for (std::int64_t k = 0; k < path.nlambda(); ++k) {
        EXPECT_LE(kkt_violation(pr, path, k, standardize, intercept, o.alpha), kkt_bound)
            << "standardize=" << standardize << " intercept=" << intercept << " k=" << k;
        if (!intercept) {
          EXPECT_EQ(path.intercepts[std::size_t(k)], 0.0);
        }
      }
    }
}


// Standardized without an intercept, columns are scaled but not centred: trending columns far
// from zero (years, indices: the Longley data's shape) give H eigenvalues ~10⁸ apart, where FISTA
// stalls. Every λ must still converge (coordinate descent takes over) and meet its conditions.
TYPED_TEST(Paths, UncentredCollinearColumnsConverge) {
  const std::int64_t n = 16, p = 6;
  Problem pr;
  pr.n = n;
  pr.p = p;
  pr.X.resize(std::size_t(n * p));
  pr.y.resize(std::size_t(n));
  std::mt19937_64 rng(1947);
  std::normal_distribution<double> z;
  const double level[p] = {1947, 250, 300, 150, 110, 80}, slope[p] = {1, 15, 8, -4, 1.2, 2.5},
               noise[p] = {0.01, 4, 30, 25, 0.3, 1.5};
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < n; ++i)
      pr.X[std::size_t(i + j * n)] = level[j] + slope[j] * double(i) + noise[j] * z(rng);
  for (std::int64_t i = 0; i < n; ++i)
    pr.y[std::size_t(i)] = 0.1 * double(i) - 0.8 + 0.05 * z(rng);
  const bool f64 = TypeParam::precision == Precision::float64;
  for (double alpha : {1.0, 0.5}) {
    Options o = this->options();
    o.alpha = alpha;
    o.intercept = false;
    o.nlambda = 12;
    o.lambda_min_ratio = 1e-4;
    if (f64) o.tol = 1e-10;
    const Path path = fit(pr.view(), pr.y.data(), o);
    Options o64 = o;
    o64.precision = Precision::float64;
    o64.device = Device::cpu;
    o64.tol = 1e-10;
    const Path ref = f64 ? path : fit(pr.view(), pr.y.data(), o64);
    for (std::int64_t k = 0; k < path.nlambda(); ++k) {
      const std::string where = "alpha " + std::to_string(alpha) + " lambda " +
                                std::to_string(path.lambdas[std::size_t(k)]);
      const double gap = path.gaps[std::size_t(k)];
      if (f64) {
        EXPECT_EQ(path.status[std::size_t(k)], Status::converged) << where << ": gap " << gap;
        EXPECT_LE(kkt_violation(pr, path, k, true, false, alpha), 1e-5) << where;
      } else {
        // float32 cannot certify 1e-4 where H's eigenvalues are 10⁸ apart (a rounding of β
        // moves the gradient by 10⁸ of it): an honest status, and the objective near float64's
        EXPECT_EQ(path.status[std::size_t(k)] == Status::converged, gap <= 1e-4) << where;
        const double best = objective(pr, ref, k, true, false, alpha);
        EXPECT_LE(objective(pr, path, k, true, false, alpha) - best, 1e-2 * best) << where;
      }
    }
  }
}
TYPED_TEST(Paths, LeadingDimensionAndFloatInput) {
  const Problem pr = random_problem(40, 8, 0.5, 37u);
  const std::int64_t ld = pr.n + 5;
  std::vector<double> padded(std::size_t(ld * pr.p), 999.0);
  std::vector<float> padded_f(padded.size(), 999.0f);
  std::vector<float> yf(pr.y.begin(), pr.y.end());
  for (std::int64_t j = 0; j < pr.p; ++j)
    for (std::int64_t i = 0; i < pr.n; ++i) {
      padded[std::size_t(i + j * ld)] = pr.X[std::size_t(i + j * pr.n)];
      padded_f[std::size_t(i + j * ld)] = float(pr.X[std::size_t(i + j * pr.n)]);
    }
  Options o = this->options();
  o.nlambda = 10;
  const Path dense = fit(pr.view(), pr.y.data(), o);
  const Path strided = fit(MatrixView<double>{padded.data(), pr.n, pr.p, ld}, pr.y.data(), o);
  EXPECT_TRUE(all_near(strided.coefs, dense.coefs, 0, 1e-12, "ld > rows"));
  const Path from_float = fit(MatrixView<float>{padded_f.data(), pr.n, pr.p, ld}, yf.data(), o);
  // float input is rounded once; the solve itself runs in the configured precision
  EXPECT_TRUE(all_near(from_float.coefs, dense.coefs, 0, 1e-4 + 10 * this->tol(), "float input"));
}

// float32 arithmetic against the float64 reference: objectives within float's reach.
TEST(Precision, Float32MatchesFloat64) {
  for (const Shape& sh : kShapes) {
    const Problem pr = random_problem(sh.n, sh.p, 0.5, 41u);
    Options o;
    o.device = Device::cpu;
    o.alpha = 0.5;
    o.nlambda = 20;
    const Path d = fit(pr.view(), pr.y.data(), o);
    o.precision = Precision::float32;
    const Path f = fit(pr.view(), pr.y.data(), o);
    for (std::int64_t k = 0; k < d.nlambda(); ++k) {
      EXPECT_NEAR(f.lambdas[std::size_t(k)], d.lambdas[std::size_t(k)], 1e-5 * d.lambdas[0]);
      const double fd = objective(pr, d, k, true, true, 0.5);
      const double ff = objective(pr, f, k, true, true, 0.5);
      // converged: within float32's tol (1e-4); stalled at its rounding floor: a little more
      const double bound = f.status[std::size_t(k)] == Status::converged ? 2e-4 : 1e-3;
      EXPECT_NEAR(ff, fd, bound * fd) << sh.name << " lambda[" << k << "] "
                                      << to_string(f.status[std::size_t(k)]);
      EXPECT_NE(f.status[std::size_t(k)], Status::max_iter) << sh.name << " lambda[" << k << "]";
    }
  }
}

TEST(Paths, MaxIterIsAStatusNotAnError) {
  const Problem pr = random_problem(30, 60, 0.9, 43u);
  Options o;
  o.device = Device::cpu;
  o.max_iter = 3;
  o.tol = 1e-14;
  o.nlambda = 10;
  const Path path = fit(pr.view(), pr.y.data(), o);
  int not_converged = 0;
  for (std::int64_t k = 0; k < path.nlambda(); ++k) {
    const auto uk = std::size_t(k);
    if (path.status[uk] == Status::max_iter) {
      ++not_converged;
      EXPECT_EQ(path.iterations[uk], 3);
      EXPECT_GT(path.gaps[uk], 1e-14);
    }
    for (std::int64_t j = 0; j < pr.p; ++j) EXPECT_TRUE(std::isfinite(path.coef(j, k)));
  }
  EXPECT_GT(not_converged, 0);
}

TEST(Paths, BadArgumentsNameTheArgument) {
  const Problem pr = random_problem(10, 3, 0.1, 47u);
  auto expect_message = [&](Options o, const std::string& needle) {
    try {
      fit(pr.view(), pr.y.data(), o);
      ADD_FAILURE() << "no exception for " << needle;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  Options o;
  o.alpha = 1.5;
  expect_message(o, "alpha = 1.5");
  o = Options{};
  o.lambdas = {0.1, -1};
  expect_message(o, "lambda[1] = -1");
  o = Options{};
  o.nlambda = 0;
  expect_message(o, "nlambda = 0");
  o.nlambda = 100001;
  expect_message(o, "nlambda = 100001");
  o = Options{};
  o.lambda_min_ratio = 1.0;
  expect_message(o, "lambda_min_ratio = 1");
  o = Options{};
  o.tol = 0;
  expect_message(o, "tol = 0");
  o = Options{};
  o.max_iter = 0;
  expect_message(o, "max_iter = 0");
  std::vector<double> X = pr.X;
  X[5] = std::nan("");
  try {
    fit(MatrixView<double>{X.data(), pr.n, pr.p, pr.n}, pr.y.data(), Options{});
    ADD_FAILURE() << "NaN accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("row 6, column 1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(fit(MatrixView<double>{pr.X.data(), 1, pr.p, pr.n}, pr.y.data(), Options{}),
               std::invalid_argument);
  EXPECT_THROW(fit(MatrixView<double>{pr.X.data(), pr.n, pr.p, pr.n - 1}, pr.y.data(), Options{}),
               std::invalid_argument);
  EXPECT_THROW(fit(MatrixView<double>{nullptr, pr.n, pr.p, pr.n}, pr.y.data(), Options{}),
               std::invalid_argument);
}

TEST(Devices, CudaRequestedWithoutDeviceIsAClearError) {
  std::string why;
  if (cuda_available(&why)) GTEST_SKIP() << "a CUDA device is usable here";
  EXPECT_FALSE(why.empty());
  const Problem pr = random_problem(10, 3, 0.1, 53u);
  Options o;
  o.device = Device::cuda;
  try {
    fit(pr.view(), pr.y.data(), o);
    ADD_FAILURE() << "cuda accepted without a device";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cuda"), std::string::npos) << e.what();
  }
  o.device = Device::automatic;
  EXPECT_EQ(fit(pr.view(), pr.y.data(), o).device, Device::cpu);
}

}  // namespace
}  // namespace regpath::test

// The working set (screening) only changes where the iterations run, never the answer: with and
// without it, and with and without the polish, the same path to the tolerance.
namespace regpath::test {
namespace {

Path solve_with(const Problem& pr, double alpha, const SolveControl& control) {
  CpuBackend<double> backend;
  GaussianProblem<CpuBackend<double>> problem(backend, pr.view(), pr.y.data(), true, true);
  Path out = sized_path(pr.p, log_spaced_path(problem.lambda_max(alpha), 25, 0.01));
  GaussianPathSolver<CpuBackend<double>> solver(problem, alpha, control);
  solver.solve(out.lambdas, out);
  return out;
}

TEST(Screening, SameSolutionWithAndWithoutWorkingSetAndPolish) {
  for (auto [n, p] : {std::pair<int, int>{40, 300}, std::pair<int, int>{300, 40}})
    for (double alpha : {1.0, 0.5}) {
      Problem pr = random_problem(n, p, 0.0, unsigned(n + p), 8);
      SolveControl plain;
      plain.tol = 1e-11;
      plain.screen = false;
      plain.polish = false;
      const Path reference = solve_with(pr, alpha, plain);
      for (bool screen : {true, false})
        for (bool polish : {true, false}) {
          SolveControl c = plain;
          c.screen = screen;
          c.polish = polish;
          const Path path = solve_with(pr, alpha, c);
          for (std::int64_t k = 0; k < path.nlambda(); ++k) {
            const auto uk = std::size_t(k);
            const std::string where = "n=" + std::to_string(n) + " p=" + std::to_string(p) +
                                      " alpha=" + std::to_string(alpha) +
                                      " screen=" + std::to_string(screen) +
                                      " polish=" + std::to_string(polish) + " k=" + std::to_string(k);
            ASSERT_EQ(path.status[uk], Status::converged) << where;
            const double f = objective(pr, path, k, true, true, alpha);
            const double fr = objective(pr, reference, k, true, true, alpha);
            EXPECT_NEAR(f, fr, 3e-11 * fr) << where;
            EXPECT_LE(kkt_violation(pr, path, k, true, true, alpha), 1e-4) << where;
          }
        }
    }
}

}  // namespace
}  // namespace regpath::test

namespace regpath::test {
namespace {

// Extreme magnitudes: columns of 1e200 and 1e-300 are ordinary features once standardized (their
// moments are taken on a rescaled copy). A response whose squares overflow is rescaled exactly
// where the problem is homogeneous in y (the lasso: the answer scales with y), else a clear error.
TEST(Magnitudes, HugeAndTinyColumnsAreOrdinaryFeatures) {
  Problem pr = random_problem(30, 4, 0.3, 61u);
  Options o;
  o.device = Device::cpu;
  o.nlambda = 20;
  const Path ref = fit(pr.view(), pr.y.data(), o);
  Problem scaled = pr;
  for (int i = 0; i < 30; ++i) {
    scaled.X[std::size_t(i)] *= 1e200;
    scaled.X[std::size_t(i + 30)] *= 1e-300;
  }
  const Path path = fit(scaled.view(), scaled.y.data(), o);
  for (std::int64_t k = 0; k < path.nlambda(); ++k) {
    EXPECT_NEAR(path.coef(0, k) * 1e200, ref.coef(0, k), 1e-9 * (1 + std::fabs(ref.coef(0, k))));
    EXPECT_NEAR(path.coef(1, k) * 1e-300, ref.coef(1, k), 1e-9 * (1 + std::fabs(ref.coef(1, k))));
    EXPECT_NEAR(path.intercepts[std::size_t(k)], ref.intercepts[std::size_t(k)], 1e-9);
  }
  Problem huge_y = pr;
  for (auto& v : huge_y.y) v *= 1e200;
  const Path lasso = fit(huge_y.view(), huge_y.y.data(), o);
  ASSERT_EQ(lasso.nlambda(), ref.nlambda());
  for (std::int64_t k = 0; k < lasso.nlambda(); ++k) {
    EXPECT_NEAR(lasso.lambdas[std::size_t(k)] / 1e200, ref.lambdas[std::size_t(k)],
                1e-9 * ref.lambdas[0]);
    for (std::int64_t j = 0; j < pr.p; ++j)
      EXPECT_NEAR(lasso.coef(j, k) / 1e200, ref.coef(j, k), 1e-9 * (1 + std::fabs(ref.coef(j, k))));
  }
  o.alpha = 0.5;  // the elastic net's solution does not scale with y: no exact rescaling
  try {
    fit(huge_y.view(), huge_y.y.data(), o);
    ADD_FAILURE() << "overflowing response accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("too large"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace regpath::test

// The work that solved a λ is reported: a λ below λ_max solved without proximal-gradient
// iterations was solved by Newton steps, and says how many.
namespace regpath::test {
namespace {

TEST(Paths, NewtonStepsAreReported) {
  const Problem pr = random_problem(200, 10, 0.3, 21);
  Options o;
  o.device = Device::cpu;
  o.nlambda = 30;
  const Path path = fit(pr.view(), pr.y.data(), o);
  ASSERT_EQ(path.newton_steps.size(), path.lambdas.size());
  int newton = 0;
  for (std::size_t k = 0; k < path.lambdas.size(); ++k) {
    newton += path.newton_steps[k];
    const bool below_max = path.lambdas[k] < path.lambda_max * (1 - 1e-9);
    if (below_max && path.iterations[k] == 0) {
      EXPECT_GT(path.newton_steps[k], 0) << "lambda " << k << " solved by nothing";
    }
  }
  EXPECT_GT(newton, 0);
  EXPECT_EQ(path.newton_steps[0], 0);  // λ_max: exactly zero, no work
}

}  // namespace
}  // namespace regpath::test
