// Several responses in one `regpath fit` / `regpath cv` run (regpath.hpp's fit(X, Y)): which
// columns of DATA.csv are responses (--response A,B,C or --responses-file NAMES.txt), the design
// with them left out, and the outputs with a leading response column. With one response the
// commands are unchanged (this file is not used).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_args.hpp"
#include "cli/fit_command.hpp"
#include "cli/progress.hpp"
#include "regpath/distributed.hpp"
#include "regpath/regpath.hpp"

namespace regpath::cli {

// --responses-file's help line.
FlagSpec responses_file_flag();

// The response names when more than one is asked for: --responses-file NAMES.txt (one name a
// line) or a --response list with a comma that is not itself a column name of DATA.csv.
// nullopt: one response (today's commands; a NAMES.txt with one name becomes --response NAME
// in `a`). UsageError for a combination that does not work with several responses (a .npy or
// HDF5 DATA, --response-file, a repeated name).
std::optional<std::vector<std::string>> many_response_names(ParsedArgs& a,
                                                            const std::string& command);

// DATA.csv with the responses as Y (n × m, in the order named) and every other column a feature.
struct ManyDesign {
  Design design;  // X and the features' names; design.y is empty
  // a sparse DATA (Matrix Market, .npz): X in compressed columns, design.X empty
  std::shared_ptr<const SparseX> sparse;
  std::vector<std::string> responses;
  std::vector<double> Y;
  std::string response_source;  // a response file (response_file.hpp); empty: DATA.csv
  // under mpirun design and Y hold this rank's rows, rows first_row… of all_rows; in one
  // process all_rows = design.n
  std::int64_t all_rows = 0, first_row = 0;
  std::int64_t m() const { return static_cast<std::int64_t>(responses.size()); }
  MatrixView<double> Yv() const { return {Y.data(), design.n, m(), design.n}; }
};
ManyDesign read_many_design(const std::string& path, const std::vector<std::string>& responses);
// The same from a table already read (under mpirun, a rank's block of rows: any count of them).
ManyDesign many_design_from_table(const CsvTable& table,
                                  const std::vector<std::string>& responses);

// One response's model (make_model of its Path or CvResult), the standardization recorded from
// the design's X, dense or sparse.
template <class Result>
Model response_model(const Result& result, const Options& options, const ManyDesign& d) {
  const MatrixView<double> X = d.design.view();
  Model m = make_model(result, options, d.design.names, d.sparse ? nullptr : &X);
  if (d.sparse) record_sparse_standardization(m, *d.sparse);
  return m;
}

// Several responses from any source (response_file.hpp's many_source): the files read (for
// check_outputs), DATA's path (fold ids name it) and the reading, done once the outputs are
// checked.
struct ManySource {
  std::vector<NamedPath> inputs;
  std::string data;
  std::optional<DataSpec> sparse;  // DATA's spec when it is a sparse X (refuse_for_sparse_x)
  bool csv = true;                 // DATA is a CSV file (named columns: --offset takes one)
  std::function<ManyDesign()> load;
  // under mpirun: this rank's rows (rank_rows.hpp's read_rank_many_design); collective
  std::function<ManyDesign(const Communicator&)> load_rows;
};

// A library ResponseError as an InputError naming the response (its column of DATA.csv or of the
// response file).
[[noreturn]] void rethrow_response_error(const ResponseError& e, const ManyDesign& d);

// regpath fit's CSV with a leading response column: response,lambda,intercept,<features>, as
// pieces to be written one after another (StagedOutputs::add), the text of runs of responses
// formatted on up to `threads` threads (the same text for any number).
std::vector<std::string> many_path_csv(const ManyDesign& d, const std::vector<Path>& paths,
                                       int threads);

// --output PATH.npy with several responses: the same rows as one NumPy array, little-endian
// float64, C order, rows × (2 + p): lambda, intercept, the features (many_path_csv's columns
// without the response), the responses' rows one after another in their order; and, in the
// file many_path_npy_rows_path(PATH), which rows are whose: `response,rows` (one line each).
// Binary because decimal text is most of such a process's time (2 M numbers for m = 200).
bool is_npy_output(const std::string& path);
std::string many_path_npy(const std::vector<Path>& paths);
std::string many_path_npy_rows(const ManyDesign& d, const std::vector<Path>& paths);
// PATH.npy → PATH.responses.csv (".npy" replaced)
std::string many_path_npy_rows_path(const std::string& npy_path);

// One file per response for --plot and --save-model with several responses: `pattern` with every
// "{response}" replaced by each response's name (a UsageError naming `flag` when it has none, or
// when a name cannot be part of a file name: empty, ".", "..", or holding '/').
std::vector<NamedPath> per_response_outputs(const std::string& flag, const std::string& pattern,
                                            const std::vector<std::string>& responses);

// `csv` (a header line, then rows) with a first column `name` = `value` on every row.
std::string with_leading_column(const std::string& csv, const std::string& name,
                                const std::string& value, bool header);

// --weights FILE and --offset COLUMN with several responses, the same for every response: the
// file's weight of every row (under mpirun this rank's rows'), DATA.csv's column (then not a
// feature; under mpirun this rank's block of it), set in `options`. Before apply_feature_flags.
struct RowOptionNames {
  std::optional<std::string> weights_file, offset_name;  // for rethrow_naming_inputs
};
RowOptionNames take_row_options(const ParsedArgs& a, const ManySource& source, ManyDesign& d,
                                Options& options, const std::string& command);

// regpath fit with several responses: the paths' CSV at --output, with --print-path each
// response's printout on `out` (headed "response NAME"), a summary on stderr. With `comm`
// (under mpirun) each rank reads its own rows (ManySource::load_rows), each response's path is
// one distributed fit of all the ranks, and rank 0 writes.
int run_fit_many(const ParsedArgs& a, const ManySource& source, Options options,
                 const Communicator* comm, std::ostream& out, std::ostream& err);

// An error of response r's distributed fit as an InputError naming the response and its
// source, still led by the message's "rank R: " (or "rank 0: " for one that every rank threw):
// the tool prints such an error once.
[[noreturn]] void rethrow_rank_response_error(const std::exception& e, const ManyDesign& d,
                                              std::size_t r);

// Under mpirun: `solve(y, progress)` for each response in turn, all ranks together (y its column
// of this rank's rows; progress the bar's share of that response), the results in order; an
// error names its response (rethrow_rank_response_error) or X's column.
template <class Solve>
auto each_response_on_ranks(const ManyDesign& d, ProgressBar& bar, Solve&& solve) {
  using Result = decltype(solve(d.Y.data(), std::function<void(double)>()));
  std::vector<Result> results;
  const std::int64_t m = d.m(), n = d.design.n;
  for (std::int64_t r = 0; r < m; ++r) {
    try {
      results.push_back(solve(d.Y.data() + r * n, [&bar, r, m](double f) {
        bar.update((double(r) + f) / double(m));
      }));
    } catch (const ColumnError& e) {
      rethrow_column_error(e, d.design);
    } catch (const std::exception& e) {
      rethrow_rank_response_error(e, d, std::size_t(r));
    }
  }
  return results;
}

}  // namespace regpath::cli
