// The C API (include/regpath/regpath.h) over the C++ API: argument checks with the C names,
// options translated, every exception turned into a return code and a thread-local message.
// Nothing thrown may leave these functions: each body runs inside guarded().
#include "regpath/regpath.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <new>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "api/device_fit.hpp"
#include "api/feature_selection.hpp"
#include "api/fit_distributed.hpp"
#include "api/fit_multinomial.hpp"
#include "api/result_guard.hpp"
#include "backends/cuda_runtime.hpp"
#include "regpath/regpath.hpp"

// The C constants are the C++ enumerators' values.
static_assert(REGPATH_GAUSSIAN == static_cast<int>(regpath::Family::gaussian), "family");
static_assert(REGPATH_BINOMIAL == static_cast<int>(regpath::Family::binomial), "family");
static_assert(REGPATH_POISSON == static_cast<int>(regpath::Family::poisson), "family");
static_assert(REGPATH_MULTINOMIAL == static_cast<int>(regpath::Family::multinomial), "family");
static_assert(REGPATH_DEVICE_AUTO == static_cast<int>(regpath::Device::automatic), "device");
static_assert(REGPATH_DEVICE_CPU == static_cast<int>(regpath::Device::cpu), "device");
static_assert(REGPATH_DEVICE_CUDA == static_cast<int>(regpath::Device::cuda), "device");
static_assert(REGPATH_FLOAT64 == static_cast<int>(regpath::Precision::float64), "precision");
static_assert(REGPATH_FLOAT32 == static_cast<int>(regpath::Precision::float32), "precision");
static_assert(REGPATH_STATUS_CONVERGED == static_cast<int>(regpath::Status::converged), "status");
static_assert(REGPATH_STATUS_MAX_ITER == static_cast<int>(regpath::Status::max_iter), "status");
static_assert(REGPATH_STATUS_STALLED == static_cast<int>(regpath::Status::stalled), "status");

struct regpath_path {
  regpath::Path path;
  bool fitted_with_offset = false;  // regpath_fit_offset_d/_s: its model needs new offsets
  // Family multinomial: the fit's type.multinomial, which its model records
  regpath::MultinomialType type_multinomial = regpath::MultinomialType::ungrouped;
};

struct regpath_model {
  regpath::Model model;
};

struct regpath_paths {
  std::vector<regpath_path> paths;
};

namespace {

// ---- the thread-local error message ------------------------------------------------------------

thread_local std::string t_error;
thread_local const char* t_error_text = "";

void set_error(const char* function, const char* what) noexcept {
  try {
    t_error.assign(function);
    t_error.append(": ");
    t_error.append(what);
    t_error_text = t_error.c_str();
  } catch (...) {  // no memory even for the message
    t_error_text = "regpath: out of memory while recording an error message";
  }
}

// A failure whose return code is known where it is detected.
class Failure : public std::exception {
 public:
  Failure(int code, std::string message) : code_(code), message_(std::move(message)) {}
  int code() const noexcept { return code_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  int code_;
  std::string message_;
};

template <typename V>
[[noreturn]] void bad_argument(const char* name, const V& value, const char* requirement) {
  std::ostringstream msg;
  msg.precision(17);
  msg << "invalid " << name << " = " << value << ": " << requirement;
  throw Failure(REGPATH_ERROR_INVALID_ARGUMENT, msg.str());
}

[[noreturn]] void null_argument(const char* name) {
  throw Failure(REGPATH_ERROR_INVALID_ARGUMENT, std::string("invalid ") + name + ": NULL pointer");
}

// The device a fit that failed with a std::runtime_error was using or trying to use: a
// runtime_error from a CUDA fit is a device failure, from a CPU fit an internal one.
bool involves_cuda(int device) noexcept {
  if (device == REGPATH_DEVICE_CPU) return false;
  if (device == REGPATH_DEVICE_CUDA) return true;
  try {
    return regpath::cuda_available();
  } catch (...) {
    return true;
  }
}

// Runs `body`, which returns nothing or throws; every exception becomes a code and a message.
// `device` (a REGPATH_DEVICE_* value, or -1 outside fits) classifies std::runtime_error.
template <class Body>
int guarded(const char* function, int device, Body&& body) noexcept {
  try {
    body();
    return REGPATH_OK;
  } catch (const Failure& e) {
    set_error(function, e.what());
    return e.code();
  } catch (const std::invalid_argument& e) {
    set_error(function, e.what());
    return REGPATH_ERROR_INVALID_ARGUMENT;
  } catch (const regpath::OutOfMemoryError& e) {  // the device's memory (typed: no guessing)
    set_error(function, e.what());
    return REGPATH_ERROR_OUT_OF_MEMORY;
  } catch (const regpath::DeviceError& e) {
    set_error(function, e.what());
    return REGPATH_ERROR_DEVICE;
  } catch (const std::bad_alloc&) {
    set_error(function, "out of memory");
    return REGPATH_ERROR_OUT_OF_MEMORY;
  } catch (const std::length_error& e) {  // an array larger than the address space
    try {
      set_error(function, (std::string("out of memory: ") + e.what()).c_str());
    } catch (...) {
      set_error(function, "out of memory");
    }
    return REGPATH_ERROR_OUT_OF_MEMORY;
  } catch (const std::runtime_error& e) {
    set_error(function, e.what());
    return device >= 0 && involves_cuda(device) ? REGPATH_ERROR_DEVICE : REGPATH_ERROR_INTERNAL;
  } catch (const std::exception& e) {
    set_error(function, e.what());
    return REGPATH_ERROR_INTERNAL;
  } catch (...) {
    set_error(function, "unknown exception");
    return REGPATH_ERROR_INTERNAL;
  }
}

// ---- options ------------------------------------------------------------------------------------

// C options → C++ options, with the C API's own conventions (0: automatic) checked here and
// the rest by regpath::validate_options. Throws.
regpath::Options to_cpp(const regpath_options* c) {
  if (c == nullptr) null_argument("options");
  if (c->family != REGPATH_GAUSSIAN && c->family != REGPATH_BINOMIAL &&
      c->family != REGPATH_POISSON && c->family != REGPATH_MULTINOMIAL)
    bad_argument("family", c->family,
                 "must be REGPATH_GAUSSIAN (0), REGPATH_BINOMIAL (1), REGPATH_POISSON (2) or "
                 "REGPATH_MULTINOMIAL (3)");
  if (c->device != REGPATH_DEVICE_AUTO && c->device != REGPATH_DEVICE_CPU &&
      c->device != REGPATH_DEVICE_CUDA)
    bad_argument("device", c->device,
                 "must be REGPATH_DEVICE_AUTO (0), REGPATH_DEVICE_CPU (1) or REGPATH_DEVICE_CUDA (2)");
  if (c->precision != REGPATH_FLOAT64 && c->precision != REGPATH_FLOAT32)
    bad_argument("precision", c->precision, "must be REGPATH_FLOAT64 (0) or REGPATH_FLOAT32 (1)");
  if (c->glmnet_y_scaling != 0 && c->glmnet_y_scaling != 1)
    bad_argument("glmnet_y_scaling", c->glmnet_y_scaling, "must be 0 (off) or 1 (on)");
  if (c->n_lambdas < 0)
    bad_argument("n_lambdas", c->n_lambdas, "must be ≥ 0 (0: the automatic path)");
  if (c->n_lambdas > 0 && c->lambdas == nullptr)
    throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                  "invalid lambdas: NULL pointer with n_lambdas = " +
                      std::to_string(c->n_lambdas));
  if (c->n_penalty_factors < 0)
    bad_argument("n_penalty_factors", c->n_penalty_factors, "must be ≥ 0 (0: all 1)");
  if (c->n_penalty_factors > 0 && c->penalty_factors == nullptr)
    throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                  "invalid penalty_factors: NULL pointer with n_penalty_factors = " +
                      std::to_string(c->n_penalty_factors));
  if (c->n_exclude < 0) bad_argument("n_exclude", c->n_exclude, "must be ≥ 0");
  if (c->n_limits < 0) bad_argument("n_limits", c->n_limits, "must be ≥ 0 (0: no limits)");
  if (c->n_exclude > 0 && c->exclude == nullptr)
    throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                  "invalid exclude: NULL pointer with n_exclude = " +
                      std::to_string(c->n_exclude));
  if (c->lambda_min_ratio != 0.0 && !(c->lambda_min_ratio > 0.0 && c->lambda_min_ratio < 1.0))
    bad_argument("lambda_min_ratio", c->lambda_min_ratio, "must be in (0, 1), or 0 for automatic");
  if (c->tol != 0.0 && !(c->tol > 0.0 && c->tol <= std::numeric_limits<double>::max()))
    bad_argument("tol", c->tol, "must be positive and finite, or 0 for automatic");
  if (c->block_size < 0) bad_argument("block_size", c->block_size, "must be ≥ 0 (0: automatic)");
  if (c->check_every < 0)
    bad_argument("check_every", c->check_every, "must be ≥ 0 (0: automatic)");

  regpath::Options o;
  o.family = static_cast<regpath::Family>(c->family);
  o.device = static_cast<regpath::Device>(c->device);
  o.precision = static_cast<regpath::Precision>(c->precision);
  o.glmnet_y_scaling = c->glmnet_y_scaling != 0;
  o.alpha = c->alpha;
  o.nlambda = c->nlambda;
  if (c->n_lambdas > 0) o.lambdas.assign(c->lambdas, c->lambdas + c->n_lambdas);
  if (c->n_penalty_factors > 0)
    o.penalty_factors.assign(c->penalty_factors, c->penalty_factors + c->n_penalty_factors);
  if (c->n_exclude > 0) o.exclude.assign(c->exclude, c->exclude + c->n_exclude);
  if (c->n_limits > 0 && c->lower_limits != nullptr)
    o.lower_limits.assign(c->lower_limits, c->lower_limits + c->n_limits);
  if (c->n_limits > 0 && c->upper_limits != nullptr)
    o.upper_limits.assign(c->upper_limits, c->upper_limits + c->n_limits);
  if (c->lambda_min_ratio != 0.0) o.lambda_min_ratio = c->lambda_min_ratio;
  if (c->tol != 0.0) o.tol = c->tol;
  o.standardize = c->standardize != 0;
  o.intercept = c->intercept != 0;
  o.max_iter = c->max_iter;
  o.block_size = c->block_size;
  if (c->check_every != 0) o.check_every = c->check_every;
  // alpha, lambdas, nlambda, max_iter, binomial, ...; multinomial's own checks are fit()'s (the
  // entry points that do not take it refuse it by name), the rest as for the other families
  regpath::Options rest = o;
  if (rest.family == regpath::Family::multinomial) rest.family = regpath::Family::gaussian;
  regpath::validate_options(rest);
  return o;
}

