// Distributed rows over real MPI ranks (run by ctest as `mpiexec -n R test_mpi_fit`, R = 1…4):
// regpath::fit(MpiCommunicator) and regpath_fit_mpi_d (regpath_mpi.h) give the serial path of
// all the rows, the same bits on every rank and from both APIs, a bad value on the last rank is
// every rank's error, and cross_validate(MpiCommunicator) gives the serial cv (weights with a
// penalty factor of 0 included). Exit status 0 only when every check passed on every rank.
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "regpath/mpi.hpp"
#include "regpath/regpath_mpi.h"
#include "row_blocks.hpp"

namespace {

int failures = 0;
int rank = 0, ranks = 1;

void check(bool ok, const std::string& what) {
  if (ok) return;
  ++failures;
  std::fprintf(stderr, "test_mpi_fit: rank %d: FAILED: %s\n", rank, what.c_str());
}

// Uneven blocks: rank r holds rows [cut(r), cut(r + 1)).
std::int64_t cut(std::int64_t n, int r) { return r == ranks ? n : (n * r * r) / (ranks * ranks); }

// `path` (this rank's) is `serial`'s to 1e-9 of its largest coefficient, and rank 0's bit for
// bit; `what` prefixes the messages.
void check_serial_path(const regpath::Path& path, const regpath::Path& serial,
                       const std::string& what) {
  check(path.coefs.size() == serial.coefs.size(), what + "the path's size is the serial one's");
  double scale = 1, worst = 0;
  for (const double v : serial.coefs) scale = std::max(scale, std::fabs(v));
  for (std::size_t i = 0; i < std::min(path.coefs.size(), serial.coefs.size()); ++i)
    worst = std::max(worst, std::fabs(path.coefs[i] - serial.coefs[i]));
  check(worst <= 1e-9 * scale, what + "coefficients within 1e-9 of the serial path (" +
                                   std::to_string(worst / scale) + ")");
  // rank 0's coefficients, bit for bit, on every rank
  std::vector<double> root = path.coefs;
  MPI_Bcast(root.data(), int(root.size()), MPI_DOUBLE, 0, MPI_COMM_WORLD);
  check(std::memcmp(root.data(), path.coefs.data(), root.size() * sizeof(double)) == 0,
        what + "the same coefficients as rank 0, bit for bit");
}

// The C API (regpath_mpi.h) with `opt` on this rank's block gives the C++ call's `path`, bit
// for bit.
void check_c_api_path(const regpath_options& opt, const regpath::testing::Block& b,
                      std::int64_t p, const regpath::Path& path, const std::string& what) {
  regpath_path* c_path = nullptr;
  const int code = regpath_fit_mpi_d(MPI_COMM_WORLD, &opt, b.rows, p, b.X.data(), b.rows,
                                     b.y.data(), &c_path);
  check(code == REGPATH_OK, what + "regpath_fit_mpi_d: " + regpath_last_error());
  if (code == REGPATH_OK) {
    std::vector<double> c(path.coefs.size());
    regpath_path_coefs(c_path, c.data());
    check(c == path.coefs, what + "regpath_fit_mpi_d gives regpath::fit(MpiCommunicator)'s bits");
  }
  regpath_path_free(c_path);
}

// n × p: 301 × 9 is the Gram form (H reduced once), 60 × 45 the direct form (a sum per
// iteration).
void distributed_path_is_the_serial_path(std::int64_t n, std::int64_t p) {
  const auto d = regpath::testing::make_data(n, p, 31);
  const auto b = regpath::testing::block(d, cut(d.n, rank), cut(d.n, rank + 1));
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.tol = 1e-12;
  o.alpha = 0.7;
  const regpath::Path serial =
      regpath::fit(regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.n}, d.y.data(), o);
  const regpath::MpiCommunicator comm(MPI_COMM_WORLD);
  const regpath::Path path =
      regpath::fit(comm, regpath::MatrixView<double>{b.X.data(), b.rows, d.p, b.rows},
                   b.y.data(), o);
  const std::string what = "n " + std::to_string(n) + ", p " + std::to_string(p) + ": ";
  check_serial_path(path, serial, what);
  regpath_options opt;
  regpath_options_init(&opt);
  opt.device = REGPATH_DEVICE_CPU;
  opt.tol = 1e-12;
  opt.alpha = 0.7;
  check_c_api_path(opt, b, d.p, path, what);
}

