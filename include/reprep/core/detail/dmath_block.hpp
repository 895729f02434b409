// Block versions of dmath::log, dmath::pow and dmath::sin/cos (both at once) over a run
// of doubles, for the transforms that apply one function to a whole column
// (LogTransformer, PowerTransformer, CyclicalFeatures):
//
//   log_block(x, out, n)         out[i] = dmath::log(x[i])
//   pow_block(x, y, out, n)      out[i] = dmath::pow(x[i], y[i])
//   sincos_block(x, s, c, n)     s[i] = dmath::sin(x[i]), c[i] = dmath::cos(x[i])
//
// out (or s) may be x (in place). Every result is the same bits as the scalar function's, for
// every input, on every path. How:
//   * The common case (log: x positive normal; pow: x positive normal and not 1, y finite,
//     nonzero, |y| < 2^64, result in the normal range; sin/cos: 2^-26 <= |x| < 2^20) runs
//     W lanes at a time through exactly the scalar algorithm's operations, in the same
//     order: table lookups become per-lane loads, exponent tricks the same bit operations.
//   * Any lane that the scalar function would send down another branch (NaN, Inf, 0,
//     negative, subnormal, |y| >= 2^64, overflow or underflow, tiny or huge trig
//     arguments) is recomputed by the scalar function itself.
//   * The scalar trig kernels form exact products with std::fma (two_prod); here the
//     same exact product comes from Dekker's algorithm with Veltkamp's split, which is
//     exact (so the same bits) whenever no partial product underflows or overflows: in
//     the lanes kept here every operand lies between about 2^-200 and 4.
//   * sin(x) for |x| <= pi/4 takes r = x directly in the scalar code; here it goes through
//     the Cody-Waite reduction with the quadrant forced to 0, which gives exactly {x, +0}.
//
// Contraction: every product goes through `mul` below, an empty asm statement on the
// vector register (the vector twin of no_fuse in double_double.hpp), so no compiler can
// fuse it into an addition under any -ffp-contract, GCC or Clang, at any width; so these
// kernels take AVX-512 with Clang too (tests/dmath/test_block_fpcontract.cpp runs them
// in a contracted unit; docs/dmath.md has the objdump check).
//
// Widths: 2 lanes (SSE2, the x86-64 baseline), 4 (AVX2), 8 (AVX-512F), chosen at run time
// by isa.hpp's kernel_isa(). Lengths that are not a multiple of W end with scalar calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "dmath_explog.hpp"  // log, pow and their kernels
#include "dmath_trig.hpp"    // sin, cos and the reduction
#include "isa.hpp"

namespace reprep::dmath::detail {

// Values per call when a transform stages a column through a buffer on the stack: a few
// KiB per buffer, so they stay in L1 and the call overhead is spread thin.
inline constexpr std::size_t kBlockValues = 256;

// Walks the cells of a rows x cols matrix in column order, kBlockValues at a time:
// stage(k, i, j) fills slot k of the caller's buffers from cell (i, j), run(m) computes
// the m staged slots, emit(k, i, j) writes slot k back to cell (i, j). Blocks run across
// column ends, so one record of several columns (the single-row path) is one block too.
template <class Stage, class Run, class Emit>
inline void for_cell_blocks(std::ptrdiff_t rows, std::ptrdiff_t cols, Stage&& stage, Run&& run, Emit&& emit) {
    if (rows <= 0) return;
    std::ptrdiff_t i = 0, j = 0;
    while (j < cols) {
        const std::ptrdiff_t i0 = i, j0 = j;
        std::size_t m = 0;
        for (; m < kBlockValues && j < cols; ++m) {
            stage(m, i, j);
            if (++i == rows) i = 0, ++j;
        }
        run(m);
        std::ptrdiff_t a = i0, b = j0;
        for (std::size_t k = 0; k < m; ++k) {
            emit(k, a, b);
            if (++a == rows) a = 0, ++b;
        }
    }
}

// The scalar functions, kept out of line so that the wide functions hold only the lane
// code (and none of the scalar code's explicit std::fma, which a wide target would emit
// as an fma instruction: correct, but it would blur the no-fma check of the wide code).
[[gnu::noinline]] inline double log_scalar(double x) { return dmath::log(x); }
[[gnu::noinline]] inline double pow_scalar(double x, double y) { return dmath::pow(x, y); }
[[gnu::noinline]] inline void sincos_scalar(double x, double* s, double* c) {
    *s = dmath::sin(x);
    *c = dmath::cos(x);
}

#if defined(__GNUC__) || defined(__clang__)

template <int W>
struct ULanes {
    typedef std::uint64_t U __attribute__((vector_size(8 * W)));
};

// The lane functions pass wide vectors by value; they are all always_inline, so no call
// with the changed ABI that -Wpsabi warns of is ever made. GCC emits that warning at the
// end of the unit, where a pop would have restored it, so it stays off from here on (it
// concerns only functions that pass AVX vectors by value outside an AVX target).
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wpsabi"
#elif defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

template <int W>
struct VMath {
    using V = typename reprep::detail::Lanes<W>::V;
    using I = typename reprep::detail::Lanes<W>::I;
    using U = typename ULanes<W>::U;
    struct DDv {
        V hi, lo;
    };

