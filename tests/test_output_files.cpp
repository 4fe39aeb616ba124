// cli/output_files.hpp: a staged file holds exactly what was added — one string, or pieces one
// after another (the many-responses CSV, formatted in parts) — and appears only on commit.
#include <gtest/gtest.h>

#include <string>
#include <sys/stat.h>
#include <vector>

#include "cli/output_files.hpp"
#include "cli_runner.hpp"

namespace regpath::test {
namespace {

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

TEST(StagedOutputs, PiecesAreWrittenInOrderAndOnlyOnCommit) {
  const std::string one = temp_path("one.txt"), parts = temp_path("parts.txt");
  const std::vector<std::string> pieces = {"header\n", "", "a,1\nb,2\n", std::string(70000, 'x'),
                                           "\nend\n"};
  std::string joined;
  for (const std::string& p : pieces) joined += p;
  {
    cli::StagedOutputs files;
    files.add(one, joined);
    files.add(parts, pieces);
    EXPECT_FALSE(exists(parts)) << "visible before commit";
    files.commit();
  }
  EXPECT_EQ(slurp(parts), joined);
  EXPECT_EQ(slurp(parts), slurp(one));
  {
    cli::StagedOutputs files;  // not committed: nothing replaced, nothing left behind
    files.add(parts, std::vector<std::string>{"other"});
  }
  EXPECT_EQ(slurp(parts), joined);
}

}  // namespace
}  // namespace regpath::test
