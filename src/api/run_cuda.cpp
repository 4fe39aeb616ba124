// The CUDA runner: the shared path solve (run_path.hpp) on the CUDA backend. Compiled by the host
// C++ compiler: the backend's header names no CUDA type.
#include "api/backend_runners.hpp"
#include "backends/cuda_backend.hpp"

namespace regpath {
namespace {

template <typename T, typename In>
Path run_on(const MatrixView<In>& X, const In* y, const ResolvedOptions& ro) {
  CudaBackend<T> backend;
  Path out = run_path(backend, X, y, ro);
  out.peak_device_bytes = backend.peak_bytes();
  return out;
}

template <typename In>
Path run_cuda_any(const MatrixView<In>& X, const In* y, const ResolvedOptions& ro) {
  Path out = ro.options.precision == Precision::float32 ? run_on<float>(X, y, ro)
                                                        : run_on<double>(X, y, ro);
  out.device = Device::cuda;
  return out;
}

}  // namespace

Path run_cuda(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro) {
  return run_cuda_any(X, y, ro);
}
Path run_cuda(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro) {
  return run_cuda_any(X, y, ro);
}

}  // namespace regpath
