// Test-only helpers shared by the dmath tests: an MPFR oracle that measures a double
// result's error in ulps of the correctly rounded value, reproducible argument
// generators, and a printer for the per-function ulp table.
//
// Self-contained on purpose (MPFR + the standard library only), so that every dmath
// test (explog, trig, erf) measures accuracy the same way. Link with `mpfr gmp`.
//
// How the error is measured: the reference is computed with MPFR at kRefPrec bits
// (far more than any hard-to-round case of a double function needs), then rounded to
// double with MPFR_RNDN: that is the correctly rounded result `cr`. The error of a
// result `got` is |got - exact| / ulp(cr), where exact is the 200-bit value and
// ulp(cr) is the spacing of doubles at cr (2^-1074 for subnormals and zero,
// 2^971 if cr overflowed). So a correctly rounded result has error <= 0.5.
#pragma once

#include <mpfr.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "../support/splitmix.hpp"

namespace reprep_test {

inline constexpr mpfr_prec_t kRefPrec = 200;

// RAII wrapper so tests do not leak or forget mpfr_clear.
class Mpfr {
public:
    explicit Mpfr(mpfr_prec_t prec = kRefPrec) { mpfr_init2(v_, prec); }
    ~Mpfr() { mpfr_clear(v_); }
    Mpfr(const Mpfr&) = delete;
    Mpfr& operator=(const Mpfr&) = delete;
    mpfr_ptr get() { return v_; }
    mpfr_srcptr get() const { return v_; }
    operator mpfr_ptr() { return v_; }
    operator mpfr_srcptr() const { return v_; }

private:
    mpfr_t v_;
};

// Same double, bit for bit, except that any NaN equals any NaN.
inline bool same_double(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Spacing of doubles at |d| (d finite), or at DBL_MAX for infinities.
inline double ulp_of(double d) {
    const double a = std::fabs(d);
    if (std::isinf(a)) return std::ldexp(1.0, 971);
    if (a < std::numeric_limits<double>::min()) return std::ldexp(1.0, -1074);
    int e = 0;
    std::frexp(a, &e);  // a = f * 2^e, f in [0.5, 1)
    return std::ldexp(1.0, e - 53);
}

// Result of comparing one double result against the exact value.
struct UlpCheck {
    double cr = 0.0;       // correctly rounded reference
    double ulps = 0.0;     // |got - exact| / ulp(cr); 0 when both NaN or both the same infinity
    bool correct = false;  // got is bitwise the correctly rounded result (NaN == NaN)
};

// `exact` is the high-precision value (any precision, may be NaN/Inf/0).
inline UlpCheck check_against(double got, mpfr_srcptr exact) {
    UlpCheck r;
    r.cr = mpfr_get_d(exact, MPFR_RNDN);
    r.correct = same_double(got, r.cr);
    if (std::isnan(r.cr) || std::isnan(got)) {
        r.ulps = (std::isnan(r.cr) && std::isnan(got)) ? 0.0 : std::numeric_limits<double>::infinity();
        return r;
    }
    if (std::isinf(got)) {
        // An infinite result is right only when the correctly rounded one is the same infinity.
        r.ulps = (got == r.cr) ? 0.0 : std::numeric_limits<double>::infinity();
        return r;
    }
    // got is finite: measure against the exact value (which may exceed DBL_MAX).
    // 200 bits: the difference's own rounding (relative 2^-200) cannot show in the ulp count.
    thread_local Mpfr diff;
    mpfr_sub_d(diff, exact, got, MPFR_RNDN);
    mpfr_abs(diff, diff, MPFR_RNDN);
    mpfr_div_d(diff, diff, ulp_of(r.cr), MPFR_RNDN);
    r.ulps = mpfr_get_d(diff, MPFR_RNDU);
    return r;
}

// Accumulates the error statistics of one function (or one function over one region).
struct UlpStats {
    std::string name;
    std::uint64_t count = 0;
    std::uint64_t not_cr = 0;  // results that differ from the correctly rounded one
    double max_ulps = 0.0;
    double worst_x = 0.0;      // argument(s) of the worst case
    double worst_y = 0.0;
    double worst_got = 0.0;
    double worst_cr = 0.0;

    explicit UlpStats(std::string n = {}) : name(std::move(n)) {}

    void add(const UlpCheck& c, double got, double x, double y = 0.0) {
        ++count;
        if (!c.correct) ++not_cr;
        if (c.ulps > max_ulps || (std::isnan(c.ulps) && !std::isnan(max_ulps))) {
            max_ulps = c.ulps;
            worst_x = x;
            worst_y = y;
            worst_got = got;
            worst_cr = c.cr;
        }
    }
    void merge(const UlpStats& o) {
        count += o.count;
        not_cr += o.not_cr;
        if (o.max_ulps > max_ulps) {
            max_ulps = o.max_ulps;
            worst_x = o.worst_x;
            worst_y = o.worst_y;
            worst_got = o.worst_got;
            worst_cr = o.worst_cr;
        }
    }
};

// A fixed-width table, one row per UlpStats, for doctest MESSAGE or stdout.
inline std::string format_ulp_table(const std::vector<UlpStats>& rows) {
    std::string out;
    char line[320];
    std::snprintf(line, sizeof line, "%-22s %10s %12s %10s  %-24s %-24s\n", "function", "args", "max ulp",
                  "not CR", "worst x", "worst y");
    out += line;
    for (const auto& s : rows) {
        std::snprintf(line, sizeof line, "%-22s %10llu %12.6f %10llu  %-24.17g %-24.17g\n", s.name.c_str(),
                      static_cast<unsigned long long>(s.count), s.max_ulps,
                      static_cast<unsigned long long>(s.not_cr), s.worst_x, s.worst_y);
        out += line;
    }
    return out;
}

// SplitMix64: a tiny, portable generator so test arguments are the same everywhere.
class TestRng {
public:
    explicit TestRng(std::uint64_t seed) : s_(seed) {}
    std::uint64_t next() {
        return reprep_test::splitmix64_next(s_);
    }
    // Uniform in [0, 1) with 53 random bits.
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform in [a, b).
    double uniform(double a, double b) { return a + (b - a) * unit(); }
    // Any bit pattern: covers NaNs, infinities, subnormals and every binade equally.
    double any_bits() { return std::bit_cast<double>(next()); }
    // Any finite double (bit patterns with exponent 0x7ff are redrawn).
    double finite_bits() {
        for (;;) {
            const double d = any_bits();
            if (std::isfinite(d)) return d;
        }
    }
    // |x| log-uniform in [lo, hi] (0 < lo < hi), with a random sign when `signed_` is set.
    double log_uniform(double lo, double hi, bool signed_ = false) {
        int elo = 0, ehi = 0;
        std::frexp(lo, &elo);
        std::frexp(hi, &ehi);
        for (;;) {
            // Exponent uniform over the binades, then a uniform 52-bit mantissa.
            const int e = elo + static_cast<int>(next() % static_cast<std::uint64_t>(ehi - elo + 1));
            const double m = 0.5 + 0.5 * unit();
            double v = std::ldexp(m, e);
            if (v < lo || v > hi) continue;
            if (signed_ && (next() & 1)) v = -v;
            return v;
        }
    }
    // A double within `ulps` representable steps of `center` (inclusive), uniformly.
    double near(double center, std::uint64_t ulps) {
        const std::int64_t k = static_cast<std::int64_t>(next() % (2 * ulps + 1)) - static_cast<std::int64_t>(ulps);
        return step(center, k);
    }
    // Moves `d` by k representable doubles (k may be negative), through zero if needed.
    static double step(double d, std::int64_t k) {
        // Map doubles to a monotone integer line (negative numbers mirrored), add, map back.
        const std::int64_t b = std::bit_cast<std::int64_t>(d);
        std::int64_t key = b >= 0 ? b : std::numeric_limits<std::int64_t>::min() - b;
        key += k;
        const std::int64_t nb = key >= 0 ? key : std::numeric_limits<std::int64_t>::min() - key;
        return std::bit_cast<double>(nb);
    }

private:
    std::uint64_t s_;
};

// Convenience: error of got = f(x) for a one-argument MPFR function.
using MpfrFn1 = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);
inline UlpCheck check1(MpfrFn1 f, double x, double got) {
    // Cached per thread: mpfr_init2/mpfr_clear per call would dominate the test's time.
    thread_local Mpfr in(53), out;
    mpfr_set_d(in, x, MPFR_RNDN);
    f(out, in, MPFR_RNDN);
    return check_against(got, out);
}

// Same for two-argument MPFR functions such as mpfr_pow.
using MpfrFn2 = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_srcptr, mpfr_rnd_t);
inline UlpCheck check2(MpfrFn2 f, double x, double y, double got) {
    thread_local Mpfr a(53), b(53), out;
    mpfr_set_d(a, x, MPFR_RNDN);
    mpfr_set_d(b, y, MPFR_RNDN);
    f(out, a, b, MPFR_RNDN);
    return check_against(got, out);
}

