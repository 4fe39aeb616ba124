// Where the tests find their data and the CLI: compiled in (the source and build folders), or,
// when the test program runs elsewhere (a prepared build copied to a GPU node by
// scripts/gpu-check), the environment's REGPATH_TEST_DATA_DIR and REGPATH_CLI_PATH.
#pragma once

#include <cstdlib>
#include <string>

namespace regpath::test {

inline std::string from_env_or(const char* name, const char* compiled) {
  const char* value = std::getenv(name);
  return value && value[0] ? std::string(value) : std::string(compiled);
}
inline std::string test_data_dir() {
  return from_env_or("REGPATH_TEST_DATA_DIR", REGPATH_TEST_DATA_DIR);
}
inline std::string cli_path() { return from_env_or("REGPATH_CLI_PATH", REGPATH_CLI_PATH); }

}  // namespace regpath::test
