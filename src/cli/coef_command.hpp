// `regpath coef MODEL --output C.csv [--lambda ...]`: the coefficients of a saved model at any λ,
// in regpath fit's --output layout (lambda,intercept,<features>), as glmnet's coef(fit, s,
// exact = FALSE).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace regpath::cli {

std::string coef_help();
int run_coef(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace regpath::cli
