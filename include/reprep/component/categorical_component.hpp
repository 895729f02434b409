// The machinery every component over categorical Table columns shares, so that a
// component header only holds its own fitted state and its per-value rule:
//
//   - CategoryAccumulator (category_accumulator.hpp): exact integer counts per category
//     (and, for supervised components, exact target sums Σy and Σy² per category),
//     mergeable and serialisable; fit(Table) is fit(accumulator of that Table), so
//     the fitted state is the same bits for any row order, chunking or merge order.
//   - CategoricalComponent<D>: the public surface (fit on a Table or an accumulator,
//     transform to a Table, a dense matrix, or one record at a time), column
//     selection, schema checks, NotFitted, feature names, lookup of a fitted column by
//     name, and the base of save/load. (KeyValueEncoder<D>, key_value_encoder.hpp,
//     builds on it for the encoders of one number per category.)
//
// The transform model. Each value of a fitted column is turned into a small
// trivially-copyable `Slot` by the component (for a one-hot encoder: the hot output
// index; for an ordinal encoder: the code). In the batch path the slot is computed
// once per distinct dictionary entry of the input column, then gathered by the
// integer codes of the rows, so strings are looked at once per distinct value, not
// once per row. The single-row path computes the slot from the value directly and
// runs the very same `emit` / `category_out` as the batch path, so the bits agree.
//
// A component D derives from CategoricalComponent<D> and provides:
//   static constexpr const char* component_name;            "OneHotEncoder"
//   static constexpr bool numeric_output;                    numbers out, or categorical columns out
//   const Params& params() const;                            with `std::vector<std::string> columns` first
//   bool needs_target() const;                               (optional, default false) fit needs y
//   bool counts_classes() const;                             (optional, default false) the accumulator
//                                                            also counts class labels (multiclass targets)
//   void fit_tallies(const CategoryAccumulator& acc);        compute the state; acc.columns() are the fitted columns
//   using Slot = ...;                                        what one value becomes after lookup
//   Slot slot_of(std::size_t j, std::string_view value) const;   j = fitted column index
//   Slot slot_of_missing(std::size_t j) const;
//   bool rejects(const Slot&) const;                         (optional, default false) the value is an error
//   [[noreturn]] void reject(std::size_t j, std::optional<std::string_view> value, std::size_t row) const;
//   static void validate(const Params&);                     (for load_column_count) the Params checks
// numeric output:
//   std::size_t n_features_out() const;
//   std::vector<std::string> names_out() const;             n_features_out() names
//   void emit(std::size_t j, const Slot&, double* out, std::size_t stride) const;
//        writes column j's contribution into an output row that starts zeroed;
//        output feature k lives at out[k * stride]
// categorical output (same column names in and out):
//   std::optional<std::string_view> category_out(std::size_t j, const Slot&, std::optional<std::string_view> in) const;
//        the returned view must point into the component's state, its params, or `in`
//
// Strings are compared as bytes (memcmp order: unsigned bytes, then length), never
// through a locale; vocabularies are sorted byte-wise, nothing depends on hash-map
// iteration order.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/fp_env.hpp"
#include "../core/matrix.hpp"
#include "../core/parallel.hpp"
#include "../core/table.hpp"
#include "category_accumulator.hpp"
#include "output_names.hpp"

namespace reprep {

// One record for the single-row path: one value per fitted column, in
// feature_names_in() order; std::nullopt is a missing value.
using CategoricalRecord = std::span<const std::optional<std::string_view>>;

// What an encoder does with a category it did not see in fit. Each encoder accepts the
// subset scikit-learn (or feature-engine) gives it and refuses the rest with
// InvalidParameter: OneHotEncoder error/ignore/infrequent_if_exist, OrdinalEncoder
// error/use_encoded_value.
enum class HandleUnknown : std::uint8_t { error, ignore, infrequent_if_exist, use_encoded_value };

// feature-engine's `unseen` option of its count and WoE encoders: map an unseen category
// to NaN, refuse it, or encode it as 0.
enum class UnseenPolicy : std::uint8_t { ignore, raise, encode };

// feature-engine's missing_values option: refuse missing values, or let them through;
// `include` (DropConstantFeatures only: missing counts as a value of its own) is refused
// by the encoders, which offer raise and ignore.
enum class MissingValues : std::uint8_t { raise, ignore, include };

// A compressed-sparse-row matrix (scipy's csr_matrix layout): the non-zeros of row i
// are data[indptr[i] .. indptr[i+1]) at columns indices[...], in increasing column order.
struct CsrMatrix {
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<std::int64_t> indptr;
    std::vector<std::int32_t> indices;
    std::vector<double> data;

