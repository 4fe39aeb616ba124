// Cross-validation with the rows split between ranks (regpath/distributed.hpp), over threads
// standing for ranks: both ways of sharing the work give the serial cross_validate's curves,
// selections and folds, the same bits on every rank, and every failure on every rank.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "regpath/distributed.hpp"
#include "row_blocks.hpp"
#include "thread_communicator.hpp"

namespace {

using regpath::CvDistribution;
using regpath::testing::Block;
using regpath::testing::Data;
using regpath::testing::make_data;
using regpath::testing::run_ranks;
using regpath::testing::with_family;

regpath::Options tight(regpath::Family family = regpath::Family::gaussian) {
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.family = family;
  o.tol = 1e-12;
  o.nlambda = 30;
  return o;
}

struct Split {
  std::vector<std::int64_t> cuts;  // R + 1 row boundaries
  regpath::DistributedCvOptions how;
};

// cv of `d` split at `cuts`; cv.foldid, if given, is all n rows' (each rank gets its slice).
std::vector<regpath::DistributedCvResult> cv_split(const Data& d, const Split& s,
                                                   const regpath::Options& o,
                                                   const regpath::CvOptions& cv,
                                                   std::vector<std::string>* errors = nullptr) {
  const int ranks = int(s.cuts.size()) - 1;
  std::vector<regpath::DistributedCvResult> out(static_cast<std::size_t>(ranks));
  const auto failed = run_ranks(ranks, [&](const regpath::Communicator& comm, int r) {
    const std::int64_t begin = s.cuts[std::size_t(r)], end = s.cuts[std::size_t(r) + 1];
    const Block b = regpath::testing::block(d, begin, end);
    regpath::CvOptions mine = cv;
    if (!cv.foldid.empty())
      mine.foldid.assign(cv.foldid.begin() + begin, cv.foldid.begin() + end);
    regpath::Options local = o;  // weights and offset: this rank's rows'
    const auto slice = [&](const std::vector<double>& v) {
      return v.empty() ? v : std::vector<double>(v.begin() + begin, v.begin() + end);
    };
    local.weights = slice(o.weights);
    local.offset = slice(o.offset);
    out[std::size_t(r)] = regpath::cross_validate(
        comm, regpath::MatrixView<double>{b.X.data(), b.rows, d.p, b.rows}, b.y.data(), local,
        mine, s.how);
  });
  if (errors != nullptr) {
    *errors = failed;
  } else {
    for (int r = 0; r < ranks; ++r) EXPECT_EQ(failed[std::size_t(r)], "") << "rank " << r;
  }
  return out;
}

regpath::CvResult cv_serial(const Data& d, const regpath::Options& o,
                            const regpath::CvOptions& cv) {
  return regpath::cross_validate(regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.n},
                                 d.y.data(), o, cv);
}

void expect_near_rel(const std::vector<double>& got, const std::vector<double>& want, double tol,
                     const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t k = 0; k < got.size(); ++k)
    ASSERT_NEAR(got[k], want[k], tol * std::max(1.0, std::fabs(want[k]))) << what << " at " << k;
}