// The GLM families (binomial, poisson) with observation weights: the serial path of all the
// rows (both proximal Newton's, test_distributed_glm.cpp), the same bits on every rank and from
// the C API.
void distributed_glm_path_is_the_serial_path(regpath::Family family) {
  const auto d = regpath::testing::with_family(regpath::testing::make_data(200, 6, 34), family);
  const std::int64_t begin = cut(d.n, rank), end = cut(d.n, rank + 1);
  const auto b = regpath::testing::block(d, begin, end);
  std::vector<double> weights(static_cast<std::size_t>(d.n));
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = 0.5 + double(i % 3);
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.family = family;
  o.tol = 1e-12;
  o.nlambda = 30;
  o.weights = weights;
  const regpath::Path serial =
      regpath::fit(regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.n}, d.y.data(), o);
  o.weights.assign(weights.begin() + begin, weights.begin() + end);
  const regpath::MpiCommunicator comm(MPI_COMM_WORLD);
  regpath::Path path;
  try {
    path = regpath::fit(comm, regpath::MatrixView<double>{b.X.data(), b.rows, d.p, b.rows},
                        b.y.data(), o);
  } catch (const std::exception& e) {  // every rank throws alike
    check(false, std::string("the distributed GLM fit threw: ") + e.what());
    return;
  }
  const std::string what = std::string(regpath::to_string(family)) + ": ";
  check_serial_path(path, serial, what);
  regpath_options opt;
  regpath_options_init(&opt);
  opt.device = REGPATH_DEVICE_CPU;
  opt.family = family == regpath::Family::binomial ? REGPATH_BINOMIAL : REGPATH_POISSON;
  opt.tol = 1e-12;
  opt.n_lambdas = 0;
  opt.nlambda = 30;
  opt.weights = o.weights.data();
  check_c_api_path(opt, b, d.p, path, what);
}

void a_bad_value_on_the_last_rank_is_every_ranks_error() {
  const auto d = regpath::testing::make_data(120, 5, 32);
  auto b = regpath::testing::block(d, cut(d.n, rank), cut(d.n, rank + 1));
  if (rank == ranks - 1) b.y[0] = NAN;
  regpath_options opt;
  regpath_options_init(&opt);
  opt.device = REGPATH_DEVICE_CPU;
  regpath_path* path = nullptr;
  const int code = regpath_fit_mpi_d(MPI_COMM_WORLD, &opt, b.rows, d.p, b.X.data(), b.rows,
                                     b.y.data(), &path);
  check(code == REGPATH_ERROR_INVALID_ARGUMENT, "a NaN on the last rank fails on every rank");
  const std::string want = "rank " + std::to_string(ranks - 1) + ": invalid y: value nan at row " +
                           std::to_string(cut(d.n, ranks - 1) + 1);
  check(std::string(regpath_last_error()).find(want) != std::string::npos,
        "the message names the rank and the global row: " + std::string(regpath_last_error()));
  check(path == nullptr, "no path on failure");
}

