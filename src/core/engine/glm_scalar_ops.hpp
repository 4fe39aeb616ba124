// The per-observation pass of the GLM batch solver (glm_batch_solver.hpp): a datafit's loss,
// derivative, conjugate or test error (core/datafit/), behind the masks that make one column of
// a batch see only its fold's training (or test) rows. Shared by the CPU backend and the CUDA
// kernels, like scalar_ops.hpp.
#pragma once

#include <cmath>

#include "core/datafit/datafit.hpp"
#include "core/engine/scalar_ops.hpp"

namespace regpath::ops {

// What glm_pointwise writes for element (i, k); see glm_pointwise below.
enum class GlmOp : int { residual = 0, loss = 1, fenchel_young = 2, test_error = 3 };

// cv.glmnet's type.measure, as the test error of one held-out row (glm_pointwise's test_error
// reads it from the column's parameter a): the datafit's deviance; the squared or absolute error
// of the mean μ = ℓ'(η) (doubled for a two-class datafit, as cv.glmnet sums over the two classes'
// indicator columns); the misclassification of a two-class datafit (μ > ½ predicts class 1).
enum class Measure : int { deviance = 0, mse = 1, mae = 2, misclassification = 3 };

template <class Fit, typename T>
REGPATH_HOST_DEVICE inline T measured_error(Measure m, T eta, T y) {
  if (m == Measure::deviance) return Fit::test_error(eta, y);
  const T mu = Fit::mean(eta), classes = Fit::two_class_dual ? T(2) : T(1);
  if (m == Measure::misclassification) return (y >= T(0.5)) == (mu > T(0.5)) ? T(0) : T(1);
  const T d = y - mu;
  return classes * (m == Measure::mse ? d * d : (d < T(0) ? -d : d));
}

// Per-column parameters of glm_pointwise: a 5 × K column-major block, one column per problem.
//   fold: the fold held out by this column (its rows are the test rows); −1: none (all rows train)
//   a, b: residual weights for rows with y ≥ ½ (a) and y < ½ (b, for a two_class_dual datafit;
//         the others use a)
//   c:    a shift subtracted from the weighted residual (times ℓ'(η) for a proportional_dual
//         datafit)
//   s:    a final scale
struct GlmColumn {
  static constexpr int fold = 0, a = 1, b = 2, c = 3, s = 4, count = 5;
};

// Element (i, k) of glm_pointwise for the datafit Fit, with row_fold the fold of row i, v its
// observation weight (1 unweighted) and col the 5 parameters of column k (GlmColumn). A row is a
// training row of column k when its fold differs from the column's (all rows when the column's
// fold is −1). Every value is v times the unweighted one, so a weighted sum over the rows is a
// column sum (a weighted datafit is Σ v_i f(η_i; y_i), its dual term Σ v_i f*(u_i; y_i)):
//   residual:    train ? v·u : 0,   u = s·(w·(ℓ'(η) − y) − c),  w = a, or b for a two-class row
//                                                               with y < ½
//   loss:        train ? v·f(η; y) : 0
//   fenchel_young: train ? v·[f(η; y) + f*(u; y) − u·η] : 0   (Fit::fenchel_young)
//   test_error:  test ? v·(the measured error; measure = parameter a, ops::Measure) : 0
template <typename T>
struct GlmPointwise {
  GlmOp op;
  T eta, y, row_fold;
  const T* col;
  T v = T(1);

  template <class Fit>
  REGPATH_HOST_DEVICE T operator()(Fit) const {
    const bool train = row_fold != col[GlmColumn::fold];
    if (op == GlmOp::test_error) {
      if (train) return T(0);
      return v * measured_error<Fit>(static_cast<Measure>(int(col[GlmColumn::a])), eta, y);
    }
    if (!train) return T(0);
    if (op == GlmOp::loss) return v * Fit::loss(eta, y);
    const T w = (Fit::two_class_dual && y < T(0.5)) ? col[GlmColumn::b] : col[GlmColumn::a];
    const T mu = Fit::mean(eta);
    // the shift: c, or c·μ for a proportional_dual datafit
    const T shift = Fit::proportional_dual ? col[GlmColumn::c] * mu : col[GlmColumn::c];
    const T u = col[GlmColumn::s] * (w * (mu - y) - shift);
    return v * (op == GlmOp::residual ? u : Fit::fenchel_young(eta, u, y));
  }
};

template <typename T>
REGPATH_HOST_DEVICE inline T glm_pointwise(GlmOp op, Datafit datafit, T eta, T y, T row_fold,
                                           const T* col, T v = T(1)) {
  return with_datafit(datafit, GlmPointwise<T>{op, eta, y, row_fold, col, v});
}

// The elastic-net proximal step of row j < p of a GLM block, whose row p is the unpenalized
// intercept (a plain gradient step).
template <typename T>
REGPATH_HOST_DEVICE inline T prox_glm_row(bool intercept_row, T y, T g, T step, T lambda,
                                          T alpha, T w = T(1)) {
  return intercept_row ? y - step * g : prox_elastic_net(y, g, step, lambda, alpha, w);
}

}  // namespace regpath::ops
