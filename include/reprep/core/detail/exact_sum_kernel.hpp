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
inline GridSums block_grid_sums(const double* p, std::size_t n, const GridConstants& k,
                                const double* q = nullptr, std::size_t nq = 0, double* qmax = nullptr) {
    std::size_t i = 0;
    GridSums g;
    double qm = 0.0;
#ifdef REPREP_HAVE_VECTOR_EXT
    const v2d c1 = v2_splat(k.c1), c2 = v2_splat(k.c2);
    v2d a1 = {}, a2 = {}, sa = {}, b1 = {}, b2 = {}, sb = {};
    v2d m0 = {}, m1 = {};
    const std::size_t both = nq < n ? nq : n;
    auto step = [&](std::size_t j) {
        const v2d x = v2_load(p + j), y = v2_load(p + j + 2);
        const v2d tx = (x + c1) - c1, ty = (y + c1) - c1;
        const v2d rx = x - tx, ry = y - ty;
        const v2d ux = (rx + c2) - c2, uy = (ry + c2) - c2;
        a1 += tx;
        b1 += ty;
        a2 += ux;
        b2 += uy;
        sa += v2_abs(rx - ux);
        sb += v2_abs(ry - uy);
    };
    const std::size_t both4 = both & ~std::size_t{3}, n4 = n & ~std::size_t{3}, nq4 = nq & ~std::size_t{3};
    for (; i < both4; i += 4) {
        step(i);
        const v2d u = v2_abs(v2_load(q + i)), w = v2_abs(v2_load(q + i + 2));
        m0 = u > m0 ? u : m0;
        m1 = w > m1 ? w : m1;
    }
    for (std::size_t j = i; j < n4; j += 4) step(j);
    std::size_t iq = i;
    for (; iq < nq4; iq += 4) {
        const v2d u = v2_abs(v2_load(q + iq)), w = v2_abs(v2_load(q + iq + 2));
        m0 = u > m0 ? u : m0;
        m1 = w > m1 ? w : m1;
    }
    i = n4 > i ? n4 : i;
    a1 += b1;
    a2 += b2;
    sa += sb;
    m0 = m1 > m0 ? m1 : m0;
    g.s1 = a1[0] + a1[1];
    g.s2 = a2[0] + a2[1];
    g.spill = sa[0] + sa[1];
    qm = m0[0] > m0[1] ? m0[0] : m0[1];
    for (; iq < nq; ++iq) {
        const double a = std::fabs(q[iq]);
        qm = a > qm ? a : qm;
    }
#else
    if (nq > 0) qm = block_max_abs(q, nq);
#endif
    for (; i < n; ++i) {
        double t1, t2;
        const double r = grid_residual(p[i], k, t1, t2);
        g.s1 += t1;
        g.s2 += t2;
        g.spill += std::fabs(r);
    }
    if (qmax) *qmax = qm;
    return g;
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
