// SciPy's sparse .npz input (src/cli/npz_file.hpp): every format scipy.sparse.save_npz writes
// for csc, csr and coo, deflated or stored, float64/float32/int64 data and int32/int64 indices
// read as the matrix itself (tests/data/npz, scripts/make_npz_reference.py); damaged archives
// and unsupported contents named, never a crash; `regpath fit X.npz` is `regpath fit` of the
// same matrix as a CSV.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli/npz_file.hpp"
#include "cli_runner.hpp"
#include "reference_data.hpp"

namespace regpath::test {
namespace {

using cli::SparseX;

std::string slurp_binary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The dense matrix of dense.csv (no header: read as data rows), column-major.
struct Dense {
  std::int64_t rows = 0, cols = 0;
  std::vector<double> X;
};
Dense load_dense() {
  const std::string text = slurp_binary(data_path("npz/dense.csv"));
  Dense d;
  std::vector<std::vector<double>> rows;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::vector<double> row;
    std::size_t a = start;
    while (a < nl) {
      std::size_t comma = text.find(',', a);
      if (comma == std::string::npos || comma > nl) comma = nl;
      row.push_back(std::stod(text.substr(a, comma - a)));
      a = comma + 1;
    }
    if (!row.empty()) rows.push_back(row);
    start = nl + 1;
  }
  d.rows = std::int64_t(rows.size());
  d.cols = std::int64_t(rows[0].size());
  for (std::int64_t j = 0; j < d.cols; ++j)
    for (std::int64_t i = 0; i < d.rows; ++i) d.X.push_back(rows[std::size_t(i)][std::size_t(j)]);
  return d;
}

// x's entries are exactly `scale`·d's nonzeros, columns sorted by row, no explicit zeros lost.
void expect_matrix(const SparseX& x, const Dense& d, double scale = 1.0) {
  ASSERT_EQ(x.rows, d.rows);
  ASSERT_EQ(x.cols, d.cols);
  std::vector<double> got(std::size_t(d.rows * d.cols), 0.0);
  for (std::int64_t j = 0; j < x.cols; ++j)
    for (auto k = x.col_ptr[std::size_t(j)]; k < x.col_ptr[std::size_t(j + 1)]; ++k) {
      if (k > x.col_ptr[std::size_t(j)]) {
        EXPECT_LT(x.row_idx[std::size_t(k - 1)], x.row_idx[std::size_t(k)]);
      }
      got[std::size_t(x.row_idx[std::size_t(k)] + j * d.rows)] = x.values[std::size_t(k)];
    }
  for (std::size_t e = 0; e < got.size(); ++e) EXPECT_EQ(got[e], scale * d.X[e]) << "entry " << e;
}

TEST(NpzInput, EveryFormatIsTheMatrix) {
  const Dense d = load_dense();
  for (const char* name : {"csc", "csr", "coo", "csc_f32"}) {
    SCOPED_TRACE(name);
    const std::string path = data_path(std::string("npz/") + name + ".npz");
    EXPECT_TRUE(cli::is_npz_file(path));
    const SparseX x = cli::read_npz(path);
    expect_matrix(x, d);
    EXPECT_EQ(x.duplicates, std::string(name) == "coo" ? 1 : 0);
  }
  // int64 counts: |round(4x)|
  const SparseX counts = cli::read_npz(data_path("npz/counts_i64.npz"));
  Dense four = d;
  for (double& v : four.X) v = std::fabs(std::round(4 * v));
  expect_matrix(counts, four);
}

TEST(NpzInput, NotAnNpzIsNotTakenForOne) {
  EXPECT_FALSE(cli::is_npz_file(data_path("npz/dense.csv")));
  EXPECT_FALSE(cli::is_npz_file(data_path("npz/no_such_file.npz")));
}

std::string error_of(const std::string& bytes) {
  try {
    cli::parse_npz(bytes, "x.npz");
  } catch (const cli::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(NpzInput, DamagedOrUnsupportedArchivesAreNamed) {
  const std::string csc = slurp_binary(data_path("npz/csc.npz"));
  std::string csr = slurp_binary(data_path("npz/csr.npz"));
  EXPECT_NE(error_of("hello").find("x.npz: not a .npz file"), std::string::npos);
  EXPECT_NE(error_of(std::string(100, 'z')).find("no end-of-central-directory record"),
            std::string::npos);
  // every truncation and every flipped byte: an InputError naming the file, or (a byte that
  // no reader looks at, such as a timestamp) the matrix itself — never a crash or another error
  const Dense d = load_dense();
  for (const std::string* file : std::vector<const std::string*>{&csc, &csr}) {
    for (std::size_t cut = 0; cut < file->size(); ++cut) {
      const std::string e = error_of(file->substr(0, cut));
      EXPECT_EQ(e.rfind("x.npz", 0), 0u) << "cut at " << cut << ": " << e;
    }
    for (std::size_t at = 0; at < file->size(); ++at) {
      std::string bad = *file;
      bad[at] = char(bad[at] ^ 0x5a);
      try {
        expect_matrix(cli::parse_npz(bad, "x.npz"), d);
      } catch (const cli::InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("x.npz", 0), 0u) << e.what();
      }
    }
  }
  // a stored member's byte changed: its CRC-32 says so
  const std::size_t header = csr.find("\x93NUMPY");
  ASSERT_NE(header, std::string::npos);
  csr[header + 20] = char(csr[header + 20] ^ 1);
  EXPECT_NE(error_of(csr).find("CRC-32 mismatch"), std::string::npos) << error_of(csr);
  EXPECT_NE(error_of(slurp_binary(data_path("npz/bsr.npz"))).find("sparse format 'bsr'"),
            std::string::npos);
  EXPECT_NE(error_of(csc).find("(no error)"), std::string::npos);
}

// regpath fit X.npz --response-file y: the same bytes as regpath fit of that matrix written as
// Matrix Market (one sparse reader for another), and the dense CSV fit to rounding.
TEST(NpzInputCli, FitIsTheMatrixMarketFit) {
  const Dense d = load_dense();
  std::string mtx = "%%MatrixMarket matrix coordinate real general\n";
  std::string entries;
  int nnz = 0;
  for (std::int64_t j = 0; j < d.cols; ++j)
    for (std::int64_t i = 0; i < d.rows; ++i)
      if (const double v = d.X[std::size_t(i + j * d.rows)]; v != 0) {
        entries += std::to_string(i + 1) + " " + std::to_string(j + 1) + " " +
                   cli::format_number(v) + "\n";
        ++nnz;
      }
  mtx += std::to_string(d.rows) + " " + std::to_string(d.cols) + " " + std::to_string(nnz) +
         "\n" + entries;
  const std::string mtx_file = temp_file("x.mtx", mtx), y = data_path("npz/y.csv");
  for (const char* name : {"csc", "csr", "coo"}) {
    SCOPED_TRACE(name);
    const std::string a = temp_path("a.csv"), b = temp_path("b.csv");
    const std::string opts = " --response-file " + y + " --nlambda 6 --quiet --output ";
    const CliRun from_npz = run_cli("fit " + data_path(std::string("npz/") + name + ".npz") +
                                    opts + a);
    ASSERT_EQ(from_npz.status, 0) << from_npz.output;
    const CliRun from_mtx = run_cli("fit " + mtx_file + opts + b);
    ASSERT_EQ(from_mtx.status, 0) << from_mtx.output;
    EXPECT_EQ(slurp_binary(a), slurp_binary(b));
  }
  const CliRun bsr = run_cli("fit " + data_path("npz/bsr.npz") + " --response-file " + y +
                             " --output " + temp_path("c.csv"));
  EXPECT_EQ(bsr.status, 1) << bsr.output;
  EXPECT_TRUE(contains(bsr.err, "sparse format 'bsr' is not supported")) << bsr.err;
}

}  // namespace
}  // namespace regpath::test
