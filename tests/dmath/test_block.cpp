// dmath's block functions (core/detail/dmath_block.hpp) against the scalar functions,
// bit for bit, on every vector path this CPU has: millions of random inputs over the
// whole double range plus the values at each branch of the scalar code (NaN with
// payloads, +-0, +-Inf, subnormals, the pow overflow/underflow edges, integer and odd y,
// trig arguments at the 2^-26, pi/4 and 2^20 thresholds and near multiples of pi/2), at
// every offset and length around the vector steps, and in place.
// test_block_fpcontract.cpp compiles this file again at -O2 -ffp-contract=fast.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <reprep/core/detail/dmath_block.hpp>

#include "../support/splitmix.hpp"

namespace {

namespace dd = reprep::dmath::detail;

#ifdef __OPTIMIZE__
constexpr std::size_t kRandom = 1u << 21;  // per function and path
#else
constexpr std::size_t kRandom = 1u << 17;  // -O0 trees: the scalar reference is slow there
#endif

struct Mix {
    std::uint64_t s;
    std::uint64_t next() {
        return reprep_test::splitmix64_next(s);
    }
    double bits() { return std::bit_cast<double>(next()); }  // any pattern: NaN payloads too
    // A random significand with a binary exponent in [lo, hi], either sign if `sign`.
    double any(int lo, int hi, bool sign = true) {
        const double m = 1.0 + static_cast<double>(next() >> 12) * 0x1p-52;
        const int e = lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
        const double x = std::ldexp(m, e);
        return (sign && (next() & 1)) ? -x : x;
    }
    double uniform(double a, double b) { return a + (b - a) * (static_cast<double>(next() >> 11) * 0x1p-53); }
};

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> specials() {
    std::vector<double> v = {0.0, -0.0, kInf, -kInf, std::numeric_limits<double>::quiet_NaN(),
                             -std::numeric_limits<double>::quiet_NaN(), std::bit_cast<double>(0x7ff0000000000001ull),
                             std::bit_cast<double>(0xfff8dead0000beefull), std::bit_cast<double>(0x7ff4000000000123ull),
                             std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::denorm_min(),
                             0x1.fffffffffffffp-1023, 0x1p-1022, -0x1p-1022, std::numeric_limits<double>::max(),
                             -std::numeric_limits<double>::max(), 1.0, -1.0, 2.0, 0.5, 0x1.0000000000001p0,
                             0x1.fffffffffffffp-1, 0x1p-26, 0x1.fffffffffffffp-27, 0x1p-27, 0x1p20, 0x1.fffffffffffffp19,
                             0x1.921fb54442d18p-1, 0x1.921fb54442d19p-1, 0x1.921fb54442d17p-1, 0x1.921fb54442d18p+0,
                             0x1.921fb54442d18p+1, 3.0 * 0x1.921fb54442d18p+0, 1e22, 1e300, 0x1p52, 0x1p63, 0x1p64,
                             0x1.fffffffffffffp63, 709.8, 709.78, -745.13, -746.0, 1e-300};
    const std::size_t n = v.size();
    for (std::size_t i = 0; i < n; ++i) v.push_back(-v[i]);
    return v;
}

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

std::vector<reprep::KernelIsa> paths_of_this_cpu() {
    std::vector<reprep::KernelIsa> p{reprep::KernelIsa::baseline};
    for (auto i : {reprep::KernelIsa::avx2, reprep::KernelIsa::avx512})
        if (static_cast<int>(reprep::detail::host_kernel_isa()) >= static_cast<int>(i)) p.push_back(i);
    return p;
}

struct CapGuard {
    int saved = reprep::detail::kernel_isa_cap().load();
    ~CapGuard() { reprep::detail::kernel_isa_cap().store(saved); }
};

// Inputs for log: every bit pattern, the positive normal range, near 1, specials.
std::vector<double> log_inputs() {
    Mix r{17};
    std::vector<double> v = specials();
    for (std::size_t i = 0; i < kRandom; ++i) {
        switch (i % 4) {
            case 0: v.push_back(r.bits()); break;
            case 1: v.push_back(r.any(-1074, 1023, false)); break;
            case 2: v.push_back(1.0 + r.any(-60, -1)); break;
            default: v.push_back(r.any(-30, 30, false)); break;
        }
    }
    return v;
}

// Pairs for pow: random and integer y, odd y with negative x, the edges of overflow,
// underflow and the subnormal results, |y| around 2^64, x = 1 and specials in both.
void pow_inputs(std::vector<double>& x, std::vector<double>& y) {
    Mix r{29};
    const std::vector<double> sp = specials();
    for (double a : sp)
        for (double b : sp) {
            x.push_back(a);
            y.push_back(b);
        }
    for (std::size_t i = 0; i < kRandom; ++i) {
        double a, b;
        switch (i % 8) {
            case 0: a = r.bits(); b = r.bits(); break;
            case 1: a = r.any(-1074, 1023, false); b = r.uniform(-4, 4); break;
            case 2: a = r.uniform(0, 10); b = std::floor(r.uniform(-40, 40)); break;          // integer y
            case 3: a = -r.uniform(0, 10); b = std::floor(r.uniform(-40, 40)); break;         // negative x, odd/even y
            case 4: a = r.uniform(1, 4); b = 709.8 / std::log(a) * r.uniform(0.99, 1.01); break;  // overflow edge
            case 5: a = r.uniform(0.25, 1); b = (-745.0 / std::log(a)) * r.uniform(0.97, 1.03); break;  // subnormal results
            case 6: a = 1.0 + r.any(-60, -1); b = r.any(40, 70); break;                       // |y| up to past 2^64
            default: a = r.uniform(1, 3); b = r.uniform(-3, 3); break;                        // Yeo-Johnson's case
        }
        x.push_back(a);
        y.push_back(b);
    }
}

// Arguments for sin/cos: every bit pattern, each reduction range, near multiples of pi/2.
std::vector<double> trig_inputs() {
    Mix r{41};
    std::vector<double> v = specials();
    for (std::size_t i = 0; i < kRandom; ++i) {
        switch (i % 5) {
            case 0: v.push_back(r.bits()); break;
            case 1: v.push_back(r.any(-30, 24)); break;
            case 2: v.push_back(r.uniform(-7, 7)); break;
            case 3: {
                const double k = std::floor(r.uniform(0, 700000));
                v.push_back(std::nextafter(k * 0x1.921fb54442d18p+0, r.next() & 1 ? kInf : -kInf));
                break;
            }
            default: v.push_back(r.uniform(-0x1p20, 0x1p20)); break;
        }
    }
    return v;
}

// Runs `block` over [off, off + len) of the inputs at each offset and length around the
// vector steps, and over everything, and compares with `scalar` bit for bit.
template <class Block, class Scalar>
void check_runs(const char* what, std::size_t n, Block block, Scalar scalar) {
    CapGuard guard;
    for (auto isa : paths_of_this_cpu()) {
        reprep::set_max_kernel_isa(isa);
        REQUIRE(reprep::kernel_isa() == isa);
        CAPTURE(what);
        CAPTURE(reprep::to_string(isa));
        std::size_t bad = 0, first = n;
        auto run = [&](std::size_t off, std::size_t len) {
            std::vector<double> got = block(off, len);
            for (std::size_t i = 0; i < got.size(); ++i) {
                const double want = scalar(off + i % len, i / len);
                if (bits(got[i]) != bits(want)) {
                    if (bad == 0) first = off + i % len;
                    ++bad;
                }
            }
        };
        for (std::size_t off = 0; off < 9; ++off)
            for (std::size_t len = 1; len < 42; ++len) run(off, len);
        run(0, n);
        CAPTURE(first);
        CHECK(bad == 0);
    }
}

}  // namespace

