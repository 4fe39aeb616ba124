// Distributed rows (regpath/distributed.hpp) over threads standing for ranks
// (thread_communicator.hpp): the rows split into blocks give fit()'s path of all of them, the
// same bits on every rank, and every bad input is an error on every rank.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "backends/cpu_backend.hpp"
#include "core/accel/working_set.hpp"
#include "core/design/gaussian_problem.hpp"
#include "distributed/split_rows.hpp"
#include "regpath/distributed.hpp"
#include "row_blocks.hpp"
#include "thread_communicator.hpp"

namespace {

using regpath::testing::Block;
using regpath::testing::block;
using regpath::testing::Data;
using regpath::testing::make_data;
using regpath::testing::run_ranks;

// Fits `d` split at `cuts` (R + 1 row boundaries) on R thread ranks; each rank's path.
std::vector<regpath::Path> fit_split(const Data& d, const std::vector<std::int64_t>& cuts,
                                     const regpath::Options& o) {
  const int ranks = int(cuts.size()) - 1;
  std::vector<regpath::Path> paths(static_cast<std::size_t>(ranks));
  const auto errors = run_ranks(ranks, [&](const regpath::Communicator& comm, int r) {
    const Block b = block(d, cuts[std::size_t(r)], cuts[std::size_t(r) + 1]);
    paths[std::size_t(r)] =
        regpath::fit(comm, regpath::MatrixView<double>{b.X.data(), b.rows, d.p, b.rows},
                     b.y.data(), o);
  });
  for (int r = 0; r < ranks; ++r) EXPECT_EQ(errors[std::size_t(r)], "") << "rank " << r;
  return paths;
}

regpath::Path fit_serial(const Data& d, const regpath::Options& o) {
  return regpath::fit(regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.n}, d.y.data(), o);
}

// The distributed path is the serial one to `tol` (relative to the largest coefficient at each
// λ; the λ themselves to lambda_tol), and every rank's path is rank 0's bit for bit.
void expect_same_path(const regpath::Path& serial, const std::vector<regpath::Path>& ranks,
                      double tol, double lambda_tol = 1e-12) {
  const regpath::Path& d = ranks[0];
  ASSERT_EQ(d.nlambda(), serial.nlambda());
  ASSERT_EQ(d.n_features, serial.n_features);
  EXPECT_NEAR(d.lambda_max, serial.lambda_max, lambda_tol * serial.lambda_max);
  for (std::int64_t k = 0; k < d.nlambda(); ++k) {
    const auto uk = std::size_t(k);
    EXPECT_NEAR(d.lambdas[uk], serial.lambdas[uk], lambda_tol * serial.lambdas[uk]) << "λ " << k;
    double scale = 1;
    for (std::int64_t j = 0; j < d.n_features; ++j)
      scale = std::max(scale, std::fabs(serial.coef(j, k)));
    for (std::int64_t j = 0; j < d.n_features; ++j)
      ASSERT_NEAR(d.coef(j, k), serial.coef(j, k), tol * scale) << "λ " << k << ", feature " << j;
    ASSERT_NEAR(d.intercepts[uk], serial.intercepts[uk], tol * scale) << "λ " << k;
    EXPECT_EQ(d.status[uk], serial.status[uk]) << "λ " << k;
  }
  for (std::size_t r = 1; r < ranks.size(); ++r) {
    EXPECT_EQ(ranks[r].coefs, d.coefs) << "rank " << r;
    EXPECT_EQ(ranks[r].intercepts, d.intercepts) << "rank " << r;
    EXPECT_EQ(ranks[r].lambdas, d.lambdas) << "rank " << r;
  }
}

regpath::Options tight() {
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.tol = 1e-12;
  return o;
}

TEST(Distributed, RowBlocksGiveTheSerialPath) {
  const Data d = make_data(240, 12, 11);
  const regpath::Path serial = fit_serial(d, tight());
  for (const std::vector<std::int64_t>& cuts :
       {std::vector<std::int64_t>{0, 240}, {0, 100, 240}, {0, 1, 117, 240},
        {0, 60, 61, 200, 240}, {0, 0, 120, 240}, {0, 100, 100, 240, 240}}) {
    SCOPED_TRACE("ranks " + std::to_string(cuts.size() - 1));
    expect_same_path(serial, fit_split(d, cuts, tight()), 1e-9);
  }
}

