// libFuzzer target: the CLI's .npy header parser (src/cli/npy_file.cpp) on arbitrary bytes, taken
// as a whole file. Built and run by scripts/fuzz (not by CI). Beyond "no crash, no sanitizer
// report", it checks the parser's promises: it either returns a header whose dtype is float64 or
// float32 and whose data fills the rest of the file exactly (so that the mapped matrix is read in
// bounds), or throws InputError whose message holds no raw control byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include "cli/csv_table.hpp"
#include "cli/npy_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace regpath::cli;
  try {
    const NpyHeader h = parse_npy_header(data, size, "fuzz.npy");
    if (h.item_size != 4 && h.item_size != 8) std::abort();
    if (h.data_offset > size || h.shape.size() > 32) std::abort();
    std::size_t count = 1;
    for (std::size_t d : h.shape) {
      if (d != 0 && count > std::numeric_limits<std::size_t>::max() / d) std::abort();
      count *= d;
    }
    if (count != h.elements() || count * h.item_size != size - h.data_offset) std::abort();
  } catch (const InputError& e) {
    for (const char* p = e.what(); *p; ++p)
      if (static_cast<unsigned char>(*p) < 0x20 || *p == 0x7F) std::abort();
  }
  return 0;  // any other exception escapes and is reported by libFuzzer as a crash
}
