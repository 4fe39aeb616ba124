// regpath::Communicator over an MPI communicator, header-only and compiled with the caller's
// own MPI (regpath itself has no MPI dependency): the collectives of regpath_mpi.h.
//
//     regpath::MpiCommunicator comm(MPI_COMM_WORLD);
//     regpath::Path path = regpath::fit(comm, local_X, local_y, options);  // on every rank
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "regpath/distributed.hpp"
#include "regpath/regpath_mpi.h"

namespace regpath {

class MpiCommunicator : public Communicator {
 public:
  explicit MpiCommunicator(MPI_Comm comm) : comm_(comm), c_(regpath_mpi_communicator(&comm_)) {}
  MpiCommunicator(const MpiCommunicator&) = delete;  // c_ points at comm_
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  int rank() const override { return c_.rank; }
  int size() const override { return c_.size; }
  void sum(double* values, std::size_t count) const override {
    check("MPI_Reduce/MPI_Bcast", c_.sum(c_.context, values, std::int64_t(count)));
  }
  void max(double* values, std::size_t count) const override {
    check("MPI_Allreduce", c_.max(c_.context, values, std::int64_t(count)));
  }
  void broadcast(void* bytes, std::size_t count, int root) const override {
    check("MPI_Bcast", c_.broadcast(c_.context, bytes, std::int64_t(count), root));
  }

 private:
  static void check(const char* call, int status) {
    if (status == 0) return;
    char text[MPI_MAX_ERROR_STRING] = {0};
    int length = 0;
    MPI_Error_string(status, text, &length);
    throw std::runtime_error(std::string(call) + " failed: " + text);
  }
  MPI_Comm comm_;
  regpath_communicator c_;
};

}  // namespace regpath
