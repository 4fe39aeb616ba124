#include "cli/hdf5_file.hpp"

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

// The dataset's values as float64 in its own (row-major) order, and its dimensions.
std::vector<double> read_dataset(const std::string& path, const std::string& name,
                                 std::vector<hsize_t>& dims) {
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
  Handle space(H5Dget_space(set.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > 8) throw InputError(where + ": cannot read its shape");
  dims.assign(static_cast<std::size_t>(rank), 0);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
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

}  // namespace

Hdf5Matrix read_hdf5_matrix(const std::string& path, const std::string& dataset) {
  std::vector<hsize_t> dims;
  const std::vector<double> rowmajor = read_dataset(path, dataset, dims);
  const std::string where = path + ": dataset " + quoted_for_message(dataset);
  if (dims.size() != 2)
    throw InputError(where + " is " + std::to_string(dims.size()) + "-dimensional " +
                     shape_text(dims) + "; the design matrix X must be 2-dimensional (n, p)");
  Hdf5Matrix m;
  m.rows = static_cast<std::size_t>(dims[0]);
  m.cols = static_cast<std::size_t>(dims[1]);
  m.values.resize(rowmajor.size());
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t j = 0; j < m.cols; ++j) {
      const double v = rowmajor[i * m.cols + j];
      if (!std::isfinite(v))
        throw InputError(where + ": row " + std::to_string(i + 1) + ", column " +
                         std::to_string(j + 1) + ": not finite: " + value_text(v));
      m.values[j * m.rows + i] = v;
    }
  return m;
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

#endif

}  // namespace regpath::cli
