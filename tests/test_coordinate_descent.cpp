// The host coordinate descent of the gaussian fallback (core/accel/coordinate_descent.hpp): the closed
// form on a diagonal H, and its duality-gap certificate on random and nearly collinear problems.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/accel/coordinate_descent.hpp"

namespace regpath {
namespace {

// H = diag(d): β_j = S(c_j, λα) / (d_j + λ(1−α)), reached in one sweep.
TEST(CoordinateDescent, DiagonalGramIsTheClosedForm) {
  // the last column is constant: H_jj = 0 and c_j = 0, as data make them
  const std::vector<double> d = {1.0, 0.5, 2.0, 0.0}, c = {0.8, -0.3, 0.05, 0.0};
  std::vector<double> H(16, 0.0);
  for (int j = 0; j < 4; ++j) H[std::size_t(j * 5)] = d[std::size_t(j)];
  for (const double alpha : {1.0, 0.5}) {
    const double lambda = 0.2;
    std::vector<double> beta(4, 0.0);
    const auto r = elastic_net_coordinate_descent(H, c, 1.0, lambda, alpha, 1e-14, 1e9, beta);
    for (int j = 0; j < 4; ++j) {
      const double den = d[std::size_t(j)] + lambda * (1 - alpha);
      const double z = std::fabs(c[std::size_t(j)]) - lambda * alpha;
      const double expected = den > 0 && z > 0 ? std::copysign(z, c[std::size_t(j)]) / den : 0.0;
      EXPECT_NEAR(beta[std::size_t(j)], expected, 1e-15) << "alpha " << alpha << " feature " << j;
    }
    EXPECT_LE(r.report.relative(), 1e-14) << "alpha " << alpha;
  }
}

// H = XᵀX/n of a nearly collinear X: the certificate reaches the target from zero and from a
// poor start, and the work stays within the budget (one sweep past it at most).
TEST(CoordinateDescent, CertifiesCollinearProblems) {
  constexpr std::size_t n = 40, p = 8;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> z;
  std::vector<double> X(n * p), y(n), shared(n);
  for (double& v : shared) v = z(rng);
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t i = 0; i < n; ++i) X[i + j * n] = shared[i] + 0.05 * z(rng);
  for (std::size_t i = 0; i < n; ++i) y[i] = X[i] - X[i + n] + 0.3 * z(rng);
  std::vector<double> H(p * p), c(p);
  double yy = 0;
  for (double v : y) yy += v * v / double(n);
  for (std::size_t a = 0; a < p; ++a) {
    for (std::size_t i = 0; i < n; ++i) c[a] += X[i + a * n] * y[i] / double(n);
    for (std::size_t b = 0; b < p; ++b)
      for (std::size_t i = 0; i < n; ++i) H[a + b * p] += X[i + a * n] * X[i + b * n] / double(n);
  }
  for (const double alpha : {1.0, 0.5})
    for (const double lambda : {0.1, 0.01, 0.001}) {
      for (const double start : {0.0, 3.0}) {
        std::vector<double> beta(p, start);
        const auto r = elastic_net_coordinate_descent(H, c, yy, lambda, alpha, 1e-12, 1e9, beta);
        EXPECT_LE(r.report.relative(), 1e-12)
            << "alpha " << alpha << " lambda " << lambda << " start " << start;
        EXPECT_LE(r.flops, 1e9 + 2.0 * double(p * p * (p + 2))) << "budget";
      }
    }
}

}  // namespace
}  // namespace regpath
