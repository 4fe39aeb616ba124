// Many responses sharing one design (regpath.hpp's fit(X, Y) / cross_validate(X, Y)): m
// responses in one call equal m separate calls, and R glmnet fitted to each response
// (tests/data/many_*.csv from scripts/make_many_responses_reference.R, thresh = 1e-14).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "reference_data.hpp"
#include "sparse_support.hpp"
#include "regpath/regpath.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

// X (n × p) and Y (n × m): responses of different scales, means and sparsity.
struct ManyData {
  Problem design;
  std::int64_t m = 0;
  std::vector<double> Y;
  MatrixView<double> Yv() const { return {Y.data(), design.n, m, design.n}; }
  const double* y(std::int64_t k) const { return Y.data() + k * design.n; }
};

ManyData random_many(std::int64_t n, std::int64_t p, std::int64_t m, unsigned seed) {
  ManyData d;
  d.design = random_problem(n, p, 0.3, seed);
  d.m = m;
  std::mt19937_64 rng(seed + 1);
  std::normal_distribution<double> z;
  for (std::int64_t k = 0; k < m; ++k) {
    // the design's X with another truth: y_k = X b_k + noise, scaled and shifted per response
    std::vector<double> b(static_cast<std::size_t>(p));
    for (auto& v : b) v = z(rng) * (z(rng) > 0);
    for (std::int64_t i = 0; i < n; ++i) {
      double eta = 0;
      for (std::int64_t j = 0; j < p; ++j)
        eta += d.design.X[std::size_t(i + j * n)] * b[std::size_t(j)];
      d.Y.push_back(std::pow(3.0, double(k % 4)) * (eta + z(rng)) + double(k));
    }
  }
  return d;
}

Options cpu(double tol = 1e-12) {
  Options o;
  o.device = Device::cpu;
  o.tol = tol;
  return o;
}

// Two paths equal to rounding: λ, intercepts, coefficients relative to the largest coefficient.
void expect_same_path(const Path& a, const Path& b, double rtol, const std::string& what) {
  ASSERT_EQ(a.nlambda(), b.nlambda()) << what;
  ASSERT_EQ(a.n_features, b.n_features) << what;
  EXPECT_NEAR(a.lambda_max, b.lambda_max, 1e-13 * b.lambda_max) << what;
  EXPECT_TRUE(all_near(a.lambdas, b.lambdas, 1e-13, 0, what + " lambdas"));
  double scale = 1e-300;
  for (double v : b.coefs) scale = std::max(scale, std::fabs(v));
  for (double v : b.intercepts) scale = std::max(scale, std::fabs(v));
  EXPECT_TRUE(all_near(a.coefs, b.coefs, 0, rtol * scale, what + " coefs"));
  EXPECT_TRUE(all_near(a.intercepts, b.intercepts, 0, rtol * scale, what + " intercepts"));
  EXPECT_EQ(a.status, b.status) << what;
}

void expect_equals_separate_fits(const ManyData& d, const Options& o, const std::string& what) {
  const std::vector<Path> many = fit(d.design.view(), d.Yv(), o);
  ASSERT_EQ(std::int64_t(many.size()), d.m);
  for (std::int64_t k = 0; k < d.m; ++k) {
    const Path one = fit(d.design.view(), d.y(k), o);
    expect_same_path(many[std::size_t(k)], one, 1e-9, what + " response " + std::to_string(k + 1));
  }
}

TEST(ManyResponses, GaussianEqualsSeparateFits) {
  const ManyData d = random_many(60, 6, 7, 11);  // Gram form (n > 2p)
  expect_equals_separate_fits(d, cpu(), "lasso");
  Options o = cpu();
  o.alpha = 0.4;
  o.nlambda = 30;
  expect_equals_separate_fits(d, o, "elastic net");
  o.glmnet_y_scaling = true;
  expect_equals_separate_fits(d, o, "elastic net, glmnet's y scaling");
  o = cpu();
  o.lambdas = {0.5, 0.05, 2.0, 0.01};  // one list shared by every response
  o.intercept = false;
  expect_equals_separate_fits(d, o, "explicit lambdas, no intercept");
}

TEST(ManyResponses, WideDesignEqualsSeparateFits) {
  const ManyData d = random_many(20, 30, 4, 12);  // direct form (n ≤ 2p)
  expect_equals_separate_fits(d, cpu(1e-10), "wide");
}

