// `regpath fit|cv --penalty-factor ... --exclude ...`: glmnet's numbers through the CLI (the
// reference of scripts/make_penalty_reference.R), and the flags' bad input, each a usage error
// naming the flag and the feature.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "reference_data.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

const std::string kGauss = data_path("penalty_gauss.csv");

std::string joined(const std::vector<double>& v) {
  std::string s;
  for (const double x : v) s += (s.empty() ? "" : ",") + cli::format_number(x);
  return s;
}

// Case 2 of the reference (α = 1; factors, x3 and x7 excluded) by name and by position.
TEST(PenaltyCli, FitMatchesGlmnet) {
  const cli::CsvTable cases = cli::read_csv(data_path("penalty_cases_gauss.csv"));
  const cli::CsvTable ref = cli::read_csv(data_path("penalty_ref_gauss.csv"));
  std::vector<double> w, lambdas;
  for (std::size_t j = 0; j < 10; ++j) w.push_back(cases.columns[2 + j][1]);
  std::vector<std::vector<double>> coefs;
  for (std::size_t i = 0; i < ref.rows(); ++i)
    if (int(ref.columns[0][i]) == 2) {
      lambdas.push_back(ref.columns[1][i]);
      std::vector<double> row;
      for (std::size_t j = 2; j < ref.cols(); ++j) row.push_back(ref.columns[j][i]);
      coefs.push_back(row);
    }
  ASSERT_EQ(int(cases.columns[0][1]), 2);
  std::string named;
  for (std::size_t j = 0; j < w.size(); ++j)
    if (j != 2 && j != 6)
      named += (named.empty() ? "x" : ",x") + std::to_string(j + 1) + "=" + cli::format_number(w[j]);
  for (const std::string& factors : {joined(w), named}) {
    const std::string out = temp_path("path.csv");
    const CliRun r = run_cli("fit " + kGauss + " --response y --glmnet-y-scaling --tol 1e-12" +
                             " --penalty-factor " + factors + " --exclude x3,x7 --lambda " +
                             joined(lambdas) + " --output " + out + " --quiet");
    ASSERT_EQ(r.status, 0) << r.all();
    const cli::CsvTable t = cli::read_csv(out);
    ASSERT_EQ(t.rows(), lambdas.size());
    for (std::size_t k = 0; k < t.rows(); ++k) {
      double scale = 0, diff = 0;
      for (std::size_t j = 1; j < t.cols(); ++j) {  // intercept, x1..x10
        scale = std::max(scale, std::fabs(coefs[k][j - 1]));
        diff = std::max(diff, std::fabs(t.columns[j][k] - coefs[k][j - 1]));
      }
      EXPECT_LE(diff, 5e-4 * scale) << factors << " at lambda " << lambdas[k];
      EXPECT_EQ(t.columns[4][k], 0.0);  // x3 (columns: lambda, intercept, x1, ...)
      EXPECT_EQ(t.columns[8][k], 0.0);  // x7
    }
  }
}

// Case 11 (α = 1; x1 and x4 unpenalized): the automatic path starts at the exact λ_max (the
// reference's least-squares one) with x1 and x4 in the model and every other feature at 0.
TEST(PenaltyCli, UnpenalizedFeaturesStartThePath) {
  const cli::CsvTable cases = cli::read_csv(data_path("penalty_cases_gauss.csv"));
  const cli::CsvTable exact = cli::read_csv(data_path("penalty_lambda_max_gauss.csv"));
  std::size_t row = 0;
  while (row < cases.rows() && int(cases.columns[0][row]) != 11) ++row;
  ASSERT_LT(row, cases.rows());
  ASSERT_EQ(int(exact.columns[0][0]), 11);
  std::vector<double> w;
  for (std::size_t j = 0; j < 10; ++j) w.push_back(cases.columns[2 + j][row]);
  ASSERT_EQ(w[0], 0.0);
  ASSERT_EQ(w[3], 0.0);
  const std::string out = temp_path("path.csv");
  const CliRun r = run_cli("fit " + kGauss + " --response y --glmnet-y-scaling --nlambda 5" +
                           " --penalty-factor " + joined(w) + " --output " + out + " --quiet");
  ASSERT_EQ(r.status, 0) << r.all();
  const cli::CsvTable t = cli::read_csv(out);  // lambda, intercept, x1..x10
  ASSERT_EQ(t.rows(), 5u);
  EXPECT_NEAR(t.columns[0][0], exact.columns[1][0], 1e-12 * exact.columns[1][0]);
  for (std::size_t j = 0; j < 10; ++j) {
    if (j == 0 || j == 3)
      EXPECT_NE(t.columns[2 + j][0], 0.0) << "x" << j + 1 << " is unpenalized";
    else
      EXPECT_EQ(t.columns[2 + j][0], 0.0) << "x" << j + 1 << " at lambda_max";
  }
}

