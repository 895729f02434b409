# reprep::mpi::fit (docs/distributed.md, "MPI"): one small program, run under mpirun
# with 1, 2, 3 and 4 ranks (oversubscribed on a small machine; CI runs as root). Built
# without the sanitizers in every tree (OpenMPI and ASan do not mix), at -O0 as the
# other tests. Registered only when MPI is found
# (Debian's libopenmpi-dev and openmpi-bin); otherwise listed as skipped.
find_package(MPI COMPONENTS CXX QUIET)
if(MPI_CXX_FOUND AND MPIEXEC_EXECUTABLE)
  add_executable(distributed_mpi_fit ${CMAKE_CURRENT_LIST_DIR}/mpi_fit.cpp)
  target_link_libraries(distributed_mpi_fit PRIVATE reprep::reprep MPI::MPI_CXX reprep_warnings)
  target_compile_options(distributed_mpi_fit PRIVATE -O0)
  target_compile_definitions(distributed_mpi_fit PRIVATE REPREP_TEST_DATA_DIR="${CMAKE_CURRENT_LIST_DIR}/../data")
  foreach(_k 1 2 3 4)
    add_test(NAME distributed_mpi_fit_np${_k}
             COMMAND ${MPIEXEC_EXECUTABLE} --allow-run-as-root --oversubscribe ${MPIEXEC_NUMPROC_FLAG} ${_k}
                     ${MPIEXEC_PREFLAGS} $<TARGET_FILE:distributed_mpi_fit> ${MPIEXEC_POSTFLAGS})
    set_tests_properties(distributed_mpi_fit_np${_k} PROPERTIES TIMEOUT 300 PROCESSORS ${_k})
  endforeach()
else()
  foreach(_k 1 2 3 4)
    reprep_skipped_test(distributed_mpi_fit_np${_k} "MPI not found (install libopenmpi-dev and openmpi-bin)")
  endforeach()
endif()

# Out-of-core fitting at scale (docs/distributed.md, "The out-of-core test"): a
# 2·10^7-row CSV fitted through CsvChunks under a peak-RSS bound, then in memory, with
# the same bytes. Its own program, built without the sanitizers (they inflate RSS) and at
# -O2 in every tree (at the tests' -O0 it would run for minutes). COST starts it early.
option(REPREP_OUT_OF_CORE_TEST "Build and run the 2e7-row out-of-core test (label slow)" ON)
if(REPREP_OUT_OF_CORE_TEST)
  add_executable(distributed_out_of_core ${CMAKE_CURRENT_LIST_DIR}/out_of_core.cpp)
  target_link_libraries(distributed_out_of_core PRIVATE reprep::reprep reprep_warnings)
  target_compile_options(distributed_out_of_core PRIVATE -O2)
  add_test(NAME distributed_out_of_core COMMAND distributed_out_of_core)
  set_tests_properties(distributed_out_of_core PROPERTIES TIMEOUT 900 COST 200 LABELS slow)
else()
  # The quick preset turns it off: it would not run there (label slow), so it is not built.
  reprep_skipped_test(distributed_out_of_core "REPREP_OUT_OF_CORE_TEST is OFF (the quick preset leaves it out)")
  set_tests_properties(distributed_out_of_core PROPERTIES LABELS slow)
endif()