TEST(Distributed, OptionsAreTheSerialFitsOptions) {
  const Data d = make_data(200, 10, 12);
  const std::vector<std::int64_t> cuts{0, 70, 130, 200};
  regpath::Options o = tight();
  o.alpha = 0.5;
  o.standardize = false;
  o.nlambda = 40;
  expect_same_path(fit_serial(d, o), fit_split(d, cuts, o), 1e-9);
  o = tight();
  o.intercept = false;
  o.glmnet_y_scaling = true;
  o.alpha = 0.3;
  expect_same_path(fit_serial(d, o), fit_split(d, cuts, o), 1e-9);
  o = tight();
  o.penalty_factors.assign(10, 1.0);
  o.penalty_factors[2] = 2.5;
  o.exclude = {5};
  o.lower_limits = {-0.2};
  o.upper_limits = {0.4};
  o.lambdas = {0.9, 0.3, 0.1, 0.03, 0.01};
  expect_same_path(fit_serial(d, o), fit_split(d, cuts, o), 1e-9);
  // unpenalized features (factor 0), partialled out with their moments summed over the ranks
  o = tight();
  o.penalty_factors.assign(10, 1.0);
  o.penalty_factors[2] = 0;
  o.penalty_factors[7] = 0;
  expect_same_path(fit_serial(d, o), fit_split(d, {0, 0, 70, 71, 200}, o), 1e-9);
  o.alpha = 0.5;
  o.intercept = false;
  expect_same_path(fit_serial(d, o), fit_split(d, cuts, o), 1e-9);
}

// p ≥ n/2: the direct form, whose every product over the rows is summed over the ranks at each
// iteration (working sets, polish, power iteration included).
TEST(Distributed, WideRowBlocksGiveTheSerialPath) {
  const Data d = make_data(60, 45, 19);
  regpath::Options o = tight();
  o.nlambda = 50;
  const regpath::Path serial = fit_serial(d, o);
  const auto split = fit_split(d, {0, 20, 21, 60}, o);
  expect_same_path(serial, split, 1e-9);
  expect_same_path(serial, fit_split(d, {0, 0, 30, 30, 60}, o), 1e-9);  // ranks with no rows
  o.alpha = 0.4;
  o.standardize = false;
  expect_same_path(fit_serial(d, o), fit_split(d, {0, 30, 60}, o), 1e-9);
  o.penalty_factors.assign(45, 1.0);  // unpenalized features in the direct form
  o.penalty_factors[4] = 0;
  expect_same_path(fit_serial(d, o), fit_split(d, {0, 20, 21, 60}, o), 1e-9);
}

