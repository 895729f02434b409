// test_isa_dispatch.cpp's checks in a unit built at -O2 -ffp-contract=fast for the
// baseline ISA (tests/numerics/isa_dispatch.cmake): its contraction probe passes,
// because the baseline has no FMA, so only the wide kernels' own guard (isa.hpp) keeps
// a fused multiply-add out of the AVX-512 moments kernel.
#include "test_isa_dispatch.cpp"
