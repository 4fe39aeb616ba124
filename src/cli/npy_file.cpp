#include "cli/npy_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <unordered_map>

#include "cli/csv_table.hpp"
#include "cli/decimal.hpp"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the .npy reader assumes a little-endian host (it maps '<f8' data in place)"
#endif

namespace regpath::cli {
namespace {

constexpr unsigned char kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

// The header's text, escaped and cut for a message.
std::string shown_header(const std::string& text) { return quoted_for_message(text); }

// A tiny reader for the Python dict literal numpy writes:
//   {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// Only that grammar: quoted keys, a quoted string, True/False, a tuple of integers.
class HeaderDict {
 public:
  HeaderDict(const std::string& text, const std::string& source) : text_(text), source_(source) {}

  void parse(std::string& descr, bool& fortran_order, std::vector<std::size_t>& shape) {
    bool have_descr = false, have_order = false, have_shape = false;
    skip_space();
    expect('{');
    for (;;) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = quoted_string("a quoted key");
      skip_space();
      expect(':');
      skip_space();
      if (key == "descr") {
        if (peek() == '[')
          fail("a structured dtype (a list of fields) is not supported: regpath reads a plain "
               "float64 or float32 array");
        descr = quoted_string("the dtype as a quoted string");
        have_descr = true;
      } else if (key == "fortran_order") {
        fortran_order = boolean();
        have_order = true;
      } else if (key == "shape") {
        shape = tuple();
        have_shape = true;
      } else {
        fail("unexpected key " + quoted_for_message(key) +
             " (a .npy header has descr, fortran_order and shape)");
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != '}') fail("expected ',' or '}' after the value of '" + key + "'");
    }
    ++pos_;
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the header's closing '}'");
    if (!have_descr) fail("no 'descr' (dtype) key");
    if (!have_order) fail("no 'fortran_order' key");
    if (!have_shape) fail("no 'shape' key");
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(source_ + ": bad .npy header " + shown_header(text_) + ": " + what);
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  void expect(char c) {
    if (peek() != c || pos_ >= text_.size()) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string quoted_string(const char* what) {
    const char q = peek();
    if (q != '\'' && q != '"') fail(std::string("expected ") + what);
    const std::size_t end = text_.find(q, pos_ + 1);
    if (end == std::string::npos) fail("unterminated string");
    std::string s = text_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    return s;
  }
  bool boolean() {
    if (text_.compare(pos_, 4, "True") == 0) {
      pos_ += 4;
      return true;
    }
    if (text_.compare(pos_, 5, "False") == 0) {
      pos_ += 5;
      return false;
    }
    fail("fortran_order is neither True nor False");
  }
  std::vector<std::size_t> tuple() {
    expect('(');
    std::vector<std::size_t> dims;
    for (;;) {
      skip_space();
      if (peek() == ')') break;
      if (peek() < '0' || peek() > '9') fail("a shape entry is not a non-negative integer");
      std::size_t v = 0;
      while (peek() >= '0' && peek() <= '9') {
        const auto d = static_cast<std::size_t>(peek() - '0');
        if (v > (std::numeric_limits<std::size_t>::max() - d) / 10) fail("a shape entry is too large");
        v = v * 10 + d;
        ++pos_;
      }
      if (peek() == 'L') ++pos_;  // Python 2's long literal, in files written by old numpy
      dims.push_back(v);
      if (dims.size() > 32) fail("more than 32 dimensions");
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != ')') fail("expected ',' or ')' in the shape");
    }
    ++pos_;
    return dims;
  }

  const std::string& text_;
  const std::string& source_;
  std::size_t pos_ = 0;
};

// What a dtype string that is not little-endian float64/float32 is, for the message.
std::string dtype_kind(const std::string& descr) {
  if (descr.empty()) return "empty";
  std::size_t at = 0;
  const char order = descr[0];
  if (order == '<' || order == '>' || order == '|' || order == '=') at = 1;
  if (at >= descr.size()) return "unknown";
  switch (descr[at]) {
    case 'i': return "integer";
    case 'u': return "unsigned integer";
    case 'b': case '?': return "boolean";
    case 'c': return "complex";
    case 'O': return "object (Python objects)";
    case 'U': case 'S': case 'a': return "string";
    case 'M': case 'm': return "date/time";
    case 'V': return "raw bytes (void)";
    case 'f':
      if (order == '>') return "big-endian floating point";
      return descr.substr(at + 1) == "2" ? "float16" : "extended-precision floating point";
    default: return "unknown";
  }
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) s += ",";
  return s + ")";
}

