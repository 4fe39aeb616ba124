#include "cli/matrix_market.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>
#include <utility>

#include "cli/csv_number.hpp"
#include "cli/csv_table.hpp"
#include "cli/npy_file.hpp"

namespace regpath::cli {
namespace {

constexpr std::string_view kBanner = "%%matrixmarket";
constexpr const char* kExpected = "%%MatrixMarket matrix coordinate real general";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with_banner(std::string_view s) {
  return s.size() >= kBanner.size() && lower(s.substr(0, kBanner.size())) == kBanner;
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && csv_is_space(line[i])) ++i;
    const std::size_t b = i;
    while (i < line.size() && !csv_is_space(line[i])) ++i;
    if (i > b) out.push_back(line.substr(b, i - b));
  }
  return out;
}

bool blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return csv_is_space(c); });
}

// The text's lines one by one, with their 1-based numbers (a final line without LF counts).
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const std::size_t end = std::min(text_.find('\n', pos_), text_.size());
    line = text_.substr(pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = end + 1;
    ++number_;
    return true;
  }
  std::int64_t number() const { return number_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::int64_t number_ = 0;
};

// A non-negative decimal integer filling `w` ("+" allowed), or false.
bool parse_count(std::string_view w, std::int64_t& v) {
  if (!w.empty() && w.front() == '+') w.remove_prefix(1);
  if (w.empty() || !std::isdigit(static_cast<unsigned char>(w.front()))) return false;
  const auto r = std::from_chars(w.data(), w.data() + w.size(), v);
  return r.ec == std::errc() && r.ptr == w.data() + w.size();
}

