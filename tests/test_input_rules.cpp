// The rules for what the command-line tool reads (README, "bad input"): numbers are decimal,
// and every refusal says what it saw in words a user can act on.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api/cuda_diagnosis.hpp"
#include "cli/cli_args.hpp"
#include "cli/csv_table.hpp"
#include "cli/decimal.hpp"
#include "cli/fold_ids.hpp"
#include "cli_runner.hpp"

namespace regpath::cli {
namespace {

using test::CliRun;
using test::contains;
using test::run_cli;
using test::temp_file;
using test::temp_path;

const std::string kDiabetes = std::string(REGPATH_TEST_DATA_DIR) + "/../../data/diabetes.csv";

std::string csv_error(const std::string& text) {
  std::istringstream in(text);
  try {
    parse_csv(in, "data.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for " << text;
  return "";
}

// ---- numbers are decimal ------------------------------------------------------------------------

TEST(InputRules, DecimalGrammar) {
  for (const char* ok : {"0", "-0", "+3", "16", "1.", ".5", "-2.5e-3", "1E+10", "007"})
    EXPECT_TRUE(is_decimal_number(ok)) << ok;
  for (const char* bad : {"", "+", ".", "e5", "1e", "1e+", "0x10", "0x1p3", "0X1P-2", "inf",
                          "nan", "1,5", "1 2", "--1"})
    EXPECT_FALSE(is_decimal_number(bad)) << bad;
}

TEST(InputRules, HexadecimalCellsAreRefused) {
  for (const char* cell : {"0x10", "0x1p3", "-0X1.8P1", "\"0x10\""}) {
    const std::string msg = csv_error(std::string("a,b\n1,2\n3,") + cell + "\n");
    EXPECT_TRUE(contains(msg, "line 3, column 2 ('b')")) << msg;
    EXPECT_TRUE(contains(msg, "not a decimal number")) << msg;
    EXPECT_TRUE(contains(msg, "hexadecimal")) << msg;
  }
  // Still read: every decimal spelling.
  std::istringstream in("a\n+1\n.5\n1.\n2E-1\n");
  EXPECT_EQ(parse_csv(in, "x.csv").columns[0], (std::vector<double>{1, 0.5, 1, 0.2}));
}

TEST(InputRules, HexadecimalFlagValuesAreRefused) {
  EXPECT_THROW(parse_double("alpha", "0x1p-1"), UsageError);
  try {
    parse_double_list("lambda", "0.5,0x10");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_TRUE(contains(e.what(), "--lambda: '0x10' is not a decimal number")) << e.what();
  }
  EXPECT_DOUBLE_EQ(parse_double("tol", "1e-8"), 1e-8);
  const std::string base = "fit " + kDiabetes + " --response progression --output " +
                           temp_path("out.csv") + " ";
  for (const char* flag : {"--alpha 0x1p-1", "--lambda 0x10", "--tol 0X1P-20",
                           "--lambda-min-ratio 0x1p-10"}) {
    const CliRun r = run_cli(base + flag);
    EXPECT_EQ(r.status, 2) << flag << ": " << r.output;
    EXPECT_TRUE(contains(r.output, "hexadecimal")) << r.output;
  }
}

// ---- messages a user can act on -----------------------------------------------------------------

std::string fold_error(const std::string& content, std::size_t rows) {
  const std::string path = temp_file("folds.csv", content);
  try {
    read_fold_ids(path, rows);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for fold ids " << content;
  return "";
}

TEST(InputRules, FoldIdMessagesSayWhatTheySaw) {
  // A first line taken as a header explains a count one short.
  std::string msg = fold_error("fold 1\n2\n3\n", 3);
  EXPECT_TRUE(contains(msg, "has 2 fold ids for 3 data rows")) << msg;
  EXPECT_TRUE(contains(msg, "first line, 'fold 1', is not a number and was skipped as a header"))
      << msg;
  msg = fold_error("foldid\n1\nx\n", 2);
  EXPECT_TRUE(contains(msg, "skipped as a header")) << msg;
  // Control bytes are escaped as the CSV reader escapes them, never sent raw to the terminal.
  msg = fold_error("1\n2\x1b[31mred\n3\n", 3);
  EXPECT_TRUE(contains(msg, "line 2: '2\\x1B[31mred' is not an integer fold id")) << msg;
  EXPECT_EQ(msg.find('\x1b'), std::string::npos) << msg;
  // Found by the fuzz target: strtol skipped a leading '\v', whose raw byte reached the message.
  msg = fold_error("foldid\n\v0\n2\n3\n", 3);
  EXPECT_TRUE(contains(msg, "'\\x0B0' is not an integer fold id")) << msg;
  EXPECT_EQ(msg.find('\v'), std::string::npos) << msg;
  msg = fold_error(std::string("1\n2\0\n3\n", 7), 3);
  EXPECT_TRUE(contains(msg, "NUL bytes")) << msg;
}

TEST(InputRules, BinaryAndUtf16FilesAreNamedAsSuch) {
  std::string msg = csv_error(std::string(100, '\0'));
  EXPECT_TRUE(contains(msg, "not a text CSV file: it holds NUL bytes (the first at byte 1)"))
      << msg;
  EXPECT_FALSE(contains(msg, "no data rows")) << msg;
  msg = csv_error(std::string("a,y\n1,2\n\0\0\0", 11));
  EXPECT_TRUE(contains(msg, "NUL bytes (the first at byte 9)")) << msg;
  // "a,y\n1,2\n" in UTF-16LE with its byte-order mark, and big-endian without one.
  std::string le = "\xFF\xFE", be;
  for (char c : std::string("a,y\n1,2\n")) {
    le += c;
    le += '\0';
    be += '\0';
    be += c;
  }
  for (const std::string& text : {le, be}) {
    msg = csv_error(text);
    EXPECT_TRUE(contains(msg, "looks like UTF-16")) << msg;
    EXPECT_TRUE(contains(msg, "UTF-8")) << msg;
  }
}

TEST(InputRules, TooManyFoldsNamesTheDefaultAndIsAUsageError) {
  const std::string five = temp_file("five.csv", "a,b,y\n1,3,0\n2,1,1\n3,4,0\n4,1,1\n5,9,3\n");
  const std::string base = "cv " + five + " --response y --output " + temp_path("cv.csv");
  CliRun r = run_cli(base);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "the default --nfolds 10 exceeds the 5 data rows")) << r.output;
  EXPECT_TRUE(contains(r.output, "3 <= K <= 5")) << r.output;
  r = run_cli(base + " --nfolds 6");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "--nfolds 6 exceeds the 5 data rows")) << r.output;
  r = run_cli(base + " --nfolds 2");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(run_cli(base + " --nfolds 5 --quiet").status, 0);
}

// ---- extreme magnitudes through the command line ----------------------------------------------

// The diabetes data with one column or the response multiplied by `factor`.
std::string scaled_diabetes(const std::string& name, const std::string& column, double factor) {
  const CsvTable t = read_csv(kDiabetes);
  std::ostringstream os;
  for (std::size_t j = 0; j < t.cols(); ++j) os << (j ? "," : "") << t.names[j];
  os << '\n';
  for (std::size_t i = 0; i < t.rows(); ++i) {
    for (std::size_t j = 0; j < t.cols(); ++j)
      os << (j ? "," : "") << format_number(t.columns[j][i] * (t.names[j] == column ? factor : 1));
    os << '\n';
  }
  return temp_file(name, os.str());
}

TEST(InputRules, ExtremeMagnitudesGiveFiniteOutputOrNameTheColumn) {
  // float32 with y near its largest value: λ was inf in every row, exit 0.
  const std::string out = temp_path("out.csv");
  CliRun r = run_cli("fit " + scaled_diabetes("y.csv", "progression", 1e36) +
                     " --response progression --precision float32 --print-path --output " + out);
  EXPECT_EQ(r.status, 0) << r.output;
  const std::string csv = test::slurp(out);
  EXPECT_FALSE(contains(csv, "inf") || contains(csv, "nan")) << csv.substr(0, 400);
  EXPECT_FALSE(contains(r.out, "inf") || contains(r.out, "nan")) << r.out;
  // An unstandardized column whose squares overflow: %Dev was printed as -nan.
  r = run_cli("fit " + scaled_diabetes("x.csv", "bmi", 1e160) +
              " --response progression --no-standardize --print-path --output " + out);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.err, "column 'bmi' (feature 3)")) << r.output;
  EXPECT_TRUE(contains(r.err, "without standardization")) << r.output;
  EXPECT_FALSE(contains(r.out, "nan")) << r.out;
  // cv, float32, one y of 1e20: cvm was inf, cvsd NaN.
  const std::string one = temp_file("one.csv", "a,b,y\n1,2,1e20\n2,1,3\n3,5,4\n4,3,5\n5,4,6\n"
                                               "6,8,2\n7,1,3\n8,2,9\n9,7,1\n");
  r = run_cli("cv " + one + " --response y --nfolds 3 --precision float32 --quiet --output " + out);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_FALSE(contains(test::slurp(out), "inf") || contains(test::slurp(out), "nan"))
      << test::slurp(out);
}

