# Sanitizer runs as CTest tests of the main build (issue 8). Each runs a workflow
# preset of CMakePresets.json in its own tree; any sanitizer report aborts the test
# binary (-fno-sanitize-recover=all, halt_on_error) and so fails the run.
#
#   sanitize_asan   preset asan: ASan + UBSan over the full doctest suite (build/asan)
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

option(REPREP_SANITIZE_TESTS "Run the ASan/UBSan and TSan workflow presets as CTest tests (docs/reliability.md)" ON)
if(NOT REPREP_SANITIZE_TESTS)
  return()
endif()

# Tests that configure a build of their own (consumer projects, the header check)
# are left out by the asan test preset: they run no library code under the sanitizer.
foreach(_kind asan tsan)
  add_test(NAME sanitize_${_kind}
           COMMAND bash "${CMAKE_CURRENT_LIST_DIR}/run_preset.sh" "${PROJECT_SOURCE_DIR}" ${_kind})
endforeach()
# Each builds a tree of its own with -j2: alone, or it thrashes a 2-core machine.
set_tests_properties(sanitize_asan sanitize_tsan PROPERTIES
  RESOURCE_LOCK reprep_heavy_build
  RUN_SERIAL TRUE
  TIMEOUT 3600
  LABELS "sanitize;slow")
