// reprep::ExactSum — an exact, order-independent accumulator of doubles (docs/design.md, "Exact sums").
//
// The exact sum of everything added is kept as a signed big integer in 32-bit digits
// held by int64 "chunks" indexed by exponent (a superaccumulator in the manner of
// Radford Neal's xsum). An add touches two or three chunks without carrying; carries
// are resolved lazily, at the latest every kMaxPending adds, before any chunk could
// overflow. Because the state is an exact integer, every order of add/merge gives the
// same value and, once carries are resolved, the same canonical bytes.
//
// Long runs go through a block kernel (detail/exact_sum_kernel.hpp): each block of
// values is split exactly onto a few fixed grids derived from the block's largest
// magnitude, the per-grid sums are exact doubles computed with plain vectorisable
// arithmetic, and only those few doubles reach the chunks. The result is still exact.
//
// Storage: the chunks live on the heap, except in a sum built on a ChunkArena (below),
// which never allocates; value(), is_zero() and the comparisons allocate nothing either.
// That is what lets a single-row transform (Normalizer's exact fallback) use an exact
// sum and still keep the promise that rows allocate nothing.
//
// Semantics (docs/numerics_sum.md):
//   * NaN and ±Inf never touch the chunks; they set flags. value() is NaN if a NaN was
//     added, or if both +Inf and -Inf were; ±Inf if only one infinity sign was.
//   * Finite values are summed exactly with no intermediate overflow: 1e308 + 1e308 -
//     1e308 is 1e308. value() is ±Inf only when the exact finite sum itself rounds
//     beyond DBL_MAX (round-to-nearest-even on an unbounded exponent).
//   * An exact zero sum gives +0.0 (whatever the signs of the zeros added).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "archive.hpp"
#include "error.hpp"
#include "detail/double_double.hpp"

namespace reprep {

namespace detail {
struct ExactSumAccess;

// The most chunks an ExactSum ever holds (ExactSum::kMaxChunks): its whole exponent range.
inline constexpr int kExactSumChunks = 512;

// Room for every chunk an ExactSum can hold, lent by its owner (usually a stack frame)
// to one sum at a time. A sum built on it reserves the whole range at once, and ensure()
// never lets a sum grow beyond that range, so its vector never asks for memory again.
struct ChunkArena {
    std::int64_t chunks[kExactSumChunks];
    bool lent = false;
};

// ExactSum's allocator: the heap, or a ChunkArena when the sum was built on one. A copy
// of such a sum goes to the heap (select_on_container_copy_construction), so no copy
// points into a buffer that belongs to one scope. Should the arena be busy or too small
// (the bound above makes that impossible), it falls back to the heap: a broken bound
// costs an allocation, which the allocation tests see, never a wrong sum.
template <class T>
class ChunkAllocator {
public:
    using value_type = T;
    ChunkAllocator() = default;
    explicit ChunkAllocator(ChunkArena* arena) : arena_(arena) {}
    template <class U>
    ChunkAllocator(const ChunkAllocator<U>& other) : arena_(other.arena_) {}

    T* allocate(std::size_t n) {
        if constexpr (std::is_same_v<T, std::int64_t>) {
            if (arena_ && !arena_->lent && n <= std::size(arena_->chunks)) {
                arena_->lent = true;
                return arena_->chunks;
            }
        }
        return std::allocator<T>().allocate(n);
    }
    void deallocate(T* p, std::size_t n) {
        if constexpr (std::is_same_v<T, std::int64_t>) {
            if (arena_ && p == arena_->chunks) {
                arena_->lent = false;
                return;
            }
        }
        std::allocator<T>().deallocate(p, n);
    }
    ChunkAllocator select_on_container_copy_construction() const { return {}; }
    // Equal when each can free what the other allocated: same arena, or both the heap.
    friend bool operator==(const ChunkAllocator& a, const ChunkAllocator& b) { return a.arena_ == b.arena_; }

private:
    template <class U>
    friend class ChunkAllocator;
    ChunkArena* arena_ = nullptr;
};
}  // namespace detail

class ExactSum {
public:
    ExactSum() = default;
    // A sum whose chunks live in `arena`: it never allocates (copies of it live on the
    // heap). The arena must outlive the sum and serve no other sum meanwhile.
    explicit ExactSum(detail::ChunkArena& arena) : chunks_(detail::ChunkAllocator<std::int64_t>(&arena)) {
        chunks_.reserve(kMaxChunks);
    }