    // The vector no_fuse: the compiler must assume the register changed, so it cannot
    // fuse the product into a following addition.
    [[gnu::always_inline]] static inline V bar(V x) {
#if (defined(__x86_64__) || defined(__i386__)) && defined(__clang__)
        // Clang checks the operand against the features of the unit, not of the wide
        // target the code is inlined into, so a 256/512-bit operand is allowed only where
        // the whole unit has AVX/AVX-512. Without them no barrier is needed: the AVX2
        // target then has no FMA to fuse with, and the AVX-512 paths are not taken with
        // Clang (REPREP_WIDE_MULTIPLY_AVX512 in isa.hpp).
        if constexpr (W == 2) __asm__("" : "+x"(x));
#if defined(__AVX__)
        if constexpr (W == 4) __asm__("" : "+x"(x));
#endif
#if defined(__AVX512F__)
        if constexpr (W == 8) __asm__("" : "+v"(x));
#endif
#elif defined(__x86_64__) || defined(__i386__)
        if constexpr (W == 8)
            __asm__("" : "+v"(x));
        else
            __asm__("" : "+x"(x));
#elif defined(__aarch64__)
        __asm__("" : "+w"(x));
#else
        __asm__("" : "+m"(x));
#endif
        return x;
    }
    [[gnu::always_inline]] static inline V mul(V a, V b) { return bar(a * b); }
    // A constant in every lane: c - (+0) is c for every c, -0.0 included.
    [[gnu::always_inline]] static inline V splat(double c) { return c - V{}; }
    [[gnu::always_inline]] static inline U ubits(V v) { return (U)v; }
    [[gnu::always_inline]] static inline V from(U u) { return (V)u; }
    [[gnu::always_inline]] static inline U usplat(std::uint64_t c) { return c - U{}; }

    template <std::size_t N>
    [[gnu::always_inline]] static inline V gather(const double (&t)[N], U idx) {
        V r;
        for (int l = 0; l < W; ++l) r[l] = t[idx[l]];
        return r;
    }

