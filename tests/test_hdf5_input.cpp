// HDF5 input for `regpath fit` and `regpath cv` (--x-dataset, --y-dataset): the same paths as from
// CSV, and every bad input named. HDF5 is optional: without it these tests skip with the reason,
// and the flags must say that this build has no HDF5. The .h5 files are written by the tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli/hdf5_file.hpp"
#include "cli_runner.hpp"

#ifdef REGPATH_HAS_HDF5
#include "hdf5_writer.hpp"
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

using test::add_string_attribute;
using test::Dataset;
using test::write_h5;

// kXRowMajor transposed: the (p, n) dataset of a features-by-rows file.
std::vector<double> x_transposed() {
  std::vector<double> t(kXRowMajor.size());
  for (std::size_t i = 0; i < 6; ++i)
    for (std::size_t j = 0; j < 3; ++j) t[j * 6 + i] = kXRowMajor[i * 3 + j];
  return t;
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

// regpath predict with an HDF5 NEW (--x-dataset; names from --feature-names or the attribute):
// the same predictions as from the CSV the model was fitted on.
TEST_F(Hdf5Fit, PredictFromHdf5EqualsCsv) {
  const std::string model = temp_path("m.model"), want = temp_path("p_csv.csv");
  ASSERT_EQ(run_cli("fit " + csv_ + " --response y --nlambda 8 --quiet --output " + out_ +
                    " --save-model " + model).status, 0);
  ASSERT_EQ(run_cli("predict " + model + " " + csv_ + " --quiet --output " + want).status, 0);
  const std::string h5 = write_h5("p.h5", {{"X", {6, 3}, H5T_IEEE_F64LE, kXRowMajor}});
  const std::string got = temp_path("p_h5.csv");
  CliRun r = run_cli("predict " + model + " " + h5 + " --x-dataset X --feature-names " + names_ +
                     " --quiet --output " + got);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(slurp(got), slurp(want));
  add_string_attribute(h5, "X", "feature_names", {"x one", "x2", "x3"}, true);
  r = run_cli("predict " + model + " " + h5 + " --x-dataset X --quiet --output " + got);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(slurp(got), slurp(want));
  r = run_cli("predict " + model + " " + h5 + " --output " + got);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "give the dataset of the new rows with --x-dataset")) << r.err;
}

TEST_F(Hdf5Fit, FeatureNamesAndLayoutFromAttributes) {
  const std::string expected = expected_path();  // from the CSV: names "x one", x2, x3
  for (bool variable : {true, false}) {
    // X as (n, p) with its names; and as (p, n), layout said as a scalar or a 1-element array.
    const std::string h5 = write_h5("attr.h5", {{"X", {6, 3}, H5T_IEEE_F64LE, kXRowMajor},
                                                {"Xt", {3, 6}, H5T_IEEE_F64LE, x_transposed()},
                                                {"y", {6}, H5T_IEEE_F64LE, kY}});
    add_string_attribute(h5, "X", "feature_names", {"x one", "x2", "x3"}, variable);
    add_string_attribute(h5, "X", "layout", {"samples-by-rows"}, variable, true);
    add_string_attribute(h5, "Xt", "feature_names", {"x one", "x2", "x3"}, variable);
    add_string_attribute(h5, "Xt", "layout", {"features-by-rows"}, variable, variable);
    for (const char* x : {"X", "Xt"}) {
      const CliRun r = run_cli("fit " + h5 + " --x-dataset " + x + " --y-dataset y --nlambda 8 " +
                               "--output " + out_);
      ASSERT_EQ(r.status, 0) << x << (variable ? " variable" : " fixed") << "\n" << r.output;
      EXPECT_EQ(slurp(out_), expected) << x << (variable ? " variable" : " fixed");
    }
    // --feature-names FILE overrides the attribute.
    const std::string other = temp_file("other.txt", "a\nb\nc\n");
    ASSERT_EQ(run_cli("fit " + h5 + " --x-dataset Xt --y-dataset y --nlambda 8 --feature-names " +
                      other + " --output " + out_).status, 0);
    EXPECT_TRUE(contains(slurp(out_), "lambda,intercept,a,b,c\n"));
  }
}

