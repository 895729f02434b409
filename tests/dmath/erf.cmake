target_link_libraries(${REPREP_TEST_TARGET} PRIVATE mpfr gmp)
# binary128 (libquadmath) is the fast screen of the tiered accuracy check; without it the
# test measures a subset with MPFR only.
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_LIBRARIES quadmath)
check_cxx_source_compiles("#include <quadmath.h>
int main() { __float128 q = erfcq((__float128)1.5); return q > 1 ? 1 : 0; }" REPREP_HAVE_QUADMATH)
unset(CMAKE_REQUIRED_LIBRARIES)
if(REPREP_HAVE_QUADMATH)
  target_link_libraries(${REPREP_TEST_TARGET} PRIVATE quadmath)
  target_compile_definitions(${REPREP_TEST_TARGET} PRIVATE REPREP_TEST_HAVE_QUADMATH=1)
else()
  target_compile_definitions(${REPREP_TEST_TARGET} PRIVATE REPREP_TEST_HAVE_QUADMATH=0)
  reprep_skipped_test(${REPREP_TEST_TARGET}_full_sweep
    "no libquadmath: ${REPREP_TEST_TARGET} checks 1/25 of the arguments with MPFR only (REPREP_DMATH_FULL=1 runs them all)")
endif()
