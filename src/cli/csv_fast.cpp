#include "cli/csv_fast.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <thread>

#include "cli/csv_number.hpp"

namespace regpath::cli {
namespace {

// One chunk's records, written to rows [row0, row0 + capacity) of the columns. Every rule here
// mirrors the reference parser's Tokenizer + parse_cell; where they would differ it declines.
class ChunkParser {
 public:
  ChunkParser(double* const* columns, std::size_t ncols)
      : columns_(columns),
        ncols_(ncols),
        block_rows_(std::clamp<std::size_t>(kBlockBytes / (sizeof(double) * ncols), 8, 512)),
        block_(block_rows_ * ncols) {}

  // Rows parsed, or false on a decline.
  bool run(const char* p, const char* end, std::size_t row0, std::size_t capacity,
           std::size_t& rows) {
    end_ = end;
    rows = 0;
    for (;;) {
      // Blank lines (spaces, tabs, CRs only) are skipped; a record starts at the line's start.
      const char* t = p;
      while (t < end && (csv_is_blank(*t) || *t == '\r')) ++t;
      if (t == end) {
        flush(row0 + rows - filled_);
        return true;
      }
      if (*t == '\n') {
        p = t + 1;
        continue;
      }
      if (rows == capacity) return false;
      double* row = block_.data() + filled_ * ncols_;
      std::size_t col = 0;
      for (;;) {
        double v = 0;
        if (col == ncols_ || !field(p, v)) return false;
        row[col++] = v;
        if (p == end) break;
        if (*p++ == ',') continue;
        break;  // the '\n' ending the record
      }
      if (col != ncols_) return false;
      ++rows;
      if (++filled_ == block_rows_) flush(row0 + rows - filled_);
    }
  }

 private:
  // One field from p; leaves p on the ',' or '\n' after it, or at the end.
  bool field(const char*& p, double& v) const {
    const char* s = p;
    while (s < end_ && csv_is_blank(*s)) ++s;
    if (s < end_ && *s == '"') return quoted(s, p, v);
    // The common case: a number right here, then only blanks/CRs up to the delimiter.
    const char* b = s;
    if (b < end_ && *b == '+' && end_ - b > 1 && b[1] != '-') ++b;
    const char* number_end = b;
    bool read = plain_decimal(number_end, end_, v);
    if (!read && b < end_) {
      const auto r = fast_float::from_chars(b, end_, v);
      read = r.ec == std::errc() && r.ptr != b && std::isfinite(v);
      number_end = r.ptr;
    }
    if (read) {
      const char* t = number_end;
      while (t < end_ && (csv_is_blank(*t) || *t == '\r')) ++t;
      if (t == end_ || *t == ',' || *t == '\n') {
        p = t;
        return true;
      }
    }
    // Anything else: the field as the reference parser cuts it, decided by the shared rule.
    const char* e = s;
    while (e < end_ && *e != ',' && *e != '\n') ++e;
    const char* last = e;
    while (last > s && (csv_is_blank(last[-1]) || last[-1] == '\r')) --last;
    p = e;
    if (std::memchr(s, '"', static_cast<std::size_t>(last - s)) != nullptr) return false;
    return strict_number(s, last, v) == CellStatus::ok;
  }

  // A quoted field opening at s. A doubled quote inside puts a '"' in the text, which is never a
  // number, so that is a decline too.
  bool quoted(const char* s, const char*& p, double& v) const {
    const char* open = s + 1;
    const auto* close = static_cast<const char*>(
        std::memchr(open, '"', static_cast<std::size_t>(end_ - open)));
    if (close == nullptr) return false;
    const char* t = close + 1;
    if (t < end_ && *t == '"') return false;
    while (t < end_ && (csv_is_blank(*t) || *t == '\r')) ++t;
    if (t < end_ && *t != ',' && *t != '\n') return false;
    p = t;
    return strict_number(open, close, v) == CellStatus::ok;
  }

  // Writes the block's rows to the columns from row `first` on: each column gets a contiguous
  // run. (Storing each cell straight into its column touches ncols pages per row: with 1000
  // columns that thrashed the TLB and halved the speed.)
  void flush(std::size_t first) {
    for (std::size_t j = 0; j < ncols_; ++j) {
      double* out = columns_[j] + first;
      const double* in = block_.data() + j;
      for (std::size_t r = 0; r < filled_; ++r) out[r] = in[r * ncols_];
    }
    filled_ = 0;
  }

