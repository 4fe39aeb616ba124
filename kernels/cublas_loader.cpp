#include "cublas_loader.hpp"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "regpath/regpath.hpp"

#ifndef REGPATH_CUDA_LIBRARY_DIR
#define REGPATH_CUDA_LIBRARY_DIR "/usr/local/cuda/lib64"
#endif

namespace regpath::cuda {
namespace {

template <typename F>
bool resolve(void* handle, const char* name, F* out, std::string* error) {
  (void)dlerror();  // clears an older error: a null symbol is then told apart from a failure
  void* symbol = dlsym(handle, name);
  if (symbol == nullptr) {
    const char* why = dlerror();
    *error = std::string("cuBLAS symbol ") + name + " not found: " + (why ? why : "null symbol");
    return false;
  }
  *out = reinterpret_cast<F>(symbol);
  return true;
}

void* open_library(const char* library, std::string* error) {
  // RTLD_LOCAL: cuBLAS's symbols stay out of the global namespace (nothing else links them).
  void* handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (handle != nullptr) return handle;
  const char* why = dlerror();
  std::string text = why ? why : "unknown dlopen error";
  if (std::string(library) == kCublasLibrary) {
    // The unversioned development link, then the toolkit regpath was built with, for a toolkit
    // outside the loader's search path (the link no longer puts it in the RUNPATH).
    for (const std::string& name : {std::string("libcublas.so"),
                                    std::string(REGPATH_CUDA_LIBRARY_DIR) + "/" + kCublasLibrary}) {
      handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle != nullptr) return handle;
    }
  }
  *error = std::string("cuBLAS (") + library + ") could not be loaded: " + text;
  return nullptr;
}

}  // namespace

const CublasApi* load_cublas_from(const char* library, std::string* error) {
  void* handle = open_library(library, error);
  if (handle == nullptr) return nullptr;
  static_assert(sizeof(void*) == sizeof(&::cublasCreate_v2), "function pointers from dlsym");
  auto* api = new CublasApi;  // lives as long as the process (the library is never closed)
  const bool ok = resolve(handle, "cublasCreate_v2", &api->create, error) &&
                  resolve(handle, "cublasDestroy_v2", &api->destroy, error) &&
                  resolve(handle, "cublasSetStream_v2", &api->set_stream, error) &&
                  resolve(handle, "cublasSetMathMode", &api->set_math_mode, error) &&
                  resolve(handle, "cublasSetWorkspace_v2", &api->set_workspace, error) &&
                  resolve(handle, "cublasDgemm_v2", &api->dgemm, error) &&
                  resolve(handle, "cublasSgemm_v2", &api->sgemm, error) &&
                  resolve(handle, "cublasDsyrk_v2", &api->dsyrk, error) &&
                  resolve(handle, "cublasSsyrk_v2", &api->ssyrk, error) &&
                  resolve(handle, "cublasGetStatusName", &api->status_name, error) &&
                  resolve(handle, "cublasGetStatusString", &api->status_string, error);
  if (!ok) {
    *error = std::string("cuBLAS (") + library + ") is unusable: " + *error;
    delete api;
    (void)dlclose(handle);
    return nullptr;
  }
  return api;
}

const CublasApi* cublas_api(std::string* error) {
  static std::once_flag once;
  static const CublasApi* api = nullptr;
  static std::string load_error;
  std::call_once(once, [] { api = load_cublas_from(kCublasLibrary, &load_error); });
  if (api == nullptr && error != nullptr) *error = load_error;
  return api;
}

const CublasApi& cublas() {
  std::string error;
  const CublasApi* api = cublas_api(&error);
  if (api == nullptr) throw DeviceError(error);
  return *api;
}

std::string cublas_status_text(cublasStatus_t status) {
  std::string unloaded;
  const CublasApi* api = cublas_api(&unloaded);
  if (api == nullptr) return "status " + std::to_string(static_cast<int>(status));
  return std::string(api->status_name(status)) + ": " + api->status_string(status);
}

}  // namespace regpath::cuda
