// The three fuzz targets compiled once, in one unit that every fuzz executable links.
//
// Why: fuzz_artifact and fuzz_row each instantiate every kind (the zoo, loading, the
// row plan) under clang's fuzzer, ASan and UBSan instrumentation, and that compile was
// about 240 of the fuzz tree's 270 CPU-seconds (docs/ci.md). Compiled here once, each
// entry point file is a few lines; an executable carries the other targets' code but
// never runs it, so each target's coverage, inputs and seeds are what they were.
#include "entry_points.hpp"
#include "target_artifact.hpp"
#include "target_csv.hpp"
#include "target_row.hpp"

namespace fuzz {
int entry_artifact(const std::uint8_t* data, std::size_t size) { return run_artifact(data, size); }
int entry_csv(const std::uint8_t* data, std::size_t size) { return run_csv(data, size); }
int entry_row(const std::uint8_t* data, std::size_t size) { return run_row(data, size); }
}  // namespace fuzz
