// Compiled instead of the CUDA backend when regpath is built without CUDA.
#include <stdexcept>

#include "api/backend_runners.hpp"
#include "regpath/regpath.hpp"

namespace regpath {
namespace {
const char* const kNoCuda =
    "regpath was built without CUDA (configure with -DREGPATH_WITH_CUDA=ON on a machine with the "
    "CUDA toolkit)";
}

bool cuda_runtime_available(std::string* why_not) {
  if (why_not) *why_not = kNoCuda;
  return false;
}
Path run_cuda(const MatrixView<double>&, const double*, const ResolvedOptions&) {
  throw DeviceError(kNoCuda);
}
Path run_cuda(const MatrixView<float>&, const float*, const ResolvedOptions&) {
  throw DeviceError(kNoCuda);
}
Path run_cuda_device(const double*, std::int64_t, std::int64_t, std::int64_t, const double*,
                     const ResolvedOptions&) {
  throw DeviceError(kNoCuda);
}
Path run_cuda_device(const float*, std::int64_t, std::int64_t, std::int64_t, const float*,
                     const ResolvedOptions&) {
  throw DeviceError(kNoCuda);
}

CvResult run_cv_cuda(const MatrixView<double>&, const double*, const ResolvedOptions&,
                     const CvPlan&) {
  throw DeviceError(kNoCuda);
}
CvResult run_cv_cuda(const MatrixView<float>&, const float*, const ResolvedOptions&,
                     const CvPlan&) {
  throw DeviceError(kNoCuda);
}

}  // namespace regpath
