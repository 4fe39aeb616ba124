// glmnet's offset (Options::offset) for every family: against R glmnet 4.1 and cv.glmnet
// (scripts/make_offset_reference.R: offset_ref_{gauss,binom,poisson}.csv, offset_cv.csv), and
// what follows from the definition independently of glmnet: an offset of 0 is no offset; a
// gaussian offset is the fit of y − o; a constant poisson (or binomial) offset c only shifts
// the intercept by −c; and offsets with observation weights. CPU float64, and a CUDA check
// where a GPU is usable.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "glm_test_support.hpp"
#include "reference_data.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

Options base_options(Family family) {
  Options o;
  o.device = Device::cpu;
  o.family = family;
  o.tol = 1e-13;
  return o;
}

std::vector<double> column_of(const std::string& file) {
  return cli::read_csv(data_path(file + ".csv")).columns[0];
}

// The largest |a − b| over intercepts and coefficients at each λ, relative to b's largest.
double path_distance(const Path& a, const Path& b) {
  double worst = 0;
  for (std::int64_t k = 0; k < b.nlambda(); ++k) {
    double scale = std::fabs(b.intercepts[std::size_t(k)]);
    double diff = std::fabs(a.intercepts[std::size_t(k)] - b.intercepts[std::size_t(k)]);
    for (std::int64_t j = 0; j < b.n_features; ++j) {
      scale = std::max(scale, std::fabs(b.coef(j, k)));
      diff = std::max(diff, std::fabs(a.coef(j, k) - b.coef(j, k)));
    }
    worst = std::max(worst, diff / std::max(scale, 1e-300));
  }
  return worst;
}

struct OffsetCase {
  const char* data;  // the problem (tests/data/<data>.csv)
  const char* tag;   // offset_<tag>.csv, offset_ref_<tag>.csv, weights_<tag>.csv
  Family family;
};

class OffsetFit : public ::testing::TestWithParam<OffsetCase> {};

// Each case of the reference (α 1, ½, weighted, no intercept) at glmnet's own λ list:
// coefficients and intercepts to 1e-6 of the largest (the issue allows 2e-3 for GLMs), dev.ratio
// to 1e-7, and glmnet's λ_max with the offset (its automatic path's first λ) to 1e-10.
TEST_P(OffsetFit, AgainstGlmnet) {
  const OffsetCase c = GetParam();
  const Problem pr = load_problem(c.data);
  const std::vector<double> off = column_of(std::string("offset_") + c.tag);
  const std::vector<double> w = column_of(std::string("weights_") + c.tag);
  ASSERT_EQ(std::int64_t(off.size()), pr.n);
  const cli::CsvTable ref = cli::read_csv(data_path(std::string("offset_ref_") + c.tag + ".csv"));
  for (int id = 1; id <= 4; ++id) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < ref.rows(); ++i)
      if (int(ref.columns[0][i]) == id) rows.push_back(i);
    ASSERT_GE(rows.size(), 5u) << "case " << id;
    Options o = base_options(c.family);
    o.alpha = ref.columns[1][rows[0]];
    if (ref.columns[2][rows[0]] != 0) o.weights = w;
    o.intercept = ref.columns[3][rows[0]] != 0;
    o.offset = off;
    if (c.family == Family::gaussian) o.glmnet_y_scaling = true;  // glmnet's, for α < 1
    for (const std::size_t i : rows) o.lambdas.push_back(ref.columns[4][i]);
    const std::string where = std::string(c.data) + " case " + std::to_string(id);
    const Path path = fit(pr.view(), pr.y.data(), o);
    ASSERT_EQ(path.nlambda(), std::int64_t(rows.size())) << where;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::size_t i = rows[k];
      EXPECT_EQ(path.status[k], Status::converged) << where;
      const ReferenceDifference d = reference_difference(path, std::int64_t(k), ref, i);
      EXPECT_LE(d.diff, 1e-6 * d.scale) << where << " lambda " << path.lambdas[k];
      EXPECT_NEAR(path.dev_ratio[k], ref.columns[5][i], 1e-7) << where << " lambda " << k;
    }
    Options automatic = o;
    automatic.lambdas.clear();
    automatic.nlambda = 3;
    const Path a = fit(pr.view(), pr.y.data(), automatic);
    EXPECT_NEAR(a.lambdas[0], ref.columns[4][rows[0]], 1e-10 * ref.columns[4][rows[0]]) << where;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Families, OffsetFit,
    ::testing::Values(OffsetCase{"penalty_gauss", "gauss", Family::gaussian},
                      OffsetCase{"penalty_binom", "binom", Family::binomial},
                      OffsetCase{"poisson_counts", "poisson", Family::poisson}),
    [](const ::testing::TestParamInfo<OffsetCase>& param_info) {
      return std::string(to_string(param_info.param.family));
    });

