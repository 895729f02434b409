// reprep::Table: named, typed columns for mixed data (docs/design.md, "Data").
//
// Numeric columns hold double (NaN = missing). Datetime columns hold int64 nanoseconds
// since the Unix epoch in UTC (kNaT = INT64_MIN = missing; core/datetime.hpp), as pandas'
// datetime64[ns]. Categorical columns are
// dictionary-encoded: the distinct strings once, plus an int32 code per row
// (-1 = missing), so an encoder maps each distinct value once and then gathers
// integers. Strings are compared as raw bytes, never through a locale.
//
// Columns live in a vector in insertion order; the name -> position lookup is a
// sorted map that is only ever searched, never iterated, so nothing observable
// depends on hashing.
//
// A column's values are immutable once it is in a table, and shared: copying a Table
// copies one pointer pair per column, not the values, and replacing a column in one
// copy leaves the others as they were. So a pipeline step that rewrites two columns of
// a wide table pays for those two, not for the table (issue 17). Numeric columns may
// also share one buffer: a numeric component writes its k output columns as one
// column-major block (set_numeric_block), and the next component reads them back as a
// matrix without a copy (numeric_block).
//
// The dictionary of a categorical column is a storage detail. It may be in any
// order and (when built from a CategoricalColumn) may hold entries no row uses;
// fingerprint() and operator== look only at the strings the rows hold. Components
// must derive vocabularies from the codes, not from the dictionary alone.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "datetime.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "matrix.hpp"

namespace reprep {

namespace detail {
struct TableAccess;  // Pipeline::transform_into's buffer reuse (table_reuse.hpp)
}

// The values are stored in artifacts (input schemas, profiles): never renumber them.
enum class ColumnType : std::uint8_t { numeric, categorical, datetime };

inline std::string_view to_string(ColumnType t) {
    return t == ColumnType::numeric ? "numeric" : t == ColumnType::categorical ? "categorical" : "datetime";
}

// One column of a pipeline's input schema: its name and the type it had in fit.
// `required` is false when the pipeline's serving policy fills the column if a request
// lacks it (read_csv with a schema then reads a file without it).
struct SchemaColumn {
    std::string name;
    ColumnType type = ColumnType::numeric;
    bool required = true;
    friend bool operator==(const SchemaColumn&, const SchemaColumn&) = default;
};

// Dictionary-encoded strings: codes index `dictionary`; -1 = missing.
struct CategoricalColumn {
    std::vector<std::string> dictionary;
    std::vector<std::int32_t> codes;
};

class Table {
public:
    Table() = default;

    // Adding a column whose name exists, or whose length differs from num_rows()
    // (when the table has columns), throws SchemaError.
    Table& add_numeric(std::string name, std::vector<double> values);  // NaN = missing
    // Builds the dictionary in first-seen order.
    Table& add_categorical(std::string name, const std::vector<std::optional<std::string>>& values);
    // So that add_categorical("c", {"a", "b", std::nullopt}) is not ambiguous.
    Table& add_categorical(std::string name, std::initializer_list<std::optional<std::string>> values) {
        return add_categorical(std::move(name), std::vector<std::optional<std::string>>(values));
    }
    // Validated: codes in [-1, dictionary size), dictionary entries distinct.
    Table& add_categorical(std::string name, CategoricalColumn column);
    // Convenience: a value equal to `missing_token` is missing. An empty token means
    // "no token": every string, the empty one included, is a value.
    Table& add_categorical(std::string name, const std::vector<std::string>& values,
                           std::string_view missing_token = {});

    // Replace an existing column of the same name, keeping its position (or append
    // if absent); the type may change. Length must match. The categorical forms are
    // add_categorical's: first-seen dictionary order, `missing_token` as there.
    Table& set_numeric(std::string name, std::vector<double> values);
    Table& set_categorical(std::string name, CategoricalColumn column);
    Table& set_categorical(std::string name, const std::vector<std::optional<std::string>>& values) {
        return set_categorical(std::move(name), encode(values));
    }
    Table& set_categorical(std::string name, std::initializer_list<std::optional<std::string>> values) {
        return set_categorical(std::move(name), encode(std::vector<std::optional<std::string>>(values)));
    }
    Table& set_categorical(std::string name, const std::vector<std::string>& values, std::string_view missing_token = {}) {
        return set_categorical(std::move(name), encode(values, missing_token));
    }
    Table& remove(std::string_view name);  // SchemaError if absent

