// The backends under test, and the reference they are compared with (the CPU backend in double).
#pragma once

#include <gtest/gtest.h>

#include "backends/cpu_backend.hpp"

namespace regpath::test {

using Backends = ::testing::Types<CpuBackend<double>, CpuBackend<float>>;

struct BackendNames {
  template <typename B>
  static std::string GetName(int) {
    return B().name() + (sizeof(typename B::value_type) == 8 ? "_float64" : "_float32");
  }
};

}  // namespace regpath::test
