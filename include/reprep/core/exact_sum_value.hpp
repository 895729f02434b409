// Reading a reprep::ExactSum out: its magnitude, the correctly rounded value (value,
// value_dd), the exact expansion, the canonical bytes (save, load) and equality, and
// ExactSumAccess, what exact finalisation (core/moments.hpp) reads from inside a sum.
// Part of exact_sum.hpp, which includes it at its end; a separate file only so that each
// header stays short enough to read.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "archive.hpp"
#include "error.hpp"
#include "exact_sum.hpp"
#include "detail/double_double.hpp"

namespace reprep {

inline ExactSum::Magnitude ExactSum::magnitude() const {
    Magnitude m;
    if (chunks_.empty()) return m;
    std::int64_t* c = m.c.data();
    std::size_t n = chunks_.size();
    std::copy(chunks_.begin(), chunks_.end(), c);
    auto resolve = [c, &n] {
        for (std::size_t i = 0; i + 1 < n; ++i) {
            const std::int64_t carry = c[i] >> kDigitBits;
            c[i] &= kDigitMask;
            c[i + 1] += carry;
        }
    };
    resolve();
    if (c[n - 1] < 0) {
        m.negative = true;
        for (std::size_t i = 0; i < n; ++i) c[i] = -c[i];
        resolve();
    }
    // The top chunk only holds carries, so it is small; split it into digits too (at
    // most once: see Magnitude).
    while (c[n - 1] > kDigitMask) {
        const std::int64_t carry = c[n - 1] >> kDigitBits;
        c[n - 1] &= kDigitMask;
        c[n++] = carry;
    }
    std::size_t lo = 0, hi = n;
    while (hi > lo && c[hi - 1] == 0) --hi;
    while (lo < hi && c[lo] == 0) ++lo;
    if (lo == hi) {
        m.negative = false;
        return m;
    }
    m.base = base_ + static_cast<int>(lo);
    m.lo = lo;
    m.hi = hi;
    return m;
}

inline double ExactSum::round_magnitude(const Magnitude& m) {
    if (m.empty()) return 0.0;
    const int top_chunk = m.base + static_cast<int>(m.size()) - 1;
    const int b = top_chunk * kDigitBits + static_cast<int>(std::bit_width(m.back()));  // one past the top bit
    // The result's least significant bit: 53 bits below the top, but never below 2^-1074.
    int shift = std::max(b - 53, kOffset - 1074);
    auto bits_at = [&m](int gpos) {  // 64 bits starting at global position gpos (>= 0)
        const int q = gpos >> 5, r = gpos & 31;
        std::uint64_t v = static_cast<std::uint64_t>(m.digit(q)) >> r;
        v |= static_cast<std::uint64_t>(m.digit(q + 1)) << (32 - r);
        if (r != 0) v |= static_cast<std::uint64_t>(m.digit(q + 2)) << (64 - r);
        return v;
    };
    std::uint64_t mant = bits_at(shift) & ((std::uint64_t{1} << 53) - 1);
    const int rpos = shift - 1;
    const bool round = (bits_at(rpos) & 1) != 0;
    const int rq = rpos >> 5, rr = rpos & 31;
    const bool sticky = m.base < rq || (m.digit(rq) & ((std::uint32_t{1} << rr) - 1)) != 0;
    if (round && (sticky || (mant & 1))) {
        ++mant;
        if (mant == (std::uint64_t{1} << 53)) {
            mant >>= 1;
            ++shift;
        }
    }
    std::uint64_t out;
    if (mant < (std::uint64_t{1} << 52)) {
        out = mant;  // subnormal (shift is at 2^-1074) or zero
    } else {
        const int e = shift - kOffset + 1075;
        if (e >= 2047) out = std::uint64_t{0x7FF} << 52;
        else out = (static_cast<std::uint64_t>(e) << 52) | (mant & ((std::uint64_t{1} << 52) - 1));
    }
    if (m.negative) out |= std::uint64_t{1} << 63;
    return std::bit_cast<double>(out);
}

inline double ExactSum::value() const {
    if (flags_ & kNaN) return std::numeric_limits<double>::quiet_NaN();
    if ((flags_ & kPosInf) && (flags_ & kNegInf)) return std::numeric_limits<double>::quiet_NaN();
    if (flags_ & kPosInf) return std::numeric_limits<double>::infinity();
    if (flags_ & kNegInf) return -std::numeric_limits<double>::infinity();
    return round_magnitude(magnitude());
}

inline detail::DD ExactSum::value_dd() const {
    const double hi = value();
    if (!std::isfinite(hi) || hi == 0.0) return {hi, 0.0};
    ExactSum rest = *this;
    rest.add(-hi);
    return {hi, rest.value()};
}

inline std::vector<double> ExactSum::expansion() const {
    std::vector<double> out;
    ExactSum rest = *this;
    rest.flags_ = 0;
    for (;;) {
        const double v = rest.value();
        if (v == 0.0) break;
        if (!std::isfinite(v))
            detail::fail<InvalidInput>({.component = "ExactSum",
                                        .problem = "expansion(): the exact sum overflows the double range",
                                        .fix = "use value() (which rounds to ±Inf) or scale the inputs"});
        out.push_back(v);
        rest.add(-v);
    }
    if (!rest.is_zero())
        detail::fail<InvalidInput>({.component = "ExactSum",
                                    .problem = "expansion(): the exact sum has bits below 2^-1074 (from add_product)",
                                    .fix = "use value()/value_dd(), which round correctly"});
    return out;
}

inline bool ExactSum::is_zero() const { return flags_ == 0 && magnitude().empty(); }

inline void ExactSum::save(ArchiveWriter& w) const {
    const Magnitude m = magnitude();
    w.u8(flags_);
    w.u8(m.negative ? 1 : 0);
    w.u32(static_cast<std::uint32_t>(m.base));
    w.size(m.size());
    for (std::size_t i = 0; i < m.size(); ++i) w.u32(m[i]);
}

inline ExactSum ExactSum::load(ArchiveReader& r) {
    ExactSum s;
    const std::uint8_t flags = r.u8();
    if (flags > 7) r.fail("ExactSum flags byte " + std::to_string(flags) + " has unknown bits");
    const std::uint8_t neg = r.u8();
    if (neg > 1) r.fail("ExactSum sign byte " + std::to_string(neg) + " is not 0 or 1");
    const std::uint32_t base = r.u32();
    const std::size_t n = r.size(4);
    if (n == 0) {
        if (neg != 0 || base != 0) r.fail("ExactSum zero must be written with sign 0 and base 0");
    } else if (base > static_cast<std::uint32_t>(kMaxChunks) || n > static_cast<std::size_t>(kMaxChunks) - 4 - base) {
        r.fail("ExactSum digits at chunks " + std::to_string(base) + "+" + std::to_string(n) +
               " lie outside the accumulator's range");
    }
    decltype(s.chunks_) c;
    c.reserve(n + 1);
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t d = r.u32();
        c.push_back(neg ? -d : d);
    }
    if (n > 0 && (c.front() == 0 || c.back() == 0))
        r.fail("ExactSum digits are not canonical (a zero digit at either end)");
    if (n > 0) c.push_back(0);  // the carry-only top chunk
    s.flags_ = flags;
    s.base_ = static_cast<int>(base);
    s.chunks_ = std::move(c);
    return s;
}