    // Datetime columns: nanoseconds since 1970-01-01T00:00:00 UTC, kNaT = missing. Add and
    // set follow add_numeric and set_numeric.
    Table& add_datetime(std::string name, std::vector<std::int64_t> nanos);
    Table& set_datetime(std::string name, std::vector<std::int64_t> nanos);

    // Sets (replacing or appending, as set_numeric) names.size() numeric columns held in
    // one column-major buffer of `rows` x names.size() doubles, which the table then
    // shares: column j is block[j * rows, (j + 1) * rows). The caller must not write to
    // the buffer afterwards. Names must be distinct; length rules as set_numeric.
    Table& set_numeric_block(const std::vector<std::string>& names, std::shared_ptr<const double[]> block,
                             std::size_t rows);
    // The numeric columns `names`, in that order, as one column-major matrix without a
    // copy, when they lie in one shared buffer at a constant stride (a block that
    // set_numeric_block stored, in its order); std::nullopt otherwise, or when a name is
    // absent or categorical (to_matrix then copies, and reports those errors). A single
    // column is always a view.
    using NumericBlockView = Eigen::Map<const Matrix<double>, 0, Eigen::OuterStride<>>;
    std::optional<NumericBlockView> numeric_block(const std::vector<std::string>& names) const;

    // Default names x0, x1, ...; names.size() must equal X.cols().
    template <class Derived>
    static Table from_matrix(const Eigen::MatrixBase<Derived>& X, std::vector<std::string> names = {});

    std::size_t num_rows() const noexcept { return rows_; }
    std::size_t num_columns() const noexcept { return columns_.size(); }
    // Accessors that return a reference or a view into the table have a `const&&`
    // overload that returns a copy: on a temporary (pipe.transform(t).column_names())
    // the reference would dangle at the end of the full expression, e.g. in a range-for.
    const std::vector<std::string>& column_names() const& noexcept { return names_; }
    std::vector<std::string> column_names() const&& { return names_; }
    bool has_column(std::string_view name) const { return index_.find(name) != index_.end(); }
    // SchemaError naming the column (and listing a few available ones) if absent.
    std::size_t column_index(std::string_view name) const;
    ColumnType type(std::string_view name) const { return columns_[column_index(name)].type; }

    // SchemaError if absent or of the other type.
    std::span<const double> numeric(std::string_view name) const&;
    std::vector<double> numeric(std::string_view name) const&& {
        const auto v = static_cast<const Table&>(*this).numeric(name);
        return {v.begin(), v.end()};
    }
    // SchemaError if absent or of another type.
    std::span<const std::int64_t> datetime(std::string_view name) const&;
    std::vector<std::int64_t> datetime(std::string_view name) const&& {
        const auto v = static_cast<const Table&>(*this).datetime(name);
        return {v.begin(), v.end()};
    }
    const CategoricalColumn& categorical(std::string_view name) const&;
    CategoricalColumn categorical(std::string_view name) const&& { return static_cast<const Table&>(*this).categorical(name); }
    // The string at (column, row); std::nullopt if missing. Categorical columns only.
    std::optional<std::string_view> category(std::string_view name, std::size_t row) const&;
    std::optional<std::string> category(std::string_view name, std::size_t row) const&& {
        const auto v = static_cast<const Table&>(*this).category(name, row);
        return v ? std::optional<std::string>(*v) : std::nullopt;
    }

    Table select(const std::vector<std::string>& names) const;  // in the given order
    // Gathers rows (repeats allowed). Categorical dictionaries are compacted to the
    // values the gathered rows hold, so a training split never carries the
    // vocabulary of the rows left out. (This and the row filters: table_build.hpp.)
    Table rows(std::span<const std::size_t> row_indices) const;
    // The rows i with keep[i] (keep.size() == num_rows(), InvalidInput otherwise), in
    // order; pandas' df[mask]. Dictionaries are compacted as by rows().
    Table filter_rows(const std::vector<bool>& keep) const;
    // The rows i for which keep(i) is true, in order.
    template <class Keep>
        requires std::predicate<Keep&, std::size_t>
    Table filter_rows(Keep keep) const;
    // pandas' dropna(subset=columns): drops every row in which any of `columns` (empty:
    // every column) is missing (NaN, or a missing category). SchemaError if a column is
    // absent. Drop rows before fit only with care: rows dropped in training but
    // imputed (or refused) at serving time is a train/serve skew.
    Table drop_missing(const std::vector<std::string>& columns = {}) const;

