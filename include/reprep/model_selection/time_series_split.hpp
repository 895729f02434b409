// reprep::TimeSeriesSplit — scikit-learn's TimeSeriesSplit: rows are in time order and
// a training fold never holds a row later than its test fold.
//
// As scikit-learn: test_size defaults to n / (n_splits + 1); the test folds are the last
// n_splits blocks of test_size rows; fold i trains on every row before its test block
// minus `gap` rows, limited to the last max_train_size rows when that is set (0 = no limit).
#pragma once

#include <cstdint>
#include <vector>

#include "detail/split_labels.hpp"
#include "split.hpp"

namespace reprep {

class TimeSeriesSplit {
public:
    struct Params {
        std::size_t n_splits = 5;
        std::size_t max_train_size = 0;  // 0: no limit
        std::size_t test_size = 0;       // 0: n / (n_splits + 1)
        std::size_t gap = 0;
    };
    TimeSeriesSplit() = default;
    // A template, so that TimeSeriesSplit({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit TimeSeriesSplit(P p) : p_(p) { detail::check_splits(p_.n_splits, p_.n_splits, "TimeSeriesSplit"); }

    std::vector<Split> split(std::size_t n) const {
        const std::size_t k = p_.n_splits;
        const std::size_t test = p_.test_size ? p_.test_size : n / (k + 1);
        if (test == 0 || k * test + p_.gap >= n)
            detail::fail<InvalidInput>({.component = "TimeSeriesSplit",
                                .problem = "cannot make " + std::to_string(k) + " splits of test size " + std::to_string(test) +
                                           " with gap " + std::to_string(p_.gap) + " from " + std::to_string(n) + " rows",
                                .fix = "use fewer splits, a smaller test_size or gap, or more data"});
        std::vector<Split> out;
        for (std::size_t start = n - k * test; start < n; start += test) {
            Split s;
            const std::size_t train_end = start - p_.gap;
            const std::size_t train_start =
                p_.max_train_size && p_.max_train_size < train_end ? train_end - p_.max_train_size : 0;
            for (std::size_t i = train_start; i < train_end; ++i) s.train.push_back(i);
            for (std::size_t i = start; i < start + test; ++i) s.test.push_back(i);
            out.push_back(std::move(s));
        }
        return out;
    }

    const Params& params() const { return p_; }

private:
    Params p_;
};

}  // namespace reprep
