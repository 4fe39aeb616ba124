// Weak and strong scaling of a distributed fit (and cv) over MPI ranks: `mpirun -np R
// regpath_scaling MODE n p [nlambda]` prints one CSV row (rank 0) — the wall time of
// regpath::fit(MpiCommunicator) on rows split between the ranks, and the collectives it made
// (count and bytes of sums, maxima and broadcasts, counted by a wrapping Communicator) —
// MODE: fit (n = all ranks' rows), fit_weak (n = rows per rank), cv (cross_validate across
// ranks, 10 folds, the automatic choice); binomial and binomial_weak: fit and fit_weak of a
// logistic path (y > 0 as the class; Newton's steps in the Gram form over the ranks);
// binomial_serial: the serial fit() of the same data (run on 1 rank), the baseline. Seeded data, the same for any R in strong mode.
// bench/distributed/run drives it and writes the tables.
#include <mpi.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "regpath/mpi.hpp"

namespace {

// The collectives an inner Communicator makes, counted (calls and bytes) on this rank.
class CountingCommunicator : public regpath::Communicator {
 public:
  explicit CountingCommunicator(const regpath::Communicator& inner) : inner_(inner) {}
  int rank() const override { return inner_.rank(); }
  int size() const override { return inner_.size(); }
  void sum(double* v, std::size_t count) const override {
    ++sums;
    sum_bytes += double(count * sizeof(double));
    inner_.sum(v, count);
  }
  void max(double* v, std::size_t count) const override {
    ++maxima;
    inner_.max(v, count);
  }
  void broadcast(void* bytes, std::size_t count, int root) const override {
    ++broadcasts;
    broadcast_bytes += double(count);
    inner_.broadcast(bytes, count, root);
  }
  mutable double sums = 0, sum_bytes = 0, maxima = 0, broadcasts = 0, broadcast_bytes = 0;

 private:
  const regpath::Communicator& inner_;
};

// Rows [begin, end) of a seeded n × p problem: correlated columns, a sparse truth, noise. Row i
// is drawn from its own seed, so a row is the same whichever rank holds it.
void make_rows(std::int64_t begin, std::int64_t end, std::int64_t p, std::vector<double>& X,
               std::vector<double>& y) {
  const std::int64_t rows = end - begin;
  X.assign(std::size_t(rows * p), 0.0);
  y.assign(std::size_t(rows), 0.0);
  for (std::int64_t i = begin; i < end; ++i) {
    std::mt19937_64 gen(1000003ull * std::uint64_t(i) + 17);
    std::normal_distribution<double> normal(0.0, 1.0);
    const double common = normal(gen);
    double v = normal(gen);
    for (std::int64_t j = 0; j < p; ++j) {
      const double x = 0.8 * normal(gen) + 0.6 * common;
      X[std::size_t((i - begin) + j * rows)] = x;
      if (j % 10 == 0) v += (j % 20 == 0 ? 1.0 : -0.5) * x;
    }
    y[std::size_t(i - begin)] = v;
  }
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  if (argc < 4) {
    if (rank == 0) std::fprintf(stderr, "usage: regpath_scaling fit|fit_weak|cv n p [nlambda]\n");
    MPI_Finalize();
    return 2;
  }
  const std::string mode = argv[1];
  const std::int64_t n_arg = std::atoll(argv[2]), p = std::atoll(argv[3]);
  const int nlambda = argc > 4 ? std::atoi(argv[4]) : 100;
  const bool weak = mode == "fit_weak" || mode == "binomial_weak";
  const bool serial = mode == "binomial_serial";  // the serial fit() of the same rows (1 rank)
  const bool binomial = mode == "binomial" || mode == "binomial_weak" || serial;
  const std::int64_t n = weak ? n_arg * ranks : n_arg;
  const std::int64_t begin = n * rank / ranks, end = n * (rank + 1) / ranks;
  std::vector<double> X, y;
  make_rows(begin, end, p, X, y);
  if (binomial)
    for (double& v : y) v = v > 0 ? 1.0 : 0.0;
  const regpath::MpiCommunicator mpi(MPI_COMM_WORLD);
  const CountingCommunicator comm(mpi);
  regpath::Options o;
  o.device = regpath::Device::cpu;
  o.alpha = 0.5;
  o.nlambda = nlambda;
  if (binomial) o.family = regpath::Family::binomial;
  const regpath::MatrixView<double> view{X.data(), end - begin, p, end - begin};
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  std::size_t lambdas = 0;
  long long iterations = 0, newton = 0;
  std::string how = "-";
  if (mode == "cv") {
    regpath::CvOptions cv;
    cv.nfolds = 10;
    const regpath::DistributedCvResult r = regpath::cross_validate(comm, view, y.data(), o, cv);
    lambdas = r.cv.curves[0].lambdas.size();
    how = regpath::to_string(r.distribution);
  } else {
    const regpath::Path path = serial ? regpath::fit(view, y.data(), o)
                                      : regpath::fit(comm, view, y.data(), o);
    lambdas = path.lambdas.size();
    for (const int it : path.iterations) iterations += it;
    for (const int it : path.newton_steps) newton += it;
  }
  const double seconds = MPI_Wtime() - start;
  double worst = seconds;  // the slowest rank's time
  MPI_Reduce(&seconds, &worst, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  if (rank == 0)
    std::printf("%s,%d,%lld,%lld,%zu,%lld,%.4f,%.0f,%.0f,%.0f,%.0f,%.0f,%s,%lld\n", mode.c_str(),
                ranks, static_cast<long long>(n), static_cast<long long>(p), lambdas, iterations,
                worst, comm.sums, comm.sum_bytes, comm.maxima, comm.broadcasts,
                comm.broadcast_bytes, how.c_str(), newton);
  MPI_Finalize();
  return 0;
}