// options->weights, the n weights of a fit of n rows (none when NULL), into o.weights; their
// values are checked by the fit, which names the bad one.
void read_weights(const regpath_options* c, std::int64_t n, regpath::Options& o) {
  if (c->weights != nullptr && n > 0) o.weights.assign(c->weights, c->weights + n);
}

// The struct kept its version-2 size and offsets: weights took reserved[0]'s place.
static_assert(sizeof(regpath_options) == 144 && offsetof(regpath_options, weights) == 136,
              "regpath_options changed its layout: raise REGPATH_C_API_VERSION and say so");

// ---- fits ---------------------------------------------------------------------------------------

// Checks the C arguments of a fit; returns the number of elements X spans, ldx·(p−1) + n.
template <typename T>
std::int64_t check_fit_arguments(std::int64_t n, std::int64_t p, const T* X, std::int64_t ldx,
                                 const T* y, regpath_path** out) {
  if (out == nullptr) null_argument("out");
  if (X == nullptr) null_argument("X");
  if (y == nullptr) null_argument("y");
  if (n < 2) bad_argument("n", n, "need at least 2 observations");
  if (p < 1) bad_argument("p", p, "need at least 1 feature");
  if (ldx < n) {
    std::ostringstream msg;
    msg << "invalid ldx = " << ldx << ": the leading dimension must be ≥ n = " << n;
    throw Failure(REGPATH_ERROR_INVALID_ARGUMENT, msg.str());
  }
  const std::int64_t limit = std::numeric_limits<std::int64_t>::max() / std::int64_t{sizeof(T)};
  if (ldx > (limit - n) / p) {  // ldx·(p−1) + n ≤ ldx·p + n must fit in bytes
    std::ostringstream msg;
    msg << "invalid ldx = " << ldx << " with p = " << p
        << ": X would span more bytes than a 64-bit size can count";
    throw Failure(REGPATH_ERROR_INVALID_ARGUMENT, msg.str());
  }
  return ldx * (p - 1) + n;
}

template <typename T>
regpath_path* fit_host(const regpath::Options& o, std::int64_t n, std::int64_t p, const T* X,
                       std::int64_t ldx, const T* y) {
  regpath::Path path = regpath::fit(regpath::MatrixView<T>{X, n, p, ldx}, y, o);
  return new regpath_path{std::move(path)};
}

// offset: n values added to the rows' linear predictors (regpath_fit_offset_d/_s), or NULL.
template <typename T>
int fit_c(const char* function, const regpath_options* options, std::int64_t n, std::int64_t p,
          const T* X, std::int64_t ldx, const T* y, regpath_path** out,
          const double* offset = nullptr) noexcept {
  if (out != nullptr) *out = nullptr;
  const int device = options != nullptr ? options->device : -1;
  return guarded(function, device, [&] {
    regpath::Options o = to_cpp(options);
    check_fit_arguments(n, p, X, ldx, y, out);
    read_weights(options, n, o);
    if (offset != nullptr && o.family == regpath::Family::multinomial)
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                    "invalid offset: family multinomial takes glmnet's n × C offset matrix "
                    "through regpath_fit_multinomial_d/_s, not one offset per row (which would "
                    "cancel in the softmax)");
    if (offset != nullptr) o.offset.assign(offset, offset + n);
    *out = fit_host(o, n, p, X, ldx, y);
    (*out)->fitted_with_offset = offset != nullptr;
  });
}

// The offset's columns: 1, or family multinomial's C read from the labels y (checked first,
// finite and 0 … C−1, so that the n × C values' extent is known before they are read).
template <typename T>
std::int64_t offset_columns(const regpath::Options& o, const T* y, std::int64_t n) {
  if (o.family != regpath::Family::multinomial) return 1;
  for (std::int64_t i = 0; i < n; ++i)
    if (!std::isfinite(double(y[i]))) {
      std::ostringstream msg;
      msg << "invalid y: value " << double(y[i]) << " at row " << i + 1 << " is not finite";
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT, msg.str());
    }
  return regpath::detail::multinomial_class_count(y, n);
}

// Family multinomial with its own arguments (regpath_fit_multinomial_d / _s): glmnet's
// type.multinomial and its n × C offset matrix, C read from the labels (checked first, so that
// the offset's extent is known before it is read).
template <typename T>
int fit_multinomial_c(const char* function, const regpath_options* options, std::int64_t n,
                      std::int64_t p, const T* X, std::int64_t ldx, const T* y,
                      int type_multinomial, const double* offset, regpath_path** out) noexcept {
  if (out != nullptr) *out = nullptr;
  const int device = options != nullptr ? options->device : -1;
  return guarded(function, device, [&] {
    regpath::Options o = to_cpp(options);
    if (o.family != regpath::Family::multinomial)
      bad_argument("options->family", options->family, "must be REGPATH_MULTINOMIAL (3)");
    if (type_multinomial != REGPATH_MULTINOMIAL_UNGROUPED &&
        type_multinomial != REGPATH_MULTINOMIAL_GROUPED)
      bad_argument("type_multinomial", type_multinomial,
                   "must be REGPATH_MULTINOMIAL_UNGROUPED (0) or REGPATH_MULTINOMIAL_GROUPED (1)");
    check_fit_arguments(n, p, X, ldx, y, out);
    read_weights(options, n, o);
    o.type_multinomial = type_multinomial == REGPATH_MULTINOMIAL_GROUPED
                             ? regpath::MultinomialType::grouped
                             : regpath::MultinomialType::ungrouped;
    if (offset != nullptr) o.offset.assign(offset, offset + n * offset_columns(o, y, n));
    *out = fit_host(o, n, p, X, ldx, y);
    (*out)->fitted_with_offset = offset != nullptr;
    (*out)->type_multinomial = o.type_multinomial;
  });
}

