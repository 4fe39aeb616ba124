// The CSV reader's number parsing and whole-table parse, in memory (no file system):
//   regpath_bench_csv [--benchmark_filter=...]
// Numbers: fast_float::from_chars vs libstdc++'s std::from_chars vs strtod on the same cells
// (random normals printed with 15-17 significant digits, as R's fwrite and numpy write them),
// the measurement behind the choice in src/cli/csv_number.hpp. Table: parse_csv_text on a
// 1e6-cell CSV with 1 and 2 threads, and the reference parser alone.
#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <fast_float/fast_float.h>

#include "cli/csv_table.hpp"

namespace {

// `count` cells, each followed by ',' (the parsers stop there, as in a row).
std::string cells(std::size_t count) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  std::string text;
  char buf[40];
  for (std::size_t i = 0; i < count; ++i) {
    std::snprintf(buf, sizeof buf, "%.*g,", 15 + static_cast<int>(i % 3), normal(rng));
    text += buf;
  }
  return text;
}

const std::string& numbers() {
  static const std::string text = cells(1'000'000);
  return text;
}

template <typename Parse>
void parse_all(benchmark::State& state, Parse parse) {
  const std::string& text = numbers();
  for (auto _ : state) {
    const char* p = text.data();
    const char* end = p + text.size();
    double sum = 0;
    while (p < end) {
      double v = 0;
      p = parse(p, end, v) + 1;  // past the ','
      sum += v;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_fast_float(benchmark::State& state) {
  parse_all(state, [](const char* p, const char* end, double& v) {
    return fast_float::from_chars(p, end, v).ptr;
  });
}
BENCHMARK(BM_fast_float);

void BM_std_from_chars(benchmark::State& state) {
  parse_all(state, [](const char* p, const char* end, double& v) {
    return std::from_chars(p, end, v).ptr;
  });
}
BENCHMARK(BM_std_from_chars);

void BM_strtod(benchmark::State& state) {
  parse_all(state, [](const char* p, const char*, double& v) {
    char* stop = nullptr;
    v = std::strtod(p, &stop);
    return static_cast<const char*>(stop);
  });
}
BENCHMARK(BM_strtod);

const std::string& table() {
  static const std::string text = [] {
    std::string t = "x1";
    for (int j = 2; j <= 100; ++j) t += ",x" + std::to_string(j);
    t += '\n';
    const std::string body = cells(1'000'000);
    std::size_t field = 0;
    for (char c : body) {
      if (c == ',' && ++field % 100 == 0) c = '\n';
      t += c;
    }
    return t;
  }();
  return text;
}

void BM_parse_table(benchmark::State& state) {
  regpath::cli::CsvChunking chunking;
  chunking.threads = static_cast<std::size_t>(state.range(0));
  chunking.fast = state.range(0) > 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(regpath::cli::parse_csv_text(table(), "bench.csv", chunking));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * table().size()));
}
// 0: the reference parser alone; 1, 2: the fast path on that many threads.
BENCHMARK(BM_parse_table)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
