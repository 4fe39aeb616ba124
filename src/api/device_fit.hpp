// Fitting from data already in CUDA device memory (the C API's regpath_fit_device_d / _s).
// Private.
#pragma once

#include <cstdint>

#include "api/resolved_options.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

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

}  // namespace regpath
