// The sparse readers' promise, checked by their fuzz targets (fuzz_mtx, fuzz_npz): compressed
// sparse columns the library may read as they are — cols + 1 pointers from 0 to nnz, never
// decreasing; rows strictly increasing within a column, each in [0, rows); values finite.
// Aborts (a finding for libFuzzer) otherwise.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "cli/matrix_market.hpp"

inline void check_csc(const regpath::cli::SparseX& x) {
  if (x.col_ptr.size() != static_cast<std::size_t>(x.cols) + 1 || x.col_ptr[0] != 0)
    std::abort();
  if (x.col_ptr.back() != x.nnz() || x.row_idx.size() != x.values.size()) std::abort();
  for (std::int64_t j = 0; j < x.cols; ++j) {
    const auto b = x.col_ptr[static_cast<std::size_t>(j)];
    const auto e = x.col_ptr[static_cast<std::size_t>(j) + 1];
    if (e < b) std::abort();
    for (auto k = b; k < e; ++k) {
      const auto i = x.row_idx[static_cast<std::size_t>(k)];
      if (i < 0 || i >= x.rows) std::abort();
      if (k > b && i <= x.row_idx[static_cast<std::size_t>(k) - 1]) std::abort();
      if (!std::isfinite(x.values[static_cast<std::size_t>(k)])) std::abort();
    }
  }
}
