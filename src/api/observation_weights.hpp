// glmnet's observation weights for the gaussian family, as an exact transformation of the data
// (Options::weights). With the weights normalized to sum to n (v_i = n·w_i / Σw), x̄_j and ȳ the
// weighted means and s_j the weighted standard deviation sqrt(Σ v_i·(x_ij − x̄_j)²/n) (glmnet's,
// centred with or without an intercept; 1 with standardize off), the weighted datafit
// (1/2n)·Σ v_i·(y_i − β0 − x_iᵀβ)² at its best intercept is the unweighted one, without
// intercept or standardization, of
//     x'_ij = √v_i·(x_ij − c_j)/s_j,   y'_i = √v_i·(y_i − c_y)    (c = the means; 0 without an
//                                                                  intercept)
// in β'_j = s_j·β_j, the penalty unchanged (glmnet's penalty is on the standardized β'), the
// limits L_j·s_j. Σ y'²/n is the weighted null deviance / n and the response scale of glmnet's
// y-scaling: solving (X', y') gives glmnet's weighted path (coefficients, λ_max, dev.ratio);
// β_j = β'_j / s_j and β0 = ȳ − x̄ᵀβ after. Private.
#pragma once

#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "regpath/distributed.hpp"
#include "regpath/regpath.hpp"

namespace regpath::detail {

// n weights, each ≥ 0 and finite, not all 0 (std::invalid_argument naming what is wrong). Every
// family takes them: gaussian by the transformation below, binomial and poisson on the GLM batch
// (core/design/glm_batch_problem.hpp), which weights each row's loss.
inline void check_weights(const std::vector<double>& w, std::int64_t n) {
  if (std::int64_t(w.size()) != n)
    throw std::invalid_argument("invalid weights: " + std::to_string(w.size()) + " values for " +
                                std::to_string(n) + " rows of X; give one weight per row");
  double sum = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (!(w[i] >= 0) || !std::isfinite(w[i])) {
      std::ostringstream msg;
      msg.precision(17);
      msg << "invalid weights[" << i << "] = " << w[i]
          << ": each weight must be ≥ 0 and finite (row " << i + 1 << ")";
      throw std::invalid_argument(msg.str());
    }
    sum += w[i];
  }
  if (!(sum > 0) || !std::isfinite(sum))
    throw std::invalid_argument("invalid weights: every weight is 0 (or their sum overflows); "
                                "at least one row must count");
}

// X', y' of the header's transformation, in the input's type, and what recovers β.
template <typename In>
struct WeightedInput {
  std::vector<In> X, y;        // n × p column-major, n
  std::vector<double> center;  // c_j (0 without an intercept)
  std::vector<double> scale;   // s_j (1 without standardization; 0: a constant column)
  double y_center = 0;         // c_y
  std::int64_t n = 0, p = 0;

  MatrixView<In> view() const { return {X.data(), n, p, n}; }

  // The options of the solve on (X', y'): no intercept, no standardization, limits on β'.
  Options solve_options(const Options& o) const {
    Options out = o;
    out.weights.clear();
    out.intercept = false;
    out.standardize = false;
    for (std::vector<double>* limits : {&out.lower_limits, &out.upper_limits}) {
      if (limits->empty()) continue;
      if (limits->size() == 1) limits->assign(std::size_t(p), limits->front());
      for (std::size_t j = 0; j < limits->size(); ++j)
        if (scale[j] > 0) (*limits)[j] *= scale[j];
    }
    return out;
  }

  // β_j = β'_j / s_j, β0 = c_y − cᵀβ per λ.
  void restore(Path& path) const {
    for (std::int64_t k = 0; k < path.nlambda(); ++k) {
      double b0 = y_center;
      for (std::int64_t j = 0; j < p; ++j) {
        double& b = path.coefs[std::size_t(j + k * p)];
        b = scale[std::size_t(j)] > 0 ? b / scale[std::size_t(j)] : 0.0;
        b0 -= center[std::size_t(j)] * b;
      }
      path.intercepts[std::size_t(k)] = b0;
    }
  }
};

// comm: with the rows split between ranks (X, y, o.weights this rank's rows; n_total every
// rank's), the sums over the ranks (Σw, the weighted means, Σ v·(x − x̄)²: three sums), so that
// each rank transforms its own rows with every row's moments; null: all rows here.
template <typename In>
WeightedInput<In> weighted_input(const MatrixView<In>& X, const In* y, const Options& o,
                                 const Communicator* comm = nullptr, std::int64_t n_total = -1) {
  WeightedInput<In> out;
  const std::int64_t n = X.rows, p = X.cols;
  const double rows = comm ? double(n_total) : double(n);  // every rank's
  const auto over_ranks = [&](std::vector<double>& v) {
    if (comm) comm->sum(v.data(), v.size());
  };
  out.n = n;
  out.p = p;
  std::vector<double> sum(1, 0.0);
  for (const double v : o.weights) sum[0] += v;
  over_ranks(sum);
  std::vector<double> v(static_cast<std::size_t>(n)), root(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    v[std::size_t(i)] = rows * (o.weights[std::size_t(i)] / sum[0]);
    root[std::size_t(i)] = std::sqrt(v[std::size_t(i)]);
  }
  // The weighted means Σ v_i·a_i / n of the columns, then of y (one sum)
  std::vector<double> mean(std::size_t(p + 1), 0.0);
  for (std::int64_t j = 0; j < p; ++j) {
    const In* col = X.data + j * X.ld;
    for (std::int64_t i = 0; i < n; ++i)
      mean[std::size_t(j)] += v[std::size_t(i)] * double(col[i]);
  }
  for (std::int64_t i = 0; i < n; ++i) mean[std::size_t(p)] += v[std::size_t(i)] * double(y[i]);
  over_ranks(mean);
  for (double& m : mean) m /= rows;
  out.y_center = o.intercept ? mean[std::size_t(p)] : 0.0;
  out.y.resize(std::size_t(n));
  for (std::int64_t i = 0; i < n; ++i)
    out.y[std::size_t(i)] = In(root[std::size_t(i)] * (double(y[i]) - out.y_center));
  // Σ v_i·(x_ij − x̄_j)² per column (one sum): 0 for a column constant on the rows that count
  std::vector<double> ss(static_cast<std::size_t>(p), 0.0);
  for (std::int64_t j = 0; j < p; ++j) {
    const In* col = X.data + j * X.ld;
    const double m = mean[std::size_t(j)];
    for (std::int64_t i = 0; i < n; ++i)
      ss[std::size_t(j)] += v[std::size_t(i)] * (double(col[i]) - m) * (double(col[i]) - m);
  }
  over_ranks(ss);
  out.X.resize(std::size_t(n * p));
  out.center.resize(std::size_t(p));
  out.scale.resize(std::size_t(p));
  for (std::int64_t j = 0; j < p; ++j) {
    const In* col = X.data + j * X.ld;
    const double s = o.standardize ? std::sqrt(ss[std::size_t(j)] / rows) : 1.0;
    const bool constant = !(ss[std::size_t(j)] > 0);
    const double c = o.intercept ? mean[std::size_t(j)] : 0.0;
    out.center[std::size_t(j)] = c;
    out.scale[std::size_t(j)] = constant ? 0.0 : s;
    In* dst = out.X.data() + j * n;
    for (std::int64_t i = 0; i < n; ++i)
      dst[i] = constant ? In(0) : In(root[std::size_t(i)] * (double(col[i]) - c) / s);
  }
  return out;
}

}  // namespace regpath::detail
