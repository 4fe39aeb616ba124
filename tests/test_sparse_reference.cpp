// Sparse X against R glmnet 4.1-6 with a dgCMatrix (scripts/make_sparse_reference.R): the lasso
// path at glmnet's λ list, coefficients and intercepts within 5e-4 of the sup-norm (gaussian,
// glmnet's thresh 1e-14), 1e-6 for binomial and poisson (glmnet run to thresh 1e-30: they agree
// to about 1e-9 here).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "regpath/regpath.hpp"

namespace {

std::string data_path(const std::string& name) {
  return std::string(REGPATH_TEST_DATA_DIR) + "/" + name;
}

struct Csc {
  std::int64_t rows = 0, cols = 0;
  std::vector<std::int64_t> col_ptr, row_idx;
  std::vector<double> values;
};

// A Matrix Market coordinate real general file (as Matrix::writeMM writes it) into CSC.
Csc read_mtx(const std::string& file) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line) && line[0] == '%') {
  }
  std::istringstream size(line);
  std::int64_t nnz = 0;
  Csc c;
  size >> c.rows >> c.cols >> nnz;
  std::vector<std::vector<std::pair<std::int64_t, double>>> columns(std::size_t(c.cols));
  for (std::int64_t k = 0; k < nnz; ++k) {
    std::int64_t i = 0, j = 0;
    double v = 0;
    in >> i >> j >> v;
    columns[std::size_t(j - 1)].emplace_back(i - 1, v);
  }
  c.col_ptr.push_back(0);
  for (const auto& col : columns) {
    for (const auto& [i, v] : col) {
      c.row_idx.push_back(i);
      c.values.push_back(v);
    }
    c.col_ptr.push_back(std::int64_t(c.values.size()));
  }
  return c;
}

// One number per line, or one comma-separated row per line.
std::vector<std::vector<double>> read_rows(const std::string& file) {
  std::ifstream in(file);
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<double> row;
    std::istringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) row.push_back(std::stod(cell));
    rows.push_back(row);
  }
  return rows;
}

void check_case(const std::string& name,
                regpath::Family family = regpath::Family::gaussian, double rel = 5e-4) {
  SCOPED_TRACE(name);
  const Csc X = read_mtx(data_path("sparse_" + name + "_X.mtx"));
  std::vector<double> y, lambdas;
  for (const auto& r : read_rows(data_path("sparse_" + name + "_y.csv"))) y.push_back(r[0]);
  for (const auto& r : read_rows(data_path("sparse_" + name + "_lambda.csv")))
    lambdas.push_back(r[0]);
  const std::vector<std::vector<double>> coef =
      read_rows(data_path("sparse_" + name + "_coef.csv"));
  ASSERT_EQ(std::int64_t(y.size()), X.rows);
  ASSERT_EQ(std::int64_t(coef.size()), X.cols + 1);
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.family = family;
  o.alpha = 1.0;
  o.lambdas = lambdas;
  o.tol = 1e-12;
  const regpath::SparseMatrixView<double> view{X.rows, X.cols, std::int64_t(X.values.size()),
                                               X.col_ptr.data(), X.row_idx.data(),
                                               X.values.data()};
  const regpath::Path path = regpath::fit(view, y.data(), o);
  ASSERT_EQ(path.nlambda(), std::int64_t(lambdas.size()));
  for (std::int64_t k = 0; k < path.nlambda(); ++k)
    EXPECT_EQ(path.status[std::size_t(k)], regpath::Status::converged) << "lambda " << k;
  for (std::int64_t k = 0; k < path.nlambda(); ++k) {
    double top = std::fabs(coef[0][std::size_t(k)]);
    double diff = std::fabs(path.intercepts[std::size_t(k)] - coef[0][std::size_t(k)]);
    for (std::int64_t j = 0; j < X.cols; ++j) {
      const double g = coef[std::size_t(j + 1)][std::size_t(k)];
      top = std::max(top, std::fabs(g));
      diff = std::max(diff, std::fabs(path.coef(j, k) - g));
    }
    EXPECT_LE(diff, rel * top) << "lambda " << k << " = " << lambdas[std::size_t(k)];
  }
}

TEST(SparseReference, TallLassoMatchesGlmnet) { check_case("tall"); }
TEST(SparseReference, WideLassoMatchesGlmnet) { check_case("wide"); }
TEST(SparseReference, BinomialLassoMatchesGlmnet) {
  check_case("binomial", regpath::Family::binomial, 1e-6);
}
TEST(SparseReference, PoissonLassoMatchesGlmnet) {
  check_case("poisson", regpath::Family::poisson, 1e-6);
}

}  // namespace
