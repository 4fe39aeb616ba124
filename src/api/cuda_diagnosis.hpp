// Why CUDA is not usable, in words for someone who may have no GPU at all. Private.
#pragma once

#include <string>

namespace regpath::detail {

// The CUDA runtime's reason (`why`, e.g. "cudaGetDeviceCount failed: cudaErrorInsufficientDriver:
// CUDA driver version is insufficient for CUDA runtime version") with a plain first clause where
// the runtime's text misleads: without any NVIDIA driver it reports an "insufficient" driver, as
// if one were there but old. `driver_present` says whether an NVIDIA kernel driver is loaded
// (/proc/driver/nvidia/version exists).
std::string explain_cuda_unavailable(const std::string& why, bool driver_present);
bool nvidia_driver_present();

}  // namespace regpath::detail
