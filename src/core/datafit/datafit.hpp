// The datafits: which loss a column of the batch fits, and the one place a datafit is chosen.
//
// A datafit is a struct of static host+device functions (quadratic.hpp, logistic.hpp):
//   mean(η)           ℓ'(η), the gradient of the loss in η (the inverse link)
//   loss(η, y)        f(η; y), per observation
//   conjugate(u, y)   f*(u; y) = sup_η u·η − f(η; y)
//   fenchel_young(η, u, y)  f(η; y) + f*(u; y) − u·η ≥ 0, a row's share of the duality gap,
//                     computed as the divergence it is (no cancellation of f against f*)
//   test_error(η, y)  cv.glmnet's prediction error on a held-out row
//   irls_weight(μ)    f''(η) at the mean μ, for the proximal-Newton fallback
//   link(ȳ)           the null model's η from the mean response;  has_null_model(ȳ)
//   saturated_loss(y) f at the saturated model (η = link(y)), for the deviance ratio
// and the constants curvature, curvature_scales_with_response, two_class_dual,
// proportional_dual, relative_path_end (DatafitTraits below). Adding a datafit is one such file
// plus its case in with_datafit, the one switch over datafits (poisson.hpp was added so).
#pragma once

#include "core/datafit/logistic.hpp"
#include "core/datafit/poisson.hpp"
#include "core/datafit/quadratic.hpp"
#include "core/engine/scalar_ops.hpp"

namespace regpath::ops {

enum class Datafit : int { quadratic = 0, logistic = 1, poisson = 2 };

// f(Fit{}) for the datafit d: the one switch over datafits. F is a functor with a templated call
// operator (on the host a generic lambda; in device code a struct).
#if defined(__CUDACC__)
#pragma nv_exec_check_disable  // host functors (the generic lambdas below) on the host only
#endif
template <class F>
REGPATH_HOST_DEVICE inline auto with_datafit(Datafit d, F&& f) {
  switch (d) {
    case Datafit::logistic: return f(LogisticDatafit{});
    case Datafit::poisson: return f(PoissonDatafit{});
    case Datafit::quadratic: break;
  }
  return f(QuadraticDatafit{});
}

// The constants the solver needs of a datafit (host only): the policy's own.
struct DatafitTraits {
  // an upper bound of f'' (the Lipschitz constant of ℓ'): 1 quadratic, ¼ logistic; times the
  // largest response where curvature_scales_with_response (poisson: f'' = μ has no global bound)
  double curvature = 1;
  bool curvature_scales_with_response = false;
  // the dual point balances the residuals of rows with y ≥ ½ and y < ½ separately (a, b of
  // GlmColumn), keeping y + u in the domain of f* ([0, 1] for the logistic loss); otherwise it
  // subtracts the mean residual (c)
  bool two_class_dual = false;
  // the dual point's intercept shift is proportional to each row's mean (u = r − c·μ with
  // c = Σr/Σμ), keeping y + u = μ·Σy/Σμ ≥ 0 in the domain of f* (poisson); otherwise (neither
  // this nor two_class_dual) the mean residual is subtracted
  bool proportional_dual = false;
  // glmnet's early path end: stop when the deviance ratio gains less than fdev·(dev ratio)
  // (relative, glmnet's gaussian rule) or less than fdev (absolute, its GLM rule)
  bool relative_path_end = true;
};

inline DatafitTraits datafit_traits(Datafit d) {
  return with_datafit(d, [](auto fit) {
    using Fit = decltype(fit);
    return DatafitTraits{Fit::curvature, Fit::curvature_scales_with_response,
                         Fit::two_class_dual, Fit::proportional_dual, Fit::relative_path_end};
  });
}

// Host dispatch of the per-observation functions.
template <typename T>
inline T datafit_loss(Datafit d, T eta, T y) {
  return with_datafit(d, [&](auto fit) { return fit.loss(eta, y); });
}
inline double datafit_mean(Datafit d, double eta) {
  return with_datafit(d, [&](auto fit) { return fit.mean(eta); });
}
inline double datafit_irls_weight(Datafit d, double mu) {
  return with_datafit(d, [&](auto fit) { return fit.irls_weight(mu); });
}
inline double datafit_link(Datafit d, double mean) {
  return with_datafit(d, [&](auto fit) { return fit.link(mean); });
}
inline bool datafit_has_null_model(Datafit d, double mean) {
  return with_datafit(d, [&](auto fit) { return fit.has_null_model(mean); });
}
inline double datafit_saturated_loss(Datafit d, double y) {
  return with_datafit(d, [&](auto fit) { return fit.saturated_loss(y); });
}

}  // namespace regpath::ops
