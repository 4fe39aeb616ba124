// GPU benchmarks (issue: CUDA backend): on a correlated design (ρ = 0.5),
//   (a) n = 100 000, p = 1 000   (Gram form)      (b) n = 10 000, p = 20 000   (direct form)
// float64 and float32, each
//   - GemmReference: the cuBLAS GEMMs of one iteration of a K = 20 block, alone
//       (a) H·B (p×p × p×K)      (b) X̃·B then X̃ᵀ·R (n×p × p×K, p×n × n×K)
//   - Iteration: one full FISTA iteration of the block (the GEMMs + fill + prox + momentum),
//     reported with GFLOP/s and as a ratio to GemmReference (target ≤ 1.3);
//   - Path: the full 100-λ elastic-net path (α = 0.5, tol 1e-7), set-up (upload, standardize,
//     Gram) included;
// and the same Iteration on the CPU backend, beside it. Timed after a warm-up with a device
// synchronize around the timed region (manual time), the median of repetitions. The iteration
// steps are 1/L (L the top eigenvalue of the block's Hessian: XᵀX/n by power iteration for the
// direct form, exact for the Gram form's stand-in H), so the timed iterations converge instead
// of overflowing into infinities and NaNs, which can run at another speed.
//
// REGPATH_BENCH_QUICK=1 (scripts/gpu-check): one timed path per shape instead of three, and the
// path's warm-up on a small problem (it only needs the CUDA context and cuBLAS handle).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "backends/cpu_backend.hpp"
#include "backends/cuda_backend.hpp"
#include "bench_glm.hpp"
#include "bench_problems.hpp"
#include "core/engine/scalar_ops.hpp"
#include "regpath/regpath.hpp"

namespace regpath::bench {
namespace {

constexpr std::int64_t kBlock = 20;

const Problem& cached(std::int64_t n, std::int64_t p) {
  static std::map<std::pair<std::int64_t, std::int64_t>, Problem> cache;
  auto it = cache.find({n, p});
  if (it == cache.end())
    it = cache.emplace(std::make_pair(n, p), correlated_problem(n, p, 0.5)).first;
  return it->second;
}

bool quick() {
  const char* q = std::getenv("REGPATH_BENCH_QUICK");
  return q && q[0] && std::strcmp(q, "0") != 0;
}

bool skip_without_gpu(benchmark::State& state) {
  std::string why;
  if (cuda_available(&why)) return false;
  state.SkipWithError(("CUDA not usable: " + why).c_str());
  return true;
}

// Device buffers of one block-iteration workload on backend B: the Gram form keeps H (p × p),
// the direct form X (n × p) and R (n × K).
template <class B>
struct Workload {
  using T = typename B::value_type;
  B be;
  std::int64_t n, p;
  bool gram;
  typename B::Buffer data, y, c, Bc, Bn, Y, G, R, lam, step, theta;

  Workload(const Problem& pr) : n(pr.n), p(pr.p), gram(pr.n > 2 * pr.p) {
    const std::int64_t rows = gram ? p : n;
    std::vector<T> host(static_cast<std::size_t>(rows * p));
    for (std::int64_t j = 0; j < p; ++j)
      for (std::int64_t i = 0; i < rows; ++i)  // the Gram form's H: any symmetric stand-in
        host[static_cast<std::size_t>(i + j * rows)] =
            gram ? static_cast<T>(i == j ? 1.0 : 0.5 / double(p))
                 : static_cast<T>(pr.X[static_cast<std::size_t>(i + j * n)]);
    data = be.allocate(host.size());
    be.upload(data.data(), host.data(), host.size());
    std::vector<T> hy(pr.y.begin(), pr.y.end()), small(static_cast<std::size_t>(kBlock));
    y = be.allocate(hy.size());
    be.upload(y.data(), hy.data(), hy.size());
    c = be.allocate(static_cast<std::size_t>(p));
    const auto pk = static_cast<std::size_t>(p * kBlock);
    Bc = be.allocate(pk), Bn = be.allocate(pk), Y = be.allocate(pk), G = be.allocate(pk);
    R = be.allocate(static_cast<std::size_t>(n * kBlock));
    std::vector<T> host_c(static_cast<std::size_t>(p), T(0.1));  // never time on zeros
    be.upload(c.data(), host_c.data(), host_c.size());
    for (std::size_t k = 0; k < small.size(); ++k) small[k] = static_cast<T>(0.01 * double(k + 1));
    lam = be.allocate(small.size()), step = be.allocate(small.size()),
    theta = be.allocate(small.size());
    be.upload(lam.data(), small.data(), small.size());
    std::vector<T> ones(small.size(), T(1));
    be.upload(theta.data(), ones.data(), ones.size());
    // t = 1/L for every column: a step above it diverges (the data are not standardized)
    const std::vector<T> steps(small.size(), static_cast<T>(1.0 / lipschitz()));
    be.upload(step.data(), steps.data(), steps.size());
    std::vector<T> start(pk, T(0.001));
    be.upload(Y.data(), start.data(), start.size());
    be.upload(Bc.data(), start.data(), start.size());
    be.synchronize();
  }