// cv.glmnet's curves with the offset (offset_cv.csv) on fixed folds at glmnet's λ list: cvm
// to 1e-6, cvsd to 1e-5 (relative), lambda.min and lambda.1se as cv.glmnet selects them.
TEST(OffsetCv, AgainstCvGlmnet) {
  struct Data {
    const char *problem, *tag, *foldid;
    Family family;
  };
  const Data data[] = {{"penalty_gauss", "gauss", "penalty_foldid_gauss", Family::gaussian},
                       {"penalty_binom", "binom", "penalty_foldid_binom", Family::binomial},
                       {"poisson_counts", "poisson", "poisson_foldid", Family::poisson}};
  const CvMeasure measures[] = {CvMeasure::mse, CvMeasure::mae, CvMeasure::deviance,
                                CvMeasure::misclassification, CvMeasure::auc};
  const cli::CsvTable ref = cli::read_csv(data_path("offset_cv.csv"));
  int curves = 0;
  for (int fam = 1; fam <= 3; ++fam) {
    const Data& d = data[fam - 1];
    const Problem pr = load_problem(d.problem);
    for (int m = 1; m <= 5; ++m) {
      const CvReferenceCurve want = cv_reference_curve(ref, fam, m);
      if (want.lambdas.empty()) continue;
      ++curves;
      const std::string where =
          std::string(to_string(d.family)) + " " + to_string(measures[m - 1]);
      Options o = base_options(d.family);
      o.offset = column_of(std::string("offset_") + d.tag);
      o.lambdas = want.lambdas;
      CvOptions cv;
      cv.type_measure = measures[m - 1];
      for (const double id : column_of(d.foldid)) cv.foldid.push_back(int(id));
      const CvResult res = cross_validate(pr.view(), pr.y.data(), o, cv);
      ASSERT_EQ(res.curves.size(), 1u) << where;
      const CvCurve& c = res.curves[0];
      expect_cv_glmnet_curve(c, want, m == 5, where);
    }
  }
  EXPECT_EQ(curves, 5);
}

// A poisson problem with small counts that grow with the first feature.
Problem poisson_problem() {
  Problem pr = random_problem(60, 5, 0.3, 17);
  for (std::int64_t i = 0; i < pr.n; ++i)
    pr.y[std::size_t(i)] = std::floor(std::exp(0.5 * pr.X[std::size_t(i)]) + double(i % 3));
  return pr;
}

Problem family_problem(Family family) {
  if (family == Family::binomial) return random_binomial_problem(60, 5, 0.3, 17);
  if (family == Family::poisson) return poisson_problem();
  return random_problem(60, 5, 0.3, 17);
}

class OffsetDefinition : public ::testing::TestWithParam<Family> {};

