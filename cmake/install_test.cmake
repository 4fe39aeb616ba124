# Tests of what regpath gives its users beyond the C++ tree (included from tests/CMakeLists.txt,
# after GoogleTest is found; needs cmake/install.cmake):
#
# - regpath_c_api_tests (CApi.*): the C API, linked against the shared library, so
#   that it sees only the exported symbols (with CUDA, also data in device memory);
# - install.* : `cmake --install` into a scratch prefix, then the C and Fortran examples built
#   against it with find_package and with pkg-config (shared and static), and regpath.h
#   compiled as strict C99, and the MPI examples on 3 ranks (tests/test_install.sh; a step
#   without pkg-config, gfortran or MPI is reported as skipped).
find_package(Threads REQUIRED)

# test_main.cpp: GoogleTest's main with the GPU check's per-test timeout and skip rule
add_executable(regpath_c_api_tests ${regpath_SOURCE_DIR}/tests/test_c_api.cpp
                                   ${regpath_SOURCE_DIR}/tests/test_c_api_model.cpp
                                   ${regpath_SOURCE_DIR}/tests/test_c_api_many.cpp
                                   ${regpath_SOURCE_DIR}/tests/test_c_api_csc.cpp
                                   ${regpath_SOURCE_DIR}/tests/test_main.cpp)
target_link_libraries(regpath_c_api_tests PRIVATE regpath_shared GTest::gtest Threads::Threads)
regpath_warnings(regpath_c_api_tests)
if(REGPATH_WITH_CUDA)  # device-memory input, from memory that the test allocates with cudaMalloc
  target_link_libraries(regpath_c_api_tests PRIVATE CUDA::cudart)
  target_compile_definitions(regpath_c_api_tests PRIVATE REGPATH_C_API_TEST_CUDA=1)
endif()
gtest_discover_tests(regpath_c_api_tests DISCOVERY_TIMEOUT 60)

set(_regpath_install_work ${CMAKE_CURRENT_BINARY_DIR}/install_test)
set(_regpath_install_script ${regpath_SOURCE_DIR}/tests/test_install.sh)
add_test(NAME install.install
         COMMAND bash ${_regpath_install_script} install ${PROJECT_BINARY_DIR}
                 ${_regpath_install_work} $<CONFIG>)
set_tests_properties(install.install PROPERTIES
  FIXTURES_SETUP regpath_installed
  ENVIRONMENT "CMAKE=${CMAKE_COMMAND}"
  TIMEOUT 120)
foreach(_regpath_step header c_cmake c_cmake_static c_pkgconfig c_pkgconfig_static fortran_cmake
                      fortran_pkgconfig mpi_cmake)
  add_test(NAME install.${_regpath_step}
           COMMAND bash ${_regpath_install_script} ${_regpath_step} ${PROJECT_BINARY_DIR}
                   ${_regpath_install_work} $<CONFIG>)
  set_tests_properties(install.${_regpath_step} PROPERTIES
    FIXTURES_REQUIRED regpath_installed
    ENVIRONMENT "CMAKE=${CMAKE_COMMAND}"
    SKIP_RETURN_CODE 77
    TIMEOUT 300)
endforeach()