// cross_validate over the ranks, both ways of sharing the work, gaussian and binomial: the
// serial cv's curve and selections, the same bits on every rank.
// With weighted_unpenalized: observation weights and a penalty factor of 0 (each rank passes its
// rows' weights).
void distributed_cv_is_the_serial_cv(regpath::Family family, regpath::CvDistribution how,
                                     bool weighted_unpenalized = false) {
  auto d = regpath::testing::make_data(150, 6, 33);
  if (family == regpath::Family::binomial) {  // above the median
    std::vector<double> sorted = d.y;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted[sorted.size() / 2];
    for (double& v : d.y) v = v > median ? 1.0 : 0.0;
  }
  const auto b = regpath::testing::block(d, cut(d.n, rank), cut(d.n, rank + 1));
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.family = family;
  o.tol = 1e-12;
  o.nlambda = 25;
  if (weighted_unpenalized) {
    o.penalty_factors = {1, 1, 0, 1, 2, 1};
    for (std::int64_t i = 0; i < d.n; ++i) o.weights.push_back(0.5 + double(i % 3));
  }
  regpath::CvOptions cv;
  cv.nfolds = 4;
  const regpath::CvResult serial = regpath::cross_validate(
      regpath::MatrixView<double>{d.X.data(), d.n, d.p, d.n}, d.y.data(), o, cv);
  if (weighted_unpenalized)  // this rank's rows' weights
    o.weights = std::vector<double>(o.weights.begin() + cut(d.n, rank),
                                    o.weights.begin() + cut(d.n, rank + 1));
  regpath::DistributedCvOptions options;
  options.distribution = how;
  const regpath::MpiCommunicator comm(MPI_COMM_WORLD);
  const regpath::DistributedCvResult got = regpath::cross_validate(
      comm, regpath::MatrixView<double>{b.X.data(), b.rows, d.p, b.rows}, b.y.data(), o, cv,
      options);
  const std::string what = std::string(regpath::to_string(family)) + ", " +
                           regpath::to_string(how) +
                           (weighted_unpenalized ? ", weights and a factor 0" : "") + ": ";
  const regpath::CvCurve &c = got.cv.curves.at(0), &s = serial.curves.at(0);
  check(got.distribution == how, what + "the distribution asked for");
  check(c.cvm.size() == s.cvm.size(), what + "the serial curve's length");
  double worst = 0;
  for (std::size_t k = 0; k < std::min(c.cvm.size(), s.cvm.size()); ++k)
    worst = std::max(worst, std::fabs(c.cvm[k] - s.cvm[k]) / std::max(1.0, std::fabs(s.cvm[k])));
  check(worst <= 1e-8, what + "cvm within 1e-8 of the serial cv (" + std::to_string(worst) + ")");
  check(c.index_min == s.index_min && c.index_1se == s.index_1se,
        what + "lambda.min and lambda.1se are the serial cv's");
  check(got.cv.foldid == serial.foldid, what + "the serial cv's folds");
  std::vector<double> root = c.cvm;
  MPI_Bcast(root.data(), int(root.size()), MPI_DOUBLE, 0, MPI_COMM_WORLD);
  check(std::memcmp(root.data(), c.cvm.data(), root.size() * sizeof(double)) == 0,
        what + "the same curve as rank 0, bit for bit");
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  distributed_path_is_the_serial_path(301, 9);
  distributed_path_is_the_serial_path(60, 45);
  a_bad_value_on_the_last_rank_is_every_ranks_error();
  distributed_glm_path_is_the_serial_path(regpath::Family::binomial);
  distributed_glm_path_is_the_serial_path(regpath::Family::poisson);
  try {
    distributed_cv_is_the_serial_cv(regpath::Family::gaussian,
                                    regpath::CvDistribution::folds_over_ranks);
    distributed_cv_is_the_serial_cv(regpath::Family::gaussian,
                                    regpath::CvDistribution::rows_over_ranks);
    distributed_cv_is_the_serial_cv(regpath::Family::binomial,
                                    regpath::CvDistribution::folds_over_ranks);
    distributed_cv_is_the_serial_cv(regpath::Family::binomial,
                                    regpath::CvDistribution::rows_over_ranks);
    for (const auto how :
         {regpath::CvDistribution::folds_over_ranks, regpath::CvDistribution::rows_over_ranks}) {
      distributed_cv_is_the_serial_cv(regpath::Family::gaussian, how, true);
      distributed_cv_is_the_serial_cv(regpath::Family::binomial, how, true);
    }
  } catch (const std::exception& e) {  // every rank throws alike: none is left waiting
    check(false, std::string("cross_validate threw: ") + e.what());
  }
  int total = 0;
  MPI_Allreduce(&failures, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0)
    std::printf("test_mpi_fit: %d ranks, %s\n", ranks,
                total == 0 ? "every check passed" : "FAILED (see above)");
  MPI_Finalize();
  return total == 0 ? 0 : 1;
}