    [[gnu::always_inline]] static inline DDv two_sum(V a, V b) {
        const V s = a + b;
        const V bb = s - a;
        const V e = (a - (s - bb)) + (b - bb);
        return {s, e};
    }
    [[gnu::always_inline]] static inline DDv fast_two_sum(V a, V b) {
        const V s = a + b;
        const V e = b - (s - a);
        return {s, e};
    }
    // dmath_explog.hpp's split26 (masking).
    [[gnu::always_inline]] static inline DDv split26(V a) {
        const V hi = from(ubits(a) & usplat(0xFFFFFFFFF8000000ULL));
        return {hi, a - hi};
    }
    [[gnu::always_inline]] static inline DDv mul_exact(V a, V b) {
        const DDv as = split26(a);
        const DDv bs = split26(b);
        const V p = mul(a, b);
        const V e = ((mul(as.hi, bs.hi) - p) + mul(as.hi, bs.lo) + mul(as.lo, bs.hi)) + mul(as.lo, bs.lo);
        return {p, e};
    }
    [[gnu::always_inline]] static inline DDv square_exact(V a) {
        const DDv as = split26(a);
        const V p = mul(a, a);
        const V e = ((mul(as.hi, as.hi) - p) + mul(splat(2.0), mul(as.hi, as.lo))) + mul(as.lo, as.lo);
        return {p, e};
    }
    // a * b = p + e exactly: the bits of double_double.hpp's two_prod (p, fma(a, b, -p))
    // as long as no partial product underflows or overflows (Dekker 1971).
    [[gnu::always_inline]] static inline DDv two_prod(V a, V b) {
        const V k = splat(134217729.0);  // 2^27 + 1
        const V ca = mul(k, a), cb = mul(k, b);
        const V ah = ca - (ca - a), bh = cb - (cb - b);
        const V al = a - ah, bl = b - bh;
        const V p = mul(a, b);
        const V e = ((mul(ah, bh) - p) + mul(ah, bl) + mul(al, bh)) + mul(al, bl);
        return {p, e};
    }
    [[gnu::always_inline]] static inline DDv dd_mul(DDv a, DDv b) {
        DDv p = two_prod(a.hi, b.hi);
        p.lo += mul(a.hi, b.lo) + mul(a.lo, b.hi);
        return fast_two_sum(p.hi, p.lo);
    }
    // (double)e for |e| < 2^51, exactly, without a 64-bit integer conversion.
    [[gnu::always_inline]] static inline V to_double(I e) {
        const V shift = splat(0x1.8p52);
        return from(ubits(shift) + (U)e) - shift;
    }

    // ---- log (dmath_explog.hpp's log_round with extra_k = 0) ----------------------------
    [[gnu::always_inline]] static inline V log_round(U ix) {
        const U tmp = ix - usplat(kLogOff);
        const U i = (tmp >> 45) & usplat(127);
        const I e = (I)tmp >> 52;
        const V z = from(ix - ((U)e << 52));
        const V invc = gather(kLogInvC, i);
        const DDv zs = split26(z);
        const DDv r = two_sum(mul(zs.hi, invc) - splat(1.0), mul(zs.lo, invc));
        const V rh = r.hi;
        const V kd = to_double(e);
        const V a = mul(kd, splat(kLn2Hi)) + gather(kLogCHi, i);
        const DDv b = fast_two_sum(a, rh);
        const V r2 = mul(rh, rh);
        const V poly =
            mul(splat(-0.5), r2) +
            mul(mul(rh, r2), (splat(kLogPoly[0]) + mul(rh, splat(kLogPoly[1]))) +
                                 mul(r2, (splat(kLogPoly[2]) + mul(rh, splat(kLogPoly[3]))) +
                                             mul(r2, splat(kLogPoly[4]) + mul(rh, splat(kLogPoly[5])))));
        const V small = (b.lo + (mul(kd, splat(kLn2Lo)) + gather(kLogCLo, i))) + (r.lo + poly);
        return b.hi + small;
    }

    // ---- pow (log_bits with lo = 0, extra_k = 0; exp_split_impl<false>; round_scaled) ---
    [[gnu::always_inline]] static inline DDv log_bits(U ix) {
        const U tmp = ix - usplat(kLogOff);
        const U i = (tmp >> 45) & usplat(127);
        const I e = (I)tmp >> 52;
        const V z = from(ix - ((U)e << 52));
        const V invc = gather(kLogInvC, i);
        const DDv zs = split26(z);
        const DDv r = two_sum(mul(zs.hi, invc) - splat(1.0), mul(zs.lo, invc));
        const V rh = r.hi;
        const V rl = r.lo;
        const V kd = to_double(e);
        const V a = mul(kd, splat(kLn2Hi)) + gather(kLogCHi, i);
        const DDv b = fast_two_sum(a, rh);
        const DDv sq = square_exact(rh);
        const DDv c = fast_two_sum(b.hi, mul(splat(-0.5), sq.hi));
        const V r2 = sq.hi;
        const V poly = (splat(kLogPoly[0]) + mul(rh, splat(kLogPoly[1]))) +
                       mul(r2, (splat(kLogPoly[2]) + mul(rh, splat(kLogPoly[3]))) +
                                   mul(r2, (splat(kLogPoly[4]) + mul(rh, splat(kLogPoly[5]))) + mul(r2, splat(kLogPoly[6]))));
        const V tail = (mul(kd, splat(kLn2Lo)) + gather(kLogCLo, i)) + (rl - mul(splat(0.5), sq.lo) - mul(rh, rl)) +
                       mul(mul(rh, r2), poly);
        const V small = (b.lo + c.lo) + tail;
        return fast_two_sum(c.hi, small);
    }