TEST(ManyResponses, PenaltyFactorsAndExcludeApplyToEveryResponse) {
  const ManyData d = random_many(50, 6, 5, 13);
  Options o = cpu();
  o.penalty_factors = {1, 0.5, 2, 1, std::numeric_limits<double>::infinity(), 3};
  o.exclude = {2};
  expect_equals_separate_fits(d, o, "factors and exclude");
  const std::vector<Path> many = fit(d.design.view(), d.Yv(), o);
  for (const Path& path : many) {
    ASSERT_EQ(path.n_features, 6);
    for (std::int64_t k = 0; k < path.nlambda(); ++k) {
      EXPECT_EQ(path.coef(2, k), 0.0);
      EXPECT_EQ(path.coef(4, k), 0.0);
    }
  }
}

TEST(ManyResponses, Float32EqualsSeparateFits) {
  const ManyData d = random_many(60, 5, 3, 14);
  std::vector<float> X(d.design.X.begin(), d.design.X.end()), Y(d.Y.begin(), d.Y.end());
  const MatrixView<float> Xv{X.data(), d.design.n, d.design.p, d.design.n};
  const MatrixView<float> Yv{Y.data(), d.design.n, d.m, d.design.n};
  Options o = cpu(1e-5);
  o.precision = Precision::float32;
  const std::vector<Path> many = fit(Xv, Yv, o);
  for (std::int64_t k = 0; k < d.m; ++k) {
    const Path one = fit(Xv, Y.data() + k * d.design.n, o);
    expect_same_path(many[std::size_t(k)], one, 1e-4, "float32 response " + std::to_string(k + 1));
  }
}

// A response beyond the safe range of magnitudes takes the single fit's exact rescaling.
TEST(ManyResponses, ExtremeResponseEqualsItsSeparateFit) {
  ManyData d = random_many(40, 5, 3, 20);
  for (std::int64_t i = 0; i < 40; ++i) d.Y[std::size_t(40 + i)] *= 1e200;
  expect_equals_separate_fits(d, cpu(), "y2 times 1e200");
}

TEST(ManyResponses, OneResponseIsTodaysFit) {
  const ManyData d = random_many(40, 5, 1, 15);
  const Options o = cpu(1e-7);
  const std::vector<Path> many = fit(d.design.view(), d.Yv(), o);
  ASSERT_EQ(many.size(), 1u);
  const Path one = fit(d.design.view(), d.y(0), o);
  EXPECT_EQ(many[0].lambdas, one.lambdas);
  EXPECT_EQ(many[0].coefs, one.coefs);
  EXPECT_EQ(many[0].intercepts, one.intercepts);
}

TEST(ManyResponses, BinomialEqualsSeparateFits) {
  ManyData d = random_many(80, 4, 3, 16);
  for (std::size_t i = 0; i < d.Y.size(); ++i) d.Y[i] = d.Y[i] > double(i / 80) ? 1.0 : 0.0;
  Options o = cpu(1e-10);
  o.family = Family::binomial;
  o.nlambda = 15;
  expect_equals_separate_fits(d, o, "binomial");
}

