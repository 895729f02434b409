# Sanitizer runs (docs/reliability.md, docs/ci.md). ASan + UBSan need no tree of
# their own: the dev preset builds every test executable with them (REPREP_TEST_FLAGS
# in tests/CMakeLists.txt), so each doctest runs under the sanitizers once. TSan cannot
# share a process with ASan, so it runs a workflow preset in its own tree:
#
#   sanitize_tsan   preset tsan: 8 threads transforming through one loaded pipeline
#                   vs the single-threaded bits (build/tsan)
#
# The preset trees set REPREP_NESTED_BUILD, so they do not recurse into these tests.
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
  # coverage_report` writes line and branch coverage of include/ (gcovr). The preset
  # counts with -fprofile-update=atomic: plain counters of threaded code wrap to
  # negative values, which gcovr rejects.
  if(REPREP_COVERAGE AND NOT TARGET coverage_report)
    add_custom_target(coverage_report
      COMMAND gcovr --root "${PROJECT_SOURCE_DIR}" --filter "${PROJECT_SOURCE_DIR}/include/" --exclude-throw-branches
              --print-summary --txt "${CMAKE_BINARY_DIR}/coverage.txt"
              --html-details "${CMAKE_BINARY_DIR}/coverage.html" "${CMAKE_BINARY_DIR}"
      VERBATIM)
  endif()
  return()
endif()

option(REPREP_SANITIZE_TESTS "Run the TSan workflow preset as a CTest test (docs/reliability.md)" ON)
if(NOT REPREP_SANITIZE_TESTS)
  return()
endif()

add_test(NAME sanitize_tsan
         COMMAND bash "${CMAKE_CURRENT_LIST_DIR}/run_preset.sh" "${PROJECT_SOURCE_DIR}" tsan)
# One unit built with -j2, then one test: it shares the machine with one other test
# (ctest -j2). COST starts it early, beside the long repro builds.
set_tests_properties(sanitize_tsan PROPERTIES TIMEOUT 1800 COST 60 LABELS "sanitize;slow")
