// glmnet's penalty.factor and exclude, resolved before a fit: which features are solved and with
// which factors. Excluded features (exclude, or a factor of +∞) are left out of the data the
// solvers see and come back as exact zeros; the factors of the others are rescaled as glmnet's
// glmnet.R and elnet do (an excluded feature's factor set to 1, then all multiplied by p / Σ),
// so λ_max and every λ of the path are glmnet's. A factor of 0 makes a feature unpenalized
// (gaussian: solved with the others, partialled out of them (core/design/unpenalized.hpp), its
// factor in the solver a placeholder 1; multinomial, binomial and poisson: its factor 0 in the
// solver's prox, api/glm_runs.hpp's assign_batch_penalty for the last two). Private.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "regpath/regpath.hpp"

namespace regpath::detail {

struct FeatureSelection {
  std::int64_t p = 0;                // features of the data
  std::vector<std::int64_t> kept;    // the features solved, ascending
  std::vector<double> factors;       // their rescaled factors; empty: all 1
  std::vector<double> lower, upper;  // their limits (one per kept feature); empty: none
  std::vector<std::int64_t> unpenalized;  // positions in `kept` of the factors of 0, ascending
  bool all() const { return std::int64_t(kept.size()) == p; }
};

// glmnet's limits: lower ≤ 0 ≤ upper, not NaN (std::invalid_argument naming the entry).
inline void check_limit_values(const std::vector<double>& v, const char* name, bool lower) {
  for (std::size_t j = 0; j < v.size(); ++j)
    if (std::isnan(v[j]) || (lower ? v[j] > 0 : v[j] < 0)) {
      std::ostringstream msg;
      msg.precision(17);
      msg << "invalid " << name << "[" << j << "] = " << v[j] << ": "
          << (lower ? "lower limits must be ≤ 0 (−inf for none), as glmnet requires"
                    : "upper limits must be ≥ 0 (+inf for none), as glmnet requires");
      throw std::invalid_argument(msg.str());
    }
}

// Each penalty factor ≥ 0 and finite (0: unpenalized), or +∞ (std::invalid_argument naming the
// entry). Where a factor of 0 is not available yet (the GPU for binomial and poisson, weighted
// gaussian fits of a sparse X, distributed rows), the entry point refuses it by name.
inline void check_penalty_factor_values(const std::vector<double>& w) {
  for (std::size_t j = 0; j < w.size(); ++j) {
    if (std::isinf(w[j]) && w[j] > 0) continue;
    if (!(w[j] >= 0) || !std::isfinite(w[j])) {
      std::ostringstream msg;
      msg.precision(17);
      msg << "invalid penalty_factors[" << j << "] = " << w[j] << ": each factor must be ≥ 0 "
          << "and finite (0: unpenalized), or +inf to exclude the feature";
      throw std::invalid_argument(msg.str());
    }
  }
}

// The unpenalized features' condition: no limits on them (their coefficients are recovered after
// the solve, unconstrained).
inline void check_unpenalized(const FeatureSelection& sel) {
  if (sel.unpenalized.empty()) return;
  for (const std::int64_t u : sel.unpenalized) {
    const auto k = std::size_t(u);
    if (sel.lower.empty() || (std::isinf(sel.lower[k]) && std::isinf(sel.upper[k]))) continue;
    const std::int64_t j = sel.kept[k];
    throw std::invalid_argument("invalid lower_limits / upper_limits for feature " +
                                std::to_string(j) + ": its penalty factor is 0 (unpenalized), "
                                "and limits on an unpenalized feature are not supported yet");
  }
}

// Checks Options::penalty_factors and Options::exclude against p features (std::invalid_argument
// naming the entry) and resolves them.
inline FeatureSelection select_features(const Options& o, std::int64_t p) {
  FeatureSelection sel;
  sel.p = p;
  const auto up = static_cast<std::size_t>(p);
  const std::vector<double>& w = o.penalty_factors;
  if (!w.empty() && w.size() != up)
    throw std::invalid_argument("invalid penalty_factors: " + std::to_string(w.size()) +
                                " values for " + std::to_string(p) +
                                " features; give one factor per feature");
  check_penalty_factor_values(w);
  std::vector<char> excluded(up, 0);
  for (std::size_t j = 0; j < w.size(); ++j) excluded[j] = std::isinf(w[j]) && w[j] > 0;
  for (std::size_t k = 0; k < o.exclude.size(); ++k) {
    const std::int64_t j = o.exclude[k];
    if (j < 0 || j >= p)
      throw std::invalid_argument("invalid exclude[" + std::to_string(k) + "] = " +
                                  std::to_string(j) + ": a feature index in 0.." +
                                  std::to_string(p - 1));
    excluded[std::size_t(j)] = 1;
  }
  double sum = 0;
  for (std::size_t j = 0; j < up; ++j) sum += excluded[j] || w.empty() ? 1.0 : w[j];
  for (std::size_t j = 0; j < up; ++j)
    if (!excluded[j]) sel.kept.push_back(std::int64_t(j));
  if (sel.kept.empty())
    throw std::invalid_argument("invalid exclude / penalty_factors: every feature is excluded; "
                                "at least one must remain");
  // the limits: one for all, or one per feature; none when all infinite
  const auto limit = [&](const std::vector<double>& v, const char* name, double none,
                         std::vector<double>& out) {
    if (v.empty()) return;
    if (v.size() != 1 && v.size() != up)
      throw std::invalid_argument("invalid " + std::string(name) + ": " +
                                  std::to_string(v.size()) + " values for " + std::to_string(p) +
                                  " features; give one for all, or one per feature");
    bool any = false;
    for (const std::int64_t j : sel.kept) {
      out.push_back(v.size() == 1 ? v[0] : v[std::size_t(j)]);
      any = any || out.back() != none;
    }
    if (!any) out.clear();
  };
  limit(o.lower_limits, "lower_limits", -INFINITY, sel.lower);
  limit(o.upper_limits, "upper_limits", INFINITY, sel.upper);
  if (!sel.lower.empty() || !sel.upper.empty()) {  // both sides then, the other unlimited
    sel.lower.resize(sel.kept.size(), -INFINITY);
    sel.upper.resize(sel.kept.size(), INFINITY);
  }
  if (!w.empty()) {
    if (std::all_of(sel.kept.begin(), sel.kept.end(),
                    [&w](std::int64_t j) { return w[std::size_t(j)] == 0; }))
      throw std::invalid_argument("invalid penalty_factors: every feature solved has a factor of "
                                  "0 (unpenalized); at least one must be penalized");
    bool uniform = true;
    for (const std::int64_t j : sel.kept) {
      double f = w[std::size_t(j)] * double(p) / sum;
      if (f == 0) {  // unpenalized: partialled out; the solver's factor a placeholder
        sel.unpenalized.push_back(std::int64_t(sel.factors.size()));
        f = 1.0;
      }
      sel.factors.push_back(f);
      uniform = uniform && f == 1.0;
    }
    if (uniform) sel.factors.clear();
    check_unpenalized(sel);
  }
  return sel;
}

// The kept columns of X, densely (ld = rows), when some are excluded.
template <typename In>
struct KeptColumns {
  std::vector<In> data;
  MatrixView<In> view;
};

template <typename In>
KeptColumns<In> kept_columns(const MatrixView<In>& X, const FeatureSelection& sel) {
  KeptColumns<In> out;
  const auto n = static_cast<std::size_t>(X.rows);
  out.data.resize(n * sel.kept.size());
  for (std::size_t k = 0; k < sel.kept.size(); ++k)
    for (std::size_t i = 0; i < n; ++i)
      out.data[i + k * n] = X(std::int64_t(i), sel.kept[k]);
  out.view = MatrixView<In>{out.data.data(), X.rows, std::int64_t(sel.kept.size()), X.rows};
  return out;
}

// A path over the kept features back to all p (zeros for the excluded ones), each coefficient
// inside its limits exactly (the solver clips on the standardized scale; the way back may round
// across a limit by an ulp, and in float32 by a few).
inline void expand_path(Path& path, const FeatureSelection& sel) {
  const std::size_t m = sel.kept.size();
  if (!sel.lower.empty())
    for (std::size_t k = 0; k < path.lambdas.size(); ++k)
      for (std::size_t a = 0; a < m; ++a) {
        double& b = path.coefs[a + k * m];
        b = std::min(std::max(b, sel.lower[a]), sel.upper[a]);
      }
  if (sel.all()) return;
  const auto p = static_cast<std::size_t>(sel.p);
  const std::size_t nl = path.lambdas.size();
  std::vector<double> coefs(p * nl, 0.0);
  for (std::size_t k = 0; k < nl; ++k)
    for (std::size_t a = 0; a < m; ++a)
      coefs[std::size_t(sel.kept[a]) + k * p] = path.coefs[a + k * m];
  path.coefs = std::move(coefs);
  path.n_features = sel.p;
}

}  // namespace regpath::detail
