// The backends behind the API; fit.cpp picks one. The CUDA runner is compiled from kernels/ when
// REGPATH_WITH_CUDA is on, else from the stub, which says so.
#pragma once

#include <cstdint>
#include <string>

#include "api/cv_runs.hpp"
#include "api/run_path.hpp"

namespace regpath {

Path run_cpu(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro);
Path run_cpu(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro);
Path run_cuda(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro);
Path run_cuda(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro);

CvResult run_cv_cpu(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro,
                    const CvPlan& plan);
CvResult run_cv_cpu(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro,
                    const CvPlan& plan);
CvResult run_cv_cuda(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro,
                     const CvPlan& plan);
CvResult run_cv_cuda(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro,
                     const CvPlan& plan);

// X (n × p, leading dimension ldx) and y already in CUDA device memory, in the solver's
// precision (ro.options.precision: float64 for double, float32 for float; otherwise
// std::invalid_argument). Fits on CUDA without copying them to the host.
Path run_cuda_device(const double* X_dev, std::int64_t n, std::int64_t p, std::int64_t ldx,
                     const double* y_dev, const ResolvedOptions& ro);
Path run_cuda_device(const float* X_dev, std::int64_t n, std::int64_t p, std::int64_t ldx,
                     const float* y_dev, const ResolvedOptions& ro);

// The message of run_cuda_device when the input's type is not the solver's precision.
inline const char* device_precision_mismatch() {
  return "device input must be in the solver's precision (float64 for regpath_fit_device_d, "
         "float32 for _s)";
}

// Whether a CUDA device is usable; if not, why_not says why.
bool cuda_runtime_available(std::string* why_not);

}  // namespace regpath