    // Numeric columns only (empty = all columns; SchemaError if any requested column
    // is categorical). For float, each double is rounded once.
    template <class T = double>
    Matrix<T> to_matrix(const std::vector<std::string>& columns = {}) const;

    // XXH3-128 over canonical bytes (see docs/table_csv.md): names, types, numeric
    // values as canonical bits (-0 -> +0, one NaN), categorical values as their
    // strings with missing tagged. Independent of dictionary order or unused entries.
    Hash128 fingerprint() const;

    // Same names, types and values: categorical compared by strings; numeric by
    // canonical bits (NaN == NaN, -0 == +0), the same equivalence as fingerprint().
    friend bool operator==(const Table& a, const Table& b);

private:
    friend struct detail::TableAccess;

    // Immutable and shared between copies of the table (see the top of this file).
    // `numeric` points at the column's rows_ values and shares ownership of the buffer
    // that holds them (a vector handed to add_numeric, or a block of several columns).
    struct Column {
        ColumnType type = ColumnType::numeric;
        std::shared_ptr<const double> numeric;
        std::shared_ptr<const CategoricalColumn> categorical;
        std::shared_ptr<const std::int64_t> datetime;  // rows_ values, as `numeric`
    };
    static Column numeric_column(std::vector<double> values);
    static Column categorical_column(CategoricalColumn values);
    static Column datetime_column(std::vector<std::int64_t> values);
    std::span<const std::int64_t> datetimes_of(const Column& c) const { return {c.datetime.get(), rows_}; }
    std::span<const double> values_of(const Column& c) const { return {c.numeric.get(), rows_}; }

    // Dictionary encoding in first-seen order (add_categorical's and set_categorical's).
    static CategoricalColumn encode(const std::vector<std::optional<std::string>>& values);
    static CategoricalColumn encode(const std::vector<std::string>& values, std::string_view missing_token);

    void check_new_column(const std::string& name, std::size_t length) const;
    void check_length(const std::string& name, std::size_t length, bool replacing) const;
    static void validate(const std::string& name, const CategoricalColumn& c);
    void append(std::string name, Column col, std::size_t length);
    void replace_or_append(std::string name, Column col, std::size_t length);
    const Column& column_of(std::string_view name, ColumnType expected) const;

    std::vector<std::string> names_;
    std::vector<Column> columns_;
    std::map<std::string, std::size_t, std::less<>> index_;
    std::size_t rows_ = 0;
};

// ---------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------

namespace detail {

// The fix has no default: every error says what to do (python/tests/test_errors.py checks fail<> calls).
[[noreturn]] inline void table_fail_schema(std::string column, std::string problem, std::string fix) {
    fail<SchemaError>({.component = "Table", .problem = std::move(problem), .fix = std::move(fix),
                       .column = std::move(column)});
}

// Byte-wise string comparison, independent of char signedness and locale.
inline bool bytes_less(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(a[i]);
        const auto y = static_cast<unsigned char>(b[i]);
        if (x != y) return x < y;
    }
    return a.size() < b.size();
}

}  // namespace detail

inline std::size_t Table::column_index(std::string_view name) const {
    const auto it = index_.find(name);
    if (it != index_.end()) return it->second;
    std::string avail;
    const std::size_t shown = std::min<std::size_t>(names_.size(), 8);
    for (std::size_t i = 0; i < shown; ++i) {
        if (i) avail += ", ";
        avail += "'" + names_[i] + "'";
    }
    if (names_.size() > shown) avail += ", ... (" + std::to_string(names_.size()) + " columns)";
    detail::table_fail_schema(std::string(name), "no such column",
                              names_.empty() ? std::string("the table has no columns")
                                             : "use one of the available columns: " + avail);
}

inline void Table::check_length(const std::string& name, std::size_t length, bool replacing) const {
    // A table's row count is fixed by its columns; the only column that may set it is
    // the first one, or the sole one being replaced.
    const bool free_length = columns_.empty() || (replacing && columns_.size() == 1);
    if (!free_length && length != rows_) {
        detail::table_fail_schema(name, "has " + std::to_string(length) + " values but the table has " +
                                            std::to_string(rows_) + " rows",
                                  "every column of a Table must have the same length");
    }
}

inline void Table::check_new_column(const std::string& name, std::size_t length) const {
    if (has_column(name)) {
        detail::table_fail_schema(name, "a column of this name already exists",
                                  "use set_numeric/set_categorical to replace it, or pick another name");
    }
    check_length(name, length, false);
}

