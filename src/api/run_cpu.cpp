#include "api/backend_runners.hpp"
#include "backends/cpu_backend.hpp"

namespace regpath {
namespace {

template <typename In>
Path run_cpu_any(const MatrixView<In>& X, const In* y, const ResolvedOptions& ro) {
  Path out;
  if (ro.options.precision == Precision::float32) {
    CpuBackend<float> backend;
    out = run_path(backend, X, y, ro);
  } else {
    CpuBackend<double> backend;
    out = run_path(backend, X, y, ro);
  }
  out.device = Device::cpu;
  return out;
}

}  // namespace

Path run_cpu(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro) {
  return run_cpu_any(X, y, ro);
}
Path run_cpu(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro) {
  return run_cpu_any(X, y, ro);
}

}  // namespace regpath