// The design layer itself, in the direct form: split rows give the serial problem's c, moments,
// Lipschitz bound, gradients and a working set's restricted gradient, Lipschitz bound and full
// gradient (each a product over the rows summed over the ranks). The path tests alone would
// not see a missing sum there: the full problem's certificate and polish would still converge,
// only slower.
TEST(Distributed, SplitRowsGiveTheSerialProblemsProducts) {
  using Backend = regpath::CpuBackend<double>;
  using Problem = regpath::GaussianProblem<Backend>;
  const Data d = make_data(60, 45, 20);
  Backend serial_backend;
  Problem serial(serial_backend, regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.n},
                 d.y.data(), true, true);
  ASSERT_FALSE(serial.gram_form);
  const std::int64_t K = 2, p = d.p;
  std::vector<double> B(std::size_t(p * K));
  for (std::size_t i = 0; i < B.size(); ++i) B[i] = 0.01 * double(i % 7) - 0.02;
  const std::vector<std::int64_t> W{1, 4, 7, 30};
  std::vector<double> Bw(W.size() * std::size_t(K));
  for (std::size_t i = 0; i < Bw.size(); ++i) Bw[i] = 0.1 * double(i) - 0.3;
  struct Products {
    std::vector<double> c, diag, G, Gw, full;
    double lipschitz = 0, ws_lipschitz = 0;
  };
  const auto products = [&](Problem& pr, Backend& be) {
    Products out;
    out.c = pr.c_host;
    out.diag = pr.diag_host;
    out.lipschitz = pr.lipschitz;
    auto Bb = be.allocate(B.size()), G = be.allocate(B.size()), R = be.allocate(
                                                                      std::size_t(pr.rows * K));
    be.upload(Bb.data(), B.data(), B.size());
    pr.gradient(Bb.data(), K, G.data(), R.data());
    out.G.resize(B.size());
    be.download(out.G.data(), G.data(), B.size());
    regpath::WorkingSet<Backend> ws(pr);
    ws.assign(W);
    out.ws_lipschitz = ws.lipschitz();
    auto Bwb = be.allocate(Bw.size()), Gw = be.allocate(Bw.size()), full = be.allocate(B.size());
    be.upload(Bwb.data(), Bw.data(), Bw.size());
    ws.gradient(Bwb.data(), K, Gw.data(), R.data());
    out.Gw.resize(Bw.size());
    be.download(out.Gw.data(), Gw.data(), Bw.size());
    ws.full_gradient(Bwb.data(), K, Bb.data(), full.data(), R.data());
    out.full.resize(B.size());
    be.download(out.full.data(), full.data(), B.size());
    return out;
  };
  const Products want = products(serial, serial_backend);
  const std::vector<std::int64_t> cuts{0, 25, 26, 60};
  std::vector<Products> got(3);
  const auto errors = run_ranks(3, [&](const regpath::Communicator& comm, int r) {
    const Block b = block(d, cuts[std::size_t(r)], cuts[std::size_t(r) + 1]);
    Backend be;
    auto rows = regpath::detail::standardize_split_rows<Backend>(
        comm, regpath::MatrixView<double>{b.X.data(), b.rows, d.p, b.rows}, b.y.data(), d.n,
        true, true);
    Problem pr(be, rows.split, rows.X, rows.y, true);
    EXPECT_EQ(pr.rows, b.rows);
    for (std::int64_t j = 0; j < p; ++j) {
      EXPECT_NEAR(pr.mean[std::size_t(j)], serial.mean[std::size_t(j)], 1e-12 * (1 + j));
      EXPECT_NEAR(pr.scale[std::size_t(j)], serial.scale[std::size_t(j)], 1e-12 * (1 + j));
    }
    EXPECT_NEAR(pr.yy, serial.yy, 1e-12 * serial.yy);
    got[std::size_t(r)] = products(pr, be);
  });
  const auto near = [](const std::vector<double>& a, const std::vector<double>& b,
                       const char* what) {
    ASSERT_EQ(a.size(), b.size()) << what;
    for (std::size_t i = 0; i < a.size(); ++i)
      EXPECT_NEAR(a[i], b[i], 1e-12 * (1 + std::fabs(b[i]))) << what << " [" << i << "]";
  };
  for (int r = 0; r < 3; ++r) {
    SCOPED_TRACE("rank " + std::to_string(r));
    EXPECT_EQ(errors[std::size_t(r)], "");
    const Products& g = got[std::size_t(r)];
    near(g.c, want.c, "c");
    near(g.diag, want.diag, "diag(H)");
    near(g.G, want.G, "the gradient");
    near(g.Gw, want.Gw, "the working set's gradient");
    near(g.full, want.full, "the working set's full gradient");
    EXPECT_NEAR(g.lipschitz, want.lipschitz, 1e-9 * want.lipschitz);
    EXPECT_NEAR(g.ws_lipschitz, want.ws_lipschitz, 1e-6 * want.ws_lipschitz);
  }
}

TEST(Distributed, Float32IsTheSerialFloat32Path) {
  const Data d = make_data(200, 8, 13);
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.precision = regpath::Precision::float32;
  o.nlambda = 30;
  // float32 sums in another order: agreement to the float32 solver's tolerance, λ_max (from
  // c = X̃ᵀỹ/n, summed in float32 by the serial GEMM, in double over the ranks) to a few ulps
  // (which one OpenBLAS's kernels round to depends on the CPU)
  expect_same_path(fit_serial(d, o), fit_split(d, {0, 90, 200}, o), 2e-3, 1e-6);
}

