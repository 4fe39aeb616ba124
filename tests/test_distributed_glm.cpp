// The GLM families (binomial, poisson) with the rows split between ranks, over threads standing
// for ranks (thread_communicator.hpp): the design layer's sums over the ranks give the serial
// GLM batch problem's scaling, null model, λ_max, Lipschitz bound and gradients; the path is
// the serial fit()'s, weights and offsets included, the same bits on every rank; and every bad
// value is every rank's error.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "backends/cpu_backend.hpp"
#include "core/design/glm_batch_problem.hpp"
#include "regpath/distributed.hpp"
#include "row_blocks.hpp"
#include "thread_communicator.hpp"

namespace {

using regpath::Family;
using regpath::testing::Block;
using regpath::testing::block;
using regpath::testing::Data;
using regpath::testing::make_data;
using regpath::testing::run_ranks;
using regpath::testing::with_family;

// Per-row options (weights, offset) of all n rows; each rank gets its slice.
struct PerRow {
  std::vector<double> weights, offset;
};

std::vector<double> slice(const std::vector<double>& v, std::int64_t begin, std::int64_t end) {
  return v.empty() ? v : std::vector<double>(v.begin() + begin, v.begin() + end);
}

// Fits `d` split at `cuts` (R + 1 row boundaries) on R thread ranks; each rank's path and error.
std::vector<regpath::Path> fit_split(const Data& d, const std::vector<std::int64_t>& cuts,
                                     regpath::Options o, const PerRow& rows = {},
                                     std::vector<std::string>* errors = nullptr) {
  const int ranks = int(cuts.size()) - 1;
  std::vector<regpath::Path> paths(static_cast<std::size_t>(ranks));
  const auto failed = run_ranks(ranks, [&](const regpath::Communicator& comm, int r) {
    const std::int64_t begin = cuts[std::size_t(r)], end = cuts[std::size_t(r) + 1];
    const Block b = block(d, begin, end);
    regpath::Options local = o;
    local.weights = slice(rows.weights, begin, end);
    local.offset = slice(rows.offset, begin, end);
    paths[std::size_t(r)] = regpath::fit(
        comm, regpath::MatrixView<double>{b.X.data(), b.rows, d.p, b.rows}, b.y.data(), local);
  });
  if (errors) {
    *errors = failed;
  } else {
    for (int r = 0; r < ranks; ++r) EXPECT_EQ(failed[std::size_t(r)], "") << "rank " << r;
  }
  return paths;
}

regpath::Path fit_serial(const Data& d, regpath::Options o, const PerRow& rows = {}) {
  o.weights = rows.weights;
  o.offset = rows.offset;
  return regpath::fit(regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.n}, d.y.data(), o);
}

regpath::Options tight(Family family) {
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.family = family;
  o.tol = 1e-12;
  o.nlambda = 40;
  return o;
}

// The distributed path is the serial one: its λ to 1e-12, coefficients and deviance ratios to
// `tol` relative to the largest coefficient at each λ, the same statuses; every rank's path is
// rank 0's bit for bit. Both are proximal Newton's (the serial method's and the split rows'
// Gram form of it, split_rows_newton.hpp), each certified by the duality gap.
void expect_same_path(const regpath::Path& serial, const std::vector<regpath::Path>& ranks,
                      double tol) {
  const regpath::Path& d = ranks[0];
  ASSERT_EQ(d.nlambda(), serial.nlambda());
  ASSERT_EQ(d.n_features, serial.n_features);
  EXPECT_NEAR(d.lambda_max, serial.lambda_max, 1e-12 * serial.lambda_max);
  double worst = 0;
  for (std::int64_t k = 0; k < d.nlambda(); ++k) {
    const auto uk = std::size_t(k);
    EXPECT_NEAR(d.lambdas[uk], serial.lambdas[uk], 1e-12 * serial.lambdas[uk]) << "λ " << k;
    double scale = 1;
    for (std::int64_t j = 0; j < d.n_features; ++j)
      scale = std::max(scale, std::fabs(serial.coef(j, k)));
    for (std::int64_t j = 0; j < d.n_features; ++j) {
      worst = std::max(worst, std::fabs(d.coef(j, k) - serial.coef(j, k)) / scale);
      ASSERT_NEAR(d.coef(j, k), serial.coef(j, k), tol * scale) << "λ " << k << ", feature " << j;
    }
    ASSERT_NEAR(d.intercepts[uk], serial.intercepts[uk], tol * scale) << "λ " << k;
    EXPECT_EQ(d.status[uk], serial.status[uk]) << "λ " << k;
    EXPECT_NEAR(d.dev_ratio[uk], serial.dev_ratio[uk], tol) << "λ " << k;
  }
  ::testing::Test::RecordProperty("worst_relative_difference", std::to_string(worst));
  for (std::size_t r = 1; r < ranks.size(); ++r) {
    EXPECT_EQ(ranks[r].coefs, d.coefs) << "rank " << r;
    EXPECT_EQ(ranks[r].intercepts, d.intercepts) << "rank " << r;
    EXPECT_EQ(ranks[r].lambdas, d.lambdas) << "rank " << r;
  }
}

