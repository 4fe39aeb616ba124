#!/usr/bin/env bash
# The installed package as its users see it. One step per call (ctest runs them as separate
# tests, see cmake/install_test.cmake); `all` runs every step in order.
#
#   tests/test_install.sh STEP BUILD_DIR WORK_DIR [CONFIG]
#
#   install             cmake --install BUILD_DIR into WORK_DIR/prefix; check the files, the
#                       exported symbols of libregpath.so and the installed command-line tool
#   header              regpath.h as C99 (-std=c99 -Wall -Wextra -pedantic -Werror), and
#                       regpath.h with regpath.hpp as C++17
#   c_cmake             the C example with find_package(regpath), shared library
#   c_cmake_static      the same with regpath::regpath_static (no libregpath.so needed to run)
#   c_pkgconfig         the C example with pkg-config
#   c_pkgconfig_static  the C example with pkg-config --static, from a copy of the installed tree
#                       without libregpath.so (also checks that the .pc file is relocatable)
#   fortran_cmake       the Fortran example with find_package(regpath)
#   fortran_pkgconfig   the Fortran example with pkg-config
#   mpi_cmake           regpath_mpi.h / mpi.hpp compiled with mpicc / mpicxx, and the MPI
#                       examples (C, and Fortran when MPI has Fortran bindings) built with
#                       find_package and run on 3 ranks
#
# Every step after `install` needs it done. Exit status 77 means skipped (no pkg-config, no
# Fortran compiler or no MPI). CMAKE, CC, CXX and FC name the tools (default: cmake, cc, c++,
# gfortran).
set -euo pipefail

step=${1:?usage: test_install.sh STEP BUILD_DIR WORK_DIR [CONFIG]}
build=${2:?BUILD_DIR}
work=${3:?WORK_DIR}
config=${4:-}
CMAKE=${CMAKE:-cmake}
CC=${CC:-cc}
CXX=${CXX:-c++}
FC=${FC:-gfortran}
prefix=$work/prefix

skip() { echo "SKIPPED: $*"; exit 77; }
die() { echo "FAILED: $*" >&2; exit 1; }
need_install() { [ -f "$prefix/include/regpath/regpath.h" ] || die "run the install step first"; }
libdir_of() { dirname "$(find "$1" -name 'libregpath.a' -print -quit)"; }
docdir_of() { dirname "$(dirname "$(find "$1" -path '*/examples/c/fit_path.c' -print -quit)")"; }  # .../examples

# The examples' output: the version, every λ converged, and the last (smallest) λ's intercept
# and coefficients close to the generating model's (1; 3, −2, 0, 0, 0).
check_output() {
  local out=$1 what=$2
  cat "$out"
  grep -q "^regpath [0-9]" "$out" || die "$what: no version line"
  grep -q "^converged: 100 of 100$" "$out" || die "$what: not every lambda converged"
  awk -v what="$what" '
    $1 == "last:" {
      found = 1
      split("1 3 -2 0 0 0", want, " ")
      if (NF != 7) { print what ": last: has " NF - 1 " values, not 6"; exit 1 }
      for (i = 2; i <= 7; ++i) {
        d = $i - want[i - 1]; if (d < 0) d = -d
        if (d > 0.05) { print what ": value " i - 1 " of last: is " $i ", not near " want[i - 1]; exit 1 }
      }
    }
    END { if (!found) { print what ": no last: line"; exit 1 } }' "$out" || die "$what: wrong output"
  echo "OK: $what"
}

cmake_example() {  # LANGUAGE_DIR BUILD_NAME [cmake args...]
  need_install
  local src
  src=$(docdir_of "$prefix")/$1
  local dir=$work/$2
  rm -rf "$dir"
  "$CMAKE" -S "$src" -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    "${@:3}" >"$work/$2.configure.log" 2>&1 || { cat "$work/$2.configure.log"; die "$2: configure"; }
  "$CMAKE" --build "$dir" || die "$2: build"
  "$dir/fit_path" >"$work/$2.out" || { cat "$work/$2.out"; die "$2: fit_path failed"; }
}

