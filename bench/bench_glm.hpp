// Benchmarks of the GLM batch: a logistic path and a 10-fold cross-validation (gaussian and
// binomial), on one device. Shared by regpath_bench_cpu and regpath_bench_gpu, which register
// them for their device. Timed with the fit's own synchronisation (the results are on the host
// when cross_validate returns), after one warm-up run.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "bench_problems.hpp"
#include "regpath/regpath.hpp"

namespace regpath::bench {

// correlated_problem with labels 1 where y > 0 (about half), cached per shape.
inline const Problem& labelled(std::int64_t n, std::int64_t p, bool binomial) {
  static std::map<std::tuple<std::int64_t, std::int64_t, bool>, Problem> cache;
  auto it = cache.find({n, p, binomial});
  if (it == cache.end()) {
    Problem pr = correlated_problem(n, p, 0.5);
    if (binomial)
      for (double& v : pr.y) v = v > 0 ? 1.0 : 0.0;
    it = cache.emplace(std::make_tuple(n, p, binomial), std::move(pr)).first;
  }
  return it->second;
}

// Arguments: n, p, bits, binomial (0/1), folds (0: a plain path; else cross-validation).
inline void run_glm(benchmark::State& state, Device device) {
  if (device == Device::cuda) {
    std::string why;
    if (!cuda_available(&why)) {
      state.SkipWithError(("CUDA not usable: " + why).c_str());
      return;
    }
  }
  const bool binomial = state.range(3) != 0;
  const int folds = int(state.range(4));
  const Problem& pr = labelled(state.range(0), state.range(1), binomial);
  Options o;
  o.device = device;
  o.family = binomial ? Family::binomial : Family::gaussian;
  o.alpha = 0.5;
  o.nlambda = 100;
  o.precision = state.range(2) == 64 ? Precision::float64 : Precision::float32;
  CvOptions cv;
  cv.nfolds = folds;
  const MatrixView<double> X{pr.X.data(), pr.n, pr.p, pr.n};
  auto once = [&] {
    std::int64_t iterations = 0, unconverged = 0;
    auto count = [&](const Path& path) {
      for (std::size_t k = 0; k < path.lambdas.size(); ++k) {
        iterations += path.iterations[k];
        unconverged += path.status[k] != Status::converged;
      }
    };
    if (folds == 0) {
      count(fit(X, pr.y.data(), o));
    } else {
      const CvResult r = cross_validate(X, pr.y.data(), o, cv);
      count(r.curves[0].path);
      for (const Path& f : r.curves[0].fold_paths) count(f);
    }
    return std::make_pair(iterations, unconverged);
  };
  once();  // warm-up: context, handles, first-touch allocations
  std::pair<std::int64_t, std::int64_t> last{};
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    last = once();
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  state.counters["lambda_iters"] = double(last.first);
  state.counters["unconverged"] = double(last.second);
  state.SetLabel(std::string(binomial ? "binomial" : "gaussian") +
                 (folds ? " cv " + std::to_string(folds) + " folds" : " path"));
}

}  // namespace regpath::bench