const std::vector<std::vector<std::int64_t>>& splits() {
  static const std::vector<std::vector<std::int64_t>> cuts{
      {0, 160}, {0, 70, 160}, {0, 1, 90, 160}, {0, 0, 40, 40, 160}};  // ranks of 1 and 0 rows
  return cuts;
}

TEST(DistributedGlm, RowBlocksGiveTheSerialPath) {
  for (const Family family : {Family::binomial, Family::poisson}) {
    SCOPED_TRACE(regpath::to_string(family));
    const Data d = with_family(make_data(160, 7, 31), family);
    const regpath::Path serial = fit_serial(d, tight(family));
    for (const auto& cuts : splits()) {
      SCOPED_TRACE("ranks " + std::to_string(cuts.size() - 1));
      expect_same_path(serial, fit_split(d, cuts, tight(family)), 1e-9);
    }
  }
}

// Beyond SplitRowsGlmNewton::max_features (p 1000) the split rows' Newton works on a working set
// (the strong rule's candidates, grown by the optimality check): the serial path still, to the
// same 1e-9 (FISTA alone, as before, reached about √tol of it), Newton steps taken at most λ.
TEST(DistributedGlm, WideRowBlocksGiveTheSerialPathByWorkingSetNewton) {
  for (const Family family : {Family::binomial, Family::poisson}) {
    SCOPED_TRACE(regpath::to_string(family));
    // make_data's column means grow with j (the intercept would then be the difference of
    // sums of thousands): columns of means and scales under 5 here, a truth on 12 of them
    Data wide{120, 1100, std::vector<double>(120 * 1100), std::vector<double>(120)};
    std::mt19937_64 gen(47);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (std::int64_t j = 0; j < wide.p; ++j)
      for (std::int64_t i = 0; i < wide.n; ++i)
        wide.X[std::size_t(i + j * wide.n)] = normal(gen) * double(1 + j % 4) + double(j % 5);
    for (std::int64_t i = 0; i < wide.n; ++i) {
      double v = 3 + normal(gen);
      for (std::int64_t j = 0; j < 12; ++j)
        v += (j % 2 ? -0.3 : 0.4) * (wide.X[std::size_t(i + j * 90 * wide.n)] - double(j * 90 % 5));
      wide.y[std::size_t(i)] = v;
    }
    const Data d = with_family(wide, family);
    regpath::Options o = tight(family);
    o.nlambda = 20;
    o.lambda_min_ratio = 0.05;
    const regpath::Path serial = fit_serial(d, o);
    const std::vector<regpath::Path> ranks = fit_split(d, {0, 50, 51, 120}, o);
    expect_same_path(serial, ranks, 1e-9);
    int with_newton = 0;
    for (const int steps : ranks[0].newton_steps) with_newton += steps > 0;
    EXPECT_GE(with_newton, ranks[0].nlambda() / 2);
  }
}