    // NaN/Inf go to flags, so their handling is order-independent.
    void add(double x);
    void add(const double* p, std::size_t n);
    // Floats are widened to double, which is exact.
    void add(const float* p, std::size_t n);
    // Adds a*b exactly (no rounding, no overflow or underflow at any magnitude).
    void add_product(double a, double b);
    // Adds a*b*c exactly (used for weighted second moments, w*x*x).
    void add_product(double a, double b, double c);
    // Adds x * 2^exponent exactly. |exponent| up to a few thousand is supported; beyond
    // the accumulator's range (about 2^±8000) it throws InvalidInput.
    void add_scaled(double x, int exponent);
    // Exact: the result is as if every value added to `other` had been added here.
    void merge(const ExactSum& other);

    // The exact sum correctly rounded to nearest-even (see the header comment for NaN/Inf).
    double value() const;
    // hi = value(); lo = the correctly rounded (exact - hi). lo = 0 when hi is not finite.
    detail::DD value_dd() const;
    // Non-overlapping doubles, largest first, whose exact sum is the exact finite sum.
    // Throws InvalidInput if that sum is not a sum of doubles (it overflows, or products
    // left bits below 2^-1074).
    std::vector<double> expansion() const;
    // True when the exact finite sum is zero and no NaN/Inf was added.
    bool is_zero() const;

    bool saw_nan() const { return (flags_ & kNaN) != 0; }
    bool saw_pos_inf() const { return (flags_ & kPosInf) != 0; }
    bool saw_neg_inf() const { return (flags_ & kNegInf) != 0; }

    // Canonical bytes: equal exact sums (and equal flags) give identical bytes,
    // whatever the add/merge order.
    void save(ArchiveWriter& w) const;
    static ExactSum load(ArchiveReader& r);

    friend bool operator==(const ExactSum& a, const ExactSum& b);

private:
    friend struct detail::ExactSumAccess;

    static constexpr int kDigitBits = 32;
    static constexpr std::int64_t kDigitMask = 0xFFFFFFFF;
    // Global bit position g has weight 2^(g - kOffset). The range covers products of
    // three doubles (down to 2^-3222, up to 2^3072) with thousands of bits to spare.
    static constexpr int kOffset = 8192;
    // Chunk indices stay in [0, kMaxChunks): ensure() clamps the top chunk to
    // kMaxChunks - 1 and the base to 0, and every add checks its position first.
    static constexpr int kMaxChunks = detail::kExactSumChunks;
    static constexpr int kMaxPos = kMaxChunks * kDigitBits;
    // Each add changes a chunk by less than 2^53 and a resolved chunk is below 2^32 in
    // magnitude, so 1000 adds cannot overflow an int64 chunk (1000 * 2^53 < 2^63 - 2^33).
    static constexpr int kMaxPending = 1000;

    static constexpr std::uint8_t kNaN = 1, kPosInf = 2, kNegInf = 4;

    // Sign and magnitude with every digit in [0, 2^32), no zero digit at either end. The
    // digits are c[lo, hi) of a fixed buffer that holds the resolved chunks, so that
    // value() needs no heap: a sum has at most kMaxChunks chunks, and resolving them
    // adds at most one digit (the carry-only top chunk, below 2^63, splits into a digit
    // and a carry below 2^31).
    struct Magnitude {
        bool negative = false;
        int base = 0;  // chunk index of the first digit
        std::size_t lo = 0, hi = 0;
        std::array<std::int64_t, kMaxChunks + 1> c;  // only c[0, hi) is ever written or read

        std::size_t size() const { return hi - lo; }
        bool empty() const { return hi == lo; }
        // The i-th digit, least significant first.
        std::uint32_t operator[](std::size_t i) const { return static_cast<std::uint32_t>(c[lo + i]); }
        std::uint32_t back() const { return (*this)[size() - 1]; }
        std::uint32_t digit(int chunk) const {
            const int i = chunk - base;
            return (i >= 0 && i < static_cast<int>(size())) ? (*this)[static_cast<std::size_t>(i)] : 0u;
        }
        friend bool operator==(const Magnitude& a, const Magnitude& b) {
            return a.negative == b.negative && a.base == b.base && a.size() == b.size() &&
                   std::equal(a.c.begin() + static_cast<std::ptrdiff_t>(a.lo), a.c.begin() + static_cast<std::ptrdiff_t>(a.hi),
                              b.c.begin() + static_cast<std::ptrdiff_t>(b.lo));
        }
    };

    void add_special(double x);
    // Adds or subtracts m * 2^(pos - kOffset), m < 2^53.
    void add_mantissa(std::uint64_t m, int pos, bool negative);
    // Adds or subtracts d * 2^(pos - kOffset), d < 2^32.
    void add_digit(std::uint64_t d, int pos, bool negative);
    void add_product_at(double a, double b, int shift);
    // Makes chunks [lo, hi] exist, keeping the top chunk above hi (carries only).
    void ensure(int lo, int hi);
    void resolve_carries();
    Magnitude magnitude() const;
    static double round_magnitude(const Magnitude& m);
    [[noreturn]] static void out_of_range(const char* what);

