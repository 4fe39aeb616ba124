// The steps every prediction shares, wherever its linear predictor is computed (predict.cpp on
// the host, predict_device.cpp on a backend): the model and X checked, and the inverse link.
// Private.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "regpath/regpath.hpp"

namespace regpath::detail {

inline void check_model(const Model& m) {
  const Path& p = m.path;
  if (p.nlambda() < 1 || p.n_features < 1 ||
      p.coefs.size() != static_cast<std::size_t>(p.n_features * p.nlambda()) ||
      p.intercepts.size() != p.lambdas.size())
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
  if (type == PredictType::class_label && model.family != Family::binomial)
    throw std::invalid_argument(std::string("predict: type class needs a binomial model; this "
                                            "one is ") +
                                to_string(model.family));
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < X.rows; ++i)
      if (!std::isfinite(static_cast<double>(X(i, j))))
        throw std::invalid_argument("predict: X(" + std::to_string(i + 1) + ", " +
                                    std::to_string(j + 1) + ") (row, column; 1-based) is not "
                                    "finite");
}

// The offsets of a prediction of n rows: n finite values for a model fitted with an offset,
// none for one fitted without (std::invalid_argument naming what is wrong otherwise).
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
  if (std::int64_t(offset.size()) != n)
    throw std::invalid_argument("predict: " + std::to_string(offset.size()) + " offsets for " +
                                std::to_string(n) + " rows of X; give one offset per row");
  for (std::size_t i = 0; i < offset.size(); ++i)
    if (!std::isfinite(offset[i]))
      throw std::invalid_argument("predict: offset of row " + std::to_string(i + 1) +
                                  " (1-based) is not finite");
}

// η += o on each of the m columns of n rows (nothing without an offset)
inline void add_predict_offset(const std::vector<double>& offset, double* eta, std::int64_t n,
                               std::int64_t m) {
  if (offset.empty()) return;
  for (std::int64_t k = 0; k < m; ++k)
    for (std::int64_t i = 0; i < n; ++i) eta[i + k * n] += offset[std::size_t(i)];
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

}  // namespace regpath::detail
