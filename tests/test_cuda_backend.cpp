// The CUDA backend beyond the op-by-op tests of test_backend_ops.cpp: whole paths on the GPU
// against the CPU reference (Gram and direct forms, α ∈ {0, ½, 1}), planted edge cases (an
// all-zero column, K = 1, a λ converged from the start), the primitives on columns long enough
// for the block reductions to use every thread, and the backend's own contract (its name, memory
// accounting, the allocation-failure and cuBLAS-error messages). The tests of backend objects
// skip, saying why, where no CUDA device is usable; the path tests run their CPU halves (the
// reference fits and their checks) on every machine, also without CUDA, and skip only the
// CUDA halves.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "backends/cpu_backend.hpp"
#include "backends/cuda_backend.hpp"
#include "core/engine/scalar_ops.hpp"
#include "test_support.hpp"

namespace regpath::test {
namespace {

bool cuda_usable(std::string* why = nullptr) { return cuda_available(why); }

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

#if defined(REGPATH_HAS_CUDA)
class CudaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!cuda_available(&why)) GTEST_SKIP() << "CUDA not usable: " << why;
  }
};

// ---- the backend's contract -------------------------------------------------------------------

TEST_F(CudaTest, NameSaysCudaAndTheDevice) {
  CudaBackend<double> be;
  EXPECT_EQ(be.name().rfind("cuda:", 0), 0u) << be.name();
  EXPECT_GT(be.name().size(), std::string("cuda:").size()) << be.name();
}

TEST_F(CudaTest, TracksCurrentAndPeakBytes) {
  CudaBackend<float> be;
  const std::int64_t base = be.current_bytes();  // the cuBLAS workspace
  EXPECT_GT(base, 0);
  {
    auto a = be.allocate(1000);
    EXPECT_EQ(be.current_bytes(), base + 4000);
    auto b = be.allocate(500);
    EXPECT_EQ(be.current_bytes(), base + 6000);
    a = be.allocate(10);  // allocated before the move-assignment frees the 1000 values
    EXPECT_EQ(be.current_bytes(), base + 2040);
  }
  EXPECT_EQ(be.current_bytes(), base);
  EXPECT_EQ(be.peak_bytes(), base + 6040);
}

TEST_F(CudaTest, AllocationFailureSaysBytesNeededAndFree) {
  CudaBackend<double> be;
  const std::size_t count = std::size_t(1) << 50;  // 8 PiB
  try {
    auto huge = be.allocate(count);
    FAIL() << "allocated " << count << " doubles";
  } catch (const OutOfMemoryError& e) {  // typed: the C API maps it to _OUT_OF_MEMORY
    const std::string msg = e.what();
    EXPECT_TRUE(contains(msg, std::to_string(count * sizeof(double)) + " bytes")) << msg;
    EXPECT_TRUE(contains(msg, "bytes free of")) << msg;
  }
  // Out of memory is not sticky: the backend still works.
  auto small = be.allocate(3);
  const std::vector<double> v = {1, 2, 3};
  be.upload(small.data(), v.data(), 3);
  std::vector<double> back(3);
  be.download(back.data(), small.data(), 3);
  EXPECT_EQ(back, v);
}

TEST_F(CudaTest, CublasErrorsNameTheCallAndPlace) {
  CudaBackend<double> be;
  auto A = be.allocate(25), B = be.allocate(5), C = be.allocate(5);
  try {
    // lda = 2 < m = 5: cuBLAS refuses
    be.gemm(false, false, 5, 1, 5, 1.0, A.data(), 2, B.data(), 5, 0.0, C.data(), 5);
    FAIL() << "cuBLAS accepted lda < m";
  } catch (const DeviceError& e) {
    const std::string msg = e.what();
    EXPECT_TRUE(contains(msg, "cublas_gemm")) << msg;
    EXPECT_TRUE(contains(msg, "cuda_backend.cu:")) << msg;
    EXPECT_TRUE(contains(msg, "CUBLAS_STATUS_INVALID_VALUE")) << msg;
  }
}

