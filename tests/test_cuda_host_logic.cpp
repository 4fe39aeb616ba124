// The CUDA backend's logic that needs no GPU, on every machine (CUDA built or not): the host
// helpers of kernels/launch_plan.hpp (index chunking, the compact_columns copy plan, overlap,
// scratch growth, memory accounting, grid sizes and 32-bit limits, the debug-mode switch), and
// each kernel's thread body (kernels/kernel_bodies.hpp) run through the grid emulator, which
// visits (block, thread) in a random order, against the CPU reference backend.
#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "backends/cpu_backend.hpp"
#include "grid_emulator.hpp"
#include "kernels/kernel_bodies.hpp"
#include "kernels/launch_plan.hpp"
#include "regpath/regpath.hpp"

namespace regpath::test {
namespace {

using cuda::IndexChunk;
using cuda::kIndexChunk;

std::vector<Index> iota_indices(Index count, Index start = 0, Index step = 1) {
  std::vector<Index> v(static_cast<std::size_t>(count));
  for (Index i = 0; i < count; ++i) v[static_cast<std::size_t>(i)] = start + i * step;
  return v;
}

template <typename T>
std::vector<T> random_values(std::size_t count, std::mt19937_64& rng, double scale = 1.0) {
  std::normal_distribution<double> z;
  std::vector<T> v(count);
  for (auto& x : v) x = static_cast<T>(scale * z(rng));
  return v;
}

// ---- index chunks -------------------------------------------------------------------------------

TEST(CudaHostLogic, IndexChunksCoverTheListInOrder) {
  for (const Index count : {0, 1, 1023, 1024, 1025, 2048, 2500}) {
    std::vector<Index> idx(static_cast<std::size_t>(count));
    std::mt19937_64 rng(static_cast<unsigned>(count));
    for (auto& i : idx) i = static_cast<Index>(rng() % 100000);
    std::vector<Index> seen;
    Index launches = 0, expected_offset = 0;
    cuda::for_index_chunks(idx.data(), idx.size(), [&](const IndexChunk& chunk, Index offset) {
      ++launches;
      EXPECT_EQ(offset, expected_offset) << count;
      EXPECT_GT(chunk.count, 0) << count;
      EXPECT_LE(chunk.count, kIndexChunk) << count;
      seen.insert(seen.end(), chunk.idx, chunk.idx + chunk.count);
      expected_offset += chunk.count;
    });
    EXPECT_EQ(launches, (count + kIndexChunk - 1) / kIndexChunk) << count;
    EXPECT_EQ(seen, idx) << count;
  }
}

TEST(CudaHostLogic, LeadingNeverExceedsTheList) {
  const std::vector<Index> idx = iota_indices(1025);
  EXPECT_EQ(cuda::leading(idx, 1024), 1024u);
  EXPECT_EQ(cuda::leading(idx, 1025), 1025u);
  EXPECT_EQ(cuda::leading(idx, 2500), 1025u);
  EXPECT_EQ(cuda::leading(idx, 0), 0u);
  EXPECT_EQ(cuda::leading(idx, -3), 0u);
  EXPECT_EQ(cuda::leading({}, 5), 0u);
}

// gather_columns as the CUDA backend does it: chunked launches of the gather body.
template <typename T>
void emulated_gather_columns(Index rows, const T* src, Index lds, const std::vector<Index>& idx,
                             std::size_t first, T* dst, std::mt19937_64& rng) {
  cuda::gather_in_chunks(rows, idx, first, [&](const IndexChunk& chunk, Index offset) {
    emulate_stride_kernel(rows * chunk.count, rng, [&](Index f, Index s) {
      cuda::body::gather_columns(f, s, rows, src, lds, chunk, dst + offset, rows);
    });
  });
}

TEST(CudaHostLogic, GatherInChunksMatchesTheCpuBackend) {
  std::mt19937_64 rng(11);
  CpuBackend<double> cpu;
  const Index rows = 3, lds = 4, cols = 3000;
  const auto src = random_values<double>(static_cast<std::size_t>(lds * cols), rng);
  for (const Index count : {1023, 1024, 1025, 2500}) {
    std::vector<Index> idx(static_cast<std::size_t>(count));
    for (auto& i : idx) i = static_cast<Index>(rng() % cols);  // repeated, unordered
    std::vector<double> want(static_cast<std::size_t>(rows * count)), got(want.size(), -1.0);
    cpu.gather_columns(rows, src.data(), lds, idx, want.data());
    emulated_gather_columns(rows, src.data(), lds, idx, 0, got.data(), rng);
    EXPECT_EQ(got, want) << count;
  }
}

// ---- compact_columns ----------------------------------------------------------------------------

// compact_columns as the CUDA backend does it: the plan, the chunked gather into scratch, then
// one strided copy back (cudaMemcpy2DAsync).
void emulated_compact(Index rows, double* M, Index ldm, const std::vector<Index>& keep,
                      std::mt19937_64& rng) {
  const cuda::CompactPlan plan = cuda::compact_plan(rows, keep);
  if (plan.moved == 0) return;
  std::vector<double> tmp(plan.scratch_values, std::numeric_limits<double>::quiet_NaN());
  emulated_gather_columns(rows, static_cast<const double*>(M), ldm, keep, plan.first, tmp.data(),
                          rng);
  for (std::size_t s = 0; s < plan.moved; ++s)
    for (Index i = 0; i < rows; ++i)
      M[i + (static_cast<Index>(plan.first + s)) * ldm] = tmp[i + static_cast<Index>(s) * rows];
}

TEST(CudaHostLogic, CompactPlanKeepsThePrefixAndMatchesTheCpuBackend) {
  std::mt19937_64 rng(5);
  CpuBackend<double> cpu;
  const Index rows = 3, ldm = 5;
  for (const Index K : {1023, 1024, 1025, 2500}) {
    const auto M = random_values<double>(static_cast<std::size_t>(ldm * K), rng);
    struct Case {
      const char* name;
      std::vector<Index> keep;
      std::size_t first;
    };
    std::vector<Index> prefix_then_thirds, all_but_first, every_other;
    for (Index k = 0; k < K; ++k) {
      if (k < 10 || k % 3 != 0) prefix_then_thirds.push_back(k);
      if (k > 0) all_but_first.push_back(k);
      if (k % 2 == 1) every_other.push_back(k);
    }
    const std::vector<Case> cases = {
        {"identity", iota_indices(K), static_cast<std::size_t>(K)},
        {"prefix, then every third dropped", prefix_then_thirds, 12},  // 10, 11 stay
        {"first dropped", all_but_first, 0},
        {"odd columns", every_other, 0},
        {"last only", {K - 1}, 0},
        {"none", {}, 0}};
    for (const Case& c : cases) {
      const cuda::CompactPlan plan = cuda::compact_plan(rows, c.keep);
      EXPECT_EQ(plan.first, c.first) << K << " " << c.name;
      EXPECT_EQ(plan.moved, c.keep.size() - plan.first) << K << " " << c.name;
      EXPECT_EQ(plan.scratch_values, plan.moved * static_cast<std::size_t>(rows))
          << K << " " << c.name;
      std::vector<double> want = M, got = M;
      cpu.compact_columns(rows, want.data(), ldm, c.keep);
      emulated_compact(rows, got.data(), ldm, c.keep, rng);
      EXPECT_EQ(got, want) << K << " " << c.name;
    }
  }
  // no rows: nothing moves
  EXPECT_EQ(cuda::compact_plan(0, {1, 2}).moved, 0u);
}

// ---- copy: overlap, scratch, memory accounting -------------------------------------------------

TEST(CudaHostLogic, OverlapBothWays) {
  std::vector<double> v(3000);
  const std::size_t b = sizeof(double);
  for (const std::size_t n : {1023u, 1024u, 1025u, 2500u}) {
    EXPECT_TRUE(cuda::overlaps(v.data() + 10, v.data(), n * b)) << n;  // dst after src
    EXPECT_TRUE(cuda::overlaps(v.data(), v.data() + 5, n * b)) << n;   // dst before src
    EXPECT_TRUE(cuda::overlaps(v.data(), v.data() + n - 1, n * b)) << n;
    EXPECT_FALSE(cuda::overlaps(v.data(), v.data() + n, n * b)) << n;  // adjacent
    EXPECT_FALSE(cuda::overlaps(v.data() + n, v.data(), n * b)) << n;
  }
  EXPECT_FALSE(cuda::overlaps(v.data(), v.data(), 0));
  EXPECT_TRUE(cuda::overlaps(v.data(), v.data(), 1));
}

// What CudaMemoryStats is (src/backends/cuda_backend.hpp), so the test needs no CUDA build.
struct Stats {
  std::int64_t current = 0;
  std::int64_t peak = 0;
};

TEST(CudaHostLogic, ScratchGrowsOnlyAndAccountingTracksThePeak) {
  // The sequence of CudaTest.TracksCurrentAndPeakBytes (float buffers), plus scratch growth.
  Stats s;
  const std::size_t base = 32u << 20;  // the cuBLAS workspace on Hopper
  cuda::account_allocation(s, base);
  cuda::account_allocation(s, 4000);
  cuda::account_allocation(s, 2000);
  cuda::account_allocation(s, 40);  // allocated before the move-assignment frees the 4000
  cuda::account_free(s, 4000);
  EXPECT_EQ(s.current, std::int64_t(base) + 2040);
  cuda::account_free(s, 2000);
  cuda::account_free(s, 40);
  EXPECT_EQ(s.current, std::int64_t(base));
  EXPECT_EQ(s.peak, std::int64_t(base) + 6040);

  // A scratch that is asked for 100, 50, 100, 101, 0 bytes reallocates twice.
  std::size_t have = 0;
  int allocations = 0;
  for (const std::size_t want : {100u, 50u, 100u, 101u, 0u}) {
    if (cuda::scratch_must_grow(have, want)) {
      ++allocations;
      cuda::account_free(s, have);
      cuda::account_allocation(s, want);
      have = want;
    }
  }
  EXPECT_EQ(allocations, 2);
  EXPECT_EQ(have, 101u);
  EXPECT_EQ(s.current, std::int64_t(base) + 101);
}

TEST(CudaHostLogic, BytesOverflowIsOutOfMemory) {
  EXPECT_EQ(cuda::checked_bytes(1000, 8, "test"), 8000u);
  EXPECT_EQ(cuda::checked_bytes(0, 8, "test"), 0u);
  const std::size_t big = std::numeric_limits<std::size_t>::max() / 8 + 1;
  EXPECT_THROW(cuda::checked_bytes(big, 8, "test"), OutOfMemoryError);
  try {
    cuda::checked_bytes(big, 8, "CUDA backend");
  } catch (const DeviceError& e) {  // an OutOfMemoryError is a DeviceError
    EXPECT_NE(std::string(e.what()).find("overflows"), std::string::npos) << e.what();
  }
}

// ---- grids and 32-bit limits --------------------------------------------------------------------

TEST(CudaHostLogic, GridSizes) {
  EXPECT_EQ(cuda::stride_blocks(0), 1u);
  EXPECT_EQ(cuda::stride_blocks(1), 1u);
  EXPECT_EQ(cuda::stride_blocks(256), 1u);
  EXPECT_EQ(cuda::stride_blocks(257), 2u);
  EXPECT_EQ(cuda::stride_blocks(1023), 4u);
  EXPECT_EQ(cuda::stride_blocks(1024), 4u);
  EXPECT_EQ(cuda::stride_blocks(1025), 5u);
  EXPECT_EQ(cuda::stride_blocks(Index(256) * 4096), 4096u);
  EXPECT_EQ(cuda::stride_blocks(Index(1) << 40), 4096u);  // capped: the loops stride
  EXPECT_EQ(cuda::column_blocks(0), 0u);
  EXPECT_EQ(cuda::column_blocks(2500), 2500u);
  EXPECT_EQ(cuda::column_blocks(0x7fffffff), 0x7fffffffu);
  EXPECT_THROW(cuda::column_blocks(Index(0x7fffffff) + 1), DeviceError);
  EXPECT_THROW(cuda::column_blocks(-1), DeviceError);
}

TEST(CudaHostLogic, CublasDimensionsFit32Bits) {
  EXPECT_EQ(cuda::cublas_int(0, "m"), 0);
  EXPECT_EQ(cuda::cublas_int(INT_MAX, "m"), INT_MAX);
  EXPECT_THROW(cuda::cublas_int(Index(INT_MAX) + 1, "m"), DeviceError);
  EXPECT_THROW(cuda::cublas_int(-1, "lda"), DeviceError);
  try {
    cuda::cublas_int(Index(1) << 33, "lda");
  } catch (const DeviceError& e) {
    EXPECT_NE(std::string(e.what()).find("lda = 8589934592"), std::string::npos) << e.what();
  }
}

TEST(CudaHostLogic, SyncLaunchesSwitch) {
  EXPECT_STREQ(cuda::kSyncLaunchesVariable, "REGPATH_CUDA_SYNC_LAUNCHES");
  EXPECT_FALSE(cuda::sync_launches_requested(nullptr));
  EXPECT_FALSE(cuda::sync_launches_requested(""));
  EXPECT_FALSE(cuda::sync_launches_requested("0"));
  EXPECT_TRUE(cuda::sync_launches_requested("1"));
  EXPECT_TRUE(cuda::sync_launches_requested("yes"));
}

// ---- kernel bodies through the grid emulator, against the CPU backend --------------------------

template <typename T>
class KernelBodies : public ::testing::Test {
 protected:
  std::vector<T> random(std::size_t count, double scale = 1.0) {
    return random_values<T>(count, rng_, scale);
  }
  static double tol() { return sizeof(T) == 8 ? 1e-12 : 1e-5; }
  CpuBackend<T> cpu_;
  std::mt19937_64 rng_{2026};
};
using Reals = ::testing::Types<double, float>;
struct RealNames {
  template <typename T>
  static std::string GetName(int) { return sizeof(T) == 8 ? "float64" : "float32"; }
};
TYPED_TEST_SUITE(KernelBodies, Reals, RealNames);

TYPED_TEST(KernelBodies, ElementwiseMatchBitForBit) {
  using T = TypeParam;
  const Index p = 1025, K = 3;
  const auto pk = static_cast<std::size_t>(p * K);
  const auto Y = this->random(pk), G = this->random(pk),
             v = this->random(static_cast<std::size_t>(p));
  const std::vector<T> step = {T(0.5), T(0.25), T(1)}, lam = {T(0.9), T(0.1), T(0.01)};
  const T alpha(0.6);

  std::vector<T> fac(static_cast<std::size_t>(p));  // penalty factors, not all 1
  for (std::size_t j = 0; j < fac.size(); ++j) fac[j] = T(0.25) + T(j % 4);
  std::vector<T> want(pk), got(pk, T(-7));
  // without, then with penalty factors, then with factors and bounds (some of them clipping)
  std::vector<T> lo(static_cast<std::size_t>(p)), hi(static_cast<std::size_t>(p));
  for (std::size_t j = 0; j < lo.size(); ++j) {
    lo[j] = j % 3 == 0 ? T(-0.05) : -std::numeric_limits<T>::infinity();
    hi[j] = j % 2 == 0 ? T(0.02) : T(0);
  }
  ops::FeaturePenalty<T> with_factors, with_bounds;
  with_factors.factor = with_bounds.factor = fac.data();
  with_bounds.lower = lo.data();
  with_bounds.upper = hi.data();
  with_factors.p = with_bounds.p = p;
  for (const ops::FeaturePenalty<T>& penalty :
       {ops::FeaturePenalty<T>{}, with_factors, with_bounds}) {
    this->cpu_.prox_step(p, K, Y.data(), G.data(), step.data(), lam.data(), alpha, penalty,
                         want.data());
    emulate_stride_kernel(p * K, this->rng_, [&](Index f, Index s) {
      cuda::body::prox_step(f, s, p, K, Y.data(), G.data(), step.data(), lam.data(), alpha,
                            penalty, got.data());
    });
    EXPECT_EQ(got, want) << (penalty.factor ? "with" : "without") << " penalty factors"
                         << (penalty.bounded() ? " and bounds" : "");
  }

  const Index ldm = p + 2;
  std::vector<T> Mw(static_cast<std::size_t>(ldm * K), T(5)), Mg = Mw;
  this->cpu_.fill_columns(p, K, Mw.data(), ldm, v.data(), T(-1));
  emulate_stride_kernel(p * K, this->rng_, [&](Index f, Index s) {
    cuda::body::fill_columns(f, s, p, K, Mg.data(), ldm, v.data(), T(-1));
  });
  EXPECT_EQ(Mg, Mw);

  // restarts: columns with restart[k] > 0 take Y = B, t_k, θ_k = 1; the others are untouched
  const std::vector<T> restart = {T(0.5), T(0), T(2)};
  std::vector<T> Yw = this->random(static_cast<std::size_t>(p * K)), Yg = Yw;
  const std::vector<T> Bsrc = this->random(Yw.size());
  std::vector<T> tw(3, T(9)), tg = tw, thw(3, T(4)), thg = thw;
  this->cpu_.restart_columns(p, K, restart.data(), tw.data(), thw.data(), Yw.data(), Bsrc.data());
  emulate_stride_kernel(p * K, this->rng_, [&](Index f, Index s) {
    cuda::body::restart_columns(f, s, p, K, restart.data(), tg.data(), thg.data(), Yg.data(),
                                Bsrc.data());
  });
  EXPECT_EQ(Yg, Yw);
  EXPECT_EQ(tg, tw);
  EXPECT_EQ(thg, thw);
  EXPECT_EQ(tw, (std::vector<T>{T(0.5), T(9), T(2)}));
  EXPECT_EQ(thw, (std::vector<T>{T(1), T(4), T(1)}));

  // mirror: the upper triangle from the lower one (p × p, in place)
  const Index q = 70;
  auto C = this->random(static_cast<std::size_t>(q * q));
  auto Cg = C;
  emulate_stride_kernel(q * q, this->rng_,
                        [&](Index f, Index s) { cuda::body::mirror_lower(f, s, q, Cg.data(), q); });
  for (Index j = 0; j < q; ++j)
    for (Index i = 0; i < q; ++i) {
      const T lower = C[static_cast<std::size_t>(std::max(i, j) + std::min(i, j) * q)];
      ASSERT_EQ(Cg[static_cast<std::size_t>(i + j * q)], lower) << i << "," << j;
    }
}

TYPED_TEST(KernelBodies, RowGatherScatterAndViolations) {
  using T = TypeParam;
  const Index p = 2600, K = 3, lds = p + 3;
  const auto src = this->random(static_cast<std::size_t>(lds * K));
  std::vector<Index> idx;
  for (Index j = 0; j < p; j += 2) idx.push_back(j);  // 1300 rows: two launches
  const auto m = Index(idx.size()), ldw = m + 1;

  std::vector<T> ww(static_cast<std::size_t>(ldw * K), T(7)), wg = ww;
  this->cpu_.gather_rows(m, K, src.data(), lds, idx, ww.data(), ldw);
  cuda::for_index_chunks(idx.data(), cuda::leading(idx, m), [&](const IndexChunk& c, Index a0) {
    emulate_stride_kernel(c.count * K, this->rng_, [&](Index f, Index s) {
      cuda::body::gather_rows(f, s, K, src.data(), lds, c, a0, wg.data(), ldw);
    });
  });
  EXPECT_EQ(wg, ww);

  std::vector<T> fw(static_cast<std::size_t>(lds * K), T(0)), fg = fw;
  this->cpu_.scatter_rows(m, K, ww.data(), ldw, idx, fw.data(), lds);
  cuda::for_index_chunks(idx.data(), cuda::leading(idx, m), [&](const IndexChunk& c, Index a0) {
    emulate_stride_kernel(c.count * K, this->rng_, [&](Index f, Index s) {
      cuda::body::scatter_rows(f, s, K, ww.data(), ldw, c, a0, fg.data(), lds);
    });
  });
  EXPECT_EQ(fg, fw);

  const std::vector<T> lam = {T(0.9), T(0.2), T(1.7)};
  std::vector<T> fac(static_cast<std::size_t>(p));  // penalty factors, not all 1
  for (std::size_t j = 0; j < fac.size(); ++j) fac[j] = T(0.25) + T(j % 4);
  for (const Index k : {K, Index(0)}) {
    std::vector<double> vw(static_cast<std::size_t>(p)), vg(static_cast<std::size_t>(p), 99.0);
    ops::FeaturePenalty<T> penalty;
    penalty.factor = fac.data();
    penalty.p = p;
    this->cpu_.row_violations(p, k, src.data(), lds, lam.data(), T(0.5), penalty, vw.data());
    emulate_stride_kernel(p, this->rng_, [&](Index f, Index s) {
      cuda::body::row_violations(f, s, p, k, src.data(), lds, lam.data(), T(0.5), penalty,
                                 vg.data());
    });
    EXPECT_EQ(vg, vw) << "K = " << k;
  }
}

TYPED_TEST(KernelBodies, ReductionsMatchUpToTheOrderOfTheSums) {
  using T = TypeParam;
  const Index p = 2500, K = 4;
  const auto pk = static_cast<std::size_t>(p * K);
  const auto B = this->random(pk), G = this->random(pk),
             c = this->random(static_cast<std::size_t>(p));
  const std::vector<T> lam = {T(0.9), T(0.5), T(0.1), T(0.01)};
  const T alpha(0.5);
  const double tl = 1e-12 * double(p);

  std::vector<double> dw(static_cast<std::size_t>(K)), dg(static_cast<std::size_t>(K), -1.0);
  this->cpu_.column_dots(p, K, B.data(), p, G.data(), p, dw.data());
  emulate_column_reduction<double>(
      K, this->rng_,
      [&](Index k, Index t, Index threads) {
        return cuda::body::column_dot_partial(k, t, threads, p, B.data(), p, G.data(), p);
      },
      [](double& a, const double& b) { a += b; },
      [&](Index k, double total) { dg[static_cast<std::size_t>(k)] = total; });
  for (std::size_t k = 0; k < static_cast<std::size_t>(K); ++k) EXPECT_NEAR(dg[k], dw[k], tl) << k;

  std::vector<ops::GapTerms> tw(static_cast<std::size_t>(K)), tg(static_cast<std::size_t>(K));
  std::vector<T> fac(static_cast<std::size_t>(p));  // penalty factors, not all 1
  for (std::size_t j = 0; j < fac.size(); ++j) fac[j] = T(0.25) + T(j % 4);
  std::vector<T> lower(static_cast<std::size_t>(p)), upper(static_cast<std::size_t>(p));
  for (std::size_t j = 0; j < lower.size(); ++j) {  // bounds that clip some coordinates' duals
    lower[j] = j % 3 == 0 ? T(-0.05) : -std::numeric_limits<T>::infinity();
    upper[j] = j % 2 == 0 ? T(0.02) : std::numeric_limits<T>::infinity();
  }
  ops::FeaturePenalty<T> penalty;
  penalty.factor = fac.data();
  penalty.lower = lower.data();
  penalty.upper = upper.data();
  penalty.p = p;
  this->cpu_.gap_terms(p, K, B.data(), G.data(), c.data(), lam.data(), alpha, penalty,
                       tw.data());
  emulate_column_reduction<ops::GapTerms>(
      K, this->rng_,
      [&](Index k, Index t, Index threads) {
        return cuda::body::gap_terms_partial(k, t, threads, p, B.data(), G.data(), c.data(),
                                             lam.data(), alpha, penalty);
      },
      [](ops::GapTerms& a, const ops::GapTerms& b) { ops::merge_gap_terms(a, b); },
      [&](Index k, const ops::GapTerms& total) { tg[static_cast<std::size_t>(k)] = total; });
  for (std::size_t k = 0; k < static_cast<std::size_t>(K); ++k) {
    EXPECT_NEAR(tg[k].beta_dot_grad, tw[k].beta_dot_grad, tl) << k;
    EXPECT_NEAR(tg[k].l1, tw[k].l1, tl) << k;
    EXPECT_NEAR(tg[k].l2sq, tw[k].l2sq, tl) << k;
    EXPECT_NEAR(tg[k].excess_sq, tw[k].excess_sq, tl) << k;
    EXPECT_EQ(tg[k].max_dual, tw[k].max_dual) << k;  // a maximum does not depend on the order
    EXPECT_NEAR(tg[k].c_dot_beta, tw[k].c_dot_beta, tl) << k;
    EXPECT_NEAR(tg[k].clipped_conjugate, tw[k].clipped_conjugate, tl) << k;
    EXPECT_NEAR(tg[k].box_excess, tw[k].box_excess, tl) << k;
  }
}

TYPED_TEST(KernelBodies, MomentumRestartsPerColumn) {
  using T = TypeParam;
  const Index p = 1024, K = 5;
  const auto pk = static_cast<std::size_t>(p * K);
  const auto Bn = this->random(pk), Bc = this->random(pk);
  std::vector<T> Y(pk);
  for (Index k = 0; k < K; ++k)  // columns 0, 2, 4 restart: Y pushed past B_next
    for (Index j = 0; j < p; ++j) {
      const auto e = static_cast<std::size_t>(j + k * p);
      Y[e] = k % 2 == 0 ? Bn[e] + (Bn[e] - Bc[e]) : Bn[e] - (Bn[e] - Bc[e]);
    }
  std::vector<T> Yw = Y, Yg = Y, thw = {T(1), T(2), T(3), T(4), T(5)}, thg = thw;
  this->cpu_.momentum_step(p, K, Bn.data(), Bc.data(), Yw.data(), thw.data());
  // The kernel: partials of the restart test; thread 0 decides (after the block reduction); a
  // barrier; every thread updates its own Y[j].
  emulate_column_reduction<double>(
      K, this->rng_,
      [&](Index k, Index t, Index threads) {
        return cuda::body::momentum_test_partial(k, t, threads, p, Bn.data(), Bc.data(),
                                                 Yg.data());
      },
      [](double& a, const double& b) { a += b; },
      [&](Index k, double test) {
        T momentum(-1);
        const bool restart =
            cuda::body::momentum_decide(test, &thg[static_cast<std::size_t>(k)], &momentum);
        std::vector<Index> threads(static_cast<std::size_t>(cuda::kThreads));
        std::iota(threads.begin(), threads.end(), Index(0));
        std::shuffle(threads.begin(), threads.end(), this->rng_);
        for (const Index t : threads)
          cuda::body::momentum_update(k, t, Index(cuda::kThreads), p, Bn.data(), Bc.data(),
                                      restart, momentum, Yg.data());
      });
  EXPECT_EQ(thg, thw);
  EXPECT_EQ(thg[0], T(1));
  EXPECT_NE(thg[1], T(1));
  EXPECT_EQ(Yg, Yw);
}

// The GLM batch: two folds (S and Mu have a full-data column 0 and one per fold).
template <typename T>
struct GlmBlock {
  Index p, K;
  std::vector<T> S, Mu, col;
  GlmBlock(Index p_, Index K_, std::mt19937_64& rng) : p(p_), K(K_) {
    S = random_values<T>(static_cast<std::size_t>(3 * p), rng);
    Mu = random_values<T>(static_cast<std::size_t>(3 * p), rng);
    col.assign(static_cast<std::size_t>(ops::GlmColumn::count * K), T(1));
    for (Index k = 0; k < K; ++k) {
      T* c = col.data() + k * ops::GlmColumn::count;
      c[ops::GlmColumn::fold] = T(Index(k % 3) - 1);  // −1 (none), 0, 1
      c[ops::GlmColumn::a] = T(1.5);
      c[ops::GlmColumn::b] = T(0.5);
      c[ops::GlmColumn::c] = T(0.25);
      c[ops::GlmColumn::s] = T(2);
    }
  }
};

TYPED_TEST(KernelBodies, GlmBodiesMatchTheCpuBackend) {
  using T = TypeParam;
  const Index p = 1023, K = 4, rows = p + 1, n = 1025;
  GlmBlock<T> b(p, K, this->rng_);
  const auto rk = static_cast<std::size_t>(rows * K);

  // to_raw: a per-column reduction whose finish writes the intercept row
  const auto B = this->random(rk);
  std::vector<T> rw(rk), rg(rk, T(-3));
  this->cpu_.to_raw(p, K, b.S.data(), b.Mu.data(), b.col.data(), B.data(), rw.data());
  emulate_column_reduction<double>(
      K, this->rng_,
      [&](Index k, Index t, Index threads) {
        return cuda::body::to_raw_partial(k, t, threads, p, b.S.data(), b.Mu.data(),
                                          b.col.data(), B.data(), rg.data());
      },
      [](double& a, const double& x) { a += x; },
      [&](Index k, double total) { cuda::body::to_raw_finish(k, p, B.data(), total, rg.data()); });
  for (std::size_t e = 0; e < rk; ++e)
    ASSERT_NEAR(double(rg[e]), double(rw[e]), this->tol() * (1 + std::fabs(double(rw[e])))) << e;

  // prox with the unpenalized intercept row
  const auto Y = this->random(rk), G = this->random(rk);
  const std::vector<T> step = {T(0.5), T(0.2), T(1), T(0.1)}, lam = {T(0.3), T(0.2), T(0.1), T(0)},
                       alpha = {T(1), T(0.5), T(0), T(1)};
  std::vector<T> pw(rk), pg(rk, T(-3));
  std::vector<T> fac(static_cast<std::size_t>(p));  // penalty factors, not all 1
  for (std::size_t j = 0; j < fac.size(); ++j) fac[j] = T(0.25) + T(j % 4);
  ops::FeaturePenalty<T> penalty;
  penalty.factor = fac.data();
  penalty.p = p;
  this->cpu_.prox_step_glm(p, K, Y.data(), G.data(), step.data(), lam.data(), alpha.data(),
                           penalty, pw.data());
  emulate_stride_kernel(rows * K, this->rng_, [&](Index f, Index s) {
    cuda::body::prox_step_glm(f, s, p, K, Y.data(), G.data(), step.data(), lam.data(),
                              alpha.data(), penalty, pg.data());
  });
  EXPECT_EQ(pg, pw);

  // pointwise losses and residuals, binomial and gaussian, every op, without and with
  // observation weights (some 0): weighted, each value is the row's weight times the unweighted
  const auto E = this->random(static_cast<std::size_t>(n * K));
  std::vector<T> y(static_cast<std::size_t>(n)), fold(static_cast<std::size_t>(n)),
      weight(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) {
    y[static_cast<std::size_t>(i)] = T(i % 3 == 0 ? 1 : 0);
    fold[static_cast<std::size_t>(i)] = T(i % 2);
    weight[static_cast<std::size_t>(i)] = T(0.5) * T(i % 4);
  }
  for (const bool binomial : {true, false})
    for (const ops::GlmOp op : {ops::GlmOp::residual, ops::GlmOp::loss, ops::GlmOp::fenchel_young,
                                ops::GlmOp::test_error}) {
      std::vector<T> plain(static_cast<std::size_t>(n * K));
      for (const bool weighted : {false, true}) {
        std::vector<T> ow(static_cast<std::size_t>(n * K)), og(ow.size(), T(-3));
        const auto datafit = binomial ? ops::Datafit::logistic : ops::Datafit::quadratic;
        const T* v = weighted ? weight.data() : nullptr;
        this->cpu_.glm_pointwise(op, datafit, n, K, E.data(), y.data(), fold.data(),
                                 b.col.data(), ow.data(), v);
        emulate_stride_kernel(n * K, this->rng_, [&](Index f, Index s) {
          cuda::body::glm_pointwise(f, s, op, datafit, n, K, E.data(), y.data(), fold.data(),
                                    b.col.data(), og.data(), v);
        });
        EXPECT_EQ(og, ow) << "binomial " << binomial << " op " << int(op) << " weighted "
                          << weighted;
        if (!weighted) {
          plain = ow;
          continue;
        }
        for (Index e = 0; e < n * K; ++e)
          EXPECT_EQ(ow[std::size_t(e)], weight[std::size_t(e % n)] * plain[std::size_t(e)])
              << "binomial " << binomial << " op " << int(op) << " element " << e;
      }
    }
}

// from_raw_gradient as launch_from_raw_gradient runs it: one launch, or, in place (G aliasing
// Graw), the feature rows first and the intercept rows in a second launch.
template <typename T>
void emulated_from_raw_gradient(const GlmBlock<T>& b, const T* Graw, bool intercept, T* G,
                                bool second_launch, std::mt19937_64& rng) {
  const Index p = b.p, K = b.K;
  emulate_stride_kernel((p + 1) * K, rng, [&](Index f, Index s) {
    cuda::body::from_raw_gradient(f, s, p, K, b.S.data(), b.Mu.data(), b.col.data(), Graw,
                                  intercept, !second_launch, G);
  });
  if (second_launch)
    emulate_stride_kernel(K, rng, [&](Index f, Index s) {
      cuda::body::from_raw_intercepts(f, s, p, K, Graw, intercept, G);
    });
}

TYPED_TEST(KernelBodies, FromRawGradientInPlaceNeedsTheSecondLaunch) {
  using T = TypeParam;
  const Index p = 5, K = 6, rows = p + 1;  // one block: every element its own thread
  GlmBlock<T> b(p, K, this->rng_);
  const auto Graw = this->random(static_cast<std::size_t>(rows * K));
  for (const bool intercept : {true, false}) {
    std::vector<T> want(Graw.size());
    this->cpu_.from_raw_gradient(p, K, b.S.data(), b.Mu.data(), b.col.data(), Graw.data(),
                                 intercept, want.data());
    // separate output: one launch
    std::vector<T> out(Graw.size(), T(-3));
    emulated_from_raw_gradient(b, Graw.data(), intercept, out.data(), false, this->rng_);
    EXPECT_EQ(out, want) << "intercept " << intercept;
    // the CPU backend allows G == Graw; so does the CUDA backend, with the second launch
    std::vector<T> cpu_in_place = Graw;
    this->cpu_.from_raw_gradient(p, K, b.S.data(), b.Mu.data(), b.col.data(),
                                 cpu_in_place.data(), intercept, cpu_in_place.data());
    EXPECT_EQ(cpu_in_place, want) << "intercept " << intercept;
    std::vector<T> in_place = Graw;
    emulated_from_raw_gradient(b, in_place.data(), intercept, in_place.data(), true, this->rng_);
    EXPECT_EQ(in_place, want) << "intercept " << intercept;
  }
  // In one launch, in place without an intercept, the thread of row p zeroes Graw[p, k] while
  // other threads of column k still read it: the emulator's random order shows the race
  // (issue 17, defect 3), which the second launch removes.
  int wrong_runs = 0;
  for (int run = 0; run < 5; ++run) {
    std::vector<T> want(Graw.size()), racy = Graw;
    this->cpu_.from_raw_gradient(p, K, b.S.data(), b.Mu.data(), b.col.data(), Graw.data(), false,
                                 want.data());
    emulated_from_raw_gradient(b, racy.data(), false, racy.data(), false, this->rng_);
    wrong_runs += racy != want;
  }
  EXPECT_GT(wrong_runs, 0) << "the emulator should expose the single-launch in-place race";
}

// standardize: four phases per column, barriers between them (the kernel's); columns in a random
// order, each phase's threads in a random order, the partials merged in a random order.
TYPED_TEST(KernelBodies, StandardizeMatchesTheCpuBackend) {
  using T = TypeParam;
  const Index n = 2500, p = 5;
  auto X = this->random(static_cast<std::size_t>(n * p), 2.0);
  for (Index i = 0; i < n; ++i) {
    X[static_cast<std::size_t>(i + n)] = T(-3.5);  // constant
    X[static_cast<std::size_t>(i + 2 * n)] += T(100);  // offset
    X[static_cast<std::size_t>(i + 3 * n)] *= T(1e-20);  // tiny
  }
  for (Index i = 0; i < n; ++i) X[static_cast<std::size_t>(i + 4 * n)] = T(0);  // all zero
  const Index threads = cuda::kThreads;
  auto shuffled = [&] {
    std::vector<Index> order(static_cast<std::size_t>(threads));
    std::iota(order.begin(), order.end(), Index(0));
    std::shuffle(order.begin(), order.end(), this->rng_);
    return order;
  };
  for (const bool center : {true, false})
    for (const bool scale : {true, false}) {
      std::vector<T> want = X, got = X;
      std::vector<double> mw(p), sw(p), mg(p, -1), sg(p, -1);
      this->cpu_.standardize(n, p, want.data(), n, center, scale, mw.data(), sw.data());
      std::vector<Index> columns = iota_indices(p);
      std::shuffle(columns.begin(), columns.end(), this->rng_);
      for (const Index j : columns) {
        T* x = got.data() + j * n;
        cuda::body::StandardizeScan scan;
        for (const Index t : shuffled())
          cuda::body::merge_scan(scan, cuda::body::standardize_scan_partial(t, threads, n, x));
        const double m = cuda::body::standardize_divisor(scan.max_abs);
        double total = 0;
        for (const Index t : shuffled())
          total += cuda::body::standardize_sum_partial(t, threads, n, x, m);
        const double scaled_mean = total / double(n);
        double sd = 1;
        if (scale) {
          double ss = 0;
          for (const Index t : shuffled())
            ss += cuda::body::standardize_ss_partial(t, threads, n, x, m, scaled_mean);
          sd = std::sqrt(ss / double(n)) * m;
        }
        const auto c = cuda::body::standardize_column(scan.equal, center, m, scaled_mean, sd);
        mg[static_cast<std::size_t>(j)] = c.shift;
        sg[static_cast<std::size_t>(j)] = c.scale_out();
        for (const Index t : shuffled()) cuda::body::standardize_write(t, threads, n, x, c);
      }
      const std::string what =
          std::string("center ") + (center ? "1" : "0") + " scale " + (scale ? "1" : "0");
      EXPECT_EQ(sg[1], 0.0) << what;
      EXPECT_EQ(sg[4], 0.0) << what;
      for (std::size_t j = 0; j < static_cast<std::size_t>(p); ++j) {
        EXPECT_NEAR(mg[j], mw[j], 1e-12 * (1 + std::fabs(mw[j]))) << what << " j " << j;
        EXPECT_NEAR(sg[j], sw[j], 1e-12 * sw[j]) << what << " j " << j;
      }
      for (std::size_t e = 0; e < want.size(); ++e)
        ASSERT_NEAR(double(got[e]), double(want[e]), this->tol() * (1 + std::fabs(double(want[e]))))
            << what << " " << e;
    }
}

}  // namespace
}  // namespace regpath::test
