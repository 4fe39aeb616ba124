// predict(model, X, lambdas, type, device): the host prediction of predict.cpp, or its linear
// predictors as GEMMs on the GPU (predict_device.hpp) in float64, the interpolated coefficients
// and the inverse link shared with the host path.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "api/predict_device.hpp"
#include "api/predict_steps.hpp"
#include "api/resolve_device.hpp"
#include "api/with_backend.hpp"
#include "regpath/regpath.hpp"

namespace regpath {
namespace detail {
// predict.cpp's host prediction with offsets
std::vector<double> predict_host(const Model& model, const MatrixView<double>& X,
                                 const std::vector<double>& lambdas, PredictType type,
                                 const std::vector<double>& offset);
std::vector<double> predict_host(const Model& model, const MatrixView<float>& X,
                                 const std::vector<double>& lambdas, PredictType type,
                                 const std::vector<double>& offset);
}  // namespace detail
namespace {

// Below this many multiply-adds (n·p·m) the host's pass over X beats moving X to a GPU.
constexpr double kDeviceMinWork = 5e8;
// Rows of X per block on the device: 2²⁶ float64 values (512 MiB) of X at most, ≥ 1 row.
constexpr std::int64_t kDeviceBlockValues = std::int64_t(1) << 26;

template <typename In>
std::vector<double> predict_any(const Model& model, const MatrixView<In>& X,
                                const std::vector<double>& lambdas, PredictType type,
                                const std::vector<double>& offset, Device device, Device* used) {
  const double work = double(X.rows) * double(X.cols) * double(lambdas.size()) *
                     double(detail::columns_per_lambda(model));
  const Device run = device == Device::automatic && work < kDeviceMinWork
                         ? Device::cpu
                         : detail::resolve_device(device);
  if (used != nullptr) *used = run;
  if (run == Device::cpu) return detail::predict_host(model, X, lambdas, type, offset);
  detail::check_predict_input(model, X, type);
  detail::check_predict_offset(model, offset, X.rows);
  const Coefficients c = coefficients(model, lambdas);
  const std::int64_t rows = std::max<std::int64_t>(1, kDeviceBlockValues / std::max<std::int64_t>(
                                                                               1, X.cols));
  std::vector<double> eta = with_backend(Device::cuda, Precision::float64, [&](auto& be) {
    return detail::linear_predictors(be, X, c, rows);
  });
  // η = β0 + Xβ + o  (glmnet's newoffset; on the host, n·m additions)
  detail::add_predict_offset(offset, eta.data(), X.rows, std::int64_t(c.intercepts.size()));
  return detail::finish_prediction(model, type, std::move(eta), X.rows);
}

}  // namespace

std::vector<double> predict(const Model& model, const MatrixView<double>& X,
                            const std::vector<double>& lambdas, PredictType type, Device device,
                            Device* used) {
  return predict_any(model, X, lambdas, type, {}, device, used);
}

std::vector<double> predict(const Model& model, const MatrixView<float>& X,
                            const std::vector<double>& lambdas, PredictType type, Device device,
                            Device* used) {
  return predict_any(model, X, lambdas, type, {}, device, used);
}

std::vector<double> predict(const Model& model, const MatrixView<double>& X,
                            const std::vector<double>& lambdas, PredictType type,
                            const std::vector<double>& offset, Device device, Device* used) {
  return predict_any(model, X, lambdas, type, offset, device, used);
}

std::vector<double> predict(const Model& model, const MatrixView<float>& X,
                            const std::vector<double>& lambdas, PredictType type,
                            const std::vector<double>& offset, Device device, Device* used) {
  return predict_any(model, X, lambdas, type, offset, device, used);
}

}  // namespace regpath
