// cuBLAS, loaded at run time: the library (libcublas.so.13 with libcublasLt, over 200 MB) is
// mapped only when a CUDA backend or the availability check first needs it, so that a process
// that never uses a device (the CLI's --version, CPU fits, the C API on the CPU) never loads it.
// Every cuBLAS call regpath makes goes through the function pointers here. Private; only CUDA
// translation units include it (it names cuBLAS types, from the header alone).
#pragma once

#include <cublas_v2.h>

#include <string>

namespace regpath::cuda {

// The cuBLAS entry points regpath calls (the _v2 names that cublas_v2.h maps the plain ones to).
struct CublasApi {
  decltype(&::cublasCreate_v2) create = nullptr;
  decltype(&::cublasDestroy_v2) destroy = nullptr;
  decltype(&::cublasSetStream_v2) set_stream = nullptr;
  decltype(&::cublasSetMathMode) set_math_mode = nullptr;
  decltype(&::cublasSetWorkspace_v2) set_workspace = nullptr;
  decltype(&::cublasDgemm_v2) dgemm = nullptr;
  decltype(&::cublasSgemm_v2) sgemm = nullptr;
  decltype(&::cublasDsyrk_v2) dsyrk = nullptr;
  decltype(&::cublasSsyrk_v2) ssyrk = nullptr;
  decltype(&::cublasGetStatusName) status_name = nullptr;
  decltype(&::cublasGetStatusString) status_string = nullptr;
};

// The library asked for first: the soname of the toolkit regpath was built with (then the
// unversioned development link, then this soname in the toolkit's library directory).
inline constexpr const char* kCublasLibrary = "libcublas.so.13";

// Loads `library` (and the names after it when it is the default) and resolves every entry point.
// Returns nullptr and sets *error to "cuBLAS (<library>) could not be loaded: <dlerror text>"
// (or names the missing symbol) on failure. For tests: no caching, the handle is not closed.
const CublasApi* load_cublas_from(const char* library, std::string* error);

// The process's cuBLAS, loaded once (thread-safe); a failure is remembered and repeated. Returns
// nullptr with the reason in *error when it cannot be loaded.
const CublasApi* cublas_api(std::string* error);

// cublas_api(), or a DeviceError with the reason.
const CublasApi& cublas();

// Names of a status, usable before and without a loaded library.
std::string cublas_status_text(cublasStatus_t status);

}  // namespace regpath::cuda
