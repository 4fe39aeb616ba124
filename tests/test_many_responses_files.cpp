// Several responses from a response file (cli/response_file.hpp): --response-file with an
// m-column CSV or an (n, m) .npy, an HDF5 --y-dataset of shape (n, m). For each format the
// many-responses output equals the m single-response runs, row for row; every bad input is named.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "mtx_writer.hpp"
#include "npy_writer.hpp"

#ifdef REGPATH_HAS_HDF5
#include "hdf5_writer.hpp"
#endif

namespace regpath::test {
namespace {

constexpr std::size_t kN = 12, kP = 3, kM = 3;
const std::vector<std::string> kNames{"a", "b", "c"};

// X and Y column-major; every value a multiple of 1/8, exact in float32 too.
std::vector<double> make_x() {
  std::vector<double> x(kN * kP);
  for (std::size_t i = 0; i < kN; ++i) {
    x[i] = double(i);
    x[kN + i] = double((i * 7) % 5);
    x[2 * kN + i] = double((i * 3) % 4) + 0.5;
  }
  return x;
}
std::vector<double> make_y() {
  const std::vector<double> x = make_x();
  std::vector<double> y(kN * kM);
  for (std::size_t i = 0; i < kN; ++i) {
    y[i] = 0.5 * x[i] - x[kN + i] + double(i % 3) / 8;
    y[kN + i] = 0.25 * x[2 * kN + i] + double(i % 5) / 4;
    y[2 * kN + i] = x[i] + x[kN + i] + double(i % 2) / 8;
  }
  return y;
}

std::string num(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

// An n × cols CSV (column-major values) with a header.
std::string csv_text(const std::vector<std::string>& header, const std::vector<double>& v,
                     std::size_t rows) {
  std::string out;
  for (std::size_t j = 0; j < header.size(); ++j) out += (j ? "," : "") + header[j];
  out += '\n';
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < header.size(); ++j) out += (j ? "," : "") + num(v[j * rows + i]);
    out += '\n';
  }
  return out;
}

std::string data_csv() { return temp_file("data.csv", csv_text({"x1", "x2", "x3"}, make_x(), kN)); }

// Response k alone as a one-column CSV.
std::string single_response(std::size_t k) {
  const std::vector<double> y = make_y();
  const std::vector<double> col(y.begin() + long(k * kN), y.begin() + long((k + 1) * kN));
  return temp_file("y" + std::to_string(k + 1) + ".csv", csv_text({"y"}, col, kN));
}

std::string folds() {
  std::string out = "foldid\n";
  for (std::size_t i = 0; i < kN; ++i) out += std::to_string(i % 3 + 1) + "\n";
  return temp_file("folds.csv", out);
}

std::vector<std::string> lines_of(const std::string& path) {
  std::stringstream in(slurp(path));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// The rows of `single` (a single-response output) equal the rows of `many` (with a leading
// response column) that belong to response `name`, number for number.
void expect_rows_match(const std::string& many, const std::string& name,
                       const std::string& single) {
  const std::vector<std::string> m = lines_of(many), s = lines_of(single);
  ASSERT_FALSE(m.empty());
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(m[0], "response," + s[0]);
  std::size_t row = 1;
  for (std::size_t i = 1; i < m.size(); ++i) {
    std::vector<std::string> cells = split_cells(m[i]);
    if (cells.empty() || cells[0] != name) continue;
    ASSERT_LT(row, s.size()) << name << ": more rows than the single run's";
    const std::vector<std::string> want = split_cells(s[row]);
    ASSERT_EQ(cells.size(), want.size() + 1) << m[i];
    for (std::size_t j = 0; j < want.size(); ++j) {
      const double a = std::stod(cells[j + 1]), b = std::stod(want[j]);
      EXPECT_NEAR(a, b, 1e-7 * (1 + std::fabs(b))) << name << " row " << row << " column " << j;
    }
    ++row;
  }
  EXPECT_EQ(row, s.size()) << name << ": the many-responses output has " << row - 1
                           << " rows, the single run " << s.size() - 1;
}

const char* const kFitOptions = " --nlambda 8 --tol 1e-12 --quiet";

// `command DATA RESPONSES` against `command DATA --response-file y<k>.csv`, k = 1..m.
void expect_many_equals_singles(const std::string& command, const std::string& data,
                                const std::string& responses,
                                const std::vector<std::string>& names) {
  const std::string extra = command == "cv" ? " --foldid " + folds() : "";
  const std::string many = temp_path("many.csv");
  const CliRun r =
      run_cli(command + " " + data + " " + responses + kFitOptions + extra + " --output " + many);
  ASSERT_EQ(r.status, 0) << r.output;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::string one = temp_path("one" + std::to_string(k) + ".csv");
    const std::string args = data.find(".h5") != std::string::npos ? " --x-dataset X" : "";
    const CliRun s = run_cli(command + " " + data + args + " --response-file " +
                             single_response(k) + kFitOptions + extra + " --output " + one);
    ASSERT_EQ(s.status, 0) << s.output;
    expect_rows_match(many, names[k], one);
  }
}

std::string y_csv() { return temp_file("Y.csv", csv_text(kNames, make_y(), kN)); }

TEST(ManyResponsesFiles, CsvResponseFileFit) {
  expect_many_equals_singles("fit", data_csv(), "--response-file " + y_csv(), kNames);
}

TEST(ManyResponsesFiles, CsvResponseFileCv) {
  expect_many_equals_singles("cv", data_csv(), "--response-file " + y_csv(), kNames);
}

TEST(ManyResponsesFiles, NpyResponseFileFitCOrderFloat64) {
  const std::string data = temp_file("data.npy", npy_matrix(make_x(), kN, kP, false));
  const std::string y = temp_file("Y.npy", npy_matrix(make_y(), kN, kM, false));
  expect_many_equals_singles("fit", data, "--response-file " + y, {"y1", "y2", "y3"});
}

TEST(ManyResponsesFiles, NpyResponseFileFitFortranFloat32) {
  const std::string data = temp_file("data.npy", npy_matrix(make_x(), kN, kP, true));
  const std::string y = temp_file("Y.npy", npy_matrix(make_y(), kN, kM, true, true));
  expect_many_equals_singles("fit", data, "--response-file " + y, {"y1", "y2", "y3"});
}

TEST(ManyResponsesFiles, NpyResponseFileCvWithCsvData) {
  const std::string y = temp_file("Y.npy", npy_matrix(make_y(), kN, kM, true));
  expect_many_equals_singles("cv", data_csv(), "--response-file " + y, {"y1", "y2", "y3"});
}

// X as a Matrix Market file (sparse; the zeros of make_x() left out) with an m-column
// response file: the sparse X's many-responses fit and cv (regpath::fit(SparseMatrixView, Y))
// equal the single-response sparse runs; what a sparse X does not take is still refused.
std::string data_mtx() {
  return temp_file("data.mtx", matrix_market_text(make_x(), std::int64_t(kN), std::int64_t(kP)));
}

TEST(ManyResponsesFiles, MatrixMarketDataFitAndCv) {
  const std::string data = data_mtx();
  expect_many_equals_singles("fit", data, "--response-file " + y_csv(), kNames);
  expect_many_equals_singles("cv", data, "--response-file " + y_csv(), kNames);
  const std::string model = temp_path("m_{response}.json");
  const CliRun r = run_cli("fit " + data + " --response-file " + y_csv() + kFitOptions +
                           " --output " + temp_path("p.csv") + " --save-model " + model);
  ASSERT_EQ(r.status, 0) << r.output;
  const CliRun one = run_cli("fit " + data + " --response-file " + single_response(1) +
                             kFitOptions + " --output " + temp_path("q.csv") + " --save-model " +
                             temp_path("one.json"));
  ASSERT_EQ(one.status, 0) << one.output;
  EXPECT_EQ(slurp(temp_path("m_b.json")), slurp(temp_path("one.json")));
  const CliRun cuda = run_cli("fit " + data + " --response-file " + y_csv() +
                              " --device cuda --output " + temp_path("c.csv"));
  EXPECT_NE(cuda.status, 0);
  EXPECT_NE(cuda.output.find("--device cuda"), std::string::npos) << cuda.output;
}

TEST(ManyResponsesFiles, OneColumnFilesKeepTheSingleOutput) {
  const std::vector<double> y = make_y();
  const std::vector<double> first(y.begin(), y.begin() + long(kN));
  for (const std::string& file : {temp_file("y.npy", npy_matrix(first, kN, 1, false)),
                                  single_response(0)}) {
    const std::string out = temp_path("out.csv");
    const CliRun r = run_cli("fit " + data_csv() + " --response-file " + file + kFitOptions +
                             " --output " + out);
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(lines_of(out).at(0), "lambda,intercept,x1,x2,x3");
  }
}

void expect_error(const std::string& args, int status, std::initializer_list<std::string> needles) {
  const CliRun r = run_cli(args);
  EXPECT_EQ(r.status, status) << args << "\n" << r.output;
  for (const auto& n : needles)
    EXPECT_TRUE(contains(r.output, n)) << "'" << n << "' not in: " << r.output;
  EXPECT_FALSE(contains(r.output, "terminate")) << r.output;
}

// The first n - 1 rows of Y, column-major.
std::vector<double> short_y() {
  const std::vector<double> y = make_y();
  std::vector<double> out;
  for (std::size_t j = 0; j < kM; ++j)
    out.insert(out.end(), y.begin() + long(j * kN), y.begin() + long(j * kN + kN - 1));
  return out;
}

TEST(ManyResponsesFiles, RowsMustMatchTheData) {
  const std::string out = " --output " + temp_path("o.csv");
  const std::string csv = temp_file("short.csv", csv_text(kNames, short_y(), kN - 1));
  expect_error("fit " + data_csv() + " --response-file " + csv + out, 1,
               {csv, "11 rows", "12 rows"});
  const std::string npy = temp_file("short.npy", npy_matrix(short_y(), kN - 1, kM, false));
  expect_error("cv " + data_csv() + " --response-file " + npy + out, 1,
               {npy, "11 rows", "12 rows"});
}

TEST(ManyResponsesFiles, NotFiniteNamedByRowAndColumn) {
  std::vector<double> y = make_y();
  y[1 * kN + 2] = std::numeric_limits<double>::quiet_NaN();  // row 3, column 2
  const std::string out = " --output " + temp_path("o.csv");
  const std::string npy = temp_file("nan.npy", npy_matrix(y, kN, kM, false));
  expect_error("fit " + data_csv() + " --response-file " + npy + out, 1,
               {npy, "row 3, column 2", "nan"});
  std::string text = csv_text(kNames, make_y(), kN);
  const std::size_t line4 = text.find('\n', text.find('\n', text.find('\n') + 1) + 1) + 1;
  text.replace(text.find(',', line4) + 1, 0, "nan");  // "b" of data row 3 becomes "nan<number>"
  const std::string csv = temp_file("nan.csv", text);
  expect_error("fit " + data_csv() + " --response-file " + csv + out, 1, {csv, "line 4", "nan"});
}

TEST(ManyResponsesFiles, ZeroColumnsRefused) {
  const std::string npy = temp_file("empty.npy", npy_matrix({}, kN, 0, false));
  expect_error("fit " + data_csv() + " --response-file " + npy + " --output " + temp_path("o.csv"),
               1, {npy, "0 columns"});
}

TEST(ManyResponsesFiles, DuplicateAndMissingNamesRefused) {
  const std::string out = " --output " + temp_path("o.csv");
  const std::string dup = temp_file("dup.csv", csv_text({"a", "b", "a"}, make_y(), kN));
  expect_error("fit " + data_csv() + " --response-file " + dup + out, 1,
               {dup, "duplicate column name", "'a'"});
  std::string headerless = csv_text(kNames, make_y(), kN);
  headerless.erase(0, headerless.find('\n') + 1);
  const std::string bare = temp_file("bare.csv", headerless);
  expect_error("fit " + data_csv() + " --response-file " + bare + out, 1,
               {bare, "line 1", "header"});
}

TEST(ManyResponsesFiles, OptionsThatNeedOneResponseRefused) {
  const std::string base = data_csv() + " --response-file " + y_csv() + " --output " +
                           temp_path("o.csv");
  expect_error("fit " + base + " --plot " + temp_path("p.svg"), 2, {"--plot"});
  expect_error("fit " + base + " --save-model " + temp_path("m.json"), 2, {"--save-model"});
  expect_error("cv " + base + " --plot " + temp_path("p.svg"), 2, {"--plot"});
  expect_error("cv " + base + " --save-model " + temp_path("m.json"), 2, {"--save-model"});
}

#ifdef REGPATH_HAS_HDF5

// row-major values of a column-major n × cols matrix, as HDF5 stores them.
std::vector<double> row_major(const std::vector<double>& colmajor, std::size_t n,
                              std::size_t cols) {
  std::vector<double> out(colmajor.size());
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < cols; ++j) out[i * cols + j] = colmajor[j * n + i];
  return out;
}

