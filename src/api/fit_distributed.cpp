// fit() with the rows held by several ranks (regpath/distributed.hpp): every check agreed on by
// all ranks, the standardization reduced (distributed/split_rows.hpp), then the same path solve
// on every rank, each product over the rows summed over the ranks (GaussianProblem's SplitRows):
// the same iterates, decisions and result everywhere.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/feature_selection.hpp"
#include "api/fit_distributed.hpp"
#include "api/result_guard.hpp"
#include "api/run_path.hpp"
#include "backends/cpu_backend.hpp"
#include "distributed/agreement.hpp"
#include "distributed/split_rows.hpp"
#include "regpath/distributed.hpp"

namespace regpath {

namespace {

// This rank's first problem with its arguments, its data (row numbers global: `offset` rows
// are on the ranks before it) or what distributed fits do not take yet; "" when none.
template <typename In>
std::string local_error(const MatrixView<In>& X, const In* y, const Options& o,
                        std::int64_t offset) {
  try {
    validate_options(o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  const auto not_yet = [](const std::string& what) {
    return "distributed rows: " + what + " is not supported yet";
  };
  if (o.family != Family::gaussian)
    return not_yet(std::string("family ") + to_string(o.family) + " (only gaussian for now)");
  if (o.device == Device::cuda) return not_yet("device cuda (each rank runs on its CPU for now)");
  if (!o.weights.empty()) return not_yet("weights");
  if (!o.offset.empty()) return not_yet("offset");
  return detail::local_data_error(X, y, offset);
}

template <typename T, typename In>
Path solve_distributed(const Communicator& comm, const MatrixView<In>& X, const In* y,
                       std::int64_t n, const ResolvedOptions& ro) {
  const auto start = std::chrono::steady_clock::now();
  CpuBackend<T> backend;
  auto block = detail::standardize_split_rows<CpuBackend<T>>(
      comm, X, y, n, ro.options.standardize, ro.options.intercept);
  GaussianProblem<CpuBackend<T>> problem(backend, block.split, block.X, block.y,
                                         ro.options.intercept);
  block = {};  // the backend holds X̃_r now (or, in the Gram form, only H)
  return solve_path(backend, problem, ro, start);
}

template <typename In>
Path fit_distributed_any(const Communicator& comm, const MatrixView<In>& X_all, const In* y,
                         const Options& options, const std::string& caller_error) {
  const std::vector<std::int64_t> counts = detail::rank_row_counts(comm, X_all.rows);
  std::int64_t offset = 0, n = 0;
  for (int r = 0; r < comm.size(); ++r) {
    if (r < comm.rank()) offset += counts[std::size_t(r)];
    n += counts[std::size_t(r)];
  }
  agree_on_errors(comm, !caller_error.empty()
                                    ? caller_error
                                    : local_error(X_all, y, options, offset));
  const detail::OptionFingerprint mine = detail::fingerprint(options, X_all.cols);
  agree_on_errors(comm, detail::compare_with_rank0(comm, mine));
  // From here on every rank holds the same options, p and n: whatever throws, throws on all.
  if (n < 2) throw std::invalid_argument("invalid X: need at least 2 observations, all ranks "
                                         "together (" + std::to_string(n) + ")");
  const detail::FeatureSelection sel = detail::select_features(options, X_all.cols);
  if (!sel.unpenalized.empty())
    throw std::invalid_argument("distributed rows: penalty factors of 0 (unpenalized features) "
                                "are not supported yet");
  detail::KeptColumns<In> kept;
  MatrixView<In> X = X_all;
  if (!sel.all()) {
    kept = detail::kept_columns(X_all, sel);
    X = kept.view;
  }
  // the data's largest magnitudes over every rank, for the message of a result that overflows
  double largest[2] = {detail::largest_magnitude(y, X.rows), 0.0};
  for (std::int64_t j = 0; j < X.cols; ++j)
    largest[1] = std::max(largest[1], detail::largest_magnitude(X.data + j * X.ld, X.rows));
  comm.max(largest, 2);
  ResolvedOptions ro = resolve_options_for(options, n, X.cols);
  ro.penalty_factors = sel.factors;
  ro.lower_limits = sel.lower;
  ro.upper_limits = sel.upper;
  Path out = options.precision == Precision::float32
                 ? solve_distributed<float>(comm, X, y, n, ro)
                 : solve_distributed<double>(comm, X, y, n, ro);
  out.device = Device::cpu;
  // the same bits on every rank: every rank throws, or none (api/result_guard.hpp's invariant)
  detail::check_finite(out, "fit", largest[0], largest[1]);
  detail::expand_path(out, sel);
  return out;
}

}  // namespace

namespace detail {
Path fit_distributed(const Communicator& comm, const MatrixView<double>& local_X,
                     const double* local_y, const Options& options,
                     const std::string& caller_error) {
  return fit_distributed_any(comm, local_X, local_y, options, caller_error);
}
Path fit_distributed(const Communicator& comm, const MatrixView<float>& local_X,
                     const float* local_y, const Options& options,
                     const std::string& caller_error) {
  return fit_distributed_any(comm, local_X, local_y, options, caller_error);
}
}  // namespace detail

Path fit(const Communicator& comm, const MatrixView<double>& local_X, const double* local_y,
         const Options& options) {
  return detail::fit_distributed(comm, local_X, local_y, options, "");
}
Path fit(const Communicator& comm, const MatrixView<float>& local_X, const float* local_y,
         const Options& options) {
  return detail::fit_distributed(comm, local_X, local_y, options, "");
}

}  // namespace regpath