// Float results: measured in float ulps against the exact value rounded to float.
inline UlpCheck check_against_float(float got, mpfr_srcptr exact) {
    UlpCheck r;
    const float crf = mpfr_get_flt(exact, MPFR_RNDN);
    r.cr = crf;
    r.correct = same_double(got, crf);
    if (std::isnan(crf) || std::isnan(got)) {
        r.ulps = (std::isnan(crf) && std::isnan(got)) ? 0.0 : std::numeric_limits<double>::infinity();
        return r;
    }
    if (std::isinf(got)) {
        r.ulps = (got == crf) ? 0.0 : std::numeric_limits<double>::infinity();
        return r;
    }
    double u = 0.0;
    const float a = std::fabs(crf);
    if (std::isinf(a)) u = std::ldexp(1.0, 104);
    else if (a < std::numeric_limits<float>::min()) u = std::ldexp(1.0, -149);
    else {
        int e = 0;
        std::frexp(a, &e);
        u = std::ldexp(1.0, e - 24);
    }
    thread_local Mpfr diff;
    mpfr_sub_d(diff, exact, static_cast<double>(got), MPFR_RNDN);
    mpfr_abs(diff, diff, MPFR_RNDN);
    mpfr_div_d(diff, diff, u, MPFR_RNDN);
    r.ulps = mpfr_get_d(diff, MPFR_RNDU);
    return r;
}

}  // namespace reprep_test
