// The column kernels of Normalizer's batch transform (scale/normalizer.hpp): the
// compensated row sums of |x| or x² for a block of rows, added one column at a time, and
// the division of a column block by the rows' norms.
//
// Both run down a contiguous column, so lane k of a vector is row i + k, and each lane
// does exactly the scalar loop's operations for its row, in the same column order. The
// width (two SSE2 lanes, or 4 / 8 on a CPU with AVX2 / AVX-512, isa.hpp) therefore
// decides how many rows go at once, never what a row's sums are: the same bits on every
// path (tests/numerics/test_isa_dispatch.cpp runs each path the host has).
//
// Contraction (isa.hpp): the sums of squares multiply, and x² fused into s + x² would
// round once instead of twice. GCC compiles the wide bodies with fp-contract=off; under
// Clang, which honours no such pragma, the squaring kernel stops at AVX2, whose target
// has no FMA to fuse with. The l1 sums and the division only add and divide.
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "affine_kernel.hpp"
#include "isa.hpp"

#ifdef REPREP_ISA_DISPATCH
#include <immintrin.h>
#endif

namespace reprep::detail {

// The bits of 2^-450 and 2^500: |x| outside [2^-450, 2^500] (and not 0) could make x²
// under/overflow.
inline constexpr std::int64_t kRowNormTinyBits = std::int64_t{573} << 52, kRowNormHugeBits = std::int64_t{1523} << 52;

#if defined(__GNUC__) || defined(__clang__)

// s[i] + c[i] += t_i over rows i in [0, m), t_i = x_i² (Square) or |x_i|, W rows a step;
// risky[i] gets its sign bit set when |x_i| is outside [2^-450, 2^500] (and not 0), where x²
// could under/overflow and the row must be summed exactly instead. x²'s rounding error
// comes from Dekker's exact product (Veltkamp split, 2^27 + 1) rather than fma, which the
// baseline ISA does not have: in the safe range both give the one double a² - p. Returns
// how many rows it did (a multiple of W).
template <bool Square, int W>
[[gnu::always_inline]] inline std::size_t row_norm_lanes(const double* x, std::size_t m, double* s, double* c,
                                                         std::uint64_t* risky) {
    using V = typename Lanes<W>::V;
    using I = typename Lanes<W>::I;
    const I abs_mask = I{} + 0x7FFFFFFFFFFFFFFF;
    const V zero = V{}, split = 134217729.0 - V{};
    const I tiny = I{} + kRowNormTinyBits, huge = I{} + kRowNormHugeBits;
    std::size_t i = 0;
    for (; i + W <= m; i += W) {
        I bits;
        std::memcpy(&bits, x + i, sizeof bits);
        bits &= abs_mask;
        const V a = reinterpret_cast<V>(bits);
        // The range test on the bits, whose order is |x|'s: integer arithmetic, because
        // AVX-512F turns a vector comparison into a mask register that GCC then takes
        // apart lane by lane. The sign bit of `flag` is set when 0 < bits < tiny (bits -
        // tiny < 0 and bits - 1 >= 0) or bits > huge (huge - bits < 0). A NaN's bits are
        // above huge too: such a row's sum is NaN, which the exact path would redo anyway.
        const I flag = ((bits - tiny) & ~(bits - 1)) | (huge - bits);
        V p = a, e = zero;
        if constexpr (Square) {
            p = a * a;
            const V t = split * a;
            const V ah = t - (t - a);
            const V al = a - ah;
            e = ((ah * ah - p) + (ah + ah) * al) + al * al;
        }
        V si, ci;
        I ri;
        std::memcpy(&si, s + i, sizeof si);
        std::memcpy(&ci, c + i, sizeof ci);
        std::memcpy(&ri, risky + i, sizeof ri);
        const V t = si + p;  // TwoSum(s, p)
        const V z = t - si;
        const V err = (si - (t - z)) + (p - z);
        ci = ci + (err + e);
        ri |= flag;
        std::memcpy(s + i, &t, sizeof t);
        std::memcpy(c + i, &ci, sizeof ci);
        std::memcpy(risky + i, &ri, sizeof ri);
    }
    return i;
}

// y[i] = x[i] / d[i] for the first multiple of 4W rows, four vectors in flight (the
// divider's throughput, not its latency); returns how many it did.
template <int W>
[[gnu::always_inline]] inline std::size_t divide_lanes(const double* x, const double* d, double* y, std::size_t m) {
    using V = typename Lanes<W>::V;
    std::size_t i = 0;
    for (; i + 4 * W <= m; i += 4 * W) {
        V v[4], w[4];
        std::memcpy(v, x + i, sizeof v);
        std::memcpy(w, d + i, sizeof w);
        for (int k = 0; k < 4; ++k) v[k] = v[k] / w[k];
        std::memcpy(y + i, v, sizeof v);
    }
    return i;
}
#endif

#ifdef REPREP_ISA_DISPATCH
template <bool Square>
REPREP_TARGET_AVX2 inline std::size_t row_norm_avx2(const double* x, std::size_t m, double* s, double* c,
                                                    std::uint64_t* risky) {
    return row_norm_lanes<Square, 4>(x, m, s, c, risky);
}
template <bool Square>
REPREP_TARGET_AVX512 inline std::size_t row_norm_avx512(const double* x, std::size_t m, double* s, double* c,
                                                        std::uint64_t* risky) {
    return row_norm_lanes<Square, 8>(x, m, s, c, risky);
}
REPREP_TARGET_AVX2 inline std::size_t divide_avx2(const double* x, const double* d, double* y, std::size_t m) {
    return divide_lanes<4>(x, d, y, m);
}
REPREP_TARGET_AVX512 inline std::size_t divide_avx512(const double* x, const double* d, double* y, std::size_t m) {
    return divide_lanes<8>(x, d, y, m);
}

// The same divisions with non-temporal stores, for an output too large to stay in cache
// (affine_kernel.hpp says why: no read-for-ownership of the destination). The first
// rows go one at a time until y is aligned for the vector store.
inline std::size_t divide_peel(const double* x, const double* d, double* y, std::size_t m, std::size_t align) {
    std::size_t i = 0;
    for (; i < m && (reinterpret_cast<std::uintptr_t>(y + i) & (align - 1)) != 0; ++i) y[i] = x[i] / d[i];
    return i;
}
REPREP_TARGET_AVX2 inline std::size_t divide_stream_avx2(const double* x, const double* d, double* y,
                                                         std::size_t m) {
    std::size_t i = divide_peel(x, d, y, m, 32);
    for (; i + 8 <= m; i += 8) {
        const __m256d a = _mm256_div_pd(_mm256_loadu_pd(x + i), _mm256_loadu_pd(d + i));
        const __m256d b = _mm256_div_pd(_mm256_loadu_pd(x + i + 4), _mm256_loadu_pd(d + i + 4));
        _mm256_stream_pd(y + i, a);
        _mm256_stream_pd(y + i + 4, b);
    }
    return i;
}
REPREP_TARGET_AVX512 inline std::size_t divide_stream_avx512(const double* x, const double* d, double* y,
                                                             std::size_t m) {
    std::size_t i = divide_peel(x, d, y, m, 64);
    for (; i + 16 <= m; i += 16) {
        const __m512d a = _mm512_div_pd(_mm512_loadu_pd(x + i), _mm512_loadu_pd(d + i));
        const __m512d b = _mm512_div_pd(_mm512_loadu_pd(x + i + 8), _mm512_loadu_pd(d + i + 8));
        _mm512_stream_pd(y + i, a);
        _mm512_stream_pd(y + i + 8, b);
    }
    return i;
}
#endif

// The compensated sums for rows [0, m) of one column x, on the path `isa` (the caller
// reads active_kernel_isa() once per transform). Rows past the vector part go through
// the same operations one at a time (fma is not used, and the range flag is the same
// bits, as above), so s, c and risky are the same bits on every path.
template <bool Square, class T>
void row_norm_add_column(const T* x, std::size_t m, double* s, double* c, std::uint64_t* risky, KernelIsa isa) {
    std::size_t i = 0;
    if constexpr (std::is_same_v<T, double>) {
#ifdef REPREP_ISA_DISPATCH
        switch (isa) {
            case KernelIsa::avx512:
                if constexpr (!Square || REPREP_WIDE_MULTIPLY_AVX512) {
                    i = row_norm_avx512<Square>(x, m, s, c, risky);
                    break;
                }
                [[fallthrough]];
            case KernelIsa::avx2: i = row_norm_avx2<Square>(x, m, s, c, risky); break;
            default: break;
        }
#endif
#if defined(__GNUC__) || defined(__clang__)
        // The baseline's two lanes (the compiler does not vectorise the loop below by itself).
        i += row_norm_lanes<Square, 2>(x + i, m - i, s + i, c + i, risky + i);
#endif
    }
    (void)isa;
    for (; i < m; ++i) {
        const double a = std::abs(static_cast<double>(x[i]));
        const auto bits = static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(a));
        risky[i] |= static_cast<std::uint64_t>(((bits - kRowNormTinyBits) & ~(bits - 1)) | (kRowNormHugeBits - bits));
        double p = a, e = 0.0;
        if constexpr (Square) {
            p = a * a;
            const double t = 134217729.0 * a;
            const double ah = t - (t - a);
            const double al = a - ah;
            e = ((ah * ah - p) + (ah + ah) * al) + al * al;
        }
        const double si = s[i];
        const double t = si + p;  // TwoSum(s, p)
        const double z = t - si;
        const double err = (si - (t - z)) + (p - z);
        s[i] = t;
        c[i] += err + e;
    }
}

