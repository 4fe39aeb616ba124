// The CPU runner: the shared path solve (run_path.hpp) on the CPU reference backend.
#include "api/backend_runners.hpp"
#include "backends/cpu_backend.hpp"

namespace regpath {

Path run_cpu(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro) {
  return run_in_precision<CpuBackend>(X, y, ro, Device::cpu);
}
Path run_cpu(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro) {
  return run_in_precision<CpuBackend>(X, y, ro, Device::cpu);
}

CvResult run_cv_cpu(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro,
                    const CvPlan& plan) {
  return run_cv_in_precision<CpuBackend>(X, y, ro, plan, Device::cpu);
}
CvResult run_cv_cpu(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro,
                    const CvPlan& plan) {
  return run_cv_in_precision<CpuBackend>(X, y, ro, plan, Device::cpu);
}

}  // namespace regpath
