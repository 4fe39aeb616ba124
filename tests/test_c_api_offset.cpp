// glmnet's offset through the C API (regpath_fit_offset_d/_s, regpath_predict_offset_d/_s):
// the C++ fit and predict with Options::offset bit for bit (test_offset.cpp checks those
// against glmnet), the model made from such a path asking for new offsets, and bad offsets
// refused with a code and a message naming them.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "reference_data.hpp"
#include "regpath/regpath.h"

namespace regpath::test {
namespace {

std::vector<double> path_coefs(const regpath_path* p) {
  std::vector<double> c(std::size_t(regpath_path_nfeatures(p) * regpath_path_nlambda(p)));
  regpath_path_coefs(p, c.data());
  return c;
}

TEST(CApiOffset, FitAndPredictAreTheCppOnesWithAnOffset) {
  const Problem pr = load_problem("poisson_counts");
  const std::vector<double> offset =
      cli::read_csv(data_path("offset_poisson.csv")).columns[0];
  ASSERT_EQ(std::int64_t(offset.size()), pr.n);
  regpath_options c;
  regpath_options_init(&c);
  c.family = REGPATH_POISSON;
  c.device = REGPATH_DEVICE_CPU;
  c.nlambda = 20;
  regpath_path* path = nullptr;
  ASSERT_EQ(regpath_fit_offset_d(&c, pr.n, pr.p, pr.X.data(), pr.n, pr.y.data(), offset.data(),
                                 &path),
            REGPATH_OK)
      << regpath_last_error();
  Options o;
  o.family = Family::poisson;
  o.device = Device::cpu;
  o.nlambda = 20;
  o.offset = offset;
  const Path want = fit(pr.view(), pr.y.data(), o);
  EXPECT_EQ(path_coefs(path), want.coefs);
  // NULL: no offset, regpath_fit_d's path
  regpath_path *plain = nullptr, *plain_c = nullptr;
  ASSERT_EQ(regpath_fit_offset_d(&c, pr.n, pr.p, pr.X.data(), pr.n, pr.y.data(), nullptr,
                                 &plain),
            REGPATH_OK);
  ASSERT_EQ(regpath_fit_d(&c, pr.n, pr.p, pr.X.data(), pr.n, pr.y.data(), &plain_c), REGPATH_OK);
  EXPECT_EQ(path_coefs(plain), path_coefs(plain_c));
  EXPECT_NE(path_coefs(plain), path_coefs(path));

  // its model predicts with the new rows' offsets only
  regpath_model* model = nullptr;
  ASSERT_EQ(regpath_model_from_path(path, &c, nullptr, pr.n, pr.X.data(), pr.n, &model),
            REGPATH_OK)
      << regpath_last_error();
  const std::vector<double> lambdas = {want.lambdas[3], want.lambdas[10]};
  const std::int64_t rows = 15;
  std::vector<double> got(std::size_t(rows * 2));
  ASSERT_EQ(regpath_predict_offset_d(model, rows, pr.X.data(), pr.n, offset.data(), 2,
                                     lambdas.data(), REGPATH_PREDICT_RESPONSE, got.data()),
            REGPATH_OK)
      << regpath_last_error();
  const Model m = make_model(want, o, {}, nullptr);
  const std::vector<double> expected =
      predict(m, MatrixView<double>{pr.X.data(), rows, pr.p, pr.n}, lambdas,
              PredictType::response, std::vector<double>(offset.begin(), offset.begin() + rows));
  EXPECT_EQ(got, expected);
  EXPECT_EQ(regpath_predict_d(model, rows, pr.X.data(), pr.n, 2, lambdas.data(),
                              REGPATH_PREDICT_RESPONSE, got.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpath_last_error()).find("offset"), std::string::npos)
      << regpath_last_error();
  // a model fitted without an offset refuses one
  regpath_model* plain_model = nullptr;
  ASSERT_EQ(regpath_model_from_path(plain, &c, nullptr, 0, nullptr, 0, &plain_model),
            REGPATH_OK);
  EXPECT_EQ(regpath_predict_offset_d(plain_model, rows, pr.X.data(), pr.n, offset.data(), 2,
                                     lambdas.data(), REGPATH_PREDICT_LINK, got.data()),
            REGPATH_ERROR_INVALID_ARGUMENT);
  // float X
  const std::vector<float> Xf(pr.X.begin(), pr.X.end()), yf(pr.y.begin(), pr.y.end());
  regpath_path* path_s = nullptr;
  EXPECT_EQ(regpath_fit_offset_s(&c, pr.n, pr.p, Xf.data(), pr.n, yf.data(), offset.data(),
                                 &path_s),
            REGPATH_OK)
      << regpath_last_error();
  regpath_path_free(path_s);
  regpath_model_free(plain_model);
  regpath_model_free(model);
  regpath_path_free(plain_c);
  regpath_path_free(plain);
  regpath_path_free(path);
}

TEST(CApiOffset, ANonFiniteOffsetIsNamed) {
  const Problem pr = load_problem("poisson_counts");
  std::vector<double> offset(std::size_t(pr.n), 0.25);
  offset[7] = NAN;
  regpath_options c;
  regpath_options_init(&c);
  c.family = REGPATH_POISSON;
  c.device = REGPATH_DEVICE_CPU;
  regpath_path* path = reinterpret_cast<regpath_path*>(&c);  // set to NULL on failure
  EXPECT_EQ(regpath_fit_offset_d(&c, pr.n, pr.p, pr.X.data(), pr.n, pr.y.data(), offset.data(),
                                 &path),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(path, nullptr);
  EXPECT_NE(std::string(regpath_last_error()).find("invalid offset[7] = nan"), std::string::npos)
      << regpath_last_error();
}

}  // namespace
}  // namespace regpath::test
