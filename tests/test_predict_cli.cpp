// regpath fit|cv --save-model, regpath predict and regpath coef as a user runs them: glmnet's
// predictions on held-out rows (scripts/make_predict_reference.R), the file layouts, the notices
// and warnings, and the errors.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "npy_writer.hpp"
#include "reference_data.hpp"

namespace regpath::test {
namespace {

using cli::CsvTable;
using cli::read_csv;

const std::string kData = REGPATH_TEST_DATA_DIR;

std::string joined_column(const std::string& file) {
  const CsvTable t = read_csv(kData + "/" + file);
  std::ostringstream os;
  os.precision(17);
  for (std::size_t i = 0; i < t.rows(); ++i) os << (i ? "," : "") << t.columns[0][i];
  return os.str();
}

class PredictCli : public ::testing::Test {
 protected:
  void expect_error(const std::string& args, int status, std::initializer_list<std::string> needles) {
    const CliRun r = run_cli(args);
    EXPECT_EQ(r.status, status) << args << "\n" << r.all();
    for (const auto& n : needles) EXPECT_TRUE(contains(r.err, n)) << "'" << n << "' not in: " << r.err;
    EXPECT_FALSE(contains(r.all(), "terminate")) << r.all();
  }
  // A fit of the reference's training rows at glmnet's λ list, saved.
  std::string saved_fit(const std::string& tag, const std::string& flags) {
    const std::string model = temp_path(tag + ".json");
    const CliRun r = run_cli("fit " + kData + "/predict_" + tag + "_train.csv --response y " + flags +
                             " --lambda " + joined_column("predict_" + tag + "_lambdas.csv") +
                             " --tol 1e-13 --device cpu --quiet --output " + temp_path("path.csv") +
                             " --save-model " + model);
    EXPECT_EQ(r.status, 0) << r.all();
    return model;
  }
  std::string saved_cv(const std::string& tag, const std::string& flags, const std::string& path) {
    const std::string model = temp_path("cv_" + tag + ".json");
    const CliRun r = run_cli("cv " + kData + "/predict_" + tag + "_train.csv --response y " + flags +
                             " --lambda " + joined_column("predict_cv_" + tag + "_lambdas.csv") +
                             " --foldid " + kData + "/predict_" + tag + "_foldid.csv --tol 1e-13 "
                             "--device cpu --quiet --output " + temp_path("cv.csv") +
                             " --path-output " + path + " --save-model " + model);
    EXPECT_EQ(r.status, 0) << r.all();
    return model;
  }
  // Column k of P.csv against column k of the reference, 1e-6 relative.
  void expect_columns(const std::string& got_file, const std::string& want_file,
                      const std::vector<std::size_t>& want_columns) {
    const CsvTable got = read_csv(got_file), want = read_csv(kData + "/" + want_file);
    ASSERT_EQ(got.cols(), want_columns.size());
    ASSERT_EQ(got.rows(), want.rows());
    for (std::size_t k = 0; k < got.cols(); ++k)
      for (std::size_t i = 0; i < got.rows(); ++i) {
        const double w = want.columns[want_columns[k]][i];
        EXPECT_NEAR(got.columns[k][i], w, 1e-6 * std::max(1.0, std::fabs(w)))
            << want_file << " column " << want_columns[k] << " row " << i;
      }
  }
  const std::string out_ = temp_path("p.csv");
};

TEST_F(PredictCli, FitModelPredictsAsGlmnet) {
  const std::string model = saved_fit("gaussian", "--alpha 0.5 --glmnet-y-scaling");
  const std::string s = joined_column("predict_gaussian_link_s.csv");
  const CliRun r = run_cli("predict " + model + " " + kData + "/predict_gaussian_new.csv --lambda " +
                           s + " --output " + out_);
  ASSERT_EQ(r.status, 0) << r.all();
  expect_columns(out_, "predict_gaussian_link.csv", {0, 1, 2, 3, 4, 5, 6, 7});
  // the header: the λ values, exactly as asked
  const CsvTable t = read_csv(out_);
  const CsvTable want_s = read_csv(kData + "/predict_gaussian_link_s.csv");
  for (std::size_t k = 0; k < t.cols(); ++k) EXPECT_EQ(std::stod(t.names[k]), want_s.columns[0][k]);
  EXPECT_TRUE(contains(r.err, "notice: ignoring 1 column")) << r.err;
  EXPECT_TRUE(contains(r.err, "'id'")) << r.err;
  EXPECT_TRUE(contains(r.err, "is above the model's path")) << r.err;
  EXPECT_TRUE(contains(r.err, "is below the model's path")) << r.err;
  // default λ: every λ of the fit
  ASSERT_EQ(run_cli("predict " + model + " " + kData + "/predict_gaussian_new.csv --quiet --output " +
                    out_).status, 0);
  EXPECT_EQ(read_csv(out_).cols(), 20u);
}

TEST_F(PredictCli, BinomialResponseAndClass) {
  const std::string model = saved_fit("binomial", "--family binomial");
  const std::string s = joined_column("predict_binomial_response_s.csv");
  const std::string base = "predict " + model + " " + kData + "/predict_binomial_new.csv --quiet --lambda " + s;
  ASSERT_EQ(run_cli(base + " --type response --output " + out_).status, 0);
  expect_columns(out_, "predict_binomial_response.csv", {0, 1, 2, 3, 4, 5, 6, 7});
  ASSERT_EQ(run_cli(base + " --type class --output " + out_).status, 0);
  const CsvTable got = read_csv(out_), want = read_csv(kData + "/predict_binomial_class.csv");
  EXPECT_EQ(got.columns, want.columns);
  // --device cpu: the same predictions, and the summary names the device
  const std::string base_loud =
      "predict " + model + " " + kData + "/predict_binomial_new.csv --lambda " + s;
  const CliRun r = run_cli(base_loud + " --type class --device cpu --output " + out_);
  ASSERT_EQ(r.status, 0) << r.all();
  EXPECT_EQ(read_csv(out_).columns, want.columns);
  EXPECT_TRUE(contains(r.err, "device cpu")) << r.err;
}

TEST_F(PredictCli, CvModelDefaultsToLambda1seAndMarksThePath) {
  const std::string path = temp_path("cvpath.csv");
  const std::string model = saved_cv("gaussian", "", path);
  const std::string data = kData + "/predict_gaussian_new.csv";
  ASSERT_EQ(run_cli("predict " + model + " " + data + " --quiet --output " + out_).status, 0);
  expect_columns(out_, "predict_cv_gaussian.csv", {1});  // lambda.1se, as cv.glmnet's predict
  ASSERT_EQ(run_cli("predict " + model + " " + data + " --lambda lambda.min,lambda.1se --quiet "
                    "--output " + out_).status, 0);
  expect_columns(out_, "predict_cv_gaussian.csv", {0, 1});
  // coef at lambda.min and lambda.1se, in fit's layout
  const std::string coef = temp_path("coef.csv");
  const CliRun c = run_cli("coef " + model + " --lambda lambda.min,lambda.1se --output " + coef);
  ASSERT_EQ(c.status, 0) << c.all();
  const CsvTable ct = read_csv(coef), want = read_csv(kData + "/predict_cv_gaussian_coef.csv");
  ASSERT_EQ(ct.names[0], "lambda");
  ASSERT_EQ(ct.names[1], "intercept");
  ASSERT_EQ(ct.names[2], "x1");
  ASSERT_EQ(ct.rows(), 2u);
  for (std::size_t j = 0; j < ct.cols(); ++j)
    for (std::size_t k = 0; k < 2; ++k)
      EXPECT_NEAR(ct.columns[j][k], want.columns[j][k], 1e-6 * std::max(1.0, std::fabs(want.columns[j][k])));
  // --path-output: the rows of lambda.min and lambda.1se are marked in two last columns
  const CsvTable pt = read_csv(path);
  ASSERT_GE(pt.cols(), 4u);
  EXPECT_EQ(pt.names[pt.cols() - 2], "is_lambda_min");
  EXPECT_EQ(pt.names[pt.cols() - 1], "is_lambda_1se");
  int min_rows = 0, se_rows = 0;
  for (std::size_t k = 0; k < pt.rows(); ++k) {
    if (pt.columns[pt.cols() - 2][k] == 1) {
      ++min_rows;
      EXPECT_EQ(pt.columns[0][k], ct.columns[0][0]);
    }
    if (pt.columns[pt.cols() - 1][k] == 1) {
      ++se_rows;
      EXPECT_EQ(pt.columns[0][k], ct.columns[0][1]);
    }
  }
  EXPECT_EQ(min_rows, 1);
  EXPECT_EQ(se_rows, 1);
}

TEST_F(PredictCli, CoefAtThePathsLambdasIsTheFitsOutputExactly) {
  const std::string model = temp_path("m.json"), path = temp_path("path.csv");
  const std::string coef = temp_path("coef.csv");
  ASSERT_EQ(run_cli("fit " + kData + "/predict_binomial_train.csv --response y --family binomial "
                    "--nlambda 12 --quiet --output " + path + " --save-model " + model).status, 0);
  const CliRun r = run_cli("coef " + model + " --quiet --output " + coef);
  ASSERT_EQ(r.status, 0) << r.all();
  EXPECT_EQ(slurp(coef), slurp(path));
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(PredictCli, ErrorsNameTheProblem) {
  const std::string model = saved_fit("gaussian", "");
  const std::string data = kData + "/predict_gaussian_new.csv";
  // a missing feature is named
  const std::string fewer = temp_file("fewer.csv", "x1,x2\n1,2\n3,4\n");
  expect_error("predict " + model + " " + fewer + " --output " + out_, 1, {fewer, "no column 'x3'"});
  expect_error("predict " + model + " " + data + " --type class --output " + out_, 2,
               {"--type class needs a binomial or multinomial model"});
  expect_error("predict " + model + " " + data + " --type probability --output " + out_, 2,
               {"--type", "'probability'"});
  expect_error("predict " + model + " " + data + " --lambda lambda.min --output " + out_, 2,
               {"lambda.min", "no cross-validation"});
  expect_error("predict " + model + " " + data + " --lambda -1 --output " + out_, 2, {"≥ 0"});
  expect_error("predict " + model + " " + data + " --device tpu --output " + out_, 2,
               {"--device", "'tpu'", "auto, cpu or cuda"});
  expect_error("predict " + model + " " + data + " --lambda 0.1,lambda.mid --output " + out_, 2,
               {"'lambda.mid' is neither a number nor lambda.min / lambda.1se"});
  expect_error("coef " + temp_dir() + " --output " + out_, 1, {"it is a directory"});
  expect_error("predict " + model + " " + data, 2, {"--output P.csv is required"});
  expect_error("predict " + model + " --output " + out_, 2, {"expected MODEL and NEW.csv"});
  expect_error("predict " + model + " " + data + " --output " + model, 2, {"--output"});
  // bad model files: corrupted, truncated, wrong version, not a model
  const std::string text = slurp(model);
  const std::string cut = temp_file("cut.json", text.substr(0, text.size() / 2));
  expect_error("predict " + cut + " " + data + " --output " + out_, 1, {cut, "not a valid JSON model file"});
  std::string v9 = text;
  v9.replace(v9.find("\"min_reader_version\": 1"), 23, "\"min_reader_version\": 9");
  const std::string newer = temp_file("v9.json", v9);
  expect_error("coef " + newer + " --output " + out_, 1, {newer, "needs a reader of format version 9"});
  expect_error("coef " + data + " --output " + out_, 1, {data, "not a valid JSON model file"});
  expect_error("coef /nonexistent/m.json --output " + out_, 1, {"/nonexistent/m.json"});
  EXPECT_FALSE(std::ifstream(out_).good()) << "nothing written after an error";
}

TEST_F(PredictCli, HelpDocumentsTheCommandsAndFlags) {
  const CliRun top = run_cli("--help");
  EXPECT_TRUE(contains(top.out, "  predict ")) << top.out;
  EXPECT_TRUE(contains(top.out, "  coef ")) << top.out;
  const CliRun p = run_cli("predict --help");
  EXPECT_EQ(p.status, 0);
  for (const char* s : {"MODEL NEW.csv", "--output P.csv", "--lambda S1,S2,...", "lambda.min",
                        "lambda.1se", "--type T", "link", "response", "class", "by name",
                        "interpolated linearly", "nearest end", "exit status"})
    EXPECT_TRUE(contains(p.out, s)) << s;
  const CliRun c = run_cli("coef --help");
  EXPECT_EQ(c.status, 0);
  for (const char* s : {"--output C.csv", "--lambda S1,S2,...", "lambda,intercept,<features"})
    EXPECT_TRUE(contains(c.out, s)) << s;
  EXPECT_TRUE(contains(run_cli("fit --help").out, "--save-model MODEL.json"));
  const CliRun cv = run_cli("cv --help");
  EXPECT_TRUE(contains(cv.out, "--save-model MODEL.json"));
  EXPECT_TRUE(contains(cv.out, "is_lambda_min"));
}

}  // namespace
}  // namespace regpath::test

namespace regpath::test {
namespace {

// NEW as a .npy array (columns x1..xp, as fit names a .npy DATA's): the same predictions as from
// the CSV; in C order too; a .npy with --x-dataset, or a CSV with --feature-names, is refused.
TEST(PredictNpy, SameAsTheCsv) {
  const Problem pr = load_problem("poisson_counts");
  const std::string csv = data_path("poisson_counts.csv"), model = temp_path("m.model");
  ASSERT_EQ(run_cli("fit " + csv + " --response y --family poisson --nlambda 6 --output " +
                    temp_path("fit.csv") + " --save-model " + model + " --quiet")
                .status,
            0);
  const std::string from_csv = temp_path("p_csv.csv");
  ASSERT_EQ(run_cli("predict " + model + " " + csv + " --type response --quiet --output " +
                    from_csv)
                .status,
            0);
  for (const bool fortran : {true, false}) {
    const std::string npy = temp_file(fortran ? "x_f.npy" : "x_c.npy",
                                      npy_matrix(pr.X, std::size_t(pr.n), std::size_t(pr.p),
                                                 fortran));
    const std::string from_npy = temp_path("p_npy.csv");
    const CliRun r = run_cli("predict " + model + " " + npy + " --type response --quiet --output " +
                             from_npy);
    ASSERT_EQ(r.status, 0) << r.all();
    EXPECT_EQ(slurp(from_npy), slurp(from_csv)) << (fortran ? "Fortran" : "C") << " order";
  }
  const std::string npy = temp_file("x.npy", npy_matrix(pr.X, std::size_t(pr.n),
                                                        std::size_t(pr.p), true));
  CliRun r = run_cli("predict " + model + " " + npy + " --x-dataset X --output " +
                     temp_path("p.csv"));
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--x-dataset is for an HDF5 NEW")) << r.err;
  r = run_cli("predict " + model + " " + csv + " --feature-names " + npy + " --output " +
              temp_path("p.csv"));
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "a CSV names its columns in its header")) << r.err;
}

}  // namespace
}  // namespace regpath::test
