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

// A multinomial model file (regpath fit --family multinomial --save-model): its predictions
// have a column per λ and class, which the C API has no layout for yet, so loading it is a
// clear refusal (a code, a message naming the file and the family, no model), never a model
// whose predictions would overrun an n × nλ buffer.
TEST(CApiModel, MultinomialModelsAreRefusedClearly) {
  const Small d = small_data();
  std::vector<double> y;
  for (std::int64_t i = 0; i < d.n; ++i) y.push_back(double(i % 3));
  regpath::Options o;
  o.family = regpath::Family::multinomial;
  o.device = regpath::Device::cpu;
  o.nlambda = 5;
  const regpath::MatrixView<double> X{d.X.data(), d.n, d.p, d.n};
  const std::string file = regpath::test::temp_dir() + "multinomial.json";
  regpath::save_model(regpath::make_model(regpath::fit(X, y.data(), o), o), file);
  regpath_model* m = reinterpret_cast<regpath_model*>(&y);  // must be reset to NULL
  EXPECT_EQ(regpath_model_load(file.c_str(), &m), REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(m, nullptr);
  const std::string what = regpath_last_error();
  EXPECT_NE(what.find(file), std::string::npos) << what;
  EXPECT_NE(what.find("family multinomial (3 classes), which the C API's models do not"),
            std::string::npos)
      << what;
}

}  // namespace
