// libFuzzer entry point; the target itself is in target_csv.hpp, shared with the
// regression test (test_regressions.cpp) that replays every crash ever found.
#include "target_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { return fuzz::run_csv(data, size); }
