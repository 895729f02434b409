// The one-pass column kernel behind ColumnMoments: exact Σx and Σx², NaN count and
// min/max of a contiguous run of doubles.
//
// Per block of at most 2^11 values with |x| < 2^(E+1) (E from the block's min/max):
//   * x goes onto two exact grids as in exact_sum_kernel.hpp.
//   * x² is split without fma by Dekker's product: Veltkamp's split x = xh + xl
//     (c = 2^27 + 1), p = x*x, e = ((xh*xh - p) + (xh+xh)*xl) + xl*xl, so x² = p + e
//     exactly. p (|p| <= 2^(2E+2)) and e (|e| <= 2^(2E-51)) each go onto two exact grids
//     of their own; their leftovers (values ~16 binades below the block's largest) are
//     collected and summed exactly by the ExactSum kernel.
// Exactness of Dekker's product needs its partial products to be representable: when x
// left nothing on its grids (x is a multiple of 2^(E-84)), every partial product is a
// multiple of 2^(2E-168) >= 2^-1074 for E >= -453, and below 2^1003 for E <= 500.
// A block where x itself leaves a residual, or that holds NaN/Inf, or whose E is out
// of that range, is redone on the scalar path (ExactSum::add and add_product, which are
// exact everywhere). Every path is exact, so no result depends on blocking or SIMD.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "exact_sum_kernel.hpp"

namespace reprep::detail {

inline constexpr int kMomentsMinExp = -450;
inline constexpr int kMomentsMaxExp = 500;

// Total order on non-NaN doubles with -0.0 < +0.0, so min/max never depend on order.
inline bool total_less(double a, double b) {
    return a < b || (a == b && std::signbit(a) && !std::signbit(b));
}

// The running state for one column (the sums live in ExactSum objects of the caller).
template <class Sum>
struct MomentSink {
    Sum* s1;
    Sum* s2;
    std::uint64_t count = 0;
    std::uint64_t nan = 0;
    double mn = 0.0, mx = 0.0;
    bool any = false;  // mn/mx hold a value

    void see(double x) {
        if (!any) {
            mn = mx = x;
            any = true;
            return;
        }
        if (total_less(x, mn)) mn = x;
        if (total_less(mx, x)) mx = x;
    }
    void scalar(const double* p, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            const double x = p[i];
            if (std::isnan(x)) {
                ++nan;
                continue;
            }
            ++count;
            s1->add(x);
            s2->add_product(x, x);
            see(x);
        }
    }
};

struct MomentConstants {
    double cx1, cx2, cp1, cp2, ce1, ce2;
};
inline MomentConstants moment_constants(int e) {
    // A stream bounded by 2^T uses grids 2^(T-42) and 2^(T-85): C = 1.5 * 2^(g + 52).
    const int tx = e + 1, tp = 2 * e + 2, te = 2 * e - 51;
    return {pow2_times_1_5(tx + 10), pow2_times_1_5(tx - 33), pow2_times_1_5(tp + 10),
            pow2_times_1_5(tp - 33), pow2_times_1_5(te + 10), pow2_times_1_5(te - 33)};
}

struct MomentSums {
    double x1 = 0, x2 = 0, xspill = 0;
    double p1 = 0, p2 = 0, e1 = 0, e2 = 0, sqspill = 0;
};

// Scalar form of one value (tails and residual collection); returns the two x² leftovers.
struct SquareParts {
    double tx1, tx2, rx, tp1, tp2, rp, te1, te2, re;
};
inline SquareParts square_parts(double x, const MomentConstants& k) {
    constexpr double split = 134217729.0;  // 2^27 + 1
    SquareParts s;
    s.tx1 = (x + k.cx1) - k.cx1;
    const double rx1 = x - s.tx1;
    s.tx2 = (rx1 + k.cx2) - k.cx2;
    s.rx = rx1 - s.tx2;
    const double p = x * x;
    const double t = split * x;
    const double xh = t - (t - x);
    const double xl = x - xh;
    const double e = ((xh * xh - p) + (xh + xh) * xl) + xl * xl;
    s.tp1 = (p + k.cp1) - k.cp1;
    const double rp1 = p - s.tp1;
    s.tp2 = (rp1 + k.cp2) - k.cp2;
    s.rp = rp1 - s.tp2;
    s.te1 = (e + k.ce1) - k.ce1;
    const double re1 = e - s.te1;
    s.te2 = (re1 + k.ce2) - k.ce2;
    s.re = re1 - s.te2;
    return s;
}

