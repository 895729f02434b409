# The same checks again in a unit with contraction allowed (GCC's default outside ISO
# mode) and the baseline ISA; registered here because _fpcontract.cpp files are left
# out of the directory's glob. x86-64 only: elsewhere there is one path.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  reprep_add_test(numerics_isa_dispatch_fpcontract numerics/test_isa_dispatch_fpcontract.cpp)
  set_source_files_properties(numerics/test_isa_dispatch_fpcontract.cpp PROPERTIES COMPILE_OPTIONS "-O2;-ffp-contract=fast")
endif()