// The fast path's verdict for rows [0, m): RowNormSum::decided (scale/normalizer.hpp) on
// each row's (s[i], c[i]) with the same operations, two rows at a time. decided[i] is all
// ones when hi = s + c is provably the correctly rounded sum, zero when the row needs the
// exact path; total[i] is hi, or sqrt(hi) when `root` (the l2 norm; IEEE sqrt is
// correctly rounded, so the SSE2 instruction and std::sqrt give the same bits). Done one
// row at a time, with std::sqrt's errno check in the way of vectorising, this took a
// tenth of the transform.
inline void row_norm_decide(const double* s, const double* c, std::size_t m, std::uint64_t terms, bool root,
                            double* total, std::uint64_t* decided) {
    const double mm = 2.0 * static_cast<double>(terms) + 2.0;
    const double u = 0x1p-53;
    const double k = (4.0 * mm * u) * (4.0 * mm * u);
    std::size_t i = 0;
#if defined(__GNUC__) || defined(__clang__)
    using V = Lanes<2>::V;
    using I = Lanes<2>::I;
    const V vk = k - V{}, zero = V{}, two = 2.0 - V{}, half = 0.5 - V{};
    const V inf = std::numeric_limits<double>::infinity() - V{};
    const I abs_mask = I{} + 0x7FFFFFFFFFFFFFFF;
    for (; i + 2 <= m; i += 2) {
        V si, ci;
        std::memcpy(&si, s + i, sizeof si);
        std::memcpy(&ci, c + i, sizeof ci);
        const V hi = si + ci;
        const V lo = ci - (hi - si);
        const V bound = vk * (hi * two);
        const V gap = hi - reinterpret_cast<V>(reinterpret_cast<I>(hi) - 1);
        const V abs_lo = reinterpret_cast<V>(reinterpret_cast<I>(lo) & abs_mask);
        const I ok = (hi == zero) | ((hi < inf) & (hi > -inf) & (abs_lo + bound < half * gap));
        V t = hi;
#if defined(__SSE2__) && defined(__x86_64__)
        if (root) t = _mm_sqrt_pd(hi);
#else
        if (root) t = V{std::sqrt(hi[0]), std::sqrt(hi[1])};
#endif
        std::memcpy(total + i, &t, sizeof t);
        std::memcpy(decided + i, &ok, sizeof ok);
    }
#endif
    for (; i < m; ++i) {
        const double hi = s[i] + c[i];
        const double lo = c[i] - (hi - s[i]);
        bool ok = hi == 0.0;
        if (!ok && std::isfinite(hi)) {
            const double gap = hi - std::bit_cast<double>(std::bit_cast<std::uint64_t>(hi) - 1);
            ok = std::abs(lo) + k * (hi * 2.0) < 0.5 * gap;
        }
        total[i] = root ? std::sqrt(hi) : hi;
        decided[i] = ok ? ~std::uint64_t{0} : 0;
    }
}

