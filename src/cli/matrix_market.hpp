// Matrix Market input (.mtx, NIST's exchange format for sparse matrices) for `regpath fit`: X as
// a coordinate file, read straight into compressed sparse columns, never densified.
//
// Accepted: `%%MatrixMarket matrix coordinate real|double|integer|pattern general` (keywords in
// any case), `%` comment lines and blank lines, a size line `rows columns entries`, then one
// entry `row column [value]` a line with 1-based indices (pattern: no value, every entry 1).
// Refused, as an InputError naming the file, the line and what is wrong: another banner, the
// dense array format (give a .npy or CSV), complex values, a symmetric or hermitian layout, a bad
// size line, an index out of range or not a positive integer, a value that is not a finite
// decimal number (an integer for field integer), more or fewer entries than the size line says,
// more than 2^31 − 1 rows or columns.
// Duplicate entries (the same row and column twice) are summed, as R's Matrix::readMM followed by
// a conversion to dgCMatrix and scipy's mmread(...).tocsc() both do; the reader says how many.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "regpath/regpath.hpp"

namespace regpath::cli {

// X in compressed sparse column form: rows sorted within each column, no duplicates.
struct SparseX {
  std::string source;  // the file, for messages
  std::int64_t rows = 0, cols = 0;
  std::vector<std::int64_t> col_ptr;  // cols + 1
  std::vector<std::int64_t> row_idx;  // 0-based
  std::vector<double> values;
  // Entries that repeated an earlier (row, column) and were added to it; the first such, for the
  // notice: its 1-based row and column and the two lines.
  std::int64_t duplicates = 0;
  std::string first_duplicate;

  std::int64_t nnz() const { return static_cast<std::int64_t>(values.size()); }
  SparseMatrixView<double> view() const {
    return {rows, cols, nnz(), col_ptr.data(), row_idx.data(), values.data()};
  }
};

// Whether `path` is to be read as Matrix Market: its first bytes are "%%MatrixMarket" (in any
// case), or its name ends in ".mtx" (so that a .mtx file without the banner gets this reader's
// message about its first line, not the CSV reader's).
bool is_matrix_market_file(const std::string& path);

// The most rows or columns a file may declare: 2^31 − 1, as R's Matrix and scipy's int32 indices.
constexpr std::int64_t kMaxMatrixMarketDimension = 2147483647;

// Parses a whole Matrix Market file held in `text`; `source` names it in messages. A size line
// beyond `max_dimension` rows or columns is refused (the fuzz target lowers it to stay within
// its memory limit).
SparseX parse_matrix_market(std::string_view text, const std::string& source,
                            std::int64_t max_dimension = kMaxMatrixMarketDimension);
// Reads the file at `path` (memory-mapped); InputError when it cannot be read or is empty.
SparseX read_matrix_market(const std::string& path);

}  // namespace regpath::cli
