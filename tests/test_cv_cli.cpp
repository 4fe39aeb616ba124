// `regpath cv` as a user runs it: the CV curve CSV, the selections on stdout, the full-data path
// and the plot, agreement with cv.glmnet end to end, and every bad input giving a message that
// names the problem with the right exit status. Also the pieces it brings along: fold id files
// and the progress bar.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli/fit_command.hpp"
#include "cli/fold_ids.hpp"
#include "cli/progress.hpp"
#include "cli_runner.hpp"
#include "regpath/regpath.hpp"

namespace regpath::cli {
namespace {

using test::CliRun;
using test::contains;
using test::run_cli;
using test::slurp;
using test::temp_file;
using test::temp_path;

std::size_t count(const std::string& s, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

// stdout's "key value" lines, in order (a key may repeat: one block per α).
std::vector<std::pair<std::string, std::string>> key_values(const std::string& out) {
  std::vector<std::pair<std::string, std::string>> kv;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    const auto sp = line.rfind(' ');
    if (sp != std::string::npos) kv.emplace_back(line.substr(0, sp), line.substr(sp + 1));
  }
  return kv;
}

// --device auto falls back to the CPU with a notice only for a device that is there but fails.
TEST(DeviceNotice, OnlyForADevicePresentButUnusable) {
  EXPECT_TRUE(cuda_present_but_unusable(
      "CUDA device 0 (NVIDIA H200): cublasCreate failed: CUBLAS_STATUS_NOT_INITIALIZED: x"));
  EXPECT_TRUE(cuda_present_but_unusable("CUDA device 1 (X, compute capability 7.0) cannot run"));
  EXPECT_FALSE(cuda_present_but_unusable("no CUDA device found"));
  EXPECT_FALSE(cuda_present_but_unusable(
      "cudaGetDeviceCount failed: cudaErrorInsufficientDriver: CUDA driver version is insufficient"));
  EXPECT_FALSE(cuda_present_but_unusable("regpath was built without CUDA (configure with ...)"));
  std::string why;
  if (!cuda_available(&why)) {  // here: whatever the reason, the CLI agrees with it
    std::ostringstream err;
    Options o;
    notice_device_fallback(o, err);
    EXPECT_EQ(err.str().empty(), !cuda_present_but_unusable(why)) << why << " / " << err.str();
  }
}

const std::string kData = test::test_data_dir();
const std::string kDiabetes = kData + "/../../data/diabetes.csv";
const std::string kBinom = kData + "/binom_tall.csv";
const std::string kBinomFolds = kData + "/cv_foldid_binom_tall.csv";
const std::vector<std::string> kHeader{"lambda", "cvm", "cvsd", "cvup", "cvlo", "nzero"};

class CvCli : public ::testing::Test {
 protected:
  void expect_error(const std::string& args, int status,
                    std::initializer_list<std::string> needles) {
    const CliRun r = run_cli(args);
    EXPECT_EQ(r.status, status) << args << "\n" << r.all();
    for (const auto& n : needles)
      EXPECT_TRUE(contains(r.err, n)) << "'" << n << "' not in: " << r.err;
    EXPECT_FALSE(contains(r.all(), "terminate")) << r.all();
    EXPECT_TRUE(r.out.empty()) << "no selections after an error: " << r.out;
  }
  // binom_tall.csv's fold ids with line `line` (1-based, the header is line 1) replaced.
  std::string fold_file_with(const std::string& name, std::size_t line, const std::string& text) {
    std::istringstream in(slurp(kBinomFolds));
    std::string l, out;
    for (std::size_t i = 1; std::getline(in, l); ++i) out += (i == line ? text : l) + "\n";
    return temp_file(name, out);
  }
  std::string cv_ = temp_path("cv.csv");
};

TEST_F(CvCli, GaussianCurveSelectionsPathAndPlot) {
  const std::string path = temp_path("path.csv"), plot = temp_path("cv.svg");
  const CliRun r = run_cli("cv " + kDiabetes + " --response progression --nfolds 5 --nlambda 20 "
                           "--output " + cv_ + " --path-output " + path + " --plot " + plot);
  ASSERT_EQ(r.status, 0) << r.all();

  const CsvTable t = read_csv(cv_);
  ASSERT_EQ(t.names, kHeader);
  ASSERT_EQ(t.rows(), 20u);
  std::size_t least = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    if (k > 0) {
      EXPECT_LT(t.columns[0][k], t.columns[0][k - 1]) << "descending λ";
    }
    EXPECT_GT(t.columns[1][k], 0);
    EXPECT_GE(t.columns[2][k], 0);
    EXPECT_EQ(t.columns[3][k], t.columns[1][k] + t.columns[2][k]);
    EXPECT_EQ(t.columns[4][k], t.columns[1][k] - t.columns[2][k]);
    EXPECT_EQ(t.columns[5][k], std::floor(t.columns[5][k]));
    if (t.columns[1][k] < t.columns[1][least]) least = k;
  }
  EXPECT_EQ(t.columns[5][0], 0) << "nothing enters at λ_max";

