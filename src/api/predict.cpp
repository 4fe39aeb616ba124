// Coefficients at any λ and predictions from a Model, as glmnet's coef / predict with
// exact = FALSE: glmnet's lambda.interp, a linear interpolation in λ between the two path λ
// around s (the nearest end beyond the path), applied to the intercept and every coefficient.
// Host only (no GPU): a prediction is one pass over X per nonzero coefficient. Depends on nothing
// else of the library (the model fuzz target builds it with src/model/model.cpp alone).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "regpath/regpath.hpp"

namespace regpath {
namespace {

// Where s falls on the descending path: coefficients = frac·β[left] + (1 − frac)·β[right].
struct Interp {
  std::size_t left = 0, right = 0;
  double frac = 1;
  bool outside = false;
};

Interp locate(const std::vector<double>& lambdas, double s) {
  Interp at;
  const std::size_t K = lambdas.size();
  if (s > lambdas.front() || s < lambdas.back()) at.outside = true;
  if (K == 1 || s >= lambdas.front()) return at;  // left = right = 0
  if (s <= lambdas.back()) {
    at.left = at.right = K - 1;
    return at;
  }
  // The first λ below s: lambdas[right] < s ≤ lambdas[right − 1].
  const auto it = std::upper_bound(lambdas.begin(), lambdas.end(), s, std::greater<double>());
  at.right = static_cast<std::size_t>(it - lambdas.begin());
  at.left = at.right - 1;
  if (lambdas[at.left] == s) {  // on the grid: that λ's coefficients exactly
    at.right = at.left;
    return at;
  }
  at.frac = (s - lambdas[at.right]) / (lambdas[at.left] - lambdas[at.right]);
  return at;
}

double blend(double a, double b, const Interp& at) {
  return at.left == at.right ? a : at.frac * a + (1 - at.frac) * b;
}

void check_model(const Model& m) {
  const Path& p = m.path;
  if (p.nlambda() < 1 || p.n_features < 1 ||
      p.coefs.size() != static_cast<std::size_t>(p.n_features * p.nlambda()) ||
      p.intercepts.size() != p.lambdas.size())
    throw std::invalid_argument("the model has no usable path (its arrays do not match)");
}

template <typename T>
std::vector<double> predict_impl(const Model& model, const MatrixView<T>& X,
                                 const std::vector<double>& lambdas, PredictType type) {
  check_model(model);
  const std::int64_t p = model.n_features();
  if (X.cols != p)
    throw std::invalid_argument("predict: X has " + std::to_string(X.cols) +
                                " columns, the model " + std::to_string(p) + " features");
  if (X.rows < 0 || (X.rows > 0 && (X.data == nullptr || X.ld < X.rows)))
    throw std::invalid_argument("predict: bad X (rows " + std::to_string(X.rows) +
                                ", leading dimension " + std::to_string(X.ld) + ")");
  if (type == PredictType::class_label && model.family != Family::binomial)
    throw std::invalid_argument(std::string("predict: type class needs a binomial model; this "
                                            "one is ") +
                                to_string(model.family));
  const std::int64_t n = X.rows;
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < n; ++i)
      if (!std::isfinite(static_cast<double>(X(i, j))))
        throw std::invalid_argument("predict: X(" + std::to_string(i + 1) + ", " +
                                    std::to_string(j + 1) + ") (row, column; 1-based) is not "
                                    "finite");
  const Coefficients c = coefficients(model, lambdas);
  const auto m = static_cast<std::int64_t>(lambdas.size());
  std::vector<double> out(static_cast<std::size_t>(n * m));
  for (std::int64_t k = 0; k < m; ++k) {
    double* eta = out.data() + k * n;
    std::fill(eta, eta + n, c.intercepts[static_cast<std::size_t>(k)]);
    const double* b = c.coefs.data() + k * p;
    for (std::int64_t j = 0; j < p; ++j) {
      if (b[j] == 0) continue;
      const double bj = b[j];
      const T* x = X.data + j * X.ld;
      for (std::int64_t i = 0; i < n; ++i) eta[i] += bj * static_cast<double>(x[i]);
    }
    if (model.family == Family::gaussian || type == PredictType::link) continue;
    if (model.family == Family::poisson) {  // the response: the mean e^η
      for (std::int64_t i = 0; i < n; ++i) eta[i] = std::exp(eta[i]);
      continue;
    }
    for (std::int64_t i = 0; i < n; ++i)
      eta[i] = type == PredictType::class_label ? (eta[i] > 0 ? 1.0 : 0.0)
                                                : 1 / (1 + std::exp(-eta[i]));
  }
  return out;
}

}  // namespace

const char* to_string(PredictType type) {
  switch (type) {
    case PredictType::link: return "link";
    case PredictType::response: return "response";
    case PredictType::class_label: return "class";
  }
  return "unknown";
}

Coefficients coefficients(const Model& model, const std::vector<double>& lambdas) {
  check_model(model);
  const Path& path = model.path;
  const std::int64_t p = path.n_features;
  Coefficients c;
  c.n_features = p;
  c.lambdas = lambdas;
  c.coefs.resize(static_cast<std::size_t>(p) * lambdas.size());
  for (std::size_t k = 0; k < lambdas.size(); ++k) {
    const double s = lambdas[k];
    if (!(s >= 0) || !std::isfinite(s))
      throw std::invalid_argument("coefficients: λ " + std::to_string(s) +
                                  " must be finite and ≥ 0");
    const Interp at = locate(path.lambdas, s);
    c.outside.push_back(at.outside);
    c.intercepts.push_back(blend(path.intercepts[at.left], path.intercepts[at.right], at));
    const double* a = path.coefs.data() + at.left * static_cast<std::size_t>(p);
    const double* b = path.coefs.data() + at.right * static_cast<std::size_t>(p);
    double* out = c.coefs.data() + k * static_cast<std::size_t>(p);
    for (std::int64_t j = 0; j < p; ++j) out[j] = blend(a[j], b[j], at);
  }
  return c;
}

std::vector<double> default_lambdas(const Model& model) {
  if (model.cv) return {model.cv->lambda_1se};
  return model.path.lambdas;
}

std::vector<double> predict(const Model& model, const MatrixView<double>& X,
                            const std::vector<double>& lambdas, PredictType type) {
  return predict_impl(model, X, lambdas, type);
}

std::vector<double> predict(const Model& model, const MatrixView<float>& X,
                            const std::vector<double>& lambdas, PredictType type) {
  return predict_impl(model, X, lambdas, type);
}

}  // namespace regpath
