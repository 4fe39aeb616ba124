// The fixture of the op-by-op backend tests: a backend made after the CUDA check, random data,
// and upload / download of host doubles rounded to the backend's precision.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "backend_types.hpp"
#include "test_support.hpp"

namespace regpath::test {

template <typename B>
class BackendFixture : public ::testing::Test {
 protected:
  using Real = typename B::value_type;

  // The backend is made here, after the check: a CUDA backend cannot be made without a device.
  void SetUp() override {
    if constexpr (is_cuda_backend<B>) {
      std::string why;
      if (!cuda_available(&why)) GTEST_SKIP() << "CUDA not usable: " << why;
    }
    be_.emplace();
  }
  static double tol() { return sizeof(Real) == 8 ? 1e-12 : 2e-5; }

  std::vector<double> random(std::size_t count, double scale = 1.0) {
    std::normal_distribution<double> z;
    std::vector<double> v(count);
    for (auto& x : v) x = scale * z(rng_);
    return v;
  }
  // Uploads host doubles (rounded to T) into a fresh backend buffer.
  typename B::Buffer put(const std::vector<double>& v) {
    typename B::Buffer buf = be_->allocate(v.size());
    std::vector<Real> t(v.begin(), v.end());
    be_->upload(buf.data(), t.data(), t.size());
    return buf;
  }
  std::vector<double> get(const typename B::Buffer& buf, std::size_t count) {
    std::vector<Real> t(count);
    be_->download(t.data(), buf.data(), count);
    be_->synchronize();
    return std::vector<double>(t.begin(), t.end());
  }
  // What the test compares against: the inputs as T would round them, in double.
  static std::vector<double> rounded(std::vector<double> v) {
    for (auto& x : v) x = double(Real(x));
    return v;
  }

  std::optional<B> be_;
  std::mt19937_64 rng_{2026};
};

}  // namespace regpath::test
