#include "cli/hdf5_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "cli/csv_table.hpp"

#ifdef REGPATH_HAS_HDF5
#include <hdf5.h>
#endif

namespace regpath::cli {

bool is_hdf5_file(const std::string& path) {
  static const unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'};
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return false;
  for (long at : {0L, 512L, 1024L, 2048L}) {
    unsigned char head[8] = {};
    if (std::fseek(file.get(), at, SEEK_SET) != 0) return false;
    if (std::fread(head, 1, 8, file.get()) != 8) return false;
    if (std::memcmp(head, kSignature, 8) == 0) return true;
  }
  return false;
}

#ifndef REGPATH_HAS_HDF5

bool hdf5_supported() { return false; }

namespace {
[[noreturn]] void no_hdf5(const std::string& path) {
  // A build limit, not bad data; said with what to do about it.
  throw std::runtime_error(path + ": this regpath was built without HDF5, so it cannot read .h5 "
                           "files (install libhdf5-dev, e.g. scripts/setup-deps, and reconfigure; "
                           "or save the arrays as .npy)");
}
}  // namespace

Hdf5Matrix read_hdf5_matrix(const std::string& path, const std::string&) { no_hdf5(path); }
std::vector<double> read_hdf5_vector(const std::string& path, const std::string&) { no_hdf5(path); }
Hdf5Matrix read_hdf5_responses(const std::string& path, const std::string&) { no_hdf5(path); }
Hdf5RowBlock read_hdf5_row_block(const std::string& path, const std::string&, int, int) {
  no_hdf5(path);
}

#else

bool hdf5_supported() { return true; }

namespace {

// An HDF5 identifier closed when it goes out of scope.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// A string attribute of `set` (a scalar or a 1-D array of strings, fixed or variable length),
// or false when it has none.
bool read_string_attribute(hid_t set, const char* name, const std::string& where,
                           std::vector<std::string>& out) {
  if (H5Aexists(set, name) <= 0) return false;
  const std::string what = where + ": attribute '" + name + "'";
  Handle attr(H5Aopen(set, name, H5P_DEFAULT), H5Aclose);
  if (!attr.ok()) throw InputError(what + " cannot be opened");
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING)
    throw InputError(what + " is not a string or an array of strings");
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  if (H5Sget_simple_extent_ndims(space.get()) > 1)
    throw InputError(what + " has more than one dimension; expected a 1-D array of strings");
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points < 0) throw InputError(what + ": cannot read its shape");
  const auto count = static_cast<std::size_t>(points);
  out.assign(count, std::string());
  if (count == 0) return true;
  if (H5Tis_variable_str(type.get()) > 0) {
    Handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory.get(), H5T_VARIABLE);
    H5Tset_cset(memory.get(), H5Tget_cset(type.get()));
    std::vector<char*> text(count, nullptr);
    if (H5Aread(attr.get(), memory.get(), text.data()) < 0)
      throw InputError(what + ": cannot read its strings");
    for (std::size_t i = 0; i < count; ++i)
      if (text[i] != nullptr) out[i] = text[i];
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(memory.get(), space.get(), H5P_DEFAULT, text.data());
#else
    H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, text.data());
#endif
    return true;
  }
  const std::size_t size = H5Tget_size(type.get());
  Handle memory(H5Tcopy(type.get()), H5Tclose);
  std::vector<char> bytes(count * size);
  if (size == 0 || H5Aread(attr.get(), memory.get(), bytes.data()) < 0)
    throw InputError(what + ": cannot read its strings");
  const bool space_padded = H5Tget_strpad(type.get()) == H5T_STR_SPACEPAD;
  for (std::size_t i = 0; i < count; ++i) {
    const char* b = bytes.data() + i * size;
    std::size_t n = 0;
    while (n < size && b[n] != '\0') ++n;
    if (space_padded)
      while (n > 0 && b[n - 1] == ' ') --n;
    out[i].assign(b, n);
  }
  return true;
}

// The string attributes of X that say how to read it.
struct MatrixAttributes {
  bool has_layout = false, has_names = false;
  std::vector<std::string> layout, names;
};