// An offset of 0 is no offset, exactly (every family); with observation weights too.
TEST_P(OffsetDefinition, ZeroOffsetIsNone) {
  const Family family = GetParam();
  const Problem pr = family_problem(family);
  for (const bool weighted : {false, true}) {
    Options o = base_options(family);
    o.alpha = 0.7;
    o.lambdas = {0.1, 0.03, 0.005};
    if (weighted)
      for (std::int64_t i = 0; i < pr.n; ++i) o.weights.push_back(0.5 + double(i % 4));
    const Path plain = fit(pr.view(), pr.y.data(), o);
    o.offset.assign(std::size_t(pr.n), 0.0);
    const Path zero = fit(pr.view(), pr.y.data(), o);
    EXPECT_EQ(path_distance(zero, plain), 0.0) << (weighted ? "weighted" : "unweighted");
    EXPECT_EQ(zero.dev_ratio, plain.dev_ratio);
    o.lambdas.clear();
    o.nlambda = 3;
    Options none = o;
    none.offset.clear();
    EXPECT_EQ(fit(pr.view(), pr.y.data(), o).lambdas[0],
              fit(pr.view(), pr.y.data(), none).lambdas[0]);
  }
}

// A constant offset c: the intercept absorbs it, β0 ↦ β0 − c, the features' coefficients and
// dev.ratio unchanged (the same η on every row) — an identity of the model, so up to the
// solver's tolerance (1e-9); for the GLM families the null model moves with it.
TEST_P(OffsetDefinition, ConstantOffsetShiftsTheIntercept) {
  const Family family = GetParam();
  const Problem pr = family_problem(family);
  Options o = base_options(family);
  o.alpha = 0.5;
  o.lambdas = {0.08, 0.02, 0.004};
  const Path plain = fit(pr.view(), pr.y.data(), o);
  const double c = 0.75;
  o.offset.assign(std::size_t(pr.n), c);
  const Path shifted = fit(pr.view(), pr.y.data(), o);
  for (std::int64_t k = 0; k < plain.nlambda(); ++k) {
    EXPECT_NEAR(shifted.intercepts[std::size_t(k)], plain.intercepts[std::size_t(k)] - c, 1e-9);
    for (std::int64_t j = 0; j < pr.p; ++j)
      EXPECT_NEAR(shifted.coef(j, k), plain.coef(j, k), 1e-9) << "feature " << j;
    EXPECT_NEAR(shifted.dev_ratio[std::size_t(k)], plain.dev_ratio[std::size_t(k)], 1e-10);
  }
  o.lambdas.clear();
  o.nlambda = 3;
  Options none = o;
  none.offset.clear();
  EXPECT_NEAR(fit(pr.view(), pr.y.data(), o).lambdas[0],
              fit(pr.view(), pr.y.data(), none).lambdas[0], 1e-12);
}

INSTANTIATE_TEST_SUITE_P(Families, OffsetDefinition,
                         ::testing::Values(Family::gaussian, Family::binomial, Family::poisson),
                         [](const ::testing::TestParamInfo<Family>& param_info) {
                           return std::string(to_string(param_info.param));
                         });

// A gaussian offset is the fit of y − o, exactly (with weights too), and so is its cv.
TEST(OffsetGaussian, GaussianIsShiftedY) {
  const Problem pr = random_problem(80, 6, 0.3, 5);
  std::vector<double> off(std::size_t(pr.n)), shifted(pr.y);
  for (std::int64_t i = 0; i < pr.n; ++i) {
    off[std::size_t(i)] = std::sin(double(i));
    shifted[std::size_t(i)] -= off[std::size_t(i)];
  }
  Options o = base_options(Family::gaussian);
  o.alpha = 0.5;
  o.nlambda = 8;
  for (const bool weighted : {false, true}) {
    o.weights.clear();
    if (weighted)
      for (std::int64_t i = 0; i < pr.n; ++i) o.weights.push_back(1.0 + double(i % 3));
    Options with = o;
    with.offset = off;
    const Path a = fit(pr.view(), pr.y.data(), with), b = fit(pr.view(), shifted.data(), o);
    EXPECT_EQ(a.lambdas, b.lambdas);
    EXPECT_EQ(path_distance(a, b), 0.0);
    EXPECT_EQ(a.dev_ratio, b.dev_ratio);
    CvOptions cv;
    cv.nfolds = 4;
    const CvResult ca = cross_validate(pr.view(), pr.y.data(), with, cv);
    const CvResult cb = cross_validate(pr.view(), shifted.data(), o, cv);
    EXPECT_EQ(ca.curves[0].cvm, cb.curves[0].cvm);
    EXPECT_EQ(ca.curves[0].lambda_min, cb.curves[0].lambda_min);
  }
}

