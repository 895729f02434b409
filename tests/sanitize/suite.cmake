# Sanitizer runs as CTest tests of the main build (issue 8). Each configures, builds
# and runs another build tree; any sanitizer report aborts the test binary
# (-fno-sanitize-recover=all, halt_on_error) and so fails the run.
#
#   sanitize_asan   ASan + UBSan over the full doctest suite (build/asan)
#   sanitize_tsan   TSan over the threaded tests: 8 threads transforming through one
#                   loaded pipeline vs the single-threaded bits (build/tsan)
#
# The nested trees set REPREP_NESTED_BUILD, so they do not recurse into these tests.
if(REPREP_NESTED_BUILD)
  # Inside a nested tree: one target that builds every test executable (and nothing
  # else: no header check, benchmarks or examples), made after all areas are read.
  if(NOT COMMAND reprep_define_test_executables_target)
    function(reprep_define_test_executables_target)
      get_property(_targets DIRECTORY "${PROJECT_SOURCE_DIR}/tests" PROPERTY BUILDSYSTEM_TARGETS)
      set(_exes "")
      foreach(_t IN LISTS _targets)
        get_target_property(_type ${_t} TYPE)
        if(_type STREQUAL "EXECUTABLE")
          list(APPEND _exes ${_t})
        endif()
      endforeach()
      add_custom_target(reprep_test_executables DEPENDS ${_exes})
    endfunction()
    cmake_language(DEFER DIRECTORY "${PROJECT_SOURCE_DIR}/tests" CALL reprep_define_test_executables_target)
  endif()
  # The coverage preset: after its tests ran, `cmake --build build/coverage --target
  # coverage_report` writes line and branch coverage of include/ (gcovr).
  if(REPREP_COVERAGE AND NOT TARGET coverage_report)
    add_custom_target(coverage_report
      COMMAND gcovr --root "${PROJECT_SOURCE_DIR}" --filter "${PROJECT_SOURCE_DIR}/include/" --exclude-throw-branches
              --print-summary --txt "${CMAKE_BINARY_DIR}/coverage.txt"
              --html-details "${CMAKE_BINARY_DIR}/coverage.html" "${CMAKE_BINARY_DIR}"
      VERBATIM)
  endif()
  return()
endif()

option(REPREP_SANITIZE_TESTS "Run the ASan/UBSan and TSan builds as CTest tests (off by default: their CI time is not yet measured)" OFF)
if(NOT REPREP_SANITIZE_TESTS)
  return()
endif()

set(_reprep_nested "${CMAKE_CURRENT_LIST_DIR}/nested_build.sh")
set(_reprep_sanitizer_env
  "ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1"
  "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1"
  "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1")

# Tests that configure a build of their own (consumer projects, the header check) are
# left out: they do not run library code under the sanitizer.
add_test(NAME sanitize_asan
  COMMAND bash "${_reprep_nested}" "${PROJECT_SOURCE_DIR}" "${PROJECT_SOURCE_DIR}/build/asan" g++
          "-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
          reprep_test_executables -j2 -E "^(consumer|headers_)")
add_test(NAME sanitize_tsan
  COMMAND bash "${_reprep_nested}" "${PROJECT_SOURCE_DIR}" "${PROJECT_SOURCE_DIR}/build/tsan" g++
          "-O1 -g -fsanitize=thread"
          sanitize_threads -j2 -R "^sanitize_threads$")
set_tests_properties(sanitize_asan sanitize_tsan PROPERTIES
  ENVIRONMENT "${_reprep_sanitizer_env}"
  RESOURCE_LOCK reprep_heavy_build
  RUN_SERIAL TRUE
  TIMEOUT 3600
  LABELS "sanitize;slow")