TEST_CASE("log_block: the bits of dmath::log on every vector path") {
    const std::vector<double> x = log_inputs();
    check_runs(
        "log", x.size(),
        [&](std::size_t off, std::size_t len) {
            std::vector<double> out(len);
            dd::log_block(x.data() + off, out.data(), len);
            return out;
        },
        [&](std::size_t i, std::size_t) { return reprep::dmath::log(x[i]); });
    // In place.
    std::vector<double> v = x;
    dd::log_block(v.data(), v.data(), v.size());
    std::size_t bad = 0;
    for (std::size_t i = 0; i < v.size(); ++i) bad += bits(v[i]) != bits(reprep::dmath::log(x[i]));
    CHECK(bad == 0);
}

TEST_CASE("pow_block: the bits of dmath::pow on every vector path") {
    std::vector<double> x, y;
    pow_inputs(x, y);
    check_runs(
        "pow", x.size(),
        [&](std::size_t off, std::size_t len) {
            std::vector<double> out(len);
            dd::pow_block(x.data() + off, y.data() + off, out.data(), len);
            return out;
        },
        [&](std::size_t i, std::size_t) { return reprep::dmath::pow(x[i], y[i]); });
    std::vector<double> v = x;
    dd::pow_block(v.data(), y.data(), v.data(), v.size());
    std::size_t bad = 0;
    for (std::size_t i = 0; i < v.size(); ++i) bad += bits(v[i]) != bits(reprep::dmath::pow(x[i], y[i]));
    CHECK(bad == 0);
}

TEST_CASE("sincos_block: the bits of dmath::sin and dmath::cos on every vector path") {
    const std::vector<double> x = trig_inputs();
    // The runs return sin values then cos values: entry i / len says which.
    check_runs(
        "sincos", x.size(),
        [&](std::size_t off, std::size_t len) {
            std::vector<double> out(2 * len);
            dd::sincos_block(x.data() + off, out.data(), out.data() + len, len);
            return out;
        },
        [&](std::size_t i, std::size_t which) { return which == 0 ? reprep::dmath::sin(x[i]) : reprep::dmath::cos(x[i]); });
    std::vector<double> v = x, c(x.size());
    dd::sincos_block(v.data(), v.data(), c.data(), v.size());
    std::size_t bad = 0;
    for (std::size_t i = 0; i < v.size(); ++i) bad += bits(v[i]) != bits(reprep::dmath::sin(x[i]));
    CHECK(bad == 0);
}

// The checks must be able to fail: a block run that got one lane wrong is seen.
TEST_CASE("the bit comparison sees a one-ulp difference") {
    const double a = 1.5;
    CHECK(bits(a) != bits(std::nextafter(a, 2.0)));
    CHECK(bits(0.0) != bits(-0.0));
}
