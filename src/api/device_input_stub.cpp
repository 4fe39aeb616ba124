// copy_device_to_host for a build without CUDA: device memory cannot be read here.
#include <new>

#include "api/device_input.hpp"

namespace regpath {

bool copy_device_to_host(const void*, void*, std::size_t, std::string* error) {
  if (error != nullptr) {
    try {
      *error =
          "regpath was built without CUDA, so it cannot read device memory (configure with "
          "-DREGPATH_WITH_CUDA=ON on a machine with the CUDA toolkit)";
    } catch (const std::bad_alloc&) {
      // the caller reports the failure without this text
    }
  }
  return false;
}

}  // namespace regpath
