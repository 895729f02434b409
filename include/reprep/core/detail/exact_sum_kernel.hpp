// The block kernel behind ExactSum::add(const double*, n).
//
// Why it is exact. For a block of at most 2^11 values with |x| < 2^(E+1):
//   grid g1 = E - 41, C1 = 1.5 * 2^(g1 + 52):  t1 = (x + C1) - C1 is x rounded to a
//   multiple of 2^g1 (x + C1 stays in C1's binade, and the subtraction is exact by
//   Sterbenz), and r1 = x - t1 is exact with |r1| <= 2^(g1 - 1).
//   Every |t1| <= 2^(E+1), so any partial sum of 2^11 of them is a multiple of 2^g1
//   below 2^(E+12) = 2^53 * 2^g1: exact in a double, in any order and lane split.
//   The residual goes through the same step on the grid g2 = g1 - 43, whose sums are
//   exact for the same reason (|r1| <= 2^(g1-1), 2^11 * 2^(g1-1) = 2^53 * 2^g2).
//   What is left, r2 = r1 - t2, is nonzero only for values with bits below 2^g2, i.e.
//   values more than ~33 binades under the block's largest. Such residuals are
//   collected and summed by the same kernel (their own block maximum gives them their
//   own grids), so wide-range data costs extra passes but stays exact.
// Blocks whose largest magnitude is so large or so small that a constant or a bin sum
// would overflow or be subnormal, or that hold NaN/Inf, take the scalar path (one
// superaccumulator add per value). Every path is exact, so blocking, lane count and
// vector width never change a result.
//
// The loops use GCC/Clang generic vectors (SSE2 on x86-64 at plain -O3, NEON on
// aarch64); other compilers get the same arithmetic on scalars.
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "isa.hpp"

