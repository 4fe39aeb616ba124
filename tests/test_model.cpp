// The model file (docs/model_format.md): a bit-exact round trip, the version rules, and clear
// errors (ModelError naming the field) for corrupted, truncated or foreign files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "regpath/regpath.hpp"
#include "temp_dir.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

std::uint64_t bits(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

void expect_same_bits(const std::vector<double>& a, const std::vector<double>& b,
                      const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(bits(a[i]), bits(b[i])) << what << "[" << i << "]";
}

// A model of a real fit, with a few awkward numbers put into its arrays.
Model sample_model(bool with_cv) {
  const Problem pr = random_problem(60, 40, 0.5, 7);
  Options o;
  o.alpha = 0.7;
  o.nlambda = 15;
  o.lambda_min_ratio = 0.1;  // most coefficients 0: the sparse layout
  o.device = Device::cpu;
  const MatrixView<double> X = pr.view();
  Model m;
  if (with_cv) {
    CvOptions cv;
    cv.nfolds = 4;
    m = make_model(cross_validate(X, pr.y.data(), o, cv), o, {}, &X);
  } else {
    m = make_model(fit(X, pr.y.data(), o), o, {}, &X);
  }
  return m;
}

void expect_round_trip(const Model& m) {
  const Model r = model_from_json(model_to_json(m), "round trip");
  EXPECT_EQ(r.family, m.family);
  EXPECT_EQ(bits(r.alpha), bits(m.alpha));
  EXPECT_EQ(r.standardize, m.standardize);
  EXPECT_EQ(r.intercept, m.intercept);
  EXPECT_EQ(r.glmnet_y_scaling, m.glmnet_y_scaling);
  EXPECT_EQ(bits(r.tol), bits(m.tol));
  EXPECT_EQ(r.precision, m.precision);
  EXPECT_EQ(r.feature_names, m.feature_names);
  expect_same_bits(r.feature_centers, m.feature_centers, "centers");
  expect_same_bits(r.feature_scales, m.feature_scales, "scales");
  EXPECT_EQ(r.path.n_features, m.path.n_features);
  expect_same_bits(r.path.lambdas, m.path.lambdas, "lambdas");
  expect_same_bits(r.path.intercepts, m.path.intercepts, "intercepts");
  expect_same_bits(r.path.coefs, m.path.coefs, "coefs");
  expect_same_bits(r.path.gaps, m.path.gaps, "gaps");
  expect_same_bits(r.path.dev_ratio, m.path.dev_ratio, "dev_ratio");
  EXPECT_EQ(bits(r.path.lambda_max), bits(m.path.lambda_max));
  EXPECT_EQ(r.path.status, m.path.status);
  EXPECT_EQ(r.path.iterations, m.path.iterations);
  EXPECT_EQ(r.path.newton_steps, m.path.newton_steps);
  ASSERT_EQ(r.cv.has_value(), m.cv.has_value());
  if (m.cv) {
    EXPECT_EQ(r.cv->nfolds, m.cv->nfolds);
    expect_same_bits(r.cv->cvm, m.cv->cvm, "cvm");
    expect_same_bits(r.cv->cvsd, m.cv->cvsd, "cvsd");
    EXPECT_EQ(r.cv->nzero, m.cv->nzero);
    EXPECT_EQ(r.cv->index_min, m.cv->index_min);
    EXPECT_EQ(r.cv->index_1se, m.cv->index_1se);
    EXPECT_EQ(bits(r.cv->lambda_min), bits(m.cv->lambda_min));
    EXPECT_EQ(bits(r.cv->lambda_1se), bits(m.cv->lambda_1se));
  }
  EXPECT_EQ(model_to_json(r), model_to_json(m)) << "written again: the same text";
}

TEST(ModelFile, FitAndCvRoundTripBitExactly) {
  expect_round_trip(sample_model(false));
  const Model cv = sample_model(true);
  ASSERT_TRUE(cv.cv.has_value());
  EXPECT_TRUE(cv.glmnet_y_scaling) << "cv's full-data fit is at glmnet's y scaling";
  expect_round_trip(cv);
}

TEST(ModelFile, AwkwardNumbersRoundTripBitExactly) {
  Model m = sample_model(false);
  const double awkward[] = {-0.0, std::numeric_limits<double>::denorm_min(),
                            -std::numeric_limits<double>::min(), std::numeric_limits<double>::max(),
                            1.0 / 3.0, 0.1, -2.5e-300, 123456789.123456789};
  for (std::size_t i = 0; i < std::size(awkward); ++i) {
    m.path.coefs[i * 3] = awkward[i];  // spread over columns
    m.path.intercepts[i] = awkward[i];
  }
  expect_round_trip(m);
  // Dense layout (most coefficients nonzero) round-trips as well.
  for (double& v : m.path.coefs)
    if (v == 0 && !std::signbit(v)) v = 1e-17;
  EXPECT_NE(model_to_json(m).find("\"layout\": \"dense\""), std::string::npos);
  expect_round_trip(m);
  // A path with most coefficients zero is stored sparse.
  EXPECT_NE(model_to_json(sample_model(false)).find("\"layout\": \"sparse\""), std::string::npos);
}

TEST(ModelFile, SaveAndLoadAFile) {
  const Model m = sample_model(true);
  const std::string file = temp_dir() + "model.json";
  save_model(m, file);
  const Model r = load_model(file);
  EXPECT_EQ(r.writer, std::string("regpath ") + version());
  EXPECT_EQ(r.format_version, Model::kFormatVersion);
  expect_same_bits(r.path.coefs, m.path.coefs, "coefs");
  EXPECT_THROW(load_model(temp_dir() + "missing.json"), std::runtime_error);
  EXPECT_THROW(save_model(m, "/nonexistent/dir/model.json"), std::runtime_error);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

void expect_model_error(const std::string& text, std::initializer_list<std::string> needles) {
  try {
    model_from_json(text, "bad.json");
    ADD_FAILURE() << "no error for: " << text.substr(0, 200);
  } catch (const ModelError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("bad.json: ", 0), 0u) << what;
    for (const auto& n : needles) EXPECT_NE(what.find(n), std::string::npos) << n << " in " << what;
  }
}

TEST(ModelFile, VersionsNewerReadersAndUnknownKeys) {
  const std::string good = model_to_json(sample_model(false));
  // A newer writer whose file an older reader can still use: read, its new keys ignored.
  const std::string newer = replaced(
      replaced(good, "\"format_version\": 3", "\"format_version\": 5"), "\"kind\"",
      "\"future_field\": {\"x\": [1, 2]},\n  \"kind\"");
  const Model r = model_from_json(newer, "newer.json");
  EXPECT_EQ(r.format_version, 5);
  // One that needs a newer reader: said, with the version it needs.
  expect_model_error(replaced(replaced(good, "\"format_version\": 3", "\"format_version\": 4"),
                              "\"min_reader_version\": 1", "\"min_reader_version\": 4"),
                     {"format_version", "needs a reader of format version 4",
                      "reads versions 1 to 3", "newer regpath"});
  expect_model_error(replaced(good, "\"format_version\": 3", "\"format_version\": 0"),
                     {"format_version", "0 is not a format version"});
  expect_model_error(replaced(good, "\"format_version\": 3", "\"format_version\": \"1\""),
                     {"format_version", "expected an integer"});
  // A version 2 file (before family multinomial) reads as it did.
  const Model v2 = model_from_json(
      replaced(good, "\"format_version\": 3", "\"format_version\": 2"), "v2.json");
  EXPECT_EQ(v2.format_version, 2);
  EXPECT_EQ(v2.path.coefs, r.path.coefs);
  // A version 1 file (before options.offset) reads as a model without an offset.
  const Model v1 = model_from_json(
      replaced(replaced(good, "\"format_version\": 3", "\"format_version\": 1"),
               "\"offset\": false,", ""),
      "v1.json");
  EXPECT_EQ(v1.format_version, 1);
  EXPECT_FALSE(v1.offset);
  EXPECT_EQ(v1.path.coefs, r.path.coefs);
  expect_model_error(replaced(good, "\"offset\": false", "\"offset\": 1"),
                     {"options.offset", "expected true or false"});
  expect_model_error(replaced(good, "\"regpath-model\"", "\"other\""), {"not a regpath model"});
  expect_model_error("[1, 2, 3]", {"not a regpath model"});
  expect_model_error("", {"not a valid JSON model file"});
}

TEST(ModelFile, CorruptedFieldsAreNamed) {
  const Model m = sample_model(true);
  const std::string good = model_to_json(m);
  expect_model_error(replaced(good, "\"family\": \"gaussian\"", "\"family\": \"gamma\""),
                     {"\"family\"", "gamma"});
  expect_model_error(replaced(good, "\"alpha\": 0.7", "\"alpha\": 2"), {"options.alpha"});
  expect_model_error(replaced(good, "\"precision\": \"float64\"", "\"precision\": 64"),
                     {"options.precision", "expected a string"});
  expect_model_error(replaced(good, "\"names\": [\"x1\",\"x2\"", "\"names\": [\"x1\",\"x1\""),
                     {"features.names[1]", "twice"});
  expect_model_error(replaced(good, "\"lambdas\": [", "\"lambdas\": [-1,"), {"path.lambdas"});
  expect_model_error(replaced(good, "\"status\": [\"converged\"", "\"status\": [\"done\""),
                     {"path.status[0]", "unknown status"});
  expect_model_error(replaced(good, "\"intercepts\": [", "\"intercepts\": [null,"),
                     {"path.intercepts"});
  expect_model_error(replaced(good, "\"index\":[],\"value\":[]", "\"index\":[999],\"value\":[1]"),
                     {"path.coefficients.columns", "outside 0..39"});
  expect_model_error(replaced(good, "\"layout\": \"sparse\"", "\"layout\": \"csr\""),
                     {"path.coefficients.layout", "csr"});
  expect_model_error(replaced(good, "\"nfolds\": 4", "\"nfolds\": 1"), {"cv.nfolds"});
  expect_model_error(replaced(good, "\"kind\": \"cv\"", "\"kind\": \"what\""), {"\"kind\""});
  // A control byte in the file is escaped in the message, never printed raw.
  try {
    model_from_json(replaced(good, "\"family\": \"gaussian\"", "\"family\": \"ga\x1b[31m\""), "b");
    ADD_FAILURE();
  } catch (const ModelError& e) {
    EXPECT_EQ(std::string(e.what()).find('\x1b'), std::string::npos) << e.what();
  }
}

TEST(ModelFile, EveryTruncationIsAClearError) {
  const std::string good = model_to_json(sample_model(true));
  for (std::size_t len = 0; len + 1 < good.size(); len += 7) {
    // A cut that leaves valid JSON (only the final newline) would be a model; every other is not.
    try {
      model_from_json(good.substr(0, len), "cut.json");
      ADD_FAILURE() << "a truncation to " << len << " bytes read as a model";
    } catch (const ModelError&) {
    }
  }
}

TEST(ModelFile, NamesThatAreNotUtf8CannotBeSaved) {
  Model m = sample_model(false);
  m.feature_names[0] = "bad\xff";
  EXPECT_THROW(model_to_json(m), std::invalid_argument);
  m.feature_names[0] = "Größe";  // UTF-8 is fine
  EXPECT_EQ(model_from_json(model_to_json(m)).feature_names[0], "Größe");
}

}  // namespace
}  // namespace regpath::test
