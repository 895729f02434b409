// reprep::detail::ColumnSelector — the base of the feature selectors (select/): components
// whose fit decides which of the columns it examines to drop, and whose transform drops
// them (feature-engine's DropConstantFeatures, DropDuplicateFeatures, ...).
//
// A base of its own because a selector computes no value: NumericComponent and
// CategoricalComponent map input cells to output cells of one type, a selector forwards
// a subset of its columns, numeric and categorical side by side, untouched.
//
// Columns:
//   feature_names_in()   the examined columns: Params::columns, or (empty) every column of
//                        the fit table the selector handles, in table order;
//   feature_names_out()  the kept ones, in the same order;
//   features_to_drop()   the dropped ones (feature-engine's features_to_drop_).
// transform(Table) follows the rule of every reprep component (detail::apply_columns in
// compose/row_plan.hpp), so a pipeline's single-row plan and its batch path lay columns out
// alike: when nothing is dropped the table is returned as it is; otherwise the examined
// columns are removed and the kept ones appended. With every column examined (the default)
// the kept columns therefore keep their order; with a Params::columns subset, the kept ones
// move after the columns the selector did not examine.
//
// Fitting always goes through the derived class's Accumulator, so row order and chunking
// cannot matter: fit(Table) = fit(accumulator() updated with the table). The derived class D
// supplies
//   component_name, kind_name(), schema_version, Params (columns first), params(),
//   Accumulator (update(Table), merge, rows(), columns() -> const SelectedColumns&, save,
//   load, ==), accumulator(), and
//   std::vector<bool> decide(const Accumulator&)   true = drop; may keep more fitted state.
// It saves with save_base/load_base around its own params and state.
//
// Single-row path: transform_row(numbers, texts, numbers_out, texts_out): the inputs hold
// n_features_in() entries (feature_names_in() order; column k reads numbers[k] if numeric,
// texts[k] if categorical), the outputs n_features_out() (feature_names_out() order). It
// copies, so it allocates nothing and gives the batch's bits.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/fp_env.hpp"
#include "../core/table.hpp"
#include "accumulator_errors.hpp"
#include "categorical_component.hpp"

namespace reprep::detail {

// The examined columns, as an accumulator resolves them on its first chunk and checks
// them on every later chunk and merge.
struct SelectedColumns {
    std::vector<std::string> names;
    std::vector<ColumnType> types;
    std::uint64_t rows = 0;
    bool started = false;

