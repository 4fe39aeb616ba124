#include "api/result_guard.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>

namespace regpath::detail {

std::string to_text(double v) {
  if (std::isnan(v)) return "NaN";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

SafeRange safe_range(Precision precision, std::int64_t n) {
  const bool single = precision == Precision::float32;
  const double max = single ? double(std::numeric_limits<float>::max())
                            : std::numeric_limits<double>::max();
  const double min = single ? double(std::numeric_limits<float>::min())
                            : std::numeric_limits<double>::min();
  const double rows = double(std::max<std::int64_t>(n, 1));
  return {std::pow(min * rows, 0.25) * 16, std::pow(max / rows, 0.25) / 16};
}

bool y_rescaling_is_exact(const Options& o, bool cv) {
  return o.alpha == 1.0 || o.glmnet_y_scaling.value_or(cv);
}

namespace {

void unscale_path(Path& p, int y_exp, const std::vector<int>& column_exp) {
  for (double& l : p.lambdas) l = std::ldexp(l, y_exp);
  for (double& b : p.intercepts) b = std::ldexp(b, y_exp);
  p.lambda_max = std::ldexp(p.lambda_max, y_exp);
  for (std::int64_t k = 0; k < p.nlambda(); ++k)
    for (std::int64_t j = 0; j < p.n_features; ++j) {
      double& b = p.coefs[std::size_t(j + k * p.n_features)];
      b = std::ldexp(b, y_exp - (column_exp.empty() ? 0 : column_exp[std::size_t(j)]));
    }
}

[[noreturn]] void not_finite(const std::string& what, const std::string& field, std::size_t k,
                             double value, double largest_y, double largest_x, Precision precision) {
  const std::string magnitudes =
      std::isnan(largest_y) ? std::string()
                            : " (the data's largest magnitudes: y " + to_text(largest_y) + ", X " +
                                  to_text(largest_x) + ")";
  throw std::invalid_argument("the " + what + " overflowed " + to_string(precision) + ": " +
                              field + " at λ " + std::to_string(k + 1) + " is " + to_text(value) +
                              magnitudes + "; rescale the data (or standardize)" +
                              (precision == Precision::float32 ? ", or use float64" : ""));
}

void check_values(const std::vector<double>& v, const std::string& what, const std::string& field,
                  std::size_t stride, double largest_y, double largest_x, Precision precision) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i]))
      not_finite(what, field, i / stride, v[i], largest_y, largest_x, precision);
}

}  // namespace

void unscale(Path& path, const Rescaling& r) {
  if (r.any()) unscale_path(path, r.y_exp, r.column_exp);
}

void unscale(CvResult& result, const Rescaling& r) {
  if (!r.any()) return;
  for (CvCurve& c : result.curves) {
    for (double& l : c.lambdas) l = std::ldexp(l, r.y_exp);
    c.lambda_min = std::ldexp(c.lambda_min, r.y_exp);
    c.lambda_1se = std::ldexp(c.lambda_1se, r.y_exp);
    // mean squared errors: s²; the binomial deviance does not depend on y's scale (y_exp is 0)
    for (std::size_t k = 0; k < c.cvm.size(); ++k) {
      const double cvm = std::ldexp(c.cvm[k], 2 * r.y_exp);
      if (std::isfinite(c.cvm[k]) && !std::isfinite(cvm + std::ldexp(c.cvsd[k], 2 * r.y_exp)))
        throw std::invalid_argument(
            "the cross-validation's mean squared error at λ " + std::to_string(k + 1) +
            " is about " + to_text(c.cvm[k]) + "·2^" + std::to_string(2 * r.y_exp) +
            ", beyond the largest double: y's values are too large for their squares; rescale "
            "the response");
      c.cvm[k] = cvm;
      c.cvsd[k] = std::ldexp(c.cvsd[k], 2 * r.y_exp);
    }
    unscale_path(c.path, r.y_exp, r.column_exp);
    for (Path& f : c.fold_paths) unscale_path(f, r.y_exp, r.column_exp);
  }
}

void check_finite(const Path& path, const std::string& what, double largest_y,
                  double largest_x) {
  const Precision pr = path.precision;
  // per λ: one intercept and p coefficients, or C of each (multinomial, n_classes = C)
  const auto classes = std::size_t(std::max<std::int64_t>(path.n_classes, 1));
  check_values(path.lambdas, what, "its λ", 1, largest_y, largest_x, pr);
  check_values(path.intercepts, what, "its intercept", classes, largest_y, largest_x, pr);
  check_values(path.coefs, what, "a coefficient",
               std::size_t(std::max<std::int64_t>(path.n_features, 1)) * classes, largest_y,
               largest_x, pr);
  check_values(path.gaps, what, "its relative duality gap", 1, largest_y, largest_x, pr);
  check_values(path.dev_ratio, what, "its deviance ratio", 1, largest_y, largest_x, pr);
  if (!std::isfinite(path.lambda_max)) not_finite(what, "its λ_max", 0, path.lambda_max, largest_y, largest_x, pr);
}

