// The C API's models (regpath.h: regpath_model_*, regpath_predict_d/_s) as a C program sees
// them, through the shared library: a model made, saved, loaded and used equals the C++ API's
// predictions; every bad argument or bad file is a code and a message, never a crash.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "regpath/regpath.h"
#include "regpath/regpath.hpp"
#include "temp_dir.hpp"

namespace {

struct Small {
  std::int64_t n = 40, p = 3;
  std::vector<double> X, y;
};

Small small_data() {
  Small d;
  for (std::int64_t j = 0; j < d.p; ++j)
    for (std::int64_t i = 0; i < d.n; ++i) d.X.push_back(std::sin(1.0 + i * (j + 1.3)) * (j + 1));
  for (std::int64_t i = 0; i < d.n; ++i)
    d.y.push_back(1 + 2 * d.X[i] - d.X[2 * d.n + i] + 0.1 * std::cos(3.0 * i));
  return d;
}

TEST(CApiModel, MadeSavedLoadedAndPredicted) {
  const Small d = small_data();
  regpath_options opt;
  regpath_options_init(&opt);
  opt.device = REGPATH_DEVICE_CPU;
  opt.nlambda = 10;
  regpath_path* path = nullptr;
  ASSERT_EQ(regpath_fit_d(&opt, d.n, d.p, d.X.data(), d.n, d.y.data(), &path), REGPATH_OK);
  const char* names[] = {"a", "b", "c"};
  regpath_model* model = nullptr;
  ASSERT_EQ(regpath_model_from_path(path, &opt, names, d.n, d.X.data(), d.n, &model), REGPATH_OK)
      << regpath_last_error();
  const std::string file = regpath::test::temp_dir() + "c_model.json";
  ASSERT_EQ(regpath_model_save(model, file.c_str()), REGPATH_OK) << regpath_last_error();
  regpath_model* loaded = nullptr;
  ASSERT_EQ(regpath_model_load(file.c_str(), &loaded), REGPATH_OK) << regpath_last_error();
  EXPECT_EQ(regpath_model_nfeatures(loaded), 3);
  ASSERT_EQ(regpath_model_nlambda(loaded), regpath_path_nlambda(path));
  EXPECT_STREQ(regpath_model_feature_name(loaded, 2), "c");
  EXPECT_EQ(regpath_model_feature_name(loaded, 3), nullptr);
  EXPECT_NE(std::string(regpath_last_error()).find("regpath_model_feature_name"), std::string::npos);
  int family = -1;
  ASSERT_EQ(regpath_model_family(loaded, &family), REGPATH_OK);
  EXPECT_EQ(family, REGPATH_GAUSSIAN);
  double lmin = 0, l1se = 0;
  EXPECT_EQ(regpath_model_cv_lambdas(loaded, &lmin, &l1se), REGPATH_ERROR_INVALID_ARGUMENT);

  // coefficients at the path's λ are the path's, bit for bit
  const auto nl = regpath_model_nlambda(loaded);
  std::vector<double> lambdas(static_cast<std::size_t>(nl)), coefs(static_cast<std::size_t>(3 * nl));
  std::vector<double> intercepts(lambdas.size()), want(coefs.size()), want_b0(lambdas.size());
  ASSERT_EQ(regpath_model_lambdas(loaded, lambdas.data()), REGPATH_OK);
  ASSERT_EQ(regpath_model_coefficients(loaded, nl, lambdas.data(), intercepts.data(), coefs.data()),
            REGPATH_OK);
  regpath_path_coefs(path, want.data());
  regpath_path_intercepts(path, want_b0.data());
  EXPECT_EQ(coefs, want);
  EXPECT_EQ(intercepts, want_b0);

  // predictions: double and float X, as the C++ API gives them
  const double s[] = {lambdas[2], 0.5 * (lambdas[4] + lambdas[5])};
  std::vector<double> out(static_cast<std::size_t>(2 * d.n)), out_s(out.size());
  ASSERT_EQ(regpath_predict_d(loaded, d.n, d.X.data(), d.n, 2, s, REGPATH_PREDICT_LINK, out.data()),
            REGPATH_OK);
  const std::vector<float> Xf(d.X.begin(), d.X.end());
  ASSERT_EQ(regpath_predict_s(loaded, d.n, Xf.data(), d.n, 2, s, REGPATH_PREDICT_RESPONSE, out_s.data()),
            REGPATH_OK);
  const regpath::Model cpp = regpath::load_model(file);
  const std::vector<double> expected =
      regpath::predict(cpp, regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.n}, {s[0], s[1]});
  EXPECT_EQ(out, expected);
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out_s[i], out[i], 1e-5 * (1 + std::fabs(out[i])));

  // bad arguments: codes and messages naming them
  EXPECT_EQ(regpath_predict_d(loaded, d.n, d.X.data(), d.n, 2, s, REGPATH_PREDICT_CLASS, out.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpath_last_error()).find("binomial"), std::string::npos);
  EXPECT_EQ(regpath_predict_d(loaded, d.n, d.X.data(), d.n, 2, s, 7, out.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpath_last_error()).find("type"), std::string::npos);
  EXPECT_EQ(regpath_predict_d(loaded, d.n, d.X.data(), d.n - 1, 2, s, 0, out.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(regpath_predict_d(loaded, d.n, nullptr, d.n, 2, s, 0, out.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(regpath_predict_d(loaded, d.n, d.X.data(), d.n, 0, s, 0, out.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(regpath_predict_d(nullptr, d.n, d.X.data(), d.n, 2, s, 0, out.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(regpath_model_nfeatures(nullptr), -1);
  const char* dup[] = {"a", "a", "c"};
  regpath_model* bad = nullptr;
  EXPECT_EQ(regpath_model_from_path(path, &opt, dup, 0, nullptr, 0, &bad),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(bad, nullptr);
  EXPECT_EQ(regpath_model_save(loaded, "/nonexistent/dir/m.json"), REGPATH_ERROR_IO);
  EXPECT_STREQ(regpath_status_string(REGPATH_ERROR_IO), "file error");
  regpath_model_free(loaded);
  regpath_model_free(model);
  regpath_model_free(nullptr);
  regpath_path_free(path);
}

TEST(CApiModel, BadFilesAreCodesWithMessages) {
  regpath_model* m = nullptr;
  EXPECT_EQ(regpath_model_load("/nonexistent/m.json", &m), REGPATH_ERROR_IO);
  EXPECT_EQ(m, nullptr);
  const std::string dir = regpath::test::temp_dir();
  const std::string garbage = dir + "garbage.json";
  std::ofstream(garbage) << "{\"format\": \"regpath-model\", \"format_version\": 1, \"fam";
  EXPECT_EQ(regpath_model_load(garbage.c_str(), &m), REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpath_last_error()).find(garbage), std::string::npos) << regpath_last_error();
  const std::string newer = dir + "newer.json";
  std::ofstream(newer) << "{\"format\": \"regpath-model\", \"format_version\": 5, "
                          "\"min_reader_version\": 4}";
  EXPECT_EQ(regpath_model_load(newer.c_str(), &m), REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpath_last_error()).find("needs a reader of format version 4"),
            std::string::npos)
      << regpath_last_error();
  EXPECT_EQ(regpath_model_load(nullptr, &m), REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(regpath_model_load(garbage.c_str(), nullptr), REGPATH_ERROR_INVALID_ARGUMENT);
}

// A multinomial model file (regpath fit --family multinomial --save-model, labels of its own):
// loaded (since C API version 7), its classes, labels, coefficients and predictions through
// the _multinomial functions equal the C++ API's on the same file; the single-column functions
// refuse it by name (their n × nλ buffers would be overrun), and the _multinomial functions
// refuse a model of another family.
TEST(CApiModel, MultinomialModelFilesPredictAsTheCppApi) {
  const Small d = small_data();
  std::vector<double> y;
  for (std::int64_t i = 0; i < d.n; ++i) y.push_back(double(i % 3));
  regpath::Options o;
  o.family = regpath::Family::multinomial;
  o.device = regpath::Device::cpu;
  o.nlambda = 5;
  const regpath::MatrixView<double> X{d.X.data(), d.n, d.p, d.n};
  regpath::Model cpp = regpath::make_model(regpath::fit(X, y.data(), o), o);
  cpp.class_labels = {2, 5, 7};  // the CLI's labels: the CSV's numbers
  const std::string file = regpath::test::temp_dir() + "multinomial.json";
  regpath::save_model(cpp, file);
  const regpath::Model want = regpath::load_model(file);

  regpath_model* m = nullptr;
  ASSERT_EQ(regpath_model_load(file.c_str(), &m), REGPATH_OK) << regpath_last_error();
  int family = -1;
  EXPECT_EQ(regpath_model_family(m, &family), REGPATH_OK);
  EXPECT_EQ(family, REGPATH_MULTINOMIAL);
  ASSERT_EQ(regpath_model_nclasses(m), 3);
  std::vector<double> labels(3);
  ASSERT_EQ(regpath_model_class_labels(m, labels.data()), REGPATH_OK) << regpath_last_error();
  EXPECT_EQ(labels, (std::vector<double>{2, 5, 7}));

  const std::vector<double> s = {want.path.lambdas[1], 0.5 * (want.path.lambdas[2] +
                                                              want.path.lambdas[3]), 1e3};
  const auto ns = std::int64_t(s.size());
  const regpath::Coefficients c = regpath::coefficients(want, s);
  std::vector<double> b0(std::size_t(3 * ns)), B(std::size_t(d.p * 3 * ns));
  ASSERT_EQ(regpath_model_coefficients_multinomial(m, ns, s.data(), b0.data(), B.data()),
            REGPATH_OK)
      << regpath_last_error();
  EXPECT_EQ(b0, c.intercepts);
  EXPECT_EQ(B, c.coefs);

  const std::vector<float> Xf(d.X.begin(), d.X.end());
  for (int type : {REGPATH_PREDICT_LINK, REGPATH_PREDICT_RESPONSE, REGPATH_PREDICT_CLASS}) {
    const auto t = type == REGPATH_PREDICT_LINK       ? regpath::PredictType::link
                   : type == REGPATH_PREDICT_RESPONSE ? regpath::PredictType::response
                                                      : regpath::PredictType::class_label;
    const std::vector<double> expect = regpath::predict(want, X, s, t);
    ASSERT_EQ(expect.size(), std::size_t(d.n * ns * (type == REGPATH_PREDICT_CLASS ? 1 : 3)));
    std::vector<double> got(expect.size(), -1.0);
    ASSERT_EQ(regpath_predict_multinomial_d(m, d.n, d.X.data(), d.n, nullptr, ns, s.data(),
                                            type, got.data()),
              REGPATH_OK)
        << regpath_last_error();
    EXPECT_EQ(got, expect) << "type " << type;
    const std::vector<double> expect_f = regpath::predict(
        want, regpath::MatrixView<float>{Xf.data(), d.n, d.p, d.n}, s, t);
    ASSERT_EQ(regpath_predict_multinomial_s(m, d.n, Xf.data(), d.n, nullptr, ns, s.data(), type,
                                            got.data()),
              REGPATH_OK)
        << regpath_last_error();
    EXPECT_EQ(got, expect_f) << "type " << type << " (float X)";
  }
  std::vector<double> classes(std::size_t(d.n * ns));
  ASSERT_EQ(regpath_predict_multinomial_d(m, d.n, d.X.data(), d.n, nullptr, ns, s.data(),
                                          REGPATH_PREDICT_CLASS, classes.data()),
            REGPATH_OK);
  for (double label : classes) EXPECT_TRUE(label == 2 || label == 5 || label == 7) << label;

  // the single-column functions refuse it, naming what to use
  std::vector<double> out(std::size_t(d.n * 3 * ns));
  EXPECT_EQ(regpath_predict_d(m, d.n, d.X.data(), d.n, ns, s.data(), REGPATH_PREDICT_LINK,
                              out.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpath_last_error()).find("regpath_predict_multinomial_d/_s"),
            std::string::npos)
      << regpath_last_error();
  EXPECT_EQ(regpath_predict_offset_s(m, d.n, Xf.data(), d.n, nullptr, ns, s.data(),
                                     REGPATH_PREDICT_LINK, out.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(regpath_model_coefficients(m, ns, s.data(), b0.data(), B.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpath_last_error()).find("regpath_model_coefficients_multinomial"),
            std::string::npos)
      << regpath_last_error();
  // an offset to a model fitted without one: refused, as for the other families
  const std::vector<double> offset(std::size_t(3 * d.n), 0.0);
  EXPECT_EQ(regpath_predict_multinomial_d(m, d.n, d.X.data(), d.n, offset.data(), ns, s.data(),
                                          REGPATH_PREDICT_LINK, out.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  regpath_model_free(m);

  // a gaussian model: no classes; the _multinomial functions refuse it, naming the others
  regpath_options opt;
  regpath_options_init(&opt);
  opt.device = REGPATH_DEVICE_CPU;
  opt.nlambda = 5;
  regpath_path* path = nullptr;
  ASSERT_EQ(regpath_fit_d(&opt, d.n, d.p, d.X.data(), d.n, d.y.data(), &path), REGPATH_OK);
  ASSERT_EQ(regpath_model_from_path(path, &opt, nullptr, 0, nullptr, 0, &m), REGPATH_OK)
      << regpath_last_error();
  regpath_path_free(path);
  EXPECT_EQ(regpath_model_nclasses(m), 0);
  EXPECT_EQ(regpath_model_class_labels(m, labels.data()), REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpath_last_error()).find("family gaussian has no classes"),
            std::string::npos)
      << regpath_last_error();
  EXPECT_EQ(regpath_predict_multinomial_d(m, d.n, d.X.data(), d.n, nullptr, ns, s.data(),
                                          REGPATH_PREDICT_LINK, out.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpath_last_error()).find("family gaussian (one column per λ); use "
                                                   "regpath_predict_d/_s"),
            std::string::npos)
      << regpath_last_error();
  EXPECT_EQ(regpath_model_coefficients_multinomial(m, ns, s.data(), b0.data(), B.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  regpath_model_free(m);
  EXPECT_EQ(regpath_model_nclasses(nullptr), -1);
}

}  // namespace
