// libFuzzer target: the CLI's CSV reader (src/cli/csv_table.cpp) on arbitrary bytes.
// Built and run by scripts/fuzz (not by CI). Beyond "no crash, no sanitizer report", it checks
// the reader's promises: it either returns a rectangular table of finite numbers with unique,
// non-empty names, or throws InputError whose message holds no raw control byte (user text is
// escaped, so garbage cannot corrupt a terminal).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>

#include "cli/csv_table.hpp"

namespace {

void check_message(const char* what) {
  for (const char* p = what; *p; ++p)
    if (static_cast<unsigned char>(*p) < 0x20 || *p == 0x7F) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace regpath::cli;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const CsvTable t = parse_csv(in, "fuzz.csv");
    if (t.rows() == 0 || t.cols() == 0 || t.columns.size() != t.cols()) std::abort();
    std::set<std::string> names;
    for (std::size_t j = 0; j < t.cols(); ++j) {
      if (t.names[j].empty() || !names.insert(t.names[j]).second) std::abort();
      if (t.columns[j].size() != t.rows()) std::abort();
      for (double v : t.columns[j])
        if (!std::isfinite(v)) std::abort();
    }
  } catch (const InputError& e) {
    check_message(e.what());
  }
  return 0;  // any other exception escapes and is reported by libFuzzer as a crash
}