// ---- primitives on long columns, and the ones test_backend_ops.cpp does not cover -------------

template <typename T>
class CudaOps : public CudaTest {
 protected:
  void SetUp() override {
    CudaTest::SetUp();
    if (IsSkipped()) return;
    gpu_.emplace();
  }
  std::vector<T> random(std::size_t count, double scale = 1.0) {
    std::normal_distribution<double> z;
    std::vector<T> v(count);
    for (auto& x : v) x = static_cast<T>(scale * z(rng_));
    return v;
  }
  CudaBuffer<T> put(const std::vector<T>& v) {
    CudaBuffer<T> buf = gpu_->allocate(v.size());
    gpu_->upload(buf.data(), v.data(), v.size());
    return buf;
  }
  std::vector<T> get(const CudaBuffer<T>& buf, std::size_t count) {
    std::vector<T> v(count);
    gpu_->download(v.data(), buf.data(), count);
    return v;
  }
  static double tol() { return sizeof(T) == 8 ? 1e-12 : 1e-5; }

  std::optional<CudaBackend<T>> gpu_;
  CpuBackend<T> cpu_;
  std::mt19937_64 rng_{7};
};
using Reals = ::testing::Types<double, float>;
struct RealNames {
  template <typename T>
  static std::string GetName(int) { return sizeof(T) == 8 ? "float64" : "float32"; }
};
TYPED_TEST_SUITE(CudaOps, Reals, RealNames);