    std::vector<std::int64_t, detail::ChunkAllocator<std::int64_t>> chunks_;
    int base_ = 0;
    int pending_ = 0;
    std::uint8_t flags_ = 0;
};

}  // namespace reprep

#include "detail/exact_sum_kernel.hpp"

namespace reprep {

namespace detail {
// Splits a finite nonzero double into an integer mantissa and the global bit position
// of its least significant bit (weight 2^(pos - offset)).
struct Decomposed {
    std::uint64_t mant;
    int exp;  // x = mant * 2^exp
    bool negative;
};
inline Decomposed decompose(double x) {
    const auto bits = std::bit_cast<std::uint64_t>(x);
    const int e = static_cast<int>((bits >> 52) & 0x7FF);
    std::uint64_t m = bits & ((std::uint64_t{1} << 52) - 1);
    if (e != 0) m |= std::uint64_t{1} << 52;
    return {m, (e == 0 ? 1 : e) - 1075, (bits >> 63) != 0};
}
}  // namespace detail

inline void ExactSum::add_special(double x) {
    if (std::isnan(x)) flags_ |= kNaN;
    else flags_ |= (x > 0 ? kPosInf : kNegInf);
}

inline void ExactSum::out_of_range(const char* what) {
    detail::fail<InvalidInput>({.component = "ExactSum",
                                .problem = std::string(what) + " lies outside the accumulator's exponent range (about 2^-8000 to 2^8000)",
                                .fix = "keep add_scaled exponents within a few thousand"});
}

inline void ExactSum::ensure(int lo, int hi) {
    // One spare chunk above hi takes carries only; two more on each side avoid
    // reallocating for neighbouring exponents.
    const int want_top = hi + 1;
    if (chunks_.empty()) {
        base_ = std::max(0, lo - 2);
        chunks_.assign(static_cast<std::size_t>(std::min(kMaxChunks - 1, want_top + 2) - base_ + 1), 0);
        return;
    }
    const int top = base_ + static_cast<int>(chunks_.size()) - 1;
    if (lo < base_) {
        const int nb = std::max(0, lo - 2);
        chunks_.insert(chunks_.begin(), static_cast<std::size_t>(base_ - nb), 0);
        base_ = nb;
    }
    if (want_top > top) {
        const int nt = std::min(kMaxChunks - 1, want_top + 2);
        chunks_.resize(static_cast<std::size_t>(nt - base_ + 1), 0);
    }
}

inline void ExactSum::resolve_carries() {
    const std::size_t n = chunks_.size();
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const std::int64_t carry = chunks_[i] >> kDigitBits;  // arithmetic: floor division
        chunks_[i] &= kDigitMask;
        chunks_[i + 1] += carry;
    }
    pending_ = 0;
}

inline void ExactSum::add_mantissa(std::uint64_t m, int pos, bool negative) {
    const int k = pos >> 5;
    const int r = pos & 31;
    ensure(k, k + 1);
    const auto lo = static_cast<std::int64_t>((m << r) & static_cast<std::uint64_t>(kDigitMask));
    const auto hi = static_cast<std::int64_t>(m >> (kDigitBits - r));
    std::int64_t* c = chunks_.data() + (k - base_);
    if (negative) {
        c[0] -= lo;
        c[1] -= hi;
    } else {
        c[0] += lo;
        c[1] += hi;
    }
    if (++pending_ >= kMaxPending) resolve_carries();
}

inline void ExactSum::add_digit(std::uint64_t d, int pos, bool negative) { add_mantissa(d, pos, negative); }

inline void ExactSum::add(double x) {
    const auto bits = std::bit_cast<std::uint64_t>(x);
    const int e = static_cast<int>((bits >> 52) & 0x7FF);
    if (e == 0x7FF) return add_special(x);
    std::uint64_t m = bits & ((std::uint64_t{1} << 52) - 1);
    if (e != 0) m |= std::uint64_t{1} << 52;
    else if (m == 0) return;
    add_mantissa(m, (e == 0 ? 1 : e) - 1075 + kOffset, (bits >> 63) != 0);
}

inline void ExactSum::add_scaled(double x, int exponent) {
    if (!std::isfinite(x)) return add_special(x);
    if (x == 0.0) return;
    const auto d = detail::decompose(x);
    const long pos = static_cast<long>(d.exp) + exponent + kOffset;
    if (pos < 0 || pos > kMaxPos - 128) out_of_range("add_scaled(x, exponent)");
    add_mantissa(d.mant, static_cast<int>(pos), d.negative);
}

