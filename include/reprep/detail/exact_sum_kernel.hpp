// The block kernel behind ExactSum::add(const double*, n) (and the moments kernel).
//
// Why it is exact. For a block of at most 2^11 values with |x| < 2^(E+1):
//   grid g1 = E - 41, C1 = 1.5 * 2^(g1 + 52):  t1 = (x + C1) - C1 is x rounded to a
//   multiple of 2^g1 (x + C1 stays in C1's binade, and the subtraction is exact by
//   Sterbenz), and r1 = x - t1 is exact with |r1| <= 2^(g1 - 1).
//   Every |t1| <= 2^(E+1), so any partial sum of 2^11 of them is a multiple of 2^g1
//   below 2^(E+12) = 2^53 * 2^g1: exact in a double, in any order.
//   The residual goes through the same step with g2 = g1 - 43 and g3 = g2 - 43.
//   What is left, r3, is nonzero only for values with bits below 2^g3 (more than ~75
//   binades under the block's largest value); those rare values are added one by one.
// Blocks whose largest magnitude is so large or so small that a constant would
// overflow or be subnormal, or that hold NaN/Inf, take the scalar path. The kernel's
// output is exact, so blocking, lane count and vector width never change a result.
//
// The loops use independent lane accumulators, which GCC and Clang vectorise at -O3
// with plain SSE2 (no reassociation of floating-point sums is needed or allowed).
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace reprep {
class ExactSum;
}

namespace reprep::detail {

inline constexpr std::size_t kExactSumBlock = 2048;  // 2^11: sets the bin width below
inline constexpr int kExactSumLanes = 8;
inline constexpr int kBinStep = 43;                  // 53 - 11 + 1: bits between grids
inline constexpr int kFastMinExp = -940;             // C3 = 2^(E-75) must stay normal
inline constexpr int kFastMaxExp = 1010;             // C1 and the bin-1 sum must stay finite

inline double pow2_times_1_5(int k) {  // 1.5 * 2^k for a normal result
    return std::bit_cast<double>((static_cast<std::uint64_t>(k + 1023) << 52) | (std::uint64_t{1} << 51));
}

// Unbiased exponent of a positive finite normal double (floor(log2 m)); -1023 for
// subnormals and zero, 1024 for Inf/NaN.
inline int exponent_of(double m) {
    return static_cast<int>((std::bit_cast<std::uint64_t>(m) >> 52) & 0x7FF) - 1023;
}

// Largest |x| in p[0..n), NaN ignored.
inline double block_max_abs(const double* p, std::size_t n) {
    double m[kExactSumLanes] = {};
    std::size_t i = 0;
    for (; i + kExactSumLanes <= n; i += kExactSumLanes)
        for (int l = 0; l < kExactSumLanes; ++l) {
            const double a = std::fabs(p[i + l]);
            m[l] = a > m[l] ? a : m[l];
        }
    for (; i < n; ++i) {
        const double a = std::fabs(p[i]);
        m[0] = a > m[0] ? a : m[0];
    }
    double r = 0.0;
    for (double v : m) r = v > r ? v : r;
    return r;
}

struct BinConstants {
    double c1, c2, c3;
};
inline BinConstants bin_constants(int e) {
    const int g1 = e - (53 - 12);
    return {pow2_times_1_5(g1 + 52), pow2_times_1_5(g1 - kBinStep + 52), pow2_times_1_5(g1 - 2 * kBinStep + 52)};
}

struct BinSums {
    double s1 = 0.0, s2 = 0.0, s3 = 0.0;
    double spill = 0.0;  // sum of |r3|: zero exactly when nothing spilled (NaN if NaN seen)
};

// One value's three grid parts and residual.
struct Split3 {
    double t1, t2, t3, r3;
};
inline Split3 split3(double x, const BinConstants& k) {
    const double t1 = (x + k.c1) - k.c1;
    const double r1 = x - t1;
    const double t2 = (r1 + k.c2) - k.c2;
    const double r2 = r1 - t2;
    const double t3 = (r2 + k.c3) - k.c3;
    return {t1, t2, t3, r2 - t3};
}

inline BinSums block_bins(const double* p, std::size_t n, const BinConstants& k) {
    double a1[kExactSumLanes] = {}, a2[kExactSumLanes] = {}, a3[kExactSumLanes] = {}, sp[kExactSumLanes] = {};
    const double c1 = k.c1, c2 = k.c2, c3 = k.c3;
    std::size_t i = 0;
    for (; i + kExactSumLanes <= n; i += kExactSumLanes)
        for (int l = 0; l < kExactSumLanes; ++l) {
            const double x = p[i + l];
            const double t1 = (x + c1) - c1;
            const double r1 = x - t1;
            const double t2 = (r1 + c2) - c2;
            const double r2 = r1 - t2;
            const double t3 = (r2 + c3) - c3;
            const double r3 = r2 - t3;
            a1[l] += t1;
            a2[l] += t2;
            a3[l] += t3;
            sp[l] += std::fabs(r3);
        }
    for (; i < n; ++i) {
        const Split3 s = split3(p[i], k);
        a1[0] += s.t1;
        a2[0] += s.t2;
        a3[0] += s.t3;
        sp[0] += std::fabs(s.r3);
    }
    BinSums b;
    for (int l = 0; l < kExactSumLanes; ++l) {
        b.s1 += a1[l];
        b.s2 += a2[l];
        b.s3 += a3[l];
        b.spill += sp[l];
    }
    return b;
}

// Feeds p[0..n) into `acc` exactly (acc.add(double) is the scalar path).
template <class Acc>
void exact_sum_blocks(const double* p, std::size_t n, Acc& acc) {
    while (n > 0) {
        const std::size_t m = n < kExactSumBlock ? n : kExactSumBlock;
        const double mx = block_max_abs(p, m);
        const int e = exponent_of(mx);
        bool scalar = mx == 0.0 || e < kFastMinExp || e > kFastMaxExp;
        if (!scalar) {
            const BinConstants k = bin_constants(e);
            const BinSums b = block_bins(p, m, k);
            if (!std::isfinite(b.s1) || !std::isfinite(b.s2) || !std::isfinite(b.s3) || std::isnan(b.spill)) {
                scalar = true;  // NaN or Inf in the block: the flags need the scalar path
            } else {
                acc.add(b.s1);
                acc.add(b.s2);
                acc.add(b.s3);
                if (b.spill != 0.0)
                    for (std::size_t i = 0; i < m; ++i) {
                        const double r3 = split3(p[i], k).r3;
                        if (r3 != 0.0) acc.add(r3);
                    }
            }
        }
        if (scalar)
            for (std::size_t i = 0; i < m; ++i) acc.add(p[i]);
        p += m;
        n -= m;
    }
}

}  // namespace reprep::detail