  static constexpr std::size_t kBlockBytes = 256 * 1024;  // the row block stays in L2
  double* const* columns_;
  std::size_t ncols_;
  std::size_t block_rows_;
  std::vector<double> block_;  // block_rows_ rows, row-major
  std::size_t filled_ = 0;
  const char* end_ = nullptr;
};

// The line ends, quotes and NULs in [b, e), in one pass. Byte-wide counters in 64 lanes,
// emptied every 255 rows, so that the compiler vectorizes the inner loop (std::count does not
// here, and the pass would cost a fifth of the parse).
struct ByteCounts {
  std::size_t newlines = 0, quotes = 0, nuls = 0;
};
ByteCounts count_bytes(const char* b, const char* e) {
  constexpr std::size_t kLanes = 64, kRows = 255;
  ByteCounts out;
  while (static_cast<std::size_t>(e - b) >= kLanes) {
    const std::size_t rows =
        std::min(kRows, static_cast<std::size_t>(e - b) / kLanes);
    unsigned char nl[kLanes] = {}, q[kLanes] = {}, z[kLanes] = {};
    for (std::size_t r = 0; r < rows; ++r, b += kLanes) {
      for (std::size_t l = 0; l < kLanes; ++l) {
        nl[l] = static_cast<unsigned char>(nl[l] + (b[l] == '\n'));
        q[l] = static_cast<unsigned char>(q[l] + (b[l] == '"'));
        z[l] = static_cast<unsigned char>(z[l] + (b[l] == '\0'));
      }
    }
    for (std::size_t l = 0; l < kLanes; ++l)
      out.newlines += nl[l], out.quotes += q[l], out.nuls += z[l];
  }
  for (; b < e; ++b) out.newlines += *b == '\n', out.quotes += *b == '"', out.nuls += *b == '\0';
  return out;
}

// The first line start at or after `from` with an even number of quotes since the data start
// (`parity` is that count's parity at `from`); `walked` gets the bytes' counts up to there.
const char* line_start_after(const char* from, const char* end, unsigned parity,
                             ByteCounts& walked) {
  for (const char* t = from; t < end; ++t) {
    if (*t == '"') {
      parity ^= 1u;
      ++walked.quotes;
    } else if (*t == '\n') {
      ++walked.newlines;
      if (parity == 0) return t + 1;
    }
  }
  return end;
}

// Runs body(k) for k in [0, count) on count threads (k = 0 on this one); false if any threw.
template <typename Body>
bool run_parallel(std::size_t count, Body body) {
  std::vector<char> failed(count, 0);
  auto guarded = [&](std::size_t k) {
    try {
      if (!body(k)) failed[k] = 1;
    } catch (...) {  // bad_alloc: the reference parser then reports it as such
      failed[k] = 1;
    }
  };
  std::vector<std::thread> workers;
  try {
    for (std::size_t k = 1; k < count; ++k) workers.emplace_back(guarded, k);
  } catch (...) {
    for (auto& w : workers) w.join();
    return false;
  }
  guarded(0);
  for (auto& w : workers) w.join();
  return std::find(failed.begin(), failed.end(), 1) == failed.end();
}

std::size_t thread_count(std::size_t bytes, const CsvChunking& chunking) {
  const std::size_t threads =
      chunking.threads ? chunking.threads : std::thread::hardware_concurrency();
  return std::max<std::size_t>(
      1, std::min(threads, bytes / std::max<std::size_t>(1, chunking.min_chunk_bytes)));
}

}  // namespace

const char* find_byte(const char* begin, const char* end, char byte,
                      const CsvChunking& chunking) {
  if (begin >= end) return nullptr;
  const auto bytes = static_cast<std::size_t>(end - begin);
  const std::size_t threads = thread_count(bytes, chunking);
  std::vector<const char*> found(threads, nullptr);
  const bool ok = run_parallel(threads, [&](std::size_t k) {
    const char* b = begin + bytes / threads * k;
    const char* e = k + 1 == threads ? end : begin + bytes / threads * (k + 1);
    found[k] = static_cast<const char*>(std::memchr(b, byte, static_cast<std::size_t>(e - b)));
    return true;
  });
  if (!ok) return static_cast<const char*>(std::memchr(begin, byte, bytes));
  for (const char* f : found)
    if (f != nullptr) return f;
  return nullptr;
}

bool parse_rows_fast(const char* begin, const char* end, std::size_t ncols,
                     const CsvChunking& chunking, std::vector<std::vector<double>>& columns) {
  if (ncols == 0 || begin >= end) return false;
  const auto bytes = static_cast<std::size_t>(end - begin);
  const std::size_t threads = thread_count(bytes, chunking);
  // Pass 1, parallel: line ends and quotes in equal byte ranges; then the chunk bounds, the
  // first line start outside quotes in each range, and an upper bound on each chunk's records
  // (its line ends, +1 for an unterminated last line), exact but for blank lines.
  std::vector<const char*> from(threads + 1, end);
  for (std::size_t k = 0; k < threads; ++k) from[k] = begin + bytes / threads * k;
  std::vector<ByteCounts> counts(threads);
  run_parallel(threads, [&](std::size_t k) {
    counts[k] = count_bytes(from[k], from[k + 1]);
    return true;
  });
  std::vector<const char*> bounds{begin};
  std::vector<std::size_t> newlines_before{0};  // line ends in [begin, bounds[k])
  std::size_t quotes_before_last = 0;           // quotes in [begin, bounds.back())
  std::size_t quotes_at = 0, newlines_at = 0;   // in [begin, from[k])
  for (std::size_t k = 1; k < threads; ++k) {
    quotes_at += counts[k - 1].quotes;
    newlines_at += counts[k - 1].newlines;
    const char* start = from[k];
    std::size_t quotes = quotes_at, lines = newlines_at;
    if (start < bounds.back()) {  // the previous walk went past this range's start
      start = bounds.back();
      quotes = quotes_before_last;
      lines = newlines_before.back();
    }
    ByteCounts walked;
    bounds.push_back(line_start_after(start, end, static_cast<unsigned>(quotes & 1u), walked));
    quotes_before_last = quotes + walked.quotes;
    newlines_before.push_back(lines + walked.newlines);
  }
  std::size_t all_newlines = 0;
  for (const ByteCounts& c : counts) {
    if (c.nuls != 0) return false;  // not text: the reference parser's encoding check says so
    all_newlines += c.newlines;
  }
  bounds.push_back(end);
  newlines_before.push_back(all_newlines);
  const std::size_t chunks = bounds.size() - 1;
  std::vector<std::size_t> capacity(chunks), offset(chunks + 1, 0), rows(chunks, 0);
  for (std::size_t k = 0; k < chunks; ++k) {
    const bool open_last_line = bounds[k + 1] > bounds[k] && bounds[k + 1][-1] != '\n';
    capacity[k] = newlines_before[k + 1] - newlines_before[k] + (open_last_line ? 1 : 0);
    offset[k + 1] = offset[k] + capacity[k];
  }

  // The columns, allocated (and zero-filled: first touch) by all threads.
  columns.clear();
  columns.resize(ncols);
  if (!run_parallel(chunks, [&](std::size_t k) {
        for (std::size_t j = k; j < ncols; j += chunks) columns[j].resize(offset[chunks]);
        return true;
      }))
    return false;
  std::vector<double*> base(ncols);
  for (std::size_t j = 0; j < ncols; ++j) base[j] = columns[j].data();

  // Pass 2: the records.
  if (!run_parallel(chunks, [&](std::size_t k) {
        ChunkParser parser(base.data(), ncols);
        return parser.run(bounds[k], bounds[k + 1], offset[k], capacity[k], rows[k]);
      }))
    return false;

  // Blank lines leave gaps after a chunk's rows; close them up.
  std::size_t total = rows[0];
  for (std::size_t k = 1; k < chunks; ++k) {
    if (offset[k] != total) {
      for (std::size_t j = 0; j < ncols; ++j)
        std::memmove(base[j] + total, base[j] + offset[k], rows[k] * sizeof(double));
    }
    total += rows[k];
  }
  if (total == 0) return false;
  for (auto& c : columns) c.resize(total);
  return true;
}

}  // namespace regpath::cli
