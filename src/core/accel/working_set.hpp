// The working set: the features a block of λ iterates on. Screening (the sequential strong rule)
// picks them; the block's FISTA iterations run on the restricted problem, whose GEMMs are |W|
// wide instead of p; the convergence check runs on the full problem, and a feature outside W
// that violates its optimality condition joins W. So the certificate is never restricted.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/design/gaussian_problem.hpp"

namespace regpath {

template <class Backend>
class WorkingSet {
 public:
  using T = typename Backend::value_type;
  using Buffer = typename Backend::Buffer;
  using Index = std::int64_t;

  explicit WorkingSet(GaussianProblem<Backend>& problem) : pr_(problem), be_(problem.be) {}

  Index size() const { return all_ ? pr_.p : static_cast<Index>(idx_.size()); }
  // The Lipschitz constant of the restricted gradient: a few features correlate less than all of
  // them, so the block's steps can be longer than the full problem's.
  double lipschitz() const { return lipschitz_; }
  bool all() const { return all_; }
  const std::vector<Index>& indices() const { return idx_; }

  // W = the given features (ascending); past half of p the full problem is cheaper than copies.
  void assign(std::vector<Index> features) {
    all_ = 2 * static_cast<Index>(features.size()) > pr_.p;
    if (all_) {
      idx_.resize(static_cast<std::size_t>(pr_.p));
      for (Index j = 0; j < pr_.p; ++j) idx_[static_cast<std::size_t>(j)] = j;
      lipschitz_ = pr_.lipschitz;
      return;
    }
    idx_ = std::move(features);
    const Index m = size();
    if (pr_.gram_form) {
      // H[:, W] (p × |W|), then H_WW and c_W
      reserve(h_cols_, static_cast<std::size_t>(pr_.p * m));
      reserve(h_ww_, static_cast<std::size_t>(m * m));
      reserve(c_w_, static_cast<std::size_t>(m));
      be_.gather_columns(pr_.p, pr_.H.data(), pr_.p, idx_, h_cols_.data());
      be_.gather_rows(m, m, h_cols_.data(), pr_.p, idx_, h_ww_.data(), m);
      be_.gather_rows(m, 1, pr_.c.data(), pr_.p, idx_, c_w_.data(), m);
    } else if (!pr_.sparse()) {
      reserve(x_w_, static_cast<std::size_t>(pr_.rows * m));
      pr_.gather_x_columns(idx_, x_w_.data());
    }  // a sparse X̃_W stays sparse: its products read X̃'s columns of W (no n × |W| copy)
    estimate_lipschitz();
  }

  // G_W = ∇_W f(B_W) for K columns of B_W (|W| × K); R a rows × K workspace (the rows of X̃
  // held here: all n, or this rank's share, the products then summed over the ranks).
  void gradient(const T* Bw, Index K, T* Gw, T* R) {
    if (all_) return pr_.gradient(Bw, K, Gw, R);
    const Index m = size();
    if (pr_.gram_form) {
      // G_W = H_WW·B_W − c_W·1ᵀ   (one GEMM, 2·|W|²·K flops)
      be_.fill_columns(m, K, Gw, m, c_w_.data(), T(-1));
      be_.gemm(false, false, m, K, m, T(1), h_ww_.data(), m, Bw, m, T(1), Gw, m);
    } else {
      // R = X̃_W·B_W − ỹ·1ᵀ   (GEMM, 2·n·|W|·K flops; sparse: 2·(nnz_W + n)·K)
      const Index rows = pr_.rows;
      be_.fill_columns(rows, K, R, rows, pr_.y.data(), T(-1));
      restricted_times(Bw, K, R);
      // G_W = X̃_Wᵀ·R/n   (GEMM, 2·n·|W|·K flops; sparse: 2·(nnz_W + n)·K)
      if (pr_.sparse()) return pr_.sparse_columns_t_times(idx_, K, T(1) / T(pr_.n), R, Gw);
      pr_.columns_t_times(m, K, T(1) / T(pr_.n), x_w_.data(), R, Gw);
    }
  }

