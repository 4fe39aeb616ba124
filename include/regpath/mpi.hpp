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

namespace detail {
struct MpiCommHolder {  // the communicator, initialized before the base that points at it
  MPI_Comm comm;
};
}  // namespace detail

class MpiCommunicator : private detail::MpiCommHolder, public CallbackCommunicator {
 public:
  explicit MpiCommunicator(MPI_Comm c)
      : MpiCommHolder{c}, CallbackCommunicator(regpath_mpi_communicator(&this->comm)) {}
  MpiCommunicator(const MpiCommunicator&) = delete;  // the callbacks point at this->comm
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

 protected:
  std::string describe(int status) const override {
    char text[MPI_MAX_ERROR_STRING] = {0};
    int length = 0;
    MPI_Error_string(status, text, &length);
    return text;
  }
};

}  // namespace regpath
