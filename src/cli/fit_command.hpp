// `regpath fit`: read a CSV, fit the path, write it as CSV, summarise on stderr. Also the pieces
// that `regpath cv` shares with it, so that both commands read the same flags and data the same
// way and write paths in one format.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "cli/cli_args.hpp"
#include "regpath/regpath.hpp"

namespace regpath::cli {

std::string fit_help();
// Returns the process exit status; throws UsageError / InputError / std::exception on failure.
int run_fit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// ---- shared with regpath cv ---------------------------------------------------------------------

// The flags that describe the model and the solver: --family, --alpha, --lambda, --nlambda,
// --lambda-min-ratio, --no-standardize, --no-intercept, --tol, --max-iter, --device,
// --precision, --block-size (in that order, for the help text).
std::vector<FlagSpec> model_flags();
// Those flags → Options, checked by the library (validate_options); a bad value is a UsageError
// prefixed with `command` ("regpath fit").
Options options_from(const ParsedArgs& a, const std::string& command);
// With --device auto, when a CUDA device is present but unusable (a broken cuBLAS, a build for
// another architecture: regpath falls back to the CPU), one notice line on err saying why.
void notice_device_fallback(const Options& o, std::ostream& err);
// Whether cuda_available's reason says a device is there but fails (it starts "CUDA device <n>",
// kernels/cuda_runtime.cu), rather than that there is none or CUDA was not built.
bool cuda_present_but_unusable(const std::string& why_not);
// The tolerance the library uses for these options (for summaries).
double effective_tol(const Options& o);

// The single positional DATA.csv and the value of a required flag; UsageError when missing.
std::string data_path_arg(const ParsedArgs& a, const std::string& command);
std::string required_arg(const ParsedArgs& a, const std::string& command, const std::string& flag,
                         const std::string& metavar);

// DATA.csv as a design: the response column and every other column as a feature.
struct Design {
  std::string source;              // the file, for messages
  std::vector<std::string> names;  // the features, in input order
  std::vector<double> X;           // n × p, column-major
  std::vector<double> y;
  std::int64_t n = 0;

  std::int64_t p() const { return static_cast<std::int64_t>(names.size()); }
  MatrixView<double> view() const { return {X.data(), n, p(), n}; }
};
// Throws InputError naming the file when it cannot be read or has no features or < 2 rows.
Design read_design(const std::string& path, const std::string& response);

// The library's ColumnError as an InputError naming the column of DATA.csv (its header name).
[[noreturn]] void rethrow_column_error(const ColumnError& e, const Design& d);

// The path as CSV: lambda,intercept,<names>, one row per λ, numbers that read back exactly.
std::string path_csv(const std::vector<std::string>& names, const Path& fit);
// path_csv written to `path` whole or not at all (output_files.hpp).
void write_path_csv(const std::string& path, const std::vector<std::string>& names,
                    const Path& fit);

}  // namespace regpath::cli
