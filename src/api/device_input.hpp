// Checking input that should live in GPU memory, for the C API's regpath_fit_device_d / _s (which
// then fit from it in place: run_cuda_device, backend_runners.hpp). Private.
//
// A CUDA build defines is_device_memory with the CUDA runtime (cudaPointerGetAttributes); a build
// without CUDA compiles device_input_stub.cpp, which always fails with "built without CUDA". The
// public headers never see CUDA types.
#pragma once

#include <string>

namespace regpath {

// Whether `ptr` points to memory the current CUDA device can read in kernels: device memory of
// that device (cudaMalloc) or managed memory (cudaMallocManaged). Returns false (and, when `error`
// is not null, why: host memory, another device, or the failing call) otherwise. Never throws.
bool is_device_memory(const void* ptr, std::string* error);

}  // namespace regpath
