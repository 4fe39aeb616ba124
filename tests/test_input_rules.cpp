// The rules for what the command-line tool reads (README, "bad input"): numbers are decimal,
// and every refusal says what it saw in words a user can act on.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

}  // namespace
}  // namespace regpath::cli
