// Times the CLI's readers on one file: regpath_read_time FORMAT PATH [REPEATS] [DATASET]
// FORMAT is csv, npy or h5 (DATASET names X in the .h5). Prints one line per repeat,
// "<format> <wall seconds> <rows> <cols> <CPU seconds, all threads>", each a full read (open,
// map, parse, finiteness checks) as `regpath fit` does it. Used by bench/io/run.
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/csv_table.hpp"
#include "cli/hdf5_file.hpp"
#include "cli/npy_file.hpp"

int main(int argc, char** argv) {
  using namespace regpath::cli;
  if (argc < 3) {
    std::fprintf(stderr, "usage: regpath_read_time csv|npy|h5 PATH [REPEATS] [DATASET]\n");
    return 2;
  }
  const std::string format = argv[1], path = argv[2];
  const int repeats = argc > 3 ? std::atoi(argv[3]) : 1;
  const std::string dataset = argc > 4 ? argv[4] : "X";
  try {
    for (int r = 0; r < repeats; ++r) {
      const auto start = std::chrono::steady_clock::now();
      const std::clock_t cpu_start = std::clock();
      std::size_t rows = 0, cols = 0;
      if (format == "csv") {
        const CsvTable t = read_csv(path);
        rows = t.rows();
        cols = t.cols();
      } else if (format == "npy") {
        const NpyMatrix m = read_npy_matrix(path);
        rows = m.rows;
        cols = m.cols;
      } else if (format == "h5") {
        const Hdf5Matrix m = read_hdf5_matrix(path, dataset);
        rows = m.rows;
        cols = m.cols;
      } else {
        std::fprintf(stderr, "unknown format %s\n", format.c_str());
        return 2;
      }
      const double s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
      std::printf("%s %.6f %zu %zu %.6f\n", format.c_str(), s, rows, cols, cpu);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
