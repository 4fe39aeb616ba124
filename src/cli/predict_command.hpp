// `regpath predict MODEL NEW.csv --output P.csv` and `regpath coef MODEL --output C.csv`: a
// saved model (fit or cv --save-model) used on new data, as glmnet's predict / coef with
// exact = FALSE. Also the pieces both share: the --lambda list of a model (numbers,
// lambda.min, lambda.1se) and the warning for λ beyond the path.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/cli_args.hpp"
#include "regpath/regpath.hpp"

namespace regpath::cli {

std::string predict_help();
int run_predict(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The λ asked for by --lambda (numbers ≥ 0, lambda.min, lambda.1se, comma-separated, any mix;
// the names need a cv model), or the model's default (every λ of a fit, a cv's lambda.1se).
std::vector<double> requested_lambdas(const ParsedArgs& a, const Model& model,
                                      const std::string& model_file, const std::string& command);
// One warning per λ beyond the model's path: the nearest end is used (as glmnet does).
void warn_outside_path(const Coefficients& c, const Model& model, const std::string& command,
                       std::ostream& err);

}  // namespace regpath::cli