namespace reprep::detail {

inline constexpr std::size_t kExactSumBlock = 2048;  // 2^11: sets the grid spacing below
inline constexpr int kGridStep = 43;                 // 53 - 11 + 1 bits between grids
inline constexpr int kFastMinExp = -960;             // C2 = 1.5 * 2^(E - 32) must be normal
inline constexpr int kFastMaxExp = 1010;             // C1 and the bin-1 sum must be finite

inline double pow2_times_1_5(int k) {  // 1.5 * 2^k, for k in the normal range
    return std::bit_cast<double>((static_cast<std::uint64_t>(k + 1023) << 52) | (std::uint64_t{1} << 51));
}

// floor(log2 m) for a positive normal m; -1023 for zero/subnormals, 1024 for Inf/NaN.
inline int exponent_of(double m) {
    return static_cast<int>((std::bit_cast<std::uint64_t>(m) >> 52) & 0x7FF) - 1023;
}

struct GridConstants {
    double c1, c2;
};
inline GridConstants grid_constants(int e) {
    const int g1 = e - 41;
    return {pow2_times_1_5(g1 + 52), pow2_times_1_5(g1 - kGridStep + 52)};
}

struct GridSums {
    double s1 = 0.0, s2 = 0.0;
    double spill = 0.0;  // sum of |r2|: zero exactly when nothing is left over
};

// The scalar form of one value's split, used for tails and to collect residuals.
inline double grid_residual(double x, const GridConstants& k, double& t1, double& t2) {
    t1 = (x + k.c1) - k.c1;
    const double r1 = x - t1;
    t2 = (r1 + k.c2) - k.c2;
    return r1 - t2;
}

// Adds p[i..n) to g one value at a time (the tails, and compilers without vectors).
inline void grid_scalar(const double* p, std::size_t i, std::size_t n, const GridConstants& k, GridSums& g) {
    for (; i < n; ++i) {
        double t1, t2;
        const double r = grid_residual(p[i], k, t1, t2);
        g.s1 += t1;
        g.s2 += t2;
        g.spill += std::fabs(r);
    }
}

#if defined(__GNUC__) || defined(__clang__)
#define REPREP_HAVE_VECTOR_EXT 1
typedef double v2d __attribute__((vector_size(16)));
typedef std::int64_t v2i __attribute__((vector_size(16)));
inline v2d v2_load(const double* p) {
    v2d v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline v2d v2_abs(v2d x) {
    const v2i mask = {0x7FFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF};
    return reinterpret_cast<v2d>(reinterpret_cast<v2i>(x) & mask);
}
inline v2d v2_splat(double x) { return v2d{x, x}; }
#endif

// Largest |x| in p[0..n), NaN ignored (a NaN shows up later as a non-finite bin sum).
inline double block_max_abs(const double* p, std::size_t n) {
    std::size_t i = 0;
    double r = 0.0;
#ifdef REPREP_HAVE_VECTOR_EXT
    v2d m0 = {}, m1 = {};
    const std::size_t n4 = n & ~std::size_t{3};
    for (; i < n4; i += 4) {
        const v2d a = v2_abs(v2_load(p + i)), b = v2_abs(v2_load(p + i + 2));
        m0 = a > m0 ? a : m0;
        m1 = b > m1 ? b : m1;
    }
    m0 = m1 > m0 ? m1 : m0;
    r = m0[0] > m0[1] ? m0[0] : m0[1];
#endif
    for (; i < n; ++i) {
        const double a = std::fabs(p[i]);
        r = a > r ? a : r;
    }
    return r;
}

// Grid sums of p[0..n) and, in the same loop, the largest |x| of the next block
// q[0..nq): the grid pass is compute-bound on data already in L1, the max pass is
// bound by memory, so running them together hides most of the memory time.
// One body for every vector width W (isa.hpp): two chains of W lanes, 2W values a step.
#ifdef REPREP_HAVE_VECTOR_EXT
template <int W>
[[gnu::always_inline]] inline GridSums block_grid_sums_lanes(const double* p, std::size_t n, const GridConstants& k,
                                                             const double* q, std::size_t nq, double* qmax) {
    using V = typename Lanes<W>::V;
    using I = typename Lanes<W>::I;
    constexpr std::size_t step = 2 * W;
    const I mask = I{} + 0x7FFFFFFFFFFFFFFF;
    // No helper functions here: a function taking or returning a wide vector outside
    // the wide target changes the ABI (-Wpsabi), so loads and |x| are written out.
    const V c1 = k.c1 - V{}, c2 = k.c2 - V{};
    V a1 = {}, a2 = {}, sa = {}, b1 = {}, b2 = {}, sb = {};
    V m0 = {}, m1 = {};
    std::size_t i = 0;
    const std::size_t both = nq < n ? nq : n;
    const std::size_t both_v = both - both % step, n_v = n - n % step, nq_v = nq - nq % step;
    for (; i < n_v; i += step) {
        V x, y;
        std::memcpy(&x, p + i, sizeof x);
        std::memcpy(&y, p + i + W, sizeof y);
        const V tx = (x + c1) - c1, ty = (y + c1) - c1;
        const V rx = x - tx, ry = y - ty;
        const V ux = (rx + c2) - c2, uy = (ry + c2) - c2;
        a1 += tx;
        b1 += ty;
        a2 += ux;
        b2 += uy;
        sa += reinterpret_cast<V>(reinterpret_cast<I>(rx - ux) & mask);
        sb += reinterpret_cast<V>(reinterpret_cast<I>(ry - uy) & mask);
        if (i < both_v) {
            V u, w;
            std::memcpy(&u, q + i, sizeof u);
            std::memcpy(&w, q + i + W, sizeof w);
            u = reinterpret_cast<V>(reinterpret_cast<I>(u) & mask);
            w = reinterpret_cast<V>(reinterpret_cast<I>(w) & mask);
            m0 = u > m0 ? u : m0;
            m1 = w > m1 ? w : m1;
        }
    }
    std::size_t iq = both_v;
    for (; iq < nq_v; iq += step) {
        V u, w;
        std::memcpy(&u, q + iq, sizeof u);
        std::memcpy(&w, q + iq + W, sizeof w);
        u = reinterpret_cast<V>(reinterpret_cast<I>(u) & mask);
        w = reinterpret_cast<V>(reinterpret_cast<I>(w) & mask);
        m0 = u > m0 ? u : m0;
        m1 = w > m1 ? w : m1;
    }
    a1 += b1;
    a2 += b2;
    sa += sb;
    m0 = m1 > m0 ? m1 : m0;
    GridSums g;
    double qm = 0.0;
    for (int j = 0; j < W; ++j) {  // exact sums: any order; spill is only tested for 0
        g.s1 += a1[j];
        g.s2 += a2[j];
        g.spill += sa[j];
        qm = m0[j] > qm ? m0[j] : qm;
    }
    for (; iq < nq; ++iq) {
        const double a = std::fabs(q[iq]);
        qm = a > qm ? a : qm;
    }
    grid_scalar(p, i, n, k, g);
    if (qmax) *qmax = qm;
    return g;
}
#endif

#ifdef REPREP_ISA_DISPATCH
REPREP_TARGET_AVX2 inline GridSums block_grid_sums_avx2(const double* p, std::size_t n, const GridConstants& k,
                                                        const double* q, std::size_t nq, double* qmax) {
    return block_grid_sums_lanes<4>(p, n, k, q, nq, qmax);
}
REPREP_TARGET_AVX512 inline GridSums block_grid_sums_avx512(const double* p, std::size_t n, const GridConstants& k,
                                                            const double* q, std::size_t nq, double* qmax) {
    return block_grid_sums_lanes<8>(p, n, k, q, nq, qmax);
}
#endif

inline GridSums block_grid_sums(const double* p, std::size_t n, const GridConstants& k,
                                const double* q = nullptr, std::size_t nq = 0, double* qmax = nullptr) {
#ifdef REPREP_ISA_DISPATCH
    switch (active_kernel_isa()) {
        case KernelIsa::avx512: return block_grid_sums_avx512(p, n, k, q, nq, qmax);
        case KernelIsa::avx2: return block_grid_sums_avx2(p, n, k, q, nq, qmax);
        default: break;
    }
#endif
#ifdef REPREP_HAVE_VECTOR_EXT
    return block_grid_sums_lanes<2>(p, n, k, q, nq, qmax);
#else
    GridSums g;
    if (qmax) *qmax = nq > 0 ? block_max_abs(q, nq) : 0.0;
    grid_scalar(p, 0, n, k, g);
    return g;
#endif
}

// Feeds p[0..n) into `acc` exactly; acc.add(double) is the scalar path.
template <class Acc>
void exact_sum_blocks(const double* p, std::size_t n, Acc& acc) {
    std::vector<double> residuals;  // allocated only if some block spills
    double mx = n > 0 ? block_max_abs(p, n < kExactSumBlock ? n : kExactSumBlock) : 0.0;
    while (n > 0) {
        const std::size_t m = n < kExactSumBlock ? n : kExactSumBlock;
        const double* next = p + m;
        const std::size_t nn = n - m < kExactSumBlock ? n - m : kExactSumBlock;
        double next_mx = 0.0;
        const int e = exponent_of(mx);
        bool scalar = mx == 0.0 || e < kFastMinExp || e > kFastMaxExp;
        if (!scalar) {
            const GridConstants k = grid_constants(e);
            const GridSums g = block_grid_sums(p, m, k, next, nn, &next_mx);
            if (!std::isfinite(g.s1) || !std::isfinite(g.s2) || std::isnan(g.spill)) {
                scalar = true;  // NaN or Inf in the block: the flags need the scalar path
            } else {
                acc.add(g.s1);
                acc.add(g.s2);
                if (g.spill != 0.0) {
                    residuals.clear();
                    for (std::size_t i = 0; i < m; ++i) {
                        double t1, t2;
                        const double r = grid_residual(p[i], k, t1, t2);
                        if (r != 0.0) residuals.push_back(r);
                    }
                    // Every residual is below 2^(E-84), so the recursion ends.
                    exact_sum_blocks(residuals.data(), residuals.size(), acc);
                }
            }
        } else {
            next_mx = nn > 0 ? block_max_abs(next, nn) : 0.0;
        }
        if (scalar)
            for (std::size_t i = 0; i < m; ++i) acc.add(p[i]);
        p = next;
        n -= m;
        mx = next_mx;
    }
}

}  // namespace reprep::detail
