// reprep::DropDuplicateFeatures — feature-engine's DropDuplicateFeatures: fit finds the
// columns whose values equal an earlier column's on every training row, whatever their
// names; transform drops them. Numeric and categorical Table columns alike.
//
// Rule: two examined columns are duplicates when they have the same type and, on every
// row, both are missing or both hold the same value: numbers compared with == (so -0.0
// equals +0.0 and NaN equals NaN, as pandas' Series.equals), strings by bytes. A numeric
// and a categorical column are never duplicates. Of a set of duplicates the first in
// feature_names_in() order is kept and the others are dropped; duplicate_of(column) names
// the kept column a dropped one repeats.
// missing_values: ignore (feature-engine's default) compares missing like a value; raise
// refuses a missing value in fit (InvalidInput naming the column and the row).
//
// The Accumulator keeps, for every pair of examined columns of one type, whether they
// have been equal on every row so far: one flag per pair, merged with AND, so the fit is
// exact for any chunking and merge order and costs no memory per row.
//
// Params follow feature-engine: `variables` -> columns (empty = every column of the fit
// table), missing_values. Transform, columns and the single-row path:
// component/column_selector.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../component/column_selector.hpp"
#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/fp_env.hpp"
#include "../core/table.hpp"

namespace reprep {

namespace detail {
inline constexpr const char* drop_duplicate_features_name = "DropDuplicateFeatures";

class DuplicateAccumulator {
public:
    DuplicateAccumulator() = default;
    DuplicateAccumulator(std::vector<std::string> columns, MissingValues missing)
        : requested_(std::move(columns)), missing_values_(missing) {}

    void update(const Table& chunk);
    void merge(const DuplicateAccumulator& other);

    std::uint64_t rows() const { return cols_.rows; }
    const SelectedColumns& columns() const { return cols_; }
    MissingValues missing_values() const { return missing_values_; }
    // Columns a < b have the same type and were equal on every row so far.
    bool equal(std::size_t a, std::size_t b) const { return same_[pair(a, b)] != 0; }

    void save(ArchiveWriter& w) const;
    static DuplicateAccumulator load(ArchiveReader& r);
    friend bool operator==(const DuplicateAccumulator&, const DuplicateAccumulator&) = default;

private:
    // Index of pair a < b in the row-major upper triangle.
    std::size_t pair(std::size_t a, std::size_t b) const {
        const std::size_t n = cols_.names.size();
        return a * n - a * (a + 1) / 2 + (b - a - 1);
    }
    std::vector<std::uint8_t> initial_flags() const;

    std::vector<std::string> requested_;
    MissingValues missing_values_ = MissingValues::ignore;
    SelectedColumns cols_;
    std::vector<std::uint8_t> same_;
};
}  // namespace detail

class DropDuplicateFeatures : public detail::ColumnSelector<DropDuplicateFeatures> {
    using Base = detail::ColumnSelector<DropDuplicateFeatures>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};                 // feature-engine's `variables`; empty = every column
        MissingValues missing_values = MissingValues::ignore;  // ignore or raise
    };

    static constexpr const char* component_name = detail::drop_duplicate_features_name;
    static constexpr std::string_view kind_name() { return "drop_duplicate_features"; }
    static constexpr std::uint32_t schema_version = 1;
    using Accumulator = detail::DuplicateAccumulator;

    DropDuplicateFeatures() = default;
    // A template, so that DropDuplicateFeatures({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit DropDuplicateFeatures(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }
    Accumulator accumulator() const { return Accumulator(params_.columns, params_.missing_values); }
    using Base::fit;

    // The kept column that dropped column `column` duplicates (its first equal column).
    const std::string& duplicate_of(std::string_view column) const {
        const auto& names = feature_names_in();
        for (std::size_t k = 0; k < names.size(); ++k)
            if (names[k] == column && first_equal_[k] != k) return names[first_equal_[k]];
        detail::fail<SchemaError>({.component = component_name,
                                   .problem = "is not a dropped column",
                                   .fix = "ask for one of features_to_drop()",
                                   .column = std::string(column)});
    }

    void save_state(ArchiveWriter& w) const {
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.missing_values));
        save_base(w);
        if (is_fitted()) w.u64s(first_equal_);
    }
    static DropDuplicateFeatures load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        DropDuplicateFeatures c;
        c.params_.columns = r.strs();
        const auto mv = r.u8();
        if (mv > 2) r.fail("unknown missing_values " + std::to_string(mv));
        c.params_.missing_values = static_cast<MissingValues>(mv);
        detail::revalidate(r, [&] { validate(c.params_); });
        c.load_base(r);
        if (!c.is_fitted()) return c;
        const auto& kept = c.kept_index();
        const auto& types = c.column_types();
        for (auto f : r.u64s()) {
            const std::size_t k = c.first_equal_.size();
            if (k >= types.size()) r.fail("one duplicate link per column expected");
            const bool is_kept = std::binary_search(kept.begin(), kept.end(), k);
            // A kept column points at itself; a dropped one at an earlier kept column of its type.
            const bool ok = is_kept ? f == k
                                    : f < k && std::binary_search(kept.begin(), kept.end(), static_cast<std::size_t>(f)) &&
                                          types[static_cast<std::size_t>(f)] == types[k];
            if (!ok) r.fail("duplicate links do not match the kept columns");
            c.first_equal_.push_back(static_cast<std::size_t>(f));
        }
        if (c.first_equal_.size() != types.size()) r.fail("one duplicate link per column expected");
        return c;
    }

