// Binary search of a block of values at once in one sorted array, for the per-value
// searches of QuantileTransformer, KBinsDiscretizer and ArbitraryDiscretiser.
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

// out[k] = the first i in a[0..n) with x[k] < a[i] (np.searchsorted side='right'),
// for k < count <= search_block.
inline void upper_bound_block(const double* a, std::size_t n, const double* x, std::size_t count, std::size_t* out) {
    std::size_t base[search_block] = {};
    if (n == 0) {
        for (std::size_t k = 0; k < count; ++k) out[k] = 0;
        return;
    }
    for (std::size_t len = n; len > 1;) {
        const std::size_t half = len / 2;
        for (std::size_t k = 0; k < count; ++k) base[k] += (x[k] < a[base[k] + half]) ? 0 : half;
        len -= half;
    }
    for (std::size_t k = 0; k < count; ++k) out[k] = base[k] + ((x[k] < a[base[k]]) ? 0 : 1);
}

// out[k] = the first i in a[0..n) with !(a[i] < x[k]) (np.searchsorted side='left').
inline void lower_bound_block(const double* a, std::size_t n, const double* x, std::size_t count, std::size_t* out) {
    std::size_t base[search_block] = {};
    if (n == 0) {
        for (std::size_t k = 0; k < count; ++k) out[k] = 0;
        return;
    }
    for (std::size_t len = n; len > 1;) {
        const std::size_t half = len / 2;
        for (std::size_t k = 0; k < count; ++k) base[k] += (a[base[k] + half] < x[k]) ? half : 0;
        len -= half;
    }
    for (std::size_t k = 0; k < count; ++k) out[k] = base[k] + ((a[base[k]] < x[k]) ? 1 : 0);
}

}  // namespace reprep::detail
