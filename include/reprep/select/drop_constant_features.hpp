// reprep::DropConstantFeatures — feature-engine's DropConstantFeatures: fit finds the
// constant and quasi-constant columns, transform drops them. Numeric and categorical
// Table columns alike.
//
// Rule, per examined column: share = (rows holding the most frequent value) / (rows
// counted), computed as one IEEE division of two integer counts (what pandas'
// value_counts(normalize=True) does), and the column is dropped when share >= tol.
// Values are compared exactly: numbers by value (-0.0 equals +0.0, as in pandas),
// strings by bytes. missing_values says which rows count:
//   raise    a missing value (NaN, a missing category) in fit is an InvalidInput naming
//            the column and the row;
//   ignore   missing rows are left out of both counts; a column with no value at all is
//            kept (feature-engine keeps it at tol = 1, where nunique() is 0, and fails
//            with an IndexError below 1);
//   include  missing is one more value, so an all-missing column is constant.
// As feature-engine does, fit refuses (InvalidInput) to drop every column of the data:
// when Params::columns is empty (every column examined) and each one is constant.
//
// Params follow feature-engine: `variables` -> columns (empty = every column of the fit
// table), tol (default 1: only columns with a single value), missing_values (default
// raise). Transform, columns and the single-row path: component/column_selector.hpp.
// The Accumulator keeps exact per-column value counts, so shards merge exactly.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "../component/category_accumulator.hpp"
#include "../component/column_selector.hpp"
#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/fp_env.hpp"
#include "../core/quantile.hpp"
#include "../core/table.hpp"

namespace reprep {

class DropConstantFeatures;

namespace detail {
// Exact per-column value counts: numbers by order_key of the value (-0.0 folded into
// +0.0), strings through ColumnTally; `missing` counts NaN and missing categories.
class ConstantAccumulator {
public:
    ConstantAccumulator() = default;
    ConstantAccumulator(std::vector<std::string> columns, MissingValues missing)
        : requested_(std::move(columns)), missing_values_(missing) {}

    void update(const Table& chunk);
    void merge(const ConstantAccumulator& other);

    std::uint64_t rows() const { return cols_.rows; }
    const SelectedColumns& columns() const { return cols_; }
    MissingValues missing_values() const { return missing_values_; }
    // The rows of column j holding its most frequent non-missing value (0 if none), and its missing rows.
    std::uint64_t top_count(std::size_t j) const;
    std::uint64_t missing(std::size_t j) const { return tallies_[j].missing; }

    void save(ArchiveWriter& w) const;
    static ConstantAccumulator load(ArchiveReader& r);
    friend bool operator==(const ConstantAccumulator&, const ConstantAccumulator&) = default;

private:
    struct Tally {
        std::vector<std::uint64_t> keys, counts;  // numeric: sorted distinct order_keys and their rows
        ColumnTally text;                         // categorical
        std::uint64_t missing = 0;
        friend bool operator==(const Tally&, const Tally&) = default;
    };
    static Tally numeric_tally(std::span<const double> x);
    static void merge_numeric(Tally& into, const Tally& from);

    std::vector<std::string> requested_;
    MissingValues missing_values_ = MissingValues::raise;
    SelectedColumns cols_;
    std::vector<Tally> tallies_;
};
}  // namespace detail

class DropConstantFeatures : public detail::ColumnSelector<DropConstantFeatures> {
    using Base = detail::ColumnSelector<DropConstantFeatures>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // feature-engine's `variables`; empty = every column
        double tol = 1.0;                       // drop when the most frequent value's share >= tol
        MissingValues missing_values = MissingValues::raise;  // raise, ignore or include
    };

    static constexpr const char* component_name = "DropConstantFeatures";
    static constexpr std::string_view kind_name() { return "drop_constant_features"; }
    static constexpr std::uint32_t schema_version = 1;
    using Accumulator = detail::ConstantAccumulator;

    DropConstantFeatures() = default;
    // A template, so that DropConstantFeatures({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit DropConstantFeatures(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }
    Accumulator accumulator() const { return Accumulator(params_.columns, params_.missing_values); }
    using Base::fit;

