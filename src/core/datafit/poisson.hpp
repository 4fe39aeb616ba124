// The poisson datafit (family poisson, y ≥ 0 counts, log link): f(η; y) = e^η − y·η, glmnet's
// poisson objective (its deviance is 2·Σ[f(η; y) − f(log y; y)]). A policy of static host+device
// functions; see datafit.hpp.
//
// f'' = e^η has no global bound, so the step of the proximal-gradient iterations cannot come from
// a constant: `curvature` here multiplies the largest response (curvature_scales_with_response),
// a bound of f'' near fits whose means stay within the data's range, and the solver's step
// safeguard halves a column's step whenever its objective rises or stops being finite. What the
// iterations leave unfinished, the host proximal Newton (IRLS weights μ) finishes, as for
// logistic. Backtracking on every iteration would cost a loss evaluation per step; the check's
// safeguard costs nothing between checks.
#pragma once

#include <cmath>

#include "core/datafit/mean_divergence.hpp"
#include "core/engine/scalar_ops.hpp"

namespace regpath::ops {

struct PoissonDatafit {
  // f'' = μ ≤ curvature · max y while the fitted means stay below the largest count
  static constexpr double curvature = 1.0;
  static constexpr bool curvature_scales_with_response = true;
  // the dual point's intercept shift is proportional to the mean, keeping y + u ≥ 0 (see
  // DatafitTraits::proportional_dual)
  static constexpr bool two_class_dual = false;
  static constexpr bool proportional_dual = true;
  // glmnet's GLM path end: the deviance ratio gains less than fdev
  static constexpr bool relative_path_end = false;

  // the largest argument capped_exp takes: e^top is below overflow
  template <typename T>
  REGPATH_HOST_DEVICE static T exp_top() {
    return sizeof(T) == 4 ? T(80) : T(700);
  }
  // e^η, its argument kept below overflow (a point that far out is rejected by its objective)
  template <typename T>
  REGPATH_HOST_DEVICE static T capped_exp(T eta) {
    using std::exp;
    const T top = exp_top<T>();
    return exp(eta < top ? eta : top);
  }
  // ℓ'(η) = μ = e^η
  template <typename T>
  REGPATH_HOST_DEVICE static T mean(T eta) {
    return capped_exp(eta);
  }
  // f(η; y) = e^η − y·η
  template <typename T>
  REGPATH_HOST_DEVICE static T loss(T eta, T y) {
    return capped_exp(eta) - y * eta;
  }
  // f*(u; y) = q·log q − q with q = y + u ≥ 0 (clamped at 0, where the solver's dual points keep
  // it up to rounding)
  template <typename T>
  REGPATH_HOST_DEVICE static T conjugate(T u, T y) {
    using std::log;
    const T q = y + u;
    return q > T(0) ? q * log(q) - q : T(0);
  }
  // f(η; y) + f*(u; y) − u·η = D(q ‖ μ), q = y + u (clamped at 0), μ = e^η: the duality gap's
  // share of one row as the divergence itself (mean_divergence), not as the difference of the
  // loss and conjugate sums, which near a saturated fit are far larger than it. A q < 0 (by
  // rounding) counts as 0, as in conjugate. Where e^η is capped or underflows, the direct sum.
  template <typename T>
  REGPATH_HOST_DEVICE static T fenchel_young(T eta, T u, T y) {
    const T mu = capped_exp(eta);
    if (!(mu > T(0)) || !(eta < exp_top<T>())) return loss(eta, y) + conjugate(u, y) - u * eta;
    const T delta = (y - mu) + u;  // q − μ
    return mean_divergence(mu, delta < -mu ? -mu : delta);
  }
  // cv.glmnet's poisson deviance on a test row, 2·[y·log(y/μ) − (y − μ)] (y·log y = 0 at y = 0)
  template <typename T>
  REGPATH_HOST_DEVICE static T test_error(T eta, T y) {
    using std::log;
    const T mu = capped_exp(eta);
    const T ylogy = y > T(0) ? y * log(y) : T(0);
    return T(2) * (ylogy - y * eta - (y - mu));
  }
  // f''(η) = μ, floored at 1e−12
  REGPATH_HOST_DEVICE static double irls_weight(double mu) { return mu > 1e-12 ? mu : 1e-12; }
  // The null model's linear predictor from the mean response: the log.
  static double link(double mean) { return std::log(mean); }
  // A null model exists only with some count positive.
  static bool has_null_model(double mean) { return mean > 0; }
  // f(log y; y) = y − y·log y, the saturated model's loss (0 at y = 0), for the deviance ratio
  static double saturated_loss(double y) { return y > 0 ? y - y * std::log(y) : 0.0; }
};

}  // namespace regpath::ops