// ---- what a newcomer reads ----------------------------------------------------------------------

TEST(NewcomerMessages, ZeroIterationsSayWhatSolvedTheLambda) {
  // The diabetes path is solved by the Newton steps alone: "iterations 0 in all" read as if
  // nothing ran.
  const CliRun r = run_cli("fit " + kDiabetes + " --response progression --print-path --output " +
                           temp_path("out.csv"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.err, "proximal-gradient iterations")) << r.err;
  EXPECT_TRUE(contains(r.err, "solved with 0 proximal-gradient iterations: by coordinate "
                              "descent or Newton steps"))
      << r.err;
  EXPECT_TRUE(contains(r.out, "(Iter: proximal-gradient iterations; 0 where Newton steps"))
      << r.out;
  // and how many Newton steps it took, in the summary
  EXPECT_TRUE(contains(r.err, "Newton steps ")) << r.err;
  EXPECT_FALSE(contains(r.err, "Newton steps 0;")) << r.err;
}

TEST(NewcomerMessages, NoDriverIsSaidPlainly) {
  const std::string insufficient =
      "cudaGetDeviceCount failed: cudaErrorInsufficientDriver: CUDA driver version is "
      "insufficient for CUDA runtime version";
  EXPECT_EQ(detail::explain_cuda_unavailable(insufficient, false),
            "no NVIDIA driver / no GPU found (" + insufficient + ")");
  EXPECT_TRUE(contains(detail::explain_cuda_unavailable(insufficient, true), "update the driver"));
  const std::string no_device =
      "cudaGetDeviceCount failed: cudaErrorNoDevice: no CUDA-capable device is detected";
  EXPECT_TRUE(contains(detail::explain_cuda_unavailable(no_device, true), "no GPU found"));
  EXPECT_EQ(detail::explain_cuda_unavailable("regpath was built without CUDA", false),
            "regpath was built without CUDA");
}

}  // namespace
}  // namespace regpath::cli
