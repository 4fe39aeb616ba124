// is_device_memory for a build without CUDA: there is no device memory here.
#include <new>

#include "api/device_input.hpp"

namespace regpath {

bool is_device_memory(const void*, std::string* error) {
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
