// Fits whose rows are held by several processes ("ranks"), each holding a contiguous block of
// the observations: the MPI case of HPC codes, without an MPI dependency in regpath itself.
// regpath asks the caller's Communicator for three collectives; regpath/mpi.hpp implements them
// with MPI in the caller's own build (so whichever MPI the caller links, Open MPI or MPICH, is
// the one used), and the C API takes the same collectives as function pointers
// (regpath_communicator in regpath.h; regpath_mpi.h wraps an MPI_Comm).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "regpath/regpath.h"
#include "regpath/regpath.hpp"

namespace regpath {

// The collectives of a group of ranks. Every rank calls each one in the same order with the
// same count; each may throw (the fit then fails on that rank with the exception's text).
class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;  // 0 … size() − 1
  virtual int size() const = 0;
  // values[i] ← Σ over the ranks of values[i], in place, with the same bits on every rank (so
  // that every rank takes the same decisions: MPI_Reduce to rank 0 then MPI_Bcast, not an
  // MPI_Allreduce whose rounding may differ between ranks).
  virtual void sum(double* values, std::size_t count) const = 0;
  // values[i] ← max over the ranks of values[i], in place.
  virtual void max(double* values, std::size_t count) const = 0;
  // bytes ← root's bytes on every rank.
  virtual void broadcast(void* bytes, std::size_t count, int root) const = 0;
};

// The C API's collectives (regpath_communicator: a context and three function pointers) as a
// Communicator: a non-zero return becomes a std::runtime_error naming the collective and, by
// describe(), the status (regpath/mpi.hpp describes MPI's error codes).
class CallbackCommunicator : public Communicator {
 public:
  explicit CallbackCommunicator(const regpath_communicator& c) : c_(c) {}
  int rank() const override { return c_.rank; }
  int size() const override { return c_.size; }
  void sum(double* values, std::size_t count) const override {
    check("sum", c_.sum(c_.context, values, static_cast<int64_t>(count)));
  }
  void max(double* values, std::size_t count) const override {
    check("max", c_.max(c_.context, values, static_cast<int64_t>(count)));
  }
  void broadcast(void* bytes, std::size_t count, int root) const override {
    check("broadcast", c_.broadcast(c_.context, bytes, static_cast<int64_t>(count), root));
  }

 protected:
  virtual std::string describe(int status) const { return "status " + std::to_string(status); }

 private:
  void check(const char* which, int status) const {
    if (status != 0)
      throw std::runtime_error(std::string("the communicator's ") + which + " failed: " +
                               describe(status));
  }
  regpath_communicator c_;
};

// A collective check, for regpath's own arguments and for a caller's (the command-line tool's
// input): `mine` is this rank's error ("" if none). When some rank has one, every rank throws
// std::invalid_argument with the lowest such rank's message, prefixed "rank R: ", so that no
// rank goes on into a collective that the others never enter. One sum and, on failure, one
// broadcast of 1024 bytes (a longer message is cut).
inline void agree_on_errors(const Communicator& comm, const std::string& mine) {
  const int ranks = comm.size(), me = comm.rank();
  std::vector<double> failed(static_cast<std::size_t>(ranks), 0.0);
  if (!mine.empty()) failed[static_cast<std::size_t>(me)] = 1;
  comm.sum(failed.data(), failed.size());
  const auto first = std::find_if(failed.begin(), failed.end(), [](double f) { return f > 0; });
  if (first == failed.end()) return;
  const int root = int(first - failed.begin());
  constexpr std::size_t kLength = 1024;  // a message's bytes, the last one always 0
  std::vector<char> text(kLength, '\0');
  if (me == root) std::memcpy(text.data(), mine.data(), std::min(mine.size(), kLength - 1));
  comm.broadcast(text.data(), kLength, root);
  text.back() = '\0';
  throw std::invalid_argument("rank " + std::to_string(root) + ": " + text.data());
}

