// Options with every automatic value decided, shared by the runners. Private.
#pragma once

#include <cstdint>

#include "core/gaussian_path_solver.hpp"  // SolveControl
#include "core/lambda_grid.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

// Options with every automatic value decided.
struct ResolvedOptions {
  Options options;
  SolveControl control;
  double lambda_min_ratio = 1e-4;
};

// The automatic values: lambda_min_ratio from the shape, tol from the precision, block size 20.
inline ResolvedOptions resolve_options_for(const Options& o, std::int64_t n, std::int64_t p) {
  ResolvedOptions ro;
  ro.options = o;
  ro.lambda_min_ratio = o.lambda_min_ratio ? *o.lambda_min_ratio : default_lambda_min_ratio(n, p);
  ro.control.tol = o.tol ? *o.tol : (o.precision == Precision::float32 ? 1e-4 : 1e-7);
  ro.control.max_iter = o.max_iter;
  ro.control.block_size = o.block_size > 0 ? o.block_size : 20;
  ro.control.check_every = o.check_every;
  ro.control.progress = o.progress;
  return ro;
}

}  // namespace regpath
