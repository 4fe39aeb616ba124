! The Fortran example's lasso path (../fortran/fit_path.f90) with its rows split between MPI
! ranks: each rank holds only its block of the n = 100 rows, every rank gets the whole path, and
! rank 0 prints it. The bindings are ../fortran/regpath_c.f90's; the communicator goes to C by
! regpath_fit_mpi_fortran_d (fortran_bridge.c, compiled with mpicc). Build with CMake:
!
!   cmake -S . -B build -DCMAKE_PREFIX_PATH=PREFIX && cmake --build build
!   mpiexec -n 3 build/fit_rows_fortran

program fit_rows
  use, intrinsic :: iso_c_binding
  use mpi
  use regpath_c
  implicit none
  integer(c_int64_t), parameter :: n = 100, p = 5
  real(c_double), allocatable :: X(:, :), y(:), intercepts(:), coefs(:, :)
  integer(c_int), allocatable :: status(:)
  type(regpath_options) :: options
  type(c_ptr) :: path
  integer(c_int64_t) :: begin, rows, nl, i, j
  integer :: rank, ranks, ierr

  interface
    integer(c_int) function regpath_fit_mpi_fortran_d(comm, options, local_n, p, X, ldx, y, &
        out) bind(c, name="regpath_fit_mpi_fortran_d")
      import :: regpath_options, c_int, c_int64_t, c_double, c_ptr
      integer(c_int), value :: comm
      type(regpath_options), intent(in) :: options
      integer(c_int64_t), value :: local_n, p, ldx
      real(c_double), intent(in) :: X(*), y(*)
      type(c_ptr), intent(out) :: out
    end function
  end interface

  call MPI_Init(ierr)
  call MPI_Comm_rank(MPI_COMM_WORLD, rank, ierr)
  call MPI_Comm_size(MPI_COMM_WORLD, ranks, ierr)
  begin = n * rank / ranks  ! this rank's rows: begin + 1 ... begin + rows
  rows = n * (rank + 1) / ranks - begin
  allocate(X(rows, p), y(rows))
  do j = 1, p
    do i = 1, rows
      X(i, j) = sin(0.37d0 * real((begin + i) * j, c_double) + real(j - 1, c_double))
    end do
  end do
  do i = 1, rows
    y(i) = 1d0 + 3d0 * X(i, 1) - 2d0 * X(i, 2) + &
           0.1d0 * cos(1.3d0 * real(begin + i - 1, c_double))
  end do

  call regpath_options_init(options)
  options%device = REGPATH_DEVICE_CPU
  options%tol = 1d-10
  if (regpath_fit_mpi_fortran_d(int(MPI_COMM_WORLD, c_int), options, rows, p, X, rows, y, &
                                path) /= REGPATH_OK) then
    write (*, '(a, i0, a)') "fit_rows: rank ", rank, ": " // c_string(regpath_last_error())
    call MPI_Abort(MPI_COMM_WORLD, 1, ierr)
  end if
  nl = regpath_path_nlambda(path)
  allocate(intercepts(nl), coefs(p, nl), status(nl))
  if (regpath_path_intercepts(path, intercepts) /= REGPATH_OK .or. &
      regpath_path_coefs(path, coefs) /= REGPATH_OK .or. &
      regpath_path_status(path, status) /= REGPATH_OK) then
    call MPI_Abort(MPI_COMM_WORLD, 1, ierr)
  end if
  call regpath_path_free(path)
  if (rank == 0) then
    write (*, '(a, a, a, i0, a, i0, a)') "regpath ", c_string(regpath_version()), &
        " (from Fortran): lasso path of ", nl, " lambdas, rows on ", ranks, " ranks"
    write (*, '(a, i0, a, i0)') "converged: ", count(status == REGPATH_STATUS_CONVERGED), &
        " of ", nl
    write (*, '(a, *(1x, f9.6))') "last:", intercepts(nl), coefs(:, nl)
  end if
  call MPI_Finalize(ierr)
end program fit_rows
