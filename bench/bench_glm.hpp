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

// correlated_problem (correlation ρ) with labels 1 where y > 0 (about half), cached per shape.
inline const Problem& labelled(std::int64_t n, std::int64_t p, bool binomial, double rho = 0.5) {
  static std::map<std::tuple<std::int64_t, std::int64_t, bool, double>, Problem> cache;
  auto it = cache.find({n, p, binomial, rho});
  if (it == cache.end()) {
    Problem pr = correlated_problem(n, p, rho);
    if (binomial)
      for (double& v : pr.y) v = v > 0 ? 1.0 : 0.0;
    it = cache.emplace(std::make_tuple(n, p, binomial, rho), std::move(pr)).first;
  }
  return it->second;
}

// True (the benchmark skipped, with the reason) when `device` is CUDA and none is usable.
inline bool skipped_without_device(benchmark::State& state, Device device) {
  std::string why;
  if (device != Device::cuda || cuda_available(&why)) return false;
  state.SkipWithError(("CUDA not usable: " + why).c_str());
  return true;
}

// Arguments: n, p, bits, binomial (0/1), folds (0: a plain path; else cross-validation).
inline void run_glm(benchmark::State& state, Device device) {
  if (skipped_without_device(state, device)) return;
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

// What a 10-fold cross-validation costs in fits: one fit of the full path and one cv of the same
// problem, timed in the same run (after a warm-up of each); the counter cv_in_fits is their
// ratio (ten folds and the full path: about 11 when a fold costs what a fit costs).
// Arguments: n, p, ρ in percent, binomial (0/1). α = ½, the automatic path, float64.
inline void run_cv_cost(benchmark::State& state, Device device) {
  if (skipped_without_device(state, device)) return;
  const bool binomial = state.range(3) != 0;
  const Problem& pr =
      labelled(state.range(0), state.range(1), binomial, double(state.range(2)) / 100.0);
  Options o;
  o.device = device;
  o.family = binomial ? Family::binomial : Family::gaussian;
  o.alpha = 0.5;
  CvOptions cv;
  cv.nfolds = 10;
  const MatrixView<double> X{pr.X.data(), pr.n, pr.p, pr.n};
  auto seconds = [](auto&& work) {
    const auto t0 = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  auto one_fit = [&] { benchmark::DoNotOptimize(fit(X, pr.y.data(), o).coefs.data()); };
  auto one_cv = [&] { benchmark::DoNotOptimize(cross_validate(X, pr.y.data(), o, cv).best); };
  one_fit();  // warm-up
  double fit_s = 0, cv_s = 0;
  for (auto _ : state) {
    fit_s = seconds(one_fit);
    cv_s = seconds(one_cv);
    state.SetIterationTime(cv_s);
  }
  state.counters["fit_ms"] = 1e3 * fit_s;
  state.counters["cv_in_fits"] = fit_s > 0 ? cv_s / fit_s : 0.0;
  state.SetLabel(std::string(binomial ? "binomial" : "gaussian") + " 10-fold cv vs one fit");
}

}  // namespace regpath::bench
