// Seeded data for the distributed-rows tests (over threads and over MPI), and the block of
// rows one rank holds.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "regpath/regpath.hpp"

namespace regpath::testing {

struct Data {
  std::int64_t n = 0, p = 0;
  std::vector<double> X, y;  // column-major n × p, n
};

// Correlated columns of varied scales and means, a sparse truth, noise; column 3 constant.
inline Data make_data(std::int64_t n, std::int64_t p, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Data d{n, p, std::vector<double>(std::size_t(n * p)), std::vector<double>(std::size_t(n))};
  std::vector<double> common(static_cast<std::size_t>(n));
  for (double& c : common) c = normal(gen);
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < n; ++i)
      d.X[std::size_t(i + j * n)] =
          j == 3 ? 2.5 : (0.8 * normal(gen) + 0.6 * common[std::size_t(i)]) * (1 + j % 4) + j;
  for (std::int64_t i = 0; i < n; ++i) {
    double v = 3 + normal(gen);
    for (std::int64_t j = 0; j < p; j += 3) v += (j % 2 ? -0.7 : 0.9) * d.X[std::size_t(i + j * n)];
    d.y[std::size_t(i)] = v;
  }
  return d;
}

// The data with a 0/1 response (above the median) or counts (⌊|y − 3|⌋), for the GLM families.
inline Data with_family(Data d, regpath::Family family) {
  if (family == regpath::Family::binomial) {
    std::vector<double> sorted = d.y;
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(sorted.size() / 2),
                     sorted.end());
    const double median = sorted[sorted.size() / 2];
    for (double& v : d.y) v = v > median ? 1.0 : 0.0;
  } else if (family == regpath::Family::poisson) {
    for (double& v : d.y) v = std::floor(std::fabs(v - 3));
  }
  return d;
}

// A rank's block: rows [begin, end) of d, copied into its own column-major arrays.
struct Block {
  std::vector<double> X, y;
  std::int64_t rows = 0;
};
inline Block block(const Data& d, std::int64_t begin, std::int64_t end) {
  Block b;
  b.rows = end - begin;
  for (std::int64_t j = 0; j < d.p; ++j)
    for (std::int64_t i = begin; i < end; ++i) b.X.push_back(d.X[std::size_t(i + j * d.n)]);
  b.y.assign(d.y.begin() + begin, d.y.begin() + end);
  return b;
}

}  // namespace regpath::testing