// A CSC X in host memory (regpath_fit_csc_d / _s): the pointers are checked here, the entries
// by regpath::fit (SparseDesign's messages name column, position and row index).
template <typename T>
int fit_csc_c(const char* function, const regpath_options* options, std::int64_t n,
              std::int64_t p, const std::int64_t* col_ptr, const std::int64_t* row_idx,
              const T* values, const T* y, regpath_path** out) noexcept {
  if (out != nullptr) *out = nullptr;
  const int device = options != nullptr ? options->device : -1;
  return guarded(function, device, [&] {
    regpath::Options o = to_cpp(options);
    read_weights(options, n, o);  // weighted gaussian + factors of 0: refused by regpath::fit
    if (out == nullptr) throw std::invalid_argument("invalid out: NULL pointer");
    if (p < 1 || col_ptr == nullptr)
      throw std::invalid_argument("invalid col_ptr: NULL pointer or p = " + std::to_string(p) +
                                  " < 1");
    const std::int64_t nnz = col_ptr[p];
    regpath::Path path = regpath::fit(
        regpath::SparseMatrixView<T>{n, p, nnz, col_ptr, row_idx, values}, y, o);
    *out = new regpath_path{std::move(path)};
  });
}

// Rows split between ranks (regpath_fit_distributed_d / _s). Only a missing communicator fails
// at once, on its rank (there is no one to tell); every other argument error is agreed on by
// all ranks (api/fit_distributed.hpp), so that none is left waiting in a collective.
template <typename T>
int fit_distributed_c(const char* function, const regpath_communicator* comm,
                      const regpath_options* options, std::int64_t local_n, std::int64_t p,
                      const T* X, std::int64_t ldx, const T* y, regpath_path** out) noexcept {
  if (out != nullptr) *out = nullptr;
  return guarded(function, REGPATH_DEVICE_CPU, [&] {
    if (comm == nullptr) null_argument("comm");
    if (comm->sum == nullptr || comm->max == nullptr || comm->broadcast == nullptr)
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                    "invalid comm: a NULL function pointer (sum, max and broadcast are needed)");
    if (comm->size < 1 || comm->rank < 0 || comm->rank >= comm->size)
      bad_argument("comm->rank", comm->rank,
                   ("must be in 0 … size − 1 (size " + std::to_string(comm->size) + ")").c_str());
    std::string error;
    regpath::Options o;
    try {
      o = to_cpp(options);
      if (out == nullptr) null_argument("out");
      if (p < 1) bad_argument("p", p, "need at least 1 feature");
      if (local_n < 0) bad_argument("local_n", local_n, "must be ≥ 0");
      read_weights(options, local_n, o);
    } catch (const std::exception& e) {
      error = e.what();
    }
    const regpath::CallbackCommunicator cpp(*comm);
    regpath::Path path = regpath::detail::fit_distributed(
        cpp, regpath::MatrixView<T>{X, local_n, p, ldx}, y, o, error);
    *out = new regpath_path{std::move(path)};
  });
}

template <typename T>
int fit_device_c(const char* function, const regpath_options* options, std::int64_t n,
                 std::int64_t p, const T* X, std::int64_t ldx, const T* y,
                 regpath_path** out) noexcept {
  if (out != nullptr) *out = nullptr;
  // Device input is always fitted on CUDA: a std::runtime_error is a device failure.
  return guarded(function, REGPATH_DEVICE_CUDA, [&] {
    const regpath::Options o = to_cpp(options);
    check_fit_arguments(n, p, X, ldx, y, out);
    if (o.family == regpath::Family::multinomial)
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                    "invalid family = REGPATH_MULTINOMIAL (3): not available for X in device "
                    "memory yet; fit from host memory (regpath_fit_d/_s)");
    if (options->weights != nullptr)
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                    "invalid weights: observation weights are not available for X in device "
                    "memory yet; fit from host memory (regpath_fit_d/_s) to weight the rows");
    const regpath::detail::FeatureSelection selection = regpath::detail::select_features(o, p);
    if (!selection.all())
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                    "invalid exclude: excluded features (exclude, or a penalty factor of +inf) "
                    "are not available for X in device memory yet; leave the columns out of X");
    // The device path has no unpenalized features (it would take a factor of 0 as a 1)
    if (!selection.unpenalized.empty())
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                    "invalid penalty_factors[" +
                        std::to_string(selection.kept[std::size_t(selection.unpenalized[0])]) +
                        "] = 0: a factor of 0 (an unpenalized feature) is not available for X in "
                        "device memory yet; fit from host memory (regpath_fit_d/_s)");
    std::string why;
    if (!regpath::cuda_available(&why))
      throw Failure(REGPATH_ERROR_DEVICE,
                    "X and y are in device memory, but no CUDA device is usable: " + why);
    if (o.device == regpath::Device::cpu)
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                    "invalid device = REGPATH_DEVICE_CPU (1): X and y in device memory are fitted "
                    "on CUDA, where they are; use REGPATH_DEVICE_AUTO or REGPATH_DEVICE_CUDA");
    const regpath::Precision own = std::is_same<T, float>::value ? regpath::Precision::float32
                                                                 : regpath::Precision::float64;
    if (o.precision != own)
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                    std::string("invalid precision = ") + regpath::to_string(o.precision) + ": " +
                        regpath::device_precision_mismatch());
    if (!regpath::is_device_memory(X, &why))
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT, "invalid X: " + why);
    if (!regpath::is_device_memory(y, &why))
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT, "invalid y: " + why);
    // Fitted in place: X and y are read in device memory, never copied to the host.
    regpath::ResolvedOptions ro = regpath::resolve_options_for(o, n, p);
    ro.penalty_factors = selection.factors;
    ro.lower_limits = selection.lower;
    ro.upper_limits = selection.upper;
    regpath::Path path = regpath::run_cuda_device(X, n, p, ldx, y, ro);
    regpath::detail::expand_path(path, selection);  // the limits exactly
    // The accessors hand out only finite numbers (the host fits check inside regpath::fit); the
    // data's magnitudes stay on the device, so the message cannot quote them (NaN: unknown).
    regpath::detail::check_finite(path, "fit", std::nan(""), std::nan(""));
    *out = new regpath_path{std::move(path)};
  });
}

// ---- accessors ----------------------------------------------------------------------------------

template <typename Out, class Copy>
int read_path(const char* function, const regpath_path* path, Out* out, Copy&& copy) noexcept {
  return guarded(function, -1, [&] {
    if (path == nullptr) null_argument("path");
    if (out == nullptr) null_argument("out");
    copy(path->path, out);
  });
}

template <typename V, typename Out>
void copy_all(const std::vector<V>& values, Out* out) {
  std::copy(values.begin(), values.end(), out);
}


// ---- models -------------------------------------------------------------------------------------

const regpath::Model& model_of(const regpath_model* m) {
  if (m == nullptr) null_argument("model");
  return m->model;
}

std::vector<double> lambda_list(std::int64_t n_lambdas, const double* lambdas) {
  if (n_lambdas < 1) bad_argument("n_lambdas", n_lambdas, "must be ≥ 1");
  if (lambdas == nullptr) null_argument("lambdas");
  return std::vector<double>(lambdas, lambdas + n_lambdas);
}