  const auto kv = key_values(r.out);
  ASSERT_EQ(kv.size(), 2u) << r.out;
  EXPECT_EQ(kv[0].first, "lambda.min");
  EXPECT_EQ(kv[1].first, "lambda.1se");
  const double lambda_min = std::stod(kv[0].second), lambda_1se = std::stod(kv[1].second);
  EXPECT_EQ(lambda_min, t.columns[0][least]) << "the λ of least cvm, printed exactly";
  EXPECT_GE(lambda_1se, lambda_min);
  const auto at = std::find(t.columns[0].begin(), t.columns[0].end(), lambda_1se);
  ASSERT_NE(at, t.columns[0].end()) << "lambda.1se is one of the λ";
  EXPECT_LE(t.columns[1][std::size_t(at - t.columns[0].begin())], t.columns[3][least]);

  for (const char* s : {"5 folds", "20 lambdas", "alpha 1", "gaussian", "n 442", "p 10", "device",
                        " s;"})
    EXPECT_TRUE(contains(r.err, s)) << s << " not in: " << r.err;

  const CsvTable p = read_csv(path);
  EXPECT_EQ(p.names, (std::vector<std::string>{"lambda", "intercept", "age", "sex", "bmi", "bp",
                                               "s1", "s2", "s3", "s4", "s5", "s6",
                                               "is_lambda_min", "is_lambda_1se"}));
  ASSERT_EQ(p.rows(), 20u);
  EXPECT_EQ(p.columns[0], t.columns[0]) << "the full-data path is on the curve's λ";

