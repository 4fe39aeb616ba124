// Writes X from a .npy file into an HDF5 file, for bench/io/run:
//   regpath_npy_to_h5 X.npy OUT.h5
// Two datasets of the same matrix: "X" as (n, p) and "Xt" as (p, n) (features by rows, attribute
// layout = "features-by-rows"), both float64, contiguous.
#include <cstdio>
#include <string>
#include <vector>

#include <hdf5.h>

#include "cli/npy_file.hpp"

namespace {

bool write(hid_t file, const char* name, hsize_t rows, hsize_t cols, const double* values) {
  const hsize_t dims[2] = {rows, cols};
  const hid_t space = H5Screate_simple(2, dims, nullptr);
  const hid_t set = H5Dcreate2(file, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT,
                               H5P_DEFAULT);
  const bool ok =
      set >= 0 && H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0;
  H5Dclose(set);
  H5Sclose(space);
  return ok;
}

bool mark_features_by_rows(hid_t file, const char* name) {
  const hid_t set = H5Dopen2(file, name, H5P_DEFAULT);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t type = H5Tcopy(H5T_C_S1);
  const char* value = "features-by-rows";
  H5Tset_size(type, H5T_VARIABLE);
  const hid_t attr = H5Acreate2(set, "layout", type, space, H5P_DEFAULT, H5P_DEFAULT);
  const bool ok = attr >= 0 && H5Awrite(attr, type, &value) >= 0;
  H5Aclose(attr);
  H5Tclose(type);
  H5Sclose(space);
  H5Dclose(set);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: regpath_npy_to_h5 X.npy OUT.h5\n");
    return 2;
  }
  try {
    const regpath::cli::NpyMatrix m = regpath::cli::read_npy_matrix(argv[1]);
    const std::size_t n = m.rows, p = m.cols;
    std::vector<double> rowmajor(n * p);
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t i = 0; i < n; ++i) rowmajor[i * p + j] = m.values[j * n + i];
    const hid_t file = H5Fcreate(argv[2], H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    // (n, p) row-major is the C order numpy/h5py write; (p, n) row-major is X column-major.
    const bool ok = file >= 0 && write(file, "X", n, p, rowmajor.data()) &&
                    write(file, "Xt", p, n, m.values) && mark_features_by_rows(file, "Xt");
    H5Fclose(file);
    if (!ok) {
      std::fprintf(stderr, "cannot write %s\n", argv[2]);
      return 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
