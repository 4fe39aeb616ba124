// The CUDA runtime's answers in a build without CUDA (cuda_runtime.hpp): no device, no device
// memory, and why.
#include <new>
#include <string>

#include "backends/cuda_runtime.hpp"

namespace regpath {
namespace {

// Sets *out to text unless out is null; out of memory leaves it unset (the caller reports the
// failure without it).
void say(std::string* out, const char* text) noexcept {
  if (out == nullptr) return;
  try {
    *out = text;
  } catch (const std::bad_alloc&) {
  }
}

}  // namespace

bool cuda_runtime_available(std::string* why_not) {
  say(why_not,
      "regpath was built without CUDA (configure with -DREGPATH_WITH_CUDA=ON on a machine with "
      "the CUDA toolkit)");
  return false;
}

bool is_device_memory(const void*, std::string* error) {
  say(error,
      "regpath was built without CUDA, so it cannot read device memory (configure with "
      "-DREGPATH_WITH_CUDA=ON on a machine with the CUDA toolkit)");
  return false;
}

}  // namespace regpath
