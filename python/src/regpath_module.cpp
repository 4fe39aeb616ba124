// regpath._regpath: the C++ API (include/regpath/regpath.hpp) for Python, kept thin: options
// arrive as keyword arguments, results leave as dicts of NumPy arrays, and the Python package
// (python/regpath/) builds its Path, CvResult and estimators on top.
//
// X is read in place when it is a column-major float64/float32 array (Fortran order, or a
// column-major view of one: unit row stride, column stride ≥ rows); anything else is refused
// here and converted once by the Python layer, which knows what the user passed.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "regpath/regpath.h"
#include "regpath/regpath.hpp"

namespace py = pybind11;

namespace {

// Thrown from the progress callback when Python has an error pending (Ctrl-C: the
// KeyboardInterrupt that PyErr_CheckSignals raised, or an exception of the user's callback).
// It unwinds regpath::fit like any exception; the Python error stays set on this thread and is
// raised once the GIL is held again.
struct PythonErrorPending : std::exception {
  const char* what() const noexcept override { return "a Python exception is pending"; }
};

template <typename E>
E parse_enum(const std::string& arg, const std::string& value,
             std::initializer_list<std::pair<const char*, E>> names) {
  std::string known;
  for (const auto& [name, e] : names) {
    if (value == name) return e;
    known += known.empty() ? name : std::string(", ") + name;
  }
  throw std::invalid_argument("invalid " + arg + ": '" + value + "' (one of " + known + ")");
}

regpath::Family parse_family(const std::string& s) {
  return parse_enum<regpath::Family>(
      "family", s,
      {{"gaussian", regpath::Family::gaussian},
       {"binomial", regpath::Family::binomial},
       {"poisson", regpath::Family::poisson},
       {"multinomial", regpath::Family::multinomial}});
}
regpath::Device parse_device(const std::string& s) {
  return parse_enum<regpath::Device>("device", s,
                                     {{"auto", regpath::Device::automatic},
                                      {"automatic", regpath::Device::automatic},
                                      {"cpu", regpath::Device::cpu},
                                      {"cuda", regpath::Device::cuda}});
}
regpath::Precision parse_precision(const std::string& s) {
  return parse_enum<regpath::Precision>(
      "precision", s,
      {{"float64", regpath::Precision::float64}, {"float32", regpath::Precision::float32}});
}

// The options of regpath.hpp, one keyword each (the Python layer passes all of them).
regpath::Options make_options(const std::string& family, double alpha,
                              const std::vector<double>& lambdas, int nlambda,
                              std::optional<double> lambda_min_ratio,
                              std::optional<bool> glmnet_y_scaling, bool standardize,
                              bool intercept, const std::vector<double>& penalty_factors,
                              const std::vector<std::int64_t>& exclude,
                              const std::vector<double>& lower_limits,
                              const std::vector<double>& upper_limits, std::optional<double> tol,
                              int max_iter, const std::string& device,
                              const std::string& precision, int block_size, int check_every,
                              const std::string& type_multinomial) {
  regpath::Options o;
  o.family = parse_family(family);
  o.type_multinomial = parse_enum<regpath::MultinomialType>(
      "type_multinomial", type_multinomial,
      {{"ungrouped", regpath::MultinomialType::ungrouped},
       {"grouped", regpath::MultinomialType::grouped}});
  o.alpha = alpha;
  o.lambdas = lambdas;
  o.nlambda = nlambda;
  o.lambda_min_ratio = lambda_min_ratio;
  o.glmnet_y_scaling = glmnet_y_scaling;
  o.standardize = standardize;
  o.intercept = intercept;
  o.penalty_factors = penalty_factors;
  o.exclude = exclude;
  o.lower_limits = lower_limits;
  o.upper_limits = upper_limits;
  o.tol = tol;
  o.max_iter = max_iter;
  o.device = parse_device(device);
  o.precision = parse_precision(precision);
  o.block_size = block_size;
  o.check_every = check_every;
  return o;
}

// Progress, called by regpath from the fitting thread without the GIL: takes it, checks for
// signals (Ctrl-C) and calls the user's callback, if any. A pending Python error aborts the fit.
void install_progress(regpath::Options& o, py::object user_callback) {
  o.progress = [cb = std::move(user_callback)](double fraction) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw PythonErrorPending();
    if (!cb.is_none()) {
      try {
        cb(fraction);
      } catch (py::error_already_set& e) {
        e.restore();
        throw PythonErrorPending();
      }
    }
  };
}

// A column-major view of `a` without a copy, or an error naming what to convert.
template <typename T>
regpath::MatrixView<T> matrix_view(const py::array& a) {
  if (a.ndim() != 2)
    throw std::invalid_argument("invalid X: " + std::to_string(a.ndim()) +
                                "-dimensional, expected 2 dimensions");
  const auto rows = static_cast<std::int64_t>(a.shape(0));
  const auto cols = static_cast<std::int64_t>(a.shape(1));
  const auto item = static_cast<std::int64_t>(sizeof(T));
  const auto s0 = static_cast<std::int64_t>(a.strides(0));
  const auto s1 = static_cast<std::int64_t>(a.strides(1));
  std::int64_t ld = rows;
  // A dimension of length 1 may carry any stride (NumPy does not normalize it).
  const bool unit_rows = rows <= 1 || s0 == item;
  if (cols > 1) {
    if (s1 % item != 0 || s1 / item < rows) ld = -1;
    else ld = s1 / item;
  }
  if (!unit_rows || ld < 0)
    throw std::invalid_argument("invalid X: not column-major (strides " + std::to_string(s0) +
                                ", " + std::to_string(s1) + "); pass np.asfortranarray(X)");
  regpath::MatrixView<T> v;
  v.data = static_cast<const T*>(a.data());
  v.rows = rows;
  v.cols = cols;
  v.ld = std::max<std::int64_t>(ld, std::max<std::int64_t>(rows, 1));
  return v;
}

