// Reads the committed reference files under tests/data (made by scripts/make_reference_data.sh
// from scikit-learn and R glmnet; see that script for how).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "cli/csv_table.hpp"
#include "test_locations.hpp"
#include "test_support.hpp"

namespace regpath::test {

inline std::string data_path(const std::string& file) {
  return test_data_dir() + "/" + file;
}

// tests/data/<name>.csv: features x1..xp, then the response y.
inline Problem load_problem(const std::string& name) {
  const cli::CsvTable t = cli::read_csv(data_path(name + ".csv"));
  Problem pr;
  pr.n = static_cast<std::int64_t>(t.rows());
  pr.p = static_cast<std::int64_t>(t.cols()) - 1;
  for (std::size_t j = 0; j + 1 < t.cols(); ++j)
    pr.X.insert(pr.X.end(), t.columns[j].begin(), t.columns[j].end());
  pr.y = t.columns.back();
  return pr;
}

// Column k of the rows of a long-format reference table whose first column (a case id) is `id`.
inline std::vector<double> case_column(const cli::CsvTable& t, int id, std::size_t k) {
  std::vector<double> v;
  for (std::size_t i = 0; i < t.rows(); ++i)
    if (int(t.columns[0][i]) == id) v.push_back(t.columns[k][i]);
  return v;
}

// How far λ k of `path` (its intercept, then its p coefficients) is from row i of a glmnet
// reference table holding the intercept in column 6 and the coefficients after it (the layout of
// make_weights_reference.R and make_offset_reference.R), and the largest of those reference
// magnitudes, for a relative tolerance: EXPECT_LE(d.diff, tol * d.scale).
struct ReferenceDifference {
  double diff = 0, scale = 0;
};
inline ReferenceDifference reference_difference(const Path& path, std::int64_t k,
                                                const cli::CsvTable& ref, std::size_t i) {
  constexpr std::size_t kIntercept = 6;
  ReferenceDifference d;
  d.scale = std::fabs(ref.columns[kIntercept][i]);
  d.diff = std::fabs(path.intercepts[std::size_t(k)] - ref.columns[kIntercept][i]);
  for (std::int64_t j = 0; j < path.n_features; ++j) {
    const double theirs = ref.columns[kIntercept + 1 + std::size_t(j)][i];
    d.scale = std::max(d.scale, std::fabs(theirs));
    d.diff = std::max(d.diff, std::fabs(path.coef(j, k) - theirs));
  }
  return d;
}

// One cv.glmnet curve of a reference table of rows (family, measure, lambda, cvm, cvsd, ...):
// make_weights_reference.R's weights_cv.csv and make_offset_reference.R's offset_cv.csv, both
// number-coded (family 1 gaussian, 2 binomial, 3 poisson; measure 1 mse … 5 auc). Empty when the
// table has no such curve.
struct CvReferenceCurve {
  std::vector<double> lambdas, cvm, cvsd;
};
inline CvReferenceCurve cv_reference_curve(const cli::CsvTable& ref, int family, int measure) {
  CvReferenceCurve c;
  for (std::size_t r = 0; r < ref.rows(); ++r)
    if (int(ref.columns[0][r]) == family && int(ref.columns[1][r]) == measure) {
      c.lambdas.push_back(ref.columns[2][r]);
      c.cvm.push_back(ref.columns[3][r]);
      c.cvsd.push_back(ref.columns[4][r]);
    }
  return c;
}

// A regpath curve against cv.glmnet's: cvm to 1e-6 and cvsd to 1e-5 (relative), and
// lambda.min / lambda.1se as cv.glmnet selects them from its own curve (`maximized`: the AUC).
inline void expect_cv_glmnet_curve(const CvCurve& c, const CvReferenceCurve& ref, bool maximized,
                                   const std::string& where) {
  ASSERT_EQ(c.cvm.size(), ref.cvm.size()) << where;
  for (std::size_t k = 0; k < ref.cvm.size(); ++k) {
    EXPECT_NEAR(c.cvm[k], ref.cvm[k], 1e-6 * std::fabs(ref.cvm[k])) << where << " λ " << k;
    EXPECT_NEAR(c.cvsd[k], ref.cvsd[k], 1e-5 * std::fabs(ref.cvsd[k])) << where << " λ " << k;
  }
  const double sense = maximized ? -1.0 : 1.0;
  std::size_t best = 0;
  for (std::size_t k = 1; k < ref.cvm.size(); ++k)
    if (sense * ref.cvm[k] < sense * ref.cvm[best]) best = k;
  std::size_t one_se = best;
  for (std::size_t k = 0; k <= best; ++k)
    if (sense * ref.cvm[k] <= sense * ref.cvm[best] + ref.cvsd[best]) {
      one_se = k;
      break;
    }
  EXPECT_EQ(c.lambda_min, ref.lambdas[best]) << where;
  EXPECT_EQ(c.lambda_1se, ref.lambdas[one_se]) << where;
}

struct ReferenceGroup {
  double alpha = 1;
  bool standardize = true, intercept = true;
  std::vector<double> lambdas;               // descending
  std::vector<double> intercepts;            // per λ
  std::vector<std::vector<double>> coefs;    // per λ, p values
  std::string label(const std::string& problem) const {
    return problem + " alpha=" + std::to_string(alpha) + " standardize=" +
           std::to_string(standardize) + " intercept=" + std::to_string(intercept);
  }
};

// The path of `pr` under `o` with the settings of reference group g: its α, standardization,
// intercept and λ list.
inline Path fit_like(const Problem& pr, Options o, const ReferenceGroup& g) {
  o.alpha = g.alpha;
  o.standardize = g.standardize;
  o.intercept = g.intercept;
  o.lambdas = g.lambdas;
  return fit(pr.view(), pr.y.data(), o);
}

// Long format: alpha,standardize,intercept,lambda[,a0,b1..bp], grouped by the first three.
inline std::vector<ReferenceGroup> load_groups(const std::string& file) {
  const cli::CsvTable t = cli::read_csv(data_path(file));
  std::map<std::tuple<double, int, int>, ReferenceGroup> groups;
  std::vector<std::tuple<double, int, int>> order;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    const auto key = std::make_tuple(t.columns[0][i], int(t.columns[1][i]), int(t.columns[2][i]));
    auto [it, inserted] = groups.try_emplace(key);
    ReferenceGroup& g = it->second;
    if (inserted) {
      order.push_back(key);
      g.alpha = t.columns[0][i];
      g.standardize = t.columns[1][i] != 0;
      g.intercept = t.columns[2][i] != 0;
    }
    g.lambdas.push_back(t.columns[3][i]);
    if (t.cols() > 4) {
      g.intercepts.push_back(t.columns[4][i]);
      std::vector<double> b;
      for (std::size_t j = 5; j < t.cols(); ++j) b.push_back(t.columns[j][i]);
      g.coefs.push_back(std::move(b));
    }
  }
  std::vector<ReferenceGroup> out;
  for (const auto& k : order) out.push_back(groups[k]);
  return out;
}

inline std::vector<ReferenceGroup> load_default_lambdas(const std::string& problem) {
  return load_groups("ref_" + problem + "_glmnet_default_lambda.csv");
}
inline std::vector<ReferenceGroup> load_reference(const std::string& problem,
                                                  const std::string& solver) {
  return load_groups("ref_" + problem + "_" + solver + ".csv");
}

}  // namespace regpath::test
