// Multinomial models (format version 3) and their predictions: predict (link, response, class)
// and coef with exact = FALSE against R glmnet on held-out rows
// (scripts/make_multinomial_predict_reference.R: ungrouped, grouped, with an offset matrix, and
// a cv.glmnet at lambda.min / lambda.1se; λ on, between and beyond the grid), through a saved
// and reloaded model; the bit-exact round trip, the version rules and the named errors of
// corrupted multinomial fields; and regpath fit / cv --save-model, predict and coef on the
// command line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "api/predict_device.hpp"
#include "backends/cpu_backend.hpp"
#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "multinomial_support.hpp"
#include "reference_data.hpp"
#include "regpath/regpath.hpp"
#include "temp_dir.hpp"

namespace regpath::test {
namespace {

using cli::CsvTable;
using cli::format_number;
using cli::read_csv;

CsvTable table(const std::string& file) { return read_csv(data_path(file)); }

// The rows of a reference table whose first column (the case) is `id`.
CsvTable case_rows(const CsvTable& t, int id) {
  CsvTable out = t;
  for (auto& c : out.columns) c.clear();
  for (std::size_t i = 0; i < t.rows(); ++i)
    if (int(t.columns[0][i]) == id)
      for (std::size_t j = 0; j < t.cols(); ++j) out.columns[j].push_back(t.columns[j][i]);
  return out;
}

// X (n × p, column-major) of a table's columns x1..xp, found by name.
std::vector<double> features(const CsvTable& t, std::int64_t p) {
  std::vector<double> X;
  for (std::int64_t j = 0; j < p; ++j) {
    const auto& c = t.columns[t.column_index("x" + std::to_string(j + 1))];
    X.insert(X.end(), c.begin(), c.end());
  }
  return X;
}

// The columns of a table, class-major: an n × C offset matrix.
std::vector<double> all_columns(const CsvTable& t) {
  std::vector<double> v;
  for (const auto& c : t.columns) v.insert(v.end(), c.begin(), c.end());
  return v;
}

constexpr std::int64_t kP = 6;

struct Training {
  std::int64_t n = 0;
  std::vector<double> X, y, labels;  // y recoded 0..C−1; labels[c] the CSV's class c
  MatrixView<double> view() const { return {X.data(), n, kP, n}; }
};

Training training() {
  const CsvTable t = table("multinom_predict_train.csv");
  Training d;
  d.n = std::int64_t(t.rows());
  d.X = features(t, kP);
  d.labels = t.columns[0];
  std::sort(d.labels.begin(), d.labels.end());
  d.labels.erase(std::unique(d.labels.begin(), d.labels.end()), d.labels.end());
  for (double v : t.columns[0])
    d.y.push_back(double(std::lower_bound(d.labels.begin(), d.labels.end(), v) -
                         d.labels.begin()));
  return d;
}

// The reference's cases (make_multinomial_predict_reference.R).
struct Case {
  int id;
  double alpha;
  bool grouped, offset;
};
const Case kCases[] = {{1, 1, false, false}, {2, 0.5, true, false}, {3, 1, false, true}};

Options case_options(const Case& c) {
  Options o = multinomial_options(c.alpha, c.grouped);
  o.lambdas = table("multinom_predict_lambdas.csv").columns[0];
  if (c.offset) o.offset = all_columns(table("multinom_predict_offset.csv"));
  return o;
}

// The model saved and read back (the round trip is part of what is tested).
Model through_file(const Model& m, const std::string& name) {
  const std::string file = temp_dir() + name + ".json";
  save_model(m, file);
  return load_model(file);
}

Model fitted(const Case& c) {
  const Training d = training();
  const Options o = case_options(c);
  const MatrixView<double> X = d.view();
  Model m = make_model(fit(X, d.y.data(), o), o, {}, &X);
  m.class_labels = d.labels;
  return through_file(m, "multinomial_case" + std::to_string(c.id));
}

// |got − want| ≤ 1e-5 · the largest |want| of the block (one s: its rows and classes), as the
// other multinomial tests compare.
void expect_block(const std::vector<double>& got, const std::vector<double>& want,
                  const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  double scale = 0, diff = 0;
  for (std::size_t e = 0; e < want.size(); ++e) {
    scale = std::max(scale, std::fabs(want[e]));
    diff = std::max(diff, std::fabs(got[e] - want[e]));
  }
  EXPECT_LE(diff, 1e-5 * scale) << what << " (scale " << scale << ")";
}

// Predictions of the held-out rows at the case's s, link, response and class, against
// glmnet's, and the coefficients at those s against coef(exact = FALSE).
void expect_glmnet(const Model& m, int id) {
  const CsvTable held = table("multinom_predict_new.csv");
  const auto n = std::int64_t(held.rows());
  const std::vector<double> X = features(held, kP);
  const MatrixView<double> view{X.data(), n, kP, n};
  const std::vector<double> s = case_rows(table("multinom_predict_s.csv"), id).columns[1];
  const std::vector<double> offset =
      m.offset ? all_columns(table("multinom_predict_newoffset.csv")) : std::vector<double>{};
  const CsvTable ref = case_rows(table("multinom_predict_ref.csv"), id);  // case,s,row,class,..
  const CsvTable cls = case_rows(table("multinom_predict_class.csv"), id);
  const CsvTable coef = case_rows(table("multinom_predict_coef.csv"), id);
  const auto C = std::size_t(m.path.n_classes);
  ASSERT_EQ(C, 3u);
  ASSERT_EQ(ref.rows(), s.size() * std::size_t(n) * C);
  const std::vector<double> link = predict(m, view, s, PredictType::link, offset);
  const std::vector<double> resp = predict(m, view, s, PredictType::response, offset);
  const std::vector<double> label = predict(m, view, s, PredictType::class_label, offset);
  ASSERT_EQ(link.size(), std::size_t(n) * s.size() * C);
  ASSERT_EQ(label.size(), std::size_t(n) * s.size());
  const Coefficients c = coefficients(m, s);
  ASSERT_EQ(c.n_classes, 3);
  for (std::size_t k = 0; k < s.size(); ++k) {
    const std::string at = "case " + std::to_string(id) + " s " + format_number(s[k]);
    std::vector<double> got_link, got_resp, want_link, want_resp;
    for (std::size_t e = 0; e < ref.rows(); ++e) {
      if (ref.columns[1][e] != s[k]) continue;
      const auto i = std::size_t(ref.columns[2][e]) - 1;
      const auto cl = std::size_t(std::find(m.class_labels.begin(), m.class_labels.end(),
                                            ref.columns[3][e]) -
                                  m.class_labels.begin());
      ASSERT_LT(cl, C) << "label " << ref.columns[3][e];
      got_link.push_back(link[i + (k * C + cl) * std::size_t(n)]);
      got_resp.push_back(resp[i + (k * C + cl) * std::size_t(n)]);
      want_link.push_back(ref.columns[4][e]);
      want_resp.push_back(ref.columns[5][e]);
    }
    ASSERT_EQ(got_link.size(), std::size_t(n) * C) << at;
    expect_block(got_link, want_link, at + " link");
    expect_block(got_resp, want_resp, at + " response");
    for (std::size_t e = 0; e < cls.rows(); ++e) {
      if (cls.columns[1][e] != s[k]) continue;
      EXPECT_EQ(label[std::size_t(cls.columns[2][e]) - 1 + k * std::size_t(n)], cls.columns[3][e])
          << at << " class of row " << cls.columns[2][e];
    }
    std::vector<double> got_coef, want_coef;
    for (std::size_t e = 0; e < coef.rows(); ++e) {
      if (coef.columns[1][e] != s[k]) continue;
      const auto cl = std::size_t(std::find(m.class_labels.begin(), m.class_labels.end(),
                                            coef.columns[2][e]) -
                                  m.class_labels.begin());
      ASSERT_LT(cl, C);
      got_coef.push_back(c.intercepts[k * C + cl]);
      want_coef.push_back(coef.columns[3][e]);
      for (std::size_t j = 0; j < std::size_t(kP); ++j) {
        got_coef.push_back(c.coefs[(k * C + cl) * std::size_t(kP) + j]);
        want_coef.push_back(coef.columns[4 + j][e]);
      }
    }
    ASSERT_EQ(got_coef.size(), C * std::size_t(kP + 1)) << at;
    expect_block(got_coef, want_coef, at + " coefficients");
  }
}

TEST(MultinomialModel, PredictionsAndCoefficientsEqualGlmnet) {
  for (const Case& c : kCases) {
    SCOPED_TRACE("case " + std::to_string(c.id));
    const Model m = fitted(c);
    EXPECT_EQ(m.format_version, 3);
    EXPECT_EQ(m.class_labels, (std::vector<double>{2, 5, 9}));
    EXPECT_EQ(m.type_multinomial,
              c.grouped ? MultinomialType::grouped : MultinomialType::ungrouped);
    EXPECT_EQ(m.offset, c.offset);
    expect_glmnet(m, c.id);
  }
}

TEST(MultinomialModel, CvModelPredictsAsCvGlmnet) {
  const Training d = training();
  Options o = multinomial_options(1, false);
  o.lambdas = table("multinom_predict_lambdas.csv").columns[0];
  CvOptions cv;
  const CsvTable folds = table("multinom_predict_foldid.csv");
  for (double f : folds.columns[0]) cv.foldid.push_back(int(f));
  cv.nfolds = 5;
  const MatrixView<double> X = d.view();
  Model m = make_model(cross_validate(X, d.y.data(), o, cv), o, {}, &X);
  m.class_labels = d.labels;
  m = through_file(m, "multinomial_cv");
  ASSERT_TRUE(m.cv.has_value());
  const std::vector<double> s = case_rows(table("multinom_predict_s.csv"), 4).columns[1];
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(m.cv->lambda_min, s[0]) << "cv.glmnet's lambda.min";
  EXPECT_EQ(m.cv->lambda_1se, s[1]) << "cv.glmnet's lambda.1se";
  EXPECT_EQ(default_lambdas(m), std::vector<double>{s[1]});
  expect_glmnet(m, 4);
}

// A grouped cv model: cv.glmnet's nzero counts the first class's intercept too, so it reaches
// p + 1, which the reader takes for a multinomial model (p for the others).
TEST(MultinomialModel, GroupedCvModelReadsBackWithItsNzero) {
  const Training d = training();
  Options o = case_options(kCases[1]);
  CvOptions cv;
  const CsvTable folds = table("multinom_predict_foldid.csv");
  for (double f : folds.columns[0]) cv.foldid.push_back(int(f));
  cv.nfolds = 5;
  const MatrixView<double> X = d.view();
  const Model m = make_model(cross_validate(X, d.y.data(), o, cv), o, {}, &X);
  ASSERT_TRUE(m.cv.has_value());
  EXPECT_EQ(*std::max_element(m.cv->nzero.begin(), m.cv->nzero.end()), kP + 1);
  const Model r = model_from_json(model_to_json(m));
  EXPECT_EQ(r.cv->nzero, m.cv->nzero);
  EXPECT_EQ(r.type_multinomial, MultinomialType::grouped);
}

std::uint64_t bits(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

void expect_same_bits(const std::vector<double>& a, const std::vector<double>& b,
                      const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(bits(a[i]), bits(b[i])) << what << i;
}

TEST(MultinomialModel, RoundTripsBitExactly) {
  Model m = fitted(kCases[1]);  // grouped
  m.path.coefs[5] = -0.0;       // a −0 and a subnormal survive too
  m.path.intercepts[4] = std::numeric_limits<double>::denorm_min();
  const std::string file = temp_dir() + "multinomial_round.json";
  save_model(m, file);
  const std::string text = slurp(file);
  const Model r = load_model(file);
  save_model(r, file);
  EXPECT_EQ(slurp(file), text) << "save → load → save: the same bytes";
  EXPECT_EQ(r.family, Family::multinomial);
  EXPECT_EQ(r.path.n_classes, 3);
  EXPECT_EQ(r.type_multinomial, MultinomialType::grouped);
  expect_same_bits(r.class_labels, m.class_labels, "labels");
  expect_same_bits(r.path.coefs, m.path.coefs, "coefs");
  expect_same_bits(r.path.intercepts, m.path.intercepts, "intercepts");
  expect_same_bits(r.path.lambdas, m.path.lambdas, "lambdas");
  const std::vector<double> s{m.path.lambdas[2], 0.5 * (m.path.lambdas[3] + m.path.lambdas[4])};
  expect_same_bits(coefficients(r, s).coefs, coefficients(m, s).coefs, "coefficients");
  EXPECT_TRUE(contains(text, "\"min_reader_version\": 3")) << "older readers must refuse it";
  EXPECT_TRUE(contains(text, "\"format_version\": 3"));
  EXPECT_TRUE(contains(text, "\"type_multinomial\": \"grouped\""));
  EXPECT_TRUE(contains(text, "\"class_labels\": [2.0,5.0,9.0]"));
  // Dense layout (most coefficients nonzero) round-trips as well.
  for (double& v : m.path.coefs)
    if (v == 0 && !std::signbit(v)) v = 1e-17;
  const std::string dense = model_to_json(m);
  EXPECT_TRUE(contains(dense, "\"layout\": \"dense\""));
  EXPECT_EQ(model_to_json(model_from_json(dense)), dense);
  // what the reader would refuse is not written
  Model unordered = m;
  unordered.class_labels = {2, 9, 5};
  EXPECT_THROW(model_to_json(unordered), std::invalid_argument);
  Model unlabelled = m;
  unlabelled.class_labels.pop_back();
  EXPECT_THROW(model_to_json(unlabelled), std::invalid_argument);
  // The other families keep their minimum reader version, so older readers still read them.
  const Training d = training();
  Options g;
  g.device = Device::cpu;
  g.nlambda = 5;
  const MatrixView<double> X = d.view();
  const std::string gauss = model_to_json(make_model(fit(X, d.y.data(), g), g));
  EXPECT_TRUE(contains(gauss, "\"min_reader_version\": 1")) << gauss.substr(0, 200);
  EXPECT_FALSE(contains(gauss, "n_classes"));
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
    ADD_FAILURE() << "no error";
  } catch (const ModelError& e) {
    for (const auto& n : needles) EXPECT_TRUE(contains(e.what(), n)) << n << " in " << e.what();
  }
}

TEST(MultinomialModel, CorruptedFieldsAreNamed) {
  const std::string good = model_to_json(fitted(kCases[0]));
  ASSERT_TRUE(contains(good, "\"n_classes\": 3"));
  expect_model_error(replaced(good, "\"n_classes\": 3", "\"n_classes\": 4"),
                     {"path.class_labels", "has 3 values, expected 4"});
  expect_model_error(replaced(replaced(good, "\"n_classes\": 3", "\"n_classes\": 2"),
                              "\"class_labels\": [2.0,5.0,9.0]", "\"class_labels\": [2.0,5.0]"),
                     {"path.intercepts[0]", "has 3 classes, path.n_classes is 2"});
  expect_model_error(replaced(good, "\"n_classes\": 3", "\"n_classes\": 1"),
                     {"path.n_classes", "1 is outside 2.."});
  expect_model_error(replaced(good, "\"n_classes\": 3,", ""), {"path.n_classes", "missing"});
  expect_model_error(replaced(good, "\"class_labels\": [2.0,5.0,9.0]",
                              "\"class_labels\": [2.0,9.0,5.0]"),
                     {"path.class_labels", "strictly increasing"});
  expect_model_error(replaced(good, "\"class_labels\": [2.0,5.0,9.0]",
                              "\"class_labels\": [2.0,5.0,\"nine\"]"),
                     {"path.class_labels[2]", "expected a number, found string"});
  expect_model_error(replaced(good, "\"type_multinomial\": \"ungrouped\"",
                              "\"type_multinomial\": \"nested\""),
                     {"options.type_multinomial", "nested"});
  expect_model_error(replaced(good, ",\n    \"type_multinomial\": \"ungrouped\"", ""),
                     {"options.type_multinomial", "missing"});
  // the first λ's intercepts, then its class columns: one class short
  const auto first_line = [&](const std::string& key) {  // the line after `key`
    const auto at = good.find(key + ": [\n") + key.size() + 4;
    return good.substr(at, good.find('\n', at) - at - 1);  // without its ','
  };
  const std::string first = first_line("\"intercepts\"");  // "      [a,b,c]"
  const std::string two = first.substr(0, first.rfind(',')) + "]";
  expect_model_error(replaced(good, first, two), {"path.intercepts[0]", "has 2 classes"});
  expect_model_error(replaced(good, first, first.substr(0, first.find('[')) + "1.5"),
                     {"path.intercepts[0]", "expected an array of the classes' values"});
  const std::string columns = first_line("\"columns\"");
  expect_model_error(replaced(good, columns, columns.substr(0, columns.rfind(",{")) + "]"),
                     {"path.coefficients.columns[0]", "has 2 classes, path.n_classes is 3"});
  expect_model_error(replaced(good, "{\"index\":[],\"value\":[]}",
                              "{\"index\":[99],\"value\":[1]}"),
                     {"path.coefficients.columns[0][0].index[0]", "outside 0..5"});
  expect_model_error(replaced(good, "{\"index\":[],\"value\":[]}", "{\"index\":[0],\"value\":[]}"),
                     {"path.coefficients.columns[0][0].value", "has 0 values, expected 1"});
  // a file that needs a newer reader is refused, naming the version it needs
  expect_model_error(replaced(good, "\"min_reader_version\": 3", "\"min_reader_version\": 7"),
                     {"needs a reader of format version 7", "reads versions 1 to 3"});
}

TEST(MultinomialModel, PredictionRefusals) {
  const Model plain = fitted(kCases[0]);
  const Model with_offset = fitted(kCases[2]);
  const std::vector<double> X(2 * kP, 0.25);
  const MatrixView<double> view{X.data(), 2, kP, 2};
  const std::vector<double> s{plain.path.lambdas[3]};
  const auto expect_refusal = [&](const Model& m, const std::vector<double>& offset,
                                  const std::string& needle) {
    try {
      predict(m, view, s, PredictType::response, offset);
      ADD_FAILURE() << "no error for " << needle;
    } catch (const std::invalid_argument& e) {
      EXPECT_TRUE(contains(e.what(), needle)) << e.what();
    }
  };
  expect_refusal(with_offset, {}, "need the new rows' offsets");
  expect_refusal(with_offset, {0.1, 0.2}, "2 offsets for 2 rows of X; give one offset per row "
                                          "and class (n × 3, class-major");
  expect_refusal(plain, std::vector<double>(6, 0.0), "fitted without one");
  std::vector<double> bad(6, 0.0);
  bad[5] = std::nan("");
  expect_refusal(with_offset, bad, "offset of row 2 (1-based), class 3 is not finite");
  // the n × C offset moves each class's link by its column
  std::vector<double> o(6, 0.0);
  o[2] = 1.5;  // row 1, class 2
  const std::vector<double> base = predict(with_offset, view, s, PredictType::link,
                                           std::vector<double>(6, 0.0));
  const std::vector<double> moved = predict(with_offset, view, s, PredictType::link, o);
  for (std::size_t e = 0; e < base.size(); ++e)
    EXPECT_DOUBLE_EQ(moved[e] - base[e], e == 2 ? 1.5 : 0.0) << e;
  // the probabilities of a row sum to 1; its class is a label
  const std::vector<double> p = predict(plain, view, s, PredictType::response);
  EXPECT_NEAR(p[0] + p[2] + p[4], 1.0, 1e-15);
  const std::vector<double> cls = predict(plain, view, s, PredictType::class_label);
  ASSERT_EQ(cls.size(), 2u);
  EXPECT_NE(std::find(plain.class_labels.begin(), plain.class_labels.end(), cls[0]),
            plain.class_labels.end());
}

// The device path's block GEMMs (api/predict_device.hpp) take a multinomial model's m·C
// coefficient columns as they take m: on the CPU backend, blocks of 1, 7 and all rows give the
// host's linear predictors (the GPU runs the same code).
TEST(MultinomialModel, BlocksOfRowsGiveTheHostPredictions) {
  const Model m = fitted(kCases[1]);
  const CsvTable held = table("multinom_predict_new.csv");
  const auto n = std::int64_t(held.rows());
  const std::vector<double> X = features(held, kP);
  const MatrixView<double> view{X.data(), n, kP, n};
  const std::vector<double> s = case_rows(table("multinom_predict_s.csv"), 2).columns[1];
  const std::vector<double> want = predict(m, view, s, PredictType::link);
  const Coefficients c = coefficients(m, s);
  CpuBackend<double> be;
  for (const std::int64_t rows : {std::int64_t(1), std::int64_t(7), n}) {
    const std::vector<double> got = detail::linear_predictors(be, view, c, rows);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t e = 0; e < got.size(); ++e)
      EXPECT_NEAR(got[e], want[e], 1e-12 * std::max(1.0, std::fabs(want[e])))
          << "blocks of " << rows << " rows, value " << e;
  }
}

// ---- the command line -----------------------------------------------------------------------

const std::string kData = REGPATH_TEST_DATA_DIR;

std::string joined(const std::vector<double>& v) {
  std::string s;
  for (double x : v) s += (s.empty() ? "" : ",") + format_number(x);
  return s;
}

class MultinomialModelCli : public ::testing::Test {
 protected:
  std::string lambdas_ = joined(table("multinom_predict_lambdas.csv").columns[0]);
  std::string train_ = kData + "/multinom_predict_train.csv";
  std::string new_ = kData + "/multinom_predict_new.csv";
  std::string out_ = temp_path("mp.csv");

