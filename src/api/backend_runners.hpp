// The backends behind the API; fit.cpp picks one. The CUDA runner is compiled from kernels/ when
// REGPATH_WITH_CUDA is on, else from the stub, which says so.
#pragma once

#include <string>

#include "api/run_path.hpp"

namespace regpath {

Path run_cpu(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro);
Path run_cpu(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro);
Path run_cuda(const MatrixView<double>& X, const double* y, const ResolvedOptions& ro);
Path run_cuda(const MatrixView<float>& X, const float* y, const ResolvedOptions& ro);

// Whether a CUDA device is usable; if not, why_not says why.
bool cuda_runtime_available(std::string* why_not);

}  // namespace regpath
