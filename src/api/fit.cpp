// The public entry points: argument checks, automatic options, the choice of backend.
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

#include "api/backend_runners.hpp"
#include "regpath/regpath.hpp"

#ifndef REGPATH_VERSION
#define REGPATH_VERSION "0.0.0"
#endif

namespace regpath {

const char* to_string(Family family) {
  return family == Family::gaussian ? "gaussian" : "binomial";
}
const char* to_string(Device device) {
  switch (device) {
    case Device::automatic: return "auto";
    case Device::cpu: return "cpu";
    case Device::cuda: return "cuda";
  }
  return "?";
}
const char* to_string(Precision precision) {
  return precision == Precision::float64 ? "float64" : "float32";
}
const char* to_string(Status status) {
  switch (status) {
    case Status::converged: return "converged";
    case Status::max_iter: return "max_iter";
    case Status::stalled: return "stalled";
  }
  return "?";
}
const char* version() { return REGPATH_VERSION; }

bool cuda_available(std::string* why_not) { return cuda_runtime_available(why_not); }

namespace {

template <typename V>
[[noreturn]] void bad_argument(const char* name, const V& value, const char* requirement) {
  std::ostringstream msg;
  msg.precision(17);
  msg << "invalid " << name << " = " << value << ": " << requirement;
  throw std::invalid_argument(msg.str());
}

}  // namespace

void validate_options(const Options& o) {
  if (o.family != Family::gaussian && o.family != Family::binomial)
    bad_argument("family", static_cast<int>(o.family), "must be gaussian or binomial");
  if (o.family == Family::binomial)
    throw std::invalid_argument("family binomial is not implemented yet; use gaussian");
  if (!(o.alpha >= 0.0 && o.alpha <= 1.0)) bad_argument("alpha", o.alpha, "must be in [0, 1]");
  for (std::size_t k = 0; k < o.lambdas.size(); ++k)
    if (!(o.lambdas[k] > 0.0) || !std::isfinite(o.lambdas[k])) {
      const std::string name = "lambda[" + std::to_string(k) + "]";
      bad_argument(name.c_str(), o.lambdas[k], "every lambda must be positive and finite");
    }
  if (o.nlambda < 1) bad_argument("nlambda", o.nlambda, "must be at least 1");
  if (o.lambda_min_ratio && !(*o.lambda_min_ratio > 0.0 && *o.lambda_min_ratio < 1.0))
    bad_argument("lambda_min_ratio", *o.lambda_min_ratio, "must be in (0, 1)");
  if (o.tol && !(*o.tol > 0.0 && std::isfinite(*o.tol)))
    bad_argument("tol", *o.tol, "must be positive and finite");
  if (o.max_iter < 1) bad_argument("max_iter", o.max_iter, "must be at least 1");
  if (o.block_size < 0) bad_argument("block_size", o.block_size, "must be ≥ 0 (0: automatic)");
  if (o.check_every < 1) bad_argument("check_every", o.check_every, "must be at least 1");
  if (o.device != Device::automatic && o.device != Device::cpu && o.device != Device::cuda)
    bad_argument("device", static_cast<int>(o.device), "must be automatic, cpu or cuda");
  if (o.precision != Precision::float64 && o.precision != Precision::float32)
    bad_argument("precision", static_cast<int>(o.precision), "must be float64 or float32");
}

namespace {

template <typename In>
void check_data(const MatrixView<In>& X, const In* y) {
  if (X.data == nullptr) throw std::invalid_argument("invalid X: null data pointer");
  if (y == nullptr) throw std::invalid_argument("invalid y: null pointer");
  if (X.rows < 2) bad_argument("X.rows (observations)", X.rows, "need at least 2 observations");
  if (X.cols < 1) bad_argument("X.cols (features)", X.cols, "need at least 1 feature");
  if (X.ld < X.rows) bad_argument("X.ld", X.ld, "the leading dimension must be ≥ X.rows");
  for (std::int64_t j = 0; j < X.cols; ++j)
    for (std::int64_t i = 0; i < X.rows; ++i)
      if (!std::isfinite(X(i, j))) {
        std::ostringstream msg;
        msg << "invalid X: value " << X(i, j) << " at row " << i + 1 << ", column " << j + 1
            << " is not finite";
        throw std::invalid_argument(msg.str());
      }
  for (std::int64_t i = 0; i < X.rows; ++i)
    if (!std::isfinite(y[i])) {
      std::ostringstream msg;
      msg << "invalid y: value " << y[i] << " at row " << i + 1 << " is not finite";
      throw std::invalid_argument(msg.str());
    }
}

Device resolve_device(Device requested) {
  if (requested == Device::cpu) return Device::cpu;
  std::string why_not;
  const bool usable = cuda_runtime_available(&why_not);
  if (requested == Device::cuda && !usable)
    throw std::runtime_error("device cuda requested but not usable: " + why_not);
  return usable ? Device::cuda : Device::cpu;
}

template <typename In>
Path fit_any(const MatrixView<In>& X, const In* y, const Options& options) {
  validate_options(options);
  check_data(X, y);
  const ResolvedOptions ro = resolve_options_for(options, X.rows, X.cols);
  return resolve_device(options.device) == Device::cuda ? run_cuda(X, y, ro) : run_cpu(X, y, ro);
}

}  // namespace

Path fit(const MatrixView<double>& X, const double* y, const Options& options) {
  return fit_any(X, y, options);
}
Path fit(const MatrixView<float>& X, const float* y, const Options& options) {
  return fit_any(X, y, options);
}

}  // namespace regpath