  const std::string svg = slurp(plot);
  ASSERT_EQ(svg.rfind("<svg", 0), 0u);
  for (const char* s : {">Cross-validation (gaussian, alpha=1, 5 folds)</text>",
                        ">Mean-squared error</text>", ">log(lambda)</text>", ">lambda.min</text>",
                        ">lambda.1se</text>"})
    EXPECT_TRUE(contains(svg, s)) << s;
  EXPECT_GE(count(svg, "<circle"), 20u) << "a point per λ";
  EXPECT_FALSE(contains(svg, "nan"));
}

// The same λ and folds as cv.glmnet (tests/data/cv_binom_tall_a1*.csv): the CLI's numbers are
// the library's, so they agree to cv.glmnet's digits and the selections are equal.
TEST_F(CvCli, BinomialWithFoldIdsMatchesCvGlmnet) {
  const CsvTable ref = read_csv(kData + "/cv_binom_tall_a1.csv");
  const CsvTable sel = read_csv(kData + "/cv_binom_tall_a1_select.csv");
  std::string lambdas;
  for (double l : ref.columns[0]) lambdas += (lambdas.empty() ? "" : ",") + format_number(l);
  const std::string plot = temp_path("cv.svg");
  const CliRun r = run_cli("cv " + kBinom + " --response y --family binomial --foldid " +
                           kBinomFolds + " --seed 7 --lambda " + lambdas + " --output " + cv_ +
                           " --plot " + plot);
  ASSERT_EQ(r.status, 0) << r.all();
  const CsvTable t = read_csv(cv_);
  ASSERT_EQ(t.names, kHeader);
  ASSERT_EQ(t.rows(), ref.rows());
  for (std::size_t k = 0; k < t.rows(); ++k) {
    EXPECT_EQ(t.columns[0][k], ref.columns[0][k]);
    EXPECT_NEAR(t.columns[1][k], ref.columns[1][k], 1e-6 * ref.columns[1][k]) << k;
    EXPECT_NEAR(t.columns[2][k], ref.columns[2][k], 1e-5 * ref.columns[2][k]) << k;
    EXPECT_EQ(t.columns[5][k], ref.columns[3][k]) << k;
  }
  const auto kv = key_values(r.out);
  ASSERT_EQ(kv.size(), 2u) << r.out;
  EXPECT_EQ(std::stod(kv[0].second), sel.columns[0][0]);
  EXPECT_EQ(std::stod(kv[1].second), sel.columns[1][0]);
  EXPECT_TRUE(contains(r.err, "5 folds (from " + kBinomFolds + ")")) << r.err;
  const std::string svg = slurp(plot);
  EXPECT_TRUE(contains(svg, ">Binomial deviance</text>"));
  EXPECT_TRUE(contains(svg, ">Cross-validation (binomial, alpha=1, 5 folds)</text>"));
}

TEST_F(CvCli, SeveralAlphas) {
  const std::string plot = temp_path("cv.svg"), path = temp_path("path.csv");
  const CliRun r = run_cli("cv " + kBinom + " --response y --family binomial --alphas 0.5,1 "
                           "--nfolds 4 --nlambda 12 --output " + cv_ + " --plot " + plot +
                           " --path-output " + path);
  ASSERT_EQ(r.status, 0) << r.all();
  const CsvTable t = read_csv(cv_);
  std::vector<std::string> header{"alpha"};
  header.insert(header.end(), kHeader.begin(), kHeader.end());
  ASSERT_EQ(t.names, header);
  // each α's rows in turn, 12 λ at most (the path ends early where glmnet's would)
  std::map<double, std::size_t> rows;  // α → its rows
  for (std::size_t k = 0; k < t.rows(); ++k) ++rows[t.columns[0][k]];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_GE(rows[0.5], 5u);
  EXPECT_LE(rows[0.5], 12u);
  EXPECT_GE(rows[1.0], 5u);
  EXPECT_LE(rows[1.0], 12u);
  std::map<double, double> least;  // α → least cvm
  for (std::size_t k = 0; k < t.rows(); ++k) {
    EXPECT_EQ(t.columns[0][k], k < rows[0.5] ? 0.5 : 1.0);
    if (k > 0 && t.columns[0][k] == t.columns[0][k - 1]) {
      EXPECT_LT(t.columns[1][k], t.columns[1][k - 1]) << "descending within α";
    }
    const auto it = least.find(t.columns[0][k]);
    if (it == least.end() || t.columns[2][k] < it->second) least[t.columns[0][k]] = t.columns[2][k];
  }
  const auto kv = key_values(r.out);
  ASSERT_EQ(kv.size(), 7u) << r.out;
  EXPECT_EQ(kv[0], (std::pair<std::string, std::string>{"alpha", "0.5"}));
  EXPECT_EQ(kv[1].first, "lambda.min");
  EXPECT_EQ(kv[2].first, "lambda.1se");
  EXPECT_EQ(kv[3], (std::pair<std::string, std::string>{"alpha", "1"}));
  EXPECT_EQ(kv[6].first, "best alpha");
  const double best = least[0.5] < least[1.0] ? 0.5 : 1.0;
  EXPECT_EQ(std::stod(kv[6].second), best) << r.out;

  const CsvTable p = read_csv(path);
  ASSERT_EQ(p.rows(), rows[best]);
  for (std::size_t k = 0; k < p.rows(); ++k)
    EXPECT_EQ(p.columns[0][k], t.columns[1][k + (best == 0.5 ? 0 : rows[0.5])])
        << "the best α's path";
  const std::string svg = slurp(plot);
  EXPECT_TRUE(contains(svg, ">alpha=0.5</text>"));
  EXPECT_TRUE(contains(svg, ">alpha=1</text>"));
  EXPECT_EQ(count(svg, ">lambda.min</text>"), 1u) << "markers of the best α only";
}

TEST_F(CvCli, RandomFoldsFollowTheSeed) {
  const std::string base = "cv " + kDiabetes + " --response progression --nfolds 4 --nlambda 8 ";
  const std::string a = temp_path("a.csv"), b = temp_path("b.csv"), c = temp_path("c.csv");
  ASSERT_EQ(run_cli(base + "--output " + a).status, 0);
  ASSERT_EQ(run_cli(base + "--seed 1 --output " + b).status, 0);
  ASSERT_EQ(run_cli(base + "--seed 2 --output " + c).status, 0);
  EXPECT_EQ(slurp(a), slurp(b)) << "seed 1 is the default";
  EXPECT_NE(slurp(a), slurp(c));
}

TEST_F(CvCli, QuietKeepsStdoutOnly) {
  const CliRun r = run_cli("cv " + kDiabetes + " --response progression --nfolds 3 --nlambda 5 "
                           "--quiet --output " + cv_);
  ASSERT_EQ(r.status, 0) << r.all();
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_EQ(key_values(r.out).size(), 2u) << r.out;
  const CliRun f = run_cli("fit " + kDiabetes + " --response progression --nlambda 5 --quiet "
                           "--output " + temp_path("path.csv"));
  ASSERT_EQ(f.status, 0) << f.all();
  EXPECT_TRUE(f.err.empty()) << f.err;
}

TEST_F(CvCli, NonConvergenceIsAWarning) {
  const CliRun r = run_cli("cv " + kData + "/wide.csv --response y --nfolds 3 --nlambda 6 "
                           "--tol 1e-14 --max-iter 2 --output " + cv_);
  ASSERT_EQ(r.status, 0) << r.all();
  EXPECT_TRUE(contains(r.err, "warning: alpha 1:")) << r.err;
  EXPECT_TRUE(contains(r.err, "did not converge")) << r.err;
  EXPECT_TRUE(contains(r.err, "max_iter")) << r.err;
  EXPECT_EQ(read_csv(cv_).rows(), 6u) << "the curve is written anyway";
}

TEST_F(CvCli, HelpDocumentsEveryFlagAndTheDefinitions) {
  const CliRun top = run_cli("--help");
  EXPECT_EQ(top.status, 0);
  EXPECT_TRUE(contains(top.out, "  cv ")) << top.out;
  const CliRun r = run_cli("cv --help");
  EXPECT_EQ(r.status, 0);
  for (const char* s :
       {"--response NAME", "--output CV.csv", "--family", "--alpha A", "--alphas A1,A2,...",
        "--lambda L1", "--nlambda", "--lambda-min-ratio", "--nfolds K", "--foldid FILE", "--seed S",
        "--no-standardize", "--no-intercept", "--tol", "--max-iter", "--device", "--precision",
        "--block-size", "--path-output PATH.csv", "--plot PLOT.svg", "--quiet", "--help",
        "ignored with --foldid", "cvm ", "cvsd", "lambda.min", "lambda.1se", "weighted by fold size",
        "standard error", "mean squared error", "deviance", "1e-5", "lambda,cvm,cvsd,cvup,cvlo,nzero",
        "best alpha", "exit status"})
    EXPECT_TRUE(contains(r.out, s)) << s;
  EXPECT_TRUE(contains(run_cli("fit --help").out, "--quiet"));
}

TEST_F(CvCli, BadFoldIdsNameTheProblem) {
  const std::string base = "cv " + kBinom + " --response y --family binomial --output " + cv_ +
                           " --foldid ";
  expect_error(base + "/nonexistent/folds.csv", 1, {"/nonexistent/folds.csv", "cannot open"});
  const std::string text = fold_file_with("text.csv", 4, "two");
  expect_error(base + text, 1, {text, "line 4", "'two'", "not an integer"});
  const std::string frac = fold_file_with("frac.csv", 3, "2.5");
  expect_error(base + frac, 1, {frac, "line 3", "'2.5'"});
  const std::string zero = fold_file_with("zero.csv", 7, "0");
  expect_error(base + zero, 1, {zero, "line 7", "fold id 0", "outside 1..K"});
  std::string lines = slurp(kBinomFolds);
  lines.erase(lines.rfind('\n', lines.size() - 2) + 1);  // drop the last id
  const std::string short_file = temp_file("short.csv", lines);
  expect_error(base + short_file, 1, {short_file + " has 199 fold ids for 200 data rows"});
  const std::string gap = temp_file("gap.csv", [] {
    std::string s = "foldid\n";
    for (int i = 0; i < 200; ++i) s += std::to_string(i % 3 == 1 ? 4 : i % 3 + 1) + "\n";
    return s;
  }());
  expect_error(base + gap, 1, {"fold 2", "no rows"});
  const std::string two = temp_file("two.csv", [] {
    std::string s;
    for (int i = 0; i < 200; ++i) s += std::to_string(i % 2 + 1) + "\n";
    return s;
  }());
  expect_error(base + two, 1, {"2 folds", "at least 3"});
  expect_error(base + kBinomFolds + " --nfolds 4", 2,
               {"--nfolds 4", "--foldid", "largest fold id is 5"});
  EXPECT_EQ(run_cli(base + kBinomFolds + " --nfolds 5 --nlambda 5").status, 0);
}

TEST_F(CvCli, BadArgumentsNameTheArgument) {
  const std::string base = "cv " + kDiabetes + " --response progression --output " + cv_ + " ";
  expect_error(base + "--nfolds 2", 2, {"--nfolds 2", "at least 3"});
  expect_error(base + "--nfolds x", 2, {"--nfolds", "'x'"});
  // One exit status for one kind of error: too many folds is a usage error, as too few is.
  expect_error(base + "--nfolds 1000", 2, {"--nfolds 1000", "442 data rows", "3 <= K <= 442"});
  expect_error(base + "--alpha 2", 2, {"alpha", "2"});
  expect_error(base + "--alphas 0.5,2", 2, {"--alphas", "alpha", "2"});
  expect_error(base + "--alphas 0.5,", 2, {"--alphas", "empty item"});
  expect_error(base + "--alphas 0.5,1 --alpha 1", 2, {"--alpha", "--alphas", "not both"});
  expect_error(base + "--seed -3", 2, {"--seed", "-3"});
  expect_error(base + "--lambda 1 --nlambda 3", 2, {"--lambda", "--nlambda"});
  expect_error(base + "--frobnicate", 2, {"unknown option", "--frobnicate"});
  expect_error(base + "--family binomial", 1, {"binomial", "0/1"});
  expect_error("cv " + kDiabetes + " --response progression", 2, {"--output"});
  expect_error("cv --response progression --output " + cv_, 2, {"missing DATA.csv"});
  expect_error("cv " + kDiabetes + " --response nope --output " + cv_, 1, {"nope"});
  expect_error(base + "--nlambda 5 --plot /nonexistent/dir/cv.svg", 1, {"/nonexistent/dir/cv.svg"});
  expect_error("cv " + kDiabetes + " --response progression --output /nonexistent/dir/cv.csv", 1,
               {"/nonexistent/dir/cv.csv", "cannot write"});
}

// ---- fold id files -----------------------------------------------------------------------------

TEST(CvFoldIds, HeaderLineEndingsAndTrailingBlankLines) {
  const std::string dir = temp_path("fold_ids_");
  auto file = [&](const std::string& name, const std::string& content) {
    std::ofstream(dir + name, std::ios::binary) << content;
    return dir + name;
  };
  EXPECT_EQ(read_fold_ids(file("a.csv", "foldid\n1\n2\n3\n"), 3), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(read_fold_ids(file("b.csv", "\"foldid\"\r\n3\r\n 1 \r\n2\r\n\r\n\n"), 3),
            (std::vector<int>{3, 1, 2}));
  EXPECT_EQ(read_fold_ids(file("c.csv", "2\n1\n3"), 3), (std::vector<int>{2, 1, 3}));
  try {
    read_fold_ids(file("d.csv", "1\n\n2\n3\n"), 3);
    FAIL() << "a blank line between ids shifts the rows";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "line 2")) << e.what();
  }
  try {
    read_fold_ids(file("e.csv", "foldid\n1\n2\n3\n4\n"), 3);
    FAIL() << "too many ids";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "has 4 fold ids for 3 data rows")) << e.what();
  }
  EXPECT_THROW(read_fold_ids(file("f.csv", "1\n2\n99999999999999999999\n"), 3), InputError);
  EXPECT_THROW(read_fold_ids(file("g.csv", "1\n-2\n3\n"), 3), InputError);
}

