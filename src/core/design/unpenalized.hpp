// Unpenalized features (glmnet's penalty.factor = 0) of the gaussian problem, partialled out.
//
// With Z the standardized unpenalized columns (n × k) and X̃ the others, the objective
//     (1/2n)‖ỹ − X̃β − Zγ‖² + penalty(β)
// is minimized over γ for each β by γ(β) = (ZᵀZ)⁻¹Zᵀ(ỹ − X̃β), which leaves
//     (1/2n)‖P(ỹ − X̃β)‖² + penalty(β),   P = I − Z(ZᵀZ)⁻¹Zᵀ,
// the same elastic net on PX̃ and Pỹ — just as centring partials out the intercept (Z = 1). So
// the solver, its certificate, screening and accelerators need nothing new: Z's own columns of
// X̃ become zero (PZ = 0), like constant columns, and their coefficients stay 0 in the solver;
// γ is recovered afterwards, γ = m − M·β with m = (ZᵀZ)⁻¹Zᵀỹ and M = (ZᵀZ)⁻¹ZᵀX̃. λ_max is
// then glmnet's: the correlations of the residual after fitting Z (Pỹ), since X̃ᵀPỹ = (PX̃)ᵀPỹ.
// The duality gap is the partialled problem's, whose optimum is the full problem's.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/accel/dense_cholesky.hpp"

namespace regpath {

struct Unpenalized {
  std::vector<std::int64_t> features;  // Z's columns, ascending (non-constant ones only)
  std::vector<double> base;            // m = (ZᵀZ)⁻¹Zᵀỹ, k values
  std::vector<double> map;             // M = (ZᵀZ)⁻¹ZᵀX̃, k × p (column-major)

  bool empty() const { return features.empty(); }

  // γ = m − M·β for standardized β (p values): the unpenalized coefficients, standardized.
  template <typename T>
  std::vector<double> coefficients(const std::vector<T>& beta) const {
    const auto k = features.size();
    std::vector<double> gamma(base);
    for (std::size_t j = 0; j < beta.size(); ++j) {
      const double b = double(beta[j]);
      if (b == 0) continue;
      for (std::size_t u = 0; u < k; ++u) gamma[u] -= map[u + j * k] * b;
    }
    return gamma;
  }
};

// m = G⁻¹a and M = G⁻¹A from the moments G = ZᵀZ/n (k × k), A = ZᵀX̃/n (k × p, column-major),
// a = Zᵀỹ/n (Cholesky on the host: k is small); std::invalid_argument when Z's columns are
// collinear. `out.features` is set by the caller.
inline void solve_unpenalized(Unpenalized& out, std::vector<double> G, std::vector<double> A,
                              std::vector<double> a, std::int64_t p) {
  using Index = std::int64_t;
  const auto k = static_cast<Index>(out.features.size());
  double largest = 0;
  for (Index u = 0; u < k; ++u) largest = std::fmax(largest, G[std::size_t(u + u * k)]);
  if (!dense::factor(G.data(), k, k, 1e-10 * largest))
    throw std::invalid_argument(
        "invalid penalty_factors: the unpenalized features (factor 0) are collinear, so their "
        "coefficients are not determined; drop one of them");
  const auto solve = [&](double* b) {
    dense::forward_solve(G.data(), k, k, b);
    dense::backward_solve(G.data(), k, k, b);
  };
  for (Index j = 0; j < p; ++j) solve(A.data() + j * k);
  solve(a.data());
  out.map = std::move(A);
  out.base = std::move(a);
}

// Partials `features` out of X̃ (n × p, backend memory, standardized) and ỹ (n), in place:
// X̃ ← X̃ − Z·M, ỹ ← ỹ − Z·m, Z's columns set to exactly zero. Constant columns (scale 0: already
// zero) are left out. std::invalid_argument when Z's columns are collinear.
// Rows split between ranks: X̃ and ỹ hold this rank's n rows, n_total every rank's, and
// `sum_over_ranks(values, count)` (backend memory) sums G, A and a over the ranks, so every rank
// solves for the same m and M and transforms its own rows.
template <class Backend, class SumOverRanks>
Unpenalized partial_out(Backend& be, std::int64_t n, std::int64_t p,
                        typename Backend::value_type* X, typename Backend::value_type* y,
                        const std::vector<std::int64_t>& features,
                        const std::vector<double>& scale, std::int64_t n_total,
                        SumOverRanks sum_over_ranks) {
  using T = typename Backend::value_type;
  using Index = std::int64_t;
  Unpenalized out;
  for (const Index j : features)
    if (scale[static_cast<std::size_t>(j)] > 0) out.features.push_back(j);
  const Index k = static_cast<Index>(out.features.size());
  if (k == 0) return out;
  const auto uk = static_cast<std::size_t>(k);
  auto Z = be.allocate(static_cast<std::size_t>(n) * uk);
  be.gather_columns(n, X, n, out.features, Z.data());
  // G = ZᵀZ/n, A = ZᵀX̃/n, a = Zᵀỹ/n   (GEMMs, 2·n·k·(k + p + 1) flops)
  auto G = be.allocate(uk * uk), A = be.allocate(uk * static_cast<std::size_t>(p)),
       a = be.allocate(uk);
  const T inv_n = T(1) / T(n_total);
  be.gemm(true, false, k, k, n, inv_n, Z.data(), n, Z.data(), n, T(0), G.data(), k);
  be.gemm(true, false, k, p, n, inv_n, Z.data(), n, X, n, T(0), A.data(), k);
  be.gemm(true, false, k, 1, n, inv_n, Z.data(), n, y, n, T(0), a.data(), k);
  sum_over_ranks(G.data(), uk * uk);
  sum_over_ranks(A.data(), uk * static_cast<std::size_t>(p));
  sum_over_ranks(a.data(), uk);
  std::vector<T> g_host(uk * uk), a_host(uk), m_host(uk * static_cast<std::size_t>(p));
  be.download(g_host.data(), G.data(), g_host.size());
  be.download(m_host.data(), A.data(), m_host.size());
  be.download(a_host.data(), a.data(), a_host.size());
  // M = G⁻¹A, m = G⁻¹a
  solve_unpenalized(out, std::vector<double>(g_host.begin(), g_host.end()),
                    std::vector<double>(m_host.begin(), m_host.end()),
                    std::vector<double>(a_host.begin(), a_host.end()), p);
  for (std::size_t e = 0; e < m_host.size(); ++e) m_host[e] = static_cast<T>(out.map[e]);
  for (std::size_t u = 0; u < uk; ++u) a_host[u] = static_cast<T>(out.base[u]);
  be.upload(A.data(), m_host.data(), m_host.size());
  be.upload(a.data(), a_host.data(), a_host.size());
  // X̃ ← X̃ − Z·M, ỹ ← ỹ − Z·m   (GEMMs, 2·n·k·(p + 1) flops)
  be.gemm(false, false, n, p, k, T(-1), Z.data(), n, A.data(), k, T(1), X, n);
  be.gemm(false, false, n, 1, k, T(-1), Z.data(), n, a.data(), k, T(1), y, n);
  for (const Index j : out.features) be.set_zero(X + j * n, static_cast<std::size_t>(n));
  return out;
}

// All rows here.
template <class Backend>
Unpenalized partial_out(Backend& be, std::int64_t n, std::int64_t p,
                        typename Backend::value_type* X, typename Backend::value_type* y,
                        const std::vector<std::int64_t>& features,
                        const std::vector<double>& scale) {
  return partial_out(be, n, p, X, y, features, scale, n,
                     [](typename Backend::value_type*, std::size_t) {});
}

}  // namespace regpath
