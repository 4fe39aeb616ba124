! Fits the lasso path of a small generated data set with regpath's C API, from Fortran through
! iso_c_binding, and prints a few points of it. Build it against an installed regpath (PREFIX):
!
!   export PKG_CONFIG_PATH=PREFIX/lib/pkgconfig
!   gfortran regpath_c.f90 fit_path.f90 $(pkg-config --cflags --libs regpath) \
!     -Wl,-rpath,PREFIX/lib -o fit_path
!   cmake -S . -B build -DCMAKE_PREFIX_PATH=PREFIX && cmake --build build && build/fit_path
!
! The data are the C example's: n = 100, p = 5, y = 1 + 3*x1 - 2*x2 + a little noise.
! Fortran arrays are column-major, as regpath expects: X(n, p) is passed with ldx = n. The
! bindings are the module regpath_c (regpath_c.f90).

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