// ---- the progress bar (regpath fit and cv) -----------------------------------------------------

TEST(CliProgressBar, DrawsThrottlesAndClears) {
  std::ostringstream os;
  {
    ProgressBar bar(os, "cv", true);
    bar.update(0.45);
    const std::string first = os.str();
    EXPECT_EQ(first.rfind("\r[", 0), 0u) << first;
    EXPECT_TRUE(contains(first, "]  45%  cv")) << first;
    EXPECT_EQ(count(first, "#"), 13u) << "45 % of 30 columns, rounded down";
    bar.update(0.5);  // right away: not redrawn
    EXPECT_EQ(os.str(), first);
    bar.callback()(2.0);  // clamped, but still within 100 ms
    EXPECT_EQ(os.str(), first);
    bar.clear();
    const std::string cleared = os.str().substr(first.size());
    EXPECT_EQ(cleared, "\r" + std::string(first.size() - 1, ' ') + "\r");
    bar.clear();  // nothing on the screen: nothing to erase
    EXPECT_EQ(os.str().size(), first.size() + cleared.size());
    bar.update(1.0);  // a new line after a clear is drawn at once
    EXPECT_TRUE(contains(os.str(), "] 100%  cv"));
  }
  EXPECT_EQ(os.str().back(), '\r') << "the destructor erases the bar";
}

