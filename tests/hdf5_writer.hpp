// Writes HDF5 files from the tests with the HDF5 C library (optional: include only under
// REGPATH_HAS_HDF5), so that the tests need no h5py: float datasets and string attributes.
#pragma once

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace regpath::test {

struct Dataset {
  std::string name;
  std::vector<hsize_t> dims;
  hid_t file_type;
  std::vector<double> values;  // row-major
};

inline std::string write_h5(const std::string& name, const std::vector<Dataset>& sets) {
  const std::string path = temp_path(name);
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  EXPECT_GE(file, 0);
  for (const Dataset& d : sets) {
    const hid_t space = H5Screate_simple(static_cast<int>(d.dims.size()), d.dims.data(), nullptr);
    const hid_t set = H5Dcreate2(file, d.name.c_str(), d.file_type, space, H5P_DEFAULT, H5P_DEFAULT,
                                 H5P_DEFAULT);
    EXPECT_GE(H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, d.values.data()), 0);
    H5Dclose(set);
    H5Sclose(space);
  }
  H5Fclose(file);
  return path;
}

// Adds a string attribute to a dataset: a scalar when `scalar`, else a 1-D array; variable-length
// strings (h5py's default) or fixed-length, NUL-padded ones (numpy "S" arrays, R's rhdf5).
inline void add_string_attribute(const std::string& path, const std::string& dataset,
                                 const char* name, const std::vector<std::string>& values,
                                 bool variable, bool scalar = false) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  const hid_t set = H5Dopen2(file, dataset.c_str(), H5P_DEFAULT);
  const hsize_t count = values.size();
  const hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &count, nullptr);
  const hid_t type = H5Tcopy(H5T_C_S1);
  std::size_t width = 1;
  for (const auto& v : values) width = std::max(width, v.size() + 1);
  H5Tset_size(type, variable ? H5T_VARIABLE : width);
  const hid_t attr = H5Acreate2(set, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (variable) {
    std::vector<const char*> text;
    for (const auto& v : values) text.push_back(v.c_str());
    EXPECT_GE(H5Awrite(attr, type, text.data()), 0);
  } else {
    std::vector<char> bytes(values.size() * width, '\0');
    for (std::size_t i = 0; i < values.size(); ++i)
      std::copy(values[i].begin(), values[i].end(), bytes.begin() + static_cast<long>(i * width));
    EXPECT_GE(H5Awrite(attr, type, bytes.data()), 0);
  }
  H5Aclose(attr);
  H5Tclose(type);
  H5Sclose(space);
  H5Dclose(set);
  H5Fclose(file);
}

}  // namespace regpath::test
