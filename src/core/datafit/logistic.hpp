// The logistic datafit (family binomial, y ∈ {0, 1}): f(η; y) = log(1 + e^η) − y·η.
// A policy of static host+device functions; see datafit.hpp.
#pragma once

#include <cmath>

#include "core/datafit/mean_divergence.hpp"
#include "core/engine/scalar_ops.hpp"

namespace regpath::ops {

// σ(η) = 1/(1 + e^−η), without overflow for either sign.
template <typename T>
REGPATH_HOST_DEVICE inline T sigmoid(T eta) {
  using std::exp;
  if (eta >= T(0)) return T(1) / (T(1) + exp(-eta));
  const T e = exp(eta);
  return e / (T(1) + e);
}

// log(1 + e^η), without overflow: η + log1p(e^−η) for η > 0.
template <typename T>
REGPATH_HOST_DEVICE inline T log1p_exp(T eta) {
  using std::exp;
  using std::log1p;
  return eta > T(0) ? eta + log1p(exp(-eta)) : log1p(exp(eta));
}

struct LogisticDatafit {
  // f'' = μ(1 − μ) ≤ ¼
  static constexpr bool curvature_scales_with_response = false;
  static constexpr double curvature = 0.25;
  // the dual point balances the residuals of the two classes (see DatafitTraits)
  static constexpr bool proportional_dual = false;
  static constexpr bool two_class_dual = true;
  // glmnet's GLM path end: the deviance ratio gains less than fdev
  static constexpr bool relative_path_end = false;

  // ℓ'(η) = σ(η), the probability of class 1
  template <typename T>
  REGPATH_HOST_DEVICE static T mean(T eta) {
    return sigmoid(eta);
  }
  // f(η; y) = log(1 + e^η) − y·η
  template <typename T>
  REGPATH_HOST_DEVICE static T loss(T eta, T y) {
    return log1p_exp(eta) - y * eta;
  }
  // f*(u; y) = q·log q + (1−q)·log(1−q) with q = y + u (clamped into [0, 1], where it belongs
  // for the dual points the solver builds)
  template <typename T>
  REGPATH_HOST_DEVICE static T conjugate(T u, T y) {
    using std::log;
    T q = y + u;
    q = q < T(0) ? T(0) : (q > T(1) ? T(1) : q);
    const T r = T(1) - q;
    return (q > T(0) ? q * log(q) : T(0)) + (r > T(0) ? r * log(r) : T(0));
  }
  // f(η; y) + f*(u; y) − u·η = KL(q ‖ μ) = D(q ‖ μ) + D(1 − q ‖ 1 − μ), q = y + u clamped into
  // [0, 1], μ = σ(η): the duality gap's share of one row as the two classes' divergences
  // (mean_divergence; their linear terms ∓δ cancel exactly), not as the difference of the loss
  // and the conjugate, which are far larger than it near the optimum. μ and 1 − μ each come
  // from their own sigmoid, and δ = q − μ from the one nearer y (y − μ = (y − 1) + (1 − μ)).
  // A u outside f*'s domain (by rounding) counts as its nearest point in it, as in conjugate.
  // Where μ or 1 − μ underflows, the direct sum.
  template <typename T>
  REGPATH_HOST_DEVICE static T fenchel_young(T eta, T u, T y) {
    const T mu = sigmoid(eta), nu = sigmoid(-eta);
    if (!(mu > T(0)) || !(nu > T(0))) return loss(eta, y) + conjugate(u, y) - u * eta;
    T delta = (y >= T(0.5) ? (y - T(1)) + nu : y - mu) + u;  // q − μ
    delta = delta < -mu ? -mu : (delta > nu ? nu : delta);
    return mean_divergence(mu, delta) + mean_divergence(nu, -delta);
  }
  // cv.glmnet's binomial deviance on a test row, −2·[y·log p + (1 − y)·log(1 − p)], with
  // p = σ(η) clamped into [1e−5, 1 − 1e−5]
  template <typename T>
  REGPATH_HOST_DEVICE static T test_error(T eta, T y) {
    using std::log;
    T prob = sigmoid(eta);
    prob = prob < T(1e-5) ? T(1e-5) : (prob > T(1) - T(1e-5) ? T(1) - T(1e-5) : prob);
    return T(-2) * (y * log(prob) + (T(1) - y) * log(T(1) - prob));
  }
  // f''(η) = μ(1 − μ), floored at 1e−12. glmnet's 1e−5 makes the model's curvature too large for
  // the rows a nearly separating fit saturates, and Newton then converges only linearly; the
  // working residual is used only through v_i·r_i = y_i − μ_i, so a far smaller floor is safe.
  REGPATH_HOST_DEVICE static double irls_weight(double mu) {
    const double v = mu * (1 - mu);
    return v > 1e-12 ? v : 1e-12;
  }
  // The null model's linear predictor from the mean response: the logit.
  static double link(double mean) { return std::log(mean / (1 - mean)); }
  // A null model exists only with both classes present.
  static bool has_null_model(double mean) { return mean > 0 && mean < 1; }
  // the saturated model of a 0/1 response has loss 0
  static double saturated_loss(double /*y*/) { return 0.0; }
};

}  // namespace regpath::ops
