// NumPy .npy input for the command-line tool: the header parser (pure, fuzzed by
// tests/fuzz/fuzz_npy.cpp), a memory-mapped array, and a one-column response file (.npy or CSV).
//
// Only what a design matrix can be is accepted: little-endian float64 or float32, C or Fortran
// order, format versions 1.0, 2.0 and 3.0. Everything else (integers, complex, objects,
// big-endian, structured dtypes, a truncated file) is an InputError naming the file and what is
// wrong, because converting silently (an int64 id column, a byte-swapped float) would fit a
// model to something the user did not mean.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace regpath::cli {

struct NpyHeader {
  int major = 0, minor = 0;          // format version
  std::size_t item_size = 0;         // 8 (float64) or 4 (float32)
  bool fortran_order = false;        // column-major when true
  std::vector<std::size_t> shape;    // as in the header; () is a scalar
  std::size_t data_offset = 0;       // where the data starts, in bytes from the file's start
  std::size_t elements() const;      // product of shape (1 for a scalar)
};

// Whether `bytes` starts with the .npy magic string "\x93NUMPY".
bool has_npy_magic(const unsigned char* bytes, std::size_t size);

// Parses and checks the header of a whole .npy file held in bytes[0, size): the dtype is float64
// or float32 and the data fills the rest of the file exactly. Throws InputError naming `source`.
NpyHeader parse_npy_header(const unsigned char* bytes, std::size_t size, const std::string& source);

// The header alone, of any dtype (`descr` receives its dtype string): item_size is left 0 and
// the data's length unchecked. For the .npz reader's integer and string arrays (npz_file.hpp).
NpyHeader parse_npy_header_any(const unsigned char* bytes, std::size_t size,
                               const std::string& source, std::string& descr);

// A read-only memory mapping of a whole file.
class MappedFile {
 public:
  // Throws InputError naming `path` when it cannot be opened, is not a regular file or is empty.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const unsigned char* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

// Whether the file at `path` is a .npy file (by its magic bytes; false when it cannot be read,
// so that the CSV reader reports that).
bool is_npy_file(const std::string& path);

// A 2-D .npy array of n rows and p columns, checked finite, as column-major float64.
struct NpyMatrix {
  std::size_t rows = 0, cols = 0;
  // Where the values are: into the mapping (a Fortran-order float64 file, no copy) or `owned`.
  const double* values = nullptr;
  std::vector<double> owned;
  std::shared_ptr<const MappedFile> mapping;  // keeps `values` valid when it points into it
  bool zero_copy() const { return mapping != nullptr && owned.empty(); }
};

// Reads X from `path`: it must be 2-D. A NaN or ±Inf is an InputError naming its row and column
// (1-based) and saying "(<every> must be a finite number)" — X's values, or a response file's.
NpyMatrix read_npy_matrix(const std::string& path, const char* every = "every value of X");

// Rows [begin, end) of the 2-D .npy X at `path` (rank r of R: begin = n·r/R, end = n·(r+1)/R),
// copied column-major as float64 and checked finite (a NaN or ±Inf named by its row in the whole
// file); only those rows' bytes are read. For `mpirun regpath fit DATA.npy ...` (fit_ranks.hpp).
struct NpyRowBlock {
  std::size_t rows = 0, cols = 0;  // the whole file's
  std::size_t begin = 0, end = 0;  // this block's rows
  std::vector<double> values;      // (end − begin) × cols, column-major
};
NpyRowBlock read_npy_row_block(const std::string& path, int rank, int ranks);

// A response vector: from a .npy file (shape (n,) or (n, 1)) or a one-column CSV, with or
// without a header line (a first line that is not a number is a header). Every value finite.
std::vector<double> read_response_file(const std::string& path);

// One feature name per line (blank lines at the end ignored, CR before LF dropped); names must
// be non-empty and unique.
std::vector<std::string> read_feature_names(const std::string& path);

}  // namespace regpath::cli
