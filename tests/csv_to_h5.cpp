// Writes columns of a numeric CSV file (a header line, then rows) as float64 datasets of an HDF5
// file, for the shell tests that run the command-line tool (tests/test_mpi_cli.sh), which have no
// h5py:
//
//   csv_to_h5 IN.csv OUT.h5 NAME=FIRST-LAST[:t] ...
//
// NAME=FIRST-LAST is the dataset NAME of the CSV's columns FIRST…LAST (1-based), (n, k), or (n,)
// for one column (NAME=COLUMN); with ":t" it is stored transposed, (k, n), with the string attribute
// layout = "features-by-rows" (as X written from a column-major array). The columns' header
// names become the attribute feature_names when k > 1.
#include <hdf5.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream s(line);
  std::string cell;
  while (std::getline(s, cell, ',')) out.push_back(cell);
  return out;
}

bool fail(const std::string& what) {
  std::fprintf(stderr, "csv_to_h5: %s\n", what.c_str());
  return false;
}

bool write_strings(hid_t set, const char* name, const std::vector<std::string>& values,
                   bool scalar) {
  const hsize_t count = values.size();
  const hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &count, nullptr);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  const hid_t attr = H5Acreate2(set, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  std::vector<const char*> text;
  for (const auto& v : values) text.push_back(v.c_str());
  const bool ok = attr >= 0 && H5Awrite(attr, type, text.data()) >= 0;
  H5Aclose(attr);
  H5Tclose(type);
  H5Sclose(space);
  return ok;
}

bool write_dataset(hid_t file, const std::string& spec, const std::vector<std::string>& header,
                   const std::vector<std::vector<double>>& rows) {
  const std::size_t eq = spec.find('=');
  if (eq == std::string::npos) return fail("bad spec " + spec);
  const std::size_t dash = spec.find('-', eq);  // none: one column, NAME=COLUMN
  const std::string name = spec.substr(0, eq);
  const bool transposed = spec.size() > 2 && spec.compare(spec.size() - 2, 2, ":t") == 0;
  const std::size_t first = std::strtoul(spec.c_str() + eq + 1, nullptr, 10);
  const std::size_t last =
      dash == std::string::npos ? first : std::strtoul(spec.c_str() + dash + 1, nullptr, 10);
  if (first < 1 || last < first || last > header.size()) return fail("bad columns in " + spec);
  const std::size_t n = rows.size(), k = last - first + 1;
  std::vector<double> values;  // row-major as stored
  if (transposed) {
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t i = 0; i < n; ++i) values.push_back(rows[i][first - 1 + j]);
  } else {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < k; ++j) values.push_back(rows[i][first - 1 + j]);
  }
  std::vector<hsize_t> dims;
  if (k == 1) dims = {n};
  else if (transposed) dims = {k, n};
  else dims = {n, k};
  const hid_t space = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
  const hid_t set = H5Dcreate2(file, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT,
                               H5P_DEFAULT, H5P_DEFAULT);
  bool ok = set >= 0 &&
            H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0;
  if (ok && k > 1) {
    const std::vector<std::string> names(header.begin() + long(first - 1),
                                         header.begin() + long(last));
    ok = write_strings(set, "feature_names", names, false);
    if (ok && transposed) ok = write_strings(set, "layout", {"features-by-rows"}, true);
  }
  H5Dclose(set);
  H5Sclose(space);
  return ok || fail("cannot write dataset " + name);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return fail("usage: csv_to_h5 IN.csv OUT.h5 NAME=FIRST-LAST[:t] ..."), 2;
  std::ifstream in(argv[1]);
  std::string line;
  if (!std::getline(in, line)) return fail(std::string("cannot read ") + argv[1]), 1;
  const std::vector<std::string> header = split(line);
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<double> row;
    for (const std::string& cell : split(line)) row.push_back(std::strtod(cell.c_str(), nullptr));
    if (row.size() != header.size()) return fail("a row of another width"), 1;
    rows.push_back(row);
  }
  const hid_t file = H5Fcreate(argv[2], H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) return fail(std::string("cannot create ") + argv[2]), 1;
  bool ok = true;
  for (int a = 3; a < argc && ok; ++a) ok = write_dataset(file, argv[a], header, rows);
  H5Fclose(file);
  return ok ? 0 : 1;
}
