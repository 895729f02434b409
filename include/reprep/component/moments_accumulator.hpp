// The mergeable Accumulator of every component whose statistics are exact moments or
// minima/maxima (StandardScaler, MinMaxScaler, MaxAbsScaler, LogTransformer,
// CyclicalFeatures): fit(acc) equals fit(X) for any chunking and merge order, because
// ColumnMoments is exact. Owner supplies the component name and the NaN/Inf rule of fit.
#pragma once

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

template <class T, class Owner>
class MomentsAccumulator {
public:
    MomentsAccumulator() = default;
    void update(const MatrixRef<T>& X) {
        check_fit_chunk<Owner, T>(X);
        moments_.update(X);
    }
    void update(const MatrixRef<T>& X, const Eigen::Ref<const Vector<T>>& sample_weight) {
        check_fit_chunk<Owner, T>(X);
        moments_.update(X, sample_weight);
    }
    void merge(const MomentsAccumulator& other) { moments_.merge(other.moments_); }
    std::uint64_t rows() const { return rows_seen(moments_); }
    std::size_t cols() const { return static_cast<std::size_t>(moments_.cols()); }
    const ColumnMoments<T>& moments() const { return moments_; }
    void save(ArchiveWriter& w) const { moments_.save(w); }
    static MomentsAccumulator load(ArchiveReader& r) {
        MomentsAccumulator a;
        a.moments_ = ColumnMoments<T>::load(r);
        return a;
    }
    friend bool operator==(const MomentsAccumulator&, const MomentsAccumulator&) = default;

private:
    ColumnMoments<T> moments_;
};

}  // namespace reprep::detail
