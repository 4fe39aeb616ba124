// `regpath fit`: read a CSV, fit the path, write it as CSV, summarise on stderr. Also the pieces
// that `regpath cv` shares with it, so that both commands read the same flags and data the same
// way and write paths in one format.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <ostream>
#include <string>
#include <vector>

#include "cli/cli_args.hpp"
#include "cli/csv_table.hpp"
#include "cli/output_files.hpp"
#include "cli/svg_plot.hpp"
#include "cli/matrix_market.hpp"
#include "regpath/regpath.hpp"

namespace regpath::cli {

std::string fit_help();
// Returns the process exit status; throws UsageError / InputError / std::exception on failure.
int run_fit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// ---- shared with regpath cv ---------------------------------------------------------------------

// The flags that describe the model and the solver: --family, --alpha, --lambda, --nlambda,
// --lambda-min-ratio, --no-standardize, --no-intercept, --tol, --max-iter, --device,
// --precision, --block-size, --threads (in that order, for the help text).
std::vector<FlagSpec> model_flags();
// fit's summary on stderr: the λ range, the device, iterations, the worst gap, the lambdas that
// did not converge (n: the observations).
void summarise(const Path& fit, const Options& o, std::int64_t n, double tol, std::ostream& err);
// --device's value: auto, cpu or cuda (else a UsageError naming it).
Device parse_device(const std::string& s);
// glmnet's plot(fit, xvar = "lambda"): every feature that is ever nonzero, against log(λ); the
// title names the response when one is given (several responses: one plot each).
PlotSpec coefficient_plot(const Path& fit, const std::vector<std::string>& names, double alpha,
                          const std::string& response = "");
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
  std::vector<double> X;           // n × p, column-major (unless `mapped`)
  std::vector<double> y;
  std::int64_t n = 0;
  // A Fortran-order float64 .npy file is used in place: X stays empty, `mapped` points into the
  // file's memory mapping and `keep` keeps the mapping alive.
  const double* mapped = nullptr;
  std::shared_ptr<const void> keep;

  std::int64_t p() const { return static_cast<std::int64_t>(names.size()); }
  const double* x_data() const { return mapped != nullptr ? mapped : X.data(); }
  MatrixView<double> view() const { return {x_data(), n, p(), n}; }
};
// Throws InputError naming the file when it cannot be read or has no features or < 2 rows.
Design read_design(const std::string& path, const std::string& response);
// The same from a parsed table (any number of rows: a rank's block under mpirun).
Design design_from_table(const CsvTable& table, const std::string& response);

// Where the data comes from, from the command line: DATA (a CSV, or a .npy array told by its
// magic bytes) and the response (--response NAME, a column of DATA.csv; or --response-file).
struct DataSpec {
  std::string data;
  bool npy = false;
  std::optional<std::string> response;       // --response NAME
  std::optional<std::string> response_file;  // --response-file FILE
  std::optional<std::string> feature_names;  // --feature-names FILE (.npy or HDF5 DATA)
  bool hdf5 = false;                          // DATA is an HDF5 file (by its signature)
  std::optional<std::string> x_dataset;       // --x-dataset NAME (HDF5 DATA)
  std::optional<std::string> y_dataset;       // --y-dataset NAME (HDF5 DATA)
  bool mtx = false;  // DATA is a Matrix Market file (sparse X; matrix_market.hpp): fit only
  // The input files, for check_outputs: DATA.csv and whichever of the other two are given.
  std::vector<NamedPath> inputs() const;
};
// The flags --response, --response-file, --feature-names, --x-dataset, --y-dataset (in that
// order, for the help text);
// `response_help` is --response's own text.
std::vector<FlagSpec> data_flags(const std::string& response_help);
// Checks the combination (a UsageError prefixed with `command`) before anything is read.
DataSpec data_spec(const ParsedArgs& a, const std::string& command);
// The features' names of a DATA without a header (.npy, .mtx): --feature-names FILE (one per
// column, an InputError naming both files otherwise) or x1..xp.
std::vector<std::string> feature_names_for(const DataSpec& spec, std::int64_t cols);
// Reads the design: DATA.csv with --response or --response-file, DATA.npy with --response-file,
// or an HDF5 DATA with --x-dataset and --y-dataset or --response-file (feature names x1..xp or
// --feature-names). InputError naming the file on any
// problem: rows ≥ 2, a feature, a response length equal to X's rows, every value finite.
Design load_design(const DataSpec& spec);
// The features alone, as load_design reads them with --response-file or --y-dataset (a DATA.csv:
// every column); design.y stays empty.
Design load_features(const DataSpec& spec);
// What fit --help and cv --help say about the input formats.
std::string data_formats_help();

