// reprep::train_test_split — scikit-learn's train_test_split with a portable seeded shuffle.
//
// n_test = ceil(test_size * n) and n_train = n - n_test (scikit-learn's rounding), or
// train_size when given. Rows are permuted by Rng(seed) (Fisher–Yates), the first n_test
// go to test. With a stratify column, each class (ordered by value) contributes
// round(n_test * n_c / n) rows, with the rounding remainders given to the classes
// with the largest fractional parts (ties: class order), so each side keeps the class
// proportions; scikit-learn draws its allocation at random, so its split differs.
// Both index lists are returned sorted.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "../core/rng.hpp"
#include "../core/table.hpp"
#include "detail/split_labels.hpp"
#include "split.hpp"

namespace reprep {

struct TrainTestSplitParams {
    double test_size = 0.25;    // a fraction in (0, 1)
    double train_size = 0.0;    // 0: the complement of test_size
    bool shuffle = true;
    std::string stratify = {};  // Table column to stratify on (empty: none)
    std::uint64_t seed = 0;
};

namespace detail {
inline std::pair<std::size_t, std::size_t> split_sizes(std::size_t n, const TrainTestSplitParams& p) {
    if (!(p.test_size > 0.0 && p.test_size < 1.0))
        detail::fail<InvalidParameter>({.component = "train_test_split", .problem = "test_size must be in (0, 1)",
                                        .fix = "use a test_size between 0 and 1, e.g. 0.25",
                                        .column = "test_size"});
    if (!(p.train_size >= 0.0 && p.train_size < 1.0) || p.train_size + p.test_size > 1.0)
        detail::fail<InvalidParameter>({.component = "train_test_split",
                                .problem = "train_size must be in [0, 1) and train_size + test_size at most 1",
                                .fix = "use a train_size from 0 (the rest) to 1 - test_size",
                                .column = "train_size"});
    const auto n_test = static_cast<std::size_t>(std::ceil(p.test_size * static_cast<double>(n)));
    const std::size_t n_train =
        p.train_size > 0 ? static_cast<std::size_t>(std::floor(p.train_size * static_cast<double>(n))) : n - n_test;
    if (n_test == 0 || n_train == 0 || n_test + n_train > n)
        detail::fail<InvalidInput>({.component = "train_test_split",
                            .problem = "with " + std::to_string(n) + " rows the split leaves an empty side",
                            .fix = "use more data or other sizes"});
    return {n_train, n_test};
}
}  // namespace detail

// Splits row indices [0, n).
inline Split train_test_split(std::size_t n, const TrainTestSplitParams& p = {}) {
    if (!p.stratify.empty())
        detail::fail<InvalidParameter>({.component = "train_test_split",
                                .problem = "stratify names a column, so pass the Table",
                                .fix = "pass the table that holds the stratify column, or leave stratify empty",
                                .column = "stratify"});
    const auto [n_train, n_test] = detail::split_sizes(n, p);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (p.shuffle) {
        Rng rng(p.seed);
        rng.shuffle(order.begin(), order.end());
    }
    Split s;
    // scikit-learn without shuffle: the first n_train rows train, the next n_test test.
    if (p.shuffle) {
        s.test.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_test));
        s.train.assign(order.begin() + static_cast<std::ptrdiff_t>(n_test),
                       order.begin() + static_cast<std::ptrdiff_t>(n_test + n_train));
    } else {
        s.train.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_train));
        s.test.assign(order.begin() + static_cast<std::ptrdiff_t>(n_train),
                      order.begin() + static_cast<std::ptrdiff_t>(n_train + n_test));
    }
    std::sort(s.train.begin(), s.train.end());
    std::sort(s.test.begin(), s.test.end());
    return s;
}

// Splits a table's rows; with p.stratify set, per class of that column.
inline Split train_test_split_indices(const Table& t, const TrainTestSplitParams& p = {}) {
    if (p.stratify.empty()) return train_test_split(t.num_rows(), p);
    if (!p.shuffle)
        detail::fail<InvalidParameter>({.component = "train_test_split", .problem = "stratify needs shuffle = true",
                                        .fix = "set shuffle = true, or leave stratify empty",
                                        .column = "shuffle"});
    const std::size_t n = t.num_rows();
    const auto [n_train, n_test] = detail::split_sizes(n, p);
    const auto y = detail::dense_labels(t, p.stratify, "train_test_split");
    std::vector<std::vector<std::size_t>> rows(y.n_classes);
    for (std::size_t i = 0; i < n; ++i) rows[y.id[i]].push_back(i);
    // Largest-remainder allocation of the test rows to classes, in integers only.
    std::vector<std::size_t> take(y.n_classes);
    std::vector<std::pair<std::size_t, std::size_t>> remainder;  // (n_test*n_c mod n, class)
    std::size_t given = 0;
    for (std::size_t c = 0; c < y.n_classes; ++c) {
        take[c] = n_test * rows[c].size() / n;
        given += take[c];
        remainder.emplace_back(n_test * rows[c].size() % n, c);
    }
    std::stable_sort(remainder.begin(), remainder.end(), [](auto a, auto b) { return a.first > b.first; });
    for (std::size_t r = 0; given < n_test && r < remainder.size(); ++r)
        if (take[remainder[r].second] < rows[remainder[r].second].size()) {
            ++take[remainder[r].second];
            ++given;
        }
    Rng rng(p.seed);
    Split s;
    for (std::size_t c = 0; c < y.n_classes; ++c) {
        rng.shuffle(rows[c].begin(), rows[c].end());
        s.test.insert(s.test.end(), rows[c].begin(), rows[c].begin() + static_cast<std::ptrdiff_t>(take[c]));
        s.train.insert(s.train.end(), rows[c].begin() + static_cast<std::ptrdiff_t>(take[c]), rows[c].end());
    }
    if (s.train.size() > n_train) {  // an explicit train_size: keep a seeded subset
        rng.shuffle(s.train.begin(), s.train.end());
        s.train.resize(n_train);
    }
    std::sort(s.train.begin(), s.train.end());
    std::sort(s.test.begin(), s.test.end());
    return s;
}

// The two tables of a split, rows in their original order.
inline std::pair<Table, Table> train_test_split(const Table& t, const TrainTestSplitParams& p = {}) {
    const Split s = train_test_split_indices(t, p);
    return {t.rows(s.train), t.rows(s.test)};
}

}  // namespace reprep
