// group_box_prox, the prox of τ‖x‖₂ + (ρ/2)‖x‖₂² + ι[l,u]ᶜ (grouped multinomial with limits),
// checked by what defines it, not by a second copy of its root find: the point is in the box,
// its objective is no worse than that of any feasible point tried (random ones, its own
// coordinates moved, and the scaled and clipped candidates a simpler rule would give), and
// group_violation, the solver's stopping rule, finds it optimal.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/engine/multinomial_solver.hpp"

namespace regpath::test {
namespace {

using detail::group_box_prox;
using detail::group_violation;

double objective(const std::vector<double>& x, const std::vector<double>& v, double tau,
                 double rho) {
  double d = 0, n2 = 0;
  for (std::size_t c = 0; c < x.size(); ++c) {
    d += (x[c] - v[c]) * (x[c] - v[c]);
    n2 += x[c] * x[c];
  }
  return 0.5 * d + tau * std::sqrt(n2) + 0.5 * rho * n2;
}

std::vector<double> clipped(std::vector<double> x, double l, double u) {
  for (double& e : x) e = std::min(std::max(e, l), u);
  return x;
}

// the plain group shrink (no box): max(0, 1 − τ/‖x‖)/(1 + ρ)·x
std::vector<double> shrunk(std::vector<double> x, double tau, double rho) {
  double n2 = 0;
  for (double e : x) n2 += e * e;
  const double nx = std::sqrt(n2);
  const double s = nx > tau ? (1 - tau / nx) / (1 + rho) : 0.0;
  for (double& e : x) e *= s;
  return x;
}

struct Case {
  std::vector<double> v;
  double tau, rho, l, u;
};

// the prox's optimality as a gradient: the prox problem is the solver's with g = x − v (its
// smooth part's gradient), λαf = τ, λ(1−α)f = ρ
double violation(const std::vector<double>& x, const Case& k) {
  std::vector<double> g(x.size());
  for (std::size_t c = 0; c < x.size(); ++c) g[c] = x[c] - k.v[c];
  return group_violation(x.data(), g.data(), std::int64_t(x.size()), 1, k.tau, k.rho, k.l, k.u);
}

void expect_optimal(const Case& k, std::mt19937_64& rng, int& bound_hits) {
  std::vector<double> x = k.v;
  group_box_prox(x.data(), std::int64_t(x.size()), 1, k.tau, k.rho, k.l, k.u);
  const double fx = objective(x, k.v, k.tau, k.rho);
  double scale = 1;
  for (double e : k.v) scale = std::max(scale, std::fabs(e));
  for (double e : x) {
    ASSERT_GE(e, k.l);
    ASSERT_LE(e, k.u);
    bound_hits += (e == k.l || e == k.u) && e != 0;
  }
  EXPECT_LE(violation(x, k), 1e-12 * scale);
  std::uniform_real_distribution<double> unit(0, 1), nudge(-1e-3, 1e-3);
  const auto no_better = [&](const std::vector<double>& y, const char* what) {
    EXPECT_LE(fx, objective(y, k.v, k.tau, k.rho) + 1e-13 * scale * scale) << what;
  };
  for (int t = 0; t < 200; ++t) {
    std::vector<double> y(x.size());
    for (std::size_t c = 0; c < y.size(); ++c) {
      const double lo = std::max(k.l, -2 * scale), hi = std::min(k.u, 2 * scale);
      y[c] = lo + (hi - lo) * unit(rng);
    }
    no_better(y, "a random feasible point");
    for (std::size_t c = 0; c < y.size(); ++c) y[c] = x[c] + nudge(rng) * scale;
    no_better(clipped(y, k.l, k.u), "a point beside it");
  }
  // the two one-step rules (shrink then clip; clip then shrink) are feasible, not optimal
  no_better(clipped(shrunk(k.v, k.tau, k.rho), k.l, k.u), "shrink, then clip");
  no_better(shrunk(clipped(k.v, k.l, k.u), k.tau, k.rho), "clip, then shrink");
}

TEST(GroupBoxProx, RandomCasesAreOptimal) {
  std::mt19937_64 rng(20261207);
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> unit(0, 1);
  int bound_hits = 0;
  for (int t = 0; t < 3000; ++t) {
    SCOPED_TRACE("case " + std::to_string(t));
    Case k;
    const int C = 2 + t % 5;
    for (int c = 0; c < C; ++c) k.v.push_back(normal(rng) * (t % 3 == 0 ? 5.0 : 1.0));
    k.tau = t % 7 == 0 ? 0.0 : 2 * unit(rng);
    k.rho = t % 4 == 0 ? 0.0 : unit(rng);
    // limits as glmnet allows them (l ≤ 0 ≤ u), 0 and ±∞ among them
    const double r = unit(rng);
    k.l = r < 0.15 ? 0.0 : r < 0.3 ? -HUGE_VAL : -unit(rng);
    const double q = unit(rng);
    k.u = q < 0.15 ? 0.0 : q < 0.3 ? HUGE_VAL : unit(rng);
    expect_optimal(k, rng, bound_hits);
    if (HasFailure()) return;
  }
  EXPECT_GT(bound_hits, 1000);  // the box binds in most cases: the test exercises it
}

TEST(GroupBoxProx, EdgeCases) {
  std::mt19937_64 rng(7);
  int hits = 0;
  // fixed at 0; below the threshold; only the sign the box forbids; τ = 0; a tiny margin
  // over τ (the bracket's far end); no box at all (the plain group shrink)
  const std::vector<Case> cases{
      {{1.0, -2.0, 3.0}, 0.5, 0.1, 0.0, 0.0},
      {{0.1, -0.2, 0.1}, 1.0, 0.0, -0.05, 0.05},
      {{-3.0, -4.0}, 1.0, 0.0, 0.0, 1.0},
      {{3.0, -4.0, 0.5}, 0.0, 0.5, -0.5, 1.0},
      {{0.6, 0.8, -5.0}, 1.0 - 1e-12, 0.0, 0.0, 1.0},
      {{0.6, 0.8, -5.0}, 1.0, 0.3, -INFINITY, INFINITY}};
  for (std::size_t t = 0; t < cases.size(); ++t) {
    SCOPED_TRACE("edge case " + std::to_string(t));
    expect_optimal(cases[t], rng, hits);
  }
  std::vector<double> x = cases[2].v;  // only negative values where l = 0: x = 0
  group_box_prox(x.data(), 2, 1, 1.0, 0.0, 0.0, 1.0);
  EXPECT_EQ(x, std::vector<double>(2, 0.0));
  x = {3.0, -4.0};  // inactive box: the plain shrink (1 − 1/5)/(1 + 0.25)·v
  group_box_prox(x.data(), 2, 1, 1.0, 0.25, -10, 10);
  EXPECT_DOUBLE_EQ(x[0], 3.0 * 0.8 / 1.25);
  EXPECT_DOUBLE_EQ(x[1], -4.0 * 0.8 / 1.25);
}

}  // namespace
}  // namespace regpath::test
