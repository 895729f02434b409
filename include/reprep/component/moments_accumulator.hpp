// The mergeable Accumulator of every component whose statistics are exact moments or
// minima/maxima (StandardScaler, MinMaxScaler, MaxAbsScaler, LogTransformer,
// CyclicalFeatures), and the template it shares with the quantile-based ones.
#pragma once

#include <concepts>
#include <cstdint>

#include "../core/archive.hpp"
#include "../core/moments.hpp"
#include "numeric_component.hpp"

namespace reprep::detail {

// The rows some moments have seen: every row is counted in each column, as a value or
// as a NaN, so column 0 tells (0 when there is no column).
template <class T>
std::uint64_t rows_seen(const ColumnMoments<T>& m) {
    return m.cols() == 0 ? 0 : m.count(0) + m.nan_count(0);
}

// One exact, mergeable per-column statistic as a component's Accumulator: Stats is
// ColumnMoments<T> (MomentsAccumulator, below) or ColumnValues<T> (ValuesAccumulator,
// column_values.hpp). Every chunk is checked with fit's NaN/Inf rule, and the statistic
// merges exactly, so fit(acc) equals fit(X) for any chunking and merge order. Owner
// supplies the component name and that rule.
template <class T, class Owner, class Stats>
class StatsAccumulator {
    static constexpr bool is_moments = std::same_as<Stats, ColumnMoments<T>>;

public:
    void update(const MatrixRef<T>& X) {
        check_fit_chunk<Owner, T>(X);
        // ColumnValues names the component in its width error; ColumnMoments names itself.
        if constexpr (is_moments) stats_.update(X);
        else stats_.update(X, Owner::component_name);
    }
    // Weighted chunks (StandardScaler's sample_weight): moments only.
    void update(const MatrixRef<T>& X, const Eigen::Ref<const Vector<T>>& sample_weight)
        requires is_moments
    {
        check_fit_chunk<Owner, T>(X);
        stats_.update(X, sample_weight);
    }
    void merge(const StatsAccumulator& other) {
        if constexpr (is_moments) stats_.merge(other.stats_);
        else stats_.merge(other.stats_, Owner::component_name);
    }
    std::uint64_t rows() const {
        if constexpr (is_moments) return rows_seen(stats_);
        else return stats_.rows();
    }
    std::size_t cols() const { return static_cast<std::size_t>(stats_.cols()); }
    const Stats& moments() const requires is_moments { return stats_; }
    const Stats& values() const requires(!is_moments) { return stats_; }
    void save(ArchiveWriter& w) const { stats_.save(w); }
    static StatsAccumulator load(ArchiveReader& r) {
        StatsAccumulator a;
        a.stats_ = Stats::load(r);
        return a;
    }
    friend bool operator==(const StatsAccumulator&, const StatsAccumulator&) = default;

private:
    Stats stats_;
};

// The Accumulator of every component whose statistics are exact moments or minima/maxima.
template <class T, class Owner>
using MomentsAccumulator = StatsAccumulator<T, Owner, ColumnMoments<T>>;

}  // namespace reprep::detail