    Matrix<double> to_dense() const {
        Matrix<double> M = Matrix<double>::Zero(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
        for (std::size_t i = 0; i < rows; ++i)
            for (auto k = indptr[i]; k < indptr[i + 1]; ++k)
                M(static_cast<Eigen::Index>(i), indices[static_cast<std::size_t>(k)]) += data[static_cast<std::size_t>(k)];
        return M;
    }
};

namespace detail {

// Params::columns must not name a column twice.
inline void validate_columns(const char* component, const std::vector<std::string>& columns) {
    std::vector<std::string_view> s(columns.begin(), columns.end());
    std::sort(s.begin(), s.end(), [](std::string_view a, std::string_view b) { return bytes_compare(a, b) < 0; });
    const auto dup = std::adjacent_find(s.begin(), s.end());
    if (dup != s.end())
        fail<InvalidParameter>({.component = component,
                                .problem = "names column '" + std::string(*dup) + "' more than once",
                                .fix = "list each column once",
                                .column = "columns"});
}

// The fix has no default: every error says what to do.
[[noreturn]] inline void invalid_parameter(const char* component, const char* field, std::string problem,
                                           std::string fix) {
    fail<InvalidParameter>(
        {.component = component, .problem = std::move(problem), .fix = std::move(fix), .column = field});
}

// Loaders run the Params validation again: Params that fail it make the artifact bad
// (FormatError), not the caller's arguments.
template <class Validate>
void revalidate(ArchiveReader& r, Validate&& validate) {
    try {
        validate();
    } catch (const InvalidParameter& ex) {
        r.fail(std::string("invalid parameters: ") + ex.what());
    }
}

// What fit(acc) checks first in every categorical component: the accumulator saw
// rows, and holds the columns Params::columns asked for (when it names any).
inline void check_accumulated(const char* component, std::uint64_t rows, const std::vector<std::string>& requested,
                              const std::vector<std::string>& columns) {
    if (rows == 0)
        fail<InvalidInput>({.component = component,
                            .problem = "fit got no rows",
                            .fix = "pass non-empty training data (or update the accumulator first)"});
    if (!requested.empty() && requested != columns)
        fail<SchemaError>({.component = component,
                           .problem = "the accumulator's columns differ from Params::columns",
                           .fix = "create the accumulator with accumulator() from this component"});
}

// A column with missing values, refused in fit (feature-engine's missing_values = raise,
// scikit-learn's handle_missing = error): InvalidInput naming the column and the count.
inline void refuse_missing_in_fit(const char* component, const ColumnTally& t, const char* fix) {
    if (t.missing > 0)
        fail<InvalidInput>({.component = component,
                            .problem = std::to_string(t.missing) + " missing values in fit",
                            .fix = fix,
                            .column = t.name});
}

// ---------------------------------------------------------------------------
// The component base
// ---------------------------------------------------------------------------

template <class D>
class CategoricalComponent {
public:
    using Accumulator = CategoryAccumulator;

    bool is_fitted() const { return fitted_; }
    std::size_t n_features_in() const { require_fitted(); return names_in_.size(); }
    const std::vector<std::string>& feature_names_in() const { require_fitted(); return names_in_; }

    // An empty accumulator for this component's columns (and target, if it needs one).
    Accumulator accumulator() const {
        return Accumulator(D::component_name, self().params().columns, target_needed(), class_counts_needed());
    }

