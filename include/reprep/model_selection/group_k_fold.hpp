// reprep::GroupKFold — scikit-learn's GroupKFold: no group is split across folds.
//
// As scikit-learn, groups are taken largest first and each goes to the fold with the
// fewest rows so far. Ties are broken deterministically where scikit-learn leaves them
// to an unstable sort: equal-sized groups in label order, equal folds lowest index first.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "detail/split_labels.hpp"
#include "split.hpp"

namespace reprep {

class GroupKFold {
public:
    struct Params {
        std::size_t n_splits = 5;
    };
    GroupKFold() = default;
    // A template, so that GroupKFold({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit GroupKFold(P p) : p_(p) { detail::check_splits(p_.n_splits, p_.n_splits, "GroupKFold"); }

    std::vector<Split> split(std::span<const std::int64_t> groups) const { return split(detail::dense_labels(groups)); }
    std::vector<Split> split(const Table& t, const std::string& group_column) const {
        return split(detail::dense_labels(t, group_column, "GroupKFold"));
    }

    const Params& params() const { return p_; }

private:
    std::vector<Split> split(const detail::DenseLabels& g) const {
        const std::size_t k = p_.n_splits;
        if (g.n_classes < k)
            detail::fail<InvalidInput>({.component = "GroupKFold",
                                .problem = "cannot make " + std::to_string(k) + " folds from " + std::to_string(g.n_classes) + " groups",
                                .fix = "use at most as many splits as there are groups"});
        std::vector<std::size_t> size(g.n_classes, 0);
        for (auto c : g.id) ++size[c];
        std::vector<std::size_t> order(g.n_classes);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return size[a] > size[b]; });
        std::vector<std::size_t> fold_rows(k, 0), fold_of(g.n_classes, 0);
        for (auto grp : order) {
            const auto f = static_cast<std::size_t>(std::min_element(fold_rows.begin(), fold_rows.end()) - fold_rows.begin());
            fold_of[grp] = f;
            fold_rows[f] += size[grp];
        }
        std::vector<Split> out(k);
        for (std::size_t i = 0; i < g.id.size(); ++i)
            for (std::size_t f = 0; f < k; ++f) (fold_of[g.id[i]] == f ? out[f].test : out[f].train).push_back(i);
        return out;
    }

    Params p_;
};

}  // namespace reprep