private:
    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        if (p.missing_values != MissingValues::raise && p.missing_values != MissingValues::ignore)
            detail::invalid_parameter(component_name, "missing_values", "must be raise or ignore",
                                      "use ignore (missing equals missing) or raise");
    }

    // Column k is dropped when an earlier column equals it; each dropped column points at
    // the first such column, which is kept (equality is transitive, so that first column
    // has no earlier equal one itself).
    std::vector<bool> decide(const Accumulator& acc) {
        if (acc.missing_values() != params_.missing_values) detail::accumulator_settings_differ(component_name, "missing_values");
        const std::size_t n = acc.columns().names.size();
        std::vector<bool> drop(n, false);
        first_equal_.assign(n, 0);
        for (std::size_t k = 0; k < n; ++k) {
            first_equal_[k] = k;
            for (std::size_t a = 0; a < k; ++a)
                if (acc.equal(a, k)) {
                    first_equal_[k] = a;
                    drop[k] = true;
                    break;
                }
        }
        return drop;
    }

    Params params_;
    std::vector<std::size_t> first_equal_;  // per examined column: itself if kept, else the kept column it repeats
};

// ===========================================================================
// Implementation
// ===========================================================================

namespace detail {

inline std::vector<std::uint8_t> DuplicateAccumulator::initial_flags() const {
    const std::size_t n = cols_.names.size();
    std::vector<std::uint8_t> f(n * (n ? n - 1 : 0) / 2, 0);
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = a + 1; b < n; ++b) f[pair(a, b)] = cols_.types[a] == cols_.types[b];
    return f;
}

inline void DuplicateAccumulator::update(const Table& chunk) {
    check_fp_environment();
    constexpr const char* name = drop_duplicate_features_name;
    SelectedColumns next = cols_;
    next.resolve(chunk, requested_, false, name);
    const std::size_t n = next.names.size(), rows = chunk.num_rows();
    std::vector<std::span<const double>> num(n);
    std::vector<const CategoricalColumn*> cat(n, nullptr);
    for (std::size_t j = 0; j < n; ++j) {
        if (next.types[j] == ColumnType::numeric) num[j] = chunk.numeric(next.names[j]);
        else cat[j] = &chunk.categorical(next.names[j]);
        if (missing_values_ == MissingValues::raise)
            for (std::size_t i = 0; i < rows; ++i)
                if (cat[j] ? cat[j]->codes[i] < 0 : std::isnan(num[j][i]))
                    missing_not_allowed(name, next.names[j], i, "impute it first, or set missing_values = ignore");
    }
    DuplicateAccumulator fresh = *this;
    fresh.cols_ = next;
    if (!cols_.started) fresh.same_ = fresh.initial_flags();
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = a + 1; b < n; ++b) {
            std::uint8_t& same = fresh.same_[fresh.pair(a, b)];
            if (!same) continue;
            if (cat[a]) {
                const auto& x = *cat[a];
                const auto& y = *cat[b];
                for (std::size_t i = 0; i < rows && same; ++i) {
                    const auto cx = x.codes[i], cy = y.codes[i];
                    same = (cx < 0 || cy < 0) ? (cx < 0 && cy < 0)
                                              : x.dictionary[static_cast<std::size_t>(cx)] ==
                                                    y.dictionary[static_cast<std::size_t>(cy)];
                }
            } else {
                for (std::size_t i = 0; i < rows && same; ++i) {
                    const double x = num[a][i], y = num[b][i];
                    same = (std::isnan(x) || std::isnan(y)) ? (std::isnan(x) && std::isnan(y)) : x == y;
                }
            }
        }
    fresh.cols_.commit(rows);
    *this = std::move(fresh);
}

inline void DuplicateAccumulator::merge(const DuplicateAccumulator& other) {
    constexpr const char* name = drop_duplicate_features_name;
    if (other.missing_values_ != missing_values_ || other.requested_ != requested_)
        accumulator_settings_differ(name, "missing_values or columns");
    if (!cols_.check_merge(other.cols_, name)) return;
    if (!cols_.started) {
        *this = other;
        return;
    }
    for (std::size_t p = 0; p < same_.size(); ++p) same_[p] = same_[p] && other.same_[p];
    cols_.rows += other.cols_.rows;
}

inline void DuplicateAccumulator::save(ArchiveWriter& w) const {
    w.strs(requested_);
    w.u8(static_cast<std::uint8_t>(missing_values_));
    cols_.save(w);
    w.size(same_.size());
    for (auto s : same_) w.u8(s);
}

inline DuplicateAccumulator DuplicateAccumulator::load(ArchiveReader& r) {
    DuplicateAccumulator a;
    a.requested_ = r.strs();
    const auto mv = r.u8();
    if (mv > 1) r.fail("unknown missing_values");
    a.missing_values_ = static_cast<MissingValues>(mv);
    a.cols_ = SelectedColumns::load(r);
    const std::size_t n = a.cols_.names.size();
    const std::size_t np = r.size(1);
    if (np != n * (n ? n - 1 : 0) / 2) r.fail("one equality flag per pair of columns expected");
    const auto possible = a.initial_flags();
    for (std::size_t p = 0; p < np; ++p) {
        const auto s = r.u8();
        if (s > 1 || (s && !possible[p])) r.fail("an equality flag is invalid");
        a.same_.push_back(s);
    }
    return a;
}

}  // namespace detail

}  // namespace reprep