std::string dtype_name(std::size_t item_size) { return item_size == 8 ? "float64" : "float32"; }

double element(const unsigned char* data, std::size_t index, std::size_t item_size) {
  // memcpy: the data need not be aligned (a header whose length is not a multiple of 8).
  if (item_size == 8) {
    double v;
    std::memcpy(&v, data + index * 8, 8);
    return v;
  }
  float v;
  std::memcpy(&v, data + index * 4, 4);
  return static_cast<double>(v);
}

std::string value_text(double v) { return std::isnan(v) ? "nan" : (v < 0 ? "-inf" : "inf"); }

// Reads a whole (small) text file; InputError naming it when it cannot be read.
std::string read_text_file(const std::string& path) {
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) throw InputError(path + ": cannot open: " + std::strerror(errno));
  std::string text;
  char buffer[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, got);
  if (std::ferror(file.get())) throw InputError(path + ": cannot read: " + std::strerror(errno));
  const std::size_t nul = text.find('\0');
  if (nul != std::string::npos)
    throw InputError(path + " is not a text file: it holds NUL bytes (the first at byte " +
                     std::to_string(nul + 1) + "); expected a .npy file or one value per line");
  return text;
}

// The file's lines, each without its CR/LF.
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = nl + 1;
  }
  return lines;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

bool parse_decimal(const std::string& text, double& v) {
  if (text.empty()) return false;
  char* stop = nullptr;
  v = std::strtod(text.c_str(), &stop);
  return stop == text.c_str() + text.size() && is_decimal_number(text);
}

std::vector<double> read_response_csv(const std::string& path) {
  const std::vector<std::string> lines = split_lines(read_text_file(path));
  std::vector<double> y;
  bool first = true;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string cell = trimmed(lines[i]);
    if (i == 0 && cell.compare(0, 3, "\xEF\xBB\xBF") == 0) cell = trimmed(cell.substr(3));
    if (cell.empty()) continue;
    const std::string where = path + ": line " + std::to_string(i + 1);
    if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')
      cell = trimmed(cell.substr(1, cell.size() - 2));
    else if (cell.find(',') != std::string::npos)
      throw InputError(where + " has several fields (" + quoted_for_message(lines[i]) +
                       "); a response file has one column");
    double v = 0;
    const bool number = parse_decimal(cell, v);
    if (first && !number) {  // a header such as "y"
      first = false;
      continue;
    }
    first = false;
    if (!number) throw InputError(where + ": not a decimal number: " + quoted_for_message(cell));
    if (!std::isfinite(v)) throw InputError(where + ": not finite: " + quoted_for_message(cell));
    y.push_back(v);
  }
  if (y.empty()) throw InputError(path + ": no response values");
  return y;
}

}  // namespace

std::size_t NpyHeader::elements() const {
  std::size_t n = 1;
  for (std::size_t d : shape) n *= d;
  return n;
}

bool has_npy_magic(const unsigned char* bytes, std::size_t size) {
  return size >= sizeof kMagic && std::memcmp(bytes, kMagic, sizeof kMagic) == 0;
}

NpyHeader parse_npy_header_any(const unsigned char* bytes, std::size_t size,
                               const std::string& source, std::string& descr) {
  if (!has_npy_magic(bytes, size))
    throw InputError(source + ": not a .npy file (it does not start with the magic bytes "
                              "\\x93NUMPY)");
  if (size < 8) throw InputError(source + ": truncated .npy header (" + std::to_string(size) + " bytes)");
  NpyHeader h;
  h.major = bytes[6];
  h.minor = bytes[7];
  if (h.major < 1 || h.major > 3)
    throw InputError(source + ": .npy format version " + std::to_string(h.major) + "." +
                     std::to_string(h.minor) + " is not supported (1.0, 2.0 and 3.0 are)");
  const std::size_t length_bytes = h.major == 1 ? 2 : 4;
  if (size < 8 + length_bytes)
    throw InputError(source + ": truncated .npy header (" + std::to_string(size) + " bytes)");
  std::size_t header_len = 0;
  for (std::size_t b = 0; b < length_bytes; ++b)
    header_len |= static_cast<std::size_t>(bytes[8 + b]) << (8 * b);
  const std::size_t start = 8 + length_bytes;
  if (header_len > size - start)
    throw InputError(source + ": truncated .npy header: it declares " + std::to_string(header_len) +
                     " header bytes, the file has " + std::to_string(size - start) +
                     " after the header's length field");
  h.data_offset = start + header_len;
  const std::string text(reinterpret_cast<const char*>(bytes + start), header_len);
  HeaderDict(text, source).parse(descr, h.fortran_order, h.shape);
  return h;
}

