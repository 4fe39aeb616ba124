// Family multinomial on a sparse CSC X (core/design/multinomial_design.hpp, X̃ never formed):
// the dense X's path to rounding, with every option (weights, offset matrix, penalty factors
// with a 0, exclude, limits, grouped, standardize and intercept off), on X with an empty column
// and an all-zero row; unsorted and duplicate entries; float32 input; `regpath fit X.mtx
// --family multinomial`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "regpath/regpath.hpp"
#include "sparse_support.hpp"

namespace regpath::test {
namespace {

using regpath_test::Csc;

constexpr std::int64_t kN = 160, kP = 12;

struct Problem {
  std::vector<double> X, y;  // X n × p column-major, ~70% zeros (sparse_dense)
  Csc csc;
  MatrixView<double> dense() const { return {X.data(), kN, kP, kN}; }
};

// Three classes from a softmax of the sparse features (seeded).
Problem make_problem() {
  Problem pr;
  pr.X = regpath_test::sparse_dense(kN, kP, 31);
  pr.csc = regpath_test::to_csc(pr.X, kN, kP);
  std::mt19937_64 gen(5);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (std::int64_t i = 0; i < kN; ++i) {
    const double x0 = pr.X[std::size_t(i)], x2 = pr.X[std::size_t(i + 2 * kN)];
    const double x3 = pr.X[std::size_t(i + 3 * kN)];
    const double e[3] = {0.6 * x0 - 0.2 * x3, 0.5 * x2, 0.1 + 0.4 * x3 - 0.3 * x0};
    const double m = std::max({e[0], e[1], e[2]});
    const double s = std::exp(e[0] - m) + std::exp(e[1] - m) + std::exp(e[2] - m);
    const double u = unit(gen);
    pr.y.push_back(u < std::exp(e[0] - m) / s ? 0 : u < (std::exp(e[0] - m) +
                                                          std::exp(e[1] - m)) / s ? 1 : 2);
  }
  return pr;
}

// Sup-norm difference of every intercept and coefficient over the dense path's sup-norm.
double path_difference(const Path& dense, const Path& sparse) {
  EXPECT_EQ(dense.coefs.size(), sparse.coefs.size());
  EXPECT_EQ(dense.intercepts.size(), sparse.intercepts.size());
  double diff = 0, top = 1e-300;
  for (std::size_t k = 0; k < dense.coefs.size() && k < sparse.coefs.size(); ++k) {
    diff = std::max(diff, std::fabs(dense.coefs[k] - sparse.coefs[k]));
    top = std::max(top, std::fabs(dense.coefs[k]));
  }
  for (std::size_t k = 0; k < dense.intercepts.size() && k < sparse.intercepts.size(); ++k) {
    diff = std::max(diff, std::fabs(dense.intercepts[k] - sparse.intercepts[k]));
    top = std::max(top, std::fabs(dense.intercepts[k]));
  }
  return diff / top;
}

Options options_for(int variant, const Problem& pr) {
  Options o;
  o.family = Family::multinomial;
  o.device = Device::cpu;
  o.tol = 1e-12;
  o.nlambda = 12;
  std::mt19937_64 gen(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  switch (variant) {
    case 0: break;
    case 1: o.type_multinomial = MultinomialType::grouped; o.alpha = 0.5; break;
    case 2:
      for (std::int64_t i = 0; i < kN; ++i) o.weights.push_back(i % 7 == 0 ? 0.0 : unit(gen));
      o.alpha = 0.7;
      break;
    case 3:
      for (std::int64_t k = 0; k < 3 * kN; ++k) o.offset.push_back(unit(gen) - 0.5);
      break;
    case 4:
      o.penalty_factors.assign(std::size_t(kP), 1.0);
      o.penalty_factors[0] = 0;
      o.penalty_factors[4] = 2;
      o.exclude = {5};
      break;
    case 5:
      o.lower_limits = {-0.2};
      o.upper_limits = {0.15};
      o.alpha = 0.5;
      break;
    case 6: o.standardize = false; break;
    default: o.intercept = false; o.type_multinomial = MultinomialType::grouped;
  }
  (void)pr;
  return o;
}

TEST(MultinomialSparse, EqualsTheDensePathWithEveryOption) {
  const Problem pr = make_problem();
  for (int variant = 0; variant <= 7; ++variant) {
    SCOPED_TRACE("variant " + std::to_string(variant));
    const Options o = options_for(variant, pr);
    const Path dense = fit(pr.dense(), pr.y.data(), o);
    const Path sparse = fit(pr.csc.view(), pr.y.data(), o);
    ASSERT_EQ(sparse.n_classes, 3);
    ASSERT_EQ(sparse.nlambda(), dense.nlambda());
    EXPECT_NEAR(sparse.lambda_max, dense.lambda_max, 1e-12 * dense.lambda_max);
    for (std::size_t k = 0; k < dense.lambdas.size(); ++k) {
      EXPECT_EQ(sparse.status[k], Status::converged);
      EXPECT_NEAR(sparse.dev_ratio[k], dense.dev_ratio[k], 1e-9);
    }
    // the column of zeros (1) stays 0; the same steps up to rounding (L by products instead
    // of the formed AᵀVA: the same eigenvalue to rounding), 1e-13 seen
    for (std::int64_t k = 0; k < sparse.nlambda(); ++k)
      for (std::int64_t c = 0; c < 3; ++c) EXPECT_EQ(sparse.multinomial_coef(1, k, c), 0.0);
    EXPECT_LE(path_difference(dense, sparse), 1e-10) << path_difference(dense, sparse);
  }
}

// Entries out of order within a column and a value split into two duplicates: sorted and
// summed, the same X.
TEST(MultinomialSparse, UnsortedAndDuplicateEntriesAreTheSameX) {
  const Problem pr = make_problem();
  Csc messy;
  messy.rows = kN;
  messy.cols = kP;
  messy.col_ptr.push_back(0);
  for (std::int64_t j = 0; j < kP; ++j) {
    const auto b = std::size_t(pr.csc.col_ptr[std::size_t(j)]);
    const auto e = std::size_t(pr.csc.col_ptr[std::size_t(j + 1)]);
    for (std::size_t k = e; k-- > b;) {  // reversed
      messy.row_idx.push_back(pr.csc.row_idx[k]);
      messy.values.push_back(0.25 * pr.csc.values[k]);
      messy.row_idx.push_back(pr.csc.row_idx[k]);
      messy.values.push_back(0.75 * pr.csc.values[k]);
    }
    messy.col_ptr.push_back(std::int64_t(messy.values.size()));
  }
  Options o = options_for(0, pr);
  const Path clean = fit(pr.csc.view(), pr.y.data(), o);
  const Path summed = fit(messy.view(), pr.y.data(), o);
  EXPECT_LE(path_difference(clean, summed), 1e-12);
}

TEST(MultinomialSparse, Float32InputAgrees) {
  const Problem pr = make_problem();
  std::vector<float> values(pr.csc.values.begin(), pr.csc.values.end());
  std::vector<float> y(pr.y.begin(), pr.y.end());
  const SparseMatrixView<float> X32{kN, kP, std::int64_t(values.size()), pr.csc.col_ptr.data(),
                                    pr.csc.row_idx.data(), values.data()};
  std::vector<double> rounded(values.begin(), values.end());
  Csc csc64 = pr.csc;
  csc64.values = rounded;  // the same float values, in double: the same path
  Options o = options_for(1, pr);
  EXPECT_LE(path_difference(fit(csc64.view(), pr.y.data(), o), fit(X32, y.data(), o)), 1e-12);
}

TEST(MultinomialSparse, BadInputIsRefused) {
  Problem pr = make_problem();
  Options o = options_for(0, pr);
  Csc bad = pr.csc;
  bad.row_idx[3] = kN;  // out of range
  EXPECT_THROW(fit(bad.view(), pr.y.data(), o), std::invalid_argument);
  pr.y[2] = 0.5;  // not a label
  EXPECT_THROW(fit(pr.csc.view(), pr.y.data(), o), std::invalid_argument);
}

// regpath fit X.mtx --response-file y --family multinomial: the library's numbers, labels as
// given (classes the sorted labels).
TEST(MultinomialSparseCli, FitsAMatrixMarketX) {
  const Problem pr = make_problem();
  std::string mtx = "%%MatrixMarket matrix coordinate real general\n" + std::to_string(kN) +
                    " " + std::to_string(kP) + " " + std::to_string(pr.csc.values.size()) + "\n";
  for (std::int64_t j = 0; j < kP; ++j)
    for (auto k = pr.csc.col_ptr[std::size_t(j)]; k < pr.csc.col_ptr[std::size_t(j + 1)]; ++k)
      mtx += std::to_string(pr.csc.row_idx[std::size_t(k)] + 1) + " " + std::to_string(j + 1) +
             " " + cli::format_number(pr.csc.values[std::size_t(k)]) + "\n";
  std::string labels;
  for (double v : pr.y) labels += cli::format_number(5 * v + 3) + "\n";  // 3, 8, 13
  const std::string x_file = temp_file("x.mtx", mtx), y_file = temp_file("y.txt", labels);
  const std::string out = temp_path("path.csv");
  const CliRun r = run_cli("fit " + x_file + " --response-file " + y_file +
                           " --family multinomial --lambda 0.05,0.02 --tol 1e-12 --output " +
                           out);
  ASSERT_EQ(r.status, 0) << r.output;
  const cli::CsvTable got = cli::read_csv(out);
  ASSERT_EQ(got.rows(), 6u);
  Options o = options_for(0, pr);
  o.lambdas = {0.05, 0.02};
  const Path lib = fit(pr.csc.view(), pr.y.data(), o);
  for (std::size_t row = 0; row < 6; ++row) {
    const std::int64_t k = std::int64_t(row / 3), c = std::int64_t(row % 3);
    EXPECT_EQ(got.columns[1][row], 5.0 * double(c) + 3);
    EXPECT_NEAR(got.columns[2][row], lib.multinomial_intercept(k, c), 1e-12);
    for (std::int64_t j = 0; j < kP; ++j)
      EXPECT_NEAR(got.columns[std::size_t(3 + j)][row], lib.multinomial_coef(j, k, c), 1e-12);
  }
}

}  // namespace
}  // namespace regpath::test
