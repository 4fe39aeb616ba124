#include "core/path/lambda_grid.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace regpath {

double lambda_max_from_correlations(const double* c, std::int64_t p, double alpha,
                                    const double* factor) {
  double m = 0;
  for (std::int64_t j = 0; j < p; ++j)
    m = std::max(m, factor ? std::fabs(c[j]) / factor[j] : std::fabs(c[j]));
  return m / std::max(alpha, 1e-3);
}

double default_lambda_min_ratio(std::int64_t n, std::int64_t p) { return n < p ? 1e-2 : 1e-4; }

std::vector<double> log_spaced_path(double lambda_max, int nlambda, double ratio) {
  std::vector<double> path(static_cast<std::size_t>(nlambda));
  if (nlambda == 1) {
    path[0] = lambda_max;
    return path;
  }
  // λ_m = λ_max · ratio^(m/(nλ−1)); the ends are exact.
  const double log_ratio = std::log(ratio);
  for (int m = 0; m < nlambda; ++m)
    path[static_cast<std::size_t>(m)] = lambda_max * std::exp(log_ratio * m / (nlambda - 1));
  return path;
}

std::size_t glmnet_path_length(const std::vector<double>& dev_ratio, bool relative_gain) {
  constexpr double kFdev = 1e-5, kDevmax = 0.999;
  constexpr std::size_t kMnlam = 5;
  for (std::size_t m = kMnlam; m <= dev_ratio.size(); ++m) {  // m counts from 1, as glmnet's
    const double d = dev_ratio[m - 1], gain = d - dev_ratio[m - 2];
    if (d > kDevmax || gain < (relative_gain ? kFdev * d : kFdev)) return m;
  }
  return dev_ratio.size();
}

std::vector<double> sorted_descending(std::vector<double> lambdas) {
  std::sort(lambdas.begin(), lambdas.end(), std::greater<double>());
  return lambdas;
}

}  // namespace regpath