// Adds p[i..n) to r one value at a time (the tails, and compilers without vectors).
inline void moment_scalar(const double* p, std::size_t i, std::size_t n, const MomentConstants& k, MomentSums& r) {
    for (; i < n; ++i) {
        const SquareParts s = square_parts(p[i], k);
        r.x1 += s.tx1;
        r.x2 += s.tx2;
        r.xspill += std::fabs(s.rx);
        r.p1 += s.tp1;
        r.p2 += s.tp2;
        r.e1 += s.te1;
        r.e2 += s.te2;
        r.sqspill += std::fabs(s.rp) + std::fabs(s.re);
    }
}

// The block's sums; also the min/max of the next block q[0..nq) in the same loop, so
// that its memory traffic overlaps this block's arithmetic. One body for every vector
// width W (isa.hpp); no helper functions inside, because a function that takes or
// returns a wide vector outside the wide target changes the ABI (-Wpsabi).
#ifdef REPREP_HAVE_VECTOR_EXT
template <int W>
[[gnu::always_inline]] inline MomentSums moment_block_lanes(const double* p, std::size_t n, const MomentConstants& k,
                                                            const double* q, std::size_t nq, double& qlo,
                                                            double& qhi) {
    using V = typename Lanes<W>::V;
    using I = typename Lanes<W>::I;
    MomentSums r;
    std::size_t i = 0;
    std::size_t iq = 0;
    if (nq > 0) qlo = qhi = q[0];
    const I mask = I{} + 0x7FFFFFFFFFFFFFFF;
    V lo = (nq > 0 ? q[0] : 0.0) - V{}, hi = lo;
    const V cx1 = k.cx1 - V{}, cx2 = k.cx2 - V{}, cp1 = k.cp1 - V{}, cp2 = k.cp2 - V{}, ce1 = k.ce1 - V{},
            ce2 = k.ce2 - V{}, split = 134217729.0 - V{};
    V ax1 = {}, ax2 = {}, spx = {}, ap1 = {}, ap2 = {}, ae1 = {}, ae2 = {}, sq = {};
    const std::size_t n_v = n - n % W;
    const std::size_t nq_v = nq - nq % W;
    for (; i < n_v; i += W) {
        if (i < nq_v) {
            V y;
            std::memcpy(&y, q + i, sizeof y);
            lo = y < lo ? y : lo;
            hi = y > hi ? y : hi;
        }
        V x;
        std::memcpy(&x, p + i, sizeof x);
        const V tx1 = (x + cx1) - cx1;
        const V rx1 = x - tx1;
        const V tx2 = (rx1 + cx2) - cx2;
        ax1 += tx1;
        ax2 += tx2;
        spx += reinterpret_cast<V>(reinterpret_cast<I>(rx1 - tx2) & mask);
        const V pp = x * x;
        const V t = split * x;
        const V xh = t - (t - x);
        const V xl = x - xh;
        const V e = ((xh * xh - pp) + (xh + xh) * xl) + xl * xl;
        const V tp1 = (pp + cp1) - cp1;
        const V rp1 = pp - tp1;
        const V tp2 = (rp1 + cp2) - cp2;
        ap1 += tp1;
        ap2 += tp2;
        const V te1 = (e + ce1) - ce1;
        const V re1 = e - te1;
        const V te2 = (re1 + ce2) - ce2;
        ae1 += te1;
        ae2 += te2;
        sq += reinterpret_cast<V>(reinterpret_cast<I>(rp1 - tp2) & mask) +
              reinterpret_cast<V>(reinterpret_cast<I>(re1 - te2) & mask);
    }
    // Exact sums in any order; the spills are only tested for zero; min/max are by value
    // (a -0.0/+0.0 tie is settled by the caller's rescan), so lane order changes nothing.
    for (int j = 0; j < W; ++j) {
        r.x1 += ax1[j];
        r.x2 += ax2[j];
        r.xspill += spx[j];
        r.p1 += ap1[j];
        r.p2 += ap2[j];
        r.e1 += ae1[j];
        r.e2 += ae2[j];
        r.sqspill += sq[j];
    }
    iq = i < nq_v ? i : nq_v;
    if (nq > 0) {
        qlo = lo[0];
        qhi = hi[0];
        for (int j = 1; j < W; ++j) {
            qlo = lo[j] < qlo ? lo[j] : qlo;
            qhi = hi[j] > qhi ? hi[j] : qhi;
        }
    }
    for (; iq < nq; ++iq) {
        qlo = q[iq] < qlo ? q[iq] : qlo;
        qhi = q[iq] > qhi ? q[iq] : qhi;
    }
    moment_scalar(p, i, n, k, r);
    return r;
}
#endif