case $step in
install)
  rm -rf "$work"
  mkdir -p "$work"
  args=(--install "$build" --prefix "$prefix")
  [ -n "$config" ] && args+=(--config "$config")
  "$CMAKE" "${args[@]}"
  libdir=$(libdir_of "$prefix")
  [ -d "$libdir" ] || die "no libregpath.a installed"
  for f in "$prefix/include/regpath/regpath.h" "$prefix/include/regpath/regpath.hpp" \
           "$libdir/libregpath.a" "$libdir/libregpath.so" "$prefix/bin/regpath" \
           "$libdir/cmake/regpath/regpathConfig.cmake" \
           "$libdir/cmake/regpath/regpathConfigVersion.cmake" \
           "$libdir/cmake/regpath/regpathTargets.cmake" "$libdir/pkgconfig/regpath.pc" \
           "$(docdir_of "$prefix")/c/CMakeLists.txt" \
           "$(docdir_of "$prefix")/fortran/fit_path.f90"; do
    [ -e "$f" ] || die "not installed: $f"
    echo "installed: ${f#"$prefix"/}"
  done
  soname=$(objdump -p "$libdir/libregpath.so" | awk '$1 == "SONAME" { print $2 }')
  if [ -z "$soname" ] || [ ! -e "$libdir/$soname" ]; then
    die "libregpath.so has no installed SONAME ($soname)"
  fi
  echo "SONAME: $soname"

  # Exported symbols: every function of regpath.h, the C++ API of regpath.hpp, nothing else of
  # regpath's (the rest is hidden).
  nm -D --defined-only "$libdir/libregpath.so" | awk '{ print $3 }' | sort >"$work/exported.txt"
  grep -o '^REGPATH_EXPORT [^(]*(' "$prefix/include/regpath/regpath.h" |
    sed -E 's/.*[ *]([a-z_0-9]+)\($/\1/' | sort -u >"$work/c_api.txt"
  missing=$(comm -23 "$work/c_api.txt" "$work/exported.txt")
  [ -z "$missing" ] || die "C API functions not exported: $missing"
  extra_c=$(grep '^regpath_' "$work/exported.txt" | comm -23 - "$work/c_api.txt")
  [ -z "$extra_c" ] || die "exported regpath_ symbols that regpath.h does not declare: $extra_c"
  c++filt <"$work/exported.txt" | grep -v '^regpath_' | sort >"$work/cpp_api.txt" || true
  internal=$(grep -Ev '^regpath::(fit|to_string|validate_options|cuda_available|version|make_model|model_to_json(\[abi:cxx11\])?|model_from_json|save_model|load_model|coefficients|default_lambdas|predict)\(' \
               "$work/cpp_api.txt" || true)
  [ -z "$internal" ] || die "symbols exported that are not regpath's API: $internal"
  for f in 'regpath::fit(regpath::MatrixView<double>' 'regpath::fit(regpath::MatrixView<float>' \
           'regpath::validate_options(' 'regpath::cuda_available(' 'regpath::version()' \
           'regpath::load_model(' 'regpath::save_model(' 'regpath::predict(' 'regpath::coefficients('; do
    grep -qF "$f" "$work/cpp_api.txt" || die "C++ API not exported: $f"
  done
  echo "exported: $(wc -l <"$work/c_api.txt") C functions, $(wc -l <"$work/cpp_api.txt") C++ functions, no internals"

  "$prefix/bin/regpath" --version || die "the installed regpath does not run"
  ;;

