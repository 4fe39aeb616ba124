// is_device_memory for a CUDA build: the C API's regpath_fit_device_d / _s check that X and y live
// in GPU memory through this before fitting from them in place (see src/backends/cuda_runtime.hpp).
#include <cuda_runtime.h>

#include <new>
#include <string>

#include "backends/cuda_runtime.hpp"

namespace regpath {

namespace {

void set_message(std::string* error, const char* a, const std::string& b = std::string()) {
  if (error == nullptr) return;
  try {
    *error = a;
    *error += b;
  } catch (const std::bad_alloc&) {
    // the caller reports the failure without this text
  }
}

}  // namespace

bool is_device_memory(const void* ptr, std::string* error) {
  cudaPointerAttributes attributes{};
  const cudaError_t err = cudaPointerGetAttributes(&attributes, ptr);
  if (err != cudaSuccess) {
    (void)cudaGetLastError();  // must not resurface as a later launch's error
    set_message(error, "cudaPointerGetAttributes failed: ",
                std::string(cudaGetErrorName(err)) + ": " + cudaGetErrorString(err));
    return false;
  }
  switch (attributes.type) {
    case cudaMemoryTypeManaged: return true;
    case cudaMemoryTypeDevice: {
      int current = -1;
      if (cudaGetDevice(&current) != cudaSuccess) {
        (void)cudaGetLastError();
        set_message(error, "cudaGetDevice failed");
        return false;
      }
      if (attributes.device == current) return true;
      set_message(error, "it is memory of CUDA device ",
                  std::to_string(attributes.device) + ", not of the current device " +
                      std::to_string(current));
      return false;
    }
    case cudaMemoryTypeHost:
      set_message(error, "it is page-locked host memory, not device memory; use regpath_fit_d/_s");
      return false;
    default:
      set_message(error, "it is host memory, not device memory; use regpath_fit_d/_s");
      return false;
  }
}

}  // namespace regpath
