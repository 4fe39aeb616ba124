// glmnet's family = "multinomial" (fit() on a dense X, CPU): against R glmnet 4.1-6
// (scripts/make_multinomial_reference.R: multinom_data.csv, multinom_ref.csv; ungrouped and
// grouped, α = 1 and 0.5, thresh 1e-14), the optimality conditions of every solution, C = 2
// against the binomial fit (grouped: the same problem exactly), and the label checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "multinomial_support.hpp"
#include "reference_data.hpp"
#include "regpath/regpath.hpp"

namespace regpath::test {
namespace {

using Data = MultinomialData;
Data load_data() { return load_multinomial_data(); }

// glmnet's multinomial objective at original-scale (a0, B) (C × (p+1), class-major rows: a0_c,
// then β_1c … β_pc), the penalty on the standardized coefficients β_jc·sd_j.
double objective(const Data& d, const std::vector<std::vector<double>>& coef, double lambda,
                 double alpha, bool grouped) {
  const std::size_t C = coef.size();
  double loss = 0;
  for (std::int64_t i = 0; i < d.n; ++i) {
    std::vector<double> eta(C);
    double m = -1e300;
    for (std::size_t c = 0; c < C; ++c) {
      eta[c] = coef[c][0];
      for (std::int64_t j = 0; j < d.p; ++j)
        eta[c] += d.X[std::size_t(i + j * d.n)] * coef[c][std::size_t(j + 1)];
      m = std::max(m, eta[c]);
    }
    double s = 0;
    for (double e : eta) s += std::exp(e - m);
    loss += m + std::log(s) - eta[std::size_t(d.y[std::size_t(i)])];
  }
  double pen = 0;
  for (std::int64_t j = 0; j < d.p; ++j) {
    double mean = 0, var = 0;
    for (std::int64_t i = 0; i < d.n; ++i) mean += d.X[std::size_t(i + j * d.n)] / double(d.n);
    for (std::int64_t i = 0; i < d.n; ++i) {
      const double e = d.X[std::size_t(i + j * d.n)] - mean;
      var += e * e / double(d.n);
    }
    const double sd = std::sqrt(var);
    double l1 = 0, l2 = 0;
    for (std::size_t c = 0; c < C; ++c) {
      const double b = coef[c][std::size_t(j + 1)] * sd;
      l1 += std::fabs(b);
      l2 += b * b;
    }
    pen += alpha * (grouped ? std::sqrt(l2) : l1) + 0.5 * (1 - alpha) * l2;
  }
  return loss / double(d.n) + lambda * pen;
}

std::vector<std::vector<double>> coef_at(const Path& path, std::int64_t k) {
  std::vector<std::vector<double>> out(std::size_t(path.n_classes));
  for (std::int64_t c = 0; c < path.n_classes; ++c) {
    out[std::size_t(c)].push_back(path.multinomial_intercept(k, c));
    for (std::int64_t j = 0; j < path.n_features; ++j)
      out[std::size_t(c)].push_back(path.multinomial_coef(j, k, c));
  }
  return out;
}


TEST(Multinomial, MatchesGlmnet) {
  const Data d = load_data();
  const cli::CsvTable ref = cli::read_csv(data_path("multinom_ref.csv"));
  const std::size_t C = 3;
  for (int id = 1; id <= 4; ++id) {
    SCOPED_TRACE("case " + std::to_string(id));
    const std::vector<double> grouped = case_column(ref, id, 1), alpha = case_column(ref, id, 2);
    const std::vector<double> lam_rows = case_column(ref, id, 3);
    std::vector<double> lambdas;
    for (std::size_t r = 0; r < lam_rows.size(); r += C) lambdas.push_back(lam_rows[r]);
    Options o = multinomial_options(alpha[0], grouped[0] == 1);
    o.lambdas = lambdas;
    const Path path = fit(d.view(), d.y.data(), o);
    ASSERT_EQ(path.n_classes, 3);
    ASSERT_EQ(path.nlambda(), std::int64_t(lambdas.size()));
    ASSERT_EQ(path.intercepts.size(), lambdas.size() * C);
    ASSERT_EQ(path.coefs.size(), lambdas.size() * C * std::size_t(d.p));
    for (std::size_t k = 0; k < lambdas.size(); ++k) {
      SCOPED_TRACE("lambda " + std::to_string(k));
      EXPECT_EQ(path.status[k], Status::converged);
      EXPECT_LE(path.gaps[k], 1e-11);  // the KKT violation / λ_max
      std::vector<std::vector<double>> theirs(C);
      double diff = 0, scale = 0, a0_sum = 0;
      for (std::size_t c = 0; c < C; ++c) {
        a0_sum += path.multinomial_intercept(std::int64_t(k), std::int64_t(c));
        for (std::size_t j = 0; j <= std::size_t(d.p); ++j) {
          const double r = case_column(ref, id, 5 + j)[k * C + c];
          theirs[c].push_back(r);
          const double mine = j == 0 ? path.multinomial_intercept(std::int64_t(k), std::int64_t(c))
                                     : path.multinomial_coef(std::int64_t(j - 1),
                                                             std::int64_t(k), std::int64_t(c));
          diff = std::max(diff, std::fabs(mine - r));
          scale = std::max(scale, std::fabs(r));
        }
      }
      EXPECT_NEAR(a0_sum, 0.0, 1e-12);  // glmnet's coef(): centred over the classes
      EXPECT_LE(diff, 1e-5 * scale) << diff / scale;  // 1e-6 seen; the brief asks 2e-3
      const double mine = objective(d, coef_at(path, std::int64_t(k)), lambdas[k], alpha[0],
                                    grouped[0] == 1);
      const double glmnet = objective(d, theirs, lambdas[k], alpha[0], grouped[0] == 1);
      EXPECT_LE(mine, glmnet * (1 + 1e-7));
    }
    // λ_max as glmnet's: its first λ is 0.9·λ_max (make_multinomial_reference.R)
    EXPECT_NEAR(path.lambda_max * 0.9, lambdas[0], 1e-12 * lambdas[0]);
  }
}

TEST(Multinomial, DefaultPathStartsAtLambdaMax) {
  const Data d = load_data();
  for (const bool grouped : {false, true}) {
    Options o = multinomial_options(1.0, grouped);
    o.tol = 1e-9;
    const Path path = fit(d.view(), d.y.data(), o);
    ASSERT_EQ(path.nlambda(), 100);  // fit() solves every λ (no early end, as other families)
    EXPECT_DOUBLE_EQ(path.lambdas[0], path.lambda_max);
    for (std::int64_t c = 0; c < 3; ++c)
      for (std::int64_t j = 0; j < d.p; ++j) EXPECT_EQ(path.multinomial_coef(j, 0, c), 0.0);
    // 1e-4·λ_max at the end (n = 150 > p)
    EXPECT_NEAR(path.lambdas.back(), path.lambda_max * 1e-4, 1e-12 * path.lambda_max);
    for (std::size_t k = 0; k < path.status.size(); ++k)
      EXPECT_EQ(path.status[k], Status::converged) << k;
  }
}

// C = 2, grouped, α = 1: the penalty λ‖(β_0, β_1)‖₂ is smallest at β_0 = −β_1 for a given
// difference d = β_1 − β_0, where it is λ|d|/√2, and the softmax of two classes is the logistic
// function of η_1 − η_0: the binomial lasso at λ/√2, with β_binomial = β_1 − β_0.
TEST(Multinomial, TwoClassesGroupedIsBinomial) {
  Data d = load_data();
  for (double& v : d.y) v = v == 2 ? 1 : v;
  Options o = multinomial_options(1.0, true);
  o.lambdas = {0.05, 0.02, 0.01, 0.004};
  const Path m = fit(d.view(), d.y.data(), o);
  Options b;
  b.family = Family::binomial;
  b.device = Device::cpu;
  b.tol = 1e-13;
  for (double l : o.lambdas) b.lambdas.push_back(l / std::sqrt(2.0));
  const Path bin = fit(d.view(), d.y.data(), b);
  for (std::int64_t k = 0; k < m.nlambda(); ++k) {
    EXPECT_NEAR(m.multinomial_intercept(k, 1) - m.multinomial_intercept(k, 0), bin.intercepts[k],
                1e-7);
    for (std::int64_t j = 0; j < d.p; ++j) {
      EXPECT_NEAR(m.multinomial_coef(j, k, 1) - m.multinomial_coef(j, k, 0), bin.coef(j, k), 1e-7);
      EXPECT_NEAR(m.multinomial_coef(j, k, 1), -m.multinomial_coef(j, k, 0), 1e-7);
    }
  }
}

void expect_invalid(const Data& d, const std::vector<double>& y, const std::string& needle) {
  try {
    fit(d.view(), y.data(), multinomial_options(1.0, false));
    ADD_FAILURE() << "no error for " << needle;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(Multinomial, BadLabels) {
  const Data d = load_data();
  expect_invalid(d, std::vector<double>(std::size_t(d.n), 0.0), "at least 2 classes");
  std::vector<double> y = d.y;
  for (double& v : y) v = v == 1 ? 2 : v;  // class 1 missing
  expect_invalid(d, y, "class 1 has 0 rows");
  y = d.y;
  y[3] = 1.5;
  expect_invalid(d, y, "value 1.5 at row 4");
  y = d.y;
  y[5] = -1;
  expect_invalid(d, y, "value -1 at row 6");
  y = d.y;
  y[7] = 1e9;
  expect_invalid(d, y, "classes, more than the 150 rows");
}

TEST(Multinomial, UnsupportedOptionsAreRefused) {
  const Data d = load_data();
  Options o = multinomial_options(1.0, false);
  o.offset.assign(std::size_t(d.n), 0.0);  // n values, not n × C
  EXPECT_THROW(fit(d.view(), d.y.data(), o), std::invalid_argument);
  o = multinomial_options(1.0, false);
  o.device = Device::cuda;
  EXPECT_THROW(fit(d.view(), d.y.data(), o), std::invalid_argument);
}

// regpath fit --family multinomial: labels 10, 20, 30 (classes in sorted order), the output
// lambda,class,intercept,<features> with the library's numbers, grouped, and the refusals.
TEST(MultinomialCli, FitWritesOneRowPerLambdaAndClass) {
  const Data d = load_data();
  const cli::CsvTable t = cli::read_csv(data_path("multinom_data.csv"));
  std::string csv = "x1,label";
  for (std::int64_t j = 1; j < d.p; ++j) csv += ",x" + std::to_string(j + 1);
  csv += "\n";
  for (std::int64_t i = 0; i < d.n; ++i) {
    csv += cli::format_number(d.X[std::size_t(i)]) + "," +
           cli::format_number(10 * (d.y[std::size_t(i)] + 1));
    for (std::int64_t j = 1; j < d.p; ++j)
      csv += "," + cli::format_number(d.X[std::size_t(i + j * d.n)]);
    csv += "\n";
  }
  const std::string data = temp_file("data.csv", csv), out = temp_path("path.csv");
  for (const bool grouped : {false, true}) {
    const CliRun r = run_cli("fit " + data +
                             " --response label --family multinomial --lambda 0.05,0.01 "
                             "--tol 1e-12 --print-path --quiet --output " + out +
                             (grouped ? " --type-multinomial grouped" : ""));
    ASSERT_EQ(r.status, 0) << r.output;
    const cli::CsvTable got = cli::read_csv(out);
    ASSERT_EQ(got.rows(), 6u);
    ASSERT_EQ(got.cols(), std::size_t(3 + d.p));
    EXPECT_EQ(got.names[1], "class");
    EXPECT_EQ(got.names[2], "intercept");
    EXPECT_EQ(got.names[3], "x1");
    Options o = multinomial_options(1.0, grouped);
    o.lambdas = {0.05, 0.01};
    const Path lib = fit(d.view(), d.y.data(), o);
    for (std::size_t row = 0; row < 6; ++row) {
      const std::int64_t k = std::int64_t(row / 3), c = std::int64_t(row % 3);
      EXPECT_EQ(got.columns[0][row], lib.lambdas[std::size_t(k)]);
      EXPECT_EQ(got.columns[1][row], 10.0 * double(c + 1));
      EXPECT_NEAR(got.columns[2][row], lib.multinomial_intercept(k, c), 1e-12);
      // x1 is the first column of DATA, the rest after the label
      for (std::int64_t j = 0; j < d.p; ++j)
        EXPECT_NEAR(got.columns[std::size_t(3 + j)][row], lib.multinomial_coef(j, k, c), 1e-12);
    }
  }
  (void)t;
  const CliRun w = run_cli("fit " + data + " --response label --family multinomial --plot " +
                           temp_path("plot.svg") + " --output " + out);
  EXPECT_EQ(w.status, 2) << w.output;
  EXPECT_TRUE(contains(w.err, "--plot is not supported with --family multinomial")) << w.err;
  const CliRun type =
      run_cli("fit " + data + " --response label --type-multinomial grouped --output " + out);
  EXPECT_EQ(type.status, 2) << type.output;
  const CliRun one = run_cli("fit " + data + " --response x2 --family multinomial --output " + out);
  EXPECT_NE(one.status, 0);
  const CliRun help = run_cli("fit --help");
  EXPECT_TRUE(contains(help.out, "--type-multinomial")) << help.out;
  EXPECT_TRUE(contains(help.out, "lambda,class,intercept")) << help.out;
}

}  // namespace
}  // namespace regpath::test

namespace regpath::test {
namespace {

// The working set (api/fit_multinomial.cpp: strong rules, then the full KKT check) on features
// correlated 0.9 between neighbours, where the strong rule misses features and the check adds
// them: each λ of the path is the solve of that λ alone on every feature (the strong rule's
// 2λ − λ_max < 0 keeps them all), ungrouped and grouped, to the tolerance.
TEST(Multinomial, WorkingSetPathIsTheSolveOnEveryFeature) {
  const std::int64_t n = 300, p = 80, C = 3;
  std::mt19937_64 gen(19);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> X(static_cast<std::size_t>(n * p)), y(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) X[std::size_t(i)] = normal(gen);
  for (std::int64_t j = 1; j < p; ++j)
    for (std::int64_t i = 0; i < n; ++i)
      X[std::size_t(i + j * n)] = 0.9 * X[std::size_t(i + (j - 1) * n)] +
                                  std::sqrt(0.19) * normal(gen);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (std::int64_t i = 0; i < n; ++i) {
    const double e[3] = {0.8 * X[std::size_t(i + 3 * n)], 0.6 * X[std::size_t(i + 40 * n)],
                         -0.5 * X[std::size_t(i + 70 * n)]};
    const double s = std::exp(e[0]) + std::exp(e[1]) + std::exp(e[2]);
    const double u = unit(gen) * s;
    y[std::size_t(i)] = u < std::exp(e[0]) ? 0 : u < std::exp(e[0]) + std::exp(e[1]) ? 1 : 2;
  }
  const MatrixView<double> view{X.data(), n, p, n};
  for (const bool grouped : {false, true}) {
    SCOPED_TRACE(grouped ? "grouped" : "ungrouped");
    Options o;
    o.family = Family::multinomial;
    o.tol = 1e-12;
    o.nlambda = 30;
    if (grouped) o.type_multinomial = MultinomialType::grouped;
    const Path path = fit(view, y.data(), o);
    for (std::int64_t k = 0; k < path.nlambda(); ++k) {
      const double lambda = path.lambdas[std::size_t(k)];
      if (lambda >= 0.5 * path.lambda_max) continue;
      EXPECT_EQ(path.status[std::size_t(k)], Status::converged);
      Options alone = o;
      alone.lambdas = {lambda};
      const Path one = fit(view, y.data(), alone);
      double diff = 0, top = 1e-300;
      for (std::int64_t c = 0; c < C; ++c)
        for (std::int64_t j = 0; j < p; ++j) {
          diff = std::max(diff, std::fabs(path.multinomial_coef(j, k, c) -
                                          one.multinomial_coef(j, 0, c)));
          top = std::max(top, std::fabs(one.multinomial_coef(j, 0, c)));
        }
      EXPECT_LE(diff, 1e-7 * top) << "λ " << k << ": " << diff / top;
    }
  }
}

}  // namespace
}  // namespace regpath::test
