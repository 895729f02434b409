// reprep::StratifiedKFold — scikit-learn 1.2's StratifiedKFold allocation with a
// portable seeded shuffle.
//
// As scikit-learn: the labels, sorted, are dealt round-robin to the folds, which fixes
// how many rows of each class every fold gets; then each class's rows (in row order)
// receive their fold numbers, shuffled per class by Rng(seed) when shuffle is set.
// Classes are numbered in order of first appearance, as scikit-learn does, so that
// without shuffle the folds are exactly scikit-learn's.
#pragma once

#include <cstdint>
#include <vector>

#include "../core/rng.hpp"
#include "detail/split_labels.hpp"
#include "split.hpp"

namespace reprep {

class StratifiedKFold {
public:
    struct Params {
        std::size_t n_splits = 5;
        bool shuffle = false;
        std::uint64_t seed = 0;
    };
    StratifiedKFold() = default;
    // A template, so that StratifiedKFold({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit StratifiedKFold(P p) : p_(p) { detail::check_splits(p_.n_splits, p_.n_splits, "StratifiedKFold"); }

    // Labels as integers (any values), one per row.
    std::vector<Split> split(std::span<const std::int64_t> labels) const { return split(detail::dense_labels(labels)); }
    // Labels from a Table column (numeric or categorical).
    std::vector<Split> split(const Table& t, const std::string& label_column) const {
        return split(detail::dense_labels(t, label_column, "StratifiedKFold"));
    }

    const Params& params() const { return p_; }

private:
    std::vector<Split> split(detail::DenseLabels y) const {
        renumber_by_first_appearance(y);
        const std::size_t n = y.id.size(), k = p_.n_splits;
        detail::check_splits(k, n, "StratifiedKFold");
        std::vector<std::size_t> count(y.n_classes, 0);
        for (auto c : y.id) ++count[c];
        // A class with fewer than k rows is allowed (scikit-learn only warns): some
        // folds then hold none of it.
        // allocation[f][c]: rows of class c in fold f, from dealing the sorted labels.
        std::vector<std::vector<std::size_t>> allocation(k, std::vector<std::size_t>(y.n_classes, 0));
        {
            std::size_t pos = 0;
            for (std::size_t c = 0; c < y.n_classes; ++c)
                for (std::size_t r = 0; r < count[c]; ++r, ++pos) ++allocation[pos % k][c];
        }
        Rng rng(p_.seed);
        std::vector<std::size_t> test_fold(n, 0);
        for (std::size_t c = 0; c < y.n_classes; ++c) {
            std::vector<std::size_t> folds;
            for (std::size_t f = 0; f < k; ++f) folds.insert(folds.end(), allocation[f][c], f);
            if (p_.shuffle) rng.shuffle(folds.begin(), folds.end());
            std::size_t next = 0;
            for (std::size_t i = 0; i < n; ++i)
                if (y.id[i] == c) test_fold[i] = folds[next++];
        }
        std::vector<Split> out(k);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t f = 0; f < k; ++f) (test_fold[i] == f ? out[f].test : out[f].train).push_back(i);
        return out;
    }

    static void renumber_by_first_appearance(detail::DenseLabels& y) {
        constexpr std::size_t unseen = static_cast<std::size_t>(-1);
        std::vector<std::size_t> next_id(y.n_classes, unseen);
        std::size_t assigned = 0;
        for (auto& c : y.id) {
            if (next_id[c] == unseen) next_id[c] = assigned++;
            c = next_id[c];
        }
    }

    Params p_;
};

}  // namespace reprep