    void save_state(ArchiveWriter& w) const {
        w.strs(params_.columns);
        w.f64(params_.tol);
        w.u8(static_cast<std::uint8_t>(params_.missing_values));
        save_base(w);
    }
    static DropConstantFeatures load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        DropConstantFeatures c;
        c.params_.columns = r.strs();
        c.params_.tol = r.f64();
        const auto mv = r.u8();
        if (mv > 2) r.fail("unknown missing_values " + std::to_string(mv));
        c.params_.missing_values = static_cast<MissingValues>(mv);
        detail::revalidate(r, [&] { validate(c.params_); });
        c.load_base(r);
        return c;
    }

private:
    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        if (!(p.tol >= 0.0 && p.tol <= 1.0))
            detail::invalid_parameter(component_name, "tol", "must be a number in [0, 1]",
                                      "use 1 for constant columns, e.g. 0.98 for quasi-constant ones");
        if (static_cast<unsigned>(p.missing_values) > static_cast<unsigned>(MissingValues::include))
            detail::invalid_parameter(component_name, "missing_values", "holds an unknown value",
                                      "use raise, ignore or include");
    }

    std::vector<bool> decide(const Accumulator& acc) const {
        if (acc.missing_values() != params_.missing_values) detail::accumulator_settings_differ(component_name, "missing_values");
        const auto& cols = acc.columns();
        std::vector<bool> drop(cols.names.size(), false);
        for (std::size_t j = 0; j < drop.size(); ++j) {
            const std::uint64_t missing = acc.missing(j), top = acc.top_count(j);
            if (missing > 0 && params_.missing_values == MissingValues::raise)
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = std::to_string(missing) + " missing values in fit",
                                            .fix = "impute them first, or set missing_values = ignore or include",
                                            .column = cols.names[j]});
            const bool include = params_.missing_values == MissingValues::include;
            const std::uint64_t counted = include ? cols.rows : cols.rows - missing;
            if (counted == 0) continue;  // ignore, and no value at all: kept
            const std::uint64_t most = include ? std::max(top, missing) : top;
            // One correctly rounded division, as pandas' normalised value_counts.
            const double share = static_cast<double>(most) / static_cast<double>(counted);
            drop[j] = share >= params_.tol;
        }
        if (params_.columns.empty() && !drop.empty() && std::all_of(drop.begin(), drop.end(), [](bool d) { return d; }))
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "every column of the data is constant under tol, so none would be left",
                                        .fix = "raise tol, or fit on data with at least one varying column"});
        return drop;
    }

    Params params_;
};

// ===========================================================================
// Implementation
// ===========================================================================

