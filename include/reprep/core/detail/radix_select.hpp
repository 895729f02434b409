// Selecting ranks of 64-bit keys (order_key of a double, quantile.hpp) by most-
// significant-digit radix: the selection behind fit(X) of every rank-based fit
// (RankSelection: RobustScaler's median and quartiles, SimpleImputer's median,
// KBinsDiscretizer's edges, QuantileTransformer's quantiles, ...) and quantiles().
//
// Why it cannot change a result: the key of rank r among n integers is one integer,
// whatever the algorithm; and equal keys are identical doubles (quantile.hpp).
//
// Why radix: std::nth_element partitions by comparing against a pivot, a branch that
// random data mispredicts about half the time, and the ranks of a RobustScaler fit
// take it over the data about five times. Here each level reads the keys twice, with
// no data-dependent branch: once to count a 12-bit digit into 4,096 counters, once to
// copy out only the buckets that hold a wanted rank, and the next level works on those
// alone. The digit starts at the highest bit in which the keys differ (all keys agree
// above it), so a column of similar magnitudes is split by its mantissa, not by the
// exponent it shares. Even a thousand ranks (QuantileTransformer) select faster than the
// eight-pass radix sort (radix_sort.hpp) orders every key: the first level's buckets are
// a few dozen keys each, finished by nth_element.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace reprep::detail {

// Puts the key of rank idx[i] at position idx[i] for every i (idx sorted, unique),
// recursing on the middle wanted rank: O(n log |idx|) expected. Which element lands
// where among equal keys is irrelevant: equal keys are identical doubles. The small-n
// path of select_keys, where the radix levels' counters cost more than they save.
inline void multi_select(std::uint64_t* first, std::uint64_t* last, const std::size_t* idx_first,
                         const std::size_t* idx_last, std::size_t offset) {
    while (idx_first != idx_last && first != last) {
        const std::size_t* mid = idx_first + (idx_last - idx_first) / 2;
        std::uint64_t* nth = first + (*mid - offset);
        std::nth_element(first, nth, last);
        multi_select(nth + 1, last, mid + 1, idx_last, *mid + 1);
        last = nth;
        idx_last = mid;
    }
}

// Below this many keys multi_select wins.
inline constexpr std::size_t kRadixSelectMin = 2048;

// out[i] = the key of rank ranks[i] among keys[0, n) (ranks sorted ascending, unique,
// each < n). keys is scratch: its order afterwards is unspecified.
inline void select_keys(std::uint64_t* keys, std::size_t n, std::span<const std::size_t> ranks, std::uint64_t* out) {
    if (ranks.empty()) return;
    if (n < kRadixSelectMin) {
        multi_select(keys, keys + n, ranks.data(), ranks.data() + ranks.size(), 0);
        for (std::size_t i = 0; i < ranks.size(); ++i) out[i] = keys[ranks[i]];
        return;
    }
    // The bits every key shares: the digit starts below them.
    std::uint64_t all = ~std::uint64_t{0}, any = 0;
    for (std::size_t i = 0; i < n; ++i) {
        all &= keys[i];
        any |= keys[i];
    }
    const std::uint64_t differ = all ^ any;
    if (differ == 0) {  // every key is the same
        std::fill(out, out + ranks.size(), keys[0]);
        return;
    }
    constexpr int kBits = 12;
    constexpr std::size_t kBuckets = std::size_t{1} << kBits;
    const int top = 63 - std::countl_zero(differ);
    const int shift = top >= kBits - 1 ? top - (kBits - 1) : 0;
    auto digit = [shift](std::uint64_t k) { return static_cast<std::size_t>((k >> shift) & (kBuckets - 1)); };

    std::vector<std::size_t> count(kBuckets, 0);
    for (std::size_t i = 0; i < n; ++i) ++count[digit(keys[i])];

    // The buckets that hold a wanted rank, in order: where each starts among all keys,
    // its size, and its first wanted rank. The highest differing bit is in the digit, so
    // at least two buckets are non-empty and every bucket is smaller than n.
    struct Wanted {
        std::size_t bucket, start, size, first_rank;
    };
    std::vector<Wanted> wanted;
    std::size_t start = 0, r = 0;
    for (std::size_t b = 0; b < kBuckets && r < ranks.size(); ++b) {
        if (ranks[r] < start + count[b]) {
            wanted.push_back({b, start, count[b], r});
            while (r < ranks.size() && ranks[r] < start + count[b]) ++r;
        }
        start += count[b];
    }

    // One pass copies the wanted buckets out, with no branch on the data: a key of any
    // other bucket is written to a spare slot at the end, whose cursor never moves.
    std::size_t total = 0;
    std::vector<std::uint32_t> slot_of(kBuckets, 0);  // 0: not wanted
    std::vector<std::size_t> cursor(wanted.size() + 1), step(wanted.size() + 1, 1);
    for (std::size_t w = 0; w < wanted.size(); ++w) {
        slot_of[wanted[w].bucket] = static_cast<std::uint32_t>(w + 1);
        cursor[w + 1] = total;
        total += wanted[w].size;
    }
    cursor[0] = total;
    step[0] = 0;
    std::vector<std::uint64_t> buffer(total + 1);
    std::uint64_t* dst = buffer.data();
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = keys[i];
        const std::uint32_t s = slot_of[digit(k)];
        dst[cursor[s]] = k;
        cursor[s] += step[s];
    }

    std::vector<std::size_t> local;
    std::size_t at = 0;
    for (std::size_t w = 0; w < wanted.size(); ++w) {
        const std::size_t end = w + 1 < wanted.size() ? wanted[w + 1].first_rank : ranks.size();
        local.clear();
        for (std::size_t i = wanted[w].first_rank; i < end; ++i) local.push_back(ranks[i] - wanted[w].start);
        select_keys(dst + at, wanted[w].size, local, out + wanted[w].first_rank);
        at += wanted[w].size;
    }
}

// select_keys for callers that read keys[r] afterwards: the key of rank idx[i] at
// position idx[i] for every i (idx sorted, unique), as multi_select leaves it.
inline void select_in_place(std::vector<std::uint64_t>& keys, std::span<const std::size_t> idx) {
    if (idx.empty()) return;
    std::vector<std::uint64_t> found(idx.size());
    select_keys(keys.data(), keys.size(), idx, found.data());
    for (std::size_t i = 0; i < idx.size(); ++i) keys[idx[i]] = found[i];
}

}  // namespace reprep::detail