    // Fits on Params::columns (empty = every categorical column of t).
    D& fit(const Table& t) {
        // Said here, in the words of this call: the accumulator's own error would point
        // at update(chunk, y), an API the caller did not use.
        if (target_needed())
            fail<InvalidInput>({.component = D::component_name,
                                .problem = "this fit needs the target y",
                                .fix = "call fit(X, y) (or fit_transform(X, y)) with one target value per row"});
        auto acc = accumulator();
        acc.update(t);
        return fit(acc);
    }
    // Supervised fit; components that need no target check y and ignore it.
    D& fit(const Table& t, std::span<const double> y) {
        auto acc = accumulator();
        acc.update(t, y);
        return fit(acc);
    }
    D& fit(const Accumulator& acc) {
        check_fp_environment();
        std::vector<std::string> names;
        for (const auto& c : acc.columns()) names.push_back(c.name);
        check_accumulated(D::component_name, acc.rows(), self().params().columns, names);
        if (target_needed() && !acc.has_target())
            fail<InvalidInput>({.component = D::component_name,
                                .problem = "this fit needs the target y, and the accumulator holds none",
                                .fix = "create the accumulator with accumulator() from this component and update(chunk, y)"});
        // Fit into a copy, so a throwing fit leaves this object's state untouched.
        D next = self();
        next.fit_tallies(acc);
        next.names_in_ = std::move(names);
        next.fitted_ = true;
        self() = std::move(next);
        return self();
    }

    Table fit_transform(const Table& t) {
        fit(t);
        return transform(t);
    }

    // Output column names: numeric-output components name their outputs
    // (`species_Adelie`); categorical-output components keep the input names.
    std::vector<std::string> feature_names_out() const {
        require_fitted();
        if constexpr (D::numeric_output) return self().names_out();
        else return names_in_;
    }

    // Transforms the fitted columns; every other column passes through unchanged.
    // Numeric outputs named like their input replace it in place; otherwise the input
    // columns are removed and the outputs appended, in feature_names_out() order.
    // Categorical outputs replace their input column in place.
    // opts.n_jobs > 1 fills numeric outputs in row blocks, one thread each, with the same
    // bits (core/parallel.hpp); categorical outputs are mapped on the calling thread.
    Table transform(const Table& t, const TransformOptions& opts = {}) const {
        const std::size_t threads = thread_count(opts.n_jobs, D::component_name);
        const auto cols = input_columns(t);
        Table result = t;
        if constexpr (D::numeric_output) {
            const std::size_t n = t.num_rows(), F = self().n_features_out();
            const auto names = self().names_out();
            check_output_names(D::component_name, t, names_in_, names);
            // One block that the table then shares (Table::set_numeric_block):
            // the outputs are written once and never copied column by column.
            std::shared_ptr<double[]> block(new double[n * F]);  // fill_dense writes every element
            fill_dense(cols, block.get(), n, threads);
            if (names != names_in_)
                for (const auto& name : names_in_) result.remove(name);
            result.set_numeric_block(names, std::move(block), n);
        } else {
            for (std::size_t j = 0; j < cols.size(); ++j) result.set_categorical(names_in_[j], map_column(j, *cols[j]));
        }
        return result;
    }

    // Pipeline::transform_into's path (compose/pipeline_into.hpp), numeric outputs:
    // transform(t)'s block, the same bits, written into `out` (t.num_rows() x
    // n_features_out(), column-major). The slots live in `scratch`, whose buffers only
    // grow: once they are large enough, nothing is allocated. Only called after
    // transform accepted a table of t's columns (so the output names were checked).
    void transform_block(const Table& t, double* out, ReuseScratch& scratch, const TransformOptions& opts = {}) const {
        static_assert(D::numeric_output, "transform_block needs a component with numeric outputs");
        const std::size_t threads = thread_count(opts.n_jobs, D::component_name);
        const auto* slots = reuse_slots(t, scratch);
        emit_dense(scratch.columns.data(), [&](std::size_t j) { return slots[j]; }, out, t.num_rows(), threads);
    }

    // The same path for categorical outputs: column j of out (one per fitted column, in
    // feature_names_in() order) is overwritten with transform(t)'s column j: the same
    // dictionary, in the same order, and the same codes. Its vectors keep their capacity,
    // so a batch like the last allocates nothing.
    void transform_categories(const Table& t, CategoricalColumn* const* out, ReuseScratch& scratch,
                              const TransformOptions& opts = {}) const {
        static_assert(!D::numeric_output, "transform_categories needs a component with categorical outputs");
        const std::size_t threads = thread_count(opts.n_jobs, D::component_name);
        const auto* slots = reuse_slots(t, scratch);
        for (std::size_t j = 0; j < names_in_.size(); ++j) map_column_into(j, *scratch.columns[j], slots[j], *out[j], scratch.ints, threads);
    }