TYPED_TEST(CudaOps, LongColumnsMatchTheCpuBackend) {
  using T = TypeParam;
  const std::int64_t p = 3001, K = 5;  // many strides of the 256-thread blocks
  const auto pk = std::size_t(p * K);
  const auto Y = this->random(pk), G = this->random(pk), Bc = this->random(pk);
  const auto c = this->random(std::size_t(p));
  const std::vector<T> step = {T(0.5), T(0.25), T(1), T(0.1), T(0.3)};
  const std::vector<T> lam = {T(0.9), T(0.5), T(0.1), T(0.05), T(0.01)};
  const T alpha(0.6);
  auto dY = this->put(Y), dG = this->put(G), dBc = this->put(Bc), dc = this->put(c);
  auto ds = this->put(step), dl = this->put(lam), dBn = this->gpu_->allocate(pk);

  // The prox step is elementwise and free of fused multiply-adds: bit for bit the CPU's.
  std::vector<T> Bn(pk);
  this->cpu_.prox_step(p, K, Y.data(), G.data(), step.data(), lam.data(), alpha, {}, Bn.data());
  this->gpu_->prox_step(p, K, dY.data(), dG.data(), ds.data(), dl.data(), alpha, {}, dBn.data());
  EXPECT_EQ(this->get(dBn, pk), Bn);

  // Momentum: columns 0, 2 restart (Y pushed past B_next), the others keep going.
  std::vector<T> Ym = Y, theta = {T(1), T(2), T(3), T(4), T(5)};
  for (std::int64_t k : {0, 2})
    for (std::int64_t j = 0; j < p; ++j) {
      const auto e = std::size_t(j + k * p);
      Ym[e] = Bn[e] + (Bn[e] - Bc[e]);
    }
  for (std::int64_t k : {1, 3, 4})
    for (std::int64_t j = 0; j < p; ++j) {
      const auto e = std::size_t(j + k * p);
      Ym[e] = Bn[e] - (Bn[e] - Bc[e]);
    }
  auto dYm = this->put(Ym), dTheta = this->put(theta);
  this->cpu_.momentum_step(p, K, Bn.data(), Bc.data(), Ym.data(), theta.data());
  this->gpu_->momentum_step(p, K, dBn.data(), dBc.data(), dYm.data(), dTheta.data());
  EXPECT_EQ(this->get(dTheta, std::size_t(K)), theta);
  EXPECT_EQ(theta[0], T(1));
  EXPECT_NE(theta[1], T(1));
  EXPECT_EQ(this->get(dYm, pk), Ym);

  // The restarts of a check: column 0 restarts with step ½, the others are left alone.
  std::vector<T> restart(std::size_t(K), T(0)), steps(std::size_t(K), T(3));
  restart[0] = T(0.5);
  auto dRestart = this->put(restart), dSteps = this->put(steps);
  this->cpu_.restart_columns(p, K, restart.data(), steps.data(), theta.data(), Ym.data(),
                             Bc.data());
  this->gpu_->restart_columns(p, K, dRestart.data(), dSteps.data(), dTheta.data(), dYm.data(),
                              dBc.data());
  EXPECT_EQ(this->get(dSteps, std::size_t(K)), steps);
  EXPECT_EQ(this->get(dTheta, std::size_t(K)), theta);
  EXPECT_EQ(this->get(dYm, pk), Ym);

  // Reductions in double: equal up to the order of the sums.
  const auto uK = std::size_t(K);
  std::vector<ops::GapTerms> t_cpu(uK), t_gpu(uK);
  this->cpu_.gap_terms(p, K, Bc.data(), G.data(), c.data(), lam.data(), alpha, {}, t_cpu.data());
  this->gpu_->gap_terms(p, K, dBc.data(), dG.data(), dc.data(), dl.data(), alpha, {}, t_gpu.data());
  std::vector<double> d_cpu(uK), d_gpu(uK);
  this->cpu_.column_dots(p, K, Bc.data(), p, G.data(), p, d_cpu.data());
  this->gpu_->column_dots(p, K, dBc.data(), p, dG.data(), p, d_gpu.data());
  for (std::size_t k = 0; k < uK; ++k) {
    const auto &a = t_gpu[k], &e = t_cpu[k];
    const double tl = 1e-12 * double(p);
    EXPECT_NEAR(a.beta_dot_grad, e.beta_dot_grad, tl) << k;
    EXPECT_NEAR(a.l1, e.l1, tl) << k;
    EXPECT_NEAR(a.l2sq, e.l2sq, tl) << k;
    EXPECT_NEAR(a.excess_sq, e.excess_sq, tl) << k;
    EXPECT_EQ(a.max_dual, e.max_dual) << k;  // a maximum does not depend on the order
    EXPECT_NEAR(a.c_dot_beta, e.c_dot_beta, tl) << k;
    EXPECT_NEAR(d_gpu[k], d_cpu[k], tl) << k;
  }

  // Standardization of long columns, with a constant one and an offset one.
  const std::int64_t n = 2999, q = 3;
  auto X = this->random(std::size_t(n * q), 2.0);
  for (std::int64_t i = 0; i < n; ++i) {
    X[std::size_t(i + n)] = T(-3.5);
    X[std::size_t(i + 2 * n)] += T(100);
  }
  for (bool center : {true, false}) {
    std::vector<T> Xc = X;
    auto dX = this->put(X);
    std::vector<double> m_cpu(3), s_cpu(3), m_gpu(3), s_gpu(3);
    this->cpu_.standardize(n, q, Xc.data(), n, center, true, m_cpu.data(), s_cpu.data());
    this->gpu_->standardize(n, q, dX.data(), n, center, true, m_gpu.data(), s_gpu.data());
    const auto Xg = this->get(dX, X.size());
    EXPECT_EQ(s_gpu[1], 0.0);
    for (std::size_t j = 0; j < 3; ++j) {
      EXPECT_NEAR(m_gpu[j], m_cpu[j], 1e-12 * (1 + std::fabs(m_cpu[j]))) << j;
      EXPECT_NEAR(s_gpu[j], s_cpu[j], 1e-12 * s_cpu[j]) << j;
    }
    for (std::size_t e = 0; e < Xc.size(); ++e)
      ASSERT_NEAR(double(Xg[e]), double(Xc[e]), this->tol() * (1 + std::fabs(double(Xc[e])))) << e;
  }
}

