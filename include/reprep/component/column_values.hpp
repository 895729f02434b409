// Per-column exact value stores and the Accumulators built on them, shared by the
// quantile-based numeric components (RobustScaler, KBinsDiscretizer, QuantileTransformer,
// Winsorizer, SimpleImputer, EndTailImputer).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/moments.hpp"
#include "../core/numpy_ports.hpp"
#include "../core/quantile.hpp"
#include "accumulator_errors.hpp"
#include "moments_accumulator.hpp"
#include "numeric_component.hpp"
#include "value_counts.hpp"

namespace reprep {

namespace detail {
// One ValueAccumulator per column (PerColumn, value_counts.hpp).
template <class T>
using ColumnValues = PerColumn<T, ValueAccumulator, 16>;  // a saved ValueAccumulator takes at least 16 bytes

// The Accumulator of the components whose statistics are exact quantiles of every
// column (RobustScaler, KBinsDiscretizer, QuantileTransformer): every non-NaN value,
// 8 bytes each, merged exactly (StatsAccumulator, moments_accumulator.hpp).
template <class T, class Owner>
using ValuesAccumulator = StatsAccumulator<T, Owner, ColumnValues<T>>;

// What a MomentsValuesAccumulator keeps besides the moments: nothing, every value (for
// quantiles), or the count of each distinct value (for the most frequent one).
enum class KeepValues : std::uint8_t { none = 0, values = 1, counts = 2 };

// The Accumulator of the imputers that need moments for some options and more for
// others (SimpleImputer, EndTailImputer): exact moments and NaN counts always, and
// every value (median, iqr) or each distinct value's count (most_frequent) as made.
// Two accumulators made to keep different things cannot merge (InvalidInput, as every
// settings mismatch). Bytes: u8 what it keeps (0 and 1 are the bytes of the boolean
// keep_values it was before counts), the moments, then the values or the counts.
template <class T, class Owner>
class MomentsValuesAccumulator {
public:
    MomentsValuesAccumulator() = default;
    explicit MomentsValuesAccumulator(KeepValues keep) : keep_(keep) {}
    void update(const MatrixRef<T>& X) {
        check_fit_chunk<Owner, T>(X);
        moments_.update(X);
        if (keep_ == KeepValues::values) values_.update(X, Owner::component_name);
        if (keep_ == KeepValues::counts) counts_.update(X, Owner::component_name);
    }
    void merge(const MomentsValuesAccumulator& other) {
        if (other.keep_ != keep_)
            accumulator_settings_differ(Owner::component_name,
                                        "option (the two keep other statistics: values, counts or neither)");
        moments_.merge(other.moments_);
        if (keep_ == KeepValues::values) values_.merge(other.values_, Owner::component_name);
        if (keep_ == KeepValues::counts) counts_.merge(other.counts_, Owner::component_name);
    }
    std::uint64_t rows() const { return rows_seen(moments_); }
    std::size_t cols() const { return static_cast<std::size_t>(moments_.cols()); }
    const ColumnMoments<T>& moments() const { return moments_; }
    const ColumnValues<T>& values() const { return values_; }
    const ColumnCounts<T>& counts() const { return counts_; }
    KeepValues keeps() const { return keep_; }
    void save(ArchiveWriter& w) const {
        w.u8(static_cast<std::uint8_t>(keep_));
        moments_.save(w);
        if (keep_ == KeepValues::values) values_.save(w);
        if (keep_ == KeepValues::counts) counts_.save(w);
    }
    static MomentsValuesAccumulator load(ArchiveReader& r) {
        const std::uint8_t keep = r.u8();
        if (keep > static_cast<std::uint8_t>(KeepValues::counts)) r.fail("an accumulator keeps an unknown statistic");
        MomentsValuesAccumulator a(static_cast<KeepValues>(keep));
        a.moments_ = ColumnMoments<T>::load(r);
        if (a.keep_ == KeepValues::values) a.values_ = ColumnValues<T>::load(r);
        if (a.keep_ == KeepValues::counts) a.counts_ = ColumnCounts<T>::load(r);
        if (a.keep_ != KeepValues::none && (a.keep_ == KeepValues::values ? a.values_.cols() : a.counts_.cols()) != a.cols() &&
            a.rows() > 0)
            r.fail("an accumulator's values do not match its moments");
        return a;
    }
    friend bool operator==(const MomentsValuesAccumulator&, const MomentsValuesAccumulator&) = default;

private:
    KeepValues keep_ = KeepValues::none;
    ColumnMoments<T> moments_;
    ColumnValues<T> values_;
    ColumnCounts<T> counts_;
};
}  // namespace detail

}  // namespace reprep
