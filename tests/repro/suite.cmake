# The reproducibility matrix (issue 7, docs/reproducibility.md).
#
# Included by tests/CMakeLists.txt. It defines:
#   - repro_probe: one translation unit (tests/repro/probe.cpp), no doctest, linked
#     to reprep::reprep only, so each configuration of the matrix compiles one file;
#   - in the main build only: one CTest test per configuration. Each configures the
#     source tree with a CMake preset (CMakePresets.json, "repro-*") into
#     build/repro-<cfg>, builds only repro_probe, runs it (under qemu for aarch64 and s390x)
#     and compares its output with tests/golden/repro.txt, printing a unified diff on
#     mismatch. repro_dev checks the probe of the main build itself.
#
# Regenerate the golden file: tests/repro/regen_golden.sh

set(REPREP_REPRO_CONFIG "" CACHE STRING "Set by the repro-* presets: this build is one configuration of the matrix")
set(REPREP_REPRO_PROBE_ARGS "" CACHE STRING
    "Arguments the matrix test passes to repro_probe (the s390x preset: --no-checks, to bound the emulated run)")
option(REPREP_REPRO_FORCE_CONTRACTION
       "Compile repro_probe with -ffp-contract=fast -mfma after reprep's -ffp-contract=off (the guard must refuse it)" OFF)

# The quick preset turns the matrix off, and with it the probe (one heavy unit).
option(REPREP_REPRO_MATRIX "Build repro_probe and run the reproducibility matrix as CTest tests" ON)
if(NOT REPREP_REPRO_MATRIX AND REPREP_REPRO_CONFIG STREQUAL "")
  return()
endif()

# The forced-contraction configuration must be refused at start-up, so its probe is the
# guard alone (guard_probe.cpp): the same headers and the same first call, without
# compiling fits that never run.
if(REPREP_REPRO_FORCE_CONTRACTION)
  set(_probe_src "${CMAKE_CURRENT_LIST_DIR}/guard_probe.cpp")
else()
  set(_probe_src "${CMAKE_CURRENT_LIST_DIR}/probe.cpp")
endif()
add_executable(repro_probe "${_probe_src}")
target_link_libraries(repro_probe PRIVATE reprep::reprep reprep_warnings)
target_compile_definitions(repro_probe PRIVATE REPREP_TEST_DATA_DIR="${CMAKE_CURRENT_LIST_DIR}/../data"
                                               REPREP_GOLDEN_DIR="${CMAKE_CURRENT_LIST_DIR}/../golden")
find_package(Threads REQUIRED)
target_link_libraries(repro_probe PRIVATE Threads::Threads)
if(REPREP_REPRO_FORCE_CONTRACTION)
  # Source options come after the target's interface options, so they win: this unit
  # is compiled as a user who overrides reprep's -ffp-contract=off would compile it.
  set_source_files_properties("${_probe_src}" PROPERTIES COMPILE_OPTIONS "-ffp-contract=fast;-mfma")
endif()

# How to run the probe of this build (with the emulator when cross-compiling, and the
# preset's probe arguments); the test script reads it so that it needs no knowledge of
# the toolchain.
file(GENERATE OUTPUT "${PROJECT_BINARY_DIR}/repro_probe_command.txt"
     CONTENT "${CMAKE_CROSSCOMPILING_EMULATOR};$<TARGET_FILE:repro_probe>;${REPREP_REPRO_PROBE_ARGS}\n")

