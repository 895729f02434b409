# Runs CMD [ARGS] and compares its standard output with the file EXPECTED. With CLEAN,
# that directory is emptied first; on a mismatch the actual output is written to
# ACTUAL_DIR/<name of EXPECTED>.actual (in the build tree).
separate_arguments(_args UNIX_COMMAND "${ARGS}")
if(CLEAN)
  file(REMOVE_RECURSE "${CLEAN}")
endif()
execute_process(COMMAND ${CMD} ${_args} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${CMD} exited with ${rc}\n${out}\n${err}")
endif()
file(READ "${EXPECTED}" want)
if(NOT out STREQUAL want)
  get_filename_component(_name "${EXPECTED}" NAME)
  file(MAKE_DIRECTORY "${ACTUAL_DIR}")
  file(WRITE "${ACTUAL_DIR}/${_name}.actual" "${out}")
  message(FATAL_ERROR "output differs from ${EXPECTED} (actual output in ${ACTUAL_DIR}/${_name}.actual):\n--- expected\n${want}\n--- actual\n${out}")
endif()