template <typename T>
const T* vector_data(const py::array& y, std::int64_t n) {
  if (y.ndim() != 1 || static_cast<std::int64_t>(y.shape(0)) != n)
    throw std::invalid_argument("invalid y: shape does not match the " + std::to_string(n) +
                                " rows of X");
  if (n > 1 && y.strides(0) != static_cast<py::ssize_t>(sizeof(T)))
    throw std::invalid_argument("invalid y: not contiguous");
  return static_cast<const T*>(y.data());
}

template <typename T>
py::array_t<T> to_array(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}

py::dict path_dict(const regpath::Path& p) {
  py::dict d;
  const auto nl = static_cast<py::ssize_t>(p.lambdas.size());
  const auto nf = static_cast<py::ssize_t>(p.n_features);
  d["lambdas"] = to_array(p.lambdas);
  if (p.n_classes > 0) {
    // multinomial: coefs p × (nλ·C), λ k and class c at block column k·C + c, are a
    // Fortran-ordered (p, C, nλ) array; intercepts[k·C + c] a Fortran-ordered (C, nλ) one.
    const auto nc = static_cast<py::ssize_t>(p.n_classes);
    py::array_t<double, py::array::f_style> coef({nf, nc, nl});
    py::array_t<double, py::array::f_style> intercept({nc, nl});
    std::copy(p.coefs.begin(), p.coefs.end(), coef.mutable_data());
    std::copy(p.intercepts.begin(), p.intercepts.end(), intercept.mutable_data());
    d["coef"] = coef;
    d["intercept"] = intercept;
  } else {
    // coefs are p × nλ column-major: a Fortran-ordered (p, nλ) array.
    py::array_t<double, py::array::f_style> coef({nf, nl});
    std::copy(p.coefs.begin(), p.coefs.end(), coef.mutable_data());
    d["coef"] = coef;
    d["intercept"] = to_array(p.intercepts);
  }
  d["n_classes"] = p.n_classes;
  d["iterations"] = to_array(p.iterations);
  d["newton_steps"] = to_array(p.newton_steps);
  d["gaps"] = to_array(p.gaps);
  d["dev_ratio"] = to_array(p.dev_ratio);
  std::vector<std::string> status;
  for (auto s : p.status) status.emplace_back(regpath::to_string(s));
  d["status"] = status;
  d["lambda_max"] = p.lambda_max;
  d["family"] = std::string(regpath::to_string(p.family));
  d["device"] = std::string(regpath::to_string(p.device));
  d["device_name"] = p.device_name;
  d["precision"] = std::string(regpath::to_string(p.precision));
  d["seconds"] = p.seconds;
  d["peak_device_bytes"] = p.peak_device_bytes;
  return d;
}

py::dict cv_dict(const regpath::CvResult& r) {
  py::list curves;
  for (const auto& c : r.curves) {
    py::dict d;
    d["alpha"] = c.alpha;
    d["lambdas"] = to_array(c.lambdas);
    d["cvm"] = to_array(c.cvm);
    d["cvsd"] = to_array(c.cvsd);
    d["nzero"] = to_array(c.nzero);
    d["index_min"] = c.index_min;
    d["index_1se"] = c.index_1se;
    d["lambda_min"] = c.lambda_min;
    d["lambda_1se"] = c.lambda_1se;
    d["path"] = path_dict(c.path);
    py::list folds;
    for (const auto& f : c.fold_paths) folds.append(path_dict(f));
    d["fold_paths"] = folds;
    d["path_ended_early"] = c.path_ended_early;
    d["lambda_min_at_end"] = c.lambda_min_at_end;
    curves.append(d);
  }
  py::dict d;
  d["curves"] = curves;
  d["best"] = r.best;
  d["nfolds"] = r.nfolds;
  d["type_measure"] = std::string(regpath::to_string(r.measure));
  d["foldid"] = to_array(r.foldid);
  d["device"] = std::string(regpath::to_string(r.device));
  d["device_name"] = r.device_name;
  d["seconds"] = r.seconds;
  return d;
}

// A result's dict with "x_data" (the address regpath read X's values from: the zero-copy tests
// compare it with the array's own); several responses' results: a list of those.
template <typename Result>
py::dict with_x_data(const Result& r, const void* x_data) {
  py::dict out = r.to_dict();
  out["x_data"] = reinterpret_cast<std::uintptr_t>(x_data);
  return out;
}
template <typename Result>
py::list with_x_data(const std::vector<Result>& results, const void* x_data) {
  py::list out;
  for (const Result& r : results) out.append(with_x_data(r, x_data));
  return out;
}

// Runs `solve()` without the GIL; returns its result(s) as with_x_data.
template <typename Solve>
auto run_released(const void* x_data, Solve solve) {
  bool pending = false;
  decltype(solve()) result;
  {
    py::gil_scoped_release release;
    try {
      result = solve();
    } catch (const PythonErrorPending&) {
      pending = true;
    }
  }
  if (pending) throw py::error_already_set();
  return with_x_data(result, x_data);
}

// Runs `solve(view, yp)` without the GIL (run_released).
template <typename View, typename T, typename Solve>
py::dict solve_released(const View& view, const T* yp, const void* x_data, Solve solve) {
  return run_released(x_data, [&] { return solve(view, yp); });
}

// y as T* (n values), its dtype X's.
template <typename T>
const T* response_of(const py::array& y, std::int64_t n) {
  if (!py::isinstance<py::array_t<T>>(y) || y.dtype().kind() != 'f' ||
      y.itemsize() != static_cast<py::ssize_t>(sizeof(T)))
    throw std::invalid_argument(std::string("invalid y: dtype must match X's (") +
                                (sizeof(T) == 8 ? "float64" : "float32") + ")");
  return vector_data<T>(y, n);
}

