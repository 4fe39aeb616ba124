// `regpath fit|cv --response A,B,C` and `--responses-file NAMES.txt`: several responses of one
// DATA.csv, outputs with a leading response column, R glmnet's numbers per response (the
// reference of scripts/make_many_responses_reference.R), one response unchanged byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli_runner.hpp"
#include "reference_data.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

const std::string kGauss = data_path("many_gauss.csv");
const std::string kFolds = data_path("many_foldid_gauss.csv");

// A CSV whose first column is text (the response's name): its header and, per first cell, the
// numbers of the other cells of each row.
struct Grouped {
  std::vector<std::string> header;
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::vector<double>>> rows;
};

Grouped read_grouped(const std::string& path) {
  std::stringstream in(slurp(path));
  Grouped g;
  std::string line;
  std::getline(in, line);
  g.header = split_cells(line);
  while (std::getline(in, line)) {
    const std::vector<std::string> cells = split_cells(line);
    if (g.rows.find(cells[0]) == g.rows.end()) g.order.push_back(cells[0]);
    std::vector<double> values;
    for (std::size_t j = 1; j < cells.size(); ++j) values.push_back(std::stod(cells[j]));
    g.rows[cells[0]].push_back(values);
  }
  return g;
}

std::vector<double> ref_rows(const cli::CsvTable& t, double alpha, int k, std::size_t col) {
  std::vector<double> out;
  for (std::size_t i = 0; i < t.rows(); ++i)
    if (t.columns[0][i] == alpha && t.columns[1][i] == double(k)) out.push_back(t.columns[col][i]);
  return out;
}

std::string joined(const std::vector<double>& v) {
  std::string s;
  for (const double x : v) s += (s.empty() ? "" : ",") + cli::format_number(x);
  return s;
}

// Every response its own default path (its own λ_max), each R glmnet's.
TEST(ManyResponsesCli, FitMatchesGlmnetPerResponse) {
  const cli::CsvTable ref = cli::read_csv(data_path("many_ref_gauss.csv"));
  const std::string out = temp_path("paths.csv");
  const CliRun r = run_cli("fit " + kGauss + " --response y1,y2,y3,y4 --nlambda 20 --tol 1e-12 "
                           "--device cpu --output " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.err, "4 responses")) << r.err;
  const Grouped g = read_grouped(out);
  ASSERT_EQ(g.header.size(), 3u + 7u);
  EXPECT_EQ(g.header[0], "response");
  EXPECT_EQ(g.header[1], "lambda");
  EXPECT_EQ(g.header[2], "intercept");
  EXPECT_EQ(g.header[3], "x1");
  ASSERT_EQ(g.order, (std::vector<std::string>{"y1", "y2", "y3", "y4"}));
  for (int k = 1; k <= 4; ++k) {
    const auto& rows = g.rows.at("y" + std::to_string(k));
    const std::vector<double> lambdas = ref_rows(ref, 1, k, 2);
    ASSERT_EQ(rows.size(), 20u);
    ASSERT_LE(lambdas.size(), rows.size());
    for (std::size_t l = 0; l < lambdas.size(); ++l) {
      EXPECT_NEAR(rows[l][0], lambdas[l], 1e-10 * lambdas[l]) << "y" << k;
      double scale = 0, diff = 0;
      for (std::size_t j = 0; j < 8; ++j) {  // intercept, then x1..x7
        const double theirs = ref_rows(ref, 1, k, 3 + j)[l];
        scale = std::max(scale, std::fabs(theirs));
        diff = std::max(diff, std::fabs(rows[l][1 + j] - theirs));
      }
      EXPECT_LE(diff, 5e-6 * scale) << "y" << k << " lambda " << l;
    }
  }
}

