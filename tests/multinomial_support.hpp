// The three-class problem of scripts/make_multinomial_reference.R (tests/data/multinom_data.csv)
// with the weights and offset matrix of make_multinomial_options_reference.R, and the options
// the multinomial tests start from.
#pragma once

#include <cstdint>
#include <vector>

#include "cli/csv_table.hpp"
#include "reference_data.hpp"
#include "regpath/regpath.hpp"

namespace regpath::test {

struct MultinomialData {
  std::int64_t n = 0, p = 0;
  std::vector<double> X, y, w, offset;  // X n × p column-major; offset n × 3, class-major
  MatrixView<double> view() const { return {X.data(), n, p, n}; }
};

inline MultinomialData load_multinomial_data() {
  const cli::CsvTable t = cli::read_csv(data_path("multinom_data.csv"));
  const cli::CsvTable extra = cli::read_csv(data_path("multinom_options.csv"));
  MultinomialData d;
  d.n = std::int64_t(t.rows());
  d.p = std::int64_t(t.cols()) - 1;
  d.y = t.columns[0];
  for (std::size_t j = 1; j < t.cols(); ++j)
    d.X.insert(d.X.end(), t.columns[j].begin(), t.columns[j].end());
  d.w = extra.columns[0];
  for (std::size_t c = 1; c <= 3; ++c)
    d.offset.insert(d.offset.end(), extra.columns[c].begin(), extra.columns[c].end());
  return d;
}

// Family multinomial on the CPU at α, grouped or not, solved to 1e-12.
inline Options multinomial_options(double alpha, bool grouped) {
  Options o;
  o.family = Family::multinomial;
  o.device = Device::cpu;
  o.alpha = alpha;
  o.type_multinomial = grouped ? MultinomialType::grouped : MultinomialType::ungrouped;
  o.tol = 1e-12;
  return o;
}

}  // namespace regpath::test
