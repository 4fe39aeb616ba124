// The knobs of the batched solvers (fista_batch.hpp and the two problems' solvers on it).
#pragma once

#include <functional>

namespace regpath {

struct SolveControl {
  double tol = 1e-7;
  int max_iter = 100000;
  int block_size = 20;
  int check_every = 10;
  bool screen = true;           // iterate on a working set (strong rule), check on all features
  bool polish = true;           // Newton's steps on the active set (support_polish.hpp)
  double polish_from = 1e-1;    // relative gap below which a column's active set is worth a try
  int polish_limit = 2500;      // largest active set polished
  // gaussian: coordinate descent first, λ by λ, where X̃ is on the host and wide
  // (core/accel/path_descent.hpp); false: FISTA and Newton's steps alone
  bool path_descent = true;
  int stall_iterations = 2000;  // a column whose gap does not halve in this many iterations stops
  std::function<void(double)> progress;  // called with the fraction of λ done, if set
};

}  // namespace regpath
