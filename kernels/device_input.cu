// copy_device_to_host for a CUDA build: the C API's regpath_fit_device_d / _s read X and y that
// live in GPU memory through this (see src/api/device_input.hpp).
#include <cuda_runtime.h>

#include <new>
#include <string>

#include "api/device_input.hpp"

namespace regpath {

bool copy_device_to_host(const void* src, void* dst, std::size_t bytes, std::string* error) {
  if (bytes == 0) return true;
  // cudaMemcpyDefault: the runtime tells device from host memory by address (unified
  // addressing). Synchronous: dst holds the data when it returns.
  const cudaError_t err = cudaMemcpy(dst, src, bytes, cudaMemcpyDefault);
  if (err == cudaSuccess) return true;
  (void)cudaGetLastError();  // a failed copy must not resurface as a later launch's error
  if (error != nullptr) {
    try {
      *error = "cudaMemcpy(dst, src, " + std::to_string(bytes) + ", cudaMemcpyDefault) failed: " +
               cudaGetErrorName(err) + ": " + cudaGetErrorString(err);
    } catch (const std::bad_alloc&) {
      // the caller reports the failure without this text
    }
  }
  return false;
}

}  // namespace regpath
