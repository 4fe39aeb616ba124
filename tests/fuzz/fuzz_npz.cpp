// libFuzzer target: the CLI's SciPy .npz reader (src/cli/npz_file.cpp: the ZIP archive, zlib's
// inflate, the .npy members) on arbitrary bytes, taken as a whole file. Built and run by
// scripts/fuzz (not by CI). Beyond "no crash, no sanitizer report", it checks the reader's
// promises: it either returns compressed sparse columns the library may read as they are (cols +
// 1 pointers from 0 to nnz, never decreasing; rows strictly increasing within a column, each in
// [0, rows); values finite), or throws InputError whose message holds no raw control byte.
// Dimensions are capped at 2^16 here so that a declared shape cannot exceed the fuzzer's memory.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "check_csc.hpp"
#include "cli/csv_table.hpp"
#include "cli/npz_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace regpath::cli;
  try {
    const SparseX x = parse_npz(std::string_view(reinterpret_cast<const char*>(data), size),
                                "fuzz.npz", 1 << 16);
    check_csc(x);
  } catch (const InputError& e) {
    for (const char* p = e.what(); *p; ++p)
      if (static_cast<unsigned char>(*p) < 0x20 || *p == 0x7F) std::abort();
  }
  return 0;  // any other exception escapes and is reported by libFuzzer as a crash
}