inline void Table::validate(const std::string& name, const CategoricalColumn& c) {
    if (c.dictionary.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        detail::table_fail_schema(name, "the dictionary has more entries than int32 codes can index",
                                  "split the column, or keep it numeric");
    }
    const auto n = static_cast<std::int32_t>(c.dictionary.size());
    for (std::size_t r = 0; r < c.codes.size(); ++r) {
        if (c.codes[r] < -1 || c.codes[r] >= n) {
            detail::fail<SchemaError>({.component = "Table",
                                       .problem = "code " + std::to_string(c.codes[r]) +
                                                  " is outside [-1, " + std::to_string(n) + ")",
                                       .fix = "codes must index the dictionary, or be -1 for missing",
                                       .column = name,
                                       .row = r});
        }
    }
    std::vector<std::string_view> sorted(c.dictionary.begin(), c.dictionary.end());
    std::sort(sorted.begin(), sorted.end(), detail::bytes_less);
    const auto dup = std::adjacent_find(sorted.begin(), sorted.end());
    if (dup != sorted.end()) {
        detail::table_fail_schema(name, "the dictionary holds '" + std::string(*dup) + "' more than once",
                                  "dictionary entries must be distinct");
    }
}

inline void Table::append(std::string name, Column col, std::size_t length) {
    check_new_column(name, length);
    index_.emplace(name, columns_.size());
    names_.push_back(std::move(name));
    columns_.push_back(std::move(col));
    rows_ = length;
}

inline void Table::replace_or_append(std::string name, Column col, std::size_t length) {
    const auto it = index_.find(name);
    if (it == index_.end()) {
        append(std::move(name), std::move(col), length);
        return;
    }
    check_length(name, length, true);
    columns_[it->second] = std::move(col);
    rows_ = length;
}

inline Table::Column Table::numeric_column(std::vector<double> values) {
    auto owner = std::make_shared<const std::vector<double>>(std::move(values));
    Column c;
    c.type = ColumnType::numeric;
    c.numeric = std::shared_ptr<const double>(owner, owner->data());  // shares the vector's ownership
    return c;
}

inline Table::Column Table::categorical_column(CategoricalColumn values) {
    Column c;
    c.type = ColumnType::categorical;
    c.categorical = std::make_shared<const CategoricalColumn>(std::move(values));
    return c;
}

inline Table& Table::add_numeric(std::string name, std::vector<double> values) {
    const std::size_t n = values.size();
    append(std::move(name), numeric_column(std::move(values)), n);
    return *this;
}

// The name and length are checked before the encoding does any work.
inline Table& Table::add_categorical(std::string name, const std::vector<std::optional<std::string>>& values) {
    check_new_column(name, values.size());
    return add_categorical(std::move(name), encode(values));
}

inline Table& Table::add_categorical(std::string name, const std::vector<std::string>& values,
                                     std::string_view missing_token) {
    check_new_column(name, values.size());
    return add_categorical(std::move(name), encode(values, missing_token));
}

inline Table& Table::add_categorical(std::string name, CategoricalColumn column) {
    check_new_column(name, column.codes.size());
    validate(name, column);
    const std::size_t n = column.codes.size();
    append(std::move(name), categorical_column(std::move(column)), n);
    return *this;
}

inline Table& Table::set_numeric(std::string name, std::vector<double> values) {
    const std::size_t n = values.size();
    replace_or_append(std::move(name), numeric_column(std::move(values)), n);
    return *this;
}

inline Table& Table::set_categorical(std::string name, CategoricalColumn column) {
    validate(name, column);
    const std::size_t n = column.codes.size();
    replace_or_append(std::move(name), categorical_column(std::move(column)), n);
    return *this;
}

inline Table& Table::remove(std::string_view name) {
    const std::size_t pos = column_index(name);
    index_.erase(index_.find(name));
    names_.erase(names_.begin() + static_cast<std::ptrdiff_t>(pos));
    columns_.erase(columns_.begin() + static_cast<std::ptrdiff_t>(pos));
    for (auto& [key, idx] : index_) {
        if (idx > pos) --idx;
    }
    if (columns_.empty()) rows_ = 0;
    return *this;
}

