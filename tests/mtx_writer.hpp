// Writes Matrix Market text from the tests themselves: X (n × p, column-major) as a real general
// coordinate file of its nonzero entries, row by row (not the CSC order the reader builds),
// numbers with 17 significant digits (they read back exactly), after an optional comment line.
#pragma once

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace regpath::test {

inline std::string matrix_market_text(const std::vector<double>& X, std::int64_t n,
                                      std::int64_t p, const std::string& comment = "") {
  std::ostringstream entries;
  entries.precision(17);
  std::int64_t nnz = 0;
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < p; ++j) {
      const double v = X[static_cast<std::size_t>(j * n + i)];
      if (v == 0) continue;
      entries << i + 1 << ' ' << j + 1 << ' ' << v << '\n';
      ++nnz;
    }
  return "%%MatrixMarket matrix coordinate real general\n" +
         (comment.empty() ? std::string() : comment + "\n") + std::to_string(n) + " " +
         std::to_string(p) + " " + std::to_string(nnz) + "\n" + entries.str();
}

}  // namespace regpath::test