regpath::PredictType predict_type(int type) {
  if (type < REGPATH_PREDICT_LINK || type > REGPATH_PREDICT_CLASS)
    bad_argument("type", type,
                 "must be REGPATH_PREDICT_LINK (0), _RESPONSE (1) or _CLASS (2)");
  return type == REGPATH_PREDICT_LINK       ? regpath::PredictType::link
         : type == REGPATH_PREDICT_RESPONSE ? regpath::PredictType::response
                                            : regpath::PredictType::class_label;
}

// A file that cannot be read or written is REGPATH_ERROR_IO (a bad model file stays
// REGPATH_ERROR_INVALID_ARGUMENT: regpath::ModelError is an invalid_argument).
template <class F>
void file_io(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw Failure(REGPATH_ERROR_IO, e.what());
  }
}

// offset: the new rows' n offsets (regpath_predict_offset_d/_s), or NULL.

// A multinomial model's coefficients and predictions have C columns per λ, which a caller of
// the single-column functions, sizing `out` as n × nλ, would overrun: they refuse it, naming
// the functions with its layout; those refuse the other families' models the same way.
void check_columns_per_lambda(const regpath::Model& m, bool multinomial_call,
                              const char* other_functions) {
  const bool multinomial = m.family == regpath::Family::multinomial;
  if (multinomial == multinomial_call) return;
  throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                multinomial ? "invalid model: a model of family multinomial (" +
                                  std::to_string(m.path.n_classes) +
                                  " classes) has C columns per λ; use " + other_functions
                            : std::string("invalid model: a model of family ") +
                                  regpath::to_string(m.family) +
                                  " (one column per λ); use " + other_functions);
}

// regpath_model_from_path's / _from_cv's feature names: p distinct non-empty names, or none
// (NULL: x1..xp).
std::vector<std::string> feature_names_of(const char* const* feature_names, std::int64_t p) {
  std::vector<std::string> names;
  if (feature_names != nullptr)
    for (std::int64_t j = 0; j < p; ++j) {
      if (feature_names[j] == nullptr) {
        const std::string name = "feature_names[" + std::to_string(j) + "]";
        null_argument(name.c_str());
      }
      names.emplace_back(feature_names[j]);
    }
  std::set<std::string> seen;
  for (std::size_t j = 0; j < names.size(); ++j)
    if (names[j].empty() || !seen.insert(names[j]).second)
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                    "invalid feature_names[" + std::to_string(j) + "] = '" + names[j] +
                        "': names must be non-empty and distinct");
  return names;
}

// The fit's data (read for the standardization only), checked when given (X not NULL).
regpath::MatrixView<double> fit_data_of(std::int64_t n, std::int64_t p, const double* X,
                                        std::int64_t ldx) {
  if (X != nullptr) {
    if (n < 1) bad_argument("n", n, "need at least 1 row with X");
    if (ldx < n) bad_argument("ldx", ldx, "the leading dimension must be ≥ n");
  }
  return regpath::MatrixView<double>{X, n, p, ldx};
}

template <typename T>
int predict_c(const char* function, const regpath_model* model, std::int64_t n, const T* X,
              std::int64_t ldx, std::int64_t n_lambdas, const double* lambdas, int type,
              double* out, const double* offset = nullptr,
              bool multinomial_call = false) noexcept {
  return guarded(function, -1, [&] {
    const regpath::Model& m = model_of(model);
    check_columns_per_lambda(m, multinomial_call,
                             multinomial_call ? "regpath_predict_d/_s (or _offset_d/_s)"
                                              : "regpath_predict_multinomial_d/_s");
    if (X == nullptr) null_argument("X");
    if (out == nullptr) null_argument("out");
    if (n < 1) bad_argument("n", n, "need at least 1 row");
    if (ldx < n) bad_argument("ldx", ldx, "the leading dimension must be ≥ n");
    const std::vector<double> l = lambda_list(n_lambdas, lambdas);
    // glmnet's newoffset: n values, or a multinomial model's n × C
    const std::int64_t offset_values = n * std::max<std::int64_t>(m.path.n_classes, 1);
    const std::vector<double> new_offset = offset != nullptr
                                               ? std::vector<double>(offset, offset + offset_values)
                                               : std::vector<double>{};
    const std::vector<double> pred =
        regpath::predict(m, regpath::MatrixView<T>{X, n, m.n_features(), ldx}, l,
                         predict_type(type), new_offset);
    std::copy(pred.begin(), pred.end(), out);
  });
}
}  // namespace

// ---- the C functions ----------------------------------------------------------------------------

