// The per-feature part of the penalty, held once for a problem, on the backend (for the prox,
// the certificate and the screening: ops::FeaturePenalty, core/penalty/feature_penalty.hpp) and
// on the host (for the accelerators, λ_max and the zero test):
//   - glmnet's penalty factors w_j ≥ 0: coordinate j's penalty is λ·w_j·(α|b| + (1−α)/2·b²);
//   - glmnet's lower and upper limits, on the solver's (standardized) scale: lo_j ≤ β̃_j ≤ hi_j,
//     per group of columns (one group for a gaussian problem; the GLM batch's folds, each on
//     its own scale, are groups 0 … F: the whole data, then fold f at f + 1).
// Uniform factors and no bounds keep no arrays at all: the backend ops then take null pointers
// and do exactly the plain elastic net's arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/penalty/feature_penalty.hpp"

namespace regpath {

template <class Backend>
class ProblemPenalty {
 public:
  using T = typename Backend::value_type;
  using Index = std::int64_t;

  // w: p factors ≥ 0 (checked by the caller; 0, an unpenalized feature, in the GLM batch only:
  // its prox the identity, its certificate the solver's), or empty for all 1.
  void assign_factors(Backend& be, const std::vector<double>& w) {
    factors_.clear();
    for (const double v : w)
      if (v != 1.0) {
        factors_ = w;
        break;
      }
    if (!factors_.empty()) factor_dev_ = upload(be, factors_);
  }

  // lower, upper: p × groups (column-major) bounds with lower ≤ 0 ≤ upper (±∞ allowed), or
  // both empty for none.
  void assign_bounds(Backend& be, Index p, std::vector<double> lower, std::vector<double> upper) {
    p_ = p;
    lower_ = std::move(lower);
    upper_ = std::move(upper);
    if (lower_.empty()) return;
    lower_dev_ = upload(be, lower_);
    upper_dev_ = upload(be, upper_);
  }

  bool uniform() const { return factors_.empty(); }
  bool bounded() const { return !lower_.empty(); }
  double w(Index j) const { return factors_.empty() ? 1.0 : factors_[std::size_t(j)]; }
  double lo(Index j, Index group = 0) const {
    return lower_.empty() ? -std::numeric_limits<double>::infinity()
                          : lower_[std::size_t(j + group * p_)];
  }
  double hi(Index j, Index group = 0) const {
    return upper_.empty() ? std::numeric_limits<double>::infinity()
                          : upper_[std::size_t(j + group * p_)];
  }
  const std::vector<double>& factors() const { return factors_; }  // empty: all 1

  // The backend's view, for p features; `col` (the GLM columns' parameters) picks each
  // column's group by its fold.
  ops::FeaturePenalty<T> view(Index p, const T* col = nullptr) const {
    ops::FeaturePenalty<T> v;
    v.factor = factors_.empty() ? nullptr : factor_dev_.data();
    v.lower = lower_.empty() ? nullptr : lower_dev_.data();
    v.upper = lower_.empty() ? nullptr : upper_dev_.data();
    v.col = col;
    v.p = p;
    return v;
  }

 private:
  static typename Backend::Buffer upload(Backend& be, const std::vector<double>& host) {
    std::vector<T> narrow(host.begin(), host.end());
    typename Backend::Buffer b = be.allocate(narrow.size());
    be.upload(b.data(), narrow.data(), narrow.size());
    return b;
  }

  Index p_ = 0;
  std::vector<double> factors_, lower_, upper_;
  typename Backend::Buffer factor_dev_, lower_dev_, upper_dev_;
};

}  // namespace regpath
