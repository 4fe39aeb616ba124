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

#include "cli_runner.hpp"
#include "temp_dir.hpp"

namespace {

using regpath::test::CliRun;
using regpath::test::contains;
using regpath::test::run_cli;
using regpath::test::slurp;
using regpath::test::temp_dir;
using regpath::test::temp_file;
using regpath::test::temp_path;

const std::string kDiabetes = std::string(REGPATH_TEST_DATA_DIR) + "/diabetes_std.csv";

[[maybe_unused]] bool exists(const std::string& path) {
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

}  // namespace