extern "C" {

REGPATH_EXPORT void regpath_options_init(regpath_options* options) {
  if (options == nullptr) return;
  *options = regpath_options{};  // zero: automatic lambda_min_ratio, tol, block size, ...
  options->family = REGPATH_GAUSSIAN;
  options->device = REGPATH_DEVICE_AUTO;
  options->precision = REGPATH_FLOAT64;
  options->nlambda = 100;
  options->standardize = 1;
  options->intercept = 1;
  options->max_iter = 100000;
  options->alpha = 1.0;
  options->lambdas = nullptr;
  options->n_lambdas = 0;
}

REGPATH_EXPORT int regpath_options_validate(const regpath_options* options) {
  return guarded("regpath_options_validate", -1, [&] { to_cpp(options); });
}

REGPATH_EXPORT int regpath_fit_d(const regpath_options* options, int64_t n, int64_t p,
                                 const double* X, int64_t ldx, const double* y,
                                 regpath_path** out) {
  return fit_c("regpath_fit_d", options, n, p, X, ldx, y, out);
}

REGPATH_EXPORT int regpath_fit_s(const regpath_options* options, int64_t n, int64_t p,
                                 const float* X, int64_t ldx, const float* y,
                                 regpath_path** out) {
  return fit_c("regpath_fit_s", options, n, p, X, ldx, y, out);
}

REGPATH_EXPORT int regpath_fit_csc_d(const regpath_options* options, int64_t n, int64_t p,
                                     const int64_t* col_ptr, const int64_t* row_idx,
                                     const double* values, const double* y, regpath_path** out) {
  return fit_csc_c("regpath_fit_csc_d", options, n, p, col_ptr, row_idx, values, y, out);
}

REGPATH_EXPORT int regpath_fit_offset_d(const regpath_options* options, int64_t n, int64_t p,
                                        const double* X, int64_t ldx, const double* y,
                                        const double* offset, regpath_path** out) {
  return fit_c("regpath_fit_offset_d", options, n, p, X, ldx, y, out, offset);
}

REGPATH_EXPORT int regpath_fit_offset_s(const regpath_options* options, int64_t n, int64_t p,
                                        const float* X, int64_t ldx, const float* y,
                                        const double* offset, regpath_path** out) {
  return fit_c("regpath_fit_offset_s", options, n, p, X, ldx, y, out, offset);
}

REGPATH_EXPORT int regpath_fit_multinomial_d(const regpath_options* options, int64_t n,
                                             int64_t p, const double* X, int64_t ldx,
                                             const double* y, int type_multinomial,
                                             const double* offset, regpath_path** out) {
  return fit_multinomial_c("regpath_fit_multinomial_d", options, n, p, X, ldx, y,
                           type_multinomial, offset, out);
}

REGPATH_EXPORT int regpath_fit_multinomial_s(const regpath_options* options, int64_t n,
                                             int64_t p, const float* X, int64_t ldx,
                                             const float* y, int type_multinomial,
                                             const double* offset, regpath_path** out) {
  return fit_multinomial_c("regpath_fit_multinomial_s", options, n, p, X, ldx, y,
                           type_multinomial, offset, out);
}

REGPATH_EXPORT int regpath_fit_distributed_d(const regpath_communicator* comm,
                                             const regpath_options* options, int64_t local_n,
                                             int64_t p, const double* local_X, int64_t ldx,
                                             const double* local_y, regpath_path** out) {
  return fit_distributed_c("regpath_fit_distributed_d", comm, options, local_n, p, local_X, ldx,
                           local_y, out);
}

REGPATH_EXPORT int regpath_fit_distributed_s(const regpath_communicator* comm,
                                             const regpath_options* options, int64_t local_n,
                                             int64_t p, const float* local_X, int64_t ldx,
                                             const float* local_y, regpath_path** out) {
  return fit_distributed_c("regpath_fit_distributed_s", comm, options, local_n, p, local_X, ldx,
                           local_y, out);
}

REGPATH_EXPORT int regpath_fit_csc_s(const regpath_options* options, int64_t n, int64_t p,
                                     const int64_t* col_ptr, const int64_t* row_idx,
                                     const float* values, const float* y, regpath_path** out) {
  return fit_csc_c("regpath_fit_csc_s", options, n, p, col_ptr, row_idx, values, y, out);
}

REGPATH_EXPORT int regpath_fit_device_d(const regpath_options* options, int64_t n, int64_t p,
                                        const double* X, int64_t ldx, const double* y,
                                        regpath_path** out) {
  return fit_device_c("regpath_fit_device_d", options, n, p, X, ldx, y, out);
}

REGPATH_EXPORT int regpath_fit_device_s(const regpath_options* options, int64_t n, int64_t p,
                                        const float* X, int64_t ldx, const float* y,
                                        regpath_path** out) {
  return fit_device_c("regpath_fit_device_s", options, n, p, X, ldx, y, out);
}

REGPATH_EXPORT void regpath_path_free(regpath_path* path) { delete path; }

REGPATH_EXPORT int64_t regpath_path_nlambda(const regpath_path* path) {
  if (path == nullptr) {
    set_error("regpath_path_nlambda", "invalid path: NULL pointer");
    return -1;
  }
  return path->path.nlambda();
}

REGPATH_EXPORT int64_t regpath_path_nfeatures(const regpath_path* path) {
  if (path == nullptr) {
    set_error("regpath_path_nfeatures", "invalid path: NULL pointer");
    return -1;
  }
  return path->path.n_features;
}

REGPATH_EXPORT int64_t regpath_path_nclasses(const regpath_path* path) {
  if (path == nullptr) {
    set_error("regpath_path_nclasses", "invalid path: NULL pointer");
    return -1;
  }
  return path->path.n_classes;
}

REGPATH_EXPORT int regpath_path_lambdas(const regpath_path* path, double* out) {
  return read_path("regpath_path_lambdas", path, out,
                   [](const regpath::Path& p, double* o) { copy_all(p.lambdas, o); });
}

REGPATH_EXPORT int regpath_path_intercepts(const regpath_path* path, double* out) {
  return read_path("regpath_path_intercepts", path, out,
                   [](const regpath::Path& p, double* o) { copy_all(p.intercepts, o); });
}

REGPATH_EXPORT int regpath_path_coefs(const regpath_path* path, double* out) {
  return read_path("regpath_path_coefs", path, out,
                   [](const regpath::Path& p, double* o) { copy_all(p.coefs, o); });
}

REGPATH_EXPORT int regpath_path_status(const regpath_path* path, int* out) {
  return read_path("regpath_path_status", path, out, [](const regpath::Path& p, int* o) {
    for (const regpath::Status s : p.status) *o++ = static_cast<int>(s);
  });
}

REGPATH_EXPORT int regpath_path_gaps(const regpath_path* path, double* out) {
  return read_path("regpath_path_gaps", path, out,
                   [](const regpath::Path& p, double* o) { copy_all(p.gaps, o); });
}

REGPATH_EXPORT int regpath_path_iterations(const regpath_path* path, int* out) {
  return read_path("regpath_path_iterations", path, out,
                   [](const regpath::Path& p, int* o) { copy_all(p.iterations, o); });
}

REGPATH_EXPORT int regpath_path_dev_ratio(const regpath_path* path, double* out) {
  return read_path("regpath_path_dev_ratio", path, out,
                   [](const regpath::Path& p, double* o) { copy_all(p.dev_ratio, o); });
}

REGPATH_EXPORT int regpath_path_lambda_max(const regpath_path* path, double* out) {
  return read_path("regpath_path_lambda_max", path, out,
                   [](const regpath::Path& p, double* o) { *o = p.lambda_max; });
}

REGPATH_EXPORT int regpath_path_device(const regpath_path* path, int* out) {
  return read_path("regpath_path_device", path, out,
                   [](const regpath::Path& p, int* o) { *o = static_cast<int>(p.device); });
}

REGPATH_EXPORT int regpath_model_from_path(const regpath_path* path,
                                           const regpath_options* options,
                                           const char* const* feature_names, int64_t n,
                                           const double* X, int64_t ldx, regpath_model** out) {
  if (out != nullptr) *out = nullptr;
  return guarded("regpath_model_from_path", -1, [&] {
    if (path == nullptr) null_argument("path");
    if (out == nullptr) null_argument("out");
    regpath::Options o = to_cpp(options);
    if (path->fitted_with_offset) o.offset = {0.0};  // the model records that it had one
    o.type_multinomial = path->type_multinomial;
    const std::int64_t p = path->path.n_features;
    std::vector<std::string> names = feature_names_of(feature_names, p);
    const regpath::MatrixView<double> view = fit_data_of(n, p, X, ldx);
    *out = new regpath_model{
        regpath::make_model(path->path, o, std::move(names), X != nullptr ? &view : nullptr)};
  });
}

REGPATH_EXPORT int regpath_model_save(const regpath_model* model, const char* file) {
  return guarded("regpath_model_save", -1, [&] {
    const regpath::Model& m = model_of(model);
    if (file == nullptr) null_argument("file");
    file_io([&] { regpath::save_model(m, file); });
  });
}

REGPATH_EXPORT int regpath_model_load(const char* file, regpath_model** out) {
  if (out != nullptr) *out = nullptr;
  return guarded("regpath_model_load", -1, [&] {
    if (file == nullptr) null_argument("file");
    if (out == nullptr) null_argument("out");
    regpath::Model m;
    file_io([&] { m = regpath::load_model(file); });
    *out = new regpath_model{std::move(m)};
  });
}

REGPATH_EXPORT void regpath_model_free(regpath_model* model) { delete model; }

REGPATH_EXPORT int64_t regpath_model_nfeatures(const regpath_model* model) {
  if (model == nullptr) {
    set_error("regpath_model_nfeatures", "invalid model: NULL pointer");
    return -1;
  }
  return model->model.n_features();
}

REGPATH_EXPORT int64_t regpath_model_nlambda(const regpath_model* model) {
  if (model == nullptr) {
    set_error("regpath_model_nlambda", "invalid model: NULL pointer");
    return -1;
  }
  return model->model.path.nlambda();
}

REGPATH_EXPORT int regpath_model_lambdas(const regpath_model* model, double* out) {
  return guarded("regpath_model_lambdas", -1, [&] {
    const regpath::Model& m = model_of(model);
    if (out == nullptr) null_argument("out");
    copy_all(m.path.lambdas, out);
  });
}

REGPATH_EXPORT int regpath_model_family(const regpath_model* model, int* out) {
  return guarded("regpath_model_family", -1, [&] {
    const regpath::Model& m = model_of(model);
    if (out == nullptr) null_argument("out");
    *out = static_cast<int>(m.family);
  });
}

REGPATH_EXPORT const char* regpath_model_feature_name(const regpath_model* model, int64_t j) {
  const char* name = nullptr;
  guarded("regpath_model_feature_name", -1, [&] {
    const regpath::Model& m = model_of(model);
    if (j < 0 || j >= m.n_features())
      bad_argument("j", j, ("must be in 0.." + std::to_string(m.n_features() - 1)).c_str());
    name = m.feature_names[static_cast<std::size_t>(j)].c_str();
  });
  return name;
}

REGPATH_EXPORT int regpath_model_cv_lambdas(const regpath_model* model, double* lambda_min,
                                            double* lambda_1se) {
  return guarded("regpath_model_cv_lambdas", -1, [&] {
    const regpath::Model& m = model_of(model);
    if (lambda_min == nullptr) null_argument("lambda_min");
    if (lambda_1se == nullptr) null_argument("lambda_1se");
    if (!m.cv)
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                    "invalid model: a model of a fit, without cross-validation (no lambda.min)");
    *lambda_min = m.cv->lambda_min;
    *lambda_1se = m.cv->lambda_1se;
  });
}

