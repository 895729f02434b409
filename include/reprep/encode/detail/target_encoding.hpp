// The kernels of TargetEncoder (encode/target_encoder.hpp, whose header defines them):
// the population variance from exact sums, and the fold assignments of its cross-fitted
// fit_transform (k-fold, stratified over 0/1 labels, stratified over class labels).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../component/category_accumulator.hpp"
#include "../../core/hash.hpp"
#include "../../core/rng.hpp"
#include "../../core/table.hpp"

namespace reprep {

namespace detail {

// Population variance from exact sums: n·Σy² − (Σy)² is formed exactly (it is >= 0 by
// Cauchy-Schwarz), rounded once, then divided by n twice. Values below about 2^-537
// leave squares that are not sums of doubles; those fall back to the double-double
// values of the sums (still a function of the exact sums alone).
inline double population_variance(const TargetSums& s, std::uint64_t count) {
    const double n = static_cast<double>(count);
    ExactSum num;
    try {
        const std::vector<double> sq = s.sum_sq.expansion();
        const std::vector<double> sm = s.sum.expansion();
        for (double q : sq) num.add_product(q, n);
        for (double a : sm)
            for (double b : sm) num.add_product(-a, b);
    } catch (const InvalidInput&) {
        num = ExactSum{};
        const DD q = s.sum_sq.value_dd(), a = s.sum.value_dd();
        num.add_product(q.hi, n);
        num.add_product(q.lo, n);
        num.add_product(-a.hi, a.hi);
        num.add_product(-a.hi, a.lo);
        num.add_product(-a.hi, a.lo);
        num.add_product(-a.lo, a.lo);
    }
    const double v = num.value();
    return v > 0.0 ? v / n / n : 0.0;
}

// k-fold assignment (see target_encoder.hpp's header for the definition).
inline std::vector<std::uint32_t> kfold_ids(std::size_t n, std::size_t k, bool shuffle, std::uint64_t seed) {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    if (shuffle) {
        Rng rng(seed);
        rng.shuffle(order.begin(), order.end());
    }
    std::vector<std::uint32_t> fold(n);
    std::size_t pos = 0;
    for (std::size_t f = 0; f < k; ++f) {
        const std::size_t size = n / k + (f < n % k ? 1 : 0);
        for (std::size_t e = pos + size; pos < e; ++pos) fold[order[pos]] = static_cast<std::uint32_t>(f);
    }
    return fold;
}

// Stratified assignment (see target_encoder.hpp's header): cls[i] is row i's class,
// numbered in the order the classes are allocated (0 .. n_classes-1).
inline std::vector<std::uint32_t> stratified_fold_ids(const std::vector<std::uint32_t>& cls, std::size_t n_classes,
                                                      std::size_t k, bool shuffle, std::uint64_t seed) {
    const std::size_t n = cls.size();
    std::vector<std::size_t> count(n_classes, 0);
    for (auto c : cls) ++count[c];
    Rng rng(seed);
    std::vector<std::uint32_t> fold(n);
    std::size_t begin = 0;  // class c holds sorted positions [begin, begin + count[c])
    for (std::size_t c = 0; c < n_classes; ++c) {
        // Positions p in [begin, end) with p % k == f, per fold f.
        const std::size_t end = begin + count[c];
        std::vector<std::uint32_t> folds_of_class;
        for (std::size_t f = 0; f < k; ++f) {
            const std::size_t first = begin + (f + k - begin % k) % k;
            const std::size_t m = first < end ? (end - first + k - 1) / k : 0;
            folds_of_class.insert(folds_of_class.end(), m, static_cast<std::uint32_t>(f));
        }
        begin = end;
        if (folds_of_class.empty()) continue;
        if (shuffle) rng.shuffle(folds_of_class.begin(), folds_of_class.end());
        std::size_t next = 0;
        for (std::size_t i = 0; i < n; ++i)
            if (cls[i] == c) fold[i] = folds_of_class[next++];
    }
    return fold;
}

// 0/1 labels: class 0 first.
inline std::vector<std::uint32_t> stratified_fold_ids(std::span<const double> y, std::size_t k, bool shuffle,
                                                      std::uint64_t seed) {
    std::vector<std::uint32_t> cls(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) cls[i] = y[i] == 0.0 ? 0 : 1;
    return stratified_fold_ids(cls, 2, k, shuffle, seed);
}

// Class labels (multiclass), scikit-learn's StratifiedKFold: the classes are numbered in
// order of first appearance in y; fold f receives as many rows of class c as the labels
// so numbered, sorted, hold at positions f, f+cv, ...; then class by class in that order
// the fold list is shuffled (if shuffle) by one Rng(seed) stream and handed to the class's
// rows in row order. (The binary folds number class 0 before class 1 whatever comes
// first in y, as they always have; scikit-learn numbers them by first appearance too, so
// the two differ when y[0] is 1 and a class count is not a multiple of cv.) Unlike
// StratifiedKFold, fewer rows of every class than cv is not refused (the binary folds
// never refused it either).
inline std::vector<std::uint32_t> multiclass_fold_ids(std::span<const double> y, std::size_t k, bool shuffle,
                                                      std::uint64_t seed) {
    std::vector<std::pair<double, std::uint32_t>> seen;  // label -> number, sorted by label
    std::vector<std::uint32_t> cls(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
        const double v = y[i] + 0.0;
        auto it = std::lower_bound(seen.begin(), seen.end(), v, [](const auto& a, double b) { return a.first < b; });
        if (it == seen.end() || it->first != v) it = seen.insert(it, {v, static_cast<std::uint32_t>(seen.size())});
        cls[i] = it->second;
    }
    return stratified_fold_ids(cls, seen.size(), k, shuffle, seed);
}

// fold_assignment = row_hash (target_encoder.hpp's header): row i's fold is
// xxh3_64(its canonical bytes, seed) mod k, the bytes being a tag, each column's value
// (0x00 missing; 0x02, length as 8 little-endian bytes, the bytes) and the target's
// canonical bits as 8 little-endian bytes. Independent of the host and of where the
// row sits: equal rows always share a fold.
inline std::vector<std::uint32_t> row_hash_fold_ids(const char* component, const Table& t,
                                                    const std::vector<std::string>& columns, std::span<const double> y,
                                                    std::size_t k, std::uint64_t seed) {
    std::vector<const CategoricalColumn*> cols;
    for (const auto& n : columns)
        cols.push_back(&with_component(component, [&]() -> const CategoricalColumn& { return t.categorical(n); }));
    static constexpr std::string_view tag = "reprep.TargetEncoder.fold";
    std::vector<std::uint32_t> fold(t.num_rows());
    std::string row;
    for (std::size_t i = 0; i < fold.size(); ++i) {
        row.assign(tag);
        for (const CategoricalColumn* c : cols) {
            const std::int32_t code = c->codes[i];
            if (code < 0) {
                row.push_back('\x00');
                continue;
            }
            const std::string& v = c->dictionary[static_cast<std::size_t>(code)];
            row.push_back('\x02');
            append_le64(row, v.size());
            row += v;
        }
        append_le64(row, canonical_bits(y[i]));
        fold[i] = static_cast<std::uint32_t>(xxh3_64(row, seed) % k);
    }
    return fold;
}

// A class label as scikit-learn prints an integer one (labels are integers <= 2^53).
inline std::string class_label_name(double label) { return std::to_string(static_cast<long long>(label)); }

}  // namespace detail

}  // namespace reprep
