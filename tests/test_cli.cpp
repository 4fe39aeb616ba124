// The command-line tool as a user runs it: output format, help, and every bad input giving a
// message that names the problem and a non-zero exit (never a crash or a NaN).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/csv_table.hpp"
#include "cli_runner.hpp"

namespace {

using regpath::test::CliRun;
using regpath::test::run_cli;
using regpath::test::temp_file;
using regpath::test::temp_path;

const char* const kGood =
    "\"x one\",x2,x3,y\n"
    "1,2,0.5,3\n2,1,0.5,4\n3,5,0.5,4.5\n4,3,0.5,7\n5,4,0.5,6.5\n6,8,0.5,9\n";

class Cli : public ::testing::Test {
 protected:
  void expect_error(const std::string& args, int status, std::initializer_list<const char*> needles) {
    const CliRun r = run_cli(args);
    EXPECT_EQ(r.status, status) << args << "\n" << r.output;
    for (const char* n : needles)
      EXPECT_NE(r.output.find(n), std::string::npos) << "'" << n << "' not in: " << r.output;
    EXPECT_EQ(r.output.find("terminate"), std::string::npos) << r.output;
  }
  std::string good_ = temp_file("good.csv", kGood);
  std::string out_ = temp_path("out.csv");
};

TEST_F(Cli, FitWritesThePathCsv) {
  const CliRun r = run_cli("fit " + good_ + " --response y --nlambda 7 --output " + out_);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("7 lambdas"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("device cpu"), std::string::npos) << r.output;
  const auto t = regpath::cli::read_csv(out_);
  ASSERT_EQ(t.names, (std::vector<std::string>{"lambda", "intercept", "x one", "x2", "x3"}));
  ASSERT_EQ(t.rows(), 7u);
  for (std::size_t k = 1; k < 7; ++k) EXPECT_LT(t.columns[0][k], t.columns[0][k - 1]);
  for (std::size_t k = 0; k < 7; ++k) EXPECT_EQ(t.columns[4][k], 0.0) << "constant column x3";
  for (std::size_t j = 2; j < 4; ++j) EXPECT_EQ(t.columns[j][0], 0.0) << "zero at λ_max";
}

TEST_F(Cli, ExplicitLambdasAndOptions) {
  const CliRun r = run_cli("fit " + good_ + " --response y --lambda 0.01,1,0.1 --alpha 0.5 "
                        "--no-standardize --tol 1e-9 --max-iter 5000 --device cpu "
                        "--precision float32 --output=" + out_);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto t = regpath::cli::read_csv(out_);
  EXPECT_EQ(t.columns[0], (std::vector<double>{1, 0.1, 0.01}));
}

TEST_F(Cli, MaxIterWarnsAndStillWrites) {
  const CliRun r = run_cli("fit " + regpath::test::test_data_dir() + "/wide.csv --response y "
                        "--nlambda 20 --tol 1e-15 --max-iter 2 --output " + out_);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("warning: lambda"), std::string::npos) << r.output;
  EXPECT_EQ(regpath::cli::read_csv(out_).rows(), 20u);
}

TEST_F(Cli, HelpDocumentsEveryFlag) {
  const CliRun top = run_cli("--help");
  EXPECT_EQ(top.status, 0);
  EXPECT_NE(top.output.find("fit"), std::string::npos);
  const CliRun r = run_cli("fit --help");
  EXPECT_EQ(r.status, 0);
  for (const char* flag : {"--response", "--output", "--family", "--alpha", "--lambda ",
                           "--nlambda", "--lambda-min-ratio", "--no-standardize", "--no-intercept",
                           "--tol", "--max-iter", "--device", "--precision", "--block-size"})
    EXPECT_NE(r.output.find(flag), std::string::npos) << flag;
}

