# One configuration of the reproducibility matrix (cmake -P).
#
#   -DPRESET=repro-<cfg> -DSOURCE_DIR=<repo> -DGOLDEN=<repro.txt> -DEXPECT=golden|refuse
#       configure the source tree with that preset, build repro_probe only, run it;
#   -DPROBE=<binary> -DGOLDEN=<repro.txt> [-DOUT=<file>] [-DPROBE_ARGS=<args>]
#       just run an already built probe (the main build's).
#   -DISA_PATHS=baseline,avx2 (with either form): after the run at the CPU's own path,
#       run the probe again with each exact-kernel path forced (REPREP_MAX_ISA,
#       core/detail/isa.hpp), with --no-checks; each run must print the golden file too.
#
# EXPECT=golden: the probe must exit 0 and print exactly the golden file; otherwise a
# unified diff is printed and the test fails. EXPECT=refuse: the probe must be refused
# by the floating-point guard (exit code 3, an EnvironmentError line).
# EXPECT=avx512: like golden where the host CPU has AVX-512 (avx512f in /proc/cpuinfo);
# elsewhere the probe is only built, which is what catches AVX-512 compile errors.
if(NOT DEFINED EXPECT)
  set(EXPECT golden)
endif()

function(run_or_die what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                  WORKING_DIRECTORY "${SOURCE_DIR}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

string(TIMESTAMP _t0 "%s")
if(DEFINED PRESET)
  # Presets are read from the source directory's CMakePresets.json.
  run_or_die("configure" ${CMAKE_COMMAND} --preset ${PRESET})
  run_or_die("build" ${CMAKE_COMMAND} --build --preset ${PRESET})
  set(_bin "${SOURCE_DIR}/build/${PRESET}")
  file(STRINGS "${_bin}/repro_probe_command.txt" _cmd LIMIT_COUNT 1)
  list(FILTER _cmd EXCLUDE REGEX "^$")
  set(OUT "${_bin}/repro.txt")
else()
  set(_cmd "${PROBE}" ${PROBE_ARGS})
  if(NOT DEFINED OUT)
    get_filename_component(_dir "${PROBE}" DIRECTORY)
    set(OUT "${_dir}/repro.txt")
  endif()
endif()
string(TIMESTAMP _t1 "%s")

if(EXPECT STREQUAL "avx512")
  set(_cpuinfo "")
  if(EXISTS /proc/cpuinfo)
    file(READ /proc/cpuinfo _cpuinfo)
  endif()
  if(NOT _cpuinfo MATCHES "avx512f")
    math(EXPR _build_s "${_t1} - ${_t0}")
    message(STATUS "built in ${_build_s} s; not run: this CPU has no AVX-512")
    return()
  endif()
  set(EXPECT golden)
endif()

execute_process(COMMAND ${_cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(TIMESTAMP _t2 "%s")
file(WRITE "${OUT}" "${out}")
math(EXPR _build_s "${_t1} - ${_t0}")
math(EXPR _run_s "${_t2} - ${_t1}")
message(STATUS "build ${_build_s} s, run ${_run_s} s; output in ${OUT}")

if(EXPECT STREQUAL "refuse")
  if(NOT rc EQUAL 3 OR NOT out MATCHES "^fp_environment refused EnvironmentError: .*contraction")
    message(FATAL_ERROR "the forced-contraction build was not refused by check_fp_environment() "
                        "(exit ${rc}, expected 3):\n${out}\n${err}")
  endif()
  message(STATUS "refused as expected: ${out}")
  return()
endif()

if(NOT rc EQUAL 0)
  message(FATAL_ERROR "repro_probe exited with ${rc}:\n${err}")
endif()
file(READ "${GOLDEN}" _golden)
if(NOT out STREQUAL _golden)
  # The diff goes straight to our stdout: message() would re-wrap its lines.
  find_program(_diff diff)
  if(_diff)
    execute_process(COMMAND ${_diff} -u "${GOLDEN}" "${OUT}")
  else()
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${GOLDEN}" "${OUT}")
  endif()
  message(FATAL_ERROR "repro_probe output (${OUT}) differs from ${GOLDEN}: see the diff above")
endif()
message(STATUS "identical to ${GOLDEN}")

# These runs print the golden file only, without the in-run re-fit checks (the first
# run made them), which would double the configuration's run time.
string(REPLACE "," ";" _isa_paths "${ISA_PATHS}")
set(_isa_cmd ${_cmd})
list(FIND _isa_cmd --no-checks _has_no_checks)  # a -P script has no IN_LIST (policy CMP0057)
if(_has_no_checks EQUAL -1)
  list(APPEND _isa_cmd --no-checks)
endif()
foreach(_isa IN LISTS _isa_paths)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env REPREP_MAX_ISA=${_isa} ${_isa_cmd}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  file(WRITE "${OUT}.${_isa}" "${out}")
  if(NOT rc EQUAL 0 OR NOT out STREQUAL _golden)
    find_program(_diff diff)
    if(_diff)
      execute_process(COMMAND ${_diff} -u "${GOLDEN}" "${OUT}.${_isa}")
    endif()
    message(FATAL_ERROR "repro_probe with REPREP_MAX_ISA=${_isa} (exit ${rc}) differs from ${GOLDEN}:\n${err}")
  endif()
  message(STATUS "REPREP_MAX_ISA=${_isa}: identical to ${GOLDEN}")
endforeach()