// predict with the new rows' offsets: glmnet's predict(fit, newx, s, newoffset, exact = FALSE)
// (offset_predict.csv) for the binomial and poisson fits with an offset, link and response, at
// a λ of the path and one between two, to 1e-6 (the coefficients' agreement); the model
// remembers the offset through its file, and refuses to predict without one.
TEST(OffsetPredict, AgainstGlmnetPredict) {
  const cli::CsvTable ref = cli::read_csv(data_path("offset_predict.csv"));
  const OffsetCase cases[] = {{"penalty_binom", "binom", Family::binomial},
                              {"poisson_counts", "poisson", Family::poisson}};
  for (int fam = 2; fam <= 3; ++fam) {
    const OffsetCase& c = cases[fam - 2];
    const Problem pr = load_problem(c.data);
    Options o = base_options(c.family);
    o.offset = column_of(std::string("offset_") + c.tag);
    o.nlambda = 15;
    const Model fitted = make_model(fit(pr.view(), pr.y.data(), o), o);
    EXPECT_TRUE(fitted.offset);
    const Model m = model_from_json(model_to_json(fitted), "offset.json");
    EXPECT_TRUE(m.offset);
    const std::vector<double> newoff = column_of(std::string("offset_newoffset_") + c.tag);
    const std::int64_t n = std::int64_t(newoff.size());
    std::vector<double> newx(std::size_t(n * pr.p));
    for (std::int64_t j = 0; j < pr.p; ++j)
      for (std::int64_t i = 0; i < n; ++i)
        newx[std::size_t(i + j * n)] = pr.X[std::size_t(i + j * pr.n)];
    const MatrixView<double> X{newx.data(), n, pr.p, n};
    std::vector<double> s;
    std::vector<std::vector<double>> link, response;
    for (std::size_t r = 0; r < ref.rows(); ++r) {
      if (int(ref.columns[0][r]) != fam) continue;
      if (s.empty() || s.back() != ref.columns[2][r]) {
        s.push_back(ref.columns[2][r]);
        link.emplace_back();
        response.emplace_back();
      }
      link.back().push_back(ref.columns[3][r]);
      response.back().push_back(ref.columns[4][r]);
    }
    ASSERT_EQ(s.size(), 2u);
    const std::vector<double> eta = predict(m, X, s, PredictType::link, newoff);
    const std::vector<double> mu = predict(m, X, s, PredictType::response, newoff);
    for (std::size_t k = 0; k < s.size(); ++k)
      for (std::int64_t i = 0; i < n; ++i) {
        const std::size_t at = std::size_t(i) + k * std::size_t(n);
        EXPECT_NEAR(eta[at], link[k][std::size_t(i)], 1e-6 * std::fabs(link[k][std::size_t(i)]))
            << c.data << " s " << s[k] << " row " << i + 1;
        EXPECT_NEAR(mu[at], response[k][std::size_t(i)],
                    1e-6 * std::fabs(response[k][std::size_t(i)]))
            << c.data << " s " << s[k] << " row " << i + 1;
      }
    try {
      predict(m, X, s, PredictType::link);
      ADD_FAILURE() << "a prediction without the offset was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("--offset"), std::string::npos) << e.what();
    }
    std::vector<double> bad(newoff);
    bad[3] = std::nan("");
    EXPECT_THROW(predict(m, X, s, PredictType::link, bad), std::invalid_argument);
    bad.pop_back();
    EXPECT_THROW(predict(m, X, s, PredictType::link, bad), std::invalid_argument);
    Model plain = m;
    plain.offset = false;
    EXPECT_THROW(predict(plain, X, s, PredictType::link, newoff), std::invalid_argument);
    // a version 1 reader would predict without the offset: the file needs version 2
    EXPECT_NE(model_to_json(m).find("\"min_reader_version\": 2"), std::string::npos);
  }
}

