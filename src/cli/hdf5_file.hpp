// HDF5 input for the command-line tool, through the HDF5 C library when regpath is built with it
// (REGPATH_HAS_HDF5; CMake finds libhdf5-dev, optional). Without it the readers throw a clear
// "built without HDF5" error, so the flags and the help are the same in every build.
#pragma once

#include <string>
#include <vector>

namespace regpath::cli {

// Whether this build reads HDF5 files.
bool hdf5_supported();
// Whether the file at `path` starts with the HDF5 signature (at byte 0, 512, 1024 or 2048: after
// a user block). False when it cannot be read, so that the CSV reader reports that.
bool is_hdf5_file(const std::string& path);

// A 2-D floating-point dataset as column-major float64 (n, p), checked finite (a NaN or ±Inf is
// an InputError naming the file, dataset, row and column, 1-based). Two optional string
// attributes on the dataset (as h5py writes them: ds.attrs["layout"] = "features-by-rows"):
//   layout         "samples-by-rows" (the default: the dataset is (n, p), one row per sample) or
//                  "features-by-rows" (the dataset is (p, n): X transposed, e.g. written from a
//                  column-major array; read without a transpose)
//   feature_names  p strings (a 1-D array, fixed or variable length): the features' names,
//                  non-empty and unique
struct Hdf5Matrix {
  std::size_t rows = 0, cols = 0;
  std::vector<double> values;      // column-major
  std::vector<std::string> names;  // from the feature_names attribute; empty without one
};
Hdf5Matrix read_hdf5_matrix(const std::string& path, const std::string& dataset);
// Rows [begin, end) of X (rank `rank` of `ranks`: begin = n·rank/ranks, end = n·(rank+1)/ranks),
// read as a hyperslab (only those samples' bytes), as read_hdf5_matrix reads all of them; an
// error names the row in the whole dataset. For `mpirun regpath fit DATA.h5 ...` (rank_rows.hpp).
struct Hdf5RowBlock {
  Hdf5Matrix block;           // rows = end − begin
  std::size_t all_rows = 0;   // the dataset's samples
  std::size_t begin = 0, end = 0;
};
Hdf5RowBlock read_hdf5_row_block(const std::string& path, const std::string& dataset, int rank,
                                 int ranks);
// A response dataset: 1-D (n) or 2-D (n, 1), floating point, every value finite.
std::vector<double> read_hdf5_vector(const std::string& path, const std::string& dataset);
// Several responses: a floating-point dataset (n, m) (or (n,): one), column-major, every value
// finite (a NaN or ±Inf named by row and column, 1-based); `names` from the dataset's optional
// string attribute response_names when m > 1 (empty without one; one per column, non-empty and
// unique, else an InputError naming the attribute).
Hdf5Matrix read_hdf5_responses(const std::string& path, const std::string& dataset);

}  // namespace regpath::cli
