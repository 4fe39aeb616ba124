// The C API's distributed rows (regpath_fit_distributed_d / _s) over threads standing for ranks,
// their collectives as regpath_communicator function pointers: the path of regpath_fit_d on
// all the rows, and an argument error on one rank returned by every rank.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "regpath/regpath.h"
#include "row_blocks.hpp"
#include "thread_communicator.hpp"

namespace {

using regpath::testing::run_ranks;

// regpath_communicator's functions on a regpath::Communicator (the context).
int sum_of(void* c, double* v, int64_t n) {
  static_cast<const regpath::Communicator*>(c)->sum(v, std::size_t(n));
  return 0;
}
int max_of(void* c, double* v, int64_t n) {
  static_cast<const regpath::Communicator*>(c)->max(v, std::size_t(n));
  return 0;
}
int broadcast_of(void* c, void* b, int64_t n, int root) {
  static_cast<const regpath::Communicator*>(c)->broadcast(b, std::size_t(n), root);
  return 0;
}
regpath_communicator c_comm(const regpath::Communicator& comm) {
  return {const_cast<regpath::Communicator*>(&comm), comm.rank(), comm.size(), sum_of, max_of,
          broadcast_of};
}

std::vector<double> coefs_of(regpath_path* path) {
  std::vector<double> c(static_cast<std::size_t>(regpath_path_nlambda(path) *
                                                 regpath_path_nfeatures(path)));
  regpath_path_coefs(path, c.data());
  return c;
}

struct RankResult {
  int code = -1;
  std::string error;
  std::vector<double> coefs;
};

// Rank r holds rows cuts[r] … cuts[r+1] − 1; rank 1 passes alpha_on_rank1, the others 1.
std::vector<RankResult> fit_c(const regpath::testing::Data& d,
                              const std::vector<std::int64_t>& cuts, double alpha_on_rank1) {
  const int ranks = int(cuts.size()) - 1;
  std::vector<RankResult> out(static_cast<std::size_t>(ranks));
  run_ranks(ranks, [&](const regpath::Communicator& comm, int r) {
    const auto b = regpath::testing::block(d, cuts[std::size_t(r)], cuts[std::size_t(r) + 1]);
    regpath_options opt;
    regpath_options_init(&opt);
    opt.device = REGPATH_DEVICE_CPU;
    opt.tol = 1e-12;
    if (r == 1) opt.alpha = alpha_on_rank1;
    const regpath_communicator c = c_comm(comm);
    regpath_path* path = nullptr;
    RankResult& res = out[std::size_t(r)];
    res.code = regpath_fit_distributed_d(&c, &opt, b.rows, d.p, b.X.data(), b.rows, b.y.data(),
                                         &path);
    if (res.code == REGPATH_OK) res.coefs = coefs_of(path);
    else res.error = regpath_last_error();
    regpath_path_free(path);
  });
  return out;
}

TEST(CApiDistributed, RowBlocksGiveRegpathFitDsPath) {
  const auto d = regpath::testing::make_data(150, 7, 21);
  regpath_options opt;
  regpath_options_init(&opt);
  opt.device = REGPATH_DEVICE_CPU;
  opt.tol = 1e-12;
  regpath_path* serial = nullptr;
  ASSERT_EQ(regpath_fit_d(&opt, d.n, d.p, d.X.data(), d.n, d.y.data(), &serial), REGPATH_OK)
      << regpath_last_error();
  const std::vector<double> want = coefs_of(serial);
  regpath_path_free(serial);
  double scale = 1;
  for (const double v : want) scale = std::max(scale, std::fabs(v));
  const auto ranks = fit_c(d, {0, 40, 41, 150}, 1.0);
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    ASSERT_EQ(ranks[r].code, REGPATH_OK) << "rank " << r << ": " << ranks[r].error;
    ASSERT_EQ(ranks[r].coefs.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i)
      ASSERT_NEAR(ranks[r].coefs[i], want[i], 1e-9 * scale) << "rank " << r << ", entry " << i;
    EXPECT_EQ(ranks[r].coefs, ranks[0].coefs) << "rank " << r;
  }
}

TEST(CApiDistributed, AnOptionErrorOnOneRankIsEveryRanksError) {
  const auto d = regpath::testing::make_data(90, 5, 22);
  const auto ranks = fit_c(d, {0, 30, 60, 90}, 1.5);
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    EXPECT_EQ(ranks[r].code, REGPATH_ERROR_INVALID_ARGUMENT) << "rank " << r;
    EXPECT_NE(ranks[r].error.find("regpath_fit_distributed_d: rank 1: invalid alpha = 1.5"),
              std::string::npos)
        << "rank " << r << ": " << ranks[r].error;
  }
}

TEST(CApiDistributed, AMissingCommunicatorIsNamed) {
  regpath_options opt;
  regpath_options_init(&opt);
  regpath_path* path = nullptr;
  const double X[4] = {1, 2, 3, 4}, y[2] = {1, 2};
  EXPECT_EQ(regpath_fit_distributed_d(nullptr, &opt, 2, 2, X, 2, y, &path),
            REGPATH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpath_last_error()).find("invalid comm: NULL pointer"),
            std::string::npos)
      << regpath_last_error();
  EXPECT_EQ(path, nullptr);
}

}  // namespace