TEST(CliProgressBar, QuietWhenDisabledOrNotATerminal) {
  std::ostringstream os;
  {
    ProgressBar bar(os, "fit", false);
    bar.update(0.3);
    bar.callback()(0.9);
  }
  EXPECT_TRUE(os.str().empty());
  EXPECT_FALSE(progress_enabled(os, false)) << "only stderr can be a terminal";
  EXPECT_FALSE(progress_enabled(std::cerr, true)) << "--quiet";
}

// ---- a lambda.min at the end of a path that ended early ------------------------------------------

// Nearly noise-free data: the deviance explained passes 0.999 early, glmnet's rule ends the path
// after about 40 of 100 λ, and the CV error still falls at its last λ.
std::string clean_data() {
  std::ostringstream os;
  os << "x1,x2,x3,y\n";
  std::uint64_t state = 3;
  auto gauss = [&state] {  // a small fixed generator: the file is the same everywhere
    double s = 0;
    for (int i = 0; i < 12; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      s += double(state >> 11) / 9007199254740992.0;
    }
    return s - 6;
  };
  for (int i = 0; i < 40; ++i) {
    const double a = gauss(), b = gauss(), c = gauss();
    os << format_number(a) << ',' << format_number(b) << ',' << format_number(c) << ','
       << format_number(2 * a - b + 0.01 * gauss()) << '\n';
  }
  return os.str();
}