// Calls run(T{}) for the float64 or float32 dtype `dt` of X's values.
template <typename Run>
auto by_dtype(const py::dtype& dt, const char* what, Run run) -> decltype(run(double{})) {
  if (dt.kind() == 'f' && dt.itemsize() == 8) return run(double{});
  if (dt.kind() == 'f' && dt.itemsize() == 4) return run(float{});
  throw std::invalid_argument(std::string("invalid X: ") + what + " must be float64 or float32, "
                              "not " + py::cast<std::string>(py::str(
                                           static_cast<const py::handle&>(dt))));
}

// Runs `solve(view, y)` for X's dtype without the GIL (solve_released).
template <typename Solve>
py::dict dispatch(const py::array& X, const py::array& y, Solve solve) {
  return by_dtype(X.dtype(), "dtype", [&](auto tag) {
    using T = decltype(tag);
    const auto view = matrix_view<T>(X);
    return solve_released(view, response_of<T>(y, view.rows), view.data, solve);
  });
}

// The same with X as compressed sparse columns (regpath::SparseMatrixView): the arrays of a
// scipy.sparse CSC matrix, which the Python layer hands over as contiguous int64 indptr and
// indices and float64/float32 data (y of data's dtype), read in place.
template <typename Run>
auto by_csc_view(const py::array& indptr, const py::array& indices, const py::array& data,
                 std::int64_t n, std::int64_t p, Run run) {
  const auto int64_vector = [](const py::array& a, const char* name) {
    if (a.ndim() != 1 || a.dtype().kind() != 'i' || a.itemsize() != 8 ||
        (a.shape(0) > 1 && a.strides(0) != 8))
      throw std::invalid_argument(std::string("invalid X: ") + name +
                                  " must be a contiguous 1-D int64 array");
    return static_cast<const std::int64_t*>(a.data());
  };
  const std::int64_t* col_ptr = int64_vector(indptr, "indptr");
  const std::int64_t* row_idx = int64_vector(indices, "indices");
  if (static_cast<std::int64_t>(indptr.shape(0)) != p + 1)
    throw std::invalid_argument("invalid X: indptr has " + std::to_string(indptr.shape(0)) +
                                " entries for " + std::to_string(p) + " columns (needs p + 1)");
  if (data.ndim() != 1 || data.shape(0) != indices.shape(0))
    throw std::invalid_argument("invalid X: data and indices differ in length");
  const auto nnz = static_cast<std::int64_t>(data.shape(0));
  return by_dtype(data.dtype(), "sparse values", [&](auto tag) {
    using T = decltype(tag);
    if (nnz > 1 && data.strides(0) != static_cast<py::ssize_t>(sizeof(T)))
      throw std::invalid_argument("invalid X: data not contiguous");
    const regpath::SparseMatrixView<T> view{n, p, nnz, col_ptr, row_idx,
                                            static_cast<const T*>(data.data())};
    return run(view);
  });
}

template <typename Solve>
py::dict dispatch_csc(const py::array& indptr, const py::array& indices, const py::array& data,
                      std::int64_t n, std::int64_t p, const py::array& y, Solve solve) {
  return by_csc_view(indptr, indices, data, n, p, [&](const auto& view) {
    using T = std::decay_t<decltype(*view.values)>;
    return solve_released(view, response_of<T>(y, n), view.values, solve);
  });
}

// ---- several responses (regpath.fit_many / cv_many): Y n × m, one result per column --------

// Y as an n × m column-major view of X's dtype, without a copy (regpath/_core.py passes a
// Fortran-ordered array).
template <typename T>
regpath::MatrixView<T> responses_of(const py::array& Y, std::int64_t n) {
  if (!py::isinstance<py::array_t<T>>(Y) || Y.dtype().kind() != 'f' ||
      Y.itemsize() != static_cast<py::ssize_t>(sizeof(T)))
    throw std::invalid_argument(std::string("invalid Y: dtype must match X's (") +
                                (sizeof(T) == 8 ? "float64" : "float32") + ")");
  if (Y.ndim() != 2 || static_cast<std::int64_t>(Y.shape(0)) != n)
    throw std::invalid_argument("invalid Y: expected " + std::to_string(n) +
                                " rows (one per row of X) and a column per response");
  regpath::MatrixView<T> v = matrix_view<T>(Y);
  return v;
}

// `solve(view, Y)` (one result per response) without the GIL, for a dense X (csc None) or a CSC
// X (X its data, csc (indptr, indices, n, p)), by X's dtype: a list of the results' dicts.
template <typename Solve>
py::list dispatch_many(const py::array& X, const py::array& Y, const py::object& csc,
                       Solve solve) {
  if (csc.is_none())
    return by_dtype(X.dtype(), "dtype", [&](auto tag) {
      using T = decltype(tag);
      const auto view = matrix_view<T>(X);
      const auto Yv = responses_of<T>(Y, view.rows);
      return run_released(view.data, [&] { return solve(view, Yv); });
    });
  const auto t = csc.cast<py::tuple>();
  return by_csc_view(t[0].cast<py::array>(), t[1].cast<py::array>(), X,
                     t[2].cast<std::int64_t>(), t[3].cast<std::int64_t>(),
                     [&](const auto& view) {
                       using T = std::decay_t<decltype(*view.values)>;
                       const auto Yv = responses_of<T>(Y, view.rows);
                       return run_released(view.values, [&] { return solve(view, Yv); });
                     });
}

// The data a model records the standardization of: a dense float64 X; none otherwise (the
// standardization is for information only: predict uses the original-scale coefficients).
template <typename View>
const regpath::MatrixView<double>* standardization_data(const View& view) {
  if constexpr (std::is_same_v<View, regpath::MatrixView<double>>) return &view;
  return nullptr;
}

