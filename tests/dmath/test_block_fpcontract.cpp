// test_block.cpp's checks in a unit built at -O2 -ffp-contract=fast for the baseline ISA
// (tests/dmath/block.cmake): the wide paths of the block functions run in a unit where
// the compiler may contract, and must still give the scalar functions' bits.
#include "test_block.cpp"