if(REPREP_REPRO_CONFIG STREQUAL "")
  set(_repro_golden "${CMAKE_CURRENT_LIST_DIR}/../golden/repro.txt")
  # The main build's own probe: in the dev tree compiled mode (the registry from
  # reprep_compiled) and REPREP_CHECK_BUILD_FLAGS (-O0), so it runs without the re-fit
  # checks, as gcc-O0 does; the optimised configurations of the matrix run them. At -O3
  # this unit cost 100-140 s of CPU for a check that compiled mode gives the golden bits.
  set(_repro_dev_args "")
  if(REPREP_CHECK_BUILD_FLAGS)
    target_compile_options(repro_probe PRIVATE ${REPREP_CHECK_BUILD_FLAGS})
    set(_repro_dev_args "-DPROBE_ARGS=--no-checks")
  endif()
  add_test(NAME repro_dev
           COMMAND ${CMAKE_COMMAND} -DPROBE=$<TARGET_FILE:repro_probe> ${_repro_dev_args} -DGOLDEN=${_repro_golden}
                   -DOUT=${CMAKE_CURRENT_BINARY_DIR}/repro_dev.txt -P "${CMAKE_CURRENT_LIST_DIR}/run_config.cmake")
  # The other configurations build trees of their own: only from the main build,
  # never again from inside a sanitizer or coverage tree (REPREP_NESTED_BUILD).
  if(REPREP_NESTED_BUILD)
    set_tests_properties(repro_dev PROPERTIES TIMEOUT 600 LABELS repro)
    return()
  endif()
  # name             expectation (avx512: always built, with AVX-512 code whatever the
  #                  host, so GCC's AVX-512 warnings are caught everywhere; run and
  #                  compared only where the CPU has AVX-512)
  set(_repro_matrix
    gcc-O0           golden
    gcc-O2           golden
    gcc-O3-native    golden
    gcc-O3-x86-64-v4 avx512
    clang-O2-libcxx  golden
    clang-O3-native  golden
    aarch64-qemu     golden
    s390x-qemu       golden
    fp-contract      refuse)
  # On a host whose CPU has every x86-64-v4 feature, -march=native includes them, so
  # repro_gcc-O3-native already builds and runs GCC's AVX-512 code: x86-64-v4 would be
  # a second -O3 GCC build of the same code (about 170 CPU-s, docs/ci.md). It runs (is
  # built, not run) only where the CPU lacks AVX-512, which native cannot cover.
  set(_v4_covered OFF)
  if(EXISTS /proc/cpuinfo)
    file(READ /proc/cpuinfo _cpuinfo)
    set(_v4_covered ON)
    foreach(_f avx512f avx512bw avx512cd avx512dq avx512vl)
      if(NOT _cpuinfo MATCHES " ${_f}( |\n)")
        set(_v4_covered OFF)
      endif()
    endforeach()
  endif()
  list(LENGTH _repro_matrix _n)
  math(EXPR _last "${_n} - 1")
  foreach(_i RANGE 0 ${_last} 2)
    math(EXPR _j "${_i} + 1")
    list(GET _repro_matrix ${_i} _cfg)
    list(GET _repro_matrix ${_j} _expect)
    if(_expect STREQUAL "avx512" AND _v4_covered)
      reprep_skipped_test(repro_${_cfg} "this CPU has every x86-64-v4 feature, so repro_gcc-O3-native builds and runs GCC's AVX-512 code")
      continue()
    endif()
    # The baseline-ISA x86 builds also run the probe on each narrower exact-kernel path
    # forced (isa.hpp): the dispatched paths must print the same golden file.
    set(_isa_args "")
    if(_cfg MATCHES "^(gcc-O2|clang-O2-libcxx)$")
      set(_isa_args "-DISA_PATHS=baseline,avx2")
    endif()
    add_test(NAME repro_${_cfg}
             COMMAND ${CMAKE_COMMAND} -DPRESET=repro-${_cfg} -DEXPECT=${_expect} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
                     -DGOLDEN=${_repro_golden} ${_isa_args} -P "${CMAKE_CURRENT_LIST_DIR}/run_config.cmake")
    # Each one compiles the whole library in one unit on one core (~1 GB): ctest -j2
    # runs two side by side, and COST starts them before the short tests (docs/ci.md).
    set_tests_properties(repro_${_cfg} PROPERTIES TIMEOUT 1500 COST 100 LABELS repro)
  endforeach()
  set_tests_properties(repro_dev PROPERTIES TIMEOUT 600 LABELS repro)
endif()
