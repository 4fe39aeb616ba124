// SciPy's sparse .npz: see npz_file.hpp.
#include "cli/npz_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli/npy_file.hpp"

namespace regpath::cli {
namespace {

// Little-endian fields of the archive, bounds-checked (a short archive is named, not read past).
class Bytes {
 public:
  Bytes(std::string_view b, const std::string& source) : b_(b), source_(source) {}
  std::size_t size() const { return b_.size(); }
  std::uint64_t get(std::size_t at, int width, const char* what) const {
    if (at > b_.size() || std::size_t(width) > b_.size() - at)
      throw InputError(source_ + ": truncated .npz (ZIP) archive: its " + what + " at byte " +
                       std::to_string(at) + " lies past the end of the " +
                       std::to_string(b_.size()) + "-byte file");
    std::uint64_t v = 0;
    for (int k = 0; k < width; ++k)
      v |= std::uint64_t(static_cast<unsigned char>(b_[at + std::size_t(k)])) << (8 * k);
    return v;
  }
  std::string_view slice(std::uint64_t at, std::uint64_t length, const char* what) const {
    if (at > b_.size() || length > b_.size() - at)
      throw InputError(source_ + ": truncated .npz (ZIP) archive: " + what + " (" +
                       std::to_string(length) + " bytes at byte " + std::to_string(at) +
                       ") lies past the end of the " + std::to_string(b_.size()) + "-byte file");
    return b_.substr(std::size_t(at), std::size_t(length));
  }

