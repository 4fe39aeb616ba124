// The command-line tool under mpirun (`mpirun -np R regpath fit|cv DATA ...`): each rank reads
// its own contiguous block of DATA's rows — a CSV file split into equal byte ranges at line
// ends (never the whole file), or rows n·r/R … of a .npy X — and every error is agreed on by
// all ranks (agreed below), so that none is left waiting.
#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "cli/cli_args.hpp"
#include "cli/fit_command.hpp"
#include "cli/many_responses.hpp"
#include "regpath/distributed.hpp"

namespace regpath::cli {

// Runs `body` on this rank; what it throws is every rank's error (agree_on_errors), so that the
// ranks go on together or all stop.
template <class Body>
void agreed(const Communicator& comm, Body&& body) {
  std::string error;
  try {
    body();
  } catch (const std::exception& e) {
    error = e.what();
  }
  agree_on_errors(comm, error);
}

// Under mpirun (`comm`): runs `body` on rank 0 alone (what rank 0 alone does, as checking the
// outputs it will write), its error every rank's (agreed); in one process, just runs it.
template <class Body>
void on_rank0(const Communicator* comm, Body&& body) {
  if (!comm) return body();
  agreed(*comm, [&] {
    if (comm->rank() == 0) body();
  });
}

// The DATA of a command under mpirun: a CSV file with --response or a .npy X with
// --response-file (a UsageError prefixed with `command` otherwise, or for the flags not taken
// with several ranks yet: --weights and --offset unless weights_and_offset).
DataSpec rank_data_spec(const ParsedArgs& a, const std::string& command,
                        bool weights_and_offset = false);

// This rank's rows of DATA (the response and the features), where they start among all rows,
// and all ranks' rows together. Collective; an error on any rank is every rank's.
struct RankDesign {
  Design design;
  std::int64_t first_row = 0, all_rows = 0;
};
RankDesign read_rank_design(const DataSpec& spec, const Communicator& comm);

// Several responses under mpirun (many_responses.hpp's ManySource::load_rows): this rank's rows
// of X and of the responses, with first_row and all_rows. From DATA.csv's columns (the
// responses named), or from DATA's features (.npy, HDF5 or CSV) and a response file's columns
// `all_Y` (every row's, n × m column-major, read by every rank; `source` names it); never a
// sparse DATA (fit and cv refuse it under mpirun first). Collective; an error on any rank is
// every rank's.
ManyDesign read_rank_many_design(const Communicator& comm, const std::string& data,
                                 const std::vector<std::string>& responses);
ManyDesign read_rank_many_design(const Communicator& comm, const DataSpec& spec,
                                 const std::vector<std::string>& responses,
                                 const std::vector<double>& all_Y, const std::string& source);

// The features' means and 1/n standard deviations over every rank's rows (two sums; collective):
// make_model's standardization record (model.cpp), which rank 0 alone could not take from its
// rows, put into a model by record_rank_standardization.
struct RankMoments {
  std::vector<double> mean, sd;
};
RankMoments rank_moments(const Design& d, const Communicator& comm, std::int64_t all_rows);
void record_rank_standardization(Model& m, const RankMoments& moments);

// This rank's rows' weights from --weights FILE, which has every row's (read by every rank, so
// every rank fails alike): an InputError naming the file and DATA when its count is not all
// the rows'. The values are the library's to check.
std::vector<double> rank_weights(const std::string& weights_file, const RankDesign& rows,
                                 const std::string& data);
// The same for the `rows` rows from first_row of all_rows.
std::vector<double> rank_weights(const std::string& weights_file, std::int64_t first_row,
                                 std::int64_t rows, std::int64_t all_rows,
                                 const std::string& data);

}  // namespace regpath::cli
