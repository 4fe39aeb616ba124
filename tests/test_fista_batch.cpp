// The one FISTA loop (core/engine/fista_batch.hpp) alone, on a problem whose every iterate is
// known in closed form, and its bookkeeping: the check rules, compaction, and the restarts of a
// check reaching the backend together.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "backends/cpu_backend.hpp"
#include "core/engine/fista_batch.hpp"
#include "counting_backend.hpp"

namespace regpath::test {
namespace {

using Index = std::int64_t;

// Column k minimizes ½‖b − c_k‖² (gradient b − c_k, identity prox): with step 1 FISTA reaches
// c_k in one step, and with step t the error after each step is (1 − t) times the last
// (momentum aside). The loop, driven by a check that finishes a column once it is within
// 1e-12 of c_k, must finish every column at c_k, in any order, with its own per-column buffer
// compacted along.
TEST(FistaBatch, SolvesIndependentColumnsAndCompactsThem) {
  using Be = CpuBackend<double>;
  Be be;
  const Index rows = 5, K = 4;
  std::vector<double> c(static_cast<std::size_t>(rows * K));
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = std::sin(double(i) + 1.0);
  auto target = be.allocate(c.size());
  be.upload(target.data(), c.data(), c.size());
  auto grad = be.allocate(c.size());
  auto tag = be.allocate(static_cast<std::size_t>(K));  // a per-column buffer: the column's id
  const std::vector<double> ids = {0, 1, 2, 3};
  be.upload(tag.data(), ids.data(), ids.size());

  FistaBatch<Be> batch(be);
  batch.allocate(rows, K);
  batch.reshape(rows, K);
  std::vector<ColumnState<double>> cols(static_cast<std::size_t>(K));
  const std::vector<double> steps = {1.0, 0.5, 0.25, 0.9};  // per column
  for (Index k = 0; k < K; ++k) cols[std::size_t(k)].step = steps[std::size_t(k)];
  batch.upload_steps(cols);
  const std::vector<double> zero(static_cast<std::size_t>(rows * K), 0.0);
  be.upload(batch.iterate(), zero.data(), zero.size());
  batch.restart_all();

  std::vector<int> finished_at(static_cast<std::size_t>(K), -1);
  SolveControl control;
  control.check_every = 1;
  control.max_iter = 2000;
  std::vector<double> host;
  const auto check = [&](int iter) {
    const Index active = batch.active();
    host.resize(static_cast<std::size_t>(rows * active));
    be.download(host.data(), batch.iterate(), host.size());
    std::vector<double> id(static_cast<std::size_t>(active));
    be.download(id.data(), tag.data(), id.size());
    std::vector<Index> keep;
    for (Index s = 0; s < active; ++s) {
      const auto k = static_cast<std::size_t>(id[std::size_t(s)]);
      double err = 0;
      for (Index i = 0; i < rows; ++i)
        err = std::fmax(err, std::fabs(host[std::size_t(s * rows + i)] - c[k * rows + i]));
      if (err <= 1e-12) {
        finished_at[k] = iter;
        continue;
      }
      keep.push_back(s);
    }
    if (keep.empty()) return false;
    // the target moves with its column: compacted as a per-column buffer of `rows` rows
    if (static_cast<Index>(keep.size()) < active)
      batch.compact(keep, cols, {{target.data(), rows}, {tag.data(), 1}});
    return iter < control.max_iter;
  };
  const auto descent = [&] {
    const Index active = batch.active();
    // G = Y − C;  B' = Y − t∘G
    be.copy(grad.data(), batch.momentum(), static_cast<std::size_t>(rows * active));
    for (Index s = 0; s < active; ++s) {
      std::vector<double> y(static_cast<std::size_t>(rows)), t(static_cast<std::size_t>(rows));
      be.download(y.data(), batch.momentum() + s * rows, y.size());
      be.download(t.data(), target.data() + s * rows, t.size());
      double step = 0;
      be.download(&step, batch.steps() + s, 1);
      for (std::size_t i = 0; i < y.size(); ++i) y[i] -= step * (y[i] - t[i]);
      be.upload(batch.next() + s * rows, y.data(), y.size());
    }
  };
  batch.run(control, check, descent);
  for (Index k = 0; k < K; ++k) EXPECT_GE(finished_at[std::size_t(k)], 0) << "column " << k;
  EXPECT_EQ(finished_at[0], 1);  // step 1: exact after one iteration
  EXPECT_GT(finished_at[2], finished_at[1]);  // shorter steps take longer
}

// record_check halves where the objective rose and the column is not converged, and keeps the
// best gap; due_status says converged / max_iter / stalled in that order.
TEST(FistaBatch, CheckRules) {
  ColumnState<double> c;
  SolveControl control;
  control.max_iter = 100;
  control.stall_iterations = 30;
  EXPECT_FALSE(record_check(c, 1.0, 1e-3, 1e-7, 0));  // the first check: below +inf
  EXPECT_TRUE(record_check(c, 2.0, 1e-3, 1e-7, 10));  // rose, not converged: halve
  EXPECT_FALSE(record_check(c, 3.0, 1e-9, 1e-7, 20));  // rose but converged: leave the step
  EXPECT_TRUE(record_check(c, 4.0, std::nan(""), 1e-7, 21));  // a non-finite gap is not converged
  EXPECT_EQ(c.best_gap, 1e-9);
  EXPECT_EQ(c.best_iter, 20);
  EXPECT_EQ(due_status(c, 1e-9, 1e-7, 25, control), Status::converged);
  EXPECT_EQ(due_status(c, 1e-3, 1e-7, 100, control), Status::max_iter);
  EXPECT_EQ(due_status(c, 1e-3, 1e-7, 50, control), Status::stalled);  // 30 since iter 20
  EXPECT_FALSE(due_status(c, 1e-3, 1e-7, 49, control).has_value());
}

// A check's restarts reach the backend together: halving every column of a block costs one
// upload and one launch, not an upload (or two) and a copy per column; each restarted column
// has Y = B and its new step, the others are untouched.
TEST(FistaBatch, RestartsOfACheckGoTogether) {
  using Be = CountingBackend<double>;
  Be be;
  const Index rows = 3, K = 8;
  FistaBatch<Be> batch(be);
  batch.allocate(rows, K);
  batch.reshape(rows, K);
  std::vector<ColumnState<double>> cols(static_cast<std::size_t>(K));
  batch.upload_steps(cols);
  std::vector<double> b(static_cast<std::size_t>(rows * K)), y(b.size(), -7.0);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = double(i);
  be.upload(batch.iterate(), b.data(), b.size());
  be.upload(batch.momentum(), y.data(), y.size());
  const BackendCounts before = be.counts;
  for (Index s = 0; s < K; s += 2) batch.halve_step(s, cols[std::size_t(s)]);
  batch.restart(1, cols[1]);
  batch.flush();
  const BackendCounts spent = be.counts - before;
  EXPECT_EQ(spent.uploads, 1);
  EXPECT_EQ(spent.launches, 1);
  EXPECT_EQ(spent.syncs, 0);
  batch.flush();  // nothing recorded since: free
  EXPECT_EQ((be.counts - before).uploads, 1);

  std::vector<double> Y(b.size()), t(static_cast<std::size_t>(K));
  be.download(Y.data(), batch.momentum(), Y.size());
  be.download(t.data(), batch.steps(), t.size());
  for (Index s = 0; s < K; ++s) {
    const bool restarted = s % 2 == 0 || s == 1;
    EXPECT_EQ(t[std::size_t(s)], s % 2 == 0 ? 0.5 : 1.0) << "column " << s;
    for (Index i = 0; i < rows; ++i) {
      const auto e = std::size_t(s * rows + i);
      EXPECT_EQ(Y[e], restarted ? b[e] : -7.0) << "column " << s << " row " << i;
    }
  }
}

}  // namespace
}  // namespace regpath::test