TEST_F(Hdf5Fit, BadAttributesAreNamed) {
  std::vector<double> withnan = x_transposed();
  withnan[2 * 6 + 1] = std::numeric_limits<double>::quiet_NaN();  // feature 3, sample 2
  const std::string h5 = write_h5("badattr.h5", {{"A", {6, 3}, H5T_IEEE_F64LE, kXRowMajor},
                                                 {"B", {6, 3}, H5T_IEEE_F64LE, kXRowMajor},
                                                 {"C", {6, 3}, H5T_IEEE_F64LE, kXRowMajor},
                                                 {"D", {6, 3}, H5T_IEEE_F64LE, kXRowMajor},
                                                 {"E", {6, 3}, H5T_IEEE_F64LE, kXRowMajor},
                                                 {"F", {3, 6}, H5T_IEEE_F64LE, withnan},
                                                 {"layoutnum", {6, 3}, H5T_IEEE_F64LE, kXRowMajor},
                                                 {"y", {6}, H5T_IEEE_F64LE, kY}});
  add_string_attribute(h5, "A", "layout", {"columns"}, true, true);
  add_string_attribute(h5, "B", "feature_names", {"a", "b"}, true);
  add_string_attribute(h5, "C", "feature_names", {"a", "b", "a"}, false);
  add_string_attribute(h5, "D", "feature_names", {"a", "", "c"}, true);
  // (6, 3) said to be (p, n): 3 samples of 6 features, fewer rows than y has.
  add_string_attribute(h5, "E", "layout", {"features-by-rows"}, true, true);
  add_string_attribute(h5, "F", "layout", {"features-by-rows"}, false, true);
  {
    const hid_t file = H5Fopen(h5.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    const hid_t set = H5Dopen2(file, "layoutnum", H5P_DEFAULT);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(set, "layout", H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT);
    const int one = 1;
    H5Awrite(attr, H5T_NATIVE_INT, &one);
    H5Aclose(attr);
    H5Sclose(space);
    H5Dclose(set);
    H5Fclose(file);
  }
  const std::string tail = " --y-dataset y --output " + out_;
  expect_error("fit " + h5 + " --x-dataset A" + tail, 1,
               {h5, "dataset 'A'", "attribute 'layout' is 'columns'", "'features-by-rows'"});
  expect_error("fit " + h5 + " --x-dataset B" + tail, 1,
               {"dataset 'B'", "'feature_names' has 2 names, X has 3 features"});
  expect_error("fit " + h5 + " --x-dataset C" + tail, 1,
               {"dataset 'C'", "name 3 'a' repeats name 1"});
  expect_error("fit " + h5 + " --x-dataset D" + tail, 1, {"dataset 'D'", "name 2 is empty"});
  expect_error("fit " + h5 + " --x-dataset E" + tail, 1, {"6 response values", "has 3 rows"});
  expect_error("fit " + h5 + " --x-dataset F" + tail, 1,
               {"dataset 'F'", "row 3, column 2 (feature 3, sample 2): not finite: nan"});
  expect_error("fit " + h5 + " --x-dataset layoutnum" + tail, 1,
               {"dataset 'layoutnum'", "attribute 'layout' is not a string"});
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
  // --y-dataset X, (6, 3), is three responses now: test_many_responses_files.cpp
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

// The ranks' blocks (mpirun regpath fit DATA.h5): rows n·r/R … n·(r+1)/R of each layout, together
// the whole X; a rank past the rows gets none; a NaN named by its row of the whole dataset.
TEST_F(Hdf5Fit, RowBlocksOfTheRanksMakeTheWholeX) {
  const std::string h5 = write_h5("blocks.h5", {{"X", {6, 3}, H5T_IEEE_F64LE, kXRowMajor},
                                                {"Xt", {3, 6}, H5T_IEEE_F64LE, x_transposed()}});
  add_string_attribute(h5, "Xt", "layout", {"features-by-rows"}, true, true);
  add_string_attribute(h5, "Xt", "feature_names", {"a", "b", "c"}, true);
  for (const char* set : {"X", "Xt"}) {
    const Hdf5Matrix whole = read_hdf5_matrix(h5, set);
    for (int ranks : {1, 4, 7}) {
      std::vector<std::vector<double>> columns(3);
      std::size_t next = 0;
      for (int r = 0; r < ranks; ++r) {
        const Hdf5RowBlock b = read_hdf5_row_block(h5, set, r, ranks);
        ASSERT_EQ(b.all_rows, 6u);
        ASSERT_EQ(b.begin, next) << set << " rank " << r << " of " << ranks;
        ASSERT_EQ(b.end, 6u * std::size_t(r + 1) / std::size_t(ranks));
        ASSERT_EQ(b.block.rows, b.end - b.begin);
        ASSERT_EQ(b.block.cols, 3u);
        EXPECT_EQ(b.block.names, whole.names);
        for (std::size_t j = 0; j < 3; ++j)
          for (std::size_t i = 0; i < b.block.rows; ++i)
            columns[j].push_back(b.block.values[j * b.block.rows + i]);
        next = b.end;
      }
      ASSERT_EQ(next, 6u);
      for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t i = 0; i < 6; ++i)
          EXPECT_EQ(columns[j][i], whole.values[j * 6 + i]) << set << " (" << i << ", " << j << ")";
    }
  }
  std::vector<double> bad = kXRowMajor;
  bad[4 * 3 + 1] = std::numeric_limits<double>::quiet_NaN();  // row 5, column 2
  const std::string nan_h5 = write_h5("nan_blocks.h5", {{"X", {6, 3}, H5T_IEEE_F64LE, bad}});
  EXPECT_NO_THROW(read_hdf5_row_block(nan_h5, "X", 0, 2));  // rows 1-3
  try {
    read_hdf5_row_block(nan_h5, "X", 1, 2);
    ADD_FAILURE() << "a NaN was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("dataset 'X': row 5, column 2: not finite: nan"),
              std::string::npos) << e.what();
  }
  const std::string v = write_h5("vec.h5", {{"v", {6}, H5T_IEEE_F64LE, kY}});
  EXPECT_THROW(read_hdf5_row_block(v, "v", 0, 2), InputError);  // 1-D: not an X
}

#else

TEST(Hdf5Fit, SkippedWithoutHdf5) {
  GTEST_SKIP() << "built without HDF5 (Debian: libhdf5-dev; see the CMake configure message)";
}

#endif

}  // namespace
}  // namespace regpath::cli