// A sparse X with several responses (every family: one sparse fit per response): each path is
// the separate sparse fit's exactly, and the dense X's to rounding; a cv per response too.
TEST(ManyResponses, SparseXEqualsSeparateFits) {
  ManyData d = random_many(60, 30, 3, 21);
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (double& x : d.design.X)
    if (unit(rng) < 0.7) x = 0;
  const regpath_test::Csc csc = regpath_test::to_csc(d.design.X, d.design.n, d.design.p);
  for (const Family family : {Family::gaussian, Family::binomial}) {
    ManyData dk = d;
    if (family == Family::binomial)
      for (std::size_t i = 0; i < dk.Y.size(); ++i)
        dk.Y[i] = d.Y[i] > d.Y[i - i % 60 + (i + 7) % 60] ? 1.0 : 0.0;
    Options o = cpu(1e-12);
    o.family = family;
    o.nlambda = 12;
    o.lambda_min_ratio = 0.05;  // short of the binomial responses' separation
    const std::string what = to_string(family);
    const std::vector<Path> many = fit(csc.view(), dk.Yv(), o);
    ASSERT_EQ(std::int64_t(many.size()), dk.m);
    for (std::int64_t k = 0; k < dk.m; ++k) {
      const std::string where = what + " response " + std::to_string(k + 1);
      const Path one = fit(csc.view(), dk.y(k), o);
      EXPECT_EQ(many[std::size_t(k)].coefs, one.coefs) << where;
      EXPECT_EQ(many[std::size_t(k)].intercepts, one.intercepts) << where;
      expect_same_path(many[std::size_t(k)], fit(dk.design.view(), dk.y(k), o), 1e-8,
                       where + " against the dense X");
    }
    CvOptions cv;
    cv.nfolds = 3;
    cv.seed = 4;
    const std::vector<CvResult> curves = cross_validate(csc.view(), dk.Yv(), o, cv);
    ASSERT_EQ(std::int64_t(curves.size()), dk.m);
    for (std::int64_t k = 0; k < dk.m; ++k)
      EXPECT_EQ(curves[std::size_t(k)].curves[0].cvm,
                cross_validate(csc.view(), dk.y(k), o, cv).curves[0].cvm)
          << what << " cv, response " << k + 1;
  }
  // a bad response is named; X's own errors are X's
  ManyData bad = d;
  bad.Y[std::size_t(2 * 60 + 9)] = std::nan("");
  try {
    fit(csc.view(), bad.Yv(), cpu());
    FAIL() << "a NaN response value was accepted";
  } catch (const ResponseError& e) {
    EXPECT_EQ(e.response(), 2);
    EXPECT_NE(std::string(e.what()).find("row 10"), std::string::npos) << e.what();
  }
  regpath_test::Csc broken = csc;
  broken.row_idx[3] = 60;  // out of range
  try {
    fit(broken.view(), d.Yv(), cpu());
    FAIL() << "an out-of-range row index was accepted";
  } catch (const ResponseError& e) {
    FAIL() << "X's error reported as a response's: " << e.what();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("row"), std::string::npos) << e.what();
  }
  MatrixView<double> Y = d.Yv();
  Y.rows = 59;
  EXPECT_THROW(fit(csc.view(), Y, cpu()), std::invalid_argument);
}

// Any number of threads gives each response's path bit for bit: the shared gaussian problem
// (tall X), the per-response fits (binomial; a wide X), cross-validation and a sparse X.
TEST(ManyResponses, ThreadsGiveTheSamePaths) {
  const ManyData tall = random_many(70, 6, 7, 23), wide = random_many(20, 30, 5, 24);
  ManyData binary = tall;
  for (std::size_t i = 0; i < binary.Y.size(); ++i)
    binary.Y[i] = binary.Y[i] > tall.Y[i - i % 70 + (i + 11) % 70] ? 1.0 : 0.0;
  const auto with_threads = [](Options o, int threads) {
    o.threads = threads;
    return o;
  };
  Options binomial = cpu(1e-10);
  binomial.family = Family::binomial;
  binomial.nlambda = 12;
  binomial.lambda_min_ratio = 0.05;
  const std::pair<const ManyData*, Options> cases[] = {
      {&tall, cpu(1e-9)}, {&wide, cpu(1e-9)}, {&binary, binomial}};
  for (const auto& [data, options] : cases) {
    const std::string what = std::string(to_string(options.family)) + " n " +
                             std::to_string(data->design.n) +
                             " p " + std::to_string(data->design.p);
    const std::vector<Path> one = fit(data->design.view(), data->Yv(), with_threads(options, 1));
    for (const int threads : {2, 3, 16}) {
      const std::vector<Path> many =
          fit(data->design.view(), data->Yv(), with_threads(options, threads));
      ASSERT_EQ(many.size(), one.size());
      for (std::size_t k = 0; k < one.size(); ++k) {
        const std::string where = what + ", " + std::to_string(threads) + " threads, response " +
                                  std::to_string(k + 1);
        EXPECT_EQ(many[k].lambdas, one[k].lambdas) << where;
        EXPECT_EQ(many[k].coefs, one[k].coefs) << where;
        EXPECT_EQ(many[k].intercepts, one[k].intercepts) << where;
        EXPECT_EQ(many[k].gaps, one[k].gaps) << where;
      }
    }
  }
  CvOptions cv;
  cv.nfolds = 3;
  cv.seed = 8;
  const std::vector<CvResult> serial =
      cross_validate(tall.design.view(), tall.Yv(), with_threads(cpu(1e-9), 1), cv);
  const std::vector<CvResult> threaded =
      cross_validate(tall.design.view(), tall.Yv(), with_threads(cpu(1e-9), 3), cv);
  for (std::size_t k = 0; k < serial.size(); ++k)
    EXPECT_EQ(threaded[k].curves[0].cvm, serial[k].curves[0].cvm) << "cv, response " << k + 1;
  const regpath_test::Csc csc = regpath_test::to_csc(wide.design.X, wide.design.n, wide.design.p);
  const std::vector<Path> sparse_one = fit(csc.view(), wide.Yv(), with_threads(cpu(1e-9), 1));
  const std::vector<Path> sparse_many = fit(csc.view(), wide.Yv(), with_threads(cpu(1e-9), 4));
  for (std::size_t k = 0; k < sparse_one.size(); ++k)
    EXPECT_EQ(sparse_many[k].coefs, sparse_one[k].coefs) << "sparse, response " << k + 1;
}

