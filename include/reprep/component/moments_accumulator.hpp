// The mergeable Accumulator of every component whose statistics are exact moments or
// minima/maxima (StandardScaler, MinMaxScaler, MaxAbsScaler, LogTransformer,
// CyclicalFeatures): fit(acc) equals fit(X) for any chunking and merge order, because
// ColumnMoments is exact. Owner supplies the component name used in errors.
#pragma once

#include "../core/archive.hpp"
#include "../core/moments.hpp"
#include "numeric_component.hpp"

namespace reprep::detail {

template <class T, class Owner>
class MomentsAccumulator {
public:
    MomentsAccumulator() = default;
    void update(const MatrixRef<T>& X) {
        check(X);
        moments_.update(X);
    }
    void update(const MatrixRef<T>& X, const Eigen::Ref<const Vector<T>>& sample_weight) {
        check(X);
        moments_.update(X, sample_weight);
    }
    void merge(const MomentsAccumulator& other) { moments_.merge(other.moments_); }
    const ColumnMoments<T>& moments() const { return moments_; }
    void save(ArchiveWriter& w) const { moments_.save(w); }
    static MomentsAccumulator load(ArchiveReader& r) {
        MomentsAccumulator a;
        a.moments_ = ColumnMoments<T>::load(r);
        return a;
    }
    friend bool operator==(const MomentsAccumulator&, const MomentsAccumulator&) = default;

private:
    // Same rule as fit: NaN is skipped, an infinity is refused with its column and row
    // (the row within this chunk).
    static void check(const MatrixRef<T>& X) {
        check_finite<T>(X, true, false, Owner::component_name, default_names(X.cols()), "fit");
    }
    ColumnMoments<T> moments_;
};

}  // namespace reprep::detail
