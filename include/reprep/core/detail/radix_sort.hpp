// Sorting 64-bit keys (order_key of a double, quantile.hpp) by least-significant-digit
// radix: the sort behind every value accumulator (ValueAccumulator: the chunked fits of
// QuantileTransformer, the quantile discretisers, medians and iqr, Winsorizer, ...;
// ValueCounts: most_frequent) and the multi-pass selection's last pass. fit(X) of those
// kinds selects its ranks instead (RankSelection, radix_select.hpp) and does not sort.
//
// Why it cannot change a result: the output is the keys in ascending order, and a
// sorted sequence of integers is unique, whatever the algorithm. Only the time changes.
//
// Why radix: std::sort made 12-17 % of the repro probe's run (perf, GCC -O2) and most of
// a value fit's time. Eight byte-wide counting passes over a buffer beside the keys
// take linear time; a byte that is the same in every key (the sign and high exponent
// bits of a column of similar magnitudes, the high bytes of small integers) is a
// pass skipped, found from one histogram pass over all eight bytes.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace reprep::detail {

// Below this many keys std::sort wins: the eight histograms cost more than the sort.
inline constexpr std::size_t kRadixSortMin = 1024;

inline void sort_keys(std::vector<std::uint64_t>& keys) {
    const std::size_t n = keys.size();
    if (n < kRadixSortMin) {
        std::sort(keys.begin(), keys.end());
        return;
    }
    // One pass counts all eight bytes (16 KiB of counters, on the stack).
    std::array<std::array<std::size_t, 256>, 8> count{};
    for (const std::uint64_t k : keys)
        for (int b = 0; b < 8; ++b) ++count[static_cast<std::size_t>(b)][(k >> (8 * b)) & 0xFF];
    std::vector<std::uint64_t> buffer(n);
    std::uint64_t* src = keys.data();
    std::uint64_t* dst = buffer.data();
    for (int b = 0; b < 8; ++b) {
        auto& c = count[static_cast<std::size_t>(b)];
        // Every key has the same byte here: this pass would leave the order as it is.
        if (c[(src[0] >> (8 * b)) & 0xFF] == n) continue;
        std::size_t at = 0;
        for (auto& x : c) {
            const std::size_t here = x;
            x = at;
            at += here;
        }
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t k = src[i];
            dst[c[(k >> (8 * b)) & 0xFF]++] = k;
        }
        std::swap(src, dst);
    }
    if (src != keys.data()) std::copy(src, src + n, keys.data());
}

}  // namespace reprep::detail
