# Installation (`cmake --install BUILD [--prefix PREFIX]`): the public headers, the static and
# the shared library, the command-line tool, a CMake package (find_package(regpath) gives
# regpath::regpath, the shared library, and regpath::regpath_static), regpath.pc for pkg-config,
# and the C and Fortran examples. Included from the top-level CMakeLists.txt once the regpath and
# regpath_exe targets are defined (the CUDA sources included); nothing else is needed.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# ---- the two libraries, from one compilation -----------------------------------------------------
# `regpath` is the static library that the tests and the command-line tool link (the tests reach
# into its internals). Its objects are compiled once, position-independent and with every symbol
# hidden except the API (REGPATH_EXPORT in regpath.h and regpath.hpp), and linked a second time
# as the shared library `regpath_shared` (libregpath.so).
get_target_property(_regpath_type regpath TYPE)
if(NOT _regpath_type STREQUAL "STATIC_LIBRARY")
  message(FATAL_ERROR "cmake/install.cmake: the regpath target must be a static library "
                      "(add_library(regpath STATIC ...)); the shared library is built from its "
                      "objects as regpath_shared (BUILD_SHARED_LIBS has no effect on regpath)")
endif()
set_target_properties(regpath PROPERTIES
  POSITION_INDEPENDENT_CODE ON
  CXX_VISIBILITY_PRESET hidden
  CUDA_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON
  EXPORT_NAME regpath_static)

# The libraries regpath links (BLAS, threads; the static cudart and libdl with CUDA), as the
# CMakeLists and cmake/cuda_backend.cmake set them.
get_target_property(_regpath_link_libraries regpath LINK_LIBRARIES)
if(NOT _regpath_link_libraries)
  set(_regpath_link_libraries "")
endif()

add_library(regpath_shared SHARED $<TARGET_OBJECTS:regpath>)
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_regpath_soversion "${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}")  # 0.x: any minor may break
else()
  set(_regpath_soversion "${PROJECT_VERSION_MAJOR}")
endif()
set_target_properties(regpath_shared PROPERTIES
  OUTPUT_NAME regpath
  EXPORT_NAME regpath
  LINKER_LANGUAGE CXX
  VERSION ${PROJECT_VERSION}
  SOVERSION ${_regpath_soversion}
  # keep the path to libraries outside the default search path (the CUDA toolkit's)
  INSTALL_RPATH_USE_LINK_PATH ON)
target_include_directories(regpath_shared PUBLIC
  $<BUILD_INTERFACE:${regpath_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_link_libraries(regpath_shared PRIVATE ${_regpath_link_libraries})
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  # Every dependency linked; and exactly the API exported: the visibility settings hide
  # regpath's own internals, but instantiations of std:: templates keep libstdc++'s default
  # visibility (std::vector<double>::_M_fill_assign, ...), so a version script hides those too.
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/regpath_exports.map [=[
{
  global:
    regpath_*;
    extern "C++" {
      regpath::fit*;
      regpath::to_string*;
      regpath::validate_options*;
      regpath::cuda_available*;
      regpath::version*;
      regpath::make_model*;
      regpath::model_to_json*;
      regpath::model_from_json*;
      regpath::save_model*;
      regpath::load_model*;
      regpath::coefficients*;
      regpath::default_lambdas*;
      regpath::predict*;
    };
  local: *;
};
]=])
  target_link_options(regpath_shared PRIVATE LINKER:--no-undefined
    LINKER:--version-script=${CMAKE_CURRENT_BINARY_DIR}/regpath_exports.map)
  set_property(TARGET regpath_shared APPEND PROPERTY
    LINK_DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/regpath_exports.map)
endif()
add_library(regpath::regpath_shared ALIAS regpath_shared)
set_target_properties(regpath_exe PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)

# ---- what is installed --------------------------------------------------------------------------
set(REGPATH_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/regpath"
    CACHE STRING "Where the CMake package files of regpath are installed (relative to the prefix)")
set(REGPATH_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
    CACHE STRING "Where regpath.pc is installed (relative to the prefix)")

install(TARGETS regpath regpath_shared
  EXPORT regpathTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT regpath_Development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT regpath_Runtime
          NAMELINK_COMPONENT regpath_Development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT regpath_Runtime)
install(TARGETS regpath_exe RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT regpath_Runtime)
install(DIRECTORY ${regpath_SOURCE_DIR}/include/regpath
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT regpath_Development
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")

# The CMake package: regpathConfig.cmake, its version file and the exported targets.
install(EXPORT regpathTargets
  NAMESPACE regpath::
  FILE regpathTargets.cmake
  DESTINATION ${REGPATH_INSTALL_CMAKEDIR} COMPONENT regpath_Development)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/regpathConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/regpathConfig.cmake
  INSTALL_DESTINATION ${REGPATH_INSTALL_CMAKEDIR})
# 0.x: a newer minor version may change the API, so only the same minor version is compatible.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_regpath_compatibility SameMinorVersion)
else()
  set(_regpath_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/regpathConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY ${_regpath_compatibility})
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/regpathConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/regpathConfigVersion.cmake
  DESTINATION ${REGPATH_INSTALL_CMAKEDIR} COMPONENT regpath_Development)

