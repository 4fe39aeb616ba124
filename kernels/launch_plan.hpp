// The host-side logic of the CUDA backend that needs no GPU: how index lists are cut into
// launches, how compact_columns plans its copies, when scratch grows and how device bytes are
// counted, grid sizes and the 32-bit limits of CUDA grids and cuBLAS. It names no CUDA type, so
// the CPU tests (tests/test_cuda_host_logic.cpp) check it on every machine; the .cu files call
// exactly these functions.
#pragma once

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "regpath/regpath.hpp"  // DeviceError, OutOfMemoryError

namespace regpath::cuda {

using Index = std::int64_t;

// Row or column indices passed by value in the kernel's parameters: no host-to-device copy, no
// staging buffer, no sync. Long index lists go in several launches of at most kIndexChunk
// indices (8 KiB of parameters: CUDA ≥ 12.1 allows up to 32 KiB on every supported GPU).
constexpr int kIndexChunk = 1024;
struct IndexChunk {
  Index count = 0;
  Index idx[kIndexChunk] = {};
};

// Splits idx[0 .. count) into launches of at most kIndexChunk indices: body(chunk, position of
// the chunk's first index in idx).
template <class Body>
void for_index_chunks(const Index* idx, std::size_t count, Body&& body) {
  for (std::size_t s0 = 0; s0 < count; s0 += kIndexChunk) {
    IndexChunk chunk;
    chunk.count = static_cast<Index>(std::min<std::size_t>(kIndexChunk, count - s0));
    std::copy(idx + s0, idx + s0 + static_cast<std::size_t>(chunk.count), chunk.idx);
    body(chunk, static_cast<Index>(s0));
  }
}

// The first `rows` indices of idx (the primitives' row count; never more than idx holds).
inline std::size_t leading(const std::vector<Index>& idx, Index rows) {
  return std::min(idx.size(), static_cast<std::size_t>(std::max<Index>(rows, 0)));
}

// dst[:, s] = src[:, idx[first + s]] for s < idx.size() − first, as launches of at most
// kIndexChunk columns: launch(chunk, offset of the chunk's first column in dst) with the offset
// in elements (s·rows: dst's leading dimension is rows).
template <class Launch>
void gather_in_chunks(Index rows, const std::vector<Index>& idx, std::size_t first,
                      Launch&& launch) {
  if (first >= idx.size()) return;
  for_index_chunks(idx.data() + first, idx.size() - first,
                   [&](const IndexChunk& chunk, Index s) { launch(chunk, s * rows); });
}

// compact_columns(rows, M, ldm, keep): column i ← column keep[i]. Columns before the first one
// that moves stay where they are; the `moved` others go through scratch (parallel in-place
// copies could overwrite a column before it is read): tmp[:, s] = M[:, keep[first + s]], then
// M[:, first + s] = tmp[:, s].
struct CompactPlan {
  std::size_t first = 0;           // keep[i] == i for i < first
  std::size_t moved = 0;           // keep.size() − first (0: nothing to do)
  std::size_t scratch_values = 0;  // rows·moved
};
inline CompactPlan compact_plan(Index rows, const std::vector<Index>& keep) {
  CompactPlan plan;
  while (plan.first < keep.size() && keep[plan.first] == static_cast<Index>(plan.first))
    ++plan.first;
  if (plan.first == keep.size() || rows <= 0) {
    plan.first = keep.size();
    return plan;
  }
  plan.moved = keep.size() - plan.first;
  plan.scratch_values = static_cast<std::size_t>(rows) * plan.moved;
  return plan;
}

// Whether [a, a + bytes) and [b, b + bytes) share a byte (then copy goes through scratch).
inline bool overlaps(const void* a, const void* b, std::size_t bytes) {
  const auto x = reinterpret_cast<std::uintptr_t>(a), y = reinterpret_cast<std::uintptr_t>(b);
  return bytes > 0 && x < y + bytes && y < x + bytes;
}

// Scratch grows only (never shrinks): a request for `wanted` bytes is a new allocation (which
// first waits for the work that may still use the old one) only when it holds fewer.
inline bool scratch_must_grow(std::size_t have, std::size_t wanted) { return wanted > have; }

// count values of `size` bytes, in bytes; OutOfMemoryError when that overflows size_t.
inline std::size_t checked_bytes(std::size_t count, std::size_t size, const char* who) {
  if (size != 0 && count > std::numeric_limits<std::size_t>::max() / size)
    throw OutOfMemoryError(std::string(who) + ": cannot allocate " + std::to_string(count) +
                            " values of " + std::to_string(size) +
                            " bytes: the size in bytes overflows");
  return count * size;
}

// Device bytes held by one backend: every allocation adds, every free subtracts, peak is the
// most held at once (CudaMemoryStats is this, shared with the buffers).
template <class Stats>
void account_allocation(Stats& stats, std::size_t bytes) {
  stats.current += static_cast<std::int64_t>(bytes);
  stats.peak = std::max(stats.peak, stats.current);
}
template <class Stats>
void account_free(Stats& stats, std::size_t bytes) {
  stats.current -= static_cast<std::int64_t>(bytes);
}

// ---- grids --------------------------------------------------------------------------------------

// The threads per block of every kernel (the block reductions are sized for it).
constexpr int kThreads = 256;
// Grid-stride kernels use at most this many blocks; each thread then visits several elements.
constexpr Index kMaxStrideBlocks = 4096;
// gridDim.x's limit.
constexpr Index kMaxGridX = 0x7fffffff;

// Enough blocks of `threads` to cover `total` elements, capped (the grid-stride loops do the
// rest); at least 1.
inline unsigned stride_blocks(Index total, int threads = kThreads, Index cap = kMaxStrideBlocks) {
  const Index need = total <= 0 ? 1 : (total - 1) / threads + 1;
  return static_cast<unsigned>(std::max<Index>(1, std::min<Index>(need, cap)));
}

// One block per column: gridDim.x is limited to 2³¹ − 1 (DeviceError beyond).
inline unsigned column_blocks(Index columns) {
  if (columns < 0 || columns > kMaxGridX)
    throw DeviceError("CUDA backend: " + std::to_string(columns) +
                            " columns exceed the grid limit of 2^31 - 1 blocks");
  return static_cast<unsigned>(columns);
}

// cuBLAS takes 32-bit dimensions (DeviceError beyond).
inline int cublas_int(Index v, const char* what) {
  if (v < 0 || v > INT_MAX)
    throw DeviceError(std::string("cuBLAS dimension ") + what + " = " + std::to_string(v) +
                            " does not fit cuBLAS's 32-bit integer");
  return static_cast<int>(v);
}

// ---- the debug mode -----------------------------------------------------------------------------

// REGPATH_CUDA_SYNC_LAUNCHES=1 (any value but empty or "0"): every kernel launch and cuBLAS
// call is followed by a device synchronize, so that a faulting kernel is reported by name
// instead of as the failure of the next cudaStreamSynchronize. Slow; for debugging only.
constexpr const char* kSyncLaunchesVariable = "REGPATH_CUDA_SYNC_LAUNCHES";
inline bool sync_launches_requested(const char* value) {
  return value != nullptr && value[0] != '\0' && std::strcmp(value, "0") != 0;
}
inline bool sync_launches() {
  static const bool on = sync_launches_requested(std::getenv(kSyncLaunchesVariable));
  return on;
}

}  // namespace regpath::cuda