    // exp(hi + lo) = (s + lo) 2^k rounded, when -1021 < k < 1000; `bad` marks the other lanes.
    [[gnu::always_inline]] static inline V exp_round(V hi, V lo, I& bad) {
        const V shift = splat(kRoundShift);
        V kd = mul(hi, splat(k128ByLn2)) + shift;
        const I ki = (I)(ubits(kd) - ubits(shift));
        kd = kd - shift;
        const V t = hi - mul(kd, splat(kLn2By128Hi));
        const DDv r = two_sum(t, lo - mul(kd, splat(kLn2By128Lo)));
        const U j = (U)ki & usplat(127);
        const I big_k = ki >> 7;
        const V th = gather(kExp2Hi, j);
        const V tl = gather(kExp2Lo, j);
        const V rh = r.hi;
        const V r2 = mul(rh, rh);
        const V q = mul(r2, (splat(kExpPoly[0]) + mul(rh, splat(kExpPoly[1]))) +
                                mul(r2, (splat(kExpPoly[2]) + mul(rh, splat(kExpPoly[3]))) + mul(r2, splat(kExpPoly[4]))));
        const V elo = mul(th, rh) + ((tl + mul(tl, rh)) + mul(th, r.lo + q));
        bad |= (big_k <= -1021) | (big_k >= 1000);
        const V scale = from((U)(big_k + 1023) << 52);
        return mul(th + elo, scale);
    }

    // pow(x, y) on the fast path; `bad` marks the lanes the scalar pow must redo.
    [[gnu::always_inline]] static inline V pow(V x, V y, I& bad) {
        const U ix = ubits(x);
        const U ay = ubits(y) & usplat(0x7fffffffffffffffULL);
        bad = (I)((ix - usplat(0x0010000000000000ULL)) >= usplat(0x7ff0000000000000ULL - 0x0010000000000000ULL)) |
              (I)(x == splat(1.0)) | (I)((ay - usplat(1)) >= usplat(0x43f0000000000000ULL - 1));
        const DDv l = log_bits(ix);
        DDv v = mul_exact(y, l.hi);
        v.lo += mul(y, l.lo);
        v = fast_two_sum(v.hi, v.lo);
        bad |= (v.hi > splat(709.8)) | (v.hi < splat(-746.0));
        return exp_round(v.hi, v.lo, bad);
    }

