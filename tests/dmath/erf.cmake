target_link_libraries(${REPREP_TEST_TARGET} PRIVATE mpfr gmp)