    // Numeric outputs as a dense rows x n_features_out() matrix (float: each double
    // output is rounded once).
    template <class T = double>
    Matrix<T> transform_matrix(const Table& t) const {
        static_assert(D::numeric_output, "transform_matrix needs a component with numeric outputs");
        const auto cols = input_columns(t);
        const std::size_t n = t.num_rows(), F = self().n_features_out();
        if constexpr (std::is_same_v<T, double>) {
            Matrix<double> out(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(F));
            fill_dense(cols, out.data(), n);
            return out;
        } else {
            std::vector<double> buf(n * F, 0.0);
            fill_dense(cols, buf.data(), n);
            Matrix<T> out(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(F));
            for (std::size_t i = 0; i < n * F; ++i) out.data()[i] = static_cast<T>(buf[i]);
            return out;
        }
    }

    // One record in (a value per fitted column), n_features_out() numbers out. Checks
    // everything before writing, allocates nothing.
    // (The checks are static_asserts, not requires-clauses: D is incomplete where this
    // base is instantiated, and Clang evaluates requires-clauses there.)
    void transform_row(CategoricalRecord record, std::span<double> out) const {
        static_assert(D::numeric_output, "this component outputs categories: pass a span of optional<string_view>");
        check_record(record);
        if (out.size() != self().n_features_out())
            fail<SchemaError>({.component = D::component_name,
                               .problem = "the output buffer holds " + std::to_string(out.size()) +
                                          " values but the output has " + std::to_string(self().n_features_out()),
                               .fix = "size the buffer as n_features_out()"});
        using Slot = typename D::Slot;
        if (record.size() <= kRowStack) {
            // Look every value up once; check them all before writing anything.
            std::array<Slot, kRowStack> slots{};
            for (std::size_t j = 0; j < record.size(); ++j) slots[j] = checked_slot(j, record[j]);
            std::fill(out.begin(), out.end(), 0.0);
            for (std::size_t j = 0; j < record.size(); ++j) self().emit(j, slots[j], out.data(), 1);
            return;
        }
        for (std::size_t j = 0; j < record.size(); ++j) (void)checked_slot(j, record[j]);
        std::fill(out.begin(), out.end(), 0.0);
        for (std::size_t j = 0; j < record.size(); ++j) self().emit(j, slot_for(j, record[j]), out.data(), 1);
    }

    // One record in, one value per fitted column out. Output views point into the
    // component's state or params, or into `record` itself.
    void transform_row(CategoricalRecord record, std::span<std::optional<std::string_view>> out) const {
        static_assert(!D::numeric_output, "this component outputs numbers: pass a span of double");
        check_record(record);
        if (out.size() != record.size())
            fail<SchemaError>({.component = D::component_name,
                               .problem = "the output buffer holds " + std::to_string(out.size()) +
                                          " values for " + std::to_string(record.size()) + " columns",
                               .fix = "size the buffer as n_features_in()"});
        for (std::size_t j = 0; j < record.size(); ++j) (void)checked_slot(j, record[j]);
        for (std::size_t j = 0; j < record.size(); ++j) out[j] = self().category_out(j, slot_for(j, record[j]), record[j]);
    }

protected:
    bool target_needed() const {
        if constexpr (requires(const D& d) { d.needs_target(); }) return self().needs_target();
        else return false;
    }
    bool class_counts_needed() const {
        if constexpr (requires(const D& d) { d.counts_classes(); }) return self().counts_classes();
        else return false;
    }

    void require_fitted() const {
        if (!fitted_) not_fitted(D::component_name);
    }

    // The index of a fitted column, for the accessors that take a column name.
    std::size_t column_index(std::string_view column) const {
        const auto& names = feature_names_in();
        for (std::size_t j = 0; j < names.size(); ++j)
            if (names[j] == column) return j;
        fail<SchemaError>({.component = D::component_name,
                           .problem = "was not fitted",
                           .fix = "ask for one of feature_names_in()",
                           .column = std::string(column)});
    }

    // Marks the state fitted (from_state and loaders).
    void set_fitted(std::vector<std::string> names) {
        names_in_ = std::move(names);
        fitted_ = true;
    }

    // The fitted columns of t, checked: SchemaError names a missing or non-categorical one.
    std::vector<const CategoricalColumn*> input_columns(const Table& t) const {
        require_fitted();
        check_fp_environment();
        std::vector<const CategoricalColumn*> cols;
        cols.reserve(names_in_.size());
        for (const auto& name : names_in_)
            cols.push_back(&with_component(D::component_name, [&]() -> const CategoricalColumn& { return t.categorical(name); }));
        return cols;
    }

