// Running the command-line tool from a test as a user would: its exit status, stdout and stderr
// apart (stdout is meant for scripts), and per-test temporary files.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"
#include "test_locations.hpp"

namespace regpath::test {

struct CliRun {
  int status = -1;
  std::string out, err;
  std::string output;  // both: stdout, then stderr
  std::string all() const { return output; }
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The comma-separated cells of one line of a CLI's CSV output (no quoting: the tests' names
// hold no commas).
inline std::vector<std::string> split_cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream s(line);
  std::string cell;
  while (std::getline(s, cell, ',')) out.push_back(cell);
  return out;
}

// Per-test names (suite and test: two suites may share a test name) inside this process's own
// folder (temp_dir.hpp): ctest runs tests in parallel processes, and two runs may share a machine.
inline std::string temp_path(const std::string& name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string stem = std::string(info->test_suite_name()) + "_" + info->name();
  std::replace(stem.begin(), stem.end(), '/', '_');  // typed suites are named "Suite/Config"
  return temp_dir() + stem + "_" + name;
}

inline std::string temp_file(const std::string& name, const std::string& content) {
  const std::string path = temp_path(name);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// A shell command line, its stdout and stderr apart; the status is 128 + the signal when killed.
inline CliRun run_cli_command(const std::string& command) {
  CliRun r;
  const std::string err_path = temp_path("stderr.txt");
  const std::string cmd = command + " 2>" + err_path;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t got;
  while ((got = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), got);
  const int st = pclose(pipe);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
  r.err = slurp(err_path);
  r.output = r.out + r.err;
  return r;
}

// `regpath ARGS` through the shell (ARGS may quote).
inline CliRun run_cli(const std::string& args) {
  return run_cli_command(cli_path() + " " + args);
}

inline bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

}  // namespace regpath::test