NpyHeader parse_npy_header(const unsigned char* bytes, std::size_t size,
                           const std::string& source) {
  std::string descr;
  NpyHeader h = parse_npy_header_any(bytes, size, source, descr);
  if (descr == "<f8" || descr == "=f8" || descr == "f8") {
    h.item_size = 8;
  } else if (descr == "<f4" || descr == "=f4" || descr == "f4") {
    h.item_size = 4;
  } else {
    const std::string kind = dtype_kind(descr);
    std::string msg = source + ": dtype " + quoted_for_message(descr) + " (" + kind +
                      ") is not supported: regpath reads little-endian float64 or float32; ";
    msg += kind == "big-endian floating point"
               ? "convert it first, e.g. np.save(path, X.astype('<f8'))"
               : "convert it first, e.g. np.save(path, X.astype(np.float64))";
    throw InputError(msg);
  }
  std::size_t count = 1;
  for (std::size_t d : h.shape) {
    if (d != 0 && count > std::numeric_limits<std::size_t>::max() / d / h.item_size)
      throw InputError(source + ": the .npy shape " + shape_text(h.shape) + " is too large");
    count *= d;
  }
  const std::size_t need = count * h.item_size;
  const std::size_t have = size - h.data_offset;
  if (have < need)
    throw InputError(source + ": truncated data: the header's shape " + shape_text(h.shape) +
                     " of " + dtype_name(h.item_size) + " needs " + std::to_string(need) +
                     " bytes, the file has " + std::to_string(have) + " after its " +
                     std::to_string(h.data_offset) + "-byte header");
  if (have > need)
    throw InputError(source + ": " + std::to_string(have - need) +
                     " bytes after the data of the header's shape " + shape_text(h.shape) + " of " +
                     dtype_name(h.item_size) + " (" + std::to_string(need) +
                     " bytes): not a file numpy wrote, or the header is wrong");
  return h;
}

MappedFile::MappedFile(const std::string& path) {
  errno = 0;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    throw InputError(path + ": cannot read: " + std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw InputError(path + ": not a regular file");
  }
  if (st.st_size == 0) {
    ::close(fd);
    throw InputError(path + " is empty");
  }
  size_ = static_cast<std::size_t>(st.st_size);
  void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
  const int e = errno;
  ::close(fd);  // the mapping keeps the file
  if (p == MAP_FAILED) throw InputError(path + ": cannot map into memory: " + std::strerror(e));
  data_ = static_cast<const unsigned char*>(p);
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<unsigned char*>(data_), size_);
}

bool is_npy_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return false;
  unsigned char head[sizeof kMagic] = {};
  const std::size_t got = std::fread(head, 1, sizeof head, file.get());
  return has_npy_magic(head, got);
}

namespace {

// X's header: 2-dimensional (an InputError naming the file and the shape otherwise).
void require_2d(const NpyHeader& h, const std::string& path) {
  if (h.shape.size() != 2)
    throw InputError(path + ": a " + std::to_string(h.shape.size()) + "-dimensional array " +
                     shape_text(h.shape) + "; the design matrix X must be 2-dimensional (n, p)");
}

}  // namespace