// A fit's or cv's result with its model (regpath.Path.save / CvResult.save write it), made while
// the options and X are at hand.
struct FitResult {
  regpath::Path path;
  regpath::Model model;
  py::dict to_dict() const {
    py::dict d = path_dict(path);
    d["model"] = py::cast(model);
    return d;
  }
};
template <typename View>
FitResult fit_result(regpath::Path path, const regpath::Options& o, const View& view) {
  regpath::Model model = regpath::make_model(path, o, {}, standardization_data(view));
  return FitResult{std::move(path), std::move(model)};
}
struct CvOut {
  regpath::CvResult result;
  regpath::Model model;
  py::dict to_dict() const {
    py::dict d = cv_dict(result);
    d["model"] = py::cast(model);
    return d;
  }
};

regpath::CvOptions cv_options(const std::vector<double>& alphas, int nfolds,
                              const std::vector<int>& foldid, std::uint64_t seed,
                              const std::string& type_measure) {
  regpath::CvOptions cv;
  cv.alphas = alphas;
  cv.nfolds = nfolds;
  cv.foldid = foldid;
  cv.seed = seed;
  cv.type_measure = parse_enum<regpath::CvMeasure>(
      "type_measure", type_measure,
      {{"default", regpath::CvMeasure::automatic},
       {"mse", regpath::CvMeasure::mse},
       {"mae", regpath::CvMeasure::mae},
       {"deviance", regpath::CvMeasure::deviance},
       {"class", regpath::CvMeasure::misclassification},
       {"auc", regpath::CvMeasure::auc}});
  return cv;
}

// ---- input in CUDA device memory (__cuda_array_interface__), through the C API ------------------
// regpath_fit_device_d/_s read X and y where they are, on the device, and never copy them to the
// host; the C API is the one entry point for device memory (the C++ fit() takes host memory).

[[noreturn]] void throw_c_error(int code) {
  const std::string what = regpath_last_error();
  if (code == REGPATH_ERROR_INVALID_ARGUMENT) throw std::invalid_argument(what);
  if (code == REGPATH_ERROR_OUT_OF_MEMORY) throw regpath::OutOfMemoryError(what);
  if (code == REGPATH_ERROR_DEVICE) throw regpath::DeviceError(what);
  throw std::runtime_error(what);
}

void check_c(int code) {
  if (code != REGPATH_OK) throw_c_error(code);
}

// The C options and the storage their pointers may point into (besides `o`'s own vectors).
struct COptions {
  regpath_options c;
  std::vector<double> lower, upper;
};

// The C API counts both limits with one n_limits (0, 1 or p), the C++ API each side on its own:
// a side given once is repeated to the other's count, a side not given is NULL (no limit there).
// Counts that differ otherwise are refused here, as the C++ API words it.
void c_limits(const regpath::Options& o, std::int64_t p, COptions& out) {
  out.lower = o.lower_limits;
  out.upper = o.upper_limits;
  const std::size_t nl = out.lower.size(), nu = out.upper.size();
  if (nl != 0 && nu != 0 && nl != nu) {
    if (nl == 1) out.lower.assign(nu, out.lower[0]);
    else if (nu == 1) out.upper.assign(nl, out.upper[0]);
    else {
      const bool lower_bad = static_cast<std::int64_t>(nl) != p;
      throw std::invalid_argument(
          std::string("invalid ") + (lower_bad ? "lower_limits" : "upper_limits") + ": " +
          std::to_string(lower_bad ? nl : nu) + " values for " + std::to_string(p) +
          " features; give one for all, or one per feature");
    }
  }
  out.c.lower_limits = out.lower.empty() ? nullptr : out.lower.data();
  out.c.upper_limits = out.upper.empty() ? nullptr : out.upper.data();
  out.c.n_limits = static_cast<std::int64_t>(std::max(out.lower.size(), out.upper.size()));
}

// Not copyable once filled: c's pointers point into `out` and into `o`, which must outlive it.
void c_options(const regpath::Options& o, std::int64_t p, COptions& out) {
  regpath_options& c = out.c;
  regpath_options_init(&c);
  // The C API's families (its device fit refuses all but gaussian by name); it has no multinomial.
  if (o.family == regpath::Family::multinomial)
    throw std::invalid_argument("invalid family: 'multinomial' is not available for X in device "
                                "memory yet");
  c.family = o.family == regpath::Family::binomial  ? REGPATH_BINOMIAL
             : o.family == regpath::Family::poisson ? REGPATH_POISSON
                                                    : REGPATH_GAUSSIAN;
  c.device = o.device == regpath::Device::cpu    ? REGPATH_DEVICE_CPU
             : o.device == regpath::Device::cuda ? REGPATH_DEVICE_CUDA
                                                 : REGPATH_DEVICE_AUTO;
  c.precision = o.precision == regpath::Precision::float32 ? REGPATH_FLOAT32 : REGPATH_FLOAT64;
  c.nlambda = o.nlambda;
  c.standardize = o.standardize ? 1 : 0;
  c.intercept = o.intercept ? 1 : 0;
  c.max_iter = o.max_iter;
  c.block_size = o.block_size;
  c.check_every = o.check_every;
  c.glmnet_y_scaling = o.glmnet_y_scaling.value_or(false) ? 1 : 0;
  c.alpha = o.alpha;
  c.lambda_min_ratio = o.lambda_min_ratio.value_or(0.0);
  c.tol = o.tol.value_or(0.0);
  c.lambdas = o.lambdas.empty() ? nullptr : o.lambdas.data();
  c.n_lambdas = static_cast<std::int64_t>(o.lambdas.size());
  c.penalty_factors = o.penalty_factors.empty() ? nullptr : o.penalty_factors.data();
  c.n_penalty_factors = static_cast<std::int64_t>(o.penalty_factors.size());
  c.exclude = o.exclude.empty() ? nullptr : o.exclude.data();
  c.n_exclude = static_cast<std::int64_t>(o.exclude.size());
  c_limits(o, p, out);
}