 private:
  std::string_view b_;
  const std::string& source_;
};

constexpr std::uint32_t kLocal = 0x04034b50, kCentral = 0x02014b50, kEnd = 0x06054b50;
constexpr std::uint32_t kEnd64 = 0x06064b50, kLocator64 = 0x07064b50;
constexpr std::uint64_t kMax32 = 0xffffffffu;

struct Member {
  std::uint64_t method = 0, crc = 0, packed = 0, size = 0, local = 0;
  bool encrypted = false;
};

// The central directory: member name → where and how it is stored.
std::map<std::string, Member> central_directory(const Bytes& b, const std::string& source) {
  if (b.size() < 22)
    throw InputError(source + ": not a .npz file: " + std::to_string(b.size()) +
                     " bytes is too short for a ZIP archive");
  // the end-of-central-directory record: the last signature within its 64 KiB comment's reach
  std::size_t end = std::string::npos;
  const std::size_t lowest = b.size() >= 22 + 65535 ? b.size() - 22 - 65535 : 0;
  for (std::size_t at = b.size() - 22 + 1; at-- > lowest;)
    if (b.get(at, 4, "end record") == kEnd) {
      end = at;
      break;
    }
  if (end == std::string::npos)
    throw InputError(source + ": corrupt or truncated .npz (ZIP) archive: no end-of-central-"
                              "directory record (was the file cut short?)");
  std::uint64_t entries = b.get(end + 10, 2, "entry count");
  std::uint64_t offset = b.get(end + 16, 4, "central directory offset");
  if (entries == 0xffff || offset == kMax32) {  // ZIP64: the locator just before the record
    if (end < 20 || b.get(end - 20, 4, "ZIP64 locator") != kLocator64)
      throw InputError(source + ": corrupt .npz (ZIP) archive: a ZIP64 end record is named but "
                                "its locator is missing");
    const std::uint64_t end64 = b.get(end - 20 + 8, 8, "ZIP64 end record offset");
    if (b.get(std::size_t(std::min<std::uint64_t>(end64, b.size())), 4, "ZIP64 end record") !=
        kEnd64)
      throw InputError(source + ": corrupt .npz (ZIP) archive: no ZIP64 end record at byte " +
                       std::to_string(end64));
    entries = b.get(std::size_t(end64) + 32, 8, "ZIP64 entry count");
    offset = b.get(std::size_t(end64) + 48, 8, "ZIP64 central directory offset");
  }
  std::map<std::string, Member> out;
  std::uint64_t at = offset;
  for (std::uint64_t e = 0; e < entries; ++e) {
    if (at > b.size() || b.get(std::size_t(at), 4, "central directory entry") != kCentral)
      throw InputError(source + ": corrupt .npz (ZIP) archive: central directory entry " +
                       std::to_string(e + 1) + " of " + std::to_string(entries) +
                       " is not at byte " + std::to_string(at));
    const auto a = std::size_t(at);
    Member m;
    m.encrypted = (b.get(a + 8, 2, "flags") & 1) != 0;
    m.method = b.get(a + 10, 2, "method");
    m.crc = b.get(a + 16, 4, "CRC-32");
    m.packed = b.get(a + 20, 4, "compressed size");
    m.size = b.get(a + 24, 4, "size");
    const std::size_t name_length = b.get(a + 28, 2, "name length");
    const std::size_t extra_length = b.get(a + 30, 2, "extra length");
    const std::size_t comment_length = b.get(a + 32, 2, "comment length");
    m.local = b.get(a + 42, 4, "local header offset");
    const std::string name(b.slice(a + 46, name_length, "a member's name"));
    // ZIP64 sizes and offset, in that order, for the fields that hold 0xffffffff
    const std::string_view extra = b.slice(a + 46 + name_length, extra_length, "extra field");
    const Bytes x(extra, source);
    for (std::size_t k = 0; k + 4 <= extra.size();) {
      const std::uint64_t id = x.get(k, 2, "extra id"), length = x.get(k + 2, 2, "extra size");
      if (id == 1) {
        std::size_t f = k + 4;
        for (std::uint64_t* v : {&m.size, &m.packed, &m.local})
          if (*v == kMax32) {
            *v = x.get(f, 8, "ZIP64 field");
            f += 8;
          }
      }
      k += 4 + std::size_t(length);
    }
    out[name] = m;
    at += 46 + name_length + extra_length + comment_length;
  }
  return out;
}

// Member `name`'s bytes, inflated and checked against its CRC-32.
std::string member_bytes(const Bytes& b, const Member& m, const std::string& name,
                         const std::string& source) {
  const std::string where = source + " member " + name;
  if (m.encrypted) throw InputError(where + ": encrypted ZIP members are not supported");
  const auto l = std::size_t(std::min<std::uint64_t>(m.local, b.size()));
  if (b.get(l, 4, "local header") != kLocal)
    throw InputError(where + ": corrupt .npz (ZIP) archive: no local header at byte " +
                     std::to_string(m.local));
  const std::uint64_t start = m.local + 30 + b.get(l + 26, 2, "local name length") +
                              b.get(l + 28, 2, "local extra length");
  const std::string_view packed = b.slice(start, m.packed, "a member's data");
  // deflate expands at most ~1032:1: a larger declared size is a corrupt header, not data
  if (m.size > 1032 * m.packed + 1024)
    throw InputError(where + ": corrupt .npz (ZIP) archive: " + std::to_string(m.packed) +
                     " compressed bytes cannot hold the " + std::to_string(m.size) +
                     " bytes its header declares");
  std::string out;
  if (m.method == 0) {
    if (m.packed != m.size)
      throw InputError(where + ": corrupt .npz (ZIP) archive: a stored member of " +
                       std::to_string(m.size) + " bytes has " + std::to_string(m.packed));
    out.assign(packed);
  } else if (m.method == 8) {
    out.resize(std::size_t(m.size));
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
      throw InputError(where + ": zlib's inflateInit2 failed");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    z.avail_in = static_cast<uInt>(packed.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    const uLong produced = z.total_out;
    const std::string zlib_says = z.msg ? z.msg : "short data";
    inflateEnd(&z);
    if (rc != Z_STREAM_END || produced != m.size)
      throw InputError(where + ": corrupt .npz (ZIP) archive: its deflated data does not "
                               "inflate to the " + std::to_string(m.size) +
                               " bytes declared (zlib: " + zlib_says + ")");
  } else {
    throw InputError(where + ": ZIP compression method " + std::to_string(m.method) +
                     " is not supported (numpy writes stored (0) or deflated (8) members)");
  }
  const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(out.data()),
                          static_cast<uInt>(out.size()));
  if (crc != m.crc)
    throw InputError(where + ": corrupt .npz (ZIP) archive: CRC-32 mismatch (the data is "
                             "damaged)");
  return out;
}

// One .npy member as doubles (data) or as integers (indices, shape), checked.
struct Array {
  std::vector<double> real;
  std::vector<std::int64_t> whole;
  std::size_t count = 0;
};

Array read_array(const std::string& bytes, const std::string& where, bool integer) {
  std::string descr;
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  const NpyHeader h = parse_npy_header_any(u, bytes.size(), where, descr);
  if (descr.size() == 3 && descr[0] == '=') descr[0] = '<';  // native is little-endian here
  std::size_t width = 0;
  bool is_float = false;
  if (descr == "<f8" || descr == "<f4") {
    is_float = true;
    width = descr[2] == '8' ? 8 : 4;
  } else if (descr == "<i8" || descr == "<i4" || descr == "<u4" || descr == "<u8") {
    width = descr[2] == '8' ? 8 : 4;
  } else {
    throw InputError(where + ": dtype " + quoted_for_message(descr) + " is not supported (" +
                     (integer ? "integers: int32 or int64" : "values: float64, float32, int32 "
                                                             "or int64") + ", little-endian)");
  }
  if (integer && is_float)
    throw InputError(where + ": dtype " + descr + ": indices must be integers");
  if (h.shape.size() > 1)
    throw InputError(where + ": expected a 1-D array, found " + std::to_string(h.shape.size()) +
                     " dimensions");
  Array a;
  a.count = h.shape.empty() ? 1 : h.shape[0];
  if (a.count > (bytes.size() - h.data_offset) / width ||
      bytes.size() - h.data_offset != a.count * width)
    throw InputError(where + ": its data holds " + std::to_string(bytes.size() - h.data_offset) +
                     " bytes, not the " + std::to_string(a.count) + " × " + std::to_string(width) +
                     " its header declares");
  const char* d = bytes.data() + h.data_offset;
  for (std::size_t k = 0; k < a.count; ++k) {
    const char* e = d + k * width;
    if (is_float) {
      double v;
      if (width == 8) {
        std::memcpy(&v, e, 8);
      } else {
        float f;
        std::memcpy(&f, e, 4);
        v = double(f);
      }
      a.real.push_back(v);
      continue;
    }
    std::int64_t v = 0;
    if (width == 8) {
      std::memcpy(&v, e, 8);
      if (descr[1] == 'u' && v < 0)
        throw InputError(where + ": entry " + std::to_string(k) + " is too large");
    } else if (descr[1] == 'u') {
      std::uint32_t w;
      std::memcpy(&w, e, 4);
      v = w;
    } else {
      std::int32_t w;
      std::memcpy(&w, e, 4);
      v = w;
    }
    if (integer) {
      a.whole.push_back(v);
    } else {
      if (std::abs(double(v)) > 9007199254740992.0)  // 2⁵³: beyond it a double is not exact
        throw InputError(where + ": integer value " + std::to_string(v) + " at entry " +
                         std::to_string(k) + " is not exact as a float64");
      a.real.push_back(double(v));
    }
  }
  return a;
}

// The `format` member: a 0-d string array, numpy's '<U' (UTF-32) or bytes '|S'.
std::string read_format(const std::string& bytes, const std::string& where) {
  std::string descr;
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  const NpyHeader h = parse_npy_header_any(u, bytes.size(), where, descr);
  const std::string_view data(bytes.data() + h.data_offset, bytes.size() - h.data_offset);
  std::string out;
  if (descr.rfind("<U", 0) == 0) {
    for (std::size_t k = 0; k + 4 <= data.size(); k += 4)
      if (data[k] != '\0') out += data[k];
  } else if (descr.rfind("|S", 0) == 0) {
    for (char c : data)
      if (c != '\0') out += c;
  } else {
    throw InputError(where + ": dtype " + quoted_for_message(descr) + " is not a string (scipy "
                             "writes the matrix's format, e.g. 'csc')");
  }
  return out;
}

// (row, column, value) triples into sorted compressed sparse columns, duplicates summed.
SparseX to_columns(std::int64_t rows, std::int64_t cols, const std::vector<std::int64_t>& row,
                   const std::vector<std::int64_t>& col, const std::vector<double>& value,
                   const std::string& source) {
  SparseX x;
  x.source = source;
  x.rows = rows;
  x.cols = cols;
  std::vector<std::size_t> order(value.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return col[a] != col[b] ? col[a] < col[b] : row[a] < row[b];
  });
  x.col_ptr.assign(std::size_t(cols + 1), 0);
  for (std::size_t q = 0; q < order.size(); ++q) {
    const std::size_t k = order[q];
    if (q > 0 && row[k] == row[order[q - 1]] && col[k] == col[order[q - 1]]) {
      if (x.duplicates++ == 0)
        x.first_duplicate = "row " + std::to_string(row[k] + 1) + ", column " +
                            std::to_string(col[k] + 1);
      x.values.back() += value[k];
      continue;
    }
    x.row_idx.push_back(row[k]);
    x.values.push_back(value[k]);
    ++x.col_ptr[std::size_t(col[k] + 1)];
  }
  for (std::int64_t j = 0; j < cols; ++j)
    x.col_ptr[std::size_t(j + 1)] += x.col_ptr[std::size_t(j)];
  return x;
}

// Compressed pointers (indptr, `outer` + 1 values from 0 to nnz, not decreasing) expanded into
// one outer index per entry.
std::vector<std::int64_t> expand_pointers(const std::vector<std::int64_t>& ptr,
                                          std::int64_t outer, std::size_t nnz,
                                          const std::string& where) {
  if (ptr.size() != std::size_t(outer + 1))
    throw InputError(where + ": indptr has " + std::to_string(ptr.size()) + " entries; the shape "
                     "needs " + std::to_string(outer + 1));
  if (ptr.front() != 0 || ptr.back() != std::int64_t(nnz))
    throw InputError(where + ": indptr runs from " + std::to_string(ptr.front()) + " to " +
                     std::to_string(ptr.back()) + "; it must run from 0 to nnz = " +
                     std::to_string(nnz));
  std::vector<std::int64_t> out;
  out.reserve(nnz);
  for (std::int64_t o = 0; o < outer; ++o) {
    if (ptr[std::size_t(o + 1)] < ptr[std::size_t(o)])
      throw InputError(where + ": indptr decreases at entry " + std::to_string(o + 1));
    for (std::int64_t k = ptr[std::size_t(o)]; k < ptr[std::size_t(o + 1)]; ++k) out.push_back(o);
  }
  return out;
}

}  // namespace

