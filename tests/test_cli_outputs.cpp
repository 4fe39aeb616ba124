// What the command-line tool does with the files it writes: never over its input or over another
// output, every output checked before the work, written whole or not at all. Also the test
// suite's own temporary files (one folder per process, so that two runs cannot collide).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "temp_dir.hpp"

namespace {

using regpath::test::CliRun;
using regpath::test::contains;
using regpath::test::run_cli;
using regpath::test::run_cli_command;
using regpath::test::slurp;
using regpath::test::temp_dir;
using regpath::test::temp_file;
using regpath::test::temp_path;

// A copy of the bundled data for each test: a test that fails must not destroy the original.
std::string data_copy() {
  return temp_file("data.csv", slurp(std::string(REGPATH_TEST_DATA_DIR) + "/../../data/diabetes.csv"));
}

bool exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

// ---- the suite's temporary files ----------------------------------------------------------------

TEST(TestTempFiles, LiveInAFolderOfThisProcessOnly) {
  const std::filesystem::path file = temp_path("probe.txt");
  const std::filesystem::path folder = file.parent_path();
  // Not the shared system folder: two runs on one machine wrote the same names there.
  EXPECT_NE(folder, std::filesystem::path(::testing::TempDir()).parent_path()) << folder;
  EXPECT_EQ(folder.string() + "/", temp_dir());
  struct stat st{};
  ASSERT_EQ(::stat(folder.c_str(), &st), 0) << folder;
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u) << "made by mkdtemp, private to this user";
  EXPECT_EQ(st.st_uid, ::getuid());
}

// ---- fault: an output over the input or over another output ------------------------------------

class CliOutputs : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = data_copy();
    original_ = slurp(data_);
    ASSERT_GT(original_.size(), 1000u);
  }
  // Refused as a usage error (exit 2), before any work, naming both; the data is untouched.
  void expect_refused(const std::string& args, std::initializer_list<const char*> needles) {
    const CliRun r = run_cli(args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.output;
    for (const char* n : needles) EXPECT_TRUE(contains(r.output, n)) << n << " not in " << r.output;
    EXPECT_EQ(slurp(data_), original_) << "the input was changed by: " << args;
  }
  std::string data_, original_;
};

TEST_F(CliOutputs, OutputThatIsTheInputIsRefused) {
  const std::string fit = "fit " + data_ + " --response progression --nlambda 5 ";
  expect_refused(fit + "--output " + data_, {"--output", "is the input", "DATA.csv"});
  // The same file under another spelling, through a symlink, through a hard link.
  const std::string dir = temp_dir();
  expect_refused(fit + "--output " + dir + "../" + std::filesystem::path(dir).parent_path().filename().string() +
                     "/" + std::filesystem::path(data_).filename().string(),
                 {"is the input"});
  const std::string link = temp_path("link.csv"), hard = temp_path("hard.csv");
  ASSERT_EQ(::symlink(data_.c_str(), link.c_str()), 0);
  ASSERT_EQ(::link(data_.c_str(), hard.c_str()), 0);
  expect_refused(fit + "--output " + link, {"is the input"});
  expect_refused(fit + "--output " + hard, {"is the input"});
  expect_refused(fit + "--output " + temp_path("out.csv") + " --plot " + data_,
                 {"--plot", "is the input"});
  const std::string cv = "cv " + data_ + " --response progression --nlambda 5 ";
  expect_refused(cv + "--output " + data_, {"--output", "is the input"});
  expect_refused(cv + "--output " + temp_path("cv.csv") + " --path-output " + link,
                 {"--path-output", "is the input"});
  const std::string foldid = temp_path("folds.csv");
  {
    std::ofstream f(foldid);
    for (int i = 0; i < 442; ++i) f << (i % 3 + 1) << '\n';
  }
  const std::string folds = slurp(foldid);
  const CliRun r = run_cli(cv + "--foldid " + foldid + " --output " + foldid);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "--foldid")) << r.output;
  EXPECT_EQ(slurp(foldid), folds);
}

