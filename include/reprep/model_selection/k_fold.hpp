// reprep::KFold — scikit-learn's KFold with a portable seeded shuffle.
//
// Fold sizes as scikit-learn: the first n % n_splits folds hold n / n_splits + 1 rows,
// the others n / n_splits. Without shuffle, folds are consecutive blocks of rows. With
// shuffle, rows are permuted by reprep's Fisher–Yates on Rng(seed) first, so the same
// seed gives the same folds on every platform (not scikit-learn's folds, whose
// permutation comes from numpy's generator).
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "../core/rng.hpp"
#include "detail/split_labels.hpp"
#include "split.hpp"

namespace reprep {

class KFold {
public:
    struct Params {
        std::size_t n_splits = 5;
        bool shuffle = false;
        std::uint64_t seed = 0;
    };
    KFold() = default;
    // A template, so that KFold({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit KFold(P p) : p_(p) { detail::check_splits(p_.n_splits, p_.n_splits, "KFold"); }

    std::vector<Split> split(std::size_t n_rows) const {
        detail::check_splits(p_.n_splits, n_rows, "KFold");
        std::vector<std::size_t> order(n_rows);
        std::iota(order.begin(), order.end(), std::size_t{0});
        if (p_.shuffle) {
            Rng rng(p_.seed);
            rng.shuffle(order.begin(), order.end());
        }
        std::vector<Split> out;
        std::size_t start = 0;
        for (std::size_t f = 0; f < p_.n_splits; ++f) {
            const std::size_t size = n_rows / p_.n_splits + (f < n_rows % p_.n_splits ? 1 : 0);
            std::vector<bool> in_test(n_rows, false);
            for (std::size_t i = start; i < start + size; ++i) in_test[order[i]] = true;
            Split s;
            for (std::size_t i = 0; i < n_rows; ++i) (in_test[i] ? s.test : s.train).push_back(i);
            out.push_back(std::move(s));
            start += size;
        }
        return out;
    }

    const Params& params() const { return p_; }

private:
    Params p_;
};

}  // namespace reprep