// The C path as the dict of path_dict (newton_steps, device_name and the timings are not in the
// C API: absent).
py::dict c_path_dict(const regpath_path* p) {
  const std::int64_t nl = regpath_path_nlambda(p), nf = regpath_path_nfeatures(p);
  py::array_t<double> lambdas(nl), intercept(nl), gaps(nl), dev_ratio(nl);
  py::array_t<int> iterations(nl), status(nl);
  py::array_t<double, py::array::f_style> coef({static_cast<py::ssize_t>(nf),
                                                static_cast<py::ssize_t>(nl)});
  check_c(regpath_path_lambdas(p, lambdas.mutable_data()));
  check_c(regpath_path_intercepts(p, intercept.mutable_data()));
  check_c(regpath_path_coefs(p, coef.mutable_data()));
  check_c(regpath_path_gaps(p, gaps.mutable_data()));
  check_c(regpath_path_dev_ratio(p, dev_ratio.mutable_data()));
  check_c(regpath_path_iterations(p, iterations.mutable_data()));
  check_c(regpath_path_status(p, status.mutable_data()));
  double lambda_max = 0;
  int device = 0;
  check_c(regpath_path_lambda_max(p, &lambda_max));
  check_c(regpath_path_device(p, &device));
  std::vector<std::string> names;
  for (std::int64_t k = 0; k < nl; ++k)
    names.emplace_back(regpath_path_status_string(status.at(k)));
  py::dict d;
  d["lambdas"] = lambdas;
  d["coef"] = coef;
  d["intercept"] = intercept;
  d["iterations"] = iterations;
  d["gaps"] = gaps;
  d["dev_ratio"] = dev_ratio;
  d["status"] = names;
  d["lambda_max"] = lambda_max;
  d["device"] = std::string(device == REGPATH_DEVICE_CUDA ? "cuda" : "cpu");
  return d;
}

py::dict fit_device(std::uintptr_t X, std::int64_t n, std::int64_t p, std::int64_t ldx,
                    std::uintptr_t y, bool single, const regpath::Options& o) {
  COptions copts;
  c_options(o, p, copts);
  const regpath_options& c = copts.c;
  regpath_path* path = nullptr;
  int code = REGPATH_OK;
  {
    py::gil_scoped_release release;
    code = single ? regpath_fit_device_s(&c, n, p, reinterpret_cast<const float*>(X), ldx,
                                         reinterpret_cast<const float*>(y), &path)
                  : regpath_fit_device_d(&c, n, p, reinterpret_cast<const double*>(X), ldx,
                                         reinterpret_cast<const double*>(y), &path);
  }
  if (code != REGPATH_OK) throw_c_error(code);  // regpath_last_error: this thread's, unchanged
  std::unique_ptr<regpath_path, void (*)(regpath_path*)> owned(path, regpath_path_free);
  py::dict d = c_path_dict(path);
  d["family"] = std::string(regpath::to_string(o.family));
  d["precision"] = std::string(regpath::to_string(o.precision));
  d["x_data"] = X;
  return d;
}


// ---- models (regpath.Path.save, CvResult.save, regpath.load_model) -----------------------------

py::dict model_info(const regpath::Model& m) {
  py::dict d;
  d["family"] = std::string(regpath::to_string(m.family));
  d["alpha"] = m.alpha;
  d["n_features"] = m.n_features();
  d["n_classes"] = m.path.n_classes;
  d["lambdas"] = to_array(m.path.lambdas);
  d["feature_names"] = m.feature_names;
  d["class_labels"] = to_array(m.class_labels);
  d["offset"] = m.offset;
  d["format_version"] = m.format_version;
  d["writer"] = m.writer;
  if (m.cv) {
    d["lambda_min"] = m.cv->lambda_min;
    d["lambda_1se"] = m.cv->lambda_1se;
    d["nfolds"] = m.cv->nfolds;
  }
  d["path"] = path_dict(m.path);
  return d;
}

regpath::PredictType parse_predict_type(const std::string& type) {
  return parse_enum<regpath::PredictType>("type", type,
                                          {{"link", regpath::PredictType::link},
                                           {"response", regpath::PredictType::response},
                                           {"class", regpath::PredictType::class_label}});
}

// predict(model, X, lambdas, type, offset): n × m values (multinomial link/response n × m·C,
// column k·C + c), column-major, as a Fortran-ordered (n, m) or (n, C, m) array.
py::array model_predict(const regpath::Model& m, const py::array& X,
                        const std::vector<double>& lambdas, const std::string& type,
                        const std::vector<double>& offset) {
  const regpath::PredictType t = parse_predict_type(type);
  std::vector<double> values;
  std::int64_t n = 0;
  by_dtype(X.dtype(), "dtype", [&](auto tag) {
    using T = decltype(tag);
    const auto view = matrix_view<T>(X);
    n = view.rows;
    {
      py::gil_scoped_release release;
      values = regpath::predict(m, view, lambdas, t, offset);
    }
    return py::dict();  // by_dtype's type; unused
  });
  const auto rows = static_cast<py::ssize_t>(n);
  const auto count = static_cast<py::ssize_t>(lambdas.size());
  const bool per_class = m.path.n_classes > 0 && t != regpath::PredictType::class_label;
  std::vector<py::ssize_t> shape = {rows, count};
  if (per_class) shape = {rows, static_cast<py::ssize_t>(m.path.n_classes), count};
  py::array_t<double, py::array::f_style> out(shape);
  std::copy(values.begin(), values.end(), out.mutable_data());
  return std::move(out);
}