TYPED_TEST(CudaOps, GatherCompactAndOverlappingCopy) {
  using T = TypeParam;
  using Index = std::int64_t;
  // gather with a leading dimension above the row count, repeated and unordered indices
  const Index rows = 5, lds = 7, cols = 9;
  const auto src = this->random(std::size_t(lds * cols));
  const std::vector<Index> idx = {3, 0, 8, 3, 1};
  auto dsrc = this->put(src);
  auto ddst = this->gpu_->allocate(std::size_t(rows) * idx.size());
  std::vector<T> dst(std::size_t(rows) * idx.size());
  this->cpu_.gather_columns(rows, src.data(), lds, idx, dst.data());
  this->gpu_->gather_columns(rows, dsrc.data(), lds, idx, ddst.data());
  EXPECT_EQ(this->get(ddst, dst.size()), dst);

  // compact more columns than one kernel launch takes (1024), keeping a prefix in place
  const Index r = 3, K = 2500;
  const auto M = this->random(std::size_t(r * K));
  std::vector<Index> keep;
  for (Index k = 0; k < K; ++k)
    if (k < 10 || k % 3 != 0) keep.push_back(k);
  std::vector<T> Mc = M;
  auto dM = this->put(M);
  this->cpu_.compact_columns(r, Mc.data(), r, keep);
  this->gpu_->compact_columns(r, dM.data(), r, keep);
  EXPECT_EQ(this->get(dM, M.size()), Mc);

  // copy with overlapping ranges moves like memmove, both ways
  std::vector<T> v(100);
  std::iota(v.begin(), v.end(), T(0));
  auto dv = this->put(v);
  this->cpu_.copy(v.data() + 10, v.data(), 50);
  this->gpu_->copy(dv.data() + 10, dv.data(), 50);
  this->cpu_.copy(v.data(), v.data() + 5, 60);
  this->gpu_->copy(dv.data(), dv.data() + 5, 60);
  EXPECT_EQ(this->get(dv, v.size()), v);
}

TYPED_TEST(CudaOps, WorkingSetPrimitivesMatchTheCpuBackend) {
  using T = TypeParam;
  using Index = std::int64_t;
  // more rows than one kernel launch takes (1024), leading dimensions above the row counts
  const Index p = 2600, K = 3, lds = p + 3;
  const auto src = this->random(std::size_t(lds * K));
  std::vector<Index> idx;
  for (Index j = 0; j < p; j += 2) idx.push_back(j);  // 1300 rows
  const auto m = Index(idx.size()), ldw = m + 1;
  auto dsrc = this->put(src);

  // W = the rows idx of src
  std::vector<T> w(std::size_t(ldw * K), T(7));
  auto dw = this->put(w);
  this->cpu_.gather_rows(m, K, src.data(), lds, idx, w.data(), ldw);
  this->gpu_->gather_rows(m, K, dsrc.data(), lds, idx, dw.data(), ldw);
  EXPECT_EQ(this->get(dw, w.size()), w);

  // scatter back into a zeroed p × K block: the other rows stay 0
  std::vector<T> full(std::size_t(lds * K), T(3));
  auto dfull = this->put(full);
  this->cpu_.set_zero(full.data(), full.size());
  this->gpu_->set_zero(dfull.data(), full.size());
  this->cpu_.scatter_rows(m, K, w.data(), ldw, idx, full.data(), lds);
  this->gpu_->scatter_rows(m, K, dw.data(), ldw, idx, dfull.data(), lds);
  const auto back = this->get(dfull, full.size());
  EXPECT_EQ(back, full);
  EXPECT_EQ(back[1], T(0));

  // the largest violation of the zero-coefficient condition per row
  const std::vector<T> lam = {T(0.9), T(0.2), T(1.7)};
  auto dl = this->put(lam);
  const auto up = std::size_t(p);
  std::vector<double> v_cpu(up), v_gpu(up);
  for (T alpha : {T(0), T(0.5), T(1)}) {
    this->cpu_.row_violations(p, K, src.data(), lds, lam.data(), alpha, {}, v_cpu.data());
    this->gpu_->row_violations(p, K, dsrc.data(), lds, dl.data(), alpha, {}, v_gpu.data());
    EXPECT_EQ(v_gpu, v_cpu) << "alpha " << alpha;
  }
  this->gpu_->row_violations(p, 0, dsrc.data(), lds, dl.data(), T(1), {}, v_gpu.data());
  EXPECT_EQ(v_gpu[0], -std::numeric_limits<double>::infinity());
}

