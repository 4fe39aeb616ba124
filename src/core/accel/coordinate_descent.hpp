// Cyclic coordinate descent on the gaussian elastic net's quadratic form, on the host in double:
// glmnet's method with covariance updates, the fallback for a column that FISTA and Newton's
// steps leave stalled. Its steps are exact per coordinate, so it does not care that H has
// eigenvalues many orders apart (uncentred standardized columns without an intercept, nearly
// collinear features), which is what stalls a gradient method with step 1/L.
//
//     minimize  ½βᵀHβ − cᵀβ + λα‖β‖₁ + μ/2‖β‖²,   μ = λ(1−α)
//     (= (1/2n)‖ỹ − X̃β‖² − yy/2 + penalty, H = X̃ᵀX̃/n, c = X̃ᵀỹ/n)
//
// With g = Hβ − c kept current, coordinate j moves to
//     β_j ← S(H_jj·β_j − g_j, λα) / (H_jj + μ),   g ← g + H_:j·Δ   (p flops a move)
// A round is one sweep over every feature, then sweeps over the nonzero ones until they stop
// moving (glmnet's active-set cycling); g is recomputed from scratch each round (2p² flops), the
// duality gap (duality_gap.hpp, the solver's own certificate) decides when to stop.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/engine/duality_gap.hpp"
#include "core/engine/scalar_ops.hpp"

namespace regpath {

struct CoordinateDescentResult {
  GapReport report;  // at the returned β, from its recomputed gradient
  double flops = 0;
};

// β (p, in/out) from its current value; H (p × p, column-major), c, yy as above; the penalty
// factors w (p values, empty: all 1) weight coordinate j's λα and μ. Stops when the relative gap
// is at most `target` or after `max_flops` of work.
inline CoordinateDescentResult elastic_net_coordinate_descent(
    const std::vector<double>& H, const std::vector<double>& c, double yy, double lambda,
    double alpha, double target, double max_flops, std::vector<double>& beta,
    const std::vector<double>& factor = {}) {
  const auto p = static_cast<std::int64_t>(c.size());
  const double la = lambda * alpha, mu = lambda * (1 - alpha);
  const auto w = [&factor](std::size_t j) { return factor.empty() ? 1.0 : factor[j]; };
  std::vector<double> g(static_cast<std::size_t>(p));
  CoordinateDescentResult out;
  // g = Hβ − c   (2p² flops), and the certificate at β
  auto refresh = [&] {
    for (std::int64_t i = 0; i < p; ++i) g[static_cast<std::size_t>(i)] = -c[static_cast<std::size_t>(i)];
    for (std::int64_t j = 0; j < p; ++j) {
      const double b = beta[static_cast<std::size_t>(j)];
      if (b == 0) continue;
      const double* h = H.data() + j * p;
      for (std::int64_t i = 0; i < p; ++i) g[static_cast<std::size_t>(i)] += h[i] * b;
    }
    out.flops += 2.0 * double(p) * double(p);
    ops::GapTerms terms;
    for (std::int64_t j = 0; j < p; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      ops::accumulate_gap_terms(terms, beta[uj], g[uj], c[uj], lambda, alpha, w(uj));
    }
    out.report = gaussian_gap(terms, yy, lambda, alpha);
  };
  // One pass over `features`; the largest move, weighted by its curvature.
  auto sweep = [&](const std::vector<std::int64_t>& features) {
    double largest = 0;
    for (const std::int64_t j : features) {
      const auto uj = static_cast<std::size_t>(j);
      const double hjj = H[static_cast<std::size_t>(j + j * p)], den = hjj + mu * w(uj);
      if (!(den > 0)) continue;  // a constant column without ridge: stays zero
      const double old = beta[uj];
      const double next = ops::soft_threshold(hjj * old - g[uj], la * w(uj)) / den;
      const double delta = next - old;
      if (delta == 0) continue;
      beta[uj] = next;
      const double* h = H.data() + j * p;
      for (std::int64_t i = 0; i < p; ++i) g[static_cast<std::size_t>(i)] += h[i] * delta;
      out.flops += 2.0 * double(p);
      largest = std::max(largest, den * delta * delta);
    }
    out.flops += double(features.size());
    return largest;
  };
  std::vector<std::int64_t> all(static_cast<std::size_t>(p)), active;
  for (std::int64_t j = 0; j < p; ++j) all[static_cast<std::size_t>(j)] = j;
  refresh();
  while (out.report.relative() > target && out.flops < max_flops) {
    const double moved = sweep(all);
    active.clear();
    for (std::int64_t j = 0; j < p; ++j)
      if (beta[static_cast<std::size_t>(j)] != 0) active.push_back(j);
    // cycle on the support until its moves are rounding (relative to the objective's scale)
    const double still = 1e-30 * std::max(yy, 1e-300);
    if (moved > still)
      while (out.flops < max_flops && sweep(active) > still) {
      }
    refresh();
    if (moved <= still) break;  // a full sweep moved nothing: as close as this method gets
  }
  return out;
}

}  // namespace regpath