REGPATH_EXPORT int regpath_model_coefficients(const regpath_model* model, int64_t n_lambdas,
                                              const double* lambdas, double* intercepts,
                                              double* coefs) {
  return guarded("regpath_model_coefficients", -1, [&] {
    const regpath::Model& m = model_of(model);
    check_columns_per_lambda(m, false, "regpath_model_coefficients_multinomial");
    if (intercepts == nullptr) null_argument("intercepts");
    if (coefs == nullptr) null_argument("coefs");
    const regpath::Coefficients c = regpath::coefficients(m, lambda_list(n_lambdas, lambdas));
    copy_all(c.intercepts, intercepts);
    copy_all(c.coefs, coefs);
  });
}

REGPATH_EXPORT int64_t regpath_model_nclasses(const regpath_model* model) {
  if (model == nullptr) {
    set_error("regpath_model_nclasses", "invalid model: NULL pointer");
    return -1;
  }
  return model->model.path.n_classes;
}

REGPATH_EXPORT int regpath_model_class_labels(const regpath_model* model, double* out) {
  return guarded("regpath_model_class_labels", -1, [&] {
    const regpath::Model& m = model_of(model);
    if (m.family != regpath::Family::multinomial)
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                    std::string("invalid model: a model of family ") +
                        regpath::to_string(m.family) + " has no classes (nclasses 0)");
    if (out == nullptr) null_argument("out");
    copy_all(m.class_labels, out);
  });
}

REGPATH_EXPORT int regpath_model_coefficients_multinomial(const regpath_model* model,
                                                          int64_t n_lambdas,
                                                          const double* lambdas,
                                                          double* intercepts, double* coefs) {
  return guarded("regpath_model_coefficients_multinomial", -1, [&] {
    const regpath::Model& m = model_of(model);
    check_columns_per_lambda(m, true, "regpath_model_coefficients");
    if (intercepts == nullptr) null_argument("intercepts");
    if (coefs == nullptr) null_argument("coefs");
    // Coefficients' multinomial layout is the C one: λ k, class c in column k·C + c
    const regpath::Coefficients c = regpath::coefficients(m, lambda_list(n_lambdas, lambdas));
    copy_all(c.intercepts, intercepts);
    copy_all(c.coefs, coefs);
  });
}

REGPATH_EXPORT int regpath_predict_d(const regpath_model* model, int64_t n, const double* X,
                                     int64_t ldx, int64_t n_lambdas, const double* lambdas,
                                     int type, double* out) {
  return predict_c("regpath_predict_d", model, n, X, ldx, n_lambdas, lambdas, type, out);
}

REGPATH_EXPORT int regpath_predict_s(const regpath_model* model, int64_t n, const float* X,
                                     int64_t ldx, int64_t n_lambdas, const double* lambdas,
                                     int type, double* out) {
  return predict_c("regpath_predict_s", model, n, X, ldx, n_lambdas, lambdas, type, out);
}

REGPATH_EXPORT int regpath_predict_offset_d(const regpath_model* model, int64_t n,
                                            const double* X, int64_t ldx, const double* offset,
                                            int64_t n_lambdas, const double* lambdas, int type,
                                            double* out) {
  return predict_c("regpath_predict_offset_d", model, n, X, ldx, n_lambdas, lambdas, type, out,
                   offset);
}

REGPATH_EXPORT int regpath_predict_offset_s(const regpath_model* model, int64_t n,
                                            const float* X, int64_t ldx, const double* offset,
                                            int64_t n_lambdas, const double* lambdas, int type,
                                            double* out) {
  return predict_c("regpath_predict_offset_s", model, n, X, ldx, n_lambdas, lambdas, type, out,
                   offset);
}

REGPATH_EXPORT int regpath_predict_multinomial_d(const regpath_model* model, int64_t n,
                                                 const double* X, int64_t ldx,
                                                 const double* offset, int64_t n_lambdas,
                                                 const double* lambdas, int type, double* out) {
  return predict_c("regpath_predict_multinomial_d", model, n, X, ldx, n_lambdas, lambdas, type,
                   out, offset, /*multinomial_call=*/true);
}

REGPATH_EXPORT int regpath_predict_multinomial_s(const regpath_model* model, int64_t n,
                                                 const float* X, int64_t ldx,
                                                 const double* offset, int64_t n_lambdas,
                                                 const double* lambdas, int type, double* out) {
  return predict_c("regpath_predict_multinomial_s", model, n, X, ldx, n_lambdas, lambdas, type,
                   out, offset, /*multinomial_call=*/true);
}

REGPATH_EXPORT const char* regpath_last_error(void) { return t_error_text; }

REGPATH_EXPORT const char* regpath_status_string(int code) {
  switch (code) {
    case REGPATH_OK: return "ok";
    case REGPATH_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case REGPATH_ERROR_DEVICE: return "device error";
    case REGPATH_ERROR_OUT_OF_MEMORY: return "out of memory";
    case REGPATH_ERROR_INTERNAL: return "internal error";
    case REGPATH_ERROR_IO: return "file error";
    default: return "unknown code";
  }
}

REGPATH_EXPORT const char* regpath_path_status_string(int status) {
  switch (status) {
    case REGPATH_STATUS_CONVERGED: return "converged";
    case REGPATH_STATUS_MAX_ITER: return "max_iter";
    case REGPATH_STATUS_STALLED: return "stalled";
    default: return "unknown status";
  }
}

REGPATH_EXPORT const char* regpath_version(void) { return regpath::version(); }

REGPATH_EXPORT int regpath_cuda_available(void) {
  try {
    return regpath::cuda_available() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

}  // extern "C"

// ---- many responses -----------------------------------------------------------------------------

namespace {

template <typename T>
int fit_many_c(const char* function, const regpath_options* options, std::int64_t n,
               std::int64_t p, const T* X, std::int64_t ldx, std::int64_t m, const T* Y,
               std::int64_t ldy, regpath_paths** out) noexcept {
  if (out != nullptr) *out = nullptr;
  const int device = options != nullptr ? options->device : -1;
  return guarded(function, device, [&] {
    regpath::Options o = to_cpp(options);
    if (out == nullptr) null_argument("out");
    if (Y == nullptr) null_argument("Y");
    regpath_path* unused = nullptr;  // the shared checks of n, p, X and ldx
    check_fit_arguments(n, p, X, ldx, Y, &unused);
    read_weights(options, n, o);
    if (m < 1) bad_argument("m", m, "need at least 1 response");
    if (ldy < n) {
      std::ostringstream msg;
      msg << "invalid ldy = " << ldy << ": the leading dimension must be ≥ n = " << n;
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT, msg.str());
    }
    const std::int64_t limit = std::numeric_limits<std::int64_t>::max() / std::int64_t{sizeof(T)};
    if (ldy > (limit - n) / m) {
      std::ostringstream msg;
      msg << "invalid ldy = " << ldy << " with m = " << m
          << ": Y would span more bytes than a 64-bit size can count";
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT, msg.str());
    }
    std::vector<regpath::Path> paths = regpath::fit(regpath::MatrixView<T>{X, n, p, ldx},
                                                    regpath::MatrixView<T>{Y, n, m, ldy}, o);
    auto result = std::make_unique<regpath_paths>();
    result->paths.reserve(paths.size());
    for (regpath::Path& path : paths) result->paths.push_back(regpath_path{std::move(path)});
    *out = result.release();
  });
}

}  // namespace