TYPED_TEST(CudaOps, EmptyBlocksDoNothing) {
  using T = TypeParam;
  auto a = this->gpu_->allocate(4);
  EXPECT_EQ(this->gpu_->allocate(0).data(), nullptr);
  this->gpu_->prox_step(4, 0, a.data(), a.data(), a.data(), a.data(), T(1), {}, a.data());
  this->gpu_->momentum_step(4, 0, a.data(), a.data(), a.data(), a.data());
  this->gpu_->restart_columns(4, 0, a.data(), a.data(), a.data(), a.data(), a.data());
  this->gpu_->fill_columns(4, 0, a.data(), 4, a.data(), T(1));
  this->gpu_->gap_terms(4, 0, a.data(), a.data(), a.data(), a.data(), T(1), {}, nullptr);
  this->gpu_->column_dots(4, 0, a.data(), 4, a.data(), 4, nullptr);
  this->gpu_->gather_columns(4, a.data(), 4, {}, a.data());
  this->gpu_->compact_columns(4, a.data(), 4, {});
  this->gpu_->compact_columns(4, a.data(), 4, {0});
  this->gpu_->gather_rows(0, 4, a.data(), 4, {}, a.data(), 4);
  this->gpu_->scatter_rows(0, 4, a.data(), 4, {}, a.data(), 4);
  this->gpu_->set_zero(a.data(), 0);
  this->gpu_->synchronize();
  EXPECT_EQ(this->get(a, 4), std::vector<T>(4, T(0)));
}

// Predictions on the GPU (predict's Device::cuda: float64 GEMMs over blocks of rows) equal the
// host's to rounding, for every predict type of a binomial model, float and double X.
TEST_F(CudaTest, PredictOnTheGpuEqualsTheHost) {
  const std::int64_t n = 3001, p = 40;
  std::vector<double> X(static_cast<std::size_t>(n * p));
  for (std::size_t e = 0; e < X.size(); ++e) X[e] = std::sin(0.37 * double(e)) * 2.0;
  Model m;
  m.family = Family::binomial;
  m.path.n_features = p;
  m.path.lambdas = {0.5, 0.25, 0.1};
  m.path.intercepts = {0.1, -0.2, 0.3};
  for (std::int64_t k = 0; k < 3; ++k)
    for (std::int64_t j = 0; j < p; ++j)
      m.path.coefs.push_back(j % (k + 2) == 0 ? 0.0 : 0.05 * double(j - 20) / double(k + 1));
  for (std::int64_t j = 0; j < p; ++j) m.feature_names.push_back("x" + std::to_string(j + 1));
  const std::vector<double> s = {0.5, 0.3, 0.1, 0.01};
  const std::vector<float> Xf(X.begin(), X.end());
  for (const PredictType type :
       {PredictType::link, PredictType::response, PredictType::class_label}) {
    const MatrixView<double> Xd{X.data(), n, p, n};
    const std::vector<double> want = predict(m, Xd, s, type);
    Device used = Device::cpu;
    const std::vector<double> got = predict(m, Xd, s, type, Device::cuda, &used);
    EXPECT_EQ(used, Device::cuda);
    const std::vector<double> want_f = predict(m, MatrixView<float>{Xf.data(), n, p, n}, s, type);
    const std::vector<double> got_f =
        predict(m, MatrixView<float>{Xf.data(), n, p, n}, s, type, Device::cuda);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t e = 0; e < got.size(); ++e) {
      EXPECT_NEAR(got[e], want[e], 1e-12 * std::max(1.0, std::fabs(want[e])))
          << to_string(type) << ", value " << e;
      EXPECT_NEAR(got_f[e], want_f[e], 1e-12 * std::max(1.0, std::fabs(want_f[e])))
          << to_string(type) << " (float X), value " << e;
    }
  }
}

