// `regpath cv`: cross-validate the path (cv.glmnet's conventions), write the CV curve as CSV,
// state lambda.min / lambda.1se on stdout, optionally write the full-data path and a plot.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace regpath::cli {

std::string cv_help();
// Returns the process exit status; throws UsageError / InputError / std::exception on failure.
int run_cv(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace regpath::cli