// Binomial responses (each 0/1), each its own glmnet path.
TEST(ManyResponsesCli, BinomialFitMatchesGlmnetPerResponse) {
  const cli::CsvTable ref = cli::read_csv(data_path("many_ref_binom.csv"));
  const std::string out = temp_path("paths.csv");
  const CliRun r = run_cli("fit " + data_path("many_binom.csv") + " --response y1,y2,y3 "
                           "--family binomial --nlambda 20 --tol 1e-10 --device cpu --quiet "
                           "--output " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  const Grouped g = read_grouped(out);
  ASSERT_EQ(g.order, (std::vector<std::string>{"y1", "y2", "y3"}));
  for (int k = 1; k <= 3; ++k) {
    const auto& rows = g.rows.at("y" + std::to_string(k));
    const std::vector<double> lambdas = ref_rows(ref, 1, k, 2);
    ASSERT_LE(lambdas.size(), rows.size());
    for (std::size_t l = 0; l < lambdas.size(); ++l) {
      EXPECT_NEAR(rows[l][0], lambdas[l], 1e-10 * lambdas[l]) << "y" << k;
      double scale = 0, diff = 0;
      for (std::size_t j = 0; j < 6; ++j) {  // intercept, then x1..x5
        const double theirs = ref_rows(ref, 1, k, 3 + j)[l];
        scale = std::max(scale, std::fabs(theirs));
        diff = std::max(diff, std::fabs(rows[l][1 + j] - theirs));
      }
      EXPECT_LE(diff, 2e-3 * std::max(scale, 1e-12)) << "y" << k << " lambda " << l;
    }
  }
}

// --responses-file NAMES.txt is --response A,B: the same bytes.
TEST(ManyResponsesCli, ResponsesFileEqualsList) {
  const std::string names = temp_file("names.txt", "y3\r\ny1\n\n");
  const std::string a = temp_path("a.csv"), b = temp_path("b.csv");
  ASSERT_EQ(run_cli("fit " + kGauss + " --response y3,y1 --nlambda 6 --quiet --output " + a).status,
            0);
  const CliRun r = run_cli("fit " + kGauss + " --responses-file " + names +
                           " --nlambda 6 --quiet --output " + b);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(slurp(a), slurp(b));
  EXPECT_EQ(read_grouped(b).order, (std::vector<std::string>{"y3", "y1"}));
}

// --threads: the same output, byte for byte, for any number (fit and cv); a bad count is named.
TEST(ManyResponsesCli, ThreadsGiveTheSameOutput) {
  for (const std::string command : {"fit", "cv"}) {
    std::string first;
    for (const std::string threads : {"1", "3"}) {
      const std::string out = temp_path(command + threads + ".csv");
      const CliRun r = run_cli(command + " " + kGauss + " --response y1,y2,y3,y4 --nlambda 8 " +
                               "--device cpu --quiet --threads " + threads + " --output " + out);
      ASSERT_EQ(r.status, 0) << r.output;
      if (first.empty()) first = slurp(out);
      EXPECT_EQ(slurp(out), first) << command << " --threads " << threads;
    }
  }
  const CliRun bad = run_cli("fit " + kGauss + " --response y1,y2 --threads -1 --output " +
                             temp_path("bad.csv"));
  EXPECT_NE(bad.status, 0);
  EXPECT_TRUE(contains(bad.err, "threads")) << bad.err;
}

// One response: today's format, byte for byte, however it is named.
TEST(ManyResponsesCli, OneResponseIsUnchanged) {
  const std::string names = temp_file("one.txt", "y2\n");
  const std::string a = temp_path("a.csv"), b = temp_path("b.csv");
  ASSERT_EQ(run_cli("fit " + kGauss + " --response y2 --nlambda 6 --quiet --output " + a).status,
            0);
  const CliRun r = run_cli("fit " + kGauss + " --responses-file " + names +
                           " --nlambda 6 --quiet --output " + b);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(slurp(a), slurp(b));
  EXPECT_EQ(slurp(a).rfind("lambda,intercept,", 0), 0u);
}

// A column whose name holds a comma is one response.
TEST(ManyResponsesCli, CommaInAColumnNameIsOneResponse) {
  const std::string f = temp_file("comma.csv", "a,b,\"y,z\"\n1,2,5\n2,1,6\n3,7,8\n4,4,1\n");
  const std::string out = temp_path("out.csv");
  const CliRun r = run_cli("fit " + f + " --response 'y,z' --nlambda 3 --quiet --output " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(slurp(out).rfind("lambda,intercept,a,b\n", 0), 0u) << slurp(out);
}

// One curve per response on the same folds; response 1's is cv.glmnet's.
TEST(ManyResponsesCli, CvOneCurvePerResponse) {
  const cli::CsvTable cvref = cli::read_csv(data_path("many_cv_gauss.csv"));
  const cli::CsvTable ref = cli::read_csv(data_path("many_ref_gauss.csv"));
  const std::string out = temp_path("cv.csv");
  const CliRun r = run_cli("cv " + kGauss + " --response y1,y2,y3,y4 --foldid " + kFolds +
                           " --tol 1e-12 --device cpu --lambda " + joined(ref_rows(ref, 1, 1, 2)) +
                           " --output " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  const Grouped g = read_grouped(out);
  EXPECT_EQ(g.header[0], "response");
  EXPECT_EQ(g.header[1], "lambda");
  EXPECT_EQ(g.header[2], "cvm");
  ASSERT_EQ(g.order, (std::vector<std::string>{"y1", "y2", "y3", "y4"}));
  const std::vector<double> cvm = ref_rows(cvref, 1, 1, 3);
  const auto& rows = g.rows.at("y1");
  ASSERT_EQ(rows.size(), cvm.size());
  for (std::size_t l = 0; l < cvm.size(); ++l) EXPECT_NEAR(rows[l][1], cvm[l], 1e-5 * cvm[l]);
  // stdout: a "response NAME" line before each response's selections
  std::stringstream lines(r.out);
  std::vector<std::string> words;
  std::string w;
  while (lines >> w) words.push_back(w);
  ASSERT_EQ(words.size(), 24u) << r.out;
  EXPECT_EQ(words[0], "response");
  EXPECT_EQ(words[1], "y1");
  EXPECT_EQ(words[2], "lambda.min");
  EXPECT_EQ(words[4], "lambda.1se");
  EXPECT_EQ(words[6], "response");
  EXPECT_EQ(words[7], "y2");
}

// The first three columns (row, Df, %Dev) and Lambda of each --print-path line: what the
// separate runs must match (iterations and gaps may differ in the last digits, not these).
std::vector<std::string> printed_rows(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream cells(line);
    std::string row, df, dev, lambda;
    if (cells >> row >> df >> dev >> lambda)
      out.push_back(row + " " + df + " " + dev + " " + lambda);
  }
  return out;
}

// many_gauss.csv with only the columns `keep` (by index), as a temp file.
std::string csv_columns(const std::string& name, const std::vector<std::size_t>& keep) {
  std::stringstream in(slurp(kGauss));
  std::string line, text;
  while (std::getline(in, line)) {
    const std::vector<std::string> cells = split_cells(line);
    for (std::size_t j = 0; j < keep.size(); ++j) text += (j ? "," : "") + cells[keep[j]];
    text += '\n';
  }
  return temp_file(name, text);
}

// fit --print-path with several responses: one table per response, headed "response NAME",
// each the table of that response fitted alone on the same features (x1..x7; in DATA.csv the
// other responses are left out of the features only when they are named).
TEST(ManyResponsesCli, PrintPathOneTablePerResponse) {
  const std::string opts = " --nlambda 8 --tol 1e-12 --device cpu --quiet --print-path --output ";
  const std::string both = csv_columns("both.csv", {0, 1, 2, 3, 4, 5, 6, 7, 9});
  const CliRun many = run_cli("fit " + both + " --response y1,y3" + opts + temp_path("m.csv"));
  ASSERT_EQ(many.status, 0) << many.output;
  const std::size_t second = many.out.find("\nresponse y3\n");
  ASSERT_EQ(many.out.rfind("response y1\n", 0), 0u) << many.out;
  ASSERT_NE(second, std::string::npos) << many.out;
  const std::vector<std::string> blocks{many.out.substr(0, second), many.out.substr(second)};
  for (std::size_t r = 0; r < 2; ++r) {
    const std::string name = r == 0 ? "y1" : "y3";
    const std::string alone = csv_columns(name + "_alone.csv", {0, 1, 2, 3, 4, 5, 6, r ? 9u : 7u});
    const CliRun one = run_cli("fit " + alone + " --response " + name + opts +
                               temp_path(name + ".csv"));
    ASSERT_EQ(one.status, 0) << one.output;
    const std::vector<std::string> want = printed_rows(one.out);
    EXPECT_GE(want.size(), 8u + 1u) << one.out;  // the header line, then one line per λ
    EXPECT_EQ(printed_rows(blocks[r]), want) << name;
  }
}

// --weights FILE and --offset COLUMN with several responses (fit and cv): the same for every
// response, each response's output that response's own run with the same flags (x7 the offset,
// then not a feature); a bad weight named with its file.
TEST(ManyResponsesCli, WeightsAndOffsetApplyToEveryResponse) {
  const std::size_t n = cli::read_csv(kGauss).rows();
  std::string weights;
  for (std::size_t i = 0; i < n; ++i) weights += cli::format_number(0.5 + double(i % 5) / 4) + "\n";
  const std::string wfile = temp_file("w.txt", weights);
  const std::string flags = " --nlambda 8 --tol 1e-12 --device cpu --quiet --weights " + wfile +
                            " --offset x7 --output ";
  const std::string both = csv_columns("both.csv", {0, 1, 2, 3, 4, 5, 6, 7, 9});
  const CliRun many = run_cli("fit " + both + " --response y1,y3 --print-path" + flags +
                              temp_path("m.csv"));
  ASSERT_EQ(many.status, 0) << many.output;
  const std::string cv_many = temp_path("cv.csv");
  const CliRun cvm = run_cli("cv " + both + " --response y1,y3" + flags + cv_many);
  ASSERT_EQ(cvm.status, 0) << cvm.output;
  const Grouped cv = read_grouped(cv_many);
  const std::size_t second = many.out.find("\nresponse y3\n");
  ASSERT_NE(second, std::string::npos) << many.out;
  const std::vector<std::string> blocks{many.out.substr(0, second), many.out.substr(second)};
  for (std::size_t r = 0; r < 2; ++r) {
    const std::string name = r == 0 ? "y1" : "y3";
    SCOPED_TRACE(name);
    const std::string alone = csv_columns(name + "_alone.csv", {0, 1, 2, 3, 4, 5, 6, r ? 9u : 7u});
    const CliRun one = run_cli("fit " + alone + " --response " + name + " --print-path" + flags +
                               temp_path(name + ".csv"));
    ASSERT_EQ(one.status, 0) << one.output;
    const std::vector<std::string> want = printed_rows(one.out);
    EXPECT_GE(want.size(), 2u) << one.out;
    EXPECT_EQ(printed_rows(blocks[r]), want);
    EXPECT_EQ(want.front().find("x7"), std::string::npos) << want.front();  // not a feature
    const std::string cv_one = temp_path(name + "_cv.csv");
    const CliRun c1 = run_cli("cv " + alone + " --response " + name + flags + cv_one);
    ASSERT_EQ(c1.status, 0) << c1.output;
    const cli::CsvTable own = cli::read_csv(cv_one);
    const auto& rows = cv.rows.at(name);
    ASSERT_EQ(rows.size(), own.rows());
    for (std::size_t i = 0; i < rows.size(); ++i)
      for (std::size_t j = 0; j < own.cols(); ++j)
        EXPECT_EQ(rows[i][j], own.columns[j][i]) << "row " << i << " column " << own.names[j];
  }
  const CliRun with_offset = run_cli("fit " + both + " --response y1,y3 --nlambda 8 --tol 1e-12 "
                                     "--device cpu --quiet --offset x7 --print-path --output " +
                                     temp_path("o.csv"));
  ASSERT_EQ(with_offset.status, 0) << with_offset.output;
  EXPECT_NE(with_offset.out, many.out);  // the weights are used
  const std::string bad = temp_file("bad.txt", "-1\n" + weights.substr(weights.find('\n') + 1));
  const CliRun refused = run_cli("fit " + both + " --response y1,y3 --device cpu --quiet "
                                 "--weights " + bad + " --output " + temp_path("b.csv"));
  EXPECT_EQ(refused.status, 1) << refused.output;
  EXPECT_NE(refused.err.find(bad + " (--weights): invalid weights"), std::string::npos)
      << refused.err;
}

// cv --path-output with several responses: the full-data paths with a leading response column,
// each that response's own cv --path-output on the same features and folds (to rounding).
TEST(ManyResponsesCli, CvPathOutputPerResponse) {
  const std::string opts = " --foldid " + kFolds + " --nlambda 8 --tol 1e-12 --device cpu --quiet";
  const std::string both = csv_columns("both.csv", {0, 1, 2, 3, 4, 5, 6, 7, 9});
  const std::string paths = temp_path("paths.csv");
  const CliRun many = run_cli("cv " + both + " --response y1,y3" + opts + " --output " +
                              temp_path("cv.csv") + " --path-output " + paths);
  ASSERT_EQ(many.status, 0) << many.output;
  const Grouped g = read_grouped(paths);
  EXPECT_EQ(g.header[0], "response");
  EXPECT_EQ(g.header[1], "lambda");
  EXPECT_EQ(g.header.back(), "is_lambda_1se");
  ASSERT_EQ(g.order, (std::vector<std::string>{"y1", "y3"}));
  for (std::size_t r = 0; r < 2; ++r) {
    const std::string name = r == 0 ? "y1" : "y3";
    const std::string alone = csv_columns(name + "_alone.csv", {0, 1, 2, 3, 4, 5, 6, r ? 9u : 7u});
    const std::string own = temp_path(name + "_path.csv");
    const CliRun one = run_cli("cv " + alone + " --response " + name + opts + " --output " +
                               temp_path(name + "_cv.csv") + " --path-output " + own);
    ASSERT_EQ(one.status, 0) << one.output;
    const cli::CsvTable t = cli::read_csv(own);
    const auto& rows = g.rows.at(name);
    ASSERT_EQ(rows.size(), t.rows()) << name;
    ASSERT_EQ(rows[0].size(), t.cols()) << name;
    for (std::size_t i = 0; i < t.rows(); ++i)
      for (std::size_t j = 0; j < t.cols(); ++j)
        EXPECT_NEAR(rows[i][j], t.columns[j][i], 1e-9 * (1 + std::fabs(t.columns[j][i])))
            << name << " row " << i << " column " << t.names[j];
  }
}

// `predict MODEL NEW.csv`'s numbers (header dropped), for comparing two models' predictions.
std::vector<double> predictions(const std::string& model, const std::string& tag) {
  const std::string out = temp_path(tag + "_pred.csv");
  const CliRun r = run_cli("predict " + model + " " + kGauss + " --quiet --output " + out);
  EXPECT_EQ(r.status, 0) << r.output;
  std::vector<double> values;
  const cli::CsvTable t = cli::read_csv(out);
  for (const auto& column : t.columns) values.insert(values.end(), column.begin(), column.end());
  return values;
}

void expect_near_all(const std::vector<double>& a, const std::vector<double>& b,
                     const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  ASSERT_FALSE(a.empty()) << what;
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_NEAR(a[i], b[i], 1e-9 * (1 + std::fabs(b[i]))) << what << " [" << i << "]";
}

// --plot and --save-model with several responses: one file per response, named from the
// {response} pattern; each model predicts as the model of that response fitted alone, each plot
// is titled with its response.
TEST(ManyResponsesCli, PlotAndModelPerResponse) {
  const std::string dir = temp_path("");
  const std::string common = " --nlambda 12 --tol 1e-12 --device cpu --quiet ";
  CliRun r = run_cli("fit " + kGauss + " --response y1,y3" + common + "--output " +
                     temp_path("paths.csv") + " --plot " + dir + "fit_{response}.svg" +
                     " --save-model " + dir + "fit_{response}.json");
  ASSERT_EQ(r.status, 0) << r.output;
  for (const std::string y : {"y1", "y3"}) {
    EXPECT_TRUE(contains(slurp(dir + "fit_" + y + ".svg"), "Coefficient paths of " + y));
    // fit alone on the same features: x1..x7 and the responses not named (y2, y4)
    const std::string alone = temp_path("alone_" + y + ".json");
    const std::string data = csv_columns(
        "alone_" + y + ".csv", {0, 1, 2, 3, 4, 5, 6, 8, 10, std::size_t(y == "y1" ? 7 : 9)});
    ASSERT_EQ(run_cli("fit " + data + " --response " + y + common + "--output " +
                      temp_path("alone.csv") + " --save-model " + alone).status,
              0);
    expect_near_all(predictions(dir + "fit_" + y + ".json", "many_" + y),
                    predictions(alone, "alone_" + y), "fit model of " + y);
  }
  r = run_cli("cv " + kGauss + " --response y2,y4 --foldid " + kFolds + common + "--output " +
              temp_path("cv.csv") + " --plot " + dir + "cv_{response}.svg --save-model " + dir +
              "cv_{response}.json");
  ASSERT_EQ(r.status, 0) << r.output;
  for (const std::string y : {"y2", "y4"}) {
    EXPECT_TRUE(contains(slurp(dir + "cv_" + y + ".svg"), "Cross-validation of " + y));
    const std::string alone = temp_path("cv_alone_" + y + ".json");
    const std::string data = csv_columns(  // features x1..x7, y1, y3
        "cv_alone_" + y + ".csv", {0, 1, 2, 3, 4, 5, 6, 7, 9, std::size_t(y == "y2" ? 8 : 10)});
    ASSERT_EQ(run_cli("cv " + data + " --response " + y + " --foldid " + kFolds + common +
                      "--output " + temp_path("cv_alone.csv") + " --save-model " + alone).status,
              0);
    expect_near_all(predictions(dir + "cv_" + y + ".json", "cv_many_" + y),
                    predictions(alone, "cv_alone_" + y), "cv model (lambda.1se) of " + y);
  }
  // a pattern without {response}, and a response that cannot be part of a file name
  r = run_cli("cv " + kGauss + " --response y2,y4 --nfolds 3 --output " + temp_path("c.csv") +
              " --save-model " + dir + "m.json");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--save-model") && contains(r.err, "{response}")) << r.err;
  const std::string slash = temp_file("slash.csv", "x,a/b,y\n1,2,3\n2,1,5\n3,3,4\n4,5,1\n");
  r = run_cli("fit " + slash + " --response a/b,y --lambda 0.1 --output " + temp_path("s.csv") +
              " --plot " + dir + "{response}.svg");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "'a/b'") && contains(r.err, "file name")) << r.err;
}

