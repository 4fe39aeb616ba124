// The device a request runs on: cpu as asked; cuda as asked, or a DeviceError saying why it is
// not usable; automatic CUDA when usable, else the CPU. Private.
#pragma once

#include <string>

#include "regpath/regpath.hpp"

namespace regpath::detail {

inline Device resolve_device(Device requested) {
  if (requested == Device::cpu) return Device::cpu;
  std::string why_not;
  const bool usable = cuda_available(&why_not);
  if (requested == Device::cuda && !usable)
    throw DeviceError("device cuda requested but not usable: " + why_not);
  return usable ? Device::cuda : Device::cpu;
}

}  // namespace regpath::detail