    // Resolves `requested` (empty: every column of `t`, or every numeric one when
    // numeric_only) on the first chunk; later chunks must hold the same columns with the
    // same types. Nothing changes on error. Returns the names to read in this chunk.
    const std::vector<std::string>& resolve(const Table& t, const std::vector<std::string>& requested, bool numeric_only,
                                            const char* component) {
        std::vector<std::string> n;
        std::vector<ColumnType> ty;
        if (started) {
            n = names;
        } else if (!requested.empty()) {
            n = requested;
        } else {
            // Datetime columns are left to the datetime family (datetime/): a selector examines
            // numeric and categorical columns.
            for (const auto& c : t.column_names())
                if (numeric_only ? t.type(c) == ColumnType::numeric : t.type(c) != ColumnType::datetime) n.push_back(c);
            if (n.empty())
                fail<SchemaError>({.component = component,
                                   .problem = numeric_only ? "the table has no numeric column to examine"
                                                           : "the table has no column to examine",
                                   .fix = "pass a table with such columns, or name them in the columns parameter"});
        }
        for (const auto& c : n) {
            if (!t.has_column(c))
                fail<SchemaError>({.component = component,
                                   .problem = "is not in the table",
                                   .fix = "pass every column the selector examines (feature_names_in())",
                                   .column = c});
            ty.push_back(t.type(c));
            if ((numeric_only && ty.back() != ColumnType::numeric) || ty.back() == ColumnType::datetime)
                fail<SchemaError>({.component = component,
                                   .problem = "is " + std::string(to_string(ty.back())) + "; this selector examines " +
                                              (numeric_only ? "numeric columns only" : "numeric and categorical columns"),
                                   .fix = "leave the column out of the columns parameter",
                                   .column = c});
        }
        if (started && ty != types)
            accumulator_columns_differ(component, "a chunk's column types differ from earlier chunks'");
        if (!started) {
            names = std::move(n);
            types = std::move(ty);
        }
        return names;
    }
    // Call after the chunk has been counted.
    void commit(std::size_t chunk_rows) {
        started = true;
        rows += chunk_rows;
    }
    // Checks that `o` saw the same columns; returns false when `o` saw no chunk.
    bool check_merge(const SelectedColumns& o, const char* component) const {
        if (!o.started) return false;
        if (started && (o.names != names || o.types != types))
            accumulator_columns_differ(component, "the accumulators saw different columns");
        return true;
    }
    void save(ArchiveWriter& w) const {
        w.boolean(started);
        w.u64(rows);
        w.strs(names);
        w.size(types.size());
        for (auto t : types) w.u8(static_cast<std::uint8_t>(t));
    }
    static SelectedColumns load(ArchiveReader& r) {
        SelectedColumns s;
        s.started = r.boolean();
        s.rows = r.u64();
        s.names = r.strs();
        const std::size_t n = r.size(1);
        if (n != s.names.size()) r.fail("column types do not match the columns");
        for (std::size_t k = 0; k < n; ++k) {
            const auto t = r.u8();
            if (t > 1) r.fail("unknown column type");
            s.types.push_back(static_cast<ColumnType>(t));
        }
        if (!s.started && (s.rows != 0 || !s.names.empty())) r.fail("an accumulator that saw no chunk holds columns");
        return s;
    }
    friend bool operator==(const SelectedColumns&, const SelectedColumns&) = default;
};

template <class D>
class ColumnSelector {
public:
    D& fit(const Table& t) {
        auto acc = self().accumulator();
        acc.update(t);
        return fit(acc);
    }
    // Fits a copy and moves it in only when it succeeded: a failed fit leaves the state.
    // A template only because D is incomplete where this base is instantiated: Self
    // makes the constraint depend on the call, so no compiler looks into D earlier.
    template <class Acc, class Self = D>
        requires std::same_as<Acc, typename Self::Accumulator>
    D& fit(const Acc& acc) {
        check_fp_environment();
        const SelectedColumns& s = acc.columns();
        check_accumulated(D::component_name, s.rows, self().params().columns, s.names);
        D next = self();
        std::vector<bool> drop = next.decide(acc);
        next.finish(s.names, s.types, drop);
        self() = std::move(next);
        return self();
    }

    Table transform(const Table& t) const {
        require_fitted();
        check_fp_environment();
        for (std::size_t k = 0; k < names_in_.size(); ++k) {
            if (!t.has_column(names_in_[k]))
                fail<SchemaError>({.component = D::component_name,
                                   .problem = "is not in the table",
                                   .fix = "pass every column the selector examined in fit (feature_names_in())",
                                   .column = names_in_[k]});
            if (t.type(names_in_[k]) != types_in_[k])
                fail<SchemaError>({.component = D::component_name,
                                   .problem = std::string("is ") + std::string(to_string(t.type(names_in_[k]))) +
                                              " but was " + std::string(to_string(types_in_[k])) + " in fit",
                                   .fix = "pass the column with the type it had in fit",
                                   .column = names_in_[k]});
        }
        if (kept_.size() == names_in_.size()) return t;
        Table out = t;
        for (const auto& n : names_in_) out.remove(n);
        for (std::size_t k : kept_) {
            const auto& n = names_in_[k];
            if (types_in_[k] == ColumnType::numeric) {
                const auto v = t.numeric(n);
                out.add_numeric(n, std::vector<double>(v.begin(), v.end()));
            } else {
                out.add_categorical(n, t.categorical(n));
            }
        }
        return out;
    }
    Table fit_transform(const Table& t) {
        fit(t);
        return transform(t);
    }

