// The scalar formulas shared by every backend, on hand-picked values and against brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/engine/duality_gap.hpp"
#include "core/engine/scalar_ops.hpp"

namespace regpath {
namespace {

TEST(SoftThreshold, HandPickedValues) {
  EXPECT_EQ(ops::soft_threshold(3.0, 1.0), 2.0);
  EXPECT_EQ(ops::soft_threshold(-3.0, 1.0), -2.0);
  EXPECT_EQ(ops::soft_threshold(0.5, 1.0), 0.0);
  EXPECT_EQ(ops::soft_threshold(-0.5, 1.0), 0.0);
  EXPECT_EQ(ops::soft_threshold(1.0, 1.0), 0.0);   // exactly at the threshold
  EXPECT_EQ(ops::soft_threshold(-1.0, 1.0), 0.0);
  EXPECT_EQ(ops::soft_threshold(2.5f, 0.0f), 2.5f);  // no threshold: identity
  EXPECT_EQ(ops::soft_threshold(-2.5f, 0.5f), -2.0f);
}

// The prox is the minimiser of (1/2t)(b − z)² + λα|b| + λ(1−α)/2·b²: compare with a fine grid.
TEST(ProxElasticNet, MatchesBruteForceMinimiser) {
  const double cases[][5] = {// y, g, t, λ, α
                             {1.0, -2.0, 0.5, 0.7, 1.0},  {0.3, 0.1, 1.0, 0.5, 0.5},
                             {-2.0, 1.0, 0.25, 2.0, 0.0}, {0.0, 3.0, 0.1, 1.0, 0.3},
                             {0.2, 0.0, 1.0, 0.2, 1.0}};
  for (const auto& c : cases) {
    const double z = c[0] - c[2] * c[1];
    auto f = [&](double b) {
      return (b - z) * (b - z) / (2 * c[2]) + c[3] * c[4] * std::fabs(b) +
             c[3] * (1 - c[4]) / 2 * b * b;
    };
    double best = 0, fbest = f(0);
    for (int i = -400000; i <= 400000; ++i) {
      const double b = i * 1e-5;
      if (f(b) < fbest) fbest = f(b), best = b;
    }
    const double prox = ops::prox_elastic_net(c[0], c[1], c[2], c[3], c[4]);
    EXPECT_NEAR(prox, best, 2e-5) << "y=" << c[0] << " g=" << c[1] << " t=" << c[2]
                                  << " λ=" << c[3] << " α=" << c[4];
    EXPECT_LE(f(prox), fbest + 1e-12);
  }
}

TEST(NextTheta, FistaSequence) {
  EXPECT_DOUBLE_EQ(ops::next_theta(1.0), (1 + std::sqrt(5.0)) / 2);
  double t = 1;
  for (int k = 0; k < 100; ++k) t = ops::next_theta(t);
  EXPECT_GT(t, 50.0);  // θ_k grows like k/2
  EXPECT_LT(t, 52.0);
}

// One feature, standardized: P(b) = ½(yy − 2cb + b²) + λα|b| + λ(1−α)/2 b², optimum in closed
// form. The gap must vanish there and bound P(b) − P* elsewhere.
TEST(DualityGap, ZeroAtOptimumAndBoundsSuboptimality) {
  const double yy = 1.3, c = 0.8;
  for (double alpha : {0.0, 0.3, 1.0})
    for (double lambda : {0.05, 0.5, 2.0}) {
      const double bstar = ops::soft_threshold(c, lambda * alpha) / (1 + lambda * (1 - alpha));
      auto terms_at = [&](double b) {
        ops::GapTerms t;
        ops::accumulate_gap_terms(t, b, b - c, c, lambda, alpha);  // g = H·b − c, H = 1
        return gaussian_gap(t, yy, lambda, alpha);
      };
      auto primal = [&](double b) {
        return 0.5 * (yy - 2 * c * b + b * b) + lambda * alpha * std::fabs(b) +
               0.5 * lambda * (1 - alpha) * b * b;
      };
      const GapReport at = terms_at(bstar);
      EXPECT_NEAR(at.gap, 0.0, 1e-14) << "α=" << alpha << " λ=" << lambda;
      EXPECT_NEAR(at.primal, primal(bstar), 1e-14);
      for (double b : {-1.0, 0.0, 0.1, 0.5, 2.0}) {
        const GapReport r = terms_at(b);
        EXPECT_NEAR(r.primal, primal(b), 1e-13);
        EXPECT_GE(r.gap, primal(b) - primal(bstar) - 1e-13) << "b=" << b << " α=" << alpha;
      }
    }
}

// The same with a penalty factor w (the coordinate's penalty λw·[α|b| + (1−α)/2·b²]), and two
// features whose factors differ, so that the dual scaling (the max over coordinates of
// |g_j + λ(1−α)w_jβ_j|/w_j) is exercised across them.
TEST(DualityGap, PenaltyFactorsWeighTheCoordinates) {
  const double yy = 2.1;
  const double c[2] = {0.8, -0.5}, w[2] = {0.4, 2.5};
  for (double alpha : {0.0, 0.3, 1.0})
    for (double lambda : {0.05, 0.3, 2.0}) {
      double bstar[2];
      for (int j = 0; j < 2; ++j)
        bstar[j] = ops::soft_threshold(c[j], lambda * alpha * w[j]) /
                   (1 + lambda * (1 - alpha) * w[j]);
      auto report_at = [&](const double* b) {
        ops::GapTerms t;
        for (int j = 0; j < 2; ++j)  // H = I: g = b − c
          ops::accumulate_gap_terms(t, b[j], b[j] - c[j], c[j], lambda, alpha, w[j]);
        return gaussian_gap(t, yy, lambda, alpha);
      };
      auto primal = [&](const double* b) {
        double v = 0.5 * yy;
        for (int j = 0; j < 2; ++j)
          v += -c[j] * b[j] + 0.5 * b[j] * b[j] +
               lambda * w[j] * (alpha * std::fabs(b[j]) + 0.5 * (1 - alpha) * b[j] * b[j]);
        return v;
      };
      const std::string at = "α=" + std::to_string(alpha) + " λ=" + std::to_string(lambda);
      EXPECT_NEAR(report_at(bstar).gap, 0.0, 1e-14) << at;
      EXPECT_NEAR(report_at(bstar).primal, primal(bstar), 1e-14) << at;
      for (double b0 : {-1.0, 0.0, 0.3, 1.5})
        for (double b1 : {-0.7, 0.0, 0.2}) {
          const double b[2] = {b0, b1};
          const GapReport r = report_at(b);
          EXPECT_NEAR(r.primal, primal(b), 1e-13) << at;
          EXPECT_GE(r.gap, primal(b) - primal(bstar) - 1e-13) << at << " b=" << b0 << "," << b1;
        }
      // the prox with the factor is the coordinate's exact minimizer from z = y − t·g
      for (int j = 0; j < 2; ++j)
        EXPECT_NEAR(ops::prox_elastic_net(0.0, -c[j], 1.0, lambda, alpha, w[j]), bstar[j], 1e-15);
    }
}

// With bounds lo ≤ b ≤ hi (H = I, so the optimum is the clipped closed form): the gap vanishes at
// the optimum — also where a bound binds — and bounds P(b) − P* at every feasible b. Both gaps
// are exercised: α < 1 (the ridge dual, with clipped maximizers) and α = 1 (the scaled dual,
// with blocked coordinates leaving its maximum).
TEST(DualityGap, BoundsKeepTheGapValid) {
  const double yy = 2.1;
  const double c[3] = {0.8, -0.5, 0.3}, w[3] = {0.4, 2.5, 1.0};
  const double lo[3] = {-1.0, -0.1, 0.0}, hi[3] = {0.25, 1.0, 0.1};
  for (double alpha : {0.0, 0.5, 1.0})
    for (double lambda : {0.01, 0.1, 0.5}) {
      double bstar[3];
      for (int j = 0; j < 3; ++j)
        bstar[j] = std::min(std::max(ops::soft_threshold(c[j], lambda * alpha * w[j]) /
                                         (1 + lambda * (1 - alpha) * w[j]),
                                     lo[j]),
                            hi[j]);
      auto report_at = [&](const double* b) {
        ops::GapTerms t;
        for (int j = 0; j < 3; ++j)
          ops::accumulate_gap_terms(t, b[j], b[j] - c[j], c[j], lambda, alpha, w[j], lo[j], hi[j]);
        return gaussian_gap(t, yy, lambda, alpha);
      };
      auto primal = [&](const double* b) {
        double v = 0.5 * yy;
        for (int j = 0; j < 3; ++j)
          v += -c[j] * b[j] + 0.5 * b[j] * b[j] +
               lambda * w[j] * (alpha * std::fabs(b[j]) + 0.5 * (1 - alpha) * b[j] * b[j]);
        return v;
      };
      const std::string at = "α=" + std::to_string(alpha) + " λ=" + std::to_string(lambda);
      EXPECT_NEAR(report_at(bstar).gap, 0.0, 1e-14) << at;
      for (double b0 : {-0.5, 0.0, 0.25})
        for (double b1 : {-0.1, 0.0, 0.7})
          for (double b2 : {0.0, 0.05, 0.1}) {
            const double b[3] = {b0, b1, b2};
            EXPECT_GE(report_at(b).gap, primal(b) - primal(bstar) - 1e-13)
                << at << " b=" << b0 << "," << b1 << "," << b2;
          }
    }
}

}  // namespace
}  // namespace regpath