// Bad offsets are refused by name: the wrong count, a non-finite value (its row), and where
// an offset is not supported yet (several responses).
TEST(OffsetInput, BadOffsetsNamed) {
  const Problem pr = random_binomial_problem(40, 3, 0.3, 2);
  Options o = base_options(Family::binomial);
  o.offset.assign(std::size_t(pr.n - 1), 0.0);
  try {
    fit(pr.view(), pr.y.data(), o);
    ADD_FAILURE() << "a short offset was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("invalid offset: 39 values for 40 rows"),
              std::string::npos)
        << e.what();
  }
  o.offset.assign(std::size_t(pr.n), 0.0);
  o.offset[6] = std::nan("");
  try {
    cross_validate(pr.view(), pr.y.data(), o, CvOptions{});
    ADD_FAILURE() << "a NaN offset was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("offset[6]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("row 7"), std::string::npos) << e.what();
  }
  o.offset[6] = 0;
  std::vector<double> Y(pr.y);
  Y.insert(Y.end(), pr.y.begin(), pr.y.end());
  const MatrixView<double> responses{Y.data(), pr.n, 2, pr.n};
  o.offset.pop_back();  // several responses: the options' error, not one response's
  try {
    fit(pr.view(), responses, o);
    ADD_FAILURE() << "a short offset with several responses was accepted";
  } catch (const ResponseError& e) {
    ADD_FAILURE() << "a response's error: " << e.what();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).rfind("invalid offset: 39 values for 40 rows", 0), 0u)
        << e.what();
  }
}

// Several responses with one offset (and observation weights): each response's path and cv
// are its own fit's and cross_validate's (gaussian: on the shared path of Y − o·1ᵀ), dense X
// and sparse X, every family.
TEST_P(OffsetDefinition, SeveralResponsesEachAsItsOwnFit) {
  const Family family = GetParam();
  const Problem pr = family_problem(family);
  Options o = base_options(family);
  o.nlambda = 12;
  o.offset.resize(std::size_t(pr.n));
  o.weights.resize(std::size_t(pr.n));
  for (std::int64_t i = 0; i < pr.n; ++i) {
    o.offset[std::size_t(i)] = 0.2 * std::sin(double(i));
    o.weights[std::size_t(i)] = 1.0 + double(i % 4) / 4;
  }
  // a second response: the first with its rows reversed (a count, 0/1 or real all the same)
  std::vector<double> Y(pr.y);
  Y.insert(Y.end(), pr.y.rbegin(), pr.y.rend());
  const MatrixView<double> responses{Y.data(), pr.n, 2, pr.n};
  std::vector<std::int64_t> col_ptr{0}, row_idx;
  std::vector<double> values;
  for (std::int64_t j = 0; j < pr.p; ++j) {
    for (std::int64_t i = 0; i < pr.n; ++i) {
      row_idx.push_back(i);
      values.push_back(pr.X[std::size_t(i + j * pr.n)]);
    }
    col_ptr.push_back(std::int64_t(values.size()));
  }
  const SparseMatrixView<double> sparse{pr.n, pr.p, std::int64_t(values.size()), col_ptr.data(),
                                        row_idx.data(), values.data()};
  CvOptions cv;
  cv.nfolds = 4;
  cv.seed = 3;
  const std::vector<Path> paths = fit(pr.view(), responses, o);
  const std::vector<Path> sparse_paths = fit(sparse, responses, o);
  const std::vector<CvResult> cvs = cross_validate(pr.view(), responses, o, cv);
  ASSERT_EQ(paths.size(), 2u);
  ASSERT_EQ(sparse_paths.size(), 2u);
  ASSERT_EQ(cvs.size(), 2u);
  for (std::size_t k = 0; k < 2; ++k) {
    SCOPED_TRACE("response " + std::to_string(k + 1));
    const double* y = Y.data() + k * std::size_t(pr.n);
    const Path own = fit(pr.view(), y, o);
    ASSERT_EQ(paths[k].nlambda(), own.nlambda());
    EXPECT_LE(path_distance(paths[k], own), 1e-12);
    ASSERT_EQ(sparse_paths[k].nlambda(), own.nlambda());
    EXPECT_LE(path_distance(sparse_paths[k], own), 1e-9);
    const CvResult own_cv = cross_validate(pr.view(), y, o, cv);
    ASSERT_EQ(cvs[k].curves.size(), own_cv.curves.size());
    EXPECT_EQ(cvs[k].curves[0].cvm, own_cv.curves[0].cvm);
    EXPECT_EQ(cvs[k].curves[0].lambda_min, own_cv.curves[0].lambda_min);
  }
  // the offset is used: without it the paths differ
  Options plain = o;
  plain.offset.clear();
  EXPECT_GT(path_distance(fit(pr.view(), responses, plain)[0], paths[0]), 1e-6);
}

