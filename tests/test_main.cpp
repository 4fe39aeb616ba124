// The test program's main: GoogleTest's, plus two switches for the GPU check (scripts/gpu-check),
// which runs the CUDA tests in one process on a GPU node with little time:
//   REGPATH_TEST_TIMEOUT=S   a test that runs longer than S seconds ends the program with exit
//                            status 124, naming the test (one hung kernel must not eat the node's
//                            time, and a timeout outside the process would not say which test)
//   REGPATH_REQUIRE_CUDA=1   a test that skips because CUDA is not usable counts as a failure:
//                            on a GPU node, that skip means the CUDA backend went untested
// Without them this is GoogleTest's main.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

char g_current_test[512] = "(none)";

extern "C" void on_test_timeout(int) {
  // Only async-signal-safe calls here.
  const char head[] = "\nREGPATH_TEST_TIMEOUT: test timed out: ";
  (void)!write(2, head, sizeof head - 1);
  (void)!write(2, g_current_test, std::strlen(g_current_test));
  (void)!write(2, "\n", 1);
  _exit(124);
}

bool skip_means_no_cuda(const std::string& message) {
  return message.find("CUDA not usable") != std::string::npos ||
         message.find("no CUDA device is usable") != std::string::npos;
}

class GpuCheckListener : public ::testing::EmptyTestEventListener {
 public:
  GpuCheckListener(unsigned timeout, bool require_cuda)
      : timeout_(timeout), require_cuda_(require_cuda) {}

  void OnTestStart(const ::testing::TestInfo& info) override {
    std::snprintf(g_current_test, sizeof g_current_test, "%s.%s", info.test_suite_name(),
                  info.name());
    if (timeout_ > 0) alarm(timeout_);
  }
  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    if (require_cuda_ && result.skipped() && skip_means_no_cuda(result.message()))
      skipped_without_cuda_.push_back(g_current_test);
  }
  void OnTestEnd(const ::testing::TestInfo&) override {
    if (timeout_ > 0) alarm(0);
  }

  const std::vector<std::string>& skipped_without_cuda() const { return skipped_without_cuda_; }

 private:
  unsigned timeout_;
  bool require_cuda_;
  std::vector<std::string> skipped_without_cuda_;
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const char* timeout_text = std::getenv("REGPATH_TEST_TIMEOUT");
  const char* require_text = std::getenv("REGPATH_REQUIRE_CUDA");
  const unsigned timeout = timeout_text ? static_cast<unsigned>(std::atoi(timeout_text)) : 0;
  const bool require_cuda = require_text && require_text[0] && std::strcmp(require_text, "0") != 0;
  GpuCheckListener* listener = nullptr;
  if (timeout > 0 || require_cuda) {
    if (timeout > 0) signal(SIGALRM, on_test_timeout);
    listener = new GpuCheckListener(timeout, require_cuda);  // owned by GoogleTest
    ::testing::UnitTest::GetInstance()->listeners().Append(listener);
  }
  int status = RUN_ALL_TESTS();
  if (listener && !listener->skipped_without_cuda().empty()) {
    std::fprintf(stderr, "REGPATH_REQUIRE_CUDA: %zu test(s) skipped because CUDA is not usable:\n",
                 listener->skipped_without_cuda().size());
    for (const std::string& name : listener->skipped_without_cuda())
      std::fprintf(stderr, "  SKIPPED WITHOUT CUDA: %s\n", name.c_str());
    status = 1;
  }
  return status;
}
