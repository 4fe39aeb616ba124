// Sparse test data shared by the sparse fit and cv tests: a CSC copy of a dense column-major X,
// a sparse X with an empty column and an all-zero row, responses of every family from it, and
// the comparison of two paths.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "regpath/regpath.hpp"

namespace regpath_test {

struct Csc {
  std::int64_t rows = 0, cols = 0;
  std::vector<std::int64_t> col_ptr, row_idx;
  std::vector<double> values;
  regpath::SparseMatrixView<double> view() const {
    return {rows, cols, std::int64_t(values.size()), col_ptr.data(), row_idx.data(),
            values.data()};
  }
};

// n × p, column-major, about 70% zeros; column 1 empty, row 0 all zero.
inline std::vector<double> sparse_dense(std::int64_t n, std::int64_t p, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<double> X(std::size_t(n * p), 0.0);
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 1; i < n; ++i)
      if (j != 1 && unit(gen) < 0.3) X[std::size_t(i + j * n)] = 1.5 + normal(gen);
  return X;
}

inline Csc to_csc(const std::vector<double>& X, std::int64_t n, std::int64_t p) {
  Csc c;
  c.rows = n;
  c.cols = p;
  c.col_ptr.push_back(0);
  for (std::int64_t j = 0; j < p; ++j) {
    for (std::int64_t i = 0; i < n; ++i)
      if (X[std::size_t(i + j * n)] != 0) {
        c.row_idx.push_back(i);
        c.values.push_back(X[std::size_t(i + j * n)]);
      }
    c.col_ptr.push_back(std::int64_t(c.values.size()));
  }
  return c;
}

inline std::vector<double> response(const std::vector<double>& X, std::int64_t n,
                                    std::int64_t p) {
  std::mt19937_64 gen(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> y(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    double v = 0.5 + normal(gen);
    for (std::int64_t j = 0; j < std::min<std::int64_t>(p, 4); ++j)
      v += (j + 1) * X[std::size_t(i + j * n)];
    y[std::size_t(i)] = v;
  }
  return y;
}

// Sup-norm of the difference over the sup-norm of the dense coefficients, per λ.
inline void expect_same_path(const regpath::Path& dense, const regpath::Path& sparse,
                             double rel) {
  ASSERT_EQ(dense.lambdas.size(), sparse.lambdas.size());
  for (std::size_t k = 0; k < dense.lambdas.size(); ++k)
    EXPECT_NEAR(dense.lambdas[k], sparse.lambdas[k], rel * dense.lambdas[k]);
  for (std::int64_t k = 0; k < dense.nlambda(); ++k) {
    double top = std::fabs(dense.intercepts[std::size_t(k)]), diff = 0;
    for (std::int64_t j = 0; j < dense.n_features; ++j) {
      top = std::max(top, std::fabs(dense.coef(j, k)));
      diff = std::max(diff, std::fabs(dense.coef(j, k) - sparse.coef(j, k)));
    }
    diff = std::max(diff, std::fabs(dense.intercepts[std::size_t(k)] -
                                    sparse.intercepts[std::size_t(k)]));
    EXPECT_LE(diff, rel * std::max(top, 1e-300)) << "lambda " << k;
  }
}

// A 0/1 response (binomial) or counts (poisson) from the sparse X.
inline std::vector<double> glm_response(const std::vector<double>& X, std::int64_t n,
                                        std::int64_t p, regpath::Family family,
                                        unsigned seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<double> y(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    double eta = -0.3;
    for (std::int64_t j = 0; j < std::min<std::int64_t>(p, 4); ++j)
      eta += (j % 2 ? -0.4 : 0.5) * X[std::size_t(i + j * n)];
    if (family == regpath::Family::binomial) {
      y[std::size_t(i)] = unit(gen) < 1 / (1 + std::exp(-eta)) ? 1 : 0;
    } else {
      std::poisson_distribution<int> count(std::exp(eta));
      y[std::size_t(i)] = count(gen);
    }
  }
  return y;
}

}  // namespace regpath_test
