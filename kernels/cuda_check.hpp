// Error checks for every CUDA runtime and cuBLAS call: a failure throws std::runtime_error with
// the failing call's text, file:line and the library's error name and string. Never exit().
// Only CUDA translation units include this (it names CUDA types).
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace regpath::cuda {

[[noreturn]] inline void throw_cuda_error(cudaError_t err, const char* call, const char* file,
                                          int line) {
  throw std::runtime_error(std::string("CUDA error: ") + call + " failed at " + file + ":" +
                           std::to_string(line) + ": " + cudaGetErrorName(err) + ": " +
                           cudaGetErrorString(err));
}

[[noreturn]] inline void throw_cublas_error(cublasStatus_t status, const char* call,
                                            const char* file, int line) {
  throw std::runtime_error(std::string("cuBLAS error: ") + call + " failed at " + file + ":" +
                           std::to_string(line) + ": " + cublasGetStatusName(status) + ": " +
                           cublasGetStatusString(status));
}

}  // namespace regpath::cuda

#define REGPATH_CUDA_CHECK(call)                                                           \
  do {                                                                                     \
    const cudaError_t regpath_err_ = (call);                                               \
    if (regpath_err_ != cudaSuccess)                                                       \
      ::regpath::cuda::throw_cuda_error(regpath_err_, #call, __FILE__, __LINE__);          \
  } while (0)

#define REGPATH_CUBLAS_CHECK(call)                                                         \
  do {                                                                                     \
    const cublasStatus_t regpath_status_ = (call);                                         \
    if (regpath_status_ != CUBLAS_STATUS_SUCCESS)                                          \
      ::regpath::cuda::throw_cublas_error(regpath_status_, #call, __FILE__, __LINE__);     \
  } while (0)

// After a kernel launch `kernel<<<...>>>(...)`: a bad launch configuration surfaces here, named.
#define REGPATH_CUDA_CHECK_LAUNCH(kernel_name)                                             \
  do {                                                                                     \
    const cudaError_t regpath_err_ = cudaGetLastError();                                   \
    if (regpath_err_ != cudaSuccess)                                                       \
      ::regpath::cuda::throw_cuda_error(regpath_err_, "launch of " kernel_name, __FILE__,  \
                                        __LINE__);                                         \
  } while (0)