// The distributed cv is the serial one (curves to `tol`, the same selections and folds), and
// every rank's result is rank 0's bit for bit.
void expect_same_cv(const regpath::CvResult& serial,
                    const std::vector<regpath::DistributedCvResult>& ranks, double tol) {
  ASSERT_FALSE(ranks.empty());
  const regpath::CvResult& d = ranks[0].cv;
  EXPECT_EQ(d.foldid, serial.foldid);
  EXPECT_EQ(d.nfolds, serial.nfolds);
  EXPECT_EQ(d.measure, serial.measure);
  EXPECT_EQ(d.best, serial.best);
  ASSERT_EQ(d.curves.size(), serial.curves.size());
  for (std::size_t a = 0; a < d.curves.size(); ++a) {
    const regpath::CvCurve &got = d.curves[a], &want = serial.curves[a];
    const std::string at = "curve " + std::to_string(a);
    expect_near_rel(got.lambdas, want.lambdas, 1e-12, at + " lambdas");
    expect_near_rel(got.cvm, want.cvm, tol, at + " cvm");
    expect_near_rel(got.cvsd, want.cvsd, tol, at + " cvsd");
    EXPECT_EQ(got.index_min, want.index_min) << at;
    EXPECT_EQ(got.index_1se, want.index_1se) << at;
    EXPECT_EQ(got.nzero, want.nzero) << at;
    EXPECT_EQ(got.path_ended_early, want.path_ended_early) << at;
    expect_near_rel(got.path.coefs, want.path.coefs, tol, at + " full-data coefficients");
    ASSERT_EQ(got.fold_paths.size(), want.fold_paths.size()) << at;
    for (std::size_t f = 0; f < got.fold_paths.size(); ++f)
      expect_near_rel(got.fold_paths[f].lambdas, want.fold_paths[f].lambdas, 1e-10,
                      at + " fold " + std::to_string(f) + " lambdas");
  }
  for (std::size_t r = 1; r < ranks.size(); ++r) {
    EXPECT_EQ(ranks[r].distribution, ranks[0].distribution) << "rank " << r;
    ASSERT_EQ(ranks[r].cv.curves.size(), d.curves.size()) << "rank " << r;
    for (std::size_t a = 0; a < d.curves.size(); ++a) {
      EXPECT_EQ(ranks[r].cv.curves[a].cvm, d.curves[a].cvm) << "rank " << r;
      EXPECT_EQ(ranks[r].cv.curves[a].path.coefs, d.curves[a].path.coefs) << "rank " << r;
    }
  }
}

regpath::DistributedCvOptions how(CvDistribution d) {
  regpath::DistributedCvOptions h;
  h.distribution = d;
  return h;
}

TEST(DistributedCv, FoldsOverRanksGiveTheSerialCvForEveryFamily) {
  for (const regpath::Family family :
       {regpath::Family::gaussian, regpath::Family::binomial, regpath::Family::poisson}) {
    SCOPED_TRACE(regpath::to_string(family));
    const Data d = with_family(make_data(150, 6, 21), family);
    regpath::CvOptions cv;
    cv.nfolds = 5;
    cv.seed = 7;
    const regpath::CvResult serial = cv_serial(d, tight(family), cv);
    for (const std::vector<std::int64_t>& cuts :
         {std::vector<std::int64_t>{0, 150}, {0, 70, 150}, {0, 1, 0 + 90, 150},
          {0, 0, 40, 40, 150}}) {
      SCOPED_TRACE("ranks " + std::to_string(cuts.size() - 1));
      const auto got = cv_split(d, {cuts, how(CvDistribution::automatic)}, tight(family), cv);
      EXPECT_EQ(got[0].distribution, CvDistribution::folds_over_ranks);
      EXPECT_EQ(got[0].ranks, int(cuts.size()) - 1);
      expect_same_cv(serial, got, 1e-8);
    }
  }
}

TEST(DistributedCv, RowsOverRanksGiveTheSerialGaussianCv) {
  const Data d = make_data(160, 8, 22);
  // fold 3 is all of rank 1's rows (40 … 79): that fold's fit has no training rows there
  regpath::CvOptions cv;
  cv.foldid.resize(160);
  for (std::int64_t i = 0; i < 160; ++i)
    cv.foldid[std::size_t(i)] = i >= 40 && i < 80 ? 3 : (i % 3 == 0 ? 1 : (i % 3 == 1 ? 2 : 4));
  cv.alphas = {1.0, 0.5};
  const regpath::CvResult serial = cv_serial(d, tight(), cv);
  for (const std::vector<std::int64_t>& cuts :
       {std::vector<std::int64_t>{0, 160}, {0, 40, 80, 160}, {0, 40, 80, 80, 159, 160}}) {
    SCOPED_TRACE("ranks " + std::to_string(cuts.size() - 1));
    const auto got = cv_split(d, {cuts, how(CvDistribution::rows_over_ranks)}, tight(), cv);
    EXPECT_EQ(got[0].distribution, CvDistribution::rows_over_ranks);
    expect_same_cv(serial, got, 1e-8);
  }
  // automatic: X beyond max_gathered_bytes keeps the rows where they are
  regpath::DistributedCvOptions small;
  small.max_gathered_bytes = 1000;
  const auto got = cv_split(d, {{0, 80, 160}, small}, tight(), cv);
  EXPECT_EQ(got[0].distribution, CvDistribution::rows_over_ranks);
  expect_same_cv(serial, got, 1e-8);
}

