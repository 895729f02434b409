# compose_row_allocations counts malloc-family calls as well as operator new. The
# executable's own references to the malloc family are redirected to counting wrappers
# by the linker (--wrap), rather than by defining malloc: under ASan (the dev tree) the
# sanitizer runtime owns malloc, and a second definition would fight its interceptors,
# while a wrapper simply calls through to it. GNU ld, gold and lld have --wrap; other
# linkers get the operator-new count only, and the reduction is listed in CTest.
set(_reprep_wrapped malloc calloc realloc aligned_alloc posix_memalign memalign)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang" AND NOT APPLE AND NOT WIN32)
  list(TRANSFORM _reprep_wrapped PREPEND "LINKER:--wrap=" OUTPUT_VARIABLE _reprep_wrap_flags)
  target_link_options(${REPREP_TEST_TARGET} PRIVATE ${_reprep_wrap_flags})
  target_compile_definitions(${REPREP_TEST_TARGET} PRIVATE REPREP_TEST_WRAPS_MALLOC=1)
elseif(COMMAND reprep_skipped_test)
  reprep_skipped_test(${REPREP_TEST_TARGET}_malloc
    "the linker has no --wrap: ${REPREP_TEST_TARGET} counts operator new only, not malloc and its family")
endif()
