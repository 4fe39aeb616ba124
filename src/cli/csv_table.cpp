#include "cli/csv_table.hpp"

#include "cli/csv_fast.hpp"
#include "cli/csv_number.hpp"

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <istream>
#include <functional>
#include <memory>
#include <new>
#include <string_view>
#include <unordered_map>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

// Number conversions use strtod/snprintf, which follow the C locale's decimal point (fast_float
// always reads '.'). The CLI never calls setlocale, so that is always '.' too.

namespace regpath::cli {
namespace {

// Error messages quote at most this many bytes of user text, so one huge cell cannot flood them.
constexpr std::size_t kMaxShownBytes = 60;
// Guards against a pathological header (e.g. megabytes of commas) exhausting memory; far more
// columns than the CLI can fit a model to anyway.
constexpr std::size_t kMaxColumns = 1'000'000;

bool is_blank(char c) { return csv_is_blank(c); }

// User text in single quotes for an error message. Control bytes are escaped so binary garbage
// cannot corrupt the terminal; long text is cut (not inside a UTF-8 sequence).
std::string shown(const std::string& s) {
  std::size_t n = s.size();
  const bool cut = n > kMaxShownBytes;
  if (cut) {
    n = kMaxShownBytes;
    for (int back = 0; back < 3 && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80;
         ++back) {
      --n;
    }
  }
  std::string out = "'";
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += cut ? "'..." : "'";
  return out;
}

// "data.csv: line 7, column 3 ('bmi')"; `column` is 0-based, `names` null while reading the header.
std::string where(const std::string& source, std::size_t line, std::size_t column,
                  const std::vector<std::string>* names) {
  std::string out = source + ": line " + std::to_string(line) + ", column " +
                    std::to_string(column + 1);
  if (names != nullptr && column < names->size()) out += " (" + shown((*names)[column]) + ")";
  return out;
}

struct Field {
  std::string text;  // unquoted; trimmed of spaces/tabs unless it was quoted
  std::size_t line = 0;
  bool quoted = false;
};

// Splits the whole input, held in memory, into records: the reference parser. It reads the header
// always, and the data rows when the fast path (csv_fast.cpp) declines; its messages are the ones
// users see.
class Tokenizer {
 public:
  Tokenizer(std::string_view text, std::size_t start, const std::string& source)
      : text_(text), source_(source), pos_(start) {}

  // Reads the next record that is not a blank line into fields[0, count); false at end of input.
  // Fields past `max_stored` are counted but not kept, so an overlong row costs no memory.
  // `names` only labels errors.
  bool next_record(std::vector<Field>& fields, std::size_t& count, std::size_t max_stored,
                   const std::vector<std::string>* names) {
    const std::size_t size = text_.size();
    for (;;) {
      std::size_t p = pos_;
      while (p < size && (is_blank(text_[p]) || text_[p] == '\r')) ++p;
      if (p >= size) {
        pos_ = size;
        return false;
      }
      if (text_[p] != '\n') break;
      pos_ = p + 1;
      ++line_;
    }
    record_line_ = line_;
    count = 0;
    for (;;) {
      if (count < max_stored && count == fields.size()) fields.emplace_back();
      read_field(count < max_stored ? fields[count] : overflow_, count, names);
      ++count;
      if (pos_ >= size) return true;
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      ++pos_;  // the '\n' ending the record
      ++line_;
      return true;
    }
  }

  std::size_t record_line() const { return record_line_; }
  std::size_t pos() const { return pos_; }

