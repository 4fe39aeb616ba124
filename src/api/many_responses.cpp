// Many responses sharing one design: fit(X, Y) and cross_validate(X, Y) (regpath.hpp).
//
// Gaussian: X is uploaded, standardized and its Gram matrix H = X̃ᵀX̃/n formed once
// (GaussianProblem's KeepDesign constructor); per block of responses Ỹ is centred on the host
// and C = X̃ᵀỸ/n is one GEMM; each response's path is then solve_path on the same problem with
// its ỹ, ȳ, yy and c swapped in (set_response). The paths are the single fit's, to rounding.
// A response whose magnitudes need the API guard's exact rescaling (api/result_guard.hpp), and
// any X that does, goes through fit() alone. Binomial and cross-validation: one call per response.
// A sparse X (SparseMatrixView): its structure checked once, then one sparse fit (or
// cross-validation) per response.
// Responses run on several threads (Options::threads, api/response_threads.hpp), each path
// computed exactly as by the serial loop.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "api/feature_selection.hpp"
#include "api/observation_weights.hpp"
#include "api/offset.hpp"
#include "api/resolve_device.hpp"
#include "api/resolved_options.hpp"
#include "api/response_threads.hpp"
#include "api/result_guard.hpp"
#include "api/run_path.hpp"
#include "api/with_backend.hpp"
#include "core/design/sparse_design.hpp"
#include "regpath/regpath.hpp"