namespace detail {

inline ConstantAccumulator::Tally ConstantAccumulator::numeric_tally(std::span<const double> x) {
    Tally t;
    std::vector<std::uint64_t> keys;
    keys.reserve(x.size());
    for (double v : x) {
        if (std::isnan(v)) ++t.missing;
        else keys.push_back(order_key(v == 0.0 ? 0.0 : v));  // -0.0 and +0.0 are one value
    }
    std::sort(keys.begin(), keys.end());
    for (std::size_t i = 0; i < keys.size();) {
        std::size_t e = i;
        while (e < keys.size() && keys[e] == keys[i]) ++e;
        t.keys.push_back(keys[i]);
        t.counts.push_back(e - i);
        i = e;
    }
    return t;
}

inline void ConstantAccumulator::merge_numeric(Tally& into, const Tally& from) {
    Tally out;
    std::size_t a = 0, b = 0;
    while (a < into.keys.size() || b < from.keys.size()) {
        if (b == from.keys.size() || (a < into.keys.size() && into.keys[a] < from.keys[b])) {
            out.keys.push_back(into.keys[a]);
            out.counts.push_back(into.counts[a++]);
        } else if (a == into.keys.size() || from.keys[b] < into.keys[a]) {
            out.keys.push_back(from.keys[b]);
            out.counts.push_back(from.counts[b++]);
        } else {
            out.keys.push_back(into.keys[a]);
            out.counts.push_back(into.counts[a++] + from.counts[b++]);
        }
    }
    into.keys = std::move(out.keys);
    into.counts = std::move(out.counts);
}

inline void ConstantAccumulator::update(const Table& chunk) {
    check_fp_environment();
    constexpr const char* name = DropConstantFeatures::component_name;
    // Resolve and count into fresh state first, so a failed update leaves the accumulator as it was.
    SelectedColumns next = cols_;
    next.resolve(chunk, requested_, false, name);
    std::vector<Tally> fresh;
    for (std::size_t j = 0; j < next.names.size(); ++j) {
        const auto& c = next.names[j];
        Tally t;
        if (next.types[j] == ColumnType::numeric) {
            const auto x = chunk.numeric(c);
            if (missing_values_ == MissingValues::raise)
                for (std::size_t i = 0; i < x.size(); ++i)
                    if (std::isnan(x[i])) missing_not_allowed(name, c, i, "impute it first, or set missing_values = ignore or include");
            t = numeric_tally(x);
        } else {
            const auto& col = chunk.categorical(c);
            if (missing_values_ == MissingValues::raise)
                for (std::size_t i = 0; i < col.codes.size(); ++i)
                    if (col.codes[i] < 0) missing_not_allowed(name, c, i, "impute it first, or set missing_values = ignore or include");
            t.text = tally_column(c, col, nullptr);
            t.missing = t.text.missing;
        }
        fresh.push_back(std::move(t));
    }
    if (!cols_.started) {
        tallies_ = std::move(fresh);
    } else {
        for (std::size_t j = 0; j < tallies_.size(); ++j) {
            if (next.types[j] == ColumnType::numeric) merge_numeric(tallies_[j], fresh[j]);
            else merge_tally(tallies_[j].text, fresh[j].text, false);
            tallies_[j].missing += fresh[j].missing;
        }
    }
    cols_ = std::move(next);
    cols_.commit(chunk.num_rows());
}

inline void ConstantAccumulator::merge(const ConstantAccumulator& other) {
    constexpr const char* name = DropConstantFeatures::component_name;
    if (other.missing_values_ != missing_values_ || other.requested_ != requested_)
        accumulator_settings_differ(name, "missing_values or columns");
    if (!cols_.check_merge(other.cols_, name)) return;
    if (!cols_.started) {
        *this = other;
        return;
    }
    for (std::size_t j = 0; j < tallies_.size(); ++j) {
        if (cols_.types[j] == ColumnType::numeric) merge_numeric(tallies_[j], other.tallies_[j]);
        else merge_tally(tallies_[j].text, other.tallies_[j].text, false);
        tallies_[j].missing += other.tallies_[j].missing;
    }
    cols_.rows += other.cols_.rows;
}

inline std::uint64_t ConstantAccumulator::top_count(std::size_t j) const {
    const Tally& t = tallies_[j];
    const auto& c = cols_.types[j] == ColumnType::numeric ? t.counts : t.text.counts;
    return c.empty() ? 0 : *std::max_element(c.begin(), c.end());
}

inline void ConstantAccumulator::save(ArchiveWriter& w) const {
    w.strs(requested_);
    w.u8(static_cast<std::uint8_t>(missing_values_));
    cols_.save(w);
    for (std::size_t j = 0; j < tallies_.size(); ++j) {
        if (cols_.types[j] == ColumnType::numeric) {
            w.u64s(tallies_[j].keys);
            w.u64s(tallies_[j].counts);
            w.u64(tallies_[j].missing);
        } else {
            save_counts(w, tallies_[j].text);
        }
    }
}

inline ConstantAccumulator ConstantAccumulator::load(ArchiveReader& r) {
    ConstantAccumulator a;
    a.requested_ = r.strs();
    const auto mv = r.u8();
    if (mv > 2) r.fail("unknown missing_values");
    a.missing_values_ = static_cast<MissingValues>(mv);
    a.cols_ = SelectedColumns::load(r);
    for (std::size_t j = 0; j < a.cols_.names.size(); ++j) {
        Tally t;
        std::uint64_t total = 0;
        if (a.cols_.types[j] == ColumnType::numeric) {
            t.keys = r.u64s();
            t.counts = r.u64s();
            t.missing = r.u64();
            if (t.keys.size() != t.counts.size() || !std::is_sorted(t.keys.begin(), t.keys.end()) ||
                std::adjacent_find(t.keys.begin(), t.keys.end()) != t.keys.end())
                r.fail("numeric value keys are not distinct and sorted, or do not match their counts");
            total = t.missing;
            for (auto k : t.counts) {
                if (k == 0 || total + k < total) r.fail("a value count is zero or overflows");
                total += k;
            }
        } else {
            t.text.name = a.cols_.names[j];
            total = load_counts(r, t.text);
            t.missing = t.text.missing;
        }
        if (total != a.cols_.rows) r.fail("value counts do not add up to the row count");
        a.tallies_.push_back(std::move(t));
    }
    return a;
}

}  // namespace detail

}  // namespace reprep
