// The λ grid, glmnet's way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace regpath {

// λ_max = max_j (|c_j| / w_j) / max(α, 1e-3), c = X̃ᵀ(y − ȳ)/n, w the penalty factors (null:
// all 1): the smallest λ with an all-zero solution (for α < 1e-3 glmnet uses 1e-3 so that ridge
// gets a finite start).
double lambda_max_from_correlations(const double* c, std::int64_t p, double alpha,
                                    const double* factor = nullptr);

// glmnet's lambda.min.ratio default: 1e-4 when n ≥ p, else 1e-2 (glmnet tests nobs < nvars).
double default_lambda_min_ratio(std::int64_t n, std::int64_t p);

// nlambda values log-spaced from lambda_max down to ratio·lambda_max (descending).
std::vector<double> log_spaced_path(double lambda_max, int nlambda, double ratio);

// β̃ = 0 solves λ exactly when λα ≥ ‖g̃‖∞, g̃ the (standardized) gradient at the null model (its
// KKT condition). The solvers treat λα within this relative slack below ‖g̃‖∞ as zero too: λ_max·α
// may round a few ulps below ‖g̃‖∞, and prox steps there would keep coefficients of 1e-17 where
// glmnet reports zero. Inside the slack the exact solution's coefficients are under that fraction
// of their scale and its objective is within the slack's square of P(0).
template <typename T>
constexpr double zero_solution_slack() {
  return sizeof(T) == 8 ? 1e-12 : 1e-5;
}

// How many λ of an automatic path glmnet keeps (its path loop with glmnet.control's defaults
// fdev 1e-5, devmax 0.999, mnlam 5): from the 5th λ on, the path ends at the first λ_m whose
// deviance ratio D_m exceeds 0.999 or gained less than 1e-5 on D_{m−1} (with relative_gain, the
// gaussian rule: less than 1e-5·D_m; see DatafitTraits::relative_path_end). cv.glmnet's curves
// and its folds' predictions end there too.
std::size_t glmnet_path_length(const std::vector<double>& dev_ratio, bool relative_gain);

// A user's list, in descending order (duplicates kept).
std::vector<double> sorted_descending(std::vector<double> lambdas);

}  // namespace regpath
