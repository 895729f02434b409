// dmath results that must not depend on floating-point contraction (issue 14 item 6).
//
// Shared by test_contraction.cpp (an ordinary unit, built with the reprep target's
// -ffp-contract=off) and test_contraction_fpcontract.cpp (compiled with -O2
// -ffp-contract=fast -mfma after it, see tests/CMakeLists.txt). Both check the same
// expected bits, so a contracted unit either gets exactly the bits of an uncontracted
// one, or is refused with EnvironmentError -- never other bits.
//
// kCases: fixed arguments, chosen where the kernels *before* every product went
// through no_fuse gave other bits in a contracted unit (GCC 12, -O2 -ffp-contract=fast
// -mfma or -march=native; 0x1.737f1d758591cp+8 is the one of the issue), plus edges.
// kSweep: a hash of the result bits over a fixed argument sweep per function. Expected
// values come from the uncontracted build (they are what tests/golden/repro.txt fixes
// too); if a deliberate change of a dmath kernel moves them, regenerate them with
// `dmath_contraction --regen` and say so in the commit.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <reprep/core/dmath.hpp>

#include "../support/splitmix.hpp"

namespace dmath_contraction {

struct Case {
    const char* fn;
    std::uint64_t x, y;  // argument bits (y only for pow)
    std::uint64_t expected;
};

inline double from(std::uint64_t b) { return std::bit_cast<double>(b); }
inline std::uint64_t bits(double d) { return std::bit_cast<std::uint64_t>(d); }

inline double eval(std::string_view fn, double x, double y) {
    namespace dm = reprep::dmath;
    if (fn == "exp") return dm::exp(x);
    if (fn == "expm1") return dm::expm1(x);
    if (fn == "log") return dm::log(x);
    if (fn == "log1p") return dm::log1p(x);
    if (fn == "pow") return dm::pow(x, y);
    if (fn == "sin") return dm::sin(x);
    if (fn == "cos") return dm::cos(x);
    if (fn == "erf") return dm::erf(x);
    if (fn == "erfc") return dm::erfc(x);
    if (fn == "norm_cdf") return dm::norm_cdf(x);
    if (fn == "norm_ppf") return dm::norm_ppf(x);
    if (fn == "exp_float") return static_cast<double>(dm::exp(static_cast<float>(x)));
    if (fn == "norm_ppf_float") return static_cast<double>(dm::norm_ppf(static_cast<float>(x)));
    return 0.0;
}

// clang-format off
inline constexpr Case kCases[] = {
    {"exp",      0x407737f1d758591cULL, 0, 0x616f0b24b83b9de1ULL},  // 0x1.737f1d758591cp+8, the issue's
    {"exp",      0x407cef5e0d2c8a30ULL, 0, 0x69ae14a36f484caeULL},
    {"exp",      0xc03c60c5c084ee40ULL, 0, 0x3d60ab7fa07f3732ULL},
    {"exp",      0x4084eb5a494dc8f2ULL, 0, 0x7c4b3d25e4c3f8a0ULL},
    {"exp",      0xc0874910d52d3051ULL, 0, 0x0000000000000001ULL},  // -745.1332191019411: the smallest subnormal
    {"expm1",    0x3f50624dd2f1a9fcULL, 0, 0x3f506466dfb8cf3aULL},  // 0.001
    {"expm1",    0xc02e000000000000ULL, 0, 0xbfefffff5bc51aefULL},  // -15
    {"log",      0x3ff0000000000001ULL, 0, 0x3cafffffffffffffULL},  // 1 + 2^-52
    {"log",      0x0000000000000001ULL, 0, 0xc0874385446d71c3ULL},  // 2^-1074
    {"log1p",    0x3f40000000000000ULL, 0, 0x3f3ffe002aa6ab11ULL},  // 2^-11
    {"log1p",    0x400f5c28f5c28f5cULL, 0, 0x3ff97e3115ef413fULL},  // 3.92
    {"pow",      0x4083c7ad0813abb9ULL, 0xc02941ab4b975c90ULL, 0x389657fff8e75aa6ULL},
    {"pow",      0x4082efcdbe53ae22ULL, 0x403c5b777329dad8ULL, 0x505143aa69cb6d4eULL},
    {"pow",      0x4087909711c93b30ULL, 0x4039647aa77e5762ULL, 0x4f1a470173d67dcbULL},
    {"sin",      0xc01d0e0e9e4aaf56ULL, 0, 0xbfea95e87f2d44beULL},
    {"sin",      0x400f74c77c0217d8ULL, 0, 0xbfe6bdaf1542bf51ULL},
    {"sin",      0xc01021bd2249b7f0ULL, 0, 0x3fe8e4c128ecda5bULL},
    {"cos",      0xc01c6cc7b7af291aULL, 0, 0x3fe5c27d80f7ec33ULL},
    {"cos",      0x4021811379fe9182ULL, 0, 0xbfe9076e045b788dULL},
    {"cos",      0xc01bf22c6644c88eULL, 0, 0x3fe86812b118fcaaULL},
    {"erf",      0xbfcf2a4933d40c00ULL, 0, 0xbfd13de0dae46057ULL},
    {"erf",      0xbfd8fe1c35c23b60ULL, 0, 0xbfdad4b4bbd85774ULL},
    {"erf",      0xbfdb2fb70d9b6ca0ULL, 0, 0xbfdced5a07fda1f2ULL},
    {"erfc",     0x40240dcc6d48e508ULL, 0, 0x369bb9eba610749dULL},
    {"erfc",     0x402716431c99f63cULL, 0, 0x33a5150e5544cbb2ULL},
    {"erfc",     0x40334d1c98ac136eULL, 0, 0x1e05c5b2407487afULL},
    {"erfc",     0x4036136217dfc109ULL, 0, 0x13a8c032fae6b7e3ULL},
    {"norm_cdf", 0xc00827f62602ff00ULL, 0, 0x3f54bd9bdca1a1d6ULL},
    {"norm_cdf", 0xc04046505a182186ULL, 0, 0x0fc543ee473a447eULL},
    {"norm_cdf", 0xbfd8523e05d9e700ULL, 0, 0x3fd68699ea04c867ULL},
    {"norm_cdf", 0xc01c36889dd7bb90ULL, 0, 0x3d6ebf5df6aa1627ULL},
    {"norm_ppf", 0x3fe846cf304a3832ULL, 0, 0x3fe67658617d1e02ULL},
    {"norm_ppf", 0x3fcee161beb816a0ULL, 0, 0xbfe6790e5a8163fdULL},
    {"norm_ppf", 0x3fd5da38cbfe46a4ULL, 0, 0xbfda25454b7c4c57ULL},
    {"norm_ppf", 0x3fd84b4bf49ac702ULL, 0, 0xbfd39e652c332a25ULL},
    {"exp_float",      0x4055000000000000ULL, 0, 0x478234dea0000000ULL},  // expf(84)
    {"norm_ppf_float", 0x3fb99999a0000000ULL, 0, 0xbff4813c40000000ULL},  // 0.1f
};
// clang-format on

// A fixed sweep per function: uniform in the function's main range, then arbitrary
// bit patterns (NaN, Inf and subnormals included). The generator rounds its product
// through mul_rn, so a contracted unit generates the same arguments.
struct Sweep {
    const char* fn;
    double lo, hi;
    std::uint64_t expected;  // FNV-1a of the result bits
};

inline constexpr int kSweepN = 20000;

// clang-format off
inline constexpr Sweep kSweep[] = {
    {"exp",      -746.0, 710.0, 0xf6a475a0a91ebfb0ULL},
    {"expm1",    -40.0,  710.0, 0xa6a9f8573d5c19bdULL},
    {"log",      0.5,    2.0,   0x9208813fae3994c9ULL},
    {"log1p",    -0.999, 4.0,   0x07da232c77d535c9ULL},
    {"pow",      1e-3,   1e3,   0x2564f2b90cc8f407ULL},
    {"sin",      -10.0,  10.0,  0xd1541155c3006891ULL},
    {"cos",      -10.0,  10.0,  0xdf9a355862c7cc46ULL},
    {"erf",      -6.0,   6.0,   0x9aece961a16e2eb5ULL},
    {"erfc",     -6.0,   28.0,  0x9b2b64818832a78dULL},
    {"norm_cdf", -40.0,  40.0,  0x0da81ec6ac73187cULL},
    {"norm_ppf", 0.0,    1.0,   0x13a08c6a42f2daecULL},
};
// clang-format on

inline std::uint64_t sweep_hash(const Sweep& s) {
    std::uint64_t state = 0x243f6a8885a308d3ULL;
    auto next = [&state] {
        return reprep_test::splitmix64_next(state);
    };
    auto unit = [&] { return static_cast<double>(next() >> 11) * 0x1.0p-53; };
    std::uint64_t h = 0xcbf29ce484222325ULL;
    auto mix = [&h](double r) {
        h ^= bits(r);
        h *= 0x100000001b3ULL;
    };
    for (int i = 0; i < kSweepN; ++i) {
        const double x = s.lo + reprep::detail::mul_rn(s.hi - s.lo, unit());
        const double y = -30.0 + reprep::detail::mul_rn(60.0, unit());
        mix(eval(s.fn, x, y));
    }
    for (int i = 0; i < kSweepN; ++i) {
        const double x = from(next());
        const double y = from(next() & 0x403fffffffffffffULL);  // |y| < 32
        mix(eval(s.fn, x, y));
    }
    return h;
}

}  // namespace dmath_contraction