    void transform_row(std::span<const double> numbers, std::span<const std::optional<std::string_view>> texts,
                       std::span<double> numbers_out, std::span<std::optional<std::string_view>> texts_out) const {
        require_fitted();
        const std::size_t K = names_in_.size(), O = kept_.size();
        if (numbers.size() != K || texts.size() != K || numbers_out.size() != O || texts_out.size() != O)
            fail<SchemaError>({.component = D::component_name,
                               .problem = "the row spans must hold " + std::to_string(K) + " inputs and " +
                                          std::to_string(O) + " outputs",
                               .fix = "size the inputs as n_features_in(), the outputs as n_features_out()"});
        for (std::size_t o = 0; o < O; ++o) {
            numbers_out[o] = numbers[kept_[o]];
            texts_out[o] = texts[kept_[o]];
        }
    }

    bool is_fitted() const { return fitted_; }
    std::size_t n_features_in() const { require_fitted(); return names_in_.size(); }
    std::size_t n_features_out() const { require_fitted(); return kept_.size(); }
    const std::vector<std::string>& feature_names_in() const { require_fitted(); return names_in_; }
    std::vector<std::string> feature_names_out() const {
        require_fitted();
        std::vector<std::string> out;
        for (std::size_t k : kept_) out.push_back(names_in_[k]);
        return out;
    }
    std::vector<std::string> features_to_drop() const {
        require_fitted();
        std::vector<std::string> out;
        for (std::size_t k = 0; k < names_in_.size(); ++k)
            if (!std::binary_search(kept_.begin(), kept_.end(), k)) out.push_back(names_in_[k]);
        return out;
    }
    const std::vector<ColumnType>& column_types() const { require_fitted(); return types_in_; }
    // Index into feature_names_in() of each kept column (the step adapter forwards by it).
    const std::vector<std::size_t>& kept_index() const { require_fitted(); return kept_; }

protected:
    ColumnSelector() = default;

    void require_fitted() const {
        if (!fitted_) not_fitted(D::component_name);
    }
    // Writes the fitted flag, the columns, their types and the drop mask.
    void save_base(ArchiveWriter& w) const {
        w.boolean(fitted_);
        if (!fitted_) return;
        w.strs(names_in_);
        w.size(types_in_.size());
        for (auto t : types_in_) w.u8(static_cast<std::uint8_t>(t));
        w.u64s(kept_);
    }
    // Reads what save_base wrote, checked: distinct names, one known type each, kept
    // indices strictly increasing and in range.
    void load_base(ArchiveReader& r) {
        if (!r.boolean()) return;
        auto names = r.strs();
        const std::size_t nt = r.size(1);
        if (nt != names.size() || names.empty()) r.fail("column types do not match the columns");
        std::vector<ColumnType> types;
        for (std::size_t k = 0; k < nt; ++k) {
            const auto t = r.u8();
            if (t > 1) r.fail("unknown column type");
            types.push_back(static_cast<ColumnType>(t));
        }
        std::vector<std::string_view> sorted(names.begin(), names.end());
        std::sort(sorted.begin(), sorted.end());
        if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) r.fail("a column is listed twice");
        std::vector<std::size_t> kept;
        for (auto k : r.u64s()) {
            if (k >= names.size() || (!kept.empty() && k <= kept.back())) r.fail("kept column indices are out of order");
            kept.push_back(static_cast<std::size_t>(k));
        }
        std::vector<bool> drop(names.size(), true);
        for (auto k : kept) drop[k] = false;
        finish(std::move(names), std::move(types), drop);
    }

private:
    D& self() { return static_cast<D&>(*this); }
    const D& self() const { return static_cast<const D&>(*this); }

    void finish(std::vector<std::string> names, std::vector<ColumnType> types, const std::vector<bool>& drop) {
        kept_.clear();
        for (std::size_t k = 0; k < names.size(); ++k)
            if (!drop[k]) kept_.push_back(k);
        names_in_ = std::move(names);
        types_in_ = std::move(types);
        fitted_ = true;
    }

    bool fitted_ = false;
    std::vector<std::string> names_in_;
    std::vector<ColumnType> types_in_;
    std::vector<std::size_t> kept_;  // increasing indices into names_in_
};

}  // namespace reprep::detail
