// The quadratic datafit (family gaussian): f(η; y) = ½(η − y)², the least-squares loss.
// A datafit is a policy of static host+device functions (see datafit.hpp for the list); this
// one and logistic.hpp are the models for the next (poisson, multinomial).
#pragma once

#include "core/engine/scalar_ops.hpp"

namespace regpath::ops {

struct QuadraticDatafit {
  // an upper bound of f'' (the gradient's Lipschitz factor)
  static constexpr bool curvature_scales_with_response = false;
  static constexpr double curvature = 1.0;
  // the dual point subtracts the mean residual (no class balancing; see DatafitTraits)
  static constexpr bool proportional_dual = false;
  static constexpr bool two_class_dual = false;
  // glmnet's gaussian path end: the deviance ratio gains less than fdev times itself
  static constexpr bool relative_path_end = true;

  // ℓ'(η), the mean at η (identity link)
  template <typename T>
  REGPATH_HOST_DEVICE static T mean(T eta) {
    return eta;
  }
  // f(η; y) = ½(η − y)²
  template <typename T>
  REGPATH_HOST_DEVICE static T loss(T eta, T y) {
    const T r = eta - y;
    return T(0.5) * r * r;
  }
  // f*(u; y) = sup_η u·η − f(η; y) = ½u² + u·y
  template <typename T>
  REGPATH_HOST_DEVICE static T conjugate(T u, T y) {
    return T(0.5) * u * u + u * y;
  }
  // f(η; y) + f*(u; y) − u·η = ½(y + u − η)²: the duality gap's share of one row, a square (no
  // cancellation of the loss against the conjugate, each of which may be far larger)
  template <typename T>
  REGPATH_HOST_DEVICE static T fenchel_young(T eta, T u, T y) {
    const T d = (y - eta) + u;
    return T(0.5) * d * d;
  }
  // cv.glmnet's prediction error on a test row: (y − η)²
  template <typename T>
  REGPATH_HOST_DEVICE static T test_error(T eta, T y) {
    const T r = y - eta;
    return r * r;
  }
  // f''(η) at the mean μ: the IRLS weight (constant: one Newton step solves the model)
  REGPATH_HOST_DEVICE static double irls_weight(double /*mu*/) { return 1.0; }
  // The null model's linear predictor from the mean response: the identity link.
  static double link(double mean) { return mean; }
  // Every mean response has a finite null model.
  static bool has_null_model(double /*mean*/) { return true; }
  // the saturated model fits every row: loss 0
  static double saturated_loss(double /*y*/) { return 0.0; }
};

}  // namespace regpath::ops
