// The λ grid: glmnet's λ_max and default path, user lists.
#include <gtest/gtest.h>

#include <cmath>

#include "core/path/lambda_grid.hpp"
#include "reference_data.hpp"
#include "test_support.hpp"

namespace regpath {
namespace {

TEST(LambdaGrid, LogSpacedEndsAndRatios) {
  const auto path = log_spaced_path(2.0, 5, 1e-4);
  ASSERT_EQ(path.size(), 5u);
  EXPECT_DOUBLE_EQ(path.front(), 2.0);
  EXPECT_NEAR(path.back(), 2e-4, 1e-18);
  for (std::size_t k = 1; k < path.size(); ++k) EXPECT_NEAR(path[k] / path[k - 1], 0.1, 1e-14);
  EXPECT_EQ(log_spaced_path(3.0, 1, 0.5), std::vector<double>{3.0});
}

TEST(LambdaGrid, DefaultMinRatioFollowsGlmnet) {
  EXPECT_EQ(default_lambda_min_ratio(100, 10), 1e-4);
  EXPECT_EQ(default_lambda_min_ratio(10, 10), 1e-4);  // glmnet: nobs < nvars ? 1e-2 : 1e-4
  EXPECT_EQ(default_lambda_min_ratio(10, 100), 1e-2);
}

TEST(LambdaGrid, LambdaMaxUsesAlphaFloor) {
  const double c[] = {0.5, -2.0, 1.0};
  EXPECT_DOUBLE_EQ(lambda_max_from_correlations(c, 3, 1.0), 2.0);
  EXPECT_DOUBLE_EQ(lambda_max_from_correlations(c, 3, 0.5), 4.0);
  EXPECT_DOUBLE_EQ(lambda_max_from_correlations(c, 3, 0.0), 2000.0);
  EXPECT_DOUBLE_EQ(lambda_max_from_correlations(c, 3, 1e-4), 2000.0);
}

TEST(LambdaGrid, UserListSortedDescending) {
  EXPECT_EQ(sorted_descending({0.1, 1.0, 0.5, 0.5}), (std::vector<double>{1.0, 0.5, 0.5, 0.1}));
}

// The default path of `family` on tests/data/<data>.csv equals glmnet's, read from
// tests/data/<file> (glmnet may stop early: compare its prefix), to 1e-9; returns the groups.
int expect_default_paths_equal_glmnets(Family family, const std::string& data,
                                       const std::string& file) {
  int compared = 0;
  const test::Problem pr = test::load_problem(data);
  for (const auto& g : test::load_groups(file)) {
    Options o;
    o.family = family;
    o.alpha = g.alpha;
    o.standardize = g.standardize;
    o.intercept = g.intercept;
    o.device = Device::cpu;
    o.max_iter = 1;  // only the grid is under test
    const Path path = fit(pr.view(), pr.y.data(), o);
    EXPECT_EQ(path.nlambda(), 100);
    EXPECT_LE(g.lambdas.size(), 100u);
    if (path.nlambda() != 100 || g.lambdas.size() > 100u) continue;
    const std::vector<double> prefix(path.lambdas.begin(),
                                     path.lambdas.begin() + std::ptrdiff_t(g.lambdas.size()));
    EXPECT_TRUE(test::all_near(prefix, g.lambdas, 1e-9, 0, g.label(data)));
    ++compared;
  }
  return compared;
}

TEST(LambdaGrid, DefaultPathEqualsGlmnet) {
  int compared = 0;
  for (const std::string problem : {"tall", "wide", "diabetes_std"})
    compared += expect_default_paths_equal_glmnets(Family::gaussian, problem,
                                                   "ref_" + problem + "_glmnet_default_lambda.csv");
  EXPECT_GE(compared, 12);
}

// The same for the binomial family: glmnet's default logistic sequences (λ_max from the
// gradient at the intercept-only model, 1e-4 or 1e-2 below it) on n > p and p > n data.
TEST(LambdaGrid, BinomialDefaultPathEqualsGlmnets) {
  int compared = 0;
  for (const std::string problem : {"tall", "wide"})
    compared += expect_default_paths_equal_glmnets(
        Family::binomial, "binom_" + problem, "binom_ref_" + problem + "_glmnet_default_lambda.csv");
  EXPECT_EQ(compared, 18);
}

}  // namespace
}  // namespace regpath