TEST(PenaltyCli, CvAcceptsTheFlags) {
  const std::string out = temp_path("cv.csv");
  const CliRun r = run_cli("cv " + data_path("penalty_binom.csv") +
                           " --response y --family binomial --nfolds 4 --nlambda 10"
                           " --penalty-factor x1=3,x2=0.5 --exclude x5 --output " + out +
                           " --quiet");
  ASSERT_EQ(r.status, 0) << r.all();
  EXPECT_TRUE(contains(r.out, "lambda.min")) << r.all();
}

// --lower-limits / --upper-limits in their three forms reach the library as Options do.
TEST(PenaltyCli, LimitsAsTheLibraryHasThem) {
  const Problem pr = load_problem("penalty_gauss");
  const struct {
    std::string flags;
    std::vector<double> lower, upper;
  } cases[] = {
      {"--lower-limits 0", {0.0}, {}},
      {"--lower-limits -0.3 --upper-limits x1=0.4,x6=0.4", {-0.3},
       {0.4, INFINITY, INFINITY, INFINITY, INFINITY, 0.4, INFINITY, INFINITY, INFINITY, INFINITY}},
      {"--upper-limits 1,inf,1,inf,1,inf,1,inf,0.2,inf", {},
       {1, INFINITY, 1, INFINITY, 1, INFINITY, 1, INFINITY, 0.2, INFINITY}},
  };
  for (const auto& c : cases) {
    const std::string out = temp_path("limits.csv");
    const CliRun r = run_cli("fit " + kGauss + " --response y --nlambda 8 " + c.flags +
                             " --output " + out + " --quiet");
    ASSERT_EQ(r.status, 0) << c.flags << ": " << r.all();
    Options o;
    o.nlambda = 8;
    o.lower_limits = c.lower;
    o.upper_limits = c.upper;
    const Path ref = fit(pr.view(), pr.y.data(), o);
    const cli::CsvTable t = cli::read_csv(out);
    ASSERT_EQ(std::int64_t(t.rows()), ref.nlambda()) << c.flags;
    for (std::int64_t k = 0; k < ref.nlambda(); ++k)
      for (std::int64_t j = 0; j < pr.p; ++j)
        EXPECT_EQ(t.columns[std::size_t(2 + j)][std::size_t(k)], ref.coef(j, k)) << c.flags;
  }
}