bool is_npz_file(const std::string& path) {
  if (path.size() < 4 || path.compare(path.size() - 4, 4, ".npz") != 0) return false;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::memcmp(magic, "PK\3\4", 4) == 0;
}

SparseX parse_npz(std::string_view bytes, const std::string& source,
                  std::int64_t max_dimension) {
  const Bytes b(bytes, source);
  const std::map<std::string, Member> members = central_directory(b, source);
  const auto member = [&](const std::string& key) -> std::string {
    const auto it = members.find(key + ".npy");
    if (it == members.end())
      throw InputError(source + ": no member " + key + ".npy: not a scipy.sparse.save_npz file "
                                "(a sparse matrix's .npz holds format, shape, data and its "
                                "indices)");
    return member_bytes(b, it->second, key + ".npy", source);
  };
  const std::string format = read_format(member("format"), source + " member format.npy");
  if (format != "csc" && format != "csr" && format != "coo")
    throw InputError(source + ": sparse format " + quoted_for_message(format) +
                     " is not supported (csc, csr and coo are; convert with .tocsc())");
  const Array shape = read_array(member("shape"), source + " member shape.npy", true);
  if (shape.count != 2 || shape.whole[0] < 0 || shape.whole[1] < 0)
    throw InputError(source + " member shape.npy: expected two non-negative dimensions");
  const std::int64_t rows = shape.whole[0], cols = shape.whole[1];
  for (const std::int64_t d : {rows, cols})
    if (d > max_dimension)
      throw InputError(source + " member shape.npy: dimension " + std::to_string(d) +
                       " exceeds " + std::to_string(max_dimension));
  const Array data = read_array(member("data"), source + " member data.npy", false);
  for (std::size_t k = 0; k < data.real.size(); ++k)
    if (!std::isfinite(data.real[k]))
      throw InputError(source + " member data.npy: value " +
                       (std::isnan(data.real[k]) ? std::string("nan")
                                                 : data.real[k] < 0 ? "-inf" : "inf") +
                       " at entry " + std::to_string(k) + " (every value of X must be a finite "
                       "number)");
  std::vector<std::int64_t> row, col;
  if (format == "csc" || format == "csr") {
    const Array indices = read_array(member("indices"), source + " member indices.npy", true);
    const Array indptr = read_array(member("indptr"), source + " member indptr.npy", true);
    if (indices.count != data.count)
      throw InputError(source + ": indices.npy has " + std::to_string(indices.count) +
                       " entries, data.npy " + std::to_string(data.count));
    const bool csc = format == "csc";
    std::vector<std::int64_t> outer = expand_pointers(indptr.whole, csc ? cols : rows,
                                                      data.count, source + " member indptr.npy");
    (csc ? col : row) = std::move(outer);
    (csc ? row : col) = indices.whole;
  } else {  // coo
    row = read_array(member("row"), source + " member row.npy", true).whole;
    col = read_array(member("col"), source + " member col.npy", true).whole;
    if (row.size() != data.count || col.size() != data.count)
      throw InputError(source + ": row.npy, col.npy and data.npy differ in length");
  }
  for (std::size_t k = 0; k < data.count; ++k)
    if (row[k] < 0 || row[k] >= rows || col[k] < 0 || col[k] >= cols)
      throw InputError(source + ": entry " + std::to_string(k) + " at (row " +
                       std::to_string(row[k]) + ", column " + std::to_string(col[k]) +
                       ", 0-based) lies outside the shape (" + std::to_string(rows) + ", " +
                       std::to_string(cols) + ")");
  return to_columns(rows, cols, row, col, data.real, source);
}

SparseX read_npz(const std::string& path) {
  const MappedFile file(path);
  return parse_npz(std::string_view(reinterpret_cast<const char*>(file.data()), file.size()),
                   path);
}

}  // namespace regpath::cli
