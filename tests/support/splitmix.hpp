// SplitMix64 (Steele, Lea and Flood, 2014): the tests' own generator of input data. It
// is kept apart from reprep::Rng, so that a change to the library's generator cannot move
// a test's inputs, and it is written once here for every test that draws data.
#pragma once

#include <cstdint>

namespace reprep_test {

// Advances `state` by the golden-ratio increment and returns the mixed output.
inline std::uint64_t splitmix64_next(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// The output that follows state x: a stateless draw keyed by x.
inline std::uint64_t splitmix64_at(std::uint64_t x) { return splitmix64_next(x); }

}  // namespace reprep_test
