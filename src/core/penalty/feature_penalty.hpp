// The per-feature data of the penalty as the backend ops see it (host and device code): the
// factors w_j ≥ 0 (glmnet's penalty.factor) and the bounds lo_j ≤ 0 ≤ hi_j (glmnet's lower and
// upper limits, on the solver's standardized scale). Coordinate j's penalty is
//     λ·w_j·(α|b| + (1−α)/2·b²)  on  lo_j ≤ b ≤ hi_j,
// its prox the elastic net's at λ·w_j clipped into the box (exact: in one dimension the prox of
// a convex function plus a box indicator is the clipped prox). Null arrays: w = 1, no bounds —
// and then every formula reduces to the plain elastic net's, operation for operation.
//
// The bounds may differ per group of columns: the GLM batch's folds are each standardized on
// their own rows, so a raw bound becomes a different standardized bound per fold. With `col`
// (the GLM columns' parameters, ops::GlmColumn) column k reads group fold_k + 1, else group 0.
#pragma once

#include <cstdint>
#include <limits>

#include "core/engine/glm_scalar_ops.hpp"

namespace regpath::ops {

template <typename T>
struct FeaturePenalty {
  const T* factor = nullptr;  // w_j, p values
  const T* lower = nullptr;   // lo_j of group g at [j + g·p]
  const T* upper = nullptr;   // hi_j of group g at [j + g·p]
  const T* col = nullptr;     // GLM columns' parameters (column k's group: its fold + 1)
  std::int64_t p = 0;

  REGPATH_HOST_DEVICE T w(std::int64_t j) const { return factor ? factor[j] : T(1); }
  REGPATH_HOST_DEVICE bool bounded() const { return lower != nullptr || upper != nullptr; }
  REGPATH_HOST_DEVICE std::int64_t at(std::int64_t j, std::int64_t k) const {
    return col ? j + (std::int64_t(col[k * GlmColumn::count + GlmColumn::fold]) + 1) * p : j;
  }
  // lo_j, hi_j of column k (±∞ without bounds)
  REGPATH_HOST_DEVICE T lo(std::int64_t j, std::int64_t k) const {
    return lower ? lower[at(j, k)] : -std::numeric_limits<T>::infinity();
  }
  REGPATH_HOST_DEVICE T hi(std::int64_t j, std::int64_t k) const {
    return upper ? upper[at(j, k)] : std::numeric_limits<T>::infinity();
  }
  // b clipped into coordinate j's box in column k
  REGPATH_HOST_DEVICE T clip(T b, std::int64_t j, std::int64_t k) const {
    if (lower) {
      const T l = lower[at(j, k)];
      b = b < l ? l : b;
    }
    if (upper) {
      const T u = upper[at(j, k)];
      b = b > u ? u : b;
    }
    return b;
  }
};

}  // namespace regpath::ops
