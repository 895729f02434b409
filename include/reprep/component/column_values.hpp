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

namespace reprep {

namespace detail {
// The most frequent of sorted non-NaN values; ties go to the smallest value (as
// scipy.stats.mode). -0.0 and +0.0 count as one value (they compare equal, as in
// numpy), reported with the sign of the first in sorted order. NaN when empty.
inline double most_frequent_sorted(std::span<const double> s) {
    double best = std::numeric_limits<double>::quiet_NaN();
    std::size_t best_count = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t k = i + 1;
        while (k < s.size() && s[k] == s[i]) ++k;
        if (k - i > best_count) {
            best_count = k - i;
            best = s[i];
        }
        i = k;
    }
    return best;
}

// One ValueAccumulator per column, with a width check on every chunk.
template <class T>
class ColumnValues {
public:
    void update(const MatrixRef<T>& X, const char* component) {
        if (cols_.empty()) cols_.resize(static_cast<std::size_t>(X.cols()));
        check_chunk_width(component, static_cast<std::size_t>(X.cols()), cols_.size());
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            cols_[static_cast<std::size_t>(j)].update(std::span<const T>(X.col(j).data(), static_cast<std::size_t>(X.rows())));
    }
    void merge(const ColumnValues& o, const char* component) {
        if (o.cols_.empty()) return;
        if (cols_.empty()) cols_.resize(o.cols_.size());
        check_chunk_width(component, o.cols_.size(), cols_.size());
        for (std::size_t j = 0; j < cols_.size(); ++j) cols_[j].merge(o.cols_[j]);
    }
    std::size_t cols() const { return cols_.size(); }
    // Every row is in each column, as a value or a NaN, so column 0 counts them.
    std::uint64_t rows() const { return cols_.empty() ? 0 : cols_[0].count() + cols_[0].nan_count(); }
    const ValueAccumulator& col(std::size_t j) const { return cols_[j]; }
    void save(ArchiveWriter& w) const {
        w.size(cols_.size());
        for (const auto& c : cols_) c.save(w);
    }
    static ColumnValues load(ArchiveReader& r) {
        ColumnValues v;
        const std::size_t n = r.size(16);  // a saved ValueAccumulator takes at least 16 bytes
        v.cols_.reserve(n);
        for (std::size_t j = 0; j < n; ++j) v.cols_.push_back(ValueAccumulator::load(r));
        return v;
    }
    friend bool operator==(const ColumnValues&, const ColumnValues&) = default;

private:
    std::vector<ValueAccumulator> cols_;
};

// The Accumulator of the components whose statistics are exact quantiles of every
// column (RobustScaler, KBinsDiscretizer, QuantileTransformer): every non-NaN value,
// 8 bytes each, merged exactly (StatsAccumulator, moments_accumulator.hpp).
template <class T, class Owner>
using ValuesAccumulator = StatsAccumulator<T, Owner, ColumnValues<T>>;

// The Accumulator of the imputers that need moments for some options and every value
// for others (SimpleImputer, EndTailImputer): exact moments and NaN counts always, every
// value too when made with keep_values. Two accumulators made with different
// keep_values cannot merge (InvalidInput, as every settings mismatch).
template <class T, class Owner>
class MomentsValuesAccumulator {
public:
    MomentsValuesAccumulator() = default;
    explicit MomentsValuesAccumulator(bool keep_values) : keep_values_(keep_values) {}
    void update(const MatrixRef<T>& X) {
        check_fit_chunk<Owner, T>(X);
        moments_.update(X);
        if (keep_values_) values_.update(X, Owner::component_name);
    }
    void merge(const MomentsValuesAccumulator& other) {
        if (other.keep_values_ != keep_values_)
            accumulator_settings_differ(Owner::component_name, "option (one keeps every value, the other does not)");
        moments_.merge(other.moments_);
        if (keep_values_) values_.merge(other.values_, Owner::component_name);
    }
    std::uint64_t rows() const { return rows_seen(moments_); }
    std::size_t cols() const { return static_cast<std::size_t>(moments_.cols()); }
    const ColumnMoments<T>& moments() const { return moments_; }
    const ColumnValues<T>& values() const { return values_; }
    bool keeps_values() const { return keep_values_; }
    void save(ArchiveWriter& w) const {
        w.boolean(keep_values_);
        moments_.save(w);
        if (keep_values_) values_.save(w);
    }
    static MomentsValuesAccumulator load(ArchiveReader& r) {
        MomentsValuesAccumulator a(r.boolean());
        a.moments_ = ColumnMoments<T>::load(r);
        if (a.keep_values_) a.values_ = ColumnValues<T>::load(r);
        return a;
    }
    friend bool operator==(const MomentsValuesAccumulator&, const MomentsValuesAccumulator&) = default;

private:
    bool keep_values_ = false;
    ColumnMoments<T> moments_;
    ColumnValues<T> values_;
};
}  // namespace detail

}  // namespace reprep