// Binomial and poisson with an unpenalized feature (scripts/make_glm_penalty_reference.R, case
// 1: α = 1, x1's factor 0): `regpath fit --family F --penalty-factor ...` on glmnet's λ list
// gives glmnet's coefficients, x1 in every model.
TEST(PenaltyCli, GlmUnpenalizedFeatureMatchesGlmnet) {
  for (const std::string problem : {"binom", "pois"}) {
    const cli::CsvTable data = cli::read_csv(data_path("glm_zero_" + problem + ".csv"));
    const cli::CsvTable cases = cli::read_csv(data_path("glm_zero_cases_" + problem + ".csv"));
    const cli::CsvTable ref = cli::read_csv(data_path("glm_zero_ref_" + problem + ".csv"));
    const std::size_t p = data.cols() - 3;  // x1..xp, y, weight, offset
    ASSERT_EQ(int(cases.columns[0][0]), 1);
    std::vector<double> w;
    for (std::size_t j = 0; j < p; ++j) w.push_back(cases.columns[3 + j][0]);
    ASSERT_EQ(w[0], 0.0);
    std::string csv = "x1";  // the features and y alone
    for (std::size_t j = 1; j < p; ++j) csv += ",x" + std::to_string(j + 1);
    csv += ",y\n";
    for (std::size_t i = 0; i < data.rows(); ++i) {
      for (std::size_t j = 0; j <= p; ++j)
        csv += (j ? "," : "") + cli::format_number(data.columns[j][i]);
      csv += "\n";
    }
    const std::vector<double> lambdas = case_column(ref, 1, 1);
    const std::string out = temp_path("glm_zero_path.csv");
    const CliRun r = run_cli("fit " + temp_file("glm_zero_" + problem + ".csv", csv) +
                             " --response y --family " +
                             (problem == "binom" ? "binomial" : "poisson") + " --tol 1e-12" +
                             " --penalty-factor " + joined(w) + " --lambda " + joined(lambdas) +
                             " --output " + out + " --quiet");
    ASSERT_EQ(r.status, 0) << r.all();
    const cli::CsvTable t = cli::read_csv(out);  // lambda, intercept, x1..xp
    ASSERT_EQ(t.rows(), lambdas.size());
    for (std::size_t k = 0; k < t.rows(); ++k) {
      double scale = 0, diff = 0;
      for (std::size_t j = 1; j < t.cols(); ++j) {
        const double theirs = case_column(ref, 1, 2 + j)[k];  // a0, b1..bp
        scale = std::max(scale, std::fabs(theirs));
        diff = std::max(diff, std::fabs(t.columns[j][k] - theirs));
      }
      EXPECT_LE(diff, 1e-5 * scale) << problem << " at lambda " << lambdas[k];
      EXPECT_NE(t.columns[2][k], 0.0) << problem << ": x1 unpenalized";
    }
  }
}

TEST(PenaltyCli, BadFlagsNameWhatIsWrong) {
  const std::string out = temp_path("bad.csv");
  const auto run = [&](const std::string& flags) {
    return run_cli("fit " + kGauss + " --response y " + flags + " --output " + out);
  };
  const struct {
    std::string flags, message;
  } cases[] = {
      {"--penalty-factor x11=2", "--penalty-factor: 'x11' is not a feature of the data"},
      {"--penalty-factor 1,2,3", "--penalty-factor: 3 values for 10 features"},
      {"--penalty-factor x4=-1", "penalty_factors[3] = -1"},
      {"--penalty-factor x4=-1", "(feature 'x4')"},
      {"--penalty-factor x4=abc", "--penalty-factor"},
      {"--penalty-factor x4=1,x4=2", "'x4' is given twice"},
      {"--penalty-factor x4=1,,x5=2", "empty item"},
      {"--penalty-factor =2", "is not NAME=W"},
      {"--exclude x1,y", "--exclude: 'y' is not a feature of the data"},
      {"--exclude x1,x2,x3,x4,x5,x6,x7,x8,x9,x10", "every feature is excluded"},
      {"--lower-limits 0.1", "lower_limits[0] = 0.1"},
      {"--lower-limits x2=0.5", "(feature 'x2')"},
      {"--upper-limits -1", "upper limits must be ≥ 0"},
      {"--upper-limits 1,2", "--upper-limits: 2 values for 10 features"},
      {"--upper-limits x99=1", "'x99' is not a feature of the data"},
      {"--lower-limits x1=-1,x1=-2", "'x1' is given twice"},
  };
  for (const auto& c : cases) {
    const CliRun r = run(c.flags);
    EXPECT_NE(r.status, 0) << c.flags;
    EXPECT_TRUE(contains(r.err, c.message)) << c.flags << ": " << r.err;
  }
}

}  // namespace
}  // namespace regpath::test