// The binomial and poisson fits with an offset (case 2, α = ½) and cv.glmnet's poisson deviance
// curve with it on the CUDA backend (float64; skipped without a usable GPU), to the GLM
// tolerance: coefficients within 2e-3 of glmnet's (relative to the largest), cvm within 1e-3.
TEST(OffsetGlmCuda, MatchesGlmnet) {
  std::string why;
  if (!cuda_available(&why)) GTEST_SKIP() << "CUDA not usable: " << why;
  const OffsetCase cases[] = {{"penalty_binom", "binom", Family::binomial},
                              {"poisson_counts", "poisson", Family::poisson}};
  for (const OffsetCase& c : cases) {
    const Problem pr = load_problem(c.data);
    const cli::CsvTable ref =
        cli::read_csv(data_path(std::string("offset_ref_") + c.tag + ".csv"));
    Options o = base_options(c.family);
    o.device = Device::cuda;
    o.tol = 1e-10;
    o.offset = column_of(std::string("offset_") + c.tag);
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < ref.rows(); ++i)
      if (int(ref.columns[0][i]) == 2) rows.push_back(i);
    o.alpha = ref.columns[1][rows[0]];
    for (const std::size_t i : rows) o.lambdas.push_back(ref.columns[4][i]);
    const Path path = fit(pr.view(), pr.y.data(), o);
    ASSERT_EQ(path.device, Device::cuda);
    ASSERT_EQ(path.nlambda(), std::int64_t(rows.size()));
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::size_t i = rows[k];
      const ReferenceDifference d = reference_difference(path, std::int64_t(k), ref, i);
      EXPECT_LE(d.diff, 2e-3 * d.scale) << c.data << " lambda " << path.lambdas[k];
    }
  }
  const cli::CsvTable cvref = cli::read_csv(data_path("offset_cv.csv"));
  const CvReferenceCurve want = cv_reference_curve(cvref, 3, 3);
  const std::vector<double>& lambdas = want.lambdas;
  const std::vector<double>& cvm = want.cvm;
  const Problem pr = load_problem("poisson_counts");
  Options o = base_options(Family::poisson);
  o.device = Device::cuda;
  o.tol = 1e-10;
  o.offset = column_of("offset_poisson");
  o.lambdas = lambdas;
  CvOptions cv;
  cv.type_measure = CvMeasure::deviance;
  for (const double id : column_of("poisson_foldid")) cv.foldid.push_back(int(id));
  const CvResult res = cross_validate(pr.view(), pr.y.data(), o, cv);
  ASSERT_EQ(res.curves.size(), 1u);
  ASSERT_EQ(res.curves[0].cvm.size(), cvm.size());
  for (std::size_t k = 0; k < cvm.size(); ++k)
    EXPECT_NEAR(res.curves[0].cvm[k], cvm[k], 1e-3 * std::fabs(cvm[k])) << "λ " << k;
}

