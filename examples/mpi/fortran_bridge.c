/* The one C function the Fortran example needs: regpath_fit_mpi_fortran_d, defined by
 * regpath_mpi.h when asked (the header's other functions are static inline, which Fortran cannot
 * call). Compile it with the MPI the program uses (mpicc). */
#define REGPATH_MPI_DEFINE_FORTRAN_BRIDGE
#include <regpath/regpath_mpi.h>