TEST(CvTruncatedPath, LambdaMinAtTheEndIsFlaggedAndWarned) {
  const std::string data = temp_file("clean.csv", clean_data());
  const std::string base = "cv " + data + " --response y --nfolds 4 --output " + temp_path("cv.csv");
  CliRun r = run_cli(base + " --quiet");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.err, "warning: lambda.min")) << r.output;
  EXPECT_TRUE(contains(r.err, "is at the end of the path, which ended early")) << r.output;
  EXPECT_TRUE(contains(r.err, "give --lambda with values reaching below")) << r.output;
  // In the result too.
  const CsvTable t = read_csv(data);
  std::vector<double> X(t.columns[0]);
  X.insert(X.end(), t.columns[1].begin(), t.columns[1].end());
  X.insert(X.end(), t.columns[2].begin(), t.columns[2].end());
  regpath::Options o;
  o.device = regpath::Device::cpu;
  regpath::CvOptions cv;
  cv.nfolds = 4;
  const regpath::CvResult res = regpath::cross_validate(regpath::MatrixView<double>{X.data(), 40, 3, 40}, t.columns[3].data(), o, cv);
  const regpath::CvCurve& c = res.curves[0];
  EXPECT_TRUE(c.path_ended_early);
  EXPECT_LT(c.lambdas.size(), 100u);
  EXPECT_TRUE(c.lambda_min_at_end);
  EXPECT_EQ(c.index_min + 1, c.lambdas.size());
  // An explicit list is solved in full: nothing ended early, no flag.
  o.lambdas = {1, 0.1, 0.01, 0.001};
  const regpath::CvResult full = regpath::cross_validate(regpath::MatrixView<double>{X.data(), 40, 3, 40}, t.columns[3].data(), o, cv);
  EXPECT_FALSE(full.curves[0].path_ended_early);
  EXPECT_FALSE(full.curves[0].lambda_min_at_end);
  // The diabetes curve ends early too, but its minimum is well inside: no warning.
  r = run_cli("cv " + kDiabetes + " --response progression --nfolds 3 --output " + temp_path("d.csv"));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_FALSE(contains(r.err, "warning: lambda.min")) << r.output;
}

}  // namespace
}  // namespace regpath::cli
