# The exact-sum tests check every rounding against MPFR at a precision wide enough to
# hold any sum of doubles (and products of them) exactly.
target_link_libraries(${REPREP_TEST_TARGET} PRIVATE mpfr gmp)
