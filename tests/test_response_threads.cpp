// The many-responses calls' threads (api/response_threads.hpp): the loop runs every item once
// and rethrows the lowest failing item's exception; the automatic thread count follows its rule.
// (That the paths are the same for any number of threads: test_many_responses.cpp.)
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "api/response_threads.hpp"

namespace regpath::test {
namespace {

TEST(ForEachResponse, RunsEveryItemOnceOnItsWorkers) {
  for (const int threads : {1, 2, 7})
    for (const std::int64_t count : {0, 1, 5, 100}) {
      std::vector<std::atomic<int>> runs(static_cast<std::size_t>(count));
      std::atomic<int> bad_worker{0};
      detail::for_each_response(threads, count, [&](int worker, std::int64_t i) {
        if (worker < 0 || worker >= threads) ++bad_worker;
        ++runs[std::size_t(i)];
      });
      for (std::int64_t i = 0; i < count; ++i)
        EXPECT_EQ(runs[std::size_t(i)].load(), 1)
            << "item " << i << " of " << count << " on " << threads << " threads";
      EXPECT_EQ(bad_worker.load(), 0);
    }
}

TEST(ForEachResponse, SeveralThreadsRunAtOnce) {
  // two items that each wait (a bounded while) for the other to start: both see it only if
  // they run at the same time (one after the other, the first would give up alone)
  std::atomic<int> started{0}, saw_other{0};
  detail::for_each_response(2, 2, [&](int, std::int64_t) {
    ++started;
    for (int spin = 0; started.load() < 2 && spin < 2000000; ++spin) std::this_thread::yield();
    if (started.load() == 2) ++saw_other;
  });
  EXPECT_EQ(saw_other.load(), 2);
}

TEST(ForEachResponse, RethrowsTheLowestFailingItem) {
  for (const int threads : {1, 4}) {
    std::atomic<int> ran{0};
    try {
      detail::for_each_response(threads, 50, [&](int, std::int64_t i) {
        ++ran;
        if (i == 3 || i == 5) throw std::invalid_argument("item " + std::to_string(i));
      });
      FAIL() << "no exception on " << threads << " threads";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), "item 3") << threads << " threads";
    }
    // after a failure no new item starts: at most the items already taken by the workers
    EXPECT_LE(ran.load(), 4 + threads) << threads << " threads";
  }
}

TEST(ResponseThreads, ExplicitEnvironmentAndAutomatic) {
  Options o;
  ::unsetenv("REGPATH_NUM_THREADS");
  const int hardware = int(std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_EQ(detail::response_threads(o, Device::cpu, true, 1000), hardware);
  EXPECT_EQ(detail::response_threads(o, Device::cpu, false, 1000), 1);  // BLAS threads X's own
  EXPECT_EQ(detail::response_threads(o, Device::cuda, true, 1000), 1);
  EXPECT_EQ(detail::response_threads(o, Device::cpu, true, 1), 1);
  ::setenv("REGPATH_NUM_THREADS", "3", 1);
  EXPECT_EQ(detail::response_threads(o, Device::cpu, true, 1000), 3);
  EXPECT_EQ(detail::response_threads(o, Device::cpu, false, 1000), 3);
  EXPECT_EQ(detail::response_threads(o, Device::cpu, true, 2), 2);  // never more than m
  ::setenv("REGPATH_NUM_THREADS", "three", 1);                      // not a number: ignored
  EXPECT_EQ(detail::response_threads(o, Device::cpu, true, 1000), hardware);
  o.threads = 5;  // the option wins over the environment
  ::setenv("REGPATH_NUM_THREADS", "3", 1);
  EXPECT_EQ(detail::response_threads(o, Device::cpu, false, 1000), 5);
  ::unsetenv("REGPATH_NUM_THREADS");
}

TEST(ResponseThreads, OutOfRangeIsAnErrorNamingIt) {
  for (const int bad : {-1, 5000}) {
    Options o;
    o.threads = bad;
    try {
      validate_options(o);
      FAIL() << "threads = " << bad << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("threads"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace regpath::test
