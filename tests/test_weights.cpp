// glmnet's observation weights (Options::weights) for the gaussian family, against R glmnet 4.1
// (scripts/make_weights_reference.R): coefficients, intercepts and dev.ratio at glmnet's λ list
// and the automatic path's λ_max, with and without standardization and intercept, at α = 1 and
// ½. Also what follows from the definition, independently of glmnet: weights of 1 are the
// unweighted fit, a zero weight leaves its row out, an integer weight repeats its row, only the
// weights' ratios matter (also for the weighted AUC, cv.glmnet's); and the bad arguments. CPU
// float64 (the transformation is on the host; the solve is the engine's, tested elsewhere on
// every backend).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "api/cv_runs.hpp"
#include "api/weighted_auc.hpp"
#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "reference_data.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

std::vector<double> reference_weights() {
  return cli::read_csv(data_path("weights_gauss.csv")).columns[0];
}

Options base_options() {
  Options o;
  o.device = Device::cpu;
  o.tol = 1e-13;
  return o;
}

// The largest |a − b| over intercepts and coefficients at each λ, relative to b's largest.
double path_distance(const Path& a, const Path& b) {
  double worst = 0;
  for (std::int64_t k = 0; k < b.nlambda(); ++k) {
    double scale = std::fabs(b.intercepts[std::size_t(k)]), diff = 0;
    diff = std::fabs(a.intercepts[std::size_t(k)] - b.intercepts[std::size_t(k)]);
    for (std::int64_t j = 0; j < b.n_features; ++j) {
      scale = std::max(scale, std::fabs(b.coef(j, k)));
      diff = std::max(diff, std::fabs(a.coef(j, k) - b.coef(j, k)));
    }
    worst = std::max(worst, diff / std::max(scale, 1e-300));
  }
  return worst;
}

TEST(ObservationWeights, AgainstGlmnet) {
  const Problem pr = load_problem("penalty_gauss");
  const std::vector<double> w = reference_weights();
  ASSERT_EQ(std::int64_t(w.size()), pr.n);
  const cli::CsvTable ref = cli::read_csv(data_path("weights_ref_gauss.csv"));
  for (int id = 1; id <= 5; ++id) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < ref.rows(); ++i)
      if (int(ref.columns[0][i]) == id) rows.push_back(i);
    ASSERT_GE(rows.size(), 5u) << "case " << id;
    Options o = base_options();
    o.alpha = ref.columns[1][rows[0]];
    o.standardize = ref.columns[2][rows[0]] != 0;
    o.intercept = ref.columns[3][rows[0]] != 0;
    o.glmnet_y_scaling = true;  // glmnet's sd(y) scaling (the weighted one), for α < 1
    o.weights = w;
    if (id == 5)
      for (double& v : o.weights) v *= 3;
    for (const std::size_t i : rows) o.lambdas.push_back(ref.columns[4][i]);
    const std::string where = "case " + std::to_string(id);
    const Path path = fit(pr.view(), pr.y.data(), o);
    ASSERT_EQ(path.nlambda(), std::int64_t(rows.size())) << where;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::size_t i = rows[k];
      EXPECT_EQ(path.status[k], Status::converged) << where;
      const ReferenceDifference d = reference_difference(path, std::int64_t(k), ref, i);
      EXPECT_LE(d.diff, 1e-6 * d.scale) << where << " lambda " << path.lambdas[k];
      EXPECT_NEAR(path.dev_ratio[k], ref.columns[5][i], 1e-7) << where << " lambda " << k;
    }
    // glmnet's weighted λ_max: the first λ of its automatic path
    Options automatic = o;
    automatic.lambdas.clear();
    automatic.nlambda = 3;
    const Path a = fit(pr.view(), pr.y.data(), automatic);
    EXPECT_NEAR(a.lambdas[0], ref.columns[4][rows[0]], 1e-10 * ref.columns[4][rows[0]]) << where;
  }
}

// What the definition implies: weights of 1 are no weights; a weight of 0 removes the row; a
// weight of 2 counts the row twice (the design with that row duplicated); only ratios matter.
TEST(ObservationWeights, FollowFromTheDefinition) {
  const Problem pr = random_problem(40, 6, 0.3, 11);
  for (const bool standardize : {true, false}) {
    Options o = base_options();
    o.alpha = 0.7;
    o.standardize = standardize;
    o.lambdas = {0.5, 0.1, 0.02};
    const Path plain = fit(pr.view(), pr.y.data(), o);
    o.weights.assign(std::size_t(pr.n), 1.0);
    EXPECT_LE(path_distance(fit(pr.view(), pr.y.data(), o), plain), 1e-9);
    for (double& v : o.weights) v = 4.5;
    EXPECT_LE(path_distance(fit(pr.view(), pr.y.data(), o), plain), 1e-9);

    // rows 0..9 weighted 0 / rows 10..19 weighted 2 against the data without rows 0..9 and with
    // rows 10..19 twice
    Problem edited;
    edited.p = pr.p;
    std::vector<std::int64_t> keep;
    for (std::int64_t i = 10; i < pr.n; ++i) keep.push_back(i);
    for (std::int64_t i = 10; i < 20; ++i) keep.push_back(i);
    edited.n = std::int64_t(keep.size());
    for (std::int64_t j = 0; j < pr.p; ++j)
      for (const std::int64_t i : keep) edited.X.push_back(pr.X[std::size_t(i + j * pr.n)]);
    for (const std::int64_t i : keep) edited.y.push_back(pr.y[std::size_t(i)]);
    Options unweighted = o;
    unweighted.weights.clear();
    const Path want = fit(edited.view(), edited.y.data(), unweighted);
    for (std::int64_t i = 0; i < pr.n; ++i) o.weights[std::size_t(i)] = i < 10 ? 0 : i < 20 ? 2 : 1;
    const Path got = fit(pr.view(), pr.y.data(), o);
    EXPECT_LE(path_distance(got, want), 1e-9) << (standardize ? "standardized" : "raw");
    for (std::size_t k = 0; k < got.dev_ratio.size(); ++k)
      EXPECT_NEAR(got.dev_ratio[k], want.dev_ratio[k], 1e-10);
  }
}

