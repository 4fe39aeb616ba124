// Coefficients at any λ and predictions from a Model, as glmnet's coef / predict with
// exact = FALSE: glmnet's lambda.interp, a linear interpolation in λ between the two path λ
// around s (the nearest end beyond the path), applied to the intercept and every coefficient.
// On the host: a prediction is one pass over X per nonzero coefficient (predict_device.cpp puts
// large ones on a backend). Depends on nothing else of the library (the model fuzz target builds
// it with src/model/model.cpp alone).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/predict_steps.hpp"
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

template <typename T>
std::vector<double> predict_impl(const Model& model, const MatrixView<T>& X,
                                 const std::vector<double>& lambdas, PredictType type,
                                 const std::vector<double>& offset) {
  detail::check_predict_input(model, X, type);
  detail::check_predict_offset(model, offset, X.rows);
  const Coefficients c = coefficients(model, lambdas);
  const std::int64_t n = X.rows, p = model.n_features();
  // one column per λ, or per λ and class (multinomial)
  const auto m = static_cast<std::int64_t>(c.intercepts.size());
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
  }
  // η = β0 + Xβ + o  (glmnet's newoffset)
  detail::add_predict_offset(offset, out.data(), n, m);
  return detail::finish_prediction(model, type, std::move(out), n);
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
  detail::check_model(model);
  const Path& path = model.path;
  const auto p = static_cast<std::size_t>(path.n_features);
  // λ k's block of columns: 1, or a multinomial path's C classes (column k·C + c)
  const auto w = static_cast<std::size_t>(detail::columns_per_lambda(model));
  Coefficients c;
  c.n_features = path.n_features;
  c.n_classes = path.n_classes;
  c.lambdas = lambdas;
  c.coefs.resize(p * w * lambdas.size());
  for (std::size_t k = 0; k < lambdas.size(); ++k) {
    const double s = lambdas[k];
    if (!(s >= 0) || !std::isfinite(s))
      throw std::invalid_argument("coefficients: λ " + std::to_string(s) +
                                  " must be finite and ≥ 0");
    const Interp at = locate(path.lambdas, s);
    c.outside.push_back(at.outside);
    for (std::size_t cls = 0; cls < w; ++cls) {
      const std::size_t left = at.left * w + cls, right = at.right * w + cls;
      c.intercepts.push_back(blend(path.intercepts[left], path.intercepts[right], at));
      const double* a = path.coefs.data() + left * p;
      const double* b = path.coefs.data() + right * p;
      double* out = c.coefs.data() + (k * w + cls) * p;
      for (std::size_t j = 0; j < p; ++j) out[j] = blend(a[j], b[j], at);
    }
  }
  return c;
}

std::vector<double> default_lambdas(const Model& model) {
  if (model.cv) return {model.cv->lambda_1se};
  return model.path.lambdas;
}

std::vector<double> predict(const Model& model, const MatrixView<double>& X,
                            const std::vector<double>& lambdas, PredictType type) {
  return predict_impl(model, X, lambdas, type, {});
}

std::vector<double> predict(const Model& model, const MatrixView<float>& X,
                            const std::vector<double>& lambdas, PredictType type) {
  return predict_impl(model, X, lambdas, type, {});
}

namespace detail {
// the host prediction with offsets (predict_device.cpp's cpu case)
std::vector<double> predict_host(const Model& model, const MatrixView<double>& X,
                                 const std::vector<double>& lambdas, PredictType type,
                                 const std::vector<double>& offset) {
  return predict_impl(model, X, lambdas, type, offset);
}
std::vector<double> predict_host(const Model& model, const MatrixView<float>& X,
                                 const std::vector<double>& lambdas, PredictType type,
                                 const std::vector<double>& offset) {
  return predict_impl(model, X, lambdas, type, offset);
}
}  // namespace detail

}  // namespace regpath