#ifdef REPREP_ISA_DISPATCH
REPREP_TARGET_AVX2 inline MomentSums moment_block_avx2(const double* p, std::size_t n, const MomentConstants& k,
                                                       const double* q, std::size_t nq, double& qlo, double& qhi) {
    return moment_block_lanes<4>(p, n, k, q, nq, qlo, qhi);
}
#if REPREP_WIDE_MULTIPLY_AVX512
REPREP_TARGET_AVX512 inline MomentSums moment_block_avx512(const double* p, std::size_t n, const MomentConstants& k,
                                                           const double* q, std::size_t nq, double& qlo,
                                                           double& qhi) {
    return moment_block_lanes<8>(p, n, k, q, nq, qlo, qhi);
}
#endif
#endif

inline MomentSums moment_block(const double* p, std::size_t n, const MomentConstants& k, const double* q,
                               std::size_t nq, double& qlo, double& qhi) {
#ifdef REPREP_ISA_DISPATCH
    switch (active_kernel_isa()) {
#if REPREP_WIDE_MULTIPLY_AVX512
        case KernelIsa::avx512: return moment_block_avx512(p, n, k, q, nq, qlo, qhi);
#else
        case KernelIsa::avx512:  // Clang: AVX-512 implies FMA, which -ffp-contract=fast would use
#endif
        case KernelIsa::avx2: return moment_block_avx2(p, n, k, q, nq, qlo, qhi);
        default: break;
    }
#endif
#ifdef REPREP_HAVE_VECTOR_EXT
    return moment_block_lanes<2>(p, n, k, q, nq, qlo, qhi);
#else
    MomentSums r;
    if (nq > 0) qlo = qhi = q[0];
    for (std::size_t iq = 0; iq < nq; ++iq) {
        qlo = q[iq] < qlo ? q[iq] : qlo;
        qhi = q[iq] > qhi ? q[iq] : qhi;
    }
    moment_scalar(p, 0, n, k, r);
    return r;
#endif
}

// min and max of p[0..n) by value (NaN ignored; -0.0 and +0.0 fixed up by the caller).
inline void block_min_max(const double* p, std::size_t n, double& mn, double& mx) {
    std::size_t i = 0;
    double lo = p[0], hi = p[0];
#ifdef REPREP_HAVE_VECTOR_EXT
    if (n >= 4) {
        v2d l0 = v2_load(p), l1 = v2_load(p + 2), h0 = l0, h1 = l1;
        const std::size_t n4 = n & ~std::size_t{3};
        for (i = 4; i < n4; i += 4) {
            const v2d a = v2_load(p + i), b = v2_load(p + i + 2);
            l0 = a < l0 ? a : l0;
            l1 = b < l1 ? b : l1;
            h0 = a > h0 ? a : h0;
            h1 = b > h1 ? b : h1;
        }
        l0 = l1 < l0 ? l1 : l0;
        h0 = h1 > h0 ? h1 : h0;
        lo = l0[1] < l0[0] ? l0[1] : l0[0];
        hi = h0[1] > h0[0] ? h0[1] : h0[0];
    }
#endif
    for (; i < n; ++i) {
        lo = p[i] < lo ? p[i] : lo;
        hi = p[i] > hi ? p[i] : hi;
    }
    mn = lo;
    mx = hi;
}

// The non-NaN count, minimum and maximum of p[0..n) (n <= kExactSumBlock), for fits
// that need the bounds only. NaN fails every comparison, so it never enters lo/hi;
// lo/hi start at +Inf/-Inf and are meaningful when count > 0. Zeros compare equal
// whatever their sign, so when a bound is a zero the block is scanned again (it is in
// L1) to settle it as total_less does: -0.0 below +0.0.
inline void block_bounds(const double* p, std::size_t n, std::uint64_t& count, double& lo, double& hi) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    std::size_t i = 0;
    double l = inf, h = -inf, c = 0.0;  // c counts to at most 2^11: exact
