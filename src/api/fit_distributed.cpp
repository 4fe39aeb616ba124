// fit() with the rows held by several ranks (regpath/distributed.hpp): every check agreed on by
// all ranks, the standardization reduced (distributed/split_rows.hpp; the GLM families'
// distributed/split_rows_scaling.hpp), then the same path solve on every rank, each product over
// the rows summed over the ranks (GaussianProblem's SplitRows; GlmBatchProblem's split rows,
// binomial and poisson with their weights and offset): the same iterates, decisions and result
// everywhere.
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
#include "api/glm_runs.hpp"
#include "api/observation_weights.hpp"
#include "api/offset.hpp"
#include "api/response_checks.hpp"
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
                        std::int64_t offset, const detail::GivenSomewhere& given) {
  const auto not_yet = [](const std::string& what) {
    return "distributed rows: " + what + " is not supported yet";
  };
  if (o.family == Family::multinomial) return not_yet("family multinomial");
  try {
    validate_options(o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  if (o.device == Device::cuda) return not_yet("device cuda (each rank runs on its CPU for now)");
  const std::string per_row = detail::per_row_options_error(o, X.rows, offset, given);
  if (!per_row.empty()) return per_row;
  const std::string data = detail::local_data_error(X, y, offset);
  if (!data.empty()) return data;
  try {
    detail::check_family_response(y, X.rows, o.family, offset);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

template <typename T, typename In>
Path solve_distributed(const Communicator& comm, const MatrixView<In>& X, const In* y,
                       std::int64_t n, const ResolvedOptions& ro) {
  const auto start = std::chrono::steady_clock::now();
  CpuBackend<T> backend;
  auto block = detail::standardize_split_rows<CpuBackend<T>>(
      comm, X, y, n, ro.options.standardize, ro.options.intercept);
  GaussianProblem<CpuBackend<T>> problem(backend, block.split, block.X, block.y,
                                         ro.options.intercept, ro.unpenalized);
  block = {};  // the backend holds X̃_r now (or, in the Gram form, only H)
  return solve_path(backend, problem, ro, start);
}

// binomial, poisson: the GLM batch on this rank's rows, its sums over every rank's
template <typename T, typename In>
Path solve_distributed_glm(const Communicator& comm, const MatrixView<In>& X, const In* y,
                           std::int64_t n, const ResolvedOptions& ro) {
  const auto start = std::chrono::steady_clock::now();
  const Options& o = ro.options;
  CpuBackend<T> backend;
  GlmBatchProblem<CpuBackend<T>> problem(backend, comm, n, X, y, datafit_for(o.family),
                                         o.standardize, o.intercept, o.weights, o.offset);
  return solve_glm_path(backend, problem, ro, start);
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
  const detail::GivenSomewhere given = detail::given_somewhere(comm, options, nullptr);
  agree_on_errors(comm, !caller_error.empty()
                                    ? caller_error
                                    : local_error(X_all, y, options, offset, given));
  agree_on_errors(comm, detail::weights_sum_error(comm, options, given));
  const detail::OptionFingerprint mine = detail::fingerprint(options, X_all.cols);
  agree_on_errors(comm, detail::compare_with_rank0(comm, mine));
  // From here on every rank holds the same options, p and n: whatever throws, throws on all.
  if (options.family == Family::gaussian && given.offset) {
    // exactly the fit of y − o (api/offset.hpp), as the serial fit's: every rank its own rows'
    const detail::OffsetResponse<In> shifted(y, options);
    return fit_distributed_any(comm, X_all, shifted.y.data(), shifted.options, "");
  }
  if (options.family == Family::gaussian && given.weights) {
    // the serial fit's exact transformation (api/observation_weights.hpp), its moments summed
    // over the ranks: each rank transforms its own rows
    const detail::WeightedInput<In> in = detail::weighted_input(X_all, y, options, &comm, n);
    Path out = fit_distributed_any(comm, in.view(), in.y.data(), in.solve_options(options), "");
    in.restore(out);
    return out;
  }
  if (n < 2) throw std::invalid_argument("invalid X: need at least 2 observations, all ranks "
                                         "together (" + std::to_string(n) + ")");
  const detail::FeatureSelection sel = detail::select_features(options, X_all.cols);
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
  ro.unpenalized = sel.unpenalized;  // the GLM batch's factor 0 (null models by Newton's steps)
  const bool glm = options.family != Family::gaussian;
  Path out = options.precision == Precision::float32
                 ? (glm ? solve_distributed_glm<float>(comm, X, y, n, ro)
                        : solve_distributed<float>(comm, X, y, n, ro))
                 : (glm ? solve_distributed_glm<double>(comm, X, y, n, ro)
                        : solve_distributed<double>(comm, X, y, n, ro));
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