# regpath.pc. Libs.private: what a static link needs besides libregpath.a (BLAS, the C++
# runtime, pthreads, and the static cudart + libdl with CUDA; cuBLAS is loaded at run time,
# not linked).
# The prefix is found from the .pc file's own place (${pcfiledir}), so the installed tree can be
# moved and `--prefix` may differ from CMAKE_INSTALL_PREFIX.
function(_regpath_pkgconfig_libs out)
  set(flags "")
  foreach(item IN LISTS ARGN)
    if(item MATCHES "^-")                          # -lfoo, -pthread, -fopenmp
      list(APPEND flags "${item}")
    elseif(item STREQUAL "Threads::Threads")
      list(APPEND flags "-pthread")
    elseif(item MATCHES "::")                      # another imported target: nothing to say
    elseif(IS_ABSOLUTE "${item}")
      get_filename_component(dir "${item}" DIRECTORY)
      get_filename_component(name "${item}" NAME)
      if(name MATCHES "^lib(.+)\\.(so|a|dylib)(\\..*)?$")
        if(NOT dir IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES)  # the compiler searches those
          list(APPEND flags "-L${dir}")
        endif()
        list(APPEND flags "-l${CMAKE_MATCH_1}")
      else()
        list(APPEND flags "${item}")
      endif()
    elseif(item)
      list(APPEND flags "-l${item}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES flags)
  list(JOIN flags " " flags)
  set(${out} "${flags}" PARENT_SCOPE)
endfunction()
_regpath_pkgconfig_libs(_regpath_pc_blas ${BLAS_LINKER_FLAGS} ${BLAS_LIBRARIES})
set(REGPATH_PC_LIBS_PRIVATE "${_regpath_pc_blas}")
if(REGPATH_WITH_CUDA)
  string(APPEND REGPATH_PC_LIBS_PRIVATE
         " -L${CUDAToolkit_LIBRARY_DIR} -lcudart_static -lrt")
  foreach(_regpath_dl IN LISTS CMAKE_DL_LIBS)  # dlopen of cuBLAS ("dl"; empty on newer glibc)
    string(APPEND REGPATH_PC_LIBS_PRIVATE " -l${_regpath_dl}")
  endforeach()
endif()
string(APPEND REGPATH_PC_LIBS_PRIVATE " -pthread")  # the responses' threads
string(APPEND REGPATH_PC_LIBS_PRIVATE " -lstdc++ -lm")
string(STRIP "${REGPATH_PC_LIBS_PRIVATE}" REGPATH_PC_LIBS_PRIVATE)
if(IS_ABSOLUTE "${REGPATH_INSTALL_PKGCONFIGDIR}")
  set(REGPATH_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  set(REGPATH_PC_PREFIX "\${pcfiledir}")
  string(REGEX REPLACE "[^/]+" ".." _regpath_up "${REGPATH_INSTALL_PKGCONFIGDIR}")
  string(APPEND REGPATH_PC_PREFIX "/${_regpath_up}")
endif()
foreach(_regpath_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_regpath_dir}}")
    set(REGPATH_PC_${_regpath_dir} "${CMAKE_INSTALL_${_regpath_dir}}")
  else()
    set(REGPATH_PC_${_regpath_dir} "\${prefix}/${CMAKE_INSTALL_${_regpath_dir}}")
  endif()
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/regpath.pc.in ${CMAKE_CURRENT_BINARY_DIR}/regpath.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/regpath.pc
  DESTINATION ${REGPATH_INSTALL_PKGCONFIGDIR} COMPONENT regpath_Development)

# The examples, to copy from: C (CMake and pkg-config builds) and Fortran.
install(DIRECTORY ${regpath_SOURCE_DIR}/examples/
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples COMPONENT regpath_Development)