TEST(DistributedGlm, WeightsAndOffsetsAreTheSerialFits) {
  for (const Family family : {Family::binomial, Family::poisson}) {
    SCOPED_TRACE(regpath::to_string(family));
    const Data d = with_family(make_data(160, 7, 32), family);
    PerRow rows;
    for (std::int64_t i = 0; i < d.n; ++i) {
      rows.weights.push_back(i % 9 == 0 ? 0.0 : 0.5 + double(i % 4));  // some rows weight 0
      rows.offset.push_back(0.2 * std::sin(double(i)));
    }
    regpath::Options o = tight(family);
    o.alpha = 0.6;
    const regpath::Path serial = fit_serial(d, o, rows);
    for (const auto& cuts : splits()) {
      SCOPED_TRACE("ranks " + std::to_string(cuts.size() - 1));
      expect_same_path(serial, fit_split(d, cuts, o, rows), 1e-9);
    }
    // options the GLM batch takes beside them: limits, factors, no standardization
    o.standardize = false;
    o.penalty_factors.assign(7, 1.0);
    o.penalty_factors[1] = 3;
    o.lower_limits = {-0.05};
    o.exclude = {4};
    expect_same_path(fit_serial(d, o, rows), fit_split(d, {0, 50, 51, 160}, o, rows), 1e-9);
    o.lower_limits.clear();
    o.penalty_factors[5] = 0;  // unpenalized: its null model by Newton over the ranks
    expect_same_path(fit_serial(d, o, rows), fit_split(d, {0, 0, 80, 160}, o, rows), 1e-9);
  }
}

// The gaussian family with an offset (the fit of y − o on every rank) and weights (the serial
// fit's exact transformation, api/observation_weights.hpp, its moments summed over the ranks).
TEST(DistributedGlm, GaussianWeightsAndOffsetsAreTheSerialFit) {
  const Data d = make_data(120, 6, 33);
  PerRow rows;
  for (std::int64_t i = 0; i < d.n; ++i) rows.offset.push_back(std::cos(double(i)));
  regpath::Options o = tight(Family::gaussian);
  expect_same_path(fit_serial(d, o, rows), fit_split(d, {0, 60, 60, 120}, o, rows), 1e-9);
  for (std::int64_t i = 0; i < d.n; ++i) rows.weights.push_back(i % 5 == 0 ? 0.0 : 1.0 + i % 3);
  expect_same_path(fit_serial(d, o, rows), fit_split(d, {0, 1, 60, 120}, o, rows), 1e-9);
  o.standardize = false;
  o.alpha = 0.4;
  rows.offset.clear();
  expect_same_path(fit_serial(d, o, rows), fit_split(d, {0, 0, 50, 120}, o, rows), 1e-9);
  o.penalty_factors.assign(6, 1.0);  // weights with an unpenalized feature
  o.penalty_factors[1] = 0;
  expect_same_path(fit_serial(d, o, rows), fit_split(d, {0, 50, 120}, o, rows), 1e-9);
}