  // The full problem at the restricted iterate: B (p × K) = B_W scattered (zero off W), and
  // G = ∇f(B) over all p features, from the restricted data where that is cheaper.
  void full_gradient(const T* Bw, Index K, T* B, T* G, T* R) {
    const Index m = size(), p = pr_.p, n = pr_.n, rows = pr_.rows;
    if (all_) {
      be_.copy(B, Bw, static_cast<std::size_t>(p * K));
      return pr_.gradient(B, K, G, R);
    }
    be_.set_zero(B, static_cast<std::size_t>(p * K));
    be_.scatter_rows(m, K, Bw, m, idx_, B, p);
    if (pr_.gram_form) {
      // G = H[:, W]·B_W − c·1ᵀ   (GEMM, 2·p·|W|·K flops)
      be_.fill_columns(p, K, G, p, pr_.c.data(), T(-1));
      be_.gemm(false, false, p, K, m, T(1), h_cols_.data(), p, Bw, m, T(1), G, p);
    } else {
      // R = X̃_W·B_W − ỹ·1ᵀ, G = X̃ᵀ·R/n   (2 GEMMs, 2·n·(|W| + p)·K flops)
      be_.fill_columns(rows, K, R, rows, pr_.y.data(), T(-1));
      restricted_times(Bw, K, R);
      pr_.xt_times(K, T(1) / T(n), R, G);
    }
  }

  // B_W = the rows W of B (p × K, leading dimension p).
  void restrict_to(const T* B, Index K, T* Bw) {
    if (all_) return be_.copy(Bw, B, static_cast<std::size_t>(pr_.p * K));
    be_.gather_rows(size(), K, B, pr_.p, idx_, Bw, size());
  }

 private:
  // R += X̃_W·B_W (rows × K): dense, the gathered columns' GEMM; sparse, X̃'s own columns.
  void restricted_times(const T* Bw, Index K, T* R) {
    if (pr_.sparse()) return pr_.sparse_columns_times(idx_, K, T(1), Bw, T(1), R);
    const Index m = size(), rows = pr_.rows;
    be_.gemm(false, false, rows, K, m, T(1), x_w_.data(), rows, Bw, m, T(1), R, rows);
  }

  // Fewer power iterations than for the full problem: the solver halves a column's step if its
  // objective rises, and the estimate is capped by the full problem's.
  void estimate_lipschitz() {
    const Index m = size(), n = pr_.n, rows = pr_.rows;
    reserve(xu_, static_cast<std::size_t>(rows));
    const double l = top_eigenvalue(be_, m, 50, 1e-4, [&](const T* u, T* w, T inv_norm) {
      if (pr_.gram_form) {
        // w = H_WW·u/‖u‖   (GEMV, 2·|W|² flops)
        be_.gemm(false, false, m, 1, m, inv_norm, h_ww_.data(), m, u, m, T(0), w, m);
      } else {
        // w = X̃_Wᵀ(X̃_W·u)/(n‖u‖)   (2 GEMVs, 4·n·|W| flops; sparse: 4·(nnz_W + n))
        if (pr_.sparse()) {
          pr_.sparse_columns_times(idx_, 1, inv_norm, u, T(0), xu_.data());
          pr_.sparse_columns_t_times(idx_, 1, T(1) / T(n), xu_.data(), w);
          return;
        }
        be_.gemm(false, false, rows, 1, m, inv_norm, x_w_.data(), rows, u, m, T(0), xu_.data(),
                 rows);
        pr_.columns_t_times(m, 1, T(1) / T(n), x_w_.data(), xu_.data(), w);
      }
    });
    lipschitz_ = std::min(1.03 * l, pr_.lipschitz);
  }

  // Grows a buffer (by half again, so that a growing W reallocates rarely); contents are lost.
  void reserve(Buffer& b, std::size_t count) {
    if (b.size() < count) b = be_.allocate(count + count / 2);
  }

  GaussianProblem<Backend>& pr_;
  Backend& be_;
  bool all_ = true;
  double lipschitz_ = 1;
  std::vector<Index> idx_;
  Buffer h_cols_, h_ww_, c_w_, x_w_, xu_;
};

}  // namespace regpath