header)
  need_install
  printf '#include <regpath/regpath.h>\nint main(void) { regpath_options o; regpath_options_init(&o); return o.nlambda == 100 ? 0 : 1; }\n' \
    >"$work/header_c99.c"
  "$CC" -std=c99 -Wall -Wextra -pedantic -Werror -Wstrict-prototypes -Wmissing-prototypes \
    -fsyntax-only -I"$prefix/include" "$work/header_c99.c" || die "regpath.h is not clean C99"
  echo "OK: regpath.h compiles as C99 (-std=c99 -Wall -Wextra -pedantic -Werror)"
  printf '#include <regpath/regpath.h>\n#include <regpath/regpath.hpp>\n#include <regpath/regpath.h>\nint main() { regpath_options o; regpath_options_init(&o); return o.nlambda == regpath::Options{}.nlambda ? 0 : 1; }\n' \
    >"$work/header_cxx.cpp"
  "$CXX" -std=c++17 -Wall -Wextra -pedantic -Werror -fsyntax-only -I"$prefix/include" \
    "$work/header_cxx.cpp" || die "regpath.h with regpath.hpp does not compile as C++17"
  echo "OK: regpath.h and regpath.hpp together compile as C++17"
  ;;

c_cmake)
  cmake_example c c_cmake
  check_output "$work/c_cmake.out" "C example, find_package, shared"
  ;;

c_cmake_static)
  cmake_example c c_cmake_static -DREGPATH_EXAMPLE_STATIC=ON
  if objdump -p "$work/c_cmake_static/fit_path" | grep -q 'NEEDED.*libregpath'; then
    die "the static build needs libregpath.so"
  fi
  check_output "$work/c_cmake_static.out" "C example, find_package, static"
  ;;

c_pkgconfig)
  need_install
  command -v pkg-config >/dev/null || skip "no pkg-config"
  libdir=$(libdir_of "$prefix")
  export PKG_CONFIG_PATH=$libdir/pkgconfig
  pkg-config --exists --print-errors regpath || die "pkg-config does not find regpath.pc"
  echo "pkg-config --modversion regpath: $(pkg-config --modversion regpath)"
  # shellcheck disable=SC2046  # the flags are words
  "$CC" -std=c99 -Wall -Wextra -Werror "$(docdir_of "$prefix")/c/fit_path.c" \
    $(pkg-config --cflags --libs regpath) -lm -Wl,-rpath,"$libdir" -o "$work/c_pkgconfig" ||
    die "C example with pkg-config: build"
  "$work/c_pkgconfig" >"$work/c_pkgconfig.out" || die "C example with pkg-config: run"
  check_output "$work/c_pkgconfig.out" "C example, pkg-config, shared"
  ;;

c_pkgconfig_static)
  need_install
  command -v pkg-config >/dev/null || skip "no pkg-config"
  moved=$work/moved_static
  rm -rf "$moved"
  cp -a "$prefix" "$moved"
  libdir=$(libdir_of "$moved")
  rm -f "$libdir"/libregpath.so*
  export PKG_CONFIG_PATH=$libdir/pkgconfig
  flags=$(pkg-config --cflags --libs --static regpath)
  echo "pkg-config --cflags --libs --static regpath: $flags"
  case $flags in *"$moved"*) ;; *) die "regpath.pc is not relocatable: $flags" ;; esac
  # shellcheck disable=SC2086
  "$CC" -std=c99 -Wall -Wextra -Werror "$(docdir_of "$moved")/c/fit_path.c" $flags -lm \
    -o "$work/c_pkgconfig_static" || die "C example with pkg-config --static: build"
  "$work/c_pkgconfig_static" >"$work/c_pkgconfig_static.out" || die "static C example: run"
  check_output "$work/c_pkgconfig_static.out" "C example, pkg-config --static"
  ;;

fortran_cmake)
  command -v "$FC" >/dev/null || skip "no Fortran compiler ($FC)"
  cmake_example fortran fortran_cmake -DCMAKE_Fortran_COMPILER="$(command -v "$FC")"
  check_output "$work/fortran_cmake.out" "Fortran example, find_package"
  ;;