inline bool operator==(const ExactSum& a, const ExactSum& b) {
    return a.flags_ == b.flags_ && a.magnitude() == b.magnitude();
}

namespace detail {
// What exact finalisation (core/moments.hpp) needs from inside an ExactSum.
struct ExactSumAccess {
    // The finite sum as signed 32-bit digits: sum = Σ d * 2^shift, |d| < 2^32, exact.
    struct Digit {
        double d;
        int shift;
    };
    static std::vector<Digit> digits(const ExactSum& s) {
        const ExactSum::Magnitude m = s.magnitude();
        std::vector<Digit> out;
        for (std::size_t i = m.size(); i-- > 0;) {
            if (m[i] == 0) continue;
            const double d = static_cast<double>(m[i]);
            out.push_back({m.negative ? -d : d, (m.base + static_cast<int>(i)) * ExactSum::kDigitBits - ExactSum::kOffset});
        }
        return out;  // most significant first
    }
    // Adds a * b * 2^shift exactly.
    static void add_product_scaled(ExactSum& s, double a, double b, int shift) { s.add_product_at(a, b, shift); }
    // -1, 0 or +1: the sign of the exact finite sum (flags ignored).
    static int sign(const ExactSum& s) {
        const ExactSum::Magnitude m = s.magnitude();
        return m.empty() ? 0 : (m.negative ? -1 : 1);
    }
};
}  // namespace detail

}  // namespace reprep