    // The slot of every dictionary entry of `col` (index e + 1) and of missing (index
    // 0), so that a row's slot is slots[code + 1]. Raises, through D::reject, for the
    // first row (in row order) whose value the component rejects; dictionary entries
    // no row uses never raise.
    auto slots_for(std::size_t j, const CategoricalColumn& col) const {
        std::vector<typename D::Slot> slots(col.dictionary.size() + 1);
        fill_slots(j, col, slots);
        return slots;
    }
    // The same into slots[0 .. dictionary.size() + 1), allocating nothing.
    // (slots: a pointer, or a vector sized already; Slot may be bool.)
    template <class Slots>
    void fill_slots(std::size_t j, const CategoricalColumn& col, Slots&& slots) const {
        slots[0] = self().slot_of_missing(j);
        for (std::size_t e = 0; e < col.dictionary.size(); ++e) slots[e + 1] = self().slot_of(j, col.dictionary[e]);
        using Slot = typename D::Slot;
        if constexpr (requires(const D& d, const Slot& s) { d.rejects(s); }) {
            bool any = false;
            for (std::size_t e = 0; e <= col.dictionary.size(); ++e) any |= self().rejects(Slot(slots[e]));
            if (any)
                for (std::size_t i = 0; i < col.codes.size(); ++i) {
                    const std::int32_t code = col.codes[i];
                    if (self().rejects(Slot(slots[static_cast<std::size_t>(code + 1)])))
                        self().reject(j,
                                      code < 0 ? std::optional<std::string_view>{}
                                               : std::optional<std::string_view>(col.dictionary[static_cast<std::size_t>(code)]),
                                      i);
                }
        }
    }

    void save_base(ArchiveWriter& w) const {
        w.boolean(fitted_);
        w.strs(names_in_);
    }
    void load_base(ArchiveReader& r) {
        fitted_ = r.boolean();
        names_in_ = r.strs();
        if (!fitted_ && !names_in_.empty()) r.fail("an unfitted component carries feature names");
    }
    // For loaders, once the Params are read: validates them again, then reads how many
    // per-column states follow (each of at least min_bytes), one per fitted column.
    std::size_t load_column_count(ArchiveReader& r, std::size_t min_bytes) const {
        revalidate(r, [&] { D::validate(self().params()); });
        const std::size_t n = r.size(min_bytes);
        if (n != (fitted_ ? names_in_.size() : 0)) r.fail(std::string(D::component_name) + " state does not match its columns");
        return n;
    }

private:
    auto slot_for(std::size_t j, const std::optional<std::string_view>& v) const {
        return v ? self().slot_of(j, *v) : self().slot_of_missing(j);
    }

    void check_record(CategoricalRecord record) const {
        require_fitted();
        if (record.size() != names_in_.size())
            fail<SchemaError>({.component = D::component_name,
                               .problem = "the record holds " + std::to_string(record.size()) +
                                          " values but fit saw " + std::to_string(names_in_.size()) + " columns",
                               .fix = "pass one value per fitted column, in feature_names_in() order"});
    }

    // Records of up to this many columns are transformed with one lookup per value.
    static constexpr std::size_t kRowStack = 32;

    auto checked_slot(std::size_t j, const std::optional<std::string_view>& v) const {
        const auto s = slot_for(j, v);
        if constexpr (requires(const D& d) { d.rejects(d.slot_of_missing(0)); }) {
            if (self().rejects(s)) self().reject(j, v, 0);
        }
        return s;
    }