bool features_by_rows(const MatrixAttributes& a, const std::string& where);

// Which samples of a 2-D X to read: those of rank `rank` of `ranks` (begin = n·rank/ranks, end =
// n·(rank+1)/ranks), set by read_dataset once it knows n (the dataset's rows, or its columns
// when the layout attribute says features-by-rows).
struct SampleBlock {
  int rank = 0, ranks = 1;
  hsize_t samples = 0, begin = 0, end = 0;
};

// The dataset's values as float64 in its own (row-major) order, and its dimensions (and, with
// `attributes`, X's attributes; its names from the string attribute `names_attribute`). With
// `block` (and `attributes`), only its samples of a 2-D dataset (nothing of any other shape):
// a hyperslab, so that a rank reads its own rows' bytes alone.
std::vector<double> read_dataset(const std::string& path, const std::string& name,
                                 std::vector<hsize_t>& dims,
                                 MatrixAttributes* attributes = nullptr,
                                 const char* names_attribute = "feature_names",
                                 SampleBlock* block = nullptr) {
  // HDF5 prints its own error stack to stderr by default; our messages say what went wrong.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const std::string where = path + ": dataset " + quoted_for_message(name);
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.ok()) throw InputError(path + ": cannot open as an HDF5 file (damaged or truncated?)");
  // H5Lexists fails on a missing intermediate group; treat that as "no such dataset" too.
  if (name.empty() || H5Lexists(file.get(), name.c_str(), H5P_DEFAULT) <= 0)
    throw InputError(path + ": no dataset " + quoted_for_message(name));
  Handle set(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!set.ok()) throw InputError(where + " cannot be opened as a dataset (a group?)");
  Handle type(H5Dget_type(set.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT) {
    const char* kind = cls == H5T_INTEGER ? "integer" : cls == H5T_STRING ? "string"
                       : cls == H5T_COMPOUND ? "compound" : "non-floating-point";
    throw InputError(where + " has " + kind + " type; regpath reads floating-point datasets "
                     "(float64 or float32)");
  }
  if (attributes != nullptr) {
    attributes->has_layout = read_string_attribute(set.get(), "layout", where, attributes->layout);
    attributes->has_names =
        read_string_attribute(set.get(), names_attribute, where, attributes->names);
  }
  Handle space(H5Dget_space(set.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > 8) throw InputError(where + ": cannot read its shape");
  dims.assign(static_cast<std::size_t>(rank), 0);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  if (block != nullptr) {
    if (dims.size() != 2) return {};
    const int axis = features_by_rows(*attributes, where) ? 1 : 0;
    block->samples = dims[std::size_t(axis)];
    block->begin = block->samples * hsize_t(block->rank) / hsize_t(block->ranks);
    block->end = block->samples * hsize_t(block->rank + 1) / hsize_t(block->ranks);
    hsize_t start[2] = {0, 0}, count[2] = {dims[0], dims[1]};
    start[axis] = block->begin;
    count[axis] = block->end - block->begin;
    std::vector<double> values(std::size_t(count[0] * count[1]));
    if (values.empty()) return values;
    Handle memory(H5Screate_simple(2, count, nullptr), H5Sclose);
    if (H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr) < 0 ||
        H5Dread(set.get(), H5T_NATIVE_DOUBLE, memory.get(), space.get(), H5P_DEFAULT,
                values.data()) < 0)
      throw InputError(where + ": cannot read its data (a damaged or truncated file?)");
    return values;
  }
  std::size_t count = 1;
  for (hsize_t d : dims) count *= static_cast<std::size_t>(d);
  std::vector<double> values(count);
  if (count > 0 &&
      H5Dread(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    throw InputError(where + ": cannot read its data (a damaged or truncated file?)");
  return values;
}

std::string shape_text(const std::vector<hsize_t>& dims) {
  std::string s = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + (dims.size() == 1 ? ",)" : ")");
}

std::string value_text(double v) { return std::isnan(v) ? "nan" : (v < 0 ? "-inf" : "inf"); }

// The layout attribute's value: whether X is stored transposed, (p, n).
bool features_by_rows(const MatrixAttributes& a, const std::string& where) {
  if (!a.has_layout) return false;
  const std::string value = a.layout.size() == 1 ? a.layout[0] : std::string();
  if (a.layout.size() == 1 && (value == "samples-by-rows" || value == "features-by-rows"))
    return value == "features-by-rows";
  throw InputError(where + ": attribute 'layout' is " +
                   (a.layout.size() == 1 ? quoted_for_message(value)
                                         : std::to_string(a.layout.size()) + " strings") +
                   "; expected 'samples-by-rows' (the dataset is (n, p)) or 'features-by-rows' "
                   "(it is (p, n))");
}

// The names of a string attribute (`attribute`: feature_names or response_names), one per
// column, non-empty and unique; `mismatch` ends the message when the count is wrong.
void check_names(const std::vector<std::string>& names, std::size_t cols,
                 const std::string& where, const char* attribute, const std::string& mismatch) {
  const std::string what = where + ": attribute '" + attribute + "'";
  if (names.size() != cols)
    throw InputError(what + " has " + std::to_string(names.size()) + " names, " + mismatch);
  for (std::size_t j = 0; j < names.size(); ++j) {
    if (names[j].empty())
      throw InputError(what + ": name " + std::to_string(j + 1) + " is empty");
    for (std::size_t k = 0; k < j; ++k)
      if (names[k] == names[j])
        throw InputError(what + ": name " + std::to_string(j + 1) + " " +
                         quoted_for_message(names[j]) + " repeats name " + std::to_string(k + 1));
  }
}

// X of `dims` from the stored values (rows first_row… of the samples when they are a block of
// them): column-major, checked finite (an error names the whole dataset's row and column).
Hdf5Matrix matrix_from(std::vector<double> stored, const std::vector<hsize_t>& dims,
                       MatrixAttributes& attributes, const std::string& where,
                       std::size_t rows, std::size_t first_row) {
  const bool transposed = features_by_rows(attributes, where);
  if (dims.size() != 2)
    throw InputError(where + " is " + std::to_string(dims.size()) + "-dimensional " +
                     shape_text(dims) + "; the design matrix X must be 2-dimensional " +
                     (transposed ? "(p, n)" : "(n, p)"));
  Hdf5Matrix m;
  m.rows = rows;
  m.cols = static_cast<std::size_t>(dims[transposed ? 0 : 1]);
  if (attributes.has_names) {
    check_names(attributes.names, m.cols, where, "feature_names",
                "X has " + std::to_string(m.cols) + " features: give one name per feature");
    m.names = std::move(attributes.names);
  }
  if (transposed) {  // (p, n) row-major is X column-major already
    for (std::size_t k = 0; k < stored.size(); ++k)
      if (!std::isfinite(stored[k]))
        throw InputError(where + ": row " + std::to_string(k / m.rows + 1) + ", column " +
                         std::to_string(first_row + k % m.rows + 1) + " (feature " +
                         std::to_string(k / m.rows + 1) + ", sample " +
                         std::to_string(first_row + k % m.rows + 1) + "): not finite: " +
                         value_text(stored[k]));
    m.values = std::move(stored);
    return m;
  }
  m.values.resize(stored.size());
  // Blocks of rows, so that the column-major writes stay in cache.
  constexpr std::size_t kBlock = 64;
  for (std::size_t i0 = 0; i0 < m.rows; i0 += kBlock) {
    const std::size_t i1 = std::min(m.rows, i0 + kBlock);
    for (std::size_t j = 0; j < m.cols; ++j)
      for (std::size_t i = i0; i < i1; ++i) m.values[j * m.rows + i] = stored[i * m.cols + j];
  }
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t j = 0; j < m.cols; ++j)
      if (!std::isfinite(stored[i * m.cols + j]))
        throw InputError(where + ": row " + std::to_string(first_row + i + 1) + ", column " +
                         std::to_string(j + 1) + ": not finite: " +
                         value_text(stored[i * m.cols + j]));
  return m;
}

}  // namespace