TEST_F(CliOutputs, TwoOutputsThatAreOneFileAreRefused) {
  const std::string out = temp_path("out.csv");
  const std::string fit = "fit " + data_ + " --response progression --nlambda 5 ";
  // Not there yet: compared by canonical folder and name.
  expect_refused(fit + "--output " + out + " --plot " + temp_dir() + "./" +
                     std::filesystem::path(out).filename().string(),
                 {"--plot", "same file as --output"});
  EXPECT_FALSE(exists(out));
  // There already: compared by device and inode.
  std::ofstream(out) << "old\n";
  expect_refused(fit + "--output " + out + " --plot " + out, {"same file"});
  EXPECT_EQ(slurp(out), "old\n");
  const std::string cv = "cv " + data_ + " --response progression --nlambda 5 ";
  expect_refused(cv + "--output " + out + " --path-output " + out, {"--path-output", "same file"});
  expect_refused(cv + "--output " + temp_path("cv.csv") + " --path-output " + out + " --plot " + out,
                 {"--plot", "same file as --path-output"});
}

TEST_F(CliOutputs, DistinctOutputsAndSpecialFilesStillWork) {
  const std::string out = temp_path("out.csv"), svg = temp_path("out.svg");
  CliRun r = run_cli("fit " + data_ + " --response progression --nlambda 5 --output " + out +
                     " --plot " + svg);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(slurp(out), "lambda,intercept,"));
  EXPECT_TRUE(contains(slurp(svg), "<svg"));
  // /dev/stdout cannot be renamed over: it is written directly.
  r = run_cli("fit " + data_ + " --response progression --nlambda 5 --quiet --output /dev/stdout");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.out, "lambda,intercept,")) << r.out;
  // Nothing but the outputs is left in the folder (no temporary files).
  for (const auto& e : std::filesystem::directory_iterator(temp_dir()))
    EXPECT_NE(e.path().filename().string()[0], '.') << e.path();
}

// ---- fault: outputs checked only after the work -----------------------------------------------

TEST_F(CliOutputs, UnwritableOutputsAreReportedBeforeTheFit) {
  const std::string out = temp_path("out.csv");
  const std::string fit = "fit " + data_ + " --response progression --output " + out;
  for (const std::string& bad :
       std::vector<std::string>{" --plot /nonexistent/dir/paths.svg", " --plot " + temp_dir()}) {
    const CliRun r = run_cli(fit + bad);
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "cannot write")) << r.output;
    EXPECT_FALSE(contains(r.output, "lambdas from")) << "the fit ran first: " << r.output;
    EXPECT_FALSE(exists(out)) << "the CSV was written before the error";
  }
  const std::string cv = "cv " + data_ + " --response progression --nlambda 5 --output " + out;
  for (const char* bad : {" --path-output /nonexistent/p.csv", " --plot /nonexistent/cv.svg"}) {
    const CliRun r = run_cli(cv + bad);
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "cannot write")) << r.output;
    EXPECT_TRUE(r.out.empty()) << "lambda.min printed: the cv ran first: " << r.out;
    EXPECT_FALSE(exists(out));
  }
  // A read-only folder (not for root, who may write anywhere).
  if (::geteuid() != 0) {
    const std::string ro = temp_path("ro");
    ASSERT_EQ(::mkdir(ro.c_str(), 0500), 0);
    const CliRun r = run_cli(fit + " --plot " + ro + "/p.svg");
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "Permission denied")) << r.output;
  }
}

// ---- fault: half-written outputs ---------------------------------------------------------------

// The tool run with a file size limit of `kib` KiB (as a full disk: writes fail with EFBIG;
// SIGXFSZ ignored so that the failing write returns instead of killing the process).
CliRun run_cli_with_file_limit(const std::string& args, int kib) {
  const std::string script = temp_path("limited.sh");
  std::ofstream(script) << "trap '' XFSZ\nulimit -f " << kib * 2 << "\nexec " << REGPATH_CLI_PATH
                        << " " << args << "\n";
  return run_cli_command("sh " + script);
}

TEST_F(CliOutputs, AFailedWriteLeavesNothingBehind) {
  const std::string dir = temp_path("outputs");
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  const std::string out = dir + "/path.csv", svg = dir + "/path.svg";
  // 100 λ × 12 numbers is far beyond 1 KiB.
  CliRun r = run_cli_with_file_limit("fit " + data_ + " --response progression --output " + out, 1);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, out)) << r.output;
  EXPECT_TRUE(contains(r.output, "File too large")) << r.output;
  EXPECT_TRUE(std::filesystem::is_empty(dir)) << "a partial or temporary file was left";
  // An existing output stays as it was; with two outputs neither is replaced.
  std::ofstream(out) << "previous\n";
  r = run_cli_with_file_limit("fit " + data_ + " --response progression --output " + out +
                                  " --plot " + svg, 1);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_EQ(slurp(out), "previous\n");
  EXPECT_FALSE(exists(svg));
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.exists();
  EXPECT_EQ(files, 1u) << "temporary files were left";
}

}  // namespace