// The path of the whole data, on every rank: rank r holds rows local_X (local_n × p; a rank may
// hold none, and still takes part) and local_y of it; together, in rank order, they are the n
// rows of one fit(X, y).
// Every rank passes the same options (checked: a difference is an error on every rank). The
// result equals fit(X, y, options) to rounding (see below for binomial and poisson), and is the
// same, bit for bit, on every rank.
// Every bad argument or value on any rank is an error on every rank (std::invalid_argument,
// its message naming the rank and the global row), never a rank left waiting.
// Both forms: with n > 2p (all ranks together) the reductions are the moments, H = X̃ᵀX̃/n and
// c, once; otherwise each product over the rows (X̃ᵀR, p × K) is summed at every iteration.
// Families gaussian, binomial and poisson on the CPU backend of each rank; Options::weights
// and Options::offset hold this rank's rows' values (given on every rank
// with rows, or on none). Binomial and poisson take proximal Newton's steps in its Gram form
// over the ranks (the serial path to rounding of the Newton solves): every feature's Gram up to
// p = 1000, beyond a working set's (the strong rule's candidates, grown by the optimality
// check; past 1000 of them FISTA and its certificate go on alone). Refused by name for now:
// multinomial, device cuda.
REGPATH_EXPORT Path fit(const Communicator& comm, const MatrixView<double>& local_X,
                        const double* local_y, const Options& options = {});
REGPATH_EXPORT Path fit(const Communicator& comm, const MatrixView<float>& local_X,
                        const float* local_y, const Options& options = {});

// Cross-validation (cross_validate's, cv.glmnet's) of rows held by several ranks, on every rank.
// Two ways to share the work, chosen automatically unless named:
//   folds_over_ranks  every rank gathers all the rows (one broadcast per rank), then the fits —
//                     each α's full-data fit and its folds' — are dealt out to the ranks (fit u
//                     to rank u mod R), each solved by the serial fit() and broadcast from there;
//                     every family and option the serial fit() takes. Chosen when the whole X
//                     fits in max_gathered_bytes.
//   rows_over_ranks   the rows stay where they are; every fit is a distributed fit (above) of its
//                     training rows, all ranks together: what fit(Communicator&, ...) takes
//                     (every family but multinomial, weights and offsets included); every
//                     measure (auc on each fold's held-out rows gathered from every rank).
// Either way each fold's held-out errors are summed over the rows of every rank (one sum per
// fold), the curves are cross_validate's to rounding (its fold fits solved to the same
// tolerance), and every rank gets the same result. CvOptions::foldid, if given, has one id per
// row of this rank (local_n values); the result's foldid has all n rows', in rank order; random
// folds are the serial cross_validate's of the n rows (the same seed gives the same folds).
// Options::weights and Options::offset, like foldid, hold this rank's rows' values.
enum class CvDistribution { automatic, folds_over_ranks, rows_over_ranks };
REGPATH_EXPORT const char* to_string(CvDistribution distribution);  // "folds over ranks", ...

struct DistributedCvOptions {
  CvDistribution distribution = CvDistribution::automatic;
  std::int64_t max_gathered_bytes = std::int64_t(1) << 30;  // X of all ranks, in its own type
};
struct DistributedCvResult {
  CvResult cv;
  CvDistribution distribution = CvDistribution::automatic;  // the one used (never automatic)
  int ranks = 1;
};
REGPATH_EXPORT DistributedCvResult cross_validate(const Communicator& comm,
                                                  const MatrixView<double>& local_X,
                                                  const double* local_y, const Options& options,
                                                  const CvOptions& cv = {},
                                                  const DistributedCvOptions& how = {});
REGPATH_EXPORT DistributedCvResult cross_validate(const Communicator& comm,
                                                  const MatrixView<float>& local_X,
                                                  const float* local_y, const Options& options,
                                                  const CvOptions& cv = {},
                                                  const DistributedCvOptions& how = {});

}  // namespace regpath
