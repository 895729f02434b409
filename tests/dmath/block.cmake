# The same checks again in a unit with contraction allowed (GCC's default outside ISO
# mode) at the baseline ISA; _fpcontract.cpp files are left out of the directory's glob.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  reprep_add_test(dmath_block_fpcontract dmath/test_block_fpcontract.cpp)
  set_source_files_properties(dmath/test_block_fpcontract.cpp PROPERTIES COMPILE_OPTIONS "-O2;-ffp-contract=fast")
endif()