    // Column-major dense output: feature k of row i at out[k * n + i]; every element of
    // out is written (it need not start zeroed). Each dictionary is mapped to slots
    // first, on the calling thread (that is where an unknown category is refused); then
    // rows are emitted, in row blocks when threads > 1.
    //
    // Within a thread's rows, a tile of rows is zeroed and emitted while its part of
    // every output column is in cache. One-hot style outputs write a few values per row
    // across many columns; zeroing the whole output first and then emitting would send
    // each cache line to memory twice (and read it back in between).
    void fill_dense(const std::vector<const CategoricalColumn*>& cols, double* out, std::size_t n,
                    std::size_t threads = 1) const {
        std::vector<decltype(slots_for(0, *cols[0]))> slots;
        slots.reserve(cols.size());
        for (std::size_t j = 0; j < cols.size(); ++j) slots.push_back(slots_for(j, *cols[j]));
        emit_dense(cols.data(), [&](std::size_t j) { return slots[j].data(); }, out, n, threads);
    }
    // fill_dense's rows, once every column's slots are known: slots(j) points at column
    // j's, slots(j)[code + 1] the slot of a row's code.
    template <class Slots>
    void emit_dense(const CategoricalColumn* const* cols, Slots&& slots, double* out, std::size_t n,
                    std::size_t threads) const {
        const std::size_t F = self().n_features_out(), J = names_in_.size();
        // About 256 KiB of output per tile, and whole cache lines of each column.
        const std::size_t tile = std::max<std::size_t>(256, (std::size_t{32} << 10) / std::max<std::size_t>(F, 1)) & ~std::size_t{7};
        for_row_blocks(n, threads, [&](std::size_t begin, std::size_t end) {
            for (std::size_t b = begin; b < end; b += tile) {
                const std::size_t e = std::min(end, b + tile);
                for (std::size_t k = 0; k < F; ++k) std::fill(out + k * n + b, out + k * n + e, 0.0);
                for (std::size_t j = 0; j < J; ++j) {
                    const auto* s = slots(j) + 1;
                    const std::int32_t* codes = cols[j]->codes.data();
                    for (std::size_t i = b; i < e; ++i) self().emit(j, s[codes[i]], out + i, n);
                }
            }
        });
    }

    // The fitted columns of t into scratch.columns and their slots into scratch.slots;
    // returns the slot array of each column. Raises transform's errors.
    // (A template, so that D is complete when its Slot is named.)
    template <class DD = D>
    const typename DD::Slot* const* reuse_slots(const Table& t, ReuseScratch& scratch) const {
        using Slot = typename DD::Slot;
        static_assert(std::is_trivially_copyable_v<Slot> && alignof(Slot) <= alignof(std::max_align_t));
        require_fitted();
        check_fp_environment();
        const std::size_t J = names_in_.size();
        scratch.columns.resize(J);
        std::size_t total = 0;
        for (std::size_t j = 0; j < J; ++j) {
            const auto& name = names_in_[j];
            // transform's error for a missing or numeric column (with_component builds a
            // std::string from the name: only on a miss).
            if (!t.has_column(name) || t.type(name) != ColumnType::categorical)
                (void)with_component(D::component_name, [&]() -> const CategoricalColumn& { return t.categorical(name); });
            scratch.columns[j] = &t.categorical(name);
            total += scratch.columns[j]->dictionary.size() + 1;
        }
        if (scratch.slots.size() < total * sizeof(Slot)) scratch.slots.resize(total * sizeof(Slot));
        scratch.slot_arrays.resize(J);
        // The slots are objects created in the byte buffer (which provides their storage).
        Slot* next = std::launder(reinterpret_cast<Slot*>(scratch.slots.data()));
        std::uninitialized_default_construct_n(next, total);
        for (std::size_t j = 0; j < J; ++j) {
            fill_slots(j, *scratch.columns[j], next);
            scratch.slot_arrays[j] = next;
            next += scratch.columns[j]->dictionary.size() + 1;
        }
        static_assert(sizeof(const void*) == sizeof(const Slot*));
        return reinterpret_cast<const Slot* const*>(scratch.slot_arrays.data());
    }

