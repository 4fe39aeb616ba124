// cuBLAS is loaded on first device use, not at start-up (kernels/cublas_loader.hpp): the CLI's
// --version and CPU fits never map libcublas, and a library that cannot be loaded is a clear
// error. CUDA builds only (a CPU-only build has no cuBLAS to load); none of this needs a GPU.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "kernels/cublas_loader.hpp"
#include "regpath/regpath.hpp"

namespace {

using regpath::test::CliRun;
using regpath::test::contains;
using regpath::test::run_cli_command;

std::string own_maps() {
  std::ifstream in("/proc/self/maps");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool cublas_mapped() { return contains(own_maps(), "libcublas"); }

// The child's own loader reports every object it maps, dlopen'd ones included (glibc's
// LD_DEBUG=files: "file=libcublas.so.13 [0]; ..."): a process that exits at once has no
// /proc/<pid>/maps left to read afterwards.
// The lines of a loader trace that name `needle`: a failure shows those, not the whole trace.
std::string lines_with(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  std::string line, found;
  while (std::getline(in, line))
    if (contains(line, needle)) found += line + "\n";
  return found;
}

CliRun run_with_loader_trace(const std::string& args) {
  return run_cli_command("LD_DEBUG=files " + regpath::test::cli_path() + " " + args);
}

TEST(CudaLazyLoad, VersionDoesNotLoadCublas) {
  const CliRun r = run_with_loader_trace("--version");
  ASSERT_EQ(r.status, 0) << r.out << lines_with(r.err, "regpath");
  EXPECT_TRUE(contains(r.out, "regpath ")) << r.out;
  ASSERT_TRUE(contains(r.err, "file="))
      << "no loader trace (LD_DEBUG) to judge by: " << r.err.substr(0, 2000);
  EXPECT_FALSE(contains(r.err, "libcublas")) << lines_with(r.err, "libcublas");
  EXPECT_FALSE(contains(r.err, "libcudart.so"))
      << "the runtime is linked statically: " << lines_with(r.err, "libcudart");
}

TEST(CudaLazyLoad, CpuFitOnTheCommandLineDoesNotLoadCublas) {
  const std::string data = regpath::test::temp_file(
      "data.csv", "x1,x2,y\n1,2,3\n2,1,4\n3,5,4.5\n4,3,7\n5,4,6.5\n6,8,9\n");
  const std::string out = regpath::test::temp_path("path.csv");
  const CliRun r = run_with_loader_trace("fit " + data + " --response y --nlambda 5 --device cpu"
                                         " --output " + out);
  ASSERT_EQ(r.status, 0) << r.out << lines_with(r.err, "regpath");
  ASSERT_TRUE(contains(r.err, "file="))
      << "no loader trace (LD_DEBUG) to judge by: " << r.err.substr(0, 2000);
  EXPECT_FALSE(contains(r.err, "libcublas")) << lines_with(r.err, "libcublas");
}

TEST(CudaLazyLoad, CpuFitThroughTheLibraryDoesNotMapCublas) {
  // ctest runs each test in its own process; a whole-binary run may have used a device before.
  if (cublas_mapped()) GTEST_SKIP() << "an earlier test in this process loaded cuBLAS";
  const std::vector<double> x = {1, 2, 3, 4, 5, 6, 2, 1, 5, 3, 4, 8};
  const std::vector<double> y = {3, 4, 4.5, 7, 6.5, 9};
  regpath::MatrixView<double> X;
  X.data = x.data();
  X.rows = 6;
  X.cols = 2;
  X.ld = 6;
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.nlambda = 5;
  const regpath::Path path = regpath::fit(X, y.data(), o);
  EXPECT_FALSE(path.lambdas.empty());
  EXPECT_FALSE(cublas_mapped()) << own_maps();
}

TEST(CudaLazyLoad, ALibraryThatCannotBeLoadedIsAClearError) {
  std::string error;
  const char* name = "libregpath_no_such_cublas.so.13";
  EXPECT_EQ(regpath::cuda::load_cublas_from(name, &error), nullptr);
  EXPECT_EQ(error.rfind(std::string("cuBLAS (") + name + ") could not be loaded: ", 0), 0u)
      << error;
  EXPECT_TRUE(contains(error, "cannot open shared object file")) << error;  // dlerror's text
}

TEST(CudaLazyLoad, ALibraryWithoutTheSymbolsNamesTheMissingOne) {
  std::string error;
  // libm loads but has no cuBLAS in it.
  EXPECT_EQ(regpath::cuda::load_cublas_from("libm.so.6", &error), nullptr);
  EXPECT_TRUE(contains(error, "cuBLAS (libm.so.6) is unusable: cuBLAS symbol cublasCreate_v2"))
      << error;
}

TEST(CudaLazyLoad, TheToolkitsCublasLoadsWithoutADevice) {
  // dlopen needs no GPU: on a machine with the toolkit the loader finds every entry point.
  std::string error;
  const regpath::cuda::CublasApi* api = regpath::cuda::cublas_api(&error);
  if (api == nullptr) GTEST_SKIP() << error;  // a machine with the driver only
  EXPECT_NE(api->dgemm, nullptr);
  EXPECT_NE(api->ssyrk, nullptr);
  EXPECT_STREQ(api->status_name(CUBLAS_STATUS_SUCCESS), "CUBLAS_STATUS_SUCCESS");
  EXPECT_TRUE(cublas_mapped());
}

}  // namespace
