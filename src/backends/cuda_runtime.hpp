// What the CUDA runtime says about this machine and a pointer, without CUDA types. A CUDA build
// defines these in kernels/ (cuda_runtime.cu, device_input.cu); a build without CUDA compiles
// cuda_stub.cpp, whose answers say "built without CUDA". Never throw.
#pragma once

#include <string>

namespace regpath {

// Whether a CUDA device is usable; if not, why_not (when not null) says why.
bool cuda_runtime_available(std::string* why_not);

// Whether `ptr` points to memory the current CUDA device can read in kernels: device memory of
// that device (cudaMalloc) or managed memory (cudaMallocManaged). Returns false (and, when `error`
// is not null, why: host memory, another device, or the failing call) otherwise.
bool is_device_memory(const void* ptr, std::string* error);

}  // namespace regpath
