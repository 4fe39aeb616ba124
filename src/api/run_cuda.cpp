// The CUDA runner: the shared path solve (run_path.hpp) on the CUDA backend. Compiled by the host
// C++ compiler: the backend's header names no CUDA type.
#include "api/backend_runners.hpp"
#include "backends/cuda_backend.hpp"

namespace regpath {

Path run_cuda(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro) {
  return run_in_precision<CudaBackend>(X, y, ro, Device::cuda);
}
Path run_cuda(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro) {
  return run_in_precision<CudaBackend>(X, y, ro, Device::cuda);
}

}  // namespace regpath