Hdf5Matrix read_hdf5_matrix(const std::string& path, const std::string& dataset) {
  std::vector<hsize_t> dims;
  MatrixAttributes attributes;
  std::vector<double> stored = read_dataset(path, dataset, dims, &attributes);
  const std::string where = path + ": dataset " + quoted_for_message(dataset);
  const bool transposed = features_by_rows(attributes, where);
  const std::size_t rows = dims.size() == 2 ? std::size_t(dims[transposed ? 1 : 0]) : 0;
  return matrix_from(std::move(stored), dims, attributes, where, rows, 0);
}

Hdf5RowBlock read_hdf5_row_block(const std::string& path, const std::string& dataset, int rank,
                                 int ranks) {
  std::vector<hsize_t> dims;
  MatrixAttributes attributes;
  SampleBlock block;
  block.rank = rank;
  block.ranks = ranks;
  std::vector<double> stored =
      read_dataset(path, dataset, dims, &attributes, "feature_names", &block);
  const std::string where = path + ": dataset " + quoted_for_message(dataset);
  Hdf5RowBlock out;
  out.block = matrix_from(std::move(stored), dims, attributes, where,
                          std::size_t(block.end - block.begin), std::size_t(block.begin));
  out.all_rows = std::size_t(block.samples);
  out.begin = std::size_t(block.begin);
  out.end = std::size_t(block.end);
  return out;
}

