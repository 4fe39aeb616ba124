// The per-observation formulas of the GLM batch solver (glm_batch_solver.hpp): losses, their
// derivatives and Fenchel conjugates for the gaussian and binomial families, and the masks that
// make one column of a batch see only its fold's training (or test) rows. Shared by the CPU
// backend and the CUDA kernels, like scalar_ops.hpp.
#pragma once

#include <cmath>

#include "core/scalar_ops.hpp"

namespace regpath::ops {

// What glm_pointwise writes for element (i, k); see glm_pointwise below.
enum class GlmOp : int { residual = 0, loss = 1, conjugate = 2, test_error = 3 };

// Per-column parameters of glm_pointwise: a 5 × K column-major block, one column per problem.
//   fold: the fold held out by this column (its rows are the test rows); −1: none (all rows train)
//   a, b: residual weights for rows with y ≥ ½ (a) and y < ½ (b, binomial only; gaussian uses a)
//   c:    a shift subtracted from the weighted residual
//   s:    a final scale
struct GlmColumn {
  static constexpr int fold = 0, a = 1, b = 2, c = 3, s = 4, count = 5;
};

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

// ℓ'(η): the mean of the family at η (gaussian η, binomial σ(η)).
template <typename T>
REGPATH_HOST_DEVICE inline T glm_mean(bool binomial, T eta) {
  return binomial ? sigmoid(eta) : eta;
}

// f(η; y): gaussian ½(η − y)², binomial log(1 + e^η) − y·η.
template <typename T>
REGPATH_HOST_DEVICE inline T glm_loss(bool binomial, T eta, T y) {
  if (binomial) return log1p_exp(eta) - y * eta;
  const T r = eta - y;
  return T(0.5) * r * r;
}

// f*(u; y) = sup_η u·η − f(η; y):  gaussian ½u² + u·y;  binomial q·log q + (1−q)·log(1−q) with
// q = y + u (clamped into [0, 1], where it belongs for the dual points the solver builds).
template <typename T>
REGPATH_HOST_DEVICE inline T glm_conjugate(bool binomial, T u, T y) {
  using std::log;
  if (!binomial) return T(0.5) * u * u + u * y;
  T q = y + u;
  q = q < T(0) ? T(0) : (q > T(1) ? T(1) : q);
  const T r = T(1) - q;
  return (q > T(0) ? q * log(q) : T(0)) + (r > T(0) ? r * log(r) : T(0));
}

// The prediction error of cv.glmnet on a test row: gaussian (y − η)²; binomial deviance
// −2·[y·log p + (1 − y)·log(1 − p)], p = σ(η) clamped into [1e−5, 1 − 1e−5].
template <typename T>
REGPATH_HOST_DEVICE inline T glm_test_error(bool binomial, T eta, T y) {
  using std::log;
  if (!binomial) {
    const T r = y - eta;
    return r * r;
  }
  T prob = sigmoid(eta);
  prob = prob < T(1e-5) ? T(1e-5) : (prob > T(1) - T(1e-5) ? T(1) - T(1e-5) : prob);
  return T(-2) * (y * log(prob) + (T(1) - y) * log(T(1) - prob));
}

// Element (i, k) of glm_pointwise, with row_fold the fold of row i and col the 5 parameters of
// column k (GlmColumn). A row is a training row of column k when its fold differs from the
// column's (all rows when the column's fold is −1).
//   residual:    train ? s·(w·(ℓ'(η) − y) − c) : 0,   w = a, or b for a binomial row with y < ½
//   loss:        train ? f(η; y) : 0
//   conjugate:   train ? f*(residual; y) : 0
//   test_error:  test ? glm_test_error(η, y) : 0
template <typename T>
REGPATH_HOST_DEVICE inline T glm_pointwise(GlmOp op, bool binomial, T eta, T y, T row_fold,
                                           const T* col) {
  const bool train = row_fold != col[GlmColumn::fold];
  if (op == GlmOp::test_error) return train ? T(0) : glm_test_error(binomial, eta, y);
  if (!train) return T(0);
  if (op == GlmOp::loss) return glm_loss(binomial, eta, y);
  const T w = (binomial && y < T(0.5)) ? col[GlmColumn::b] : col[GlmColumn::a];
  const T u = col[GlmColumn::s] * (w * (glm_mean(binomial, eta) - y) - col[GlmColumn::c]);
  return op == GlmOp::residual ? u : glm_conjugate(binomial, u, y);
}

// The elastic-net proximal step of row j < p of a GLM block, whose row p is the unpenalized
// intercept (a plain gradient step).
template <typename T>
REGPATH_HOST_DEVICE inline T prox_glm_row(bool intercept_row, T y, T g, T step, T lambda,
                                          T alpha) {
  return intercept_row ? y - step * g : prox_elastic_net(y, g, step, lambda, alpha);
}

}  // namespace regpath::ops
