// HDF5 input for `regpath fit` and `regpath cv` (--x-dataset, --y-dataset): the same paths as from
// CSV, and every bad input named. HDF5 is optional: without it these tests skip with the reason,
// and the flags must say that this build has no HDF5. The .h5 files are written by the tests.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "cli/hdf5_file.hpp"
#include "cli_runner.hpp"

#ifdef REGPATH_HAS_HDF5
#include <hdf5.h>
#endif

namespace regpath::cli {
namespace {

using test::CliRun;
using test::contains;
using test::run_cli;
using test::slurp;
using test::temp_file;
using test::temp_path;

const char* const kCsv =
    "\"x one\",x2,x3,y\n"
    "1,2,0.5,3\n2,1,0.5,4\n3,5,0.5,4.5\n4,3,0.5,7\n5,4,0.5,6.5\n6,8,0.25,9\n";
const std::vector<double> kXRowMajor{1, 2, 0.5, 2, 1, 0.5, 3, 5, 0.5, 4, 3, 0.5, 5, 4, 0.5, 6, 8, 0.25};
const std::vector<double> kY{3, 4, 4.5, 7, 6.5, 9};

void expect_error(const std::string& args, int status, std::initializer_list<std::string> needles) {
  const CliRun r = run_cli(args);
  EXPECT_EQ(r.status, status) << args << "\n" << r.output;
  for (const auto& n : needles) EXPECT_TRUE(contains(r.output, n)) << "'" << n << "' not in: " << r.output;
  EXPECT_FALSE(contains(r.output, "terminate")) << r.output;
}

TEST(Hdf5Cli, FlagsSayWhenBuiltWithoutHdf5) {
  if (hdf5_supported()) GTEST_SKIP() << "built with HDF5: the reading tests below cover the flags";
  const std::string csv = temp_file("d.csv", kCsv);
  expect_error("fit " + csv + " --x-dataset X --y-dataset y --output " + temp_path("o.csv"), 1,
               {"--x-dataset", "built without HDF5"});
}

#ifdef REGPATH_HAS_HDF5

struct Dataset {
  std::string name;
  std::vector<hsize_t> dims;
  hid_t file_type;
  std::vector<double> values;  // row-major
};

std::string write_h5(const std::string& name, const std::vector<Dataset>& sets) {
  const std::string path = temp_path(name);
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  EXPECT_GE(file, 0);
  for (const Dataset& d : sets) {
    const hid_t space = H5Screate_simple(static_cast<int>(d.dims.size()), d.dims.data(), nullptr);
    const hid_t set = H5Dcreate2(file, d.name.c_str(), d.file_type, space, H5P_DEFAULT, H5P_DEFAULT,
                                 H5P_DEFAULT);
    EXPECT_GE(H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, d.values.data()), 0);
    H5Dclose(set);
    H5Sclose(space);
  }
  H5Fclose(file);
  return path;
}

class Hdf5Fit : public ::testing::Test {
 protected:
  std::string csv_ = temp_file("d.csv", kCsv);
  std::string names_ = temp_file("names.txt", "x one\nx2\nx3\n");
  std::string out_ = temp_path("out.csv");
  std::string expected_path() {
    const std::string out = temp_path("csv_out.csv");
    EXPECT_EQ(run_cli("fit " + csv_ + " --response y --nlambda 8 --quiet --output " + out).status, 0);
    return slurp(out);
  }
};

TEST_F(Hdf5Fit, FitAndCvFromHdf5EqualCsv) {
  const std::string expected = expected_path();
  for (hid_t type : {H5T_IEEE_F64LE, H5T_IEEE_F32LE, H5T_IEEE_F64BE}) {
    const std::string h5 = write_h5("d.h5", {{"X", {6, 3}, type, kXRowMajor}, {"y", {6}, type, kY}});
    const CliRun r = run_cli("fit " + h5 + " --x-dataset X --y-dataset y --feature-names " + names_ +
                             " --nlambda 8 --output " + out_);
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(slurp(out_), expected);
  }
  // y as (n, 1) in a group, and y from --response-file instead.
  const std::string h5 = write_h5("g.h5", {{"X", {6, 3}, H5T_IEEE_F64LE, kXRowMajor},
                                           {"ycol", {6, 1}, H5T_IEEE_F64LE, kY}});
  ASSERT_EQ(run_cli("fit " + h5 + " --x-dataset X --y-dataset ycol --feature-names " + names_ +
                    " --nlambda 8 --output " + out_).status, 0);
  EXPECT_EQ(slurp(out_), expected);
  const std::string yf = temp_file("y.csv", "y\n3\n4\n4.5\n7\n6.5\n9\n");
  ASSERT_EQ(run_cli("fit " + h5 + " --x-dataset X --response-file " + yf + " --nlambda 8 --output " + out_).status, 0);
  EXPECT_TRUE(contains(slurp(out_), "lambda,intercept,x1,x2,x3\n"));
  const std::string a = temp_path("cv_a.csv"), b = temp_path("cv_b.csv");
  ASSERT_EQ(run_cli("cv " + csv_ + " --response y --nfolds 3 --nlambda 6 --quiet --output " + a).status, 0);
  ASSERT_EQ(run_cli("cv " + h5 + " --x-dataset X --y-dataset ycol --nfolds 3 --nlambda 6 --quiet --output " + b).status, 0);
  EXPECT_EQ(slurp(a), slurp(b));
}

TEST_F(Hdf5Fit, BadInputNamesFileDatasetAndProblem) {
  std::vector<double> withnan = kXRowMajor;
  withnan[1 * 3 + 2] = std::numeric_limits<double>::quiet_NaN();  // row 2, column 3
  const std::string h5 = write_h5("bad.h5", {{"X", {6, 3}, H5T_IEEE_F64LE, kXRowMajor},
                                             {"y", {6}, H5T_IEEE_F64LE, kY},
                                             {"y5", {5}, H5T_IEEE_F64LE, {1, 2, 3, 4, 5}},
                                             {"Xi", {6, 3}, H5T_STD_I64LE, kXRowMajor},
                                             {"Xnan", {6, 3}, H5T_IEEE_F64LE, withnan},
                                             {"X1", {6}, H5T_IEEE_F64LE, kY}});
  const std::string tail = " --output " + out_;
  expect_error("fit " + h5 + " --x-dataset nope --y-dataset y" + tail, 1, {h5, "no dataset 'nope'"});
  expect_error("fit " + h5 + " --x-dataset X --y-dataset nope/deeper" + tail, 1, {h5, "no dataset 'nope/deeper'"});
  expect_error("fit " + h5 + " --x-dataset Xi --y-dataset y" + tail, 1, {h5, "'Xi'", "integer"});
  expect_error("fit " + h5 + " --x-dataset X1 --y-dataset y" + tail, 1, {h5, "'X1'", "must be 2-dimensional"});
  expect_error("fit " + h5 + " --x-dataset X --y-dataset X" + tail, 1, {h5, "'X'", "(6, 3)", "one column"});
  expect_error("fit " + h5 + " --x-dataset X --y-dataset y5" + tail, 1, {"'y5' has 5 response values", "dataset 'X' has 6 rows"});
  expect_error("fit " + h5 + " --x-dataset Xnan --y-dataset y" + tail, 1, {h5, "'Xnan'", "row 2, column 3", "nan"});
  expect_error("fit " + h5 + " --y-dataset y" + tail, 2, {"--x-dataset NAME is required"});
  expect_error("fit " + h5 + " --x-dataset X" + tail, 2, {"--y-dataset NAME", "--response-file"});
  expect_error("fit " + h5 + " --x-dataset X --response y" + tail, 2, {"HDF5", "not --response"});
  expect_error("fit " + csv_ + " --response y --x-dataset X" + tail, 2, {"--x-dataset", "not an HDF5 file"});
  std::string truncated = slurp(h5);
  truncated.resize(truncated.size() / 2);
  const std::string cut = temp_file("cut.h5", truncated);
  expect_error("fit " + cut + " --x-dataset X --y-dataset y" + tail, 1, {cut, "cannot open as an HDF5 file"});
}

#else

TEST(Hdf5Fit, SkippedWithoutHdf5) {
  GTEST_SKIP() << "built without HDF5 (Debian: libhdf5-dev; see the CMake configure message)";
}

#endif

}  // namespace
}  // namespace regpath::cli
