// NumPy .npy input and --response-file for `regpath fit` and `regpath cv`: the header parser,
// the memory-mapped matrix (in place for Fortran-order float64), the same paths as from CSV, and
// every bad input giving a message naming the file and the problem with exit status 1. The .npy
// files are written by the tests (npy_writer.hpp): no numpy needed.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli/npy_file.hpp"
#include "cli_runner.hpp"
#include "npy_writer.hpp"

namespace regpath::cli {
namespace {

using test::CliRun;
using test::contains;
using test::npy_data;
using test::npy_dict;
using test::npy_matrix;
using test::npy_vector;
using test::npy_with_dict;
using test::run_cli;
using test::slurp;
using test::temp_file;
using test::temp_path;

// The data of test_cli.cpp's kGood: every value exact in float32, so float32 files fit the same.
const std::size_t kN = 6, kP = 3;
const std::vector<double> kX{1, 2, 3, 4, 5, 6, 2, 1, 5, 3, 4, 8, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25};
const std::vector<double> kY{3, 4, 4.5, 7, 6.5, 9};
const char* const kCsv =
    "\"x one\",x2,x3,y\n"
    "1,2,0.5,3\n2,1,0.5,4\n3,5,0.5,4.5\n4,3,0.5,7\n5,4,0.5,6.5\n6,8,0.25,9\n";
const char* const kFeaturesCsv =
    "\"x one\",x2,x3\n"
    "1,2,0.5\n2,1,0.5\n3,5,0.5\n4,3,0.5\n5,4,0.5\n6,8,0.25\n";
const char* const kNames = "x one\nx2\nx3\n";

NpyHeader header_of(const std::string& bytes) {
  return parse_npy_header(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                          "t.npy");
}

TEST(NpyHeader, VersionsOrdersAndShapes) {
  for (int major : {1, 2, 3}) {
    const NpyHeader h = header_of(npy_matrix(kX, kN, kP, true, false, major));
    EXPECT_EQ(h.major, major);
    EXPECT_TRUE(h.fortran_order);
    EXPECT_EQ(h.item_size, 8u);
    EXPECT_EQ(h.shape, (std::vector<std::size_t>{kN, kP}));
    EXPECT_EQ(h.data_offset % 64, 0u);
  }
  const NpyHeader c = header_of(npy_matrix(kX, kN, kP, false, true));
  EXPECT_FALSE(c.fortran_order);
  EXPECT_EQ(c.item_size, 4u);
  EXPECT_EQ(header_of(npy_vector(kY)).shape, (std::vector<std::size_t>{kN}));
  // Double quotes, no trailing comma, Python 2 longs, keys in any order: all numpy's own forms.
  const NpyHeader odd = header_of(npy_with_dict(
      "{\"shape\": (2L, 1L), \"fortran_order\": False, \"descr\": \"<f8\"}", npy_data({1, 2}, false)));
  EXPECT_EQ(odd.shape, (std::vector<std::size_t>{2, 1}));
}

TEST(NpyHeader, BadHeadersNameTheProblem) {
  auto error_of = [](const std::string& bytes) -> std::string {
    try {
      header_of(bytes);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string d = npy_data(kX, false);
  const std::string good = npy_matrix(kX, kN, kP, true);
  EXPECT_TRUE(contains(error_of("a,b\n1,2\n"), "not a .npy file")) << error_of("a,b\n1,2\n");
  EXPECT_TRUE(contains(error_of(good.substr(0, 9)), "truncated .npy header"));
  EXPECT_TRUE(contains(error_of(good.substr(0, 40)), "truncated .npy header"));
  std::string v9 = good;
  v9[6] = 9;
  EXPECT_TRUE(contains(error_of(v9), "version 9.0 is not supported"));
  EXPECT_TRUE(contains(error_of(good.substr(0, good.size() - 5)), "truncated data")) << error_of(good.substr(0, good.size() - 5));
  EXPECT_TRUE(contains(error_of(good + "xx"), "2 bytes after the data"));
  EXPECT_TRUE(contains(error_of(npy_with_dict("{'descr': '<f8', 'shape': (6, 3), }", d)), "no 'fortran_order'"));
  EXPECT_TRUE(contains(error_of(npy_with_dict("{'descr': '<f8', 'fortran_order': maybe, 'shape': (6, 3), }", d)),
                       "neither True nor False"));
  EXPECT_TRUE(contains(error_of(npy_with_dict("{'descr': '<f8', 'fortran_order': True, 'shape': (6, -3), }", d)),
                       "not a non-negative integer"));
  EXPECT_TRUE(contains(error_of(npy_with_dict("{'descr': '<f8', 'fortran_order': True, 'shape': (6, 3)", d)),
                       "bad .npy header"));
  EXPECT_TRUE(contains(error_of(npy_with_dict("{'descr': [('a', '<f8')], 'fortran_order': True, 'shape': (6,), }", d)),
                       "structured dtype"));
  EXPECT_TRUE(contains(error_of(npy_with_dict("{'descr': '<f8', 'fortran_order': True, 'shape': (99999999999, 99999999999, 99999999999), }", d)),
                       "too large"));
  // Control bytes in the header reach the message escaped.
  const std::string msg = error_of(npy_with_dict("{'descr': '<f8\x1b[31m', 'fortran_order': True, 'shape': (6, 3), }", d));
  EXPECT_TRUE(contains(msg, "\\x1B")) << msg;
  for (char c : msg) EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20) << msg;
}

TEST(NpyHeader, OtherDtypesAreRefusedBySaying) {
  const std::string d(kN * kP * 8, '\0');
  for (const auto& [descr, kind] : std::vector<std::pair<std::string, std::string>>{
           {"<i8", "integer"}, {"|u1", "unsigned integer"}, {"|b1", "boolean"},
           {"<c16", "complex"}, {"|O", "object"}, {">f8", "big-endian"}, {"<f2", "float16"},
           {"<U3", "string"}}) {
    try {
      header_of(npy_with_dict(npy_dict(descr, true, "(6, 3)"), d));
      ADD_FAILURE() << descr << " accepted";
    } catch (const InputError& e) {
      EXPECT_TRUE(contains(e.what(), "t.npy")) << e.what();
      EXPECT_TRUE(contains(e.what(), "'" + descr + "'")) << e.what();
      EXPECT_TRUE(contains(e.what(), kind)) << e.what();
      EXPECT_TRUE(contains(e.what(), "not supported")) << e.what();
    }
  }
}

TEST(NpyMatrix, FortranFloat64IsUsedInPlaceOthersConvertedOnce) {
  for (bool fortran : {true, false})
    for (bool float32 : {false, true}) {
      const std::string f = temp_file(std::string("m") + (fortran ? "F" : "C") + (float32 ? "4" : "8") + ".npy",
                                      npy_matrix(kX, kN, kP, fortran, float32));
      const NpyMatrix m = read_npy_matrix(f);
      EXPECT_EQ(m.zero_copy(), fortran && !float32) << f;
      ASSERT_EQ(m.rows, kN);
      ASSERT_EQ(m.cols, kP);
      for (std::size_t k = 0; k < kN * kP; ++k) EXPECT_EQ(m.values[k], kX[k]) << f << " " << k;
    }
}

class NpyCli : public ::testing::Test {
 protected:
  void expect_error(const std::string& args, int status, std::initializer_list<std::string> needles) {
    const CliRun r = run_cli(args);
    EXPECT_EQ(r.status, status) << args << "\n" << r.output;
    for (const auto& n : needles) EXPECT_TRUE(contains(r.output, n)) << "'" << n << "' not in: " << r.output;
    EXPECT_FALSE(contains(r.output, "terminate")) << r.output;
  }
  // The path of the CSV data through --response: what every other route must reproduce exactly.
  std::string csv_path() {
    const std::string out = temp_path("csv_out.csv");
    const CliRun r = run_cli("fit " + csv_ + " --response y --nlambda 8 --quiet --output " + out);
    EXPECT_EQ(r.status, 0) << r.output;
    return slurp(out);
  }
  std::string csv_ = temp_file("d.csv", kCsv);
  std::string names_ = temp_file("names.txt", kNames);
  std::string y_ = temp_file("y.npy", npy_vector(kY));
  std::string out_ = temp_path("out.csv");
};

TEST_F(NpyCli, FitFromNpyEqualsFitFromCsv) {
  const std::string expected = csv_path();
  ASSERT_FALSE(expected.empty());
  for (int major : {1, 2, 3})
    for (bool fortran : {true, false})
      for (bool float32 : {false, true}) {
        const std::string x = temp_file("X.npy", npy_matrix(kX, kN, kP, fortran, float32, major));
        const std::string y = temp_file("y2.npy", npy_vector(kY, float32));
        const CliRun r = run_cli("fit " + x + " --response-file " + y + " --feature-names " +
                                 names_ + " --nlambda 8 --output " + out_);
        ASSERT_EQ(r.status, 0) << r.output;
        EXPECT_EQ(slurp(out_), expected) << "version " << major << ", fortran " << fortran
                                         << ", float32 " << float32;
      }
}

TEST_F(NpyCli, DefaultNamesAndColumnResponse) {
  const std::string x = temp_file("X.npy", npy_matrix(kX, kN, kP, true));
  const std::string y = temp_file("ycol.npy", npy_matrix(kY, kN, 1, false));
  const CliRun r = run_cli("fit " + x + " --response-file " + y + " --nlambda 8 --output " + out_);
  ASSERT_EQ(r.status, 0) << r.output;
  const CsvTable t = read_csv(out_);
  EXPECT_EQ(t.names, (std::vector<std::string>{"lambda", "intercept", "x1", "x2", "x3"}));
  EXPECT_EQ(slurp(out_).substr(slurp(out_).find('\n')), csv_path().substr(csv_path().find('\n')));
}

TEST_F(NpyCli, ResponseFileCsvWithAndWithoutHeaderAndCsvData) {
  const std::string expected = csv_path();
  const std::string features = temp_file("features.csv", kFeaturesCsv);
  for (const char* y : {"y\n3\n4\n4.5\n7\n6.5\n9\n", "3\n4\n4.5\n7\n6.5\n9", "\"y\"\r\n3\r\n4\r\n4.5\r\n7\r\n6.5\r\n9\r\n\r\n"}) {
    const std::string yf = temp_file("y.csv", y);
    const CliRun r = run_cli("fit " + features + " --response-file " + yf + " --nlambda 8 --output " + out_);
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(slurp(out_), expected) << y;
    const std::string x = temp_file("X.npy", npy_matrix(kX, kN, kP, false));
    const CliRun rn = run_cli("fit " + x + " --response-file " + yf + " --feature-names " + names_ +
                              " --nlambda 8 --output " + out_);
    ASSERT_EQ(rn.status, 0) << rn.output;
    EXPECT_EQ(slurp(out_), expected) << y;
  }
}

TEST_F(NpyCli, CvFromNpyEqualsCvFromCsv) {
  const std::string x = temp_file("X.npy", npy_matrix(kX, kN, kP, true));
  const std::string a = temp_path("cv_a.csv"), b = temp_path("cv_b.csv");
  const std::string pa = temp_path("path_a.csv"), pb = temp_path("path_b.csv");
  const CliRun rc = run_cli("cv " + csv_ + " --response y --nfolds 3 --nlambda 6 --quiet --output " + a +
                            " --path-output " + pa);
  ASSERT_EQ(rc.status, 0) << rc.output;
  const CliRun rn = run_cli("cv " + x + " --response-file " + y_ + " --feature-names " + names_ +
                            " --nfolds 3 --nlambda 6 --quiet --output " + b + " --path-output " + pb);
  ASSERT_EQ(rn.status, 0) << rn.output;
  EXPECT_EQ(slurp(a), slurp(b));
  EXPECT_EQ(slurp(pa), slurp(pb));
  EXPECT_EQ(rc.out, rn.out);
}

TEST_F(NpyCli, BadInputNamesFileAndProblem) {
  const std::string x = temp_file("X.npy", npy_matrix(kX, kN, kP, true));
  const std::string tail = " --output " + out_;
  // dtypes
  const std::string xi = temp_file("Xi.npy", npy_with_dict(npy_dict("<i8", true, "(6, 3)"), std::string(144, '\0')));
  expect_error("fit " + xi + " --response-file " + y_ + tail, 1, {xi, "'<i8'", "integer", "not supported"});
  const std::string xc = temp_file("Xc.npy", npy_with_dict(npy_dict("<c16", true, "(6, 3)"), std::string(288, '\0')));
  expect_error("fit " + xc + " --response-file " + y_ + tail, 1, {xc, "complex", "not supported"});
  const std::string xo = temp_file("Xo.npy", npy_with_dict(npy_dict("|O", true, "(6, 3)"), std::string(144, '\0')));
  expect_error("fit " + xo + " --response-file " + y_ + tail, 1, {xo, "object", "not supported"});
  const std::string xb = temp_file("Xb.npy", npy_with_dict(npy_dict(">f8", true, "(6, 3)"), std::string(144, '\0')));
  expect_error("fit " + xb + " --response-file " + y_ + tail, 1, {xb, "big-endian", "not supported", "astype('<f8')"});
  // header and data truncated, wrong ndim
  const std::string good = npy_matrix(kX, kN, kP, true);
  const std::string th = temp_file("th.npy", good.substr(0, 30));
  expect_error("fit " + th + " --response-file " + y_ + tail, 1, {th, "truncated .npy header"});
  const std::string td = temp_file("td.npy", good.substr(0, good.size() - 8));
  expect_error("fit " + td + " --response-file " + y_ + tail, 1, {td, "truncated data", "(6, 3)", "144 bytes"});
  const std::string bad = temp_file("bad.npy", npy_with_dict("{'descr': '<f8', 'fortran_order': True, 'shape': (6; 3), }", npy_data(kX, false)));
  expect_error("fit " + bad + " --response-file " + y_ + tail, 1, {bad, "bad .npy header"});
  const std::string x1 = temp_file("x1d.npy", npy_vector(kY));
  expect_error("fit " + x1 + " --response-file " + y_ + tail, 1, {x1, "1-dimensional", "must be 2-dimensional"});
  const std::string x3 = temp_file("x3d.npy", npy_with_dict(npy_dict("<f8", true, "(6, 3, 1)"), npy_data(kX, false)));
  expect_error("fit " + x3 + " --response-file " + y_ + tail, 1, {x3, "3-dimensional"});
  // A response file of shape (n, 3) is three responses now: test_many_responses_files.cpp
  // lengths
  const std::string y5 = temp_file("y5.npy", npy_vector({1, 2, 3, 4, 5}));
  expect_error("fit " + x + " --response-file " + y5 + tail, 1, {y5, "5 response values", x, "6 rows"});
  expect_error("fit " + csv_ + " --response-file " + y5 + tail, 1, {y5, "5 response values", "6 rows"});
  const std::string one = temp_file("one.npy", npy_matrix({1, 2, 3}, 1, 3, true));
  expect_error("fit " + one + " --response-file " + y_ + tail, 1, {one, "1 data row", "at least 2"});
  // NaN and Inf: by row and column, 1-based, in either storage order
  std::vector<double> withnan = kX;
  withnan[2 * kN + 1] = std::numeric_limits<double>::quiet_NaN();  // row 2, column 3
  for (bool fortran : {true, false}) {
    const std::string xn = temp_file("Xn.npy", npy_matrix(withnan, kN, kP, fortran));
    expect_error("fit " + xn + " --response-file " + y_ + tail, 1, {xn, "row 2, column 3", "not finite", "nan"});
  }
  std::vector<double> yinf = kY;
  yinf[4] = -std::numeric_limits<double>::infinity();
  const std::string yi = temp_file("yinf.npy", npy_vector(yinf, true));
  expect_error("fit " + x + " --response-file " + yi + tail, 1, {yi, "row 5", "-inf"});
  // response CSV and feature names
  const std::string ytext = temp_file("ybad.csv", "y\n1\n2\nabc\n4\n5\n6\n");
  expect_error("fit " + x + " --response-file " + ytext + tail, 1, {ytext, "line 4", "'abc'"});
  const std::string ytwo = temp_file("ytwo.csv", "1,2\n3,4\n");
  expect_error("fit " + x + " --response-file " + ytwo + tail, 1, {ytwo, "line 1", "one column"});
  const std::string ynan = temp_file("ynan.csv", "1\n2\nnan\n4\n5\n6\n");
  expect_error("fit " + x + " --response-file " + ynan + tail, 1, {ynan, "line 3", "nan"});
  const std::string names2 = temp_file("names2.txt", "a\nb\n");
  expect_error("fit " + x + " --response-file " + y_ + " --feature-names " + names2 + tail, 1,
               {names2, "2 feature names", "3 columns"});
  const std::string dup = temp_file("dup.txt", "a\nb\na\n");
  expect_error("fit " + x + " --response-file " + y_ + " --feature-names " + dup + tail, 1,
               {dup, "line 3", "duplicate", "line 1"});
  expect_error("fit " + x + " --response-file /nonexistent/y.npy" + tail, 1, {"/nonexistent/y.npy", "cannot open"});
  // the command line (exit 2)
  expect_error("fit " + x + " --response y" + tail, 2, {x, ".npy", "--response-file"});
  expect_error("fit " + x + tail, 2, {"--response-file FILE is required"});
  expect_error("fit " + csv_ + " --response y --response-file " + y_ + tail, 2, {"not both"});
  expect_error("fit " + csv_ + " --response y --feature-names " + names_ + tail, 2, {"--feature-names", "CSV"});
  expect_error("fit " + x + " --response-file " + y_ + " --output " + y_, 2, {y_});
  expect_error("cv " + x + " --response-file " + y5 + " --output " + out_, 1, {y5, "5 response values"});
}

TEST_F(NpyCli, HelpDocumentsTheInputFlags) {
  for (const char* cmd : {"fit --help", "cv --help"}) {
    const CliRun r = run_cli(cmd);
    EXPECT_EQ(r.status, 0);
    for (const char* s : {"--response-file FILE", "--feature-names FILE", ".npy", "Fortran",
                          "--x-dataset NAME", "--y-dataset NAME", "HDF5"})
      EXPECT_TRUE(contains(r.out, s)) << cmd << ": " << s;
  }
}

}  // namespace
}  // namespace regpath::cli
