// A regpath::Communicator over threads of one process, for testing distributed fits without
// MPI: run_ranks(R, body) runs body(comm) on R threads, one per rank. The sum adds the ranks'
// values in rank order on one thread and hands every rank the same bits, as the MPI one does.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "regpath/distributed.hpp"

namespace regpath::testing {

class ThreadGroup {
 public:
  explicit ThreadGroup(int size) : size_(size), slots_(std::size_t(size)) {}
  int size() const { return size_; }

  // Every rank deposits `bytes`; once all have, `combine` (run by one) turns the slots into
  // the result that every rank then copies out.
  void exchange(int rank, const void* in, std::size_t bytes, void* out,
                const std::function<void(std::vector<std::vector<char>>&, std::vector<char>&)>&
                    combine) {
    slots_[std::size_t(rank)].assign(static_cast<const char*>(in),
                                     static_cast<const char*>(in) + bytes);
    barrier();
    if (rank == 0) combine(slots_, result_);
    barrier();
    std::memcpy(out, result_.data(), bytes);
    barrier();  // no slot is overwritten before every rank has read the result
  }

 private:
  void barrier() {
    std::unique_lock<std::mutex> lock(mutex_);
    const long generation = generation_;
    if (++waiting_ == size_) {
      waiting_ = 0;
      ++generation_;
      cv_.notify_all();
      return;
    }
    cv_.wait(lock, [&] { return generation_ != generation; });
  }

  int size_;
  std::vector<std::vector<char>> slots_;
  std::vector<char> result_;
  std::mutex mutex_;
  std::condition_variable cv_;
  int waiting_ = 0;
  long generation_ = 0;
};

class ThreadCommunicator : public Communicator {
 public:
  ThreadCommunicator(ThreadGroup& group, int rank) : group_(group), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return group_.size(); }
  void sum(double* values, std::size_t count) const override { reduce(values, count, false); }
  void max(double* values, std::size_t count) const override { reduce(values, count, true); }
  void broadcast(void* bytes, std::size_t count, int root) const override {
    group_.exchange(rank_, bytes, count, bytes,
                    [root](std::vector<std::vector<char>>& slots, std::vector<char>& result) {
                      result = slots[std::size_t(root)];
                    });
  }

 private:
  void reduce(double* values, std::size_t count, bool take_max) const {
    group_.exchange(rank_, values, count * sizeof(double), values,
                    [count, take_max](std::vector<std::vector<char>>& slots,
                                      std::vector<char>& result) {
                      std::vector<double> total(count, 0.0), v(count);
                      for (std::size_t r = 0; r < slots.size(); ++r) {
                        std::memcpy(v.data(), slots[r].data(), count * sizeof(double));
                        for (std::size_t i = 0; i < count; ++i)
                          total[i] = r == 0 ? v[i]
                                     : take_max ? std::max(total[i], v[i])
                                                : total[i] + v[i];
                      }
                      result.resize(count * sizeof(double));
                      std::memcpy(result.data(), total.data(), result.size());
                    });
  }

  ThreadGroup& group_;
  int rank_;
};

// Runs body(comm, rank) on `ranks` threads; the exception each rank ended with ("" if none).
inline std::vector<std::string> run_ranks(
    int ranks, const std::function<void(const Communicator&, int)>& body) {
  ThreadGroup group(ranks);
  std::vector<std::string> errors(static_cast<std::size_t>(ranks));
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r)
    threads.emplace_back([&, r] {
      ThreadCommunicator comm(group, r);
      try {
        body(comm, r);
      } catch (const std::exception& e) {
        errors[std::size_t(r)] = std::string("error: ") + e.what();
      }
    });
  for (std::thread& t : threads) t.join();
  return errors;
}

}  // namespace regpath::testing