std::string data_h5(const std::vector<double>& y, std::size_t rows, std::size_t cols) {
  return write_h5("data.h5", {{"X", {kN, kP}, H5T_IEEE_F64LE, row_major(make_x(), kN, kP)},
                              {"Y", {rows, cols}, H5T_IEEE_F64LE, row_major(y, rows, cols)}});
}

TEST(ManyResponsesFiles, Hdf5ResponseDatasetNamedByAttribute) {
  const std::string h5 = data_h5(make_y(), kN, kM);
  add_string_attribute(h5, "Y", "response_names", {"p", "q", "r"}, true);
  expect_many_equals_singles("fit", h5, "--x-dataset X --y-dataset Y", {"p", "q", "r"});
  expect_many_equals_singles("cv", h5, "--x-dataset X --y-dataset Y", {"p", "q", "r"});
}

TEST(ManyResponsesFiles, Hdf5ResponseDatasetDefaultNames) {
  expect_many_equals_singles("fit", data_h5(make_y(), kN, kM), "--x-dataset X --y-dataset Y",
                             {"y1", "y2", "y3"});
}

TEST(ManyResponsesFiles, Hdf5BadResponsesNamed) {
  const std::string out = " --output " + temp_path("o.csv");
  std::vector<double> y = make_y();
  y[2 * kN + 4] = std::numeric_limits<double>::infinity();  // row 5, column 3
  const std::string h5 = data_h5(y, kN, kM);
  expect_error("fit " + h5 + " --x-dataset X --y-dataset Y" + out, 1,
               {h5, "'Y'", "row 5, column 3", "inf"});
  const std::string named = data_h5(make_y(), kN, kM);
  add_string_attribute(named, "Y", "response_names", {"p", "q"}, true);
  expect_error("fit " + named + " --x-dataset X --y-dataset Y" + out, 1,
               {"response_names", "2 names", "3 columns"});
  const std::string dup = data_h5(make_y(), kN, kM);
  add_string_attribute(dup, "Y", "response_names", {"p", "q", "p"}, false);
  expect_error("fit " + dup + " --x-dataset X --y-dataset Y" + out, 1,
               {"response_names", "name 3 'p' repeats name 1"});
  const std::string empty = data_h5({}, kN, 0);
  expect_error("fit " + empty + " --x-dataset X --y-dataset Y" + out, 1, {"'Y'", "empty"});
  const std::string rows = data_h5(short_y(), kN - 1, kM);
  expect_error("fit " + rows + " --x-dataset X --y-dataset Y" + out, 1, {"11 rows", "12 rows"});
}

#endif

}  // namespace
}  // namespace regpath::test
