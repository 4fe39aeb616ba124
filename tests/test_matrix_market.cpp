// Matrix Market input (src/cli/matrix_market.hpp) and `regpath fit X.mtx --response-file y`:
// the reader's compressed sparse columns (sorted, duplicates summed), every bad file named by
// file and line, and the sparse fit writing the dense fit's path (the same data as a CSV).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli/matrix_market.hpp"
#include "cli_runner.hpp"
#include "mtx_writer.hpp"

namespace regpath::cli {
namespace {

using test::CliRun;
using test::contains;
using test::run_cli;
using test::slurp;
using test::split_cells;
using test::temp_file;
using test::temp_path;

// X (n × p, column-major) with zeros in every column and an all-zero row, and its response.
const std::int64_t kN = 8, kP = 4;
const std::vector<double> kX{1,   0, 3,  0, 5,  0,   0,  0,     // x1
                             0,   2, 0,  1, 0,  4,   0,  0,     // x2
                             0.5, 0, 0,  0, -1, 0,   0,  2.5,   // x3
                             3,   1, 0,  4, 1,  5,   0,  9};    // x4
const std::vector<double> kY{2, 1.5, 3, 2.5, 4, 6, 1, 5.5};

std::string mtx_header(const std::string& field = "real") {
  return "%%MatrixMarket matrix coordinate " + field + " general\n";
}

// kX as a coordinate file: its nonzero entries, row by row (not the CSC order the reader
// builds), after a comment.
std::string mtx_of_x() {
  return test::matrix_market_text(kX, kN, kP, "% written by test_matrix_market.cpp");
}

// The same data as a CSV with the response as its last column, features named x1..x4.
std::string csv_of_x() {
  std::ostringstream s;
  s << "x1,x2,x3,x4,y\n";
  for (std::int64_t i = 0; i < kN; ++i) {
    for (std::int64_t j = 0; j < kP; ++j)
      s << format_number(kX[static_cast<std::size_t>(j * kN + i)]) << ',';
    s << format_number(kY[static_cast<std::size_t>(i)]) << '\n';
  }
  return s.str();
}

std::string y_csv() {
  std::string s;
  for (double v : kY) s += format_number(v) + "\n";
  return s;
}

std::vector<std::vector<std::string>> rows_of(const std::string& csv) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) out.push_back(split_cells(line));
  return out;
}

// Two path CSVs: the same header, the same number of rows, every number within `tol`.
void expect_same_path(const std::string& a, const std::string& b, double tol) {
  const auto ra = rows_of(a), rb = rows_of(b);
  ASSERT_FALSE(ra.empty());
  ASSERT_EQ(ra.size(), rb.size());
  EXPECT_EQ(ra[0], rb[0]);
  for (std::size_t r = 1; r < ra.size(); ++r) {
    ASSERT_EQ(ra[r].size(), rb[r].size()) << "row " << r;
    for (std::size_t c = 0; c < ra[r].size(); ++c)
      EXPECT_NEAR(std::strtod(ra[r][c].c_str(), nullptr), std::strtod(rb[r][c].c_str(), nullptr),
                  tol)
          << "row " << r << ", column " << ra[0][c];
  }
}

TEST(MatrixMarket, ReadsSortedColumnsSummingDuplicates) {
  const SparseX x = parse_matrix_market(
      "%%MatrixMarket matrix coordinate real general\n% a comment\n\n3 2 5\n3 1 2.5\n1 1 -1\n"
      "2 2 4\n3 1 0.5\n1 2 1e-3\n",
      "t.mtx");
  EXPECT_EQ(x.rows, 3);
  EXPECT_EQ(x.cols, 2);
  EXPECT_EQ(x.col_ptr, (std::vector<std::int64_t>{0, 2, 4}));
  EXPECT_EQ(x.row_idx, (std::vector<std::int64_t>{0, 2, 0, 1}));
  EXPECT_EQ(x.values, (std::vector<double>{-1, 3, 1e-3, 4}));
  EXPECT_EQ(x.duplicates, 1);
  EXPECT_EQ(x.first_duplicate, "row 3, column 1");
}