  double flops() const { return gram ? 2.0 * p * p * kBlock : 4.0 * n * p * kBlock; }

  // L = the top eigenvalue of the iteration's Hessian: H's (stand-in, exactly
  // 1 − 0.5/p + 0.5: (1 − 0.5/p)·I + (0.5/p)·11ᵀ) or XᵀX/n's, by power iteration on the backend
  // (a little above the estimate, which approaches L from below). Cached per shape: the CPU
  // and GPU workloads of one shape share it.
  double lipschitz() {
    if (gram) return 1.0 - 0.5 / double(p) + 0.5;
    static std::map<std::pair<std::int64_t, std::int64_t>, double> cache;
    const auto it = cache.find({n, p});
    if (it != cache.end()) return it->second;
    auto v = be.allocate(static_cast<std::size_t>(p)), u = be.allocate(static_cast<std::size_t>(n));
    std::vector<T> start(static_cast<std::size_t>(p), T(1) / static_cast<T>(std::sqrt(double(p))));
    be.upload(v.data(), start.data(), start.size());
    double estimate = 0;
    for (int iter = 0; iter < 30; ++iter) {
      // u = X·v, v' = Xᵀu/n, estimate = ‖v'‖ (‖v‖ = 1), v = v'/‖v'‖
      be.gemm(false, false, n, 1, p, T(1), data.data(), n, v.data(), p, T(0), u.data(), n);
      be.gemm(true, false, p, 1, n, T(1) / T(n), data.data(), n, u.data(), n, T(0), v.data(), p);
      double norm2 = 0;
      be.column_dots(p, 1, v.data(), p, v.data(), p, &norm2);
      estimate = std::sqrt(norm2);
      if (!(estimate > 0)) break;
      std::vector<T> host(static_cast<std::size_t>(p));
      be.download(host.data(), v.data(), host.size());
      for (T& x : host) x = static_cast<T>(double(x) / estimate);
      be.upload(v.data(), host.data(), host.size());
    }
    const double L = 1.01 * estimate;
    cache[{n, p}] = L;
    return L;
  }

  void gemms() {
    if (gram) {
      // G = H·Y   (2·p²·K flops)
      be.gemm(false, false, p, kBlock, p, T(1), data.data(), p, Y.data(), p, T(1), G.data(), p);
    } else {
      // R = X̃·Y, G = X̃ᵀ·R/n   (4·n·p·K flops)
      be.gemm(false, false, n, kBlock, p, T(1), data.data(), n, Y.data(), p, T(1), R.data(), n);
      be.gemm(true, false, p, kBlock, n, T(1) / T(n), data.data(), n, R.data(), n, T(0),
              G.data(), p);
    }
  }

