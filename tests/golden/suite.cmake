# parity_golden_regen: tests/golden/check_golden.py regenerates a sample of the
# scikit-learn/numpy golden files into the build tree and compares them byte for byte with
# the committed ones, so a generator that stops reproducing them (on this CPU, or with this
# Python stack) fails here rather than in a later regeneration. About 3 s.
# Included by tests/CMakeLists.txt (a tests/<area>/suite.cmake); named like the parity
# tests, which read these files.
set(REPREP_GOLDEN_PYTHON "" CACHE FILEPATH
  "Python 3 with numpy, scipy and scikit-learn for parity_golden_regen (default: /usr/bin/python3, else python3 on PATH)")
set(_golden_python "${REPREP_GOLDEN_PYTHON}")
if(NOT _golden_python)
  if(EXISTS /usr/bin/python3)
    set(_golden_python /usr/bin/python3)  # Debian's, with python3-sklearn (the generators' own)
  else()
    find_package(Python3 COMPONENTS Interpreter QUIET)
    set(_golden_python "${Python3_EXECUTABLE}")
  endif()
endif()
set(_golden_python_ok FALSE)
if(_golden_python)
  execute_process(COMMAND "${_golden_python}" -c "import numpy, scipy, sklearn"
                  RESULT_VARIABLE _golden_rc OUTPUT_QUIET ERROR_QUIET)
  if(_golden_rc EQUAL 0)
    set(_golden_python_ok TRUE)
  endif()
endif()
if(_golden_python_ok)
  add_test(NAME parity_golden_regen
           COMMAND "${_golden_python}" "${CMAKE_CURRENT_LIST_DIR}/check_golden.py"
                   "${CMAKE_CURRENT_BINARY_DIR}/golden_regen")
  set_tests_properties(parity_golden_regen PROPERTIES LABELS parity TIMEOUT 120)
else()
  reprep_skipped_test(parity_golden_regen
    "no python3 with numpy, scipy and scikit-learn ('${_golden_python}'; set REPREP_GOLDEN_PYTHON)")
endif()
