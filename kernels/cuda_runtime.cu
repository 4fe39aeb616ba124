// Whether CUDA is usable here: a driver, a device, a device that can run this build's kernels,
// and a cuBLAS that starts on it. The answer (and its reason) is worked out once per process.
// Reasons for a device that is present but unusable begin with "CUDA device <n> " (the CLI's
// notice when --device auto falls back to the CPU keys on it: cuda_device_present_but_unusable).
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>

#include "backends/cuda_runtime.hpp"
#include "cublas_loader.hpp"

#ifndef REGPATH_CUDA_ARCHITECTURES
#define REGPATH_CUDA_ARCHITECTURES "unknown"
#endif

namespace regpath {
namespace {

// Does nothing; asking for its attributes tells whether the device can run this build's code.
__global__ void probe_kernel() {}

std::string error_text(const std::string& call, cudaError_t err) {
  return call + " failed: " + cudaGetErrorName(err) + ": " + cudaGetErrorString(err);
}

struct Availability {
  bool usable = false;
  std::string why_not;
};

Availability check_cuda() {
  Availability a;
  int count = 0;
  // Without a driver this returns an error (not 0 devices).
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    (void)cudaGetLastError();
    a.why_not = error_text("cudaGetDeviceCount", err);
    return a;
  }
  if (count == 0) {
    a.why_not = "no CUDA device found";
    return a;
  }
  int device = 0;
  cudaDeviceProp prop{};
  if ((err = cudaGetDevice(&device)) != cudaSuccess ||
      (err = cudaGetDeviceProperties(&prop, device)) != cudaSuccess ||
      (err = cudaFree(nullptr)) != cudaSuccess) {  // creates the context: busy / prohibited
    (void)cudaGetLastError();
    a.why_not = "CUDA device " + std::to_string(device) + " " +
                error_text("initialization (cudaGetDeviceProperties / cudaFree(0))", err);
    return a;
  }
  cudaFuncAttributes attributes{};
  err = cudaFuncGetAttributes(&attributes, probe_kernel);
  if (err != cudaSuccess) {
    (void)cudaGetLastError();
    a.why_not =
        "CUDA device " + std::to_string(device) + " (" + prop.name + ", compute capability " +
        std::to_string(prop.major) + "." + std::to_string(prop.minor) +
        ") cannot run this build's kernels (built for CMAKE_CUDA_ARCHITECTURES=" +
        REGPATH_CUDA_ARCHITECTURES + "): " + cudaGetErrorName(err) + ": " + cudaGetErrorString(err);
    return a;
  }
  // A broken or mismatched cuBLAS (library missing its kernels for this device, no memory for
  // its handle) would otherwise fail the first fit: then auto chooses the CPU instead.
  // cuBLAS is loaded here, the first time a device is asked for (cublas_loader.hpp), not at start.
  std::string load_error;
  const cuda::CublasApi* cublas = cuda::cublas_api(&load_error);
  if (cublas == nullptr) {
    a.why_not = "CUDA device " + std::to_string(device) + " (" + prop.name + "): " + load_error;
    return a;
  }
  cublasHandle_t handle = nullptr;
  const cublasStatus_t status = cublas->create(&handle);
  if (status != CUBLAS_STATUS_SUCCESS) {
    (void)cudaGetLastError();
    a.why_not = "CUDA device " + std::to_string(device) + " (" + prop.name +
                "): cublasCreate failed: " + cuda::cublas_status_text(status);
    return a;
  }
  (void)cublas->destroy(handle);
  a.usable = true;
  return a;
}

}  // namespace

bool cuda_runtime_available(std::string* why_not) {
  static const Availability availability = check_cuda();  // thread-safe, once
  if (why_not) *why_not = availability.why_not;
  return availability.usable;
}

}  // namespace regpath
