// Sums over the ranks of values in a backend's memory, for the design layers whose rows are
// split between ranks (GaussianProblem's SplitRows, GlmBatchProblem's): a product over this
// rank's rows becomes the product over all rows. Summed in double (Communicator::sum), the same
// bits on every rank; the host staging is kept between calls (a direct-form path sums at every
// iteration). Private.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "regpath/distributed.hpp"

namespace regpath::detail {

template <class Backend>
class RankSums {
 public:
  using T = typename Backend::value_type;

  // M ← Σ over the ranks of M (count values in backend memory); nothing without a communicator.
  void operator()(const Communicator* comm, Backend& be, T* M, std::size_t count) {
    if (comm == nullptr) return;
    staging_.resize(count);
    values_.resize(count);
    be.download(staging_.data(), M, count);
    std::copy(staging_.begin(), staging_.end(), values_.begin());
    comm->sum(values_.data(), count);
    for (std::size_t i = 0; i < count; ++i) staging_[i] = static_cast<T>(values_[i]);
    be.upload(M, staging_.data(), count);
  }

 private:
  std::vector<T> staging_;
  std::vector<double> values_;
};

}  // namespace regpath::detail