TEST(ManyResponsesCli, BadInputIsNamed) {
  const std::string out = temp_path("out.csv");
  std::string csv = "a,b,y,c\n";
  for (int i = 0; i < 6; ++i)
    csv += std::to_string(i) + "," + std::to_string((i * 7) % 5) + "," + std::to_string(i % 3) +
           ",4\n";
  const std::string f = temp_file("const.csv", csv);
  CliRun r = run_cli("fit " + f + " --response y,c --output " + out);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "response 'c'") && contains(r.err, "constant")) << r.err;
  r = run_cli("fit " + f + " --response y,c --lambda 1,0.1 --quiet --output " + out);
  EXPECT_EQ(r.status, 0) << r.output;
  r = run_cli("fit " + f + " --response y,zz --output " + out);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "'zz'")) << r.err;
  r = run_cli("fit " + f + " --response y,y --output " + out);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "named twice")) << r.err;
  r = run_cli("fit " + f + " --response y,c --plot " + temp_path("p.svg") + " --output " + out);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--plot")) << r.err;
  r = run_cli("fit " + f + " --response y, --output " + out);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "empty name")) << r.err;
  r = run_cli("cv " + f + " --response a,b,y,c --lambda 1 --nfolds 3 --output " + out);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "no feature columns")) << r.err;
  r = run_cli("fit " + f + " --responses-file " + temp_file("empty.txt", "\n") + " --output " +
              out);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "no response names")) << r.err;
}