fortran_pkgconfig)
  need_install
  command -v "$FC" >/dev/null || skip "no Fortran compiler ($FC)"
  command -v pkg-config >/dev/null || skip "no pkg-config"
  libdir=$(libdir_of "$prefix")
  export PKG_CONFIG_PATH=$libdir/pkgconfig
  mkdir -p "$work/fortran_pkgconfig"
  # shellcheck disable=SC2046
  (cd "$work/fortran_pkgconfig" &&
    "$FC" -std=f2008 -Wall -Werror "$(docdir_of "$prefix")/fortran/regpath_c.f90" \
      "$(docdir_of "$prefix")/fortran/fit_path.f90" \
      $(pkg-config --cflags --libs regpath) -Wl,-rpath,"$libdir" -o fit_path) ||
    die "Fortran example with pkg-config: build"
  "$work/fortran_pkgconfig/fit_path" >"$work/fortran_pkgconfig.out" || die "Fortran example: run"
  check_output "$work/fortran_pkgconfig.out" "Fortran example, pkg-config"
  ;;

mpi_cmake)
  need_install
  command -v mpicc >/dev/null && command -v mpiexec >/dev/null || skip "no MPI (mpicc, mpiexec)"
  printf '#include <regpath/regpath_mpi.h>\n%s\n' \
    'int main(void) { return REGPATH_C_API_VERSION > 3 ? 0 : 1; }' >"$work/header_mpi.c"
  mpicc -std=c99 -Wall -Wextra -pedantic -Werror -fsyntax-only -I"$prefix/include" \
    "$work/header_mpi.c" || die "regpath_mpi.h is not clean C99 with mpicc"
  printf '#include <regpath/mpi.hpp>\n%s\n' \
    'int main() { return sizeof(regpath::MpiCommunicator) > 0 ? 0 : 1; }' >"$work/header_mpi.cpp"
  # (without MPI's deprecated C++ bindings, whose Open MPI headers warn under -Wextra)
  mpicxx -std=c++17 -Wall -Wextra -pedantic -Werror -fsyntax-only -DOMPI_SKIP_MPICXX=1 \
    -DMPICH_SKIP_MPICXX=1 -I"$prefix/include" "$work/header_mpi.cpp" ||
    die "regpath/mpi.hpp does not compile as C++17 with mpicxx"
  echo "OK: regpath_mpi.h (C99) and regpath/mpi.hpp (C++17) compile with this MPI"
  dir=$work/mpi_cmake
  rm -rf "$dir"
  "$CMAKE" -S "$(docdir_of "$prefix")/mpi" -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release >"$work/mpi_cmake.configure.log" 2>&1 ||
    { cat "$work/mpi_cmake.configure.log"; die "mpi_cmake: configure"; }
  "$CMAKE" --build "$dir" || die "mpi_cmake: build"
  mpi_flags=()
  if mpiexec --version 2>&1 | grep -Eq "Open MPI|OpenRTE"; then mpi_flags=(--oversubscribe); fi
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1  # CI machines run as root
  mpiexec -n 3 "${mpi_flags[@]}" "$dir/fit_rows" >"$work/mpi_c.out" ||
    { cat "$work/mpi_c.out"; die "MPI C example: run"; }
  check_output "$work/mpi_c.out" "MPI C example, 3 ranks"
  if [ -x "$dir/fit_rows_fortran" ]; then
    mpiexec -n 3 "${mpi_flags[@]}" "$dir/fit_rows_fortran" >"$work/mpi_fortran.out" ||
      { cat "$work/mpi_fortran.out"; die "MPI Fortran example: run"; }
    check_output "$work/mpi_fortran.out" "MPI Fortran example, 3 ranks"
  else
    echo "NOTE: the MPI Fortran example was not built (no Fortran compiler or MPI bindings)"
  fi
  ;;

all)
  self=$0
  status=0
  for s in install header c_cmake c_cmake_static c_pkgconfig c_pkgconfig_static fortran_cmake \
           fortran_pkgconfig mpi_cmake; do
    echo "== $s =="
    rc=0
    bash "$self" "$s" "$build" "$work" "$config" || rc=$?
    if [ $rc -eq 77 ]; then echo "(skipped)"; elif [ $rc -ne 0 ]; then status=1; fi
  done
  exit $status
  ;;

*)
  die "unknown step '$step'"
  ;;
esac