// Rows over ranks for every family, weights and offsets included: every fit (the full data's
// and each fold's) a distributed fit of its training rows (test_distributed_glm.cpp).
TEST(DistributedCv, RowsOverRanksGiveTheSerialCvForEveryFamily) {
  for (const regpath::Family family :
       {regpath::Family::gaussian, regpath::Family::binomial, regpath::Family::poisson}) {
    SCOPED_TRACE(regpath::to_string(family));
    const Data d = with_family(make_data(120, 5, 27), family);
    regpath::Options o = tight(family);
    regpath::CvOptions cv;
    cv.nfolds = 4;
    cv.seed = 3;
    expect_same_cv(cv_serial(d, o, cv),
                   cv_split(d, {{0, 40, 41, 120}, how(CvDistribution::rows_over_ranks)}, o, cv),
                   1e-8);
    o.weights.resize(120);
    o.offset.resize(120);
    for (std::size_t i = 0; i < 120; ++i) {
      o.weights[i] = i % 7 == 0 ? 0.0 : 0.5 + double(i % 5) * 0.25;
      o.offset[i] = 0.1 * std::sin(double(i));
    }
    expect_same_cv(cv_serial(d, o, cv),
                   cv_split(d, {{0, 0, 60, 120}, how(CvDistribution::rows_over_ranks)}, o, cv),
                   1e-8);
    if (family == regpath::Family::binomial) {  // the weighted AUC of the gathered rows
      cv.type_measure = regpath::CvMeasure::auc;
      expect_same_cv(cv_serial(d, o, cv),
                     cv_split(d, {{0, 30, 31, 120}, how(CvDistribution::rows_over_ranks)}, o, cv),
                     1e-8);
    }
  }
}

TEST(DistributedCv, OptionsAreTheSerialCvsOptions) {
  const Data d = with_family(make_data(140, 7, 23), regpath::Family::binomial);
  regpath::Options o = tight(regpath::Family::binomial);
  o.lambdas = {0.1, 0.05, 0.02, 0.01, 0.005};
  o.penalty_factors = {1, 3, 1, 2, 1, 1, 1};
  o.exclude = {4};
  for (const regpath::CvMeasure m : {regpath::CvMeasure::auc, regpath::CvMeasure::mae,
                                     regpath::CvMeasure::misclassification}) {
    SCOPED_TRACE(regpath::to_string(m));
    regpath::CvOptions cv;
    cv.nfolds = 4;
    cv.type_measure = m;
    expect_same_cv(cv_serial(d, o, cv), cv_split(d, {{0, 50, 51, 140}, {}}, o, cv), 1e-8);
    // rows over ranks: the AUC from every rank's held-out rows, gathered
    expect_same_cv(cv_serial(d, o, cv),
                   cv_split(d, {{0, 0, 50, 140}, how(CvDistribution::rows_over_ranks)}, o, cv),
                   1e-8);
  }
  const Data g = make_data(120, 6, 24);
  regpath::Options go = tight();
  go.standardize = false;
  go.intercept = false;
  go.alpha = 0.3;
  regpath::CvOptions cv;
  cv.nfolds = 3;
  expect_same_cv(cv_serial(g, go, cv), cv_split(g, {{0, 60, 120}, {}}, go, cv), 1e-8);
  expect_same_cv(cv_serial(g, go, cv),
                 cv_split(g, {{0, 60, 120}, how(CvDistribution::rows_over_ranks)}, go, cv), 1e-8);
}

// Weights and offsets (folds over ranks): each rank passes its rows' values; the serial cv's
// weighted folds, fold sizes and errors, for every family.
TEST(DistributedCv, WeightsAndOffsetsAreTheSerialCvs) {
  for (const regpath::Family family :
       {regpath::Family::gaussian, regpath::Family::binomial, regpath::Family::poisson}) {
    SCOPED_TRACE(regpath::to_string(family));
    const Data d = with_family(make_data(120, 5, 26), family);
    regpath::Options o = tight(family);
    o.weights.resize(120);
    o.offset.resize(120);
    for (std::size_t i = 0; i < 120; ++i) {
      o.weights[i] = i % 7 == 0 ? 0.0 : 0.5 + double(i % 5) * 0.25;
      o.offset[i] = 0.1 * std::sin(double(i));
    }
    regpath::CvOptions cv;
    cv.nfolds = 4;
    if (family == regpath::Family::binomial) cv.type_measure = regpath::CvMeasure::auc;
    expect_same_cv(cv_serial(d, o, cv), cv_split(d, {{0, 40, 41, 120}, {}}, o, cv), 1e-8);
    o.offset.clear();
    cv.type_measure = regpath::CvMeasure::automatic;
    expect_same_cv(cv_serial(d, o, cv), cv_split(d, {{0, 0, 60, 120}, {}}, o, cv), 1e-8);
  }
}

