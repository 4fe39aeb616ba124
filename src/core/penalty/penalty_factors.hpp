// The per-feature part of the penalty, held once for a problem: glmnet's penalty factors w_j > 0
// on the backend (for the prox, the certificate and the screening) and on the host (for the
// accelerators, λ_max and the zero test). Coordinate j's penalty is λ·w_j·(α|b| + (1−α)/2·b²)
// (scalar_ops.hpp). Uniform factors (all 1) keep no array at all: the backend ops then take a
// null pointer and do exactly the plain elastic net's arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace regpath {

template <class Backend>
class PenaltyFactors {
 public:
  using T = typename Backend::value_type;

  // w: p factors > 0 (checked by the caller), or empty for all 1.
  void assign(Backend& be, const std::vector<double>& w) {
    host_.clear();
    for (const double v : w)
      if (v != 1.0) {
        host_ = w;
        break;
      }
    if (host_.empty()) return;
    std::vector<T> narrow(host_.begin(), host_.end());
    device_ = be.allocate(narrow.size());
    be.upload(device_.data(), narrow.data(), narrow.size());
  }

  bool uniform() const { return host_.empty(); }
  double operator[](std::int64_t j) const {
    return host_.empty() ? 1.0 : host_[static_cast<std::size_t>(j)];
  }
  // The backend's array of p factors, or null when uniform.
  const T* data() const { return host_.empty() ? nullptr : device_.data(); }
  const std::vector<double>& host() const { return host_; }

 private:
  std::vector<double> host_;
  typename Backend::Buffer device_;
};

}  // namespace regpath