// --output PATH.npy: the CSV's numbers, bit for bit, as one little-endian float64 array
// (rows × (2 + p): lambda, intercept, features), and PATH.responses.csv saying whose rows.
TEST(ManyResponsesCli, NpyOutputHoldsTheCsvNumbers) {
  const std::string csv = temp_path("paths.csv"), npy = temp_path("paths.npy");
  const std::string opts = " --response y3,y1 --nlambda 6 --quiet --output ";
  ASSERT_EQ(run_cli("fit " + kGauss + opts + csv).status, 0);
  const CliRun r = run_cli("fit " + kGauss + opts + npy);
  ASSERT_EQ(r.status, 0) << r.output;
  const Grouped g = read_grouped(csv);
  const std::size_t cols = g.header.size() - 1;  // the header's names but `response`
  const std::string bytes = slurp(npy);
  ASSERT_GT(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  const std::size_t header_len = static_cast<unsigned char>(bytes[8]) +
                                 256u * static_cast<unsigned char>(bytes[9]);
  EXPECT_EQ((10 + header_len) % 64, 0u);
  const std::string header = bytes.substr(10, header_len);
  EXPECT_TRUE(contains(header, "'descr': '<f8'")) << header;
  EXPECT_TRUE(contains(header, "'fortran_order': False")) << header;
  EXPECT_TRUE(contains(header, "'shape': (12, " + std::to_string(cols) + ")")) << header;
  EXPECT_EQ(header.back(), '\n');
  ASSERT_EQ(bytes.size(), 10 + header_len + 12 * cols * 8);
  std::size_t at = 10 + header_len;
  for (const std::string& name : {std::string("y3"), std::string("y1")})
    for (const std::vector<double>& row : g.rows.at(name)) {
      ASSERT_EQ(row.size(), cols);
      for (const double v : row) {
        std::uint64_t bits = 0;
        for (int b = 0; b < 8; ++b)
          bits |= std::uint64_t(static_cast<unsigned char>(bytes[at++])) << (8 * b);
        double got = 0;
        std::memcpy(&got, &bits, sizeof got);
        EXPECT_EQ(got, v);
      }
    }
  EXPECT_EQ(slurp(temp_path("paths.responses.csv")), "response,rows\ny3,6\ny1,6\n");
}

}  // namespace
}  // namespace regpath::test
