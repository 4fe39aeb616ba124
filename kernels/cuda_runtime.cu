// CUDA availability and the CUDA runner. The backend itself is not written yet (issue: CUDA
// backend); until it is, CUDA reports itself unusable and `auto` picks the CPU.
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "api/backend_runners.hpp"

namespace regpath {
namespace {
const char* const kNotYet = "the CUDA backend is not implemented yet in this build";
}

bool cuda_runtime_available(std::string* why_not) {
  int count = 0;
  // Without a driver this returns an error (not 0 devices).
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    if (why_not) *why_not = std::string("cudaGetDeviceCount failed: ") + cudaGetErrorString(err);
    return false;
  }
  if (count == 0) {
    if (why_not) *why_not = "no CUDA device found";
    return false;
  }
  if (why_not) *why_not = kNotYet;
  return false;
}

Path run_cuda(const MatrixView<double>&, const double*, const ResolvedOptions&) {
  throw std::runtime_error(kNotYet);
}
Path run_cuda(const MatrixView<float>&, const float*, const ResolvedOptions&) {
  throw std::runtime_error(kNotYet);
}

}  // namespace regpath