#endif  // REGPATH_HAS_CUDA

// ---- whole paths: CUDA against the CPU reference ----------------------------------------------

struct Float64 {
  static constexpr Precision precision = Precision::float64;
  static constexpr double solver_tol = 1e-10;
  static constexpr double objective_rtol = 1e-9;
  static std::string name() { return "float64"; }
};
// float32 at its default tol (1e-4): at 1e-5 the CPU reference itself stalls on some λ (its
// rounding floor). Each fit's objective is within tol·P of the optimum, so two fits differ by
// at most about 2·tol·P.
struct Float32 {
  static constexpr Precision precision = Precision::float32;
  static constexpr double solver_tol = 1e-4;
  static constexpr double objective_rtol = 2e-4;
  static std::string name() { return "float32"; }
};
struct PrecisionNames {
  template <typename P>
  static std::string GetName(int) { return P::name(); }
};

template <typename P>
class CudaPaths : public ::testing::Test {
 protected:
  // At the end of a test whose CPU halves ran: the CUDA halves did not, and the test says so.
  static void skip_rest_without_cuda() {
    std::string why;
    if (!cuda_usable(&why))
      GTEST_SKIP() << "the CPU halves ran; the CUDA halves skip: CUDA not usable: " << why;
  }
  // CUDA where usable, else the CPU (whose half of the test then runs alone).
  static Device device_under_test() { return cuda_usable() ? Device::cuda : Device::cpu; }

  static Options options(Device device, double alpha) {
    Options o;
    o.device = device;
    o.precision = P::precision;
    o.tol = P::solver_tol;
    o.alpha = alpha;
    return o;
  }

  // Solves on the CPU (default λ path unless `lambdas`), then, where CUDA is usable, on CUDA at
  // the same λ, and compares the objectives λ by λ.
  static void expect_same_path(const Problem& pr, double alpha, int nlambda,
                               const std::vector<double>& lambdas, const std::string& what) {
    Options o = options(Device::cpu, alpha);
    o.nlambda = nlambda;
    o.lambdas = lambdas;
    const Path cpu = fit(pr.view(), pr.y.data(), o);
    for (std::int64_t k = 0; k < cpu.nlambda(); ++k) {
      const auto uk = std::size_t(k);
      ASSERT_EQ(cpu.status[uk], Status::converged)
          << what << " lambda[" << k << "]: the CPU reference, gap " << cpu.gaps[uk];
      EXPECT_LE(cpu.gaps[uk], P::solver_tol) << what << " lambda[" << k << "]";
    }
    if (!cuda_usable()) return;  // the CPU half alone
    o.device = Device::cuda;
    o.lambdas = cpu.lambdas;
    const Path gpu = fit(pr.view(), pr.y.data(), o);
    ASSERT_EQ(gpu.device, Device::cuda) << what;
    EXPECT_TRUE(contains(gpu.device_name, "cuda")) << what << ": " << gpu.device_name;
    EXPECT_GT(gpu.peak_device_bytes, 0) << what;
    EXPECT_NEAR(gpu.lambda_max, cpu.lambda_max, 10 * P::objective_rtol * cpu.lambda_max) << what;
    ASSERT_EQ(gpu.nlambda(), cpu.nlambda()) << what;
    for (std::int64_t k = 0; k < cpu.nlambda(); ++k) {
      const auto uk = std::size_t(k);
      const std::string at = what + " lambda[" + std::to_string(k) + "]";
      ASSERT_EQ(gpu.status[uk], Status::converged) << at << " gap " << gpu.gaps[uk];
      EXPECT_LE(gpu.gaps[uk], P::solver_tol) << at;
      const double f_cpu = objective(pr, cpu, k, true, true, alpha);
      const double f_gpu = objective(pr, gpu, k, true, true, alpha);
      EXPECT_NEAR(f_gpu, f_cpu, P::objective_rtol * std::fabs(f_cpu)) << at;
    }
  }
};
using Precisions = ::testing::Types<Float64, Float32>;
TYPED_TEST_SUITE(CudaPaths, Precisions, PrecisionNames);

