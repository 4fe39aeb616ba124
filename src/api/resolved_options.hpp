// Options with every automatic value decided, shared by the runners. Private.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/engine/solve_control.hpp"
#include "core/datafit/datafit.hpp"
#include "core/path/lambda_grid.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

// Options with every automatic value decided.
struct ResolvedOptions {
  Options options;
  SolveControl control;
  double lambda_min_ratio = 1e-4;
  // the penalty factors of the features solved, rescaled (api/feature_selection.hpp); empty:
  // all 1
  std::vector<double> penalty_factors;
  // the bounds of the features solved, on the original scale (p each), or both empty for none
  std::vector<double> lower_limits, upper_limits;
  // the features solved without a penalty (factor 0; their factor above a placeholder 1),
  // partialled out of the gaussian problem (core/design/unpenalized.hpp), kept in the GLM
  // batch's solve with a factor 0 (assign_batch_penalty, api/glm_runs.hpp)
  std::vector<std::int64_t> unpenalized;
};

// The resolved penalty factors and limits onto a problem (GaussianProblem or GlmBatchProblem,
// whose assign_bounds puts the limits on its own standardized scale).
template <class Backend, class Problem>
void assign_penalty(Backend& backend, Problem& problem, const ResolvedOptions& ro) {
  problem.penalty.assign_factors(backend, ro.penalty_factors);
  problem.assign_bounds(ro.lower_limits, ro.upper_limits);
}

// The user's lambda_min_ratio, else glmnet's default for an n × p problem.
inline double lambda_min_ratio_for(const Options& o, std::int64_t n, std::int64_t p) {
  return o.lambda_min_ratio ? *o.lambda_min_ratio : default_lambda_min_ratio(n, p);
}

// The automatic values: lambda_min_ratio from the shape, tol from the precision, block size 20.
inline ResolvedOptions resolve_options_for(const Options& o, std::int64_t n, std::int64_t p) {
  ResolvedOptions ro;
  ro.options = o;
  ro.lambda_min_ratio = lambda_min_ratio_for(o, n, p);
  ro.control.tol = o.tol ? *o.tol : (o.precision == Precision::float32 ? 1e-4 : 1e-7);
  ro.control.max_iter = o.max_iter;
  ro.control.block_size = o.block_size > 0 ? o.block_size : 20;
  ro.control.check_every = o.check_every;
  ro.control.progress = o.progress;
  return ro;
}

// The datafit of a family, and its constants.
inline ops::Datafit datafit_for(Family family) {
  switch (family) {
    case Family::binomial: return ops::Datafit::logistic;
    case Family::poisson: return ops::Datafit::poisson;
    case Family::gaussian: break;
    case Family::multinomial: break;  // refused before (validate_options): its own solver
  }
  return ops::Datafit::quadratic;
}
inline ops::DatafitTraits traits_for(Family family) {
  return ops::datafit_traits(datafit_for(family));
}

// 1/s under glmnet's response scaling (Options::glmnet_y_scaling; `fallback` when unset), with s
// the response's scale: the factor on the ridge part of the penalty. 1 otherwise, or when s = 0.
inline double glmnet_ridge_factor(const Options& o, double response_scale, bool fallback = false) {
  const bool on = o.glmnet_y_scaling.value_or(fallback) && o.family == Family::gaussian;
  return on && response_scale > 0 && std::isfinite(response_scale) ? 1.0 / response_scale : 1.0;
}

}  // namespace regpath
