// `regpath fit`: read a CSV, fit the path, write it as CSV, summarise on stderr.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace regpath::cli {

std::string fit_help();
// Returns the process exit status; throws UsageError / InputError / std::exception on failure.
int run_fit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace regpath::cli