extern "C" {

REGPATH_EXPORT int regpath_fit_many_d(const regpath_options* options, int64_t n, int64_t p,
                                      const double* X, int64_t ldx, int64_t m, const double* Y,
                                      int64_t ldy, regpath_paths** out) {
  return fit_many_c("regpath_fit_many_d", options, n, p, X, ldx, m, Y, ldy, out);
}

REGPATH_EXPORT int regpath_fit_many_s(const regpath_options* options, int64_t n, int64_t p,
                                      const float* X, int64_t ldx, int64_t m, const float* Y,
                                      int64_t ldy, regpath_paths** out) {
  return fit_many_c("regpath_fit_many_s", options, n, p, X, ldx, m, Y, ldy, out);
}

REGPATH_EXPORT void regpath_paths_free(regpath_paths* paths) { delete paths; }

REGPATH_EXPORT int64_t regpath_paths_count(const regpath_paths* paths) {
  if (paths == nullptr) {
    set_error("regpath_paths_count", "invalid paths: NULL pointer");
    return -1;
  }
  return static_cast<int64_t>(paths->paths.size());
}

REGPATH_EXPORT const regpath_path* regpath_paths_get(const regpath_paths* paths, int64_t k) {
  if (paths == nullptr) {
    set_error("regpath_paths_get", "invalid paths: NULL pointer");
    return nullptr;
  }
  if (k < 0 || k >= static_cast<int64_t>(paths->paths.size())) {
    const std::string what = "invalid k = " + std::to_string(k) + ": the responses are 0.." +
                             std::to_string(paths->paths.size() - 1);
    set_error("regpath_paths_get", what.c_str());
    return nullptr;
  }
  return &paths->paths[static_cast<std::size_t>(k)];
}

}  // extern "C"

// ---- cross-validation ---------------------------------------------------------------------------

static_assert(sizeof(regpath_cv_options) == 104, "regpath_cv_options changed its layout: raise "
              "REGPATH_C_API_VERSION and say so");

// CvCurve's full-data paths as regpath_path handles that regpath_cv_path lends out.
struct regpath_cv {
  regpath::CvResult result;
  std::vector<regpath_path> paths;  // paths[c]: curve c's full-data fit
};

static_assert(REGPATH_MEASURE_DEFAULT == static_cast<int>(regpath::CvMeasure::automatic), "cv");
static_assert(REGPATH_MEASURE_MSE == static_cast<int>(regpath::CvMeasure::mse), "cv");
static_assert(REGPATH_MEASURE_MAE == static_cast<int>(regpath::CvMeasure::mae), "cv");
static_assert(REGPATH_MEASURE_DEVIANCE == static_cast<int>(regpath::CvMeasure::deviance), "cv");
static_assert(REGPATH_MEASURE_CLASS == static_cast<int>(regpath::CvMeasure::misclassification),
              "cv");
static_assert(REGPATH_MEASURE_AUC == static_cast<int>(regpath::CvMeasure::auc), "cv");

namespace {

// The C cv options → CvOptions, and the offset and type.multinomial into `o` (n rows; C
// classes read from y for a multinomial offset, its labels checked first). Throws.
template <typename T>
regpath::CvOptions cv_to_cpp(const regpath_cv_options* c, std::int64_t n, const T* y,
                             regpath::Options& o) {
  if (c == nullptr) null_argument("cv_options");
  for (std::size_t k = 0; k < sizeof c->reserved / sizeof c->reserved[0]; ++k)
    if (c->reserved[k] != 0)
      throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                    "invalid cv_options->reserved[" + std::to_string(k) +
                        "]: must be 0 (start from regpath_cv_options_init)");
  if (c->type_measure < REGPATH_MEASURE_DEFAULT || c->type_measure > REGPATH_MEASURE_AUC)
    bad_argument("type_measure", c->type_measure,
                 "must be one of REGPATH_MEASURE_DEFAULT (0), _MSE, _MAE, _DEVIANCE, _CLASS, "
                 "_AUC (5)");
  if (c->n_alphas < 0) bad_argument("n_alphas", c->n_alphas, "must be ≥ 0 (0: options->alpha)");
  if (c->n_alphas > 0 && c->alphas == nullptr)
    throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                  "invalid alphas: NULL pointer with n_alphas = " + std::to_string(c->n_alphas));
  if (c->type_multinomial != REGPATH_MULTINOMIAL_UNGROUPED &&
      c->type_multinomial != REGPATH_MULTINOMIAL_GROUPED)
    bad_argument("type_multinomial", c->type_multinomial,
                 "must be REGPATH_MULTINOMIAL_UNGROUPED (0) or REGPATH_MULTINOMIAL_GROUPED (1)");
  if (c->type_multinomial == REGPATH_MULTINOMIAL_GROUPED &&
      o.family != regpath::Family::multinomial)
    throw Failure(REGPATH_ERROR_INVALID_ARGUMENT,
                  "invalid type_multinomial = REGPATH_MULTINOMIAL_GROUPED (1): it needs family "
                  "REGPATH_MULTINOMIAL");
  regpath::CvOptions cv;
  if (c->n_alphas > 0) cv.alphas.assign(c->alphas, c->alphas + c->n_alphas);
  cv.nfolds = c->nfolds;
  if (c->foldid != nullptr && n > 0) cv.foldid.assign(c->foldid, c->foldid + n);
  cv.seed = c->seed;
  cv.type_measure = static_cast<regpath::CvMeasure>(c->type_measure);
  o.type_multinomial = c->type_multinomial == REGPATH_MULTINOMIAL_GROUPED
                           ? regpath::MultinomialType::grouped
                           : regpath::MultinomialType::ungrouped;
  if (c->offset != nullptr) o.offset.assign(c->offset, c->offset + n * offset_columns(o, y, n));
  return cv;
}

regpath_cv* new_cv(regpath::CvResult result) {
  auto out = std::make_unique<regpath_cv>();
  out->result = std::move(result);
  out->paths.reserve(out->result.curves.size());
  for (const regpath::CvCurve& c : out->result.curves) out->paths.push_back(regpath_path{c.path});
  return out.release();
}

// Dense X: regpath_cv_d / _s.
template <typename T>
int cv_c(const char* function, const regpath_options* options,
         const regpath_cv_options* cv_options, std::int64_t n, std::int64_t p, const T* X,
         std::int64_t ldx, const T* y, regpath_cv** out) noexcept {
  if (out != nullptr) *out = nullptr;
  const int device = options != nullptr ? options->device : -1;
  return guarded(function, device, [&] {
    regpath::Options o = to_cpp(options);
    regpath_path* unused = nullptr;  // the shared checks of n, p, X, ldx and y
    check_fit_arguments(n, p, X, ldx, y, &unused);
    if (out == nullptr) null_argument("out");
    read_weights(options, n, o);
    const regpath::CvOptions cv = cv_to_cpp(cv_options, n, y, o);
    const bool offset = !o.offset.empty();
    *out = new_cv(regpath::cross_validate(regpath::MatrixView<T>{X, n, p, ldx}, y, o, cv));
    for (regpath_path& path : (*out)->paths) {
      path.fitted_with_offset = offset;
      path.type_multinomial = o.type_multinomial;
    }
  });
}

// CSC X: regpath_cv_csc_d / _s (the entries checked by cross_validate, as by the sparse fit).
template <typename T>
int cv_csc_c(const char* function, const regpath_options* options,
             const regpath_cv_options* cv_options, std::int64_t n, std::int64_t p,
             const std::int64_t* col_ptr, const std::int64_t* row_idx, const T* values,
             const T* y, regpath_cv** out) noexcept {
  if (out != nullptr) *out = nullptr;
  const int device = options != nullptr ? options->device : -1;
  return guarded(function, device, [&] {
    regpath::Options o = to_cpp(options);
    if (out == nullptr) null_argument("out");
    if (y == nullptr) null_argument("y");
    if (n < 2) bad_argument("n", n, "need at least 2 observations");
    if (p < 1 || col_ptr == nullptr)
      throw std::invalid_argument("invalid col_ptr: NULL pointer or p = " + std::to_string(p) +
                                  " < 1");
    read_weights(options, n, o);
    const regpath::CvOptions cv = cv_to_cpp(cv_options, n, y, o);
    const bool offset = !o.offset.empty();
    const std::int64_t nnz = col_ptr[p];
    *out = new_cv(regpath::cross_validate(
        regpath::SparseMatrixView<T>{n, p, nnz, col_ptr, row_idx, values}, y, o, cv));
    for (regpath_path& path : (*out)->paths) {
      path.fitted_with_offset = offset;
      path.type_multinomial = o.type_multinomial;
    }
  });
}