// The design layer: split rows give the serial problem's scaling, null model, λ_max, Lipschitz
// bound and gradient, and their Newton method the serial one's solution. The path tests alone could miss a missing sum (FISTA would converge, only
// slower, with a wrong Lipschitz bound).
TEST(DistributedGlm, SplitRowsGiveTheSerialProblemsSums) {
  using Backend = regpath::CpuBackend<double>;
  using Problem = regpath::GlmBatchProblem<Backend>;
  const Data d = with_family(make_data(90, 6, 34), Family::poisson);
  std::vector<double> weights, offset;
  for (std::int64_t i = 0; i < d.n; ++i) {
    weights.push_back(1 + double(i % 3));
    offset.push_back(0.1 * double(i % 5));
  }
  const regpath::ops::Datafit datafit = regpath::ops::Datafit::poisson;
  struct Sums {
    std::vector<double> center, scale, lambda_max, lipschitz, gradient, newton;
    double null_intercept = 0, null_loss = 0, weight = 0;
  };
  const std::int64_t K = 2, rows = d.p + 1;
  std::vector<double> B(std::size_t(rows * K));
  for (std::size_t i = 0; i < B.size(); ++i) B[i] = 0.01 * double(i % 5) - 0.02;
  const auto sums = [&](Problem& pr, Backend& be) {
    Sums s;
    s.center = pr.scaling.center;
    s.scale = pr.scaling.scale;
    s.weight = pr.weight(-1);
    s.null_intercept = pr.null_intercept(-1);
    s.null_loss = pr.null_loss(-1);
    s.lambda_max = pr.lambda_max_per_fold(0.5);
    s.lipschitz = pr.lipschitz_per_fold();
    std::vector<double> col(std::size_t(K * regpath::ops::GlmColumn::count), 0.0);
    for (std::int64_t k = 0; k < K; ++k) {
      double* c = col.data() + k * regpath::ops::GlmColumn::count;
      c[regpath::ops::GlmColumn::fold] = -1;
      c[regpath::ops::GlmColumn::a] = c[regpath::ops::GlmColumn::b] = pr.weight(-1);
      c[regpath::ops::GlmColumn::s] = 1;
    }
    auto dcol = pr.upload_vector(col), dB = pr.upload_vector(B);
    auto Braw = be.allocate(B.size()), E = be.allocate(std::size_t(pr.n * K)),
         R = be.allocate(std::size_t(pr.n * K)), Graw = be.allocate(B.size()),
         G = be.allocate(B.size());
    pr.linear_predictor(dB.data(), K, dcol.data(), Braw.data(), E.data());
    be.glm_pointwise(regpath::ops::GlmOp::residual, datafit, pr.n, K, E.data(), pr.y.data(),
                     pr.row_fold(), dcol.data(), R.data(), pr.row_weight());
    pr.adjoint(R.data(), K, dcol.data(), Graw.data(), G.data());
    s.gradient.resize(B.size());
    be.download(s.gradient.data(), G.data(), B.size());
    return s;
  };
  Backend serial_backend;
  Problem serial(serial_backend, regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.n},
                 d.y.data(), {}, 0, datafit, true, true, weights, offset);
  Sums want = sums(serial, serial_backend);
  regpath::GlmNewtonMethod::Column column;
  column.lambda = 0.1 * want.lambda_max[0] * 0.5;  // λ_max was at α 0.5
  column.alpha = 0.5;
  want.newton = regpath::GlmNewtonPolish(serial.host_data(), serial.scaling, datafit, true)
                    .solve(column, serial.null_start(-1), 1e-13)
                    .beta;
  const std::vector<std::int64_t> cuts{0, 30, 31, 31, 90};
  std::vector<Sums> got(cuts.size() - 1);
  const auto errors = run_ranks(int(got.size()), [&](const regpath::Communicator& comm, int r) {
    const std::int64_t begin = cuts[std::size_t(r)], end = cuts[std::size_t(r) + 1];
    const Block b = block(d, begin, end);
    Backend be;
    Problem pr(be, comm, d.n, regpath::MatrixView<double>{b.X.data(), b.rows, d.p, b.rows},
               b.y.data(), datafit, true, true, slice(weights, begin, end),
               slice(offset, begin, end));
    EXPECT_EQ(pr.n, b.rows);
    EXPECT_EQ(pr.observations(), d.n);
    got[std::size_t(r)] = sums(pr, be);
    // the split rows' Newton method (split_rows_newton.hpp) reaches the serial one's solution
    const auto newton = pr.make_newton();
    got[std::size_t(r)].newton = newton->solve(column, pr.null_start(-1), 1e-13).beta;
  });
  const auto near = [](const std::vector<double>& a, const std::vector<double>& b,
                       double tol, const char* what) {
    ASSERT_EQ(a.size(), b.size()) << what;
    for (std::size_t i = 0; i < a.size(); ++i)
      EXPECT_NEAR(a[i], b[i], tol * (1 + std::fabs(b[i]))) << what << " [" << i << "]";
  };
  for (std::size_t r = 0; r < got.size(); ++r) {
    SCOPED_TRACE("rank " + std::to_string(r));
    EXPECT_EQ(errors[r], "");
    const Sums& g = got[r];
    near(g.center, want.center, 1e-12, "centres");
    near(g.scale, want.scale, 1e-12, "scales");
    near(g.lambda_max, want.lambda_max, 1e-12, "λ_max");
    near(g.lipschitz, want.lipschitz, 1e-6, "Lipschitz bound");  // a power iteration's
    near(g.gradient, want.gradient, 1e-12, "gradient");
    near(g.newton, want.newton, 1e-10, "Newton's solution");
    EXPECT_NEAR(g.weight, want.weight, 1e-15);
    EXPECT_NEAR(g.null_intercept, want.null_intercept, 1e-12);
    EXPECT_NEAR(g.null_loss, want.null_loss, 1e-12);
  }
}

