// The CSV reader's fast path: the data rows parsed in parallel chunks straight into the columns.
//
// It accepts only input that the reference parser (csv_table.cpp) accepts, with the same numbers,
// and declines everything else: any error, and anything it would have to guess about. On a
// decline the caller runs the reference parser, which words the exact error (file, physical
// line, column, value), so error messages never depend on this path. Split points are line ends
// outside quotes: an even number of quotes since the data start. Where the text before a split
// point is malformed, that parity can lie; but then the chunk holding the first fault declines
// (it starts where the reference parser would be), so a lie never reaches a result.
#pragma once

#include <cstddef>
#include <vector>

namespace regpath::cli {

struct CsvChunking {
  std::size_t threads = 0;                // 0: std::thread::hardware_concurrency()
  std::size_t min_chunk_bytes = 1u << 20;  // smaller inputs are parsed by one thread
  bool fast = true;                        // false: the reference parser alone (tests)
};

// Parses the records in [begin, end), which starts at a record boundary (after the header),
// into `columns` (resized to `ncols` columns of the row count). False when it declines: also on
// a NUL byte anywhere in the range (the file's encoding check is the reference parser's, so that
// the fast path needs no pass of its own for it) and when there are no data rows; `columns` is
// then unspecified.
bool parse_rows_fast(const char* begin, const char* end, std::size_t ncols,
                     const CsvChunking& chunking, std::vector<std::vector<double>>& columns);

// The first `byte` in [begin, end), or null: memchr on `chunking`'s threads for a large input
// (the reference parser's check for NUL bytes scans the whole file before parsing it).
const char* find_byte(const char* begin, const char* end, char byte, const CsvChunking& chunking);

}  // namespace regpath::cli