namespace regpath {
namespace {

// Responses whose correlations are formed by one GEMM: n·kBlock + p·kBlock values at a time.
constexpr std::int64_t kResponseBlock = 256;

std::string response_name(std::int64_t k) {
  return "response " + std::to_string(k + 1) + " (column " + std::to_string(k + 1) + " of Y)";
}

// f() with a bad argument about response k named as such (X's own errors pass unchanged).
template <class F>
auto for_response(std::int64_t k, F&& f) {
  try {
    return f();
  } catch (const ResponseError&) {
    throw;
  } catch (const ColumnError&) {
    throw;
  } catch (const std::invalid_argument& e) {
    throw ResponseError(k, response_name(k) + ": " + e.what());
  }
}

// call(k, options) → out[k] for every response k, one call each (fit or cross_validate of that
// column), on the threads response_threads allows; a worker other than the calling thread gets
// the options without the progress callback (Options::progress is called from the calling
// thread only).
template <class Result, class Call>
std::vector<Result> each_response(const Options& options, bool small_products, std::int64_t m,
                                  Call call) {
  std::vector<Result> out(static_cast<std::size_t>(m));
  const int threads =
      detail::response_threads(options, detail::resolve_device(options.device), small_products, m);
  Options quiet = options;
  quiet.progress = nullptr;
  detail::for_each_response(threads, m, [&](int worker, std::int64_t k) {
    out[std::size_t(k)] = for_response(k, [&] { return call(k, worker == 0 ? options : quiet); });
  });
  return out;
}

template <typename In>
void check_responses(std::int64_t rows, const MatrixView<In>& Y) {
  if (Y.data == nullptr) throw std::invalid_argument("invalid Y: null data pointer");
  if (Y.cols < 1)
    throw std::invalid_argument("invalid Y.cols = " + std::to_string(Y.cols) +
                                ": need at least 1 response");
  if (Y.rows != rows)
    throw std::invalid_argument("invalid Y.rows = " + std::to_string(Y.rows) + ": X has " +
                                std::to_string(rows) + " rows; give one row per observation");
  if (Y.ld < Y.rows)
    throw std::invalid_argument("invalid Y.ld = " + std::to_string(Y.ld) +
                                ": the leading dimension must be ≥ Y.rows");
  for (std::int64_t k = 0; k < Y.cols; ++k)
    for (std::int64_t i = 0; i < Y.rows; ++i)
      if (!std::isfinite(Y(i, k))) {
        std::ostringstream msg;
        msg << "invalid Y: " << response_name(k) << ": value " << Y(i, k) << " at row " << i + 1
            << " is not finite";
        throw ResponseError(k, msg.str());
      }
}

// ỹ = y − ȳ (ȳ = 0 without an intercept) in T, with ȳ and yy = ỹᵀỹ/n: as GaussianProblem does.
template <typename T, typename In>
void centre_response(const In* yin, std::int64_t n, bool intercept, T* yc, double& mean,
                     double& yy) {
  mean = 0;
  yy = 0;
  if (intercept) {
    for (std::int64_t i = 0; i < n; ++i) mean += double(yin[i]);
    mean /= double(n);
  }
  for (std::int64_t i = 0; i < n; ++i) {
    const double v = double(yin[i]) - mean;
    yc[i] = static_cast<T>(v);
    yy += v * v;
  }
  yy /= double(n);
  for (std::int64_t i = 0; i < n && std::isfinite(yy); ++i)
    if (!std::isfinite(double(yc[i]))) yy = HUGE_VAL;
  if (!std::isfinite(yy))
    throw std::invalid_argument(
        "invalid y: its values are too large in magnitude for the chosen precision (their "
        "squares overflow); rescale the response");
}

// The gaussian paths of the responses `which` (columns of Y) on one shared problem of X, on
// `threads` threads (host backends; each with its own copy of the problem, whose X̃ and H are
// the same and whose response is swapped in per path).
template <class Backend, typename In>
void solve_shared(Backend& be, const MatrixView<In>& X, const MatrixView<In>& Y,
                  const std::vector<std::int64_t>& which, const ResolvedOptions& ro,
                  const std::vector<detail::Rescaling>& plans, int threads,
                  std::vector<Path>& out) {
  using T = typename Backend::value_type;
  const Options& o = ro.options;
  const std::int64_t n = X.rows, p = X.cols, m = std::int64_t(which.size());
  using Problem = GaussianProblem<Backend>;
  Problem problem(be, X, Y.data + which[0] * Y.ld, o.standardize, o.intercept,
                  typename Problem::KeepDesign{});
  std::vector<Problem*> problems{&problem};
  std::vector<Problem> copies;
  if constexpr (std::is_same_v<typename Backend::Buffer, std::vector<T>>) {
    copies.reserve(std::size_t(std::max(threads, 1) - 1));
    for (int w = 1; w < threads; ++w) copies.push_back(problem);
    for (Problem& c : copies) problems.push_back(&c);
  }
  threads = int(problems.size());
  // each worker's clock: a path's seconds are its own solve, set-up included
  std::vector<std::chrono::steady_clock::time_point> starts(problems.size(),
                                                            std::chrono::steady_clock::now());
  std::atomic<std::int64_t> completed{0};
  std::vector<T> yc(static_cast<std::size_t>(n * std::min(m, kResponseBlock)));
  std::vector<double> means, yys;
  for (std::int64_t b0 = 0; b0 < m; b0 += kResponseBlock) {
    const std::int64_t mb = std::min(kResponseBlock, m - b0);
    means.assign(std::size_t(mb), 0.0);
    yys.assign(std::size_t(mb), 0.0);
    for (std::int64_t r = 0; r < mb; ++r) {
      const std::int64_t k = which[std::size_t(b0 + r)];
      for_response(k, [&] {
        centre_response(Y.data + k * Y.ld, n, o.intercept, yc.data() + r * n,
                        means[std::size_t(r)], yys[std::size_t(r)]);
        return 0;
      });
    }
    auto Yd = be.allocate(std::size_t(n * mb));
    be.upload(Yd.data(), yc.data(), std::size_t(n * mb));
    auto C = be.allocate(std::size_t(p * mb));
    // C = X̃ᵀ·Ỹ/n for the block's responses   (one GEMM, 2·n·p·mb flops)
    problem.correlations(Yd.data(), mb, C.data());
    detail::for_each_response(threads, mb, [&](int worker, std::int64_t r) {
      const std::int64_t k = which[std::size_t(b0 + r)];
      Problem& pr = *problems[std::size_t(worker)];
      std::vector<T> column(yc.begin() + r * n, yc.begin() + (r + 1) * n);
      pr.set_response(column, means[std::size_t(r)], yys[std::size_t(r)], C.data() + r * p);
      ResolvedOptions rk = ro;
      rk.control.progress = nullptr;
      // progress from the calling thread only (worker 0), as Options::progress promises
      if (o.progress && worker == 0)
        rk.control.progress = [&o, &completed, m](double f) {
          o.progress((double(completed.load()) + f) / double(m));
        };
      auto& start = starts[std::size_t(worker)];
      Path path = for_response(k, [&] { return solve_path(be, pr, rk, start); });
      for_response(k, [&] {
        detail::check_finite(path, "fit", plans[std::size_t(k)].largest_y,
                             plans[std::size_t(k)].largest_x);
        return 0;
      });
      out[std::size_t(k)] = std::move(path);
      ++completed;
      start = std::chrono::steady_clock::now();
    });
  }
}

template <typename In>
void check_design(const MatrixView<In>& X) {
  if (X.data == nullptr) throw std::invalid_argument("invalid X: null data pointer");
  if (X.rows < 2)
    throw std::invalid_argument("invalid X.rows (observations) = " + std::to_string(X.rows) +
                                ": need at least 2 observations");
  if (X.cols < 1)
    throw std::invalid_argument("invalid X.cols (features) = " + std::to_string(X.cols) +
                                ": need at least 1 feature");
  if (X.ld < X.rows)
    throw std::invalid_argument("invalid X.ld = " + std::to_string(X.ld) +
                                ": the leading dimension must be ≥ X.rows");
}

template <typename In>
std::vector<Path> fit_many(const MatrixView<In>& X_all, const MatrixView<In>& Y,
                           const Options& options) {
  validate_options(options);
  check_design(X_all);
  check_responses(X_all.rows, Y);
  const std::int64_t m = Y.cols;
  std::vector<Path> out(static_cast<std::size_t>(m));
  auto column = [&](std::int64_t k) { return Y.data + k * Y.ld; };
  const bool unpenalized = std::find(options.penalty_factors.begin(),
                                     options.penalty_factors.end(),
                                     0.0) != options.penalty_factors.end();
  if (!options.weights.empty())  // X's own argument, not a response's
    detail::check_weights(options.weights, X_all.rows);
  if (!options.offset.empty()) {  // one offset per row, the same for every response
    detail::check_offset(options.offset, X_all.rows);
    if (options.family == Family::gaussian) {
      // exactly the fits of y_k − o (api/offset.hpp's OffsetResponse, as fit does), on the
      // shared path as any other Y
      const std::int64_t n = X_all.rows;
      std::vector<In> shifted;
      shifted.reserve(static_cast<std::size_t>(n * m));
      for (std::int64_t k = 0; k < m; ++k) {
        const detail::OffsetResponse<In> y_k(column(k), options);
        shifted.insert(shifted.end(), y_k.y.begin(), y_k.y.end());
      }
      Options rest = options;
      rest.offset.clear();
      return fit_many(X_all, MatrixView<In>{shifted.data(), n, m, n}, rest);
    }
  }
  if (options.family != Family::gaussian || m == 1 || unpenalized || !options.weights.empty()) {
    // One fit per response (binomial: the GLM batch of each; m = 1: exactly today's fit; with
    // unpenalized features, whose partialling out changes each response, or observation
    // weights, which transform X: not shared yet).
    return each_response<Path>(options, detail::tall_design(X_all.rows, X_all.cols), m,
                               [&](std::int64_t k, const Options& o) {
                                 return fit(X_all, column(k), o);
                               });
  }
  const Device device = detail::resolve_device(options.device);
  const int threads = detail::response_threads(
      options, device, detail::tall_design(X_all.rows, X_all.cols), m);
  // The first response's fit checks X as fit() does (its values, and what the rescaling guard
  // refuses), so that X's errors are the single fit's.
  out[0] = for_response(0, [&] { return fit(X_all, column(0), options); });
  const detail::FeatureSelection selection = detail::select_features(options, X_all.cols);
  detail::KeptColumns<In> kept;
  MatrixView<In> X = X_all;
  if (!selection.all()) {
    kept = detail::kept_columns(X_all, selection);
    X = kept.view;
  }
  // The guard's plan has a part of X (the same for every response: planned once) and a part of
  // y (per response: planned on a one-column view of X, so that X is not scanned m times).
  const detail::Rescaling x_plan = detail::plan_rescaling(X, column(0), options, false);
  const MatrixView<In> first_column{X.data, X.rows, 1, X.ld};
  std::vector<detail::Rescaling> plans(static_cast<std::size_t>(m));
  std::vector<std::int64_t> shared;
  for (std::int64_t k = 1; k < m; ++k) {
    detail::Rescaling& plan = plans[std::size_t(k)];
    plan = for_response(
        k, [&] { return detail::plan_rescaling(first_column, column(k), options, false); });
    plan.column_exp = x_plan.column_exp;
    plan.largest_x = x_plan.largest_x;
    if (plan.any())
      out[std::size_t(k)] = for_response(k, [&] { return fit(X_all, column(k), options); });
    else
      shared.push_back(k);
  }
  if (shared.empty()) return out;
  ResolvedOptions ro = resolve_options_for(options, X.rows, X.cols);
  ro.penalty_factors = selection.factors;
  with_backend(device, options.precision, [&](auto& backend) {
    solve_shared(backend, X, Y, shared, ro, plans,
                 int(std::min<std::int64_t>(threads, std::int64_t(shared.size()))), out);
    return 0;
  });
  for (const std::int64_t k : shared) {
    Path& path = out[std::size_t(k)];
    path.device = device;
    detail::expand_path(path, selection);
  }
  return out;
}

template <typename In>
std::vector<CvResult> cross_validate_many(const MatrixView<In>& X, const MatrixView<In>& Y,
                                          const Options& options, const CvOptions& cv) {
  validate_options(options);
  check_design(X);
  check_responses(X.rows, Y);
  if (!options.weights.empty())  // the options' fault, not a response's
    detail::check_weights(options.weights, X.rows);
  if (!options.offset.empty()) detail::check_offset(options.offset, X.rows);
  return each_response<CvResult>(options, detail::tall_design(X.rows, X.cols), Y.cols,
                                  [&](std::int64_t k, const Options& o) {
                                    return cross_validate(X, Y.data + k * Y.ld, o, cv);
                                  });
}

// A sparse X: X's structure and the options' own arguments checked first (X's errors are not
// a response's), then one call per response, each exactly fit(X, y_k) / cross_validate(X, y_k)
// (the sparse standardization is recomputed per response: O(nnz) each, not shared yet).
template <typename In, class Call>
auto each_response_sparse(const SparseMatrixView<In>& X, const MatrixView<In>& Y,
                          const Options& options, Call call) {
  validate_options(options);
  SparseDesign<double>::validate(X);
  check_responses(X.rows, Y);
  if (!options.weights.empty()) detail::check_weights(options.weights, X.rows);
  if (!options.offset.empty()) detail::check_offset(options.offset, X.rows);
  using Result = decltype(call(Y.data, options));
  // the sparse products are this library's own single-threaded loops: automatic is every thread
  return each_response<Result>(options, true, Y.cols, [&](std::int64_t k, const Options& o) {
    return call(Y.data + k * Y.ld, o);
  });
}

template <typename In>
std::vector<Path> fit_many_sparse(const SparseMatrixView<In>& X, const MatrixView<In>& Y,
                                  const Options& options) {
  return each_response_sparse(X, Y, options,
                              [&](const In* y, const Options& o) { return fit(X, y, o); });
}

template <typename In>
std::vector<CvResult> cross_validate_many_sparse(const SparseMatrixView<In>& X,
                                                 const MatrixView<In>& Y, const Options& options,
                                                 const CvOptions& cv) {
  return each_response_sparse(X, Y, options, [&](const In* y, const Options& o) {
    return cross_validate(X, y, o, cv);
  });
}

}  // namespace

std::vector<Path> fit(const SparseMatrixView<double>& X, const MatrixView<double>& Y,
                      const Options& options) {
  return fit_many_sparse(X, Y, options);
}
std::vector<Path> fit(const SparseMatrixView<float>& X, const MatrixView<float>& Y,
                      const Options& options) {
  return fit_many_sparse(X, Y, options);
}
std::vector<CvResult> cross_validate(const SparseMatrixView<double>& X,
                                     const MatrixView<double>& Y, const Options& options,
                                     const CvOptions& cv) {
  return cross_validate_many_sparse(X, Y, options, cv);
}
std::vector<CvResult> cross_validate(const SparseMatrixView<float>& X,
                                     const MatrixView<float>& Y, const Options& options,
                                     const CvOptions& cv) {
  return cross_validate_many_sparse(X, Y, options, cv);
}

std::vector<Path> fit(const MatrixView<double>& X, const MatrixView<double>& Y,
                      const Options& options) {
  return fit_many(X, Y, options);
}
std::vector<Path> fit(const MatrixView<float>& X, const MatrixView<float>& Y,
                      const Options& options) {
  return fit_many(X, Y, options);
}
std::vector<CvResult> cross_validate(const MatrixView<double>& X, const MatrixView<double>& Y,
                                     const Options& options, const CvOptions& cv) {
  return cross_validate_many(X, Y, options, cv);
}
std::vector<CvResult> cross_validate(const MatrixView<float>& X, const MatrixView<float>& Y,
                                     const Options& options, const CvOptions& cv) {
  return cross_validate_many(X, Y, options, cv);
}

}  // namespace regpath
