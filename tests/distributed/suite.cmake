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