 private:
  // Reads one field starting at pos_ and leaves pos_ on the ',' or '\n' after it, or at the end.
  void read_field(Field& f, std::size_t column, const std::vector<std::string>* names) {
    const std::size_t size = text_.size();
    while (pos_ < size && is_blank(text_[pos_])) ++pos_;
    f.line = line_;
    f.text.clear();
    if (pos_ < size && text_[pos_] == '"') {
      f.quoted = true;
      const std::size_t open = pos_;
      ++pos_;
      for (;;) {
        const std::size_t q = text_.find('"', pos_);
        if (q == std::string_view::npos) {
          throw InputError(where(source_, f.line, column, names) +
                           ": unterminated quoted field starting on this line: " +
                           shown(std::string(text_.substr(open, kMaxShownBytes + 1))));
        }
        line_ += static_cast<std::size_t>(std::count(text_.begin() + static_cast<long>(pos_),
                                                      text_.begin() + static_cast<long>(q), '\n'));
        f.text.append(text_.data() + pos_, q - pos_);
        pos_ = q + 1;
        if (pos_ < size && text_[pos_] == '"') {  // "" inside quotes is one quote
          f.text += '"';
          ++pos_;
          continue;
        }
        break;
      }
      while (pos_ < size && (is_blank(text_[pos_]) || text_[pos_] == '\r')) ++pos_;
      if (pos_ < size && text_[pos_] != ',' && text_[pos_] != '\n') {
        const std::size_t end = std::min(text_.find_first_of(",\n", pos_), size);
        throw InputError(where(source_, line_, column, names) +
                         ": unexpected text after closing quote: " +
                         shown(std::string(
                             text_.substr(pos_, std::min(end - pos_, kMaxShownBytes + 1)))));
      }
      return;
    }
    f.quoted = false;
    std::size_t end = pos_;
    while (end < size && text_[end] != ',' && text_[end] != '\n') ++end;
    std::size_t last = end;  // trailing '\r' trimmed too: that is how CRLF line ends go away
    while (last > pos_ && (is_blank(text_[last - 1]) || text_[last - 1] == '\r')) --last;
    f.text.assign(text_.data() + pos_, last - pos_);
    pos_ = end;
    // A quote mid-field usually means a mis-quoted field; guessing would silently shift columns.
    if (f.text.find('"') != std::string::npos) {
      throw InputError(where(source_, f.line, column, names) +
                       ": stray quote in unquoted field (quote the whole field and double inner "
                       "quotes): " +
                       shown(f.text));
    }
  }

