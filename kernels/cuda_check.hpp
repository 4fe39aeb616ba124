// Error checks for every CUDA runtime and cuBLAS call: a failure throws regpath::DeviceError (or
// regpath::OutOfMemoryError when the device ran out of memory) with the failing call's text,
// file:line and the library's error name and string. Never exit().
// Only CUDA translation units include this (it names CUDA types).
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>

#include "cublas_loader.hpp"
#include "launch_plan.hpp"
#include "regpath/regpath.hpp"

namespace regpath::cuda {

[[noreturn]] inline void throw_cuda_error(cudaError_t err, const char* call, const char* file,
                                          int line) {
  std::string msg = std::string("CUDA error: ") + call + " failed at " + file + ":" +
                    std::to_string(line) + ": " + cudaGetErrorName(err) + ": " +
                    cudaGetErrorString(err);
  if (err == cudaErrorMemoryAllocation) throw OutOfMemoryError(msg);
  throw DeviceError(msg);
}

[[noreturn]] inline void throw_cublas_error(cublasStatus_t status, const char* call,
                                            const char* file, int line) {
  std::string msg = std::string("cuBLAS error: ") + call + " failed at " + file + ":" +
                    std::to_string(line) + ": " + cublas_status_text(status);
  if (status == CUBLAS_STATUS_ALLOC_FAILED) throw OutOfMemoryError(msg);
  throw DeviceError(msg);
}

// The debug mode (REGPATH_CUDA_SYNC_LAUNCHES, launch_plan.hpp): waits for the device after
// `what` and names it if it, or anything before it, faulted.
inline void sync_after(const char* what, const char* file, int line) {
  if (!sync_launches()) return;
  const cudaError_t err = cudaDeviceSynchronize();
  if (err != cudaSuccess)
    throw_cuda_error(err, (std::string(what) + " (" + kSyncLaunchesVariable +
                           ": cudaDeviceSynchronize after it)").c_str(),
                     file, line);
}

}  // namespace regpath::cuda

#define REGPATH_CUDA_CHECK(call)                                                           \
  do {                                                                                     \
    const cudaError_t regpath_err_ = (call);                                               \
    if (regpath_err_ != cudaSuccess)                                                       \
      ::regpath::cuda::throw_cuda_error(regpath_err_, #call, __FILE__, __LINE__);          \
  } while (0)

// A cuBLAS call; in the debug mode also waits for its kernels.
#define REGPATH_CUBLAS_CHECK(call)                                                         \
  do {                                                                                     \
    const cublasStatus_t regpath_status_ = (call);                                         \
    if (regpath_status_ != CUBLAS_STATUS_SUCCESS)                                          \
      ::regpath::cuda::throw_cublas_error(regpath_status_, #call, __FILE__, __LINE__);     \
    ::regpath::cuda::sync_after(#call, __FILE__, __LINE__);                                \
  } while (0)

// After a kernel launch `kernel<<<...>>>(...)`: a bad launch configuration surfaces here, named;
// in the debug mode so does a fault while the kernel runs.
#define REGPATH_CUDA_CHECK_LAUNCH(kernel_name)                                             \
  do {                                                                                     \
    const cudaError_t regpath_err_ = cudaGetLastError();                                   \
    if (regpath_err_ != cudaSuccess)                                                       \
      ::regpath::cuda::throw_cuda_error(regpath_err_, "launch of " kernel_name, __FILE__,  \
                                        __LINE__);                                         \
    ::regpath::cuda::sync_after("kernel " kernel_name, __FILE__, __LINE__);                \
  } while (0)
