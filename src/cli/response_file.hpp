// Several responses from a response file: --response-file FILE (a .npy of shape (n, m) or an
// m-column CSV whose header names them) or an HDF5 --y-dataset NAME of shape (n, m) (named by
// its string attribute response_names). With one column the commands read the response as
// before; with m > 1 they run the many-responses fit / cv (many_responses.hpp) on DATA's
// features and these m responses.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_args.hpp"
#include "cli/fit_command.hpp"
#include "cli/many_responses.hpp"

namespace regpath::cli {

// A response file's columns: their names and values (n × m, column-major), every value finite.
struct ResponseColumns {
  std::string source;  // the file (and dataset), for messages
  std::vector<std::string> names;
  std::vector<double> values;
  std::size_t rows = 0;
  std::size_t cols() const { return names.size(); }
};

// The responses of `spec`'s --response-file or --y-dataset, when it holds more than one column;
// nullopt when it holds one (or the response is a column of DATA.csv): the single-response
// commands then read it. InputError naming the file, row, column and value: 0 columns, a value
// that is not a finite number, a repeated or empty name.
std::optional<ResponseColumns> many_response_columns(const DataSpec& spec);

// Where several responses come from: the columns of DATA.csv (--response A,B,C /
// --responses-file) or a response file with m > 1 columns. nullopt: one response (today's
// commands). UsageError for a combination of flags that does not work with several responses
// (as many_response_names and data_spec refuse them).
std::optional<ManySource> many_source(ParsedArgs& a, const std::string& command);
// The same on every rank under mpirun (`comm`): a usage error as it is (every rank has the same
// arguments), any other (a response file that cannot be read) every rank's, agreed.
std::optional<ManySource> many_source_on_ranks(ParsedArgs& a, const std::string& command,
                                               const Communicator* comm);

}  // namespace regpath::cli