  void iteration() {
    if (gram) be.fill_columns(p, kBlock, G.data(), p, c.data(), T(-1));
    else be.fill_columns(n, kBlock, R.data(), n, y.data(), T(-1));
    gemms();
    be.prox_step(p, kBlock, Y.data(), G.data(), step.data(), lam.data(), T(0.5), {},
                 Bn.data());
    be.momentum_step(p, kBlock, Bn.data(), Bc.data(), Y.data(), theta.data());
    std::swap(Bc, Bn);
  }
};

template <class B, bool kIteration, bool kGpu>
void run_workload(benchmark::State& state) {
  if (kGpu && skip_without_gpu(state)) return;  // before a CudaBackend is made
  Workload<B> w(cached(state.range(0), state.range(1)));
  for (int i = 0; i < 3; ++i) kIteration ? w.iteration() : w.gemms();  // warm-up
  w.be.synchronize();
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    kIteration ? w.iteration() : w.gemms();
    w.be.synchronize();
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  if (kIteration) {  // a step above 1/L would have diverged into infinities by now
    std::vector<typename B::value_type> b(static_cast<std::size_t>(w.p * kBlock));
    w.be.download(b.data(), w.Bc.data(), b.size());
    for (const auto v : b)
      if (!std::isfinite(double(v))) {
        state.SkipWithError("the iterates are not finite: the step is too long");
        return;
      }
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(w.flops() * double(state.iterations()) * 1e-9, benchmark::Counter::kIsRate);
  state.SetLabel(w.gram ? "gram form" : "direct form");
}

template <typename T>
void BM_GpuGemmReference(benchmark::State& s) { run_workload<CudaBackend<T>, false, true>(s); }
template <typename T>
void BM_GpuIteration(benchmark::State& s) { run_workload<CudaBackend<T>, true, true>(s); }
template <typename T>
void BM_CpuIteration(benchmark::State& s) { run_workload<CpuBackend<T>, true, false>(s); }

template <typename T>
void BM_GpuPath(benchmark::State& state) {
  if (skip_without_gpu(state)) return;
  const Problem& pr = cached(state.range(0), state.range(1));
  Options o;
  o.device = Device::cuda;
  o.alpha = 0.5;
  o.precision = sizeof(T) == 8 ? Precision::float64 : Precision::float32;
  const MatrixView<double> X{pr.X.data(), pr.n, pr.p, pr.n};
  if (quick()) {  // warm-up: the CUDA context and cuBLAS handle, on a small problem
    const Problem& small = cached(500, 50);
    fit(MatrixView<double>{small.X.data(), small.n, small.p, small.n}, small.y.data(), o);
  } else {
    fit(X, pr.y.data(), o);  // warm-up: context, cuBLAS handle, first-touch allocations
  }
  double iterations = 0, unconverged = 0, peak = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const Path path = fit(X, pr.y.data(), o);
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    iterations = unconverged = 0;
    for (std::size_t k = 0; k < path.lambdas.size(); ++k) {
      iterations += path.iterations[k];
      unconverged += path.status[k] != Status::converged;
    }
    peak = double(path.peak_device_bytes);
  }
  state.counters["lambda_iters"] = iterations;
  state.counters["unconverged"] = unconverged;
  state.counters["peak_MiB"] = peak / double(1 << 20);
}

#define REGPATH_SHAPES ->Args({100000, 1000})->Args({10000, 20000})
#define REGPATH_TIMED ->ArgNames({"n", "p"})->UseManualTime()->Unit(benchmark::kMillisecond)
BENCHMARK_TEMPLATE(BM_GpuGemmReference, double) REGPATH_SHAPES REGPATH_TIMED;
BENCHMARK_TEMPLATE(BM_GpuIteration, double) REGPATH_SHAPES REGPATH_TIMED;
BENCHMARK_TEMPLATE(BM_GpuGemmReference, float) REGPATH_SHAPES REGPATH_TIMED;
BENCHMARK_TEMPLATE(BM_GpuIteration, float) REGPATH_SHAPES REGPATH_TIMED;
BENCHMARK_TEMPLATE(BM_GpuPath, double) REGPATH_SHAPES REGPATH_TIMED->Iterations(quick() ? 1 : 3);
BENCHMARK_TEMPLATE(BM_GpuPath, float) REGPATH_SHAPES REGPATH_TIMED->Iterations(quick() ? 1 : 3);
BENCHMARK_TEMPLATE(BM_CpuIteration, double) REGPATH_SHAPES REGPATH_TIMED->Iterations(3);
BENCHMARK_TEMPLATE(BM_CpuIteration, float) REGPATH_SHAPES REGPATH_TIMED->Iterations(3);

// The GLM batch on the GPU: a logistic path and 10-fold CV of both families (bench_glm.hpp).
void BM_GpuGlm(benchmark::State& state) { run_glm(state, Device::cuda); }
BENCHMARK(BM_GpuGlm)
    ->ArgNames({"n", "p", "bits", "binomial", "folds"})
    ->Args({100000, 1000, 64, 1, 0})
    ->Args({100000, 1000, 64, 1, 10})
    ->Args({100000, 1000, 64, 0, 10})
    ->Args({100000, 1000, 32, 1, 10})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// What a 10-fold cv costs in fits on a correlated problem (ρ = 0.7), both families.
void BM_GpuCvCost(benchmark::State& state) { run_cv_cost(state, Device::cuda); }
BENCHMARK(BM_GpuCvCost)
    ->ArgNames({"n", "p", "rho_pct", "binomial"})
    ->Args({600, 300, 70, 0})
    ->Args({600, 300, 70, 1})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace regpath::bench

BENCHMARK_MAIN();