// A response's error raised on a worker thread reaches the caller, the lowest response's first.
TEST(ManyResponses, AnErrorOnAWorkerThreadNamesItsResponse) {
  ManyData d = random_many(40, 4, 9, 25);
  std::fill(d.Y.begin() + 4 * 40, d.Y.begin() + 5 * 40, 2.0);  // responses 5 and 8 constant
  std::fill(d.Y.begin() + 7 * 40, d.Y.begin() + 8 * 40, -1.0);
  Options o = cpu();
  o.threads = 3;
  try {
    fit(d.design.view(), d.Yv(), o);
    FAIL() << "a constant response without lambdas was accepted";
  } catch (const ResponseError& e) {
    EXPECT_EQ(e.response(), 4) << e.what();
    EXPECT_NE(std::string(e.what()).find("response 5"), std::string::npos) << e.what();
  }
}

TEST(ManyResponses, ConstantResponseIsAnErrorNamingIt) {
  ManyData d = random_many(30, 4, 4, 17);
  std::fill(d.Y.begin() + 2 * 30, d.Y.begin() + 3 * 30, 7.5);  // response 3 constant
  try {
    fit(d.design.view(), d.Yv(), cpu());
    FAIL() << "a constant response without lambdas was accepted";
  } catch (const ResponseError& e) {
    EXPECT_EQ(e.response(), 2);
    const std::string what = e.what();
    EXPECT_NE(what.find("response 3"), std::string::npos) << what;
    EXPECT_NE(what.find("constant"), std::string::npos) << what;
  }
  // with explicit λ it is solved: an all-zero path, the intercept its mean
  Options o = cpu();
  o.lambdas = {1, 0.1};
  const std::vector<Path> many = fit(d.design.view(), d.Yv(), o);
  for (double v : many[2].coefs) EXPECT_EQ(v, 0.0);
  for (double b0 : many[2].intercepts) EXPECT_NEAR(b0, 7.5, 1e-12);
}

TEST(ManyResponses, NonFiniteValueNamesResponseAndRow) {
  ManyData d = random_many(30, 4, 3, 18);
  d.Y[std::size_t(1 * 30 + 7)] = std::nan("");
  try {
    fit(d.design.view(), d.Yv(), cpu());
    FAIL() << "a NaN response value was accepted";
  } catch (const ResponseError& e) {
    EXPECT_EQ(e.response(), 1);
    const std::string what = e.what();
    EXPECT_NE(what.find("response 2"), std::string::npos) << what;
    EXPECT_NE(what.find("row 8"), std::string::npos) << what;
  }
  EXPECT_THROW(cross_validate(d.design.view(), d.Yv(), cpu()), ResponseError);
}

TEST(ManyResponses, BadShapesAreNamed) {
  const ManyData d = random_many(30, 4, 3, 19);
  MatrixView<double> Y = d.Yv();
  Y.rows = 29;
  EXPECT_THROW(fit(d.design.view(), Y, cpu()), std::invalid_argument);
  Y = d.Yv();
  Y.cols = 0;
  EXPECT_THROW(fit(d.design.view(), Y, cpu()), std::invalid_argument);
  Y = d.Yv();
  Y.ld = 10;
  EXPECT_THROW(fit(d.design.view(), Y, cpu()), std::invalid_argument);
}

// ---- against R glmnet, response by response ---------------------------------------------------

struct ManyReference {
  ManyData data;
  cli::CsvTable ref, cv;
  std::vector<int> foldid;
};

ManyReference load_reference(const std::string& name, std::int64_t p) {
  ManyReference r;
  const cli::CsvTable t = cli::read_csv(data_path("many_" + name + ".csv"));
  Problem& pr = r.data.design;
  pr.n = std::int64_t(t.rows());
  pr.p = p;
  for (std::int64_t j = 0; j < p; ++j)
    pr.X.insert(pr.X.end(), t.columns[std::size_t(j)].begin(), t.columns[std::size_t(j)].end());
  r.data.m = std::int64_t(t.cols()) - p;
  for (std::size_t j = std::size_t(p); j < t.cols(); ++j)
    r.data.Y.insert(r.data.Y.end(), t.columns[j].begin(), t.columns[j].end());
  r.ref = cli::read_csv(data_path("many_ref_" + name + ".csv"));
  r.cv = cli::read_csv(data_path("many_cv_" + name + ".csv"));
  const cli::CsvTable folds = cli::read_csv(data_path("many_foldid_" + name + ".csv"));
  for (double v : folds.columns[0]) r.foldid.push_back(int(v));
  return r;
}

