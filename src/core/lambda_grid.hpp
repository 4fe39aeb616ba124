// The λ grid, glmnet's way.
#pragma once

#include <cstdint>
#include <vector>

namespace regpath {

// λ_max = max_j |c_j| / max(α, 1e-3), c = X̃ᵀ(y − ȳ)/n: the smallest λ with an all-zero
// solution (for α < 1e-3 glmnet uses 1e-3 so that ridge gets a finite start).
double lambda_max_from_correlations(const double* c, std::int64_t p, double alpha);

// glmnet's lambda.min.ratio default: 1e-4 when n ≥ p, else 1e-2 (glmnet tests nobs < nvars).
double default_lambda_min_ratio(std::int64_t n, std::int64_t p);

// nlambda values log-spaced from lambda_max down to ratio·lambda_max (descending).
std::vector<double> log_spaced_path(double lambda_max, int nlambda, double ratio);

// A user's list, in descending order (duplicates kept).
std::vector<double> sorted_descending(std::vector<double> lambdas);

}  // namespace regpath
