#include "api/cuda_diagnosis.hpp"

#include <sys/stat.h>

namespace regpath::detail {

bool nvidia_driver_present() {
  struct stat st {};
  return ::stat("/proc/driver/nvidia/version", &st) == 0;
}

std::string explain_cuda_unavailable(const std::string& why, bool driver_present) {
  const bool no_driver_error = why.find("cudaErrorInsufficientDriver") != std::string::npos ||
                               why.find("cudaErrorNoDevice") != std::string::npos;
  if (!no_driver_error) return why;
  if (!driver_present) return "no NVIDIA driver / no GPU found (" + why + ")";
  if (why.find("cudaErrorNoDevice") != std::string::npos) return "no GPU found (" + why + ")";
  return "the NVIDIA driver is older than this build's CUDA runtime needs; update the driver (" +
         why + ")";
}

}  // namespace regpath::detail