inline const Table::Column& Table::column_of(std::string_view name, ColumnType expected) const {
    const Column& c = columns_[column_index(name)];
    if (c.type != expected) {
        // The column is named once, by the context ("Table: column 'c': is categorical, ...").
        detail::table_fail_schema(std::string(name), "is " + std::string(to_string(c.type)) + ", expected " + std::string(to_string(expected)),
                                  expected == ColumnType::numeric    ? "encode the column first, or select only numeric columns"
                                  : expected == ColumnType::datetime ? "pass a datetime column (read_csv infers ISO 8601 dates)"
                                                                     : "pass a categorical column, or convert the column to strings");
    }
    return c;
}

inline std::span<const double> Table::numeric(std::string_view name) const& {
    return values_of(column_of(name, ColumnType::numeric));
}

inline const CategoricalColumn& Table::categorical(std::string_view name) const& {
    return *column_of(name, ColumnType::categorical).categorical;
}

inline std::optional<std::string_view> Table::category(std::string_view name, std::size_t row) const& {
    const CategoricalColumn& c = categorical(name);
    if (row >= c.codes.size()) {
        detail::fail<InvalidInput>({.component = "Table",
                                    .problem = "row index out of range (the table has " +
                                               std::to_string(c.codes.size()) + " rows)",
                                    .fix = "pass a row index below num_rows()",
                                    .column = std::string(name),
                                    .row = row});
    }
    const std::int32_t code = c.codes[row];
    if (code < 0) return std::nullopt;
    return std::string_view(c.dictionary[static_cast<std::size_t>(code)]);
}

inline Table Table::select(const std::vector<std::string>& names) const {
    Table t;
    for (const auto& n : names) {
        const Column& c = columns_[column_index(n)];
        if (t.has_column(n)) {
            detail::table_fail_schema(n, "select() names this column twice", "list each column once");
        }
        t.append(n, c, rows_);
    }
    return t;
}

inline Hash128 Table::fingerprint() const {
    detail::Hasher128 h;
    h.str("reprep.table.v1");
    h.u64(columns_.size());
    h.u64(rows_);
    for (std::size_t j = 0; j < columns_.size(); ++j) {
        const Column& c = columns_[j];
        h.str(names_[j]);
        h.u8(static_cast<std::uint8_t>(c.type));
        if (c.type == ColumnType::numeric) {
            for (double x : values_of(c)) h.u64(detail::canonical_bits(x));
        } else if (c.type == ColumnType::datetime) {
            for (std::int64_t x : datetimes_of(c)) h.u64(static_cast<std::uint64_t>(x));
        } else {
            for (std::int32_t code : c.categorical->codes) {
                if (code < 0) {
                    h.u8(0);
                } else {
                    h.u8(1);
                    h.str(c.categorical->dictionary[static_cast<std::size_t>(code)]);
                }
            }
        }
    }
    return h.digest();
}

inline bool operator==(const Table& a, const Table& b) {
    if (a.names_ != b.names_ || a.rows_ != b.rows_) return false;
    for (std::size_t j = 0; j < a.columns_.size(); ++j) {
        const Table::Column& x = a.columns_[j];
        const Table::Column& y = b.columns_[j];
        if (x.type != y.type) return false;
        if (x.type == ColumnType::numeric) {
            const auto vx = a.values_of(x);
            const auto vy = b.values_of(y);
            for (std::size_t i = 0; i < a.rows_; ++i) {
                if (detail::canonical_bits(vx[i]) != detail::canonical_bits(vy[i])) return false;
            }
            continue;
        }
        if (x.type == ColumnType::datetime) {
            const auto vx = a.datetimes_of(x);
            const auto vy = b.datetimes_of(y);
            if (!std::equal(vx.begin(), vx.end(), vy.begin())) return false;
            continue;
        }
        const auto& cx = *x.categorical;
        const auto& cy = *y.categorical;
        if (cx.dictionary == cy.dictionary) {
            if (cx.codes != cy.codes) return false;
            continue;
        }
        for (std::size_t i = 0; i < a.rows_; ++i) {
            const std::int32_t p = cx.codes[i];
            const std::int32_t q = cy.codes[i];
            if ((p < 0) != (q < 0)) return false;
            if (p >= 0 && cx.dictionary[static_cast<std::size_t>(p)] != cy.dictionary[static_cast<std::size_t>(q)]) {
                return false;
            }
        }
    }
    return true;
}

}  // namespace reprep

// Row selection (rows, filter_rows, drop_missing) and dictionary encoding, and the
// matrix side (from_matrix, to_matrix, shared numeric blocks), kept apart so that each
// header stays small enough to read; every includer of table.hpp gets them.
#include "table_build.hpp"
#include "table_matrix.hpp"
#include "table_reuse.hpp"
