// Many responses on several threads: how many (response_threads) and the loop
// (for_each_response), shared by the dense, sparse, fit and cv many-responses calls
// (api/many_responses.cpp).
//
// The responses' paths are independent, so a worker thread solves whole responses, each on its
// own copy of the problem; a path is computed by exactly the arithmetic of the serial loop
// (bit for bit the same result, whichever worker solves it).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "regpath/regpath.hpp"

namespace regpath::detail {

// REGPATH_NUM_THREADS (a whole number ≥ 1), or 0 when unset or not one.
inline int threads_from_environment() {
  const char* v = std::getenv("REGPATH_NUM_THREADS");
  if (v == nullptr || *v == '\0') return 0;
  char* end = nullptr;
  const long t = std::strtol(v, &end, 10);
  return (*end == '\0' && t >= 1 && t <= 4096) ? int(t) : 0;
}

// Whether a dense X of n rows and p columns leaves each response small products: the Gram form
// (n > 2p, GaussianProblem's rule), whose per-response work is p × p products BLAS does not
// thread. response_threads' `small_products` for a dense X.
inline bool tall_design(std::int64_t n, std::int64_t p) { return n > 2 * p; }

// Options::threads when set; automatic (0): REGPATH_NUM_THREADS when set, else the hardware's
// threads where each response's work is what BLAS does not thread (`small_products`: a tall
// dense X, n > 2p, whose Gram form leaves p × p products; a sparse X, whose products are this
// library's own loops), and 1 where it is a dense X's own products (n ≤ 2p), which BLAS
// threads. The CUDA backend: 1 (one device, one stream). Never more than m.
inline int response_threads(const Options& o, Device device, bool small_products,
                            std::int64_t m) {
  if (device == Device::cuda || m <= 1) return 1;
  int t = o.threads;
  if (t == 0) {
    t = threads_from_environment();
    if (t == 0)
      t = small_products ? int(std::max(1u, std::thread::hardware_concurrency())) : 1;
  }
  return int(std::min<std::int64_t>(t, m));
}

// body(worker, i) for i in [0, count) on `threads` threads (worker 0 the calling thread, which
// takes the first item), each item once, dynamically shared. After an item throws, no new item
// starts; once every worker has stopped, the exception of the lowest item is rethrown (what
// the serial loop would have thrown first among those run).
template <class Body>
void for_each_response(int threads, std::int64_t count, Body&& body) {
  if (threads <= 1 || count <= 1) {
    for (std::int64_t i = 0; i < count; ++i) body(0, i);
    return;
  }
  std::atomic<std::int64_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(count));
  const auto work = [&](int worker) {
    for (std::int64_t i; !failed.load() && (i = next.fetch_add(1)) < count;) {
      try {
        body(worker, i);
      } catch (...) {
        errors[static_cast<std::size_t>(i)] = std::current_exception();
        failed.store(true);
      }
    }
  };
  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(threads - 1));
  try {
    for (int w = 1; w < threads; ++w) workers.emplace_back(work, w);
  } catch (...) {
    // no more threads to be had: the ones started and this one do the work
  }
  work(0);
  for (std::thread& t : workers) t.join();
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace regpath::detail