// y[i] = x[i] / d[i] for i < m, in T, on the path `isa`. `stream` selects non-temporal
// stores (double only; the caller calls stream_fence() after the last block).
template <class T>
void divide_rows(const T* x, const T* d, T* y, std::size_t m, KernelIsa isa, bool stream) {
    std::size_t i = 0;
    if constexpr (std::is_same_v<T, double>) {
#ifdef REPREP_ISA_DISPATCH
        switch (isa) {
            case KernelIsa::avx512: i = stream ? divide_stream_avx512(x, d, y, m) : divide_avx512(x, d, y, m); break;
            case KernelIsa::avx2: i = stream ? divide_stream_avx2(x, d, y, m) : divide_avx2(x, d, y, m); break;
            default: break;
        }
#endif
#if REPREP_STREAM_STORES
        if (stream && isa == KernelIsa::baseline) {
            for (; i < m && (reinterpret_cast<std::uintptr_t>(y + i) & 15u) != 0; ++i) y[i] = x[i] / d[i];
            for (; i + 2 <= m; i += 2) _mm_stream_pd(y + i, _mm_div_pd(_mm_loadu_pd(x + i), _mm_loadu_pd(d + i)));
        }
#endif
#if defined(__GNUC__) || defined(__clang__)
        i += divide_lanes<2>(x + i, d + i, y + i, m - i);
#endif
    }
    (void)isa;
    (void)stream;
    for (; i < m; ++i) y[i] = x[i] / d[i];
}

}  // namespace reprep::detail
