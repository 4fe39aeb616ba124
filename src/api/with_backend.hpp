// The run-time choice of backend and precision, in one place: with_backend(device, precision, f)
// calls f(backend) with a CpuBackend<T> or a CudaBackend<T>, T = double or float, made for the
// call. Everything above it (fit, cv, the C API) is written once as templates over the backend.
// Private.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "backends/cpu_backend.hpp"
#include "backends/cuda_runtime.hpp"
#include "regpath/regpath.hpp"
#if REGPATH_HAS_CUDA
#include "backends/cuda_backend.hpp"
#endif

namespace regpath {

// The message of every CUDA request in a build without CUDA.
inline const char* built_without_cuda() {
  return "regpath was built without CUDA (configure with -DREGPATH_WITH_CUDA=ON on a machine with "
         "the CUDA toolkit)";
}

// f(backend) on `device` (cpu or cuda; resolved by the caller) in `precision`.
template <class F>
auto with_backend(Device device, Precision precision, F&& f) {
  if (device == Device::cuda) {
#if REGPATH_HAS_CUDA
    if (precision == Precision::float32) {
      CudaBackend<float> backend;
      return f(backend);
    }
    CudaBackend<double> backend;
    return f(backend);
#else
    throw DeviceError(built_without_cuda());
#endif
  }
  if (precision == Precision::float32) {
    CpuBackend<float> backend;
    return f(backend);
  }
  CpuBackend<double> backend;
  return f(backend);
}

// f(backend) with CudaBackend<T> itself, for data already in device memory of type T; f returns
// a Path.
template <typename T, class F>
Path with_cuda_backend(F&& f) {
#if REGPATH_HAS_CUDA
  CudaBackend<T> backend;
  return f(backend);
#else
  (void)f;
  throw DeviceError(built_without_cuda());
#endif
}

}  // namespace regpath