#ifdef REPREP_HAVE_VECTOR_EXT
    const v2d one = v2_splat(1.0), zero = v2_splat(0.0);
    v2d l0 = v2_splat(inf), l1 = l0, h0 = v2_splat(-inf), h1 = h0, c0 = zero, c1 = zero;
    const std::size_t n4 = n & ~std::size_t{3};
    for (; i < n4; i += 4) {
        const v2d a = v2_load(p + i), b = v2_load(p + i + 2);
        l0 = a < l0 ? a : l0;
        l1 = b < l1 ? b : l1;
        h0 = a > h0 ? a : h0;
        h1 = b > h1 ? b : h1;
        c0 += a == a ? one : zero;
        c1 += b == b ? one : zero;
    }
    l0 = l1 < l0 ? l1 : l0;
    h0 = h1 > h0 ? h1 : h0;
    c0 += c1;
    l = l0[1] < l0[0] ? l0[1] : l0[0];
    h = h0[1] > h0[0] ? h0[1] : h0[0];
    c = c0[0] + c0[1];
#endif
    for (; i < n; ++i) {
        const double x = p[i];
        l = x < l ? x : l;
        h = x > h ? x : h;
        c += x == x ? 1.0 : 0.0;
    }
    if (l == 0.0 || h == 0.0) {
        bool neg0 = false, pos0 = false;
        for (std::size_t k = 0; k < n; ++k)
            if (p[k] == 0.0) (std::signbit(p[k]) ? neg0 : pos0) = true;
        if (l == 0.0) l = neg0 ? -0.0 : 0.0;
        if (h == 0.0) h = pos0 ? 0.0 : -0.0;
    }
    count = static_cast<std::uint64_t>(c);
    lo = l;
    hi = h;
}

// Feeds p[0..n) into the sink exactly.
template <class Sum>
void moments_run(const double* p, std::size_t n, MomentSink<Sum>& sink) {
    std::vector<double> residuals;
    double lo = 0.0, hi = 0.0;
    if (n > 0) block_min_max(p, n < kExactSumBlock ? n : kExactSumBlock, lo, hi);
    while (n > 0) {
        const std::size_t m = n < kExactSumBlock ? n : kExactSumBlock;
        const double* next = p + m;
        const std::size_t nn = n - m < kExactSumBlock ? n - m : kExactSumBlock;
        double next_lo = 0.0, next_hi = 0.0;
        bool next_done = false;
        // NaN can hide from min/max (a NaN first value makes them NaN, later ones are
        // skipped); either way the grid sums come out NaN and the block goes scalar.
        const double big = std::fabs(lo) > std::fabs(hi) ? std::fabs(lo) : std::fabs(hi);
        const int e = exponent_of(big);
        bool scalar = !(big > 0.0) || e < kMomentsMinExp || e > kMomentsMaxExp;
        if (!scalar) {
            const MomentConstants k = moment_constants(e);
            const MomentSums s = moment_block(p, m, k, next, nn, next_lo, next_hi);
            next_done = true;
            const double all = s.x1 + s.x2 + s.p1 + s.p2 + s.e1 + s.e2 + s.xspill + s.sqspill;
            if (!std::isfinite(all) || s.xspill != 0.0) {
                scalar = true;
            } else {
                sink.s1->add(s.x1);
                sink.s1->add(s.x2);
                sink.s2->add(s.p1);
                sink.s2->add(s.p2);
                sink.s2->add(s.e1);
                sink.s2->add(s.e2);
                if (s.sqspill != 0.0) {
                    residuals.clear();
                    for (std::size_t i = 0; i < m; ++i) {
                        const SquareParts q = square_parts(p[i], k);
                        if (q.rp != 0.0) residuals.push_back(q.rp);
                        if (q.re != 0.0) residuals.push_back(q.re);
                    }
                    exact_sum_blocks(residuals.data(), residuals.size(), *sink.s2);
                }
                sink.count += m;
                // Zeros compare equal whatever their sign: settle which zero is the min/max.
                if (lo == 0.0 || hi == 0.0) {
                    bool neg0 = false, pos0 = false;
                    for (std::size_t i = 0; i < m; ++i)
                        if (p[i] == 0.0) (std::signbit(p[i]) ? neg0 : pos0) = true;
                    if (lo == 0.0) lo = neg0 ? -0.0 : 0.0;
                    if (hi == 0.0) hi = pos0 ? 0.0 : -0.0;
                }
                sink.see(lo);
                sink.see(hi);
            }
        }
        if (scalar) sink.scalar(p, m);
        if (!next_done && nn > 0) block_min_max(next, nn, next_lo, next_hi);
        p = next;
        n -= m;
        lo = next_lo;
        hi = next_hi;
    }
}

}  // namespace reprep::detail
