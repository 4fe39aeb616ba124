// One private temporary folder per test process (mkdtemp), removed when the process ends.
//
// Fixed names under the system temp folder collided between two runs on one machine (two build
// folders, or a developer's run beside CI): each run's tests overwrote the other's files. ctest
// runs every test in its own process, so a folder per process is a folder per test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace regpath::test {

class ProcessTempDir {
 public:
  ProcessTempDir() {
    std::string base = ::testing::TempDir();
    if (base.empty()) base = "/tmp/";
    if (base.back() != '/') base += '/';
    std::string pattern = base + "regpath_test_XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr)
      throw std::runtime_error("cannot create a temporary folder from " + pattern);
    path_ = std::string(buf.data()) + "/";
    owner_ = ::getpid();
  }
  ~ProcessTempDir() {
    // Only the process that made it removes it (a forked child exits through here too).
    if (::getpid() != owner_ || std::getenv("REGPATH_KEEP_TEST_FILES") != nullptr) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ProcessTempDir(const ProcessTempDir&) = delete;
  ProcessTempDir& operator=(const ProcessTempDir&) = delete;

  const std::string& path() const { return path_; }  // ends with '/'

 private:
  std::string path_;
  pid_t owner_ = 0;
};

// This process's own temporary folder, made on first use; ends with '/'.
inline const std::string& temp_dir() {
  static const ProcessTempDir dir;
  return dir.path();
}

}  // namespace regpath::test
