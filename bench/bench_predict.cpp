// Prediction from a model (regpath::predict, CPU) against reading the data it predicts
// (the CLI's CSV reader, regpath predict's input): is predicting or reading NEW.csv the cost?
// Both are linear in the cells, so the 10⁶ × 1000 case scales from these sizes (which
// keep the benchmark within a few GB on a shared machine): BM_Predict n × p at m λ with a given
// share of nonzero coefficients, BM_ReadCsv the same kind of cells as CSV text parsed in memory
// (no disk: the least reading can cost).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli/csv_table.hpp"
#include "regpath/regpath.hpp"

namespace regpath::bench {
namespace {

std::vector<double> random_values(std::size_t count, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  std::vector<double> v(count);
  for (double& x : v) x = z(rng);
  return v;
}

Model random_model(std::int64_t p, std::int64_t K, double density) {
  Model m;
  m.path.n_features = p;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0, 1);
  for (std::int64_t k = 0; k < K; ++k) {
    m.path.lambdas.push_back(1.0 / (1 + k));
    m.path.intercepts.push_back(0.5);
    for (std::int64_t j = 0; j < p; ++j) m.path.coefs.push_back(u(rng) < density ? u(rng) - 0.5 : 0);
  }
  for (std::int64_t j = 0; j < p; ++j) m.feature_names.push_back("x" + std::to_string(j + 1));
  return m;
}

void BM_Predict(benchmark::State& state) {
  const std::int64_t n = state.range(0), p = state.range(1), lambdas = state.range(2);
  const double density = static_cast<double>(state.range(3)) / 100;
  static std::vector<double> X;
  if (static_cast<std::int64_t>(X.size()) != n * p) X = random_values(static_cast<std::size_t>(n * p), 1);
  const Model m = random_model(p, 20, density);
  std::vector<double> s;  // between grid points: the interpolated case
  for (std::int64_t k = 0; k < lambdas; ++k) s.push_back(0.75 / (1 + k));
  for (auto _ : state) {
    const std::vector<double> out = predict(m, MatrixView<double>{X.data(), n, p, n}, s);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["cells_per_s"] =
      benchmark::Counter(static_cast<double>(n * p), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_ReadCsv(benchmark::State& state) {
  const std::int64_t n = state.range(0), p = state.range(1);
  const std::vector<double> v = random_values(static_cast<std::size_t>(n * p), 2);
  std::string text;
  for (std::int64_t j = 0; j < p; ++j) text += (j ? ",x" : "x") + std::to_string(j + 1);
  text += '\n';
  char cell[32];
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < p; ++j) {
      std::snprintf(cell, sizeof cell, "%s%.17g", j ? "," : "", v[static_cast<std::size_t>(i * p + j)]);
      text += cell;
    }
    text += '\n';
  }
  for (auto _ : state) {
    std::istringstream in(text);
    const cli::CsvTable t = cli::parse_csv(in, "bench.csv");
    benchmark::DoNotOptimize(t.columns.data());
  }
  state.counters["cells_per_s"] =
      benchmark::Counter(static_cast<double>(n * p), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}

BENCHMARK(BM_Predict)
    ->ArgNames({"n", "p", "lambdas", "pct_nonzero"})
    ->Args({100000, 1000, 1, 100})
    ->Args({100000, 1000, 1, 10})
    ->Args({100000, 1000, 10, 100})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_ReadCsv)
    ->ArgNames({"n", "p"})
    ->Args({10000, 1000})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

}  // namespace
}  // namespace regpath::bench

BENCHMARK_MAIN();