// Weights with unpenalized features (penalty factor 0): every fold's fit is the weighted fit
// with the feature partialled out (fit(), or the ranks' fit_distributed), both ways of sharing
// the work, every family; a rank holding no rows.
TEST(DistributedCv, WeightsWithUnpenalizedFeaturesAreTheSerialCvs) {
  for (const regpath::Family family :
       {regpath::Family::gaussian, regpath::Family::binomial, regpath::Family::poisson}) {
    SCOPED_TRACE(regpath::to_string(family));
    const Data d = with_family(make_data(120, 5, 27), family);
    regpath::Options o = tight(family);
    o.penalty_factors = {1, 0, 1, 2, 1};
    o.weights.resize(120);
    for (std::size_t i = 0; i < 120; ++i) o.weights[i] = 0.5 + double(i % 4) * 0.5;
    regpath::CvOptions cv;
    cv.nfolds = 4;
    const regpath::CvResult serial = cv_serial(d, o, cv);
    expect_same_cv(serial, cv_split(d, {{0, 50, 120}, how(CvDistribution::folds_over_ranks)},
                                    o, cv), 1e-8);
    expect_same_cv(serial, cv_split(d, {{0, 0, 70, 120}, how(CvDistribution::rows_over_ranks)},
                                    o, cv), 1e-8);
  }
}

// Every failure is every rank's, with the same message: never a rank left waiting.
void expect_all_fail(const std::vector<std::string>& errors, const std::string& part) {
  for (std::size_t r = 0; r < errors.size(); ++r) {
    EXPECT_NE(errors[r].find(part), std::string::npos) << "rank " << r << ": " << errors[r];
    EXPECT_EQ(errors[r], errors[0]) << "rank " << r;
  }
}

TEST(DistributedCv, FailuresAreEveryRanks) {
  Data d = make_data(90, 5, 25);
  std::vector<std::string> errors;
  regpath::CvOptions cv;
  cv.nfolds = 3;
  d.y[60] = std::nan("");
  cv_split(d, {{0, 45, 90}, {}}, tight(), cv, &errors);
  expect_all_fail(errors, "rank 1: invalid y: value nan at row 61 (local row 16)");
  d = make_data(90, 5, 25);
  cv.foldid.assign(90, 1);
  cv.foldid[10] = 2;
  cv.foldid[70] = 3;
  cv.foldid[80] = 5;  // fold 4 has no rows
  cv_split(d, {{0, 45, 90}, {}}, tight(), cv, &errors);
  expect_all_fail(errors, "invalid foldid: fold 4 has no rows");
  // a fit failing on the rank that solves it (fold 1 holds every class-1 row, so its training
  // rows have one class): every rank's error, never one left waiting in the exchange
  const Data b = with_family(make_data(90, 5, 25), regpath::Family::binomial);
  cv.foldid.assign(90, 0);
  for (std::size_t i = 0, k = 0; i < 90; ++i)
    cv.foldid[i] = b.y[i] > 0.5 ? 1 : 2 + int(k++ % 2);
  cv_split(b, {{0, 30, 60, 90}, {}}, tight(regpath::Family::binomial), cv, &errors);
  expect_all_fail(errors, "needs both classes");
  regpath::Options weighted = tight();
  weighted.weights.assign(90, 1.0);
  weighted.weights[50] = -1;
  cv.foldid.clear();
  cv_split(d, {{0, 45, 90}, {}}, weighted, cv, &errors);
  expect_all_fail(errors, "rank 1: invalid weights: -1.000000 at row 51 (local row 6)");
}

}  // namespace
