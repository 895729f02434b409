// Shared by the splitters: turning a label column into dense class ids whose order
// depends only on the label values (never on row order or dictionary order), and the
// Table row gather.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "../../core/error.hpp"
#include "../../core/quantile.hpp"
#include "../../core/table.hpp"

namespace reprep::detail {

struct DenseLabels {
    std::vector<std::size_t> id;  // per row, in [0, n_classes)
    std::size_t n_classes = 0;
};

// Class ids ranked by value: numeric labels by order_key (NaN is a class of its own,
// last), categorical labels by bytes (missing last).
inline DenseLabels dense_labels(std::span<const std::int64_t> labels) {
    std::vector<std::int64_t> distinct(labels.begin(), labels.end());
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    DenseLabels d;
    d.n_classes = distinct.size();
    d.id.reserve(labels.size());
    for (auto v : labels)
        d.id.push_back(static_cast<std::size_t>(std::lower_bound(distinct.begin(), distinct.end(), v) - distinct.begin()));
    return d;
}

inline DenseLabels dense_labels(const Table& t, const std::string& column, const char* component) {
    if (!t.has_column(column))
        fail<SchemaError>({.component = component, .problem = "the label column is missing",
                           .fix = "pass a table that holds the label column, or name one of its columns",
                           .column = column});
    std::vector<std::int64_t> keys(t.num_rows());
    if (t.type(column) == ColumnType::numeric) {
        const auto v = t.numeric(column);
        for (std::size_t i = 0; i < v.size(); ++i) {
            const double x = v[i] != v[i] ? v[i] : (v[i] == 0.0 ? 0.0 : v[i]);  // -0 and +0 are one label
            keys[i] = static_cast<std::int64_t>(order_key(x) ^ 0x8000000000000000ULL);
        }
    } else {
        const auto& c = t.categorical(column);
        // Rank dictionary entries by bytes so the ids do not depend on dictionary order.
        std::vector<std::size_t> order(c.dictionary.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return c.dictionary[a] < c.dictionary[b]; });
        std::vector<std::int64_t> rank(c.dictionary.size());
        for (std::size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<std::int64_t>(r);
        for (std::size_t i = 0; i < keys.size(); ++i)
            keys[i] = c.codes[i] < 0 ? std::int64_t{1} << 62 : rank[static_cast<std::size_t>(c.codes[i])];
    }
    return dense_labels(keys);
}

inline void check_splits(std::size_t n_splits, std::size_t n, const char* component) {
    if (n_splits < 2)
        fail<InvalidParameter>({.component = component, .problem = "n_splits must be at least 2, got " + std::to_string(n_splits),
                                .fix = "use n_splits >= 2 (the default is 5)",
                                .column = "n_splits"});
    if (n_splits > n)
        fail<InvalidInput>({.component = component,
                            .problem = "cannot make " + std::to_string(n_splits) + " splits of " + std::to_string(n) + " rows",
                            .fix = "use fewer splits or more data"});
}

}  // namespace reprep::detail
