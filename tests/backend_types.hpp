// The backends under test, and the reference they are compared with (the CPU backend in double).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

#include "backends/cpu_backend.hpp"
#include "backends/cuda_backend.hpp"  // no CUDA types: includable in every build

namespace regpath::test {

#if defined(REGPATH_HAS_CUDA)
using Backends = ::testing::Types<CpuBackend<double>, CpuBackend<float>, CudaBackend<double>,
                                  CudaBackend<float>>;
#else
using Backends = ::testing::Types<CpuBackend<double>, CpuBackend<float>>;
#endif

// Whether B needs a usable CUDA device (its tests skip without one).
template <typename B>
constexpr bool is_cuda_backend = !std::is_same_v<B, CpuBackend<typename B::value_type>>;

// Names the typed tests without constructing a backend (a CUDA one needs a device).
struct BackendNames {
  template <typename B>
  static std::string GetName(int) {
    return std::string(is_cuda_backend<B> ? "cuda" : "cpu") +
           (sizeof(typename B::value_type) == 8 ? "_float64" : "_float32");
  }
};

}  // namespace regpath::test