void check_finite(const CvResult& result, double largest_y, double largest_x) {
  for (const CvCurve& c : result.curves) {
    const std::string alpha = result.curves.size() > 1 ? " (alpha " + to_text(c.alpha) + ")" : "";
    const Precision pr = c.path.precision;
    check_values(c.lambdas, "cross-validation" + alpha, "its λ", 1, largest_y, largest_x, pr);
    check_values(c.cvm, "cross-validation" + alpha, "the mean error cvm", 1, largest_y, largest_x, pr);
    check_values(c.cvsd, "cross-validation" + alpha, "the standard error cvsd", 1, largest_y,
                 largest_x, pr);
    for (std::size_t k = 0; k < c.cvm.size(); ++k) {  // cvup and cvlo, as written by the CLI
      if (!std::isfinite(c.cvm[k] + c.cvsd[k]))
        not_finite("cross-validation" + alpha, "cvm + cvsd", k, c.cvm[k] + c.cvsd[k], largest_y,
                   largest_x, pr);
    }
    check_finite(c.path, "full-data fit of the cross-validation" + alpha, largest_y, largest_x);
    for (std::size_t f = 0; f < c.fold_paths.size(); ++f)
      check_finite(c.fold_paths[f], "fit of cv fold " + std::to_string(f + 1) + alpha, largest_y,
                   largest_x);
  }
}

Rescaling plan_rescaling_for(double largest_y, const std::vector<double>& column_max,
                             std::int64_t n, const Options& o, bool cv) {
  const SafeRange range = safe_range(o.precision, n);
  // Where no exact rescaling exists, magnitudes beyond these overflow or underflow the squares
  // (the standardization's own sums did, with a message about standardizing where nothing was
  // to be standardized; a tiny y or column gave "λ_max is 0: the response is constant"); cv's
  // errors square the squares, so there the limits are fourth roots.
  const bool single = o.precision == Precision::float32;
  const double max = single ? double(std::numeric_limits<float>::max())
                            : std::numeric_limits<double>::max();
  const double min = single ? double(std::numeric_limits<float>::min())
                            : std::numeric_limits<double>::min();
  const double root = cv ? 0.25 : 0.5;
  const double big = std::pow(max / double(n), root), small = std::pow(min, root);
  const char* power = cv ? "cv's squared errors" : "their squares";
  auto out_of_range = [&](double m) { return m > big || (m > 0 && m < small); };
  auto why = [&](double m) {
    return m > big ? std::string(power) + " overflow beyond " + to_text(big)
                   : std::string(power) + " underflow below " + to_text(small);
  };
  Rescaling r;
  r.largest_y = largest_y;
  if (o.family == Family::gaussian) {
    const double m = r.largest_y;
    if (y_rescaling_is_exact(o, cv)) {
      r.y_exp = rescale_exponent(m, range);
    } else if (out_of_range(m)) {
      throw std::invalid_argument(
          "invalid y: its values reach " + to_text(m) + " in magnitude, too " +
          (m > big ? "large" : "small") + " for " + to_string(o.precision) + " (" + why(m) +
          "); rescale the response (regpath rescales it itself where that leaves the solution "
          "unchanged: alpha = 1, or glmnet's y scaling)");
    }
  }
  const auto p = static_cast<std::int64_t>(column_max.size());
  std::vector<int> exps(std::size_t(p), 0);
  bool any = false;
  for (std::int64_t j = 0; j < p; ++j) {
    const double m = column_max[std::size_t(j)];
    r.largest_x = std::max(r.largest_x, m);
    if (!o.standardize) {
      if (out_of_range(m))
        throw ColumnError(j, "invalid X: column " + std::to_string(j + 1) + " holds values up to " +
                                 to_text(m) + ", too " + (m > big ? "large" : "small") +
                                 " in magnitude for " + to_string(o.precision) +
                                 " without standardization (" + why(m) +
                                 "); rescale the column, or standardize");
      continue;
    }
    exps[std::size_t(j)] = rescale_exponent(m, range);
    any = any || exps[std::size_t(j)] != 0;
  }
  if (any) r.column_exp = std::move(exps);
  return r;
}

void flag_truncated_minimum(CvResult& result, const Options& o) {
  for (CvCurve& c : result.curves) {
    const std::size_t n = c.lambdas.size();
    c.path_ended_early = o.lambdas.empty() && n < std::size_t(o.nlambda);
    const std::size_t tail = std::max<std::size_t>(1, n / 50);
    c.lambda_min_at_end = c.path_ended_early && n > 0 && c.index_min + tail >= n;
  }
}

}  // namespace regpath::detail