NpyMatrix read_npy_matrix(const std::string& path, const char* every) {
  auto mapping = std::make_shared<const MappedFile>(path);
  const NpyHeader h = parse_npy_header(mapping->data(), mapping->size(), path);
  require_2d(h, path);
  NpyMatrix m;
  m.rows = h.shape[0];
  m.cols = h.shape[1];
  const unsigned char* data = mapping->data() + h.data_offset;
  const std::size_t n = m.rows, p = m.cols;
  const bool in_place = h.item_size == 8 && (h.fortran_order || p == 1 || n == 1) &&
                        reinterpret_cast<std::uintptr_t>(data) % alignof(double) == 0;
  if (in_place) {
    // The common HPC case: column-major float64 is exactly the library's layout, so the mapping
    // is the matrix (pages are read once, by the finiteness scan below, and then by the fit).
    m.values = reinterpret_cast<const double*>(data);
    m.mapping = mapping;
  } else {
    m.owned.resize(n * p);
    if (h.fortran_order) {
      for (std::size_t k = 0; k < n * p; ++k) m.owned[k] = element(data, k, h.item_size);
    } else {
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < p; ++j) m.owned[j * n + i] = element(data, i * p + j, h.item_size);
    }
    m.values = m.owned.data();
  }
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t i = 0; i < n; ++i) {
      const double v = m.values[j * n + i];
      if (!std::isfinite(v))
        throw InputError(path + ": row " + std::to_string(i + 1) + ", column " +
                         std::to_string(j + 1) + ": not finite: " + value_text(v) + " (" +
                         every + " must be a finite number)");
    }
  return m;
}

NpyRowBlock read_npy_row_block(const std::string& path, int rank, int ranks) {
  const MappedFile mapping(path);
  const NpyHeader h = parse_npy_header(mapping.data(), mapping.size(), path);
  require_2d(h, path);
  NpyRowBlock b;
  b.rows = h.shape[0];
  b.cols = h.shape[1];
  b.begin = b.rows * std::size_t(rank) / std::size_t(ranks);
  b.end = b.rows * std::size_t(rank + 1) / std::size_t(ranks);
  const std::size_t m = b.end - b.begin, n = b.rows, p = b.cols;
  const unsigned char* data = mapping.data() + h.data_offset;
  b.values.resize(m * p);
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t i = 0; i < m; ++i) {
      const std::size_t row = b.begin + i;
      const double v = element(data, h.fortran_order ? j * n + row : row * p + j, h.item_size);
      if (!std::isfinite(v))
        throw InputError(path + ": row " + std::to_string(row + 1) + ", column " +
                         std::to_string(j + 1) + ": not finite: " + value_text(v) +
                         " (every value of X must be a finite number)");
      b.values[j * m + i] = v;
    }
  return b;
}

std::vector<double> read_response_file(const std::string& path) {
  if (!is_npy_file(path)) return read_response_csv(path);
  const MappedFile file(path);
  const NpyHeader h = parse_npy_header(file.data(), file.size(), path);
  if (h.shape.size() == 2 && h.shape[1] != 1)
    throw InputError(path + ": shape " + shape_text(h.shape) + " has " +
                     std::to_string(h.shape[1]) +
                     " columns: a response file holds one response, shape (n,) or (n, 1)");
  if (h.shape.size() != 1 && h.shape.size() != 2)
    throw InputError(path + ": a " + std::to_string(h.shape.size()) + "-dimensional array " +
                     shape_text(h.shape) + "; a response is 1-dimensional (n,) or (n, 1)");
  const std::size_t n = h.shape[0];
  std::vector<double> y(n);
  const unsigned char* data = file.data() + h.data_offset;
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = element(data, i, h.item_size);
    if (!std::isfinite(y[i]))
      throw InputError(path + ": row " + std::to_string(i + 1) + ": not finite: " +
                       value_text(y[i]) + " (every response value must be a finite number)");
  }
  if (n == 0) throw InputError(path + ": no response values (shape " + shape_text(h.shape) + ")");
  return y;
}

std::vector<std::string> read_feature_names(const std::string& path) {
  std::vector<std::string> lines = split_lines(read_text_file(path));
  while (!lines.empty() && trimmed(lines.back()).empty()) lines.pop_back();
  if (!lines.empty() && lines[0].compare(0, 3, "\xEF\xBB\xBF") == 0) lines[0].erase(0, 3);
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (trimmed(lines[i]).empty())
      throw InputError(path + ": line " + std::to_string(i + 1) + ": empty feature name");
    const auto [it, inserted] = seen.emplace(lines[i], i);
    if (!inserted)
      throw InputError(path + ": line " + std::to_string(i + 1) + ": duplicate feature name " +
                       quoted_for_message(lines[i]) + ", also line " +
                       std::to_string(it->second + 1));
  }
  if (lines.empty()) throw InputError(path + ": no feature names");
  return lines;
}

}  // namespace regpath::cli