    // map_column (below) into `out`: the same dictionary and codes. Each used dictionary
    // entry gets its output code on its first row (a serial scan that stops once every
    // entry has one); then the rows' codes are written, in row blocks when threads > 1.
    // Equal outputs share a code: an open-addressing table of the output dictionary in
    // `ints` (after the per-entry codes), in place of map_column's unordered_map.
    template <class Slot>
    void map_column_into(std::size_t j, const CategoricalColumn& col, const Slot* slots, CategoricalColumn& out,
                         std::vector<std::int32_t>& ints, std::size_t threads) const {
        constexpr std::int32_t unset = std::numeric_limits<std::int32_t>::min();
        const std::size_t entries = col.dictionary.size() + 1;
        std::size_t buckets = 16;
        while (buckets < 2 * entries) buckets *= 2;
        if (ints.size() < entries + buckets) ints.resize(entries + buckets);
        std::int32_t* const code_of = ints.data();
        std::int32_t* const table = ints.data() + entries;
        std::fill(code_of, code_of + entries, unset);
        std::fill(table, table + buckets, -1);
        std::size_t used = 0, mapped = 0;  // output dictionary entries written; entries given a code
        const std::size_t n = col.codes.size();
        for (std::size_t i = 0; i < n && mapped < entries; ++i) {
            const auto k = static_cast<std::size_t>(col.codes[i] + 1);
            if (code_of[k] != unset) continue;
            ++mapped;
            const std::optional<std::string_view> in =
                k == 0 ? std::optional<std::string_view>{} : std::optional<std::string_view>(col.dictionary[k - 1]);
            const std::optional<std::string_view> v = self().category_out(j, slots[k], in);
            if (!v) {
                code_of[k] = -1;
                continue;
            }
            std::size_t h = std::hash<std::string_view>{}(*v) & (buckets - 1);
            while (table[h] >= 0 && std::string_view(out.dictionary[static_cast<std::size_t>(table[h])]) != *v) h = (h + 1) & (buckets - 1);
            if (table[h] < 0) {
                // A new output value: overwrite an old entry (its capacity kept) or append.
                if (used < out.dictionary.size()) out.dictionary[used].assign(v->data(), v->size());
                else out.dictionary.emplace_back(*v);
                table[h] = static_cast<std::int32_t>(used++);
            }
            code_of[k] = table[h];
        }
        out.dictionary.resize(used);
        out.codes.resize(n);
        const std::int32_t* in_codes = col.codes.data();
        std::int32_t* out_codes = out.codes.data();
        for_row_blocks(n, threads, [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) out_codes[i] = code_of[in_codes[i] + 1];
        });
    }

    // Categorical output: each used dictionary entry is mapped once (on its first row),
    // and equal outputs share one code.
    CategoricalColumn map_column(std::size_t j, const CategoricalColumn& col) const {
        const auto slots = slots_for(j, col);
        constexpr std::int32_t unset = std::numeric_limits<std::int32_t>::min();
        std::vector<std::int32_t> code_of(col.dictionary.size() + 1, unset);
        std::unordered_map<std::string_view, std::int32_t> seen;  // lookup only, never iterated
        CategoricalColumn out;
        out.codes.resize(col.codes.size());
        for (std::size_t i = 0; i < col.codes.size(); ++i) {
            const auto k = static_cast<std::size_t>(col.codes[i] + 1);
            std::int32_t c = code_of[k];
            if (c == unset) {
                const std::optional<std::string_view> in =
                    k == 0 ? std::optional<std::string_view>{} : std::optional<std::string_view>(col.dictionary[k - 1]);
                const std::optional<std::string_view> v = self().category_out(j, slots[k], in);
                if (!v) {
                    c = -1;
                } else {
                    const auto [it, inserted] = seen.try_emplace(*v, static_cast<std::int32_t>(out.dictionary.size()));
                    if (inserted) out.dictionary.emplace_back(*v);
                    c = it->second;
                }
                code_of[k] = c;
            }
            out.codes[i] = c;
        }
        return out;
    }

    const D& self() const { return static_cast<const D&>(*this); }
    D& self() { return static_cast<D&>(*this); }

    bool fitted_ = false;
    std::vector<std::string> names_in_;
};

// The UnknownCategory error every encoder raises under handle_unknown = error.
[[noreturn]] inline void unknown_category(const char* component, const std::string& column, std::string_view value,
                                          std::size_t row) {
    fail<UnknownCategory>({.component = component,
                           .problem = "category '" + std::string(value) + "' was not seen in fit",
                           .fix = "fit on data holding it, or choose a handle_unknown / unseen policy that accepts it",
                           .column = column,
                           .row = row});
}

// `problem` says NaN for a numeric column: scikit-learn's users (and its estimator checks)
// look for the word.
[[noreturn]] inline void missing_not_allowed(const char* component, const std::string& column, std::size_t row,
                                             const char* fix, const char* problem = "a missing value is not allowed here") {
    fail<InvalidInput>({.component = component,
                        .problem = problem,
                        .fix = fix,
                        .column = column,
                        .row = row});
}

}  // namespace detail
}  // namespace reprep
