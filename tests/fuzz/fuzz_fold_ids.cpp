// libFuzzer target: the CLI's fold-id reader (src/cli/fold_ids.cpp) on arbitrary bytes. The first
// byte picks the number of data rows (0..63), the rest is the file. Checks: either exactly that
// many ids, each ≥ 1, or an InputError whose message holds no raw control byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli/fold_ids.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace regpath::cli;
  if (size == 0) return 0;
  const std::size_t rows = data[0] % 64;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  try {
    const std::vector<int> ids = parse_fold_ids(in, "folds.csv", rows);
    if (ids.size() != rows) std::abort();
    for (int id : ids)
      if (id < 1) std::abort();
  } catch (const InputError& e) {
    for (const char* p = e.what(); *p; ++p)
      if (static_cast<unsigned char>(*p) < 0x20 || *p == 0x7F) std::abort();
  }
  return 0;
}
