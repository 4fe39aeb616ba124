// The distributed fit with an error its caller found on this rank before it (the C API's
// argument checks), which every rank then agrees on instead of one rank returning early and
// leaving the others waiting in a collective. Private.
#pragma once

#include <string>

#include "regpath/distributed.hpp"

namespace regpath::detail {

Path fit_distributed(const Communicator& comm, const MatrixView<double>& local_X,
                     const double* local_y, const Options& options,
                     const std::string& caller_error);
Path fit_distributed(const Communicator& comm, const MatrixView<float>& local_X,
                     const float* local_y, const Options& options,
                     const std::string& caller_error);

}  // namespace regpath::detail