// Curve `curve` of `cv`, or a Failure naming the argument.
const regpath::CvCurve& curve_of(const regpath_cv* cv, std::int64_t curve) {
  if (cv == nullptr) null_argument("cv");
  const auto count = static_cast<std::int64_t>(cv->result.curves.size());
  if (curve < 0 || curve >= count)
    bad_argument("curve", curve,
                 ("the curves are 0 … " + std::to_string(count - 1) + " (one per α)").c_str());
  return cv->result.curves[static_cast<std::size_t>(curve)];
}

template <typename Out, class Copy>
int read_curve(const char* function, const regpath_cv* cv, std::int64_t curve, Out* out,
               Copy&& copy) noexcept {
  return guarded(function, -1, [&] {
    const regpath::CvCurve& c = curve_of(cv, curve);
    if (out == nullptr) null_argument("out");
    copy(c, out);
  });
}

}  // namespace

extern "C" {

REGPATH_EXPORT void regpath_cv_options_init(regpath_cv_options* cv_options) {
  if (cv_options == nullptr) return;
  *cv_options = regpath_cv_options{};
  cv_options->nfolds = 10;
  cv_options->seed = 1;
}

REGPATH_EXPORT int regpath_cv_d(const regpath_options* options,
                                const regpath_cv_options* cv_options, int64_t n, int64_t p,
                                const double* X, int64_t ldx, const double* y,
                                regpath_cv** out) {
  return cv_c("regpath_cv_d", options, cv_options, n, p, X, ldx, y, out);
}

REGPATH_EXPORT int regpath_cv_s(const regpath_options* options,
                                const regpath_cv_options* cv_options, int64_t n, int64_t p,
                                const float* X, int64_t ldx, const float* y, regpath_cv** out) {
  return cv_c("regpath_cv_s", options, cv_options, n, p, X, ldx, y, out);
}

REGPATH_EXPORT int regpath_cv_csc_d(const regpath_options* options,
                                    const regpath_cv_options* cv_options, int64_t n, int64_t p,
                                    const int64_t* col_ptr, const int64_t* row_idx,
                                    const double* values, const double* y, regpath_cv** out) {
  return cv_csc_c("regpath_cv_csc_d", options, cv_options, n, p, col_ptr, row_idx, values, y,
                  out);
}

REGPATH_EXPORT int regpath_cv_csc_s(const regpath_options* options,
                                    const regpath_cv_options* cv_options, int64_t n, int64_t p,
                                    const int64_t* col_ptr, const int64_t* row_idx,
                                    const float* values, const float* y, regpath_cv** out) {
  return cv_csc_c("regpath_cv_csc_s", options, cv_options, n, p, col_ptr, row_idx, values, y,
                  out);
}

REGPATH_EXPORT void regpath_cv_free(regpath_cv* cv) { delete cv; }

REGPATH_EXPORT int64_t regpath_cv_ncurves(const regpath_cv* cv) {
  if (cv == nullptr) {
    set_error("regpath_cv_ncurves", "invalid cv: NULL pointer");
    return -1;
  }
  return static_cast<int64_t>(cv->result.curves.size());
}

REGPATH_EXPORT int regpath_cv_summary(const regpath_cv* cv, int64_t* best, int* nfolds,
                                      int* type_measure) {
  return guarded("regpath_cv_summary", -1, [&] {
    if (cv == nullptr) null_argument("cv");
    if (best != nullptr) *best = static_cast<int64_t>(cv->result.best);
    if (nfolds != nullptr) *nfolds = cv->result.nfolds;
    if (type_measure != nullptr) *type_measure = static_cast<int>(cv->result.measure);
  });
}

REGPATH_EXPORT int regpath_cv_foldid(const regpath_cv* cv, int* out) {
  return guarded("regpath_cv_foldid", -1, [&] {
    if (cv == nullptr) null_argument("cv");
    if (out == nullptr) null_argument("out");
    copy_all(cv->result.foldid, out);
  });
}

REGPATH_EXPORT int64_t regpath_cv_nlambda(const regpath_cv* cv, int64_t curve) {
  int64_t count = -1;
  const int code = guarded("regpath_cv_nlambda", -1, [&] {
    count = static_cast<int64_t>(curve_of(cv, curve).lambdas.size());
  });
  return code == REGPATH_OK ? count : -1;
}

REGPATH_EXPORT int regpath_cv_alpha(const regpath_cv* cv, int64_t curve, double* out) {
  return read_curve("regpath_cv_alpha", cv, curve, out,
                    [](const regpath::CvCurve& c, double* o) { *o = c.alpha; });
}

REGPATH_EXPORT int regpath_cv_lambdas(const regpath_cv* cv, int64_t curve, double* out) {
  return read_curve("regpath_cv_lambdas", cv, curve, out,
                    [](const regpath::CvCurve& c, double* o) { copy_all(c.lambdas, o); });
}

REGPATH_EXPORT int regpath_cv_cvm(const regpath_cv* cv, int64_t curve, double* out) {
  return read_curve("regpath_cv_cvm", cv, curve, out,
                    [](const regpath::CvCurve& c, double* o) { copy_all(c.cvm, o); });
}

REGPATH_EXPORT int regpath_cv_cvsd(const regpath_cv* cv, int64_t curve, double* out) {
  return read_curve("regpath_cv_cvsd", cv, curve, out,
                    [](const regpath::CvCurve& c, double* o) { copy_all(c.cvsd, o); });
}

REGPATH_EXPORT int regpath_cv_nzero(const regpath_cv* cv, int64_t curve, int64_t* out) {
  return read_curve("regpath_cv_nzero", cv, curve, out,
                    [](const regpath::CvCurve& c, int64_t* o) { copy_all(c.nzero, o); });
}

REGPATH_EXPORT int regpath_cv_lambda_choice(const regpath_cv* cv, int64_t curve,
                                            double* lambda_min, double* lambda_1se) {
  return guarded("regpath_cv_lambda_choice", -1, [&] {
    const regpath::CvCurve& c = curve_of(cv, curve);
    if (lambda_min == nullptr) null_argument("lambda_min");
    if (lambda_1se == nullptr) null_argument("lambda_1se");
    *lambda_min = c.lambda_min;
    *lambda_1se = c.lambda_1se;
  });
}

REGPATH_EXPORT const regpath_path* regpath_cv_path(const regpath_cv* cv, int64_t curve) {
  const regpath_path* path = nullptr;
  guarded("regpath_cv_path", -1, [&] {
    curve_of(cv, curve);
    path = &cv->paths[static_cast<std::size_t>(curve)];
  });
  return path;
}

REGPATH_EXPORT int regpath_model_from_cv(const regpath_cv* cv, const regpath_options* options,
                                         const char* const* feature_names, int64_t n,
                                         const double* X, int64_t ldx, regpath_model** out) {
  if (out != nullptr) *out = nullptr;
  return guarded("regpath_model_from_cv", -1, [&] {
    if (cv == nullptr) null_argument("cv");
    if (out == nullptr) null_argument("out");
    const regpath_path& best = cv->paths[cv->result.best];
    regpath::Options o = to_cpp(options);
    if (best.fitted_with_offset) o.offset = {0.0};  // the model records that it had one
    o.type_multinomial = best.type_multinomial;
    const std::int64_t p = best.path.n_features;
    std::vector<std::string> names = feature_names_of(feature_names, p);
    const regpath::MatrixView<double> view = fit_data_of(n, p, X, ldx);
    *out = new regpath_model{
        regpath::make_model(cv->result, o, std::move(names), X != nullptr ? &view : nullptr)};
  });
}

}  // extern "C"