    // ---- sin and cos (dmath_trig.hpp's kernels) -------------------------------------------
    [[gnu::always_inline]] static inline V sin_kernel(DDv r) {
        namespace t = reprep::detail::trig;
        const V a = r.hi, b = r.lo;
        DDv z = two_prod(a, a);
        z.lo += mul(mul(splat(2.0), a), b);
        const V zh = z.hi;
        const V q =
            splat(t::kS5) +
            mul(zh, splat(t::kS7) +
                        mul(zh, splat(t::kS9) +
                                    mul(zh, splat(t::kS11) +
                                                mul(zh, splat(t::kS13) +
                                                            mul(zh, splat(t::kS15) + mul(zh, splat(t::kS17) + mul(zh, splat(t::kS19))))))));
        DDv p = two_prod(zh, q);
        p.lo += mul(z.lo, q);
        DDv v = fast_two_sum(splat(t::kS3.hi), p.hi);
        v.lo += p.lo + splat(t::kS3.lo);
        const DDv r3 = dd_mul(r, z);
        const DDv w = dd_mul(r3, v);
        DDv s = fast_two_sum(a, w.hi);
        s.lo += b + w.lo;
        return s.hi + s.lo;
    }
    [[gnu::always_inline]] static inline V cos_kernel(DDv r) {
        namespace t = reprep::detail::trig;
        const V a = r.hi, b = r.lo;
        DDv z = two_prod(a, a);
        z.lo += mul(mul(splat(2.0), a), b);
        const V zh = z.hi;
        const V tt =
            mul(zh, splat(t::kC6) +
                        mul(zh, splat(t::kC8) +
                                    mul(zh, splat(t::kC10) +
                                                mul(zh, splat(t::kC12) +
                                                            mul(zh, splat(t::kC14) + mul(zh, splat(t::kC16) + mul(zh, splat(t::kC18))))))));
        DDv q = fast_two_sum(splat(t::kC4.hi), tt);
        q.lo += splat(t::kC4.lo);
        DDv p = two_prod(zh, q.hi);
        p.lo += mul(zh, q.lo) + mul(z.lo, q.hi);
        DDv v = fast_two_sum(splat(-0.5), p.hi);
        v.lo += p.lo;
        const DDv w = dd_mul(z, v);
        DDv s = fast_two_sum(splat(1.0), w.hi);
        s.lo += w.lo;
        return s.hi + s.lo;
    }
    // sin and cos of x for 2^-26 <= |x| < 2^20; `bad` marks the other lanes.
    [[gnu::always_inline]] static inline void sincos(V x, V& sn, V& cs, I& bad) {
        namespace t = reprep::detail::trig;
        const U sign = usplat(0x8000000000000000ULL);
        const V ax = from(ubits(x) & ~sign);
        bad = ~((I)(ax >= splat(0x1p-26)) & (I)(ax < splat(0x1p20)));
        const V shift = splat(0x1.8p52);
        const V nb = mul(ax, splat(t::kTwoOverPi)) + shift;
        const U small = (U)(ax <= splat(t::kPio4));  // the scalar code takes r = x: quadrant 0
        const U quad = (ubits(nb) - ubits(shift)) & ~small;
        const V n = from(ubits(nb - shift) & ~small);
        const V t1 = ax - mul(n, splat(t::kPio2Part1));
        const DDv s = two_sum(t1, -mul(n, splat(t::kPio2Part2)));
        const DDv s2 = two_sum(s.hi, -mul(n, splat(t::kPio2Part3)));
        const V tail = (s.lo + s2.lo) - mul(n, splat(t::kPio2Part4));
        const DDv r = fast_two_sum(s2.hi, tail);
        const V sk = sin_kernel(r);
        const V ck = cos_kernel(r);
        const U odd = -(quad & usplat(1));  // all ones where the quadrant is odd
        const U sv = (ubits(ck) & odd) | (ubits(sk) & ~odd);
        const U cv = (ubits(sk) & odd) | (ubits(ck) & ~odd);
        const U sflip = ((ubits(x) >> 63) ^ ((quad >> 1) & usplat(1))) << 63;
        const U cflip = (((quad + usplat(1)) >> 1) & usplat(1)) << 63;
        sn = from(sv ^ sflip);
        cs = from(cv ^ cflip);
    }