  std::string_view text_;
  const std::string& source_;
  std::size_t pos_;
  std::size_t line_ = 1;
  std::size_t record_line_ = 0;
  Field overflow_;  // scratch for fields beyond max_stored
};

double parse_cell(const Field& f, const std::string& source, std::size_t column,
                  const std::vector<std::string>& names) {
  const std::string& t = f.text;
  // Quoted cells may carry whitespace (even newlines) inside the quotes; unquoted ones are trimmed.
  double v = 0;
  switch (strict_number(t.data(), t.data() + t.size(), v)) {
    case CellStatus::ok:
      return v;
    case CellStatus::empty:
      throw InputError(where(source, f.line, column, &names) + ": not a number: " + shown(t) +
                       " (empty cell)");
    case CellStatus::not_number:
      throw InputError(where(source, f.line, column, &names) + ": not a number: " + shown(t));
    case CellStatus::not_finite:
      throw InputError(where(source, f.line, column, &names) + ": not finite: " + shown(t));
    case CellStatus::not_decimal:
      break;
  }
  throw InputError(where(source, f.line, column, &names) + ": not a decimal number: " +
                   shown(t) + " (hexadecimal numbers are not accepted; a cell is a decimal " +
                   "number such as 16, -0.5 or 2.5e-3)");
}

// Text that is not UTF-8 (or ASCII) at all: UTF-16 (a byte-order mark, or NULs between the
// characters) or binary data (NUL bytes). Said as such, instead of the confusing cell or header
// errors that parsing it would give.
void check_encoding(std::string_view text, const std::string& source,
                    const CsvChunking& chunking) {
  const bool bom16 = text.compare(0, 2, "\xFF\xFE") == 0 || text.compare(0, 2, "\xFE\xFF") == 0;
  const char* first_nul = find_byte(text.data(), text.data() + text.size(), '\0', chunking);
  const std::size_t nul = first_nul ? static_cast<std::size_t>(first_nul - text.data())
                                    : std::string_view::npos;
  if (!bom16 && nul == std::string_view::npos) return;
  // UTF-16 text of ASCII characters has a NUL in every other byte.
  std::size_t odd = 0, even = 0;
  const std::size_t scan = std::min<std::size_t>(text.size(), 4096);
  for (std::size_t i = 0; i < scan; ++i)
    if (text[i] == '\0') ++(i % 2 ? odd : even);
  const bool alternating = (odd > scan / 4 && even < odd / 8) || (even > scan / 4 && odd < even / 8);
  if (bom16 || alternating)
    throw InputError(source + " looks like UTF-16 text (" +
                     (bom16 ? std::string("it starts with a UTF-16 byte-order mark")
                            : std::string("NUL bytes between its characters")) +
                     "); save it as UTF-8 or ASCII CSV, e.g. iconv -f UTF-16 -t UTF-8");
  throw InputError(source + " is not a text CSV file: it holds NUL bytes (the first at byte " +
                   std::to_string(nul + 1) + "); expected a header row and numeric rows as text");
}

// The header record into table.names (the same checks on both paths); the tokenizer is left at
// the first data line.
void read_header(Tokenizer& tokenizer, const std::string& source, CsvTable& table) {
  std::vector<Field> fields;
  std::size_t count = 0;
  if (!tokenizer.next_record(fields, count, kMaxColumns, nullptr)) {
    throw InputError(source + " is empty: expected a header row");
  }
  if (count > kMaxColumns) {
    throw InputError(source + ": line " + std::to_string(tokenizer.record_line()) + " has " +
                     std::to_string(count) + " header fields, more than the supported " +
                     std::to_string(kMaxColumns));
  }
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t j = 0; j < count; ++j) {
    const Field& f = fields[j];
    if (f.text.empty()) {
      throw InputError(where(source, f.line, j, nullptr) + ": empty column name: " + shown(f.text));
    }
    const auto [it, inserted] = seen.emplace(f.text, j);
    if (!inserted) {
      throw InputError(where(source, f.line, j, nullptr) + ": duplicate column name " +
                       shown(f.text) + ", also column " + std::to_string(it->second + 1));
    }
    table.names.push_back(f.text);
  }
}

std::size_t bom_length(std::string_view text) {
  return text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
}

// The reference parser: the encoding check, the header, the rows; it words every error.
CsvTable parse_reference(std::string_view text, const std::string& source,
                         const CsvChunking& chunking) {
  CsvTable table;
  table.source = source;
  check_encoding(text, source, chunking);
  Tokenizer tokenizer(text, bom_length(text), source);
  read_header(tokenizer, source, table);
  const std::size_t ncols = table.names.size();
  table.columns.assign(ncols, {});
  std::vector<Field> fields;
  std::size_t count = 0;
  while (tokenizer.next_record(fields, count, ncols, &table.names)) {
    if (count != ncols) {
      throw InputError(source + ": line " + std::to_string(tokenizer.record_line()) + " has " +
                       std::to_string(count) + (count == 1 ? " field" : " fields") +
                       ", the header has " + std::to_string(ncols));
    }
    for (std::size_t j = 0; j < ncols; ++j) {
      table.columns[j].push_back(parse_cell(fields[j], source, j, table.names));
    }
  }
  if (table.rows() == 0) throw InputError(source + " has a header but no data rows");
  return table;
}

// The fast path: false (or any InputError, bad_alloc) when the reference parser must decide.
// check_encoding's test is split so as not to cost a pass of its own: a UTF-16 byte-order mark
// or a NUL in the header declines here, a NUL in the rows declines in parse_rows_fast.
bool parse_fast(std::string_view text, const std::string& source, const CsvChunking& chunking,
                CsvTable& table) {
  if (text.compare(0, 2, "\xFF\xFE") == 0 || text.compare(0, 2, "\xFE\xFF") == 0) return false;
  table.source = source;
  Tokenizer tokenizer(text, bom_length(text), source);
  read_header(tokenizer, source, table);
  if (text.substr(0, tokenizer.pos()).find('\0') != std::string_view::npos) return false;
  return parse_rows_fast(text.data() + tokenizer.pos(), text.data() + text.size(),
                         table.names.size(), chunking, table.columns);
}

// `text` is the whole input. Whatever the fast path declines or throws, the reference parser
// redoes from the start, so that messages (and which error comes first) are its own.
CsvTable parse_text(std::string_view text, const std::string& source, const CsvChunking& chunking) {
  if (chunking.fast) {
    try {
      CsvTable table;
      if (parse_fast(text, source, chunking, table)) return table;
    } catch (const InputError&) {
    } catch (const std::bad_alloc&) {
    }
  }
  return parse_reference(text, source, chunking);
}

// bad_alloc on a file too large for memory is an input problem from the user's point of view.
CsvTable parse_text_checked(std::string_view text, const std::string& source,
                            const CsvChunking& chunking = {}) {
  try {
    return parse_text(text, source, chunking);
  } catch (const std::bad_alloc&) {
    throw InputError(source + ": too large to load into memory");
  }
}

}  // namespace

