// The steps every prediction shares, wherever its linear predictor is computed (predict.cpp on
// the host, predict_device.cpp on a backend): the model and X checked, the offsets added, and
// the inverse link (multinomial: the softmax over each λ's C columns, or the class label).
// Private.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "regpath/regpath.hpp"

namespace regpath::detail {

// The columns of the model's path per λ: 1, or a multinomial model's C classes.
inline std::int64_t columns_per_lambda(const Model& m) {
  return m.family == Family::multinomial ? m.path.n_classes : 1;
}

inline void check_model(const Model& m) {
  const Path& p = m.path;
  const std::int64_t w = columns_per_lambda(m);
  if (p.nlambda() < 1 || p.n_features < 1 || w < 1 ||
      (m.family == Family::multinomial) != (p.n_classes > 0) ||
      (m.family == Family::multinomial &&
       (p.n_classes < 2 || m.class_labels.size() != static_cast<std::size_t>(w))) ||
      p.coefs.size() != static_cast<std::size_t>(p.n_features * p.nlambda() * w) ||
      p.intercepts.size() != static_cast<std::size_t>(p.nlambda() * w))
    throw std::invalid_argument("the model has no usable path (its arrays do not match)");
}

// X has the model's features, a valid shape and finite values; `type` suits the family.
template <typename T>
void check_predict_input(const Model& model, const MatrixView<T>& X, PredictType type) {
  check_model(model);
  const std::int64_t p = model.n_features();
  if (X.cols != p)
    throw std::invalid_argument("predict: X has " + std::to_string(X.cols) +
                                " columns, the model " + std::to_string(p) + " features");
  if (X.rows < 0 || (X.rows > 0 && (X.data == nullptr || X.ld < X.rows)))
    throw std::invalid_argument("predict: bad X (rows " + std::to_string(X.rows) +
                                ", leading dimension " + std::to_string(X.ld) + ")");
  if (type == PredictType::class_label && model.family != Family::binomial &&
      model.family != Family::multinomial)
    throw std::invalid_argument(std::string("predict: type class needs a binomial or "
                                            "multinomial model; this one is ") +
                                to_string(model.family));
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < X.rows; ++i)
      if (!std::isfinite(static_cast<double>(X(i, j))))
        throw std::invalid_argument("predict: X(" + std::to_string(i + 1) + ", " +
                                    std::to_string(j + 1) + ") (row, column; 1-based) is not "
                                    "finite");
}

// The offsets of a prediction of n rows: n finite values (multinomial: n × C, class-major) for
// a model fitted with an offset, none for one fitted without (std::invalid_argument naming what
// is wrong otherwise).
inline void check_predict_offset(const Model& model, const std::vector<double>& offset,
                                 std::int64_t n) {
  if (model.offset && offset.empty())
    throw std::invalid_argument("predict: the model was fitted with an offset, so its "
                                "predictions need the new rows' offsets (--offset COLUMN; C++ "
                                "and Python: offset), as glmnet's predict needs newoffset");
  if (!model.offset && !offset.empty())
    throw std::invalid_argument("predict: an offset was given, but the model was fitted "
                                "without one (--offset is for models fitted with --offset)");
  if (offset.empty()) return;
  const std::int64_t C = columns_per_lambda(model);
  if (std::int64_t(offset.size()) != n * C)
    throw std::invalid_argument(
        "predict: " + std::to_string(offset.size()) + " offsets for " + std::to_string(n) +
        " rows of X; give one offset per row" +
        (C > 1 ? " and class (n × " + std::to_string(C) + ", class-major, glmnet's newoffset "
                 "matrix)"
               : std::string()));
  for (std::size_t e = 0; e < offset.size(); ++e)
    if (!std::isfinite(offset[e]))
      throw std::invalid_argument(
          "predict: offset of row " + std::to_string(e % std::size_t(n) + 1) + " (1-based)" +
          (C > 1 ? ", class " + std::to_string(e / std::size_t(n) + 1) : std::string()) +
          " is not finite");
}

// η += o on each of the `cols` columns of n rows (nothing without an offset). The offset holds
// n values per class (one class but for multinomial): column b gets class b mod C's.
inline void add_predict_offset(const std::vector<double>& offset, double* eta, std::int64_t n,
                               std::int64_t cols) {
  if (offset.empty() || n == 0) return;
  const std::int64_t C = std::int64_t(offset.size()) / n;
  for (std::int64_t b = 0; b < cols; ++b)
    for (std::int64_t i = 0; i < n; ++i) eta[i + b * n] += offset[std::size_t(i + (b % C) * n)];
}

// The linear predictors η (count values) into the requested type, in place: gaussian and link
// unchanged; poisson's response the mean e^η; binomial's the probability 1/(1 + e^−η), its
// class 1 where η > 0, else 0.
inline void apply_link(Family family, PredictType type, double* eta, std::int64_t count) {
  if (family == Family::gaussian || type == PredictType::link) return;
  if (family == Family::poisson) {
    for (std::int64_t i = 0; i < count; ++i) eta[i] = std::exp(eta[i]);
    return;
  }
  for (std::int64_t i = 0; i < count; ++i)
    eta[i] = type == PredictType::class_label ? (eta[i] > 0 ? 1.0 : 0.0)
                                              : 1 / (1 + std::exp(-eta[i]));
}

// Multinomial: the n × m·C linear predictors η (λ k, class c in column k·C + c) into the
// requested type. Response: each row's softmax over its C columns (the largest η subtracted
// first, so that no exponential overflows; glmnet's exp(η)/Σ exp(η) to rounding). Class: n × m,
// the label of the class with the largest η, the first on ties (glmnet_softmax's strict >; the
// softmax is increasing in η, so this is the most probable class).
inline std::vector<double> multinomial_link(const Model& model, PredictType type,
                                            std::vector<double> eta, std::int64_t n) {
  if (type == PredictType::link || n == 0) return eta;
  const std::int64_t C = model.path.n_classes;
  const std::int64_t m = std::int64_t(eta.size()) / (n * C);
  std::vector<double> labels;
  if (type == PredictType::class_label) labels.resize(std::size_t(n * m));
  for (std::int64_t k = 0; k < m; ++k)
    for (std::int64_t i = 0; i < n; ++i) {
      double* e = eta.data() + i + k * C * n;  // class c at e[c·n]
      std::int64_t best = 0;
      for (std::int64_t c = 1; c < C; ++c)
        if (e[c * n] > e[best * n]) best = c;
      if (type == PredictType::class_label) {
        labels[std::size_t(i + k * n)] = model.class_labels[std::size_t(best)];
        continue;
      }
      const double top = e[best * n];
      double sum = 0;
      for (std::int64_t c = 0; c < C; ++c) sum += (e[c * n] = std::exp(e[c * n] - top));
      for (std::int64_t c = 0; c < C; ++c) e[c * n] /= sum;
    }
  return type == PredictType::class_label ? labels : eta;
}

// The linear predictors of n rows (offsets added) into the requested type, every family.
inline std::vector<double> finish_prediction(const Model& model, PredictType type,
                                             std::vector<double> eta, std::int64_t n) {
  if (model.family == Family::multinomial) return multinomial_link(model, type, std::move(eta), n);
  apply_link(model.family, type, eta.data(), static_cast<std::int64_t>(eta.size()));
  return eta;
}

}  // namespace regpath::detail