TEST(ObservationWeights, BadArguments) {
  Problem pr = random_problem(12, 3, 0.3, 4);
  for (double& v : pr.y) v = std::fabs(v);  // a valid response for poisson too
  const auto expect_error = [&](Options o, const std::string& text, bool cv = false) {
    try {
      if (cv)
        (void)cross_validate(pr.view(), pr.y.data(), o, CvOptions{});
      else
        (void)fit(pr.view(), pr.y.data(), o);
      ADD_FAILURE() << "no error; expected one with '" << text << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  Options o = base_options();
  o.nlambda = 4;
  o.weights.assign(11, 1.0);
  expect_error(o, "11 values for 12 rows");
  o.weights.assign(12, 1.0);
  o.weights[3] = -1;
  expect_error(o, "invalid weights[3] = -1");
  o.weights[3] = std::nan("");
  expect_error(o, "invalid weights[3] = nan");
  o.weights.assign(12, 0.0);
  expect_error(o, "every weight is 0");
  // cv (foldid 1 1 1 1 2 2 2 2 3 3 3 3 below): a fold whose training rows, or whose held-out rows,
  // all weigh 0
  CvOptions folds;
  for (int i = 0; i < 12; ++i) folds.foldid.push_back(1 + i / 4);
  const auto expect_cv_error = [&](const Options& with, const std::string& text) {
    try {
      (void)cross_validate(pr.view(), pr.y.data(), with, folds);
      ADD_FAILURE() << "no error; expected one with '" << text << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  for (int i = 0; i < 12; ++i) o.weights[std::size_t(i)] = i < 4 ? 1.0 : 0.0;
  expect_cv_error(o, "fold 1's training rows (all rows outside the fold) all have weight 0");
  for (int i = 0; i < 12; ++i) o.weights[std::size_t(i)] = i < 4 ? 0.0 : 1.0;
  expect_cv_error(o, "fold 1's held-out rows all have weight 0");
  o.weights.assign(12, 1.0);
  o.weights[5] = -1;
  try {  // several responses: the options' error, not one response's
    const MatrixView<double> Y{pr.y.data(), pr.n, 1, pr.n};
    (void)cross_validate(pr.view(), Y, o, CvOptions{});
    ADD_FAILURE() << "no error for weights in cv with several responses";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).rfind("invalid weights[5] = -1", 0), 0u) << e.what();
  }
}

// regpath fit --weights FILE: case 1 of the reference through the CLI, and a bad file named.
TEST(ObservationWeights, Cli) {
  const cli::CsvTable ref = cli::read_csv(data_path("weights_ref_gauss.csv"));
  std::string lambdas;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < ref.rows(); ++i)
    if (int(ref.columns[0][i]) == 1) {
      rows.push_back(i);
      lambdas += (lambdas.empty() ? "" : ",") + cli::format_number(ref.columns[4][i]);
    }
  const std::string out = temp_path("path.csv");
  const std::string data = data_path("penalty_gauss.csv");
  const CliRun r = run_cli("fit " + data + " --response y --tol 1e-13 --device cpu --quiet" +
                           " --weights " + data_path("weights_gauss.csv") + " --lambda " +
                           lambdas + " --output " + out);
  ASSERT_EQ(r.status, 0) << r.all();
  const cli::CsvTable t = cli::read_csv(out);  // lambda, intercept, x1..x10
  ASSERT_EQ(t.rows(), rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    double scale = 0, diff = 0;
    for (std::size_t j = 0; j < 11; ++j) {  // a0, b1..b10
      const double theirs = ref.columns[6 + j][rows[k]];
      scale = std::max(scale, std::fabs(theirs));
      diff = std::max(diff, std::fabs(t.columns[1 + j][k] - theirs));
    }
    EXPECT_LE(diff, 1e-6 * scale) << "lambda " << t.columns[0][k];
  }
  std::string bad = "w\n";
  for (int i = 0; i < 120; ++i) bad += i == 7 ? "-2\n" : "1\n";
  const std::string file = temp_file("bad_weights.csv", bad);
  const CliRun e = run_cli("fit " + data + " --response y --weights " + file + " --output " + out);
  EXPECT_EQ(e.status, 1) << e.all();
  EXPECT_TRUE(contains(e.err, file) && contains(e.err, "invalid weights[7] = -2") &&
              contains(e.err, "row 8")) << e.err;
  const std::string short_file = temp_file("short_weights.csv", "w\n1\n2\n");
  const CliRun s = run_cli("fit " + data + " --response y --weights " + short_file +
                           " --output " + out);
  EXPECT_EQ(s.status, 1) << s.all();
  EXPECT_TRUE(contains(s.err, short_file) && contains(s.err, "2 values for 120 rows")) << s.err;
}

// The weighted AUC (cv.glmnet's auc(y, prob, w), ties ½): an integer weight repeats its row, a
// zero weight leaves it out, only the weights' ratios matter; weights of 1 count ranked pairs.
TEST(ObservationWeights, WeightedAucIsTheAucOfRepeatedRows) {
  const std::vector<double> eta = {0.3, -1.2, 0.3, 2.0, 0.7, -0.4, 0.7, 1.1, -2.0, 0.3};
  const std::vector<int> cls = {1, 0, 0, 1, 0, 1, 1, 0, 0, 1};
  const std::vector<double> w = {2, 1, 3, 0, 1, 2, 1, 4, 1, 1};
  std::vector<detail::ScoredRow> weighted, repeated, scaled;
  for (std::size_t i = 0; i < eta.size(); ++i) {
    weighted.push_back({eta[i], cls[i], w[i]});
    scaled.push_back({eta[i], cls[i], 2.5 * w[i]});
    for (int r = 0; r < int(w[i]); ++r) repeated.push_back({eta[i], cls[i], 1.0});
  }
  const detail::RankedAuc a = detail::ranked_auc(weighted), b = detail::ranked_auc(repeated),
                          c = detail::ranked_auc(scaled);
  EXPECT_NEAR(a.auc, b.auc, 1e-15);
  EXPECT_NEAR(a.auc, c.auc, 1e-15);
  EXPECT_DOUBLE_EQ(a.weight0, b.weight0);
  EXPECT_DOUBLE_EQ(a.weight1, b.weight1);
  // by the definition on the repeated rows: pairs (1, 0) with η₁ > η₀, ties ½
  double pairs = 0, n0 = 0, n1 = 0;
  for (const auto& p : repeated) (p.cls ? n1 : n0) += 1;
  for (const auto& p : repeated)
    for (const auto& q : repeated)
      if (p.cls == 1 && q.cls == 0) pairs += p.eta > q.eta ? 1.0 : p.eta == q.eta ? 0.5 : 0.0;
  EXPECT_NEAR(b.auc, pairs / (n0 * n1), 1e-15);
}

// cv.glmnet's weighted cvm and cvsd from its folds' weighted mean errors and weight sums (R's
// fit.preval, scripts/make_weights_reference.R), by summarize with the weight sums as the folds'
// sizes: the aggregation weighted cv needs, gaussian mse (1) and mae (2).
TEST(ObservationWeights, CvSummaryWithFoldWeightSumsIsCvGlmnets) {
  const cli::CsvTable folds = cli::read_csv(data_path("weights_cv_folds.csv"));
  const cli::CsvTable cv = cli::read_csv(data_path("weights_cv.csv"));
  for (const double measure : {1.0, 2.0}) {
    CvCurve c;
    std::vector<double> cvm, cvsd;
    for (std::size_t r = 0; r < cv.rows(); ++r)
      if (cv.columns[0][r] == 1 && cv.columns[1][r] == measure) {
        c.lambdas.push_back(cv.columns[2][r]);
        cvm.push_back(cv.columns[3][r]);
        cvsd.push_back(cv.columns[4][r]);
      }
    std::vector<std::vector<double>> fold_error;
    std::vector<double> fold_weight;
    for (std::size_t r = 0; r < folds.rows(); ++r) {
      if (folds.columns[0][r] != measure) continue;
      const auto f = std::size_t(folds.columns[1][r]) - 1;
      if (f >= fold_error.size()) fold_error.resize(f + 1), fold_weight.resize(f + 1);
      fold_weight[f] = folds.columns[2][r];
      fold_error[f].push_back(folds.columns[4][r]);
    }
    ASSERT_FALSE(c.lambdas.empty());
    ASSERT_EQ(fold_error.size(), 5u);
    for (const auto& e : fold_error) ASSERT_EQ(e.size(), c.lambdas.size());
    detail::summarize(c, fold_error, fold_weight);
    for (std::size_t k = 0; k < cvm.size(); ++k) {
      EXPECT_NEAR(c.cvm[k], cvm[k], 1e-12 * std::fabs(cvm[k])) << "measure " << measure << " " << k;
      EXPECT_NEAR(c.cvsd[k], cvsd[k], 1e-12 * std::fabs(cvsd[k])) << "measure " << measure;
    }
  }
}

}  // namespace
}  // namespace regpath::test
