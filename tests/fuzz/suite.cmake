# libFuzzer targets (issue 8), built with Debian's clang-14 in their own tree.
#
#   fuzz_artifact  every artifact kind + load_pipeline_bytes (checksum re-sealed)
#   fuzz_csv       read_csv_string, with a write/read round-trip oracle
#   fuzz_row       RowPlan::run on decoded records vs the batch path
#
# In the main build, the CTest test `fuzz_bounded` runs the workflow preset fuzz:
# build/fuzz with clang++-14 and REPREP_FUZZ=ON, the three targets, each run for
# REPREP_FUZZ_SECONDS from the committed seeds (tests/fuzz/corpus/<target>; new
# inputs go to build/fuzz/corpus, the committed seeds never change). A crash, a
# sanitizer report, a non-reprep exception or a broken invariant fails the test;
# the reproducer is left in build/fuzz/crash-*. Each crash found becomes a
# regression test in tests/fuzz/test_regressions.cpp.
set(REPREP_FUZZ_SECONDS 40 CACHE STRING "Seconds each fuzz target runs in the bounded CTest fuzz run")

if(REPREP_FUZZ)
  if(NOT TARGET reprep_fuzzers)
    add_custom_target(reprep_fuzzers)
    # CI's bounded runs are reproducible: a fixed seed and a fixed number of runs (each
    # count is two thirds of what passed with this seed in 60 s on the 2-core machine on
    # 2026-12-06, cut to keep the clean CI run within its budget: docs/ci.md), so a red run
    # is a change's doing and can be replayed. Open-ended exploration is the long runs of
    # docs/reliability.md; what they find goes to tests/fuzz/regressions once fixed, or to
    # tests/fuzz/open while it is not (tests/fuzz/open/README.md).
    set(_runs_artifact 200000)
    set(_runs_csv 125000)
    set(_runs_row 260000)
    # The targets' code, compiled once for the three executables (tests/fuzz/targets.cpp).
    # -fsanitize=fuzzer-no-link instruments it for coverage without a main of its own.
    add_library(reprep_fuzz_targets OBJECT EXCLUDE_FROM_ALL "${CMAKE_CURRENT_LIST_DIR}/targets.cpp")
    target_link_libraries(reprep_fuzz_targets PUBLIC reprep::reprep reprep_warnings)
    target_compile_definitions(reprep_fuzz_targets PRIVATE REPREP_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
    target_compile_options(reprep_fuzz_targets PRIVATE -O1 -g -fsanitize=fuzzer-no-link,address,undefined
                                                       -fno-sanitize-recover=all)
    foreach(_f artifact csv row)
      add_executable(fuzz_${_f} EXCLUDE_FROM_ALL "${CMAKE_CURRENT_LIST_DIR}/fuzz_${_f}.cpp")
      target_link_libraries(fuzz_${_f} PRIVATE reprep_fuzz_targets reprep::reprep reprep_warnings)
      target_compile_options(fuzz_${_f} PRIVATE -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)
      target_link_options(fuzz_${_f} PRIVATE -fsanitize=fuzzer,address,undefined)
      add_dependencies(reprep_fuzzers fuzz_${_f})
      set(_work "${CMAKE_BINARY_DIR}/corpus/${_f}")
      file(MAKE_DIRECTORY "${_work}")
      add_test(NAME fuzz_run_${_f}
        COMMAND fuzz_${_f} -seed=1 -runs=${_runs_${_f}} -max_total_time=${REPREP_FUZZ_SECONDS} -rss_limit_mb=2048 -max_len=8192
                -print_final_stats=1 -artifact_prefix=${CMAKE_BINARY_DIR}/crash-${_f}-
                "${_work}" "${CMAKE_CURRENT_LIST_DIR}/corpus/${_f}")
      set_tests_properties(fuzz_run_${_f} PROPERTIES TIMEOUT 1200
        ENVIRONMENT "ASAN_OPTIONS=halt_on_error=1:detect_leaks=1;UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1")
    endforeach()
  endif()
  return()
endif()
if(REPREP_NESTED_BUILD)
  return()
endif()

option(REPREP_FUZZ_TESTS "Run the bounded libFuzzer runs (workflow preset fuzz, needs clang-14) as a CTest test" ON)
find_program(REPREP_CLANGXX_14 clang++-14)
if(REPREP_FUZZ_TESTS AND REPREP_CLANGXX_14)
  add_test(NAME fuzz_bounded
           COMMAND bash "${PROJECT_SOURCE_DIR}/tests/sanitize/run_preset.sh" "${PROJECT_SOURCE_DIR}" fuzz)
  # Three units, then three single-core runs: it shares the machine with one other
  # test (ctest -j2); COST starts it early (docs/ci.md).
  set_tests_properties(fuzz_bounded PROPERTIES TIMEOUT 3600 COST 300 LABELS "fuzz;slow")
elseif(REPREP_FUZZ_TESTS)
  message(WARNING "clang++-14 not found: the bounded fuzz run is not part of ctest (install clang-14 libclang-rt-14-dev)")
endif()