TYPED_TEST(CudaPaths, MatchTheCpuReference) {
  struct Shape {
    int n, p;
    const char* name;
  };
  for (const Shape& sh : {Shape{200, 20, "n>2p (Gram form)"}, Shape{40, 100, "p>n (direct form)"}})
    for (double alpha : {0.0, 0.5, 1.0}) {
      const Problem pr = random_problem(sh.n, sh.p, 0.5, unsigned(sh.n * 31 + sh.p));
      this->expect_same_path(pr, alpha, 20, {},
                             std::string(sh.name) + " alpha=" + std::to_string(alpha));
    }
  this->skip_rest_without_cuda();
}

TYPED_TEST(CudaPaths, PlantedEdgeCases) {
  for (const auto& shape : {std::pair<int, int>{120, 12}, std::pair<int, int>{30, 60}}) {
    Problem pr = random_problem(shape.first, shape.second, 0.3, 5u);
    for (std::int64_t i = 0; i < pr.n; ++i) pr.X[std::size_t(i + 2 * pr.n)] = 0.0;  // zero column
    const std::string where = "n=" + std::to_string(pr.n) + " p=" + std::to_string(pr.p);
    for (double alpha : {0.0, 0.5, 1.0}) {
      const std::string what = where + " alpha=" + std::to_string(alpha);
      Options o = this->options(this->device_under_test(), alpha);
      o.nlambda = 1;  // K = 1: only λ_max itself
      const Path one = fit(pr.view(), pr.y.data(), o);
      ASSERT_EQ(one.nlambda(), 1) << what;
      const double lmax = one.lambda_max;
      ASSERT_GT(lmax, 0.0) << what;
      // K = 1; then a block whose first λ is converged at the start (λ ≥ λ_max: β = 0)
      this->expect_same_path(pr, alpha, 1, {0.3 * lmax}, what + " K=1");
      this->expect_same_path(pr, alpha, 4, {1.5 * lmax, 0.5 * lmax, 0.2 * lmax, 0.05 * lmax},
                             what + " first converged");
      o.nlambda = 4;
      o.lambdas = {1.5 * lmax, 0.05 * lmax};
      const Path gpu = fit(pr.view(), pr.y.data(), o);
      if (alpha > 0) {  // λ_max is the lasso's; for ridge (α = 0) glmnet's λ_max is a convention
        EXPECT_EQ(gpu.iterations[0], 0) << what << ": converged at the start";
        for (std::int64_t j = 0; j < pr.p; ++j) EXPECT_EQ(gpu.coef(j, 0), 0.0) << what << " j=" << j;
      }
      for (std::int64_t k = 0; k < 2; ++k) EXPECT_EQ(gpu.coef(2, k), 0.0) << what << " zero column";
    }
  }
  this->skip_rest_without_cuda();
}

TYPED_TEST(CudaPaths, FloatInputAndAutomaticDevice) {
  const Problem pr = random_problem(80, 30, 0.5, 3u);
  std::vector<float> Xf(pr.X.begin(), pr.X.end()), yf(pr.y.begin(), pr.y.end());
  Options o = this->options(Device::automatic, 0.5);
  o.nlambda = 10;
  const Path path = fit(MatrixView<float>{Xf.data(), pr.n, pr.p, pr.n}, yf.data(), o);
  EXPECT_EQ(path.device, this->device_under_test()) << "auto picks a usable GPU, else the CPU";
  EXPECT_EQ(path.precision, TypeParam::precision);
  for (std::int64_t k = 0; k < path.nlambda(); ++k)
    EXPECT_EQ(path.status[std::size_t(k)], Status::converged) << k;
  this->skip_rest_without_cuda();
}

}  // namespace
}  // namespace regpath::test
