// reprep::Table and Eigen matrices: from_matrix, to_matrix, and the numeric blocks that
// a numeric component writes and the next one reads without a copy (set_numeric_block,
// numeric_block). Part of table.hpp, which includes it at its end; a separate file only
// so that each header stays short enough to read.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "error.hpp"
#include "matrix.hpp"
#include "table.hpp"

namespace reprep {

inline Table& Table::set_numeric_block(const std::vector<std::string>& names, std::shared_ptr<const double[]> block,
                                       std::size_t rows) {
    for (std::size_t j = 0; j < names.size(); ++j)
        for (std::size_t i = 0; i < j; ++i)
            if (names[i] == names[j])
                detail::table_fail_schema(names[j], "set_numeric_block() names this column twice", "list each column once");
    for (std::size_t j = 0; j < names.size(); ++j) {
        Column c;
        c.type = ColumnType::numeric;
        c.numeric = std::shared_ptr<const double>(block, block.get() + j * rows);
        replace_or_append(names[j], std::move(c), rows);
    }
    return *this;
}

inline std::optional<Table::NumericBlockView> Table::numeric_block(const std::vector<std::string>& names) const {
    // No scratch vector: Pipeline::transform_into calls this on every batch and promises
    // to allocate nothing (so each name is looked up as it is needed).
    if (names.empty()) return std::nullopt;
    const auto column = [&](const std::string& n) -> const Column* {
        const auto it = index_.find(n);
        if (it == index_.end() || columns_[it->second].type != ColumnType::numeric) return nullptr;
        return &columns_[it->second];
    };
    const Column* c0 = column(names[0]);
    if (!c0) return std::nullopt;
    const double* first = c0->numeric.get();
    const auto rows = static_cast<Eigen::Index>(rows_);
    if (names.size() == 1) return NumericBlockView(first, rows, 1, Eigen::OuterStride<>(rows));
    // Same owner first: only then is the pointer difference defined, and the view stays
    // inside one buffer.
    const auto& owner = c0->numeric;
    std::ptrdiff_t stride = 0;
    const double* prev = first;
    for (std::size_t j = 1; j < names.size(); ++j) {
        const Column* c = column(names[j]);
        if (!c || owner.owner_before(c->numeric) || c->numeric.owner_before(owner)) return std::nullopt;
        const std::ptrdiff_t d = c->numeric.get() - prev;
        if (j == 1) {
            stride = d;
            if (stride < rows) return std::nullopt;
        } else if (d != stride) {
            return std::nullopt;
        }
        prev = c->numeric.get();
    }
    return NumericBlockView(first, rows, static_cast<Eigen::Index>(names.size()), Eigen::OuterStride<>(stride));
}

template <class Derived>
Table Table::from_matrix(const Eigen::MatrixBase<Derived>& X, std::vector<std::string> names) {
    static_assert(std::is_arithmetic_v<typename Derived::Scalar>, "from_matrix needs a real scalar type");
    const auto cols = static_cast<std::size_t>(X.cols());
    const auto nrows = static_cast<std::size_t>(X.rows());
    if (names.empty()) {
        names.reserve(cols);
        for (std::size_t j = 0; j < cols; ++j) {
            std::string n = "x";  // not "x" + to_string(j): GCC 12 -Wrestrict misfires on that
            n += std::to_string(j);
            names.push_back(std::move(n));
        }
    } else if (names.size() != cols) {
        detail::fail<SchemaError>({.component = "Table",
                                   .problem = "from_matrix got " + std::to_string(names.size()) +
                                              " names for a matrix of " + std::to_string(cols) + " columns",
                                   .fix = "pass one name per column, or none for x0, x1, ..."});
    }
    Table t;
    for (std::size_t j = 0; j < cols; ++j) {
        std::vector<double> v(nrows);
        for (std::size_t i = 0; i < nrows; ++i) {
            v[i] = static_cast<double>(X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
        }
        t.add_numeric(std::move(names[j]), std::move(v));
    }
    return t;
}

template <class T>
Matrix<T> Table::to_matrix(const std::vector<std::string>& columns) const {
    static_assert(std::is_floating_point_v<T>, "to_matrix<T> needs float or double");
    const std::vector<std::string>& wanted = columns.empty() ? names_ : columns;
    std::vector<const Column*> picked;
    picked.reserve(wanted.size());
    for (const auto& n : wanted) picked.push_back(&column_of(n, ColumnType::numeric));
    Matrix<T> M(static_cast<Eigen::Index>(rows_), static_cast<Eigen::Index>(picked.size()));
    for (std::size_t j = 0; j < picked.size(); ++j) {
        T* out = M.data() + j * rows_;  // column-major: each column is contiguous
        const double* in = picked[j]->numeric.get();
        for (std::size_t i = 0; i < rows_; ++i) out[i] = static_cast<T>(in[i]);
    }
    return M;
}

}  // namespace reprep