// A column constant on rank 0's rows but not on the others' is not constant.
TEST(Distributed, AColumnConstantOnOneRankOnlyIsAFeature) {
  Data d = make_data(120, 6, 14);
  for (std::int64_t i = 0; i < 50; ++i) d.X[std::size_t(i + 1 * d.n)] = 4.0;
  const regpath::Path serial = fit_serial(d, tight());
  expect_same_path(serial, fit_split(d, {0, 50, 120}, tight()), 1e-9);
  double largest = 0;  // column 4 (index 3) is constant everywhere: always 0
  for (std::int64_t k = 0; k < serial.nlambda(); ++k)
    largest = std::max(largest, std::fabs(serial.coef(3, k)));
  EXPECT_EQ(largest, 0.0);
}

// Every rank ends with `message` in its error.
void expect_all_fail(const std::vector<std::string>& errors, const std::string& message) {
  for (std::size_t r = 0; r < errors.size(); ++r)
    EXPECT_NE(errors[r].find(message), std::string::npos)
        << "rank " << r << ": '" << errors[r] << "' lacks '" << message << "'";
}

std::vector<std::string> run_split(const Data& d, const std::vector<std::int64_t>& cuts,
                                   const std::function<void(regpath::Options&, int)>& edit,
                                   const std::function<void(Block&, int)>& spoil = {}) {
  return run_ranks(int(cuts.size()) - 1, [&](const regpath::Communicator& comm, int r) {
    Block b = block(d, cuts[std::size_t(r)], cuts[std::size_t(r) + 1]);
    if (spoil) spoil(b, r);
    regpath::Options o;
    o.device = regpath::Device::cpu;
    edit(o, r);
    regpath::fit(comm, regpath::MatrixView<double>{b.X.data(), b.rows, d.p, b.rows}, b.y.data(),
                 o);
  });
}

TEST(Distributed, ABadValueOnOneRankIsAnErrorOnEveryRank) {
  const Data d = make_data(90, 5, 15);
  const auto errors = run_split(
      d, {0, 30, 60, 90}, [](regpath::Options&, int) {},
      [](Block& b, int r) {
        if (r == 2) b.X[std::size_t(4 + 2 * b.rows)] = NAN;  // local row 5, column 3
      });
  expect_all_fail(errors, "rank 2: invalid X: value nan at row 65 (local row 5), column 3");
  const auto y_errors = run_split(
      d, {0, 30, 60, 90}, [](regpath::Options&, int) {},
      [](Block& b, int r) {
        if (r == 1) b.y[0] = INFINITY;
      });
  expect_all_fail(y_errors, "rank 1: invalid y: value inf at row 31 (local row 1)");
}

TEST(Distributed, OptionsThatDifferBetweenRanksAreAnErrorOnEveryRank) {
  const Data d = make_data(90, 5, 16);
  expect_all_fail(run_split(d, {0, 45, 90}, [](regpath::Options& o, int r) {
                    if (r == 1) o.alpha = 0.5;
                  }),
                  "rank 1: option alpha differs from rank 0's (0.5 here, 1 on rank 0)");
  expect_all_fail(run_split(d, {0, 45, 90}, [](regpath::Options& o, int r) {
                    if (r == 1) o.lambdas = {0.5, 0.1};
                  }),
                  "rank 1: the options differ from rank 0's");
  expect_all_fail(run_split(d, {0, 30, 60, 90}, [](regpath::Options& o, int r) {
                    if (r == 2) o.alpha = 2;
                  }),
                  "rank 2: invalid alpha = 2");
}

TEST(Distributed, WhatIsNotSupportedYetIsNamedOnEveryRank) {
  const Data d = make_data(90, 5, 17);
  expect_all_fail(run_split(d, {0, 45, 90}, [](regpath::Options& o, int) {
                    o.family = regpath::Family::multinomial;
                  }),
                  "rank 0: distributed rows: family multinomial is not supported yet");
  expect_all_fail(run_split(d, {0, 45, 90}, [](regpath::Options& o, int) {
                    o.device = regpath::Device::cuda;
                  }),
                  "distributed rows: device cuda (each rank runs on its CPU for now) is not "
                  "supported yet");
}

}  // namespace
