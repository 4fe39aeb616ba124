// What the iterations cost a GPU backend in launches, host synchronizations and bytes between
// host and device, counted on the CPU (counting_backend.hpp): between two checks nothing may
// leave the device (no sync, no copy), and each iteration is a fixed, small number of launches.
// The per-check costs are measured and bounded, so that a change that adds round trips shows.
#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "core/engine/gaussian_path_solver.hpp"
#include "core/design/glm_batch_problem.hpp"
#include "core/engine/glm_batch_solver.hpp"
#include "counting_backend.hpp"
#include "glm_test_support.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

using Counting = CountingBackend<double>;

// The concept check is not vacuous: a type without the primitives is not a backend.
struct NoPrimitives {
  using value_type = double;
};
static_assert(!is_backend_v<NoPrimitives>, "a type without the primitives is not a backend");

// A control that iterates exactly max_iter times: no tolerance is met, nothing falls back.
SolveControl iterate_only(int max_iter, int check_every) {
  SolveControl c;
  c.tol = 1e-300;
  c.max_iter = max_iter;
  c.check_every = check_every;
  c.screen = false;
  c.polish = false;
  c.stall_iterations = 1 << 30;
  return c;
}

// The counts of a gaussian path of K λ (one block) after `max_iter` iterations.
BackendCounts gaussian_counts(const Problem& pr, int max_iter, int check_every) {
  Counting be;
  GaussianProblem<Counting> problem(be, pr.view(), pr.y.data(), true, true);
  const BackendCounts setup = be.counts;
  Path out = sized_path(pr.p, log_spaced_path(problem.lambda_max(1.0) * 0.5, 8, 0.05));
  const auto nl = out.lambdas.size();
  GaussianPathSolver<Counting> solver(problem, 1.0, iterate_only(max_iter, check_every));
  solver.solve(out.lambdas, out);
  for (std::size_t k = 0; k < nl; ++k) EXPECT_EQ(out.iterations[k], max_iter);
  return be.counts - setup;
}

// The counts of a binomial 3-fold batch (8 λ × 4 groups) after `max_iter` iterations.
BackendCounts glm_counts(const Problem& pr, int max_iter, int check_every) {
  Counting be;
  std::vector<int> row_fold(static_cast<std::size_t>(pr.n));
  for (std::size_t i = 0; i < row_fold.size(); ++i) row_fold[i] = int(i % 3);
  GlmBatchProblem<Counting> problem(be, pr.view(), pr.y.data(), row_fold, 3,
                                    ops::Datafit::logistic, true, true);
  const double top = problem.lambda_max_per_fold(1.0)[0];
  std::vector<GlmGroup> groups;
  for (int f = -1; f < 3; ++f) groups.push_back({1.0, f, log_spaced_path(0.5 * top, 8, 0.05)});
  const BackendCounts setup = be.counts;
  GlmBatchSolver<Counting> solver(problem, iterate_only(max_iter, check_every), nullptr);
  const auto results = solver.solve(groups, 8);
  for (const auto& r : results)
    for (const int it : r.iterations) EXPECT_EQ(it, max_iter);
  return be.counts - setup;
}

void report(const std::string& what, const BackendCounts& c, double per) {
  std::cout << what << ": " << double(c.launches) / per << " launches, " << double(c.syncs) / per
            << " syncs, " << double(c.uploads) / per << " uploads, " << double(c.downloads) / per
            << " downloads, " << double(c.bytes) / per << " bytes\n";
}

struct Shape {
  std::int64_t n, p;
  const char* form;
  std::int64_t launches;  // per gaussian iteration
};

TEST(EngineCounts, GaussianIterationStaysOnTheDevice) {
  // Gram form: G = H·Y − c1ᵀ (fill, GEMM), prox, momentum; direct form: one more GEMM
  for (const Shape s : {Shape{200, 20, "gram", 4}, Shape{40, 60, "direct", 5}}) {
    const Problem pr = random_problem(s.n, s.p, 0.3, 3);
    const BackendCounts per = gaussian_counts(pr, 60, 1000) - gaussian_counts(pr, 20, 1000);
    report(std::string("gaussian ") + s.form + " form, per iteration", per, 40);
    EXPECT_EQ(per.syncs, 0) << s.form;
    EXPECT_EQ(per.bytes, 0) << s.form;
    EXPECT_EQ(per.launches, 40 * s.launches) << s.form;
  }
}