  // Predictions in P.csv for case `id` at the reference's s: column `<s>:<label>` (or `<s>`
  // for class) against the reference's value column `value`.
  void expect_predicted(const std::string& file, int id, bool classes) {
    const CsvTable got = read_csv(file);
    const CsvTable ref = case_rows(table(classes ? "multinom_predict_class.csv"
                                                 : "multinom_predict_ref.csv"), id);
    ASSERT_EQ(got.rows(), 20u);
    std::size_t checked = 0;
    double scale = 0, diff = 0;
    for (std::size_t e = 0; e < ref.rows(); ++e) {
      const std::string name = format_number(ref.columns[1][e]) +
                               (classes ? "" : ":" + format_number(ref.columns[3][e]));
      const double g = got.columns[got.column_index(name)][std::size_t(ref.columns[2][e]) - 1];
      const double w = ref.columns[classes ? 3 : 5][e];
      if (classes) {
        EXPECT_EQ(g, w) << name << " row " << ref.columns[2][e];
      } else {
        scale = std::max(scale, std::fabs(w));
        diff = std::max(diff, std::fabs(g - w));
      }
      ++checked;
    }
    EXPECT_LE(diff, 1e-5 * scale);
    EXPECT_EQ(checked, got.rows() * got.cols());
  }
};

TEST_F(MultinomialModelCli, FitSavePredictAndCoefAsGlmnet) {
  const std::string model = temp_path("mn.json");
  const CliRun f = run_cli("fit " + train_ + " --response y --family multinomial "
                           "--type-multinomial grouped --alpha 0.5 --lambda " + lambdas_ +
                           " --tol 1e-12 --quiet --output " + temp_path("mpath.csv") +
                           " --save-model " + model);
  ASSERT_EQ(f.status, 0) << f.all();
  const std::vector<double> s = case_rows(table("multinom_predict_s.csv"), 2).columns[1];
  const std::string list = joined(s);
  const CliRun r = run_cli("predict " + model + " " + new_ + " --lambda " + list +
                           " --type response --output " + out_);
  ASSERT_EQ(r.status, 0) << r.all();
  EXPECT_TRUE(contains(r.err, "multinomial")) << r.err;
  EXPECT_TRUE(contains(r.err, "above the model's path")) << r.err;
  EXPECT_TRUE(contains(r.err, "below the model's path")) << r.err;
  const std::string header = slurp(out_).substr(0, slurp(out_).find('\n'));
  EXPECT_EQ(header.substr(0, header.find(',', header.find(',') + 1)),
            format_number(s[0]) + ":2," + format_number(s[0]) + ":5")
      << header;
  expect_predicted(out_, 2, false);
  ASSERT_EQ(run_cli("predict " + model + " " + new_ + " --lambda " + list + " --output " +
                    out_).status, 0);
  {
    SCOPED_TRACE("link");
    const CsvTable got = read_csv(out_);
    const CsvTable ref = case_rows(table("multinom_predict_ref.csv"), 2);
    EXPECT_NEAR(got.columns[got.column_index(format_number(ref.columns[1][0]) + ":" +
                                             format_number(ref.columns[3][0]))][0],
                ref.columns[4][0], 1e-5);
    EXPECT_EQ(got.cols(), s.size() * 3);
  }
  ASSERT_EQ(run_cli("predict " + model + " " + new_ + " --lambda " + list +
                    " --type class --output " + out_).status, 0);
  EXPECT_EQ(slurp(out_).substr(0, slurp(out_).find('\n')), list) << "one column per λ";
  expect_predicted(out_, 2, true);
  // coef: lambda,class,intercept,<features>, C rows per λ, as regpath fit writes its path
  const std::string coef = temp_path("mcoef.csv");
  const CliRun c = run_cli("coef " + model + " --lambda " + list + " --output " + coef);
  ASSERT_EQ(c.status, 0) << c.all();
  const CsvTable got = read_csv(coef);
  ASSERT_EQ(got.names, (std::vector<std::string>{"lambda", "class", "intercept", "x1", "x2",
                                                 "x3", "x4", "x5", "x6"}));
  const CsvTable want = case_rows(table("multinom_predict_coef.csv"), 2);
  ASSERT_EQ(got.rows(), want.rows());
  double scale = 0, diff = 0;
  for (std::size_t i = 0; i < got.rows(); ++i) {
    EXPECT_EQ(got.columns[0][i], want.columns[1][i]);
    EXPECT_EQ(got.columns[1][i], want.columns[2][i]) << "the class label";
    for (std::size_t j = 2; j < got.cols(); ++j) {
      scale = std::max(scale, std::fabs(want.columns[j + 1][i]));
      diff = std::max(diff, std::fabs(got.columns[j][i] - want.columns[j + 1][i]));
    }
  }
  EXPECT_LE(diff, 1e-5 * scale);
  // coef at the path's own λ is fit's --output, byte for byte
  ASSERT_EQ(run_cli("coef " + model + " --lambda " + lambdas_ + " --output " + coef).status, 0);
  EXPECT_EQ(slurp(coef), slurp(temp_path("mpath.csv")));
}

TEST_F(MultinomialModelCli, OffsetModelNeedsOneColumnPerClass) {
  // the training and held-out rows with their offset columns o1..o3 appended
  const auto appended = [](const std::string& a, const std::string& b, const std::string& to) {
    const CsvTable x = read_csv(a), o = read_csv(b);
    std::string text;
    for (std::size_t j = 0; j < x.cols(); ++j) text += (j ? "," : "") + x.names[j];
    for (const auto& n : o.names) text += "," + n;
    text += "\n";
    for (std::size_t i = 0; i < x.rows(); ++i) {
      for (std::size_t j = 0; j < x.cols(); ++j)
        text += (j ? "," : "") + format_number(x.columns[j][i]);
      for (const auto& c : o.columns) text += "," + format_number(c[i]);
      text += "\n";
    }
    return temp_file(to, text);
  };
  const std::string data = appended(train_, kData + "/multinom_predict_offset.csv", "tr.csv");
  const std::string newdata =
      appended(new_, kData + "/multinom_predict_newoffset.csv", "new.csv");
  const std::string model = temp_path("mn_offset.json");
  const CliRun f = run_cli("fit " + data + " --response y --family multinomial --offset "
                           "o1,o2,o3 --lambda " + lambdas_ + " --tol 1e-12 --quiet --output " +
                           temp_path("mopath.csv") + " --save-model " + model);
  ASSERT_EQ(f.status, 0) << f.all();
  const std::string list = joined(case_rows(table("multinom_predict_s.csv"), 3).columns[1]);
  const std::string base = "predict " + model + " " + newdata + " --lambda " + list;
  const CliRun r = run_cli(base + " --type response --offset o1,o2,o3 --output " + out_);
  ASSERT_EQ(r.status, 0) << r.all();
  EXPECT_TRUE(contains(r.err, "ignoring 1 column")) << "the offsets are not extras: " << r.err;
  expect_predicted(out_, 3, false);
  const CliRun missing = run_cli(base + " --output " + out_);
  EXPECT_EQ(missing.status, 2);
  EXPECT_TRUE(contains(missing.err, "--offset COLUMN")) << missing.err;
  const CliRun one = run_cli(base + " --offset o1 --output " + out_);
  EXPECT_EQ(one.status, 2);
  EXPECT_TRUE(contains(one.err, "1 column for the 3 classes")) << one.err;
}

TEST_F(MultinomialModelCli, CvSavesTheModelAndPredictsAtLambda1se) {
  const std::string model = temp_path("mn_cv.json");
  const CliRun cv = run_cli("cv " + train_ + " --response y --family multinomial --lambda " +
                            lambdas_ + " --foldid " + kData + "/multinom_predict_foldid.csv "
                            "--tol 1e-12 --quiet --output " + temp_path("mcv.csv") +
                            " --save-model " + model);
  ASSERT_EQ(cv.status, 0) << cv.all();
  const CliRun r = run_cli("predict " + model + " " + new_ + " --lambda lambda.1se "
                           "--type response --output " + out_);
  ASSERT_EQ(r.status, 0) << r.all();
  EXPECT_TRUE(contains(r.err, "cv model")) << r.err;
  const std::vector<double> s = case_rows(table("multinom_predict_s.csv"), 4).columns[1];
  const CsvTable got = read_csv(out_);
  ASSERT_EQ(got.names, (std::vector<std::string>{format_number(s[1]) + ":2",
                                                 format_number(s[1]) + ":5",
                                                 format_number(s[1]) + ":9"}));
  const CsvTable ref = case_rows(table("multinom_predict_ref.csv"), 4);
  double diff = 0;
  std::size_t checked = 0;
  for (std::size_t e = 0; e < ref.rows(); ++e) {
    if (ref.columns[1][e] != s[1]) continue;
    const std::string name = format_number(s[1]) + ":" + format_number(ref.columns[3][e]);
    diff = std::max(diff, std::fabs(got.columns[got.column_index(name)]
                                                [std::size_t(ref.columns[2][e]) - 1] -
                                    ref.columns[5][e]));
    ++checked;
  }
  EXPECT_EQ(checked, 60u);
  EXPECT_LE(diff, 1e-5);  // probabilities: their scale is 1
  // lambda.min and the class type by default λ list: one column per λ
  ASSERT_EQ(run_cli("predict " + model + " " + new_ + " --lambda lambda.min,lambda.1se "
                    "--type class --output " + out_).status, 0);
  EXPECT_EQ(read_csv(out_).names,
            (std::vector<std::string>{format_number(s[0]), format_number(s[1])}));
  expect_predicted(out_, 4, true);
  const CliRun c = run_cli("coef " + model + " --lambda lambda.1se --output " + out_);
  ASSERT_EQ(c.status, 0) << c.all();
  EXPECT_EQ(read_csv(out_).rows(), 3u) << "one row per class";
}

TEST_F(MultinomialModelCli, HelpTextsDescribeMultinomial) {
  EXPECT_TRUE(contains(run_cli("predict --help").out, "<λ>:<class label>"));
  EXPECT_TRUE(contains(run_cli("coef --help").out, "lambda,class,intercept"));
  EXPECT_FALSE(contains(run_cli("fit --help").out, "multinomial: --plot, --save-model"));
  // a gaussian model still refuses --type class, naming both families that take it
  const std::string model = temp_path("g.json");
  ASSERT_EQ(run_cli("fit " + kData + "/predict_gaussian_train.csv --response y --nlambda 5 "
                    "--quiet --output " + temp_path("g.csv") + " --save-model " + model).status,
            0);
  const CliRun r = run_cli("predict " + model + " " + kData + "/predict_gaussian_new.csv "
                           "--type class --output " + out_);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "needs a binomial or multinomial model")) << r.err;
}

}  // namespace
}  // namespace regpath::test