// Rows of `t` for (alpha, response k, 1-based): their values in column `col`.
std::vector<double> rows_of(const cli::CsvTable& t, double alpha, std::int64_t k, std::size_t col) {
  std::vector<double> out;
  for (std::size_t i = 0; i < t.rows(); ++i)
    if (t.columns[0][i] == alpha && t.columns[1][i] == double(k)) out.push_back(t.columns[col][i]);
  return out;
}

void check_against_glmnet(const std::string& name, std::int64_t p, Family family,
                          double coef_tol) {
  const ManyReference r = load_reference(name, p);
  for (const double alpha : {1.0, 0.5}) {
    Options o = cpu(family == Family::gaussian ? 1e-12 : 1e-10);
    o.family = family;
    o.alpha = alpha;
    o.nlambda = 20;
    o.glmnet_y_scaling = true;  // glmnet's numbers for the gaussian ridge part
    const std::vector<Path> many = fit(r.data.design.view(), r.data.Yv(), o);
    ASSERT_EQ(std::int64_t(many.size()), r.data.m);
    double worst = 0;
    for (std::int64_t k = 0; k < r.data.m; ++k) {
      const std::string where = name + " alpha " + std::to_string(alpha) + " response " +
                                std::to_string(k + 1);
      const Path& path = many[std::size_t(k)];
      const std::vector<double> lambdas = rows_of(r.ref, alpha, k + 1, 2);
      ASSERT_FALSE(lambdas.empty()) << where;
      ASSERT_LE(lambdas.size(), path.lambdas.size()) << where;
      EXPECT_NEAR(path.lambda_max, lambdas[0], 1e-10 * lambdas[0]) << where;
      const std::vector<double> a0 = rows_of(r.ref, alpha, k + 1, 3);
      for (std::size_t l = 0; l < lambdas.size(); ++l) {
        EXPECT_NEAR(path.lambdas[l], lambdas[l], 1e-10 * lambdas[l]) << where;
        double scale = std::fabs(a0[l]), diff = std::fabs(path.intercepts[l] - a0[l]);
        for (std::int64_t j = 0; j < p; ++j) {
          const double theirs = rows_of(r.ref, alpha, k + 1, std::size_t(4 + j))[l];
          scale = std::max(scale, std::fabs(theirs));
          diff = std::max(diff, std::fabs(path.coef(j, std::int64_t(l)) - theirs));
        }
        worst = std::max(worst, diff / std::max(scale, 1e-12));
        EXPECT_LE(diff / std::max(scale, 1e-12), coef_tol) << where << " lambda " << l;
      }
    }
    std::printf("many_%s alpha %g: worst coefficient difference from glmnet %.2e\n",
                name.c_str(), alpha, worst);
    // cv.glmnet per response on the same folds and λ list
    CvOptions cv;
    cv.foldid = r.foldid;
    for (std::int64_t k = 0; k < r.data.m; ++k) {
      Options ok = o;
      ok.lambdas = rows_of(r.ref, alpha, k + 1, 2);
      // one response's λ list for all: compare only response k's curve
      const std::vector<CvResult> res = cross_validate(r.data.design.view(), r.data.Yv(), ok, cv);
      ASSERT_EQ(std::int64_t(res.size()), r.data.m);
      const CvCurve& curve = res[std::size_t(k)].curves[0];
      const std::string where = name + " cv alpha " + std::to_string(alpha) + " response " +
                                std::to_string(k + 1);
      EXPECT_TRUE(all_near(curve.cvm, rows_of(r.cv, alpha, k + 1, 3), 1e-5, 0, where + " cvm"));
      EXPECT_TRUE(all_near(curve.cvsd, rows_of(r.cv, alpha, k + 1, 4), 1e-4, 0, where + " cvsd"));
    }
  }
}

TEST(ManyResponses, GaussianAgainstGlmnet) {
  check_against_glmnet("gauss", 7, Family::gaussian, 5e-6);
}
TEST(ManyResponses, BinomialAgainstGlmnet) {
  check_against_glmnet("binom", 5, Family::binomial, 2e-3);
}

}  // namespace
}  // namespace regpath::test