std::vector<double> read_hdf5_vector(const std::string& path, const std::string& dataset) {
  std::vector<hsize_t> dims;
  std::vector<double> y = read_dataset(path, dataset, dims);
  const std::string where = path + ": dataset " + quoted_for_message(dataset);
  if (dims.size() == 2 && dims[1] != 1)
    throw InputError(where + " has shape " + shape_text(dims) +
                     ": a response is one column, (n,) or (n, 1)");
  if (dims.size() != 1 && dims.size() != 2)
    throw InputError(where + " is " + std::to_string(dims.size()) + "-dimensional " +
                     shape_text(dims) + "; a response is (n,) or (n, 1)");
  for (std::size_t i = 0; i < y.size(); ++i)
    if (!std::isfinite(y[i]))
      throw InputError(where + ": row " + std::to_string(i + 1) + ": not finite: " +
                       value_text(y[i]));
  if (y.empty()) throw InputError(where + " is empty");
  return y;
}

Hdf5Matrix read_hdf5_responses(const std::string& path, const std::string& dataset) {
  std::vector<hsize_t> dims;
  MatrixAttributes attributes;
  std::vector<double> stored = read_dataset(path, dataset, dims, &attributes, "response_names");
  const std::string where = path + ": dataset " + quoted_for_message(dataset);
  if (dims.size() != 1 && dims.size() != 2)
    throw InputError(where + " is " + std::to_string(dims.size()) + "-dimensional " +
                     shape_text(dims) + "; responses are (n,) or (n, m)");
  Hdf5Matrix m;
  m.rows = static_cast<std::size_t>(dims[0]);
  m.cols = dims.size() == 1 ? 1 : static_cast<std::size_t>(dims[1]);
  if (m.rows == 0 || m.cols == 0) throw InputError(where + " is empty (shape " +
                                                   shape_text(dims) + ")");
  m.values.resize(stored.size());
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t j = 0; j < m.cols; ++j) {
      const double v = stored[i * m.cols + j];
      if (!std::isfinite(v))
        throw InputError(where + ": row " + std::to_string(i + 1) + ", column " +
                         std::to_string(j + 1) + ": not finite: " + value_text(v));
      m.values[j * m.rows + i] = v;
    }
  if (attributes.has_names && m.cols > 1) {  // one response: read as before, names unused
    check_names(attributes.names, m.cols, where, "response_names",
                "the dataset " + std::to_string(m.cols) +
                    " columns: give one name per response");
    m.names = std::move(attributes.names);
  }
  return m;
}

#endif

}  // namespace regpath::cli