// Every rank ends with `message` in its error, the same on every rank.
void expect_all_fail(const std::vector<std::string>& errors, const std::string& message) {
  for (std::size_t r = 0; r < errors.size(); ++r) {
    EXPECT_NE(errors[r].find(message), std::string::npos)
        << "rank " << r << ": '" << errors[r] << "' lacks '" << message << "'";
    EXPECT_EQ(errors[r], errors[0]) << "rank " << r;
  }
}

TEST(DistributedGlm, BadValuesOnOneRankAreEveryRanksError) {
  std::vector<std::string> errors;
  Data b = with_family(make_data(90, 5, 35), Family::binomial);
  b.y[70] = 2;
  fit_split(b, {0, 45, 90}, tight(Family::binomial), {}, &errors);
  expect_all_fail(errors, "rank 1: invalid y for family binomial: the response must be coded 0/1");
  Data c = with_family(make_data(90, 5, 35), Family::poisson);
  c.y[50] = -1;
  fit_split(c, {0, 45, 90}, tight(Family::poisson), {}, &errors);
  expect_all_fail(errors, "rank 1: invalid y for family poisson: value -1 at row 51 is negative");
  c.y[50] = 1;
  PerRow rows;
  rows.weights.assign(90, 1.0);
  rows.weights[80] = -2;
  fit_split(c, {0, 45, 90}, tight(Family::poisson), rows, &errors);
  expect_all_fail(errors, "rank 1: invalid weights: -2.000000 at row 81 (local row 36)");
  rows.weights.assign(90, 0.0);
  fit_split(c, {0, 45, 90}, tight(Family::poisson), rows, &errors);
  expect_all_fail(errors, "invalid weights: every weight is 0 on every rank");
  rows = {};
  rows.offset.assign(90, 0.0);
  rows.offset[3] = NAN;
  fit_split(c, {0, 45, 90}, tight(Family::poisson), rows, &errors);
  expect_all_fail(errors, "rank 0: invalid offset: nan at row 4 (local row 4) is not finite");
  // a class missing from every rank's rows together: every rank's error, after the sums
  Data ones = b;
  std::fill(ones.y.begin(), ones.y.end(), 1.0);
  fit_split(ones, {0, 45, 90}, tight(Family::binomial), {}, &errors);
  expect_all_fail(errors, "needs both classes");
}

// Weights given on some ranks but not all (a rank without rows gives none, and may).
TEST(DistributedGlm, PerRowOptionsOnSomeRanksOnlyAreAnError) {
  const Data d = with_family(make_data(90, 5, 36), Family::binomial);
  std::vector<std::string> errors = run_ranks(2, [&](const regpath::Communicator& comm, int r) {
    const Block b = block(d, r == 0 ? 0 : 45, r == 0 ? 45 : 90);
    regpath::Options o = tight(Family::binomial);
    if (r == 0) o.weights.assign(45, 1.0);
    regpath::fit(comm, regpath::MatrixView<double>{b.X.data(), b.rows, d.p, b.rows}, b.y.data(),
                 o);
  });
  ASSERT_EQ(errors.size(), 2u);
  expect_all_fail(errors, "rank 1: invalid weights: other ranks give it and this one does not");
}

}  // namespace
