// The benchmark problems: the glmnet paper's simulation (Gaussian design with equal pairwise
// correlation ρ, a sparse truth, noise), seeded, never all-zero.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace regpath::bench {

struct Problem {
  std::int64_t n = 0, p = 0;
  std::vector<double> X;  // n × p, column-major
  std::vector<double> y;
};

inline Problem correlated_problem(std::int64_t n, std::int64_t p, double rho, unsigned seed = 7) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  Problem pr{n, p, std::vector<double>(static_cast<std::size_t>(n * p)),
             std::vector<double>(static_cast<std::size_t>(n), 0.0)};
  std::vector<double> shared(static_cast<std::size_t>(n));
  for (auto& s : shared) s = z(rng);
  const double a = std::sqrt(rho), b = std::sqrt(1 - rho);
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < n; ++i)
      pr.X[static_cast<std::size_t>(i + j * n)] = a * shared[static_cast<std::size_t>(i)] + b * z(rng);
  // 20 nonzero coefficients of alternating sign and decaying size; noise for an SNR near 3
  const std::int64_t k = std::min<std::int64_t>(20, p);
  for (std::int64_t j = 0; j < k; ++j) {
    const double beta = (j % 2 ? -1.0 : 1.0) * std::exp(-0.5 * double(j));
    for (std::int64_t i = 0; i < n; ++i)
      pr.y[static_cast<std::size_t>(i)] += beta * pr.X[static_cast<std::size_t>(i + j * n)];
  }
  for (auto& v : pr.y) v += 0.8 * z(rng);
  return pr;
}

}  // namespace regpath::bench