// The library's ColumnError as an InputError naming the column of DATA.csv (its header name).
[[noreturn]] void rethrow_column_error(const ColumnError& e, const Design& d);
// The library's std::invalid_argument `e` about the weights (from --weights FILE) or the offset
// (the --offset column of DATA) as an InputError naming that file or column; any other `e` is
// rethrown as it is (so: call it inside the catch handler of `e`). For fit's and cv's handlers.
[[noreturn]] void rethrow_naming_inputs(const std::invalid_argument& e, const Design& d,
                                        const std::optional<std::string>& weights_file,
                                        const std::optional<std::string>& offset_name);

// ---- a sparse X: a Matrix Market DATA (matrix_market.hpp), for fit and cv ----------------------
// The sparse X and its Design (names, rows, the response; X itself stays empty), with a notice
// on `err` (unless quiet) of the duplicate entries summed. InputError as load_design.
struct SparseInput {
  SparseX x;
  Design design;
};
SparseInput load_sparse_input(const DataSpec& spec, bool quiet, std::ostream& err);
// The same without a response (several responses come from their own file): design.y empty,
// no notice.
SparseInput load_sparse_features(const DataSpec& spec);
// What a sparse X does not take on the command line, refused before anything is read: a
// UsageError naming the flag (--offset: a Matrix Market X has no named columns; --device cuda).
void refuse_for_sparse_x(const ParsedArgs& a, const Options& o, const DataSpec& spec,
                         const std::string& command);
// The library's refusals of what sparse X does not take yet ("sparse X: ..."), a command-line
// choice, as a UsageError naming DATA; anything else returns (the caller rethrows it).
void rethrow_sparse_refusal(const std::invalid_argument& e, const DataSpec& spec,
                            const std::string& command);
// The features' standardization, as make_model records it from a dense X (model.cpp's
// record_standardization), from the sparse columns: the zeros add (n − nnz_j)·mean² to the sum
// of squares.
void record_sparse_standardization(Model& m, const SparseX& x);

// glmnet's print(fit) (--print-path): one line per λ with the nonzero count (Df), the deviance
// explained (%Dev), λ, the iterations, Newton steps, gap and status. std::runtime_error naming
// the quantity when one is not finite (nothing is printed then).
void print_path(const Path& fit, std::ostream& out);

// The path as CSV: lambda,intercept,<names>, one row per λ, numbers that read back exactly.
std::string path_csv(const std::vector<std::string>& names, const Path& fit);
// A multinomial path as CSV: lambda,class,intercept,<names>, one row per (λ, class), class
// being labels[c] (the response's value of class c).
std::string multinomial_path_csv(const std::vector<std::string>& names, const Path& fit,
                                 const std::vector<double>& labels);
// Family multinomial: the response recoded as classes 0 … C−1 (glmnet's factor levels: its
// distinct values, sorted), returning class c's label; InputError for a single class. Other
// families: nothing, d untouched.
std::vector<double> response_classes(Design& d, const Options& options);
// A model with the response's class labels (response_classes'; multinomial) in the place of
// make_model's 0 … C−1; other families (no labels): m as it is.
Model with_class_labels(Model m, const std::vector<double>& labels);
// path_csv written to `path` whole or not at all (output_files.hpp).
void write_path_csv(const std::string& path, const std::vector<std::string>& names,
                    const Path& fit);

}  // namespace regpath::cli