TEST(EngineCounts, GlmIterationStaysOnTheDevice) {
  const Problem pr = random_binomial_problem(90, 12, 0.3, 4);
  const BackendCounts per = glm_counts(pr, 60, 1000) - glm_counts(pr, 20, 1000);
  report("glm batch, per iteration", per, 40);
  EXPECT_EQ(per.syncs, 0);
  EXPECT_EQ(per.bytes, 0);
  // to_raw, E = Xa·B (GEMM), residual, Xaᵀ·R (GEMM), from_raw_gradient, prox, momentum
  EXPECT_EQ(per.launches, 40 * 7);
}

// The checks at iterations 10, 20, …, 50 that a check_every of 10 adds to a run of 60.
TEST(EngineCounts, ChecksAreBounded) {
  const Problem pr = random_problem(200, 20, 0.3, 3);
  const BackendCounts g = gaussian_counts(pr, 60, 10) - gaussian_counts(pr, 60, 1000);
  report("gaussian gram form (K = 8), per check", g, 5);
  const Problem pb = random_binomial_problem(90, 12, 0.3, 4);
  const BackendCounts b = glm_counts(pb, 60, 10) - glm_counts(pb, 60, 1000);
  report("glm batch (K = 32, p = 12), per check", b, 5);
  // Bounds at the counts of this change, so that more round trips show up here.
  EXPECT_LE(g.syncs, 5 * 8);
  EXPECT_LE(b.syncs, 5 * 8);
}

// The per-fold power iteration of the GLM batch (its steps) keeps the vectors on the device: per
// round one reduction comes back (K norms) and K divisors go up, never the (p+1) × K block.
TEST(EngineCounts, FoldPowerIterationMovesOnlyNorms) {
  const Problem pr = random_binomial_problem(90, 40, 0.3, 4);
  Counting be;
  std::vector<int> row_fold(static_cast<std::size_t>(pr.n));
  for (std::size_t i = 0; i < row_fold.size(); ++i) row_fold[i] = int(i % 3);
  GlmBatchProblem<Counting> problem(be, pr.view(), pr.y.data(), row_fold, 3,
                                    ops::Datafit::logistic, true, true);
  const BackendCounts before = be.counts;
  const std::vector<double> L = problem.lipschitz_per_fold();
  const BackendCounts c = be.counts - before;
  report("fold power iteration (K = 4, p = 40), in all", c, 1);
  ASSERT_EQ(L.size(), 4u);
  const std::int64_t K = 4, rounds = c.downloads;  // one norm reduction per round
  EXPECT_GT(rounds, 3);
  // the starting block, the column parameters, then K divisors per round; K norms per round
  EXPECT_LE(c.bytes, (rounds + 1) * K * 8 * 2 + 41 * K * 8 + 5 * K * 8);
}

// A whole gaussian path with the default control (working sets, Newton polish): its host round
// trips are the accelerators' (they run on the host); reported, and bounded by the count at the
// time of writing so that a change that adds round trips shows.
TEST(EngineCounts, GaussianPathWithAccelerators) {
  const Problem pr = random_problem(300, 60, 0.5, 11);
  Counting be;
  GaussianProblem<Counting> problem(be, pr.view(), pr.y.data(), true, true);
  const BackendCounts setup = be.counts;
  Path out = sized_path(pr.p, log_spaced_path(problem.lambda_max(1.0), 40, 0.001));
  const auto nl = out.lambdas.size();
  SolveControl control;
  control.tol = 1e-10;
  GaussianPathSolver<Counting> solver(problem, 1.0, control);
  solver.solve(out.lambdas, out);
  for (std::size_t k = 0; k < nl; ++k) EXPECT_EQ(out.status[k], Status::converged) << k;
  const BackendCounts c = be.counts - setup;
  report("gaussian path of 40 λ with the accelerators, in all", c, 1);
  EXPECT_LE(c.syncs, 600);  // 544 at the time of writing
}

}  // namespace
}  // namespace regpath::test
