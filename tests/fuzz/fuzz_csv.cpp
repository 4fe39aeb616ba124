// libFuzzer target: the CLI's CSV reader (src/cli/csv_table.cpp) on arbitrary bytes.
// Built and run by scripts/fuzz (not by CI). Beyond "no crash, no sanitizer report", it checks
// the reader's promises: it either returns a rectangular table of finite numbers with unique,
// non-empty names, or throws InputError whose message holds no raw control byte (user text is
// escaped, so garbage cannot corrupt a terminal). And the fast chunked path (csv_fast.cpp, split
// into 3 chunks however small the input) gives exactly the reference parser's table or message.
#include <cmath>
#include <cstddef>
#include <cstring>
#include <memory>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "cli/csv_table.hpp"

namespace {

void check_message(const char* what) {
  for (const char* p = what; *p; ++p)
    if (static_cast<unsigned char>(*p) < 0x20 || *p == 0x7F) std::abort();
}

// The table's names and value bits, or the error message.
std::string outcome(const std::string& text, const regpath::cli::CsvChunking& chunking) {
  // An allocation of exactly the input's size, as a mapped file is: ASan then flags any read past
  // its end (a std::string's spare capacity would hide one).
  std::unique_ptr<char[]> exact(new char[text.size() + (text.empty() ? 1 : 0)]);
  std::memcpy(exact.get(), text.data(), text.size());
  try {
    const regpath::cli::CsvTable t = regpath::cli::parse_csv_text(
        std::string_view(exact.get(), text.size()), "fuzz.csv", chunking);
    std::string out;
    for (const auto& name : t.names) out += name + '\x1f';
    for (const auto& column : t.columns)
      for (double v : column) out.append(reinterpret_cast<const char*>(&v), sizeof v);
    return out;
  } catch (const regpath::cli::InputError& e) {
    return std::string("error: ") + e.what();
  }
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
  const std::string text(reinterpret_cast<const char*>(data), size);
  regpath::cli::CsvChunking reference, split;
  reference.fast = false;
  split.threads = 3;
  split.min_chunk_bytes = 1;
  if (outcome(text, reference) != outcome(text, split)) std::abort();
  return 0;  // any other exception escapes and is reported by libFuzzer as a crash
}
