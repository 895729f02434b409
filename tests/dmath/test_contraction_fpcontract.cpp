// Compiled with -O2 -ffp-contract=fast -mfma after reprep's -ffp-contract=off (see the
// fp_contract block of tests/CMakeLists.txt): a unit in which the compiler fuses a*b + c
// into one fma wherever it may. Every dmath call here must give the bits of an
// uncontracted unit (contraction_cases.hpp; test_contraction.cpp checks the same values
// in an ordinary unit) or throw EnvironmentError -- never other bits.
#include <doctest/doctest.h>

#include <reprep/core/error.hpp>
#include <reprep/core/fp_env.hpp>

#include "contraction_cases.hpp"

using namespace dmath_contraction;

namespace {
enum class Outcome { same_bits, refused, other_bits };

template <class F>
Outcome outcome(F&& f, std::uint64_t expected) {
    try {
        return bits(f()) == expected ? Outcome::same_bits : Outcome::other_bits;
    } catch (const reprep::EnvironmentError&) {
        return Outcome::refused;
    }
}
}  // namespace

TEST_CASE("this unit really is contracted (else the test below would prove nothing)") {
    CHECK(reprep::detail::fp_contraction_happens());
    // Components refuse such a unit on entry to fit and transform (test_fp_env_fpcontract.cpp).
    CHECK_THROWS_AS(reprep::check_fp_environment(), reprep::EnvironmentError);
}

TEST_CASE("dmath in a contracted unit: the uncontracted bits or EnvironmentError, never other bits") {
    int same = 0, refused = 0;
    auto count = [&](Outcome o) {
        if (o == Outcome::same_bits) ++same;
        if (o == Outcome::refused) ++refused;
    };
    for (const Case& c : kCases) {
        const Outcome o = outcome([&] { return eval(c.fn, from(c.x), from(c.y)); }, c.expected);
        CHECK_MESSAGE(o != Outcome::other_bits, c.fn, "(", from(c.x), ") gives other bits in a contracted unit");
        count(o);
    }
    for (const Sweep& s : kSweep) {
        const Outcome o = outcome([&] { return static_cast<double>(sweep_hash(s)); }, bits(static_cast<double>(s.expected)));
        CHECK_MESSAGE(o != Outcome::other_bits, "sweep ", s.fn, " gives other bits in a contracted unit");
        count(o);
    }
    MESSAGE(same, " same bits, ", refused, " refused");
    // Today's kernels round every product explicitly (no_fuse, double_double.hpp), so
    // they never need to refuse: docs/dmath.md promises the same bits.
    CHECK(refused == 0);
}
