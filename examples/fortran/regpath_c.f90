! regpath's C API for Fortran through iso_c_binding (regpath.h): the options struct, field for
! field, and the functions the examples use. Compile it with your program (it has no other
! dependency than libregpath): the examples here (fit_path.f90, ../mpi/fit_rows.f90) do.

module regpath_c
  use, intrinsic :: iso_c_binding
  implicit none
  private
  public :: regpath_options, regpath_options_init, regpath_fit_d, regpath_path_free, &
            regpath_path_nlambda, regpath_path_nfeatures, regpath_path_lambdas, &
            regpath_path_intercepts, regpath_path_coefs, regpath_path_status, &
            regpath_path_lambda_max, regpath_path_status_string, regpath_version, &
            regpath_last_error, c_string

  integer(c_int), parameter, public :: REGPATH_OK = 0
  integer(c_int), parameter, public :: REGPATH_DEVICE_AUTO = 0, REGPATH_DEVICE_CPU = 1, &
                                       REGPATH_DEVICE_CUDA = 2
  integer(c_int), parameter, public :: REGPATH_FLOAT64 = 0, REGPATH_FLOAT32 = 1
  integer(c_int), parameter, public :: REGPATH_STATUS_CONVERGED = 0, &
                                       REGPATH_STATUS_MAX_ITER = 1, REGPATH_STATUS_STALLED = 2

  ! The C struct regpath_options of regpath.h, field for field (bind(c) gives C's layout).
  type, bind(c) :: regpath_options
    integer(c_int) :: family, device, precision, nlambda, standardize, intercept, max_iter
    integer(c_int) :: block_size, check_every, glmnet_y_scaling
    real(c_double) :: alpha, lambda_min_ratio, tol
    type(c_ptr) :: lambdas
    integer(c_int64_t) :: n_lambdas
    type(c_ptr) :: penalty_factors
    integer(c_int64_t) :: n_penalty_factors
    type(c_ptr) :: exclude
    integer(c_int64_t) :: n_exclude
    type(c_ptr) :: lower_limits, upper_limits
    integer(c_int64_t) :: n_limits
    type(c_ptr) :: weights  ! C API version 3 (reserved(1) before): c_null_ptr, or n weights
  end type regpath_options

  interface
    subroutine regpath_options_init(options) bind(c, name="regpath_options_init")
      import :: regpath_options
      type(regpath_options), intent(out) :: options
    end subroutine

    integer(c_int) function regpath_fit_d(options, n, p, X, ldx, y, out) &
        bind(c, name="regpath_fit_d")
      import :: regpath_options, c_int, c_int64_t, c_double, c_ptr
      type(regpath_options), intent(in) :: options
      integer(c_int64_t), value :: n, p, ldx
      real(c_double), intent(in) :: X(*), y(*)
      type(c_ptr), intent(out) :: out
    end function

    subroutine regpath_path_free(path) bind(c, name="regpath_path_free")
      import :: c_ptr
      type(c_ptr), value :: path
    end subroutine

    integer(c_int64_t) function regpath_path_nlambda(path) bind(c, name="regpath_path_nlambda")
      import :: c_ptr, c_int64_t
      type(c_ptr), value :: path
    end function

    integer(c_int64_t) function regpath_path_nfeatures(path) &
        bind(c, name="regpath_path_nfeatures")
      import :: c_ptr, c_int64_t
      type(c_ptr), value :: path
    end function

    integer(c_int) function regpath_path_lambdas(path, out) bind(c, name="regpath_path_lambdas")
      import :: c_ptr, c_int, c_double
      type(c_ptr), value :: path
      real(c_double), intent(out) :: out(*)
    end function

    integer(c_int) function regpath_path_intercepts(path, out) &
        bind(c, name="regpath_path_intercepts")
      import :: c_ptr, c_int, c_double
      type(c_ptr), value :: path
      real(c_double), intent(out) :: out(*)
    end function

    integer(c_int) function regpath_path_coefs(path, out) bind(c, name="regpath_path_coefs")
      import :: c_ptr, c_int, c_double
      type(c_ptr), value :: path
      real(c_double), intent(out) :: out(*)
    end function

    integer(c_int) function regpath_path_status(path, out) bind(c, name="regpath_path_status")
      import :: c_ptr, c_int
      type(c_ptr), value :: path
      integer(c_int), intent(out) :: out(*)
    end function

    integer(c_int) function regpath_path_lambda_max(path, out) &
        bind(c, name="regpath_path_lambda_max")
      import :: c_ptr, c_int, c_double
      type(c_ptr), value :: path
      real(c_double), intent(out) :: out
    end function

    type(c_ptr) function regpath_path_status_string(status) &
        bind(c, name="regpath_path_status_string")
      import :: c_ptr, c_int
      integer(c_int), value :: status
    end function

    type(c_ptr) function regpath_version() bind(c, name="regpath_version")
      import :: c_ptr
    end function

    type(c_ptr) function regpath_last_error() bind(c, name="regpath_last_error")
      import :: c_ptr
    end function

    integer(c_size_t) function c_strlen(s) bind(c, name="strlen")
      import :: c_ptr, c_size_t
      type(c_ptr), value :: s
    end function
  end interface

contains

  ! A C string (const char*, owned by regpath) as a Fortran string.
  function c_string(s) result(f)
    type(c_ptr), intent(in) :: s
    character(len=:), allocatable :: f
    character(kind=c_char), pointer :: chars(:)
    integer :: i, length
    if (.not. c_associated(s)) then
      f = ""
      return
    end if
    length = int(c_strlen(s))
    call c_f_pointer(s, chars, [length])
    allocate(character(len=length) :: f)
    do i = 1, length
      f(i:i) = chars(i)
    end do
  end function c_string

end module regpath_c
