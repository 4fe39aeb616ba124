// `mpirun -np R regpath fit DATA.csv --response NAME --output PATH.csv ...`: each rank reads its
// own contiguous block of DATA.csv's rows (a byte range split at line ends, never the whole
// file), the ranks fit the path of all the rows together (regpath/distributed.hpp), and rank 0
// alone writes the outputs and the summary. Every error is agreed on by all ranks, so none is
// left waiting.
#pragma once

#include <ostream>

#include "cli/cli_args.hpp"
#include "regpath/distributed.hpp"

namespace regpath::cli {

// regpath fit with the ranks of `comm` (mpi_ranks.hpp's mpi_world()); `a` parsed as fit's.
int run_fit_ranks(const ParsedArgs& a, const Communicator& comm, std::ostream& out,
                  std::ostream& err);

}  // namespace regpath::cli