std::string quoted_for_message(const std::string& s) { return shown(s); }

std::size_t CsvTable::rows() const { return columns.empty() ? 0 : columns.front().size(); }

std::size_t CsvTable::cols() const { return names.size(); }

std::size_t CsvTable::column_index(const std::string& name) const {
  for (std::size_t j = 0; j < names.size(); ++j) {
    if (names[j] == name) return j;
  }
  std::string message = source + ": no column named " + shown(name);
  if (names.size() <= 20) {
    message += "; the columns are ";
    for (std::size_t j = 0; j < names.size(); ++j) message += (j ? ", " : "") + shown(names[j]);
  } else {
    message += " among its " + std::to_string(names.size()) + " columns";
  }
  throw InputError(message);
}

std::vector<std::string> read_csv_header(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open: " + std::strerror(errno));
  // the lines up to the header record's end: the first non-blank one, and more while a quoted
  // field is open (an odd count of quotes so far)
  std::string text, line;
  bool started = false;
  while (std::getline(in, line)) {
    text += line;
    text += '\n';
    started = started || text.find_first_not_of(" \t\r\n", bom_length(text)) != std::string::npos;
    if (started && std::count(text.begin(), text.end(), '"') % 2 == 0) break;
  }
  CsvTable table;
  table.source = path;
  Tokenizer tokenizer(text, bom_length(text), path);
  read_header(tokenizer, path, table);
  return table.names;
}

CsvTable read_csv(const std::string& path) {
  // C stdio rather than ifstream: fopen reliably sets errno for the message.
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) throw InputError(path + ": cannot open: " + std::strerror(errno));
  // A regular file is memory-mapped: no copy, and the parsing threads fault its pages in in
  // parallel. (Like data.table::fread: a file truncated by another process while it is read is
  // a SIGBUS, not a message; that race is the user's.)
  struct stat info {};
  if (fstat(fileno(file.get()), &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
    const auto size = static_cast<std::size_t>(info.st_size);
    void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fileno(file.get()), 0);
    if (map != MAP_FAILED) {
      std::unique_ptr<void, std::function<void(void*)>> unmap(
          map, [size](void* m) { munmap(m, size); });
      madvise(map, size, MADV_SEQUENTIAL);
      return parse_text_checked(std::string_view(static_cast<const char*>(map), size), path);
    }
  }
  std::string text;
  try {
    char buffer[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, n);
  } catch (const std::bad_alloc&) {
    throw InputError(path + ": too large to load into memory");
  }
  if (std::ferror(file.get())) {  // e.g. EISDIR when the path is a directory
    throw InputError(path + ": cannot read: " + std::strerror(errno));
  }
  return parse_text_checked(text, path);
}

CsvTable parse_csv_text(std::string_view text, const std::string& source_name,
                        const CsvChunking& chunking) {
  return parse_text_checked(text, source_name, chunking);
}

CsvTable parse_csv(std::istream& in, const std::string& source_name) {
  std::string text;
  try {
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      text.append(buffer, static_cast<std::size_t>(in.gcount()));
    }
  } catch (const std::bad_alloc&) {
    throw InputError(source_name + ": too large to load into memory");
  }
  if (in.bad()) throw InputError(source_name + ": cannot read");
  return parse_text_checked(text, source_name);
}