bool is_integer_text(std::string_view w) {
  if (!w.empty() && (w.front() == '+' || w.front() == '-')) w.remove_prefix(1);
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

class Parser {
 public:
  Parser(std::string_view text, std::string source, std::int64_t max_dimension)
      : lines_(text), source_(std::move(source)), max_dimension_(max_dimension) {
    text_size_ = text.size();
  }

  SparseX parse() {
    read_banner();
    read_size();
    read_entries();
    return to_csc();
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(source_ + ": line " + std::to_string(lines_.number()) + ": " + what);
  }
  static std::string q(std::string_view s) { return quoted_for_message(std::string(s)); }

  // The next line that is neither a comment nor blank; false at the end of the text.
  bool next_data_line(std::string_view& line) {
    while (lines_.next(line))
      if (!blank(line) && line.front() != '%') return true;
    return false;
  }

  void read_banner() {
    std::string_view line;
    if (!lines_.next(line) || !starts_with_banner(line))
      fail("not a Matrix Market file: the first line must be the banner '" +
           std::string(kExpected) + "' (got " + q(line) + ")");
    const auto w = words(line);
    if (w.size() != 5 || lower(w[0]) != kBanner)
      fail("the banner has " + std::to_string(w.size()) + " words, expected 5: '" +
           std::string(kExpected) + "' (field real, integer or pattern); got " + q(line));
    if (lower(w[1]) != "matrix")
      fail("object " + q(w[1]) + " is not supported: expected 'matrix'");
    const std::string format = lower(w[2]);
    if (format == "array")
      fail("format 'array' (a dense matrix) is not read as sparse X: write X in 'coordinate' "
           "format (scipy.io.mmwrite of a scipy.sparse matrix, Matrix::writeMM in R), or give "
           "a dense X as a .npy or CSV file");
    if (format != "coordinate")
      fail("format " + q(w[2]) + " is not supported: expected 'coordinate'");
    const std::string field = lower(w[3]);
    if (field == "pattern") pattern_ = true;
    else if (field == "integer") integer_ = true;
    else if (field != "real" && field != "double")
      fail("field " + q(w[3]) + " is not supported: expected real, integer or pattern");
    if (lower(w[4]) != "general")
      fail("symmetry " + q(w[4]) + " is not supported: expected 'general' (X is n × p: "
           "write every entry)");
  }

  void read_size() {
    std::string_view line;
    if (!next_data_line(line))
      throw InputError(source_ + ": no size line 'rows columns entries' after the banner (the "
                                 "file ends at line " + std::to_string(lines_.number()) + ")");
    size_line_ = lines_.number();
    const auto w = words(line);
    if (w.size() != 3 || !parse_count(w[0], rows_) || !parse_count(w[1], cols_) ||
        !parse_count(w[2], entries_))
      fail("the size line must be 'rows columns entries', three non-negative integers; got " +
           q(line));
    // The column pointers take 8 bytes a column before any entry is read: a size line's count
    // beyond what any index type holds would be an allocation failure, not a message.
    for (const auto& [count, what] : {std::pair{rows_, "rows"}, std::pair{cols_, "columns"}})
      if (count > max_dimension_)
        fail(std::to_string(count) + " " + what + " is more than regpath reads (at most " +
             std::to_string(max_dimension_) + ", the int32 index range of R's Matrix and scipy)");
  }

  std::int64_t index(std::string_view w, const char* what, std::int64_t limit) const {
    std::int64_t v = 0;
    if (!parse_count(w, v) || v < 1)
      fail(std::string(what) + " index " + q(w) + " is not a positive integer (indices are "
                                                  "1-based)");
    if (v > limit)
      fail(std::string(what) + " index " + std::to_string(v) + " is out of range 1.." +
           std::to_string(limit) + " (the size line, line " + std::to_string(size_line_) +
           ", says " + std::to_string(limit) + (what[0] == 'r' ? " rows)" : " columns)"));
    return v - 1;
  }

  double value(std::string_view w) const {
    double v = 0;
    const CellStatus s = strict_number(w.data(), w.data() + w.size(), v);
    if (s == CellStatus::not_finite)
      fail("value " + q(w) + " is not finite (every value of X must be a finite number)");
    if (s != CellStatus::ok)
      fail("value " + q(w) + " is not a decimal number");
    if (integer_ && !is_integer_text(w))
      fail("value " + q(w) + " is not an integer (the banner says field integer)");
    return v;
  }

  void read_entries() {
    const std::size_t fields = pattern_ ? 2 : 3;
    // Each entry takes at least 4 bytes ("1 1\n"): a size line claiming more cannot be true,
    // and reserving for it could exhaust memory before the count is found wrong.
    const auto most = static_cast<std::int64_t>(text_size_ / 4);
    const auto expect = static_cast<std::size_t>(std::min(entries_, most));
    ri_.reserve(expect);
    ci_.reserve(expect);
    v_.reserve(expect);
    std::string_view line;
    while (next_data_line(line)) {
      if (static_cast<std::int64_t>(v_.size()) == entries_)
        fail("more entries than the " + std::to_string(entries_) + " the size line (line " +
             std::to_string(size_line_) + ") says");
      const auto w = words(line);
      if (w.size() != fields)
        fail("entry " + std::to_string(v_.size() + 1) + ": expected " +
             (pattern_ ? "'row column' (2 fields, field pattern)"
                       : "'row column value' (3 fields)") +
             ", got " + std::to_string(w.size()) + ": " + q(line));
      ri_.push_back(index(w[0], "row", rows_));
      ci_.push_back(index(w[1], "column", cols_));
      v_.push_back(pattern_ ? 1.0 : value(w[2]));
    }
    if (static_cast<std::int64_t>(v_.size()) != entries_)
      throw InputError(source_ + ": the file ends (line " + std::to_string(lines_.number()) +
                       ") after " + std::to_string(v_.size()) + " entries; the size line (line " +
                       std::to_string(size_line_) + ") says " + std::to_string(entries_));
  }

  // Counting sort by column (keeping the file's order within a column), then each column sorted
  // by row and repeated rows summed.
  SparseX to_csc() {
    SparseX x;
    x.source = source_;
    x.rows = rows_;
    x.cols = cols_;
    x.col_ptr.assign(static_cast<std::size_t>(cols_) + 1, 0);
    for (const std::int64_t j : ci_) ++x.col_ptr[static_cast<std::size_t>(j) + 1];
    std::partial_sum(x.col_ptr.begin(), x.col_ptr.end(), x.col_ptr.begin());
    std::vector<std::pair<std::int64_t, double>> placed(v_.size());
    {
      std::vector<std::int64_t> next(x.col_ptr.begin(), x.col_ptr.end() - 1);
      for (std::size_t k = 0; k < v_.size(); ++k)
        placed[static_cast<std::size_t>(next[static_cast<std::size_t>(ci_[k])]++)] = {ri_[k],
                                                                                     v_[k]};
    }
    ri_ = {};
    ci_ = {};
    v_ = {};
    x.row_idx.reserve(placed.size());
    x.values.reserve(placed.size());
    std::vector<std::int64_t> merged_ptr(x.col_ptr.size(), 0);
    for (std::int64_t j = 0; j < cols_; ++j) {
      const auto b = placed.begin() + x.col_ptr[static_cast<std::size_t>(j)];
      const auto e = placed.begin() + x.col_ptr[static_cast<std::size_t>(j) + 1];
      std::stable_sort(b, e, [](const auto& l, const auto& r) { return l.first < r.first; });
      for (auto it = b; it != e; ++it) {
        if (it != b && it->first == x.row_idx.back()) {
          x.values.back() += it->second;
          if (!std::isfinite(x.values.back()))
            throw InputError(source_ + ": the duplicate entries at row " +
                             std::to_string(it->first + 1) + ", column " +
                             std::to_string(j + 1) + " sum to " +
                             (x.values.back() > 0 ? "+" : "-") +
                             "inf (beyond the largest double): every value of X must be finite");
          if (x.duplicates++ == 0)
            x.first_duplicate = "row " + std::to_string(it->first + 1) + ", column " +
                                std::to_string(j + 1);
          continue;
        }
        x.row_idx.push_back(it->first);
        x.values.push_back(it->second);
      }
      merged_ptr[static_cast<std::size_t>(j) + 1] = static_cast<std::int64_t>(x.values.size());
    }
    x.col_ptr = std::move(merged_ptr);
    return x;
  }

  Lines lines_;
  std::string source_;
  std::size_t text_size_ = 0;
  bool pattern_ = false, integer_ = false;
  std::int64_t max_dimension_ = 0;
  std::int64_t rows_ = 0, cols_ = 0, entries_ = 0, size_line_ = 0;
  std::vector<std::int64_t> ri_, ci_;
  std::vector<double> v_;
};

}  // namespace

bool is_matrix_market_file(const std::string& path) {
  const std::string ext = ".mtx";
  if (path.size() >= ext.size() && lower(path.substr(path.size() - ext.size())) == ext)
    return true;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return false;
  char head[kBanner.size()] = {};
  const std::size_t got = std::fread(head, 1, sizeof head, file.get());
  return starts_with_banner(std::string_view(head, got));
}

SparseX parse_matrix_market(std::string_view text, const std::string& source,
                            std::int64_t max_dimension) {
  return Parser(text, source, max_dimension).parse();
}

SparseX read_matrix_market(const std::string& path) {
  const MappedFile file(path);
  return parse_matrix_market(
      std::string_view(reinterpret_cast<const char*>(file.data()), file.size()), path);
}

}  // namespace regpath::cli
