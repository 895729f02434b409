// Building tables from tables and values: the row selections of reprep::Table (rows,
// filter_rows, drop_missing) and the dictionary encoding behind add_categorical and
// set_categorical. Part of table.hpp, which includes it at its end; a separate file only
// so that each header stays short enough to read.
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "error.hpp"
#include "table.hpp"

namespace reprep {

inline CategoricalColumn Table::encode(const std::vector<std::optional<std::string>>& values) {
    CategoricalColumn col;
    col.codes.resize(values.size());
    // Keys view the caller's strings, which outlive this call and never move.
    std::unordered_map<std::string_view, std::int32_t> seen;
    for (std::size_t r = 0; r < values.size(); ++r) {
        if (!values[r]) {
            col.codes[r] = -1;
            continue;
        }
        const auto [it, inserted] = seen.try_emplace(*values[r], static_cast<std::int32_t>(col.dictionary.size()));
        if (inserted) col.dictionary.push_back(*values[r]);
        col.codes[r] = it->second;
    }
    return col;
}

inline CategoricalColumn Table::encode(const std::vector<std::string>& values, std::string_view missing_token) {
    CategoricalColumn col;
    col.codes.resize(values.size());
    std::unordered_map<std::string_view, std::int32_t> seen;
    for (std::size_t r = 0; r < values.size(); ++r) {
        if (!missing_token.empty() && values[r] == missing_token) {
            col.codes[r] = -1;
            continue;
        }
        const auto [it, inserted] = seen.try_emplace(values[r], static_cast<std::int32_t>(col.dictionary.size()));
        if (inserted) col.dictionary.push_back(values[r]);
        col.codes[r] = it->second;
    }
    return col;
}

inline Table::Column Table::datetime_column(std::vector<std::int64_t> values) {
    auto owner = std::make_shared<const std::vector<std::int64_t>>(std::move(values));
    Column c;
    c.type = ColumnType::datetime;
    c.datetime = std::shared_ptr<const std::int64_t>(owner, owner->data());  // shares the vector's ownership
    return c;
}

inline Table& Table::add_datetime(std::string name, std::vector<std::int64_t> nanos) {
    const std::size_t n = nanos.size();
    append(std::move(name), datetime_column(std::move(nanos)), n);
    return *this;
}

inline Table& Table::set_datetime(std::string name, std::vector<std::int64_t> nanos) {
    const std::size_t n = nanos.size();
    replace_or_append(std::move(name), datetime_column(std::move(nanos)), n);
    return *this;
}

inline std::span<const std::int64_t> Table::datetime(std::string_view name) const& {
    return datetimes_of(column_of(name, ColumnType::datetime));
}

inline Table Table::rows(std::span<const std::size_t> row_indices) const {
    for (std::size_t k = 0; k < row_indices.size(); ++k) {
        if (row_indices[k] >= rows_) {
            detail::fail<InvalidInput>({.component = "Table",
                                        .problem = "rows(): index " + std::to_string(row_indices[k]) +
                                                   " at position " + std::to_string(k) +
                                                   " is out of range (the table has " + std::to_string(rows_) +
                                                   " rows)",
                                        .fix = "pass row indices below num_rows()",
                                        .row = row_indices[k]});
        }
    }
    Table t;
    const std::size_t m = row_indices.size();
    for (std::size_t j = 0; j < columns_.size(); ++j) {
        const Column& src = columns_[j];
        if (src.type == ColumnType::numeric) {
            const auto sv = values_of(src);
            std::vector<double> dv(m);
            for (std::size_t k = 0; k < m; ++k) dv[k] = sv[row_indices[k]];
            t.append(names_[j], numeric_column(std::move(dv)), m);
        } else if (src.type == ColumnType::datetime) {
            const auto sv = datetimes_of(src);
            std::vector<std::int64_t> dv(m);
            for (std::size_t k = 0; k < m; ++k) dv[k] = sv[row_indices[k]];
            t.append(names_[j], datetime_column(std::move(dv)), m);
        } else {
            const auto& sc = *src.categorical;
            CategoricalColumn dc;
            // Keep the source dictionary's relative order, drop entries no gathered row uses.
            std::vector<std::int32_t> remap(sc.dictionary.size(), -1);
            for (std::size_t k = 0; k < m; ++k) {
                const std::int32_t code = sc.codes[row_indices[k]];
                if (code >= 0) remap[static_cast<std::size_t>(code)] = 0;
            }
            for (std::size_t d = 0; d < remap.size(); ++d) {
                if (remap[d] == 0) {
                    remap[d] = static_cast<std::int32_t>(dc.dictionary.size());
                    dc.dictionary.push_back(sc.dictionary[d]);
                }
            }
            dc.codes.resize(m);
            for (std::size_t k = 0; k < m; ++k) {
                const std::int32_t code = sc.codes[row_indices[k]];
                dc.codes[k] = code < 0 ? -1 : remap[static_cast<std::size_t>(code)];
            }
            t.append(names_[j], categorical_column(std::move(dc)), m);
        }
    }
    return t;
}


inline Table Table::filter_rows(const std::vector<bool>& keep) const {
    if (keep.size() != rows_)
        detail::fail<InvalidInput>({.component = "Table",
                                    .problem = "filter_rows(): the mask has " + std::to_string(keep.size()) +
                                               " values for " + std::to_string(rows_) + " rows",
                                    .fix = "pass one bool per row (true keeps the row)"});
    return filter_rows([&keep](std::size_t i) { return static_cast<bool>(keep[i]); });
}

template <class Keep>
    requires std::predicate<Keep&, std::size_t>
Table Table::filter_rows(Keep keep) const {
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < rows_; ++i)
        if (keep(i)) kept.push_back(i);
    return rows(kept);
}

inline Table Table::drop_missing(const std::vector<std::string>& columns) const {
    // Every name is looked up first, so an unknown one fails before any work.
    std::vector<const Column*> checked;
    for (const auto& name : columns.empty() ? names_ : columns) checked.push_back(&columns_[column_index(name)]);
    return filter_rows([&checked](std::size_t i) {
        for (const Column* c : checked)
            if (c->type == ColumnType::numeric    ? std::isnan(c->numeric.get()[i])
                : c->type == ColumnType::datetime ? c->datetime.get()[i] == kNaT
                                                  : c->categorical->codes[i] < 0)
                return false;
        return true;
    });
}

}  // namespace reprep
