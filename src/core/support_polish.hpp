// Newton's step on the support. With the signs of β̃ fixed, the optimality conditions on the
// support S are linear,
//     (H_SS + λ(1−α)I)·β_S = c_S − λα·sign(β_S),
// and solving them gives the exact solution once FISTA has the right support: objectives converge
// faster than coefficients on ill-conditioned data, and this closes the difference. The caller
// keeps the result only if the duality gap shrinks.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/dense_cholesky.hpp"
#include "core/gaussian_problem.hpp"

namespace regpath {

template <class Backend>
class SupportPolish {
 public:
  using T = typename Backend::value_type;
  using Buffer = typename Backend::Buffer;
  using Index = std::int64_t;

  // Supports of up to `limit` features are solved (dense Cholesky on the host, |S|³/3 flops).
  SupportPolish(GaussianProblem<Backend>& problem, Index limit)
      : pr_(problem), be_(problem.be), limit_(std::min(limit, problem.p)) {
    const auto rows = static_cast<std::size_t>(pr_.gram_form ? pr_.p : pr_.n);
    cols_ = be_.allocate(rows * static_cast<std::size_t>(limit_));
    if (!pr_.gram_form) gram_ = be_.allocate(static_cast<std::size_t>(limit_ * limit_));
  }

  // β (standardized, p values, in/out): the solution of the system on its support, if the
  // support is small enough, the system positive definite and every sign kept; else false and
  // β unspecified.
  bool solve(std::vector<T>& beta, double lambda, double alpha) {
    support_.clear();
    for (Index j = 0; j < pr_.p; ++j)
      if (beta[static_cast<std::size_t>(j)] != T(0)) support_.push_back(j);
    const auto m = static_cast<Index>(support_.size());
    if (m == 0 || m > limit_) return false;
    if (pr_.gram_form) {
      // H[:, S], of which the rows S are kept
      be_.gather_columns(pr_.p, pr_.H.data(), pr_.p, support_, cols_.data());
      block_.resize(static_cast<std::size_t>(pr_.p * m));
      be_.download(block_.data(), cols_.data(), block_.size());
    } else {
      // H_SS = X̃_Sᵀ·X̃_S/n   (GEMM, 2·n·|S|² flops)
      be_.gather_columns(pr_.n, pr_.x(), pr_.n, support_, cols_.data());
      be_.gemm(true, false, m, m, pr_.n, T(1) / T(pr_.n), cols_.data(), pr_.n, cols_.data(),
               pr_.n, T(0), gram_.data(), m);
      block_.resize(static_cast<std::size_t>(m * m));
      be_.download(block_.data(), gram_.data(), block_.size());
    }
    const Index ld = pr_.gram_form ? pr_.p : m;
    A_.assign(static_cast<std::size_t>(m * m), 0.0);
    x_.assign(static_cast<std::size_t>(m), 0.0);
    for (Index b = 0; b < m; ++b) {
      for (Index a = 0; a < m; ++a) {
        const Index row = pr_.gram_form ? support_[static_cast<std::size_t>(a)] : a;
        A_[static_cast<std::size_t>(a + b * m)] = double(block_[static_cast<std::size_t>(row + b * ld)]);
      }
      A_[static_cast<std::size_t>(b + b * m)] += lambda * (1.0 - alpha);
      const auto j = static_cast<std::size_t>(support_[static_cast<std::size_t>(b)]);
      const double sign = beta[j] > T(0) ? 1.0 : -1.0;
      x_[static_cast<std::size_t>(b)] = pr_.c_host[j] - lambda * alpha * sign;
    }
    if (!cholesky_solve(A_, m, x_)) return false;
    for (Index a = 0; a < m; ++a) {
      const auto j = static_cast<std::size_t>(support_[static_cast<std::size_t>(a)]);
      const double v = x_[static_cast<std::size_t>(a)];
      if (alpha > 0 && !((v > 0) == (beta[j] > T(0)) && v != 0)) return false;
      beta[j] = static_cast<T>(v);
    }
    return true;
  }

 private:
  GaussianProblem<Backend>& pr_;
  Backend& be_;
  Index limit_;
  Buffer cols_, gram_;
  std::vector<Index> support_;
  std::vector<T> block_;
  std::vector<double> A_, x_;
};

}  // namespace regpath
