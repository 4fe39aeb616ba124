// Predictions and coefficients at any λ against R glmnet's predict / coef with exact = FALSE
// (scripts/make_predict_reference.R: held-out rows, λ on, between and beyond the grid), through
// the C++ API: a fit (or cv) at glmnet's λ list with a tight tolerance, made a Model, saved and
// read back, then predicted.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "api/predict_device.hpp"
#include "backends/cpu_backend.hpp"
#include "cli/csv_table.hpp"
#include "reference_data.hpp"
#include "regpath/regpath.hpp"
#include "temp_dir.hpp"

namespace regpath::test {
namespace {

std::vector<double> column(const std::string& file, std::size_t j = 0) {
  return cli::read_csv(data_path(file)).columns.at(j);
}

struct Held {
  std::vector<double> X;  // m × p in the model's order x1..xp
  std::int64_t rows = 0;
};

Held held_out(const std::string& tag, std::int64_t p) {
  const cli::CsvTable t = cli::read_csv(data_path("predict_" + tag + "_new.csv"));
  Held h;
  h.rows = static_cast<std::int64_t>(t.rows());
  for (std::int64_t j = 0; j < p; ++j) {
    const auto& c = t.columns[t.column_index("x" + std::to_string(j + 1))];
    h.X.insert(h.X.end(), c.begin(), c.end());
  }
  return h;
}

// The model saved and read back (the round trip is part of what is tested).
Model through_file(const Model& m, const std::string& name) {
  const std::string file = temp_dir() + name + ".json";
  save_model(m, file);
  return load_model(file);
}

void expect_close(double got, double want, const std::string& what) {
  EXPECT_NEAR(got, want, 1e-6 * std::max(1.0, std::fabs(want))) << what;
}

void expect_predictions(const Model& m, const std::string& name, const std::string& tag,
                        PredictType type) {
  const Held h = held_out(tag, m.n_features());
  const std::vector<double> s = column("predict_" + name + "_s.csv");
  const cli::CsvTable want = cli::read_csv(data_path("predict_" + name + ".csv"));
  const std::vector<double> got =
      predict(m, MatrixView<double>{h.X.data(), h.rows, m.n_features(), h.rows}, s, type);
  ASSERT_EQ(want.cols(), s.size());
  ASSERT_EQ(static_cast<std::int64_t>(want.rows()), h.rows);
  for (std::size_t k = 0; k < s.size(); ++k)
    for (std::int64_t i = 0; i < h.rows; ++i) {
      const double g = got[static_cast<std::size_t>(i) + k * static_cast<std::size_t>(h.rows)];
      const double w = want.columns[k][static_cast<std::size_t>(i)];
      if (type == PredictType::class_label) {
        EXPECT_EQ(g, w) << name << " s=" << s[k] << " row " << i;
      } else {
        expect_close(g, w, name + " s=" + std::to_string(s[k]) + " row " + std::to_string(i));
      }
    }
}

void expect_coefficients(const Model& m, const std::string& name) {
  const cli::CsvTable want = cli::read_csv(data_path("predict_" + name + "_coef.csv"));
  const Coefficients c = coefficients(m, want.columns[0]);
  for (std::size_t k = 0; k < want.rows(); ++k) {
    expect_close(c.intercepts[k], want.columns[1][k], name + " a0 at s " + std::to_string(k));
    for (std::int64_t j = 0; j < m.n_features(); ++j)
      expect_close(c.coefs[k * static_cast<std::size_t>(m.n_features()) + static_cast<std::size_t>(j)],
                   want.columns[2 + static_cast<std::size_t>(j)][k],
                   name + " b" + std::to_string(j + 1) + " at s " + std::to_string(k));
  }
}

Options tight(Family family, double alpha) {
  Options o;
  o.family = family;
  o.alpha = alpha;
  o.tol = 1e-13;
  o.device = Device::cpu;
  o.glmnet_y_scaling = true;  // glmnet's fits (matters for the gaussian α < 1)
  return o;
}

Model fitted(const std::string& tag, Family family, double alpha) {
  const Problem pr = load_problem("predict_" + tag + "_train");
  Options o = tight(family, alpha);
  o.lambdas = column("predict_" + tag + "_lambdas.csv");
  const Path path = fit(pr.view(), pr.y.data(), o);
  const MatrixView<double> X = pr.view();
  return through_file(make_model(path, o, {}, &X), tag);
}

Model cross_validated(const std::string& tag, Family family) {
  const Problem pr = load_problem("predict_" + tag + "_train");
  Options o = tight(family, 1);
  o.lambdas = column("predict_cv_" + tag + "_lambdas.csv");
  CvOptions cv;
  for (double f : column("predict_" + tag + "_foldid.csv")) cv.foldid.push_back(static_cast<int>(f));
  cv.nfolds = 5;
  const CvResult r = cross_validate(pr.view(), pr.y.data(), o, cv);
  const MatrixView<double> X = pr.view();
  return through_file(make_model(r, o, {}, &X), "cv_" + tag);
}

TEST(PredictReference, GaussianLinkEqualsGlmnet) {
  const Model m = fitted("gaussian", Family::gaussian, 0.5);
  expect_predictions(m, "gaussian_link", "gaussian", PredictType::link);
  expect_predictions(m, "gaussian_link", "gaussian", PredictType::response);  // = link
  expect_coefficients(m, "gaussian_link");
}

TEST(PredictReference, BinomialResponseAndClassEqualGlmnet) {
  const Model m = fitted("binomial", Family::binomial, 1);
  expect_predictions(m, "binomial_response", "binomial", PredictType::response);
  expect_predictions(m, "binomial_class", "binomial", PredictType::class_label);
  expect_coefficients(m, "binomial_response");
}

TEST(PredictReference, CvAtLambdaMinAnd1seEqualsCvGlmnet) {
  for (const auto& [tag, family] : {std::pair<std::string, Family>{"gaussian", Family::gaussian},
                                    {"binomial", Family::binomial}}) {
    const Model m = cross_validated(tag, family);
    ASSERT_TRUE(m.cv.has_value());
    const std::vector<double> s = column("predict_cv_" + tag + "_s.csv");
    EXPECT_EQ(m.cv->lambda_min, s[0]) << tag << ": lambda.min is cv.glmnet's";
    EXPECT_EQ(m.cv->lambda_1se, s[1]) << tag << ": lambda.1se is cv.glmnet's";
    EXPECT_EQ(default_lambdas(m), std::vector<double>{m.cv->lambda_1se});
    expect_predictions(m, "cv_" + tag, tag,
                       family == Family::binomial ? PredictType::response : PredictType::link);
    expect_coefficients(m, "cv_" + tag);
  }
}

TEST(Predict, InterpolatesLinearlyInLambdaAndClampsAtTheEnds) {
  Model m;
  m.feature_names = {"a", "b"};
  m.path.n_features = 2;
  m.path.lambdas = {4, 2, 1};
  m.path.intercepts = {1, 2, 4};
  m.path.coefs = {0, 0, 1, -1, 3, -5};
  const Coefficients c = coefficients(m, {5, 4, 3, 1.5, 1, 0.5, 0});
  EXPECT_EQ(c.intercepts, (std::vector<double>{1, 1, 1.5, 3, 4, 4, 4}));
  EXPECT_EQ(c.coefs, (std::vector<double>{0, 0, 0, 0, 0.5, -0.5, 2, -3, 3, -5, 3, -5, 3, -5}));
  EXPECT_EQ(c.outside, (std::vector<bool>{true, false, false, false, false, true, true}));
  const std::vector<double> X{1, 2, 10, 20};  // 2 rows: (1, 10), (2, 20)
  const std::vector<double> eta =
      predict(m, MatrixView<double>{X.data(), 2, 2, 2}, {1.5}, PredictType::response);
  EXPECT_EQ(eta, (std::vector<double>{3 + 2 - 30, 3 + 4 - 60}));  // gaussian: response = link
  const std::vector<float> Xf{1, 2, 10, 20};
  EXPECT_EQ(predict(m, MatrixView<float>{Xf.data(), 2, 2, 2}, {1.5}), eta);
  EXPECT_THROW(predict(m, MatrixView<double>{X.data(), 2, 2, 2}, {1}, PredictType::class_label),
               std::invalid_argument);
  EXPECT_THROW(predict(m, MatrixView<double>{X.data(), 2, 1, 2}, {1}), std::invalid_argument);
  EXPECT_THROW(coefficients(m, {-1}), std::invalid_argument);
  EXPECT_THROW(coefficients(m, {std::nan("")}), std::invalid_argument);
  const std::vector<double> bad{1, std::nan(""), 1, 1};
  EXPECT_THROW(predict(m, MatrixView<double>{bad.data(), 2, 2, 2}, {1}), std::invalid_argument);
  m.family = Family::binomial;
  const std::vector<double> cls =
      predict(m, MatrixView<double>{X.data(), 2, 2, 2}, {4, 1.5}, PredictType::class_label);
  EXPECT_EQ(cls, (std::vector<double>{1, 1, 0, 0}));  // η = 1, 1; then −25, −53
  EXPECT_EQ(default_lambdas(m), m.path.lambdas);
}

// The device path's block GEMMs (api/predict_device.hpp), run on the CPU backend with blocks of
// 1, 7 and all rows, give the host's predictions (the GPU runs the same code: CudaTest below).
TEST(PredictOnBackend, BlocksOfRowsGiveTheHostPredictions) {
  const Model m = fitted("binomial", Family::binomial, 1);
  const Held h = held_out("binomial", m.n_features());
  const MatrixView<double> X{h.X.data(), h.rows, m.n_features(), h.rows};
  const std::vector<double> s = column("predict_binomial_response_s.csv");
  const std::vector<double> want = predict(m, X, s, PredictType::link);
  const Coefficients c = coefficients(m, s);
  CpuBackend<double> be;
  for (const std::int64_t rows : {std::int64_t(1), std::int64_t(7), h.rows}) {
    const std::vector<double> got = detail::linear_predictors(be, X, c, rows);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t e = 0; e < got.size(); ++e)
      EXPECT_NEAR(got[e], want[e], 1e-12 * std::max(1.0, std::fabs(want[e])))
          << "blocks of " << rows << " rows, value " << e;
  }
}

// Device::cpu and a small Device::automatic prediction are the host's, bit for bit, and say so;
// Device::cuda without a usable GPU is a DeviceError, never a silent host run.
TEST(PredictOnBackend, DeviceChoice) {
  const Model m = fitted("gaussian", Family::gaussian, 0.5);
  const Held h = held_out("gaussian", m.n_features());
  const MatrixView<double> X{h.X.data(), h.rows, m.n_features(), h.rows};
  const std::vector<double> s = m.path.lambdas;
  const std::vector<double> want = predict(m, X, s, PredictType::response);
  for (const Device d : {Device::cpu, Device::automatic}) {
    Device used = Device::cuda;
    EXPECT_EQ(predict(m, X, s, PredictType::response, d, &used), want) << to_string(d);
    EXPECT_EQ(used, Device::cpu) << to_string(d) << ": too small for the GPU";
  }
  std::string why;
  if (!cuda_available(&why)) {
    EXPECT_THROW(predict(m, X, s, PredictType::link, Device::cuda), DeviceError) << why;
  }
}

}  // namespace
}  // namespace regpath::test
