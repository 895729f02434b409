target_link_libraries(${REPREP_TEST_TARGET} PRIVATE mpfr gmp)
# binary128 (libquadmath) is the fast screen of the tiered accuracy check; without it the
# test measures a subset with MPFR only.
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_LIBRARIES quadmath)
# quadmath.h ships in GCC's private include directory. Clang links libquadmath but does
# not search that directory; add it after every other one, so that Clang's own
# intrinsic headers are never shadowed by GCC's.
set(_reprep_quadmath_flags "")
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND CMAKE_LIBRARY_ARCHITECTURE)
  file(GLOB _reprep_quadmath_h "/usr/lib/gcc/${CMAKE_LIBRARY_ARCHITECTURE}/*/include/quadmath.h")
  if(_reprep_quadmath_h)
    list(SORT _reprep_quadmath_h)
    list(GET _reprep_quadmath_h -1 _reprep_quadmath_h)
    get_filename_component(_reprep_quadmath_dir "${_reprep_quadmath_h}" DIRECTORY)
    set(_reprep_quadmath_flags "-idirafter;${_reprep_quadmath_dir}")
  endif()
endif()
list(JOIN _reprep_quadmath_flags " " CMAKE_REQUIRED_FLAGS)
check_cxx_source_compiles("#include <quadmath.h>
int main() { __float128 q = erfcq((__float128)1.5); return q > 1 ? 1 : 0; }" REPREP_HAVE_QUADMATH)
unset(CMAKE_REQUIRED_LIBRARIES)
unset(CMAKE_REQUIRED_FLAGS)
if(REPREP_HAVE_QUADMATH)
  target_compile_options(${REPREP_TEST_TARGET} PRIVATE ${_reprep_quadmath_flags})
  target_link_libraries(${REPREP_TEST_TARGET} PRIVATE quadmath)
  target_compile_definitions(${REPREP_TEST_TARGET} PRIVATE REPREP_TEST_HAVE_QUADMATH=1)
else()
  target_compile_definitions(${REPREP_TEST_TARGET} PRIVATE REPREP_TEST_HAVE_QUADMATH=0)
  reprep_skipped_test(${REPREP_TEST_TARGET}_full_sweep
    "no libquadmath: ${REPREP_TEST_TARGET} checks 1/25 of the arguments with MPFR only (REPREP_DMATH_FULL=1 runs them all)")
endif()
