// The CUDA runner: the shared path solve (run_path.hpp) on the CUDA backend. Compiled by the host
// C++ compiler: the backend's header names no CUDA type.
#include <stdexcept>
#include <type_traits>

#include "api/backend_runners.hpp"
#include "backends/cuda_backend.hpp"

namespace regpath {

Path run_cuda(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro) {
  return run_in_precision<CudaBackend>(X, y, ro, Device::cuda);
}
Path run_cuda(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro) {
  return run_in_precision<CudaBackend>(X, y, ro, Device::cuda);
}

CvResult run_cv_cuda(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro,
                     const CvPlan& plan) {
  return run_cv_in_precision<CudaBackend>(X, y, ro, plan, Device::cuda);
}
CvResult run_cv_cuda(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro,
                     const CvPlan& plan) {
  return run_cv_in_precision<CudaBackend>(X, y, ro, plan, Device::cuda);
}

namespace {

template <typename T>
Path run_cuda_resident(const T* X_dev, std::int64_t n, std::int64_t p, std::int64_t ldx,
                       const T* y_dev, const ResolvedOptions& ro) {
  const Precision own = std::is_same<T, float>::value ? Precision::float32 : Precision::float64;
  if (ro.options.precision != own) throw std::invalid_argument(device_precision_mismatch());
  CudaBackend<T> backend;
  // X and y may still be being written by the caller's work on stream 0: read them after it
  // (regpath.h's ordering contract). The results come back by a synchronizing download, so
  // regpath is done with X and y when this returns.
  backend.wait_for_default_stream();
  Path out = run_path(backend, ResidentData<T>{X_dev, n, p, ldx, y_dev}, ro);
  out.device = Device::cuda;
  return out;
}

}  // namespace

Path run_cuda_device(const double* X_dev, std::int64_t n, std::int64_t p, std::int64_t ldx,
                     const double* y_dev, const ResolvedOptions& ro) {
  return run_cuda_resident(X_dev, n, p, ldx, y_dev, ro);
}
Path run_cuda_device(const float* X_dev, std::int64_t n, std::int64_t p, std::int64_t ldx,
                     const float* y_dev, const ResolvedOptions& ro) {
  return run_cuda_resident(X_dev, n, p, ldx, y_dev, ro);
}

}  // namespace regpath