// The CLI: fit, cv and predict --offset COLUMN (a column of DATA.csv / NEW.csv, never a
// feature) on penalty_binom.csv with its offset as a column "off" placed between the features:
// glmnet's path (case 1 of offset_ref_binom.csv, coefficients to 1e-6), cv.glmnet's deviance
// curve (offset_cv.csv, cvm to 1e-6) and predict with newoffset (offset_predict.csv, link, to
// 1e-6) through the saved model; a model fitted with an offset and predicted without one is an
// error naming --offset, as are a missing or non-finite offset column.
TEST(OffsetCli, FitCvPredict) {
  const cli::CsvTable data = cli::read_csv(data_path("penalty_binom.csv"));
  const std::vector<double> off = column_of("offset_binom");
  const std::size_t n = data.rows(), p = data.cols() - 1;  // the last column is y
  auto table = [&](std::size_t rows, const std::vector<double>& o, bool with_y) {
    std::string text;
    for (std::size_t j = 0; j < data.cols(); ++j) {
      if (j == 2) text += "off,";
      if (j < p || with_y)
        text += data.names[j] + (j + 1 < data.cols() - (with_y ? 0 : 1) ? "," : "");
    }
    text += "\n";
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = 0; j < data.cols(); ++j) {
        if (j == 2) text += cli::format_number(o[i]) + ",";
        if (j < p || with_y)
          text += cli::format_number(data.columns[j][i]) +
                  (j + 1 < data.cols() - (with_y ? 0 : 1) ? "," : "");
      }
      text += "\n";
    }
    return text;
  };
  const std::string train = temp_file("train.csv", table(n, off, true));
  const cli::CsvTable ref = cli::read_csv(data_path("offset_ref_binom.csv"));
  std::string lambdas;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < ref.rows(); ++i)
    if (int(ref.columns[0][i]) == 1) {
      rows.push_back(i);
      lambdas += (lambdas.empty() ? "" : ",") + cli::format_number(ref.columns[4][i]);
    }
  const std::string path = temp_path("path.csv"), model = temp_path("m.json");
  const std::string common = " --response y --family binomial --tol 1e-13 --device cpu --quiet";
  CliRun r = run_cli("fit " + train + common + " --offset off --lambda " + lambdas +
                     " --output " + path + " --save-model " + model);
  ASSERT_EQ(r.status, 0) << r.all();
  const cli::CsvTable got = cli::read_csv(path);  // lambda, intercept, x1..x8: no "off"
  ASSERT_EQ(got.cols(), p + 2);
  for (const std::string& name : got.names) EXPECT_NE(name, "off");
  ASSERT_EQ(got.rows(), rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    double scale = 0, diff = 0;
    for (std::size_t j = 0; j <= p; ++j) {  // the intercept, then the features
      const double theirs = ref.columns[6 + j][rows[k]];
      scale = std::max(scale, std::fabs(theirs));
      diff = std::max(diff, std::fabs(got.columns[1 + j][k] - theirs));
    }
    EXPECT_LE(diff, 1e-6 * scale) << "λ " << k;
  }

  // cv.glmnet's deviance curve with the offset
  const cli::CsvTable cvref = cli::read_csv(data_path("offset_cv.csv"));
  std::string cv_lambdas;
  std::vector<double> cvm;
  for (std::size_t i = 0; i < cvref.rows(); ++i)
    if (int(cvref.columns[0][i]) == 2 && int(cvref.columns[1][i]) == 3) {
      cv_lambdas += (cv_lambdas.empty() ? "" : ",") + cli::format_number(cvref.columns[2][i]);
      cvm.push_back(cvref.columns[3][i]);
    }
  const std::string cv_out = temp_path("cv.csv");
  r = run_cli("cv " + train + common + " --offset off --type-measure deviance --foldid " +
              data_path("penalty_foldid_binom.csv") + " --lambda " + cv_lambdas + " --output " +
              cv_out);
  ASSERT_EQ(r.status, 0) << r.all();
  const cli::CsvTable cv = cli::read_csv(cv_out);
  ASSERT_EQ(cv.rows(), cvm.size());
  for (std::size_t k = 0; k < cvm.size(); ++k)
    EXPECT_NEAR(cv.columns[1][k], cvm[k], 1e-6 * std::fabs(cvm[k])) << "λ " << k;

  // predict with the new rows' offsets: glmnet's predict(..., newoffset)
  const std::vector<double> newoff = column_of("offset_newoffset_binom");
  const cli::CsvTable pref = cli::read_csv(data_path("offset_predict.csv"));
  std::vector<double> s, link;
  for (std::size_t i = 0; i < pref.rows(); ++i)
    if (int(pref.columns[0][i]) == 2) {
      if (s.empty() || s.back() != pref.columns[2][i]) s.push_back(pref.columns[2][i]);
      link.push_back(pref.columns[3][i]);
    }
  const std::string fresh = temp_file("new.csv", table(newoff.size(), newoff, false));
  const std::string pred = temp_path("p.csv");
  // the model of a fit on glmnet's automatic path, as the reference's
  const std::string auto_model = temp_path("auto.json");
  r = run_cli("fit " + train + common + " --offset off --nlambda 15 --output " + path +
              " --save-model " + auto_model);
  ASSERT_EQ(r.status, 0) << r.all();
  r = run_cli("predict " + auto_model + " " + fresh + " --offset off --quiet --lambda " +
              cli::format_number(s[0]) + "," + cli::format_number(s[1]) + " --output " + pred);
  ASSERT_EQ(r.status, 0) << r.all();
  const cli::CsvTable pt = cli::read_csv(pred);
  ASSERT_EQ(pt.rows(), newoff.size());
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t i = 0; i < newoff.size(); ++i) {
      const double want = link[i + k * newoff.size()];
      EXPECT_NEAR(pt.columns[k][i], want, 1e-6 * std::fabs(want)) << "row " << i + 1;
    }
  r = run_cli("predict " + model + " " + fresh + " --quiet --output " + pred);
  EXPECT_NE(r.status, 0);
  EXPECT_TRUE(contains(r.err, "--offset")) << r.err;
  // a missing column, and an offset column with a non-finite value, are named
  r = run_cli("fit " + train + common + " --offset nothere --output " + path);
  EXPECT_NE(r.status, 0);
  EXPECT_TRUE(contains(r.err, "nothere")) << r.err;
  std::vector<double> bad(off);
  bad[4] = std::numeric_limits<double>::infinity();
  const std::string bad_train = temp_file("bad.csv", table(n, bad, true));
  r = run_cli("fit " + bad_train + common + " --offset off --output " + path);
  EXPECT_NE(r.status, 0);
  // (the CSV reader names it first: its line and the column 'off')
  EXPECT_TRUE(contains(r.err, "'off'") && contains(r.err, "not finite")) << r.err;
  // a Matrix Market X has no named columns: --offset is refused by name
  const std::string mtx = temp_file("x.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                             "3 2 2\n1 1 1.5\n3 2 -2\n");
  const std::string yfile = temp_file("y.csv", "y\n1\n2\n3\n");
  r = run_cli("fit " + mtx + " --response-file " + yfile + " --offset off --output " + path);
  EXPECT_NE(r.status, 0);
  EXPECT_TRUE(contains(r.err, "--offset")) << r.err;
}

}  // namespace
}  // namespace regpath::test
