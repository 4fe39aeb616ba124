// A host "grid emulator" for the CUDA kernels' thread bodies (kernels/kernel_bodies.hpp): it runs
// every (block, thread) of a launch once, in a random order, so that a body whose result depends
// on the order of threads (one thread writing what another still reads) gives a wrong answer
// here, without a GPU. The per-column reductions run as the kernels do: each thread's partial,
// then, once every thread of that column's block is done, a merge of the partials in a random
// order and the block's finishing step — while other blocks' threads are still running.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "kernels/launch_plan.hpp"

namespace regpath::test {

using cuda::Index;

// body(block, thread) for every block < blocks, thread < threads, in a random order.
template <class Body>
void emulate_grid(Index blocks, Index threads, std::mt19937_64& rng, Body&& body) {
  std::vector<std::pair<Index, Index>> order;
  order.reserve(static_cast<std::size_t>(blocks * threads));
  for (Index b = 0; b < blocks; ++b)
    for (Index t = 0; t < threads; ++t) order.emplace_back(b, t);
  std::shuffle(order.begin(), order.end(), rng);
  for (const auto& [b, t] : order) body(b, t);
}

// A grid-stride kernel over `total` elements with the CUDA backend's launch configuration
// (cuda::stride_blocks, cuda::kThreads): thread(first, stride) for each of its threads.
template <class Thread>
void emulate_stride_kernel(Index total, std::mt19937_64& rng, Thread&& thread) {
  const Index blocks = cuda::stride_blocks(total), threads = cuda::kThreads;
  emulate_grid(blocks, threads, rng,
               [&](Index b, Index t) { thread(b * threads + t, blocks * threads); });
}

// One block per column (cuda::column_blocks): partial(k, t, threads) → V for every thread;
// when all of column k's threads are done, the partials merged in a random order
// (merge(V&, const V&)) and finish(k, total).
template <class V, class Partial, class Merge, class Finish>
void emulate_column_reduction(Index columns, std::mt19937_64& rng, Partial&& partial,
                              Merge&& merge, Finish&& finish) {
  const Index threads = cuda::kThreads;
  std::vector<std::vector<V>> parts(static_cast<std::size_t>(columns));
  emulate_grid(static_cast<Index>(cuda::column_blocks(columns)), threads, rng,
               [&](Index k, Index t) {
                 auto& mine = parts[static_cast<std::size_t>(k)];
                 mine.push_back(partial(k, t, threads));
                 if (static_cast<Index>(mine.size()) < threads) return;
                 std::shuffle(mine.begin(), mine.end(), rng);
                 V total = mine[0];
                 for (std::size_t i = 1; i < mine.size(); ++i) merge(total, mine[i]);
                 finish(k, total);
               });
}

}  // namespace regpath::test