// coefficients(model, lambdas): (p + 1, m) or, multinomial, (p + 1, C, m), the intercept first.
py::array model_coef(const regpath::Model& m, const std::vector<double>& lambdas) {
  const regpath::Coefficients c = regpath::coefficients(m, lambdas);
  const auto rows = static_cast<py::ssize_t>(c.n_features + 1);
  const auto count = static_cast<py::ssize_t>(lambdas.size());
  const std::int64_t C = std::max<std::int64_t>(c.n_classes, 1);
  std::vector<py::ssize_t> shape = {rows, count};
  if (c.n_classes > 0) shape = {rows, static_cast<py::ssize_t>(C), count};
  py::array_t<double, py::array::f_style> out(shape);
  double* o = out.mutable_data();
  for (std::size_t col = 0; col < c.intercepts.size(); ++col) {  // (λ, class) columns
    double* dst = o + col * std::size_t(rows);
    dst[0] = c.intercepts[col];
    std::copy_n(c.coefs.begin() + std::ptrdiff_t(col * std::size_t(c.n_features)),
                c.n_features, dst + 1);
  }
  return std::move(out);
}

}  // namespace

PYBIND11_MODULE(_regpath, m) {
  m.doc() = "regpath's C++ API; use the regpath package (regpath.fit, regpath.cv, estimators)";

  // DeviceError and OutOfMemoryError as Python exceptions (RuntimeErrors); std::invalid_argument
  // (ColumnError included) is pybind11's ValueError.
  auto& device_error =
      py::register_exception<regpath::DeviceError>(m, "DeviceError", PyExc_RuntimeError);
  py::register_exception<regpath::OutOfMemoryError>(m, "OutOfMemoryError", device_error.ptr());

  m.def(
      "fit",
      [](const py::array& X, const py::array& y, const std::string& family, double alpha,
         const std::vector<double>& lambdas, int nlambda, std::optional<double> lambda_min_ratio,
         std::optional<bool> glmnet_y_scaling, bool standardize, bool intercept,
         const std::vector<double>& penalty_factor, const std::vector<std::int64_t>& exclude,
         const std::vector<double>& lower_limits, const std::vector<double>& upper_limits,
         std::optional<double> tol, int max_iter, const std::string& device,
         const std::string& precision, int block_size, int check_every, py::object progress,
         const std::string& type_multinomial,
         const std::vector<double>& weights, const std::vector<double>& offset) {
        auto o = make_options(family, alpha, lambdas, nlambda, lambda_min_ratio,
                              glmnet_y_scaling, standardize, intercept, penalty_factor,
                              exclude, lower_limits, upper_limits, tol, max_iter, device,
                              precision, block_size, check_every, type_multinomial);
        o.weights = weights;  // glmnet's weights
        o.offset = offset;    // glmnet's offset
        install_progress(o, std::move(progress));
        return dispatch(X, y, [&](const auto& view, const auto* yp) {
          return fit_result(regpath::fit(view, yp, o), o, view);
        });
      },
      py::arg("X"), py::arg("y"), py::kw_only(), py::arg("family"), py::arg("alpha"),
      py::arg("lambdas"), py::arg("nlambda"), py::arg("lambda_min_ratio"),
      py::arg("glmnet_y_scaling"), py::arg("standardize"), py::arg("intercept"),
      py::arg("penalty_factor"), py::arg("exclude"), py::arg("lower_limits"),
      py::arg("upper_limits"), py::arg("tol"), py::arg("max_iter"), py::arg("device"),
      py::arg("precision"), py::arg("block_size"), py::arg("check_every"), py::arg("progress"),
      py::arg("type_multinomial"), py::arg("weights"), py::arg("offset"));

  m.def(
      "fit_csc",
      [](const py::array& indptr, const py::array& indices, const py::array& data,
         std::int64_t n, std::int64_t p, const py::array& y, const std::string& family,
         double alpha, const std::vector<double>& lambdas, int nlambda,
         std::optional<double> lambda_min_ratio, std::optional<bool> glmnet_y_scaling,
         bool standardize, bool intercept, const std::vector<double>& penalty_factor,
         const std::vector<std::int64_t>& exclude, const std::vector<double>& lower_limits,
         const std::vector<double>& upper_limits, std::optional<double> tol, int max_iter,
         const std::string& device, const std::string& precision, int block_size,
         int check_every, py::object progress,
         const std::string& type_multinomial, const std::vector<double>& weights,
         const std::vector<double>& offset) {
        auto o = make_options(family, alpha, lambdas, nlambda, lambda_min_ratio,
                              glmnet_y_scaling, standardize, intercept, penalty_factor,
                              exclude, lower_limits, upper_limits, tol, max_iter, device,
                              precision, block_size, check_every, type_multinomial);
        o.weights = weights;
        o.offset = offset;
        install_progress(o, std::move(progress));
        return dispatch_csc(indptr, indices, data, n, p, y, [&](const auto& view, const auto* yp) {
          return fit_result(regpath::fit(view, yp, o), o, view);
        });
      },
      py::arg("indptr"), py::arg("indices"), py::arg("data"), py::arg("n"), py::arg("p"),
      py::arg("y"), py::kw_only(), py::arg("family"), py::arg("alpha"), py::arg("lambdas"),
      py::arg("nlambda"), py::arg("lambda_min_ratio"), py::arg("glmnet_y_scaling"),
      py::arg("standardize"), py::arg("intercept"), py::arg("penalty_factor"),
      py::arg("exclude"), py::arg("lower_limits"), py::arg("upper_limits"), py::arg("tol"),
      py::arg("max_iter"), py::arg("device"), py::arg("precision"), py::arg("block_size"),
      py::arg("check_every"), py::arg("progress"), py::arg("type_multinomial"), py::arg("weights"),
      py::arg("offset"));

  m.def(
      "cross_validate",
      [](const py::array& X, const py::array& y, const std::string& family, double alpha,
         const std::vector<double>& lambdas, int nlambda, std::optional<double> lambda_min_ratio,
         std::optional<bool> glmnet_y_scaling, bool standardize, bool intercept,
         const std::vector<double>& penalty_factor, const std::vector<std::int64_t>& exclude,
         const std::vector<double>& lower_limits, const std::vector<double>& upper_limits,
         std::optional<double> tol, int max_iter, const std::string& device,
         const std::string& precision, int block_size, int check_every, py::object progress,
         const std::string& type_multinomial,
         const std::vector<double>& alphas, int nfolds, const std::vector<int>& foldid,
         std::uint64_t seed, const std::string& type_measure,
         const std::vector<double>& weights, const std::vector<double>& offset,
         py::object csc) {
        auto o = make_options(family, alpha, lambdas, nlambda, lambda_min_ratio,
                              glmnet_y_scaling, standardize, intercept, penalty_factor,
                              exclude, lower_limits, upper_limits, tol, max_iter, device,
                              precision, block_size, check_every, type_multinomial);
        o.weights = weights;  // glmnet's weights, as cv.glmnet takes them
        o.offset = offset;    // glmnet's offset, each fold's held-out rows predicted with theirs
        install_progress(o, std::move(progress));
        const regpath::CvOptions cv = cv_options(alphas, nfolds, foldid, seed, type_measure);
        const auto solve = [&](const auto& view, const auto* yp) {
          regpath::CvResult r = regpath::cross_validate(view, yp, o, cv);
          regpath::Model model = regpath::make_model(r, o, {}, standardization_data(view));
          return CvOut{std::move(r), std::move(model)};
        };
        if (csc.is_none()) return dispatch(X, y, solve);
        // a sparse X: X is the CSC matrix's data, csc its (indptr, indices, n, p)
        const auto t = csc.cast<py::tuple>();
        return dispatch_csc(t[0].cast<py::array>(), t[1].cast<py::array>(), X,
                            t[2].cast<std::int64_t>(), t[3].cast<std::int64_t>(), y, solve);
      },
      py::arg("X"), py::arg("y"), py::kw_only(), py::arg("family"), py::arg("alpha"),
      py::arg("lambdas"), py::arg("nlambda"), py::arg("lambda_min_ratio"),
      py::arg("glmnet_y_scaling"), py::arg("standardize"), py::arg("intercept"),
      py::arg("penalty_factor"), py::arg("exclude"), py::arg("lower_limits"),
      py::arg("upper_limits"), py::arg("tol"), py::arg("max_iter"), py::arg("device"),
      py::arg("precision"), py::arg("block_size"), py::arg("check_every"), py::arg("progress"),
      py::arg("type_multinomial"),
      py::arg("alphas"), py::arg("nfolds"), py::arg("foldid"), py::arg("seed"),
      py::arg("type_measure"), py::arg("weights"), py::arg("offset"), py::arg("csc") = py::none());

  // Several responses (regpath.fit_many / cv_many): Y n × m, one result dict per column, the
  // responses on `threads` threads (regpath::Options::threads); csc as cross_validate's.
  m.def(
      "fit_many",
      [](const py::array& X, const py::array& Y, const std::string& family, double alpha,
         const std::vector<double>& lambdas, int nlambda, std::optional<double> lambda_min_ratio,
         std::optional<bool> glmnet_y_scaling, bool standardize, bool intercept,
         const std::vector<double>& penalty_factor, const std::vector<std::int64_t>& exclude,
         const std::vector<double>& lower_limits, const std::vector<double>& upper_limits,
         std::optional<double> tol, int max_iter, const std::string& device,
         const std::string& precision, int block_size, int check_every, py::object progress,
         const std::string& type_multinomial, const std::vector<double>& weights, int threads,
         py::object csc) {
        auto o = make_options(family, alpha, lambdas, nlambda, lambda_min_ratio,
                              glmnet_y_scaling, standardize, intercept, penalty_factor,
                              exclude, lower_limits, upper_limits, tol, max_iter, device,
                              precision, block_size, check_every, type_multinomial);
        o.weights = weights;
        o.threads = threads;
        install_progress(o, std::move(progress));
        return dispatch_many(X, Y, csc, [&](const auto& view, const auto& Yv) {
          std::vector<FitResult> out;
          for (regpath::Path& path : regpath::fit(view, Yv, o))
            out.push_back(fit_result(std::move(path), o, view));
          return out;
        });
      },
      py::arg("X"), py::arg("Y"), py::kw_only(), py::arg("family"), py::arg("alpha"),
      py::arg("lambdas"), py::arg("nlambda"), py::arg("lambda_min_ratio"),
      py::arg("glmnet_y_scaling"), py::arg("standardize"), py::arg("intercept"),
      py::arg("penalty_factor"), py::arg("exclude"), py::arg("lower_limits"),
      py::arg("upper_limits"), py::arg("tol"), py::arg("max_iter"), py::arg("device"),
      py::arg("precision"), py::arg("block_size"), py::arg("check_every"), py::arg("progress"),
      py::arg("type_multinomial"), py::arg("weights"), py::arg("threads"),
      py::arg("csc") = py::none());

  m.def(
      "cross_validate_many",
      [](const py::array& X, const py::array& Y, const std::string& family, double alpha,
         const std::vector<double>& lambdas, int nlambda, std::optional<double> lambda_min_ratio,
         std::optional<bool> glmnet_y_scaling, bool standardize, bool intercept,
         const std::vector<double>& penalty_factor, const std::vector<std::int64_t>& exclude,
         const std::vector<double>& lower_limits, const std::vector<double>& upper_limits,
         std::optional<double> tol, int max_iter, const std::string& device,
         const std::string& precision, int block_size, int check_every, py::object progress,
         const std::string& type_multinomial, const std::vector<double>& alphas, int nfolds,
         const std::vector<int>& foldid, std::uint64_t seed, const std::string& type_measure,
         const std::vector<double>& weights, int threads, py::object csc) {
        auto o = make_options(family, alpha, lambdas, nlambda, lambda_min_ratio,
                              glmnet_y_scaling, standardize, intercept, penalty_factor,
                              exclude, lower_limits, upper_limits, tol, max_iter, device,
                              precision, block_size, check_every, type_multinomial);
        o.weights = weights;
        o.threads = threads;
        install_progress(o, std::move(progress));
        const regpath::CvOptions cv = cv_options(alphas, nfolds, foldid, seed, type_measure);
        return dispatch_many(X, Y, csc, [&](const auto& view, const auto& Yv) {
          std::vector<CvOut> out;
          for (regpath::CvResult& r : regpath::cross_validate(view, Yv, o, cv)) {
            regpath::Model model = regpath::make_model(r, o, {}, standardization_data(view));
            out.push_back(CvOut{std::move(r), std::move(model)});
          }
          return out;
        });
      },
      py::arg("X"), py::arg("Y"), py::kw_only(), py::arg("family"), py::arg("alpha"),
      py::arg("lambdas"), py::arg("nlambda"), py::arg("lambda_min_ratio"),
      py::arg("glmnet_y_scaling"), py::arg("standardize"), py::arg("intercept"),
      py::arg("penalty_factor"), py::arg("exclude"), py::arg("lower_limits"),
      py::arg("upper_limits"), py::arg("tol"), py::arg("max_iter"), py::arg("device"),
      py::arg("precision"), py::arg("block_size"), py::arg("check_every"), py::arg("progress"),
      py::arg("type_multinomial"), py::arg("alphas"), py::arg("nfolds"), py::arg("foldid"),
      py::arg("seed"), py::arg("type_measure"), py::arg("weights"), py::arg("threads"),
      py::arg("csc") = py::none());

  m.def(
      "fit_device",
      [](std::uintptr_t X, std::int64_t n, std::int64_t p, std::int64_t ldx, std::uintptr_t y,
         bool single, const std::string& family, double alpha,
         const std::vector<double>& lambdas, int nlambda, std::optional<double> lambda_min_ratio,
         std::optional<bool> glmnet_y_scaling, bool standardize, bool intercept,
         const std::vector<double>& penalty_factor, const std::vector<std::int64_t>& exclude,
         const std::vector<double>& lower_limits, const std::vector<double>& upper_limits,
         std::optional<double> tol, int max_iter, const std::string& device,
         const std::string& precision, int block_size, int check_every, py::object progress,
         const std::string& type_multinomial) {
        if (!progress.is_none())
          throw std::invalid_argument("invalid progress: not available for input in device "
                                      "memory (the C API's device fit has no callback)");
        const auto o = make_options(family, alpha, lambdas, nlambda, lambda_min_ratio,
                                    glmnet_y_scaling, standardize, intercept, penalty_factor,
                                    exclude, lower_limits, upper_limits, tol, max_iter, device,
                                    precision, block_size, check_every, type_multinomial);
        return fit_device(X, n, p, ldx, y, single, o);
      },
      py::arg("X"), py::arg("n"), py::arg("p"), py::arg("ldx"), py::arg("y"), py::arg("single"),
      py::kw_only(), py::arg("family"), py::arg("alpha"), py::arg("lambdas"), py::arg("nlambda"),
      py::arg("lambda_min_ratio"), py::arg("glmnet_y_scaling"), py::arg("standardize"),
      py::arg("intercept"), py::arg("penalty_factor"), py::arg("exclude"),
      py::arg("lower_limits"), py::arg("upper_limits"), py::arg("tol"), py::arg("max_iter"),
      py::arg("device"), py::arg("precision"), py::arg("block_size"), py::arg("check_every"),
      py::arg("progress"), py::arg("type_multinomial"));

  m.def(
      "cuda_available",
      [] {
        std::string why;
        const bool ok = regpath::cuda_available(&why);
        return py::make_tuple(ok, why);
      },
      "(available, reason it is not)");
  m.def("version", [] { return std::string(regpath::version()); });

  // A model (regpath::Model), opaque: the Python layer reads it through the functions below.
  // Pickled as its model file's JSON text, which reads back bit for bit (a pickled Path or
  // CvResult carries it).
  py::class_<regpath::Model>(m, "ModelHandle")
      .def(py::pickle([](const regpath::Model& model) { return regpath::model_to_json(model); },
                      [](const std::string& text) {
                        return regpath::model_from_json(text, "a pickled model");
                      }));
  m.def("model_info", &model_info);
  m.def("model_predict", &model_predict, py::arg("model"), py::arg("X"), py::arg("lambdas"),
        py::arg("type"), py::arg("offset"));
  m.def("model_coef", &model_coef, py::arg("model"), py::arg("lambdas"));
  m.def("model_default_lambdas", [](const regpath::Model& model) {
    return to_array(regpath::default_lambdas(model));
  });
  m.def(
      "save_model",
      [](regpath::Model model, const std::string& file,
         const std::vector<std::string>& feature_names,
         const std::vector<double>& class_labels) {
        if (!feature_names.empty()) {
          if (static_cast<std::int64_t>(feature_names.size()) != model.n_features())
            throw std::invalid_argument(
                "invalid feature_names: " + std::to_string(feature_names.size()) +
                " names for " + std::to_string(model.n_features()) + " features");
          model.feature_names = feature_names;
        }
        if (!class_labels.empty()) model.class_labels = class_labels;
        py::gil_scoped_release release;
        regpath::save_model(model, file);
      },
      py::arg("model"), py::arg("file"), py::arg("feature_names"), py::arg("class_labels"));
  m.def("load_model", [](const std::string& file) {
    regpath::Model model;
    {
      py::gil_scoped_release release;
      model = regpath::load_model(file);
    }
    return model;
  });
}
