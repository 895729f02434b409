// libFuzzer entry point; the target itself is in target_row.hpp, compiled once for all
// three fuzz executables in targets.cpp, and shared with the regression test
// (test_regressions.cpp) that replays every crash ever found.
#include "entry_points.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { return fuzz::entry_row(data, size); }