std::string csv_field(const std::string& s) {
  // An empty field is quoted because a lone empty field would otherwise be a blank line, which
  // readers (ours included) skip.
  const bool needs_quotes = s.empty() || s.find_first_of(",\"\r\n") != std::string::npos ||
                            is_blank(s.front()) || is_blank(s.back());
  if (!needs_quotes) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

namespace {

// The significant digits of v's shortest round-trip decimal: std::to_chars's shortest
// scientific form d.ddde±x (scientific, because a fixed form writes every integral digit).
int significant_digits_of_shortest(double v) {
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  int digits = 0;
  for (const char* c = buf; c != r.ptr && *c != 'e'; ++c) digits += *c >= '0' && *c <= '9';
  return std::max(digits, 1);
}

// "%.*g" at the shortest round-trip precision, written at `out` (≥ 32 chars) from the shortest
// scientific form alone, where that is the same text; returns its end. nullptr for a power of
// two (its rounding interval is lopsided, so printf's correctly rounded digits at that precision
// may not round-trip and the search goes on), else the shortest digits are the correctly
// rounded ones. Char buffers only: the writers format millions of numbers.
char* shortest_as_g(char* out, double v) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  if ((bits & ((std::uint64_t{1} << 52) - 1)) == 0) return nullptr;
  char sci[40];
  const auto r = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
  const char* e = std::find(static_cast<const char*>(sci), static_cast<const char*>(r.ptr), 'e');
  if (e == r.ptr) return nullptr;
  char digits[24];
  int precision = 0;
  for (const char* c = sci; c != e; ++c)
    if (*c >= '0' && *c <= '9' && precision < 24) digits[precision++] = *c;
  int exponent = 0;
  std::from_chars(e + (e[1] == '+' ? 2 : 1), r.ptr, exponent);
  if (exponent < -4 || exponent >= precision) {  // %g's scientific style: to_chars's text
    std::memcpy(out, sci, static_cast<std::size_t>(r.ptr - sci));
    return out + (r.ptr - sci);
  }
  char* o = out;
  if (v < 0) *o++ = '-';
  if (exponent < 0) {
    *o++ = '0';
    *o++ = '.';
    for (int i = 0; i < -exponent - 1; ++i) *o++ = '0';
    std::memcpy(o, digits, static_cast<std::size_t>(precision));
    return o + precision;
  }
  std::memcpy(o, digits, static_cast<std::size_t>(exponent + 1));
  o += exponent + 1;
  if (precision > exponent + 1) {
    *o++ = '.';
    const int rest = precision - exponent - 1;
    std::memcpy(o, digits + exponent + 1, static_cast<std::size_t>(rest));
    o += rest;
  }
  return o;
}

// format_number's text at buf (≥ 40 chars); returns its end.
char* write_number(char* buf, double v) {
  const auto literal = [buf](const char* text) {
    const std::size_t len = std::strlen(text);
    std::memcpy(buf, text, len);
    return buf + len;
  };
  if (std::isnan(v)) return literal("nan");
  if (std::isinf(v)) return literal(v < 0 ? "-inf" : "inf");
  // %g would print 100 as "1e+02" at low precision; integers read better in full. Every integral
  // double below 1e16 has at most 16 digits and prints exactly with %.0f.
  if (std::fabs(v) < 1e16 && std::trunc(v) == v) {
    // "%.0f" (std::to_chars's fixed form with precision 0 is it exactly, without printf's cost)
    return std::to_chars(buf, buf + 40, v, std::chars_format::fixed, 0).ptr;
  }
  // The text of printf's "%.*g" at the fewest significant digits that round-trip (17 always
  // do). std::to_chars with a precision is "%.*g" exactly, and its shortest form gives the
  // starting count: no fewer digits can round-trip (several times faster than trying every
  // precision with snprintf and strtod, which dominated writing large paths).
  if (char* end = shortest_as_g(buf, v)) return end;
  int precision = significant_digits_of_shortest(v);
  char* end = buf;
  for (; precision <= 17; ++precision) {
    end = std::to_chars(buf, buf + 40, v, std::chars_format::general, precision).ptr;
    double back = 0;
    std::from_chars(buf, end, back);
    if (back == v) break;
  }
  return end;
}

}  // namespace

std::string format_number(double v) {
  char buf[40];
  return std::string(buf, write_number(buf, v));
}

void append_finite(std::string& out, double v, const char* what) {
  char buf[40];
  out.append(buf, write_number(buf, require_finite(v, what)));
}

double require_finite(double v, const char* what) {
  if (!std::isfinite(v))
    throw std::logic_error(std::string("internal error: a non-finite ") + what + " (" +
                           format_number(v) + ") reached the output; nothing was written");
  return v;
}

std::string format_finite(double v, const char* what) {
  return format_number(require_finite(v, what));
}

}  // namespace regpath::cli
