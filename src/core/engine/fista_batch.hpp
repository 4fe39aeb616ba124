// The one batched FISTA loop: K independent problems as the columns of a block, each with its own
// step t_k and momentum θ_k, iterated together and checked every check_every iterations.
//
// Both problem kinds run on it — the gaussian path (gaussian_path_solver.hpp: a working set of
// features, the gradient from the Gram matrix or the data, the support polish) and the GLM batch
// (glm_batch_solver.hpp: λ × α × fold columns of one datafit, the host proximal Newton). What
// differs between them is what they are: the gradient, the prox (which parameters per column)
// and the certificate, passed to run() as callables. What they share is here, written once:
//   - the block's state on the backend: B (the iterate), B' (the next one), Y (the momentum
//     point), t and θ per column, `rows` rows per column (a working set may change them);
//   - one iteration:  G = ∇f(Y) (the problem's) · B' = prox(Y − t∘G) (the problem's) ·
//     Y = B' + (θ_k − 1)/θ_{k+1}·(B' − B) with the adaptive restart (momentum_step) · B ← B';
//   - the per-column safeguards a check applies: a rising objective halves the column's step
//     and restarts its momentum (record_check), a column whose point was replaced restarts;
//     a check's restarts are recorded and reach the backend together before the next iteration
//     (one upload of K values and one restart_columns launch, not two uploads and a copy each);
//   - the column bookkeeping: ColumnState (step, last objective, best gap) and the rule that
//     says when a column is done (due_status); compaction of the finished columns, so the
//     following products shrink with the block.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "core/engine/solve_control.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

// What the host keeps of every column of a batch (a solver's slot extends it), indexed by the
// column's position in the block and compacted with it.
template <typename T>
struct ColumnState {
  T step = T(1);                                                // t_k
  double primal = std::numeric_limits<double>::infinity();     // P at the last check
  double best_gap = std::numeric_limits<double>::infinity();   // smallest rel. gap seen ...
  int best_iter = 0;                                            // ... at this iteration
  int newton_steps = 0;  // Newton systems (or outer steps) spent on it, reported per λ
};

// A relative gap reached by the column at `iter` (a check, or a polish that improved it).
template <typename T>
void note_gap(ColumnState<T>& c, double rel, int iter) {
  if (rel < 0.5 * c.best_gap) {
    c.best_gap = rel;
    c.best_iter = iter;
  }
}

// A check's record of one column, objective `primal` and relative gap `rel` at iteration
// `iter`: whether its step must be halved (a rising objective while not yet converged: the step
// was too long for this column), and its best gap (a gap that halves is progress; stall_iterations
// without it end the column).
template <typename T>
bool record_check(ColumnState<T>& c, double primal, double rel, double tol, int iter) {
  const bool rising =
      (!std::isfinite(rel) || rel > tol) && primal > c.primal + 1e-6 * std::fabs(c.primal);
  c.primal = primal;
  note_gap(c, rel, iter);
  return rising;
}

// Whether a column with relative gap `rel` is done at `iter`, and how: converged (rel ≤ target),
// out of iterations, or stalled (its gap has not halved in stall_iterations: the precision's
// floor).
template <typename T>
std::optional<Status> due_status(const ColumnState<T>& c, double rel, double target, int iter,
                                 const SolveControl& control) {
  if (rel <= target) return Status::converged;
  if (iter >= control.max_iter) return Status::max_iter;
  if (iter - c.best_iter >= control.stall_iterations) return Status::stalled;
  return std::nullopt;
}

template <class Backend>
class FistaBatch {
 public:
  using T = typename Backend::value_type;
  using Buffer = typename Backend::Buffer;
  using Index = std::int64_t;

  explicit FistaBatch(Backend& be) : be_(be) {}

  // Room for kmax columns of up to max_rows rows.
  void allocate(Index max_rows, Index kmax) {
    const auto rk = static_cast<std::size_t>(max_rows * kmax);
    cur_ = be_.allocate(rk);
    next_ = be_.allocate(rk);
    momentum_ = be_.allocate(rk);
    step_ = be_.allocate(static_cast<std::size_t>(kmax));
    theta_ = be_.allocate(static_cast<std::size_t>(kmax));
    restart_ = be_.allocate(static_cast<std::size_t>(kmax));
    ones_.assign(static_cast<std::size_t>(kmax), T(1));
    pending_.assign(static_cast<std::size_t>(kmax), T(0));
  }