TEST_F(Cli, BadFilesNameTheProblem) {
  expect_error("fit /nonexistent/x.csv --response y --output " + out_, 1, {"/nonexistent/x.csv", "cannot open"});
  expect_error("fit " + temp_file("empty.csv", "") + " --response y --output " + out_, 1, {"empty"});
  expect_error("fit " + temp_file("header.csv", "a,y\n") + " --response y --output " + out_, 1, {"no data rows"});
  expect_error("fit " + temp_file("ragged.csv", "a,b,y\n1,2,3\n4,5\n") + " --response y --output " + out_, 1,
               {"ragged.csv", "line 3", "2 fields"});
  expect_error("fit " + temp_file("text.csv", "a,b,y\n1,2,3\n4,abc,6\n") + " --response y --output " + out_, 1,
               {"line 3", "column 2", "'b'", "abc"});
  expect_error("fit " + temp_file("nan.csv", "a,b,y\n1,2,3\n4,nan,6\n7,8,9\n") + " --response y --output " + out_, 1,
               {"line 3", "column 2", "nan"});
  expect_error("fit " + temp_file("inf.csv", "a,b,y\n1,2,3\n4,5,-inf\n7,8,9\n") + " --response y --output " + out_, 1,
               {"line 3", "column 3", "inf"});
  expect_error("fit " + good_ + " --response nope --output " + out_, 1, {"nope"});
  expect_error("fit " + temp_file("onerow.csv", "a,y\n1,2\n") + " --response y --output " + out_, 1, {"need at least 2"});
  expect_error("fit " + temp_file("onlyy.csv", "y\n1\n2\n") + " --response y --output " + out_, 1, {"no feature"});
  expect_error("fit " + good_ + " --response y --output /nonexistent/dir/out.csv", 1, {"cannot write"});
}

TEST_F(Cli, BadArgumentsNameTheArgument) {
  const std::string base = "fit " + good_ + " --response y --output " + out_ + " ";
  expect_error(base + "--alpha 1.5", 2, {"alpha", "1.5"});
  expect_error(base + "--alpha -0.1", 2, {"alpha", "-0.1"});
  expect_error(base + "--alpha abc", 2, {"--alpha", "abc"});
  expect_error(base + "--lambda 0.1,0", 2, {"lambda", "0"});
  expect_error(base + "--lambda 0.1,-2", 2, {"lambda", "-2"});
  expect_error(base + "--lambda 0.1,x", 2, {"--lambda", "'x'"});
  expect_error(base + "--nlambda 0", 2, {"nlambda", "0"});
  expect_error(base + "--nlambda 2.5", 2, {"--nlambda", "2.5"});
  expect_error(base + "--nlambda 100000000", 2, {"nlambda", "100000000", "at most 100000"});
  expect_error(base + "--lambda 0.1,1e-310", 2, {"--lambda", "1e-310", "too small"});
  expect_error(base + "--lambda 1e999", 2, {"--lambda", "1e999", "not a finite number"});
  expect_error(base + "--lambda-min-ratio 1", 2, {"lambda_min_ratio", "1"});
  expect_error(base + "--lambda-min-ratio 0", 2, {"lambda_min_ratio", "0"});
  expect_error(base + "--tol 0", 2, {"tol", "0"});
  expect_error(base + "--tol -1e-3", 2, {"tol", "-0.001"});
  expect_error(base + "--max-iter 0", 2, {"max_iter", "0"});
  expect_error(base + "--device tpu", 2, {"--device", "tpu"});
  expect_error(base + "--precision half", 2, {"--precision", "half"});
  expect_error(base + "--family gamma", 2, {"--family", "gamma"});
  expect_error(base + "--frobnicate 3", 2, {"unknown option", "--frobnicate"});
  expect_error(base + "--alpha", 2, {"--alpha", "needs a value"});
  expect_error("fit --response y --output " + out_, 2, {"missing DATA.csv"});
  expect_error("fit " + good_ + " --output " + out_, 2, {"--response"});
  expect_error("fit " + good_ + " --response y", 2, {"--output"});
  expect_error("frobnicate", 2, {"unknown command"});
}

TEST_F(Cli, CudaWithoutDeviceIsAnError) {
  const CliRun devices = run_cli("devices");
  ASSERT_EQ(devices.status, 0);
  if (devices.output.find("cuda: usable") != std::string::npos) GTEST_SKIP() << "CUDA usable here";
  expect_error("fit " + good_ + " --response y --device cuda --output " + out_, 1, {"cuda"});
}

TEST_F(Cli, ConstantResponse) {
  const std::string f = temp_file("consty.csv", "a,b,y\n1,2,5\n2,1,5\n3,7,5\n");
  expect_error("fit " + f + " --response y --output " + out_, 1, {"constant"});
  const CliRun r = run_cli("fit " + f + " --response y --lambda 1,0.1 --output " + out_);
  ASSERT_EQ(r.status, 0) << r.output;
  const auto t = regpath::cli::read_csv(out_);
  for (std::size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(t.columns[1][k], 5.0);
    EXPECT_EQ(t.columns[2][k], 0.0);
    EXPECT_EQ(t.columns[3][k], 0.0);
  }
}

}  // namespace
