// Whole paths on the CPU backend: the default 100-λ elastic-net path (α = 0.5, tol 1e-7) on
// n ≫ p (Gram form) and p > n (direct form) problems with correlation ρ = 0.5, float64 and
// float32. Reported per path, with the iterations summed over λ as a counter. Then the GLM
// batch (bench_glm.hpp): a logistic path and 10-fold cross-validation.
#include <benchmark/benchmark.h>

#include <map>
#include <utility>

#include "bench_glm.hpp"
#include "bench_problems.hpp"
#include "regpath/regpath.hpp"

namespace regpath::bench {
namespace {

const Problem& cached(std::int64_t n, std::int64_t p) {
  static std::map<std::pair<std::int64_t, std::int64_t>, Problem> cache;
  auto it = cache.find({n, p});
  if (it == cache.end()) it = cache.emplace(std::make_pair(n, p), correlated_problem(n, p, 0.5)).first;
  return it->second;
}

void BM_CpuPath(benchmark::State& state) {
  const Problem& pr = cached(state.range(0), state.range(1));
  Options o;
  o.device = Device::cpu;
  o.alpha = 0.5;
  o.precision = state.range(2) == 64 ? Precision::float64 : Precision::float32;
  double iterations = 0;
  int unconverged = 0;
  for (auto _ : state) {
    const Path path = fit(MatrixView<double>{pr.X.data(), pr.n, pr.p, pr.n}, pr.y.data(), o);
    iterations = 0;
    unconverged = 0;
    for (std::size_t k = 0; k < path.lambdas.size(); ++k) {
      iterations += path.iterations[k];
      unconverged += path.status[k] != Status::converged;
    }
    benchmark::DoNotOptimize(path.coefs.data());
  }
  state.counters["lambda_iters"] = iterations;
  state.counters["unconverged"] = unconverged;
  state.SetLabel(state.range(0) > 2 * state.range(1) ? "gram form" : "direct form");
}

BENCHMARK(BM_CpuPath)
    ->ArgNames({"n", "p", "bits"})
    ->Args({10000, 500, 64})
    ->Args({10000, 500, 32})
    ->Args({1000, 5000, 64})
    ->Args({1000, 5000, 32})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

// The GLM batch: a logistic path, and 10-fold CV (all folds × λ one batch) of both families.
void BM_CpuGlm(benchmark::State& state) { run_glm(state, Device::cpu); }
BENCHMARK(BM_CpuGlm)
    ->ArgNames({"n", "p", "bits", "binomial", "folds"})
    ->Args({10000, 100, 64, 1, 0})
    ->Args({10000, 100, 64, 1, 10})
    ->Args({10000, 100, 64, 0, 10})
    ->Args({10000, 100, 32, 1, 10})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// What a 10-fold cv costs in fits on a correlated problem (ρ = 0.7), both families.
void BM_CpuCvCost(benchmark::State& state) { run_cv_cost(state, Device::cpu); }
BENCHMARK(BM_CpuCvCost)
    ->ArgNames({"n", "p", "rho_pct", "binomial"})
    ->Args({600, 300, 70, 0})
    ->Args({600, 300, 70, 1})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace regpath::bench

BENCHMARK_MAIN();
