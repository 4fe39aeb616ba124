! Fits the lasso path of a small generated data set with regpath's C API, from Fortran through
! iso_c_binding, and prints a few points of it. Build it against an installed regpath (PREFIX):
!
!   export PKG_CONFIG_PATH=PREFIX/lib/pkgconfig
!   gfortran fit_path.f90 $(pkg-config --cflags --libs regpath) -Wl,-rpath,PREFIX/lib -o fit_path
!   cmake -S . -B build -DCMAKE_PREFIX_PATH=PREFIX && cmake --build build && build/fit_path
!
! The data are the C example's: n = 100, p = 5, y = 1 + 3*x1 - 2*x2 + a little noise.
! Fortran arrays are column-major, as regpath expects: X(n, p) is passed with ldx = n.

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

program fit_path
  use, intrinsic :: iso_c_binding
  use regpath_c
  implicit none
  integer(c_int64_t), parameter :: n = 100, p = 5
  real(c_double) :: X(n, p), y(n), lambda_max
  real(c_double), allocatable :: lambdas(:), intercepts(:), coefs(:, :)
  integer(c_int), allocatable :: status(:)
  type(regpath_options) :: options
  type(c_ptr) :: path
  integer(c_int64_t) :: nl, i, j, k
  integer :: converged

  do j = 1, p
    do i = 1, n
      X(i, j) = sin(0.37d0 * real(i * j, c_double) + real(j - 1, c_double))
    end do
  end do
  do i = 1, n
    y(i) = 1d0 + 3d0 * X(i, 1) - 2d0 * X(i, 2) + 0.1d0 * cos(1.3d0 * real(i - 1, c_double))
  end do

  call regpath_options_init(options)  ! the command-line tool's defaults: lasso, 100 lambdas
  options%device = REGPATH_DEVICE_CPU
  options%tol = 1d-10
  if (regpath_fit_d(options, n, p, X, n, y, path) /= REGPATH_OK) then
    write (*, '(a)') "fit_path: regpath_fit_d failed: " // c_string(regpath_last_error())
    error stop 1
  end if

  nl = regpath_path_nlambda(path)
  allocate(lambdas(nl), intercepts(nl), coefs(p, nl), status(nl))
  if (regpath_path_lambdas(path, lambdas) /= REGPATH_OK .or. &
      regpath_path_intercepts(path, intercepts) /= REGPATH_OK .or. &
      regpath_path_coefs(path, coefs) /= REGPATH_OK .or. &       ! p x nl, as C writes it
      regpath_path_status(path, status) /= REGPATH_OK .or. &
      regpath_path_lambda_max(path, lambda_max) /= REGPATH_OK) then
    write (*, '(a)') "fit_path: reading the path failed: " // c_string(regpath_last_error())
    error stop 1
  end if
  call regpath_path_free(path)

  write (*, '(a, a, a, i0, a, f0.6)') "regpath ", c_string(regpath_version()), &
      " (from Fortran): lasso path of ", nl, " lambdas, lambda_max ", lambda_max
  write (*, '(a4, 2a13, *(a8, i0, a))', advance="no") "k", "lambda", "intercept", &
      ("   beta[", j, "]", j = 1, p)
  write (*, '(a)') "  status"
  converged = 0
  do k = 1, nl
    if (status(k) == REGPATH_STATUS_CONVERGED) converged = converged + 1
    if (mod(k - 1, 25_c_int64_t) /= 0 .and. k /= nl) cycle
    write (*, '(i4, 2f13.6, *(f11.6))', advance="no") k - 1, lambdas(k), intercepts(k), coefs(:, k)
    write (*, '(2x, a)') c_string(regpath_path_status_string(status(k)))
  end do
  write (*, '(a, i0, a, i0)') "converged: ", converged, " of ", nl
  write (*, '(a, *(1x, f9.6))') "last:", intercepts(nl), coefs(:, nl)
end program fit_path
