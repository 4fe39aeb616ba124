// Helpers for the binomial and cross-validation tests: 0/1 problems, an independent logistic
// objective and KKT check (plain loops, double), and row subsets.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "test_support.hpp"

namespace regpath::test {

// random_problem with its response turned into labels: 1 above the median, else 0.
inline Problem random_binomial_problem(std::int64_t n, std::int64_t p, double rho, unsigned seed) {
  Problem pr = random_problem(n, p, rho, seed, 5, 2.0);
  std::vector<double> sorted = pr.y;
  std::nth_element(sorted.begin(), sorted.begin() + n / 2, sorted.end());
  const double median = sorted[std::size_t(n / 2)];
  for (double& v : pr.y) v = v > median ? 1.0 : 0.0;
  return pr;
}

inline double log1p_exp(double eta) {
  return eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta));
}

inline std::vector<double> linear_predictor(const Problem& pr, double b0, const double* beta) {
  std::vector<double> eta(std::size_t(pr.n), b0);
  for (std::int64_t j = 0; j < pr.p; ++j)
    for (std::int64_t i = 0; i < pr.n; ++i) eta[std::size_t(i)] += pr.X[std::size_t(i + j * pr.n)] * beta[j];
  return eta;
}

// (1/n)Σ[log(1 + e^η) − yη] + λ[α‖β̃‖₁ + (1−α)/2‖β̃‖²],  β̃_j = β_j·scale_j
inline double logistic_objective(const Problem& pr, const Scaling& s, double b0,
                                 const double* beta, double lambda, double alpha) {
  const std::vector<double> eta = linear_predictor(pr, b0, beta);
  double loss = 0;
  for (std::int64_t i = 0; i < pr.n; ++i)
    loss += log1p_exp(eta[std::size_t(i)]) - pr.y[std::size_t(i)] * eta[std::size_t(i)];
  double l1 = 0, l2 = 0;
  for (std::int64_t j = 0; j < pr.p; ++j) {
    const double bt = beta[j] * s.scale[std::size_t(j)];
    l1 += std::fabs(bt);
    l2 += bt * bt;
  }
  return loss / double(pr.n) + lambda * (alpha * l1 + 0.5 * (1 - alpha) * l2);
}

inline double logistic_objective(const Problem& pr, const Path& path, std::int64_t k,
                                 bool standardize, bool intercept, double alpha) {
  return logistic_objective(pr, scaling_of(pr, standardize, intercept),
                            path.intercepts[std::size_t(k)], path.coefs.data() + k * pr.p,
                            path.lambdas[std::size_t(k)], alpha);
}

// The largest violation of the optimality conditions at λ_k, relative to λ: on the
// standardized scale g̃_j = (1/n)Σ x̃_ij (σ(η_i) − y_i); zero β̃_j needs |g̃_j| ≤ λα, nonzero
// g̃_j + λ(1−α)β̃_j + λα·sign(β̃_j) = 0; with an intercept also Σ(σ(η_i) − y_i) = 0.
inline double logistic_kkt_violation(const Problem& pr, const Path& path, std::int64_t k,
                                     bool standardize, bool intercept, double alpha) {
  const Scaling s = scaling_of(pr, standardize, intercept);
  const double lambda = path.lambdas[std::size_t(k)];
  const double* beta = path.coefs.data() + k * pr.p;
  const std::vector<double> eta = linear_predictor(pr, path.intercepts[std::size_t(k)], beta);
  std::vector<double> r(std::size_t(pr.n));
  double rsum = 0;
  for (std::int64_t i = 0; i < pr.n; ++i) {
    const double e = eta[std::size_t(i)];
    r[std::size_t(i)] = 1 / (1 + std::exp(-e)) - pr.y[std::size_t(i)];
    rsum += r[std::size_t(i)];
  }
  double worst = intercept ? std::fabs(rsum / double(pr.n)) / lambda : 0.0;
  for (std::int64_t j = 0; j < pr.p; ++j) {
    const double sc = s.scale[std::size_t(j)];
    if (!(sc > 0)) continue;
    double g = 0;
    for (std::int64_t i = 0; i < pr.n; ++i)
      g += (pr.X[std::size_t(i + j * pr.n)] - s.mean[std::size_t(j)]) * r[std::size_t(i)];
    g /= double(pr.n) * sc;
    const double bt = beta[j] * sc;
    const double v = bt != 0 ? std::fabs(g + lambda * (1 - alpha) * bt +
                                         lambda * alpha * (bt > 0 ? 1.0 : -1.0))
                             : std::max(0.0, std::fabs(g) - lambda * alpha);
    worst = std::max(worst, v / lambda);
  }
  return worst;
}

// The rows of pr whose fold (0-based) is not `fold`.
inline Problem training_rows(const Problem& pr, const std::vector<int>& foldid, int fold) {
  Problem out;
  out.p = pr.p;
  std::vector<std::int64_t> rows;
  for (std::int64_t i = 0; i < pr.n; ++i)
    if (foldid[std::size_t(i)] - 1 != fold) rows.push_back(i);
  out.n = std::int64_t(rows.size());
  for (std::int64_t j = 0; j < pr.p; ++j)
    for (const std::int64_t i : rows) out.X.push_back(pr.X[std::size_t(i + j * pr.n)]);
  for (const std::int64_t i : rows) out.y.push_back(pr.y[std::size_t(i)]);
  return out;
}

}  // namespace regpath::test
