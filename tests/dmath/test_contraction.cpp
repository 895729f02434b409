// The bits that test_contraction_fpcontract.cpp must find in a contracted unit,
// checked here in an ordinary one (the reprep target's -ffp-contract=off). On a
// mismatch the message is the line to paste into contraction_cases.hpp -- only when a
// kernel change is meant to move bits (tests/golden/repro.txt then moves too).
#include <doctest/doctest.h>

#include <cinttypes>
#include <cstdio>
#include <string>

#include <reprep/core/fp_env.hpp>

#include "contraction_cases.hpp"

using namespace dmath_contraction;

namespace {
std::string hex(std::uint64_t b) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%016" PRIx64 "ULL", b);
    return buf;
}
}  // namespace

TEST_CASE("this unit is not contracted") { CHECK_FALSE(reprep::detail::fp_contraction_happens()); }

TEST_CASE("dmath gives the expected bits on the contraction cases (uncontracted unit)") {
    for (const Case& c : kCases) {
        const std::uint64_t got = bits(eval(c.fn, from(c.x), from(c.y)));
        CHECK_MESSAGE(got == c.expected, c.fn, "(", hex(c.x), ", ", hex(c.y), ") = ", hex(got), ", expected ",
                      hex(c.expected));
    }
    for (const Sweep& s : kSweep) {
        const std::uint64_t got = sweep_hash(s);
        CHECK_MESSAGE(got == s.expected, "sweep ", s.fn, ": ", hex(got), ", expected ", hex(s.expected));
    }
}
