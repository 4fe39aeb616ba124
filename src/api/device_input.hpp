// Reading input that lives in GPU memory, for the C API's regpath_fit_device_d / _s. Private.
//
// A CUDA build defines copy_device_to_host with the CUDA runtime (cudaMemcpy, kind
// cudaMemcpyDefault); a build without CUDA compiles device_input_stub.cpp, which always fails
// with "built without CUDA". The public headers never see CUDA types.
#pragma once

#include <cstddef>
#include <string>

namespace regpath {

// Copies `bytes` bytes from device memory at `src` to host memory at `dst` and waits for the
// copy. Returns false (and, when `error` is not null, a message naming the failing call) when
// it cannot. Never throws.
bool copy_device_to_host(const void* src, void* dst, std::size_t bytes, std::string* error);

}  // namespace regpath