  // The block: rows × active, column-major (each column one problem).
  Index rows() const { return rows_; }
  Index active() const { return active_; }
  T* iterate() { return cur_.data(); }                 // B
  const T* iterate() const { return cur_.data(); }
  T* column(Index s) { return cur_.data() + s * rows_; }
  T* momentum() { return momentum_.data(); }           // Y, where the gradient is taken
  T* next() { return next_.data(); }                   // B', the prox's output
  const T* steps() const { return step_.data(); }      // t, per column
  Buffer& iterate_buffer() { return cur_; }

  // The block now holds `active` columns of `rows` rows (B filled by the caller, in place).
  void reshape(Index rows, Index active) {
    rows_ = rows;
    active_ = active;
  }

  // Y = B, θ = 1 for every column: momentum restarted from the iterate.
  void restart_all() {
    be_.copy(momentum_.data(), cur_.data(), static_cast<std::size_t>(rows_ * active_));
    be_.upload(theta_.data(), ones_.data(), static_cast<std::size_t>(active_));
  }

  // Column s (state c) restarts its momentum from its iterate: Y_s = B_s, θ_s = 1, t_s = c.step.
  // Recorded, not done: a check's restarts go to the backend together (flush), one upload of K
  // values and one launch, however many columns restart.
  void restart(Index s, const ColumnState<T>& c) {
    pending_[static_cast<std::size_t>(s)] = c.step;
  }

  // The recorded restarts, applied:  where r_k > 0: Y_k = B_k, θ_k = 1, t_k = r_k.
  void flush() {
    const auto first = pending_.begin(), last = first + std::ptrdiff_t(active_);
    if (std::none_of(first, last, [](T r) { return r > T(0); })) return;
    be_.upload(restart_.data(), pending_.data(), static_cast<std::size_t>(active_));
    be_.restart_columns(rows_, active_, restart_.data(), step_.data(), theta_.data(),
                        momentum_.data(), cur_.data());
    std::fill(first, last, T(0));
  }

  // t = the columns' steps, uploaded.
  template <class Column>
  void upload_steps(const std::vector<Column>& columns) {
    steps_host_.resize(static_cast<std::size_t>(active_));
    for (Index s = 0; s < active_; ++s)
      steps_host_[static_cast<std::size_t>(s)] = columns[static_cast<std::size_t>(s)].step;
    be_.upload(step_.data(), steps_host_.data(), steps_host_.size());
  }

  // t_s /= 2 and a restart of column s (the safeguard of record_check).
  void halve_step(Index s, ColumnState<T>& c) {
    c.step /= T(2);
    restart(s, c);
  }

  // Keeps the columns `keep` (ascending) of the block, the per-column buffers `also` (each with
  // its rows per column) and the host's `columns`, dropping the others.
  template <class Column>
  void compact(const std::vector<Index>& keep, std::vector<Column>& columns,
               std::initializer_list<std::pair<T*, Index>> also = {}) {
    flush();
    be_.compact_columns(rows_, cur_.data(), rows_, keep);
    be_.compact_columns(rows_, momentum_.data(), rows_, keep);
    be_.compact_columns(1, step_.data(), 1, keep);
    be_.compact_columns(1, theta_.data(), 1, keep);
    for (const auto& [buffer, rows] : also) be_.compact_columns(rows, buffer, rows, keep);
    for (std::size_t i = 0; i < keep.size(); ++i)
      columns[i] = columns[static_cast<std::size_t>(keep[i])];
    columns.resize(keep.size());
    active_ = static_cast<Index>(keep.size());
  }

  // The loop. At iteration 0, every check_every iterations and at max_iter, check(iter) is
  // called (it certifies the columns, stores the finished ones and compacts the block); it
  // returns false when no column is left. Between checks, per iteration:
  //   descent():  B' = prox(Y − t∘∇f(Y))   (the problem's gradient and prox, into next())
  //   Y = B' + (θ_k − 1)/θ_{k+1}·(B' − B), restarted where (Y − B')ᵀ(B' − B) > 0;  B ← B'
  template <class Check, class Descent>
  void run(const SolveControl& control, Check&& check, Descent&& descent) {
    for (int iter = 0;; ++iter) {
      if (iter % control.check_every == 0 || iter >= control.max_iter) {
        if (!check(iter)) return;
        flush();
      }
      descent();
      be_.momentum_step(rows_, active_, next_.data(), cur_.data(), momentum_.data(),
                        theta_.data());
      std::swap(cur_, next_);
    }
  }

 private:
  Backend& be_;
  Index rows_ = 0, active_ = 0;
  Buffer cur_, next_, momentum_, step_, theta_, restart_;
  std::vector<T> ones_, steps_host_, pending_;  // pending_: the restarts recorded (flush)
};

}  // namespace regpath
