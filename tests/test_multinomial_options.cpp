// Family multinomial with glmnet's options: observation weights, the n × C offset matrix,
// penalty factors (a 0 too), exclude, lower/upper limits, standardize off — against R glmnet
// (scripts/make_multinomial_options_reference.R), and by properties that hold exactly: integer
// weights are duplicated rows, a per-class constant offset moves only the intercepts, the
// limits hold, excluded features are 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "multinomial_support.hpp"
#include "reference_data.hpp"
#include "regpath/regpath.hpp"
#include "temp_dir.hpp"

namespace regpath::test {
namespace {

using Data = MultinomialData;
Data load_data() { return load_multinomial_data(); }


// The cases of make_multinomial_options_reference.R (CASES), in its order; exclude 0-based.
Options case_options(int id, const Data& d) {
  const std::vector<double> pf{0, 1, 2, 1, 1, 0.5, 1, 1};
  Options o;
  switch (id) {
    case 1: o = multinomial_options(1.0, false); o.weights = d.w; break;
    case 2: o = multinomial_options(0.5, true); o.weights = d.w; break;
    case 3: o = multinomial_options(0.5, false); o.offset = d.offset; break;
    case 4: o = multinomial_options(1.0, true); o.offset = d.offset; break;
    case 5: o = multinomial_options(1.0, false); o.penalty_factors = pf; break;
    case 6:
      o = multinomial_options(0.5, true);
      o.penalty_factors = pf;
      o.exclude = {2, 6};
      break;
    case 7:
      o = multinomial_options(1.0, false);
      o.lower_limits = {-0.15};
      o.upper_limits = {0.25, 0.1, INFINITY, 0.2, 0.3, 0.05, 0.2, 0.3};
      break;
    case 8:
      o = multinomial_options(0.5, false);
      o.lower_limits = {-0.1};
      o.upper_limits = {0.1};
      o.weights = d.w;
      o.standardize = false;
      break;
    case 9:
      o = multinomial_options(0.7, false);
      o.weights = d.w;
      o.offset = d.offset;
      o.penalty_factors = {0.5, 1, 2, 1, 1, 0.5, 1, 1};
      o.lower_limits = {-0.3};
      o.upper_limits = {0.3};
      break;
    case 10:  // grouped with limits
      o = multinomial_options(0.5, true);
      o.lower_limits = {-0.15};
      o.upper_limits = {0.25, 0.1, INFINITY, 0.2, 0.3, 0.05, 0.2, 0.3};
      break;
    default:  // 11: grouped, lower limits of 0 among them
      o = multinomial_options(1.0, true);
      o.lower_limits = {0, -0.2, -INFINITY, 0, -0.1, -0.2, 0, -0.2};
      o.upper_limits = {0.2};
      o.weights = d.w;
      o.penalty_factors = {0.5, 1, 2, 1, 1, 0.5, 1, 1};
  }
  return o;
}

// The largest |a − b| over every intercept and coefficient of two multinomial paths, relative
// to b's largest magnitude.
double relative_difference(const Path& a, const Path& b) {
  double diff = 0, scale = 0;
  for (std::size_t k = 0; k < b.coefs.size(); ++k) {
    diff = std::max(diff, std::fabs(a.coefs[k] - b.coefs[k]));
    scale = std::max(scale, std::fabs(b.coefs[k]));
  }
  for (std::size_t k = 0; k < b.intercepts.size(); ++k) {
    diff = std::max(diff, std::fabs(a.intercepts[k] - b.intercepts[k]));
    scale = std::max(scale, std::fabs(b.intercepts[k]));
  }
  return diff / std::max(scale, 1e-300);
}

TEST(MultinomialOptions, MatchesGlmnet) {
  const Data d = load_data();
  const cli::CsvTable ref = cli::read_csv(data_path("multinom_options_ref.csv"));
  const std::size_t C = 3;
  for (int id = 1; id <= 11; ++id) {
    SCOPED_TRACE("case " + std::to_string(id));
    const std::vector<double> lam_rows = case_column(ref, id, 2);
    const std::vector<double> dev_rows = case_column(ref, id, 3);
    const double glmnet_lambda_max = case_column(ref, id, 1)[0];
    std::vector<double> lambdas;
    for (std::size_t r = 0; r < lam_rows.size(); r += C) lambdas.push_back(lam_rows[r]);
    Options o = case_options(id, d);
    // the default path: only its λ_max is compared; with an unpenalized feature (cases 5, 6)
    // it is the gradient at an iterated null model in both (5e-9 seen, case 6)
    o.nlambda = 2;
    EXPECT_NEAR(fit(d.view(), d.y.data(), o).lambda_max, glmnet_lambda_max,
                (id == 5 || id == 6 ? 2e-8 : 1e-10) * glmnet_lambda_max);
    o.lambdas = lambdas;
    const Path path = fit(d.view(), d.y.data(), o);
    ASSERT_EQ(path.nlambda(), std::int64_t(lambdas.size()));
    ASSERT_EQ(path.coefs.size(), lambdas.size() * C * std::size_t(d.p));
    for (std::size_t k = 0; k < lambdas.size(); ++k) {
      SCOPED_TRACE("lambda " + std::to_string(k));
      EXPECT_EQ(path.status[k], Status::converged);
      double diff = 0, scale = 0, a0_sum = 0;
      for (std::size_t c = 0; c < C; ++c) {
        const auto kk = std::int64_t(k), cc = std::int64_t(c);
        a0_sum += path.multinomial_intercept(kk, cc);
        for (std::size_t j = 0; j <= std::size_t(d.p); ++j) {
          const double r = case_column(ref, id, 5 + j)[k * C + c];
          const double mine = j == 0 ? path.multinomial_intercept(kk, cc)
                                     : path.multinomial_coef(std::int64_t(j - 1), kk, cc);
          diff = std::max(diff, std::fabs(mine - r));
          scale = std::max(scale, std::fabs(r));
        }
      }
      EXPECT_NEAR(a0_sum, 0.0, 1e-12);  // glmnet's coef(): centred over the classes
      EXPECT_LE(diff, 1e-5 * scale) << diff / scale;  // 1.2e-6 seen (case 10)
      EXPECT_NEAR(path.dev_ratio[k], dev_rows[k * C], 1e-6);
    }
  }
}

TEST(MultinomialOptions, LimitsHoldAndExcludedFeaturesAreZero) {
  const Data d = load_data();
  for (const int id : {7, 10, 11}) {  // ungrouped; grouped; grouped with lower limits of 0
    SCOPED_TRACE("case " + std::to_string(id));
    const Options o = case_options(id, d);
    const Path limited = fit(d.view(), d.y.data(), o);
    const auto limit = [](const std::vector<double>& v, std::int64_t j) {
      return v.size() == 1 ? v[0] : v[std::size_t(j)];
    };
    bool at_a_limit = false;
    for (std::int64_t k = 0; k < limited.nlambda(); ++k) {
      EXPECT_EQ(limited.status[std::size_t(k)], Status::converged);
      for (std::int64_t c = 0; c < 3; ++c)
        for (std::int64_t j = 0; j < d.p; ++j) {
          const double b = limited.multinomial_coef(j, k, c);
          const double lo = limit(o.lower_limits, j), up = limit(o.upper_limits, j);
          EXPECT_GE(b, lo);
          EXPECT_LE(b, up);
          at_a_limit = at_a_limit || (b != 0 && (b == lo || b == up));
        }
    }
    EXPECT_TRUE(at_a_limit);  // the limits bind somewhere: the test can fail
  }
  Options o = case_options(6, d);
  const Path excluded = fit(d.view(), d.y.data(), o);
  bool unpenalized_in = false;
  for (std::int64_t k = 0; k < excluded.nlambda(); ++k)
    for (std::int64_t c = 0; c < 3; ++c) {
      EXPECT_EQ(excluded.multinomial_coef(2, k, c), 0.0);
      EXPECT_EQ(excluded.multinomial_coef(6, k, c), 0.0);
      unpenalized_in = unpenalized_in || (k == 0 && excluded.multinomial_coef(0, k, c) != 0);
    }
  EXPECT_TRUE(unpenalized_in);  // factor 0: in the model at λ_max already
}

// Weight 2 on a row is that row twice (glmnet normalizes the weights, so the mean loss is the
// same function); weight 0 is the row left out.
TEST(MultinomialOptions, IntegerWeightsAreDuplicatedRows) {
  const Data d = load_data();
  std::vector<double> w(std::size_t(d.n));
  Data dup;
  dup.p = d.p;
  std::vector<std::int64_t> rows;
  for (std::int64_t i = 0; i < d.n; ++i) {
    w[std::size_t(i)] = double(i % 3);  // 0, 1, 2
    for (int r = 0; r < i % 3; ++r) rows.push_back(i);
  }
  dup.n = std::int64_t(rows.size());
  for (std::int64_t j = 0; j < d.p; ++j)
    for (const std::int64_t i : rows) dup.X.push_back(d.X[std::size_t(i + j * d.n)]);
  for (const std::int64_t i : rows) dup.y.push_back(d.y[std::size_t(i)]);
  for (const bool grouped : {false, true}) {
    SCOPED_TRACE(grouped ? "grouped" : "ungrouped");
    Options o = multinomial_options(0.5, grouped);
    o.nlambda = 12;
    const Path plain = fit(dup.view(), dup.y.data(), o);
    o.weights = w;
    const Path weighted = fit(d.view(), d.y.data(), o);
    ASSERT_EQ(weighted.lambdas.size(), plain.lambdas.size());
    for (std::size_t k = 0; k < plain.lambdas.size(); ++k)
      EXPECT_NEAR(weighted.lambdas[k], plain.lambdas[k], 1e-12 * plain.lambdas[k]);
    EXPECT_LE(relative_difference(weighted, plain), 1e-8);
  }
}

// o_ic = δ_c for every row: η_ic = (a_c + δ_c) + x_iᵀβ_c, so the fit is the fit without the
// offset with intercepts a_c − δ_c (then centred over the classes).
TEST(MultinomialOptions, ConstantOffsetMovesOnlyTheIntercepts) {
  const Data d = load_data();
  const double delta[3] = {0.7, -0.4, 0.2};
  Options o = multinomial_options(1.0, false);
  o.nlambda = 10;
  const Path plain = fit(d.view(), d.y.data(), o);
  o.offset.resize(std::size_t(3 * d.n));
  for (std::int64_t c = 0; c < 3; ++c)
    for (std::int64_t i = 0; i < d.n; ++i) o.offset[std::size_t(i + c * d.n)] = delta[c];
  const Path shifted = fit(d.view(), d.y.data(), o);
  Path expected = plain;
  const double mean = (delta[0] + delta[1] + delta[2]) / 3;
  for (std::int64_t k = 0; k < plain.nlambda(); ++k)
    for (std::int64_t c = 0; c < 3; ++c)
      expected.intercepts[std::size_t(c + 3 * k)] -= delta[c] - mean;
  EXPECT_NEAR(shifted.lambda_max, plain.lambda_max, 1e-9 * plain.lambda_max);
  EXPECT_LE(relative_difference(shifted, expected), 1e-8);
}

std::string message_of(const Data& d, const Options& o) {
  try {
    fit(d.view(), d.y.data(), o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(MultinomialOptions, BadOptionsAreRefusedByName) {
  const Data d = load_data();
  Options o = multinomial_options(1.0, false);
  o.offset.assign(std::size_t(d.n), 0.5);
  EXPECT_NE(message_of(d, o).find("would cancel in the softmax"), std::string::npos)
      << message_of(d, o);
  o.offset.assign(std::size_t(3 * d.n), 0.0);
  o.offset[std::size_t(d.n + 4)] = NAN;
  EXPECT_NE(message_of(d, o).find("row 5, class 1"), std::string::npos) << message_of(d, o);
  o = multinomial_options(1.0, false);
  o.weights.assign(std::size_t(d.n), 1.0);
  for (std::int64_t i = 0; i < d.n; ++i)
    if (d.y[std::size_t(i)] == 2) o.weights[std::size_t(i)] = 0;
  EXPECT_NE(message_of(d, o).find("every row of class 2 has weight 0"), std::string::npos)
      << message_of(d, o);
  o = multinomial_options(1.0, false);
  o.penalty_factors = {1, 2};
  EXPECT_NE(message_of(d, o).find("2 values for 8 features"), std::string::npos)
      << message_of(d, o);
}

// regpath fit --family multinomial with --weights FILE, --offset O0,O1,O2 (columns of DATA),
// --penalty-factor and --exclude: the library's numbers.
TEST(MultinomialOptionsCli, FitTakesTheOptions) {
  const Data d = load_data();
  std::string csv = "label";
  for (std::int64_t j = 0; j < d.p; ++j) csv += ",x" + std::to_string(j + 1);
  csv += ",o0,o1,o2\n";
  std::string weights;
  for (std::int64_t i = 0; i < d.n; ++i) {
    csv += cli::format_number(d.y[std::size_t(i)]);
    for (std::int64_t j = 0; j < d.p; ++j)
      csv += "," + cli::format_number(d.X[std::size_t(i + j * d.n)]);
    for (std::int64_t c = 0; c < 3; ++c)
      csv += "," + cli::format_number(d.offset[std::size_t(i + c * d.n)]);
    csv += "\n";
    weights += cli::format_number(d.w[std::size_t(i)]) + "\n";
  }
  const std::string data = temp_file("data.csv", csv), out = temp_path("path.csv");
  const std::string w_file = temp_file("w.txt", weights);
  const CliRun r = run_cli("fit " + data + " --response label --family multinomial --weights " +
                           w_file + " --offset o0,o1,o2 --penalty-factor x1=0,x3=2 --exclude x7" +
                           " --lambda 0.05,0.01 --tol 1e-12 --output " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  const cli::CsvTable got = cli::read_csv(out);
  ASSERT_EQ(got.rows(), 6u);
  Options o = multinomial_options(1.0, false);
  o.weights = d.w;
  o.offset = d.offset;
  o.penalty_factors = {0, 1, 2, 1, 1, 1, 1, 1};
  o.exclude = {6};
  o.lambdas = {0.05, 0.01};
  const Path lib = fit(d.view(), d.y.data(), o);
  for (std::size_t row = 0; row < 6; ++row) {
    const std::int64_t k = std::int64_t(row / 3), c = std::int64_t(row % 3);
    EXPECT_EQ(got.columns[0][row], lib.lambdas[std::size_t(k)]);
    EXPECT_NEAR(got.columns[2][row], lib.multinomial_intercept(k, c), 1e-12);
    for (std::int64_t j = 0; j < d.p; ++j)
      EXPECT_NEAR(got.columns[std::size_t(3 + j)][row], lib.multinomial_coef(j, k, c), 1e-12);
  }
  const CliRun bad = run_cli("fit " + data + " --response label --family multinomial --offset " +
                             "o0,o1 --output " + out);
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.err.find("n × C"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace regpath::test
