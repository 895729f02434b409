// Binary search of a block of values at once in one sorted array, for QuantileTransformer's
// per-value search. (The discretisers were measured in blocks too and gained nothing: their
// searches are 4-5 steps and their branch-free per-value loop already overlaps values.)
//
// Why a block: one search is a chain of dependent loads (each step's address needs the
// previous step's comparison), so a value-at-a-time loop waits on the cache at every
// step. Every value of a column searches the same array with the same trip count, so
// the steps of up to search_block values are run in lockstep: the loads of different
// values are independent and the CPU overlaps them.
//
// Why it cannot change a result: each value takes exactly the halving steps of
// detail::searchsorted_right / searchsorted_left (numpy_ports.hpp), the same
// comparisons in the same order, each step a conditional add rather than a branch. So
// the index is std::upper_bound's / std::lower_bound's for every x, NaN included (NaN
// compares false: n for the upper bound, 0 for the lower bound).
#pragma once

#include <cstddef>

namespace reprep::detail {

inline constexpr std::size_t search_block = 16;

// N values at once, the upper bound (Right) or the lower bound. N is a constant, so the
// lockstep loop unrolls into independent chains (a run-time count kept them in memory
// and was slower than one value at a time).
template <std::size_t N, bool Right>
inline void bound_fixed(const double* a, std::size_t n, const double* x, std::size_t* out) {
    std::size_t base[N] = {};
    for (std::size_t len = n; len > 1;) {
        const std::size_t half = len / 2;
        for (std::size_t k = 0; k < N; ++k) {
            const double e = a[base[k] + half];
            const bool step = Right ? !(x[k] < e) : (e < x[k]);
            base[k] += step ? half : 0;
        }
        len -= half;
    }
    for (std::size_t k = 0; k < N; ++k) {
        const double e = a[base[k]];
        out[k] = base[k] + ((Right ? !(x[k] < e) : (e < x[k])) ? 1 : 0);
    }
}

template <bool Right>
inline void bound_block(const double* a, std::size_t n, const double* x, std::size_t count, std::size_t* out) {
    if (n == 0) {
        for (std::size_t k = 0; k < count; ++k) out[k] = 0;
        return;
    }
    std::size_t k = 0;
    for (; k + 16 <= count; k += 16) bound_fixed<16, Right>(a, n, x + k, out + k);
    for (; k + 8 <= count; k += 8) bound_fixed<8, Right>(a, n, x + k, out + k);
    for (; k < count; ++k) bound_fixed<1, Right>(a, n, x + k, out + k);
}

// The same halving steps, lane k searching x[k] in its own array a[k][0..n) (arrays of
// one length): a single row of QuantileTransformer searches each column's quantiles, and
// in lockstep those chains overlap as a column's values do. Right as bound_fixed.
template <std::size_t N>
inline void upper_bound_lanes_fixed(const double* const* a, std::size_t n, const double* x, std::size_t* out) {
    std::size_t base[N] = {};
    for (std::size_t len = n; len > 1;) {
        const std::size_t half = len / 2;
        for (std::size_t k = 0; k < N; ++k) base[k] += !(x[k] < a[k][base[k] + half]) ? half : 0;
        len -= half;
    }
    for (std::size_t k = 0; k < N; ++k) out[k] = base[k] + (!(x[k] < a[k][base[k]]) ? 1 : 0);
}

// out[k] = the first i in a[k][0..n) with x[k] < a[k][i], for k < count; n >= 1.
inline void upper_bound_lanes(const double* const* a, std::size_t n, const double* x, std::size_t count,
                              std::size_t* out) {
    std::size_t k = 0;
    for (; k + 8 <= count; k += 8) upper_bound_lanes_fixed<8>(a + k, n, x + k, out + k);
    for (; k + 4 <= count; k += 4) upper_bound_lanes_fixed<4>(a + k, n, x + k, out + k);
    for (; k < count; ++k) upper_bound_lanes_fixed<1>(a + k, n, x + k, out + k);
}

// The same halving steps over a window of `len` elements that starts at a per-value
// offset: lane k counts the elements of a[base[k] .. base[k] + len) that are <= x[k]
// (not below x[k], for NaN) and adds base[k]; with a[] sorted, that is the upper bound
// within the window. QuantileGrid's bucket index (transform/detail/quantile_grid.hpp)
// says which window holds each value's answer.
template <std::size_t N>
inline void upper_bound_window_fixed(const double* a, std::size_t len, std::size_t* base, const double* x,
                                     std::size_t* out) {
    for (; len > 1;) {
        const std::size_t half = len / 2;
        for (std::size_t k = 0; k < N; ++k) base[k] += !(x[k] < a[base[k] + half]) ? half : 0;
        len -= half;
    }
    for (std::size_t k = 0; k < N; ++k) out[k] = base[k] + (!(x[k] < a[base[k]]) ? 1 : 0);
}

// upper_bound_window_fixed for count <= search_block values; len >= 1.
inline void upper_bound_window(const double* a, std::size_t len, std::size_t* base, const double* x,
                               std::size_t count, std::size_t* out) {
    std::size_t k = 0;
    for (; k + 16 <= count; k += 16) upper_bound_window_fixed<16>(a, len, base + k, x + k, out + k);
    for (; k + 8 <= count; k += 8) upper_bound_window_fixed<8>(a, len, base + k, x + k, out + k);
    for (; k < count; ++k) upper_bound_window_fixed<1>(a, len, base + k, x + k, out + k);
}

// out[k] = the first i in a[0..n) with x[k] < a[i] (np.searchsorted side='right'),
// for k < count <= search_block.
inline void upper_bound_block(const double* a, std::size_t n, const double* x, std::size_t count, std::size_t* out) {
    bound_block<true>(a, n, x, count, out);
}

// out[k] = the first i in a[0..n) with !(a[i] < x[k]) (np.searchsorted side='left').
inline void lower_bound_block(const double* a, std::size_t n, const double* x, std::size_t count, std::size_t* out) {
    bound_block<false>(a, n, x, count, out);
}

}  // namespace reprep::detail
