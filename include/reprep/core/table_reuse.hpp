// What Pipeline::transform_into (compose/pipeline_into.hpp) needs of a Table's insides
// to rewrite a step's result in place of the last one: the buffer behind a numeric
// column, how many columns of a table share a buffer, and a step's result rebuilt from
// its input by copying column pointers only. Part of table.hpp (included at its end).
//
// A column's values stay immutable to every holder but one: a buffer that a
// Pipeline::Workspace allocated and that no table outside the workspace and the caller's
// `out` refers to (its use_count says so) may be written again by the step that owns it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "table.hpp"

namespace reprep::detail {

// The scratch of one Pipeline::transform_into: buffers that only ever grow, so that once
// they are large enough a step allocates nothing.
struct ReuseScratch {
    std::vector<double> values;                     // a numeric step's inputs when they are not one block
    std::vector<const CategoricalColumn*> columns;  // a categorical step's input columns
    std::vector<const void*> slot_arrays;           // per column, its slots (the component's Slot type)
    std::vector<std::byte> slots;                   // the storage of those slots
    std::vector<std::int32_t> ints;                 // output codes per dictionary entry, then a hash table
};

struct TableAccess {
    // The pointer (and ownership) behind numeric column `name`; for the first column of
    // a block set by set_numeric_block, the start of the block.
    static const std::shared_ptr<const double>& numeric_owner(const Table& t, std::string_view name) {
        return t.column_of(name, ColumnType::numeric).numeric;
    }

    // The categorical column `name` itself, shared.
    static const std::shared_ptr<const CategoricalColumn>& categorical_owner(const Table& t, std::string_view name) {
        return t.column_of(name, ColumnType::categorical).categorical;
    }
    // How many categorical columns of `t` are `c`.
    static std::size_t shares_categorical(const Table& t, const std::shared_ptr<const CategoricalColumn>& c) {
        std::size_t n = 0;
        for (const auto& col : t.columns_) n += col.type == ColumnType::categorical && col.categorical == c;
        return n;
    }
    // In `t`, categorical column `name` becomes `c` (a step's result built in place).
    static void set_categorical(Table& t, std::string_view name, std::shared_ptr<const CategoricalColumn> c) {
        const_cast<Table::Column&>(t.column_of(name, ColumnType::categorical)).categorical = std::move(c);
    }
    // dst = src with the categorical columns `names` replaced by `columns` (same names, in
    // place), as a categorical step's transform(src) returns it. Allocates nothing when
    // dst has src's column names already.
    static void assign_categorical(Table& dst, const Table& src, const std::vector<std::string>& names,
                                   const std::vector<std::shared_ptr<const CategoricalColumn>>& columns) {
        if (dst.names_ == src.names_) {
            dst.columns_ = src.columns_;  // same size: element-wise, no allocation
            dst.rows_ = src.rows_;
        } else {
            dst = src;
        }
        for (std::size_t j = 0; j < names.size(); ++j) set_categorical(dst, names[j], columns[j]);
    }

    // How many numeric columns of `t` share ownership of `owner`'s buffer.
    static std::size_t shares(const Table& t, const std::shared_ptr<const double>& owner) {
        std::size_t n = 0;
        for (const auto& c : t.columns_)
            if (c.type == ColumnType::numeric && c.numeric && !c.numeric.owner_before(owner) && !owner.owner_before(c.numeric)) ++n;
        return n;
    }

    // dst = src with the numeric columns `in` replaced by the columns `out` of `block`
    // (column-major, rows x out.size()), as NumericComponent::transform(src) returns it:
    // in place when out == in, otherwise `in` removed and `out` appended. When dst has
    // the resulting column names already (the result of the same step on a table of the
    // same columns), only column pointers are copied and nothing is allocated.
    static void assign_step(Table& dst, const Table& src, const std::vector<std::string>& in,
                            const std::vector<std::string>& out, const std::shared_ptr<const double>& block,
                            std::size_t rows) {
        const bool same = in == out;
        const auto position = [](const std::vector<std::string>& names, const std::string& n) {
            for (std::size_t j = 0; j < names.size(); ++j)
                if (names[j] == n) return j;
            return names.size();
        };
        const auto new_column = [&](std::size_t j) {
            Table::Column c;
            c.type = ColumnType::numeric;
            c.numeric = std::shared_ptr<const double>(block, block.get() + j * rows);
            return c;
        };
        // Does dst already have the resulting names, in order?
        bool fits = dst.columns_.size() == (same ? src.columns_.size() : src.columns_.size() - in.size() + out.size());
        std::size_t p = 0;
        for (std::size_t k = 0; fits && k < src.columns_.size(); ++k) {
            if (!same && position(in, src.names_[k]) < in.size()) continue;
            fits = p < dst.names_.size() && dst.names_[p++] == src.names_[k];
        }
        for (std::size_t j = 0; fits && !same && j < out.size(); ++j) fits = p < dst.names_.size() && dst.names_[p++] == out[j];
        if (fits) {
            p = 0;
            for (std::size_t k = 0; k < src.columns_.size(); ++k) {
                const std::size_t j = position(in, src.names_[k]);
                if (j < in.size() && !same) continue;
                dst.columns_[p++] = j < in.size() ? new_column(j) : src.columns_[k];
            }
            for (std::size_t j = 0; !same && j < out.size(); ++j) dst.columns_[p++] = new_column(j);
            dst.rows_ = rows;
            return;
        }
        // Another shape: build it as transform(src) does (this allocates).
        Table t = src;
        if (!same)
            for (const auto& n : in) t.remove(n);
        for (std::size_t j = 0; j < out.size(); ++j) t.replace_or_append(out[j], new_column(j), rows);
        dst = std::move(t);
    }
};

}  // namespace reprep::detail