namespace detail {
// Little-endian 32-bit limbs of the product of up to three 53-bit integers (< 2^159).
struct Limbs {
    std::uint32_t v[6] = {};
    int n = 0;
};
inline void limbs_mul(Limbs& acc, std::uint64_t m) {
    const std::uint64_t m0 = m & 0xFFFFFFFFu, m1 = m >> 32;
    std::uint32_t out[6] = {};
    for (int i = 0; i < acc.n; ++i) {
        std::uint64_t carry = 0;
        const std::uint64_t a = acc.v[i];
        // a*m0 and a*m1 are each below 2^64; adding a 32-bit limb and carry keeps them so.
        std::uint64_t t = a * m0 + out[i];
        out[i] = static_cast<std::uint32_t>(t);
        carry = t >> 32;
        if (i + 1 < 6) {
            t = a * m1 + out[i + 1] + carry;
            out[i + 1] = static_cast<std::uint32_t>(t);
            carry = t >> 32;
            for (int j = i + 2; carry != 0 && j < 6; ++j) {
                t = static_cast<std::uint64_t>(out[j]) + carry;
                out[j] = static_cast<std::uint32_t>(t);
                carry = t >> 32;
            }
        }
    }
    acc.n = std::min(6, acc.n + 2);
    for (int i = 0; i < 6; ++i) acc.v[i] = out[i];
}
}  // namespace detail

inline void ExactSum::add_product(double a, double b) { add_product_at(a, b, 0); }

inline void ExactSum::add_product_at(double a, double b, int shift) {
    if (!std::isfinite(a) || !std::isfinite(b)) return add_special(a * b);
    if (a == 0.0 || b == 0.0) return;
    const auto da = detail::decompose(a), db = detail::decompose(b);
    detail::Limbs l;
    l.v[0] = static_cast<std::uint32_t>(da.mant);
    l.v[1] = static_cast<std::uint32_t>(da.mant >> 32);
    l.n = 2;
    detail::limbs_mul(l, db.mant);
    const long lpos = static_cast<long>(da.exp) + db.exp + kOffset + shift;
    if (lpos < 0 || lpos > kMaxPos - 256) out_of_range("a scaled product");
    const int pos = static_cast<int>(lpos);
    const bool neg = da.negative != db.negative;
    for (int i = 0; i < l.n; ++i)
        if (l.v[i] != 0) add_digit(l.v[i], pos + 32 * i, neg);
}

inline void ExactSum::add_product(double a, double b, double c) {
    if (!std::isfinite(a) || !std::isfinite(b) || !std::isfinite(c)) return add_special(a * b * c);
    if (a == 0.0 || b == 0.0 || c == 0.0) return;
    const auto da = detail::decompose(a), db = detail::decompose(b), dc = detail::decompose(c);
    detail::Limbs l;
    l.v[0] = static_cast<std::uint32_t>(da.mant);
    l.v[1] = static_cast<std::uint32_t>(da.mant >> 32);
    l.n = 2;
    detail::limbs_mul(l, db.mant);
    detail::limbs_mul(l, dc.mant);
    const int pos = da.exp + db.exp + dc.exp + kOffset;
    const bool neg = (da.negative != db.negative) != dc.negative;
    for (int i = 0; i < l.n; ++i)
        if (l.v[i] != 0) add_digit(l.v[i], pos + 32 * i, neg);
}

inline void ExactSum::add(const double* p, std::size_t n) {
    detail::exact_sum_blocks(p, n, *this);
}

inline void ExactSum::add(const float* p, std::size_t n) {
    double buf[detail::kExactSumBlock];
    while (n > 0) {
        const std::size_t m = std::min(n, detail::kExactSumBlock);
        for (std::size_t i = 0; i < m; ++i) buf[i] = static_cast<double>(p[i]);
        add(buf, m);
        p += m;
        n -= m;
    }
}

inline void ExactSum::merge(const ExactSum& other) {
    flags_ |= other.flags_;
    if (other.chunks_.empty()) return;
    ExactSum o = other;
    o.resolve_carries();
    resolve_carries();
    const int otop = o.base_ + static_cast<int>(o.chunks_.size()) - 1;
    ensure(o.base_, otop);
    for (std::size_t i = 0; i < o.chunks_.size(); ++i)
        chunks_[static_cast<std::size_t>(o.base_ - base_) + i] += o.chunks_[i];
    resolve_carries();
}

}  // namespace reprep

// Reading a sum out (rounding to a double, the expansion, the canonical bytes, equality)
// and the access core/moments.hpp needs, kept apart so that each header stays short
// enough to read; every includer of exact_sum.hpp gets them.
#include "exact_sum_value.hpp"