TEST(MatrixMarket, PatternIntegerCaseAndEmptyColumns) {
  const SparseX p = parse_matrix_market(
      "%%matrixmarket MATRIX Coordinate Pattern General\r\n2 3 2\r\n2 3\r\n1 1\r\n", "p.mtx");
  EXPECT_EQ(p.col_ptr, (std::vector<std::int64_t>{0, 1, 1, 2}));
  EXPECT_EQ(p.row_idx, (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(p.values, (std::vector<double>{1, 1}));
  const SparseX i = parse_matrix_market(mtx_header("integer") + "2 1 2\n1 1 -3\n2 1 +7", "i.mtx");
  EXPECT_EQ(i.values, (std::vector<double>{-3, 7}));
  const SparseX e = parse_matrix_market(mtx_header() + "4 2 0\n", "e.mtx");
  EXPECT_EQ(e.nnz(), 0);
  EXPECT_EQ(e.col_ptr, (std::vector<std::int64_t>{0, 0, 0}));
}

struct BadMtx {
  std::string text;
  std::string where;  // "line N" (or the start of the message without a line)
  std::string what;
};

const std::vector<BadMtx>& bad_files() {
  static const std::vector<BadMtx> cases{
      {"x1,x2\n1,2\n", "line 1", "not a Matrix Market file"},
      {"%%MatrixMarket matrix coordinate real\n2 2 1\n1 1 1\n", "line 1", "has 4 words"},
      {"%%MatrixMarket vector coordinate real general\n", "line 1", "object 'vector'"},
      {"%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n", "line 1", "'array'"},
      {"%%MatrixMarket matrix coordinate complex general\n", "line 1", "field 'complex'"},
      {"%%MatrixMarket matrix coordinate real symmetric\n", "line 1", "symmetry 'symmetric'"},
      {mtx_header() + "% only comments\n", "no size line", "line 2"},
      {mtx_header() + "2 2\n", "line 2", "the size line"},
      {mtx_header() + "2 -2 1\n", "line 2", "the size line"},
      {mtx_header() + "2 3000000000 0\n", "line 2", "3000000000 columns is more than regpath"},
      {mtx_header() + "2 2 1\n3 1 1\n", "line 3", "row index 3 is out of range 1..2"},
      {mtx_header() + "2 2 1\n1 0 1\n", "line 3", "column index '0' is not a positive integer"},
      {mtx_header() + "2 2 2\n1 1 1\n1 3 1\n", "line 4", "column index 3 is out of range"},
      {mtx_header() + "2 2 1\n1 1.5 1\n", "line 3", "column index '1.5'"},
      {mtx_header() + "2 2 1\n1 1 nan\n", "line 3", "value 'nan' is not finite"},
      {mtx_header() + "2 2 1\n1 1 1e999\n", "line 3", "not finite"},
      {mtx_header() + "2 2 1\n1 1 0x10\n", "line 3", "value '0x10' is not a decimal number"},
      {mtx_header() + "2 2 2\n2 1 1e308\n2 1 1e308\n", ": the duplicate entries",
       "at row 2, column 1 sum to +inf"},
      {mtx_header() + "2 2 1\n1 1 abc\n", "line 3", "value 'abc'"},
      {mtx_header("integer") + "2 2 1\n1 1 1.5\n", "line 3", "is not an integer"},
      {mtx_header() + "2 2 1\n1 1\n", "line 3", "expected 'row column value' (3 fields), got 2"},
      {mtx_header("pattern") + "2 2 1\n1 1 4\n", "line 3", "(2 fields, field pattern)"},
      {mtx_header() + "2 2 1\n1 1 1\n2 2 1\n", "line 4", "more entries than the 1"},
      {mtx_header() + "2 2 3\n1 1 1\n% c\n2 2 1\n", "(line 5) after 2 entries", "says 3"},
  };
  return cases;
}

TEST(MatrixMarket, BadFilesNameFileLineAndProblem) {
  for (const auto& c : bad_files()) {
    try {
      parse_matrix_market(c.text, "bad.mtx");
      ADD_FAILURE() << "accepted: " << c.text;
    } catch (const InputError& e) {
      const std::string m = e.what();
      EXPECT_EQ(m.rfind("bad.mtx: ", 0), 0u) << m;
      EXPECT_TRUE(contains(m, c.where)) << "'" << c.where << "' not in: " << m;
      EXPECT_TRUE(contains(m, c.what)) << "'" << c.what << "' not in: " << m;
    }
  }
}

class MatrixMarketCli : public ::testing::Test {
 protected:
  std::string fit(const std::string& data, const std::string& args) {
    const std::string out = temp_path("out.csv");
    const CliRun r = run_cli("fit " + data + " " + args + " --quiet --output " + out);
    EXPECT_EQ(r.status, 0) << args << "\n" << r.output;
    return slurp(out);
  }
  void expect_error(const std::string& args, int status,
                    std::initializer_list<std::string> needles) {
    const CliRun r = run_cli(args);
    EXPECT_EQ(r.status, status) << args << "\n" << r.output;
    for (const auto& n : needles)
      EXPECT_TRUE(contains(r.err, n)) << "'" << n << "' not in: " << r.output;
    EXPECT_FALSE(contains(r.output, "terminate")) << r.output;
  }
  std::string mtx_ = temp_file("X.mtx", mtx_of_x());
  std::string csv_ = temp_file("d.csv", csv_of_x());
  std::string y_ = temp_file("y.csv", y_csv());
};

TEST_F(MatrixMarketCli, FitEqualsTheCsvFitOfTheSameData) {
  for (const std::string opts :
       {"--nlambda 12", "--alpha 0.5 --nlambda 10 --glmnet-y-scaling", "--no-standardize",
        "--no-intercept --lambda 0.5,0.1,0.01", "--alpha 0 --nlambda 6"}) {
    const std::string dense = fit(csv_, "--response y " + opts);
    const std::string sparse = fit(mtx_, "--response-file " + y_ + " " + opts);
    SCOPED_TRACE(opts);
    expect_same_path(dense, sparse, 1e-10);
  }
  // glmnet's exclude and penalty.factor by name, the excluded feature's column all 0
  const std::string named = "--nlambda 8 --exclude x2 --penalty-factor x1=2,x4=0.5";
  const std::string dense = fit(csv_, "--response y " + named);
  EXPECT_NE(dense.find("lambda,intercept,x1,x2,x3,x4\n"), std::string::npos);
  expect_same_path(dense, fit(mtx_, "--response-file " + y_ + " " + named), 1e-10);
  // --weights: the sparse X's fit on the GLM batch, the CSV's by its dense transformation
  const std::string w = temp_file("w.csv", "1\n1\n1\n1\n2\n2\n2\n2\n");
  const std::string weighted = "--nlambda 8 --tol 1e-12 --weights " + w;
  expect_same_path(fit(csv_, "--response y " + weighted),
                   fit(mtx_, "--response-file " + y_ + " " + weighted), 1e-9);
}

TEST_F(MatrixMarketCli, BinomialAndPoissonEqualTheCsvFit) {
  // kY made 0/1 (above its median) and counts (rounded): the same data through both readers.
  std::string csv = csv_of_x(), y01, counts;
  for (double v : kY) {
    y01 += v > 2.75 ? "1\n" : "0\n";
    counts += format_number(std::round(v)) + "\n";
  }
  struct Case {
    const char* family;
    std::string y;
  };
  for (const Case& c : {Case{"binomial", y01}, Case{"poisson", counts}}) {
    std::string table = "x1,x2,x3,x4,y\n";
    std::istringstream rows(csv.substr(csv.find('\n') + 1)), ys(c.y);
    std::string row, yv;
    while (std::getline(rows, row) && std::getline(ys, yv))
      table += row.substr(0, row.rfind(',') + 1) + yv + "\n";
    const std::string d = temp_file(std::string(c.family) + ".csv", table);
    const std::string yf = temp_file(std::string(c.family) + "_y.csv", c.y);
    const std::string opts = std::string("--family ") + c.family + " --nlambda 8 --tol 1e-12";
    SCOPED_TRACE(c.family);
    expect_same_path(fit(d, "--response y " + opts), fit(mtx_, "--response-file " + yf + " " +
                                                                    opts), 1e-10);
  }
}

// R's Matrix::writeMM files of the glmnet references (scripts/make_sparse_reference.R) read by
// the CLI: the path at glmnet's λ list is glmnet's, within test_sparse_reference.cpp's bounds.
TEST_F(MatrixMarketCli, GlmnetWriteMmFilesGiveGlmnetsPath) {
  struct Case {
    const char* name;
    const char* family;
    double rel;
  };
  for (const Case& c : {Case{"tall", "gaussian", 5e-4}, Case{"binomial", "binomial", 1e-6},
                        Case{"poisson", "poisson", 1e-6}}) {
    SCOPED_TRACE(c.name);
    const std::string stem = std::string(REGPATH_TEST_DATA_DIR) + "/sparse_" + c.name;
    std::string lambdas;
    for (const auto& row : rows_of(slurp(stem + "_lambda.csv")))
      lambdas += (lambdas.empty() ? "" : ",") + row[0];
    const auto out = rows_of(fit(stem + "_X.mtx", "--response-file " + stem + "_y.csv" +
                                                      " --family " + c.family + " --lambda " +
                                                      lambdas + " --tol 1e-12"));
    const auto coef = rows_of(slurp(stem + "_coef.csv"));  // (p + 1) × nλ, the intercept first
    ASSERT_EQ(out.size(), coef[0].size() + 1);  // the header, then one row per λ
    for (std::size_t k = 0; k + 1 < out.size(); ++k) {
      double top = 0, diff = 0;
      for (std::size_t j = 0; j < coef.size(); ++j) {  // out: lambda, intercept, x1..xp
        const double g = std::strtod(coef[j][k].c_str(), nullptr);
        top = std::max(top, std::fabs(g));
        diff = std::max(diff, std::fabs(std::strtod(out[k + 1][j + 1].c_str(), nullptr) - g));
      }
      EXPECT_LE(diff, c.rel * top) << "lambda " << k;
    }
  }
}

TEST_F(MatrixMarketCli, FeatureNamesPlotModelAndSummary) {
  const std::string names = temp_file("names.txt", "a\nb\nc\nd\n");
  const std::string out = temp_path("p.csv"), svg = temp_path("p.svg");
  const std::string model = temp_path("m.json");
  const CliRun r = run_cli("fit " + mtx_ + " --response-file " + y_ + " --feature-names " + names +
                           " --nlambda 8 --print-path --plot " + svg + " --save-model " + model +
                           " --output " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(slurp(out).rfind("lambda,intercept,a,b,c,d\n", 0), 0u);
  EXPECT_TRUE(contains(slurp(svg), "<svg"));
  EXPECT_TRUE(contains(r.out, "%Dev"));
  EXPECT_TRUE(contains(r.err, "X sparse: 15 nonzero entries of 8 × 4"));
  // The saved model's coefficients are the path's: regpath coef gives them back.
  const std::string coef = temp_path("c.csv");
  ASSERT_EQ(run_cli("coef " + model + " --output " + coef).status, 0);
  expect_same_path(slurp(coef), slurp(out), 0);
  EXPECT_TRUE(contains(slurp(model), "\"centers\""));
}

TEST_F(MatrixMarketCli, DuplicatesAreSummedWithANotice) {
  // kX's first entry (1 at row 1, column 1) split in two halves.
  std::string text = mtx_of_x();
  const std::size_t size_line = text.find("\n8 4 15\n");
  ASSERT_NE(size_line, std::string::npos);
  text.replace(size_line, 8, "\n8 4 16\n1 1 0.5\n");
  text.replace(text.find("\n1 1 1\n"), 7, "\n1 1 0.5\n");
  const std::string dup = temp_file("dup.mtx", text);
  const std::string out = temp_path("d.csv");
  const CliRun r =
      run_cli("fit " + dup + " --response-file " + y_ + " --nlambda 8 --output " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.err, "1 duplicate entry summed (first: row 1, column 1)")) << r.err;
  expect_same_path(slurp(out), fit(mtx_, "--response-file " + y_ + " --nlambda 8"), 0);
}

TEST_F(MatrixMarketCli, BadFilesAreNamedByFileAndLine) {
  int k = 0;
  for (const auto& c : bad_files()) {
    const std::string f = temp_file("bad" + std::to_string(k++) + ".mtx", c.text);
    expect_error("fit " + f + " --response-file " + y_ + " --output " + temp_path("o.csv"), 1,
                 {f + ": ", c.where, c.what});
  }
}

TEST_F(MatrixMarketCli, WhatSparseXDoesNotTakeIsRefusedByName) {
  const std::string base = "fit " + mtx_ + " --response-file " + y_ + " --output " +
                           temp_path("o.csv") + " ";
  expect_error(base + "--offset x1", 2, {"--offset", "sparse X"});
  expect_error(base + "--device cuda", 2, {"--device cuda", "sparse X"});
  expect_error("fit " + mtx_ + " --response y --output " + temp_path("o.csv"), 2,
               {"Matrix Market", "--response-file"});
  expect_error("fit " + mtx_ + " --output " + temp_path("o.csv"), 2, {"--response-file"});
  expect_error("cv " + mtx_ + " --response-file " + y_ + " --output " + temp_path("o.csv") +
                   " --nfolds 4 --device cuda",
               2, {"--device cuda", "sparse X"});
  const std::string short_y = temp_file("short.csv", "1\n2\n3\n");
  expect_error(base.substr(0, base.find(" --response-file")) + " --response-file " + short_y +
                   " --output " + temp_path("o.csv"),
               1, {short_y, "3 response values", "8 rows"});
}

// regpath cv X.mtx: the CSV cv of the same data (CV.csv, the path of --path-output, the
// selection printed), gaussian and with --weights, never densified (the summary says sparse).
TEST_F(MatrixMarketCli, CvEqualsTheCsvCvOfTheSameData) {
  const std::string folds = temp_file("folds.csv", "1\n2\n3\n4\n1\n2\n3\n4\n");
  const std::string w = temp_file("w.csv", "1\n2\n1\n2\n1\n0.5\n1\n3\n");
  for (const std::string& opts : {"--nlambda 8 --foldid " + folds + " --tol 1e-14",
                                 std::string("--nlambda 8 --nfolds 3 --alphas 1,0.5 --tol 1e-14"),
                                 "--nlambda 8 --foldid " + folds + " --weights " + w}) {
    SCOPED_TRACE(opts);
    std::string outputs[2], paths[2], printed[2];
    for (int sparse = 0; sparse < 2; ++sparse) {
      const std::string out = temp_path("cv" + std::to_string(sparse) + ".csv");
      const std::string path = temp_path("path" + std::to_string(sparse) + ".csv");
      const CliRun r = run_cli("cv " + (sparse ? mtx_ + " --response-file " + y_
                                               : csv_ + " --response y") +
                               " " + opts + " --output " + out + " --path-output " + path);
      ASSERT_EQ(r.status, 0) << r.output;
      EXPECT_EQ(contains(r.err, "X sparse: "), sparse == 1) << r.err;
      outputs[sparse] = slurp(out);
      paths[sparse] = slurp(path);
      printed[sparse] = r.out;
    }
    expect_same_path(outputs[0], outputs[1], 1e-9);
    expect_same_path(paths[0], paths[1], 1e-9);
    // the selection printed: the same words, the numbers to rounding
    std::istringstream dense_words(printed[0]), sparse_words(printed[1]);
    std::string a, b;
    while (dense_words >> a) {
      ASSERT_TRUE(sparse_words >> b) << printed[1];
      char* end = nullptr;
      const double v = std::strtod(a.c_str(), &end);
      if (*end != '\0') EXPECT_EQ(a, b);
      else EXPECT_NEAR(v, std::strtod(b.c_str(), nullptr), 1e-9 * std::fabs(v)) << a;
    }
    EXPECT_FALSE(sparse_words >> b) << printed[1];
  }
}

}  // namespace
}  // namespace regpath::cli
