// The linear predictors of a prediction on a backend (the GPU's, for large X): the rows of X in
// blocks, each uploaded in the backend's precision, and one GEMM per block against the
// interpolated coefficients, uploaded once. Device memory stays O((rows_per_block + m)·p +
// rows_per_block·m), whatever n. Private; predict_device.cpp runs it, the tests run it on the
// CPU backend too (the same code, any block size).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "regpath/regpath.hpp"

namespace regpath::detail {

// η (n × m, column-major, double) = 1·β0ᵀ + X·B for c's m coefficient columns B (p × m).
template <class Backend, typename In>
std::vector<double> linear_predictors(Backend& be, const MatrixView<In>& X, const Coefficients& c,
                                      std::int64_t rows_per_block) {
  using T = typename Backend::value_type;
  const std::int64_t n = X.rows, p = X.cols;
  const auto m = static_cast<std::int64_t>(c.intercepts.size());
  std::vector<double> eta(static_cast<std::size_t>(n * m));
  if (n == 0 || m == 0) return eta;
  const std::int64_t r = std::max<std::int64_t>(1, std::min(n, rows_per_block));
  std::vector<T> host(static_cast<std::size_t>(std::max(r * p, p * m)));
  std::copy(c.coefs.begin(), c.coefs.end(), host.begin());  // B in T
  auto B = be.allocate(static_cast<std::size_t>(p * m));
  be.upload(B.data(), host.data(), static_cast<std::size_t>(p * m));
  auto Xb = be.allocate(static_cast<std::size_t>(r * p));
  auto E = be.allocate(static_cast<std::size_t>(r * m));
  std::vector<T> block_eta(static_cast<std::size_t>(r * m));
  for (std::int64_t i0 = 0; i0 < n; i0 += r) {
    const std::int64_t rows = std::min(r, n - i0);
    for (std::int64_t j = 0; j < p; ++j)
      for (std::int64_t i = 0; i < rows; ++i)
        host[std::size_t(i + j * rows)] = static_cast<T>(X(i0 + i, j));
    be.upload(Xb.data(), host.data(), static_cast<std::size_t>(rows * p));
    // E = X_block·B   (one GEMM, 2·rows·p·m flops)
    be.gemm(false, false, rows, m, p, T(1), Xb.data(), rows, B.data(), p, T(0), E.data(), rows);
    be.download(block_eta.data(), E.data(), static_cast<std::size_t>(rows * m));
    for (std::int64_t k = 0; k < m; ++k)
      for (std::int64_t i = 0; i < rows; ++i)
        eta[std::size_t(i0 + i + k * n)] =
            c.intercepts[std::size_t(k)] + double(block_eta[std::size_t(i + k * rows)]);
  }
  return eta;
}

}  // namespace regpath::detail