    // ---- the block loops ------------------------------------------------------------------
    [[gnu::always_inline]] static inline void log_run(const double* in, double* out, std::size_t n) {
        std::size_t i = 0;
        for (; i + W <= n; i += W) {
            V x;
            std::memcpy(&x, in + i, sizeof x);
            const U ix = ubits(x);
            const I bad = (I)((ix - usplat(0x0010000000000000ULL)) >= usplat(0x7ff0000000000000ULL - 0x0010000000000000ULL));
            const V r = log_round(ix);
            std::memcpy(out + i, &r, sizeof r);
            for (int l = 0; l < W; ++l)
                if (bad[l]) out[i + l] = log_scalar(x[l]);
        }
        for (; i < n; ++i) out[i] = log_scalar(in[i]);
    }
    [[gnu::always_inline]] static inline void pow_run(const double* xs, const double* ys, double* out, std::size_t n) {
        std::size_t i = 0;
        for (; i + W <= n; i += W) {
            V x, y;
            std::memcpy(&x, xs + i, sizeof x);
            std::memcpy(&y, ys + i, sizeof y);
            I bad;
            const V r = pow(x, y, bad);
            std::memcpy(out + i, &r, sizeof r);
            for (int l = 0; l < W; ++l)
                if (bad[l]) out[i + l] = pow_scalar(x[l], y[l]);
        }
        for (; i < n; ++i) out[i] = pow_scalar(xs[i], ys[i]);
    }
    [[gnu::always_inline]] static inline void sincos_run(const double* in, double* so, double* co, std::size_t n) {
        std::size_t i = 0;
        for (; i + W <= n; i += W) {
            V x, s, c;
            std::memcpy(&x, in + i, sizeof x);
            I bad;
            sincos(x, s, c, bad);
            std::memcpy(so + i, &s, sizeof s);
            std::memcpy(co + i, &c, sizeof c);
            for (int l = 0; l < W; ++l)
                if (bad[l]) sincos_scalar(x[l], so + i + l, co + i + l);
        }
        for (; i < n; ++i) sincos_scalar(in[i], so + i, co + i);
    }
};

#ifdef REPREP_ISA_DISPATCH
REPREP_TARGET_AVX2 inline void log_block_avx2(const double* x, double* out, std::size_t n) { VMath<4>::log_run(x, out, n); }
REPREP_TARGET_AVX512 inline void log_block_avx512(const double* x, double* out, std::size_t n) { VMath<8>::log_run(x, out, n); }
REPREP_TARGET_AVX2 inline void pow_block_avx2(const double* x, const double* y, double* out, std::size_t n) {
    VMath<4>::pow_run(x, y, out, n);
}
REPREP_TARGET_AVX512 inline void pow_block_avx512(const double* x, const double* y, double* out, std::size_t n) {
    VMath<8>::pow_run(x, y, out, n);
}
REPREP_TARGET_AVX2 inline void sincos_block_avx2(const double* x, double* s, double* c, std::size_t n) {
    VMath<4>::sincos_run(x, s, c, n);
}
REPREP_TARGET_AVX512 inline void sincos_block_avx512(const double* x, double* s, double* c, std::size_t n) {
    VMath<8>::sincos_run(x, s, c, n);
}
#endif

inline void log_block(const double* x, double* out, std::size_t n) {
    // One value (a record's single column) goes to the scalar function, which every
    // path uses for a tail anyway: the same bits without the call into a wide clone.
    if (n == 1) {
        out[0] = log_scalar(x[0]);
        return;
    }
#ifdef REPREP_ISA_DISPATCH
    switch (reprep::detail::active_kernel_isa()) {
        case KernelIsa::avx512:
            if constexpr (REPREP_WIDE_MULTIPLY_AVX512) return log_block_avx512(x, out, n);
            [[fallthrough]];
        case KernelIsa::avx2: return log_block_avx2(x, out, n);
        default: break;
    }
#endif
    VMath<2>::log_run(x, out, n);
}

inline void pow_block(const double* x, const double* y, double* out, std::size_t n) {
    if (n == 1) {
        out[0] = pow_scalar(x[0], y[0]);
        return;
    }
#ifdef REPREP_ISA_DISPATCH
    switch (reprep::detail::active_kernel_isa()) {
        case KernelIsa::avx512:
            if constexpr (REPREP_WIDE_MULTIPLY_AVX512) return pow_block_avx512(x, y, out, n);
            [[fallthrough]];
        case KernelIsa::avx2: return pow_block_avx2(x, y, out, n);
        default: break;
    }
#endif
    VMath<2>::pow_run(x, y, out, n);
}

inline void sincos_block(const double* x, double* s, double* c, std::size_t n) {
    if (n == 1) {
        sincos_scalar(x[0], s, c);
        return;
    }
#ifdef REPREP_ISA_DISPATCH
    switch (reprep::detail::active_kernel_isa()) {
        case KernelIsa::avx512:
            if constexpr (REPREP_WIDE_MULTIPLY_AVX512) return sincos_block_avx512(x, s, c, n);
            [[fallthrough]];
        case KernelIsa::avx2: return sincos_block_avx2(x, s, c, n);
        default: break;
    }
#endif
    VMath<2>::sincos_run(x, s, c, n);
}

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#else  // no vector extensions: the scalar functions

inline void log_block(const double* x, double* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = log_scalar(x[i]);
}
inline void pow_block(const double* x, const double* y, double* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = pow_scalar(x[i], y[i]);
}
inline void sincos_block(const double* x, double* s, double* c, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) sincos_scalar(x[i], s + i, c + i);
}

#endif

}  // namespace reprep::dmath::detail
